#!/bin/sh
# corpus.sh MESSAGES.tsv [BUILD_DIR]: the learned suggestions measured on
# real letters. A new mailbox whose categories are the 7 of the file (no
# keyword rules, so only what is learned suggests), its letters imported
# through the CSV import, each then assigned as the city decided; then
# mailbox-report triage-eval, by time and in 5 folds. Prints the report and
# leaves nothing behind.
set -eu
messages=${1:?usage: corpus.sh MESSAGES.tsv [BUILD_DIR]}
build=$(cd "${2:-build}" && pwd)
PATH=$build/tools:$PATH
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

mailbox-intake init "$dir/mb" >/dev/null
# The sample's categories out, the corpus's in, each routed to a unit of
# the sample's; no keywords.
python3 - "$dir/mb/mailbox.toml" <<'PY'
import re, sys
path = sys.argv[1]
out, skipping = [], False
for line in open(path, encoding="utf-8"):
    if line.startswith("["):
        skipping = line.strip() == "[[category]]"
    if not skipping:
        out.append(line)
categories = [("labor", "劳动和社会保障", "rsj"), ("housing", "城乡建设", "zjj"),
              ("edu", "教育文体", "jyj"), ("health", "卫生计生", "wjw"),
              ("transport", "交通运输", "jtj"), ("econ", "商贸旅游", "szfb"),
              ("env", "环境保护", "sthjj")]
for cid, name, unit in categories:
    out.append(f'\n[[category]]\nid = "{cid}"\nname = "{name}"\nunit = "{unit}"\nkeywords = []\n')
open(path, "w", encoding="utf-8").write("".join(out))
PY
# The TSV as the CSV the office's export is, with the headers
# [import.csv] of the sample names; the category kept aside, by row.
python3 - "$messages" "$dir/letters.csv" "$dir/decided.tsv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8"), delimiter="\t"))
head = rows[0]
col = {name: head.index(name) for name in ("user", "subject", "time", "body", "category")}
with open(sys.argv[2], "w", encoding="utf-8", newline="") as f, open(sys.argv[3], "w", encoding="utf-8") as d:
    w = csv.writer(f)
    w.writerow(["留言主题", "留言用户", "留言时间", "留言详情"])
    for r in rows[1:]:
        w.writerow([r[col["subject"]], r[col["user"]], r[col["time"]], r[col["body"]]])
        d.write(r[col["category"]] + "\n")
PY
now=2026-12-01T10:00:00+08:00
mailbox-intake -C "$dir/mb" import "$dir/letters.csv" --format json --now "$now" \
    >"$dir/imported.json" 2>"$dir/import.err"
# Each registered letter assigned as the city decided: one command a category.
python3 - "$dir/imported.json" "$dir/decided.tsv" >"$dir/assign.sh" <<'PY'
import json, sys
units = {"劳动和社会保障": ("labor", "rsj"), "城乡建设": ("housing", "zjj"),
         "教育文体": ("edu", "jyj"), "卫生计生": ("health", "wjw"),
         "交通运输": ("transport", "jtj"), "商贸旅游": ("econ", "szfb"),
         "环境保护": ("env", "sthjj")}
decided = open(sys.argv[2], encoding="utf-8").read().split("\n")
by = {}
for row in json.load(open(sys.argv[1], encoding="utf-8")):
    if row["id"] and row["status"] == "registered":
        line = int(row["source"].rsplit(":", 1)[1])  # the header is line 1
        by.setdefault(decided[line - 2], []).append(row["id"])
for name, ids in sorted(by.items()):
    cat, unit = units[name]
    print(f'mailbox-assign -C "$1" {" ".join(ids)} --to {unit} --category {cat} --now "$2" >/dev/null')
PY
sh "$dir/assign.sh" "$dir/mb" "$now"
echo "letters: $(grep -c '"registered"' "$dir/imported.json") registered of $(($(wc -l <"$messages") - 1))"
mailbox-report -C "$dir/mb" triage-eval --folds 5
