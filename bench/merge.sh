#!/usr/bin/env bash
# bench/merge.sh [BUILD_DIR] [CLONES] [LETTERS_PER_DAY] [DAYS]: several clones
# of one mailbox working on the same cases, merging every day through the
# case-file merge driver (mailbox-report merge-file).
#
# Defaults: build, 5 clones, 200 letters a day, 30 days. Each clone (its own
# station) registers its share of the day's letters (mailbox-intake import of
# a generated CSV), assigns received cases whoever registered them, visits,
# extends and returns assigned cases, and some clones run the day's chase.
# At the end of the day every clone commits its work, then the clones pull
# (--no-rebase) and push in a random order. The driver is wrapped to time
# each merged file. Counted: merges, pulls that stopped on a conflict, history
# entries lost (made by a clone, missing at the end), and the driver's time
# per merged file. Prints one table. BENCH_SEED (default 1) seeds the
# choices; KEEP=1 keeps the work folder. See bench/README.md.
set -uo pipefail
export LC_ALL=C # EPOCHREALTIME and printf use a decimal point

build=${1:-build}
nclones=${2:-5}
per_day=${3:-200}
days=${4:-30}
for n in "$nclones" "$per_day" "$days"; do
    if [[ ! $n =~ ^[0-9]+$ ]] || [ "$n" -lt 1 ]; then
        echo "merge.sh: '$n' is not a positive number" >&2
        echo "usage: bench/merge.sh [BUILD_DIR] [CLONES] [LETTERS_PER_DAY] [DAYS]" >&2
        exit 2
    fi
done
if [ "$nclones" -lt 2 ] || [ "$nclones" -gt 31 ]; then
    echo "merge.sh: CLONES must be 2 to 31" >&2
    exit 2
fi
build=$(cd "$build" && pwd) || exit 2
for tool in mailbox-intake mailbox-assign mailbox-report; do
    if [ ! -x "$build/tools/$tool" ]; then
        echo "merge.sh: no '$build/tools/$tool'; build first: cmake --build $build" >&2
        exit 2
    fi
done

# Nothing from the caller's environment may steer the tools or git: a
# global pull.rebase or commit.gpgsign would change what is measured.
unset MAILBOX_DIR EDITOR VISUAL
for v in $(env | sed -n 's/^\(GIT_[A-Z_]*\)=.*/\1/p'); do unset "$v"; done
work=$(mktemp -d "${TMPDIR:-/tmp}/mailbox-merge.XXXXXX")
if [ "${KEEP:-}" = 1 ]; then
    echo "merge.sh: keeping $work" >&2
else
    trap 'rm -rf "$work"' EXIT
fi
export HOME=$work/home GIT_CONFIG_NOSYSTEM=1 GIT_MERGE_AUTOEDIT=no
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
mkdir -p "$HOME"
# The tools are copied first, so that a build during the run cannot change
# (or, half linked, break) what is measured.
mkdir -p "$work/bin"
cp "$build"/tools/mailbox-{intake,assign,report} "$work/bin/" || exit 2
intake=$work/bin/mailbox-intake
assign=$work/bin/mailbox-assign
report=$work/bin/mailbox-report

seed=${BENCH_SEED:-1}
RANDOM=$seed # read only in this shell: bash reseeds $RANDOM in a subshell
rnd() { R=$((RANDOM % $1)); }
# A bigger draw than $RANDOM's 15 bits, for picking among thousands of cases.
rnd_big() { R=$(((RANDOM << 15 | RANDOM) % $1)); }

units=(cgj zjj jtj sthjj gaj jyj wjw mzj rsj zrzyj qsz hxjd dhz bjjd)
leaders=(wang li zhao)
first_day=2026-11-02
started=$EPOCHREALTIME

# The driver, wrapped: driver LOG COMMAND... runs git's merge driver and
# appends its exit status, its wall time in microseconds, the path and
# whether it was the inner merge of a criss-cross.
cat >"$work/driver" <<'END'
#!/usr/bin/env bash
log=$1
shift
kind=outer
[[ " $* " == *" --recursive "* ]] && kind=recursive
start=$EPOCHREALTIME
"$@"
status=$?
end=$EPOCHREALTIME
echo "$status $((${end/./} - ${start/./})) ${!#} $kind" >>"$log"
exit $status
END
chmod +x "$work/driver"
: >"$work/merges.log"
: >"$work/dropped"

