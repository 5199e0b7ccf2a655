// "Did you mean" suggestions for mistyped unit, leader and category ids, as
// ninja's edit_distance.cc does for targets.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mailbox {

// Edits (insert, delete, replace, swap neighbours) from a to b, stopping
// early once every path exceeds max_distance.
int edit_distance(std::string_view a, std::string_view b, int max_distance = 1 << 20);

// The candidates within one edit per three characters (1 to 3), closest first.
std::vector<std::string> closest(std::string_view word, const std::vector<std::string>& candidates,
                                 std::size_t at_most = 3);

// The candidates near `word`, quoted and joined for a message: "'x'" or
// "'x', 'y'", or "" when none is near. A fragment cannot be translated, so
// the caller chooses between two whole messages by it:
//   near.empty() ? tr("unknown flag '{}'", flag)
//                : tr("unknown flag '{}'; did you mean {}?", flag, near)
std::string suggestions(std::string_view word, const std::vector<std::string>& candidates);

} // namespace mailbox
