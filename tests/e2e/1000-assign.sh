# mailbox-assign: assign, route, re-assign, return, extend, link, visit; due
# dates that follow the calendar and explain themselves.
. "$(dirname "$0")/lib.sh"
new_mailbox AB
git -C mb init -q && git -C mb add -A && git -C mb commit -qm start

T1=2026-11-02T09:00:00+08:00
three_letters "$T1"
T2=2026-11-03T10:00:00+08:00

run 0 mailbox-assign -C mb "$a" --to cgj --with zjj --leader wang --instruction "请尽快修复" --now "$T2" --commit
contains "prints the assigned case" "$a  assigned" "$out"
contains "with its due date" "2026-11-12" "$out"
same "--commit commits it" "Assign case $a to cgj." "$(git -C mb log -1 --format=%s)"
run 0 mailbox-report -C mb show "$a" --format json --now "$T2"
contains "lead unit" '"handler": "cgj"' "$out"
contains "leader" '"leader": "wang"' "$out"

run 2 mailbox-assign -C mb "$b" --to cgjj --now "$T2"
same "unknown unit suggests, with the name" "mailbox-assign: --to: unknown unit 'cgjj'; did you mean 'cgj' (市城市管理综合执法局)?" "$err"
run 0 mailbox-report -C mb show "${a:7}" --format json --now "$T2"
contains "a case by the part after its date" "\"id\": \"$a\"" "$out"
run 0 mailbox-assign -C mb "$(printf '%s' "${c:7}" | tr 'A-Z' 'a-z')" --to sthjj --now "$T2" --dry-run
contains "assign takes it too, in any case" "$c" "$out"
before=$(tree_hash mb)
run 2 mailbox-assign -C mb "$b" "$c" ZZZZZZ --route --now "$T2"
same "one unknown id among several changes none" "mailbox-assign: no case matches 'ZZZZZZ'" "$err"
same "nothing written" "$before" "$(tree_hash mb)"
run 2 mailbox-assign -C mb "$b" "$c" --route --now "$T2"
contains "one refusal among several" "case $c has no suggested unit" "$err"
same "changes none" "$before" "$(tree_hash mb)"
run 0 mailbox-assign -C mb "${b:7}" "${c:7}" --to sthjj --now "$T2" --dry-run --format tsv
same "several cases assigned in one command" "2" "$(printf '%s\n' "$out" | tail -n +2 | grep -c assigned)"
run 2 mailbox-assign -C mb chsae
same "a mistyped command is still one" "mailbox-assign: unknown command 'chsae'; did you mean 'chase'?" "$err"
run 0 mailbox-assign -C mb "$c" --to 市生态环境局 --with 市城市管理综合执法局 --leader 王副书记 --now "$T2" --dry-run --format json
contains "a unit by its name" '"handler": "sthjj"' "$out"
contains "a co-unit by its name" '"co_units":["cgj"]' "$(printf '%s' "$out" | tr -d '\n ')"
contains "a leader by name" '"leader": "wang"' "$out"
run 2 mailbox-assign -C mb "$c" --to 市生态环境 --now "$T2"
same "a name mistyped suggests the unit" "mailbox-assign: --to: unknown unit '市生态环境'; did you mean 'sthjj' (市生态环境局)?" "$err"
run 2 mailbox-assign -C mb "$b" --to jtj --route --now "$T2"
same "--to with --route: one of them" "mailbox-assign: --to jtj and --route both say where it goes: use one of them" "$err"
run 2 mailbox-assign -C mb extend "$b" --days abc --reason x --approved-by wang --now "$T2"
same "CLI11's words rewritten" "mailbox-assign: --days: expected a number, got 'abc' (see 'mailbox-assign --help')" "$err"
run 2 mailbox-assign -C mb extend "$b" --reason x --approved-by wang --now "$T2" --days
same "a flag without its value" "mailbox-assign: --days: needs a number (see 'mailbox-assign --help')" "$err"
run 2 mailbox-assign -C mb chase --notice --now "$T2"
same "a mistyped flag suggests" "mailbox-assign: unknown flag '--notice'; did you mean '--notices'? (see 'mailbox-assign --help')" "$err"
run 2 mailbox-report -C mb list --format xml
same "a value not among the choices" "mailbox-report: --format: 'xml' is not one of table, json, csv, tsv, md, html, txt (see 'mailbox-report --help')" "$err"
run 2 mailbox-report -C mb list a b
same "stray arguments" "mailbox-report: unexpected arguments 'a' 'b' (see 'mailbox-report --help')" "$err"
run 2 mailbox-assign -C mb "$b" --to jtj --leader wnag --now "$T2"
contains "unknown leader suggests" "did you mean 'wang' (王副书记)?" "$err"
run 2 mailbox-assign -C mb "$a" --to jtj --now "$T2"
contains "re-assigning needs a reason" "say why it is re-assigned with --note" "$err"
run 0 mailbox-assign -C mb "$b" --route --now "$T2"
contains "--route takes the suggested unit" "jtj" "$out"

