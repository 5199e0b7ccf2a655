#include "format/output.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <fmt/format.h>
#include <utf8proc.h>

namespace mailbox {

Value Value::texts(const std::vector<std::string>& v) {
    Array a;
    for (const auto& s : v) {
        a.emplace_back(s);
    }
    return Value(std::move(a));
}

bool Value::is_number() const {
    return std::holds_alternative<std::int64_t>(m_v) || std::holds_alternative<double>(m_v);
}

const Value::Object* Value::object() const {
    auto p = std::get_if<std::shared_ptr<Object>>(&m_v);
    return p ? p->get() : nullptr;
}

const Value::Array* Value::array() const {
    auto p = std::get_if<std::shared_ptr<Array>>(&m_v);
    return p ? p->get() : nullptr;
}

const Value* Value::get(std::string_view key) const {
    if (const Object* o = object()) {
        for (const auto& [k, v] : *o) {
            if (k == key) {
                return &v;
            }
        }
    }
    return nullptr;
}

std::string Value::cell() const {
    struct Visit {
        std::string operator()(std::monostate) const { return ""; }
        std::string operator()(bool b) const { return b ? "true" : "false"; }
        std::string operator()(std::int64_t i) const { return std::to_string(i); }
        std::string operator()(double d) const { return fmt::format("{}", d); }
        std::string operator()(const std::string& s) const { return s; }
        std::string operator()(const std::shared_ptr<Array>& a) const {
            std::string out;
            for (std::size_t i = 0; i < a->size(); ++i) {
                out += (i ? "," : "") + (*a)[i].cell();
            }
            return out;
        }
        std::string operator()(const std::shared_ptr<Object>&) const { return "{...}"; }
    };
    return std::visit(Visit{}, m_v);
}

namespace {

constexpr utf8proc_int32_t k_not_utf8 = -1;

// Calls f(bytes, code_point) for each character; a byte that is not part of
// valid UTF-8 comes alone, as k_not_utf8. utf8proc refuses overlong forms,
// surrogates and code points past U+10FFFF.
template <typename F>
void each_code_point(std::string_view s, F f) {
    auto p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
    for (std::size_t i = 0; i < s.size();) {
        utf8proc_int32_t cp;
        auto n = utf8proc_iterate(p + i, static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
        std::size_t len = n <= 0 ? 1 : static_cast<std::size_t>(n);
        f(s.substr(i, len), n <= 0 ? k_not_utf8 : cp);
        i += len;
    }
}

// One character of a JSON string: a byte that is not UTF-8 would make the
// whole document unreadable to a strict parser.
void json_char(std::string& out, std::string_view bytes, utf8proc_int32_t cp) {
    switch (cp) {
    case k_not_utf8:
        out += "\\ufffd";
        break;
    case '"':
        out += "\\\"";
        break;
    case '\\':
        out += "\\\\";
        break;
    case '\n':
        out += "\\n";
        break;
    case '\r':
        out += "\\r";
        break;
    case '\t':
        out += "\\t";
        break;
    default:
        if (cp < 0x20 || cp == 0x7f) {
            out += fmt::format("\\u{:04x}", cp);
        } else {
            out += bytes;
        }
    }
}

// The bytes that end a run of characters going out as they are: a quote,
// a backslash, a control character, and the first byte of any non-ASCII
// character (checked as UTF-8).
constexpr std::array<bool, 256> k_ends_run = [] {
    std::array<bool, 256> t{};
    for (int c = 0; c < 0x20; ++c) {
        t[c] = true;
    }
    for (int c = 0x7f; c < 0x100; ++c) {
        t[c] = true;
    }
    t['"'] = t['\\'] = true;
    return t;
}();

// The length of the well-formed UTF-8 character at p (of n bytes), or 0.
// Chinese text is almost all three-byte characters, checked here; the rest
// goes to utf8proc, which also refuses overlong forms and surrogates.
std::size_t utf8_length(const utf8proc_uint8_t* p, std::size_t n) {
    bool three = n >= 3 && p[0] >= 0xE1 && p[0] <= 0xEF && p[0] != 0xED && (p[1] & 0xC0) == 0x80 &&
                 (p[2] & 0xC0) == 0x80;
    if (three) {
        return 3;
    }
    utf8proc_int32_t cp;
    auto len = utf8proc_iterate(p, static_cast<utf8proc_ssize_t>(n), &cp);
    return len > 0 ? static_cast<std::size_t>(len) : 0;
}

// Runs of characters that need no escape go out whole: a listing of
// 100,000 cases is mostly such runs.
void json_string(std::string& out, std::string_view s) {
    out += '"';
    auto p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
    std::size_t n = s.size();
    std::size_t kept = 0; // s[kept, i) goes out as it is
    for (std::size_t i = 0; i < n;) {
        if (!k_ends_run[p[i]]) {
            ++i;
            continue;
        }
        if (p[i] >= 0x80) {
            if (std::size_t len = utf8_length(p + i, n - i)) {
                i += len;
                continue;
            }
        }
        out.append(s.substr(kept, i - kept));
        json_char(out, s.substr(i, 1), p[i] >= 0x80 ? k_not_utf8 : p[i]);
        kept = ++i;
    }
    out.append(s.substr(kept));
    out += '"';
}

void newline(std::string& out, int indent, int depth) {
    out += '\n';
    out.append(static_cast<std::size_t>(indent * depth), ' ');
}

} // namespace

void Value::write_json(std::string& out, int indent, int depth) const {
    if (const Array* a = array()) {
        if (a->empty()) {
            out += "[]";
            return;
        }
        out += '[';
        for (std::size_t i = 0; i < a->size(); ++i) {
            out += i ? "," : "";
            newline(out, indent, depth + 1);
            (*a)[i].write_json(out, indent, depth + 1);
        }
        newline(out, indent, depth);
        out += ']';
    } else if (const Object* o = object()) {
        if (o->empty()) {
            out += "{}";
            return;
        }
        out += '{';
        for (std::size_t i = 0; i < o->size(); ++i) {
            out += i ? "," : "";
            newline(out, indent, depth + 1);
            json_string(out, (*o)[i].first);
            out += ": ";
            (*o)[i].second.write_json(out, indent, depth + 1);
        }
        newline(out, indent, depth);
        out += '}';
    } else if (auto s = std::get_if<std::string>(&m_v)) {
        json_string(out, *s);
    } else if (auto d = std::get_if<double>(&m_v); is_null() || (d && !std::isfinite(*d))) {
        out += "null"; // JSON has no NaN or infinity
    } else {
        out += cell();
    }
}

void Fields::json_key(std::string_view key) {
    *m_json += m_count++ ? "," : "{";
    newline(*m_json, m_indent, m_depth + 1);
    json_string(*m_json, key);
    *m_json += ": ";
}

void Fields::put(std::string_view key, std::string_view text) {
    if (m_object) {
        m_object->emplace_back(std::string(key), Value(std::string(text)));
        return;
    }
    json_key(key);
    json_string(*m_json, text);
}

void Fields::put(std::string_view key, bool b) {
    if (m_object) {
        m_object->emplace_back(std::string(key), Value(b));
        return;
    }
    json_key(key);
    *m_json += b ? "true" : "false";
}

void Fields::put(std::string_view key, std::int64_t i) {
    if (m_object) {
        m_object->emplace_back(std::string(key), Value(i));
        return;
    }
    json_key(key);
    fmt::format_to(std::back_inserter(*m_json), "{}", i);
}

void Fields::put(std::string_view key, const std::vector<std::string>& texts) {
    if (m_object) {
        m_object->emplace_back(std::string(key), Value::texts(texts));
        return;
    }
    json_key(key);
    if (texts.empty()) {
        *m_json += "[]";
        return;
    }
    *m_json += '[';
    for (std::size_t i = 0; i < texts.size(); ++i) {
        *m_json += i ? "," : "";
        newline(*m_json, m_indent, m_depth + 2);
        json_string(*m_json, texts[i]);
    }
    newline(*m_json, m_indent, m_depth + 1);
    *m_json += ']';
}

void Fields::put_null(std::string_view key) {
    if (m_object) {
        m_object->emplace_back(std::string(key), Value());
        return;
    }
    json_key(key);
    *m_json += "null";
}

void Fields::finish() {
    if (!m_json) {
        return;
    }
    if (m_count == 0) {
        *m_json += "{}";
        return;
    }
    newline(*m_json, m_indent, m_depth);
    *m_json += '}';
}

std::string to_json(const Value& v) {
    std::string out;
    v.write_json(out, 2);
    return out + "\n";
}

std::optional<Format> parse_format(std::string_view s) {
    if (s == "table") {
        return Format::table;
    }
    if (s == "json") {
        return Format::json;
    }
    if (s == "csv") {
        return Format::csv;
    }
    if (s == "tsv") {
        return Format::tsv;
    }
    if (s == "md") {
        return Format::markdown;
    }
    return std::nullopt;
}

namespace {

// Calls f(codepoint_bytes, width) for each character; a byte that is not
// valid UTF-8 counts as one column of its own.
template <typename F>
void each_char(std::string_view s, F f) {
    each_code_point(s, [&](std::string_view bytes, utf8proc_int32_t cp) {
        int w = cp == k_not_utf8 || cp == '\t' ? 1 : utf8proc_charwidth(cp);
        f(bytes, std::max(w, 0));
    });
}

} // namespace

int display_width(std::string_view s) {
    int w = 0;
    each_char(s, [&](std::string_view, int cw) { w += cw; });
    return w;
}

std::string fit_width(std::string_view s, int width) {
    if (display_width(s) <= width) {
        return std::string(s);
    }
    std::string out;
    int used = 0;
    bool full = false;
    each_char(s, [&](std::string_view ch, int cw) {
        if (full || used + cw > width - 1) {
            full = true;
            return;
        }
        out += ch;
        used += cw;
    });
    return width > 0 ? out + "…" : out;
}

namespace {

bool is_bidi_control(utf8proc_int32_t cp) {
    return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069);
}

} // namespace

std::string visible_text(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    each_code_point(s, [&](std::string_view bytes, utf8proc_int32_t cp) {
        if (cp == k_not_utf8) {
            out += "\uFFFD";
        } else if (cp == 0x7f) {
            out += "\u2421";
        } else if (cp < 0x20 && cp != '\n' && cp != '\t') {
            // U+2400 + the control's code: E2 90 80+code in UTF-8.
            out += "\xE2\x90";
            out += static_cast<char>(0x80 + cp);
        } else if ((cp >= 0x80 && cp <= 0x9f) || is_bidi_control(cp)) {
            out += fmt::format("<U+{:04X}>", cp);
        } else {
            out += bytes;
        }
    });
    return out;
}

namespace {

std::string one_line(std::string s) {
    std::replace_if(
        s.begin(), s.end(), [](char c) { return c == '\n' || c == '\r' || c == '\t'; }, ' ');
    return s;
}

std::string csv_cell(const std::string& s) {
    if (s.find_first_of(",\"\r\n") == std::string::npos) {
        return s;
    }
    std::string out = "\"";
    for (char ch : s) {
        out += ch == '"' ? "\"\"" : std::string(1, ch);
    }
    return out + "\"";
}

// "-3", "+12.5%": a spreadsheet reads such text as the number, never as a
// formula.
bool plain_number(std::string_view s) {
    std::size_t i = s.starts_with('+') || s.starts_with('-') ? 1 : 0;
    std::size_t digits = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
        ++i;
    }
    if (i == digits) {
        return false;
    }
    if (i < s.size() && s[i] == '.') {
        std::size_t fraction = ++i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
            ++i;
        }
        if (i == fraction) {
            return false;
        }
    }
    return s.substr(i).empty() || s.substr(i) == "%";
}

