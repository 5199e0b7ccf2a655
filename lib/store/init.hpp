// `mailbox-intake init`: a new mailbox folder.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace mailbox {

// The commented sample mailbox.toml, compiled in from templates/.
extern const char* const k_sample_config;

// Writes mailbox.toml, cases/ and a .gitignore holding .mailbox/; with `git`
// also runs git init and sets up the merge driver of the mailbox-report in
// `tools` (see store/merge_setup.hpp). Refuses (UsageError) when dir already holds
// a mailbox. Returns the files it wrote (or, with dry_run, would write) that
// belong in a commit, relative to dir.
std::vector<std::string> init_mailbox(const std::filesystem::path& dir, bool git,
                                      bool dry_run = false,
                                      const std::filesystem::path& tools = {});

} // namespace mailbox