# The letters of one clone's day as the web form's CSV export (the columns
# of the sample mailbox.toml's [import.csv]). The text of a letter is a
# function of (day, clone, row), so that about 3 % of the rows can send an
# earlier day's letter again (一稿多投) and be linked to it by intake.
cat >"$work/letters.awk" <<'END'
function next_x() { x = (x * 48271) % 2147483647; return x }
function pick(n) { return next_x() % n }
function text(d, c, k,   i, len, s) {
    x = (d * 100003 + c * 1009 + k) % 2147483646 + 1
    for (i = 0; i < 5; i++) next_x()
    subject = pl[1 + pick(npl)] pr[1 + pick(npr)]
    len = 80 + pick(160)
    s = subject "。"
    for (i = 0; i < len; i++) s = s ch[1 + pick(nch)]
    body = s "。"
}
BEGIN {
    nch = split(CHARS, ch, " "); npl = split(PLACES, pl, " "); npr = split(PROBLEMS, pr, " ")
    srand(SEED)
    print "留言主题,留言用户,留言时间,留言详情,电子邮箱,联系电话"
    for (k = 0; k < COUNT; k++) {
        if (DAY > 0 && BASE > 0 && rand() < 0.03)
            text(int(rand() * DAY), 1 + int(rand() * CLONES), int(rand() * BASE))
        else
            text(DAY, CLONE, k)
        minute = 8 * 60 + int(k * 540 / COUNT)
        printf "%s,市民%d,%s %02d:%02d:%02d,%s,,\n", subject, int(rand() * 10000), DATE,
            int(minute / 60), minute % 60, int(rand() * 60), body
    }
}
END
chars="的 一 是 在 不 了 有 和 人 这 中 大 为 上 个 国 我 以 要 他 时 来 用 们 生 到 作 地 于 出
就 分 对 成 会 可 主 发 年 动 同 工 也 能 下 过 子 说 产 种 面 而 方 后 多 定 行 学 法 所 民 得 经
十 三 之 进 着 等 部 度 家 电 力 里 如 水 化 高 自 二 理 起 小 物 现 实 加 量 都 两 体 制 机 当 使
点 从 业 本 去 把 性 好 应 开 它 合 还 因 由 其 些 然 前 外 天 政 四 日 那 社 义 事 平 形 相 全 表
间 样 与 关 各 重 新 线 内 数 正 心 反 你 明 看 原 又 么 利 比 或 但 质 气 第 向 道 命 此 变 条 只
没 结 解 问 意 建 月 公 无 系 军 很 情 者 最 立 代 想 已 通 并 提 直 题 党 程 展 五 果 料 象 员 革
位 入 常 文 总 次 品 式 活 设 及 管 特 件 长 求 老 头 基 资 边 流 路 级 少 图 山 统 接 知 较 将 组
见 计 别 她 手 角 期 根 论 运 农 指 几 九 区 强 放 决 西 被 干 做 必 战 先 回 则 任 取 据 处 队 南"
places="建设路 幸福小区 青山镇石桥村 河西街道 东湖镇 滨江花园 人民路 解放大道 东风小区 城南新村 北门街 滨江街道"
problems="路灯不亮 噪音扰民 拖欠工资 垃圾清运不及时 污水外溢 公交线路调整 学校周边交通拥堵 养老金发放 拆迁补偿 物业收费 违章搭建 占道经营"

# The origin (bare, as a shared server would hold it) and the clones, each
# with its own station and the driver set up by setup-git, then wrapped.
"$intake" init --git --commit "$work/start" >/dev/null || exit 1
git clone -q --bare "$work/start" "$work/origin.git" || exit 1
crockford=0123456789ABCDEFGHJKMNPQRSTVWXYZ
clones=()
for ((i = 1; i <= nclones; i++)); do
    c=$work/c$i
    clones+=("$c")
    git clone -q "$work/origin.git" "$c" || exit 1
    mkdir -p "$c/.mailbox" && echo "K${crockford:i:1}" >"$c/.mailbox/station"
    "$report" -C "$c" setup-git >/dev/null || exit 1
    git -C "$c" config merge.mailbox.driver \
        "'$work/driver' '$work/merges.log' '$report' merge-file --marker-size %L %O %A %B %P"
    git -C "$c" config merge.mailbox-recursive.driver \
        "'$work/driver' '$work/merges.log' '$report' merge-file --recursive --marker-size %L %O %A %B %P"
    : >"$work/created.$i"
done

# entries CLONE: "CASE ENTRY" for every history entry of every case, sorted.
entries() {
    (cd "$1" && grep -rHo --include='*.toml' '^id = "[0-9A-Z]\{6\}"$' cases) |
        sed 's|^cases/[0-9]*/\(.*\)\.toml:id = "\(.*\)"$|\1 \2|' | sort
}

