#!/bin/sh
# hot.sh HOT.tsv [BUILD_DIR]: linking measured on real letters with their
# writers and times (columns id, user, subject, time, body, …). A new
# mailbox with the sample's config; the letters imported, oldest first,
# through the CSV import, as an office's export would come. Prints every
# pair the import linked (days apart, whether one writer wrote both, the
# score) and every pair of letters of one writer it did not link, for a
# person to judge whether each is really one matter. Leaves nothing behind.
set -eu
hot=${1:?usage: hot.sh HOT.tsv [BUILD_DIR]}
build=$(cd "${2:-build}" && pwd)
PATH=$build/tools:$PATH
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

mailbox-intake init "$dir/mb" >/dev/null
python3 - "$hot" "$dir/letters.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8"), delimiter="\t"))
head, rows = rows[0], sorted(rows[1:], key=lambda r: r[3])
col = {name: head.index(name) for name in ("user", "subject", "time", "body")}
with open(sys.argv[2], "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f)
    w.writerow(["留言主题", "留言用户", "留言时间", "留言详情"])
    for r in rows:
        w.writerow([r[col["subject"]], r[col["user"]], r[col["time"]], r[col["body"]]])
PY
mailbox-intake -C "$dir/mb" import "$dir/letters.csv" --format json \
    --now 2026-12-01T10:00:00+08:00 >"$dir/imported.json" 2>"$dir/import.err"
tail -n 1 "$dir/import.err"
python3 - "$dir/imported.json" "$dir/letters.csv" <<'PY'
import csv, json, sys
from datetime import datetime
rows = json.load(open(sys.argv[1], encoding="utf-8"))
letters = list(csv.reader(open(sys.argv[2], encoding="utf-8")))[1:]
by_id = {}
for row, (subject, user, time, body) in zip(rows, letters):
    if row["id"]:
        by_id[row["id"]] = (user, datetime.fromisoformat(time), subject)
def days(a, b):
    return abs((by_id[a][1] - by_id[b][1]).days)
linked = set()
print("linked pairs:")
for row in rows:
    for other in row["group"] or []:
        if other in by_id and row["id"] in by_id:
            pair = tuple(sorted((row["id"], other)))
            if pair in linked:
                continue
            linked.add(pair)
            a, b = pair
            same = "same writer" if by_id[a][0] == by_id[b][0] else "two writers"
            print(f"  {a} {b}  {days(a, b):4d} days  {same}  score {row['similarity']}")
            print(f"    {by_id[a][2]}\n    {by_id[b][2]}")
print(f"  {len(linked)} pair(s)")
print("one writer's letters not linked:")
ids = sorted(by_id, key=lambda i: by_id[i][1])
missed = 0
for i, a in enumerate(ids):
    for b in ids[i + 1:]:
        if by_id[a][0] == by_id[b][0] and tuple(sorted((a, b))) not in linked:
            missed += 1
            print(f"  {a} {b}  {days(a, b):4d} days  {by_id[a][0]}")
            print(f"    {by_id[a][2]}\n    {by_id[b][2]}")
print(f"  {missed} pair(s)")
PY
