// A rebuildable cache of every case's fields (all but the body and history
// notes), kept in .mailbox/index so that whole-mailbox reports need not parse
// 100,000 TOML files each run. A file is trusted from the cache only while its
// inode, size, mtime and ctime are those recorded, and (as git's index does
// for "racily clean" files) only when it was last changed well before the
// cache was written. Deleting the cache is always safe.
#pragma once

#include "model/case.hpp"
#include "store/mailbox.hpp"
#include "util/error.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mailbox {

struct IndexEntry {
    std::string path;            // relative to the root
    std::string id;              // the file name's stem
    std::optional<Case> summary; // absent when the file does not parse
    std::vector<DataError> problems;
    std::uint64_t stamp = 0; // changes whenever the file does (inode, size, times)
};

struct IndexStats {
    std::size_t files = 0;
    std::size_t parsed = 0; // files read and parsed this time
    bool rewritten = false; // the cache changed: derived files are stale too
};

// Every case file, in path order. Parses what the cache cannot vouch for, on
// every core, and rewrites the cache when anything was parsed.
std::vector<IndexEntry> load_case_index(const Mailbox& mailbox, IndexStats* stats = nullptr,
                                        bool use_cache = true);

// What IndexEntry::stamp would be for this file now; 0 when it cannot be
// read.
std::uint64_t file_stamp(const std::filesystem::path& file);

// Where `key` (a TOML path such as "co_units[1]") stands in a case file, for
// a problem found in the index's summary of it. Re-reads only that file.
Position locate_key(const Mailbox& mailbox, const std::string& path, const std::string& key);

// What the cache keeps of a case.
Case summarize(Case c);

} // namespace mailbox
