# The bundled demo mailbox checks clean and lists.
. "$(dirname "$0")/lib.sh"
cp -r "$MAILBOX_SOURCE/sample-data" sample
rm -rf sample/.mailbox
run 0 mailbox-report -C sample check
contains "sample data checks clean" "no problems" "$out"
run 0 mailbox-report -C sample list --format json --now "$NOW"
count=$(printf '%s\n' "$out" | grep -c '"id":')
check "at least 40 letters" test "$count" -ge 40
run 0 mailbox-report -C sample units --format tsv
check "at least 12 units" test "$(printf '%s\n' "$out" | tail -n +2 | wc -l)" -ge 12

# The README's main job: the last whole quarter's bulletin of the demo.
run 0 mailbox-report -C sample bulletin --date 2026-11-25
contains "the last whole quarter" "关于2026年第三季度书记信箱来信办理情况的通报" "$out"
contains "against the same quarter a year before" "较去年同期" "$out"
contains "exemplary cases" "（一）" "$out"
contains "late units are named" "个单位逾期答复" "$out"
contains "a chronically late unit among them" "市住房和城乡建设局" "$(printf '%s\n' "$out" | grep '逾期答复：')"
run 0 mailbox-report -C sample stats --year 2026 --by unit --format json --now "$NOW"
count=$(printf '%s\n' "$out" | grep -o '"received": [0-9]*' | head -1 | grep -o '[0-9]*$')
check "a year's letters" test "$count" -ge 200
done_testing
