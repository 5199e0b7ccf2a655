# mailbox-reply: draft, the review gate, one reply per sender through a
# sendmail that fails for one of them, feedback, tracking, reopening.
. "$(dirname "$0")/lib.sh"
new_mailbox AB
git -C mb init -q && git -C mb add -A && git -C mb commit -qm start

# A fake sendmail and SMS gateway: they keep their arguments and input, and
# refuse the recipient named in $TEST_DIR/refuse.
cat >fake-send <<'EOF'
#!/bin/sh
dir=$(dirname "$0")/sent
mkdir -p "$dir"
for last; do :; done
printf '%s\n' "$*" >>"$dir/args"
cat >"$dir/$last"
if [ -f "$(dirname "$0")/refuse" ] && [ "$last" = "$(cat "$(dirname "$0")/refuse")" ]; then
    echo "5.1.1 mailbox unavailable: $last" >&2
    exit 75
fi
EOF
chmod +x fake-send

T0=2026-11-02T09:00:00+08:00
body='建设路北段路面坑洼严重，雨天积水，多次发生电动车摔倒，请尽快修复。'
a=$(echo "$body" | mailbox-intake -C mb new --subject '建设路北段坑洼' --from 张三 --email zhangsan@example.com --now "$T0")
b=$(echo "$body" | mailbox-intake -C mb new --subject '建设路坑洼' --from 李四 --email lisi@example.com --now 2026-11-02T10:00:00+08:00 2>/dev/null)
c=$(echo "$body" | mailbox-intake -C mb new --subject '建设路路面坑洼' --from 王五 --phone 13800000000 --now 2026-11-02T11:00:00+08:00 2>/dev/null)
d=$(echo '幸福小区西门外路灯不亮已有一个月，夜间出行不便。' | mailbox-intake -C mb new --subject '幸福小区路灯不亮' --from 赵六 --email zhaoliu@example.com --now 2026-11-02T12:00:00+08:00)
run 0 mailbox-report -C mb show "$a" --format json --now "$T0"
contains "the three letters are one group" "\"$c\"" "$out"

# What a clerk tried first: a reply typed into the case file by hand. check
# now says what is missing instead of letting it pass.
cp "mb/cases/2026/$d.toml" saved.toml
sed -i 's/^status = "received"/status = "replied"/' "mb/cases/2026/$d.toml"
run 3 mailbox-report -C mb check --now "$T0"
contains "a hand-typed reply is reported" "cases/2026/$d.toml:5:10: case is 'replied' but has no 'replied' time; record a reply with 'mailbox-reply send'" "$err$out"
cp saved.toml "mb/cases/2026/$d.toml"

# Drafting needs an assigned case.
T1=2026-11-03T09:00:00+08:00
run 1 mailbox-reply -C mb draft "$a" --outcome resolved --now "$T1" <<<'答复'
contains "not assigned yet" "case $a is not assigned yet" "$err"
mailbox-assign -C mb "$a" --to cgj --now "$T1" >/dev/null
mailbox-assign -C mb "$d" --to cgj --now "$T1" >/dev/null

T2=2026-11-06T09:00:00+08:00
run 2 mailbox-reply -C mb draft "$a" --outcome explained --file /dev/null --now "$T2"
same "explained needs its basis" "mailbox-reply: --outcome explained needs --basis: the policy the answer rests on" "$err"
printf '\xb9\xfe\xb9\xfe\n' >gbk.txt
run 2 mailbox-reply -C mb draft "$a" --outcome resolved --file gbk.txt --now "$T2"
contains "GBK text is refused" "not UTF-8 (byte 1)" "$err"

# A draft with a placeholder left in it.
echo '经我局现场核查，建设路北段路面坑洼系排水管道施工后回填不实所致，已于XX日修复。' >draft1.txt
echo '市城管局现场核查报告' >report.PDF
run 0 mailbox-reply -C mb draft "$a" --outcome resolved --file draft1.txt --report report.PDF --by 城管局张华 --now "$T2" --commit
contains "the whole group is drafted" "$c" "$out"
check "the report is kept beside the case" test -f "mb/cases/2026/$a.report.pdf"
same "committed with the cases" "Draft the answer to case $a." "$(git -C mb log -1 --format=%s)"
same "the report is in the commit" "1" "$(git -C mb show --stat HEAD | grep -c "$a.report.pdf")"

