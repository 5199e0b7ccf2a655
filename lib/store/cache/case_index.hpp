// What the cache (.mailbox/mailbox.db, tables cases and letters) holds of each case file,
// so that whole-mailbox reports need not parse 100,000 TOML files each run:
// its fields but the body and history notes, its letter's keys (received,
// Message-ID, content hash, sender) and the bigrams it is compared on, one
// row per file under the stamp the file had when read. A row is trusted only
// while the file's inode, size, mtime and ctime are those recorded, and (as
// git's index does for "racily clean" files) only when the file was last
// changed well before the row was written (store/cache/row_writer.hpp
// writes them). Deleting the cache is always safe.
#pragma once

#include "model/group.hpp"
#include "store/cache/case_row.hpp"
#include "store/mailbox.hpp"
#include "util/error.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mailbox {

struct IndexStats {
    std::size_t files = 0;
    std::size_t parsed = 0; // files read and parsed this time
};

class Database;
struct StoredRow;
struct Parsed;

// A pass over every case file, in path order. Making one brings the cache
// up to date: every file stat-ed, what the cache cannot vouch for parsed on
// every core and stored (with the files gone and every year folder's time)
// in one transaction, a few thousand files at a time. each() then hands
// every file's entry to `take` (to move from) a few thousand at a time, so
// that a report keeping only its counts never holds 100,000 summaries; the
// cache's other tables (the letter index) read in between are whole.
class CaseScan {
  public:
    explicit CaseScan(const Mailbox& mailbox, bool use_cache = true);
    ~CaseScan();
    CaseScan(const CaseScan&) = delete;
    CaseScan& operator=(const CaseScan&) = delete;

    // With a choice, rows it leaves out are neither decoded nor handed on
    // (a file read anew is always handed on: `take` still decides). Each
    // summary's group is its whole group (model/group.hpp), every case
    // reachable through links, not only those its file names.
    void each(const std::function<void(IndexEntry&)>& take, const RowChoice* choice = nullptr);
    IndexStats stats() const;
    // From now on each summary's group is the links its file names, for
    // check to see how each was written.
    void links_as_written() { m_as_written = true; }

  private:
    void store(const std::vector<std::string>& gone,
               const std::vector<std::pair<std::string, std::int64_t>>& folders, bool anew);
    // The rows of the files at `todo` (in m_files), in one transaction;
    // the stamps of the files as read.
    std::vector<FileStamp>
    store_rows(const std::vector<std::size_t>& todo, const std::vector<std::string>& gone,
               const std::vector<std::pair<std::string, std::int64_t>>& folders, bool anew);
    std::vector<IndexEntry> entries_of(std::size_t start, std::size_t end,
                                       std::vector<StoredRow>& rows);
    // `since`: the cache's time before they were read (Database::now_ms).
    void store_again(const std::vector<const Parsed*>& parsed, std::int64_t since);
    std::int64_t now_ms(); // 0 without a cache
    Groups read_groups();

    const Mailbox& m_mailbox;
    std::unique_ptr<Database> m_db;
    std::vector<CaseFile> m_files;
    std::vector<FileStamp> m_stamps; // as stat-ed when the pass began, or read by store()
    std::vector<char> m_fresh;       // its row is the file as stamped
    std::size_t m_parsed = 0;
    std::int64_t m_since = 0; // the cache's time before the first stamp
    bool m_as_written = false;
    std::optional<Groups> m_groups; // read before the first entry is handed on
};

// The entries of the cases for which `keep` holds, and of every file that
// does not parse, in path order: the whole mailbox scanned, only these
// held (a round keeps its open cases, a period report the period's).
// A choice spares decoding the rows `keep` would drop anyway; `keep` may
// also trim what it keeps.
std::vector<IndexEntry> load_case_index_if(const Mailbox& mailbox,
                                           const std::function<bool(CaseSummary&)>& keep,
                                           const RowChoice* choice = nullptr);

// Every file's entry, in path order, all held at once: for what looks
// across cases.
std::vector<IndexEntry> load_case_index(const Mailbox& mailbox, IndexStats* stats = nullptr,
                                        bool use_cache = true);

// Where `key` (a TOML path such as "co_units[1]") stands in a case file, for
// a problem found in the index's summary of it. Re-reads only that file.
Position locate_key(const Mailbox& mailbox, const std::string& path, const std::string& key);

} // namespace mailbox
