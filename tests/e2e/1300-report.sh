# mailbox-report stats, assess and bulletin over a small mailbox handled with
# the real tools: the figures, their period boundaries, the masking and
# escaping of the bulletin, and the usage errors.
. "$(dirname "$0")/lib.sh"
new_mailbox AB

# The moment of every report: mid-October 2026, so 2026Q3 is the last whole
# quarter and its letters have had time to be answered or to be late.
R=2026-10-12T09:00:00+08:00

# letter SUBJECT FROM WHEN BODY [intake flags]: prints the new case's id.
letter() {
    local subject=$1 from=$2 when=$3 body=$4
    shift 4
    mailbox-intake -C mb new --subject "$subject" --from "$from" --now "$when" "$@" <<<"$body"
}

# answer ID DRAFTER WHEN [review flags]: the unit drafts an answer naming the
# letter by its id (from a file), 李明 approves it and it is sent, all at WHEN.
answer() {
    local id=$1 drafter=$2 when=$3
    shift 3
    printf '您反映的问题（编号%s）收悉。经我单位现场核查，已安排专人处理完毕，并当面向您说明了处理结果，感谢您对我们工作的监督。\n' "$id" >"answer-$id.txt"
    mailbox-reply -C mb draft "$id" --outcome resolved --file "answer-$id.txt" --by "$drafter" --now "$when" >/dev/null || fail "draft $id"
    mailbox-reply -C mb review "$id" --approve --by 李明 --now "$when" "$@" >/dev/null || fail "approve $id"
    mailbox-reply -C mb send "$id" --out "$TEST_DIR/sent" --now "$when" >/dev/null 2>&1 || fail "send $id"
}

assign() {
    mailbox-assign -C mb "$@" >/dev/null || fail "assign $*"
}

# --- The same quarter a year before (2025Q3): three letters. -------------
m=$(letter '解放路井盖缺失' 陈一 2025-07-10T10:00:00+08:00 '解放路与中山路交叉口井盖缺失，存在安全隐患。')
assign "$m" --to cgj --category city --now 2025-07-10T11:00:00+08:00
answer "$m" 城管局张华 2025-07-14T10:00:00+08:00
n=$(letter '滨江花园电梯故障' 陈二 2025-08-12T10:00:00+08:00 '滨江花园8栋电梯经常停运，业主多次报修无果。' --channel email)
assign "$n" --to zjj --category housing --kind complaint --now 2025-08-12T11:00:00+08:00
answer "$n" 住建局王强 2025-08-26T10:00:00+08:00
o=$(letter '3路公交班次太少' 陈三 2025-09-15T10:00:00+08:00 '3路公交早高峰班次太少，等车超过半小时。')
assign "$o" --to jtj --category transport --now 2025-09-15T11:00:00+08:00
answer "$o" 交通局赵敏 2025-09-18T10:00:00+08:00
mailbox-reply -C mb feedback "$o" --satisfied --now 2025-09-20T10:00:00+08:00 >/dev/null

# --- 2026Q2: one letter, in the year but not in the quarter. --------------
l=$(letter '文化路绿化带垃圾堆积' 周一 2026-05-11T10:00:00+08:00 '文化路绿化带内垃圾堆积多日无人清理。')
assign "$l" --to cgj --category city --now 2026-05-11T11:00:00+08:00
answer "$l" 城管局张华 2026-05-15T10:00:00+08:00

