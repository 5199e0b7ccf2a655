# mailbox-assign chase and supervise, as cron runs them: quiet when there is
# nothing to do, once a day, notices per unit and per leader.
. "$(dirname "$0")/lib.sh"
new_mailbox AB

run 0 mailbox-assign -C mb chase --now 2026-11-05T08:00:00+08:00
same "nothing to chase: nothing printed" "" "$out$err"
run 0 mailbox-assign -C mb supervise --notices --now 2026-11-05T08:00:00+08:00
same "nothing to supervise: nothing printed" "" "$out$err"

T1=2026-11-02T09:00:00+08:00
three_letters "$T1"
T2=2026-11-03T10:00:00+08:00
mailbox-assign -C mb "$a" --to cgj --leader wang --now "$T2" >/dev/null
mailbox-assign -C mb "$b" --to jtj --with cgj --now "$T2" >/dev/null

D=2026-11-10T08:30:00+08:00
run 0 mailbox-assign -C mb chase --notices --now "$D"
golden chase-list
check "a notice per lead unit" test -f mb/out/notices/2026-11-10/chase-cgj.txt
check "for each unit" test -f mb/out/notices/2026-11-10/chase-jtj.txt
out=$(cat mb/out/notices/2026-11-10/chase-cgj.txt)
golden chase-notice-cgj
run 0 mailbox-report -C mb show "$a" --format json --now "$D"
contains "the chase is in the history" '"action": "chase"' "$out"

before=$(tree_hash mb)
run 0 mailbox-assign -C mb chase --notices -q --now 2026-11-10T15:00:00+08:00
same "a second run the same day changes nothing" "$before" "$(tree_hash mb)"
same "-q prints only the notices" "out/notices/2026-11-10/chase-cgj.txt
out/notices/2026-11-10/chase-jtj.txt" "$out"
run 0 mailbox-assign -C mb chase --format json --now 2026-11-10T15:00:00+08:00
contains "json: not recorded again" '"recorded": false' "$out"
contains "json: days left" '"days_left": 2' "$out"

# Supervision: every three days since the assignment, every overdue case,
# and a list for the leader of each overdue case.
D2=2026-11-14T09:00:00+08:00
run 0 mailbox-assign -C mb supervise --notices --now "$D2"
golden supervise-list
check "a 督办单 per unit" test -f mb/out/notices/2026-11-14/supervise-cgj.txt
check "a list for the leader" test -f mb/out/notices/2026-11-14/supervise-leader-wang.txt
contains "the leader's list names the case" "$a" "$(cat mb/out/notices/2026-11-14/supervise-leader-wang.txt)"
contains "the notice says it is overdue" "已超期2天" "$(cat mb/out/notices/2026-11-14/supervise-cgj.txt)"

run 0 mailbox-assign -C mb supervise --notices --format json --now 2026-11-14T11:00:00+08:00
check "json stays json with --notices" test "$(printf '%s\n' "$out" | head -c1)$(printf '%s\n' "$out" | tail -n1)" = "[]"
contains "the paths go to stderr" "out/notices/2026-11-14/supervise-cgj.txt" "$err"
run 0 mailbox-assign -C mb chase --format csv --now 2026-11-02T08:00:00+08:00
same "an empty csv has the fields' header" "id,unit,unit_name,co_units,leader,subject,assigned,due,days_left,overdue,very_overdue,returned,urgency,recorded" "$(printf '%s' "$out" | tr -d '\r')"
run 2 mailbox-assign -C mb chsae
same "a mistyped command" "mailbox-assign: unknown command 'chsae'; did you mean 'chase'?" "$err"

# A case file that does not parse is left out, said, and exits 3; the
# others are chased.
mailbox-assign -C mb "$c" --to jtj --now "$T2" >/dev/null
echo 'garbage = ' >>"mb/cases/2026/$c.toml"
run 3 mailbox-assign -C mb chase --now 2026-11-15T08:30:00+08:00
contains "the broken file is named" "cases/2026/$c.toml" "$err"
contains "the others are chased" "$a" "$out"
git -C mb checkout -q . 2>/dev/null || sed -i '$ d' "mb/cases/2026/$c.toml"

# A mailbox's own template wins over the default.
mkdir -p mb/templates
printf '{{unit_name}} {{count}}\n' >mb/templates/chase-notice.mustache
run 0 mailbox-assign -C mb chase --notices -q --now 2026-11-16T08:30:00+08:00
same "own template: the lead unit's case and the one it helps with" "市城市管理综合执法局 2" "$(cat mb/out/notices/2026-11-16/chase-cgj.txt)"
printf '{{#cases}}\n' >mb/templates/chase-notice.mustache
before=$(tree_hash mb)
run 3 mailbox-assign -C mb chase --notices --now 2026-11-17T08:30:00+08:00
contains "a broken template is named, with the line" "mailbox-assign: templates/chase-notice.mustache:1:1: unclosed section 'cases'" "$err"
same "and nothing is recorded" "$before" "$(tree_hash mb)"
printf '{{unit_name}}\n\n{{#cases}}{{subjcet}}{{/cases}}\n' >mb/templates/chase-notice.mustache
before=$(tree_hash mb)
run 3 mailbox-assign -C mb chase --notices --now 2026-11-17T08:30:00+08:00
contains "a mistyped name: where, and what was meant" "mailbox-assign: templates/chase-notice.mustache:3:11: unknown variable 'subjcet'; did you mean 'subject'?" "$err"
same "nothing recorded for a mistyped name either" "$before" "$(tree_hash mb)"
done_testing
