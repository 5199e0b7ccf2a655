# The HTML bulletin in a real browser: a subject holding markup stays text
# and runs nothing; printed, the bulletin is several A4 pages with the
# attachment on a landscape one; a screenshot renders. Needs chromium;
# without it the script says it skipped and passes.
. "$(dirname "$0")/lib.sh"
if ! command -v chromium >/dev/null 2>&1; then
    printf '%s: skipped: chromium is not on PATH\n' "$SCRIPT_NAME"
    exit 0
fi
new_mailbox AB
R=2026-10-12T09:00:00+08:00

# chrome ARGS...: headless chromium with a profile of its own, at most two
# minutes; its chatter (dbus and the like) goes to chrome.log.
chrome() {
    timeout 120 chromium --headless --no-sandbox --disable-gpu \
        --user-data-dir="$TEST_DIR/profile" "$@" 2>>"$TEST_DIR/chrome.log"
}

# handled SUBJECT FROM WHEN UNIT [review flags]: a letter answered on the day
# it came; prints its id.
handled() {
    local subject=$1 from=$2 when=$3 unit=$4 id
    shift 4
    id=$(mailbox-intake -C mb new --subject "$subject" --from "$from" --now "$when" <<<"$subject，请尽快处理。") || fail "intake $subject"
    mailbox-assign -C mb "$id" --to "$unit" --now "$when" >/dev/null || fail "assign $id"
    printf '您反映的问题（编号%s）收悉。经我单位现场核查，已安排专人处理完毕，并当面向您说明了处理结果。\n' "$id" >"answer-$id.txt"
    mailbox-reply -C mb draft "$id" --outcome resolved --file "answer-$id.txt" --by 承办人 --now "$when" >/dev/null || fail "draft $id"
    mailbox-reply -C mb review "$id" --approve --by 李明 --now "$when" "$@" >/dev/null || fail "approve $id"
    mailbox-reply -C mb send "$id" --out "$TEST_DIR/sent" --now "$when" >/dev/null 2>&1 || fail "send $id"
    echo "$id"
}

a=$(handled '建设路<script>alert(1)</script>占道经营' 孙二 2026-07-08T09:00:00+08:00 cgj --exemplary --note '城管局三天内取缔占道摊点，恢复人行道通行')
b=$(handled "路灯<img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">不亮" 周三 2026-08-03T09:00:00+08:00 cgj --exemplary --note '当晚抢修恢复照明')
handled '公交站台破损' 吴四 2026-08-10T09:00:00+08:00 jtj >/dev/null
handled '小区物业收费' 郑五 2026-09-07T09:00:00+08:00 zjj >/dev/null
run 0 mailbox-report -C mb bulletin --quarter 2026Q3 --format html --out "$TEST_DIR/bulletin.html" --now "$R"
check "the page is written" test -s bulletin.html
page="file://$TEST_DIR/bulletin.html"

# The DOM as the browser built it: the subjects are text, nothing ran.
chrome --dump-dom "$page" >dom.html
check "the DOM is dumped" test -s dom.html
dom=$(cat dom.html)
contains "the script subject is text" "建设路&lt;script&gt;alert(1)&lt;/script&gt;占道经营" "$dom"
contains "so is the image" "路灯&lt;img src=x onerror=" "$dom"
same "no script element" 0 "$(grep -ci '<script' dom.html)"
same "no image element" 0 "$(grep -ci '<img' dom.html)"
same "no handler ran" 0 "$(grep -c 'data-pwned="1"' dom.html)"
contains "the title is the bulletin's" "<title>关于2026年第三季度书记信箱来信办理情况的通报</title>" "$dom"
contains "the charts are there" '<svg class="chart"' "$dom"

# Printed to PDF: more than one A4 page, the attachment on a landscape one.
chrome --no-pdf-header-footer --print-to-pdf="$TEST_DIR/bulletin.pdf" "$page" >/dev/null
check "a PDF is written" test -s bulletin.pdf
same "it is a PDF" "%PDF-" "$(head -c 5 bulletin.pdf)"
pages=$(grep -ao '/Type */Page\b' bulletin.pdf | wc -l)
check "more than one page ($pages)" test "$pages" -gt 1
sizes=$(grep -ao '/MediaBox *\[[^]]*\]' bulletin.pdf | tr -d '[]' |
    awk '{ if ($4 > $5) l++; else p++ } END { printf "%d portrait, %d landscape", p, l }')
same "the attachment alone is landscape" "$((pages - 1)) portrait, 1 landscape" "$sizes"
check "A4: 595 points wide (594.96)" test "$(grep -ao '/MediaBox *\[[^]]*\]' bulletin.pdf | head -1 | tr -d '[]' | awk '{ printf "%d", $4 < $5 ? $4 : $5 }')" = 594

# A screenshot renders.
chrome --screenshot="$TEST_DIR/bulletin.png" --window-size=1200,1600 "$page" >/dev/null
check "a screenshot is written" test -s bulletin.png
same "it is a PNG" "89 50 4e 47 0d 0a 1a 0a" "$(head -c 8 bulletin.png | od -An -tx1 | tr -s ' ' | sed 's/^ //;s/ $//')"
done_testing
