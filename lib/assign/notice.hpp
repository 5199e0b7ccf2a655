// Notices rendered from mustache templates: the 交办单 that hands a letter
// to a unit, one chase notice (催办通知) or supervision notice (督办单) per
// unit, lead or co-unit, and a list of overdue cases for each leader who
// leads them. A mailbox's own templates/NAME.mustache overrides
// the default of that name compiled into the tools.
#pragma once

#include "assign/chase.hpp"
#include "store/mailbox.hpp"

#include <string>
#include <vector>

namespace mailbox {

struct Notice {
    std::string path; // relative to the mailbox root: out/notices/D/chase-mzj.txt
    std::string text;
};

// The notices of one round, for the listed items; rendered, not written.
// A case whose unit or leader mailbox.toml does not define gets none (check
// reports it): ids become file names.
// Throws DataError naming the template when it does not parse.
std::vector<Notice> round_notices(const Mailbox& m, const Context& ctx, Round round,
                                  const std::vector<RoundItem>& items);

// The 交办单 of cases just assigned: for each case one to its lead unit and
// one marked 协办 to each co-unit, with the whole letter, the 批示, the due
// date and how it was reached, and the day the unit's report (承办报告) is
// asked for. A restricted letter's text and sender go only to its lead unit.
std::vector<Notice> assignment_notices(const Mailbox& m, const Context& ctx,
                                       const std::vector<Case>& assigned);

// Writes them, each whole or not at all, under the lock: every path is
// checked to stay inside the mailbox (path_guard) before the first is
// written, and what a killed round left in their folders is removed. A dry
// run checks the paths and writes nothing.
void write_notices(const Mailbox& m, const std::vector<Notice>& notices, bool dry_run = false);

} // namespace mailbox
