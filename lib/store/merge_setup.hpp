// Each clone's set-up of the merge driver. git reads the driver's command
// from the clone's own .git/config, which no pull brings, and which files go
// to it from .gitattributes, which is committed: a clone of the office's
// repository has the second but needs `setup-git` for the first.
#pragma once

#include "util/error.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace mailbox {

// The shell line git runs: `tools` is the folder of the mailbox-report that
// did the set-up; when it has gone, mailbox-report on PATH; when that is
// missing too, git's line merge, with a warning, instead of a driver that
// fails with 127 and leaves the file without the other side's entries.
std::string merge_driver_command(const std::filesystem::path& tools, bool recursive);

// Writes the driver into the clone's git config and `cases/** merge=mailbox`
// into the mailbox's .gitattributes. Returns what it changed (".git/config",
// ".gitattributes"); empty when all was in place. UsageError outside git.
std::vector<std::string> setup_merge_driver(const std::filesystem::path& root,
                                            const std::filesystem::path& tools);

// What check says when the clone is not set up: nothing outside git, nor in
// a repository with no remote whose .gitattributes does not ask for it.
std::vector<DataError> merge_driver_problems(const std::filesystem::path& root);

} // namespace mailbox
