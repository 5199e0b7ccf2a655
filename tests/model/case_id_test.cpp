#include "model/case_id.hpp"
#include "test_util.hpp"

#include <catch2/catch.hpp>

using namespace mailbox;
using mailbox::test::day;

TEST_CASE("case ids round-trip through their parts") {
    CaseIdParts p{day(2026, 11, 25), 345678, "K7"};
    std::string id = make_case_id(p);
    CHECK(id.size() == 13);
    CHECK(id.substr(0, 7) == "261125-");
    auto back = parse_case_id(id);
    REQUIRE(back);
    CHECK(back->day == p.day);
    CHECK(back->tenths == p.tenths);
    CHECK(back->station == "K7");
}

TEST_CASE("case ids sort by registration time") {
    std::string a = make_case_id({day(2026, 11, 25), 9, "ZZ"});
    std::string b = make_case_id({day(2026, 11, 25), 10, "00"});
    std::string c = make_case_id({day(2026, 11, 25), k_tenths_per_day - 1, "00"});
    std::string d = make_case_id({day(2026, 11, 26), 0, "00"});
    CHECK(a < b);
    CHECK(b < c);
    CHECK(c < d);
}

TEST_CASE("malformed ids and path tricks are not case ids") {
    for (const char* bad :
         {"", "261125", "261125-8K2QM", "261125-8K2QM77", "../../etc/x", "261125/8K2QM7",
          "261332-8K2QM7", "261125-8K2QMU", "261125_8K2QM7", "261125-ZZZZ00"}) {
        INFO(bad);
        CHECK_FALSE(parse_case_id(bad));
    }
}

TEST_CASE("typed ids are normalised: case and look-alike letters") {
    CHECK(normalize_case_id("261125-8k2qm7") == "261125-8K2QM7");
    CHECK(normalize_case_id("261125-0iLo") == "261125-0110");
}

TEST_CASE("the year folder comes from the id's first two digits") {
    CHECK(case_id_year("261125-8K2QM7") == 2026);
    CHECK(case_id_year("25") == 2025);
    CHECK_FALSE(case_id_year("2"));
    CHECK_FALSE(case_id_year("x5"));
}

TEST_CASE("crockford digits avoid I, L, O and U") {
    for (char ch : k_crockford) {
        CHECK(std::string("ILOU").find(ch) == std::string::npos);
    }
    CHECK(crockford(0, 4) == "0000");
    CHECK(crockford(31, 2) == "0Z");
    CHECK(crockford(32, 2) == "10");
}
