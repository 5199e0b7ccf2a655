// Correcting a registration mistake (mailbox-intake edit): the subject, the
// sender's name, e-mail and phone, the time received and the channel of one
// case, each checked as at registration, with one history entry saying what
// every changed field was and is. One case only: the cases linked to it hold
// their own registrations. Nothing here writes: the caller saves the case
// under the MailboxLock, and the letter index follows it as it follows any
// case file that changed.
#pragma once

#include "model/case.hpp"
#include "model/context.hpp"
#include "store/mailbox.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mailbox {

// A value as the clerk typed it, and where, for messages: "--received", or
// "261125-ADZGAB.txt:5: received" for a line of the form.
struct Typed {
    std::string text;
    std::string where;
};

// The fields to correct, by name: subject, from, email, phone, received and
// channel (the flags' names, and the form's). A field not given stays.
using Corrections = std::map<std::string, Typed>;

// Those names, in the order the form and the history note list them.
const std::vector<std::string>& correctable_fields();

struct FieldChange {
    std::string field;
    std::string before, after; // as the note shows them; "(none)" for nothing
};

struct Corrected {
    Case c;                           // as corrected, with its history entry
    std::vector<FieldChange> changes; // in field order; empty: nothing changed
};

// Corrects the case's registration. Each value is tidied and checked as
// registration does (intake.hpp): the subject and name one line and not
// empty, the e-mail and phone one line each (empty clears them), received a
// date-time read in `zone` that is not after the case was registered (its
// first history entry) beyond a few minutes' clock skew, the channel one
// the toolkit knows. A value that is what the case holds already is no
// change; with no change the case is returned as it was, no history added.
// Otherwise one "edit" history entry notes "field: before → after" for
// each change, joined by "; ". Any status may be corrected. UsageError for
// a value refused, or a --now before the case's last change.
Corrected correct_registration(Case c, const Context& ctx, const date::time_zone* zone,
                               const Corrections& given);

// The case `id` (resolved), read and corrected.
Corrected edit_registration(const Mailbox& m, const Context& ctx, const std::string& id,
                            const Corrections& given);

// A moment as the form and the note show it: "2026-11-30 09:12" on the
// office's clock (with seconds when they are not 0), else ISO 8601 with the
// offset it was written with.
std::string moment_text(const Timestamp& t, const date::time_zone* zone);

// What $EDITOR opens: comment lines ('#' first) saying what to do, then one
// "field: value" line per correctable field.
std::string registration_form(const CaseSummary& c, const date::time_zone* zone);

// The corrections in the edited form: the fields whose value differs from
// the form as opened (`opened`), each with "name:line: field" as its place.
// nullopt when the text is the same as opened. `name` is the form's file
// name, for messages. UsageError "name:line: ..." for a line that is not
// "field: value", an unknown field (with a suggestion) or one given twice,
// and "name: ..." for a field left out.
std::optional<Corrections> read_registration_form(std::string_view edited, std::string_view opened,
                                                  const std::string& name);

} // namespace mailbox
