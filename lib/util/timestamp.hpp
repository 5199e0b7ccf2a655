// Moments and days as the office writes them: a wall-clock time with its UTC
// offset (so a file read in any zone says what the clerk saw), and plain
// calendar days for due dates.
#pragma once

#include <chrono>
#include <cstdint>
#include <date/date.h>
#include <date/tz.h>
#include <optional>
#include <string>
#include <string_view>

namespace mailbox {

using Day = date::year_month_day;

struct Timestamp {
    date::local_seconds local{};
    std::chrono::minutes offset{0};

    date::sys_seconds sys() const { return date::sys_seconds{(local - offset).time_since_epoch()}; }
    Day day() const { return Day{date::floor<date::days>(local)}; }
    std::string iso() const; // 2026-11-25T09:30:00+08:00

    friend bool operator==(const Timestamp& a, const Timestamp& b) {
        return a.local == b.local && a.offset == b.offset;
    }
    friend auto operator<=>(const Timestamp& a, const Timestamp& b) { return a.sys() <=> b.sys(); }
};

// The moment `t` as a clock in `zone` shows it.
Timestamp in_zone(date::sys_seconds t, const date::time_zone* zone);

// Seconds since the epoch, as the cache stores a moment, and back, shown at
// `offset` from UTC.
std::int64_t epoch_seconds(const Timestamp& t);
Timestamp from_epoch_seconds(std::int64_t seconds, std::chrono::minutes offset = {});

// ISO 8601 with an offset, or without one (read in `zone`), with 'T' or a
// space, seconds optional; a bare date means midnight. Also the forms web
// forms and Excel write: 2019/2/28 11:25. nullopt when it is none of these.
std::optional<Timestamp> parse_timestamp(std::string_view text, const date::time_zone* zone);

std::optional<Day> parse_day(std::string_view text); // YYYY-MM-DD

// Why a text shaped like a date (2026-02-30, 2026/13/1 9:00) is none: "no
// such day: 2026-02 has 28 days", "no such month: 13". Empty when it is not
// shaped like a date, or is one.
std::string why_no_such_day(std::string_view text);

// What a clerk types after a date flag (--now, --received, --date, --since,
// --until, --target-date): any form parse_timestamp reads, 2026-12-01,
// 2026/12/1, with or without a time. A UsageError names the flag and says
// what is wrong: "no such day" for 2026-02-30. day_flag takes the day of a
// date-time, on the office's clock.
Timestamp moment_flag(std::string_view flag, std::string_view text, const date::time_zone* zone);
Day day_flag(std::string_view flag, std::string_view text, const date::time_zone* zone);
std::string iso_day(Day d);

// Whole days from a to b (negative when b is earlier).
inline int days_between(Day a, Day b) {
    return static_cast<int>((date::sys_days{b} - date::sys_days{a}).count());
}
inline Day add_days(Day d, int n) {
    return Day{date::sys_days{d} + date::days{n}};
}

} // namespace mailbox
