#include "store/casefile.hpp"

#include "model/case_id.hpp"
#include "store/field_reader.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <set>
#include <toml++/toml.h>

namespace mailbox {

namespace {

void read_sender(FieldReader& r, Case& c) {
    const toml::node* n = r.get("sender", true);
    if (!n) {
        return;
    }
    auto s = r.sub(*n, "sender", "sender.");
    if (!s) {
        return;
    }
    c.sender.name = s->text("name", true).value_or("");
    c.sender.email = s->text("email").value_or("");
    c.sender.phone = s->text("phone").value_or("");
    s->report_unknown_keys();
}

bool is_original_path(std::string_view path) {
    constexpr std::string_view dir = "originals/", ext = ".eml";
    if (path.size() != dir.size() + 16 + ext.size() || !path.starts_with(dir) ||
        !path.ends_with(ext)) {
        return false;
    }
    std::string_view hash = path.substr(dir.size(), 16);
    return hash.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

void read_attachments(FieldReader& r, Case& c) {
    const toml::node* n = r.get("attachments", false);
    if (!n) {
        return;
    }
    const toml::array* a = n->as_array();
    if (!a) {
        r.wrong_type(*n, "attachments", "an array of { name, size } tables");
        return;
    }
    for (const toml::node& item : *a) {
        auto t = r.sub(item, "attachments", "attachments.");
        if (!t) {
            continue;
        }
        Attachment att;
        att.name = t->text("name", true).value_or("");
        if (const toml::node* size = t->get("size", true)) {
            if (auto v = size->as_integer()) {
                att.size = v->get();
            } else {
                t->wrong_type(*size, "size", "an integer");
            }
        }
        att.kept = t->text("kept", false).value_or("");
        // A hand edit could point anywhere: only originals/HASH.eml is ours.
        if (!att.kept.empty() && !is_original_path(att.kept)) {
            t->wrong_type(*t->get("kept", false), "kept", "a path originals/HASH.eml");
            att.kept.clear();
        }
        t->report_unknown_keys();
        c.attachments.push_back(std::move(att));
    }
}

void read_extensions(FieldReader& r, Case& c) {
    const toml::node* n = r.get("extensions", false);
    if (!n) {
        return;
    }
    const toml::array* a = n->as_array();
    if (!a) {
        r.wrong_type(*n, "extensions", "an array of { days, approved_by, at, reason } tables");
        return;
    }
    for (const toml::node& item : *a) {
        auto t = r.sub(item, "extensions", "extensions.");
        if (!t) {
            continue;
        }
        Extension e;
        e.days = static_cast<int>(t->integer("days", 1, 3650).value_or(0));
        e.approved_by = t->text("approved_by", true).value_or("");
        e.at = t->moment("at", true).value_or(Timestamp{});
        e.reason = t->text("reason").value_or("");
        t->report_unknown_keys();
        c.extensions.push_back(std::move(e));
    }
}

void read_draft(FieldReader& r, Case& c) {
    const toml::node* n = r.get("draft", false);
    if (!n) {
        return;
    }
    auto d = r.sub(*n, "draft", "draft.");
    if (!d) {
        return;
    }
    Draft draft;
    draft.outcome = d->choice<Outcome>("outcome", parse_outcome,
                                       "resolved, explained, planned, in-progress, recurring", true)
                        .value_or(Outcome::resolved);
    draft.state =
        d->choice<DraftState>("state", parse_draft_state, "drafted, approved, rejected", true)
            .value_or(DraftState::drafted);
    draft.unit = d->text("unit").value_or("");
    draft.by = d->text("by", true).value_or("");
    draft.at = d->moment("at", true).value_or(Timestamp{});
    draft.rounds = static_cast<int>(d->integer("rounds", 0, 1000000).value_or(0));
    draft.reviewer = d->text("reviewer").value_or("");
    draft.basis = d->text("basis").value_or("");
    draft.steps = d->text("steps").value_or("");
    draft.target_date = d->day("target_date");
    draft.report = d->text("report").value_or("");
    draft.text = d->text("text", true).value_or("");
    d->report_unknown_keys();
    c.draft = std::move(draft);
}

void read_replies(FieldReader& r, Case& c) {
    const toml::node* n = r.get("replies", false);
    if (!n) {
        return;
    }
    const toml::array* a = n->as_array();
    if (!a) {
        r.wrong_type(*n, "replies", "an array of { via, to, at, message_id } tables");
        return;
    }
    for (const toml::node& item : *a) {
        auto t = r.sub(item, "replies", "replies.");
        if (!t) {
            continue;
        }
        Reply reply;
        reply.via = t->choice<ReplyVia>("via", parse_reply_via, "email, letter, sms", true)
                        .value_or(ReplyVia::email);
        reply.to = t->text("to", true).value_or("");
        reply.at = t->moment("at", true).value_or(Timestamp{});
        reply.message_id = t->text("message_id").value_or("");
        t->report_unknown_keys();
        c.replies.push_back(std::move(reply));
    }
}

void read_history(FieldReader& r, Case& c) {
    const toml::node* n = r.get("history", false);
    if (!n) {
        return;
    }
    const toml::array* a = n->as_array();
    if (!a) {
        r.wrong_type(*n, "history", "[[history]] tables");
        return;
    }
    for (const toml::node& item : *a) {
        auto t = r.sub(item, "history", "history.");
        if (!t) {
            continue;
        }
        HistoryEntry e = history_entry(
            t->text("id", true).value_or(""), t->moment("at", true).value_or(Timestamp{}),
            t->text("by", true).value_or(""), t->text("action", true).value_or(""),
            t->text("note").value_or(""));
        t->report_unknown_keys();
        c.history.push_back(std::move(e));
    }
}

void read_id(FieldReader& r, Case& c, std::string_view expected_id) {
    const toml::node* n = r.get("id", true);
    auto id = r.text("id");
    if (!id) {
        return;
    }
    c.id = *id;
    if (!parse_case_id(*id)) {
        r.problem(n->source(), fmt::format("malformed case id '{}': expected YYMMDD-TTTTSS", *id));
    } else if (!expected_id.empty() && *id != expected_id) {
        r.problem(n->source(), fmt::format("case id '{}' does not match its file name '{}.toml'",
                                           *id, expected_id));
    }
}

void read_fields(FieldReader& r, Case& c, std::string_view expected_id) {
    read_id(r, c, expected_id);
    c.status = r.choice<Status>("status", parse_status,
                                "received, assigned, replied, tracking, closed", true)
                   .value_or(Status::received);
    c.received = r.moment("received", true).value_or(Timestamp{});
    c.channel = r.choice<Channel>("channel", parse_channel, channel_list(", "), true)
                    .value_or(Channel::web);
    c.subject = r.text("subject", true).value_or("");
    read_sender(r, c);
    c.category = r.text("category");
    c.suggested_category = r.text("suggested_category");
    c.suggested_unit = r.text("suggested_unit");
    c.kind = r.text("kind");
    c.handler = r.text("handler");
    c.co_units = r.texts("co_units");
    c.leader = r.text("leader");
    c.instruction = r.text("instruction");
    c.assigned = r.moment("assigned");
    c.returned_by = r.texts("returned_by");
    c.due = r.day("due");
    read_extensions(r, c);
    c.replied = r.moment("replied");
    c.closed = r.moment("closed");
    c.outcome = r.choice<Outcome>("outcome", parse_outcome,
                                  "resolved, explained, planned, in-progress, recurring");
    c.on_time = r.flag("on_time");
    c.late = r.text("late");
    c.feedback = r.choice<Feedback>("feedback", parse_feedback,
                                    "satisfied, basically-satisfied, unsatisfied");
    c.reopened = r.moment("reopened");
    c.reopened_for = r.choice<Reopening>("reopened_for", parse_reopening, "unsatisfied, review");
    c.exemplary = r.text("exemplary");
    c.rejections = r.texts("rejections");
    c.solved_on_site = r.flag("solved_on_site").value_or(false);
    c.restricted = r.flag("restricted").value_or(false);
    c.accused = r.text("accused");
    c.group = r.texts("group");
    c.message_id = r.text("message_id");
    c.content_hash = r.text("content_hash");
    read_attachments(r, c);
    c.body = r.text("body", true).value_or("");
    read_draft(r, c);
    read_replies(r, c);
    read_history(r, c);
    r.report_unknown_keys();
}

} // namespace

CaseParse parse_case_text(std::string_view text, const std::string& path,
                          std::string_view expected_id) {
    CaseParse out;
    std::optional<toml::table> table = parse_toml(text, path, out.problems);
    if (!table) {
        return out;
    }
    Case c;
    FieldReader reader(*table, "", path, out.problems);
    read_fields(reader, c, expected_id);
    out.value = std::move(c);
    return out;
}

Case parse_case(std::string_view text, const std::string& path, std::string_view expected_id) {
    CaseParse p = parse_case_text(text, path, expected_id);
    if (!p.problems.empty()) {
        throw p.problems.front();
    }
    return std::move(*p.value);
}

// ---- writing ----

namespace {

void escape_char(std::string& out, char ch) {
    switch (ch) {
    case '"':
        out += "\\\"";
        break;
    case '\\':
        out += "\\\\";
        break;
    case '\b':
        out += "\\b";
        break;
    case '\f':
        out += "\\f";
        break;
    case '\r':
        out += "\\r";
        break;
    case '\n':
        out += "\\n";
        break;
    default:
        out += fmt::format("\\u{:04X}", static_cast<unsigned char>(ch));
    }
}

bool needs_escape(char ch) {
    auto u = static_cast<unsigned char>(ch);
    return ch == '"' || ch == '\\' || (u < 0x20 && ch != '\t') || u == 0x7f;
}

// A citizen's line of "=======" must not read as a git conflict marker once
// it is written into a case file (the reader would refuse the file), so its
// first character is escaped.
bool looks_like_marker(std::string_view s, std::size_t line_start) {
    return is_conflict_marker(s.substr(line_start, s.find('\n', line_start) - line_start));
}

// A multi-line basic string: newlines stay real, so bodies diff line by line.
// A quote is escaped only where it would close the string ("" followed by ").
std::string toml_multiline(std::string_view s) {
    std::string out = "\"\"\"\n";
    for (std::size_t i = 0; i < s.size(); ++i) {
        char ch = s[i];
        if ((i == 0 || s[i - 1] == '\n') && looks_like_marker(s, i)) {
            out += fmt::format("\\u{:04X}", static_cast<unsigned char>(ch));
        } else if (ch == '\n') {
            out += '\n';
        } else if (ch == '"') {
            bool next_quote = i + 1 < s.size() && s[i + 1] == '"';
            out += (next_quote || i + 1 == s.size()) ? "\\\"" : "\"";
        } else if (needs_escape(ch)) {
            escape_char(out, ch);
        } else {
            out += ch;
        }
    }
    return out + "\"\"\"";
}

std::string toml_string(std::string_view s) {
    return s.find('\n') == std::string_view::npos ? toml_quote(s) : toml_multiline(s);
}

class CaseWriter {
  public:
    void field(std::string_view key, std::string_view value_literal) {
        m_fields.push_back({std::string(key), fmt::format("{} = {}\n", key, value_literal)});
    }
    void text(std::string_view key, const std::string& s) { field(key, toml_string(s)); }
    void text(std::string_view key, const std::optional<std::string>& s) {
        if (s) {
            text(key, *s);
        }
    }
    void nonempty(std::string_view key, const std::string& s) {
        if (!s.empty()) {
            text(key, s);
        }
    }
    void moment(std::string_view key, const std::optional<Timestamp>& t) {
        if (t) {
            field(key, t->iso());
        }
    }
    void moment(std::string_view key, const Timestamp& t) { field(key, t.iso()); }
    void texts(std::string_view key, const std::vector<std::string>& v) {
        if (v.empty()) {
            return;
        }
        std::string list = "[";
        for (std::size_t i = 0; i < v.size(); ++i) {
            list += (i ? ", " : "") + toml_quote(v[i]);
        }
        field(key, list + "]");
    }
    std::vector<CaseField>& fields() { return m_fields; }

