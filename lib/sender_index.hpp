// .mailbox/senders: which cases each sender wrote, so that `show` can list a
// sender's other letters without reading every case. Whole-mailbox commands
// rewrite it from the case index; intake adds each new letter. A case file
// edited by hand or brought by `git pull` is seen after the next whole-mailbox
// command (list, check). Lines are "key<TAB>id"; deleting the file is safe.
#pragma once

#include "case.hpp"
#include "case_index.hpp"
#include "listing.hpp"
#include "store.hpp"

#include <vector>

namespace mailbox {

void write_sender_index(const Mailbox& mailbox, const std::vector<IndexEntry>& entries);
// Rewrites it only when the case index changed or it is missing.
void refresh_sender_index(const Mailbox& mailbox, const std::vector<IndexEntry>& entries,
                          const IndexStats& stats);
void add_to_sender_index(const Mailbox& mailbox, const Case& c);

// The sender's other letters, oldest first, each read from its own file.
std::vector<SenderCase> sender_cases(const Mailbox& mailbox, const Case& c);

} // namespace mailbox
