# mailbox-intake init: a new mailbox, refusing to overwrite one.
. "$(dirname "$0")/lib.sh"

run 0 mailbox-intake init mb
check "mailbox.toml written" test -f mb/mailbox.toml
check "cases/ made" test -d mb/cases
contains ".gitignore holds .mailbox/" ".mailbox/" "$(cat mb/.gitignore)"
contains ".gitignore holds out/" "/out/" "$(cat mb/.gitignore)"
run 0 mailbox-report -C mb check
same "a new mailbox checks clean" "ok: 0 cases and mailbox.toml, no problems" "$out"

echo "# mine" >mb/mailbox.toml
run 2 mailbox-intake init mb
same "second init is refused" "mailbox-intake: 'mb' already holds a mailbox (mailbox.toml); nothing changed" "$err"
same "mailbox.toml untouched" "# mine" "$(cat mb/mailbox.toml)"

run 0 mailbox-intake init --git repo
check "--git runs git init" test -d repo/.git
(cd repo && git add -A && git commit -qm init) || fail "the new mailbox commits"
same "git status clean after commit" "" "$(cd repo && git status --porcelain)"

run 0 mailbox-intake init dry --dry-run
check "init --dry-run writes nothing" test ! -e dry
contains "init --dry-run says what" "would write dry/mailbox.toml" "$err"
run 0 mailbox-intake -C viac init
check "init takes -C" test -f viac/mailbox.toml

# --commit: one commit per action, naming the case; git status stays clean.
run 0 mailbox-intake init --git --commit committed
same "init --commit" "建立信箱。" "$(git -C committed log -1 --format=%s)"
run 0 sh -c 'echo 正文 | mailbox-intake -C committed new --subject 路灯 --from 张三 --now 2026-11-25T09:30:00+08:00 --commit'
same "new --commit" "登记$out：路灯。" "$(git -C committed log -1 --format=%s)"
same "git status clean after --commit" "" "$(git -C committed status --porcelain)"
run 0 mailbox-intake init plain
run 2 sh -c 'echo 正文 | mailbox-intake -C plain new --subject 路灯 --from 张三 --commit'
contains "--commit outside git" "is not in a git work tree" "$err"
same "--commit outside git writes nothing" "" "$(ls plain/cases)"
run 2 mailbox-intake init --commit plain2
check "init --commit without --git writes nothing" test ! -e plain2/mailbox.toml

mkdir elsewhere
run 2 env -C elsewhere mailbox-report list
contains "no mailbox: a clear error" "not in a mailbox" "$err"
run 2 mailbox-report -C elsewhere list
contains "-C without mailbox.toml" "no mailbox.toml in 'elsewhere' or any folder above it (from -C)" "$err"
run 0 mailbox-report -C repo/cases list --format json
same "-C inside a mailbox finds it above, as git -C does" "[]" "$out"
run 0 env -C repo/cases MAILBOX_DIR= mailbox-report list --format json
same "found from a subfolder" "[]" "$out"
run 0 env MAILBOX_DIR="$TEST_DIR/repo" mailbox-report list --format json
same "found through MAILBOX_DIR" "[]" "$out"

done_testing
