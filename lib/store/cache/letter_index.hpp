// .mailbox/letters: one line per case with what intake and `show` look up
// across the whole mailbox without reading every case: when the letter was
// received (the cases to compare a new letter with), its Message-ID and
// content hash (a re-import is found), and its sender's keys (the sender's
// other letters).
//
// Whole-mailbox commands (list, check) rewrite it from the case index. Every
// other reader first brings it up to date with the case folders: the file
// records each year folder's modification time, and a folder that changed
// since (a case added, removed or rewritten by this clone, another tool, an
// editor or `git pull`) is listed again and each of its files stat-ed: new
// and changed case files are read, vanished ones dropped. Only a file
// rewritten in place, which leaves its folder's time alone, waits for the
// next list or check. Deleting the file is always safe.
#pragma once

#include "model/case.hpp"
#include "store/cache/case_index.hpp"
#include "store/mailbox.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace mailbox {

struct IndexedLetter {
    std::string id;
    Timestamp received;
    std::string message_id; // empty when none
    std::string content_hash;
    std::vector<std::string> sender_keys; // see sender_keys()
    std::uint64_t stamp = 0;              // of the case file read (file_stamp); 0 unknown
};

IndexedLetter indexed_letter(const Case& c);

class LetterIndex {
  public:
    // Reads .mailbox/letters and brings it up to date, reading only the case
    // files added since.
    explicit LetterIndex(const Mailbox& mailbox);
    // Built from the whole case index.
    LetterIndex(const Mailbox& mailbox, const std::vector<IndexEntry>& entries);

    // The case that holds the letter with this Message-ID, else this content
    // hash; either may be empty.
    std::optional<std::string> find_letter(const std::string& message_id,
                                           const std::string& content_hash) const;
    // Every case whose sender shares a key with `sender`, by id.
    std::vector<std::string> sender_case_ids(const Sender& sender) const;
    // The sender's other letters: every case but c sharing a key with its
    // sender, by id. The one rule for "the same sender" in counts and lists.
    std::vector<std::string> other_letters(const Case& c) const;
    // How many other letters each case's sender wrote, by case id, for every
    // case at once (a sender known by e-mail and phone: the union, each case
    // once).
    std::unordered_map<std::string, int> other_letter_counts() const;
    // The cases received within [from, to], oldest first.
    std::vector<const IndexedLetter*> received_between(const Timestamp& from,
                                                       const Timestamp& to) const;
    const IndexedLetter* find(const std::string& id) const;

    void add(const Case& c);
    // Writes the file if anything changed; a failure to write is ignored, as
    // for every cache.
    void save();

  private:
    void fill(const std::vector<IndexEntry>& entries);
    void parse(const std::string& data);
    void bring_up_to_date();
    void put(IndexedLetter r);

    const Mailbox& m_mailbox;
    std::vector<IndexedLetter> m_records;           // by id
    std::map<std::string, std::int64_t> m_folders;  // year folder -> mtime in ns, 0 unknown
    mutable std::vector<std::size_t> m_by_received; // built on first use
    bool m_changed = false;
};

// For whole-mailbox commands: the letter index built from their case index,
// written when that changed (or the file is missing).
LetterIndex refresh_letter_index(const Mailbox& mailbox, const std::vector<IndexEntry>& entries,
                                 const IndexStats& stats);

// One of the sender's other letters, as show and the digest list them.
struct SenderCase {
    std::string id;
    Timestamp received;
    std::string subject;
    Status status;
};

// The sender's other letters, oldest first, each read from its own file (the
// index may be older than a hand edit).
std::vector<SenderCase> sender_cases(const Mailbox& mailbox, const LetterIndex& letters,
                                     const Case& c);

} // namespace mailbox
