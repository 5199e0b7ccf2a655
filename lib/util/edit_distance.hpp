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

// " ; did you mean 'x'?" or " ; did you mean 'x', 'y'?" or "".
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

} // namespace mailbox
