# The README's five-minute tour, command by command, on a new mailbox and
# the demo files in sample-data/import/: what a newcomer types must work.
# The tour's ids (261125-ADZ…) are the ones a run gets, so they are taken
# from the output here.
. "$(dirname "$0")/lib.sh"
run 0 mailbox-intake init --git tour
cd tour || exit 1
git config user.name test && git config user.email test@example.com
run 0 mailbox-report check
contains "check on a new mailbox" "0 cases" "$out$err"

T=2026-11-25T09:00:00+08:00
run 0 sh -c "echo '建设路北段路面坑洼严重，雨天积水，请尽快修复。' |
  mailbox-intake new --subject '建设路坑洼' --from 张三 --phone 13800000000 --channel web --now $T"
adz=$out
contains "new prints the id" "261125-" "$adz"
imp="$MAILBOX_SOURCE/sample-data/import"
run 0 mailbox-intake import "$imp"/01-gbk-stone-bridge.eml "$imp"/02-multipart-attachment.eml "$imp"/03-week.mbox "$imp"/04-webform.csv --now 2026-11-25T09:10:00+08:00
run 0 mailbox-intake import "$imp"/04-webform.csv --now 2026-11-25T09:11:00+08:00
contains "a CSV imported twice is registered once" "already registered" "$out$err"

run 0 mailbox-report list --now 2026-11-25T09:20:00+08:00
contains "list shows the letter" "建设路坑洼" "$out"
# A new mailbox has no decided cases to learn from: the template's keywords
# route every letter of the tour.
run 0 mailbox-report list --format json --now 2026-11-25T09:20:00+08:00
same "every letter of the tour gets a suggestion" 0 \
    "$(printf '%s\n' "$out" | grep -c '"suggested_category": null')"
run 0 mailbox-report list --overdue --format json --now 2026-11-25T09:20:00+08:00
run 0 mailbox-report list --unit zjj --since 2026-11-01 --format csv --now 2026-11-25T09:20:00+08:00
run 0 mailbox-report show "${adz:0:10}" --now 2026-11-25T09:20:00+08:00
contains "show by a prefix" "建设路坑洼" "$out"
run 0 mailbox-report show "$adz" --format json --now 2026-11-25T09:20:00+08:00
contains "due_reason" '"due_reason"' "$out"
run 0 mailbox-report search 坑洼 --now 2026-11-25T09:20:00+08:00
contains "search marks the match" "【坑洼】" "$out"

run 0 mailbox-assign digest --notices --now 2026-11-25T09:30:00+08:00
check "the digest page" test -f out/notices/2026-11-25/digest.html

# A second letter with a suggestion, to route and return.
run 0 sh -c "echo '人民路路灯不亮已经一周，晚上出行很不安全。' |
  mailbox-intake new --subject '人民路路灯不亮' --from 李四 --now 2026-11-25T09:40:00+08:00"
ae0=$out
T2=2026-11-25T10:00:00+08:00
run 0 mailbox-assign "$adz" --to cgj --with zjj --leader wang --instruction '请尽快修复' --notices --now "$T2"
check "the 交办单" test -f "out/notices/2026-11-25/assign-$adz-cgj.txt"
run 0 mailbox-assign "$ae0" --route --now "$T2"
run 0 mailbox-report show "$ae0" --format json --now "$T2"
unit=$(printf '%s\n' "$out" | sed -n 's/^  "handler": "\(.*\)",$/\1/p')
run 0 mailbox-assign return "$ae0" --reason '不属于我局职责' --unit "$unit" --now 2026-11-25T10:10:00+08:00
run 0 mailbox-assign extend "$adz" --days 5 --reason '需协调施工单位' --approved-by wang --now 2026-11-25T10:20:00+08:00
run 0 mailbox-assign visit "$adz" --note '现场查看，已修复' --solved-on-site --now 2026-11-25T10:30:00+08:00
run 0 mailbox-assign restrict "$ae0" --accused jtj --reason '举报执法人员' --now 2026-11-25T10:40:00+08:00
run 0 mailbox-assign chase --notices --now 2026-11-26T08:00:00+08:00
check "the chase notice" test -f out/notices/2026-11-26/chase-cgj.txt
run 0 mailbox-assign supervise -q --notices --now 2026-11-26T08:05:00+08:00

printf '张三您好：您反映的建设路北段路面坑洼问题，我局已于11月25日组织人员现场修复，并清理了积水。感谢您的监督。\n' >answer.txt
run 0 mailbox-reply draft "$adz" --outcome resolved --file answer.txt --by 城管局张华 --now 2026-11-26T09:00:00+08:00
run 0 mailbox-reply review "$adz" --now 2026-11-26T09:10:00+08:00
run 0 mailbox-reply review "$adz" --approve --exemplary --note '处置迅速' --now 2026-11-26T09:20:00+08:00
run 0 mailbox-reply send "$adz" --now 2026-11-26T09:30:00+08:00
run 0 mailbox-reply feedback "$adz" --satisfied --note '电话回访' --now 2026-11-27T09:00:00+08:00
run 0 mailbox-reply tracking --now 2026-11-27T09:00:00+08:00
run 0 mailbox-report check
case $err in *"out of step"*|*"problem"*) fail "check after the tour: $err" ;; esac
done_testing