run 1 mailbox-reply -C mb review "$a" --approve --by 城管局张华 --now "$T2"
same "the drafter may not approve" "mailbox-reply: case $a: 城管局张华 drafted this answer and may not review it (review.allow_self = false)" "$err"
run 1 mailbox-reply -C mb review "$a" --approve --by 李明 --now "$T2"
contains "the checks block approval" "mailbox-reply: case $a: the answer still holds placeholder text 'XX' (line 1)" "$err"
contains "and say how many" "mailbox-reply: case $a: approval refused: 1 check failed" "$err"
run 2 mailbox-reply -C mb review "$a" --reject --by 李明 --now "$T2"
contains "a rejection needs a note" "needs a note" "$err"
run 0 mailbox-reply -C mb review "$a" --reject --note '请写明具体修复日期' --by 李明 --now "$T2"
run 0 mailbox-report -C mb show "$b" --format json --now "$T2"
contains "rejected for the group" '"state": "rejected"' "$out"
contains "the member's history names the case drafted on" "(the group's answer, with $a)" "$out"
contains "a group's rejection is counted once, not on each member" '"rejections": []' "$out"
run 0 mailbox-report -C mb show "$a" --format json --now "$T2"
contains "the unit's rejection is counted" '"rejections": [
    "cgj"
  ]' "$out"
run 1 mailbox-reply -C mb review "$a" --reject --note '再改' --by 李明 --now "$T2"
contains "and only once" "the draft is already rejected" "$err"

# Redrafted from the editor: comment lines quote the letter and are dropped;
# an unchanged draft writes nothing.
cat >editor <<'EOF'
#!/bin/sh
grep -q '^# 建设路北段路面坑洼严重' "$1" || exit 9
printf '%s\n' '经我局现场核查，建设路北段路面坑洼系排水管道施工后回填不实所致。' '我局已责成施工单位于11月5日完成修复，并对周边排水设施进行了疏通。' >"$1.new"
grep '^#' "$1" >>"$1.new"
mv "$1.new" "$1"
EOF
chmod +x editor
before=$(tree_hash mb)
script -qec "EDITOR=true mailbox-reply -C mb draft $a --outcome resolved --by 城管局张华 --now $T2" /dev/null >editor.out
same "an unchanged draft writes nothing" "$before" "$(tree_hash mb)"
contains "and says so" "unchanged; nothing written" "$(cat editor.out)"
script -qec "EDITOR=$TEST_DIR/editor mailbox-reply -C mb draft $a --outcome resolved --by 城管局张华 --now $T2" /dev/null >editor.out
run 0 mailbox-report -C mb show "$a" --format json --now "$T2"
contains "the edited answer is kept" '"text": "经我局现场核查，建设路北段路面坑洼系排水管道施工后回填不实所致。\n我局已责成施工单位于11月5日完成修复，并对周边排水设施进行了疏通。"' "$out"
contains "without the comment lines" '"state": "drafted"' "$out"

run 0 mailbox-reply -C mb review "$a" --by 李明 --now "$T2"
same "review alone runs the checks" "case $a: the draft passes every check" "$out"
run 1 mailbox-reply -C mb send "$a" --now "$T2"
contains "only an approved answer is sent" "the answer is drafted; only an approved answer is sent" "$err"
run 0 mailbox-reply -C mb review "$a" --approve --exemplary --note '处置迅速，群众满意' --by 李明 --now "$T2"

# Send: one reply per sender; the sendmail refuses lisi, so that sender stays.
T3=2026-11-06T15:00:00+08:00
git -C mb add -A && git -C mb commit -qm reviewed
echo lisi@example.com >refuse
run 1 mailbox-reply -C mb send "$a" --sendmail "$TEST_DIR/fake-send -i" --sms "$TEST_DIR/fake-send" --out "$TEST_DIR/letters" --now "$T3" --commit
contains "the refusal is shown" "mailbox-reply: warning: case $b: not sent to lisi@example.com: 'fake-send' exited with 75: 5.1.1 mailbox unavailable: lisi@example.com" "$(echo "$err" | sed "s|$TEST_DIR/||")"
contains "the others went" "$a  email   zhangsan@example.com  sent" "$out"
same "the recipient is the last argument" "-i zhangsan@example.com" "$(sed -n 1p sent/args)"
check "a letter for the sender without e-mail" test -f "letters/$c.letter.txt"
contains "and an SMS with its segments" "$c  sms     13800000000" "$out"
same "the SMS went to the gateway" "13800000000" "$(grep 13800000000 sent/args)"
same "committed: the two senders answered" "Reply to case $a (2 senders)." "$(git -C mb log -1 --format=%s)"
same "git is consistent" "" "$(git -C mb status --porcelain)"

