// Supervise every three days (三天一督): the cases due for a formal
// supervision notice (督办单), recorded with record_round(Round::supervise).
#pragma once

#include "assign/chase.hpp"

namespace mailbox {

// The supervision list: assigned cases not yet replied whose last supervision
// (else their assignment) is supervise_every_days ago or more, or today, and
// every overdue case, and the open members of their groups (one letter is
// supervised on one day). Ordered as the chase list.
std::vector<RoundItem> supervise_list(const std::vector<IndexEntry>& entries, const Config& config,
                                      Day today);

} // namespace mailbox
