// Case ids: YYMMDD-TTTTSS, e.g. 261125-8K2QM7.
//   YYMMDD  the office's local date of registration
//   TTTT    tenths of a second since local midnight (20 bits, 4 Crockford
//           base-32 digits), kept strictly increasing within one clone
//   SS      the clone's station: 2 random base-32 digits chosen once per clone
// Sorting ids sorts by registration time; two clones clash only when they share
// a station (1 in 1024) and register in the same tenth of a second. Crockford's
// alphabet leaves out I, L, O and U, so ids read well over the phone; input is
// case-insensitive and reads I and L as 1, O as 0.
#pragma once

#include "util/timestamp.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mailbox {

constexpr std::string_view k_crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

std::uint64_t fnv1a(std::string_view data, std::uint64_t seed = 14695981039346656037ull);
// The low 5*digits bits of value as Crockford base-32, most significant first.
std::string crockford(std::uint64_t value, int digits);

struct CaseIdParts {
    Day day;
    std::uint32_t tenths = 0; // since local midnight
    std::string station;
};

constexpr std::uint32_t k_tenths_per_day = 864000;

std::string make_case_id(const CaseIdParts& parts);
std::optional<CaseIdParts> parse_case_id(std::string_view id);
bool is_valid_station(std::string_view station);

// Uppercases and maps the look-alikes (I, L -> 1; O -> 0) of what a person typed.
std::string normalize_case_id(std::string_view typed);

// The year folder a case id lives in (cases/2026/), from its first two digits;
// nullopt when the prefix is too short to tell.
std::optional<int> case_id_year(std::string_view id);

} // namespace mailbox
