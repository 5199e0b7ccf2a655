#include "model/calendar.hpp"
#include "report/assess.hpp"
#include "report/bulletin.hpp"
#include "report/period.hpp"
#include "report/stats.hpp"
#include "store/cache/case_index.hpp"
#include "test_util.hpp"
#include "util/atomic_file.hpp"
#include "util/error.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <map>
#include <sstream>

using namespace mailbox;
using namespace mailbox::test;

namespace {

// Cases held in memory as the index would hand them to a report.
struct Cases {
    TempMailbox t;
    std::vector<IndexEntry> entries;

    CaseSummary& add(const std::string& id, const std::string& received, const std::string& unit) {
        Case c = t.letter(id, received);
        if (!unit.empty()) {
            c.status = Status::assigned;
            c.handler = unit;
            c.assigned = c.received;
        }
        IndexEntry e;
        e.id = id;
        e.path = "cases/2026/" + id + ".toml";
        e.summary = c;
        entries.push_back(e);
        return *entries.back().summary;
    }
    // Answered at `replied`; on time or not by the case's own due date.
    CaseSummary& answered(const std::string& id, const std::string& received,
                          const std::string& unit, const std::string& replied) {
        CaseSummary& c = add(id, received, unit);
        c.status = Status::replied;
        c.replied = at(replied);
        c.on_time = c.replied->day() <= *due_day(c, t.m->config());
        if (!*c.on_time) {
            c.late = "overdue";
        }
        append_history(c, *c.replied, "李明", Action::reply);
        return c;
    }
    Stats stats(const Period& p, const std::string& now) const {
        return compute_stats(entries, t.m->config(), p, at(now));
    }
};

const Row& row(const Stats& s, Breakdown b, const std::string& id) {
    for (const Row& r : s.rows.at(b)) {
        if (r.id == id) {
            return r;
        }
    }
    FAIL("no row " << id);
    throw std::logic_error("unreachable");
}

} // namespace

TEST_CASE("periods: quarters, months, years and ranges", "[report][period]") {
    PeriodChoice q;
    q.quarter = "2026Q3";
    Period p = parse_period(q);
    CHECK(p.from == day(2026, 7, 1));
    CHECK(p.to == day(2026, 9, 30));
    CHECK(p.label_cn == "2026年第三季度");
    q.quarter = "2026-q4";
    CHECK(parse_period(q).to == day(2026, 12, 31));

    PeriodChoice m;
    m.month = "2024-02";
    CHECK(parse_period(m).to == day(2024, 2, 29));
    PeriodChoice y;
    y.year = "2025";
    CHECK(parse_period(y).label == "2025");
    PeriodChoice r;
    r.since = "2026-01-15";
    r.until = "2026-02-14";
    CHECK(parse_period(r).label == "2026-01-15..2026-02-14");
}

TEST_CASE("periods: a malformed or ambiguous choice is a usage error", "[report][period]") {
    PeriodChoice none;
    CHECK_THROWS_AS(parse_period(none), UsageError);
    PeriodChoice q;
    q.quarter = "2026Q5";
    CHECK_THROWS_WITH(parse_period(q),
                      "--quarter '2026Q5': expected a year and a quarter, e.g. 2026Q3");
    q.year = "2026";
    q.quarter = "2026Q1";
    CHECK_THROWS_AS(parse_period(q), UsageError);
    PeriodChoice m;
    m.month = "2026-13";
    CHECK_THROWS_AS(parse_period(m), UsageError);
    PeriodChoice half;
    half.since = "2026-01-01";
    CHECK_THROWS_AS(parse_period(half), UsageError);
    PeriodChoice back;
    back.since = "2026-02-01";
    back.until = "2026-01-01";
    CHECK_THROWS_AS(parse_period(back), UsageError);
}

TEST_CASE("periods: the year before and the last whole quarter", "[report][period]") {
    CHECK(year_before(quarter_period(2026, 1)).label == "2025Q1");
    CHECK(year_before(month_period(2026, 10)).label == "2025-10");
    CHECK(year_before(range_period(day(2028, 2, 1), day(2028, 2, 29))).to == day(2027, 2, 28));
    CHECK(last_full_quarter(day(2026, 11, 25)).label == "2026Q3");
    CHECK(last_full_quarter(day(2026, 1, 1)).label == "2025Q4");
    CHECK(last_full_quarter(day(2026, 3, 31)).label == "2025Q4");
}

