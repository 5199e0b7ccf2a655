# Symbolic links in the shared repository are not followed out of the
# mailbox: a committed template that links to a system file is not read into
# the notices, and an out/ folder that links elsewhere receives no citizen's
# data. A link that stays inside the mailbox is fine.
. "$(dirname "$0")/lib.sh"
new_mailbox AB

T1=2026-11-02T09:00:00+08:00
three_letters "$T1"
mailbox-assign -C mb "$a" --to cgj --now 2026-11-03T10:00:00+08:00 >/dev/null
D=2026-11-10T08:30:00+08:00

# A secret outside the mailbox, standing in for /etc/hostname.
OUTSIDE=$(mktemp -d)
trap 'rm -rf "$TEST_DIR" "$HOME" "$OUTSIDE"' EXIT
echo "secret-host-7731" >"$OUTSIDE/hostname"
mkdir -p mb/templates

# (1) A template linking outside: refused by its name, nothing rendered.
ln -s "$OUTSIDE/hostname" mb/templates/chase-notice.mustache
run 3 mailbox-assign -C mb chase --notices --now "$D"
contains "the template is named" "templates/chase-notice.mustache" "$err"
contains "it says why" "symbolic link leading outside the mailbox" "$err"
same "no notice holds the secret" "" "$(grep -rl secret-host-7731 mb 2>/dev/null)"
same "nothing chased" "" "$(mailbox-report -C mb show "$a" --format json --now "$D" | grep '"action": "chase"')"
# The same for a real system file.
rm mb/templates/chase-notice.mustache
ln -s /etc/hostname mb/templates/chase-notice.mustache
run 3 mailbox-assign -C mb chase --notices --now "$D"
contains "a system file too" "templates/chase-notice.mustache" "$err"
rm mb/templates/chase-notice.mustache

# (2) out/notices linking outside: refused, nothing written there.
rm -rf mb/out
mkdir -p "$OUTSIDE/notices" mb/out
ln -s "$OUTSIDE/notices" mb/out/notices
run 3 mailbox-assign -C mb chase --notices --now "$D"
contains "the folder is named" "out/notices" "$err"
same "nothing written outside" "" "$(find "$OUTSIDE/notices" -mindepth 1)"
rm mb/out/notices
# out/ itself linking outside.
rm -rf mb/out
ln -s "$OUTSIDE/notices" mb/out
run 3 mailbox-assign -C mb chase --notices --now "$D"
contains "out/ is named" "out" "$err"
same "nothing written outside through out/" "" "$(find "$OUTSIDE/notices" -mindepth 1)"
rm -rf mb/out

# (3) A bulletin named inside the mailbox through out/ linking outside:
# refused; one named outside the mailbox is the clerk's choice.
ln -s "$OUTSIDE/notices" mb/out
run 3 sh -c 'cd mb && mailbox-report bulletin --quarter 2026Q4 --no-mask --out out/bulletin.html --now 2026-12-01T09:00:00+08:00'
contains "the link is named" "out" "$err"
same "no bulletin outside" "" "$(find "$OUTSIDE/notices" -mindepth 1)"
run 0 mailbox-report -C mb bulletin --quarter 2026Q4 --out "$OUTSIDE/b.html" --now 2026-12-01T09:00:00+08:00
contains "a path outside, named, is written" "情况的通报" "$(cat "$OUTSIDE/b.html")"
rm -rf mb/out

# (4) Links that stay inside the mailbox are followed.
mkdir -p mb/office/notices
echo "{{unit_name}} {{count}}" >mb/office/chase.mustache
ln -s ../office/chase.mustache mb/templates/chase-notice.mustache
mkdir mb/out
ln -s ../office/notices mb/out/notices
run 0 mailbox-assign -C mb chase --notices -q --now "$D"
same "the notice is written through the links" "市城市管理综合执法局 1" \
    "$(cat mb/office/notices/2026-11-10/chase-cgj.txt)"

done_testing
