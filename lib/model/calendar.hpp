// Due dates: counting natural or working days over the office's holiday and
// make-up-workday calendar, and saying how a date was reached.
#pragma once

#include "model/case.hpp"
#include "model/config.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mailbox {

bool is_workday(Day d, const DeadlineRules& rules);
Day next_workday(Day d, const DeadlineRules& rules); // d itself when it is one
// n workdays after start; n < 0: before it.
Day add_working_days(Day start, int n, const DeadlineRules& rules);

// The words of a due date: English, as a JSON record's due_reason and what
// is written into files keep them whatever the locale, or the clerk's
// language (util/i18n.hpp), as `show` prints them.
enum class Wording { english, translated };

// "2026-10-10 (Sat)": the weekday is what a reader checks first.
std::string day_with_weekday(Day d, Wording words = Wording::english);

struct DueDate {
    Day day;
    // How it was reached, a step a line: the start and why, the counting with
    // every rest day skipped and make-up workday counted, each extension, a
    // move past rest days.
    std::vector<std::string> steps;
    std::string reason; // the steps in one line
};

// The reply limit of a case, with its approved extensions. Open cases follow
// today's calendar (a corrected holiday list moves them); a closed case keeps
// the due date it was closed with. nullopt when the clock has not started
// (clock = "assigned" and the case is not assigned yet). The steps and the
// reason in `words`.
std::optional<DueDate> due_date(const CaseSummary& c, const Config& config,
                                Wording words = Wording::english);
// The same day without the words, for every case of a list.
std::optional<Day> due_day(const CaseSummary& c, const Config& config);

// A year that open cases are due in and [deadline] holidays has no day of:
// their due dates were counted as if that year had no public holidays and
// no make-up workdays, the list being entered a year at a time from the
// State Council's notice.
struct UncoveredYear {
    int year = 0;
    std::vector<std::string> cases; // the ids due in it, in the order given
};

// The years of these due dates (case id, due day) that the holiday list has
// no day of, earliest first. None when the list is empty: an office that
// keeps no holidays counts weekends alone, and is not told so every year.
std::vector<UncoveredYear> uncovered_years(const std::vector<std::pair<std::string, Day>>& due,
                                           const DeadlineRules& rules);

// The warning for one such year, naming the key to fill and a case, in the
// clerk's language.
std::string uncovered_year_warning(const UncoveredYear& y);

enum class Lateness { none, overdue, very_overdue };

// Only cases still waiting for a reply are late; as of `today`.
Lateness lateness(const CaseSummary& c, const Config& config, Day today);

} // namespace mailbox