TEST_CASE("stats: a letter counts in the quarter of its day in the office's timezone",
          "[report][stats]") {
    Cases k;
    k.add("260930-000100", "2026-09-30T23:30:00+08:00", "cgj");
    k.add("261001-000100", "2026-09-30T16:10:00Z", "cgj"); // 1 October 00:10 in Shanghai
    Stats q3 = k.stats(quarter_period(2026, 3), "2026-10-20T09:00:00+08:00");
    Stats q4 = k.stats(quarter_period(2026, 4), "2026-10-20T09:00:00+08:00");
    CHECK(q3.total.received == 1);
    CHECK(q4.total.received == 1);
    CHECK(office_day(at("2026-09-30T16:10:00Z"), k.t.m->config()) == day(2026, 10, 1));
}

TEST_CASE("stats: the on-time rate counts the decided cases", "[report][stats]") {
    Cases k;
    k.answered("260901-000100", "2026-09-01T09:00:00+08:00", "cgj", "2026-09-05T09:00:00+08:00");
    k.answered("260902-000100", "2026-09-02T09:00:00+08:00", "cgj", "2026-09-25T09:00:00+08:00");
    k.add("260903-000100", "2026-09-03T09:00:00+08:00", "cgj"); // overdue by 10-01
    k.add("260929-000100", "2026-09-29T09:00:00+08:00", "cgj"); // not due yet
    Stats s = k.stats(quarter_period(2026, 3), "2026-10-01T09:00:00+08:00");
    CHECK(s.total.received == 4);
    CHECK(s.total.replied == 2);
    CHECK(s.total.replied_on_time == 1);
    CHECK(s.total.replied_late == 1);
    CHECK(s.total.overdue_open == 1);
    CHECK(s.total.open == 2);
    CHECK(s.total.due_decided() == 3);
    CHECK(*s.total.on_time_rate() == Approx(0.3333));
    CHECK(*s.total.reply_rate() == Approx(0.5));
    CHECK(row(s, Breakdown::unit, "cgj").counts.received == 4);
}

TEST_CASE("stats: what happens after the report's moment is not counted yet", "[report][stats]") {
    Cases k;
    CaseSummary& c = k.answered("260901-000100", "2026-09-01T09:00:00+08:00", "cgj",
                                "2026-09-30T23:40:00+08:00");
    c.feedback = Feedback::satisfied;
    append_history(c, at("2026-10-02T09:00:00+08:00"), "李明", Action::feedback);
    Stats before = k.stats(quarter_period(2026, 3), "2026-09-30T15:35:00Z");
    CHECK(before.total.replied == 0);
    CHECK(before.total.overdue_open == 1); // due 09-11, unanswered at that moment
    Stats after = k.stats(quarter_period(2026, 3), "2026-09-30T15:45:00Z");
    CHECK(after.total.replied == 1);
    CHECK(after.total.feedback == 0);
    Stats later = k.stats(quarter_period(2026, 3), "2026-10-03T09:00:00+08:00");
    CHECK(later.total.feedback == 1);
    CHECK(later.total.satisfied == 1);
    CHECK(*later.total.satisfaction_rate() == 1.0);
}

TEST_CASE("stats: returns and rejected drafts count against the unit that made them",
          "[report][stats]") {
    Cases k;
    CaseSummary& c = k.add("260901-000100", "2026-09-01T09:00:00+08:00", "cgj");
    c.returned_by = {"zjj"};
    c.rejections = {"cgj", "cgj"};
    Stats s = k.stats(quarter_period(2026, 3), "2026-10-01T09:00:00+08:00");
    CHECK(row(s, Breakdown::unit, "zjj").counts.returns == 1);
    CHECK(row(s, Breakdown::unit, "zjj").counts.received == 0);
    CHECK(row(s, Breakdown::unit, "cgj").counts.rejected_drafts == 2);
    CHECK(s.total.returns == 1);
    CHECK(s.total.rejected_drafts == 2);
}

