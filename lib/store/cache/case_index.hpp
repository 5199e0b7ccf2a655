// What the cache (.mailbox/mailbox.db, table cases) holds of each case file,
// so that whole-mailbox reports need not parse 100,000 TOML files each run:
// its fields but the body and history notes, its letter's keys (received,
// Message-ID, content hash, sender) and the bigrams it is compared on, one
// row per file under the stamp the file had when read. A row is trusted only
// while the file's inode, size, mtime and ctime are those recorded, and (as
// git's index does for "racily clean" files) only when the file was last
// changed well before the row was written (store/cache/row_writer.hpp
// writes them). Deleting the cache is always safe.
#pragma once

#include "store/cache/case_row.hpp"
#include "store/mailbox.hpp"
#include "util/error.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace mailbox {

struct IndexStats {
    std::size_t files = 0;
    std::size_t parsed = 0; // files read and parsed this time
};

// Every case file, in path order, each stat-ed. Parses what the cache
// cannot vouch for, on every core, and stores it (with the files gone and
// every year folder's time) in one transaction.
std::vector<IndexEntry> load_case_index(const Mailbox& mailbox, IndexStats* stats = nullptr,
                                        bool use_cache = true);

// Where `key` (a TOML path such as "co_units[1]") stands in a case file, for
// a problem found in the index's summary of it. Re-reads only that file.
Position locate_key(const Mailbox& mailbox, const std::string& path, const std::string& key);

} // namespace mailbox
