// A case file's row in the cache (.mailbox/mailbox.db, table cases): the
// stamp its file had when read, and what is kept of it (its problems, and
// its summary: the fields but the body and history notes) in a small binary
// encoding, with the bigrams it is compared on beside. Nothing here opens
// the database: row_writer.hpp writes rows, case_index.hpp and
// folder_refresh.hpp decide which to trust.
#pragma once

#include "model/case.hpp"
#include "model/similarity.hpp"
#include "util/error.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <sys/stat.h>
#include <vector>

namespace mailbox {

struct IndexEntry {
    std::string path;                   // relative to the root
    std::string id;                     // the file name's stem
    std::optional<CaseSummary> summary; // absent when the file does not parse
    std::vector<DataError> problems;
    std::uint64_t stamp = 0; // changes whenever the file does (inode, size, times)
    // How many other letters the sender wrote, as the cache counted them
    // when it read the row; -1 for an entry read from its file.
    int sender_cases = -1;
};

// Which of a pass's rows are worth decoding, told by the columns beside
// them: those whose letter came within one of `received` (epoch seconds,
// both ends in), those of a group when `grouped`, and those of files that
// did not parse. A quarter's report leaves most rows undecoded.
struct RowChoice {
    std::vector<std::pair<std::int64_t, std::int64_t>> received;
    bool grouped = false;
};

// Changes whenever the file does: replaced (inode), rewritten (size, times).
struct FileStamp {
    std::int64_t ino = 0, size = 0, mtime = 0, ctime = 0; // times in ns
    bool operator==(const FileStamp&) const = default;
};

FileStamp stamp_now(const std::filesystem::path& file); // all 0 when it cannot be read
// The same for a path as a string: a scan stats 100,000 files, and making
// a std::filesystem::path of each splits it into its parts.
FileStamp stamp_now(const char* file);
FileStamp stamp_of(const struct stat& st);    // of a file stat-ed already
std::uint64_t stamp_hash(const FileStamp& s); // IndexEntry::stamp
std::int64_t nanoseconds(const struct timespec& t);

// What IndexEntry::stamp would be for this file now; 0 when it cannot be
// read.
std::uint64_t file_stamp(const std::filesystem::path& file);
// What it is for a row's stamp columns (inode, size, mtime and ctime in ns).
std::uint64_t row_stamp(std::int64_t ino, std::int64_t size, std::int64_t mtime,
                        std::int64_t ctime);

// The column entry: the problems and summary of e.
std::string encode_entry(const IndexEntry& e);
// Fills e's problems and summary from the column entry; false (e half
// filled) when it does not decode.
bool decode_entry(std::string_view data, IndexEntry& e);
// A row's problems and summary (the column entry) as stored; nothing when
// it does not decode. Its stamp stays 0: not known from the row alone.
std::optional<IndexEntry> cached_entry(std::string path, std::string id, std::string_view entry);

// The column bigrams: little-endian 32-bit hashes, whatever the machine.
std::string encode_bigrams(const Bigrams& b);
Bigrams decode_bigrams(std::string_view bytes);
// Into `out`, of bytes.size() / 4 hashes.
void decode_bigrams(std::string_view bytes, std::span<std::uint32_t> out);

// What the cache keeps of a case: no body, no draft texts, and of the
// history notes only the verdicts reports count.
CaseSummary summarize(const CaseSummary& c);

} // namespace mailbox