TEST_CASE("stats: repeat letters, linked groups, leaders and days to reply", "[report][stats]") {
    Cases k;
    CaseSummary& a = k.answered("260901-000100", "2026-09-01T09:00:00+08:00", "cgj",
                                "2026-09-03T09:00:00+08:00");
    a.sender.phone = "13800000001";
    a.group = {"260901-000200"};
    a.leader = "wang";
    CaseSummary& b = k.answered("260901-000200", "2026-09-01T10:00:00+08:00", "cgj",
                                "2026-09-05T09:00:00+08:00");
    b.sender.phone = "13800000002";
    b.group = {"260901-000100"};
    CaseSummary& c = k.answered("260910-000100", "2026-09-10T09:00:00+08:00", "zjj",
                                "2026-09-20T09:00:00+08:00");
    c.sender.phone = "13800000001"; // a's sender again
    Stats s = k.stats(quarter_period(2026, 3), "2026-10-01T09:00:00+08:00");
    CHECK(s.total.repeat_letters == 1);
    CHECK(s.total.linked_groups == 1);
    CHECK(row(s, Breakdown::unit, "cgj").counts.linked_groups == 1);
    CHECK(s.total.leader_led == 1);
    CHECK(row(s, Breakdown::leader, "wang").counts.received == 1);
    CHECK(s.total.reply_days == std::vector<int>{2, 4, 10});
    CHECK(*s.total.average_days() == Approx(5.3));
    CHECK(*s.total.p90_days() == 10);
}

TEST_CASE("stats: the year before is the same quarter and the change is a percentage",
          "[report][stats]") {
    Cases k;
    k.add("250801-000100", "2025-08-01T09:00:00+08:00", "cgj");
    k.add("250802-000100", "2025-08-02T09:00:00+08:00", "cgj");
    for (int i = 1; i <= 3; ++i) {
        k.add(fmt::format("26080{}-000100", i), fmt::format("2026-08-0{}T09:00:00+08:00", i),
              "cgj");
    }
    Period q = quarter_period(2026, 3);
    Stats now = k.stats(q, "2026-10-01T09:00:00+08:00");
    Stats before = k.stats(year_before(q), "2026-10-01T09:00:00+08:00");
    CHECK(before.total.received == 2);
    CHECK(change_text(now.total.received, before.total.received) == "+50.0%");
    CHECK(change_text(1, 4) == "-75.0%");
    CHECK(change_text(3, 0).empty());
    Value json = stats_record(now, before);
    CHECK(json.get("year_before")->get("received")->cell() == "2");
    CHECK(json.get("change")->get("received")->cell() == "0.5");
    CHECK(json.get("by_unit")->array()->size() == 1);
}

TEST_CASE("assess: the score's parts, grades and ranking", "[report][assess]") {
    Stats s;
    s.rows[Breakdown::unit] = {
        {"good", "好单位", {}}, {"late", "慢单位", {}}, {"few", "少单位", {}}};
    Counts& good = s.rows[Breakdown::unit][0].counts;
    good.received = 10;
    good.replied = good.replied_on_time = 10;
    good.feedback = good.satisfied = 5;
    good.exemplary = 5;
    Counts& late = s.rows[Breakdown::unit][1].counts;
    late.received = 10;
    late.replied = 8;
    late.replied_on_time = 5;
    late.replied_late = 3;
    late.overdue_open = 2;
    late.very_overdue = 1;
    late.feedback = 4;
    late.satisfied = 2;
    late.unsatisfied = 2;
    late.rejected_drafts = 4;
    late.returns = 1;
    s.rows[Breakdown::unit][2].counts.received = 2;
    AssessmentWeights w;
    std::vector<Assessment> a = assess_units(s, w);
    REQUIRE(a.size() == 3);
    CHECK(a[0].unit == "good");
    CHECK(a[0].score == 100); // 100 + a bonus of 6, capped
    CHECK(a[0].bonus == 6);
    CHECK(a[0].grade == "优秀");
    CHECK(a[1].unit == "late");
    CHECK(a[1].on_time == 20);      // 40 × 5/10
    CHECK(a[1].satisfaction == 15); // 30 × 2/4
    CHECK(a[1].first_review == 10); // 20 × (1 − 4/8)
    CHECK(a[1].late == 13);         // 4 × 2 + 1 × 5
    CHECK(a[1].returns == 1);
    CHECK(a[1].score == Approx(41));
    CHECK(a[1].grade == "不合格");
    CHECK(a[1].rank == 2);
    CHECK(a[2].grade == "不评定");
    CHECK_FALSE(a[2].rank);
    CHECK(grade_of(89.9) == "良好");
    CHECK(grade_of(60) == "合格");
}

