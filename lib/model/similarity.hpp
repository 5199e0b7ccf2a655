// How alike two letters are, on characters: Chinese has no spaces, so words
// cannot be compared, but pairs of neighbouring characters (bigrams) can.
// Text is first normalised with utf8proc (NFKC folds full-width forms, case
// is folded) and stripped of punctuation, spaces and symbols, so that
// re-punctuating or re-spacing a letter changes nothing.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace mailbox {

// The set of character bigrams of a text, as sorted unique hashes.
using Bigrams = std::vector<std::uint32_t>;

Bigrams bigrams_of(std::string_view text);

// The text a letter is compared on: its subject and body.
Bigrams letter_bigrams(const std::string& subject, const std::string& body);

// Letters' bigrams by case id, for those already made.
using LetterBigrams = std::unordered_map<std::string, Bigrams>;

// How telling each bigram is: one that most letters share (尊敬, 您好, 此致)
// says little, so bigrams are weighted by inverse document frequency over
// the letters compared with. With no letters counted, every weight is equal.
class BigramWeights {
  public:
    void add(const Bigrams& letter);
    void remove(const Bigrams& letter); // one added before
    double weight(std::uint32_t bigram) const;

  private:
    struct Count {
        int df = 0;
        // The weight, kept while the number of letters is still `letters`: a
        // letter is compared with thousands, and std::log is what costs.
        mutable int letters = -1;
        mutable double weight = 0;
    };
    std::unordered_map<std::uint32_t, Count> m_df;
    int m_letters = 0;
};

struct Similarity {
    double dice = 0;        // 2|A∩B| / (|A|+|B|), unweighted: alike as wholes
    double containment = 0; // weighted |A∩B| / min(|A|,|B|): the shorter inside the longer
    double score = 0;       // what the threshold is compared with
};

// The score is the weighted containment, so that a shortened or extended
// resend still scores high; for a very short letter (under 20 bigrams), where
// containment says little, the weighted Dice coefficient instead.
Similarity similarity(const Bigrams& a, const Bigrams& b, const BigramWeights& weights = {});

} // namespace mailbox