# --- 2026Q3: ten letters. --------------------------------------------------
# 市城市管理综合执法局 (cgj): three exemplary answers, all on time; one of
# them is a restricted letter and one has markup in its subject.
a=$(letter '幸福小区路灯不亮' 欧阳娜娜 2026-07-06T09:00:00+08:00 '幸福小区西门外路灯不亮已有一个月，夜间出行不便。' --phone 13812341234)
assign "$a" --to cgj --category city --kind help --now 2026-07-06T10:00:00+08:00
answer "$a" 城管局张华 2026-07-07T16:00:00+08:00 --exemplary --note '欧阳娜娜反映的问题当天解决，城管局当晚抢修恢复照明，并致电13812341234告知结果'
mailbox-reply -C mb feedback "$a" --satisfied --note '电话回访，表示满意' --now 2026-07-10T10:00:00+08:00 >/dev/null
b=$(letter '建设路<script>alert(1)</script>占道经营' 孙二 2026-07-08T09:00:00+08:00 '建设路人行道被摊贩长期占道经营，行人只能走机动车道。' --channel letter)
assign "$b" --to cgj --category city --now 2026-07-08T10:00:00+08:00
answer "$b" 城管局张华 2026-07-14T10:00:00+08:00 --exemplary --note '城管局三天内取缔占道摊点，设置便民疏导点，恢复人行道通行'
mailbox-reply -C mb feedback "$b" --basically-satisfied --now 2026-07-16T10:00:00+08:00 >/dev/null
c=$(letter '某局干部吃拿卡要' 匿名 2026-07-09T09:00:00+08:00 '反映某局工作人员办理执法事项时吃拿卡要。' --restricted)
assign "$c" --to cgj --category party --kind report --now 2026-07-09T10:00:00+08:00
answer "$c" 城管局张华 2026-07-15T10:00:00+08:00 --exemplary --note '受限来信的机密处理情况不得公开'

# 市住房和城乡建设局 (zjj): one answer very late, one late, one rejected
# at review before it was approved.
f=$(letter '青山镇自来水水压低' 钱七 2026-07-13T09:00:00+08:00 '青山镇上街村自来水水压太低，二楼以上没有水。')
assign "$f" --to zjj --category housing --now 2026-07-13T10:00:00+08:00
answer "$f" 住建局王强 2026-08-05T10:00:00+08:00
g=$(letter '锦绣小区物业乱收费' 吴十 2026-07-20T09:00:00+08:00 '锦绣小区物业公司擅自提高停车费。' --email wushi@example.com)
assign "$g" --to zjj --category housing --now 2026-07-20T10:00:00+08:00
echo '已处理。' >short.txt
mailbox-reply -C mb draft "$g" --outcome resolved --file short.txt --by 住建局王强 --now 2026-07-22T10:00:00+08:00 >/dev/null
run 0 mailbox-reply -C mb review "$g" --reject --note '答复过于简单，请写明核查情况' --by 李明 --now 2026-07-22T11:00:00+08:00
answer "$g" 住建局王强 2026-07-24T10:00:00+08:00
mailbox-reply -C mb feedback "$g" --satisfied --now 2026-07-28T10:00:00+08:00 >/dev/null
e=$(letter '和平里安置房漏水' 郑九 2026-08-10T09:00:00+08:00 '和平里安置房顶层漏水，开发商拒不维修。')
assign "$e" --to zjj --category housing --kind complaint --now 2026-08-10T10:00:00+08:00
answer "$e" 住建局王强 2026-08-25T10:00:00+08:00
mailbox-reply -C mb feedback "$e" --unsatisfied --note '漏水仍未修好' --now 2026-08-28T10:00:00+08:00 >/dev/null

# 市交通运输局 (jtj): a case led by 李副市长, a complaint, a case still
# unanswered and overdue on R, and a case it handed back.
h=$(letter '城北客运站停运' 冯五 2026-07-15T09:00:00+08:00 '城北客运站突然停运，周边村民出行困难。')
assign "$h" --to jtj --category transport --leader li --now 2026-07-15T10:00:00+08:00
answer "$h" 交通局赵敏 2026-07-22T10:00:00+08:00
i=$(letter '出租车拒载' 卫六 2026-08-17T09:00:00+08:00 '火车站出租车拒载短途乘客，态度蛮横。' --channel phone)
assign "$i" --to jtj --category transport --kind complaint --now 2026-08-17T10:00:00+08:00
answer "$i" 交通局赵敏 2026-08-21T10:00:00+08:00
mailbox-reply -C mb feedback "$i" --basically-satisfied --now 2026-08-24T10:00:00+08:00 >/dev/null
d=$(letter '村道坑洞未修' 蒋八 2026-09-28T09:00:00+08:00 '东湖镇村道多处坑洞，雨天无法通行。')
assign "$d" --to jtj --category transport --now 2026-09-28T10:00:00+08:00
k=$(letter '孤寡老人无人照料' 沈四 2026-09-01T09:00:00+08:00 '河西村孤寡老人独居，生活无人照料。')
assign "$k" --to jtj --kind help --now 2026-09-01T10:00:00+08:00
# jtj drafts an answer that is sent back, then hands the case back: the
# rejection and the return stay jtj's, though 市民政局 answers it.
mailbox-reply -C mb draft "$k" --outcome resolved --file short.txt --by 交通局赵敏 --now 2026-09-01T15:00:00+08:00 >/dev/null
run 0 mailbox-reply -C mb review "$k" --reject --note '不属于交通部门职责' --by 李明 --now 2026-09-02T09:00:00+08:00
run 0 mailbox-assign -C mb return "$k" --reason '应由民政部门办理' --unit jtj --now 2026-09-02T10:00:00+08:00
run 0 mailbox-assign -C mb "$k" --to mzj --category civil --note '改由民政局办理' --now 2026-09-02T11:00:00+08:00
answer "$k" 民政局刘洋 2026-09-08T10:00:00+08:00