# ids_of CLONE STATUS: sets ids[] to the clone's cases of that status.
ids_of() {
    mapfile -t ids < <("$report" -C "$1" list --status "$2" --format tsv --now "$T" | tail -n +2 | cut -f1)
}

ncommands=0
nrefused=0
nerrors=0
npulls=0
nconflicts=0
ntakeovers=0
nletters=0
conflicted=()
command_us=0
pull_us=0
slowest_pull_us=0
slowest_pull_files=0

# act TOOL ARGS...: one command in clone $c at time $T. Refusals (exit 1: the
# case may not be changed so; 2: usage) are counted; anything else is an error.
act() {
    local tool=$1
    shift
    local t0=$EPOCHREALTIME
    MAILBOX_USER=desk$ci "$tool" -C "$c" --now "$T" "$@" >/dev/null 2>"$work/act.err"
    local rc=$?
    local t1=$EPOCHREALTIME
    command_us=$((command_us + ${t1/./} - ${t0/./}))
    ncommands=$((ncommands + 1))
    case $rc in
    0) ;;
    1 | 2) nrefused=$((nrefused + 1)) ;;
    *)
        nerrors=$((nerrors + 1))
        echo "merge.sh: day $d, c$ci: ${tool##*/} $* exited $rc: $(head -c 300 "$work/act.err")" >&2
        ;;
    esac
}

# clock MINUTE: sets clone $c's clock to that minute of the day; $T is the time
# for --now (the seconds are the clone's number).
clock() {
    minute=$1
    printf -v T '%sT%02d:%02d:%02d+08:00' "$day" $((minute / 60)) $((minute % 60)) "$ci"
}

