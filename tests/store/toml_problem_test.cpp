#include "store/toml_problem.hpp"

#include <catch2/catch.hpp>
#include <toml++/toml.h>

using namespace mailbox;

namespace {

// What toml++ itself says of a text it cannot parse.
std::string description_of(std::string_view text) {
    try {
        toml::parse(text);
    } catch (const toml::parse_error& e) {
        return std::string(e.description());
    }
    FAIL("parsed: " << text);
    return "";
}

} // namespace

TEST_CASE("toml_problem gives toml++'s English back whole when there is no translation") {
    // The tests run without a catalogue: every piece taken apart and put
    // together again must give the very words toml++ wrote.
    for (std::string_view text :
         {"subject = \n", "x = \"abc\n", "[a\n", "a = 1\na = 2\n", "a = 01\n", "a = \"\\q\"\n",
          "a = [1,,]\n", "[a]\n[a]\n", "a = 1979-05-27T07:32:00Z x\n", "a = { b = 1, }\n"}) {
        std::string d = description_of(text);
        INFO(text);
        CHECK(d.starts_with("Error while parsing "));
        CHECK(toml_problem(d) == d);
    }
}

TEST_CASE("toml_problem leaves a text that is not toml++'s as it is") {
    CHECK(toml_problem("something else: entirely") == "something else: entirely");
    CHECK(toml_problem("") == "");
}