run 0 mailbox-report -C mb check --now "$R"

# num KEY JSON: the first number (or null) named KEY in the JSON text.
num() {
    printf '%s\n' "$2" | grep -o "\"$1\": [0-9.a-z]*" | head -1 | sed 's/.*: //'
}
# pct FRACTION: as the bulletin writes a rate, 0.7 -> 70.0%, null -> —.
pct() {
    awk -v v="$1" 'BEGIN { if (v == "null") print "—"; else printf "%.1f%%\n", v * 100 }'
}

# --- 1. The reports, as of R. ---------------------------------------------
run 0 mailbox-report -C mb stats --quarter 2026Q3 --format json --now "$R"
golden stats-quarter-json
json=$out
run 0 mailbox-report -C mb stats --quarter 2026Q3 --by unit --now "$R"
golden stats-quarter-by-unit
run 0 mailbox-report -C mb stats --year 2026 --by kind --format csv --now "$R"
golden stats-year-by-kind-csv
run 0 mailbox-report -C mb assess --year 2026 --now "$R"
golden assess-table
run 0 mailbox-report -C mb assess --year 2026 --format json --now "$R"
golden assess-json
run 0 mailbox-report -C mb assess --year 2026 --format md --now "$R"
golden assess-md
run 0 mailbox-report -C mb bulletin --quarter 2026Q3 --now "$R"
golden bulletin-txt
txt=$out
run 0 mailbox-report -C mb bulletin --quarter 2026Q3 --format md --now "$R"
golden bulletin-md
md=$out
run 0 mailbox-report -C mb bulletin --quarter 2026Q3 --format html --now "$R"
golden bulletin-html
html=$out

# The figures the stats.hpp comments define, worked out by hand: ten letters,
# nine answered, seven of them on time, one open and overdue; the on-time
# rate counts that one too.
same "received in 2026Q3" 10 "$(num received "$json")"
same "answered by R" 9 "$(num replied "$json")"
same "on time" 7 "$(num replied_on_time "$json")"
same "late" 2 "$(num replied_late "$json")"
same "open and overdue" 1 "$(num overdue_open "$json")"
same "very overdue: the answer 9 working days late" 1 "$(num very_overdue "$json")"
same "on-time rate: 7 / (7 + 2 + 1)" 0.7 "$(num on_time_rate "$json")"
same "satisfaction: (2 + 2) / 5" 0.8 "$(num satisfaction_rate "$json")"
same "the restricted letter's exemplary handling is a figure too" 3 "$(num exemplary "$json")"
same "the year before" 3 "$(printf '%s\n' "$json" | sed -n '/"year_before"/,$p' | grep -o '"received": [0-9]*' | head -1 | sed 's/.*: //')"
jtj=$(printf '%s\n' "$json" | sed -n '/"id": "jtj"/,/"linked_groups"/p')
same "the return is jtj's" 1 "$(num returns "$jtj")"
same "and so is the draft it wrote" 1 "$(num rejected_drafts "$jtj")"
mzj=$(printf '%s\n' "$json" | sed -n '/"id": "mzj"/,/"linked_groups"/p')
same "not the unit that answered" "0 0" "$(num returns "$mzj") $(num rejected_drafts "$mzj")"
same "mzj has no feedback: no satisfaction rate" null "$(num satisfaction_rate "$mzj")"

