# mailbox-intake new: one letter from flags and stdin.
. "$(dirname "$0")/lib.sh"
new_mailbox AB

run 0 register "建设路坑洼" 张三 "$NOW" --email zs@example.com --phone 13800000000 --channel email
same "prints the new id" "261125-ADZGAB" "$out"
check "the case file exists" test -f mb/cases/2026/261125-ADZGAB.toml
out=$(cat mb/cases/2026/261125-ADZGAB.toml)
golden case-file

run 0 register "第二封" 李四 "$NOW" --format json
golden new-json
run 0 register "第二封" 李四 "$NOW" --format json
contains "an already registered letter is an object too" '"already": true' "$out"
contains "with the id it has" '"id": "261125-ADZHAB"' "$out"
contains "and says so" "new: already registered as 261125-ADZHAB" "$err"

printf '来信正文\r\n第二行\r\n' >body.txt
run 0 mailbox-intake -C mb new --subject 正文来自文件 --from 王五 --body-file body.txt --now "$NOW" --received "2026-11-24 08:15"
id=$out
run 0 mailbox-report -C mb show "$id" --format json --now "$NOW"
contains "received read in the office's zone" '"received": "2026-11-24T08:15:00+08:00"' "$out"
contains "CRLF became LF" '"body": "来信正文\n第二行\n"' "$out"

before=$(tree_hash mb)
run 0 register "试运行" 赵六 "$NOW" --dry-run
contains "dry run says what it would write" "dry run: would write cases/2026/" "$err"
same "dry run writes nothing" "$before" "$(tree_hash mb)"

run 2 register "坏渠道" 赵六 "$NOW" --channel fax
same "bad channel" "mailbox-intake: --channel 'fax': expected web, email, letter, visit, phone, wechat or hotline" "$err"
run 2 register "坏时间" 赵六 "$NOW" --received yesterday
contains "bad --received" "--received 'yesterday': expected a date such as 2026-12-01" "$err"
run 2 register "二月" 赵六 "$NOW" --received 2026-02-30
same "a day that does not exist" "mailbox-intake: --received '2026-02-30': no such day: 2026-02 has 28 days" "$err"
run 2 register "将来" 赵六 "$NOW" --received "2026/11/26 9:00"
contains "received after registration is refused" "received 2026-11-26T09:00:00+08:00: after it was registered (2026-11-25T09:30:00+08:00)" "$err"
run 0 register "时钟" 赵六 "$NOW" --received "2026-11-25 09:35" --dry-run
run 2 mailbox-report -C mb list --since 2026-11-25 --until 2026/11/1
same "--since after --until" "mailbox-report: --until 2026/11/1 is before --since 2026-11-25" "$err"
run 0 mailbox-report -C mb list --since 2026/11/1 --date 2026/11/25
run 2 mailbox-intake -C mb new --from 赵六 --now "$NOW"
contains "missing --subject" "--subject is required" "$err"
run 2 sh -c 'printf "bad \377 body" | mailbox-intake -C mb new --subject x --from y --now 2026-11-25T09:30:00+08:00'
same "invalid UTF-8 body" "mailbox-intake: the body is not valid UTF-8 (at byte 4)" "$err"
same "refused letters write nothing" "$before" "$(tree_hash mb)"

run 2 mailbox-intake -C mb new --subject x --from y --body-file missing.txt
contains "missing body file is a usage error" "--body-file: can't read 'missing.txt'" "$err"

# --now in another zone is the same moment on the office's clock.
run 0 register "时区" 赵六 2026-11-24T20:00:00Z --dry-run
same "id dated by the office's day" "261125-" "${out:0:7}"

run 0 mailbox-intake --help
contains "--help lists the subcommands" "new" "$out"
run 0 mailbox-intake --version
run 2 mailbox-intake nwe
same "unknown command suggests" "mailbox-intake: unknown command 'nwe'; did you mean 'new'? (see 'mailbox-intake --help')" "$err"
run 2 mailbox-intake frobnicate
run 2 mailbox-intake

done_testing
