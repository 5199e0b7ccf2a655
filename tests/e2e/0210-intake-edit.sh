# mailbox-intake edit: correcting a registration, from flags and in $EDITOR.
. "$(dirname "$0")/lib.sh"
new_mailbox AB
git -C mb init -q && git -C mb add -A && git -C mb commit -qm start

LATER=2026-11-26T10:00:00+08:00
run 0 register "噪音扰民" 张三 "$NOW" --email zs@example.com --received "2026-11-24 09:12"
a=$out
run 0 register "路灯不亮" 李四 "$NOW" --email ls@example.com
b=$out
run 0 register "噪音扰民" 王五 "$NOW"
c=$out
contains "the resend is linked to the first" "linked to $a" "$err"
group_before=$(sha256sum mb/cases/2026/"$c".toml)

# Flags; the case named by the part after the date, as everywhere.
before=$(tree_hash mb)
run 0 mailbox-intake -C mb edit "${a#*-}" --subject 夜间施工噪音扰民 --received "2026-11-23 21:40" --now "$LATER" --dry-run
contains "a dry run prints the case" "$a" "$out"
contains "and says what it would write" "dry run: would write cases/2026/$a.toml" "$err"
same "a dry run writes nothing" "$before" "$(tree_hash mb)"
run 0 mailbox-intake -C mb edit "${a#*-}" --subject 夜间施工噪音扰民 --received "2026-11-23 21:40" --now "$LATER" --commit
contains "prints the case as list does" "夜间施工噪音扰民" "$out"
same "says what changed" "mailbox-intake: case $a: subject: 噪音扰民 → 夜间施工噪音扰民; received: 2026-11-24 09:12 → 2026-11-23 21:40" "$err"
same "commits one sentence naming the case" "Correct the registration of case $a." "$(git -C mb log -1 --format=%s)"
same "and leaves git clean" "" "$(git -C mb status --porcelain)"
run 0 mailbox-report -C mb show "$a" --format json --now "$LATER"
contains "show has the new subject" '"subject": "夜间施工噪音扰民"' "$out"
contains "and the new received time" '"received": "2026-11-23T21:40:00+08:00"' "$out"
contains "the history says edit" '"action": "edit"' "$out"
contains "with old and new values" '"note": "subject: 噪音扰民 → 夜间施工噪音扰民; received: 2026-11-24 09:12 → 2026-11-23 21:40"' "$out"
same "the linked case is not touched" "$group_before" "$(sha256sum mb/cases/2026/"$c".toml)"

# The sender's contact: tidied as at registration; the letter index follows.
run 0 mailbox-intake -C mb edit "$a" --email ' ls@example.com ' --channel letter --now "$LATER"
same "email and channel" "mailbox-intake: case $a: email: zs@example.com → ls@example.com; channel: web → letter" "$err"
run 0 mailbox-report -C mb show "$b" --format json --now "$LATER"
contains "the sender's other letters follow the new address" "\"id\": \"$a\"" "$out"
run 0 mailbox-report -C mb list --format json --now "$LATER"
contains "list sees the new channel" '"channel": "letter"' "$out"

# Nothing to change writes nothing.
before=$(tree_hash mb)
run 0 mailbox-intake -C mb edit "$a" --subject ' 夜间施工噪音扰民' --received "2026-11-23T13:40:00Z" --now "$LATER"
same "the same values are no correction" "mailbox-intake: case $a: nothing to correct; nothing written" "$err"
same "and write nothing" "" "$out"