# Excel: the same CSV with a byte-order mark and CRLF line ends.
run 0 mailbox-report -C mb assess --year 2026 --format csv --now "$R"
csv=$out
mailbox-report -C mb assess --year 2026 --excel --now "$R" >excel.csv
same "a byte-order mark first" "ef bb bf" "$(head -c 3 excel.csv | od -An -tx1 | tr -s ' ' | sed 's/^ //;s/ $//')"
same "every line ends in CRLF" "$(wc -l <excel.csv)" "$(grep -c $'\r$' excel.csv)"
# (CSV is CRLF already, as RFC 4180 has it.)
same "and the rest is the CSV" "$csv" "$(tail -c +4 excel.csv)"
same "five lines: a header and four units" 5 "$(wc -l <excel.csv)"

# --- 2. Every number of the txt bulletin is a figure of stats. -------------
received=$(num received "$json")
replied=$(num replied "$json")
on=$(num replied_on_time "$json")
feedback=$(num feedback "$json")
before=$(printf '%s\n' "$json" | sed -n '/"year_before"/,$p')
contains "received" "书记信箱共受理群众来信${received}件，较去年同期（$(num received "$before")件）增长233.3%" "$txt"
contains "answered and the reply rate" "已答复${replied}件，办结率$(pct "$(num reply_rate "$json")")" "$txt"
contains "on time and the rate, the year before's beside it" \
    "其中按期答复${on}件，按期答复率$(pct "$(num on_time_rate "$json")")（去年同期$(pct "$(num on_time_rate "$before")")）" "$txt"
same "the rate as the bulletin writes it" "70.0%" "$(pct "$(num on_time_rate "$json")")"
contains "late and open" "超期答复$(num replied_late "$json")件，尚未答复$(num open "$json")件（其中超期未答复$(num overdue_open "$json")件），严重超期$(num very_overdue "$json")件" "$txt"
contains "days" "平均答复用时$(num average_days "$json")天，九成来信在$(num p90_days "$json")天内答复" "$txt"
contains "leader-led" "市领导领衔办理$(num leader_led "$json")件，其中李副市长1件" "$txt"
contains "returns and rejections" "承办单位退单$(num returns "$json")次，经批准延期$(num extensions "$json")次，答复意见经审核退回修改$(num rejected_drafts "$json")次" "$txt"
contains "feedback" "回访${feedback}件，其中满意$(num satisfied "$json")件、基本满意$(num basically_satisfied "$json")件、不满意$(num unsatisfied "$json")件，满意率$(pct "$(num satisfaction_rate "$json")")（去年同期$(pct "$(num satisfaction_rate "$before")")）" "$txt"
contains "the complaint among the kinds" "投诉2件（占20.0%）" "$txt"
row=$(printf '%s\n' "$txt" | grep '^市交通运输局 ' | tr -s ' ')
same "jtj's row of the attachment" \
    "市交通运输局 $(num received "$jtj") $(num replied_on_time "$jtj") $(num replied_late "$jtj") $(num open "$jtj") $(pct "$(num on_time_rate "$jtj")") $(num returns "$jtj") $(num extensions "$jtj") $(num unsatisfied "$jtj") $(pct "$(num satisfaction_rate "$jtj")")" \
    "$row"
contains "late units named, most late first" "市住房和城乡建设局、市交通运输局等2个单位逾期答复" "$txt"
contains "rejections named: jtj's one draft of two answers counts" "市住房和城乡建设局、市交通运输局等2个单位答复意见审核退回率偏高" "$txt"
contains "red list" "红榜（按期答复率、满意率居前）：市城市管理综合执法局（按期答复率100.0%，满意率100.0%）、市交通运输局" "$txt"
contains "yellow list" "黄榜（按期答复率、满意率靠后）：市住房和城乡建设局（按期答复率33.3%，满意率50.0%）" "$txt"
contains "dated on R's day" "2026年10月12日" "$txt"

