#include "output.hpp"

#include <catch2/catch.hpp>
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
