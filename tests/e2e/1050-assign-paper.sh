# The paper the office moves: the day's 呈批单 (digest), the 交办单 an
# assignment sends to its units, restricted letters (举报), a letter joining
# an assigned group, and what a round does with a case naming an unknown unit.
. "$(dirname "$0")/lib.sh"
new_mailbox AB

T1=2026-11-02T09:00:00+08:00
three_letters "$T1"
register "举报某局执法人员吃拿卡要" 赵六 "$T1" --phone 13812345678 --accused 市交通运输局 >/dev/null
d=$(mailbox-report -C mb list --format tsv --now "$T1" | cut -f1 | tail -n +2 | sed -n 4p)

# 呈批单: every letter not yet assigned, once; the page for the secretary.
run 0 mailbox-assign -C mb digest --notices --now 2026-11-02T10:00:00+08:00
contains "the digest lists the day's letters" "$a" "$out"
contains "and the restricted one" "$d" "$out"
contains "the page's path follows" "out/notices/2026-11-02/digest.html" "$out"
page=$(cat mb/out/notices/2026-11-02/digest.html)
contains "a page per day" "群众来信呈批单" "$page"
contains "with the subject" "建设路路灯不亮" "$page"
contains "the sender masked" "张某" "$page"
contains "room for the instruction" "领导批示" "$page"
case $page in *吃拿卡要*) fail "a restricted letter's text is kept off the digest" ;; esac
case $page in *13812345678*) fail "a phone number is masked on the digest" ;; esac
run 0 mailbox-report -C mb show "$a" --format json --now 2026-11-02T10:00:00+08:00
contains "the digest is recorded" '"action": "digest"' "$out"
run 0 mailbox-assign -C mb digest --now 2026-11-02T15:00:00+08:00 --format tsv
same "a second run the same day lists the same" "4" "$(printf '%s\n' "$out" | tail -n +2 | wc -l)"
register "菜市场占道经营" 钱七 2026-11-03T08:00:00+08:00 >/dev/null
run 0 mailbox-assign -C mb digest --now 2026-11-03T09:00:00+08:00 --format tsv
same "the next day, only what no digest showed" "1" "$(printf '%s\n' "$out" | tail -n +2 | wc -l)"
contains "the new letter" "菜市场占道经营" "$out"

# Restricted: never to the accused unit without --force; check flags it.
T2=2026-11-03T10:00:00+08:00
run 1 mailbox-assign -C mb "$d" --to jtj --now "$T2"
contains "refused to the accused unit" "case $d accuses jtj" "$err"
run 0 mailbox-assign -C mb "$d" --to jtj --force --now "$T2"
run 0 mailbox-report -C mb check
contains "check flags the accused unit handling it" "restricted case $d is handled by 'jtj'" "$err"
run 0 mailbox-assign -C mb "$d" --to gaj --with jtj --force --note "改由公安局办理" --now "$T2"

# 交办单: one per unit, the co-unit's marked 协办, the whole letter in it.
run 0 mailbox-assign -C mb "$a" --to cgj --with zjj --leader wang --instruction "请尽快修复" --notices --now "$T2"
contains "the lead unit's 交办单" "out/notices/2026-11-03/assign-$a-cgj.txt" "$out"
contains "the co-unit's" "out/notices/2026-11-03/assign-$a-zjj.txt" "$out"
lead=$(cat "mb/out/notices/2026-11-03/assign-$a-cgj.txt")
contains "交办单" "交 办 单" "$lead"
contains "the letter's text" "正文：建设路路灯不亮" "$lead"
contains "the instruction" "领导批示：请尽快修复" "$lead"
contains "the due date and how it was reached" "答复期限：2026年11月12日（自来信次日起10个自然日" "$lead"
contains "what the unit sends back, by when" "承办报告" "$lead"
co=$(cat "mb/out/notices/2026-11-03/assign-$a-zjj.txt")
contains "the co-unit's copy is marked" "交 办 单（协办）" "$co"
run 0 mailbox-assign -C mb "$d" --to gaj --with jtj --force --note "再次确认" --notices --now "$T2" --dry-run
contains "a dry run says what it would write" "would write out/notices/2026-11-03/assign-$d-jtj.txt" "$out"
check "and writes nothing" test ! -e "mb/out/notices/2026-11-03/assign-$d-jtj.txt"

# A letter joining an assigned group takes over its handling.
register "建设路路灯不亮，晚上很黑" 张三 2026-11-04T09:00:00+08:00 --no-link >/dev/null
e=$(mailbox-report -C mb list --status received --format tsv --now 2026-11-04T09:00:00+08:00 | cut -f1 | tail -n +2 | tail -1)
run 0 mailbox-assign -C mb link "$a" "$e" --now 2026-11-04T10:00:00+08:00
run 0 mailbox-report -C mb show "$e" --format json --now 2026-11-04T10:00:00+08:00
contains "the joining letter goes to the group's unit" '"handler": "cgj"' "$out"
contains "with its leader" '"leader": "wang"' "$out"
run 0 mailbox-report -C mb show "$a" --format json --now 2026-11-04T10:00:00+08:00
case $out in *'"action": "reassign"'*) fail "no re-assignment entry on the member already assigned" ;; esac

# Linked at intake to the same letter, then routed: the group's unit, and
# check sees the group in step.
register "建设路路灯不亮" 孙八 2026-11-04T11:00:00+08:00 >/dev/null
g=$(mailbox-report -C mb list --status received --format tsv --now 2026-11-04T11:00:00+08:00 | cut -f1 | tail -n +2 | tail -1)
run 0 mailbox-assign -C mb "$g" --route --now 2026-11-04T11:30:00+08:00 --format tsv
contains "routed to the group's unit, not a keyword's" "cgj" "$out"
run 0 mailbox-report -C mb check
case $err in *"out of step"*) fail "a letter joining its group is in step with it: $err" ;; esac

# History in time order.
run 2 mailbox-assign -C mb extend "$a" --days 3 --reason 需勘查 --approved-by wang --now 2026-11-04T08:00:00+08:00
contains "an action before the last entry is refused" "its last entry (" "$err"
contains "naming its time" "is at 2026-11-04T" "$err"

# A case naming a unit mailbox.toml lacks is left off a round, with its place.
run 0 mailbox-assign -C mb "$b" --to jtj --now "$T2"
file=$(find mb -name "$b.toml" | head -1)
sed -i 's/^handler = "jtj"/handler = "jtjj"/' "$file"
run 3 mailbox-assign -C mb chase --now 2026-11-05T09:00:00+08:00
contains "the case and its file:line" "${file#mb/}:" "$err"
contains "with a suggestion" "unknown unit 'jtjj'; did you mean 'jtj'" "$err"
contains "the other cases are chased" "$a" "$out"
run 0 mailbox-report -C mb show "$b" --format json --now 2026-11-05T09:00:00+08:00
case $out in *'"action": "chase"'*) fail "no chase recorded for the case with the unknown unit" ;; esac

done_testing
