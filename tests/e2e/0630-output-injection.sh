# Letters are the public's text: in csv and tsv a formula stays text for
# Excel and WPS, in tables and show control characters are shown rather
# than sent to the terminal, and json stays valid whatever a letter holds.
. "$(dirname "$0")/lib.sh"
new_mailbox AB

T=2026-11-02T09:00:00+08:00
a=$(register '=HYPERLINK("http://x","y")' 张三 "$T")

# A strict reader of UTF-8 JSON, as a script would use.
json_ok() {
    python3 -c 'import json, sys; json.loads(sys.stdin.buffer.read().decode("utf-8"))'
}

# No cell may start a formula: the subject's cell starts with a quote.
run 0 mailbox-report -C mb list --format csv --now "$NOW"
contains "csv: the formula is text" "$a,received,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"" "$out"
run 0 mailbox-report -C mb list --format tsv --now "$NOW"
contains "tsv: the formula is text" "$a	received	'=HYPERLINK(\"http://x\",\"y\")	" "$out"
same "tsv: no cell starts with = + or @" "" "$(printf '%s\n' "$out" | tr '\t' '\n' | grep '^[=+@]')"
contains "tsv: a number stays a number" "	0	" "$out"
run 0 mailbox-report -C mb list --excel --now "$NOW"
contains "excel: the formula is text" "\"'=HYPERLINK(" "$out"
run 0 mailbox-assign -C mb "$a" --to cgj --now "$T"
run 0 mailbox-assign -C mb chase --format csv --now 2026-11-30T09:00:00+08:00
contains "chase csv: the formula is text" "\"'=HYPERLINK(" "$out"
contains "chase csv: days late stay a number" ",-" "$out"

# import prints what it registered, the subject among it.
printf 'From: li@example.com\r\nSubject: -2+3+cmd|%s /C calc%s!A0\r\nDate: Mon, 02 Nov 2026 10:00:00 +0800\r\nMessage-ID: <calc@example.com>\r\n\r\n%s\r\n' \
    "'" "'" '请修路' >calc.eml
run 0 mailbox-intake -C mb import --format csv --now "$NOW" calc.eml
contains "import csv: the formula is text" ",'-2+3+cmd|' /C calc'!A0," "$out"

# Escape sequences that would set the window title, clear the screen and
# write the clipboard, and a right-to-left override. Intake keeps them out
# of a subject, but a hand edit or another clone's file may carry them.
esc=$'\e'
bel=$'\a'
rlo=$'\xe2\x80\xae'
hostile="标题${esc}]0;pwned${bel}清屏${esc}[2J剪贴板${esc}]52;c;cHduZWQ=${bel}反转${rlo}fdp.exe"
b=$(printf '正文%s\n第二行\n' "$hostile" |
    mailbox-intake -C mb new --subject HOSTILE --from 王五 --now "$T")
toml_hostile='标题\u001B]0;pwned\u0007清屏\u001B[2J剪贴板\u001B]52;c;cHduZWQ=\u0007反转\u202Efdp.exe'
sed -i "s/^subject = \"HOSTILE\"\$/subject = \"${toml_hostile//\\/\\\\}\"/" mb/cases/2026/"$b".toml
run 0 mailbox-report -C mb show "$b" --format json --now "$NOW"
contains "the subject carries the escapes" '"subject": "标题\u001b]0;pwned\u0007' "$out"

no_escapes() {
    case $2 in
    *"$esc"* | *"$rlo"* | *"$bel"*) fail "$1: a control character reached the terminal" ;;
    esac
    checks=$((checks + 1))
}

run 0 mailbox-report -C mb list --now "$NOW"
no_escapes "list" "$out"
contains "list shows ESC and BEL as pictures" "标题␛]0;pwned␇清屏␛[2J剪贴板␛]52;c;cHduZWQ=␇反转<U+202E>fdp.exe" "$out"
run 0 mailbox-report -C mb show "$b" --now "$NOW"
no_escapes "show" "$out"
contains "show: the subject" "Subject:     标题␛]0;pwned␇清屏␛[2J" "$out"
contains "show: the body keeps its lines" "  正文标题␛]0;pwned␇清屏␛[2J剪贴板␛]52;c;cHduZWQ=␇反转<U+202E>fdp.exe
  第二行" "$out"
run 0 mailbox-report -C mb list --format md --now "$NOW"
no_escapes "md" "$out"

# json escapes them, and parses.
run 0 mailbox-report -C mb show "$b" --format json --now "$NOW"
contains "json escapes ESC" '标题\u001b]0;pwned\u0007' "$out"
check "show json parses" json_ok <<<"$out"
run 0 mailbox-report -C mb list --format json --now "$NOW"
check "list json parses" json_ok <<<"$out"

done_testing