# Refused as at registration.
run 2 mailbox-intake -C mb edit "$a" --received 2026-02-30 --now "$LATER"
same "a day that does not exist" "mailbox-intake: --received '2026-02-30': no such day: 2026-02 has 28 days" "$err"
run 2 mailbox-intake -C mb edit "$a" --received "2026-11-25 10:00" --now "$LATER"
same "received after registration" "mailbox-intake: --received '2026-11-25 10:00': after it was registered (2026-11-25T09:30:00+08:00); a letter comes before it is registered" "$err"
run 2 mailbox-intake -C mb edit "$a" --channel fax --now "$LATER"
contains "an unknown channel" "mailbox-intake: --channel 'fax': expected web, email, letter, visit" "$err"
run 2 mailbox-intake -C mb edit "$a" --subject '' --now "$LATER"
same "an empty subject" "mailbox-intake: a letter needs a subject" "$err"
run 2 mailbox-intake -C mb edit "$a" --from 赵六 --now "$NOW"
contains "an edit before the last change" "would put its history out of order" "$err"
run 2 mailbox-intake -C mb edit ZZZZ --subject x --now "$LATER"
contains "an unknown case" "ZZZZ" "$err"
run 2 mailbox-intake -C mb edit "$a" --now "$LATER" </dev/null
same "no flag and no terminal" "mailbox-intake: nothing to correct: give --subject, --from, --email, --phone, --received or --channel, or run it on a terminal with \$EDITOR set" "$err"
same "refusals write nothing" "$before" "$(tree_hash mb)"

# In $EDITOR: a "field: value" form of the six fields.
script -qec "EDITOR=true mailbox-intake -C mb edit $b --now $LATER" /dev/null >editor.out
check "an unchanged form exits 0" test $? = 0
contains "and says so" "case $b: the form is unchanged; nothing written" "$(cat editor.out)"
same "and writes nothing" "$before" "$(tree_hash mb)"
script -qec "EDITOR='sed -i s/^subject:/subjct:/' mailbox-intake -C mb edit $b --now $LATER" /dev/null >editor.out
check "a form that does not read is a usage error" test $? = 2
contains "naming the form's line" "$b.txt:5: unknown field 'subjct'; did you mean 'subject'?" "$(cat editor.out)"
script -qec "EDITOR='sed -i s/^received:.*/received:\ 2026-11-31/' mailbox-intake -C mb edit $b --now $LATER" /dev/null >editor.out
check "a bad date in the form is a usage error" test $? = 2
contains "naming the line too" "$b.txt:9: received '2026-11-31': no such day: 2026-11 has 30 days" "$(cat editor.out)"
same "a refused form writes nothing" "$before" "$(tree_hash mb)"
script -qec "EDITOR='sed -i -e s/路灯不亮/建设路路灯不亮/ -e s/^phone:.*/phone:\ 13800000000/' mailbox-intake -C mb edit $b --now $LATER" /dev/null >editor.out
check "an edited form is taken" test $? = 0
contains "what changed" "case $b: subject: 路灯不亮 → 建设路路灯不亮; phone: (none) → 13800000000" "$(cat editor.out)"
run 0 mailbox-report -C mb show "$b" --format json --now "$LATER"
contains "show has the subject from the form" '"subject": "建设路路灯不亮"' "$out"
contains "and the phone" '"phone": "13800000000"' "$out"

# A case already answered may still be corrected; its status stays.
T=2026-11-27T10:00:00+08:00
mailbox-assign -C mb "$b" --to cgj --now "$T" >/dev/null
echo '经我局现场核查，建设路路灯线路老化，已于11月27日更换，现已恢复照明。' |
    mailbox-reply -C mb draft "$b" --outcome resolved --file - --by 城管局张华 --now "$T" >/dev/null
mailbox-reply -C mb review "$b" --approve --now "$T" >/dev/null
run 0 mailbox-reply -C mb send "$b" --out "$TEST_DIR/out" --now "$T"
run 0 mailbox-intake -C mb edit "$b" --from 李思 --now 2026-11-28T09:00:00+08:00
contains "an answered case is corrected" "replied" "$out"
same "and says what changed" "mailbox-intake: case $b: from: 李四 → 李思" "$err"

run 0 mailbox-report -C mb check --now 2026-11-28T09:00:00+08:00
contains "check stays clean" "no problems" "$out$err"

done_testing
