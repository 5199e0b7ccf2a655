#include "report/listing.hpp"

#include "model/calendar.hpp"
#include "model/routing.hpp"
#include "util/edit_distance.hpp"
#include "util/error.hpp"
#include "util/i18n.hpp"

#include <algorithm>
#include <cmath>
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

// A history entry's action as show's text names it; the file and JSON keep
// the ASCII key, and an action the tools do not know is shown as written.
std::string action_shown(const HistoryEntry& e) {
    static constexpr const char* k_actions[] = {
        NC_("history action", "received"), NC_("history action", "edit"),
        NC_("history action", "link"),     NC_("history action", "unlink"),
        NC_("history action", "restrict"), NC_("history action", "assign"),
        NC_("history action", "reassign"), NC_("history action", "return"),
        NC_("history action", "extend"),   NC_("history action", "digest"),
        NC_("history action", "chase"),    NC_("history action", "supervise"),
        NC_("history action", "visit"),    NC_("history action", "draft"),
        NC_("history action", "redraft"),  NC_("history action", "approve"),
        NC_("history action", "reject"),   NC_("history action", "withdraw"),
        NC_("history action", "reply"),    NC_("history action", "feedback"),
        NC_("history action", "track"),    NC_("history action", "close"),
        NC_("history action", "reopen"),   NC_("history action", "exemplary"),
        NC_("history action", "renumber")};
    static_assert(std::size(k_actions) == static_cast<std::size_t>(Action::unknown));
    if (e.action == Action::unknown) {
        return std::string(e.action_name());
    }
    return C_("history action", k_actions[static_cast<std::size_t>(e.action)]);
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

namespace {

Value reason_value(const LearnedReason* why) {
    if (!why) {
        return Value();
    }
    Value::Array like;
    for (const LearnedReason::Like& l : why->like) {
        like.emplace_back(
            Value::Object{{"id", l.id},
                          {"category", l.category.empty() ? Value() : Value(l.category)},
                          {"unit", l.unit.empty() ? Value() : Value(l.unit)}});
    }
    return Value(Value::Object{{"cases", static_cast<std::int64_t>(why->cases)},
                               {"confidence", std::round(why->confidence * 100) / 100},
                               {"grams", Value::texts(why->grams)},
                               {"like", std::move(like)}});
}

} // namespace

Value case_detail(const Case& c, const Config& config, Day today,
                  const std::vector<SenderCase>& sender_cases, const LearnedReason* why) {
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
    o.emplace_back("suggested_by", c.suggested_by);
    o.emplace_back("learned_reason", reason_value(why));
    return Value(std::move(o));
}

namespace {

std::string unit_label(const std::optional<std::string>& id, const Config& config) {
    if (!id) {
        return "";
    }
    const Unit* u = config.find_unit(*id);
    return u ? tr("{} ({})", *id, u->name) : *id;
}

// Ids or names, one after another, as the clerk's language lists them.
template <typename T, typename F>
std::string listed(const std::vector<T>& items, F shown) {
    const char* comma = C_("list separator", ", ");
    std::string out;
    for (const T& item : items) {
        out += (out.empty() ? "" : comma) + shown(item);
    }
    return out;
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

// Text and spaces after it to fill `width` columns, a Chinese character
// taking two.
std::string padded(std::string_view text, int width) {
    std::string out(text);
    out.append(static_cast<std::size_t>(std::max(0, width - display_width(text))), ' ');
    return out;
}

} // namespace

namespace {

// The answer as the reviewer reads it, and where it went.
std::string draft_text(const CaseSummary& c) {
    std::string out;
    if (c.draft) {
        const Draft& d = *c.draft;
        std::string outcome = outcome_shown(d.outcome), state = draft_state_shown(d.state),
                    on = iso_day(d.at.day());
        out += "\n" +
               (d.unit.empty() ? tr("Draft ({}, {}, round {}, by {} on {}):", outcome, state,
                                    d.rounds, d.by, on)
                               : tr("Draft ({}, {}, round {}, by {} on {} for {}):", outcome, state,
                                    d.rounds, d.by, on, d.unit)) +
               "\n";
        if (!d.basis.empty()) {
            out += indent(tr("Basis: {}", d.basis), "  ");
        }
        if (!d.steps.empty()) {
            out += indent(tr("Steps: {}", d.steps), "  ");
        }
        if (d.target_date) {
            out += "  " + tr("Target date: {}", iso_day(*d.target_date)) + "\n";
        }
        if (!d.report.empty()) {
            out += "  " + tr("Report: {}", d.report) + "\n";
        }
        out += indent(d.text, "  ");
    }
    if (!c.replies.empty()) {
        out += fmt::format("\n{}\n", _("Replies:"));
        for (const Reply& r : c.replies) {
            out += fmt::format("  {}  {} {}{}\n", r.at.iso(), padded(reply_via_shown(r.via), 6),
                               r.to, r.message_id.empty() ? "" : "  <" + r.message_id + ">");
        }
    }
    return out;
}

} // namespace

namespace {

// The keyword rule behind a suggestion, found again on the letter: empty
// when the rules say otherwise now (the category was given at
// registration, or mailbox.toml's keywords changed since).
std::string why_suggested(const Case& c, const Config& config) {
    std::optional<Suggestion> s = suggest_category(config, c.subject, c.body);
    if (!s || s->category != c.suggested_category) {
        return "";
    }
    return trn("category {}'s keyword {}", "category {}'s keywords {}", s->matched.size(),
               s->category, fmt::format("{}", fmt::join(s->matched, C_("list separator", ", "))));
}

// What the decided cases teach, in words: how many, the letter's words
// that weigh most, how sure.
std::string learned_why(const LearnedReason& why) {
    std::string words = fmt::format("{}", fmt::join(why.grams, C_("list separator", ", ")));
    std::string out = trn("learned from {} decided case: {}", "learned from {} decided cases: {}",
                          why.cases, why.cases, words);
    if (why.confidence > 0) {
        out += tr(" (confidence {:.2f})", why.confidence);
    }
    return out;
}

std::string learned_like(const LearnedReason& why) {
    if (why.like.empty()) {
        return "";
    }
    return tr("like {}", listed(why.like, [&](const LearnedReason::Like& l) {
                  return tr("{} ({} → {})", l.id, l.category.empty() ? "-" : l.category,
                            l.unit.empty() ? "-" : l.unit);
              }));
}

} // namespace

std::string case_text(const Case& c, const Config& config, Day today,
                      const std::vector<SenderCase>& sender_cases, const LearnedReason* why) {
    // The header block, a label and a value a line (no label: a line more of
    // the one above), the values lined up after the widest label.
    std::vector<std::pair<std::string, std::string>> header;
    auto line = [&](const char* label, const std::string& value) {
        if (!value.empty()) {
            header.emplace_back(label, value);
        }
    };
    auto due = due_date(c, config, Wording::translated);
    Lateness late = lateness(c, config, today);
    // TRANSLATORS: the labels of `show`, lined up in a column: the values
    // start after the widest.
    line(_("Case:"), c.id);
    std::string status = status_shown(to_string(c.status));
    line(_("Status:"), late == Lateness::very_overdue ? tr("{} (very overdue)", status)
                       : late == Lateness::overdue    ? tr("{} (overdue)", status)
                                                      : status);
    line(_("Subject:"), c.subject);
    // TRANSLATORS: when a letter came, and its channel (web, email, ...).
    line(_("Received:"), tr("{} by {}", c.received.iso(), channel_shown(c.channel)));
    std::string from = c.sender.name;
    from += c.sender.email.empty() ? "" : " <" + c.sender.email + ">";
    from += c.sender.phone.empty() ? "" : " " + c.sender.phone;
    line(_("From:"), from);
    line(_("Category:"), c.category.value_or(""));
    const Kind* kind = c.kind ? config.find_kind(*c.kind) : nullptr;
    line(_("Kind:"), kind ? tr("{} ({})", kind->name, *c.kind) : c.kind.value_or(""));
    if (c.restricted) {
        line(_("Restricted:"),
             c.accused ? tr("yes: kept out of bulletins, digests and other units' notices, "
                            "accuses {}",
                            unit_label(c.accused, config))
                       : _("yes: kept out of bulletins, digests and other units' notices"));
    }
    if (c.suggested_category || c.suggested_unit) {
        line(_("Suggested:"),
             c.suggested_category.value_or("") + " → " + unit_label(c.suggested_unit, config));
        if (why) {
            line(_("Why:"), learned_why(*why));
            line("", learned_like(*why));
        } else {
            line(_("Why:"), why_suggested(c, config));
        }
    }
    auto label_of = [&](const std::string& u) { return unit_label(u, config); };
    line(_("Unit:"), unit_label(c.handler, config));
    line(_("Co-units:"), listed(c.co_units, label_of));
    line(_("Leader:"), c.leader.value_or(""));
    line(_("Instruction:"), c.instruction.value_or(""));
    line(_("Assigned:"), c.assigned ? c.assigned->iso() : "");
    std::string returned = listed(c.returned_by, label_of);
    line(_("Returned by:"), c.is_returned() ? tr("{} (to re-assign)", returned) : returned);
    if (due) {
        // Offices and citizens ask why a case is due on that day.
        line(_("Due:"), day_with_weekday(due->day, Wording::translated));
        for (const std::string& step : due->steps) {
            header.emplace_back("", "  " + step);
        }
    }
    line(_("Replied:"), c.replied ? c.replied->iso() : "");
    line(_("Outcome:"), c.outcome ? outcome_shown(*c.outcome) : "");
    if (c.on_time) {
        line(_("On time:"), *c.on_time                        ? _("yes")
                            : !c.late || *c.late == "overdue" ? _("no, overdue")
                            : *c.late == "very-overdue"       ? _("no, very-overdue")
                                                              : tr("no, {}", *c.late));
    }
    line(_("Feedback:"), c.feedback ? feedback_shown(*c.feedback) : "");
    if (c.reopened) {
        line(_("Reopened:"), c.reopened_for == Reopening::review
                                 ? tr("{} for a review (复查)", c.reopened->iso())
                                 : tr("{} for a second handling", c.reopened->iso()));
    }
    if (c.exemplary) {
        line(_("Exemplary:"), c.exemplary->empty() ? _("yes") : *c.exemplary);
    }
    auto as_is = [](const std::string& s) { return s; };
    line(_("Rejections:"), listed(c.rejections, as_is));
    line(_("Closed:"), c.closed ? c.closed->iso() : "");
    line(_("On site:"), c.solved_on_site ? _("solved on site") : "");
    line(_("Group:"), listed(c.group, as_is));
    line(_("Message-ID:"), c.message_id.value_or(""));
    for (const Attachment& a : c.attachments) {
        auto size = static_cast<unsigned long>(a.size);
        line(_("Attachment:"), a.kept.empty()
                                   ? trn("{} ({} byte)", "{} ({} bytes)", size, a.name, a.size)
                                   : trn("{} ({} byte, kept as {})", "{} ({} bytes, kept as {})",
                                         size, a.name, a.size, a.kept));
    }
    // 13 columns in English; wider when a language's labels are.
    int width = 13;
    for (const auto& [label, value] : header) {
        width = std::max(width, display_width(label) + 1);
    }
    std::string out;
    for (const auto& [label, value] : header) {
        out += padded(label, width) + value + "\n";
    }
    out += "\n" + indent(c.body, "  ");
    out += draft_text(c);
    if (!sender_cases.empty()) {
        out += fmt::format("\n{}\n", _("The sender's other letters:"));
        for (const SenderCase& s : sender_cases) {
            out += fmt::format("  {}  {}  {} {}\n", s.id, iso_day(s.received.day()),
                               padded(status_shown(to_string(s.status)), 9), s.subject);
        }
    }
    out += fmt::format("\n{}\n", _("History:"));
    for (const HistoryEntry& e : c.history) {
        out += fmt::format("  {}  {}  {}  {}\n", e.at.iso(), e.id, action_shown(e), e.by);
        out += indent(e.note, "      ");
    }
    return out;
}

} // namespace mailbox