out=$(cat sent/zhangsan@example.com)
golden reply-email
out=$(sed '1,/^$/d' sent/zhangsan@example.com | base64 -d)
golden reply-email-body
out=$(cat "letters/$c.letter.txt")
golden reply-letter
out=$(cat sent/13800000000)
golden reply-sms
run 0 mailbox-report -C mb show "$a" --format json --now "$T3"
contains "replied on time" '"on_time": true' "$out"
contains "the message id is kept" "\"message_id\": \"reply.$a.20261106T150000@example.gov.cn\"" "$out"
contains "exemplary" '"exemplary": true' "$out"
run 0 mailbox-report -C mb show "$b" --format json --now "$T3"
contains "the refused sender is still waiting" '"status": "assigned"' "$out"

rm refuse
: >sent/args
run 0 mailbox-reply -C mb send "$a" --sendmail "$TEST_DIR/fake-send -i" --now 2026-11-06T16:00:00+08:00
same "a second send sends only what is left" "-i lisi@example.com" "$(cat sent/args)"
run 0 mailbox-reply -C mb send "$a" --now 2026-11-06T16:30:00+08:00
contains "then nothing is left" "every sender has been answered; nothing to send" "$err"

# Feedback: satisfied closes; unsatisfied with --reopen hands it back with
# its own clock.
T4=2026-11-09T10:00:00+08:00
run 0 mailbox-reply -C mb feedback "$a" --satisfied --note '电话回访，表示满意' --now "$T4"
contains "satisfied closes" "$a  closed" "$out"
run 2 mailbox-reply -C mb feedback "$b" --satisfied --reopen --now "$T4"
run 0 mailbox-reply -C mb feedback "$b" --unsatisfied --reopen --note '路面仍有积水' --now "$T4"
contains "reopened for a second handling" "$b  assigned  2026-11-02  2026-11-19" "$out"
run 0 mailbox-report -C mb show "$b" --format json --now "$T4"
contains "with its own clock" "reopened on 2026-11-09 (Mon) for a second handling: counting starts the next day" "$out"
contains "the feedback was on the first answer: in the history" '"note": "unsatisfied: 路面仍有积水"' "$out"
contains "the second answer awaits its own" '"feedback": null' "$out"
contains "not answered any more" '"replied": null' "$out"
run 1 mailbox-reply -C mb review "$b" --approve --by 李明 --now "$T4"
contains "the old answer no longer stands" "the draft was rejected; it needs a new draft first" "$err"

# A planned answer goes under tracking, replied late.
T5=2026-11-25T10:00:00+08:00
run 0 mailbox-reply -C mb draft "$d" --outcome planned --steps '一、临时照明；二、更换线路' --target-date 2027-03-31 --by 城管局张华 --now "$T5" \
    <<<'幸福小区西门外路灯线路老化，需整体更换。我局已将幸福小区路灯改造列入年度计划，先行安装临时照明。'
run 0 mailbox-reply -C mb review "$d" --approve --by 李明 --now "$T5"
run 0 mailbox-reply -C mb send "$d" --out "$TEST_DIR/letters" --now "$T5"
check "without --sendmail the message is a file" test -f "letters/$d.eml"
out=$(sed '1,/^$/d' "letters/$d.eml" | base64 -d)
golden reply-planned-body
run 0 mailbox-report -C mb show "$d" --format json --now "$T5"
contains "under tracking" '"status": "tracking"' "$out"
contains "late" '"on_time": false' "$out"
contains "very overdue" '"late": "very-overdue"' "$out"
run 0 mailbox-reply -C mb tracking --format tsv --now 2027-01-05T09:00:00+08:00
contains "tracked for 41 days, stale" "$d	cgj	planned	2026-11-25	2026-11-25	41	true	2027-03-31	false	幸福小区路灯不亮" "$out"
# A listing writes nothing: the flags about writing would promise what it
# does not do.
run 2 mailbox-reply -C mb tracking --commit
same "tracking --commit refused" "mailbox-reply: --commit: 'tracking' writes nothing" "$err"
run 2 mailbox-reply -C mb --dry-run tracking
same "tracking --dry-run refused" "mailbox-reply: --dry-run: 'tracking' writes nothing" "$err"
run 0 mailbox-reply -C mb track "$d" --note '临时照明已安装' --now 2026-12-10T09:00:00+08:00
run 0 mailbox-reply -C mb tracking --format tsv --now 2027-01-05T09:00:00+08:00
contains "the last note counts" "$d	cgj	planned	2026-11-25	2026-12-10	26	false" "$out"
run 1 mailbox-reply -C mb reopen "$d" --review --note '要求复查' --now 2027-01-05T09:00:00+08:00
contains "a review is asked for within 30 days" "a review is asked for within 30 days" "$err"
run 0 mailbox-reply -C mb close "$d" --note '线路更换完成' --now 2027-03-20T09:00:00+08:00
run 1 mailbox-reply -C mb close "$d" --now 2027-03-20T09:00:00+08:00
contains "closing twice is refused" "already closed" "$err"
run 0 mailbox-reply -C mb reopen "$d" --note '群众反映再次不亮' --now 2027-04-01T09:00:00+08:00
contains "reopened under tracking" "$d  tracking" "$out"
run 0 mailbox-report -C mb check --now 2027-04-01T09:00:00+08:00

