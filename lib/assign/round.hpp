// A round as a command runs it: what is due today (the chase list, the
// supervision list, or the secretary's digest), the papers for it, and then
// its record in each case. The papers are written before the cases they
// speak of, so that a failure to write them records nothing.
#pragma once

#include "assign/chase.hpp"
#include "assign/notice.hpp"
#include "model/calendar.hpp"
#include "model/context.hpp"
#include "store/cache/case_index.hpp"
#include "store/mailbox.hpp"

#include <string>
#include <vector>

namespace mailbox {

struct RoundPlan {
    std::vector<RoundItem> items;
    // Taken off the list: they name a unit or leader mailbox.toml lacks.
    std::vector<DataError> unknown;
    // Taken off the list: changed after the round's moment (warnings).
    std::vector<std::string> later;
    // Years of the listed due dates that have no holiday calendar.
    std::vector<UncoveredYear> uncovered;
    std::vector<Notice> notices; // when asked for; a bad template stops all
};

RoundPlan plan_round(const Mailbox& m, const Context& ctx, Round round,
                     const std::vector<IndexEntry>& entries, bool notices);

// Writes the plan's notices (a dry run checks only that each would be
// inside the mailbox), then records the round in each listed case. Returns
// the case files written (in a dry run, that would be). The caller holds
// the MailboxLock.
std::vector<std::string> run_round(const Mailbox& m, const Context& ctx, Round round,
                                   RoundPlan& plan, bool dry_run);

} // namespace mailbox
