// After the reply (回访, 跟踪): the sender's feedback, notes on cases under
// tracking, closing, and reopening: under tracking again, for a second
// handling when the sender is unsatisfied, or for a review (复查) the
// sender asked for. A case reopened for a handling gets its own clock.
#pragma once

#include "format/output.hpp"
#include "model/case.hpp"
#include "model/config.hpp"
#include "model/context.hpp"
#include "store/cache/case_index.hpp"
#include "store/mailbox.hpp"

#include <string>
#include <vector>

namespace mailbox {

// Records the sender's feedback. A replied case closes on satisfied or
// basically satisfied; with `reopen` (unsatisfied only) it goes back to its
// unit for a second handling. GateRefused for a case not answered yet.
Changed record_feedback(const Mailbox& m, const Context& ctx, const std::string& id,
                        Feedback feedback, const std::string& note, bool reopen);

// A follow-up note on a case under tracking.
Changed track_case(const Mailbox& m, const Context& ctx, const std::string& id,
                   const std::string& note);

// Closes a replied or tracked case.
Changed close_case(const Mailbox& m, const Context& ctx, const std::string& id,
                   const std::string& note);

// Without `review`: a replied or closed case goes under tracking again.
// With it: the sender asked for a review (复查) within
// reply.review_request_days of the reply; the case goes back to its unit
// with its own clock.
Changed reopen_case(const Mailbox& m, const Context& ctx, const std::string& id,
                    const std::string& note, bool review);

// One case under tracking, as `tracking` lists it.
struct TrackedCase {
    CaseSummary c;      // the index's summary
    Timestamp last;     // the reply or the last tracking note
    int age = 0;        // days since `last`
    bool stale = false; // not looked at for reply.tracking_remind_days
};

// The cases under tracking, those not looked at for a while first, then
// the longest untouched.
std::vector<TrackedCase> tracking_list(const std::vector<IndexEntry>& entries, const Config& config,
                                       Day today);
// The tracking record; a table adds a NOTE column: "stale", "target passed".
Value tracking_row(const TrackedCase& t, Day today);
Value tracking_table_row(const Value& record);
const std::vector<Column>& tracking_columns(Format format);

} // namespace mailbox
