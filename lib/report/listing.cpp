#include "report/listing.hpp"

#include "model/calendar.hpp"
#include "util/edit_distance.hpp"
#include "util/error.hpp"
#include "util/i18n.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <unordered_map>

namespace mailbox {

void validate_filter(const ListFilter& f, const Config& config) {
    if (f.unit && !config.find_unit(*f.unit)) {
        throw UsageError(config.unknown_unit(*f.unit));
    }
    if (f.category && !config.find_category(*f.category)) {
        throw UsageError(config.unknown_category(*f.category));
    }
}

bool matches(const CaseSummary& c, const ListFilter& f, const Config& config, Day today) {
    if (f.status && c.status != *f.status) {
        return false;
    }
    if (f.unit && c.handler != f.unit &&
        std::find(c.co_units.begin(), c.co_units.end(), *f.unit) == c.co_units.end()) {
        return false;
    }
    if (f.category && c.category != f.category) {
        return false;
    }
    Day received = c.received.day();
    if ((f.since && received < *f.since) || (f.until && received > *f.until)) {
        return false;
    }
    return !f.overdue || lateness(c, config, today) != Lateness::none;
}

namespace {

Value moment(const std::optional<Timestamp>& t) {
    return t ? Value(t->iso()) : Value();
}

int days_open(const CaseSummary& c, Day today) {
    Day end = c.closed ? c.closed->day() : today;
    return std::max(0, days_between(c.received.day(), end));
}

} // namespace

void case_fields(const CaseSummary& c, const Config& config, Day today, int sender_cases,
                 Fields& f) {
    auto due = due_day(c, config);
    Lateness late = lateness(c, config, today);
    auto put_moment = [&](std::string_view key, const std::optional<Timestamp>& t) {
        t ? f.put(key, t->iso()) : f.put_null(key);
    };
    auto word = [&](std::string_view key, const auto& v) {
        v ? f.put(key, to_string(*v)) : f.put_null(key);
    };
    f.put("id", c.id);
    f.put("status", to_string(c.status));
    f.put("subject", c.subject);
    f.put("received", c.received.iso());
    f.put("channel", to_string(c.channel));
    f.put("category", c.category);
    f.put("kind", c.kind);
    f.put("handler", c.handler);
    f.put("co_units", c.co_units);
    f.put("leader", c.leader);
    put_moment("assigned", c.assigned);
    due ? f.put("due", iso_day(*due)) : f.put_null("due");
    put_moment("replied", c.replied);
    f.put("overdue", late != Lateness::none);
    f.put("very_overdue", late == Lateness::very_overdue);
    f.put("days_open", days_open(c, today));
    f.put("group", c.group);
    word("outcome", c.outcome);
    f.put("satisfied", c.satisfied());
    f.put("sender_case_count", sender_cases);
    f.put("on_time", c.on_time);
    word("feedback", c.feedback);
    f.put("exemplary", c.exemplary.has_value());
    f.put("solved_on_site", c.solved_on_site);
    f.put("restricted", c.restricted);
    f.put("accused", c.accused);
    c.draft ? f.put("draft_state", to_string(c.draft->state)) : f.put_null("draft_state");
    f.put("suggested_category", c.suggested_category);
    f.put("suggested_unit", c.suggested_unit);
}

Value case_record(const CaseSummary& c, const Config& config, Day today, int sender_cases) {
    Value::Object o;
    Fields f(o);
    case_fields(c, config, today, sender_cases, f);
    return Value(std::move(o));
}

const std::vector<Column>& list_columns() {
    static const std::vector<Column> k_columns{
        {"id", _("ID")},
        {"status", _("STATUS")},
        {"received_day", _("RECEIVED")},
        {"due", _("DUE")},
        {"late", _("LATE")},
        {"handler", _("UNIT")},
        {"category", _("CATEGORY")},
        {"subject", _("SUBJECT")},
    };
    return k_columns;
}

std::string status_shown(std::string_view status) {
    std::optional<Status> s = parse_status(status);
    if (!s) {
        return std::string(status);
    }
    switch (*s) {
    case Status::received:
        return C_("status", "received");
    case Status::assigned:
        return C_("status", "assigned");
    case Status::replied:
        return C_("status", "replied");
    case Status::tracking:
        return C_("status", "tracking");
    case Status::closed:
        return C_("status", "closed");
    }
    return std::string(status);
}

const std::vector<Column>& list_fields() {
    static const std::vector<Column> k_fields = columns_of(
        case_record(Case{}, Config{}, Day{date::year{2026}, date::month{1}, date::day{1}}, 0));
    return k_fields;
}

Value list_table_row(const Value& record) {
    Value::Object o = *record.object();
    std::string received = record.get("received")->cell();
    o.emplace_back("received_day", received.substr(0, 10));
    bool very = record.get("very_overdue")->cell() == "true";
    bool overdue = record.get("overdue")->cell() == "true";
    // An answered case is no longer late, but its reply may have been.
    std::string status = record.get("status")->cell();
    bool replied_late =
        record.get("on_time")->cell() == "false" && status != "assigned" && status != "received";
    // A letter not yet assigned shows where it would go, marked as a
    // suggestion: routing a morning's letters is reading one table.
    for (auto [shown, suggested] :
         {std::pair{"handler", "suggested_unit"}, std::pair{"category", "suggested_category"}}) {
        std::string guess = record.get(suggested)->cell();
        for (auto& [key, value] : o) {
            if (key == shown && value.cell().empty() && !guess.empty()) {
                value = Value(guess + "?");
            }
        }
    }
    o.emplace_back("late", very           ? _("very")
                           : overdue      ? _("overdue")
                           : replied_late ? _("replied late")
                                          : "");
    for (auto& [key, value] : o) {
        if (key == "status") {
            value = Value(status_shown(status));
        }
    }
    // Only the columns: a table holds every row until it knows its widths.
    Value::Object row;
    for (const Column& c : list_columns()) {
        auto it =
            std::find_if(o.begin(), o.end(), [&](const auto& kv) { return kv.first == c.key; });
        if (it != o.end()) {
            row.emplace_back(c.key, std::move(it->second));
        }
    }
    return Value(std::move(row));
}

namespace {

Value draft_value(const std::optional<Draft>& draft) {
    if (!draft) {
        return Value();
    }
    const Draft& d = *draft;
    auto or_null = [](const std::string& s) { return s.empty() ? Value() : Value(s); };
    return Value(Value::Object{
        {"text", d.text},
        {"outcome", std::string(to_string(d.outcome))},
        {"by", d.by},
        {"at", d.at.iso()},
        {"state", std::string(to_string(d.state))},
        {"rounds", d.rounds},
        {"unit", or_null(d.unit)},
        {"reviewer", or_null(d.reviewer)},
        {"basis", or_null(d.basis)},
        {"steps", or_null(d.steps)},
        {"target_date", d.target_date ? Value(iso_day(*d.target_date)) : Value()},
        {"report", or_null(d.report)},
    });
}

Value replies_value(const std::vector<Reply>& replies) {
    Value::Array out;
    for (const Reply& r : replies) {
        out.emplace_back(Value::Object{
            {"to", r.to},
            {"at", r.at.iso()},
            {"via", std::string(to_string(r.via))},
            {"message_id", r.message_id.empty() ? Value() : Value(r.message_id)},
        });
    }
    return Value(std::move(out));
}

} // namespace

Value case_detail(const Case& c, const Config& config, Day today,
                  const std::vector<SenderCase>& sender_cases) {
    Value::Object o =
        *case_record(c, config, today, static_cast<int>(sender_cases.size())).object();
    auto due = due_date(c, config);
    Value::Array others, attachments, history;
    for (const SenderCase& s : sender_cases) {
        others.emplace_back(Value::Object{{"id", s.id},
                                          {"received", s.received.iso()},
                                          {"subject", s.subject},
                                          {"status", std::string(to_string(s.status))}});
    }
    for (const Attachment& a : c.attachments) {
        Value::Object o{{"name", a.name}, {"size", a.size}};
        if (!a.kept.empty()) {
            o.emplace_back("kept", a.kept);
        }
        attachments.emplace_back(std::move(o));
    }
    for (const HistoryEntry& e : c.history) {
        history.emplace_back(Value::Object{{"id", e.id},
                                           {"at", e.at.iso()},
                                           {"by", e.by},
                                           {"action", std::string(e.action_name())},
                                           {"note", e.note.empty() ? Value() : Value(e.note)}});
    }
    auto or_null = [](const std::string& s) { return s.empty() ? Value() : Value(s); };
    Value::Array extensions, visits;
    for (const Extension& x : c.extensions) {
        extensions.emplace_back(Value::Object{{"days", x.days},
                                              {"approved_by", x.approved_by},
                                              {"at", x.at.iso()},
                                              {"reason", x.reason}});
    }
    for (const HistoryEntry& e : c.history) {
        if (e.action == Action::visit) {
            visits.emplace_back(Value::Object{{"at", e.at.iso()}, {"by", e.by}, {"note", e.note}});
        }
    }
    o.emplace_back("instruction", c.instruction);
    o.emplace_back("returned_by", Value::texts(c.returned_by));
    o.emplace_back("extensions", std::move(extensions));
    o.emplace_back("visits", std::move(visits));
    o.emplace_back("closed", moment(c.closed));
    o.emplace_back("sender", Value::Object{{"name", c.sender.name},
                                           {"email", or_null(c.sender.email)},
                                           {"phone", or_null(c.sender.phone)}});
    o.emplace_back("sender_cases", std::move(others));
    o.emplace_back("due_reason", due ? Value(due->reason) : Value());
    o.emplace_back("message_id", c.message_id);
    o.emplace_back("attachments", std::move(attachments));
    o.emplace_back("body", c.body);
    o.emplace_back("history", std::move(history));
    o.emplace_back("late", c.late);
    o.emplace_back("reopened", moment(c.reopened));
    o.emplace_back("reopened_for",
                   c.reopened_for ? Value(std::string(to_string(*c.reopened_for))) : Value());
    o.emplace_back("exemplary_note", c.exemplary);
    o.emplace_back("rejections", Value::texts(c.rejections));
    o.emplace_back("draft", draft_value(c.draft));
    o.emplace_back("replies", replies_value(c.replies));
    return Value(std::move(o));
}

namespace {

std::string unit_label(const std::optional<std::string>& id, const Config& config) {
    if (!id) {
        return "";
    }
    const Unit* u = config.find_unit(*id);
    return u ? fmt::format("{} ({})", *id, u->name) : *id;
}

std::string indent(const std::string& text, std::string_view prefix) {
    std::string out;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        std::string_view line(text.data() + start,
                              (end == std::string::npos ? text.size() : end) - start);
        out += line.empty() ? "\n" : fmt::format("{}{}\n", prefix, line);
        start = end == std::string::npos ? text.size() : end + 1;
    }
    return out;
}

} // namespace

