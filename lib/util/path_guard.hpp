// Symbolic links in the shared repository are not followed out of the
// mailbox: a committed link could read a system file into a notice, or send
// citizens' letters to a folder outside the office's (DESIGN.md §5,
// "Untrusted input").
#pragma once

#include <filesystem>

namespace mailbox {

// Throws DataError naming the link when `relative` (such as
// templates/chase-notice.mustache or out/notices/2026-11-10), followed
// through its symbolic links, leads outside the mailbox folder `root`. The
// parts that do not exist yet are taken as they are named. A link that stays
// inside the mailbox is fine.
void check_inside_mailbox(const std::filesystem::path& root, const std::filesystem::path& relative);

} // namespace mailbox
