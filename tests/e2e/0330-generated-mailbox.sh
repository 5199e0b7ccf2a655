# A generated mailbox of 5,000 cases (bench/gen-mailbox: every kind of
# handling, linked groups, more cases than the cache reads at once): check
# finds nothing wrong with it, and every whole-mailbox report prints the
# same from the cache as with none, cold or warm.
. "$(dirname "$0")/lib.sh"
: "${MAILBOX_GEN:?set MAILBOX_GEN to the built bench/gen-mailbox}"
run 0 "$MAILBOX_GEN" mb 5000 --seed 7
[ -d mb/cases ] || { fail "no mailbox generated: $err"; done_testing; }

run 0 mailbox-report -C mb check
contains "check: every generated case reads" "ok: 5000 cases" "$out"
case $err in *"out of step"*) fail "a generated group's members disagree: $err" ;; esac

# views: what the whole-mailbox reports print, as of one moment.
views() {
    local at=2026-11-30T10:00:00+08:00 # after the last generated day
    mailbox-report -C mb list --now "$at" --format json
    mailbox-report -C mb list --now "$at" --overdue --format tsv
    mailbox-report -C mb stats --now "$at" --year 2025 --format json
    mailbox-report -C mb stats --now "$at" --quarter 2026Q3 --by category
    mailbox-report -C mb assess --now "$at" --year 2025
    mailbox-report -C mb bulletin --now "$at" --quarter 2026Q3 --format md
    mailbox-reply -C mb tracking --now "$at" --format json
    mailbox-assign -C mb chase --now "$at" --dry-run --format json
    mailbox-report -C mb check 2>&1
}
cold=$(rm -rf mb/.mailbox && views)
[ -f mb/.mailbox/mailbox.db ] || fail "the cold run left no cache"
same "the cache's second reading prints what the files say" "$cold" "$(views)"
same "and so does a third" "$cold" "$(views)"
# One case edited by hand in place: seen, and the rest still from the cache.
file=$(find mb/cases -name '*.toml' | sort | sed -n 4100p)
sed -i 's/^subject = "/subject = "（补）/' "$file"
touch -d '1 minute ago' "$file"
edited=$(rm -rf mb/.mailbox && views)
views >/dev/null
same "a hand edit is seen from the cache as without it" "$edited" "$(views)"
done_testing
