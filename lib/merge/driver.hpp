// `mailbox-report merge-file`: what git runs as the merge driver of case
// files. It reads the three versions git hands it, writes the merge over
// OURS, and answers with git's convention: 0 merged, anything else a conflict.
#pragma once

#include "merge/case_merge.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace mailbox {

struct MergeDriverArgs {
    std::filesystem::path base, ours, theirs;
    std::string path; // where the file lives in the work tree, for messages only
    CaseMergeOptions options;
};

struct MergeDriverResult {
    int status = 0;                 // the driver's exit status
    bool fell_back = false;         // git merge-file did it, line by line
    std::vector<std::string> notes; // one line each, for stderr
};

// Writes OURS once, with the merge or (when a version is not a clean case
// file) with what `git merge-file` makes of it. Never touches `path`.
MergeDriverResult run_merge_driver(const MergeDriverArgs& args);

} // namespace mailbox
