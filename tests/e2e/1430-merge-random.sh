# Three clones, each its own station, work on the same cases for six rounds of
# random commands (register, assign, re-assign, chase, visit, extend, return),
# each with --commit and a later --now, then pull (--no-rebase) and push in a
# random order. No pull may stop on a conflict (no command here edits a
# registration field), every history entry any clone wrote must end up exactly
# once in its case, every clone must end with the same case files, and check
# must pass everywhere (once the groups that two clones each linked a letter
# to are linked again, as check says).
#
# The run is driven by bash's $RANDOM, seeded below, so it is reproducible; a
# failure prints the seed. MAILBOX_MERGE_SEED=N tries another sequence.
# $RANDOM is only ever read in this shell, never inside $(...): bash reseeds
# it in every subshell.
. "$(dirname "$0")/lib.sh"
seed=${MAILBOX_MERGE_SEED:-42}
RANDOM=$seed
export GIT_MERGE_AUTOEDIT=no

CLONES=3
ROUNDS=6
clones=()
for ((i = 1; i <= CLONES; i++)); do clones+=("c$i"); done
units=(cgj zjj jtj sthjj gaj jyj wjw mzj rsj qsz hxjd)
leaders=(wang li zhao)
places=(建设路 幸福小区 青山镇石桥村 河西街道 东湖镇 滨江花园 人民路 解放大道)
problems=(路灯不亮 噪音扰民 拖欠工资 垃圾清运不及时 污水外溢 公交线路调整 学校周边交通拥堵 养老金发放)
chars=(路 灯 不 亮 小 区 物 业 拆 迁 补 偿 工 资 养 老 金 噪 音 学 校 医 院 公 交 垃 圾 污 水 村 镇 河 桥)

# R: a number from 0 to $1 - 1, from this shell's $RANDOM.
rnd() { R=$((RANDOM % $1)); }

stop() {
    fail "$*"
    printf 'seed: %s (MAILBOX_MERGE_SEED=%s reruns it)\n' "$seed" "$seed" >&2
    done_testing
    exit 1
}

# entries CLONE: one line "CASE ENTRY" for every history entry of every case.
entries() {
    (cd "$1" && grep -rHo --include='*.toml' '^id = "[0-9A-Z]\{6\}"$' cases) |
        sed 's|^cases/[0-9]*/\(.*\)\.toml:id = "\(.*\)"$|\1 \2|' | LC_ALL=C sort
}

# The origin, and a clone per station set up to merge with the driver.
mailbox-intake init --git --commit origin >/dev/null || stop "init --git --commit origin"
git -C origin config receive.denyCurrentBranch ignore
for c in "${clones[@]}"; do
    git clone -q origin "$c" || stop "clone $c"
    mkdir -p "$c/.mailbox" && echo "A${c#c}" >"$c/.mailbox/station"
    run 0 mailbox-report -C "$c" setup-git
    same "$c: setup-git writes only the clone's config" "wrote .git/config" "$out"
    : >"$TEST_DIR/created.$c"
done

: >"$TEST_DIR/body"
letters=()    # "SUBJECT|BODY" of each letter registered, to send one again
ncommands=0
nrefused=0
npulls=0
T=

# act CLONE TOOL ARGS...: runs the tool in the clone at its time $T with
# --commit. It must do it (exit 0: every new entry is recorded as made by the
# clone, none is lost, all is committed) or refuse it (exit 1, the case may
# not be changed so, or 2, a usage error such as re-assigning without a note:
# nothing changed). Anything else is a failure.
act() {
    local c=$1 tool=$2
    shift 2
    local head
    head=$(git -C "$c" rev-parse HEAD)
    entries "$c" >"$TEST_DIR/before"
    "$tool" -C "$c" --now "$T" --commit "$@" >/dev/null 2>"$TEST_DIR/act.err" <"$TEST_DIR/body"
    local rc=$?
    ncommands=$((ncommands + 1))
    entries "$c" >"$TEST_DIR/after"
    checks=$((checks + 1))
    case $rc in
    0)
        LC_ALL=C comm -13 "$TEST_DIR/before" "$TEST_DIR/after" >>"$TEST_DIR/created.$c"
        same "$c: $tool $* keeps every entry" "" "$(LC_ALL=C comm -23 "$TEST_DIR/before" "$TEST_DIR/after")"
        same "$c: $tool $* commits what it wrote" "" "$(git -C "$c" status --porcelain)"
        ;;
    1 | 2)
        nrefused=$((nrefused + 1))
        same "$c: refused $tool $* changes nothing" "" \
            "$(git -C "$c" status --porcelain; cmp -s "$TEST_DIR/before" "$TEST_DIR/after" || echo entries)"
        same "$c: refused $tool $* commits nothing" "$head" "$(git -C "$c" rev-parse HEAD)"
        ;;
    *) stop "$c: $tool $* at $T: exit $rc: $(cat "$TEST_DIR/act.err")" ;;
    esac
}

