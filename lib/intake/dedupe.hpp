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
#include <span>
#include <string>
#include <unordered_map>
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

// Dense numbers for bigram hashes, in an open-addressing table: a window
// of 16,000 letters asks it some three million times, and a node-based map
// spent most of a duplicate check allocating.
class TermNumbers {
  public:
    // The number of `hash`; a new one gets `next`, and `added` says so.
    std::uint32_t number(std::uint32_t hash, std::uint32_t next, bool& added);
    std::optional<std::uint32_t> find(std::uint32_t hash) const;

  private:
    std::size_t slot_of(std::uint32_t hash) const;
    void grow();
    std::vector<std::uint64_t> m_slots; // hash << 32 | (number + 1); 0: empty
    std::size_t m_used = 0;
    int m_bits = 0;
};

// Whether `holds`, which holds for a weight if it holds for any heavier one,
// holds for a weight known only to lie within `off` of `kept`: `exact()`
// is asked only when the two ends disagree.
template <typename Holds, typename Exact>
bool holds_within(double kept, double off, Holds holds, Exact exact) {
    if (holds(kept + off)) {
        return true;
    }
    if (off == 0 || !holds(kept - off)) {
        return false;
    }
    return holds(exact());
}

// How a batch's matcher trades one cost for another; any values give the
// same matches and scores, bit for bit.
struct MatcherTuning {
    // At most this many letters of a window are read whole for being light
    // (see LetterMatcher::share_by_rare_terms).
    std::size_t light = 128;
    // A bigram held by this many letters or more has its changes of weight
    // passed to them in bulk (see LetterMatcher::weigh) ...
    std::size_t bulk_holders = 1024;
    // ... once the letters' sums of weights may be this far (in log units)
    // from their exact values.
    double bulk_slack = 1.0;
};

class LetterMatcher {
  public:
    explicit LetterMatcher(const Mailbox& mailbox, const LetterIndex& letters,
                           MatcherTuning tuning = {});

    // The most alike case received within the window around c.received that
    // reaches the threshold, if any. The bigrams are weighted over the letters
    // in that window only, so that a letter in a batch is matched as it would
    // be on its own. Scores as similarity() does, without comparing the
    // letter with each case in turn: a batch of thousands meets a window of
    // thousands.
    std::optional<DedupeHit> best_match(const CaseSummary& c, const Bigrams& bigrams);

    // A case registered in this run (and added to the letter index), to be
    // matched by the letters after it.
    void add(const CaseSummary& c, const Bigrams& bigrams);

  private:
    // A letter the matcher has seen: fetched from the letter index, or
    // registered in this run. Its bigrams are term numbers (see m_terms).
    struct Known {
        std::string id;
        std::int64_t received = 0; // seconds since the epoch
        std::vector<std::string> sender_keys;
    };
    // The letter being matched: its weight, and the slots sharing a bigram.
    struct Weighed {
        std::size_t bigrams = 0;
        double log_letters = 0; // log(letters in the window + 1)
        double weight = 0;
        std::vector<std::uint32_t> touched;
    };
    // Brings every letter received within [from, to] (seconds) into
    // m_known, asking the letter index only for the spans not asked before:
    // a batch's letters have overlapping windows.
    void fetch(std::int64_t from, std::int64_t to);
    std::vector<IndexedLetter> far_letters(const CaseSummary& c, std::int64_t lo,
                                           std::int64_t hi) const;
    std::optional<DedupeHit> best_match_alone(const CaseSummary& c, const Bigrams& bigrams,
                                              const Timestamp& from, const Timestamp& to,
                                              double floor);
    void know(const std::string& id, std::int64_t received, std::vector<std::string> sender_keys,
              Bigrams bigrams);
    std::uint32_t term_of(std::uint32_t bigram); // numbered when first met
    void reserve_holders(const std::vector<IndexedLetter>& letters);
    void order_by_time(std::size_t sorted);
    void weigh(const std::vector<std::uint32_t>& window);
    void reweigh(std::uint32_t term, std::int64_t now, bool push);
    void push_pending();
    std::int64_t exact_log_sum(std::uint32_t slot);
    double exact_weight(std::uint32_t slot, double log_letters);
    template <typename Holds>
    bool surely(std::uint32_t slot, double log_letters, Holds holds);
    Weighed share(const Bigrams& bigrams, const std::vector<std::uint32_t>& window, double floor);
    void take(Weighed& w, std::uint32_t slot, std::int64_t weight);
    void take_holders(Weighed& w, std::uint32_t term);
    void share_by_letter(Weighed& w, const std::vector<std::uint32_t>& terms,
                         const std::vector<std::uint32_t>& window);
    void share_by_rare_terms(Weighed& w, std::vector<std::uint32_t>& terms,
                             const std::vector<std::uint32_t>& window, double floor);
    double lightest(const std::vector<std::uint32_t>& window, double log_letters);
    void post_holders();
    Similarity score(const Weighed& letter, std::uint32_t slot);

