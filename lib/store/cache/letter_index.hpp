// What intake and `show` look up across the whole mailbox without reading
// every case, from the cache's rows (store/cache/case_index.hpp): when each
// letter was received (the cases to compare a new letter with) and its
// bigrams, its Message-ID and content hash (a re-import is found), and its
// sender's keys (the sender's other letters).
//
// Opening it brings the rows of every year folder changed since it was last
// listed up to date (a case added, removed or replaced by this clone,
// another tool, an editor or `git pull`); a file rewritten in place, which
// leaves its folder's time alone, is seen at the next whole-mailbox command
// (list, check). The cache may be deleted at any time.
#pragma once

#include "model/case.hpp"
#include "model/group.hpp"
#include "model/similarity.hpp"
#include "store/cache/database.hpp"
#include "store/mailbox.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace mailbox {

struct IndexedLetter {
    std::string id;
    Timestamp received;
    std::vector<std::string> sender_keys; // see sender_keys()
    Bigrams bigrams;                      // see letter_bigrams()
};

// Letters as the cache holds them, in a few flat arrays rather than a
// string and two vectors each: a single letter's duplicate check reads a
// window of thousands once, and allocating for each was a third of it.
class PackedLetters {
  public:
    std::size_t size() const { return m_rows.size(); }
    std::string_view id(std::size_t i) const;
    std::int64_t received(std::size_t i) const { return m_rows[i].received; } // epoch seconds
    std::span<const std::uint32_t> bigrams(std::size_t i) const;
    std::vector<std::string_view> sender_keys(std::size_t i) const;

    void clear();
    // `keys` are the sender's keys a line each; `bigrams`, encode_bigrams().
    void push(std::string_view id, std::int64_t received, std::string_view keys,
              std::string_view bigrams);
    void push(const IndexedLetter& letter);

  private:
    struct Row {
        std::int64_t received = 0;
        const std::uint32_t* bigrams_at = nullptr;
        std::size_t text_at = 0;
        std::uint32_t bigrams = 0, id_size = 0, keys_size = 0;
    };
    std::uint32_t* room_for(std::size_t bigrams);
    std::vector<Row> m_rows;
    // The bigrams, in blocks that are never moved: growing one array
    // touched each page twice, and a fresh page costs a fault.
    std::vector<std::pair<std::unique_ptr<std::uint32_t[]>, std::size_t>> m_blocks; // and size
    std::size_t m_free = 0; // left in the last block
    std::string m_text;     // each row's id, then its keys
};

class LetterIndex {
  public:
    explicit LetterIndex(const Mailbox& mailbox);
    ~LetterIndex();

    // The case that holds the letter with this Message-ID, else this content
    // hash; either may be empty.
    std::optional<std::string> find_letter(const std::string& message_id,
                                           const std::string& content_hash) const;
    // Every case whose sender shares a key with `sender`, by id.
    std::vector<std::string> sender_case_ids(const Sender& sender) const;
    // The sender's other letters: every case but c sharing a key with its
    // sender, by id. The one rule for "the same sender" in counts and lists.
    std::vector<std::string> other_letters(const CaseSummary& c) const;
    // How many other letters each case's sender wrote, by case id, for every
    // case at once (a sender known by e-mail and phone: the union, each case
    // once); a case whose sender left nothing to know them by is absent.
    std::unordered_map<std::string, int> other_letter_counts() const;
    // The ids of the other cases of c's group, joined as list joins them
    // (a link counts whichever of its two cases names it), each member's
    // links read from its row where the cache vouches for its file: a
    // campaign's group of hundreds is not read file by file. The `known`
    // cases' links are taken as they are (a command's cases, written or not).
    std::vector<std::string> group_of(const Case& c, const std::vector<Case>& known = {}) const;
    // The case and its group (一稿多投) as group_of joins it, the case first,
    // then by id, each read from its file before any is written.
    std::vector<Case> load_group(const std::string& id) const;
    // The groups the cases' links make (model/group.hpp), as the cache
    // has them.
    Groups groups() const;
    // The cases received within [from, to], oldest first.
    std::vector<IndexedLetter> received_between(const Timestamp& from, const Timestamp& to) const;
    // The same letters in the same order, packed (replacing what `out` held).
    void received_between(const Timestamp& from, const Timestamp& to, PackedLetters& out) const;
    std::optional<IndexedLetter> find(const std::string& id) const;
    // The letters received within [from, to] of the senders known by one of
    // `keys`, oldest first, through the index of senders: a sender's letters
    // a year back are found without reading the letters between.
    std::vector<IndexedLetter> sender_letters(const std::vector<std::string>& keys,
                                              const Timestamp& from, const Timestamp& to) const;

