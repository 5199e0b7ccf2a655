# Every file in tests/hostile/ (see its README) goes through the command that
# reads it: it ends with its documented status, nothing unreadable or
# executable comes out, and what the citizen sent is kept.
. "$(dirname "$0")/lib.sh"
corpus=$MAILBOX_SOURCE/tests/hostile

# A JSON document whose strings hold no control character but tab and newline.
json_clean() {
    python3 -c '
import json, sys
def walk(v):
    if isinstance(v, str):
        bad = [c for c in v if (ord(c) < 32 and c not in "\t\n") or 0x7f <= ord(c) < 0xa0]
        assert not bad, "control character %r in %r" % (bad[0], v[:80])
    elif isinstance(v, dict):
        for x in v.values(): walk(x)
    elif isinstance(v, list):
        for x in v: walk(x)
walk(json.load(sys.stdin))'
}

# Text a terminal shows as it is: no C0 but tab and newline, no DEL, no C1,
# no bidi override or isolate.
terminal_clean() {
    python3 -c '
import sys
t = sys.stdin.buffer.read().decode("utf-8")
bad = [c for c in t if (ord(c) < 32 and c not in "\t\n") or 0x7f <= ord(c) < 0xa0
       or 0x202a <= ord(c) <= 0x202e or 0x2066 <= ord(c) <= 0x2069]
assert not bad, "raw %r" % bad[0]'
}

# No cell a spreadsheet would run as a formula.
csv_clean() {
    python3 -c '
import csv, sys
for row in csv.reader(sys.stdin):
    for cell in row:
        assert not cell or cell[0] not in "=+-@\t\r", "formula cell %r" % cell[:40]'
}

take_in() { # NAME FILE: a fresh mailbox, the file imported into it
    local name=$1 file=$2
    rm -rf mb && new_mailbox AB
    run_quiet=$(timeout 60 mailbox-intake -C mb import "$file" --now "$NOW" 2>&1)
    local status=$?
    check "$name: import ends with 0 or 3, not $status" test "$status" = 0 -o "$status" = 3
    run 0 mailbox-report -C mb check
    mailbox-report -C mb list --format json --now "$NOW" >list.json
    check "$name: list --format json is clean JSON" json_clean <list.json
    mailbox-report -C mb list --now "$NOW" >list.txt
    check "$name: list prints no control character" terminal_clean <list.txt
    mailbox-report -C mb list --format csv --now "$NOW" >list.csv
    check "$name: list --format csv holds no formula" csv_clean <list.csv
    : >shown.txt
    for id in $(mailbox-report -C mb list --format tsv --now "$NOW" | cut -f1 | tail -n +2); do
        mailbox-report -C mb show "$id" --now "$NOW" >>shown.txt
    done
    check "$name: show prints no control character" terminal_clean <shown.txt
    if [ -f "$file.expect" ]; then
        while IFS= read -r want; do
            contains "$name: keeps '$want'" "$want" "$(cat shown.txt)"
        done <"$file.expect"
    fi
}

for file in "$corpus"/mail/*.eml "$corpus"/mail/*.mbox "$corpus"/csv/*.csv; do
    take_in "$(basename "$file")" "$file"
done

# A hand edit or a bad merge: check names the file and position; the other
# tools go on (or stop with bad data), never crash.
for file in "$corpus"/cases/*.toml; do
    name=$(basename "$file")
    rm -rf mb && new_mailbox AB
    id=$(sed -n 's/^id = "\(.*\)"$/\1/p' "$file" | head -1)
    mkdir -p mb/cases/2026 && cp "$file" "mb/cases/2026/$id.toml"
    run 3 mailbox-report -C mb check
    want=$(cat "$file.expect")
    contains "$name: check names the file, line and column" "cases/2026/$id.toml:" "$err"
    check "$name: and says '$want'" sh -c "printf '%s' \"\$1\" | grep -qiE 'cases/2026/$id.toml:[0-9]+:[0-9]+: .*$want'" _ "$err"
    for cmd in "mailbox-report -C mb list" "mailbox-report -C mb show $id" "mailbox-assign -C mb chase" \
        "mailbox-report -C mb bulletin --quarter 2026Q1"; do
        $cmd --now "$NOW" >/dev/null 2>&1
        status=$?
        check "$name: $cmd ends with 0 or 3, not $status" test "$status" = 0 -o "$status" = 3
    done
done
done_testing