# What a review of the tool found. An address a web form filled with "无"
# gets a letter instead, and does not stop the send.
T6=2026-12-01T09:00:00+08:00
e=$(mailbox-intake -C mb new --subject '青山镇自来水水压低' --from 钱七 --email 无 --now "$T6" <<<'青山镇上街村自来水水压太低，二楼以上没有水。')
mailbox-assign -C mb "$e" --to zjj --now "$T6" >/dev/null
answer='经我局会同供水公司现场核查，青山镇上街村自来水水压低系加压泵站故障所致，已于12月3日修复。'
run 0 mailbox-reply -C mb draft "$e" --outcome resolved --by 住建局王强 --now 2026-12-04T09:00:00+08:00 <<<"$answer"
run 0 mailbox-reply -C mb review "$e" --approve --by 李明 --now 2026-12-04T10:00:00+08:00
run 0 mailbox-reply -C mb send "$e" --out "$TEST_DIR/letters" --now 2026-12-04T11:00:00+08:00
contains "a bad address gets a letter" "case $e: the e-mail address '无' is not one mail can go to: a letter instead" "$err"
check "the letter is written" test -f "letters/$e.letter.txt"

# An answer approved for a unit that then returns the case never goes out.
f=$(mailbox-intake -C mb new --subject '青山镇敬老院伙食差' --from 孙八 --email sunba@example.com --now "$T6" <<<'青山镇敬老院伙食差，老人吃不饱。')
mailbox-assign -C mb "$f" --to mzj --now "$T6" >/dev/null
answer='经我局核查，青山镇敬老院伙食标准偏低，已责成调整食谱并增加伙食补助。'
run 0 mailbox-reply -C mb draft "$f" --outcome resolved --by 民政局刘 --now 2026-12-04T09:00:00+08:00 <<<"$answer"
run 0 mailbox-reply -C mb review "$f" --approve --by 李明 --now 2026-12-04T10:00:00+08:00
run 0 mailbox-assign -C mb return "$f" --reason '应由青山镇办理' --now 2026-12-04T11:00:00+08:00
run 1 mailbox-reply -C mb send "$f" --now 2026-12-04T12:00:00+08:00
contains "a returned case is not sent" "case $f is not assigned" "$err"
run 0 mailbox-assign -C mb "$f" --to qsz --now 2026-12-04T12:00:00+08:00
run 1 mailbox-reply -C mb review "$f" --approve --by 李明 --now 2026-12-04T13:00:00+08:00
contains "the old unit's answer was withdrawn" "the draft was rejected; it needs a new draft first" "$err"

# Two answers drafted apart and linked later: approving one is not
# approving the other unread.
g=$(mailbox-intake -C mb new --subject '东湖镇路灯' --from 周九 --email zhoujiu@example.com --now "$T6" <<<'东湖镇中心街路灯不亮。')
h=$(mailbox-intake -C mb new --subject '东湖镇垃圾' --from 吴十 --email wushi@example.com --now "$T6" <<<'东湖镇菜市场垃圾堆放。')
mailbox-assign -C mb "$g" --to dhz --now "$T6" >/dev/null
mailbox-assign -C mb "$h" --to dhz --now "$T6" >/dev/null
run 0 mailbox-reply -C mb draft "$g" --outcome resolved --by 东湖镇 --now 2026-12-04T09:00:00+08:00 <<<'经核查，东湖镇中心街路灯线路已修复，恢复照明，感谢您对东湖镇工作的监督。'
run 0 mailbox-reply -C mb draft "$h" --outcome resolved --by 东湖镇 --now 2026-12-04T09:00:00+08:00 <<<'XX'
run 0 mailbox-assign -C mb link "$g" "$h" --now 2026-12-04T09:30:00+08:00
run 1 mailbox-reply -C mb review "$g" --approve --by 李明 --now 2026-12-04T10:00:00+08:00
contains "another answer in the group" "case $h holds another answer than case $g" "$err"

# Text that is not UTF-8 never reaches a case file.
run 2 mailbox-reply -C mb track "$d" --note "$(printf '\xb9\xfe')" --now 2027-04-02T09:00:00+08:00
same "named by its flag" "mailbox-reply: --note: not valid UTF-8 (byte 1); set the terminal to UTF-8 (see 'mailbox-reply --help')" "$err"
run 0 mailbox-report -C mb check --now 2027-04-02T09:00:00+08:00
done_testing