// Excel and WPS run a cell that starts with = + - or @ as a formula (tab
// and CR too, OWASP warns), and a letter's subject is the public's text:
// "=HYPERLINK(...)" or "=cmd|' /C calc'!A0" must stay text. A leading "'"
// makes it text.
std::string spreadsheet_cell(const Value* v) {
    std::string text = v ? v->cell() : "";
    if (v && !v->is_number() && !text.empty() &&
        std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos &&
        !plain_number(text)) {
        return "'" + text;
    }
    return text;
}

std::string tsv_cell(const std::string& s) {
    std::string out;
    for (char ch : s) {
        switch (ch) {
        case '\t':
            out += "\\t";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\\':
            out += "\\\\";
            break;
        default:
            out += ch;
        }
    }
    return out;
}

std::vector<std::string> delimited_keys(const Value* first, const std::vector<Column>& columns) {
    std::vector<std::string> keys;
    if (first && first->object()) {
        for (const auto& [k, v] : *first->object()) {
            keys.push_back(k);
        }
    } else {
        for (const Column& c : columns) {
            keys.push_back(c.key);
        }
    }
    return keys;
}

// One line of csv or tsv: the keys themselves (the header), or a record's
// cells under them.
void delimited_line(std::string& out, Format format, const std::vector<std::string>& keys,
                    const Value* record) {
    auto cell = format == Format::csv ? csv_cell : tsv_cell;
    char sep = format == Format::csv ? ',' : '\t';
    for (std::size_t i = 0; i < keys.size(); ++i) {
        if (i) {
            out += sep;
        }
        out += record ? cell(spreadsheet_cell(record->get(keys[i]))) : cell(keys[i]);
    }
    out += format == Format::csv ? "\r\n" : "\n";
}