# Files older than the cache's racy window, so that it trusts their rows.
find mb/cases -name '*.toml' -exec touch -d '2026-01-01 00:00' {} +
before=$(tree_hash mb)
run 0 mailbox-report -C mb list --format tsv --now "$T2"
listed=$out
run 0 mailbox-assign -C mb "$c" --to sthjj --now "$T2" --dry-run
contains "dry run names the file" "dry run: would write cases/2026/$c.toml" "$err"
same "dry run writes nothing" "$before" "$(tree_hash mb)"
run 0 mailbox-report -C mb list --format tsv --now "$T2"
same "the cache still lists the case as its file is" "$listed" "$out"

# Linked by hand, then assigned as one.
run 0 mailbox-assign -C mb link "$b" "$c" --now "$T2"
run 0 mailbox-assign -C mb "$c" --to jtj --note "与 $b 同一封信" --now "$T2"
contains "the group is assigned together" "$b" "$out"
contains "both members" "$c" "$out"
run 0 mailbox-assign -C mb unlink "$c" --now "$T2"
run 0 mailbox-report -C mb show "$b" --format json --now "$T2"
contains "unlinked" '"group": []' "$out"
# A link only one of its two cases names (a hand edit; check reports it)
# joins them, as list shows: unlink takes it off from either side.
sed -i -e '/^group = /d' -e "s/^id = \"$b\"\$/&\ngroup = [\"$c\"]/" mb/cases/*/"$b.toml"
run 0 mailbox-report -C mb show "$c" --format json --now "$T2"
contains "one-sided link: the group seen from the case not naming it" "\"$b\"" "$out"
run 0 mailbox-assign -C mb unlink "$c" --now "$T2"
run 0 mailbox-report -C mb show "$b" --format json --now "$T2"
contains "one-sided link unlinked" '"group": []' "$out"
run 0 mailbox-report -C mb check --now "$T2"

# A return goes to the top of the next chase list.
T3=2026-11-04T10:00:00+08:00
run 0 mailbox-assign -C mb return "$c" --reason "不属于交通部门职责" --now "$T3"
contains "back to received" "received" "$out"
run 0 mailbox-assign -C mb chase --now "$T3"
first=$(echo "$out" | sed -n 2p)
contains "returned first" "$c" "$first"
contains "says so" "returned, to re-assign" "$first"

# An extension, explained in show.
run 2 mailbox-assign -C mb extend "$a" --days 5 --reason "需协调" --approved-by wag --now "$T3"
contains "unknown approver" "unknown leader 'wag'" "$err"
run 0 mailbox-assign -C mb extend "$a" --days 5 --reason "需协调施工单位" --approved-by wang --now "$T3"
contains "new due date" "2026-11-17" "$out"
run 0 mailbox-report -C mb show "$a" --now "$T3"
contains "show explains the extension" "extended by 5 natural days (approved by wang on 2026-11-04: 需协调施工单位) → 2026-11-17 (Tue)" "$out"

# The due date of an open case follows a corrected holiday list.
sed -i 's/^holidays = \[/holidays = [2026-11-17, /' mb/mailbox.toml
run 0 mailbox-report -C mb show "$a" --format json --now "$T3"
contains "moved past the new holiday" '"due": "2026-11-18"' "$out"
contains "and says why" "falls on a rest day (2026-11-17): moved to the next workday 2026-11-18 (Wed)" "$out"
git -C mb checkout -q mailbox.toml

# A visit, solved on site.
run 0 mailbox-assign -C mb visit "$a" --note "现场查看，已更换灯泡" --solved-on-site --now "$T3"
run 0 mailbox-report -C mb show "$a" --format json --now "$T3"
contains "visit in the history" '"action": "visit"' "$out"
flat=$(printf '%s' "$out" | tr -d '\n' | tr -s ' ')
contains "show's JSON lists the visits" '"visits": [ { "at": "2026-11-04T10:00:00+08:00", "by": "李明", "note": "现场查看，已更换灯泡 (solved on site)" } ]' "$flat"
contains "and the extensions" '"extensions": [ { "days": 5, "approved_by": "wang", "at": "2026-11-04T10:00:00+08:00", "reason": "需协调施工单位" } ]' "$flat"
contains "and whether solved on site" '"solved_on_site": true' "$out"
run 0 mailbox-report -C mb show "$c" --format json --now "$T3"
contains "and the units that returned it" '"returned_by": [ "jtj" ]' "$(printf '%s' "$out" | tr -d '\n' | tr -s ' ')"

# A closed case cannot be assigned, extended or visited.
sed -i 's/^status = "received"/status = "closed"/' "mb/cases/2026/$c.toml"
run 1 mailbox-assign -C mb "$c" --to jtj --now "$T3"
contains "closed is refused" "case $c is closed" "$err"
run 1 mailbox-assign -C mb visit "$c" --note "x" --now "$T3"
done_testing
