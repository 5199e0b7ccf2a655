#include "model/calendar.hpp"

#include <cstdlib>
#include <fmt/format.h>
#include <map>
#include <set>

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
    int step = n < 0 ? -1 : 1;
    for (int counted = 0; counted < std::abs(n);) {
        d = add_days(d, step);
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

// Counting toward a due date, and, when `steps` is given, saying how: list
// and chase need the day of every open case, show the words for one.
struct Reckoning {
    const DeadlineRules& rules;
    std::vector<std::string>* steps; // null: the day only
    Day day;

    // Counts n days after `day`, natural or working; the words, when asked.
    std::string count(int n) {
        if (rules.days == DayCount::natural) {
            day = add_days(day, n);
            return steps ? fmt::format("{} natural day{}", n, n == 1 ? "" : "s") : "";
        }
        Day start = day;
        day = add_working_days(start, n, rules);
        return steps ? fmt::format("{} working day{}{}", n, n == 1 ? "" : "s",
                                   rest_and_makeup_days(start))
                     : "";
    }

    // What counting from `start` to `day` skipped and counted.
    std::string rest_and_makeup_days(Day start) const {
        std::vector<Day> holidays, weekends, makeup;
        for (Day d = add_days(start, 1); d <= day; d = add_days(d, 1)) {
            if (!is_workday(d, rules)) {
                (rules.holidays.count(d) ? holidays : weekends).push_back(d);
            } else if (rules.workdays.count(d)) {
                makeup.push_back(d);
            }
        }
        std::string told;
        if (!holidays.empty()) {
            told += fmt::format("; holidays skipped: {}", day_runs(holidays));
        }
        if (!weekends.empty()) {
            told += fmt::format("; weekend days skipped: {}", day_runs(weekends));
        }
        if (!makeup.empty()) {
            told += fmt::format("; make-up workdays counted: {}", day_runs(makeup));
        }
        return told;
    }

    // With natural days, a due date on a rest day moves to the next workday
    // (the usual rule for legal time limits).
    void move_past_rest_days() {
        if (rules.days != DayCount::natural || !rules.extend_past_holidays ||
            is_workday(day, rules)) {
            return;
        }
        Day moved = next_workday(day, rules);
        if (steps) {
            std::vector<Day> rest;
            for (Day d = day; d < moved; d = add_days(d, 1)) {
                rest.push_back(d);
            }
            steps->push_back(fmt::format("falls on {} ({}): moved to the next workday {} "
                                         "(extend_past_holidays)",
                                         rest.size() == 1 ? "a rest day" : "rest days",
                                         day_runs(rest), day_with_weekday(moved)));
        }
        day = moved;
    }
};

// A reopened case (a second handling, a review) has its own clock from the
// day it was reopened, whatever deadline.clock says.
Day clock_start(const CaseSummary& c, const DeadlineRules& rules) {
    if (c.reopened) {
        return c.reopened->day();
    }
    return rules.clock == Clock::assigned ? c.assigned->day() : c.received.day();
}

std::string clock_why(const CaseSummary& c, const DeadlineRules& rules) {
    if (c.reopened) {
        return fmt::format("reopened on {} for {}: counting starts the next day",
                           day_with_weekday(c.reopened->day()),
                           c.reopened_for == Reopening::review ? "a review (复查)"
                                                               : "a second handling");
    }
    bool assigned = rules.clock == Clock::assigned;
    return fmt::format("{} on {}: counting starts the next day (clock = \"{}\")",
                       assigned ? "assigned" : "received", day_with_weekday(clock_start(c, rules)),
                       assigned ? "assigned" : "received");
}

std::optional<Day> reckon(const CaseSummary& c, const Config& config,
                          std::vector<std::string>* steps) {
    const DeadlineRules& rules = config.deadline;
    if (c.due && !c.is_open()) {
        if (steps) {
            steps->push_back(fmt::format("kept from when the case was {}",
                                         c.status == Status::closed ? "closed" : "replied"));
        }
        return c.due;
    }
    if (rules.clock == Clock::assigned && !c.assigned && !c.reopened) {
        return std::nullopt;
    }
    int days = rules.reply_days;
    const Category* cat = c.category ? config.find_category(*c.category) : nullptr;
    if (cat && cat->reply_days) {
        days = *cat->reply_days;
    }
    Reckoning r{rules, steps, clock_start(c, rules)};
    std::string counted = r.count(days);
    if (steps) {
        steps->push_back(clock_why(c, rules));
        steps->push_back(fmt::format("{} ({}) → {}", counted,
                                     cat && cat->reply_days
                                         ? fmt::format("the limit of category '{}'", cat->id)
                                         : "the office's limit, deadline.reply_days",
                                     day_with_weekday(r.day)));
    }
    r.move_past_rest_days();
    for (const Extension& e : c.extensions) {
        if (c.reopened && e.at < *c.reopened) {
            continue; // it extended the first handling
        }
        // From the date it extends, already moved past rest days: an
        // extension never vanishes into a holiday.
        std::string more = r.count(e.days);
        if (steps) {
            steps->push_back(fmt::format("extended by {} (approved by {} on {}{}{}) → {}", more,
                                         e.approved_by, iso_day(e.at.day()),
                                         e.reason.empty() ? "" : ": ", e.reason,
                                         day_with_weekday(r.day)));
        }
        r.move_past_rest_days();
    }
    return r.day;
}

} // namespace

std::optional<Day> due_day(const CaseSummary& c, const Config& config) {
    return reckon(c, config, nullptr);
}

std::optional<DueDate> due_date(const CaseSummary& c, const Config& config) {
    DueDate due;
    std::optional<Day> day = reckon(c, config, &due.steps);
    if (!day) {
        return std::nullopt;
    }
    due.day = *day;
    for (const std::string& step : due.steps) {
        due.reason += (due.reason.empty() ? "" : "; ") + step;
    }
    return due;
}

std::vector<UncoveredYear> uncovered_years(const std::vector<std::pair<std::string, Day>>& due,
                                           const DeadlineRules& rules) {
    std::set<int> covered;
    for (Day d : rules.holidays) {
        covered.insert(static_cast<int>(d.year()));
    }
    if (covered.empty()) {
        return {};
    }
    std::map<int, UncoveredYear> years;
    for (const auto& [id, day] : due) {
        int year = static_cast<int>(day.year());
        if (!covered.count(year)) {
            UncoveredYear& y = years[year];
            y.year = year;
            y.cases.push_back(id);
        }
    }
    std::vector<UncoveredYear> out;
    for (auto& [year, y] : years) {
        out.push_back(std::move(y));
    }
    return out;
}

std::string uncovered_year_warning(const UncoveredYear& y) {
    std::size_t n = y.cases.size();
    std::string who =
        n == 1 ? fmt::format("case {} is", y.cases.front()) : fmt::format("{} cases are", n);
    std::string such = n == 1 ? "" : fmt::format(", such as {}", y.cases.front());
    return fmt::format("mailbox.toml: [deadline] holidays has no days of {0}, the year {1} due "
                       "in{2} ({3} may be off: add {0}'s holidays and make-up workdays from the "
                       "State Council notice)",
                       y.year, who, such, n == 1 ? "its due date" : "their due dates");
}

Lateness lateness(const CaseSummary& c, const Config& config, Day today) {
    if (!c.is_open()) {
        return Lateness::none;
    }
    auto due = due_day(c, config);
    if (!due || today <= *due) {
        return Lateness::none;
    }
    Day very = add_working_days(*due, config.deadline.very_overdue_days, config.deadline);
    return today > very ? Lateness::very_overdue : Lateness::overdue;
}

} // namespace mailbox
