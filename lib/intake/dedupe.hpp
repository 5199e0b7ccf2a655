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
    const Bigrams* bigrams_of(IndexedLetter& r);
    void weigh(const std::map<std::string, const Bigrams*>& window);

    const Mailbox& m_mailbox;
    const LetterIndex& m_letters;
    // Every letter's bigrams seen in this run, by id: the weights hold
    // pointers into it.
    std::map<std::string, Bigrams> m_seen;
    BigramWeights m_weights; // over the letters in m_weighed
    std::map<std::string, const Bigrams*> m_weighed;
};

} // namespace mailbox
