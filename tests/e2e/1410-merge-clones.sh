# The merge driver through real git: an origin made with init --git, clones
# set up with setup-git, pulls that meet a case two clones changed.
. "$(dirname "$0")/lib.sh"

# --- init --git sets the driver up and writes .gitattributes.
run 0 mailbox-intake init --git origin
same "init --git: .gitattributes" "# case files merge field by field and history entry by entry (mailbox-report setup-git)
cases/** merge=mailbox" "$(cat origin/.gitattributes)"
same "init --git: case files go to the driver" "cases/2026/261125-ADZGAB.toml: merge: mailbox" \
    "$(git -C origin check-attr merge -- cases/2026/261125-ADZGAB.toml)"
same "init --git: merge.mailbox.recursive" mailbox-recursive "$(git -C origin config --local merge.mailbox.recursive)"
check "init --git: merge.mailbox.name" test -n "$(git -C origin config --local merge.mailbox.name)"
check "init --git: merge.mailbox-recursive.name" test -n "$(git -C origin config --local merge.mailbox-recursive.name)"
driver=$(git -C origin config --local merge.mailbox.driver)
contains "init --git: the driver runs the mailbox-report that set it up" \
    "r='$MAILBOX_BIN/mailbox-report'" "$driver"
contains "init --git: the driver's arguments" "merge-file --marker-size %L %O %A %B %P" "$driver"
contains "init --git: the inner driver" "merge-file --recursive --marker-size %L %O %A %B %P" \
    "$(git -C origin config --local merge.mailbox-recursive.driver)"
(cd origin && git add -A && git commit -qm init && git config receive.denyCurrentBranch ignore) || fail "origin"
run 0 mailbox-report -C origin check
same "init --git: origin checks clean" "ok: 0 cases and mailbox.toml, no problems" "$out"

# init --git --commit commits .gitattributes with the rest.
run 0 mailbox-intake init --git --commit committed
same "init --git --commit: .gitattributes committed" ".gitattributes
.gitignore
cases/.gitkeep
mailbox.toml" "$(git -C committed ls-files)"
same "init --git --commit: nothing left over" "" "$(git -C committed status --porcelain)"

# --- setup-git in a fresh clone: the config only, .gitattributes came with it.
git clone -q origin a && git clone -q origin b
mkdir -p a/.mailbox b/.mailbox
echo AA >a/.mailbox/station
echo BB >b/.mailbox/station
run 0 mailbox-report -C a setup-git
same "setup-git in a clone" "wrote .git/config" "$out"
run 0 mailbox-report -C a setup-git
same "setup-git again" "the merge driver was already set up in this clone" "$out"
same "setup-git: the clone's own config" "$driver" "$(git -C a config --local merge.mailbox.driver)"
same "setup-git: nothing to commit" "" "$(git -C a status --porcelain)"
cd b && run 0 mailbox-report setup-git
cd "$TEST_DIR" || exit 1
same "setup-git found the mailbox from the clone's folder" "wrote .git/config" "$out"

at() { echo "2026-11-25T$1:00+08:00"; }
last_entry() { tail -n 7 "$1"; }
push() { git -C "$1" push -q 2>&1; }
# pull EXIT CLONE: the README's pull; $out, $err and $code as for run.
pull() {
    run "$1" git -C "$2" pull --no-rebase
}
same_file() {
    checks=$((checks + 1))
    if ! cmp -s "$2" "$3"; then
        fail "$1"
        diff -u "$2" "$3" | head -40 >&2
    fi
}
# new_case SUBJECT FROM: in a, registered on 20 November, assigned to cgj,
# committed and pushed, pulled into the other clone; sets $id and $f.
new_case() {
    id=$(echo "正文：$1" | mailbox-intake -C a new --subject "$1" --from "$2" --now 2026-11-20T09:00:00+08:00 --commit)
    f=cases/2026/$id.toml
    mailbox-assign -C a "$id" --to cgj --now 2026-11-20T10:00:00+08:00 --commit >/dev/null || fail "assign $id"
    push a || fail "push $id"
    git -C b pull -q --no-rebase || fail "pull $id into b"
}
clean() {
    run 0 mailbox-report -C "$1" check
    same "$2: $1 checks clean" "ok: $3 and mailbox.toml, no problems" "$out"
    same "$2: $1's git status is clean" "" "$(git -C "$1" status --porcelain)"
}

# --- The README: one clone chases in the morning, the other records a visit
# on the same case; the second pull merges both.
new_case 建设路路灯不亮 张三
readme_id=$id
mailbox-assign -C a chase -q --now "$(at 08:30)" --commit || fail "chase"
push a
mailbox-assign -C b visit "$id" --note 现场查看 --now "$(at 09:30)" --commit >/dev/null || fail "visit"
cp "b/$f" visit.toml
{ cat "a/$f"; last_entry visit.toml; } >readme.want
pull 0 b
same_file "README: the chase and the visit" readme.want "b/$f"
same "README: a merge commit" 2 "$(git -C b log -1 --format=%P | wc -w)"
clean b README "1 case"
push b
pull 0 a
same_file "README: the first clone gets the merge" readme.want "a/$f"

# --- The same entry appended in both clones (and one more each): once.
new_case 公交线路调整 李四
for c in a b; do
    mailbox-assign -C $c visit "$id" --note 现场查看 --now "$(at 10:00)" --commit >/dev/null || fail "visit in $c"
done
mailbox-assign -C a visit "$id" --note 甲：已联系公交公司 --now "$(at 10:30)" --commit >/dev/null
mailbox-assign -C b visit "$id" --note 乙：已答复来信人 --now "$(at 10:15)" --commit >/dev/null
push a
{ cat "b/$f"; last_entry "a/$f"; } >identical.want
pull 0 b
same_file "identical entry: once, the others in time order" identical.want "b/$f"
same "identical entry: one visit at 10:00" 1 "$(grep -c '^at = 2026-11-25T10:00:00+08:00$' "b/$f")"
clean b "identical entry" "2 cases"
push b && pull 0 a

# --- A field change (an extension) in one clone, a visit in the other.
new_case 小区噪音 王五
mailbox-assign -C a extend "$id" --days 5 --reason 需协调施工单位 --approved-by wang --now "$(at 09:00)" --commit >/dev/null
mailbox-assign -C b visit "$id" --note 现场查看 --now "$(at 09:30)" --commit >/dev/null
push a
{ cat "a/$f"; last_entry "b/$f"; } >field.want
pull 0 b
same_file "field vs append: the extension and both entries" field.want "b/$f"
clean b "field vs append" "3 cases"
push b && pull 0 a

# --- The subject corrected differently in both clones: the pull stops,
# markers around the subject only, the history merged.
new_case 道路积水 赵六
sed -i 's/^subject = .*/subject = "人民路道路积水"/' "a/$f"
(cd a && git commit -qam 'subject' && git push -q origin HEAD) || fail "commit subject in a"
mailbox-assign -C a visit "$id" --note 甲 --now "$(at 10:50)" --commit >/dev/null && push a
sed -i 's/^subject = .*/subject = "道路积水严重"/' "b/$f"
(cd b && git commit -qam 'subject') || fail "commit subject in b"
mailbox-assign -C b chase -q --now "$(at 10:40)" --commit || fail "chase in b"
cp "b/$f" ours.toml
pull 1 b
contains "subject conflict: git says the driver left a conflict" "CONFLICT (content): Merge conflict in $f" "$out"
contains "subject conflict: the driver's note" "mailbox-report: merge-file: $f: both sides changed subject: left between markers" "$err"
{ cat ours.toml; last_entry "a/$f"; } |
    awk '/^subject = / { print "<<<<<<< ours"; print "subject = \"道路积水严重\""; print "======="; print "subject = \"人民路道路积水\""; print ">>>>>>> theirs"; next } { print }' >subject.want
