// The only code that writes the rows of case files into the cache, and the
// times of the year folders listed: a row written anew or dropped also
// drops its sender keys and kills its document in the full-text index.
#pragma once

#include "model/group.hpp"
#include "model/similarity.hpp"
#include "store/cache/case_row.hpp"
#include "store/cache/database.hpp"
#include "store/mailbox.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace mailbox {

// A case file's row as read back, not yet decoded: its stamp then, and when
// it was written.
struct StoredRow {
    std::string path;
    FileStamp stamp;
    std::int64_t written = 0; // milliseconds, before the file was read
    std::string entry;
    int others = 0;     // the sender's other letters
    bool chosen = true; // false: left out by a RowChoice, entry not read
};

// Whether a file or folder modified at `mtime` (nanoseconds) was settled
// when it was about to be read at `since` (milliseconds): a later change
// cannot have kept its time (git's "racily clean" files). A time is stamped
// from a clock that advances a tick at a time (a few milliseconds) and may
// be of whole seconds only, where nanoseconds are all zero: a tenth of a
// second before, or two seconds before for whole seconds.
bool settled(std::int64_t mtime, std::int64_t since);

// A row is trusted while its file's stamp is the one recorded and the file
// was settled when read.
bool trusted(const StoredRow& row, const FileStamp& now);

// Every row's path and stamps (no entry), in path order.
std::vector<StoredRow> read_stamps(Database& db);

// How many case files a bulk read parses, stores or decodes at once: a
// whole mailbox's summaries, bigrams or search terms held at once took
// hundreds of megabytes.
constexpr std::size_t k_files_at_once = 4096;

// The rows whose paths sort after `after` and not after `through`, in path
// order (SQLite's and std::string's byte order): a range at a time, so that
// a mailbox's rows are never all in memory at once. Rows `choice` leaves
// out come with their stamps but no entry.
std::vector<StoredRow> read_rows(Database& db, const std::string& after, const std::string& through,
                                 const RowChoice* choice = nullptr);

// The groups that the links of the linked cases' rows make (the field
// `group`), of the rows whose paths `vouched` accepts: a few rows, read
// through their own index before any case is.
Groups read_groups(Database& db, const std::function<bool(const std::string& path)>& vouched);
// Its query: from the index cases_links alone, never a case's row.
constexpr std::string_view k_groups_query =
    "SELECT path, id, links FROM cases WHERE grouped ORDER BY path";

// A parsed case file as the cache stores it.
struct Parsed {
    FileStamp stamp; // taken before reading: a later change is seen next time
    IndexEntry entry;
    // None for an older letter read from its file: made when a window of
    // letters that holds it is first read (see letter_bigrams_of()).
    std::optional<Bigrams> bigrams;
};

// When the letters the newest of `files` are compared with begin: the
// duplicate check's window before the newest's registration (by its id).
// Their bigrams are made with their rows, while the file is parsed anyway;
// older letters' only when a window holding them is read.
std::int64_t bigrams_from(const Mailbox& mailbox, const std::vector<CaseFile>& files);

// The rows of `files` as they read now, from every core, with the bigrams
// of the letters received from `bigrams_from` (epoch seconds) on.
std::vector<Parsed> parse_files(const Mailbox& mailbox, const std::vector<CaseFile>& files,
                                std::int64_t bigrams_from);

// The bigrams of the letter in this case file as it reads now; none when it
// cannot be read or parsed (its row then goes at the next refresh).
Bigrams letter_bigrams_of(const Mailbox& mailbox, const CaseFile& file);

// How many other letters each case's sender wrote, by path, for every case
// whose sender left something to know them by (a sender known by e-mail and
// phone: the union, each case once).
std::vector<std::pair<std::string, int>> count_other_letters(Database& db);

// Call finish() before committing: it brings each case's count of its
// sender's other letters up to the sender keys written. Every file put was
// read at `since` (Database::now_ms) or after.
class RowWriter {
  public:
    RowWriter(Database& db, std::int64_t since);
    void put(const Parsed& p);
    // Parses `files` on every core and writes their rows, k_files_at_once
    // at a time.
    // The stamps of the files as read, in their order.
    std::vector<FileStamp> put_files(const Mailbox& mailbox, const std::vector<CaseFile>& files);
    void drop(const std::string& path);
    // Counts again the other letters of every case sharing a sender key
    // with a row put or dropped: case by case for a few, all at once for
    // many.
    void finish();

  private:
    void bind_text_or_null(int i, const std::optional<std::string>& s);
    void touch(const std::string& key);
    void drop_keys(const std::string& path); // noting them as touched
    void drop_doc(const std::string& path);
    bool teaches_nothing(const std::string& path, const CaseSummary& c);
    void drop_letter(const std::string& path);
    Database& m_db;
    std::int64_t m_since;
    void count_all();
    void count_touched();
    Statement m_put, m_drop, m_put_letter, m_drop_letter, m_drop_keys, m_put_key, m_drop_doc,
        m_count_dead, m_keys_of, m_drop_count, m_gone_taught, m_taught;
    std::set<std::string> m_touched;   // sender keys whose cases' counts may have changed
    bool m_count_all = false;          // so many touched that all are counted again
    std::optional<std::size_t> m_many; // touched keys that cost more than counting all
};

// After a command wrote cases to their files: their rows anew, in one
// transaction; the bigrams of those `known` holds are not made again.
void index_written_cases(Database& db, const Mailbox& mailbox, const std::vector<Case>& cases,
                         const LetterBigrams* known = nullptr);

// The year folder of a case file's path ("2026" of cases/2026/…).
std::string case_folder(const std::string& path);
// A folder's modification time in nanoseconds; 0 when unknown.
std::int64_t folder_time(const std::filesystem::path& dir);
// Records each year folder as listed at that time, which was taken at
// `since` (Database::now_ms) or after.
void put_folders(Database& db, const std::vector<std::pair<std::string, std::int64_t>>& folders,
                 std::int64_t since);

} // namespace mailbox
