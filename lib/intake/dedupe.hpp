// Finding the same letter sent twice (一稿多投) without reading every case:
// the letter index (store/cache/letter_index.hpp) gives the cases received
// within dedupe.window_days of a new letter with the character bigrams of
// each, as the cache read them from its file.
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

// The score a pair must reach: the configured threshold, lowered for a
// sender rewriting their own letter (a shared e-mail or phone); a shared
// contact never links on its own.
double link_threshold(const DedupeRules& rules, bool same_sender);

class LetterMatcher {
  public:
    explicit LetterMatcher(const Mailbox& mailbox, const LetterIndex& letters);

    // The most alike case received within the window around c.received that
    // reaches the threshold, if any. The bigrams are weighted over the letters
    // in that window only, so that a letter in a batch is matched as it would
    // be on its own.
    std::optional<DedupeHit> best_match(const Case& c, const Bigrams& bigrams);

    // A case registered in this run (and added to the letter index), to be
    // matched by the letters after it.
    void add(const Case& c, Bigrams bigrams);

  private:
    // A letter the matcher has seen: fetched from the letter index, or
    // registered in this run.
    struct Known {
        std::int64_t received = 0; // seconds since the epoch
        std::vector<std::string> sender_keys;
        Bigrams bigrams;
    };
    // Brings every letter received within [from, to] (seconds) into
    // m_known, asking the letter index only for the spans not asked before:
    // a batch's letters have overlapping windows.
    void fetch(std::int64_t from, std::int64_t to);
    void know(const std::string& id, Known k);
    void weigh(const std::map<std::string, const Bigrams*>& window);

    const Mailbox& m_mailbox;
    const LetterIndex& m_letters;
    std::map<std::string, Known> m_known; // the weights point into it
    std::multimap<std::int64_t, std::string> m_by_time;
    std::vector<std::pair<std::int64_t, std::int64_t>> m_fetched; // closed spans, sorted
    BigramWeights m_weights;                                      // over the letters in m_weighed
    std::map<std::string, const Bigrams*> m_weighed;
};

} // namespace mailbox
