// The day's 呈批单: the secretary reads every letter and writes an
// instruction (批示) on it before it is assigned. The digest lists the
// letters registered and not yet assigned that no earlier digest showed,
// records that they were presented (history action `digest`), and renders
// the page the secretary writes on: A4, one letter a block, with room for
// the instruction.
#pragma once

#include "assign/chase.hpp"
#include "assign/notice.hpp"
#include "store/cache/letter_index.hpp"

#include <vector>

namespace mailbox {

// Letters not yet assigned (returned ones too), registered on or before
// `today`, whose last digest is none or today's (a second run the same day
// shows the same list), oldest registration first.
std::vector<RoundItem> digest_list(const std::vector<IndexEntry>& entries, Day today);

// The page of the digest as out/notices/DAY/digest.html, rendered from the
// `digest.html` template: each letter's sender (masked as [digest]
// mask_sender says), channel, a summary of its text, the suggested unit and
// category, the sender's earlier letters, the linked letters, and an empty
// box for the 批示. A restricted letter (举报) shows no text: it goes to the
// secretary by hand. Reads each listed case whole.
Notice digest_page(const Mailbox& m, const Context& ctx, const std::vector<RoundItem>& items,
                   const LetterIndex& letters);

// A list item as --format prints it, and the table's columns.
Value digest_row(const RoundItem& item, const Config& config);
// The same for a table: its channel in the clerk's language.
Value digest_table_row(const RoundItem& item, const Config& config);
const std::vector<Column>& digest_columns(Format format);

} // namespace mailbox
