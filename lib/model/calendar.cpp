#include "model/calendar.hpp"

#include "util/i18n.hpp"

#include <algorithm>
#include <cstdlib>
#include <fmt/format.h>
#include <map>
#include <set>

namespace mailbox {

namespace {

// The messages of util/i18n.hpp, or their English msgid as it is: named as
// those are, for po/messages to find them.
struct Words {
    Wording wording;

    bool translated() const { return wording == Wording::translated; }

    const char* _(const char* msgid) const { return translated() ? mailbox::_(msgid) : msgid; }
    const char* C_(const char* context, const char* msgid) const {
        return translated() ? mailbox::C_(context, msgid) : msgid;
    }
    template <typename... Args>
    std::string tr(const char* msgid, const Args&... args) const {
        return translated() ? mailbox::tr(msgid, args...)
                            : fmt::format(fmt::runtime(msgid), args...);
    }
    template <typename... Args>
    std::string trn(const char* singular, const char* plural, unsigned long n,
                    const Args&... args) const {
        return translated() ? mailbox::trn(singular, plural, n, args...)
                            : fmt::format(fmt::runtime(n == 1 ? singular : plural), args...);
    }
};

} // namespace

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

std::string day_with_weekday(Day d, Wording wording) {
    static constexpr const char* names[] = {
        NC_("weekday", "Sun"), NC_("weekday", "Mon"), NC_("weekday", "Tue"), NC_("weekday", "Wed"),
        NC_("weekday", "Thu"), NC_("weekday", "Fri"), NC_("weekday", "Sat")};
    Words w{wording};
    // TRANSLATORS: a day and its weekday, "2026-10-10 (Sat)"; a unit's id
    // and its name.
    return w.tr("{} ({})", iso_day(d),
                w.C_("weekday", names[date::weekday{date::sys_days{d}}.c_encoding()]));
}

namespace {

// Days written compactly: runs of consecutive days as "first to last".
std::string day_runs(const std::vector<Day>& days, Words w) {
    std::string out;
    const char* comma = w.C_("list separator", ", ");
    for (std::size_t i = 0; i < days.size();) {
        std::size_t j = i;
        while (j + 1 < days.size() && days_between(days[j], days[j + 1]) == 1) {
            ++j;
        }
        out += out.empty() ? "" : comma;
        // TRANSLATORS: days in a row, from the first to the last.
        out += j > i ? w.tr("{} to {}", iso_day(days[i]), iso_day(days[j])) : iso_day(days[i]);
        i = j + 1;
    }
    return out;
}

// Counting toward a due date, and, when `steps` is given, saying how: list
// and chase need the day of every open case, show the words for one.
struct Reckoning {
    const DeadlineRules& rules;
    std::vector<std::string>* steps; // null: the day only
    Words w;
    Day day;

    // Counts n days after `day`, natural or working; the words, when asked.
    std::string count(int n) {
        auto times = static_cast<unsigned long>(std::max(n, 0)); // days are never negative
        if (rules.days == DayCount::natural) {
            day = add_days(day, n);
            return steps ? w.trn("{} natural day", "{} natural days", times, n) : "";
        }
        Day start = day;
        day = add_working_days(start, n, rules);
        if (!steps) {
            return "";
        }
        std::string told = rest_and_makeup_days(start);
        return told.empty() ? w.trn("{} working day", "{} working days", times, n)
                            // TRANSLATORS: the days counted, then what the counting skipped.
                            : w.trn("{} working day; {}", "{} working days; {}", times, n, told);
    }

