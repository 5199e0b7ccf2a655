#!/usr/bin/env bash
# bench/run.sh [BUILD_DIR] [SIZES...]: time the tools on synthetic mailboxes.
# With LETTERS=FILE (a TSV of real letters: id, user, subject, time, body, a
# header first), also an import of a tenth of the size in letters.
#
# For each size (default 10000 and 100000 cases) gen-mailbox builds a mailbox
# in a temporary folder, and each command is timed against two floors that no
# whole-mailbox command can beat: reading every case file (cat) and stat-ing
# every case file (find -printf %s). It prints one table: size, what, median
# seconds, the median as a multiple of the cat floor, and the peak memory of
# the command's largest process (with GNU time, installed when missing).
# Uses hyperfine when installed, else a plain loop over `date +%s%N`. See
# bench/README.md.
set -euo pipefail
export LC_ALL=C # printf's %f must read and write a decimal point

build=${1:-build}
[ $# -gt 0 ] && shift
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000)

build=$(cd "$build" && pwd)
gen=$build/bench/gen-mailbox
report=$build/tools/mailbox-report
intake=$build/tools/mailbox-intake
for tool in "$gen" "$build/bench/parse-floor" "$report" "$intake" "$build/tools/mailbox-assign" \
    "$build/tools/mailbox-reply"; do
    if [ ! -x "$tool" ]; then
        echo "run.sh: no '$tool'; build first: cmake --build $build" >&2
        exit 2
    fi
done

# The caller's settings must not aim the tools at another mailbox.
unset MAILBOX_DIR EDITOR
export MAILBOX_USER=bench

