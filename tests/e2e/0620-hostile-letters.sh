# What the public and a mis-set terminal send: text that is not UTF-8 on the
# command line, mail whose bytes do not fit its charset, undeclared Big5,
# NUL bytes in a subject, HTML-only mail. Nothing unreadable is stored, and
# nothing the citizen sent is lost.
. "$(dirname "$0")/lib.sh"
new_mailbox AB
id=$(register "路灯" 张三 "$NOW")
f=mb/cases/2026/$id.toml
gbk=$(printf '\xb9\xfe') # 哈 in GBK: what a Chinese Windows terminal sends
before=$(tree_hash mb)

# Every text that reaches a case file is UTF-8, or the command says which
# flag is not.
run 2 mailbox-assign -C mb "$id" --to cgj --instruction "$gbk" --now "$NOW"
contains "--instruction is named" "--instruction" "$err"
run 2 mailbox-assign -C mb visit "$id" --note "$gbk" --now "$NOW"
contains "--note is named" "--note" "$err"
run 2 mailbox-assign -C mb return "$id" --reason "$gbk" --now "$NOW"
contains "--reason is named" "--reason" "$err"
run 2 mailbox-assign -C mb "$id" --to cgj --by "$gbk" --now "$NOW"
contains "--by is named" "--by" "$err"
run 2 env MAILBOX_USER="$gbk" mailbox-assign -C mb "$id" --to cgj --now "$NOW"
contains "MAILBOX_USER is named" "MAILBOX_USER" "$err"
run 2 sh -c "echo 正文 | MAILBOX_USER='$gbk' mailbox-intake -C mb new --subject 噪音 --from 李四 --now $NOW"
contains "new: MAILBOX_USER is named" "MAILBOX_USER" "$err"
printf 'From: a@example.com\nSubject: x\nMessage-ID: <u1@example.com>\n\nbody\n' >plain.eml
run 2 env MAILBOX_USER="$gbk" mailbox-intake -C mb import plain.eml --now "$NOW"
contains "import: MAILBOX_USER is named" "MAILBOX_USER" "$err"
same "nothing was written" "$before" "$(tree_hash mb)"
run 0 mailbox-report -C mb check

# One stray byte in a GB2312 mail costs one character, not the whole text;
# the case says so and the original message is kept.
{
    printf 'From: =?gb2312?B?zfXO5A==?= <wangwu@example.com>\n'
    printf 'Subject: =?gb2312?B?vajJ6LK/w8U=?=\nMessage-ID: <stray@example.com>\n'
    printf 'Date: Mon, 23 Nov 2026 10:00:00 +0800\nMIME-Version: 1.0\n'
    printf 'Content-Type: text/plain; charset=gb2312\nContent-Transfer-Encoding: 8bit\n\n'
    printf '\xca\xd0\xc3\xf1\xff\xc0\xb4\xd0\xc5\xa3\xac\xc7\xeb\xbb\xd8\xb8\xb4\n'
} >stray.eml
run 0 mailbox-intake -C mb import stray.eml --now "$NOW" --format json
stray=$(printf '%s' "$out" | sed -n 's/.*"id": "\([0-9A-Z-]*\)".*/\1/p' | head -1)
run 0 mailbox-report -C mb show "$stray" --format json
contains "the text keeps every readable character" '市民\ufffd来信，请回复' "$(printf '%s' "$out" | sed 's/\xef\xbf\xbd/\\ufffd/g')"
contains "the history says what was lost" "1 byte of the text could not be read as GB18030" "$out"
contains "the original is listed as an attachment" '"kept": "originals/' "$out"
kept=$(printf '%s' "$out" | sed -n 's/.*"kept": "\(originals\/[0-9a-f]*\.eml\)".*/\1/p')
check "the original message is kept" test -s "mb/$kept"
check "it holds the stray byte" grep -q "$(printf '\xc3\xf1\xff\xc0')" "mb/$kept"
run 0 mailbox-report -C mb show "$stray"
contains "show says where it is kept" "kept as $kept" "$out"
run 0 mailbox-report -C mb check
# A hand edit cannot point the kept file anywhere else.
sed -i "s|kept = \"$kept\"|kept = \"../../etc/passwd\"|" "mb/cases/2026/$stray.toml"
run 3 mailbox-report -C mb check
contains "a kept path outside originals/ is refused" "a path originals/HASH.eml" "$err"
sed -i "s|kept = \"../../etc/passwd\"|kept = \"$kept\"|" "mb/cases/2026/$stray.toml"