# Masking: the sender's name and phone never appear, in any format.
for doc in "$txt" "$md" "$html"; do
    contains "the compound surname kept, the name masked" "欧阳某反映的问题当天解决" "$doc"
    same "the name never appears" "" "$(printf '%s\n' "$doc" | grep -o '欧阳娜娜')"
    same "nor the phone" "" "$(printf '%s\n' "$doc" | grep -o '13812341234')"
    same "the restricted letter is not among the cases" "" "$(printf '%s\n' "$doc" | grep -o "$c\|吃拿卡要（编号\|机密处理")"
done
contains "the phone masked" "138****1234" "$txt"
contains "exemplary cases in id order" "（一）市城市管理综合执法局办理“幸福小区路灯不亮”（编号$a）" "$txt"
contains "the second one" "（二）市城市管理综合执法局办理“建设路<script>alert(1)</script>占道经营”（编号$b）" "$txt"
same "and only two" "" "$(printf '%s\n' "$txt" | grep -o '（三）市')"
# Escaping: the subject is text in HTML and Markdown, and the page has no
# script at all.
contains "escaped in HTML" "办理“建设路&lt;script&gt;alert(1)&lt;/script&gt;占道经营”" "$html"
same "no script tag in the page" 0 "$(printf '%s\n' "$html" | grep -ci '<script')"
contains "escaped in Markdown" "建设路&lt;script&gt;alert(1)&lt;/script&gt;占道经营" "$md"
same "no script tag in the Markdown" 0 "$(printf '%s\n' "$md" | grep -ci '<script')"
# The internal copy.
run 0 mailbox-report -C mb bulletin --quarter 2026Q3 --no-mask --now "$R"
contains "marked internal" "【内部资料　注意保存】" "$out"
contains "with the name whole" "欧阳娜娜反映的问题当天解决" "$out"
same "still without the restricted letter" "" "$(printf '%s\n' "$out" | grep -o "$c")"
same "a masked copy is not marked" "" "$(printf '%s\n' "$txt" | grep -o '内部资料')"
run 0 mailbox-report -C mb bulletin --quarter 2026Q3 --no-mask --format html --now "$R"
contains "marked internal in HTML" '<p class="internal">内部资料　注意保存</p>' "$out"
contains "still escaped" "&lt;script&gt;" "$out"

# As of an earlier moment: what happened later is not counted yet. On 25
# July six letters had come; the very late answer of 5 August was still an
# open, overdue case and the feedback of 28 July was not given yet.
run 0 mailbox-report -C mb stats --quarter 2026Q3 --format json --now 2026-07-25T09:00:00+08:00
same "received by then" 6 "$(num received "$out")"
same "answered by then" 5 "$(num replied "$out")"
same "the late answer is open and overdue" "1 1 0" "$(num open "$out") $(num overdue_open "$out") $(num very_overdue "$out")"
same "not late yet" 0 "$(num replied_late "$out")"
same "on-time rate 5 / 6" 0.8333 "$(num on_time_rate "$out")"
same "feedback given by then" 2 "$(num feedback "$out")"
run 0 mailbox-report -C mb stats --quarter 2026Q3 --format json --now 2026-08-03T09:00:00+08:00
same "very overdue by 3 August" "1 1" "$(num overdue_open "$out") $(num very_overdue "$out")"

# Without --by, one row per figure beside the year before's; rates as
# percentages in both columns, and no change for them.
run 0 mailbox-report -C mb stats --quarter 2026Q3 --now "$R"
same "received, the year before and the change" "received 受理来信 10 3 +233.3%" "$(printf '%s\n' "$out" | grep '^received ' | tr -s ' ' | sed 's/ $//')"
same "the on-time rate, and the year before's" "on_time_rate 按期答复率 70.0% 66.7%" "$(printf '%s\n' "$out" | grep '^on_time_rate ' | tr -s ' ' | sed 's/ $//')"
same "the satisfaction rate" "satisfaction_rate 满意率 80.0% 100.0%" "$(printf '%s\n' "$out" | grep '^satisfaction_rate ' | tr -s ' ' | sed 's/ $//')"

