#include "store/casefile.hpp"

#include "model/case_fields.hpp"
#include "model/case_id.hpp"
#include "store/field_reader.hpp"
#include "util/i18n.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <set>
#include <toml++/toml.h>

namespace mailbox {

namespace {

void read_field(FieldReader& r, std::string_view key, bool required, Sender& sender) {
    const toml::node* n = r.get(key, required);
    if (!n) {
        return;
    }
    auto s = r.sub(*n, key, std::string(key) + ".");
    if (!s) {
        return;
    }
    sender.name = s->text("name", true).value_or("");
    sender.email = s->text("email").value_or("");
    sender.phone = s->text("phone").value_or("");
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

// Each table of an array of tables: read_item(FieldReader&) for each.
// `expected` is marked N_, translated only when the value is wrong.
template <typename ReadItem>
void read_tables(FieldReader& r, std::string_view key, const char* expected, ReadItem read_item) {
    const toml::node* n = r.get(key, false);
    if (!n) {
        return;
    }
    const toml::array* a = n->as_array();
    if (!a) {
        r.wrong_type(*n, key, _(expected));
        return;
    }
    for (const toml::node& item : *a) {
        if (auto t = r.sub(item, key, std::string(key) + ".")) {
            read_item(*t);
            t->report_unknown_keys();
        }
    }
}

void read_field(FieldReader& r, std::string_view key, bool, std::vector<Attachment>& atts) {
    read_tables(r, key, N_("an array of { name, size } tables"), [&](FieldReader& t) {
        Attachment att;
        att.name = t.text("name", true).value_or("");
        if (const toml::node* size = t.get("size", true)) {
            if (auto v = size->as_integer()) {
                att.size = v->get();
            } else {
                t.wrong_type(*size, "size", _("an integer"));
            }
        }
        att.kept = t.text("kept", false).value_or("");
        // A hand edit could point anywhere: only originals/HASH.eml is ours.
        if (!att.kept.empty() && !is_original_path(att.kept)) {
            t.wrong_type(*t.get("kept", false), "kept", _("a path originals/HASH.eml"));
            att.kept.clear();
        }
        atts.push_back(std::move(att));
    });
}

void read_field(FieldReader& r, std::string_view key, bool, std::vector<Extension>& extensions) {
    read_tables(r, key, N_("an array of { days, approved_by, at, reason } tables"),
                [&](FieldReader& t) {
                    Extension e;
                    e.days = static_cast<int>(t.integer("days", 1, 3650).value_or(0));
                    e.approved_by = t.text("approved_by", true).value_or("");
                    e.at = t.moment("at", true).value_or(Timestamp{});
                    e.reason = t.text("reason").value_or("");
                    extensions.push_back(std::move(e));
                });
}

void read_field(FieldReader& r, std::string_view key, bool, std::optional<Draft>& out) {
    const toml::node* n = r.get(key, false);
    if (!n) {
        return;
    }
    auto d = r.sub(*n, key, std::string(key) + ".");
    if (!d) {
        return;
    }
    Draft draft;
    draft.outcome = d->choice<Outcome>("outcome", parse_outcome, spelling_list<Outcome>(), true)
                        .value_or(Outcome::resolved);
    draft.state =
        d->choice<DraftState>("state", parse_draft_state, spelling_list<DraftState>(), true)
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
    out = std::move(draft);
}

void read_field(FieldReader& r, std::string_view key, bool, std::vector<Reply>& replies) {
    read_tables(r, key, N_("an array of { via, to, at, message_id } tables"), [&](FieldReader& t) {
        Reply reply;
        reply.via = t.choice<ReplyVia>("via", parse_reply_via, spelling_list<ReplyVia>(), true)
                        .value_or(ReplyVia::email);
        reply.to = t.text("to", true).value_or("");
        reply.at = t.moment("at", true).value_or(Timestamp{});
        reply.message_id = t.text("message_id").value_or("");
        replies.push_back(std::move(reply));
    });
}

void read_history(FieldReader& r, Case& c) {
    read_tables(r, "history", N_("[[history]] tables"), [&](FieldReader& t) {
        c.history.push_back(history_entry(
            t.text("id", true).value_or(""), t.moment("at", true).value_or(Timestamp{}),
            t.text("by", true).value_or(""), t.text("action", true).value_or(""),
            t.text("note").value_or("")));
    });
}

// ---- the plain member types ----

void read_field(FieldReader& r, std::string_view key, bool required, std::string& v) {
    v = r.text(key, required).value_or("");
}
void read_field(FieldReader& r, std::string_view key, bool, std::optional<std::string>& v) {
    v = r.text(key);
}
void read_field(FieldReader& r, std::string_view key, bool, std::vector<std::string>& v) {
    v = r.texts(key);
}
void read_field(FieldReader& r, std::string_view key, bool required, Timestamp& v) {
    v = r.moment(key, required).value_or(Timestamp{});
}
void read_field(FieldReader& r, std::string_view key, bool, std::optional<Timestamp>& v) {
    v = r.moment(key);
}
void read_field(FieldReader& r, std::string_view key, bool, std::optional<Day>& v) {
    v = r.day(key);
}
void read_field(FieldReader& r, std::string_view key, bool, std::optional<bool>& v) {
    v = r.flag(key);
}
void read_field(FieldReader& r, std::string_view key, bool, bool& v) {
    v = r.flag(key).value_or(false);
}
template <typename E>
requires std::is_enum_v<E>
void read_field(FieldReader& r, std::string_view key, bool required, E& v) {
    v = r.choice<E>(key, parse_spelling<E>, spelling_list<E>(), required).value_or(E{});
}
template <typename E>
requires std::is_enum_v<E>
void read_field(FieldReader& r, std::string_view key, bool, std::optional<E>& v) {
    v = r.choice<E>(key, parse_spelling<E>, spelling_list<E>());
}

void check_id(FieldReader& r, const std::string& id, std::string_view expected_id) {
    const toml::node* n = r.get("id", false);
    if (!n || !n->is_string()) {
        return;
    }
    if (!parse_case_id(id)) {
        r.problem(n->source(), tr("malformed case id '{}': expected YYMMDD-TTTTSS", id));
    } else if (!expected_id.empty() && id != expected_id) {
        r.problem(n->source(),
                  tr("case id '{}' does not match its file name '{}.toml'", id, expected_id));
    }
}

void read_fields(FieldReader& r, Case& c, std::string_view expected_id) {
    each_case_field([&](const auto& f) { read_field(r, f.key, f.required, c.*f.member); });
    check_id(r, c.id, expected_id);
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

void write_field(CaseWriter& w, std::string_view key, const std::vector<Attachment>& atts) {
    if (atts.empty()) {
        return;
    }
    std::string list = "[\n";
    for (const Attachment& a : atts) {
        std::string kept = a.kept.empty() ? "" : ", kept = " + toml_quote(a.kept);
        list += fmt::format("  {{ name = {}, size = {}{} }},\n", toml_quote(a.name), a.size, kept);
    }
    w.field(key, list + "]");
}

void write_field(CaseWriter& w, std::string_view key, const std::vector<Extension>& extensions) {
    if (extensions.empty()) {
        return;
    }
    std::string list = "[\n";
    for (const Extension& e : extensions) {
        list += fmt::format("  {{ days = {}, approved_by = {}, at = {}, reason = {} }},\n", e.days,
                            toml_quote(e.approved_by), e.at.iso(), toml_quote(e.reason));
    }
    w.field(key, list + "]");
}

void write_field(CaseWriter& w, std::string_view key, const std::optional<Draft>& draft) {
    if (!draft) {
        return;
    }
    const Draft& d = *draft;
    auto sub = [&](std::string_view name) { return fmt::format("{}.{}", key, name); };
    w.text(sub("outcome"), std::string(to_string(d.outcome)));
    w.text(sub("state"), std::string(to_string(d.state)));
    w.nonempty(sub("unit"), d.unit);
    w.text(sub("by"), d.by);
    w.moment(sub("at"), d.at);
    w.field(sub("rounds"), std::to_string(d.rounds));
    w.nonempty(sub("reviewer"), d.reviewer);
    w.nonempty(sub("basis"), d.basis);
    w.nonempty(sub("steps"), d.steps);
    if (d.target_date) {
        w.field(sub("target_date"), iso_day(*d.target_date));
    }
    w.nonempty(sub("report"), d.report);
    w.field(sub("text"), toml_multiline(d.text));
}

void write_field(CaseWriter& w, std::string_view key, const Sender& s) {
    w.text(fmt::format("{}.name", key), s.name);
    w.nonempty(fmt::format("{}.email", key), s.email);
    w.nonempty(fmt::format("{}.phone", key), s.phone);
}

void write_field(CaseWriter& w, std::string_view key, const std::vector<Reply>& replies) {
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
    w.field(key, list + "]");
}

void write_field(CaseWriter& w, std::string_view key, const std::string& s) {
    w.text(key, s);
}
void write_field(CaseWriter& w, std::string_view key, const std::optional<std::string>& s) {
    w.text(key, s);
}
void write_field(CaseWriter& w, std::string_view key, const std::vector<std::string>& v) {
    w.texts(key, v);
}
void write_field(CaseWriter& w, std::string_view key, const Timestamp& t) {
    w.moment(key, t);
}
void write_field(CaseWriter& w, std::string_view key, const std::optional<Timestamp>& t) {
    w.moment(key, t);
}
void write_field(CaseWriter& w, std::string_view key, const std::optional<Day>& d) {
    if (d) {
        w.field(key, iso_day(*d));
    }
}
void write_field(CaseWriter& w, std::string_view key, const std::optional<bool>& b) {
    if (b) {
        w.field(key, *b ? "true" : "false");
    }
}
// A flag is written only when set: most cases are neither restricted nor
// solved on site, and their files say nothing of it.
void write_field(CaseWriter& w, std::string_view key, bool b) {
    if (b) {
        w.field(key, "true");
    }
}
template <typename E>
requires std::is_enum_v<E>
void write_field(CaseWriter& w, std::string_view key, E e) {
    w.text(key, std::string(to_string(e)));
}
template <typename E>
requires std::is_enum_v<E>
void write_field(CaseWriter& w, std::string_view key, const std::optional<E>& e) {
    if (e) {
        write_field(w, key, *e);
    }
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

// A value that makes write_field write every key the field can have.
void set_for_order(std::string& s) {
    s = "x";
}
void set_for_order(std::optional<std::string>& s) {
    s = "x";
}
void set_for_order(std::vector<std::string>& v) {
    v = {"x"};
}
void set_for_order(Timestamp&) {}
void set_for_order(std::optional<Timestamp>& t) {
    t = Timestamp{};
}
void set_for_order(std::optional<Day>& d) {
    d = Day{};
}
void set_for_order(std::optional<bool>& b) {
    b = true;
}
void set_for_order(bool& b) {
    b = true;
}
void set_for_order(Sender& s) {
    s = {"n", "e", "p"};
}
template <typename T>
void set_for_order(std::vector<T>& v) {
    v = {T{}};
}
void set_for_order(std::optional<Draft>& draft) {
    Draft d;
    d.unit = d.reviewer = d.basis = d.steps = d.report = "x";
    d.target_date = Day{};
    draft = d;
}
template <typename E>
requires std::is_enum_v<E>
void set_for_order(E&) {}
template <typename E>
requires std::is_enum_v<E>
void set_for_order(std::optional<E>& e) {
    e = E{};
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
    each_case_field([&](const auto& f) {
        const auto& value = c.*f.member;
        if constexpr (std::is_same_v<std::decay_t<decltype(value)>, std::string>) {
            if (f.block) {
                w.field(f.key, toml_multiline(value));
                return;
            }
        }
        write_field(w, f.key, value);
    });
    return std::move(w.fields());
}

const std::vector<std::string>& case_field_order() {
    // A case with every optional field set writes every key there is.
    static const std::vector<std::string> order = [] {
        Case c;
        each_case_field([&](const auto& f) { set_for_order(c.*f.member); });
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
