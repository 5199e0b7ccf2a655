// Due dates: counting natural or working days over the office's holiday and
// make-up-workday calendar, and saying how a date was reached.
#pragma once

#include "case.hpp"
#include "config.hpp"

#include <optional>
#include <string>

namespace mailbox {

bool is_workday(Day d, const DeadlineRules& rules);
Day next_workday(Day d, const DeadlineRules& rules); // d itself when it is one
Day add_working_days(Day start, int n, const DeadlineRules& rules);

struct DueDate {
    Day day;
    std::string reason; // one line: how the date was reached
};

// The reply limit of a case. Open cases follow today's calendar; a closed case
// keeps the due date it was closed with. nullopt when the clock has not
// started (clock = "assigned" and the case is not assigned yet).
std::optional<DueDate> due_date(const Case& c, const Config& config);

enum class Lateness { none, overdue, very_overdue };

// Only cases still waiting for a reply are late; as of `today`.
Lateness lateness(const Case& c, const Config& config, Day today);

} // namespace mailbox
