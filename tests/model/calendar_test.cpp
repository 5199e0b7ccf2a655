#include "model/calendar.hpp"
#include "test_util.hpp"

#include <catch2/catch.hpp>

using namespace mailbox;
using namespace mailbox::test;

namespace {

Config config_with(DeadlineRules rules) {
    Config c;
    c.deadline = std::move(rules);
    c.zone = shanghai();
    return c;
}

Case received_on(const std::string& iso) {
    Case c;
    c.id = "261125-0000AB";
    c.received = at(iso);
    return c;
}

} // namespace

TEST_CASE("natural days: the first day is not counted") {
    DeadlineRules r;
    r.extend_past_holidays = false;
    auto due = due_date(received_on("2026-11-02T10:00:00+08:00"), config_with(r));
    REQUIRE(due);
    CHECK(due->day == day(2026, 11, 12));
    CHECK(due->reason == "received on 2026-11-02 (Mon): counting starts the next day (clock = "
                         "\"received\"); 10 natural days (the office's limit, "
                         "deadline.reply_days) → 2026-11-12 (Thu)");
    CHECK(due->steps.size() == 2);
}

TEST_CASE("natural days: a due date on a weekend moves to the next workday") {
    DeadlineRules r;
    auto due = due_date(received_on("2026-07-02T10:00:00+08:00"), config_with(r));
    REQUIRE(due);
    CHECK(due->day == day(2026, 7, 13)); // 07-12 is a Sunday
    CHECK(due->reason.ends_with("→ 2026-07-12 (Sun); falls on a rest day (2026-07-12): moved to "
                                "the next workday 2026-07-13 (Mon) (extend_past_holidays)"));
}

TEST_CASE("natural days: a due date in a multi-day holiday moves past it") {
    DeadlineRules r;
    for (unsigned d = 1; d <= 7; ++d) {
        r.holidays.insert(day(2026, 10, d));
    }
    auto due = due_date(received_on("2026-09-22T10:00:00+08:00"), config_with(r));
    CHECK(due->day == day(2026, 10, 8));
}

TEST_CASE("working days skip weekends and holidays and count make-up workdays") {
    DeadlineRules r;
    r.days = DayCount::working;
    r.reply_days = 3;
    for (unsigned d = 1; d <= 7; ++d) {
        r.holidays.insert(day(2026, 10, d));
    }
    r.workdays.insert(day(2026, 10, 10)); // a Saturday worked
    // Received Wed 09-30: counting starts 10-01; 10-01..07 holiday; 10-08 Thu,
    // 10-09 Fri, 10-10 Sat (make-up workday).
    auto due = due_date(received_on("2026-09-30T10:00:00+08:00"), config_with(r));
    CHECK(due->day == day(2026, 10, 10));
    CHECK(due->steps[1] == "3 working days; holidays skipped: 2026-10-01 to 2026-10-07; "
                           "make-up workdays counted: 2026-10-10 (the office's limit, "
                           "deadline.reply_days) → 2026-10-10 (Sat)");
}

TEST_CASE("working days across a weekend") {
    DeadlineRules r;
    r.days = DayCount::working;
    r.reply_days = 2;
    // Fri 2026-11-20 + 2 working days = Tue 11-24.
    auto due = due_date(received_on("2026-11-20T10:00:00+08:00"), config_with(r));
    CHECK(due->day == day(2026, 11, 24));
    CHECK(due->steps[1].starts_with(
        "2 working days; weekend days skipped: 2026-11-21 to 2026-11-22 "));
}

TEST_CASE("the year boundary and a leap day") {
    DeadlineRules r;
    r.extend_past_holidays = false;
    CHECK(due_date(received_on("2026-12-28T10:00:00+08:00"), config_with(r))->day ==
          day(2027, 1, 7));
    CHECK(due_date(received_on("2028-02-25T10:00:00+08:00"), config_with(r))->day ==
          day(2028, 3, 6));
    CHECK(add_days(day(2028, 2, 28), 1) == day(2028, 2, 29));
}

TEST_CASE("a category's own limit wins over the office's") {
    Config c = config_with({});
    c.deadline.extend_past_holidays = false;
    c.categories.push_back({"simple", "简单诉求", "xfj", {}, 5});
    Case k = received_on("2026-11-02T10:00:00+08:00");
    k.category = "simple";
    auto due = due_date(k, c);
    CHECK(due->day == day(2026, 11, 7));
    CHECK(due->reason.find("the limit of category 'simple'") != std::string::npos);
}

TEST_CASE("clock = assigned counts from assignment, and has no due date before it") {
    DeadlineRules r;
    r.clock = Clock::assigned;
    r.extend_past_holidays = false;
    Case k = received_on("2026-11-02T10:00:00+08:00");
    CHECK_FALSE(due_date(k, config_with(r)));
    k.assigned = at("2026-11-04T10:00:00+08:00");
    CHECK(due_date(k, config_with(r))->day == day(2026, 11, 14));
}

TEST_CASE("overdue the day after the due date, very overdue after more working days") {
    DeadlineRules r;
    r.extend_past_holidays = false;
    r.very_overdue_days = 5;
    Config c = config_with(r);
    Case k = received_on("2026-11-02T10:00:00+08:00"); // due Thu 11-12
    CHECK(lateness(k, c, day(2026, 11, 12)) == Lateness::none);
    CHECK(lateness(k, c, day(2026, 11, 13)) == Lateness::overdue);
    // 5 working days after 11-12: 13, 16, 17, 18, 19.
    CHECK(lateness(k, c, day(2026, 11, 19)) == Lateness::overdue);
    CHECK(lateness(k, c, day(2026, 11, 20)) == Lateness::very_overdue);
    k.status = Status::replied;
    CHECK(lateness(k, c, day(2026, 11, 20)) == Lateness::none);
}

