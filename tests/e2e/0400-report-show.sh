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

run 2 mailbox-report -C mb show 2611
contains "ambiguous prefix" "'2611' is ambiguous: 3 cases match" "$err"
run 2 mailbox-report -C mb show 2612
same "no match" "mailbox-report: no case matches '2612'" "$err"
run 2 mailbox-report -C mb show ../../etc/passwd
contains "path tricks are not ids" "no case matches" "$err"

done_testing
