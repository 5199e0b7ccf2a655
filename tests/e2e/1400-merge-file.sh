# The git merge driver called directly, as git calls it:
# mailbox-report merge-file BASE OURS THEIRS PATH. The three versions of one
# case file are made with the real tools on copies of one mailbox.
. "$(dirname "$0")/lib.sh"

new_mailbox AB
id=$(register 路灯不亮 张三 2026-11-20T09:00:00+08:00)
mailbox-assign -C mb "$id" --to cgj --now 2026-11-20T10:00:00+08:00 >/dev/null || fail "assign"
f=cases/2026/$id.toml
cp "mb/$f" O.toml

# PATH as git gives it: the file in the work tree, used in messages only. It
# holds something else here, and must still hold it at the end.
P=$f
mkdir -p "$(dirname "$P")"
echo sentinel >"$P"

# at HH:MM: a moment on 25 November 2026.
at() { echo "2026-11-25T$1:00+08:00"; }

# fork NAME: a copy of the base mailbox, to act on with -C NAME.
fork() {
    rm -rf "$1"
    cp -a mb "$1"
}

# The parts of a case file: the fields, the history (from its comment on),
# the last history entry (a blank line and six lines).
fields_of() { sed '/^# history:/,$d' "$1"; }
history_of() { sed -n '/^# history:/,$p' "$1"; }
last_entry() { tail -n 7 "$1"; }

# merge EXIT RESULT BASE OURS THEIRS [OPTIONS...]: OURS copied to RESULT,
# then the driver merges THEIRS into RESULT.
merge() {
    local want=$1 result=$2 base=$3 ours=$4 theirs=$5
    shift 5
    cp "$ours" "$result"
    run "$want" mailbox-report merge-file "$@" "$base" "$result" "$theirs" "$P"
}

# same_file DESCRIPTION EXPECTED_FILE ACTUAL_FILE: byte for byte.
same_file() {
    checks=$((checks + 1))
    if ! cmp -s "$2" "$3"; then
        fail "$1"
        diff -u "$2" "$3" | head -40 >&2
    fi
}

# with_markers FILE KEY N OURS_LINE THEIRS_LINE [OURS_LABEL THEIRS_LABEL]:
# FILE with the line of KEY replaced by a conflict block, N-char markers.
with_markers() {
    local file=$1 key=$2 n=$3 ours=$4 theirs=$5 lo=${6:-ours} lt=${7:-theirs}
    local open sep close
    open=$(printf "%${n}s" '' | tr ' ' '<')
    sep=$(printf "%${n}s" '' | tr ' ' '=')
    close=$(printf "%${n}s" '' | tr ' ' '>')
    awk -v key="$key = " -v a="$open $lo" -v o="$ours" -v e="$sep" -v t="$theirs" -v b="$close $lt" \
        'index($0, key) == 1 { print a; print o; print e; print t; print b; next } { print }' "$file"
}

note="mailbox-report: merge-file: $P:"

# --- Both append different entries: a chase at 08:30, a visit at 09:30.
fork A && mailbox-assign -C A visit "$id" --note 现场查看 --now "$(at 09:30)" >/dev/null
fork B && mailbox-assign -C B chase --now "$(at 08:30)" >/dev/null
cp "A/$f" A.toml
cp "B/$f" B.toml
{ cat B.toml; last_entry A.toml; } >append.want
merge 0 R.toml O.toml A.toml B.toml
same "append/append: nothing on stdout" "" "$out"
same "append/append: no note" "" "$err"
same_file "append/append: both entries, in time order" append.want R.toml
merge 0 R2.toml O.toml B.toml A.toml
same_file "append/append: merge(O,B,A) is merge(O,A,B)" R.toml R2.toml
# Idempotent: the result merged again with either side is the result.
merge 0 R3.toml A.toml R.toml A.toml
same_file "append/append: re-merged with ours (base ours)" R.toml R3.toml
merge 0 R3.toml B.toml R.toml B.toml
same_file "append/append: re-merged with theirs (base theirs)" R.toml R3.toml
merge 0 R3.toml A.toml A.toml R.toml
same_file "append/append: ours merged with the result" R.toml R3.toml
fork C && cp R.toml "C/$f"
run 0 mailbox-report -C C check
same "append/append: the result checks clean" "ok: 1 case and mailbox.toml, no problems" "$out"