void print_table(std::ostream& out, const std::vector<Value>& records,
                 const std::vector<Column>& columns, int max_width) {
    std::vector<std::vector<std::string>> cells;
    std::vector<int> widths;
    for (const Column& c : columns) {
        widths.push_back(display_width(c.header));
    }
    for (const Value& r : records) {
        auto& row = cells.emplace_back();
        for (std::size_t i = 0; i < columns.size(); ++i) {
            const Value* v = r.get(columns[i].key);
            row.push_back(visible_text(one_line(v ? v->cell() : "")));
            widths[i] = std::max(widths[i], display_width(row.back()));
        }
    }
    if (max_width > 0 && !widths.empty()) {
        int others = 0;
        for (std::size_t i = 0; i + 1 < widths.size(); ++i) {
            others += widths[i] + 2;
        }
        widths.back() = std::max(std::min(widths.back(), max_width - others), 8);
    }
    auto print_row = [&](const std::vector<std::string>& row) {
        std::string line;
        for (std::size_t i = 0; i < row.size(); ++i) {
            bool last = i + 1 == row.size();
            std::string text = last ? fit_width(row[i], widths[i]) : row[i];
            line += text;
            if (!last) {
                line.append(static_cast<std::size_t>(widths[i] - display_width(text) + 2), ' ');
            }
        }
        while (!line.empty() && line.back() == ' ') {
            line.pop_back();
        }
        out << line << '\n';
    };
    std::vector<std::string> header;
    for (const Column& c : columns) {
        header.push_back(c.header);
    }
    print_row(header);
    for (const auto& row : cells) {
        print_row(row);
    }
}

} // namespace

