// History is only ever appended, yet a conflict resolved by taking one
// side's file (`git checkout --ours`) drops the other side's entries, and
// nothing else notices. `check` compares each merge with its parents, and
// the work tree with the last commit (and a merge in progress): a history
// entry id a parent had that neither the merge nor the case file today
// holds was lost. Merges found whole are remembered in the cache
// (.mailbox/verified-merges), so each is read once.
#pragma once

#include "util/error.hpp"

#include <filesystem>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace mailbox {

// What a diff from a parent removed and added, by history entry id: the
// ids removed from case files that remain, with the file each was in, and
// every id added anywhere (an entry a merge moved, or renumber took to
// another file, is both).
struct EntryDiff {
    std::vector<std::pair<std::string, std::string>> removed; // path, id
    std::set<std::string> added;
};
EntryDiff parse_entry_diff(std::string_view diff);

std::vector<DataError> lost_history_problems(const std::filesystem::path& root);

} // namespace mailbox
