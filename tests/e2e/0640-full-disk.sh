# A full disk: each command that writes either does all of its work, or
# exits 3 naming the file it could not write and leaves the cases as they
# were. Once there is room again, check passes, nothing is half written and
# every letter a command said it registered is there. Needs root to mount a
# small tmpfs; without it the script says it skipped and passes.
. "$(dirname "$0")/lib.sh"
skip() {
    printf '%s: skipped: %s\n' "$SCRIPT_NAME" "$1"
    exit 0
}
[ "$(id -u)" = 0 ] || skip "mounting a tmpfs needs root"
DISK=$TEST_DIR/disk
mkdir "$DISK" || exit 1
mount -t tmpfs -o size=4m tmpfs "$DISK" 2>/dev/null || skip "no tmpfs can be mounted here"
trap 'cd / && umount "$DISK"; rm -rf "$TEST_DIR" "$HOME"' EXIT
cd "$DISK" || exit 1
new_mailbox AB

# long_body TITLE: a letter of about 14 KB, so that its case file takes four
# pages of the disk; kept off it.
long_body() {
    local i
    for i in $(seq 100); do
        printf '%s第%d段：建设路北段路面坑洼严重，雨天积水，请尽快修复。\n' "$1" "$i"
    done
}

# leave N: fills the disk up to N pages (of 4 KiB) free.
leave() {
    rm -f fill
    local avail
    avail=$(df -B1 --output=avail . | tail -n 1)
    head -c $((avail - $1 * 4096)) /dev/zero >fill 2>/dev/null
}

# attempt WHAT COMMAND...: runs it, whatever its exit, into $out and $err.
# True when it did its work; false when it exited 3 with a message naming
# the file it could not write; anything else fails the test.
declare -A worked failed
attempt() {
    local what=$1
    shift
    checks=$((checks + 1))
    out=$("$@" 2>"$TEST_DIR/.stderr")
    code=$?
    err=$(cat "$TEST_DIR/.stderr")
    if [ "$code" = 0 ]; then
        worked[$what]=1
        return 0
    fi
    failed[$what]=1
    [ "$code" = 3 ] || fail "$what: exit $code ($err)"
    grep -q "can't [a-z ]*'[^']*'.*: No space left on device" <<<"$err" ||
        fail "$what: the message names no file: $err"
    return 1
}

pre=()
for i in $(seq 14); do
    long_body "来信$i" >"$TEST_DIR/body"
    pre+=("$(mailbox-intake -C mb new --subject "来信$i" --from "写信人$i" --no-link \
        --body-file "$TEST_DIR/body" --now "2026-11-02T09:$((10 + i)):00+08:00")")
done
for id in "${pre[0]}" "${pre[1]}"; do
    mailbox-assign -C mb "$id" --to cgj --now 2026-11-03T09:00:00+08:00 >/dev/null || fail "assign"
done
run 0 mailbox-report -C mb check --full

registered=()
level=0
for pages in 0 1 2 3 4 5 6 7 8 10 12 200; do
    level=$((level + 1))
    now=2026-11-25T10:$((10 + level)):00+08:00
    long_body "新信$level" >"$TEST_DIR/body"
    {
        echo '留言主题,留言用户,留言时间,留言详情,电子邮箱,联系电话'
        for n in 1 2; do
            echo "网上来信$level-$n,网民$n,2026-11-24 09:0$n,\"$(long_body "网上来信$level-$n")\",,"
        done
    } >"$TEST_DIR/web.csv"

    # A command deletes a cache it cannot open, which gives room back: with
    # none to delete, the first level is sure to leave `new` none.
    [ "$pages" = 0 ] && rm -f mb/.mailbox/mailbox.db*
    leave "$pages"
    before=$(tree_hash mb/cases)
    if attempt new mailbox-intake -C mb new --subject "新信$level" --from "市民$level" \
        --no-link --body-file "$TEST_DIR/body" --now "$now"; then
        registered+=("$out")
    else
        same "new, $pages pages free: no case changed" "$before" "$(tree_hash mb/cases)"
    fi

    leave "$pages"
    attempt import mailbox-intake -C mb import --no-link --now "$now" "$TEST_DIR/web.csv"
    # Each letter registered is printed with its id: ID  SOURCE.
    while read -r id _; do
        [ -n "$id" ] && registered+=("$id")
    done <<<"$out"

    leave "$pages"
    before=$(tree_hash mb/cases)
    if ! attempt assign mailbox-assign -C mb "${pre[$((level + 1))]}" --to cgj --now "$now"; then
        same "assign, $pages pages free: no case changed" "$before" "$(tree_hash mb/cases)"
    fi

    leave "$pages"
    before=$(tree_hash mb/cases)
    if ! attempt chase mailbox-assign -C mb chase --notices \
        --now "2026-12-$((level + 1))T09:00:00+08:00"; then
        same "chase, $pages pages free: no case changed" "$before" "$(tree_hash mb/cases)"
    fi

    # Room again: nothing half written, nothing left over.
    rm -f fill
    run 0 mailbox-report -C mb check --full
    same "$pages pages free: no temporary file left" "" "$(find mb -name '*.tmp.*')"
done

for what in new import assign chase; do
    same "$what: failed on a full disk" 1 "${failed[$what]:-0}"
    same "$what: worked with room" 1 "${worked[$what]:-0}"
done
# Every letter said to be registered is there, and no other.
for id in "${registered[@]}"; do
    run 0 mailbox-report -C mb show "$id"
done
same "every letter registered once" $((${#pre[@]} + ${#registered[@]})) \
    "$(mailbox-report -C mb list --format tsv | tail -n +2 | wc -l)"
done_testing
