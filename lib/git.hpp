// git, driven through the git command (as pass does), with the caller's
// GIT_* environment removed so that it cannot aim git at another repository.
#pragma once

#include <filesystem>
#include <optional>
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

// A path (relative to root) git lists as unmerged: a failed merge can leave
// it without any conflict marker. The stages say which versions git holds.
struct UnmergedPath {
    std::string path;
    bool base = false, ours = false, theirs = false; // stages 1, 2, 3
};
std::vector<UnmergedPath> unmerged_paths(const std::filesystem::path& root);

// A merge, rebase, cherry-pick or revert git stopped in the middle of, or
// unmerged paths, said in a few words; empty when there is none. A commit of
// some paths cannot be made then.
std::string unfinished_git_operation(const std::filesystem::path& root);

// The version of `path` (relative to root) at a stage of the index, 1 to 3.
std::optional<std::string> staged_file(const std::filesystem::path& root, const std::string& path,
                                       int stage);

} // namespace mailbox