TEST_CASE("bulletin: named units by threshold, and red and yellow lists apart",
          "[report][bulletin]") {
    Stats s;
    s.rows[Breakdown::unit] = {
        {"a", "甲", {}}, {"b", "乙", {}}, {"c", "丙", {}}, {"d", "丁", {}}, {"e", "戊", {}}};
    auto set = [&](std::size_t i, int received, int on_time, int late, int feedback,
                   int unsatisfied, int rejected) {
        Counts& k = s.rows[Breakdown::unit][i].counts;
        k.received = received;
        k.replied = on_time + late;
        k.replied_on_time = on_time;
        k.replied_late = late;
        k.feedback = feedback;
        k.unsatisfied = unsatisfied;
        k.satisfied = feedback - unsatisfied;
        k.rejected_drafts = rejected;
    };
    set(0, 5, 5, 0, 5, 0, 0);
    set(1, 5, 3, 2, 5, 2, 0);
    set(2, 5, 4, 1, 5, 0, 3);
    set(3, 2, 0, 2, 2, 2, 2); // too few to be ranked or named for rates
    set(4, 4, 4, 0, 4, 1, 0);
    BulletinRules rules;
    Criticism c = criticise(s, rules);
    REQUIRE(c.late.size() == 3);
    CHECK(c.late[0]->id == "b"); // most late first
    CHECK(c.rejected.size() == 1);
    CHECK(c.rejected[0]->id == "c");
    REQUIRE(c.unsatisfied.size() == 2);
    CHECK(c.unsatisfied[0]->id == "b");
    CHECK(c.unsatisfied[1]->id == "e");
    auto [red, yellow] = red_and_yellow(s, rules);
    REQUIRE(red.size() == 2);
    REQUIRE(yellow.size() == 2);
    CHECK(red[0]->id == "a");
    CHECK(red[1]->id == "e");
    CHECK(yellow[0]->id == "b");
    CHECK(yellow[1]->id == "c");
}

TEST_CASE("output: csv for Excel and Markdown tables", "[report][output]") {
    CHECK(excel_csv("a,b\r\nc,\"x\ny\"\r\n") == "\xEF\xBB\xBF"
                                                "a,b\r\nc,\"x\r\ny\"\r\n");
    std::ostringstream md;
    print_records(md, Format::markdown, {Value(Value::Object{{"k", "a|b\nc"}})}, {{"k", "K"}});
    CHECK(md.str() == "| K |\n| --- |\n| a\\|b c |\n");
}

TEST_CASE("stats: a reply's verdict is read from the end of its note", "[report][stats]") {
    Cases k;
    CaseSummary& c = k.add("260706-000100", "2026-07-06T09:00:00+08:00", "cgj");
    c.status = Status::replied;
    c.replied = at("2026-07-07T09:00:00+08:00");
    c.on_time = true;
    // A sender may be called anything, even what a verdict looks like.
    append_history(c, *c.replied, "李明", Action::reply,
                   "letter to 王五; very-overdue; on time, due 2026-07-16; resolved");
    Stats s = k.stats(quarter_period(2026, 3), "2026-10-01T09:00:00+08:00");
    CHECK(s.total.replied_on_time == 1);
    CHECK(s.total.very_overdue == 0);
}

TEST_CASE("stats: a verdict and a grade are read from a record written in Chinese",
          "[report][stats]") {
    Cases k;
    CaseSummary& c = k.add("260706-000100", "2026-07-06T09:00:00+08:00", "cgj");
    c.status = Status::replied;
    c.replied = at("2026-07-20T09:00:00+08:00");
    c.on_time = false;
    append_history(c, *c.replied, "李明", Action::reply,
                   "短信发至13800000000；严重超期，期限2026-07-16；已解决，并建立长效机制");
    // A sender first unsatisfied, then basically satisfied with the second
    // handling: the report of each moment reads the grade of its time.
    append_history(c, at("2026-07-21T09:00:00+08:00"), "李明", Action::feedback,
                   "不满意：问题未解决");
    append_history(c, at("2026-08-21T09:00:00+08:00"), "李明", Action::feedback,
                   "基本满意：已整改");
    c.feedback = Feedback::basically_satisfied;
    Stats first = k.stats(quarter_period(2026, 3), "2026-07-22T09:00:00+08:00");
    CHECK(first.total.very_overdue == 1);
    CHECK(first.total.unsatisfied == 1);
    Stats then = k.stats(quarter_period(2026, 3), "2026-10-01T09:00:00+08:00");
    CHECK(then.total.unsatisfied == 0);
    CHECK(then.total.basically_satisfied == 1);
}