  private:
    std::vector<CaseField> m_fields;
};

void write_attachments(CaseWriter& w, const std::vector<Attachment>& atts) {
    if (atts.empty()) {
        return;
    }
    std::string list = "[\n";
    for (const Attachment& a : atts) {
        std::string kept = a.kept.empty() ? "" : ", kept = " + toml_quote(a.kept);
        list += fmt::format("  {{ name = {}, size = {}{} }},\n", toml_quote(a.name), a.size, kept);
    }
    w.field("attachments", list + "]");
}

void write_extensions(CaseWriter& w, const std::vector<Extension>& extensions) {
    if (extensions.empty()) {
        return;
    }
    std::string list = "[\n";
    for (const Extension& e : extensions) {
        list += fmt::format("  {{ days = {}, approved_by = {}, at = {}, reason = {} }},\n", e.days,
                            toml_quote(e.approved_by), e.at.iso(), toml_quote(e.reason));
    }
    w.field("extensions", list + "]");
}

void write_draft(CaseWriter& w, const std::optional<Draft>& draft) {
    if (!draft) {
        return;
    }
    const Draft& d = *draft;
    w.text("draft.outcome", std::string(to_string(d.outcome)));
    w.text("draft.state", std::string(to_string(d.state)));
    w.nonempty("draft.unit", d.unit);
    w.text("draft.by", d.by);
    w.moment("draft.at", d.at);
    w.field("draft.rounds", std::to_string(d.rounds));
    w.nonempty("draft.reviewer", d.reviewer);
    w.nonempty("draft.basis", d.basis);
    w.nonempty("draft.steps", d.steps);
    if (d.target_date) {
        w.field("draft.target_date", iso_day(*d.target_date));
    }
    w.nonempty("draft.report", d.report);
    w.field("draft.text", toml_multiline(d.text));
}

void write_replies(CaseWriter& w, const std::vector<Reply>& replies) {
    if (replies.empty()) {
        return;
    }
    std::string list = "[\n";
    for (const Reply& r : replies) {
        list += fmt::format("  {{ via = {}, to = {}, at = {}", toml_quote(to_string(r.via)),
                            toml_quote(r.to), r.at.iso());
        if (!r.message_id.empty()) {
            list += fmt::format(", message_id = {}", toml_quote(r.message_id));
        }
        list += " },\n";
    }
    w.field("replies", list + "]");
}

void write_history(std::string& out, const std::vector<HistoryEntry>& history) {
    out += "\n# history: one entry per change, oldest first; entries are only ever appended\n";
    for (const HistoryEntry& e : history) {
        out +=
            fmt::format("\n[[history]]\nid = {}\nat = {}\nby = {}\naction = {}\n", toml_quote(e.id),
                        e.at.iso(), toml_quote(e.by), toml_quote(e.action_name()));
        if (!e.note.empty()) {
            out += fmt::format("note = {}\n", toml_string(e.note));
        }
    }
}

} // namespace

std::string toml_quote(std::string_view s) {
    std::string out = "\"";
    for (char ch : s) {
        if (needs_escape(ch)) {
            escape_char(out, ch);
        } else {
            out += ch;
        }
    }
    return out + "\"";
}

std::vector<CaseField> case_fields(const Case& c) {
    CaseWriter w;
    w.text("id", c.id);
    w.text("status", std::string(to_string(c.status)));
    w.moment("received", c.received);
    w.text("channel", std::string(to_string(c.channel)));
    w.text("subject", c.subject);
    w.text("sender.name", c.sender.name);
    w.nonempty("sender.email", c.sender.email);
    w.nonempty("sender.phone", c.sender.phone);
    w.text("category", c.category);
    w.text("suggested_category", c.suggested_category);
    w.text("suggested_unit", c.suggested_unit);
    w.text("kind", c.kind);
    w.text("handler", c.handler);
    w.texts("co_units", c.co_units);
    w.text("leader", c.leader);
    w.text("instruction", c.instruction);
    w.moment("assigned", c.assigned);
    w.texts("returned_by", c.returned_by);
    if (c.due) {
        w.field("due", iso_day(*c.due));
    }
    write_extensions(w, c.extensions);
    w.moment("replied", c.replied);
    w.moment("closed", c.closed);
    if (c.outcome) {
        w.text("outcome", std::string(to_string(*c.outcome)));
    }
    if (c.on_time) {
        w.field("on_time", *c.on_time ? "true" : "false");
    }
    w.text("late", c.late);
    if (c.feedback) {
        w.text("feedback", std::string(to_string(*c.feedback)));
    }
    w.moment("reopened", c.reopened);
    if (c.reopened_for) {
        w.text("reopened_for", std::string(to_string(*c.reopened_for)));
    }
    w.text("exemplary", c.exemplary);
    w.texts("rejections", c.rejections);
    if (c.restricted) {
        w.field("restricted", "true");
    }
    w.text("accused", c.accused);
    if (c.solved_on_site) {
        w.field("solved_on_site", "true");
    }
    w.texts("group", c.group);
    w.text("message_id", c.message_id);
    w.text("content_hash", c.content_hash);
    write_attachments(w, c.attachments);
    w.field("body", toml_multiline(c.body));
    write_draft(w, c.draft);
    write_replies(w, c.replies);
    return std::move(w.fields());
}

const std::vector<std::string>& case_field_order() {
    // A case with every optional field set writes every key there is.
    static const std::vector<std::string> order = [] {
        Case c;
        c.sender = {"n", "e", "p"};
        c.category = c.suggested_category = c.suggested_unit = c.kind = std::string("x");
        c.handler = c.leader = c.instruction = c.late = c.exemplary = std::string("x");
        c.co_units = c.returned_by = c.rejections = c.group = {"x"};
        c.assigned = c.replied = c.closed = c.reopened = Timestamp{};
        c.due = Day{};
        c.extensions = {Extension{}};
        c.outcome = Outcome::resolved;
        c.on_time = true;
        c.feedback = Feedback::satisfied;
        c.reopened_for = Reopening::review;
        c.restricted = c.solved_on_site = true;
        c.message_id = c.content_hash = std::string("x");
        c.attachments = {Attachment{}};
        Draft d;
        d.unit = d.reviewer = d.basis = d.steps = d.report = "x";
        d.target_date = Day{};
        c.draft = d;
        c.replies = {Reply{}};
        std::vector<std::string> keys;
        for (const CaseField& f : case_fields(c)) {
            keys.push_back(f.key);
        }
        return keys;
    }();
    return order;
}

std::string assemble_case(const std::string& id, const std::vector<CaseField>& fields,
                          const std::vector<HistoryEntry>& history) {
    std::string out = "# case " + id + ": one letter and its handling, kept by mailbox\n";
    for (const CaseField& f : fields) {
        out += '\n';
        out += f.text;
    }
    write_history(out, history);
    return out;
}

std::string write_case(const Case& c) {
    return assemble_case(c.id, case_fields(c), c.history);
}

FieldKind kind_of(std::string_view key) {
    static const std::set<std::string_view> registration{
        "id",           "received",   "channel",      "subject",     "sender.name", "sender.email",
        "sender.phone", "message_id", "content_hash", "attachments", "body"};
    if (key == "group" || key == "extensions" || key == "replies") {
        return FieldKind::set;
    }
    return registration.contains(key) ? FieldKind::registration : FieldKind::handling;
}

bool is_id_collision(std::string_view ours, std::string_view theirs) {
    CaseParse a = parse_case_text(ours, "ours");
    CaseParse b = parse_case_text(theirs, "theirs");
    if (!a.value || !a.problems.empty() || !b.value || !b.problems.empty()) {
        return false;
    }
    std::map<std::string, std::string> theirs_fields;
    for (CaseField& f : case_fields(*b.value)) {
        theirs_fields.emplace(std::move(f.key), std::move(f.text));
    }
    std::size_t registered = 0;
    for (const CaseField& f : case_fields(*a.value)) {
        if (kind_of(f.key) != FieldKind::registration) {
            continue;
        }
        auto it = theirs_fields.find(f.key);
        if (it == theirs_fields.end() || (f.key != "id" && it->second != f.text)) {
            return true;
        }
        ++registered;
    }
    std::size_t theirs_registered =
        std::count_if(theirs_fields.begin(), theirs_fields.end(),
                      [](const auto& f) { return kind_of(f.first) == FieldKind::registration; });
    return theirs_registered != registered;
}

} // namespace mailbox