same_file "subject conflict: markers around the subject only, the history merged" subject.want "b/$f"
run 3 mailbox-report -C b check
same "subject conflict: check names the markers and the unmerged path" \
    "mailbox-report: $f:11:1: git conflict marker; resolve the merge and run check again
mailbox-report: $f:13:1: git conflict marker; resolve the merge and run check again
mailbox-report: $f:15:1: git conflict marker; resolve the merge and run check again
mailbox-report: $f: unmerged after a failed git merge: resolve it (edit the conflict markers away and run check), 'git add $f', then 'git commit' (or 'git rebase --continue')
mailbox-report: 4 problems in 4 cases and mailbox.toml" "$err"
# Resolved by hand: theirs' subject kept.
sed -i -e '/^<<<<<<< ours$/,/^=======$/d' -e '/^>>>>>>> theirs$/d' "b/$f"
run 3 mailbox-report -C b check
same "subject conflict, markers gone, not added yet: the unmerged path only" \
    "mailbox-report: $f: unmerged after a failed git merge: resolve it (edit the conflict markers away and run check), 'git add $f', then 'git commit' (or 'git rebase --continue')
mailbox-report: 1 problem in 4 cases and mailbox.toml" "$err"
(cd b && git add "$f" && git commit -q --no-edit) || fail "commit the resolution"
sed 's/^subject = .*/subject = "人民路道路积水"/' ours.toml >resolved.want
last_entry "a/$f" >>resolved.want
same_file "subject conflict resolved: theirs' subject, both entries" resolved.want "b/$f"
clean b "subject conflict resolved" "4 cases"
push b && pull 0 a

