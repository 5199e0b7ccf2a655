# A letter no keyword routes gets the category and unit the mailbox's own
# decided cases teach, when they are sure enough; show says why.
. "$(dirname "$0")/lib.sh"
cp -r "$MAILBOX_SOURCE/sample-data" sample
rm -rf sample/.mailbox
NOW=2026-11-25T10:00:00+08:00
LAMP="我们楼下那条路的灯坏了很久，晚上一片漆黑，老人孩子出门很不方便，请尽快修好。"

new_case() { # SUBJECT BODY [more flags]
    local subject=$1 body=$2
    shift 2
    printf '%s\n' "$body" |
        mailbox-intake -C sample new --subject "$subject" --from 张三 --now "$NOW" --format json "$@"
}
id_of() { printf '%s\n' "$1" | sed -n 's/^  "id": "\(.*\)",$/\1/p'; }

# No keyword of the demo's mailbox.toml is in this letter.
run 0 new_case "楼下的灯坏了" "$LAMP"
contains "the category learned" '"suggested_category": "city"' "$out"
contains "the unit learned" '"suggested_unit": "cgj"' "$out"
contains "said to be learned" '"suggested_by": "learned"' "$out"
lamp=$(id_of "$out")
check "the case file says so" grep -qx 'suggested_by = "learned"' "sample/cases/2026/$lamp.toml"

run 0 mailbox-report -C sample show "$lamp"
contains "show: the suggestion" "Suggested:   city → cgj" "$out"
contains "show: learned from the decided cases" "Why:         learned from " "$out"
contains "show: how sure" "(confidence 0." "$out"
contains "show: decided cases like it, of the category" "like " "$out"
contains "show: with their units" "(city → cgj)" "$out"
run 0 env LANG=zh_CN.UTF-8 mailbox-report -C sample show "$lamp"
contains "show in Chinese" "件案件学得：" "$out"
contains "show in Chinese: like" "相近案件：" "$out"
run 0 mailbox-report -C sample show "$lamp" --format json
contains "json: the source" '"suggested_by": "learned"' "$out"
contains "json: the reason" '"learned_reason": {' "$out"
contains "json: the words" '"grams": [' "$out"
run 0 mailbox-report -C sample check
same "check finds nothing wrong" "" "$err"

# The keywords come first: they are the office's own rules.
run 0 new_case "路灯不亮" "建设路路灯坏了三盏"
contains "keywords when they match" '"suggested_by": "keywords"' "$out"
keyworded=$(id_of "$out")
check "a keyword suggestion is not marked in the file" \
    sh -c "! grep -q suggested_by sample/cases/2026/$keyworded.toml"
run 0 new_case "另一封" "$LAMP" --category labor --no-link
contains "a category given is given" '"suggested_by": "given"' "$out"

# A learned suggestion is routed as any other.
run 0 mailbox-assign -C sample "$lamp" --route --now 2026-11-25T11:00:00+08:00
run 0 mailbox-report -C sample show "$lamp" --format json
contains "routed to the learned unit" '"handler": "cgj"' "$out"

# Too few decided cases, or too unsure: no suggestion, rather than a guess.
cp sample/mailbox.toml mailbox.toml.orig
printf '\n[suggest]\nmin_cases = 100000\n' >>sample/mailbox.toml
run 0 new_case "又一封" "$LAMP" --no-link
contains "too few decided cases: nothing" '"suggested_category": null' "$out"
cp mailbox.toml.orig sample/mailbox.toml
printf '\n[suggest]\nconfidence = 1\n' >>sample/mailbox.toml
run 0 new_case "再一封" "$LAMP" --no-link
contains "too unsure: nothing" '"suggested_by": null' "$out"

# A new mailbox has decided nothing: the keywords only, and no error.
new_mailbox
run 0 sh -c "printf '%s\n' '$LAMP' | mailbox-intake -C mb new --subject 灯 --from 李四 --format json"
contains "a new mailbox learns nothing" '"suggested_by": null' "$out"
done_testing
