// Handing cases to units (交办) and what happens to them while they are out:
// re-assignment, returns (退单), extensions (延期), and linking the same letter by hand. Each
// operation reads every case it will change and returns them changed, writing nothing: the caller
// saves them all (or, in a dry run, none), so a broken member changes nothing. The caller holds the
// MailboxLock.
#pragma once

#include "model/case.hpp"
#include "model/context.hpp"
#include "store/mailbox.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace mailbox {

struct Assignment {
    std::optional<std::string> unit; // the lead unit; none: the stored suggestion (--route)
    std::vector<std::string> co_units;
    std::optional<std::string> leader; // kept from before when not given
    std::optional<std::string> instruction;
    std::optional<std::string> category;
    std::optional<std::string> kind;
    std::string note;   // why: required to re-assign
    bool force = false; // a restricted case to the unit it accuses
};

// Assigns the case and every open case linked to it, to the same units;
// the linked cases already answered are left as they are and named in
// `answered`. Unknown ids are usage errors with a suggestion; assigning a
// case already replied to or closed is refused (GateRefused), and so is a
// restricted case to the unit it accuses, unless forced.
// A letter that joins a group already assigned takes over the group's
// handling: --route, or --to its lead unit, assigns the new letters only,
// with the group's co-units, leader, 批示 and category unless given, and
// needs no --note; the members already assigned are left as they are.
Changed assign_case(const Mailbox& m, const Context& ctx, const std::string& id, Assignment a,
                    std::vector<std::string>* answered = nullptr);

// Puts the cases into one group (the union of their groups). A letter not
// yet assigned that joins a group already assigned takes over its handling.
Changed link_cases(const Mailbox& m, const Context& ctx, const std::vector<std::string>& ids);
// Takes the case out of its group.
Changed unlink_case(const Mailbox& m, const Context& ctx, const std::string& id);

// A unit hands a case back (退单). The lead unit sends the case (and the
// group members it leads) back to the office as `received`, to re-assign; a
// co-unit only leaves it. `unit` empty: the lead unit.
Changed return_case(const Mailbox& m, const Context& ctx, const std::string& id, std::string unit,
                    const std::string& reason);

// Marks the case and its group restricted (举报): kept out of bulletins,
// digests and every notice but its lead unit's; with `accused` (a unit, by
// id or name), never handed to that unit without force. Empty when nothing
// changes.
Changed restrict_case(const Mailbox& m, const Context& ctx, const std::string& id,
                      std::optional<std::string> accused, const std::string& reason);

// An approved extension of the reply limit, for the case and its group.
Changed extend_case(const Mailbox& m, const Context& ctx, const std::string& id, int days,
                    const std::string& reason, std::string approved_by);

// Several cases, one command: every id (as typed) is resolved and every case
// changed in memory before anything is written, so that one unknown id or
// one refusal changes none. A case already changed with an earlier one's
// group is not changed twice.
Changed change_each(const Mailbox& m, const std::vector<std::string>& typed,
                    const std::function<Changed(const std::string& id)>& change);

} // namespace mailbox
