# Two clones register letters on the same day, at the same moment, and merge:
# no conflicts, no duplicate ids.
. "$(dirname "$0")/lib.sh"
mailbox-intake init --git origin >/dev/null
(cd origin && git add -A && git commit -qm init && git config receive.denyCurrentBranch ignore) || fail "origin"
git clone -q origin a && git clone -q origin b
# A clone gets no .git/config from its origin: each one sets the driver up.
run 3 mailbox-report -C a check
contains "check names the missing driver" ".git/config: this clone has no merge driver" "$err"
mailbox-report -C a setup-git >/dev/null && mailbox-report -C b setup-git >/dev/null || fail "setup-git"
echo AA >a/.mailbox/station 2>/dev/null || { mkdir -p a/.mailbox b/.mailbox; echo AA >a/.mailbox/station; }
mkdir -p b/.mailbox && echo BB >b/.mailbox/station
for i in 1 2 3; do
    echo 正文 | mailbox-intake -C a new --subject "甲$i" --from 张三 --now "$NOW" >/dev/null
    echo 正文 | mailbox-intake -C b new --subject "乙$i" --from 李四 --now "$NOW" >/dev/null
done
(cd a && git add -A && git commit -qm a) || fail "commit a"
(cd b && git add -A && git commit -qm b) || fail "commit b"
(cd a && git pull -q --no-rebase ../b HEAD >/dev/null 2>&1) || fail "merge without conflicts"
same "six distinct cases" "6" "$(ls a/cases/2026 | sort -u | wc -l)"
run 0 mailbox-report -C a check
same "the merged mailbox checks clean" "ok: 6 cases and mailbox.toml, no problems" "$out"
same "git status clean" "" "$(cd a && git status --porcelain)"

# A lone repository, with no remote and no .gitattributes asking for the
# driver, has no clone to merge with: check asks for nothing.
mailbox-intake init lone >/dev/null && git -C lone init -q || fail "lone repository"
run 0 mailbox-report -C lone check
git -C lone remote add origin ../origin
run 3 mailbox-report -C lone check
contains "a clone is asked for the driver" "run 'mailbox-report setup-git'" "$err"

# --commit in the middle of a merge would leave its files to the merge's own
# commit: refused before anything is written.
(cd a && git checkout -qb side && echo x >notes.txt && git add notes.txt && git commit -qm side && git checkout -q - &&
    git merge -q --no-commit --no-ff side >/dev/null 2>&1) || fail "a merge stopped before its commit"
before=$(ls a/cases/2026 | wc -l)
run 2 sh -c 'echo 正文 | mailbox-intake -C a new --subject 路灯 --from 张三 --commit'
contains "--commit refused mid-merge" "git stopped in the middle of a merge" "$err"
same "nothing written mid-merge" "$before" "$(ls a/cases/2026 | wc -l)"
done_testing