# One clone's working day.
work_day() {
    local i k n id count
    clock $((8 * 60 + 30))
    if [ "${chaser[ci]}" = 1 ]; then
        act "$assign" chase -q
    fi
    # Assign its share of the received cases, whoever registered them, from
    # 08:35 to 14:35; the others pick from the same cases, so some are
    # assigned twice.
    ids_of "$c" received
    n=${#ids[@]}
    count=$((per_day / nclones))
    [ "$count" -gt "$n" ] && count=$n
    for ((k = 0; k < count; k++)); do
        rnd_big $((n - k))
        i=$((k + R))
        id=${ids[i]}
        ids[i]=${ids[k]}
        ids[k]=$id
        rnd ${#units[@]}
        clock $((8 * 60 + 35 + k * 360 / count))
        act "$assign" "$id" --to "${units[R]}"
    done
    # Visits, an extension and now and then a return, on assigned cases.
    clock $((14 * 60 + 40))
    ids_of "$c" assigned
    n=${#ids[@]}
    if [ "$n" -gt 0 ]; then
        for ((k = 0; k < 3; k++)); do
            rnd_big "$n"
            clock $((minute + 5))
            act "$assign" visit "${ids[R]}" --note "现场督查：desk$ci"
        done
        rnd_big "$n"
        id=${ids[R]}
        rnd ${#leaders[@]}
        clock $((minute + 5))
        act "$assign" extend "$id" --days $((3 + RANDOM % 10)) --approved-by "${leaders[R]}" \
            --reason "需要多部门协调（desk$ci）"
        rnd 2
        if [ $R = 0 ]; then
            rnd_big "$n"
            clock $((minute + 5))
            act "$assign" return "${ids[R]}" --reason "不属本单位职责（desk$ci）"
        fi
    fi
    # The day's letters, registered at the end of the day.
    n=${share[ci]}
    if [ "$n" -gt 0 ]; then
        awk -v SEED="$RANDOM" -v DAY="$d" -v CLONE="$ci" -v CLONES="$nclones" \
            -v BASE=$((per_day / nclones)) -v COUNT="$n" -v DATE="$day" \
            -v CHARS="$chars" -v PLACES="$places" -v PROBLEMS="$problems" \
            -f "$work/letters.awk" >"$work/day.csv"
        clock $((17 * 60))
        act "$intake" import "$work/day.csv"
        nletters=$((nletters + n))
    fi
    git -C "$c" add -A cases
    day_entries
    git -C "$c" commit -qm "Day $day at desk $ci." >/dev/null
}

# day_entries: from the day's work of clone $c (staged), appends "CASE ENTRY"
# for each history entry added to created.N, and for each one removed to
# dropped (an entry moved within its file is neither).
day_entries() {
    git -C "$c" diff --cached -U0 --no-color --no-renames -- cases | awk -v created="$work/created.$ci" \
        -v dropped="$work/dropped" '
        /^\+\+\+ / { f = $2; sub(/^.*\//, "", f); sub(/\.toml$/, "", f); next }
        /^--- / { next }
        /^[-+]id = "[0-9A-Z]+"$/ && length($0) == 14 {
            k = f " " substr($0, 8, 6)
            if (substr($0, 1, 1) == "+") added[k] = 1; else removed[k] = 1
        }
        END {
            for (k in added) if (!(k in removed)) print k >> created
            for (k in removed) if (!(k in added)) print k >> dropped
        }'
}

# pull_push: pull, then push; pull again while the push is refused. A pull
# that stops is counted, and finished by taking our side of each unmerged
# file, so that the run goes on (the entries lost show in the count).
pull_push() {
    local try before files t0 t1
    for ((try = 1; try <= 5; try++)); do
        npulls=$((npulls + 1))
        before=$(wc -l <"$work/merges.log")
        t0=$EPOCHREALTIME
        git -C "$c" pull -q --no-rebase >"$work/pull.out" 2>&1
        local rc=$?
        t1=$EPOCHREALTIME
        pull_us=$((pull_us + ${t1/./} - ${t0/./}))
        files=$(($(wc -l <"$work/merges.log") - before))
        if [ $((${t1/./} - ${t0/./})) -gt $slowest_pull_us ]; then
            slowest_pull_us=$((${t1/./} - ${t0/./}))
            slowest_pull_files=$files
        fi
        ntakeovers=$((ntakeovers + $(grep -c 'both sides changed the handling' "$work/pull.out")))
        if [ $rc != 0 ]; then
            nconflicts=$((nconflicts + 1))
            echo "merge.sh: day $d, c$ci: git pull stopped:" >&2
            head -20 "$work/pull.out" >&2
            mkdir -p "$work/conflicts"
            local path
            while read -r path; do
                conflicted+=("$path")
                echo "merge.sh: day $d, c$ci: unmerged: $path (its copy kept in $work/conflicts)" >&2
                cp "$c/$path" "$work/conflicts/$(basename "$path").$d.c$ci" 2>/dev/null
                git -C "$c" checkout -q --ours -- "$path" 2>/dev/null || git -C "$c" rm -q -- "$path"
                git -C "$c" add -- "$path" 2>/dev/null
            done < <(git -C "$c" diff --name-only --diff-filter=U)
            git -C "$c" commit -qm "Merge, taking ours where it stopped." >/dev/null
        fi
        git -C "$c" push -q >/dev/null 2>&1 && return
    done
    echo "merge.sh: day $d, c$ci: push refused 5 times" >&2
    nerrors=$((nerrors + 1))
}

echo "merge.sh: $nclones clones, $per_day letters a day, $days days, seed $seed, in $work" >&2
for ((d = 0; d < days; d++)); do
    day=$(date -d "$first_day +$d day" +%F)
    # The day's letters, spread over the clones; a duty clone runs the chase,
    # and each other clone runs it too one day in $nclones.
    share=()
    chaser=()
    for ((ci = 1; ci <= nclones; ci++)); do
        share[ci]=$((per_day / nclones))
        rnd "$nclones"
        chaser[ci]=$((R == 0 ? 1 : 0))
    done
    for ((k = 0; k < per_day % nclones; k++)); do
        rnd "$nclones"
        share[R + 1]=$((share[R + 1] + 1))
    done
    rnd "$nclones"
    chaser[R + 1]=1
    for ((ci = 1; ci <= nclones; ci++)); do
        c=${clones[ci - 1]}
        work_day
    done
    mapfile -t order < <(seq 1 "$nclones")
    for ((k = nclones - 1; k > 0; k--)); do
        rnd $((k + 1))
        t=${order[k]}
        order[k]=${order[R]}
        order[R]=$t
    done
    for ci in "${order[@]}"; do
        c=${clones[ci - 1]}
        pull_push
    done
    echo "merge.sh: $day done: $(wc -l <"$work/merges.log") files merged so far," \
        "$nconflicts conflicts, $(( (${EPOCHREALTIME/./} - ${started/./}) / 1000000 )) s" >&2
done
# Last, every clone pulls what was pushed after its own pull.
d=$days
for ((ci = 1; ci <= nclones; ci++)); do
    c=${clones[ci - 1]}
    pull_push
done

# The counts.
sort "$work"/created.* >"$work/created"
entries "${clones[0]}" >"$work/final"
made=$(wc -l <"$work/created")
present=$(wc -l <"$work/final")
lost=$(comm -23 "$work/created" "$work/final" | wc -l)
extra=$(comm -13 "$work/created" "$work/final" | wc -l)
twice=$(uniq -d "$work/final" | wc -l)
dropped=$(sort -u "$work/dropped" | wc -l)
same=yes
head=$(git -C "${clones[0]}" rev-parse HEAD)
for c in "${clones[@]}"; do
    [ "$(git -C "$c" rev-parse HEAD)" = "$head" ] || same=no
    diff -rq "${clones[0]}/cases" "$c/cases" >/dev/null || same=no
done
# check in every clone. Two clones that each linked a letter to one case the
# same day leave a group its members see differently, which check reports
# with the 'mailbox-assign link' command that mends it: those are counted
# apart from any other problem.
checked=0
incomplete=0
problems=0
for c in "${clones[@]}"; do
    if "$report" -C "$c" check >/dev/null 2>"$work/check.err"; then
        checked=$((checked + 1))
        continue
    fi
    incomplete=$(sed -n "s/.*: incomplete group: .*'mailbox-assign link \(.*\)'\$/\1/p" \
        "$work/check.err" | sort -u | wc -l)
    other=$(grep -v ': incomplete group: \|^mailbox-report: [0-9]* problems\? in ' "$work/check.err")
    if [ -n "$other" ]; then
        problems=$((problems + $(echo "$other" | wc -l)))
        echo "merge.sh: check in $c:" >&2
        echo "$other" | head -5 >&2
    fi
done
merges=$(git -C "${clones[0]}" rev-list --merges --count HEAD)
cases=$(find "${clones[0]}/cases" -name '*.toml' | wc -l)
groups=$(grep -l '^group = ' -r "${clones[0]}/cases" | wc -l)
bytes=$(find "${clones[0]}/cases" -name '*.toml' -printf '%s\n' | awk '{ s += $1 } END { print int(s / NR) }')
nfiles=$(wc -l <"$work/merges.log")
nrecursive=$(awk '$4 == "recursive"' "$work/merges.log" | wc -l)
failed_driver=$(awk '$1 != 0' "$work/merges.log" | wc -l)
awk '{ print $2 }' "$work/merges.log" | sort -n >"$work/times"
# ms N: microseconds as milliseconds with one decimal.
ms() { printf '%d.%d' $(($1 / 1000)) $(($1 % 1000 / 100)); }
percentile() { # percentile P: the time of rank P % (nearest rank), in microseconds
    local n=$nfiles rank
    [ "$n" -gt 0 ] || { echo 0; return; }
    rank=$(((n * $1 + 99) / 100))
    [ $rank -lt 1 ] && rank=1
    sed -n "${rank}p" "$work/times"
}
wall=$(((${EPOCHREALTIME/./} - ${started/./}) / 1000000))

row() { printf '%-46s %s\n' "$1" "$2"; }
echo "# bench/merge.sh $build $nclones $per_day $days; seed $seed; $(nproc) cores;" \
    "load average now $(cut -d' ' -f1-3 /proc/loadavg)"
row "what" "value"
row "clones x letters a day x days" "$nclones x $per_day x $days"
row "letters registered (cases at the end)" "$nletters ($cases; $groups in a group)"
row "case file size at the end, mean" "$bytes bytes"
row "commands run (refused; errors)" "$ncommands ($nrefused; $nerrors)"
row "history entries made / present at the end" "$made / $present"
row "history entries lost (dropped by a command)" "$lost ($dropped)"
row "entries twice in a case / from nowhere" "$twice / $extra"
row "pulls / merge commits" "$npulls / $merges"
row "pulls stopped by a conflict (files)" "$nconflicts (${#conflicted[@]})"
row "files merged by the driver (inner merges)" "$nfiles ($nrecursive)"
row "  handling taken from the later side (notes)" "$ntakeovers"
row "  driver exits other than 0" "$failed_driver"
row "driver ms per file: median / p95 / max" \
    "$(ms "$(percentile 50)") / $(ms "$(percentile 95)") / $(ms "$(percentile 100)")"
row "slowest pull (files merged)" "$(ms $slowest_pull_us) ms ($slowest_pull_files)"
row "time in commands / in pulls / wall" \
    "$((command_us / 1000000)) s / $((pull_us / 1000000)) s / $wall s"
row "clones identical at the end" "$same"
row "check passes (clones)" "$checked of $nclones"
[ "$checked" = "$nclones" ] ||
    row "  groups to link again / other problems" "$incomplete / $problems"
[ "$lost" = 0 ] && [ "$nconflicts" = 0 ] && [ "$twice" = 0 ] && [ "$extra" = 0 ] &&
    [ "$same" = yes ] && [ "$problems" = 0 ] && [ "$nerrors" = 0 ] && [ "$dropped" = 0 ]