TEST_CASE("stats: an extension approved after the report's moment does not count yet",
          "[report][stats]") {
    Cases k;
    CaseSummary& c = k.add("260706-000100", "2026-07-06T09:00:00+08:00", "cgj");
    c.extensions.push_back({20, "li", at("2026-07-20T10:00:00+08:00"), "需要协调"});
    Stats before = k.stats(quarter_period(2026, 3), "2026-07-19T10:00:00+08:00");
    CHECK(before.total.overdue_open == 1); // due 07-16
    CHECK(before.total.extensions == 0);
    Stats after = k.stats(quarter_period(2026, 3), "2026-07-21T10:00:00+08:00");
    CHECK(after.total.overdue_open == 0);
    CHECK(after.total.extensions == 1);
}

TEST_CASE("stats: a linked group's exemplary answer is one exemplary handling", "[report][stats]") {
    Cases k;
    for (const char* id : {"260901-000100", "260901-000200", "260901-000300"}) {
        CaseSummary& c =
            k.answered(id, "2026-09-01T09:00:00+08:00", "cgj", "2026-09-03T09:00:00+08:00");
        c.exemplary = "当天解决";
        c.group = {"260901-000100", "260901-000200", "260901-000300"};
        std::erase(c.group, c.id);
    }
    Stats s = k.stats(quarter_period(2026, 3), "2026-10-01T09:00:00+08:00");
    CHECK(s.total.exemplary == 1);
    CHECK(row(s, Breakdown::unit, "cgj").counts.exemplary == 1);
    CHECK(s.total.linked_groups == 1);
}

TEST_CASE("bulletin: a group with a restricted letter is no typical case, and every sender of "
          "a group is masked",
          "[report][bulletin]") {
    TempMailbox t;
    auto save = [&](const std::string& id, const std::string& received, const std::string& name,
                    const std::vector<std::string>& group, bool restricted) {
        Case c = t.letter(id, received);
        c.sender.name = name;
        c.status = Status::closed;
        c.handler = "cgj";
        c.assigned = c.received;
        c.replied = at("2026-09-05T09:00:00+08:00");
        c.on_time = true;
        c.exemplary = "张伟反映的问题两天解决，向张伟、李娜娜反馈了结果";
        c.group = group;
        c.restricted = restricted;
        append_history(c, *c.replied, "李明", Action::reply);
        t.m->save(c);
    };
    // 李娜娜 wrote in June (another quarter), 张伟 in September: one letter.
    save("260629-000100", "2026-06-29T09:00:00+08:00", "李娜娜", {"260901-000100"}, false);
    save("260901-000100", "2026-09-01T09:00:00+08:00", "张伟", {"260629-000100"}, false);
    // And a restricted letter linked with another one.
    save("260902-000100", "2026-09-02T09:00:00+08:00", "匿名", {"260902-000200"}, true);
    save("260902-000200", "2026-09-02T10:00:00+08:00", "钱多多", {"260902-000100"}, false);
    std::vector<IndexEntry> entries = load_case_index(*t.m);
    Stats q3 = compute_stats(entries, t.m->config(), quarter_period(2026, 3),
                             at("2026-10-10T09:00:00+08:00"));
    Stats before = compute_stats(entries, t.m->config(), year_before(q3.period), q3.as_of);
    BulletinOptions o;
    TemplateData d = bulletin_data(*t.m, entries, q3, before, o);
    const auto& cases = d.get("exemplary")->list_value();
    REQUIRE(cases.size() == 1); // 260901 only: 260902-000200 is linked with a restricted letter
    CHECK(cases[0].get("id")->string_value() == "260901-000100");
    CHECK(cases[0].get("text")->string_value() ==
          "张某反映的问题两天解决，向张某、李某反馈了结果。");
}

