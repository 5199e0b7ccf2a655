// git, driven through the git command (as pass does), with the caller's
// GIT_* environment removed so that it cannot aim git at another repository.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace mailbox {

struct GitResult {
    int status = -1; // exit status; -1 when git could not be run
    std::string out;
};

GitResult run_git(const std::filesystem::path& root, const std::vector<std::string>& args);

bool is_git_work_tree(const std::filesystem::path& root);

// Stages and commits exactly `paths` (relative to root) with `message`;
// throws UsageError outside a git work tree, SystemError when git fails.
void commit_files(const std::filesystem::path& root, const std::vector<std::string>& paths,
                  const std::string& message);

// Paths (relative to root) git lists as unmerged: a failed merge can leave
// them without any conflict marker.
std::vector<std::string> unmerged_paths(const std::filesystem::path& root);

} // namespace mailbox