    const Mailbox& m_mailbox;
    const LetterIndex& m_letters;
    std::vector<Known> m_known; // a letter known again: a new slot
    // Slot → its terms, all in one vector: a batch's check reads the terms of
    // letters met at random, and each read through its own vector was two
    // misses of the cache, not one.
    std::vector<std::uint32_t> m_term_list;
    std::vector<std::size_t> m_term_start{0}; // slot s's are [start[s], start[s + 1])
    std::span<const std::uint32_t> terms_of(std::uint32_t s) const {
        return {m_term_list.data() + m_term_start[s], m_term_list.data() + m_term_start[s + 1]};
    }
    std::uint32_t term_count(std::uint32_t s) const {
        return static_cast<std::uint32_t>(m_term_start[s + 1] - m_term_start[s]);
    }
    std::unordered_map<std::string, std::uint32_t> m_slot;         // id → its newest slot
    std::vector<std::pair<std::int64_t, std::uint32_t>> m_by_time; // (received, slot), newest only
    std::vector<std::pair<std::int64_t, std::int64_t>> m_fetched;  // closed spans, sorted

    // Every bigram met gets a term number, so that counts and the slots
    // holding it are vectors, not maps: a letter has hundreds of bigrams,
    // a window thousands of letters.
    TermNumbers m_terms;
    // Term → slots holding it, kept from a batch's second letter on: for
    // one letter, making them cost more than reading the window once.
    std::vector<std::vector<std::uint32_t>> m_holders;
    bool m_postings = false;
    std::uint32_t m_matched = 0;
    std::vector<std::uint8_t> m_marked; // term → in the letter being matched (no postings)
    std::vector<int> m_df;              // term → letters in the window holding it
    std::vector<std::int64_t> m_log_df; // term → log(df + 0.5), fixed point
    // A common bigram's weight changes at nearly every letter, and its
    // thousands of holders each took the change: a fifth of an import. Its
    // changes wait here instead, and go to its holders together; until
    // then a slot's sum (m_log_sum) is off by at most m_pending_bound, and
    // is made exact only where that could change a decision.
    std::vector<std::int64_t> m_posted_log_df; // term → the log its holders' sums hold
    std::vector<std::uint8_t> m_is_pending;
    std::vector<std::uint32_t> m_pending;    // terms whose holders wait for a change
    std::int64_t m_pending_bound = 0;        // Σ |log_df − posted| over them
    std::vector<std::uint32_t> m_term_round; // term → the weighing that last changed it
    std::vector<std::uint32_t> m_window;     // slots in the window, by time
    std::uint32_t m_round = 0;
    // Slot → what a weighing keeps of it: whether it is in the window (in
    // m_share), the last weighing that found it there, and the sum of
    // log(df + 0.5) over its terms, in fixed point (its weight is terms ×
    // log(letters + 1) less it).
    std::vector<std::uint8_t> m_marked_slot; // dropped by the letter being matched
    std::vector<std::uint32_t> m_round_of;
    std::vector<std::int64_t> m_log_sum;
    std::vector<std::int64_t> m_exact_log_sum; // slot → its exact sum, made this round
    std::vector<std::uint32_t> m_exact_round;
    MatcherTuning m_tuning;
    double m_lightest = 0; // see lightest()
    std::uint32_t m_lightest_age = 0;
    // Slot → what the letter being matched shares with it: the sum of the
    // shared bigrams' log(df + 0.5), and their number, zero between matches;
    // and whether it is in the window. Together, since walking a term's
    // holders asks all three of each: one line of the cache, not three.
    struct Share {
        std::int64_t log_df = 0;
        std::uint32_t common = 0;
        std::uint8_t in_window = 0;
    };
    std::vector<Share> m_share;
};

} // namespace mailbox