    // How many year folders opening it listed (changed since last listed).
    std::size_t folders_listed() const { return m_listed; }

    // A case this command wrote: its row is stored anew (kept for this run
    // only when the cache cannot take it). Open the index before writing:
    // the year folder, found listed, then need not be listed again by the
    // next command.
    void add_written(const Case& c);
    // A case not written, or not yet: one a dry run would have written, or
    // one an import holds. This run sees it over its stored row; the row
    // stays as the file is, for the next command trusts it by the file's
    // stamp. `bigrams`, when given, are its letter's (letter_bigrams()),
    // made once by a caller that has them.
    void add_unwritten(const Case& c, std::optional<Bigrams> bigrams = std::nullopt);
    // Saves the cases (Mailbox::save_all) and adds each: the way a command
    // writes cases it has changed, so that the next one need not read them.
    void save(const std::vector<Case>& cases);
    // Adds the new cases Mailbox::save_new has just written, with the cases
    // they changed: the way an import stores what it has held.
    void index_new(std::vector<Case> fresh, std::vector<Case> changed);

  private:
    // The links the file of case `id` names, from its row, when the row
    // vouches for the file as it is now; nothing when it cannot.
    std::optional<std::vector<std::string>> trusted_links(const std::string& id) const;
    // Runs f on the cache; when the cache fails under it (a full disk, a
    // damaged page), on a cache made in memory for this run.
    template <typename F>
    auto guarded(F&& f) const -> decltype(f()) {
        try {
            return f();
        } catch (const Error&) {
            if (!use_memory()) {
                throw;
            }
            return f();
        }
    }
    bool use_memory() const;
    void make_bigrams(std::string_view condition, const std::vector<std::int64_t>& numbers,
                      const std::string& text) const;
    std::vector<IndexedLetter> letters_where(std::string_view condition,
                                             const std::vector<std::int64_t>& numbers,
                                             const std::string& text = {}) const;

    const Mailbox& m_mailbox;
    // Every year folder listed on opening: set by m_db's initializer, so
    // declared before it.
    bool m_fresh = false;
    std::size_t m_listed = 0;
    mutable std::unique_ptr<Database> m_db;
    mutable bool m_in_memory = false;
    struct Unwritten { // a dry run's case: in no file, so in no row
        IndexedLetter letter;
        std::string message_id, content_hash;
    };
    std::vector<Unwritten> m_unwritten;
    // Where each is, by id; the ids holding each Message-ID ("m" + it) and
    // content hash ("h" + it): a dry run of a big import asks once a letter.
    std::unordered_map<std::string, std::size_t> m_unwritten_at;
    std::unordered_map<std::string, std::set<std::string>> m_unwritten_keys;
    void unwritten_key(const std::string& key, const std::string& id, bool add);
    void index_written(const std::vector<Case>& cases, const LetterBigrams* known = nullptr);
    LetterBigrams forget_unwritten(const std::vector<Case>& written);
};

// One of the sender's other letters, as show and the digest list them.
struct SenderCase {
    std::string id;
    Timestamp received;
    std::string subject;
    Status status;
};

// The sender's other letters, oldest first, each read from its own file (the
// cache may be older than a hand edit).
std::vector<SenderCase> sender_cases(const Mailbox& mailbox, const LetterIndex& letters,
                                     const CaseSummary& c);

} // namespace mailbox
