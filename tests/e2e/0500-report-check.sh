# Bad input: each gets a clear message naming file:line:col and exit 3, and
# nothing stored is changed.
. "$(dirname "$0")/lib.sh"
new_mailbox AB
id=$(register "建设路坑洼" 张三 "$NOW")
file=mb/cases/2026/$id.toml
good=$(cat "$file")

# corrupt DESCRIPTION SED-EXPRESSION EXPECTED-STDERR-PART
corrupt() {
    printf '%s\n' "$good" | sed "$2" >"$file"
    before=$(tree_hash mb)
    run 3 mailbox-report -C mb check
    contains "$1: check" "$3" "$err"
    run 3 mailbox-report -C mb list --now "$NOW"
    contains "$1: list warns" "warning: $3" "$err"
    run 3 mailbox-report -C mb show "$id"
    contains "$1: show" "$3" "$err"
    same "$1: nothing changed" "$before" "$(tree_hash mb)"
}

corrupt "syntax error" 's/^channel = "web"/channel = "web/' "cases/2026/$id.toml:9:"
corrupt "date as a string" 's/^received = \(.*\)$/received = "2026-11-25"/' \
    "cases/2026/$id.toml:7:12: wrong type for 'received': expected a date-time with a UTC offset"
corrupt "missing field" '/^subject = /d' "cases/2026/$id.toml:1:1: missing required field 'subject'"
corrupt "invalid UTF-8" 's/张三/\xe5\xbc/' "cases/2026/$id.toml:13:"
corrupt "conflict markers" 's/^status = .*/<<<<<<< HEAD\nstatus = "received"\n=======\nstatus = "assigned"\n>>>>>>> theirs/' \
    "cases/2026/$id.toml:5:1: git conflict marker"
# A case that parses but names an unknown unit is still listed and shown;
# check reports it.
printf '%s\n' "$good" | sed 's/^channel = "web"/channel = "web"\n\nhandler = "mzjj"/' >"$file"
before=$(tree_hash mb)
run 3 mailbox-report -C mb check
same "unknown unit: check" "mailbox-report: cases/2026/$id.toml:11:11: unknown unit 'mzjj'; did you mean 'mzj' (市民政局), 'zjj' (市住房和城乡建设局)?
mailbox-report: 1 problem in 1 case and mailbox.toml" "$err"
run 0 mailbox-report -C mb show "$id"
same "unknown unit: nothing changed" "$before" "$(tree_hash mb)"

printf '%s\n' "$good" >"$file"
cp "$file" mb/cases/2026/261125-0000ZZ.toml
run 3 mailbox-report -C mb check
contains "id and file name differ" "cases/2026/261125-0000ZZ.toml:3:6: case id '$id' does not match its file name '261125-0000ZZ.toml'" "$err"
contains "check sums up" "mailbox-report: 1 problem in 2 cases and mailbox.toml" "$err"
rm mb/cases/2026/261125-0000ZZ.toml

# Several problems: check reports them all and goes on.
printf '%s\n' "$good" | sed 's/^status = .*/status = "open"/' >"$file"
cp mb/mailbox.toml config.orig
sed 's/^unit = "xfj"/unit = "xfjj"/' config.orig >mb/mailbox.toml
before=$(tree_hash mb)
run 3 mailbox-report -C mb check
contains "config: unknown unit" "mailbox.toml:" "$err"
contains "config: did you mean" "unknown unit 'xfjj'; did you mean 'xfj' (市信访局)?" "$err"
contains "and the case" "unknown status 'open'" "$err"
run 3 mailbox-report -C mb list
contains "every command refuses a bad config" "mailbox-report: mailbox.toml:" "$err"
run 3 mailbox-intake -C mb new --subject x --from y
same "nothing changed" "$before" "$(tree_hash mb)"
cp config.orig mb/mailbox.toml
printf '%s\n' "$good" >"$file"

run 0 mailbox-report -C mb check --full
same "clean again" "ok: 1 case and mailbox.toml, no problems" "$out"

# Due dates in a year the holiday list has no day of: a warning once a year,
# from new, chase and check alike; the exit status stays.
late_dec=2026-12-28T09:00:00+08:00
run 0 register "新年前路灯不亮" 李四 "$late_dec"
d1=$out
warned="holidays has no days of 2027, the year case $d1 is due in (its due date may be off: add 2027's holidays and make-up workdays from the State Council notice)"
same "new warns" "mailbox-intake: warning: mailbox.toml: [deadline] $warned" "$err"
d2=$(register "公园厕所无人打扫" 王五 "$late_dec" 2>/dev/null)
run 0 mailbox-report -C mb check
same "check: ok all the same" "ok: 3 cases and mailbox.toml, no problems" "$out"
same "check warns once for the year" "mailbox-report: warning: mailbox.toml: [deadline] holidays has no days of 2027, the year 2 cases are due in, such as $d1 (their due dates may be off: add 2027's holidays and make-up workdays from the State Council notice)" "$err"
mailbox-assign -C mb "$d1" --to cgj --now "$late_dec" >/dev/null 2>&1
run 0 mailbox-assign -C mb chase -q --now 2026-12-29T09:00:00+08:00
same "chase warns of the cases it lists" "mailbox-assign: warning: mailbox.toml: [deadline] $warned" "$err"
sed -i 's/^holidays = \[$/holidays = [ 2027-01-01,/' mb/mailbox.toml
run 0 mailbox-report -C mb check
same "a year with a holiday is covered" "" "$err"
rm "mb/cases/2026/$d1.toml" "mb/cases/2026/$d2.toml"
cp config.orig mb/mailbox.toml

# Unmerged paths after a failed merge are reported even without markers.
(cd mb && git init -q && git add -A && git commit -qm one) || fail "git setup"
(cd mb && git checkout -qb other && sed -i 's/^subject = .*/subject = "甲"/' "cases/2026/$id.toml" &&
    git commit -qam other && git checkout -q - &&
    sed -i 's/^subject = .*/subject = "乙"/' "cases/2026/$id.toml" && git commit -qam main &&
    git merge -q other >/dev/null 2>&1; git checkout --ours "cases/2026/$id.toml")
run 3 mailbox-report -C mb check
contains "unmerged path" "cases/2026/$id.toml: unmerged after a failed git merge" "$err"

done_testing