# --- The same case added in two clones (one station, the same moment, the
# same letter), then changed differently in each: an add/add the driver merges.
echo AA >b/.mailbox/station
for c in a b; do
    echo 正文：垃圾清运不及时 | mailbox-intake -C $c new --subject 垃圾清运不及时 --from 钱七 --now "$(at 11:00)" --commit >$c.id
done
id=$(cat a.id)
f=cases/2026/$id.toml
same "add/add: one id in both clones" "$id" "$(cat b.id)"
mailbox-assign -C a visit "$id" --note 现场查看 --now "$(at 11:30)" --commit >/dev/null
mailbox-assign -C b visit "$id" --note 电话联系来信人 --now "$(at 11:20)" --commit >/dev/null
push a
{ cat "b/$f"; last_entry "a/$f"; } >addadd.want
pull 0 b
same_file "add/add: one case, both entries" addadd.want "b/$f"
clean b "add/add" "5 cases"
push b && pull 0 a
echo BB >b/.mailbox/station

# --- Modify/delete: one clone removes a case, the other records a visit.
new_case 重复来信 孙八
(cd a && git rm -q "$f" && git commit -qm 'remove a duplicate' && git push -q origin HEAD) || fail "git rm in a"
mailbox-assign -C b visit "$id" --note 现场查看 --now "$(at 09:30)" --commit >/dev/null
pull 1 b
contains "modify/delete: git says so" "CONFLICT (modify/delete): $f deleted in" "$out"
run 3 mailbox-report -C b check
same "modify/delete: check says 'git add' or 'git rm'" \
    "mailbox-report: $f: unmerged after a failed git merge: changed on one side and deleted on the other: keep it with 'git add $f' or drop it with 'git rm $f', then 'git commit' (or 'git rebase --continue')
mailbox-report: 1 problem in 6 cases and mailbox.toml" "$err"
(cd b && git rm -q "$f" && git commit -q --no-edit) || fail "finish the modify/delete"
clean b "modify/delete" "5 cases"
push b && pull 0 a

# --- A clone without the driver: plain git clone, no setup-git.
git clone -q origin c
run 3 mailbox-report -C c check
same "no driver: check names .git/config and setup-git" \
    "mailbox-report: .git/config: this clone has no merge driver for case files, so a pull that meets a case two clones changed stops with a conflict; run 'mailbox-report setup-git'
