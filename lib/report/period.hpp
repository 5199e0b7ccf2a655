// The stretch of days a report counts: a quarter, a month, a year or any
// range, in the office's own calendar (days in mailbox.toml's timezone).
#pragma once

#include "model/config.hpp"
#include "util/timestamp.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace mailbox {

struct Period {
    Day from;             // inclusive
    Day to;               // inclusive
    std::string label;    // 2026Q3, 2026-10, 2026, or 2026-07-01..2026-09-30
    std::string label_cn; // 2026年第三季度, 2026年10月, 2026年, 2026年7月1日至9月30日

    bool contains(Day d) const { return from <= d && d <= to; }
};

// The flags of `stats`, `bulletin` and `assess`: at most one of quarter,
// month, year, or since and until together. UsageError naming the flag when
// a value is malformed or the choice is ambiguous.
struct PeriodChoice {
    std::optional<std::string> quarter; // 2026Q3 (also 2026-Q3, 2026q3)
    std::optional<std::string> month;   // 2026-10
    std::optional<std::string> year;    // 2026
    std::optional<std::string> since, until;
};

Period parse_period(const PeriodChoice& choice);

Period quarter_period(int year, int quarter);
Period month_period(int year, unsigned month);
Period year_period(int year);
Period range_period(Day from, Day to);

// The same period one year earlier (同比): 2026Q3 -> 2025Q3. A range that
// ends on 29 February ends on the 28th.
Period year_before(const Period& p);

// The quarter `today` falls in, and the last whole one before it.
Period quarter_of(Day today);
Period last_full_quarter(Day today);

// The day a moment falls on in the office's timezone: a letter written at
// 23:30 Beijing time is that day's letter, whatever offset it was stored with.
Day office_day(const Timestamp& t, const Config& config);

} // namespace mailbox
