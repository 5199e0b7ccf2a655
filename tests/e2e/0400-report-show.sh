# mailbox-report show: one case by id or prefix, with the sender's other letters.
. "$(dirname "$0")/lib.sh"
new_mailbox AB

a=$(register "建设路坑洼" 张三 2026-11-02T09:00:00+08:00 --email zs@example.com --phone "+86 138 0000 0000")
b=$(register "路灯不亮" 张三 2026-11-20T10:00:00+08:00 --phone 13800000000)
c=$(register "养老金" 李四 2026-11-24T11:00:00+08:00)

run 0 mailbox-report -C mb show "$a" --now "$NOW"
golden text
run 0 mailbox-report -C mb show "$a" --now "$NOW" --format json
golden json
run 0 mailbox-report -C mb show 261120 --now "$NOW" --format json
contains "prefix" "\"id\": \"$b\"" "$out"
contains "other letters by phone, with or without +86" '"sender_case_count": 1' "$out"
run 0 mailbox-report -C mb show "$(echo "$c" | tr 'A-Z' 'a-z')" --now "$NOW"
contains "lower case id" "Case:        $c" "$out"

# A link only one of its two cases names (a hand edit; check reports it):
# show gives both cases the group that list gives them.
sed -i "s/^id = \"$a\"\$/&\ngroup = [\"$c\"]/" mb/cases/*/"$a.toml"
for id in "$a" "$c"; do
    run 0 mailbox-report -C mb list --format json
    listed=$(printf '%s\n' "$out" | grep -A30 "\"id\": \"$id\"" | grep -m1 -A3 '"group"' | tr -d ' \n')
    run 0 mailbox-report -C mb show "$id" --format json
    shown=$(printf '%s\n' "$out" | grep -m1 -A3 '"group"' | tr -d ' \n')
    contains "one-sided link: list puts $id in a group" '"group":["' "$listed"
    same "one-sided link: show gives $id the group list gives it" "$listed" "$shown"
done
run 0 mailbox-report -C mb search 养老金 --format json
found=$(printf '%s\n' "$out" | grep -m1 -A3 '"group"' | tr -d ' \n')
same "one-sided link: search gives $c the group list gives it" "$listed" "$found"
run 3 mailbox-report -C mb check
contains "one-sided link reported" "one-sided link" "$err"
sed -i "/^group = /d" mb/cases/*/"$a.toml"

run 2 mailbox-report -C mb show 2611
contains "ambiguous prefix" "'2611' is ambiguous: 3 cases match" "$err"
run 2 mailbox-report -C mb show 2612
same "no match" "mailbox-report: no case matches '2612'" "$err"
run 2 mailbox-report -C mb show ../../etc/passwd
contains "path tricks are not ids" "no case matches" "$err"

# A suggestion says why: the keyword rule, found again on the letter; none
# when the category was given at registration against the rules.
run 0 register "建设路路灯不亮" 张三 "$NOW"
lamp=$out
run 0 mailbox-report -C mb show "$lamp" --now "$NOW"
contains "the suggestion" "Suggested:   city → cgj" "$out"
same "and the rule behind it" "Why:         category city's keyword 路灯" "$(printf '%s\n' "$out" | grep '^Why:')"
run 0 register "幸福小区路灯坏了" 李四 "$NOW" --category housing
run 0 mailbox-report -C mb show "$out" --now "$NOW"
same "no rule behind a category given by hand" "" "$(printf '%s\n' "$out" | grep '^Why:')"

done_testing
