// `mailbox-report check`: every problem in the config and every case file,
// and between them: unknown units, leaders and categories, duplicate ids, ids
// in the wrong folder, links to missing cases, one-sided links, git conflict
// markers, unmerged paths, and history entries a merge or an edit lost.
// Keeps going after the first. Warns of case files left uncommitted in a
// git repository, and of due dates in a year the holiday list leaves out.
#pragma once

#include "util/error.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace mailbox {

struct CheckReport {
    std::vector<DataError> problems;
    // Not wrong, but worth a line: case files not committed to git, years
    // open cases are due in that [deadline] holidays has no day of.
    std::vector<std::string> warnings;
    std::size_t cases = 0;
    bool config_ok = false;
};

// `full` re-reads every case file instead of trusting the case index.
CheckReport check_mailbox(const std::filesystem::path& root, bool full);

} // namespace mailbox
