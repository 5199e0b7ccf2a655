// What the cache (.mailbox/mailbox.db, table cases) holds of each case file,
// so that whole-mailbox reports need not parse 100,000 TOML files each run:
// its fields but the body and history notes, its letter's keys (received,
// Message-ID, content hash, sender) and the bigrams it is compared on, one
// row per file under the stamp the file had when read. A row is trusted only
// while the file's inode, size, mtime and ctime are those recorded, and (as
// git's index does for "racily clean" files) only when the file was last
// changed well before the row was written. This file is the only one that
// writes those rows. Deleting the cache is always safe.
#pragma once

#include "model/case.hpp"
#include "model/similarity.hpp"
#include "store/cache/database.hpp"
#include "store/mailbox.hpp"
#include "util/error.hpp"

#include <cstdint>
#include <memory>
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
};

// Every case file, in path order, each stat-ed. Parses what the cache
// cannot vouch for, on every core, and stores it (with the files gone and
// every year folder's time) in one transaction.
std::vector<IndexEntry> load_case_index(const Mailbox& mailbox, IndexStats* stats = nullptr,
                                        bool use_cache = true);

// Brings the rows of the year folders that changed since they were last
// listed up to date (new and changed files read, vanished ones dropped),
// without a stat of the files in the other folders: what a command that
// looks up a few cases needs. A file rewritten in place, which leaves its
// folder's time alone, is seen by the next load_case_index.
// Returns how many folders it listed.
std::size_t refresh_changed_folders(Database& db, const Mailbox& mailbox);

// A row's problems and summary (the column entry) as stored; nothing when
// it does not decode. Its stamp stays 0: not known from the row alone.
std::optional<IndexEntry> cached_entry(std::string path, std::string id, std::string_view entry);

// The cache for a command that looks up a few cases, brought up to date by
// refresh_changed_folders. A damaged cache is made again; one that cannot
// be written (a full disk) is made in memory for this run; one busy past
// the timeout is used as it is, and *fresh is false. *listed (if given):
// how many year folders were listed.
std::unique_ptr<Database> open_refreshed(const Mailbox& mailbox, bool* fresh,
                                         std::size_t* listed = nullptr);

// The column bigrams as stored (little-endian 32-bit hashes).
Bigrams decode_bigrams(std::string_view bytes);

// After a command wrote c to its file: its row anew.
void index_written_case(Database& db, const Mailbox& mailbox, const Case& c);

// After a command that found the year folder listed (refresh_changed_folders)
// wrote in it: the folder's new time is what this command did, so the next
// command need not list it again. A change another program made in the
// same folder in between is seen at the next whole-mailbox command.
void note_own_write(Database& db, const Mailbox& mailbox, const std::string& year);

// The year folder of a case file's path ("2026" of cases/2026/…).
std::string case_folder(const std::string& path);

// What IndexEntry::stamp would be for this file now; 0 when it cannot be
// read.
std::uint64_t file_stamp(const std::filesystem::path& file);
// What it is for a row's stamp columns (inode, size, mtime and ctime in ns).
std::uint64_t row_stamp(std::int64_t ino, std::int64_t size, std::int64_t mtime,
                        std::int64_t ctime);

// Where `key` (a TOML path such as "co_units[1]") stands in a case file, for
// a problem found in the index's summary of it. Re-reads only that file.
Position locate_key(const Mailbox& mailbox, const std::string& path, const std::string& key);

// What the cache keeps of a case.
Case summarize(Case c);

} // namespace mailbox
