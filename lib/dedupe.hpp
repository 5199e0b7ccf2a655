// Finding the same letter sent twice (一稿多投) without reading every case:
// the character bigrams of each case are kept in .mailbox/bigrams/YYYY-MM, one
// file per month of receipt, each entry tied to its case file's stamp. Only
// the months within dedupe.window_days of a new letter are loaded; an entry
// whose case file changed since (a hand edit, a git pull) is read again from
// that one file. The files are a cache: deleting them is always safe.
#pragma once

#include "case.hpp"
#include "case_index.hpp"
#include "config.hpp"
#include "similarity.hpp"
#include "store.hpp"

#include <map>
#include <optional>
#include <set>
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
    // `entries` is the fresh case index; the matcher reads bigrams of the
    // cases it needs from .mailbox/bigrams or, when stale, from the case file.
    LetterMatcher(const Mailbox& mailbox, const std::vector<IndexEntry>& entries);

    // The most alike case received within the window around c.received that
    // reaches the threshold, if any.
    std::optional<DedupeHit> best_match(const Case& c, const Bigrams& bigrams);

    // A case registered in this run, to be matched by the letters after it.
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
    const Bigrams* bigrams_of_case(const Case& summary, const std::string& path,
                                   std::uint64_t stamp);

    const Mailbox& m_mailbox;
    std::vector<const IndexEntry*> m_cases; // parsed cases, by received time
    std::map<std::string, Month> m_months;
    std::vector<std::pair<Case, Bigrams>> m_added;
    BigramWeights m_weights;         // over every letter looked at so far
    std::set<std::string> m_weighed; // ids already counted in m_weights
};

} // namespace mailbox