# The same days as a range give the same figures.
run 0 mailbox-report -C mb stats --since 2026-07-01 --until 2026-09-30 --format json --now "$R"
same "a range is its days" "10 9 0.7" "$(num received "$out") $(num replied "$out") $(num on_time_rate "$out")"
contains "its own label" '"label": "2026-07-01..2026-09-30"' "$out"
contains "and a year before" '"label": "2025-07-01..2025-09-30"' "$out"

# --- 3. Period boundaries, on the office's clock. ---------------------------
mailbox-intake init mb2 >/dev/null
x=$(mailbox-intake -C mb2 new --subject '夜间施工扰民' --from 韩一 --now 2026-09-30T23:30:00+08:00 <<<'人民路工地夜间施工，噪声很大。')
mailbox-intake -C mb2 new --subject '国庆期间公园垃圾' --from 韩二 --now 2026-09-30T16:10:00Z <<<'国庆期间人民公园垃圾无人清理。' >/dev/null
mailbox-assign -C mb2 "$x" --to cgj --now 2026-09-30T23:32:00+08:00 >/dev/null
echo '关于您反映的夜间施工扰民问题，经我局现场核查，已责令施工单位停止夜间施工，并依法作出处罚。' >x.txt
mailbox-reply -C mb2 draft "$x" --outcome resolved --file x.txt --by 城管局张华 --now 2026-09-30T23:35:00+08:00 >/dev/null
mailbox-reply -C mb2 review "$x" --approve --by 李明 --now 2026-09-30T23:38:00+08:00 >/dev/null
run 0 mailbox-reply -C mb2 send "$x" --out "$TEST_DIR/sent2" --now 2026-09-30T23:40:00+08:00
run 0 mailbox-report -C mb2 stats --quarter 2026Q3 --now 2026-09-30T15:45:00Z --format json
same "the letter of 23:30 on 30 September is Q3's" 1 "$(num received "$out")"
same "its answer of 23:40 is counted" "1 1 0" "$(num replied "$out") $(num replied_on_time "$out") $(num open "$out")"
run 0 mailbox-report -C mb2 stats --quarter 2026Q3 --now 2026-09-30T15:35:00Z --format json
same "five minutes earlier it is not answered yet" "1 0 1" "$(num received "$out") $(num replied "$out") $(num open "$out")"
same "and not overdue" 0 "$(num overdue_open "$out")"
run 0 mailbox-report -C mb2 stats --quarter 2026Q3 --now "$R" --format json
same "the letter of 00:10 on 1 October is not Q3's, though it is 30 September in UTC" 1 "$(num received "$out")"
run 0 mailbox-report -C mb2 stats --quarter 2026Q4 --now "$R" --format json
same "it is Q4's" "1 0 1" "$(num received "$out") $(num replied "$out") $(num open "$out")"
run 0 mailbox-report -C mb2 stats --month 2026-10 --now "$R" --format json
same "and October's" 1 "$(num received "$out")"
run 0 mailbox-report -C mb2 stats --month 2026-09 --now "$R" --format json
same "the other is September's" 1 "$(num received "$out")"

