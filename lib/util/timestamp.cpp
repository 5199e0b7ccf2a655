#include "util/timestamp.hpp"

#include "util/error.hpp"
#include "util/i18n.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fmt/format.h>
#include <sstream>

namespace mailbox {

namespace {

// Two digits of v (below 100) at p.
void two_digits(char* p, unsigned v) {
    p[0] = static_cast<char>('0' + v / 10);
    p[1] = static_cast<char>('0' + v % 10);
}

// YYYY-MM-DD at p (10 characters) for a year of four digits.
void day_digits(char* p, const date::year_month_day& d) {
    auto y = static_cast<unsigned>(static_cast<int>(d.year()));
    two_digits(p, y / 100);
    two_digits(p + 2, y % 100);
    p[4] = '-';
    two_digits(p + 5, static_cast<unsigned>(d.month()));
    p[7] = '-';
    two_digits(p + 8, static_cast<unsigned>(d.day()));
}

bool four_digit_year(const date::year_month_day& d) {
    int y = static_cast<int>(d.year());
    return y >= 0 && y <= 9999;
}

} // namespace

// By hand rather than date::format (an ostringstream) or fmt (which parses
// its format each time): list prints several of these for each of 100,000
// cases, and they were a sixth of its work.
std::string Timestamp::iso() const {
    auto minutes = offset.count();
    char sign = minutes < 0 ? '-' : '+';
    minutes = minutes < 0 ? -minutes : minutes;
    auto days = date::floor<date::days>(local);
    date::year_month_day d{days};
    date::hh_mm_ss<std::chrono::seconds> t{local - days};
    if (!four_digit_year(d) || minutes >= 100 * 60) {
        return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{}{:02}:{:02}",
                           static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                           static_cast<unsigned>(d.day()), t.hours().count(), t.minutes().count(),
                           t.seconds().count(), sign, minutes / 60, minutes % 60);
    }
    std::string out(25, ' ');
    day_digits(out.data(), d);
    out[10] = 'T';
    two_digits(out.data() + 11, static_cast<unsigned>(t.hours().count()));
    out[13] = ':';
    two_digits(out.data() + 14, static_cast<unsigned>(t.minutes().count()));
    out[16] = ':';
    two_digits(out.data() + 17, static_cast<unsigned>(t.seconds().count()));
    out[19] = sign;
    two_digits(out.data() + 20, static_cast<unsigned>(minutes / 60));
    out[22] = ':';
    two_digits(out.data() + 23, static_cast<unsigned>(minutes % 60));
    return out;
}

std::int64_t epoch_seconds(const Timestamp& t) {
    return t.sys().time_since_epoch().count();
}

Timestamp from_epoch_seconds(std::int64_t seconds, std::chrono::minutes offset) {
    Timestamp t;
    t.offset = offset;
    t.local = date::local_seconds{std::chrono::seconds{seconds}} + offset;
    return t;
}

Timestamp in_zone(date::sys_seconds t, const date::time_zone* zone) {
    auto info = zone->get_info(t);
    auto offset = std::chrono::duration_cast<std::chrono::minutes>(info.offset);
    return Timestamp{date::local_seconds{t.time_since_epoch()} + offset, offset};
}

namespace {

template <typename T>
bool parse_exact(std::string_view text, const char* format, T& out,
                 std::chrono::minutes* offset = nullptr) {
    std::istringstream in{std::string(text)};
    if (offset) {
        in >> date::parse(format, out, *offset);
    } else {
        in >> date::parse(format, out);
    }
    return !in.fail() && in.peek() == std::char_traits<char>::eof();
}

Timestamp from_local(date::local_seconds local, const date::time_zone* zone) {
    // A wall-clock time skipped or repeated by a DST change takes the earlier
    // reading; China has no DST, but an office elsewhere might. No zone: UTC.
    if (!zone) {
        return Timestamp{local, std::chrono::minutes{0}};
    }
    auto info = zone->get_info(local);
    auto offset = std::chrono::duration_cast<std::chrono::minutes>(info.first.offset);
    return Timestamp{local, offset};
}

} // namespace