TEST_CASE("bulletin: every default template renders a quarter with no letters, its empty lists "
          "checked by their declared item names",
          "[report][bulletin]") {
    TempMailbox t;
    for (BulletinFormat f : {BulletinFormat::txt, BulletinFormat::md, BulletinFormat::html}) {
        BulletinOptions o;
        o.format = f;
        CHECK_NOTHROW(
            render_bulletin(*t.m, {}, quarter_period(2026, 3), at("2026-10-10T09:00:00+08:00"), o));
    }
    // A name mistyped inside a list that is empty this quarter is caught now,
    // not in the first quarter with an exemplary case.
    write_text(t.m->root() / "templates" / "mine.mustache",
               "{{title}}\n{{#exemplary}}{{subjcet}}{{/exemplary}}\n{{chart_units}}");
    BulletinOptions o;
    o.template_name = "mine";
    CHECK_THROWS_WITH(
        render_bulletin(*t.m, {}, quarter_period(2026, 3), at("2026-10-10T09:00:00+08:00"), o),
        "templates/mine.mustache:2:15: unknown variable 'subjcet'; did you mean 'subject'?");
}

TEST_CASE("bulletin: the items of each list hold the names declared for them",
          "[report][bulletin]") {
    TempMailbox t;
    auto save = [&](const std::string& id, const std::string& unit, bool replied) {
        Case c = t.letter(id, "2026-09-01T09:00:00+08:00");
        c.status = replied ? Status::closed : Status::assigned;
        c.handler = unit;
        c.assigned = c.received;
        if (replied) {
            c.replied = at("2026-09-05T09:00:00+08:00");
            c.on_time = true;
            c.exemplary = "两天解决";
            append_history(c, *c.replied, "李明", Action::reply);
        }
        t.m->save(c);
    };
    save("260901-000100", "cgj", true);
    save("260901-000200", "jtj", true);
    save("260901-000300", "mzj", false);
    std::vector<IndexEntry> entries = load_case_index(*t.m);
    Stats q3 = compute_stats(entries, t.m->config(), quarter_period(2026, 3),
                             at("2026-10-10T09:00:00+08:00"));
    Stats before = compute_stats(entries, t.m->config(), year_before(q3.period), q3.as_of);
    TemplateData d = bulletin_data(*t.m, entries, q3, before, BulletinOptions{});
    std::size_t items = 0;
    for (const auto& [path, keys] : bulletin_item_keys()) {
        const TemplateData* list = &d;
        for (std::size_t from = 0; list && from <= path.size();) {
            std::size_t dot = std::min(path.find('.', from), path.size());
            list = list->get(path.substr(from, dot - from));
            from = dot + 1;
        }
        REQUIRE(list);
        REQUIRE(list->is_list());
        for (const TemplateData& item : list->list_value()) {
            ++items;
            for (const std::string& key : keys) {
                CHECK((path + " holds " + key + ": " + (item.get(key) ? "yes" : "no")) ==
                      path + " holds " + key + ": yes");
            }
        }
    }
    CHECK(items > 5);
}

TEST_CASE("stats: a topic word counts once a subject, wherever it stands", "[report][stats]") {
    Cases cs;
    cs.add("260901-A", "2026-09-01T10:00:00+08:00", "").subject = "拖欠工资，工资还是没发";
    cs.add("260902-A", "2026-09-02T10:00:00+08:00", "").subject = "路灯不亮";
    cs.add("260903-A", "2026-09-03T10:00:00+08:00", "").subject = "小区的路灯坏了，垃圾没人清";
    Stats s = cs.stats(quarter_period(2026, 3), "2026-10-10T10:00:00+08:00");
    std::map<std::string, int> topics;
    for (std::size_t i = 0; i < s.topics.size(); ++i) {
        topics[s.topics[i]] = s.topic_counts[i];
    }
    CHECK(topics ==
          std::map<std::string, int>{{"拖欠工资", 1}, {"工资", 1}, {"路灯", 2}, {"垃圾", 1}});
    CHECK(s.topics.front() == "路灯");
}

TEST_CASE("stats: a period's cases keep of their history what reports count, and only them",
          "[report][stats]") {
    TempMailbox t;
    t.add_assigned("260901-000100", "2026-09-01T09:00:00+08:00", "cgj");
    t.add_assigned("250901-000100", "2025-09-01T09:00:00+08:00", "cgj"); // a year before
    Case c = t.m->load("260901-000100");
    append_history(c, at("2026-09-03T09:00:00+08:00"), "李明", Action::chase, "催办");
    append_history(c, at("2026-09-04T09:00:00+08:00"), "李明", Action::visit, "现场督查");
    append_history(c, at("2026-09-05T09:00:00+08:00"), "李明", Action::reply, "回复");
    append_history(c, at("2026-09-06T09:00:00+08:00"), "李明", Action::feedback, "满意");
    t.m->save(c);
    for (int pass = 0; pass < 2; ++pass) { // from the files, then from the cache
        std::vector<IndexEntry> kept = cases_within(*t.m, {quarter_period(2026, 3)}, false);
        REQUIRE(kept.size() == 1);
        std::vector<Action> actions;
        for (const HistoryEntry& e : kept[0].summary->history) {
            actions.push_back(e.action);
        }
        CHECK(actions == std::vector<Action>{Action::visit, Action::reply, Action::feedback});
    }
}