# Big5 without a charset is read as Big5, not as GB18030 (いゅ).
{
    printf 'From: chen@example.com\nSubject: =?big5?B?uPS/Tw==?=\nMessage-ID: <big5@example.com>\n'
    printf 'Date: Mon, 23 Nov 2026 11:00:00 +0800\nMIME-Version: 1.0\nContent-Type: text/plain\n\n'
    printf '\xa7\xda\xad\xcc\xaa\xc0\xb0\xcf\xaa\xba\xb8\xf4\xbf\x4f\xc3\x61\xa4\x46\xab\xdc\xa4\x5b\n'
    printf '\xa4\xa4\xa4\xe5\n'
} >big5.eml
run 0 mailbox-intake -C mb import big5.eml --now "$NOW" --format json
b5=$(printf '%s' "$out" | sed -n 's/.*"id": "\([0-9A-Z-]*\)".*/\1/p' | head -1)
run 0 mailbox-report -C mb show "$b5"
contains "undeclared Big5 is read as Big5" "我們社區的路燈壞了很久" "$out"
contains "its short last line too" "中文" "$out"

# Bad base64 padding decodes to a NUL: no control character reaches a
# subject or a name; nor does an escape sequence.
{
    printf 'From: =?utf-8?B?5byg5LiJG10wO3B3bmVkBw==?= <zhang@example.com>\n'
    printf 'Subject: =?gb18030?B?suLK1AA=?=\nMessage-ID: <nul@example.com>\n'
    printf 'Date: Mon, 23 Nov 2026 12:00:00 +0800\n\nbody\n'
} >nul.eml
run 0 mailbox-intake -C mb import nul.eml --now "$NOW" --format json
nul=$(printf '%s' "$out" | sed -n 's/.*"id": "\([0-9A-Z-]*\)".*/\1/p' | head -1)
check "no escaped control character is stored" sh -c "! grep -q '\\\\u00\|\\\\u001' mb/cases/2026/$nul.toml"
check "the subject is what was meant" grep -q '^subject = "测试"$' "mb/cases/2026/$nul.toml"
check "the name is what was meant" grep -q '^sender.name = "张三\]0;pwned"$' "mb/cases/2026/$nul.toml"

# HTML-only mail: numeric entities (how Outlook writes GBK-only characters)
# are decoded; a deep or broken document still gives its text.
{
    printf 'From: li@example.com\nSubject: html\nMessage-ID: <html@example.com>\n'
    printf 'Date: Mon, 23 Nov 2026 13:00:00 +0800\nMIME-Version: 1.0\n'
    printf 'Content-Type: text/html; charset=gb2312\n\n'
    printf '<html><body><p>&#38149;&#x9555;\xbb\xf9\xbd\xf0<p>'
    for _ in $(seq 3000); do printf '<div>'; done
    printf '\xc9\xee\xb4\xa6</body></html>\n'
} >html.eml
run 0 mailbox-intake -C mb import html.eml --now "$NOW" --format json
h=$(printf '%s' "$out" | sed -n 's/.*"id": "\([0-9A-Z-]*\)".*/\1/p' | head -1)
run 0 mailbox-report -C mb show "$h"
contains "numeric entities are decoded" "锅镕基金" "$out"
contains "text nested 3000 deep is kept" "深处" "$out"
run 0 mailbox-report -C mb check

# Limits: a field too long is cut with a note; a year no case id can hold is
# refused, and a mail's Date in such a year is not believed.
long=$(printf '长%.0s' $(seq 3000))
run 0 sh -c "echo 正文 | mailbox-intake -C mb new --subject '$long' --from 李四 --now $NOW --format json"
lid=$(printf '%s' "$out" | sed -n 's/.*"id": "\([0-9A-Z-]*\)".*/\1/p' | head -1)
check "the subject is cut to 1024 bytes" test "$(sed -n 's/^subject = "\(.*\)"$/\1/p' "mb/cases/2026/$lid.toml" | wc -c)" -le 1025
check "the history says so" grep -q "the subject was 9000 bytes; only the first 1023 are kept" "mb/cases/2026/$lid.toml"
head -c 400000 /dev/zero | tr '\0' 'x' >big.txt
run 0 sh -c "mailbox-intake -C mb new --subject 长信 --from 李四 --now $NOW <big.txt"
check "a 400 kB text is cut" grep -q "the text was 400001 bytes; only the first 262144 are kept" mb/cases/2026/*.toml
run 2 sh -c "echo 正文 | mailbox-intake -C mb new --subject 千年 --from 李四 --received '9999-12-31 09:00' --now $NOW"
contains "year 9999 is refused" "2000 to 2099" "$err"
run 2 sh -c "echo 正文 | mailbox-intake -C mb new --subject 百年 --from 李四 --received '1900-01-01 09:00' --now $NOW"
contains "year 1900 is refused" "2000 to 2099" "$err"
printf 'From: old@example.com\nSubject: old\nMessage-ID: <old@example.com>\nDate: Sat, 1 Jan 1994 09:00:00 +0800\n\nbody\n' >old.eml
run 0 mailbox-intake -C mb import old.eml --now "$NOW"
contains "a Date of 1994 is not believed" "is not in 2000 to 2099: received when registered" "$err"
run 0 mailbox-report -C mb check
done_testing