mailbox-report: 1 problem in 5 cases and mailbox.toml" "$err"
run 0 mailbox-report -C c setup-git
same "no driver: setup-git" "wrote .git/config" "$out"
clean c "no driver, set up" "5 cases"
# .gitattributes that does not route cases/ to the driver.
sed -i '/merge=mailbox/d' c/.gitattributes
run 3 mailbox-report -C c check
contains "no attribute: check names .gitattributes" \
    "mailbox-report: .gitattributes: case files are not sent to the merge driver; run 'mailbox-report setup-git' and commit .gitattributes" "$err"
git -C c checkout -q .gitattributes

# --- The mailbox-report that ran setup-git is gone and none is on PATH:
# git's line merge, with a note, never "command not found".
mkdir gone && cp "$MAILBOX_BIN/mailbox-report" gone/
git clone -q origin d && mkdir -p d/.mailbox && echo DD >d/.mailbox/station
run 0 gone/mailbox-report -C d setup-git
contains "setup-git from another folder: that mailbox-report" "r='$TEST_DIR/gone/mailbox-report'" \
    "$(git -C d config --local merge.mailbox.driver)"
rm gone/mailbox-report
id=$readme_id f=cases/2026/$readme_id.toml
mailbox-assign -C d visit "$id" --note 丁 --now "$(at 12:00)" --commit >/dev/null
mailbox-assign -C a visit "$id" --note 甲 --now "$(at 12:30)" --commit >/dev/null && push a
mkdir gitonly && ln -s "$(command -v git)" gitonly/git
run 1 env PATH="$TEST_DIR/gitonly" git -C d pull --no-rebase origin HEAD
contains "no mailbox-report: the driver's note" "mailbox-report not found: $f merged line by line" "$err"
contains "no mailbox-report: a line merge's conflict" "CONFLICT (content): Merge conflict in $f" "$out"
check "no mailbox-report: git's markers" grep -q '^<<<<<<< ours$' "d/$f"
git -C d merge --abort

# --- setup-git where nothing is set up yet: git init, then a mailbox.
mkdir solo && git -C solo init -q && mailbox-intake init solo >/dev/null
run 0 mailbox-report -C solo setup-git --commit
same "setup-git --commit in a new repository" "wrote .git/config
wrote .gitattributes
committed .gitattributes: push it, so that every clone merges alike" "$out"
same "setup-git --commit: the commit" "Merge case files with the mailbox merge driver." "$(git -C solo log -1 --format=%s)"
same "setup-git --commit: .gitattributes committed" ".gitattributes" "$(git -C solo show --format= --name-only HEAD)"
mkdir plain && mailbox-intake init plain/mb >/dev/null
run 2 mailbox-report -C plain/mb setup-git
contains "setup-git outside git: a usage error" "is not in a git work tree" "$err"

# --- Two different letters registered as one id (one station in both clones,
# the same moment): the pull stops, OURS kept, check says how to go on.
echo AA >b/.mailbox/station
echo 正文：路面塌陷 | mailbox-intake -C a new --subject 路面塌陷 --from 周九 --now "$(at 14:00)" --commit >a.id
echo 正文：噪音扰民 | mailbox-intake -C b new --subject 噪音扰民 --from 吴十 --now "$(at 14:00)" --commit >b.id
id=$(cat a.id)
f=cases/2026/$id.toml
same "collision: one id in both clones" "$id" "$(cat b.id)"
push a
cp "b/$f" ours.toml
pull 1 b
contains "collision: the driver's note" "mailbox-report: merge-file: $f: two different letters were registered as $id" "$err"
contains "collision: the note names renumber" "'mailbox-intake renumber $id'" "$err"
same_file "collision: ours as it was" ours.toml "b/$f"
run 3 mailbox-report -C b check
same "collision: check says renumber" \
    "mailbox-report: $f: unmerged after a failed git merge: two different letters were registered as $id in two clones; give one its own id with 'mailbox-intake renumber $id', then 'git commit' (or 'git rebase --continue')
