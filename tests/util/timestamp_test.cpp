#include "test_util.hpp"
#include "util/timestamp.hpp"

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

TEST_CASE("a separator with no digit after it is no time, and reads nothing undefined") {
    // date::parse converted seconds it never read after a colon, and negated
    // an offset it never read after a sign (UndefinedBehaviorSanitizer: nan
    // is outside the range of 'long'; negation of -9223372036854775808).
    CHECK(parsed("2026-11-21 21:40: 11") == "none");
    CHECK(parsed("2026-11-25T09:30:") == "none");
    CHECK(parsed("9999-1-3T3:5:") == "none");
    CHECK(parsed("2026-11-25T09:30:x+08:00") == "none");
    CHECK(parsed("2026-11-20T09:30-:18") == "none");
    CHECK(parsed("2026-11-20T09:30:00-") == "none");
}

TEST_CASE("an offset of a day or more is no time: a case file could not hold it") {
    CHECK(parsed("2026-11-25T09:30:00+24:00") == "none");
    CHECK(parsed("2026-11-25T09:30:00+23:60") == "none");
    CHECK(parsed("2026-11-25T09:30+99:99") == "none");
    CHECK(parsed("2026-11-25T09:30:00-24:00") == "none");
    CHECK(parsed("2026-11-25T09:30:00+23:59") == "2026-11-25T09:30:00+23:59");
    CHECK(parsed("2026-11-25T09:30:00-12:00") == "2026-11-25T09:30:00-12:00");
}

TEST_CASE("a day is YYYY-MM-DD exactly: no sign, no short parts") {
    // "-1251-2-12" was read, and its day written as "-1251-02-12", which no
    // case file can hold.
    CHECK(parse_day("-1251-2-12") == std::nullopt);
    CHECK(parse_day("+2026-1-05") == std::nullopt);
    CHECK(parse_day("0000-01-01") == day(0, 1, 1));
}

TEST_CASE("every date flag reads the same forms and says what is wrong") {
    const date::time_zone* zone = shanghai();
    for (const char* text : {"2026-12-01", "2026/12/1", "2026-12-01 09:30", "2026/12/1 9:30",
                             "2026-12-01T09:30:00+08:00", "2026-11-30T17:30:00Z"}) {
        INFO(text);
        CHECK(iso_day(day_flag("--date", text, zone)) == "2026-12-01");
    }
    CHECK(moment_flag("--now", "2026/12/1 9:30", zone).iso() == "2026-12-01T09:30:00+08:00");
    auto message = [&](const char* text) {
        try {
            moment_flag("--received", text, zone);
        } catch (const UsageError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    CHECK(message("2026-02-30") == "--received '2026-02-30': no such day: 2026-02 has 28 days");
    CHECK(message("2028/2/30 10:00") ==
          "--received '2028/2/30 10:00': no such day: 2028-02 has 29 days");
    CHECK(message("2026-13-01") == "--received '2026-13-01': no such month: 13");
    CHECK(message("yesterday").starts_with("--received 'yesterday': expected a date such as"));
}

TEST_CASE("a moment to seconds since the epoch and back, at its offset") {
    Timestamp t = *parse_timestamp("2026-11-25T09:30:00+08:00", nullptr);
    CHECK(epoch_seconds(t) == 1795570200);
    CHECK(from_epoch_seconds(epoch_seconds(t), t.offset) == t);
    CHECK(from_epoch_seconds(epoch_seconds(t)).iso() == "2026-11-25T01:30:00+00:00");
}

TEST_CASE("a moment and a day are written in ISO 8601 at every corner") {
    using std::chrono::minutes;
    // 1970-01-01T00:00:00 at offsets west and east, whole and half hours.
    CHECK(from_epoch_seconds(0, minutes{-330}).iso() == "1969-12-31T18:30:00-05:30");
    CHECK(from_epoch_seconds(0, minutes{345}).iso() == "1970-01-01T05:45:00+05:45");
    CHECK(from_epoch_seconds(86399).iso() == "1970-01-01T23:59:59+00:00");
    // Year 999 has four digits too; year 10000 its five.
    Day early = date::year{999} / 3 / 4;
    CHECK(iso_day(early) == "0999-03-04");
    Timestamp t = from_epoch_seconds(0);
    t.local = date::local_days{early} + std::chrono::hours{7};
    CHECK(t.iso() == "0999-03-04T07:00:00+00:00");
    CHECK(iso_day(date::year{10000} / 1 / 2) == "10000-01-02");
    CHECK(iso_day(date::year{2026} / 12 / 31) == "2026-12-31");
}