# --- A one-sided change gives exactly that side's file; OURS is not
# rewritten when the result is OURS.
merge 0 R.toml O.toml O.toml A.toml
same_file "one-sided change (theirs): theirs" A.toml R.toml
cp A.toml R.toml
inode=$(stat -c %i R.toml)
run 0 mailbox-report merge-file O.toml R.toml O.toml "$P"
same_file "one-sided change (ours): ours" A.toml R.toml
same "one-sided change (ours): OURS not rewritten" "$inode" "$(stat -c %i R.toml)"

# --- The same entry on both sides (the same visit recorded in two clones),
# then one more each: the shared entry once.
fork A && mailbox-assign -C A visit "$id" --note 现场查看 --now "$(at 09:30)" >/dev/null &&
    mailbox-assign -C A visit "$id" --note 已修复 --now "$(at 10:00)" >/dev/null
fork B && mailbox-assign -C B visit "$id" --note 现场查看 --now "$(at 09:30)" >/dev/null &&
    mailbox-assign -C B chase --now "$(at 09:45)" >/dev/null
cp "A/$f" A.toml
cp "B/$f" B.toml
{ cat B.toml; last_entry A.toml; } >identical.want
merge 0 R.toml O.toml A.toml B.toml
same_file "identical entry: once, then the others in time order" identical.want R.toml
same "identical entry: one visit at 09:30" 1 "$(grep -c '^at = 2026-11-25T09:30:00+08:00$' R.toml)"
merge 0 R2.toml O.toml B.toml A.toml
same_file "identical entry: symmetric" R.toml R2.toml
# Both sides exactly alike.
merge 0 R.toml O.toml A.toml A.toml
same_file "both sides alike: that side" A.toml R.toml

# --- A field change (an extension) against an append (a visit).
fork A && mailbox-assign -C A extend "$id" --days 5 --reason 需协调施工单位 --approved-by wang --now "$(at 09:00)" >/dev/null
fork B && mailbox-assign -C B visit "$id" --note 现场查看 --now "$(at 09:30)" >/dev/null
cp "A/$f" A.toml
cp "B/$f" B.toml
{ cat A.toml; last_entry B.toml; } >field-append.want
merge 0 R.toml O.toml A.toml B.toml
same "field vs append: no note" "" "$err"
same_file "field vs append: the extension and both entries" field-append.want R.toml
merge 0 R2.toml O.toml B.toml A.toml
same_file "field vs append: symmetric" R.toml R2.toml

