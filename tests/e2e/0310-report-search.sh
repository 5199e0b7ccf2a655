# mailbox-report search: Chinese of one, two and three characters and Latin
# words, filters, every format, and a mailbox changed behind its back.
. "$(dirname "$0")/lib.sh"
new_mailbox AB

a=$(register "建设路路灯不亮" 张三 2026-11-02T09:00:00+08:00 | cut -f1)
b=$(register "低保申请没有回音" 李四 2026-11-10T09:00:00+08:00 | cut -f1)
c=$(register "小区WiFi信号差" 王五 2026-11-20T09:00:00+08:00 | cut -f1)
run 0 mailbox-assign -C mb "$b" --to mzj --now 2026-11-10T10:00:00+08:00 --note "马路灯一并核实"

run 0 mailbox-report -C mb search 路灯 --now "$NOW" --format tsv
same "two characters: the subject first, then a note" "$a $b" "$(printf '%s\n' "$out" | tail -n +2 | cut -f1 | tr '\n' ' ' | sed 's/ $//')"
run 0 mailbox-report -C mb search 马路灯 --now "$NOW" --format tsv
same "three characters" "$b" "$(printf '%s\n' "$out" | tail -n +2 | cut -f1)"
run 0 mailbox-report -C mb search 保 --now "$NOW" --format tsv
same "one character" "$b" "$(printf '%s\n' "$out" | tail -n +2 | cut -f1)"
run 0 mailbox-report -C mb search wifi --now "$NOW" --format tsv
same "a Latin word in any case" "$c" "$(printf '%s\n' "$out" | tail -n +2 | cut -f1)"
run 0 mailbox-report -C mb search 路灯 建设 --now "$NOW" --format tsv
same "every word must match" "$a" "$(printf '%s\n' "$out" | tail -n +2 | cut -f1)"
run 0 mailbox-report -C mb search 路灯 --status assigned --now "$NOW" --format tsv
same "--status" "$b" "$(printf '%s\n' "$out" | tail -n +2 | cut -f1)"
run 0 mailbox-report -C mb search 路灯 --unit 市民政局 --now "$NOW" --format tsv
same "--unit by name" "$b" "$(printf '%s\n' "$out" | tail -n +2 | cut -f1)"
run 0 mailbox-report -C mb search 路灯 --until 2026-11-05 --now "$NOW" --format tsv
same "--until" "$a" "$(printf '%s\n' "$out" | tail -n +2 | cut -f1)"
run 0 mailbox-report -C mb search 路灯 --limit 1 --now "$NOW" --format tsv
same "--limit" "1" "$(printf '%s\n' "$out" | tail -n +2 | wc -l)"

run 0 mailbox-report -C mb search 路灯 --now "$NOW"
contains "the table marks the match" "建设路【路灯】不亮" "$out"
contains "a note's match is shown from the note" "马【路灯】一并核实" "$out"
run 0 mailbox-report -C mb search 路灯 --now "$NOW" --format json
contains "json: where it matched" '"field": "notes"' "$out"
contains "json: the match" '"match": "路灯"' "$out"
contains "json: a score" '"score": ' "$out"
run 0 mailbox-report -C mb search 噪音 --now "$NOW" --format json
same "no match: an empty list" "[]" "$out"
run 0 mailbox-report -C mb search 噪音 --now "$NOW" --format csv
contains "no match: csv keeps its header" "id,status,subject" "$out"

# A hand edit in place, a deleted case, a case from another clone, and no
# .mailbox/ at all: each seen by the next search.
file=$(ls mb/cases/2026/"$a".toml)
sed -i 's/正文：建设路路灯不亮/正文：建设路积水严重/' "$file"
run 0 mailbox-report -C mb search 积水 --now "$NOW" --format tsv
same "a hand edit in place" "$a" "$(printf '%s\n' "$out" | tail -n +2 | cut -f1)"
rm "$(ls mb/cases/2026/"$c".toml)"
run 0 mailbox-report -C mb search wifi --now "$NOW" --format tsv
same "a deleted case is gone" "" "$(printf '%s\n' "$out" | tail -n +2)"
rm -rf mb/.mailbox
run 0 mailbox-report -C mb search 低保 --now "$NOW" --format tsv
same "no .mailbox/: made again" "$b" "$(printf '%s\n' "$out" | tail -n +2 | cut -f1)"
printf 'not a database\n' > mb/.mailbox/mailbox.db
run 0 mailbox-report -C mb search 低保 --now "$NOW" --format tsv
same "a damaged database: made again" "$b" "$(printf '%s\n' "$out" | tail -n +2 | cut -f1)"

# kill -9 while the index is being made leaves the old state or the new one:
# the next search gives every hit.
template=$(ls mb/cases/2026/"$b".toml)
for i in $(seq 100 499); do
    id=261110-00$i$((i % 10))
    sed "s/$b/$id/g" "$template" > mb/cases/2026/$id.toml
done
mailbox-report -C mb list --now "$NOW" >/dev/null   # the case index first, so the kill lands in search
for delay in 0.01 0.05 0.1 0.2; do
    rm -rf mb/.mailbox/mailbox.db*
    mailbox-report -C mb search 低保 --now "$NOW" >/dev/null 2>&1 &
    pid=$!
    sleep $delay
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
    run 0 mailbox-report -C mb search 低保 --limit 0 --now "$NOW" --format tsv
    same "killed after ${delay}s: every hit after" "401" "$(printf '%s\n' "$out" | tail -n +2 | wc -l)"
done

run 2 mailbox-report -C mb search "，。" --now "$NOW"
contains "nothing to search for" "nothing to search for" "$err"
run 2 mailbox-report -C mb search 路灯 --status open
contains "bad status" "--status 'open': expected received" "$err"

done_testing
