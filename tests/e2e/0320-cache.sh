# The cache (.mailbox/mailbox.db) only ever saves work: whatever happens to
# it or behind its back, every command prints what it would print with no
# cache at all. A hand edit in place, a git checkout of an older commit, a
# deleted case and a case pulled from another clone are each seen by the
# next list, show and new; a damaged, cut short, foreign or other-version
# database is made again; kill -9 while it is being filled leaves a state
# the next command can use; a reader runs while a writer holds the lock.
. "$(dirname "$0")/lib.sh"
mailbox-intake init --git mb >/dev/null || exit 1
mkdir -p mb/.mailbox && echo AB >mb/.mailbox/station
three_letters "$NOW"
git -C mb add -A >/dev/null && git -C mb commit -qm letters

# every_view: what list (every field, as json) and show print now.
every_view() {
    mailbox-report -C mb list --now "$NOW" --format json
    for id in $(mailbox-report -C mb list --now "$NOW" --format tsv | tail -n +2 | cut -f1); do
        mailbox-report -C mb show "$id" --now "$NOW" --format json
    done
}
# cold_views: the same with no cache, which it leaves behind.
cold_views() {
    mv mb/.mailbox "$TEST_DIR/kept"
    mkdir mb/.mailbox && cp "$TEST_DIR/kept/station" mb/.mailbox/
    every_view
    rm -rf mb/.mailbox && mv "$TEST_DIR/kept" mb/.mailbox
}
# as_cold WHAT: the views from the cache equal those made without one.
as_cold() {
    same "$1" "$(cold_views)" "$(every_view)"
}

run 0 mailbox-assign -C mb "$a" --to zjj --now "$NOW"
every_view >/dev/null
as_cold "assigned: the cache says what the files say"

# A hand edit in place: same inode, the folder's time untouched.
file=mb/cases/2026/$b.toml
text=$(cat "$file")
printf '%s\n' "${text/公交线路调整/公交线路调整（改）}" >"$file"
run 0 mailbox-report -C mb list --now "$NOW" --format tsv
contains "list sees an edit in place" "公交线路调整（改）" "$out"
run 0 mailbox-report -C mb show "$b" --now "$NOW"
contains "show sees it" "公交线路调整（改）" "$out"
as_cold "edited in place"
git -C mb commit -qam "hand edit" >/dev/null

# git checkout of an older commit brings the old files back.
git -C mb checkout -q HEAD~1 -- cases
run 0 mailbox-report -C mb list --now "$NOW" --format tsv
contains "checkout: the old subject is back" "公交线路调整	" "$out"
as_cold "after git checkout"
git -C mb checkout -q HEAD -- cases

# A case deleted: gone from list, show and the sender's other letters.
register "菜市场油烟扰民" 张三 "$NOW" >/dev/null
d=$(mailbox-report -C mb list --now "$NOW" --format tsv | grep 油烟 | cut -f1)
run 0 mailbox-report -C mb show "$a" --now "$NOW"
contains "the sender's other letter is shown" "$d" "$out"
rm "mb/cases/2026/$d.toml"
run 0 mailbox-report -C mb show "$a" --now "$NOW"
same "show: the deleted case is no longer the sender's" "" "$(printf '%s\n' "$out" | grep "$d")"
run 0 mailbox-report -C mb list --now "$NOW" --format tsv
same "list: three cases" "4" "$(printf '%s\n' "$out" | wc -l)"
as_cold "after a delete"
git -C mb add -A >/dev/null && git -C mb commit -qm more >/dev/null

# A case registered in another clone and pulled.
git clone -q mb other
mkdir -p other/.mailbox && echo CD >other/.mailbox/station
echo "正文：河边护栏松动" | mailbox-intake -C other new --subject 河边护栏松动 --from 赵六 --now "$NOW" >/dev/null
git -C other add -A >/dev/null && git -C other commit -qm pulled
git -C mb pull -q "$TEST_DIR/other" HEAD 2>/dev/null
run 0 mailbox-report -C mb list --now "$NOW" --format tsv
contains "list sees the pulled case" "河边护栏松动" "$out"
run 0 mailbox-intake -C mb new --subject 河边护栏松动 --from 赵六 --now "$NOW" <<<"正文：河边护栏松动"
contains "new finds it registered" "already registered as" "$err"
as_cold "after a pull"

