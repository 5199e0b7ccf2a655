# The bundled demo mailbox checks clean and lists.
. "$(dirname "$0")/lib.sh"
cp -r "$MAILBOX_SOURCE/sample-data" sample
rm -rf sample/.mailbox
run 0 mailbox-report -C sample check
contains "sample data checks clean" "no problems" "$out"
run 0 mailbox-report -C sample list --format json --now "$NOW"
count=$(printf '%s\n' "$out" | grep -c '"id":')
check "at least 40 letters" test "$count" -ge 40
run 0 mailbox-report -C sample units --format tsv
check "at least 12 units" test "$(printf '%s\n' "$out" | tail -n +2 | wc -l)" -ge 12
done_testing