work=$(mktemp -d "${TMPDIR:-/tmp}/mailbox-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

if command -v hyperfine > /dev/null; then
    timer=hyperfine
else
    timer=loop
fi

# Seconds as hyperfine prints them -> whole microseconds.
micros() {
    local s
    s=$(printf '%.6f' "$1")
    s=${s/./}
    echo $((10#$s))
}

# Microseconds -> seconds with three decimals.
seconds() {
    printf '%d.%03d' $(($1 / 1000000)) $(($1 % 1000000 / 1000))
}

# peak PREPARE COMMAND: runs PREPARE, then COMMAND once, and prints its wall
# time in microseconds and the peak resident memory of the largest process it
# ran, in KiB, as GNU time's %M says (the time alone without GNU time).
peak() {
    sh -c "$1" > /dev/null || return 1
    local start end
    start=$(date +%s%N)
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -f %M -o "$work/peak" sh -c "$2" > /dev/null || return 1
    else
        sh -c "$2" > /dev/null || return 1
    fi
    end=$(date +%s%N)
    if [ -x /usr/bin/time ]; then
        echo "$(((end - start) / 1000)) $(tail -n 1 "$work/peak")"
    else
        echo "$(((end - start) / 1000))"
    fi
}

# measure RUNS WARMUP PREPARE COMMAND: the median wall time of COMMAND in
# microseconds and its peak memory in KiB, its output thrown away; PREPARE
# (or 'true') runs before each run, untimed. A command timed once without a
# warm-up (a cold start, a written import) is timed and measured in one run;
# any other runs once more for its memory. Prints nothing when a command
# fails.
measure() {
    local runs=$1 warmup=$2 prepare=$3 command=$4
    local once
    if [ "$runs" = 1 ] && [ "$warmup" = 0 ]; then
        peak "$prepare" "$command" || return 0
        return
    fi
    local median
    median=$(median "$@") || return 0
    [ -n "$median" ] || return 0
    once=$(peak "$prepare" "$command") || return 0
    if [[ $once == *' '* ]]; then
        echo "$median ${once#* }"
    else
        echo "$median"
    fi
}

# median RUNS WARMUP PREPARE COMMAND: the median wall time alone. hyperfine
# runs a command without a pipe directly (-N, which applies to PREPARE too),
# so that a few milliseconds are not lost in correcting for the shell.
median() {
    local runs=$1 warmup=$2 prepare=$3 command=$4
    if [ $timer = hyperfine ]; then
        local direct=(-N)
        [[ $command == *'|'* ]] && direct=()
        rm -f "$work/timing.json"
        hyperfine --style none "${direct[@]}" --runs "$runs" --warmup "$warmup" \
            --prepare "$prepare" --export-json "$work/timing.json" "$command" > /dev/null ||
            return 0
        micros "$(sed -n 's/^ *"median": *\([-0-9.eE+]*\),*$/\1/p' "$work/timing.json" | head -n 1)"
        return
    fi
    local i start end times=()
    for ((i = 0; i < warmup; i++)); do
        sh -c "$prepare" > /dev/null && sh -c "$command" > /dev/null || return 0
    done
    for ((i = 0; i < runs; i++)); do
        sh -c "$prepare" > /dev/null || return 0
        start=$(date +%s%N)
        sh -c "$command" > /dev/null || return 0
        end=$(date +%s%N)
        times+=($(((end - start) / 1000)))
    done
    printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p"
}

rows=()
floor=0

# taskwarrior, the tool people reach for to keep a list of things to do, as
# a yardstick: installed here when it can be (root on Debian), else skipped.
# taskwarrior to compare with; GNU time for each command's peak memory.
for package in taskwarrior:task time:/usr/bin/time; do
    if ! command -v "${package#*:}" > /dev/null && [ "$(id -u)" = 0 ] &&
        command -v apt-get > /dev/null; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${package%%:*}" > /dev/null 2>&1 ||
            true
    fi
done

# tasks SIZE: a taskwarrior database of SIZE pending tasks under $work/task-SIZE,
# its TASKRC printed.
tasks() {
    local dir=$work/task-$1
    mkdir -p "$dir"
    printf 'data.location=%s\nconfirmation=off\nverbose=nothing\ngc=off\n' "$dir/data" > "$dir/rc"
    awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++)
        printf "{\"description\":\"群众来信 %d 建设路路灯不亮\",\"status\":\"pending\",\"entry\":\"20261101T000000Z\",\"project\":\"u%d\"}\n", i, i % 40 }' \
        > "$dir/tasks.json"
    TASKRC=$dir/rc task import "$dir/tasks.json" > /dev/null 2>&1
    echo "$dir/rc"
}

# letters N [MONTH]: a CSV in the columns gen-mailbox's [import.csv] names,
# of N letters from $LETTERS in turn, received over the first week of MONTH
# (7, July, by default) of 2026 (the window the duplicate check weighs them
# over moves a little at each); each subject numbered, so that no two rows
# are the same letter.
letters() {
    awk -F '\t' -v n="$1" -v month="${2:-7}" 'BEGIN { m = 0 }
        function q(s) { gsub(/"/, "\"\"", s); return "\"" s "\"" }
        NR > 1 && $3 != "" && $5 != "" { subject[m] = $3; body[m] = $5; m++ }
        END {
            print "留言编号,留言用户,留言主题,留言时间,留言详情,电子邮箱,联系电话"
            for (i = 0; i < n; i++) {
                k = i % m
                minute = int(i * 10080 / n)
                printf "B%d,U%d,%s,2026/%d/%d %d:%02d,%s,,\n", i, i % 997,
                    q(subject[k] "（" i "）"), month, 1 + int(minute / 1440),
                    int(minute % 1440 / 60), minute % 60, q(body[k])
            }
        }' "$LETTERS"
}

# row SIZE WHAT "MICROSECONDS [PEAK_KIB]": one line of the table, with the
# time as a multiple of this size's cat floor and the peak memory in MiB ("-"
# when not measured).
row() {
    local micros=${3%% *} kib=
    [[ $3 == *' '* ]] && kib=${3#* }
    if [[ ! $micros =~ ^[0-9]+$ ]]; then
        echo "run.sh: $1 $2: the command failed; see above" >&2
        exit 1
    fi
    local thousandths=$((micros * 1000 / floor)) mib=-
    [ -n "$kib" ] && mib=$(((kib + 512) / 1024))
    rows+=("$(printf '%-7s  %-40s %8s  %7s  %8s' "$1" "$2" "$(seconds "$micros")" \
        "$(printf '%d.%03d' $((thousandths / 1000)) $((thousandths % 1000)))" "$mib")")
    echo "run.sh: $1 $2: $(seconds "$micros") s, peak $mib MiB" >&2
}

# by_draft STATE: the ids of a `list --format tsv` whose draft is in STATE.
by_draft() {
    awk -F '\t' -v state="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "draft_state") at = i }
        NR > 1 && at && $at == state { print $1 }'
}

cat > "$work/fresh-body.sh" << 'END'
#!/usr/bin/env bash
[ $# -gt 0 ] && rm -rf "$1"
chars=(路 灯 不 亮 小 区 物 业 拆 迁 补 偿 工 资 养 老 金 噪 音 学 校 医 院 公 交 垃 圾 污 水 村 镇)
body=
for ((i = 0; i < 160; i++)); do
    body+=${chars[RANDOM % ${#chars[@]}]}
done
printf '%s\n' "$body" > "$(dirname "$0")/body.txt"
END
bash "$work/fresh-body.sh"
# The same letter each run but for a number, so that it is never the one
# registered before.
cat > "$work/forget-models.py" << 'END'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("DELETE FROM models")
db.commit()
END
cat > "$work/lamp-body.sh" << 'END'
#!/usr/bin/env bash
printf '我们楼下那条路的灯坏了很久，晚上一片漆黑，老人孩子出门很不方便，请尽快修好。%s\n' \
    "$RANDOM$RANDOM" > "$(dirname "$0")/lamp.txt"
END

for size in "${sizes[@]}"; do
    runs=5
    [ "$size" -ge 100000 ] && runs=3
    dir=$work/mailbox-$size
    cases=$dir/cases
    mb=$dir/.mailbox

    start=$(date +%s%N)
    "$gen" "$dir" "$size" --seed 1
    end=$(date +%s%N)
    generated=$(((end - start) / 1000))
    bytes=0
    while read -r n; do
        bytes=$((bytes + n))
    done < <(find "$cases" -name '*.toml' -printf '%s\n')
    echo "run.sh: $size cases, $((bytes / size)) bytes a case on average" >&2
    # The index trusts a file only when it changed over 2 seconds before the
    # index was written (git's racy-clean rule); a mailbox's files are
    # normally older than that, so let these age before anything is timed.
    sleep 3

    middle=$(find "$cases" -name '*.toml' | sort | sed -n "$(((size + 1) / 2))p")
    id=$(basename "$middle" .toml)
    list="'$report' -C '$dir' list --format json"
    new="'$intake' -C '$dir' new --subject '群众来信' --from '赵明远'"
    new+=" --body-file '$work/body.txt'"
    fresh="bash '$work/fresh-body.sh'"

    cat_floor=$(measure "$runs" 1 true "find '$cases' -name '*.toml' -print0 | xargs -0 cat")
    floor=${cat_floor%% *}
    row "$size" "floor: cat every case file" "$cat_floor"
    row "$size" "floor: stat every case file" \
        "$(measure "$runs" 1 true "find '$cases' -name '*.toml' -printf '%s\n'")"
    for threads in 1 2; do
        row "$size" "floor: parse every case file, $threads thread(s)" \
            "$(measure "$runs" 1 true "'$build/bench/parse-floor' '$dir' $threads")"
    done
    row "$size" "gen-mailbox (once)" "$generated"
    if command -v task > /dev/null; then
        taskrc=$(tasks "$size")
        row "$size" "taskwarrior: task count" \
            "$(measure "$runs" 1 true "env TASKRC='$taskrc' task count")"
        row "$size" "taskwarrior: task export (every task, json)" \
            "$(measure "$runs" 1 true "env TASKRC='$taskrc' task export")"
        row "$size" "taskwarrior: task project:u7 count" \
            "$(measure "$runs" 1 true "env TASKRC='$taskrc' task project:u7 count")"
        rm -rf "$(dirname "$taskrc")"
    else
        echo "run.sh: no taskwarrior (task): its rows are left out" >&2
    fi
    row "$size" "list --format json, cold" "$(measure 1 0 "rm -rf '$mb'" "$list")"
    row "$size" "list --format json, warm" "$(measure "$runs" 1 true "$list")"
    row "$size" "list --status received (few rows), warm" \
        "$(measure "$runs" 1 true "'$report' -C '$dir' list --status received")"
    row "$size" "list --overdue, warm" \
        "$(measure "$runs" 1 true "'$report' -C '$dir' list --overdue")"
    row "$size" "check, cold" "$(measure 1 0 "rm -rf '$mb'" "'$report' -C '$dir' check")"
    row "$size" "check, warm" "$(measure "$runs" 1 true "'$report' -C '$dir' check")"
    row "$size" "check --full" "$(measure "$runs" 1 true "'$report' -C '$dir' check --full")"
    row "$size" "search 路灯 --limit 20, index made (cold db)" \
        "$(measure 1 0 "rm -f '$mb'/mailbox.db*" "'$report' -C '$dir' search 路灯 --limit 20")"
    row "$size" "search 路灯 --limit 20, warm" \
        "$(measure "$runs" 1 true "'$report' -C '$dir' search 路灯 --limit 20")"
    row "$size" "search 路 (one character), warm" \
        "$(measure "$runs" 1 true "'$report' -C '$dir' search 路 --limit 20")"
    row "$size" "search 问题 (a word in nearly every letter), warm" \
        "$(measure "$runs" 1 true "'$report' -C '$dir' search 问题 --limit 20")"
    row "$size" "show (a case from the middle)" \
        "$(measure "$runs" 1 true "'$report' -C '$dir' show '$id'")"
    assign="'$build/tools/mailbox-assign' -C '$dir'"
    waiting=$("$report" -C "$dir" list --status received --format tsv | sed -n 2p | cut -f1)
    row "$size" "assign one case (--dry-run)" \
        "$(measure "$runs" 1 true "$assign '$waiting' --to cgj --dry-run")"
    row "$size" "chase --dry-run, warm" "$(measure "$runs" 1 true "$assign chase -q --dry-run")"
    row "$size" "chase, records every open case" "$(measure 1 0 true "$assign chase -q")"
    row "$size" "chase again the same day" "$(measure "$runs" 1 true "$assign chase -q")"
    row "$size" "supervise --notices (once recorded)" \
        "$(measure "$runs" 1 true "$assign supervise -q --notices")"
    reply="'$build/tools/mailbox-reply' -C '$dir'"
    assigned=$("$report" -C "$dir" list --status assigned --format tsv | sed -n 2p | cut -f1)
    row "$size" "reply draft one case (--dry-run)" \
        "$(measure "$runs" 1 true "$reply draft '$assigned' --outcome resolved --file '$work/body.txt' --dry-run")"
    # The third of the drafts an approval would pass (the others lack what
    # their outcome needs, which review refuses), and an approved answer.
    drafted=$("$report" -C "$dir" list --format tsv | by_draft drafted)
    passes=
    for case in $drafted; do
        if "$build/tools/mailbox-reply" -C "$dir" review "$case" --approve --dry-run \
            > /dev/null 2>&1; then
            passes=$case
            break
        fi
    done
    if [ -n "$passes" ]; then
        row "$size" "reply review --approve (--dry-run)" \
            "$(measure "$runs" 1 true "$reply review '$passes' --approve --dry-run")"
    fi
    approved=$("$report" -C "$dir" list --status assigned --format tsv | by_draft approved)
    approved=${approved%%$'\n'*}
    if [ -n "$approved" ]; then
        row "$size" "reply send (--dry-run)" \
            "$(measure "$runs" 1 true "$reply send '$approved' --out '$work/out' --dry-run")"
    fi
    row "$size" "visit one case (--dry-run)" \
        "$(measure "$runs" 1 true "$assign visit '$assigned' --note '现场查看' --dry-run")"
    row "$size" "reply tracking (every case under tracking)" \
        "$(measure "$runs" 1 true "$reply tracking")"
    row "$size" "stats --year 2026 --format json, warm" \
        "$(measure "$runs" 1 true "'$report' -C '$dir' stats --year 2026 --format json")"
    row "$size" "stats --quarter 2026Q3 --by unit, warm" \
        "$(measure "$runs" 1 true "'$report' -C '$dir' stats --quarter 2026Q3 --by unit")"
    row "$size" "bulletin --quarter 2026Q3 --format html" \
        "$(measure "$runs" 1 true "'$report' -C '$dir' bulletin --quarter 2026Q3 --format html")"
    row "$size" "assess --year 2025, warm" \
        "$(measure "$runs" 1 true "'$report' -C '$dir' assess --year 2025")"
    if [ -n "${LETTERS:-}" ]; then
        letters "$((size / 10))" > "$work/import.csv"
        row "$size" "import $((size / 10)) real letters (--dry-run)" \
            "$(measure 1 0 true "'$intake' -C '$dir' import --dry-run '$work/import.csv'")"
    fi
    row "$size" "mailbox-intake init (fresh dir)" \
        "$(measure "$runs" 1 "rm -rf '$work/fresh'" "'$intake' init '$work/fresh'")"
    # Last, as each run registers one more letter in the big mailbox.
    row "$size" "mailbox-intake new, cold" "$(measure 1 0 "$fresh '$mb'" "$new")"
    row "$size" "mailbox-intake new" "$(measure "$runs" 1 "$fresh" "$new")"
    # A letter no keyword routes: the classifiers the decided cases teach
    # are read from the cache (learned anew there once, cold).
    lamp="'$intake' -C '$dir' new --subject '楼下的灯' --from '钱明' --no-link"
    lamp+=" --body-file '$work/lamp.txt'"
    lamp_body="bash '$work/lamp-body.sh'"
    forget="python3 '$work/forget-models.py' '$mb/mailbox.db'"
    row "$size" "new, learned suggestion, learned anew" \
        "$(measure 1 0 "$lamp_body && $forget" "$lamp")"
    row "$size" "new, learned suggestion" "$(measure "$runs" 1 "$lamp_body" "$lamp")"
    # The office's routine: register a letter, then list. The new file makes
    # list parse it and rewrite the whole index.
    row "$size" "list --format json, after one new" \
        "$(measure "$runs" 0 "bash -c \"$fresh && $new\"" "$list")"
    if [ -n "${LETTERS:-}" ]; then
        # Written this time: each case file synced and renamed, its row
        # indexed and the id counter moved on (the generated mailbox is no
        # git repository: nothing is committed). First each real letter once,
        # in January, out of the July letters' window: an office's day, few
        # of them alike. Then the July import, where a letter comes twenty
        # times at 100,000 cases, as a campaign does: each copy joins a group
        # whose every member lists every other.
        distinct=$(awk -F '\t' 'NR > 1 && $3 != "" && $5 != "" { m++ } END { print m }' "$LETTERS")
        letters "$distinct" 1 > "$work/distinct.csv"
        row "$size" "import $distinct real letters, each once, written" \
            "$(measure 1 0 true "'$intake' -C '$dir' import '$work/distinct.csv'")"
        row "$size" "import $((size / 10)) real letters, written" \
            "$(measure 1 0 true "'$intake' -C '$dir' import '$work/import.csv'")"
        # The files the import wrote are trusted by their rows (unless
        # written within a tenth of a second before their rows were):
        # the next whole-mailbox command need not read them again.
        row "$size" "list --format json, after the written import" "$(measure 1 0 true "$list")"
    fi
    rm -rf "$dir" "$work/fresh"
done

echo "# $(nproc) cores; $timer; median of 5 runs (3 from 100000 cases) after a warm-up run;" \
    "cold: one run; load average now $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-7s  %-40s %8s  %7s  %8s\n' size what seconds "x cat" "peak MiB"
printf '%s\n' "${rows[@]}"