namespace {

// A Markdown (GFM) table of the table's columns; a | or a line break in a
// cell would end it, so they are escaped and folded, and < > & are entities:
// a Markdown viewer passes HTML through.
void print_markdown(std::ostream& out, const std::vector<Value>& records,
                    const std::vector<Column>& columns) {
    auto cell = [](const std::string& text) {
        std::string out;
        for (char ch : visible_text(one_line(text))) {
            out += ch == '|'   ? std::string("\\|")
                   : ch == '<' ? std::string("&lt;")
                   : ch == '>' ? std::string("&gt;")
                   : ch == '&' ? std::string("&amp;")
                               : std::string(1, ch);
        }
        return out;
    };
    std::string head = "|", rule = "|";
    for (const Column& c : columns) {
        head += " " + cell(c.header) + " |";
        rule += " --- |";
    }
    out << head << '\n' << rule << '\n';
    for (const Value& r : records) {
        std::string line = "|";
        for (const Column& c : columns) {
            const Value* v = r.get(c.key);
            line += " " + cell(v ? v->cell() : "") + " |";
        }
        out << line << '\n';
    }
}

} // namespace

std::vector<Column> columns_of(const Value& record) {
    std::vector<Column> columns;
    for (const auto& [key, value] : *record.object()) {
        columns.push_back({key, key});
    }
    return columns;
}

