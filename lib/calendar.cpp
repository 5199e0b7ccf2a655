#include "calendar.hpp"

#include <fmt/format.h>

namespace mailbox {

bool is_workday(Day d, const DeadlineRules& rules) {
    if (rules.workdays.count(d)) {
        return true;
    }
    if (rules.holidays.count(d)) {
        return false;
    }
    date::weekday wd{date::sys_days{d}};
    return wd != date::Saturday && wd != date::Sunday;
}

Day next_workday(Day d, const DeadlineRules& rules) {
    // A year of rest days in a row would be a broken calendar; stop there.
    for (int i = 0; i < 366 && !is_workday(d, rules); ++i) {
        d = add_days(d, 1);
    }
    return d;
}

Day add_working_days(Day start, int n, const DeadlineRules& rules) {
    Day d = start;
    for (int counted = 0; counted < n;) {
        d = add_days(d, 1);
        if (is_workday(d, rules)) {
            ++counted;
        }
    }
    return d;
}

std::string day_with_weekday(Day d) {
    static constexpr const char* names[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    return fmt::format("{} ({})", iso_day(d), names[date::weekday{date::sys_days{d}}.c_encoding()]);
}

namespace {

// Days written compactly: runs of consecutive days as "first to last".
std::string day_runs(const std::vector<Day>& days) {
    std::string out;
    for (std::size_t i = 0; i < days.size();) {
        std::size_t j = i;
        while (j + 1 < days.size() && days_between(days[j], days[j + 1]) == 1) {
            ++j;
        }
        out += (out.empty() ? "" : ", ") + iso_day(days[i]);
        if (j > i) {
            out += " to " + iso_day(days[j]);
        }
        i = j + 1;
    }
    return out;
}

// Counts n working days after `start`, saying what it skipped and counted.
Day count_working_days(Day start, int n, const DeadlineRules& rules, std::string& told) {
    std::vector<Day> holidays, weekends, makeup;
    Day d = start;
    for (int counted = 0; counted < n;) {
        d = add_days(d, 1);
        if (is_workday(d, rules)) {
            ++counted;
            if (rules.workdays.count(d)) {
                makeup.push_back(d);
            }
        } else {
            (rules.holidays.count(d) ? holidays : weekends).push_back(d);
        }
    }
    if (!holidays.empty()) {
        told += fmt::format("; holidays skipped: {}", day_runs(holidays));
    }
    if (!weekends.empty()) {
        told += fmt::format("; weekend days skipped: {}", day_runs(weekends));
    }
    if (!makeup.empty()) {
        told += fmt::format("; make-up workdays counted: {}", day_runs(makeup));
    }
    return d;
}

std::string count_days(Day& day, int n, const DeadlineRules& rules) {
    std::string told;
    if (rules.days == DayCount::working) {
        day = count_working_days(day, n, rules, told);
        return fmt::format("{} working day{}{}", n, n == 1 ? "" : "s", told);
    }
    day = add_days(day, n);
    return fmt::format("{} natural day{}", n, n == 1 ? "" : "s");
}

struct Start {
    Day day;
    std::string why;
};

std::optional<Start> clock_start(const Case& c, const DeadlineRules& rules) {
    if (rules.clock == Clock::assigned) {
        if (!c.assigned) {
            return std::nullopt;
        }
        return Start{c.assigned->day(), fmt::format("assigned on {}: counting starts the next day "
                                                    "(clock = \"assigned\")",
                                                    day_with_weekday(c.assigned->day()))};
    }
    return Start{c.received.day(), fmt::format("received on {}: counting starts the next day "
                                               "(clock = \"received\")",
                                               day_with_weekday(c.received.day()))};
}

// With natural days, a due date on a rest day moves to the next workday
// (the usual rule for legal time limits), saying so.
void move_past_rest_days(DueDate& due, const DeadlineRules& rules) {
    if (rules.days != DayCount::natural || !rules.extend_past_holidays ||
        is_workday(due.day, rules)) {
        return;
    }
    std::vector<Day> rest;
    for (Day d = due.day; !is_workday(d, rules) && rest.size() < 366; d = add_days(d, 1)) {
        rest.push_back(d);
    }
    Day moved = next_workday(due.day, rules);
    due.steps.push_back(fmt::format("falls on {} ({}): moved to the next workday {} "
                                    "(extend_past_holidays)",
                                    rest.size() == 1 ? "a rest day" : "rest days", day_runs(rest),
                                    day_with_weekday(moved)));
    due.day = moved;
}

} // namespace

std::optional<DueDate> due_date(const Case& c, const Config& config) {
    const DeadlineRules& rules = config.deadline;
    if (c.due && c.status == Status::closed) {
        return DueDate{
            *c.due, {"kept from when the case was closed"}, "kept from when the case was closed"};
    }
    auto start = clock_start(c, rules);
    if (!start) {
        return std::nullopt;
    }
    int days = rules.reply_days;
    std::string limit_from = "the office's limit, deadline.reply_days";
    if (c.category) {
        if (const Category* cat = config.find_category(*c.category); cat && cat->reply_days) {
            days = *cat->reply_days;
            limit_from = fmt::format("the limit of category '{}'", cat->id);
        }
    }
    DueDate due{start->day, {start->why}, ""};
    std::string counted = count_days(due.day, days, rules);
    due.steps.push_back(
        fmt::format("{} ({}) → {}", counted, limit_from, day_with_weekday(due.day)));
    move_past_rest_days(due, rules);
    for (const Extension& e : c.extensions) {
        // From the date it extends, already moved past rest days: an
        // extension never vanishes into a holiday.
        std::string more = count_days(due.day, e.days, rules);
        due.steps.push_back(fmt::format("extended by {} (approved by {} on {}{}{}) → {}", more,
                                        e.approved_by, iso_day(e.at.day()),
                                        e.reason.empty() ? "" : ": ", e.reason,
                                        day_with_weekday(due.day)));
        move_past_rest_days(due, rules);
    }
    for (const std::string& step : due.steps) {
        due.reason += (due.reason.empty() ? "" : "; ") + step;
    }
    return due;
}

Lateness lateness(const Case& c, const Config& config, Day today) {
    if (!c.is_open()) {
        return Lateness::none;
    }
    auto due = due_date(c, config);
    if (!due || today <= due->day) {
        return Lateness::none;
    }
    Day very = add_working_days(due->day, config.deadline.very_overdue_days, config.deadline);
    return today > very ? Lateness::very_overdue : Lateness::overdue;
}

} // namespace mailbox
