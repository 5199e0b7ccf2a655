// Finding the same letter sent twice (一稿多投) without reading every case:
// the letter index (.mailbox/letters) says which cases were received within
// dedupe.window_days of a new letter, and the character bigrams of each case
// are kept in .mailbox/bigrams/YYYY-MM, one file per month of receipt, each
// entry tied to its case file's stamp. Only those cases' files are stat-ed;
// an entry whose case file changed since (a hand edit, a git pull) is read
// again from that one file. The files are a cache: deleting them is always
// safe.
#pragma once

#include "model/case.hpp"
#include "model/config.hpp"
#include "model/similarity.hpp"
#include "store/cache/letter_index.hpp"
#include "store/mailbox.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mailbox {

struct DedupeHit {
    std::string id;
    Similarity similarity;
    bool same_sender = false;
};

// The text a letter is compared on.
Bigrams letter_bigrams(const std::string& subject, const std::string& body);

// The score a pair must reach: the configured threshold, lowered for a
// sender rewriting their own letter (a shared e-mail or phone); a shared
// contact never links on its own.
double link_threshold(const DedupeRules& rules, bool same_sender);

class LetterMatcher {
  public:
    // The matcher reads the bigrams of the cases it needs from
    // .mailbox/bigrams or, when stale, from the case file.
    LetterMatcher(const Mailbox& mailbox, const LetterIndex& letters);

    // The most alike case received within the window around c.received that
    // reaches the threshold, if any. The bigrams are weighted over the letters
    // in that window only, so that a letter in a batch is matched as it would
    // be on its own.
    std::optional<DedupeHit> best_match(const Case& c, const Bigrams& bigrams);

    // A case registered in this run (and added to the letter index), to be
    // matched by the letters after it.
    void add(const Case& c, Bigrams bigrams);

    // Writes the month files that changed (not in a dry run).
    void save();

  private:
    struct Entry {
        std::string path;
        std::uint64_t stamp = 0;
        Bigrams bigrams;
    };
    struct Month {
        std::map<std::string, Entry> by_id;
        bool dirty = false;
    };
    Month& month(const std::string& key);
    const Bigrams* bigrams_of(const IndexedLetter& r);
    void weigh(const std::map<std::string, const Bigrams*>& window);

    const Mailbox& m_mailbox;
    const LetterIndex& m_letters;
    std::map<std::string, Month> m_months;
    std::map<std::string, Bigrams> m_added; // registered in this run
    BigramWeights m_weights;                // over the letters in m_weighed
    std::map<std::string, const Bigrams*> m_weighed;
};

} // namespace mailbox