mailbox-report: 1 problem in 6 cases and mailbox.toml" "$err"
# Finished with renumber: two cases, the same tenth of a second.
run 0 mailbox-intake -C b renumber "$id"
(cd b && git commit -q --no-edit) || fail "commit after renumber"
clean b "collision renumbered" "7 cases"
ids=$(mailbox-report -C b list --format tsv | grep -e 路面塌陷 -e 噪音扰民 | cut -f1 | sort -u)
same "collision renumbered: two letters, two ids in one tenth of a second" 2 "$(grep -c "^${id%AA}..$" <<<"$ids")"
same "collision renumbered: one keeps the id" 1 "$(grep -c "^$id$" <<<"$ids")"

# --- A criss-cross: two clones merged each other's subject change at once and
# resolved it differently. The inner merge (merge.mailbox.recursive) keeps the
# base's subject without markers, so the outer merge is the driver's again:
# one marker block around the subject, all four entries.
git clone -q origin e && git clone -q origin g
mkdir -p e/.mailbox g/.mailbox && echo EE >e/.mailbox/station && echo GG >g/.mailbox/station
mailbox-report -C e setup-git >/dev/null && mailbox-report -C g setup-git >/dev/null
id=$(echo 正文：桥梁护栏损坏 | mailbox-intake -C e new --subject 桥梁护栏损坏 --from 郑一 --now 2026-11-20T09:00:00+08:00 --commit)
f=cases/2026/$id.toml
push e >/dev/null && git -C g pull -q --no-rebase
sed -i 's/^subject = .*/subject = "东桥护栏损坏"/' "e/$f"
git -C e commit -qam subject && mailbox-assign -C e visit "$id" --note 甲 --now "$(at 10:00)" --commit >/dev/null
sed -i 's/^subject = .*/subject = "西桥护栏损坏"/' "g/$f"
git -C g commit -qam subject && mailbox-assign -C g visit "$id" --note 乙 --now "$(at 10:05)" --commit >/dev/null
git -C e fetch -q ../g HEAD && e1=$(git -C e rev-parse HEAD) && g1=$(git -C g rev-parse HEAD)
git -C g fetch -q ../e HEAD
git -C e merge -q "$g1" >/dev/null 2>&1
sed -i -e '/^=======$/,/^>>>>>>> theirs$/d' -e '/^<<<<<<< ours$/d' "e/$f"
git -C e commit -qam 'keep ours' || fail "criss-cross: commit e's resolution"
git -C g merge -q "$e1" >/dev/null 2>&1
sed -i -e '/^=======$/,/^>>>>>>> theirs$/d' -e '/^<<<<<<< ours$/d' "g/$f"
git -C g commit -qam 'keep ours' || fail "criss-cross: commit g's resolution"
mailbox-assign -C e visit "$id" --note 丙 --now "$(at 11:00)" --commit >/dev/null
mailbox-assign -C g visit "$id" --note 丁 --now "$(at 11:10)" --commit >/dev/null
git -C e fetch -q ../g HEAD
same "criss-cross: two merge bases" 2 "$(git -C e merge-base --all HEAD FETCH_HEAD | wc -l)"
cp "e/$f" ours.toml
{ cat ours.toml; last_entry "g/$f"; } |
    awk '/^subject = / { print "<<<<<<< ours"; print "subject = \"东桥护栏损坏\""; print "======="; print "subject = \"西桥护栏损坏\""; print ">>>>>>> theirs"; next } { print }' >crisscross.want
run 1 git -C e merge FETCH_HEAD
same "criss-cross: the outer merge's note only" "mailbox-report: merge-file: $f: both sides changed subject: left between markers" "$err"
same_file "criss-cross: one marker block, all four entries" crisscross.want "e/$f"
same "criss-cross: four visits" 4 "$(grep -c '^action = "visit"$' "e/$f")"
done_testing
