# Helpers for the end-to-end tests: each script runs the real binaries in a
# fresh temporary mailbox, as mblaze's t/lib.sh and pass's tests do.
set -u

: "${MAILBOX_BIN:?set MAILBOX_BIN to the folder holding the built tools}"
: "${MAILBOX_SOURCE:?set MAILBOX_SOURCE to the source tree}"
PATH="$MAILBOX_BIN:$PATH"
# Nothing from the caller's environment may steer the tools or git.
unset MAILBOX_DIR MAILBOX_USER EDITOR VISUAL TZ COLUMNS LANGUAGE LC_ALL LC_MESSAGES
# English messages, whatever the caller's locale; a test of another
# language asks for it.
export LANG=C
for v in $(env | sed -n 's/^\(GIT_[A-Z_]*\)=.*/\1/p'); do unset "$v"; done
export GIT_AUTHOR_NAME=test GIT_AUTHOR_EMAIL=test@example.com
export GIT_COMMITTER_NAME=test GIT_COMMITTER_EMAIL=test@example.com
export GIT_CONFIG_NOSYSTEM=1 HOME="$(mktemp -d)"
export MAILBOX_USER=李明
NOW=2026-11-25T09:30:00+08:00

SCRIPT_NAME=$(basename "$0" .sh)
GOLDEN_DIR="$MAILBOX_SOURCE/tests/golden/$SCRIPT_NAME"
TEST_DIR=$(mktemp -d)
trap 'rm -rf "$TEST_DIR" "$HOME"' EXIT
cd "$TEST_DIR" || exit 1

failures=0
checks=0

fail() {
    printf 'not ok: %s\n' "$*" >&2
    failures=$((failures + 1))
}

# check DESCRIPTION COMMAND...: the command must succeed.
check() {
    local what=$1
    shift
    checks=$((checks + 1))
    "$@" || fail "$what"
}

# run EXPECTED_EXIT COMMAND...: runs it, keeps stdout in $out and stderr in
# $err, and fails unless it exits with EXPECTED_EXIT.
run() {
    local want=$1
    shift
    checks=$((checks + 1))
    out=$("$@" 2>"$TEST_DIR/.stderr")
    code=$?
    err=$(cat "$TEST_DIR/.stderr")
    if [ "$code" != "$want" ]; then
        fail "exit $code, not $want: $* ($err)"
    fi
}

# same DESCRIPTION EXPECTED ACTUAL
same() {
    checks=$((checks + 1))
    if [ "$2" != "$3" ]; then
        fail "$1"
        printf '  expected: %s\n  actual:   %s\n' "$2" "$3" >&2
    fi
}

# contains DESCRIPTION NEEDLE HAYSTACK
contains() {
    checks=$((checks + 1))
    case $3 in
    *"$2"*) ;;
    *) fail "$1"; printf '  wanted: %s\n  in:     %s\n' "$2" "$3" >&2 ;;
    esac
}

# golden STEP: $out must equal tests/golden/<script>/<step>.out byte for byte.
# MAILBOX_UPDATE_GOLDEN=1 rewrites the file instead (only on purpose).
golden() {
    local file="$GOLDEN_DIR/$1.out"
    checks=$((checks + 1))
    if [ "${MAILBOX_UPDATE_GOLDEN:-}" = 1 ]; then
        mkdir -p "$GOLDEN_DIR"
        printf '%s\n' "$out" >"$file"
        return
    fi
    if ! printf '%s\n' "$out" | cmp -s - "$file"; then
        fail "output differs from $file"
        printf '%s\n' "$out" | diff -u "$file" - | head -30 >&2
    fi
}

# A new mailbox in ./mb with a fixed station, so ids are reproducible. Its
# record is in English, as the notes these tests read are (a new mailbox
# writes Chinese: 1500-language checks that record).
new_mailbox() {
    mailbox-intake init mb >/dev/null || exit 1
    record_in_english mb
    mkdir -p mb/.mailbox
    echo "${1:-AB}" >mb/.mailbox/station
}

# record_in_english DIR: [office] language = "en" in DIR/mailbox.toml.
record_in_english() {
    sed -i 's/^language = "zh_CN"/language = "en"/' "$1/mailbox.toml"
    grep -q '^language = "en"' "$1/mailbox.toml" || fail "no language key in $1/mailbox.toml"
}

# register SUBJECT FROM NOW [more flags]: the body is "正文".
register() {
    local subject=$1 from=$2 now=$3
    shift 3
    echo "正文：$subject" | mailbox-intake -C mb new --subject "$subject" --from "$from" --now "$now" "$@"
}

# three_letters NOW: registers three letters received a few minutes apart on
# 2 November 2026 and sets $a, $b and $c to their ids.
three_letters() {
    register "建设路路灯不亮" 张三 "$1" >/dev/null
    register "公交线路调整" 李四 "$1" --received "2026-11-02 09:05" >/dev/null
    register "小区噪音" 王五 "$1" --received "2026-11-02 09:10" >/dev/null
    local ids
    ids=$(mailbox-report -C mb list --format tsv --now "$1" | cut -f1 | tail -n +2)
    a=$(echo "$ids" | sed -n 1p)
    b=$(echo "$ids" | sed -n 2p)
    c=$(echo "$ids" | sed -n 3p)
}

# Hash of every file under a folder, to show that nothing changed.
tree_hash() {
    (cd "$1" && find . -path ./.mailbox -prune -o -type f -print0 | sort -z | xargs -0 sha256sum) | sha256sum
}

done_testing() {
    if [ "$failures" -gt 0 ]; then
        printf '%s: %d of %d checks failed\n' "$SCRIPT_NAME" "$failures" "$checks" >&2
        exit 1
    fi
    printf '%s: %d checks passed\n' "$SCRIPT_NAME" "$checks"
}