    // What counting from `start` to `day` skipped and counted: one message
    // for each of the kinds of day that may be there.
    std::string rest_and_makeup_days(Day start) const {
        std::vector<Day> holidays, weekends, makeup;
        for (Day d = add_days(start, 1); d <= day; d = add_days(d, 1)) {
            if (!is_workday(d, rules)) {
                (rules.holidays.count(d) ? holidays : weekends).push_back(d);
            } else if (rules.workdays.count(d)) {
                makeup.push_back(d);
            }
        }
        std::string h = day_runs(holidays, w), r = day_runs(weekends, w), m = day_runs(makeup, w);
        switch ((holidays.empty() ? 0 : 4) + (weekends.empty() ? 0 : 2) +
                (makeup.empty() ? 0 : 1)) {
        case 1:
            return w.tr("make-up workdays counted: {}", m);
        case 2:
            return w.tr("weekend days skipped: {}", r);
        case 3:
            return w.tr("weekend days skipped: {}; make-up workdays counted: {}", r, m);
        case 4:
            return w.tr("holidays skipped: {}", h);
        case 5:
            return w.tr("holidays skipped: {}; make-up workdays counted: {}", h, m);
        case 6:
            return w.tr("holidays skipped: {}; weekend days skipped: {}", h, r);
        case 7:
            return w.tr("holidays skipped: {}; weekend days skipped: {}; make-up workdays "
                        "counted: {}",
                        h, r, m);
        default:
            return "";
        }
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
            steps->push_back(w.trn("falls on a rest day ({}): moved to the next workday {} "
                                   "(extend_past_holidays)",
                                   "falls on rest days ({}): moved to the next workday {} "
                                   "(extend_past_holidays)",
                                   rest.size(), day_runs(rest, w),
                                   day_with_weekday(moved, w.wording)));
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

std::string clock_why(const CaseSummary& c, const DeadlineRules& rules, Words w) {
    if (c.reopened) {
        std::string day = day_with_weekday(c.reopened->day(), w.wording);
        return c.reopened_for == Reopening::review
                   ? w.tr("reopened on {} for a review (复查): counting starts the next day", day)
                   : w.tr("reopened on {} for a second handling: counting starts the next day",
                          day);
    }
    std::string day = day_with_weekday(clock_start(c, rules), w.wording);
    return rules.clock == Clock::assigned
               ? w.tr("assigned on {}: counting starts the next day (clock = \"assigned\")", day)
               : w.tr("received on {}: counting starts the next day (clock = \"received\")", day);
}

std::optional<Day> reckon(const CaseSummary& c, const Config& config,
                          std::vector<std::string>* steps, Words w) {
    const DeadlineRules& rules = config.deadline;
    if (c.due && !c.is_open()) {
        if (steps) {
            steps->push_back(c.status == Status::closed
                                 ? w._("kept from when the case was closed")
                                 : w._("kept from when the case was replied"));
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
    Reckoning r{rules, steps, w, clock_start(c, rules)};
    std::string counted = r.count(days);
    if (steps) {
        steps->push_back(clock_why(c, rules, w));
        std::string due = day_with_weekday(r.day, w.wording);
        // TRANSLATORS: the days counted, whose limit it is, the day reached.
        steps->push_back(
            cat && cat->reply_days
                ? w.tr("{} (the limit of category '{}') → {}", counted, cat->id, due)
                : w.tr("{} (the office's limit, deadline.reply_days) → {}", counted, due));
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
            std::string at = iso_day(e.at.day()), due = day_with_weekday(r.day, w.wording);
            steps->push_back(e.reason.empty()
                                 ? w.tr("extended by {} (approved by {} on {}) → {}", more,
                                        e.approved_by, at, due)
                                 : w.tr("extended by {} (approved by {} on {}: {}) → {}", more,
                                        e.approved_by, at, e.reason, due));
        }
        r.move_past_rest_days();
    }
    return r.day;
}

} // namespace

std::optional<Day> due_day(const CaseSummary& c, const Config& config) {
    return reckon(c, config, nullptr, Words{Wording::english});
}

std::optional<DueDate> due_date(const CaseSummary& c, const Config& config, Wording words) {
    DueDate due;
    std::optional<Day> day = reckon(c, config, &due.steps, Words{words});
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
    if (n == 1) {
        return tr("mailbox.toml: [deadline] holidays has no days of {0}, the year case {1} is due "
                  "in (its due date may be off: add {0}'s holidays and make-up workdays from the "
                  "State Council notice)",
                  y.year, y.cases.front());
    }
    // More than one: the singular is for languages that use it for 21 too.
    return trn("mailbox.toml: [deadline] holidays has no days of {0}, the year {1} case is due "
               "in, such as {2} (its due date may be off: add {0}'s holidays and make-up "
               "workdays from the State Council notice)",
               "mailbox.toml: [deadline] holidays has no days of {0}, the year {1} cases are due "
               "in, such as {2} (their due dates may be off: add {0}'s holidays and make-up "
               "workdays from the State Council notice)",
               n, y.year, n, y.cases.front());
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