std::optional<Timestamp> parse_timestamp(std::string_view text, const date::time_zone* zone) {
    // Four-digit years only: "19/2/28" is no date a clerk means.
    if (text.size() < 4 || !std::all_of(text.begin(), text.begin() + 4, ::isdigit)) {
        return std::nullopt;
    }
    std::string s(text);
    for (auto& c : s) {
        if (c == '/') {
            c = '-';
        }
    }
    // 2019/2/28 11:25: the date may have one-digit parts, so the first space,
    // wherever it is, separates the date from the time.
    if (auto space = s.find(' '); space != std::string::npos) {
        s[space] = 'T';
    }
    // In every form read here a digit follows each ':', '+' and '-'. Without
    // one, date::parse converts seconds it never read ("21:40: 11") or
    // negates an offset it never read ("09:30-:18"): undefined behaviour.
    for (std::size_t i = s.find_first_of(":+-"); i != std::string::npos;
         i = s.find_first_of(":+-", i + 1)) {
        if (i + 1 == s.size() || !std::isdigit(static_cast<unsigned char>(s[i + 1]))) {
            return std::nullopt;
        }
    }
    if (!s.empty() && (s.back() == 'Z' || s.back() == 'z')) {
        s.pop_back();
        s += "+00:00";
    }
    date::local_seconds local;
    std::chrono::minutes offset{};
    for (const char* f : {"%Y-%m-%dT%H:%M:%S%Ez", "%Y-%m-%dT%H:%M%Ez"}) {
        if (parse_exact(s, f, local, &offset)) {
            // date::parse takes "+24:00" and "+99:99"; a case file (TOML)
            // holds offsets up to 23:59 only, and no zone lies beyond.
            if (date::abs(offset) >= std::chrono::hours{24}) {
                return std::nullopt;
            }
            return Timestamp{local, offset};
        }
    }
    for (const char* f : {"%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"}) {
        if (parse_exact(s, f, local)) {
            return from_local(local, zone);
        }
    }
    date::local_days day;
    if (parse_exact(s, "%Y-%m-%d", day)) {
        return from_local(date::local_seconds{day}, zone);
    }
    return std::nullopt;
}

std::optional<Day> parse_day(std::string_view text) {
    // date::parse also takes a sign and one-digit parts ("-1251-2-12"), and
    // iso_day would write such a day in a form no case file can hold.
    if (text.size() != 10) {
        return std::nullopt;
    }
    for (std::size_t i = 0; i < text.size(); ++i) {
        bool dash = i == 4 || i == 7;
        if (dash ? text[i] != '-' : !std::isdigit(static_cast<unsigned char>(text[i]))) {
            return std::nullopt;
        }
    }
    date::sys_days day;
    if (!parse_exact(text, "%Y-%m-%d", day)) {
        return std::nullopt;
    }
    return Day{day};
}

std::string why_no_such_day(std::string_view text) {
    int y = 0;
    unsigned m = 0, d = 0;
    char sep1 = 0, sep2 = 0;
    std::string head(text.substr(0, std::min<std::size_t>(text.size(), 10)));
    if (std::sscanf(head.c_str(), "%4d%c%2u%c%2u", &y, &sep1, &m, &sep2, &d) != 5 ||
        (sep1 != '-' && sep1 != '/') || sep2 != sep1) {
        return "";
    }
    if (m < 1 || m > 12) {
        return tr("no such month: {}", m);
    }
    auto last = date::year_month_day_last{date::year{y} / date::month{m} / date::last}.day();
    if (d < 1 || d > static_cast<unsigned>(last)) {
        unsigned days = static_cast<unsigned>(last);
        return trn("no such day: {:04}-{:02} has {} day", "no such day: {:04}-{:02} has {} days",
                   days, y, m, days);
    }
    return "";
}

namespace {

[[noreturn]] void bad_flag(std::string_view flag, std::string_view text) {
    std::string why = why_no_such_day(text);
    if (!why.empty()) {
        throw UsageError(tr("{} '{}': {}", flag, text, why));
    }
    throw UsageError(tr("{} '{}': expected a date such as 2026-12-01 or 2026/12/1, or a "
                        "date-time such as 2026-12-01T09:30 or 2026-12-01 09:30:00+08:00",
                        flag, text));
}

} // namespace

Timestamp moment_flag(std::string_view flag, std::string_view text, const date::time_zone* zone) {
    auto t = parse_timestamp(text, zone);
    if (!t) {
        bad_flag(flag, text);
    }
    return *t;
}

Day day_flag(std::string_view flag, std::string_view text, const date::time_zone* zone) {
    Timestamp t = moment_flag(flag, text, zone);
    // A day given with an offset is a day on the office's clock.
    return zone ? in_zone(t.sys(), zone).day() : t.day();
}

std::string iso_day(Day d) {
    if (!four_digit_year(d)) {
        return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(d.year()),
                           static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
    }
    std::string out(10, ' ');
    day_digits(out.data(), d);
    return out;
}

} // namespace mailbox
