# --commit never forgets: the case files an earlier command left uncommitted
# (it was killed, run without --commit, or its commit failed) go into the next
# commit; a failed commit still prints what was registered, and a retry
# registers nothing twice.
. "$(dirname "$0")/lib.sh"
# A new mailbox writes its record in Chinese: its commit messages too.
mailbox-intake init --git --commit mb >/dev/null || exit 1
mkdir -p mb/.mailbox
echo AB >mb/.mailbox/station
IMPORT="$MAILBOX_SOURCE/sample-data/import"
T1=2026-11-02T09:00:00+08:00
T2=2026-11-03T10:00:00+08:00
T3=2026-11-20T08:30:00+08:00

message() { git -C mb log -1 --format=%B | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'; }
uncommitted() { git -C mb status --porcelain --untracked-files=all -- cases; }
case_count() { find mb/cases -name '*.toml' | wc -l; }

# Three letters registered by runs that never committed (killed, or run
# without --commit).
three_letters "$T1"
run 0 mailbox-report -C mb check --now "$T1"
contains "check still passes" "ok: 3 cases and mailbox.toml, no problems" "$out"
contains "check warns of the uncommitted case files" \
    "warning: 3 case files are not committed (cases/2026/$a.toml, cases/2026/$b.toml, cases/2026/$c.toml)" "$err"
contains "check says how to commit them" "git -C mb add -A cases && git -C mb commit" "$err"

# The clerk's own edits are never committed by a tool.
echo "# 手改" >>mb/mailbox.toml
mkdir -p mb/templates && echo "模板" >mb/templates/reply.mustache
echo "草稿" >mb/cases/2026/notes.txt

run 0 mailbox-assign -C mb "$a" --to cgj --now "$T2" --commit
same "the assignment takes in the two letters left over" "交办$a，交cgj办理。

另提交2个此前命令未提交的案件文件。" "$(message)"
same "no case file left uncommitted" "?? cases/2026/notes.txt" "$(uncommitted)"
same "the hand edit of mailbox.toml stays uncommitted" " M mailbox.toml" \
    "$(git -C mb status --porcelain -- mailbox.toml)"
same "templates stay uncommitted" "?? templates/" "$(git -C mb status --porcelain -- templates)"
run 0 mailbox-report -C mb check --now "$T2"
same "check is quiet once all is committed" "" "$err"

# A chase killed before its commit: the next command's --commit takes it in,
# and the deletion of a case file too.
mailbox-assign -C mb "$b" --to jtj --now "$T2" --commit >/dev/null
run 0 mailbox-assign -C mb chase --now "$T3"
same "the chase wrote without committing" " M cases/2026/$a.toml
 M cases/2026/$b.toml
?? cases/2026/notes.txt" "$(uncommitted)"
git -C mb rm -q --cached "cases/2026/$c.toml" || fail "unstage c"
rm "mb/cases/2026/$c.toml"
run 0 sh -c "echo 正文 | mailbox-intake -C mb new --subject 路灯 --from 赵六 --now $T3 --commit"
d=$out
same "the new letter takes in the chase and the deletion" "登记$d：路灯。

另提交3个此前命令未提交的案件文件。" "$(message)"
same "the deletion is committed" "" "$(git -C mb ls-files "cases/2026/$c.toml")"
same "nothing left but the clerk's note" "?? cases/2026/notes.txt" "$(uncommitted)"

# git's index held by another program (an IDE, a cron pull): the letter is
# registered and said so, its id printed as ever, and the exit status is 3.
touch mb/.git/index.lock
run 3 sh -c "echo 正文 | mailbox-intake -C mb new --subject 噪音 --from 钱七 --now $T3 --commit"
e=$out
check "the id is printed" test -f "mb/cases/2026/$e.toml"
contains "registered, not committed, with git's reason" \
    "mailbox-intake: registered, not committed: git add failed: fatal: Unable to create" "$err"
contains "how to commit later" "the next command run with --commit takes it in" "$err"

run 3 mailbox-intake -C mb import "$IMPORT/01-gbk-stone-bridge.eml" --now "$T3" --commit
f=$(printf '%s\n' "$out" | awk '{ print $1; exit }')
contains "import prints the id it registered" "01-gbk-stone-bridge.eml" "$out"
check "the imported case is there" test -f "mb/cases/2026/$f.toml"
contains "import says it registered" "1 registered, 0 already registered, 0 failed" "$err"
contains "import says not committed" "mailbox-intake: registered, not committed: git add failed" "$err"

run 3 mailbox-assign -C mb "$e" --to cgj --now "$T3" --commit --format json
contains "assign prints the case" "\"id\": \"$e\"" "$out"
contains "assign says saved, not committed" "mailbox-assign: saved, not committed: git add failed" "$err"
run 3 mailbox-intake -C mb import "$IMPORT/01-gbk-stone-bridge.eml" --now "$T3" --commit
contains "a retry with the lock still held registers nothing" "0 registered, 1 already registered" "$err"
contains "and says what is still not committed" \
    "the case files an earlier command left are still not committed: git add failed" "$err"
rm mb/.git/index.lock

# The retry registers nothing twice and commits what the failed runs left.
before=$(case_count)
run 0 mailbox-intake -C mb import "$IMPORT/01-gbk-stone-bridge.eml" --now "$T3" --commit
contains "the retry finds the letter" "already registered as $f" "$err"
same "no second case" "$before" "$(case_count)"
same "the retry commits the leftovers" "提交2个此前命令未提交的案件文件。" \
    "$(message)"
same "all committed" "?? cases/2026/notes.txt" "$(uncommitted)"

# A hook that refuses the commit: the files stay staged, and go with the next.
printf '#!/bin/sh\necho "hook: not today"\nexit 1\n' >mb/.git/hooks/pre-commit
chmod +x mb/.git/hooks/pre-commit
run 3 mailbox-assign -C mb extend "$e" --days 5 --reason 需协调 --approved-by wang --now "$T3" --commit
contains "the hook's words" "saved, not committed: git commit failed: hook: not today" "$err"
contains "the extension is printed" "$e" "$out"
rm mb/.git/hooks/pre-commit
run 0 mailbox-report -C mb check --now "$T3"
contains "check names the staged file" "1 case file is not committed (cases/2026/$e.toml)" "$err"
run 0 mailbox-assign -C mb visit "$d" --note 已查看 --now "$T3" --commit
same "the staged extension goes with the visit" "现场督查$d。

另提交1个此前命令未提交的案件文件。" "$(message)"
same "all committed at the end" "?? cases/2026/notes.txt" "$(uncommitted)"
check "the note is not in git" test -z "$(git -C mb ls-files cases/2026/notes.txt)"

done_testing
