// Chase every day (一天一催): which cases are on today's list, most urgent
// first, and recording that they were chased, once per case per day. The
// rounds of supervision (supervise.hpp) are made and recorded the same way.
#pragma once

#include "format/output.hpp"
#include "model/calendar.hpp"
#include "model/context.hpp"
#include "store/cache/case_index.hpp"
#include "store/mailbox.hpp"

#include <optional>
#include <string>
#include <vector>

namespace mailbox {

// The rounds a case is put through, once a day at most: the chase and the
// supervision of its unit, and the secretary's reading in the day's digest.
enum class Round { chase, supervise, digest };

std::string_view to_string(Round r); // "chase", "supervise", "digest"
Action action_of(Round r);           // the history action it records

struct RoundItem {
    CaseSummary c; // from the case index
    std::optional<Day> due;
    int days_left = 0; // to the due date; negative when overdue
    Lateness late = Lateness::none;
    bool returned = false; // handed back, to re-assign: at the top of the chase list
    bool recorded = false; // this run added the history entry
};

// The chase list: assigned cases not yet replied, and returned ones, whose
// last chase is chase_every_days ago or more (or today: a second run shows
// the same list). Returned cases first, then by lead unit (the unit with the
// most urgent case first), most urgent first within a unit.
std::vector<RoundItem> chase_list(const std::vector<IndexEntry>& entries, const Config& config,
                                  Day today);

// The day of the case's last `action` entry, if any.
std::optional<Day> last_day_of(const CaseSummary& c, Action action);

// What the lists are made of, shared with supervise.cpp.
RoundItem round_item(const CaseSummary& c, const Config& config, Day today);
// Returned cases first, then by lead unit (the unit with the most urgent
// case first), most urgent first within a unit.
void order_round(std::vector<RoundItem>& items);
// On the list when the last `action` (else `since`) is `every` days ago or
// more, or today: a second run the same day shows the same list.
bool due_again(const CaseSummary& c, Action action, std::optional<Day> since, int every, Day today);

// The listed cases that name a lead unit, co-unit or leader mailbox.toml
// does not define (a hand edit, a merge): taken off the list, so that no
// round is recorded for them, each reported where the name stands in its
// case file. A notice can only go to a unit the office knows.
std::vector<DataError> take_unknown_handling(const Mailbox& m,
                                             const std::vector<IndexEntry>& entries,
                                             std::vector<RoundItem>& items);

// Adds a `chase` or `supervise` entry to each listed case that has none of
// that day, reading and writing one case file at a time; sets `recorded`.
// Returns the paths written (in a dry run, that would be). The caller holds
// the MailboxLock.
std::vector<std::string> record_round(const Mailbox& m, const Context& ctx, Round round,
                                      std::vector<RoundItem>& items, bool dry_run = false);

// A list item as --format prints it, and the columns a table shows (the
// other formats print every field).
Value round_row(const RoundItem& item, const Config& config);
// The same for a table: its urgency in the clerk's language.
Value round_table_row(const RoundItem& item, const Config& config);
std::string urgency_shown(const RoundItem& item);
const std::vector<Column>& round_columns(Format format);

// "3 days left", "due today", "overdue 2 days", "very overdue 7 days",
// "returned, to re-assign"; or "还剩3天", "今天到期", "已超期2天", "严重超期7天",
// "退回待重新交办": as the record (and JSON, in English) and notices say it.
std::string urgency(const RoundItem& item, Language l);

} // namespace mailbox