RecordPrinter::RecordPrinter(std::ostream& out, Format format, std::vector<Column> columns,
                             int max_width)
    : m_out(out), m_format(format), m_columns(std::move(columns)), m_max_width(max_width) {}

RecordPrinter::~RecordPrinter() = default;

bool RecordPrinter::streams() const {
    return m_format == Format::json || m_format == Format::csv || m_format == Format::tsv;
}

void RecordPrinter::add(Value record) {
    if (!streams()) {
        m_kept.push_back(std::move(record));
        return;
    }
    if (m_format == Format::json) {
        m_buf += m_count ? "," : "[";
        newline(m_buf, 2, 1);
        record.write_json(m_buf, 2, 1);
    } else {
        if (m_count == 0) {
            m_keys = delimited_keys(&record, m_columns);
            delimited_line(m_buf, m_format, m_keys, nullptr);
        }
        delimited_line(m_buf, m_format, m_keys, &record);
    }
    ++m_count;
    flush_when_full();
}

// Written as it goes: a list of 100,000 cases is never held whole.
void RecordPrinter::flush_when_full() {
    if (m_buf.size() >= 1 << 16) {
        m_out << m_buf;
        m_buf.clear();
    }
}

void RecordPrinter::add(const std::function<void(Fields&)>& fields) {
    if (m_format != Format::json) {
        Value::Object o;
        Fields f(o);
        fields(f);
        add(Value(std::move(o)));
        return;
    }
    m_buf += m_count ? "," : "[";
    newline(m_buf, 2, 1);
    Fields f(m_buf, 2, 1);
    fields(f);
    f.finish();
    ++m_count;
    flush_when_full();
}

void RecordPrinter::finish() {
    switch (m_format) {
    case Format::json:
        m_buf += m_count ? "\n]\n" : "[]\n";
        break;
    case Format::csv:
    case Format::tsv:
        if (m_count == 0) {
            delimited_line(m_buf, m_format, delimited_keys(nullptr, m_columns), nullptr);
        }
        break;
    case Format::table:
        print_table(m_out, m_kept, m_columns, m_max_width);
        break;
    case Format::markdown:
        print_markdown(m_out, m_kept, m_columns);
        break;
    }
    m_out << m_buf;
    m_buf.clear();
    m_kept.clear();
}

void print_records(std::ostream& out, Format format, const std::vector<Value>& records,
                   const std::vector<Column>& columns, int max_width) {
    RecordPrinter printer(out, format, columns, max_width);
    for (const Value& r : records) {
        printer.add(r);
    }
    printer.finish();
}

std::string excel_csv(std::string_view csv) {
    std::string out = "\xEF\xBB\xBF";
    out.reserve(csv.size() + csv.size() / 16 + 3);
    for (std::size_t i = 0; i < csv.size(); ++i) {
        if (csv[i] == '\n' && (i == 0 || csv[i - 1] != '\r')) {
            out += '\r';
        }
        out += csv[i];
    }
    return out;
}

} // namespace mailbox