TEST_CASE("open cases follow a corrected calendar, closed ones keep their date") {
    DeadlineRules r;
    Case k = received_on("2026-09-22T10:00:00+08:00"); // +10 = 10-02
    CHECK(due_date(k, config_with(r))->day == day(2026, 10, 2));
    r.holidays.insert(day(2026, 10, 2));
    CHECK(due_date(k, config_with(r))->day == day(2026, 10, 5));
    k.status = Status::closed;
    k.due = day(2026, 10, 2);
    CHECK(due_date(k, config_with(r))->day == day(2026, 10, 2));
}

TEST_CASE("a natural-day due date in a holiday says which rest days it moved past") {
    DeadlineRules r;
    for (unsigned d = 1; d <= 7; ++d) {
        r.holidays.insert(day(2026, 10, d));
    }
    auto due = due_date(received_on("2026-09-24T10:00:00+08:00"), config_with(r)); // +10 = 10-04
    CHECK(due->day == day(2026, 10, 8));
    CHECK(due->steps.back() == "falls on rest days (2026-10-04 to 2026-10-07): moved to the next "
                               "workday 2026-10-08 (Thu) (extend_past_holidays)");
}

TEST_CASE("extensions add their days, counted as the limit is, each explained") {
    DeadlineRules r;
    r.extend_past_holidays = false;
    Case k = received_on("2026-11-02T10:00:00+08:00"); // due Thu 11-12
    k.extensions.push_back({5, "wang", at("2026-11-10T10:00:00+08:00"), "需多部门协调"});
    auto due = due_date(k, config_with(r));
    CHECK(due->day == day(2026, 11, 17));
    CHECK(due->steps.back() == "extended by 5 natural days (approved by wang on 2026-11-10: "
                               "需多部门协调) → 2026-11-17 (Tue)");
    r.days = DayCount::working;
    r.reply_days = 10; // Mon 11-02 + 10 working days = Mon 11-16; + 5 = Mon 11-23
    k.extensions.push_back({1, "li", at("2026-11-12T10:00:00+08:00"), ""});
    due = due_date(k, config_with(r));
    CHECK(due->day == day(2026, 11, 24));
    CHECK(due->steps.size() == 4);
    CHECK(due->steps[3] == "extended by 1 working day (approved by li on 2026-11-12) → "
                           "2026-11-24 (Tue)");
    // Lateness follows the extended date.
    CHECK(lateness(k, config_with(r), day(2026, 11, 24)) == Lateness::none);
    CHECK(lateness(k, config_with(r), day(2026, 11, 25)) == Lateness::overdue);
}

TEST_CASE("an extension counts from the date it extends, after a move past a holiday") {
    DeadlineRules r;
    for (unsigned d = 1; d <= 7; ++d) {
        r.holidays.insert(day(2026, 10, d));
    }
    Case k = received_on("2026-09-21T10:00:00+08:00"); // +10 = 10-01, a holiday: 10-08
    CHECK(due_date(k, config_with(r))->day == day(2026, 10, 8));
    k.extensions.push_back({5, "wang", at("2026-09-30T10:00:00+08:00"), ""});
    auto due = due_date(k, config_with(r));
    CHECK(due->day == day(2026, 10, 13)); // 10-08 + 5
    CHECK(due->steps.size() == 4);
}

TEST_CASE("holidays: the years due dates fall in that the list has no day of") {
    DeadlineRules rules;
    rules.holidays = {day(2026, 10, 1), day(2026, 10, 2)};
    std::vector<std::pair<std::string, Day>> due{{"261230-0001AB", day(2027, 1, 5)},
                                                 {"261120-0001AB", day(2026, 11, 30)},
                                                 {"261231-0001AB", day(2027, 1, 8)},
                                                 {"251220-0001AB", day(2025, 12, 30)}};
    std::vector<UncoveredYear> years = uncovered_years(due, rules);
    REQUIRE(years.size() == 2); // once per year, earliest first; 2026 is covered
    CHECK(years[0].year == 2025);
    CHECK(years[0].cases == std::vector<std::string>{"251220-0001AB"});
    CHECK(years[1].year == 2027);
    CHECK(years[1].cases == std::vector<std::string>{"261230-0001AB", "261231-0001AB"});
    CHECK(uncovered_year_warning(years[0]) ==
          "mailbox.toml: [deadline] holidays has no days of 2025, the year case 251220-0001AB is "
          "due in (its due date may be off: add 2025's holidays and make-up workdays from the "
          "State Council notice)");
    CHECK(uncovered_year_warning(years[1]) ==
          "mailbox.toml: [deadline] holidays has no days of 2027, the year 2 cases are due in, "
          "such as 261230-0001AB (their due dates may be off: add 2027's holidays and make-up "
          "workdays from the State Council notice)");
}

TEST_CASE("holidays: make-up workdays alone do not cover a year, and an empty list warns of none") {
    DeadlineRules rules;
    rules.holidays = {day(2026, 10, 1)};
    rules.workdays = {day(2027, 1, 4)};
    CHECK(uncovered_years({{"261230-0001AB", day(2027, 1, 5)}}, rules).size() == 1);
    CHECK(uncovered_years({}, rules).empty()); // only years with due dates count
    // An office that keeps no holiday list at all.
    rules.holidays.clear();
    CHECK(uncovered_years({{"261230-0001AB", day(2027, 1, 5)}}, rules).empty());
}
