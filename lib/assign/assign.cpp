#include "assign/assign.hpp"

#include "store/cache/letter_index.hpp"
#include "util/edit_distance.hpp"
#include "util/error.hpp"
#include "util/i18n.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <functional>
#include <map>

namespace mailbox {

namespace {

// A unit or leader typed by id or by name, made its id.
void require_unit(const Config& config, std::string& typed, std::string_view flag) {
    const Unit* u = config.unit_named(typed);
    if (!u) {
        throw UsageError(tr("{}: {}", flag, config.unknown_unit(typed)));
    }
    typed = u->id;
}

void require_leader(const Config& config, std::string& typed, std::string_view flag) {
    const Leader* l = config.leader_named(typed);
    if (!l) {
        throw UsageError(tr("{}: {}", flag, config.unknown_leader(typed)));
    }
    typed = l->id;
}

// `refusal` a message marked with N_, filled with the case's id and status.
void require_open(const CaseSummary& c, const char* refusal) {
    if (!c.is_open()) {
        throw GateRefused(tr(refusal, c.id, to_string(c.status)));
    }
}

void settle_units(Assignment& a, const CaseSummary& c, const Config& config) {
    if (!a.unit) {
        if (!c.suggested_unit) {
            throw UsageError(tr("case {} has no suggested unit to route to; use --to UNIT", c.id));
        }
        a.unit = c.suggested_unit;
        if (!a.category) {
            a.category = c.suggested_category;
        }
    }
    require_unit(config, *a.unit, "--to");
    for (std::string& u : a.co_units) {
        require_unit(config, u, "--with");
        if (u == *a.unit) {
            throw UsageError(tr("--with {}: that is the lead unit", u));
        }
    }
    std::sort(a.co_units.begin(), a.co_units.end());
    if (std::adjacent_find(a.co_units.begin(), a.co_units.end()) != a.co_units.end()) {
        throw UsageError(_("--with: a co-unit is named twice"));
    }
    if (a.leader) {
        require_leader(config, *a.leader, "--leader");
    }
    if (a.category && !config.find_category(*a.category)) {
        throw UsageError(tr("{}: {}", "--category", config.unknown_category(*a.category)));
    }
    if (a.kind && !config.find_kind(*a.kind)) {
        throw UsageError(tr("{}: {}", "--kind", config.unknown_kind(*a.kind)));
    }
}

// An answer drafted by a unit that no longer handles the case must not go
// out in its name: it is sent back, as a reopening does.
void withdraw_answer(Case& c, const Context& ctx, const std::string& why) {
    if (!c.draft || c.draft->state == DraftState::rejected) {
        return;
    }
    c.draft->state = DraftState::rejected;
    c.draft->reviewer.clear();
    c.draft->rounds = 0; // the next unit's answer is reviewed from round one
    append_history(
        c, ctx.now, ctx.by, Action::withdraw,
        say(ctx.record, {"the drafted answer no longer stands: {}", "原拟答复作废：{}"}, why));
}

std::string assignment_note(const CaseSummary& c, const Assignment& a, Language l) {
    std::vector<std::string> parts{
        a.co_units.empty()
            ? say(l, {"to {}", "交{}办理"}, *a.unit)
            : say(l, {"to {} with {}", "交{}牵头办理，{}协办"}, *a.unit, list_of(l, a.co_units))};
    if (c.leader) {
        parts.push_back(say(l, {"led by {}", "领衔领导：{}"}, *c.leader));
    }
    if (a.instruction) {
        parts.push_back(say(l, {"instruction: {}", "批示：{}"}, *a.instruction));
    }
    if (a.kind) {
        parts.push_back(say(l, {"kind: {}", "诉求类型：{}"}, *a.kind));
    }
    parts.push_back(a.note);
    return clauses(l, parts);
}

void refuse_accused(const CaseSummary& c, const Assignment& a) {
    if (!c.restricted || !c.accused || a.force) {
        return;
    }
    bool co = std::find(a.co_units.begin(), a.co_units.end(), *c.accused) != a.co_units.end();
    if (a.unit == c.accused || co) {
        throw GateRefused(tr("case {} accuses {}: it is not handed to the unit it "
                             "accuses (--force to do so all the same)",
                             c.id, *c.accused));
    }
}

// The open member of the group that is assigned: whose handling a new
// letter of the same matter takes over.
const Case* assigned_member(const std::vector<Case>& cases) {
    for (const Case& c : cases) {
        if (c.status == Status::assigned && c.handler) {
            return &c;
        }
    }
    return nullptr;
}

// What the new letter takes from its group where the command says nothing.
void take_over(Assignment& a, const CaseSummary& lead) {
    if (a.co_units.empty()) {
        a.co_units = lead.co_units;
    }
    a.leader = a.leader ? a.leader : lead.leader;
    a.instruction = a.instruction ? a.instruction : lead.instruction;
    a.category = a.category ? a.category : lead.category;
    a.kind = a.kind ? a.kind : lead.kind;
}

// Hands one case over as `a` says, with its history entry; `with` names
// another case of its group it goes with, `joins` one whose handling it joins.
void hand_over(Case& c, const Context& ctx, const Assignment& a, const std::string& with,
               const std::string& joins = "") {
    bool again = c.status == Status::assigned;
    if (again && c.handler != a.unit) {
        withdraw_answer(c, ctx, say(ctx.record, {"the case went to {}", "已改交{}办理"}, *a.unit));
    }
    c.status = Status::assigned;
    c.handler = a.unit;
    c.co_units = a.co_units;
    c.leader = a.leader ? a.leader : c.leader;
    c.instruction = a.instruction ? a.instruction : c.instruction;
    c.category = a.category ? a.category : c.category;
    c.kind = a.kind ? a.kind : c.kind;
    if (!c.assigned) {
        c.assigned = ctx.now; // the first assignment; the reply limit keeps running
    }
    std::string note = assignment_note(c, a, ctx.record);
    if (!joins.empty()) {
        note += say(ctx.record,
                    {" (joins {}'s handling, the same letter)", "（与{}为同一来信，并入其办理）"},
                    joins);
    } else if (!with.empty()) {
        note +=
            say(ctx.record, {" (with {}, the same letter)", "（与{}为同一来信，一并交办）"}, with);
    }
    append_history(c, ctx.now, ctx.by, again ? Action::reassign : Action::assign, note);
}

} // namespace

Changed assign_case(const Mailbox& m, const Context& ctx, const std::string& id, Assignment a,
                    std::vector<std::string>* answered) {
    std::vector<Case> cases = LetterIndex(m).load_group(id);
    require_open(cases.front(), N_("case {} is {}: assigning is for cases not yet replied"));
    const Case* group_lead =
        cases.front().status == Status::received ? assigned_member(cases) : nullptr;
    if (group_lead && !a.unit) {
        a.unit = group_lead->handler; // the group's handling, not a keyword's guess
    }
    settle_units(a, cases.front(), m.config());
    if (group_lead && a.unit == group_lead->handler) {
        take_over(a, *group_lead);
        std::string joined = group_lead->id;
        std::erase_if(cases, [](const CaseSummary& c) { return c.status != Status::received; });
        for (Case& c : cases) {
            refuse_accused(c, a);
            hand_over(c, ctx, a, "", joined);
        }
        return cases;
    }
    // A member already answered keeps its handling; the new letters of the
    // group go where it went, or where the office now says.
    std::erase_if(cases, [&](const CaseSummary& c) {
        bool done = !c.is_open();
        if (done && answered) {
            answered->push_back(c.id);
        }
        return done;
    });
    for (const Case& c : cases) {
        if (c.status == Status::assigned && a.note.empty()) {
            throw UsageError(tr("case {} is already assigned to {}; say why it is "
                                "re-assigned with --note",
                                c.id, c.handler.value_or("?")));
        }
    }
    for (const Case& c : cases) {
        refuse_accused(c, a);
    }
    for (Case& c : cases) {
        hand_over(c, ctx, a, c.id != id ? id : "");
    }
    return cases;
}

Changed link_cases(const Mailbox& m, const Context& ctx, const std::vector<std::string>& ids) {
    if (ids.size() < 2) {
        throw UsageError(_("link needs two case ids or more"));
    }
    // The groups joined whole, each member then naming every other.
    std::map<std::string, Case> joined;
    LetterIndex letters(m);
    for (const std::string& id : ids) {
        for (Case& c : letters.load_group(id)) {
            std::string key = c.id;
            joined.try_emplace(std::move(key), std::move(c));
        }
    }
    std::vector<std::string> members;
    std::vector<Case> cases;
    for (auto& [member, c] : joined) {
        members.push_back(member);
        cases.push_back(std::move(c));
    }
    Changed changed;
    for (Case& c : cases) {
        std::vector<std::string> others;
        std::copy_if(members.begin(), members.end(), std::back_inserter(others),
                     [&](const std::string& o) { return o != c.id; });
        if (others == c.group) {
            continue;
        }
        std::vector<std::string> added;
        std::set_difference(others.begin(), others.end(), c.group.begin(), c.group.end(),
                            std::back_inserter(added));
        c.group = others;
        append_history(c, ctx.now, ctx.by, Action::link,
                       say(ctx.record,
                           {"the same letter as {} (linked by hand)", "与{}为同一来信（人工关联）"},
                           list_of(ctx.record, added)));
        changed.push_back(c);
    }
    // A letter not yet assigned takes over the handling of the group it joins.
    const Case* lead = assigned_member(cases);
    if (!lead) {
        return changed;
    }
    Assignment a{lead->handler, {}, {}, {}, {}, {}, {}};
    take_over(a, *lead);
    for (Case& c : changed) {
        if (c.status == Status::received) {
            refuse_accused(c, a);
            hand_over(c, ctx, a, "", lead->id);
        }
    }
    return changed;
}

Changed unlink_case(const Mailbox& m, const Context& ctx, const std::string& id) {
    std::vector<Case> cases = LetterIndex(m).load_group(id);
    if (cases.size() == 1) {
        throw UsageError(tr("case {} is not linked to any other", id));
    }
    // The others stay one group, each naming every other: the case leaving
    // may have been the one that joined them.
    std::vector<std::string> rest;
    for (const Case& c : cases) {
        if (c.id != id) {
            rest.push_back(c.id);
        }
    }
    for (Case& c : cases) {
        if (c.id == id) {
            append_history(c, ctx.now, ctx.by, Action::unlink,
                           say(ctx.record,
                               {"no longer the same letter as {}", "不再与{}视为同一来信"},
                               list_of(ctx.record, rest)));
            c.group.clear();
        } else {
            c.group.clear();
            std::copy_if(rest.begin(), rest.end(), std::back_inserter(c.group),
                         [&](const std::string& o) { return o != c.id; });
            append_history(
                c, ctx.now, ctx.by, Action::unlink,
                say(ctx.record, {"no longer the same letter as {}", "不再与{}视为同一来信"}, id));
        }
    }
    return cases;
}

Changed return_case(const Mailbox& m, const Context& ctx, const std::string& id, std::string unit,
                    const std::string& reason) {
    if (reason.empty()) {
        throw UsageError(_("a return needs its reason (--reason)"));
    }
    std::vector<Case> cases = LetterIndex(m).load_group(id);
    const CaseSummary& first = cases.front();
    if (first.status != Status::assigned) {
        throw GateRefused(tr("case {} is {}: only an assigned case can be returned", first.id,
                             to_string(first.status)));
    }
    if (unit.empty()) {
        unit = first.handler.value_or("");
    }
    require_unit(m.config(), unit, "--unit");
    bool lead = first.handler == unit;
    if (!lead &&
        std::find(first.co_units.begin(), first.co_units.end(), unit) == first.co_units.end()) {
        std::string lead_unit = first.handler.value_or(C_("no unit", "none"));
        throw UsageError(
            first.co_units.empty()
                ? tr("unit {} does not handle case {} (lead: {})", unit, first.id, lead_unit)
                : tr("unit {} does not handle case {} (lead: {}; co-units: {})", unit, first.id,
                     lead_unit,
                     fmt::format("{}", fmt::join(first.co_units, C_("list separator", ", ")))));
    }
    Changed changed;
    for (Case& c : cases) {
        // The group travels together, as it was assigned.
        bool handles =
            c.status == Status::assigned &&
            (lead ? c.handler == unit
                  : std::find(c.co_units.begin(), c.co_units.end(), unit) != c.co_units.end());
        if (!handles) {
            continue;
        }
        c.returned_by.push_back(unit);
        if (lead) {
            withdraw_answer(c, ctx,
                            say(ctx.record, {"the unit returned the case", "承办单位已退单"}));
            c.status = Status::received;
            c.handler.reset();
            c.co_units.clear();
        } else {
            std::erase(c.co_units, unit);
        }
        append_history(
            c, ctx.now, ctx.by, Action::returned,
            lead ? say(ctx.record, {"returned by {}, to re-assign: {}", "{}退单，待重新交办：{}"},
                       unit, reason)
                 : say(ctx.record, {"returned by {} (co-unit): {}", "协办单位{}退单：{}"}, unit,
                       reason));
        changed.push_back(c);
    }
    return changed;
}

Changed restrict_case(const Mailbox& m, const Context& ctx, const std::string& id,
                      std::optional<std::string> accused, const std::string& reason) {
    if (reason.empty()) {
        throw UsageError(_("say why the letter is restricted (--reason)"));
    }
    if (accused) {
        require_unit(m.config(), *accused, "--accused");
    }
    Changed changed;
    for (Case& c : LetterIndex(m).load_group(id)) {
        if (c.restricted && (!accused || c.accused == accused)) {
            continue;
        }
        c.restricted = true;
        c.accused = accused ? accused : c.accused;
        append_history(c, ctx.now, ctx.by, Action::restrict,
                       c.accused
                           ? say(ctx.record, {"accuses {}: {}", "举报{}：{}"}, *c.accused, reason)
                           : reason);
        changed.push_back(std::move(c));
    }
    return changed;
}

Changed extend_case(const Mailbox& m, const Context& ctx, const std::string& id, int days,
                    const std::string& reason, std::string approved_by) {
    if (days < 1 || days > 365) {
        throw UsageError(tr("--days {}: expected 1 to 365", days));
    }
    if (reason.empty()) {
        throw UsageError(_("an extension needs its reason (--reason)"));
    }
    require_leader(m.config(), approved_by, "--approved-by");
    std::vector<Case> cases = LetterIndex(m).load_group(id);
    for (const Case& c : cases) {
        require_open(c, N_("case {} is {}: an extension is for cases not yet replied"));
    }
    for (Case& c : cases) {
        c.extensions.push_back({days, approved_by, ctx.now, reason});
        append_history(c, ctx.now, ctx.by, Action::extend,
                       say(ctx.record, {"{} more, approved by {}: {}", "延期{}，{}批准：{}"},
                           days_counted(ctx.record, days), approved_by, reason));
    }
    return cases;
}

Changed change_each(const Mailbox& m, const std::vector<std::string>& typed,
                    const std::function<Changed(const std::string& id)>& change) {
    std::vector<std::string> ids;
    for (const std::string& t : typed) {
        ids.push_back(m.resolve_id(t));
    }
    Changed all;
    for (const std::string& id : ids) {
        if (std::any_of(all.begin(), all.end(), [&](const CaseSummary& c) { return c.id == id; })) {
            continue;
        }
        Changed more = change(id);
        all.insert(all.end(), std::make_move_iterator(more.begin()),
                   std::make_move_iterator(more.end()));
    }
    return all;
}

} // namespace mailbox
