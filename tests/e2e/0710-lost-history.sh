# A conflict resolved by taking one side's file drops the other clerk's
# history entries: check finds them, in a merge in progress and in a merge
# committed, and the command it gives puts them back.
. "$(dirname "$0")/lib.sh"
mailbox-intake init --git origin >/dev/null
echo 正文 | mailbox-intake -C origin new --subject 路灯不亮 --from 张三 --now "$NOW" >/dev/null
(cd origin && git add -A && git commit -qm init && git config receive.denyCurrentBranch ignore) || fail "origin"
id=$(ls origin/cases/2026 | sed 's/\.toml$//')
file=cases/2026/$id.toml
git clone -q origin a && git clone -q origin b
mailbox-report -C a setup-git >/dev/null && mailbox-report -C b setup-git >/dev/null || fail "setup-git"
T=2026-11-25T10:00:00+08:00
mailbox-assign -C a "$id" --to cgj --now "$T" --commit >/dev/null || fail "assign in a"
mailbox-assign -C b "$id" --to jtj --now "$T" --commit >/dev/null || fail "assign in b"
theirs=$(git -C b rev-parse HEAD)
# A merge driver that fails, as the line-by-line merge would: a conflict.
git -C a -c merge.mailbox.driver=false pull -q --no-rebase ../b HEAD >/dev/null 2>&1 &&
    fail "the merge stops on a conflict"
git -C a checkout -q --ours "$file" && git -C a add "$file" || fail "take ours"
run 3 mailbox-report -C a check
contains "found mid-merge" "$file: history lost: 1 entry" "$err"
contains "names the side" "the work tree lacks it of MERGE_HEAD" "$err"
git -C a commit -qm "merge b" --no-edit || fail "commit the merge"
merge=$(git -C a rev-parse --short=10 HEAD)
run 3 mailbox-report -C a check
contains "found after the commit" "merge $merge dropped it of its parent ${theirs:0:10}" "$err"
fix=$(printf '%s\n' "$err" | sed -n 's/.*put it back with: //p')
contains "a command to put it back" "mailbox-report merge-file <(git show" "$fix"
(cd a && PATH="$MAILBOX_BIN:$PATH" bash -c "$fix") || fail "the command given: $fix"
run 0 mailbox-report -C a check
contains "the entry is back" "ok: 1 case" "$out"
same "both assignments are in the history" "2" "$(grep -c 'action = "assign"' "a/$file")"
git -C a commit -qam "put back b's history" || fail "commit the fix"
run 0 mailbox-report -C a check
contains "clean once committed" "ok: 1 case" "$out"
grep -q "$(git -C a rev-parse HEAD~1)" a/.mailbox/verified-merges || fail "the merge is remembered as checked"

# A hand edit that deletes an entry is lost history too.
python3 - "a/$file" <<'PY' || fail "hand edit"
import sys
p = sys.argv[1]
t = open(p, encoding="utf-8").read()
i = t.rindex("[[history]]")
open(p, "w", encoding="utf-8").write(t[:i].rstrip("\n") + "\n")
PY
run 3 mailbox-report -C a check
contains "a deleted entry is found" "the work tree lacks it of HEAD" "$err"
done_testing
