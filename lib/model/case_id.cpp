#include "model/case_id.hpp"

#include <fmt/format.h>

namespace mailbox {

std::uint64_t fnv1a(std::string_view data, std::uint64_t seed) {
    std::uint64_t h = seed;
    for (unsigned char ch : data) {
        h ^= ch;
        h *= 1099511628211ull;
    }
    return h;
}

std::string crockford(std::uint64_t value, int digits) {
    std::string out(static_cast<std::size_t>(digits), '0');
    for (int i = digits - 1; i >= 0; --i) {
        out[static_cast<std::size_t>(i)] = k_crockford[value & 31];
        value >>= 5;
    }
    return out;
}

namespace {

int crockford_value(char ch) {
    auto pos = k_crockford.find(ch);
    return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

bool all_digits(std::string_view s) {
    for (char ch : s) {
        if (ch < '0' || ch > '9') {
            return false;
        }
    }
    return true;
}

} // namespace

std::string make_case_id(const CaseIdParts& p) {
    return fmt::format("{:02}{:02}{:02}-{}{}", static_cast<int>(p.day.year()) % 100,
                       static_cast<unsigned>(p.day.month()), static_cast<unsigned>(p.day.day()),
                       crockford(p.tenths, 4), p.station);
}

bool is_valid_station(std::string_view station) {
    return station.size() == 2 && crockford_value(station[0]) >= 0 &&
           crockford_value(station[1]) >= 0;
}

std::optional<CaseIdParts> parse_case_id(std::string_view id) {
    if (id.size() != 13 || id[6] != '-' || !all_digits(id.substr(0, 6))) {
        return std::nullopt;
    }
    auto num = [&](std::size_t at) { return (id[at] - '0') * 10 + (id[at + 1] - '0'); };
    Day day{date::year{2000 + num(0)}, date::month{static_cast<unsigned>(num(2))},
            date::day{static_cast<unsigned>(num(4))}};
    if (!day.ok()) {
        return std::nullopt;
    }
    std::uint32_t tenths = 0;
    for (std::size_t i = 7; i < 11; ++i) {
        int v = crockford_value(id[i]);
        if (v < 0) {
            return std::nullopt;
        }
        tenths = tenths * 32 + static_cast<std::uint32_t>(v);
    }
    if (tenths >= k_tenths_per_day || !is_valid_station(id.substr(11))) {
        return std::nullopt;
    }
    return CaseIdParts{day, tenths, std::string(id.substr(11))};
}

std::string normalize_case_id(std::string_view typed) {
    std::string out;
    out.reserve(typed.size());
    for (char ch : typed) {
        if (ch >= 'a' && ch <= 'z') {
            ch = static_cast<char>(ch - 'a' + 'A');
        }
        if (ch == 'I' || ch == 'L') {
            ch = '1';
        } else if (ch == 'O') {
            ch = '0';
        }
        out += ch;
    }
    return out;
}

std::optional<int> case_id_year(std::string_view id) {
    if (id.size() < 2 || !all_digits(id.substr(0, 2))) {
        return std::nullopt;
    }
    return 2000 + (id[0] - '0') * 10 + (id[1] - '0');
}

} // namespace mailbox