# cases_of CLONE: sets ids[] and statuses[] to the clone's cases.
cases_of() {
    ids=()
    statuses=()
    local id status rest
    while IFS=$'\t' read -r id status rest; do
        ids+=("$id")
        statuses+=("$status")
    done < <(mailbox-report -C "$1" list --format tsv --now "$T" | tail -n +2)
}

# One random command in clone $1 at time $T.
random_command() {
    local c=$1 id unit i received=()
    cases_of "$c"
    rnd 10
    local pick=$R
    [ ${#ids[@]} -eq 0 ] && pick=0
    case $pick in
    0 | 1 | 2)
        local subject body
        rnd 5
        if [ $R = 0 ] && [ ${#letters[@]} -gt 0 ]; then
            # The same letter again (一稿多投): intake links it to the first.
            rnd ${#letters[@]}
            subject=${letters[R]%%|*}
            body=${letters[R]#*|}
        else
            rnd ${#places[@]}
            subject=${places[R]}
            rnd ${#problems[@]}
            subject+=${problems[R]}
            body="$subject。"
            for ((i = 0; i < 40; i++)); do
                rnd ${#chars[@]}
                body+=${chars[R]}
            done
            letters+=("$subject|$body")
        fi
        printf '%s\n' "$body" >"$TEST_DIR/body"
        rnd 4
        act "$c" mailbox-intake new --subject "$subject" --from "市民$R"
        ;;
    3 | 4 | 9)
        for i in "${!ids[@]}"; do
            [ "${statuses[i]}" = received ] && received+=("${ids[i]}")
        done
        if [ $pick != 9 ] && [ ${#received[@]} -gt 0 ]; then
            rnd ${#received[@]}
            id=${received[R]}
        else
            rnd ${#ids[@]}
            id=${ids[R]}
        fi
        rnd ${#units[@]}
        unit=${units[R]}
        if [ $pick = 9 ]; then
            act "$c" mailbox-assign "$id" --to "$unit" --note "改派：$c"
        else
            act "$c" mailbox-assign "$id" --to "$unit"
        fi
        ;;
    5) act "$c" mailbox-assign chase -q ;;
    6)
        rnd ${#ids[@]}
        id=${ids[R]}
        act "$c" mailbox-assign visit "$id" --note "现场查看（$c）"
        ;;
    7)
        rnd ${#ids[@]}
        id=${ids[R]}
        rnd 10
        local days=$((R + 1))
        rnd ${#leaders[@]}
        act "$c" mailbox-assign extend "$id" --days "$days" --approved-by "${leaders[R]}" \
            --reason "需要协调（$c）"
        ;;
    8)
        rnd ${#ids[@]}
        id=${ids[R]}
        act "$c" mailbox-assign return "$id" --reason "不属本单位职责（$c）"
        ;;
    esac
}

# pull_push CLONE: pull, then push; pull again while the push is refused.
pull_push() {
    local c=$1 try
    for ((try = 1; ; try++)); do
        npulls=$((npulls + 1))
        if ! git -C "$c" pull -q --no-rebase >"$TEST_DIR/pull.out" 2>&1; then
            cat "$TEST_DIR/pull.out" >&2
            git -C "$c" status --short >&2
            git -C "$c" diff | head -60 >&2
            stop "$c: git pull stopped ($round)"
        fi
        same "$c: nothing left unmerged or uncommitted after a pull ($round)" "" \
            "$(git -C "$c" status --porcelain)"
        git -C "$c" push -q >"$TEST_DIR/push.out" 2>&1 && return
        [ $try -lt 5 ] || stop "$c: git push refused $try times: $(cat "$TEST_DIR/push.out")"
    done
}

for ((r = 0; r < ROUNDS; r++)); do
    round="round $((r + 1)) of $ROUNDS"
    day=$(date -d "2026-11-25 +$r day" +%F)
    for ((i = 0; i < CLONES; i++)); do
        c=${clones[i]}
        # Each clone's own clock: later with every command, the clones'
        # times interleaved, never equal (the seconds are the clone's number).
        rnd 30
        minute=$((9 * 60 + R))
        rnd 4
        n=$((3 + R))
        for ((k = 0; k < n; k++)); do
            rnd 25
            minute=$((minute + 1 + R))
            T=$(printf '%sT%02d:%02d:%02d+08:00' "$day" $((minute / 60)) $((minute % 60)) $((i + 1)))
            random_command "$c"
        done
    done
    # Pull and push, in a random order.
    order=("${clones[@]}")
    for ((i = ${#order[@]} - 1; i > 0; i--)); do
        rnd $((i + 1))
        t=${order[i]}
        order[i]=${order[R]}
        order[R]=$t
    done
    for c in "${order[@]}"; do pull_push "$c"; done
done
round="the last pull"
for c in "${clones[@]}"; do pull_push "$c"; done

# Two clones that each linked a letter to the same case in one round leave a
# group whose members name each other differently (no file holds both
# links): a group all the same, every case its links reach. Check only
# warns of a group whose members took a group action apart, in clones that
# did not see the link yet. Nothing else may be wrong.
mailbox-report -C c1 check >/dev/null 2>"$TEST_DIR/check.err"
same "check finds nothing but groups out of step" "" \
    "$(grep -v ": out of step with its group: \|^mailbox-report: [0-9]* problems\? in " "$TEST_DIR/check.err")"

# Every clone holds the same commit and the same case files.
head=$(git -C origin rev-parse HEAD)
for c in "${clones[@]}"; do
    same "$c is at origin's commit" "$head" "$(git -C "$c" rev-parse HEAD)"
    same "$c has the same case files as c1" "$(tree_hash c1/cases)" "$(tree_hash "$c/cases")"
    run 0 mailbox-report -C "$c" check
    contains "$c checks clean" "no problems" "$out"
done

# Every entry made lives exactly once in its case; none appeared from nowhere.
cat "$TEST_DIR"/created.c* | LC_ALL=C sort >"$TEST_DIR/created"
entries c1 >"$TEST_DIR/final"
made=$(wc -l <"$TEST_DIR/created")
same "no two commands made the same entry" "" "$(LC_ALL=C uniq -d "$TEST_DIR/created")"
same "no entry is twice in its case" "" "$(LC_ALL=C uniq -d "$TEST_DIR/final")"
same "no entry made was lost" "" "$(LC_ALL=C comm -23 "$TEST_DIR/created" "$TEST_DIR/final" | head -20)"
same "no entry came from nowhere" "" "$(LC_ALL=C comm -13 "$TEST_DIR/created" "$TEST_DIR/final" | head -20)"
# The run is not trivial: cases, entries and refusals from every clone.
check "some commands were refused ($nrefused of $ncommands)" [ "$nrefused" -gt 0 ]
for c in "${clones[@]}"; do
    check "$c made entries" test -s "$TEST_DIR/created.$c"
done
check "the clones merged ($(git -C c1 rev-list --merges --count HEAD) merge commits)" \
    [ "$(git -C c1 rev-list --merges --count HEAD)" -gt 0 ]
if [ "$failures" -gt 0 ]; then
    printf 'seed: %s; %d commands (%d refused), %d pulls, %d cases, %d entries\n' "$seed" \
        "$ncommands" "$nrefused" "$npulls" "$(find c1/cases -name '*.toml' | wc -l)" "$made" >&2
fi
done_testing
