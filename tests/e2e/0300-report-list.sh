# mailbox-report list: filters and every format, aligned by display width.
. "$(dirname "$0")/lib.sh"
new_mailbox AB

register "建设路北段路面坑洼严重，多次发生电动车摔倒" 张三 2026-11-02T09:00:00+08:00 --email zs@example.com >/dev/null
register "路灯不亮" 张三 2026-11-20T10:00:00+08:00 --email ZS@example.com >/dev/null
register "Pension not paid, \"urgent\"" 匿名 2026-11-24T11:00:00+08:00 --channel phone >/dev/null

run 0 mailbox-report -C mb list --now "$NOW"
golden table
run 0 env COLUMNS=50 mailbox-report -C mb list --now "$NOW"
golden table-not-a-terminal
run 0 mailbox-report -C mb list --now "$NOW" --format json
golden json
run 0 mailbox-report -C mb list --now "$NOW" --format csv
golden csv
run 0 mailbox-report -C mb list --now "$NOW" --format tsv
golden tsv

# Common flags work before and after the subcommand.
run 0 mailbox-report --now "$NOW" -C mb --format tsv list
same "flags before the subcommand" "$(cat "$GOLDEN_DIR/tsv.out")" "$out"

run 0 mailbox-report -C mb list --now "$NOW" --overdue --format tsv
same "--overdue" "1" "$(printf '%s\n' "$out" | tail -n +2 | wc -l)"
run 0 mailbox-report -C mb list --now "$NOW" --since 2026-11-20 --until 2026-11-20 --format tsv
same "--since/--until" "路灯不亮" "$(printf '%s\n' "$out" | tail -n +2 | cut -f3)"
run 0 mailbox-report -C mb list --now "$NOW" --status assigned --format json
same "--status with no match" "[]" "$out"
run 0 mailbox-report -C mb list --now "$NOW" --status assigned --format csv
same "an empty csv still has the field names" "$(head -1 "$GOLDEN_DIR/csv.out")" "$out"
run 2 mailbox-report -C mb list --commit
contains "report does not write: no --commit" "--commit" "$err"
run 2 mailbox-report -C mb lst
contains "did you mean list" "unknown command 'lst'; did you mean 'list'?" "$err"

run 2 mailbox-report -C mb list --unit mzjj
same "unknown unit suggests" "mailbox-report: unknown unit 'mzjj'; did you mean 'mzj' (市民政局), 'zjj' (市住房和城乡建设局)?" "$err"
run 2 mailbox-report -C mb list --status open
contains "bad status" "--status 'open': expected received" "$err"
run 2 mailbox-report -C mb list --since 2026-13-01
contains "bad date" "--since '2026-13-01': no such month: 13" "$err"
run 2 mailbox-report -C mb list --format yaml
contains "bad format" "--format" "$err"

# A second run is served from the cache and prints the same.
run 0 mailbox-report -C mb list --now "$NOW" --format json
same "cached list equals first" "$(cat "$GOLDEN_DIR/json.out")" "$out"
rm -rf mb/.mailbox/mailbox.db*
run 0 mailbox-report -C mb list --now "$NOW" --format json
same "the cache can be deleted at any time" "$(cat "$GOLDEN_DIR/json.out")" "$out"

run 0 mailbox-report -C mb units --format json
contains "units as json" '"id": "mzj"' "$out"
run 0 mailbox-report -C mb leaders
contains "leaders table" "wang" "$out"
run 0 mailbox-report -C mb categories --format csv
contains "categories csv" "simple,简单诉求,xfj,5" "$out"

done_testing
