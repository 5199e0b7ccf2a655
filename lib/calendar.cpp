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

std::optional<DueDate> due_date(const Case& c, const Config& config) {
    const DeadlineRules& rules = config.deadline;
    if (c.due && !c.is_open() && c.status == Status::closed) {
        return DueDate{*c.due, "kept from when the case was closed"};
    }
    int days = rules.reply_days;
    std::string limit_from = "the office's limit";
    if (c.category) {
        if (const Category* cat = config.find_category(*c.category); cat && cat->reply_days) {
            days = *cat->reply_days;
            limit_from = fmt::format("the limit of category '{}'", cat->id);
        }
    }
    Day start;
    std::string start_why;
    if (rules.clock == Clock::assigned) {
        if (!c.assigned) {
            return std::nullopt;
        }
        start = c.assigned->day();
        start_why = "assigned";
    } else {
        start = c.received.day();
        start_why = "received";
    }
    if (rules.days == DayCount::working) {
        Day due = add_working_days(start, days, rules);
        return DueDate{due, fmt::format("{} {}; {} working days ({}) → {}", start_why,
                                        iso_day(start), days, limit_from, iso_day(due))};
    }
    Day due = add_days(start, days);
    std::string reason = fmt::format("{} {}; {} natural days ({}) → {}", start_why, iso_day(start),
                                     days, limit_from, iso_day(due));
    if (rules.extend_past_holidays && !is_workday(due, rules)) {
        Day moved = next_workday(due, rules);
        reason += fmt::format("; a rest day, moved to the next workday {}", iso_day(moved));
        due = moved;
    }
    return DueDate{due, reason};
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