# --- Neighbouring fields: the extension and solved_on_site are both written
# right after 'assigned', so a line merge conflicts; the driver does not.
fork B && mailbox-assign -C B visit "$id" --note 修好 --solved-on-site --now "$(at 09:30)" >/dev/null
cp "B/$f" B.toml
fork L && mailbox-assign -C L extend "$id" --days 5 --reason 需协调施工单位 --approved-by wang --now "$(at 09:00)" >/dev/null &&
    mailbox-assign -C L visit "$id" --note 修好 --solved-on-site --now "$(at 09:30)" >/dev/null
{ fields_of "L/$f"; history_of A.toml; last_entry B.toml; } >neighbours.want
run 2 git merge-file -p A.toml O.toml B.toml
contains "neighbours: git's line merge conflicts on them" "<<<<<<< A.toml
extensions = [" "$out"
merge 0 R.toml O.toml A.toml B.toml
same "neighbours: no note" "" "$err"
same_file "neighbours: both fields, both entries" neighbours.want R.toml
merge 0 R2.toml O.toml B.toml A.toml
same_file "neighbours: symmetric" R.toml R2.toml
merge 0 R3.toml A.toml R.toml A.toml
same_file "neighbours: re-merged with ours" R.toml R3.toml
merge 0 R3.toml B.toml R.toml B.toml
same_file "neighbours: re-merged with theirs" R.toml R3.toml

# --- Different fields, far apart: the subject corrected by hand on one side,
# an extension on the other.
cp O.toml A.toml
sed -i 's/^subject = .*/subject = "建设路路灯不亮"/' A.toml
fork B && mailbox-assign -C B extend "$id" --days 5 --reason 需协调施工单位 --approved-by wang --now "$(at 09:00)" >/dev/null
cp "B/$f" B.toml
sed 's/^subject = .*/subject = "建设路路灯不亮"/' B.toml >different.want
merge 0 R.toml O.toml A.toml B.toml
same_file "different fields: both changes" different.want R.toml
merge 0 R2.toml O.toml B.toml A.toml
same_file "different fields: symmetric" R.toml R2.toml

# --- The same field set to the same value on both sides, by two visits.
fork A && mailbox-assign -C A visit "$id" --note 修好 --solved-on-site --now "$(at 09:30)" >/dev/null
fork B && mailbox-assign -C B visit "$id" --note 复查已修好 --solved-on-site --now "$(at 09:40)" >/dev/null
cp "A/$f" A.toml
cp "B/$f" B.toml
{ cat A.toml; last_entry B.toml; } >same-value.want
merge 0 R.toml O.toml A.toml B.toml
same_file "same field, same value: once, and both entries" same-value.want R.toml
same "same field, same value: one solved_on_site" 1 "$(grep -c '^solved_on_site = true$' R.toml)"

# --- Entries sorted by their time in UTC, not by their text: theirs' visit
# at 03:00+01:00 (10:00 in Beijing) comes after ours at 09:30+08:00.
fork A && mailbox-assign -C A visit "$id" --note 甲 --now "$(at 09:30)" >/dev/null
fork B && mailbox-assign -C B visit "$id" --note 乙 --now "$(at 10:00)" >/dev/null
cp "A/$f" A.toml
sed 's/^at = 2026-11-25T10:00:00+08:00$/at = 2026-11-25T03:00:00+01:00/' "B/$f" >B.toml
{ cat A.toml; last_entry B.toml; } >utc.want
merge 0 R.toml O.toml A.toml B.toml
same_file "entries in UTC order" utc.want R.toml
merge 0 R2.toml O.toml B.toml A.toml
same_file "entries in UTC order: symmetric" R.toml R2.toml

# --- Two extensions, one on each side: both (a set field), both entries.
fork A && mailbox-assign -C A extend "$id" --days 5 --reason 需协调施工单位 --approved-by wang --now "$(at 09:00)" >/dev/null
fork B && mailbox-assign -C B extend "$id" --days 3 --reason 等待配件 --approved-by li --now "$(at 09:30)" >/dev/null
cp "A/$f" A.toml
cp "B/$f" B.toml
fork L && mailbox-assign -C L extend "$id" --days 5 --reason 需协调施工单位 --approved-by wang --now "$(at 09:00)" >/dev/null &&
    mailbox-assign -C L extend "$id" --days 3 --reason 等待配件 --approved-by li --now "$(at 09:30)" >/dev/null
{ fields_of "L/$f"; history_of A.toml; last_entry B.toml; } >extensions.want
merge 0 R.toml O.toml A.toml B.toml
same_file "two extensions: both" extensions.want R.toml
merge 0 R2.toml O.toml B.toml A.toml
same_file "two extensions: symmetric" R.toml R2.toml

# --- Links (the group, a set field): the case linked to one letter in one
# copy, to another letter in the other: both in the group.
mailbox-intake init G >/dev/null && mkdir -p G/.mailbox && echo AB >G/.mailbox/station
for n in 1 2 3; do
    echo "正文：路灯$n" | mailbox-intake -C G new --subject "路灯$n" --from "张$n" --now "2026-11-20T09:0$n:00+08:00" >>G.ids
done
g1=$(sed -n 1p G.ids) g2=$(sed -n 2p G.ids) g3=$(sed -n 3p G.ids)
gf=cases/2026/$g1.toml
cp "G/$gf" GO.toml
rm -rf GA GB GL && cp -a G GA && cp -a G GB
mailbox-assign -C GA link "$g1" "$g2" --now "$(at 09:00)" >/dev/null
mailbox-assign -C GB link "$g1" "$g3" --now "$(at 09:10)" >/dev/null
cp -a GA GL && mailbox-assign -C GL link "$g1" "$g3" --now "$(at 09:10)" >/dev/null
{ fields_of "GL/$gf"; history_of "GA/$gf"; last_entry "GB/$gf"; } >group.want
same "links: the group of both" "group = [\"$g2\", \"$g3\"]" "$(grep '^group' group.want)"
merge 0 R.toml GO.toml "GA/$gf" "GB/$gf"
same_file "links: the group of both, both entries" group.want R.toml
merge 0 R2.toml GO.toml "GB/$gf" "GA/$gf"
same_file "links: symmetric" R.toml R2.toml

# --- An entry removed on one side (git revert of the visit), an entry added
# on the other: the visit goes, the chase stays.
fork A && mailbox-assign -C A visit "$id" --note 现场查看 --now "$(at 09:30)" >/dev/null
cp "A/$f" A.toml
fork B && cp A.toml "B/$f" && mailbox-assign -C B chase --now "$(at 10:30)" >/dev/null
cp "B/$f" B.toml
{ cat O.toml; last_entry B.toml; } >revert.want
merge 0 R.toml A.toml O.toml B.toml
same_file "a reverted entry goes, the other side's new one stays" revert.want R.toml
merge 0 R2.toml A.toml B.toml O.toml
same_file "a reverted entry: symmetric" R.toml R2.toml

# --- The subject changed on both sides to different values, and a history
# entry on each: markers around the subject only, the history merged.
fork A && sed -i 's/^subject = .*/subject = "路灯坏了"/' "A/$f" &&
    mailbox-assign -C A visit "$id" --note 现场查看 --now "$(at 09:30)" >/dev/null
fork B && sed -i 's/^subject = .*/subject = "建设路路灯"/' "B/$f" &&
    mailbox-assign -C B chase --now "$(at 08:30)" >/dev/null
cp "A/$f" A.toml
cp "B/$f" B.toml
{ cat B.toml; last_entry A.toml; } >both.toml
with_markers both.toml subject 7 'subject = "路灯坏了"' 'subject = "建设路路灯"' >subject.want
merge 1 R.toml O.toml A.toml B.toml
same "subject conflict: the note" "$note both sides changed subject: left between markers" "$err"
same_file "subject conflict: markers around the subject, the history merged" subject.want R.toml
same "subject conflict: three marker lines" 3 "$(grep -c '^[<=>]\{7\}' R.toml)"
cp R.toml subject-conflict.toml
fork C && cp R.toml "C/$f"
run 3 mailbox-report -C C check
same "subject conflict: check names each marker line" \
    "mailbox-report: $f:11:1: git conflict marker; resolve the merge and run check again
mailbox-report: $f:13:1: git conflict marker; resolve the merge and run check again
mailbox-report: $f:15:1: git conflict marker; resolve the merge and run check again
mailbox-report: 3 problems in 1 case and mailbox.toml" "$err"
# The other way round: the same, ours and theirs swapped.
with_markers both.toml subject 7 'subject = "建设路路灯"' 'subject = "路灯坏了"' >subject-swapped.want
merge 1 R2.toml O.toml B.toml A.toml
same_file "subject conflict: symmetric but for the sides" subject-swapped.want R2.toml

# --marker-size 10.
with_markers both.toml subject 10 'subject = "路灯坏了"' 'subject = "建设路路灯"' >subject10.want
merge 1 R.toml O.toml A.toml B.toml --marker-size 10
same_file "--marker-size 10: 10-char markers" subject10.want R.toml
same "--marker-size 10: no 7-char marker" 0 "$(grep -c -e '^<<<<<<< ' -e '^>>>>>>> ' -e '^=======$' R.toml)"

# -L labels.
with_markers both.toml subject 7 'subject = "路灯坏了"' 'subject = "建设路路灯"' 'HEAD' 'origin/main' >labels.want
merge 1 R.toml O.toml A.toml B.toml -L HEAD -L merged-common-ancestors -L origin/main
same_file "-L: the labels on the markers" labels.want R.toml

# --recursive: no markers, the base's subject, exit 0.
sed 's/^subject = .*/subject = "路灯不亮"/' both.toml >recursive.want
merge 0 R.toml O.toml A.toml B.toml --recursive
same_file "--recursive: the base's subject, the history merged" recursive.want R.toml
same "--recursive: no note" "" "$err"

# --- A body changed on both sides: the markers hold the body's lines.
cp O.toml A.toml
sed -i '/^body = """$/{n;s/.*/正文：甲/}' A.toml
cp O.toml B.toml
sed -i '/^body = """$/{n;s/.*/正文：乙/}' B.toml
merge 1 R.toml O.toml A.toml B.toml
awk '/^body = """$/ { print "<<<<<<< ours"; print; getline; print; getline; print; print "======="; print "body = \"\"\""; print "正文：乙"; print "\"\"\""; print ">>>>>>> theirs"; next } { print }' A.toml >body.want
same_file "body conflict: markers around the body's lines" body.want R.toml

# --- Handling: one side returns the case (09:10), the other re-assigns it
# (09:20): the whole handling state of the later action, both entries.
fork A && mailbox-assign -C A return "$id" --reason 不属于我局职责 --unit cgj --now "$(at 09:10)" >/dev/null
fork B && mailbox-assign -C B "$id" --to zjj --note 转住建局 --now "$(at 09:20)" >/dev/null
cp "A/$f" A.toml
cp "B/$f" B.toml
{ fields_of B.toml; history_of A.toml; last_entry B.toml; } >handling.want
merge 0 R.toml O.toml A.toml B.toml
same_file "return vs re-assign: the re-assigned state, both entries" handling.want R.toml
contains "return vs re-assign: a note" "$note both sides changed the handling (handler)" "$err"
contains "return vs re-assign: the note names the later action" "reassign 2026-11-25T09:20:00+08:00 by 李明" "$err"
contains "return vs re-assign: the note names the side" "kept the handling of theirs" "$err"
same "return vs re-assign: no returned_by left" 0 "$(grep -c '^returned_by' R.toml)"
merge 0 R2.toml O.toml B.toml A.toml
same_file "return vs re-assign: symmetric" R.toml R2.toml
contains "re-assign vs return: the note names ours" "kept the handling of ours" "$err"
merge 0 R3.toml A.toml R.toml A.toml
same_file "return vs re-assign: re-merged with ours" R.toml R3.toml
merge 0 R3.toml B.toml R.toml B.toml
same_file "return vs re-assign: re-merged with theirs" R.toml R3.toml
merge 0 R3.toml B.toml B.toml R.toml
same_file "return vs re-assign: theirs merged with the result" R.toml R3.toml
fork C && cp R.toml "C/$f"
run 0 mailbox-report -C C check
same "return vs re-assign: the result checks clean" "ok: 1 case and mailbox.toml, no problems" "$out"

# The return later (09:40): the returned state.
fork A && mailbox-assign -C A return "$id" --reason 不属于我局职责 --unit cgj --now "$(at 09:40)" >/dev/null
cp "A/$f" A.toml
{ fields_of A.toml; history_of B.toml; last_entry A.toml; } >returned.want
merge 0 R.toml O.toml A.toml B.toml
same_file "re-assign then a later return: the returned state" returned.want R.toml
contains "later return: the note names the side" "kept the handling of ours" "$err"
contains "later return: the note names the later action" "the side of the later action: return 2026-11-25T09:40:00+08:00 by 李明" "$err"
merge 0 R2.toml O.toml B.toml A.toml
same_file "later return: symmetric" R.toml R2.toml

# At the same moment: the side whose entry has the larger id.
fork A && mailbox-assign -C A return "$id" --reason 不属于我局职责 --unit cgj --now "$(at 09:20)" >/dev/null
cp "A/$f" A.toml
ida=$(last_entry A.toml | sed -n 's/^id = "\(.*\)"$/\1/p')
idb=$(last_entry B.toml | sed -n 's/^id = "\(.*\)"$/\1/p')
if [[ $ida > $idb ]]; then win=A.toml side=ours other=theirs; else win=B.toml side=theirs other=ours; fi
merge 0 R.toml O.toml A.toml B.toml
check "a tie: the state of the side with the larger entry id ($ida $idb)" cmp -s <(fields_of $win) <(fields_of R.toml)
contains "a tie: the note names that side" "kept the handling of $side" "$err"
merge 0 R2.toml O.toml B.toml A.toml
same_file "a tie: symmetric" R.toml R2.toml
contains "a tie, swapped: the note names the other" "kept the handling of $other" "$err"

# Both re-assign, to different units: the later one.
fork A && mailbox-assign -C A "$id" --to jtj --note 转交通局 --now "$(at 09:25)" >/dev/null
cp "A/$f" A.toml
{ fields_of A.toml; history_of B.toml; last_entry A.toml; } >reassign.want
merge 0 R.toml O.toml A.toml B.toml
same_file "two re-assignments: the later one's unit" reassign.want R.toml
same "two re-assignments: handler jtj" 'handler = "jtj"' "$(grep '^handler' R.toml)"

# Hand edits of one handling field on both sides (no history entry): markers.
cp O.toml A.toml
sed -i 's/^handler = .*/handler = "zjj"/' A.toml
cp O.toml B.toml
sed -i 's/^handler = .*/handler = "jtj"/' B.toml
with_markers O.toml handler 7 'handler = "zjj"' 'handler = "jtj"' >hand.want
merge 1 R.toml O.toml A.toml B.toml
same_file "hand edits of the handler: markers" hand.want R.toml
same "hand edits of the handler: the note" "$note both sides changed handler: left between markers" "$err"
sed 's/^handler = .*/handler = "cgj"/' O.toml >hand-recursive.want
merge 0 R.toml O.toml A.toml B.toml --recursive
same_file "hand edits, --recursive: the base's handler" hand-recursive.want R.toml

# --- Empty base: both clones added the same letter (add/add), then each
# appended an entry.
: >empty.toml
fork A && mailbox-assign -C A visit "$id" --note 现场查看 --now "$(at 09:30)" >/dev/null
fork B && mailbox-assign -C B chase --now "$(at 08:30)" >/dev/null
cp "A/$f" A.toml
cp "B/$f" B.toml
merge 0 R.toml empty.toml A.toml B.toml
same_file "add/add of one letter: both entries" append.want R.toml
merge 0 R2.toml empty.toml B.toml A.toml
same_file "add/add of one letter: symmetric" R.toml R2.toml
printf '\n  \n' >blank.toml
merge 0 R.toml blank.toml A.toml B.toml
same_file "add/add, a blank base: both entries" append.want R.toml
merge 0 R.toml empty.toml O.toml O.toml
same_file "add/add of one letter, unchanged: the letter" O.toml R.toml
# ...and each set the handler by hand: no base, --recursive keeps the smaller.
cp O.toml A.toml
sed -i 's/^handler = .*/handler = "zjj"/' A.toml
cp O.toml B.toml
sed -i 's/^handler = .*/handler = "jtj"/' B.toml
merge 1 R.toml empty.toml A.toml B.toml
same_file "add/add, hand edits of the handler: markers" hand.want R.toml
sed 's/^handler = .*/handler = "jtj"/' O.toml >smaller.want
merge 0 R.toml empty.toml A.toml B.toml --recursive
same_file "add/add, --recursive: the smaller handler" smaller.want R.toml
merge 0 R2.toml empty.toml B.toml A.toml --recursive
same_file "add/add, --recursive: symmetric" R.toml R2.toml

# --- Two different letters registered under one id (two clones with one
# station, the same tenth of a second): an id collision, never merged.
new_x() {
    mailbox-intake init "$1" >/dev/null && mkdir -p "$1/.mailbox" && echo AB >"$1/.mailbox/station"
    echo "正文：$2" | mailbox-intake -C "$1" new --subject "$2" --from "$3" --now "$(at 09:30)"
}
x=$(new_x X 小区噪音 王五)
y=$(new_x Y 公交线路调整 李四)
same "collision: one id for two letters" "$x" "$y"
cp "X/cases/2026/$x.toml" X.toml
cp "Y/cases/2026/$y.toml" Y.toml
merge 1 R.toml empty.toml X.toml Y.toml
same_file "collision: OURS as it was" X.toml R.toml
contains "collision: the note says two letters" "$note two different letters were registered as $x" "$err"
contains "collision: the note says how to renumber" "'mailbox-intake renumber $x'" "$err"
merge 1 R.toml empty.toml Y.toml X.toml
same_file "collision, swapped: OURS as it was" Y.toml R.toml
merge 0 R.toml empty.toml X.toml Y.toml --recursive
same_file "collision, --recursive: OURS, exit 0" X.toml R.toml

# --- Broken inputs fall back to git merge-file: its result, its status.
# line_merge EXIT BASE OURS THEIRS [git options]: git merge-file's own result
# in git.want.
line_merge() {
    local want=$1 base=$2 ours=$3 theirs=$4
    shift 4
    cp "$ours" git.want
    run "$want" git merge-file -q --marker-size=7 "$@" -L ours -L base -L theirs git.want "$base" "$theirs"
}
fork A && mailbox-assign -C A visit "$id" --note 现场查看 --now "$(at 09:30)" >/dev/null
fork B && mailbox-assign -C B chase --now "$(at 08:30)" >/dev/null
cp "A/$f" A.toml
sed 's/^channel = "web"$/channel = "web/' "B/$f" >B.toml
line_merge 1 O.toml A.toml B.toml
merge 1 R.toml O.toml A.toml B.toml
same_file "TOML error: git merge-file's result" git.want R.toml
contains "TOML error: git's markers" "<<<<<<< ours" "$(cat R.toml)"
contains "TOML error: a note" "$note not a clean case file on every side" "$err"
contains "TOML error: the note says line by line" "merged line by line, 1 conflict" "$err"
# Only the broken side changed: git merges it cleanly, exit 0.
line_merge 0 O.toml O.toml B.toml
merge 0 R.toml O.toml O.toml B.toml
same_file "TOML error, clean line merge: theirs" B.toml R.toml
contains "TOML error, clean line merge: a note" "merged line by line" "$err"
# --recursive: git merge-file --ours, no markers, exit 0.
line_merge 0 O.toml A.toml B.toml --ours
merge 0 R.toml O.toml A.toml B.toml --recursive
same_file "TOML error, --recursive: git merge-file --ours" git.want R.toml
same "TOML error, --recursive: no markers" 0 "$(grep -c '^[<=>]\{7\}' R.toml)"
# Markers already in OURS (a merge left unresolved), an entry more on theirs.
fork B && mailbox-assign -C B visit "$id" --note 复查 --now "$(at 11:00)" >/dev/null
cp "B/$f" B.toml
line_merge 1 O.toml subject-conflict.toml B.toml
merge 1 R.toml O.toml subject-conflict.toml B.toml
same_file "markers in ours: git merge-file's result" git.want R.toml
contains "markers in ours: a note" "$note not a clean case file on every side" "$err"
line_merge 1 O.toml subject-conflict.toml B.toml --marker-size=10
merge 1 R.toml O.toml subject-conflict.toml B.toml --marker-size 10
same_file "markers in ours, --marker-size 10: passed to git" git.want R.toml

# --- PATH was never touched.
same "PATH untouched" sentinel "$(cat "$P")"
same "nothing else written next to PATH" "$(basename "$P")" "$(ls "$(dirname "$P")")"
done_testing
