#include "util/i18n.hpp"

#include <catch2/catch.hpp>

using namespace mailbox;

// The tests run in the C locale: every message is its English.

TEST_CASE("without a catalogue a message is its English") {
    CHECK(std::string(_("STATUS")) == "STATUS");
    CHECK(std::string(C_("status", "received")) == "received");
    CHECK(std::string(N_("marked")) == "marked");
    CHECK(std::string(NC_("status", "closed")) == "closed");
}

TEST_CASE("a plural is chosen by its number, as English chooses") {
    CHECK(std::string(P_("{} case", "{} cases", 1)) == "{} case");
    CHECK(std::string(P_("{} case", "{} cases", 0)) == "{} cases");
    CHECK(trn("{} case", "{} cases", 3, 3) == "3 cases");
    CHECK(trn("{} case", "{} cases", 1, 1) == "1 case");
}

TEST_CASE("a message's placeholders are filled as fmt fills them, in any order") {
    CHECK(tr("{} (see '{} --help')", "bad", "mailbox-report") ==
          "bad (see 'mailbox-report --help')");
    CHECK(format_translated("{1}：{0}", "{}: {}", fmt::make_format_args("a", "b")) == "b：a");
}

TEST_CASE("a translation whose placeholders do not fit falls back to the English") {
    CHECK(format_translated("{2}", "{}", fmt::make_format_args("x")) == "x");
    CHECK(format_translated("{", "{}!", fmt::make_format_args("x")) == "x!");
}
