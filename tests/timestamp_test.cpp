#include "test_util.hpp"
#include "timestamp.hpp"

#include <catch2/catch.hpp>

using namespace mailbox;
using namespace mailbox::test;

namespace {

std::string parsed(const std::string& text) {
    auto t = parse_timestamp(text, shanghai());
    return t ? t->iso() : "none";
}

} // namespace

TEST_CASE("date-times as clerks, forms and Excel write them") {
    CHECK(parsed("2026-11-25T09:30:00+08:00") == "2026-11-25T09:30:00+08:00");
    CHECK(parsed("2026-11-25T01:30:00Z") == "2026-11-25T01:30:00+00:00");
    CHECK(parsed("2019-02-28 11:25:05") == "2019-02-28T11:25:05+08:00");
    CHECK(parsed("2019/2/28 11:25") == "2019-02-28T11:25:00+08:00");
    CHECK(parsed("2019/2/8 9:05") == "2019-02-08T09:05:00+08:00");
    CHECK(parsed("2026-11-25") == "2026-11-25T00:00:00+08:00");
    CHECK(parsed("yesterday") == "none");
    CHECK(parsed("19/2/28 11:25") == "none");
    CHECK(parsed("2026-11-25 25:00") == "none");
}

TEST_CASE("a moment shown in another zone keeps its instant") {
    Timestamp utc = parse_timestamp("2026-11-24T20:00:00Z", shanghai()).value();
    Timestamp local = in_zone(utc.sys(), shanghai());
    CHECK(local.iso() == "2026-11-25T04:00:00+08:00");
    CHECK(local.day() == day(2026, 11, 25));
    CHECK(local == in_zone(local.sys(), shanghai()));
    CHECK_FALSE(utc < local);
    CHECK_FALSE(local < utc);
}

TEST_CASE("days") {
    CHECK(parse_day("2026-02-29") == std::nullopt);
    CHECK(parse_day("2028-02-29") == day(2028, 2, 29));
    CHECK(parse_day("2026-1-5") == std::nullopt);
    CHECK(iso_day(day(2026, 1, 5)) == "2026-01-05");
    CHECK(days_between(day(2026, 12, 30), day(2027, 1, 2)) == 3);
}