# One letter sent twice (一稿多投), answered once, marked exemplary once.
mailbox-intake init mb3 >/dev/null
body='建设路北段路面坑洼严重，雨天积水，多次发生电动车摔倒，请尽快修复。'
g1=$(mailbox-intake -C mb3 new --subject '建设路北段坑洼' --from 张三 --now 2026-08-03T09:00:00+08:00 <<<"$body")
g2=$(mailbox-intake -C mb3 new --subject '建设路坑洼' --from 李四 --now 2026-08-03T10:00:00+08:00 <<<"$body" 2>/dev/null)
mailbox-assign -C mb3 "$g1" --to cgj --now 2026-08-03T11:00:00+08:00 >/dev/null
echo '您反映的建设路北段坑洼问题，经我局现场核查，已于8月5日修复完毕，并对周边排水设施进行了疏通。' >g.txt
mailbox-reply -C mb3 draft "$g1" --outcome resolved --file g.txt --by 城管局张华 --now 2026-08-05T09:00:00+08:00 >/dev/null
mailbox-reply -C mb3 review "$g1" --approve --exemplary --note '张三反映的问题两天解决' --by 李明 --now 2026-08-05T10:00:00+08:00 >/dev/null
mailbox-reply -C mb3 send "$g1" --out "$TEST_DIR/sent3" --now 2026-08-05T11:00:00+08:00 >/dev/null 2>&1
run 0 mailbox-report -C mb3 stats --quarter 2026Q3 --format json --now "$R"
same "two letters, one group" "2 1" "$(num received "$out") $(num linked_groups "$out")"
run 0 mailbox-report -C mb3 bulletin --quarter 2026Q3 --now "$R"
contains "the group's exemplary handling, masked" "（一）市城市管理综合执法局办理“建设路北段坑洼”（编号$g1）。张某反映的问题两天解决。" "$out"
# The group's exemplary mark is on both letters: the one handling is one
# typical case, and every sender's name is masked in it.
same "a masked bulletin never names a sender" "" "$(printf '%s\n' "$out" | grep -o '张三')"
same "one handling is one typical case" "" "$(printf '%s\n' "$out" | grep -o "编号$g2")"

# --- 4. Usage errors exit 2 and say what is wrong. --------------------------
run 2 mailbox-report -C mb stats --now "$R"
same "no period" "mailbox-report: which period? --quarter 2026Q3, --month 2026-10, --year 2026, or --since D --until D" "$err"
run 2 mailbox-report -C mb stats --quarter 2026Q5 --now "$R"
same "no fifth quarter" "mailbox-report: --quarter '2026Q5': expected a year and a quarter, e.g. 2026Q3" "$err"
run 2 mailbox-report -C mb stats --month 2026-13 --now "$R"
same "no thirteenth month" "mailbox-report: --month '2026-13': expected YYYY-MM, e.g. 2026-10" "$err"
run 2 mailbox-report -C mb stats --quarter 2026Q3 --year 2026 --now "$R"
same "two periods" "mailbox-report: choose one period: --quarter, --month, --year, or --since and --until" "$err"
run 2 mailbox-report -C mb stats --since 2026-07-01 --now "$R"
same "a range needs both ends" "mailbox-report: which period? --quarter 2026Q3, --month 2026-10, --year 2026, or --since D --until D" "$err"
run 2 mailbox-report -C mb stats --since 2026-09-30 --until 2026-07-01 --now "$R"
same "a range the wrong way round" "mailbox-report: --until 2026-07-01 is before --since 2026-09-30" "$err"
run 2 mailbox-report -C mb stats --quarter 2026Q3 --by nonsense --now "$R"
same "unknown breakdown" "mailbox-report: --by 'nonsense': expected unit, category, kind, channel or leader" "$err"
run 2 mailbox-report -C mb stats --quarter 2026Q3 --excel --format json --now "$R"
same "Excel is CSV" "mailbox-report: --excel writes csv; it cannot be --format json" "$err"
run 2 mailbox-report -C mb bulletin --format csv --now "$R"
same "a bulletin is no CSV" "mailbox-report: --format csv: a bulletin is txt, md or html" "$err"
run 2 mailbox-report -C mb bulletin --quarter 2026Q0 --now "$R"
same "the bulletin's quarter is checked too" "mailbox-report: --quarter '2026Q0': expected a year and a quarter, e.g. 2026Q3" "$err"
run 2 mailbox-report -C mb assess --now "$R"
same "assess needs a year" "mailbox-report: --year is required (see 'mailbox-report --help')" "$err"
run 2 mailbox-report -C mb assess --year 26 --now "$R"
same "a year is four digits" "mailbox-report: --year '26': expected a year, e.g. 2026" "$err"
run 0 mailbox-report -C mb stats --quarter 2026q3 --format json --now "$R"
same "2026q3 is read too" "$json" "$out"
run 0 mailbox-report -C mb stats --quarter 2026-Q3 --format json --now "$R"
same "and 2026-Q3" "$json" "$out"

