# mailbox-intake import: .eml, mbox and CSV, the sample files and a hostile set.
. "$(dirname "$0")/lib.sh"
new_mailbox AB
IMPORT="$MAILBOX_SOURCE/sample-data/import"

# show_json ID: the case as JSON, in $out
show_json() { run 0 mailbox-report -C mb show "$1" --format json --now "$NOW"; }
# id_of SOURCE-PATTERN: the id import printed for a source
id_of() { printf '%s\n' "$imported" | awk -v p="$1" 'index($0, p) { print $1; exit }'; }

before=$(tree_hash mb)
run 0 mailbox-intake -C mb import "$IMPORT"/* --now "$NOW" --dry-run
same "import --dry-run writes nothing" "$before" "$(tree_hash mb)"
contains "dry run summary" "8 registered, 0 already registered, 0 failed (dry run: nothing written)" "$err"

run 0 mailbox-intake -C mb import "$IMPORT"/* --now "$NOW"
imported=$out
same "eight letters" "8" "$(printf '%s\n' "$out" | wc -l)"
contains "summary" "8 registered, 0 already registered, 0 failed" "$err"

show_json "$(id_of 01-gbk)"
contains "gb2312 label, GBK-only name, split encoded word" '"subject": "东湖村村口石桥被冲坏至今未修"' "$out"
contains "sender name from an encoded word" '"name": "王镕"' "$out"
contains "quoted-printable GBK body" '我是东湖镇东湖村村民王镕' "$out"
contains "Message-ID kept" '"message_id": "20261123081240.5512@mail.example.com"' "$out"
contains "Date header is the received time" '"received": "2026-11-23T08:12:40+08:00"' "$out"
contains "channel email" '"channel": "email"' "$out"

show_json "$(id_of 02-multipart)"
contains "text/plain preferred over html" '"body": "书记您好：\n\n河西街道' "$out"
contains "attachment listed by name and size" '"name": "漏水照片.jpg"' "$out"
contains "attachment size" '"size": 10240' "$out"
contains "category suggested" '"suggested_category": "housing"' "$out"

show_json "$(id_of 'message 1')"
contains "html-only mail becomes text" '红绿灯故障三天了' "$out"
show_json "$(id_of 'message 2')"
contains "Big5 subject and body" '"subject": "工廠用電申請一個多月未批覆"' "$out"
show_json "$(id_of 'message 3')"
contains "the same letter resent by a relative is linked" "\"group\": [
    \"$(id_of 01-gbk)\"" "$out"

show_json "$(id_of 04-webform.csv:2)"
contains "CSV quoted field keeps its line break" '只能打车去市里。\n能否安排周末值班门诊？' "$out"
contains "CSV time 2026/11/20 9:15" '"received": "2026-11-20T09:15:00+08:00"' "$out"

# Importing again registers nothing.
before=$(tree_hash mb)
run 0 mailbox-intake -C mb import "$IMPORT"/* --now "$NOW"
contains "idempotent" "0 registered, 8 already registered, 0 failed" "$err"
contains "says where it is" "01-gbk-stone-bridge.eml: already registered as $(id_of 01-gbk)" "$err"
same "nothing changed on re-import" "$before" "$(tree_hash mb)"

# ---- hostile input: each a clear message, the others still registered ----
mkdir bad
crlf() { sed 's/$/\r/'; }
printf 'From: a@example.com\nSubject: truncated\nDate: Tue, 24 Nov 2026 10:00:00 +0800\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain; charset=utf-8\n\n只写了一半的信' >bad/truncated.eml
printf 'From: b@example.com\nSubject: only a picture\nDate: Tue, 24 Nov 2026 10:00:00 +0800\nMIME-Version: 1.0\nContent-Type: image/png; name="a.png"\nContent-Transfer-Encoding: base64\n\niVBORw0KGgo=\n' >bad/no-text.eml
{ printf 'From: c@example.com\nSubject: no charset\nDate: Tue, 24 Nov 2026 10:00:00 +0800\nContent-Type: text/plain\nContent-Transfer-Encoding: 8bit\n\n'; printf '没有声明字符集的信\n' | iconv -f UTF-8 -t GBK; } >bad/undeclared.eml
{ printf 'From: d@example.com\nSubject: wrong charset\nDate: Tue, 24 Nov 2026 10:00:00 +0800\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n'; printf '声明错了字符集的信\n' | iconv -f UTF-8 -t GB18030; } >bad/wrong-charset.eml
printf 'From: e@example.com\nSubject: garbage\nDate: Tue, 24 Nov 2026 10:00:00 +0800\nContent-Type: text/plain; charset=utf-8\n\nok \377\376\375 end\n' >bad/invalid-utf8.eml
printf 'From: f@example.com\nSubject: empty\nDate: Tue, 24 Nov 2026 10:00:00 +0800\n\n' >bad/empty.eml
printf 'From: =?UTF-8?B?%s?= <g@example.com>\nSubject: crlf name\nDate: Tue, 24 Nov 2026 10:00:00 +0800\n\n正文\n' "$(printf '张三\r\nBcc: x@example.com' | base64 -w0)" >bad/crlf-name.eml
{ printf 'From: h@example.com\nSubject: huge\nDate: Tue, 24 Nov 2026 10:00:00 +0800\nContent-Type: text/plain; charset=utf-8\n\n'; yes '这是一封很长很长的信。' | head -c 20000000; } >bad/huge.eml
printf 'this is not a mail message at all\n' >bad/notes.txt
printf '留言用户,留言主题,留言详情\n张三,缺列,没有时间列\n' >bad/missing-column.csv
printf '留言用户,留言主题,留言时间,留言详情,电子邮箱,联系电话\n李四,好的一行,2026-11-20 10:00,"第一行\n第二行",,\n王五,坏时间,下午三点,正文,,\n' >bad/bad-row.csv
printf '留言用户,留言主题,留言时间,留言详情,电子邮箱,联系电话\n赵六,国标编码的表格,2026-11-21 10:00,用 Excel 在中文系统上导出的表格,,\n' | iconv -f UTF-8 -t GB18030 >bad/gb18030.csv

run 3 mailbox-intake -C mb import bad/* --now "$NOW"
result=$out
contains "truncated: registered with a warning" "bad/truncated.eml: the message is truncated" "$err"
contains "no text part: a warning" "bad/no-text.eml: the message has no text part" "$err"
contains "huge: cut before it is read, with a note" "bad/huge.eml: the text part was 20000000 bytes; only the first 8388582 are read" "$err"
contains "huge: what is kept" "only the first 26214" "$err"
contains "not mail: a clear error" "bad/notes.txt: not a mail message" "$err"
contains "a missing time column named" "bad/missing-column.csv:1:1: no column '留言时间' (import.csv.received in mailbox.toml)" "$err"
contains "bad row as file:line, after a two-line field" "bad/bad-row.csv:4: '下午三点' is not a time" "$err"
contains "GB18030 CSV needs --encoding" "bad/gb18030.csv: not valid UTF-8; an export from Excel on a Chinese system needs --encoding gb18030" "$err"
contains "summary counts" "9 registered, 0 already registered, 4 failed" "$err"

imported=$result
show_json "$(id_of undeclared.eml)"
contains "undeclared charset read as GB18030" "没有声明字符集的信" "$out"
show_json "$(id_of wrong-charset.eml)"
contains "wrong charset read as GB18030" "声明错了字符集的信" "$out"
show_json "$(id_of invalid-utf8.eml)"
contains "invalid bytes become U+FFFD" "ok ��� end" "$out"
show_json "$(id_of crlf-name.eml)"
contains "CR/LF in a name become spaces" '"name": "张三  Bcc: x@example.com"' "$out"
show_json "$(id_of huge.eml)"
check "huge body cut to 256 KiB" test "$(printf '%s' "$out" | wc -c)" -lt 400000
show_json "$(id_of bad-row.csv:2)"
contains "embedded newline in a quoted CSV field" '"body": "第一行\n第二行\n"' "$out"

run 0 mailbox-intake -C mb import --encoding gb18030 bad/gb18030.csv --now "$NOW"
imported=$out
show_json "$(id_of gb18030.csv:2)"
contains "GB18030 CSV with --encoding" '"subject": "国标编码的表格"' "$out"

# ---- a channel column in Chinese words; no e-mail column though one is mapped ----
sed -i 's/^\[import\.csv\]$/&\nchannel = "来信渠道"/' mb/mailbox.toml
printf '\n[import.csv.channels]\n"公众号" = "wechat"\n' >>mb/mailbox.toml
printf '留言用户,留言主题,留言时间,留言详情,联系电话,来信渠道\n孙七,公交站牌被撞倒,2026-11-22 08:00,建设路公交站牌被车撞倒了,13700000001,微信\n周八,小区门口污水外溢,2026-11-22 09:00,阳光小区门口污水外溢一周了,,12345热线\n吴九,菜市场周边占道,2026-11-22 10:00,东门菜市场周边摊贩占道,,公众号\n' >channels.csv
run 0 mailbox-intake -C mb import channels.csv --now "$NOW"
imported=$out
same "absent e-mail column: a warning, no error" "mailbox-intake: warning: channels.csv:1:1: no column '电子邮箱' (import.csv.email in mailbox.toml): left empty in every row
mailbox-intake: 3 registered, 0 already registered, 0 failed" "$err"
show_json "$(id_of channels.csv:2)"
contains "微信 is wechat" '"channel": "wechat"' "$out"
contains "no e-mail" '"email": null' "$out"
contains "the phone column still read" '"phone": "13700000001"' "$out"
show_json "$(id_of channels.csv:3)"
contains "12345热线 is hotline" '"channel": "hotline"' "$out"
show_json "$(id_of channels.csv:4)"
contains "a word of [import.csv.channels]" '"channel": "wechat"' "$out"
run 0 mailbox-report -C mb stats --since 2026-11-22 --until 2026-11-22 --by channel --format tsv --now "$NOW"
contains "stats by channel: wechat" "$(printf 'wechat\t微信\t2\t')" "$out"
contains "stats by channel: hotline" "$(printf 'hotline\t12345热线\t1\t')" "$out"

printf '留言用户,留言主题,留言时间,留言详情,来信渠道\n郑十,传真来的信,2026-11-22 11:00,正文,传真\n' >fax.csv
run 3 mailbox-intake -C mb import fax.csv --now "$NOW"
contains "an unknown channel: the row skipped, the words taken named" "fax.csv:2: unknown channel '传真': expected web, email, letter, visit, phone, wechat or hotline, or one of 网站, 网站留言, 电子邮件, 来信, 信件, 来访, 电话, 来电, 微信, 12345热线, 公众号 ([import.csv.channels] in mailbox.toml adds more); row skipped" "$err"

# A campaign: three copies of one letter. Each copy names the case it
# matched, that case names it back, nothing else is rewritten; every
# command shows the group whole.
body='我们小区门口的路灯已经坏了一个多月，晚上出行非常不便，老人孩子摔倒过好几次，多次向物业和街道反映都没有人来修，恳请领导督促有关部门尽快修好。'
{
    printf '留言用户,留言主题,留言时间,留言详情\n'
    for i in 1 2 3; do printf '居民%s,小区门口路灯坏了,2026-11-2%s 10:00,%s\n' "$i" "$i" "$body"; done
} >campaign.csv
run 0 mailbox-intake -C mb import campaign.csv --now "$NOW" --format json
# group_sizes: each record's or case's id and the size of its group, from JSON on stdin
group_sizes() {
    python3 -c 'import json, sys
d = json.load(sys.stdin)
for r in d if isinstance(d, list) else [d]:
    print(r["id"], len(r["group"]))'
}
copies=$(printf '%s\n' "$out" | python3 -c 'import json, sys; print(" ".join(r["id"] for r in json.load(sys.stdin)))')
read -r first second third <<<"$copies"
same "each copy's record names the whole group it joined" "$first 0
$second 1
$third 2" "$(printf '%s\n' "$out" | group_sizes)"
same "the second copy's file names the first only" "group = [\"$first\"]" \
    "$(grep '^group' "mb/cases/2026/$second.toml")"
same "the first copy's file names both" "group = [\"$second\", \"$third\"]" \
    "$(grep '^group' "mb/cases/2026/$first.toml")"
run 0 mailbox-report -C mb show "$second" --format json --now "$NOW"
same "show gives the group whole" "$second 2" "$(printf '%s\n' "$out" | group_sizes)"
run 0 mailbox-report -C mb list --format json --now "$NOW"
same "list gives each copy the group whole" "$first 2
$second 2
$third 2" "$(printf '%s\n' "$out" | group_sizes | grep -F -e "$first" -e "$second" -e "$third")"

run 0 mailbox-report -C mb check
contains "everything registered checks clean" "no problems" "$out"

printf '"传真" = "fax"\n' >>mb/mailbox.toml
run 3 mailbox-intake -C mb import fax.csv --now "$NOW"
contains "a mapped value that is no channel: the config's position" "mailbox.toml:$(wc -l <mb/mailbox.toml):8: unknown channel 'fax' for '传真' in [import.csv.channels]" "$err"
done_testing
