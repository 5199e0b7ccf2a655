// Learning a category or a unit from the office's own assigned cases. A
// letter is read as the character n-grams of its text (one and two
// characters: Chinese has no spaces to find words by), and a label is
// chosen by complement naive Bayes (Rennie et al., 2003): for each label,
// how badly the letter fits every other label's letters. It learns by
// counting, so a case is learned or forgotten in time proportional to its
// length, and the same cases give the same counts in any order (up to the
// rounding of their sums).
#pragma once

#include "util/flat_index.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace mailbox {

// A letter's n-grams and how much each weighs in it: log(1 + count), the
// whole made of length 1, so that a long letter does not outvote a short
// one. An n-gram is its code points packed 21 bits each, the first
// highest: a code point is never 0, so n-grams of different lengths never
// meet, and no two n-grams share a key.
// Two arrays, not pairs: a mailbox's evaluation holds every letter's.
struct Features {
    std::vector<std::uint64_t> grams; // sorted
    std::vector<float> weights;       // of grams[i]
};

// The subject counts twice: it is the letter's own summary.
Features features_of(std::string_view subject, std::string_view body);

// The n-gram as text: "路灯".
std::string ngram_text(std::uint64_t ngram);

struct Guess {
    std::string label;
    double confidence = 0; // 0..1: how far ahead of the others, see classify
    // The n-grams that weighed most for the label, heaviest first.
    std::vector<std::pair<std::string, double>> reasons;
};

class Classifier {
  public:
    // Learns (sign +1) or forgets (sign -1, the same features and label it
    // learned) one letter.
    void learn(const Features& f, const std::string& label, int sign = 1);

    // The label that fits best, or nothing when no label has been learned.
    // Two labels or more: the confidence is the softmax of the labels'
    // scores; one label only: 1.
    std::optional<Guess> classify(const Features& f, std::size_t reasons = 0) const;

    // The n-grams of the letter that weighed most for `label`, heaviest
    // first: none for a label never learned.
    std::vector<std::pair<std::string, double>> reasons(const Features& f, const std::string& label,
                                                        std::size_t count) const;

    std::size_t letters() const { return m_letters; }
    std::vector<std::string> labels() const; // those with letters, sorted

    // The counts as bytes, to be kept as a cache of this machine (in its
    // byte order), and read back: nothing when the bytes are not such a
    // copy (another version, cut short, damaged), and the cache is made
    // again. N-grams all forgotten are left out.
    std::string to_bytes() const;
    static std::optional<Classifier> from_bytes(std::string_view bytes);

  private:
    struct Label {
        std::string name;
        int letters = 0;
        double total = 0; // the sum of its letters' weights
    };
    std::vector<Label> m_labels;
    std::unordered_map<std::string, std::size_t> m_label_index;
    // Per n-gram: its weight summed over all letters, and per label. An
    // n-gram whose letters are all forgotten stays, at 0: a case forgotten
    // is most often learned again at once (a re-assignment, a fold).
    struct Counts {
        double all = 0;
        std::vector<std::pair<std::uint32_t, double>> by_label;
    };
    FlatIndex m_gram_index; // n-gram -> its Counts in m_counts
    std::vector<Counts> m_counts;
    double m_total = 0;
    std::ptrdiff_t m_vocabulary = 0; // the n-grams some letter learned has
    std::size_t m_letters = 0;

    std::size_t label_index(const std::string& name);
    const Counts* counts_of(std::uint64_t gram) const;
    std::vector<std::pair<std::string, double>> reasons_for(const Features& f, std::uint32_t label,
                                                            std::size_t count) const;
};

} // namespace mailbox
