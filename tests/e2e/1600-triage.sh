# mailbox-report triage-eval: how well suggestions learned from the
# mailbox's own decided cases would have done, by time and in folds.
. "$(dirname "$0")/lib.sh"
cp -r "$MAILBOX_SOURCE/sample-data" sample
rm -rf sample/.mailbox

run 0 mailbox-report -C sample triage-eval --format json
json=$out
same "four evaluations: category and unit, by time and in folds" 4 \
    "$(printf '%s\n' "$json" | grep -c '"target":')"
contains "the time split" '"split": "time"' "$json"
contains "five folds unless told" '"folds": 5' "$json"
contains "the threshold of mailbox.toml's [suggest], 0.7 by default" '"threshold": 0.7' "$json"
contains "a confusion table" '"confusion": [' "$json"
# The demo's categories are learned from its own letters: most are guessed.
accuracy=$(printf '%s\n' "$json" | grep -o '"accuracy": [0-9.]*' | sed -n 2p | grep -o '[0-9.]*$')
check "the categories in folds mostly guessed right ($accuracy)" \
    awk -v a="$accuracy" 'BEGIN { exit !(a >= 0.8) }'
run 0 mailbox-report -C sample triage-eval --format json
same "the same cases give the same figures" "$json" "$out"

run 0 mailbox-report -C sample triage-eval --folds 3
header=$(printf '%s\n' "$out" | head -1)
contains "a table of the four" "SUGGESTS" "$header"
contains "their figures" "MACRO-F1" "$header"
contains "three folds" "3 folds" "$out"
contains "the categories one by one" "PRECISION" "$out"
contains "with the confusion beside" "→housing" "$out"
run 0 mailbox-report -C sample triage-eval --format csv
same "csv: the four rows and a header" 5 "$(printf '%s\n' "$out" | wc -l)"

run 2 mailbox-report -C sample triage-eval --folds 1
same "a fold of all is none" "mailbox-report: --folds: 1 is not between 2 and 100 (see 'mailbox-report --help')" "$err"

# A threshold of its own, from mailbox.toml.
printf '\n[suggest]\nconfidence = 0.95\n' >>sample/mailbox.toml
run 0 mailbox-report -C sample triage-eval --format json
contains "the threshold as configured" '"threshold": 0.95' "$out"

# A new mailbox has decided nothing: nothing guessed, nothing to fail on.
new_mailbox
run 0 mailbox-report -C mb triage-eval --format json
contains "nothing guessed" '"guessed": 0' "$out"
done_testing