# --- 5. --out, and the default quarter. -------------------------------------
run 0 mailbox-report -C mb bulletin --quarter 2026Q3 --out bulletin.txt --now "$R"
same "--out prints nothing" "" "$out"
same "but says where it wrote" "mailbox-report: wrote bulletin.txt" "$err"
same "the file is the bulletin" "$txt" "$(cat bulletin.txt)"
run 0 mailbox-report -C mb bulletin --quarter 2026Q3 --format md --out out/2026Q3.md --now "$R"
same "--out makes its folder" "$md" "$(cat out/2026Q3.md)"
run 0 mailbox-report -C mb bulletin --quarter 2026Q3 --format html --out - --now "$R"
same "--out - is standard output" "$html" "$out"
run 0 mailbox-report -C mb bulletin --now "$R"
same "in October, the default is the third quarter" "$txt" "$out"
run 0 mailbox-report -C mb bulletin --now 2026-06-30T16:30:00Z
contains "00:30 on 1 July in Beijing: the second quarter's" "关于2026年第二季度书记信箱来信办理情况的通报" "$out"
contains "dated 1 July" "2026年7月1日" "$out"
contains "with its one letter" "共受理群众来信1件" "$out"
run 0 mailbox-report -C mb bulletin --now 2026-06-30T15:30:00Z
contains "23:30 on 30 June: still the first quarter's" "关于2026年第一季度书记信箱来信办理情况的通报" "$out"
contains "which had no letters" "共受理群众来信0件" "$out"

# --- What happened after the moment of a report must not change it. --------
# On 1 September the one feedback on 和平里安置房漏水 was 不满意; a second visit on 10
# September found the sender satisfied, and closed the case.
run 0 mailbox-report -C mb stats --quarter 2026Q3 --format json --now 2026-09-01T09:00:00+08:00
same "as of 1 September: one unsatisfied sender" "5 2 1" "$(num feedback "$out") $(num satisfied "$out") $(num unsatisfied "$out")"
run 0 mailbox-reply -C mb feedback "$e" --satisfied --note '二次回访，表示满意' --now 2026-09-10T10:00:00+08:00
run 0 mailbox-report -C mb stats --quarter 2026Q3 --format json --now 2026-09-01T09:00:00+08:00
same "feedback still counted once" 5 "$(num feedback "$out")"
# The later feedback's grade is not counted as of 1 September.
same "the later feedback is not counted yet" "5 2 1" "$(num feedback "$out") $(num satisfied "$out") $(num unsatisfied "$out")"
# On 30 September the answer to 孤寡老人无人照料 of 8 September stood; the sender asked
# for a second handling on 5 October.
run 0 mailbox-report -C mb stats --quarter 2026Q3 --format json --now 2026-09-30T09:00:00+08:00
same "as of 30 September: nine answered" "9 7" "$(num replied "$out") $(num replied_on_time "$out")"
run 0 mailbox-reply -C mb feedback "$k" --unsatisfied --reopen --note '老人仍无人照料' --now 2026-10-05T10:00:00+08:00
run 0 mailbox-report -C mb stats --quarter 2026Q3 --format json --now 2026-09-30T09:00:00+08:00
# The reopening of 5 October does not un-answer the case as of 30 September.
same "a reopening after the report does not change it" "9 7 1" "$(num replied "$out") $(num replied_on_time "$out") $(num open "$out")"

# --- The figures are the same whether the case files or the cache are read. -
# Files older than the cache are read from it (git's racy-clean rule): age
# them, so that the second run below really reads the cache.
find mb/cases -name '*.toml' -exec touch -d '1 hour ago' {} +
rm -rf mb/.mailbox
for when in 2026-09-01T09:00:00+08:00 2026-09-30T09:00:00+08:00 2026-10-12T09:00:00+08:00; do
    run 0 mailbox-report -C mb stats --quarter 2026Q3 --format json --now "$when"
    parsed=$out
    run 0 mailbox-report -C mb stats --quarter 2026Q3 --format json --now "$when"
    same "as of $when, the cache gives what the files give" "$parsed" "$out"
done
done_testing