namespace {

// The answer as the reviewer reads it, and where it went.
std::string draft_text(const CaseSummary& c) {
    std::string out;
    if (c.draft) {
        const Draft& d = *c.draft;
        out += fmt::format("\nDraft ({}, {}, round {}, by {} on {}{}):\n", to_string(d.outcome),
                           to_string(d.state), d.rounds, d.by, iso_day(d.at.day()),
                           d.unit.empty() ? "" : " for " + d.unit);
        if (!d.basis.empty()) {
            out += indent("Basis: " + d.basis, "  ");
        }
        if (!d.steps.empty()) {
            out += indent("Steps: " + d.steps, "  ");
        }
        if (d.target_date) {
            out += fmt::format("  Target date: {}\n", iso_day(*d.target_date));
        }
        if (!d.report.empty()) {
            out += fmt::format("  Report: {}\n", d.report);
        }
        out += indent(d.text, "  ");
    }
    if (!c.replies.empty()) {
        out += "\nReplies:\n";
        for (const Reply& r : c.replies) {
            out += fmt::format("  {}  {:<6} {}{}\n", r.at.iso(), to_string(r.via), r.to,
                               r.message_id.empty() ? "" : "  <" + r.message_id + ">");
        }
    }
    return out;
}

} // namespace

std::string case_text(const Case& c, const Config& config, Day today,
                      const std::vector<SenderCase>& sender_cases) {
    std::string out;
    auto line = [&](std::string_view label, const std::string& value) {
        if (!value.empty()) {
            out += fmt::format("{:<13}{}\n", std::string(label) + ":", value);
        }
    };
    auto due = due_date(c, config);
    Lateness late = lateness(c, config, today);
    line("Case", c.id);
    line("Status",
         std::string(to_string(c.status)) + (late == Lateness::very_overdue ? " (very overdue)"
                                             : late == Lateness::overdue    ? " (overdue)"
                                                                            : ""));
    line("Subject", c.subject);
    line("Received", c.received.iso() + " by " + std::string(to_string(c.channel)));
    std::string from = c.sender.name;
    from += c.sender.email.empty() ? "" : " <" + c.sender.email + ">";
    from += c.sender.phone.empty() ? "" : " " + c.sender.phone;
    line("From", from);
    line("Category", c.category.value_or(""));
    line("Kind", c.kind ? (config.find_kind(*c.kind)
                               ? config.find_kind(*c.kind)->name + " (" + *c.kind + ")"
                               : *c.kind)
                        : "");
    line("Restricted", c.restricted
                           ? "yes: kept out of bulletins, digests and other units' notices" +
                                 (c.accused ? ", accuses " + unit_label(c.accused, config) : "")
                           : "");
    if (c.suggested_category || c.suggested_unit) {
        line("Suggested",
             c.suggested_category.value_or("") + " → " + unit_label(c.suggested_unit, config));
    }
    line("Unit", unit_label(c.handler, config));
    std::string co;
    for (const auto& u : c.co_units) {
        co += (co.empty() ? "" : ", ") + unit_label(u, config);
    }
    line("Co-units", co);
    line("Leader", c.leader.value_or(""));
    line("Instruction", c.instruction.value_or(""));
    line("Assigned", c.assigned ? c.assigned->iso() : "");
    std::string returned;
    for (const auto& u : c.returned_by) {
        returned += (returned.empty() ? "" : ", ") + unit_label(u, config);
    }
    line("Returned by", returned + (c.is_returned() ? " (to re-assign)" : ""));
    if (due) {
        // Offices and citizens ask why a case is due on that day.
        line("Due", day_with_weekday(due->day));
        for (const std::string& step : due->steps) {
            out += fmt::format("{:<13}  {}\n", "", step);
        }
    }
    line("Replied", c.replied ? c.replied->iso() : "");
    line("Outcome", c.outcome ? std::string(to_string(*c.outcome)) : "");
    if (c.on_time) {
        line("On time", *c.on_time ? "yes" : "no, " + c.late.value_or("overdue"));
    }
    line("Feedback", c.feedback ? std::string(to_string(*c.feedback)) : "");
    if (c.reopened) {
        line("Reopened",
             c.reopened->iso() + " for " +
                 (c.reopened_for == Reopening::review ? "a review (复查)" : "a second handling"));
    }
    if (c.exemplary) {
        line("Exemplary", c.exemplary->empty() ? "yes" : *c.exemplary);
    }
    line("Rejections", fmt::format("{}", fmt::join(c.rejections, ", ")));
    line("Closed", c.closed ? c.closed->iso() : "");
    line("On site", c.solved_on_site ? "solved on site" : "");
    std::string group;
    for (const auto& g : c.group) {
        group += (group.empty() ? "" : ", ") + g;
    }
    line("Group", group);
    line("Message-ID", c.message_id.value_or(""));
    for (const Attachment& a : c.attachments) {
        line("Attachment", fmt::format("{} ({} bytes{})", a.name, a.size,
                                       a.kept.empty() ? "" : ", kept as " + a.kept));
    }
    out += "\n" + indent(c.body, "  ");
    out += draft_text(c);
    if (!sender_cases.empty()) {
        out += "\nThe sender's other letters:\n";
        for (const SenderCase& s : sender_cases) {
            out += fmt::format("  {}  {}  {:<9} {}\n", s.id, iso_day(s.received.day()),
                               to_string(s.status), s.subject);
        }
    }
    out += "\nHistory:\n";
    for (const HistoryEntry& e : c.history) {
        out += fmt::format("  {}  {}  {}  {}\n", e.at.iso(), e.id, e.action_name(), e.by);
        out += indent(e.note, "      ");
    }
    return out;
}

} // namespace mailbox
