# A write killed between its temporary file and the rename leaves a copy of a
# case beside it: git ignores it, check reports it, the next writer removes it.
# A killed writer never wrote "released" in .mailbox/lock: that is what makes
# the next writer sweep, and what `killed` leaves.
. "$(dirname "$0")/lib.sh"
killed() { echo 4242 >mb/.mailbox/lock; }
new_mailbox AB
id=$(register "路灯" 张三 "$NOW")
same "a writer that ends in good order says so" "released" "$(cat mb/.mailbox/lock)"
f=mb/cases/2026/$id.toml
cp "$f" "$f.tmp.Ab12Cd"
cp "$f" "mb/cases/2026/261125-ZZZZAB.toml.tmp.x9Y8z7"
killed
(cd mb && git init -q) || fail "git init"
same "git ignores temporary files" "cases/2026/$id.toml.tmp.Ab12Cd" "$(cd mb && git check-ignore "cases/2026/$id.toml.tmp.Ab12Cd")"
run 3 mailbox-report -C mb check
contains "check names the leftover" "cases/2026/$id.toml.tmp.Ab12Cd: a temporary file left by a write that was killed (a copy of a case): the next command that writes removes it" "$err"
contains "check counts both" "2 problems in 1 case" "$err"
run 0 mailbox-assign -C mb "$id" --to cgj --now "$NOW"
same "the next writer removed them" "$id.toml" "$(ls mb/cases/2026)"
run 0 mailbox-report -C mb check

# The same for a kept original message: a citizen's raw mail.
mkdir -p mb/originals
echo "From: x" >mb/originals/0123456789abcdef.eml.tmp.Qw3rTy
same "git ignores a kept message's temporary file" "originals/0123456789abcdef.eml.tmp.Qw3rTy" "$(cd mb && git check-ignore originals/0123456789abcdef.eml.tmp.Qw3rTy)"
run 3 mailbox-report -C mb check
contains "check names it" "originals/0123456789abcdef.eml.tmp.Qw3rTy: a temporary file" "$err"
printf 'From: a@x.com\nSubject: s\nMessage-ID: <s@x>\nContent-Type: text/plain; charset=gb2312\n\n\xca\xd0\xff\n' >s.eml
killed
run 0 mailbox-intake -C mb import s.eml --now "$NOW"
same "the writer that keeps a message removed it" "" "$(ls mb/originals | grep tmp)"
run 0 mailbox-report -C mb check

# Anywhere else the tools write: a unit's report beside its case, a notice,
# the config, a cache. Reported, ignored by git; a unit's report is swept.
mkdir -p mb/out/notices/2026-11-25 mb/.mailbox
for f in "cases/2026/$id.report.pdf.tmp.Zx81Qa" out/notices/2026-11-25/cgj.html.tmp.Pq9Rs1 \
    mailbox.toml.tmp.Mn4Bv2 .mailbox/letters.tmp.Lk3Jh4; do
    echo x >"mb/$f"
done
same "git ignores them" "cases/2026/$id.report.pdf.tmp.Zx81Qa
mailbox.toml.tmp.Mn4Bv2
out/notices/2026-11-25/cgj.html.tmp.Pq9Rs1" \
    "$(cd mb && git check-ignore "cases/2026/$id.report.pdf.tmp.Zx81Qa" mailbox.toml.tmp.Mn4Bv2 out/notices/2026-11-25/cgj.html.tmp.Pq9Rs1)"
run 3 mailbox-report -C mb check
contains "a report's" "cases/2026/$id.report.pdf.tmp.Zx81Qa: a temporary file left by a write that was killed (a copy of a case)" "$err"
contains "a notice's" "out/notices/2026-11-25/cgj.html.tmp.Pq9Rs1: a temporary file left by a write that was killed: nothing reads it; remove it" "$err"
contains "the config's" "mailbox.toml.tmp.Mn4Bv2: a temporary file" "$err"
contains "a cache's" ".mailbox/letters.tmp.Lk3Jh4: a temporary file left by a write that was killed (a cache): the next command that writes removes it" "$err"
contains "four" "4 problems" "$err"
killed
run 0 mailbox-assign -C mb visit "$id" --note 电话联系 --now "$NOW"
same "the report's is swept" "" "$(ls mb/cases/2026 | grep tmp)"
same "and the cache's" "" "$(ls mb/.mailbox | grep tmp)"
same "the notice's" "" "$(ls mb/out/notices/2026-11-25 | grep tmp)"
same "the config's" "" "$(ls mb | grep tmp)"

# With no writer killed since, no folder is listed at a write: a copy put
# there by hand stays, and check still names it.
cp "mb/cases/2026/$id.toml" "mb/cases/2026/$id.toml.tmp.Hand01"
run 0 mailbox-assign -C mb visit "$id" --note 再次电话联系 --now "$NOW"
same "a writer after one in good order does not sweep" "$id.toml.tmp.Hand01" "$(ls mb/cases/2026 | grep tmp)"
run 3 mailbox-report -C mb check
contains "check names it, for removing by hand" "cases/2026/$id.toml.tmp.Hand01: a temporary file left by a write that was killed (a copy of a case); remove it" "$err"
# Nor does a deleted .mailbox/ hide a killed writer: with no note, a writer sweeps.
rm -rf mb/.mailbox
run 0 mailbox-assign -C mb visit "$id" --note 第三次电话联系 --now "$NOW"
same "a writer with no note in .mailbox/ sweeps" "" "$(ls mb/cases/2026 | grep tmp)"
done_testing