TEST_CASE("stats: rows mailbox.toml does not define go in the order their first letters came, "
          "whatever the order of the files",
          "[report][stats]") {
    Cases k;
    // The files' order (as a scan hands them on) is not the order received.
    CaseSummary& late = k.add("260905-000100", "2026-09-05T09:00:00+08:00", "yy");
    late.sender.phone = "13800000001";
    CaseSummary& early = k.add("260901-000100", "2026-09-01T09:00:00+08:00", "xx");
    early.sender.phone = "13800000001";
    k.add("260903-000100", "2026-09-03T09:00:00+08:00", "");
    Stats s = k.stats(quarter_period(2026, 3), "2026-10-01T09:00:00+08:00");
    std::vector<std::string> added;
    for (const Row& r : s.rows.at(Breakdown::unit)) {
        if (!k.t.m->config().unit_named(r.id)) {
            added.push_back(r.id);
        }
    }
    CHECK(added == std::vector<std::string>{"xx", "", "yy"});
    // The sender's second letter is the later one, wherever its file is.
    CHECK(row(s, Breakdown::unit, "yy").counts.repeat_letters == 1);
    CHECK(row(s, Breakdown::unit, "xx").counts.repeat_letters == 0);
}

TEST_CASE("stats: a count of a mailbox's periods in one scan is the count of their cases",
          "[report][stats]") {
    TempMailbox t;
    t.add_assigned("260901-000100", "2026-09-01T09:00:00+08:00", "cgj");
    t.add_assigned("260815-000100", "2026-08-15T09:00:00+08:00", "zjj", Status::replied);
    t.add_assigned("251001-000100", "2025-10-01T09:00:00+08:00", "cgj"); // outside both
    t.add_assigned("250901-000100", "2025-09-01T09:00:00+08:00", "xx");  // a year before
    write_file_atomically(t.m->absolute("cases/2026/260902-000100.toml"), "subject = \n");
    Period q = quarter_period(2026, 3);
    Timestamp now = at("2026-10-01T09:00:00+08:00");
    for (int pass = 0; pass < 2; ++pass) { // from the files, then from the cache
        PeriodStats counted = count_within(*t.m, {q, year_before(q)}, now);
        std::vector<IndexEntry> kept = cases_within(*t.m, {q, year_before(q)}, false);
        REQUIRE(counted.stats.size() == 2);
        CHECK(counted.stats[0].total.received == 2);
        CHECK(counted.stats[1].total.received == 1);
        CHECK(to_json(stats_record(counted.stats[0], counted.stats[1])) ==
              to_json(stats_record(compute_stats(kept, t.m->config(), q, now),
                                   compute_stats(kept, t.m->config(), year_before(q), now))));
        REQUIRE(counted.broken.size() == 1);
        CHECK(counted.broken[0].id == "260902-000100");
    }
}

TEST_CASE("stats: a return counts in the row of a unit mailbox.toml does not define only from "
          "that row's first letter on",
          "[report][stats]") {
    Cases k;
    k.add("260905-000100", "2026-09-05T09:00:00+08:00", "gone"); // its file first
    k.add("260901-000100", "2026-09-01T09:00:00+08:00", "cgj").returned_by = {"gone"};
    k.add("260910-000100", "2026-09-10T09:00:00+08:00", "cgj").returned_by = {"gone"};
    k.add("260911-000100", "2026-09-11T09:00:00+08:00", "cgj").rejections = {"gone", "cgj"};
    Stats s = k.stats(quarter_period(2026, 3), "2026-10-01T09:00:00+08:00");
    CHECK(s.total.returns == 2);
    CHECK(row(s, Breakdown::unit, "gone").counts.returns == 1);
    CHECK(s.total.rejected_drafts == 2);
    CHECK(row(s, Breakdown::unit, "gone").counts.rejected_drafts == 1);
    CHECK(row(s, Breakdown::unit, "cgj").counts.rejected_drafts == 1);
}
