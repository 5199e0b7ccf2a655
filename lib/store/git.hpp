// git, driven through the git command (as pass does), with the caller's
// GIT_* environment removed so that it cannot aim git at another repository.
#pragma once

#include "model/record_language.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
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

// A file the tools write and commit, relative to the mailbox: a case file
// (cases/YYYY/NAME.toml, as the tools read them), the unit's report kept
// beside it (cases/YYYY/ID.report.EXT), or the original message kept for a
// letter (originals/HASH.eml); never a temporary file, nor anything else a
// clerk keeps there.
bool is_case_data_path(std::string_view path);

// The case data (is_case_data_path) that differs from the last commit:
// changed, new and not ignored, or deleted, staged or not. Relative to
// root, sorted; empty outside git. Reads without taking git's index lock.
std::vector<std::string> uncommitted_case_files(const std::filesystem::path& root);

// Commits `paths` (relative to root) and with them every uncommitted case
// file an earlier command left (killed, or its commit failed), never other
// files. The message gains a line counting those; with no `paths` it is
// only that count. Returns how many there were; nothing to commit, nothing
// done. Throws as commit_files.
std::size_t commit_with_leftovers(const std::filesystem::path& root,
                                  const std::vector<std::string>& paths, const std::string& message,
                                  Language record = Language::en);

// The message of such a commit: `message`, and a line for `leftovers`, in
// the record's language.
std::string leftover_message(const std::string& message, std::size_t leftovers,
                             Language record = Language::en);

// The git command lines a clerk can run to commit the case files left
// uncommitted by hand (git -C ROOT unless ROOT is the current folder).
std::string commit_leftovers_command(const std::filesystem::path& root);

// A path (relative to root) git lists as unmerged: a failed merge can leave
// it without any conflict marker. The stages say which versions git holds.
struct UnmergedPath {
    std::string path;
    bool base = false, ours = false, theirs = false; // stages 1, 2, 3
};
std::vector<UnmergedPath> unmerged_paths(const std::filesystem::path& root);

// A merge, rebase, cherry-pick or revert git stopped in the middle of, or
// unmerged paths, said in a few words of the reader's language ("a merge",
// "3 unmerged paths"); empty when there is none. A commit of
// some paths cannot be made then.
std::string unfinished_git_operation(const std::filesystem::path& root);

// The version of `path` (relative to root) at a stage of the index, 1 to 3.
std::optional<std::string> staged_file(const std::filesystem::path& root, const std::string& path,
                                       int stage);

} // namespace mailbox