# A damaged, cut short, foreign or other-version database: made again.
every_view >/dev/null
golden_views=$(cold_views)
spoil() {
    python3 -c "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.close()" \
        mb/.mailbox/mailbox.db "$1" || fail "spoil: $1"
}
spoil "PRAGMA user_version = 99"
same "another version" "$golden_views" "$(every_view)"
spoil "PRAGMA application_id = 7"
same "another program's" "$golden_views" "$(every_view)"
spoil "UPDATE cases SET entry = x'00ff'; UPDATE letters SET bigrams = x'01'"
same "rows that do not decode" "$golden_views" "$(every_view)"
spoil "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE"
head -c 5000 mb/.mailbox/mailbox.db >"$TEST_DIR/cut" && mv "$TEST_DIR/cut" mb/.mailbox/mailbox.db
same "cut short" "$golden_views" "$(every_view)"
echo "not a database" >mb/.mailbox/mailbox.db
same "garbage" "$golden_views" "$(every_view)"

# A dry run changes nothing the next command sees: the cases it would
# write are its own run's. The files are first made older than the cache's
# racy window, as an office's are, so that their rows are trusted.
age_cases() {
    find mb/cases -name '*.toml' -exec touch -d '2026-11-01 00:00' {} +
    every_view >/dev/null
}
age_cases
before_dry=$(every_view)
# dry WHAT COMMAND...: runs COMMAND with --dry-run; every view is as before.
dry() {
    local what=$1
    shift
    run 0 "$@" --now "$NOW" --dry-run
    same "a dry run of $what leaves every view as it was" "$before_dry" "$(every_view)"
}
printf '关于您反映的建设路路灯不亮问题，我局已于十一月三日派人检修，更换了损坏的灯具，现已恢复正常照明。感谢您的监督。\n' \
    >"$TEST_DIR/answer"
dry "assign" mailbox-assign -C mb "$b" --to jtj
dry "visit" mailbox-assign -C mb visit "$a" --note 现场查看
dry "link" mailbox-assign -C mb link "$b" "$c"
dry "restrict" mailbox-assign -C mb restrict "$c" --reason 涉及举报
dry "extend" mailbox-assign -C mb extend "$a" --days 5 --reason 需要现场核实 --approved-by wang
dry "return" mailbox-assign -C mb return "$a" --reason 不属本单位职责
dry "chase" mailbox-assign -C mb chase
dry "edit" mailbox-intake -C mb edit "$b" --subject 公交线路调整（再改）
dry "draft" mailbox-reply -C mb draft "$a" --outcome resolved --file "$TEST_DIR/answer"
dry "new" mailbox-intake -C mb new --subject 新的来信 --from 孙七 <<<"正文：新的来信"
run 0 mailbox-reply -C mb draft "$a" --outcome resolved --file "$TEST_DIR/answer" --now "$NOW"
age_cases
before_dry=$(every_view)
dry "review" env MAILBOX_USER=审核员 mailbox-reply -C mb review "$a" --approve
as_cold "after the dry runs"

# A reader while a writer holds the lock (flock on the mailbox folder).
flock mb sleep 3 &
holder=$!
sleep 0.3
run 0 timeout 2 mailbox-report -C mb list --now "$NOW" --format tsv
same "list runs beside the writer" "5" "$(printf '%s\n' "$out" | wc -l)"
run 0 timeout 2 mailbox-report -C mb show "$a" --now "$NOW"
contains "show runs beside the writer" "建设路路灯不亮" "$out"
wait $holder

# kill -9 while the cache is being filled: the next command is right.
template=mb/cases/2026/$b.toml
for i in $(seq 100 699); do
    id=261110-00$i$((i % 10))
    sed "s/$b/$id/g" "$template" >"mb/cases/2026/$id.toml"
done
golden=$(mv mb/.mailbox "$TEST_DIR/kept" && mkdir mb/.mailbox &&
    mailbox-report -C mb list --now "$NOW" --format json; rm -rf mb/.mailbox; mv "$TEST_DIR/kept" mb/.mailbox)
for delay in 0.01 0.05 0.1 0.2; do
    rm -rf mb/.mailbox/mailbox.db*
    mailbox-report -C mb list --now "$NOW" --format json >/dev/null 2>&1 &
    pid=$!
    sleep $delay
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
    run 0 mailbox-report -C mb list --now "$NOW" --format json
    same "killed after ${delay}s: list as with no cache" "$golden" "$out"
    run 0 mailbox-report -C mb show 261110-001000 --now "$NOW"
    contains "killed after ${delay}s: show" "公交线路调整" "$out"
    same "killed after ${delay}s: its half-filled database is gone" "" "$(ls mb/.mailbox | grep tmp)"
done
run 0 mailbox-report -C mb check --now "$NOW"

done_testing
