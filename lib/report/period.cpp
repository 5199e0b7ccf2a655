#include "report/period.hpp"

#include "format/render.hpp"
#include "util/error.hpp"
#include "util/i18n.hpp"

#include <charconv>
#include <fmt/format.h>

namespace mailbox {

namespace {

constexpr const char* k_quarter_cn[] = {"一", "二", "三", "四"};

std::optional<int> number(std::string_view s) {
    int n = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec != std::errc() || end != s.data() + s.size() || s.empty()) {
        return std::nullopt;
    }
    return n;
}

bool plausible_year(std::optional<int> y) {
    return y && *y >= 1970 && *y <= 9999;
}

Period parse_quarter(const std::string& text) {
    std::string_view s = text;
    std::size_t q = s.find_first_of("Qq");
    std::string_view y = q == std::string_view::npos ? s : s.substr(0, q);
    if (y.ends_with('-')) {
        y.remove_suffix(1);
    }
    auto year = number(y);
    auto quarter = q == std::string_view::npos ? std::nullopt : number(s.substr(q + 1));
    if (!plausible_year(year) || !quarter || *quarter < 1 || *quarter > 4) {
        throw UsageError(tr("--quarter '{}': expected a year and a quarter, e.g. 2026Q3", text));
    }
    return quarter_period(*year, *quarter);
}

Period parse_month(const std::string& text) {
    std::string_view s = text;
    std::size_t dash = s.find('-');
    auto year = number(s.substr(0, dash));
    auto month = dash == std::string_view::npos ? std::nullopt : number(s.substr(dash + 1));
    if (!plausible_year(year) || !month || *month < 1 || *month > 12) {
        throw UsageError(tr("--month '{}': expected YYYY-MM, e.g. 2026-10", text));
    }
    return month_period(*year, static_cast<unsigned>(*month));
}

Period parse_year(const std::string& text) {
    auto year = number(text);
    if (!plausible_year(year)) {
        throw UsageError(tr("--year '{}': expected a year, e.g. 2026", text));
    }
    return year_period(*year);
}

Day parse_flag_day(const std::string& flag, const std::string& text) {
    return day_flag(flag, text, nullptr);
}

Day last_day(int year, unsigned month) {
    return Day{date::year{year} / date::month{month} / date::last};
}

} // namespace

Period quarter_period(int year, int quarter) {
    unsigned first = static_cast<unsigned>(quarter - 1) * 3 + 1;
    return {Day{date::year{year}, date::month{first}, date::day{1}}, last_day(year, first + 2),
            fmt::format("{}Q{}", year, quarter),
            fmt::format("{}年第{}季度", year, k_quarter_cn[quarter - 1])};
}

Period month_period(int year, unsigned month) {
    return {Day{date::year{year}, date::month{month}, date::day{1}}, last_day(year, month),
            fmt::format("{}-{:02}", year, month), fmt::format("{}年{}月", year, month)};
}

Period year_period(int year) {
    return {Day{date::year{year}, date::month{1}, date::day{1}}, last_day(year, 12),
            fmt::format("{}", year), fmt::format("{}年", year)};
}

Period range_period(Day from, Day to) {
    return {from, to, iso_day(from) + ".." + iso_day(to), date_cn(from) + "至" + date_cn(to)};
}

Period parse_period(const PeriodChoice& c) {
    int chosen =
        (c.quarter ? 1 : 0) + (c.month ? 1 : 0) + (c.year ? 1 : 0) + ((c.since || c.until) ? 1 : 0);
    if (chosen > 1) {
        throw UsageError(
            _("choose one period: --quarter, --month, --year, or --since and --until"));
    }
    if (c.quarter) {
        return parse_quarter(*c.quarter);
    }
    if (c.month) {
        return parse_month(*c.month);
    }
    if (c.year) {
        return parse_year(*c.year);
    }
    if (!c.since || !c.until) {
        throw UsageError(_("which period? --quarter 2026Q3, --month 2026-10, --year 2026, or "
                           "--since D --until D"));
    }
    Day from = parse_flag_day("--since", *c.since);
    Day to = parse_flag_day("--until", *c.until);
    if (to < from) {
        throw UsageError(tr("--until {} is before --since {}", *c.until, *c.since));
    }
    return range_period(from, to);
}

Period year_before(const Period& p) {
    auto back = [](Day d) {
        Day b{d.year() - date::years{1}, d.month(), d.day()};
        return b.ok() ? b : Day{b.year() / b.month() / date::last};
    };
    int year = static_cast<int>(p.from.year()) - 1;
    if (p.label.find('Q') != std::string::npos) {
        return quarter_period(year,
                              static_cast<int>(static_cast<unsigned>(p.from.month()) - 1) / 3 + 1);
    }
    if (p.label.size() == 7) {
        return month_period(year, static_cast<unsigned>(p.from.month()));
    }
    if (p.label.size() == 4) {
        return year_period(year);
    }
    return range_period(back(p.from), back(p.to));
}

Period quarter_of(Day today) {
    return quarter_period(static_cast<int>(today.year()),
                          static_cast<int>(static_cast<unsigned>(today.month()) - 1) / 3 + 1);
}

Period last_full_quarter(Day today) {
    Period current = quarter_of(today);
    return quarter_of(add_days(current.from, -1));
}

Day office_day(const Timestamp& t, const Config& config) {
    return config.zone ? in_zone(t.sys(), config.zone).day() : t.day();
}

} // namespace mailbox
