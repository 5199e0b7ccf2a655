// One printer for every format (as notmuch's sprinter): commands build
// records as Values, and this file renders them as an aligned table, JSON,
// CSV or TSV. JSON keeps absent values as null; csv/tsv leave them empty.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace mailbox {

class Value {
  public:
    using Array = std::vector<Value>;
    using Object = std::vector<std::pair<std::string, Value>>;

    Value() = default; // null
    Value(bool b) : m_v(b) {}
    Value(int i) : m_v(static_cast<std::int64_t>(i)) {}
    Value(std::int64_t i) : m_v(i) {}
    Value(double d) : m_v(d) {}
    Value(std::string s) : m_v(std::move(s)) {}
    Value(const char* s) : m_v(std::string(s)) {}
    Value(Array a) : m_v(std::make_shared<Array>(std::move(a))) {}
    Value(Object o) : m_v(std::make_shared<Object>(std::move(o))) {}
    template <typename T>
    Value(const std::optional<T>& o) : Value(o ? Value(*o) : Value()) {}
    static Value texts(const std::vector<std::string>& v);

    bool is_null() const { return std::holds_alternative<std::monostate>(m_v); }
    bool is_number() const;
    const Object* object() const;
    const Array* array() const;
    const Value* get(std::string_view key) const; // in an object

    // The value as one cell of a table, csv or tsv: lists joined with ','.
    std::string cell() const;
    // Valid JSON whatever the value holds: a byte that is not UTF-8 becomes
    // \ufffd (one per byte), NaN and the infinities null.
    void write_json(std::string& out, int indent, int depth = 0) const;

  private:
    std::variant<std::monostate, bool, std::int64_t, double, std::string, std::shared_ptr<Array>,
                 std::shared_ptr<Object>>
        m_v;
};

enum class Format { table, json, csv, tsv, markdown };
std::optional<Format> parse_format(std::string_view s);

std::string to_json(const Value& v); // pretty, two-space indent, newline-terminated

// Display columns of UTF-8 text: CJK characters take two (utf8proc).
int display_width(std::string_view s);
// Cut to at most `width` columns, ending in "…" when cut.
std::string fit_width(std::string_view s, int width);

// Text as a terminal should show it. A letter's control characters would
// otherwise drive the terminal (set the window title, clear the screen,
// write the clipboard) or reorder the line, so C0 controls but newline and
// tab, and DEL, become their Unicode control pictures (ESC: "␛"), C1
// controls and bidirectional marks, embeddings, overrides and isolates
// become "<U+202E>", and a byte that is not UTF-8 becomes U+FFFD.
std::string visible_text(std::string_view s);

struct Column {
    std::string key;    // in each record
    std::string header; // shown above a table
};

// Every key of a record, each its own header: the csv and tsv header of a
// kind of record, taken from a sample so that it holds even with no rows.
std::vector<Column> columns_of(const Value& record);

// Prints records (objects). `columns` is what a table shows; csv and tsv
// print every key of the records; json prints them whole. A table whose
// lines would be wider than `max_width` (0: no limit) cuts its last column.
// Tables and Markdown show text through visible_text. In csv and tsv, a
// text cell that starts with = + - @, tab or CR gets a leading "'", so
// that Excel or WPS shows it rather than running it as a formula; numbers,
// and text that is a plain number such as "-3" or "+12.5%", stay as they are.
void print_records(std::ostream& out, Format format, const std::vector<Value>& records,
                   const std::vector<Column>& columns, int max_width = 0);

// print_records one record at a time: json, csv and tsv are written as the
// records come (a list of 100,000 cases is never held whole, in records or
// in text); a table and Markdown size their columns from every row, so they
// keep the rows and print them at finish(). The csv and tsv header is the
// first record's keys, else (no record) the columns' keys.
// A record given field by field, as its maker walks it: the same fields
// become a Value (object()), or go straight into JSON text, without a
// tree of Values between. A list of 100,000 cases spent a fifth of its time
// building and freeing those trees.
class Fields {
  public:
    explicit Fields(Value::Object& into) : m_object(&into) {}
    // JSON of the record as Value::write_json(out, indent, depth) writes it.
    Fields(std::string& json, int indent, int depth)
        : m_json(&json), m_indent(indent), m_depth(depth) {}
    Fields(const Fields&) = delete;
    Fields& operator=(const Fields&) = delete;

    void put(std::string_view key, std::string_view text);
    void put(std::string_view key, const std::string& text) { put(key, std::string_view(text)); }
    void put(std::string_view key, const char* text) { put(key, std::string_view(text)); }
    void put(std::string_view key, bool b);
    void put(std::string_view key, int i) { put(key, std::int64_t{i}); }
    void put(std::string_view key, std::int64_t i);
    void put(std::string_view key, const std::vector<std::string>& texts);
    void put_null(std::string_view key);
    template <typename T>
    void put(std::string_view key, const std::optional<T>& o) {
        o ? put(key, *o) : put_null(key);
    }
    // Ends the JSON object; nothing for an object of Values.
    void finish();

  private:
    void json_key(std::string_view key);

    Value::Object* m_object = nullptr;
    std::string* m_json = nullptr;
    int m_indent = 0;
    int m_depth = 0;
    std::size_t m_count = 0;
};

class RecordPrinter {
  public:
    RecordPrinter(std::ostream& out, Format format, std::vector<Column> columns, int max_width = 0);
    ~RecordPrinter();
    RecordPrinter(const RecordPrinter&) = delete;
    RecordPrinter& operator=(const RecordPrinter&) = delete;

    void add(Value record);
    // A record given by `fields` (see Fields): json is written from it
    // directly, the other formats take it as a Value.
    void add(const std::function<void(Fields&)>& fields);
    // Ends the output (the JSON array's bracket, a table); call once.
    void finish();

  private:
    bool streams() const;
    void flush_when_full();

    std::ostream& m_out;
    Format m_format;
    std::vector<Column> m_columns;
    int m_max_width;
    std::size_t m_count = 0;
    std::string m_buf;
    std::vector<std::string> m_keys; // csv and tsv: the header's
    std::vector<Value> m_kept;       // table and Markdown
};

// CSV as Excel on a Chinese Windows opens it: a UTF-8 byte order mark (else
// it reads GBK) and CRLF line ends.
std::string excel_csv(std::string_view csv);

} // namespace mailbox
