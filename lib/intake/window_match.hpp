// One letter's duplicate check on a window read once (`mailbox-intake
// new`, or the first letter of a batch): the scores of similarity(), made
// from the bigrams' document frequencies in the window, without numbering
// every bigram of the window. Numbering them (intake/dedupe.hpp) pays for
// itself only when a batch's letters share the table.
#pragma once

#include "model/similarity.hpp"
#include "store/cache/letter_index.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string_view>
#include <vector>

namespace mailbox {

// A bigram's weight is log((letters + 1) / (df + 0.5)), its inverse document
// frequency (model/similarity.hpp); a letter's weight, the sum over its
// bigrams, is then bigrams × log(letters + 1) less the sum of log(df + 0.5).
// Those logs are summed in fixed point: a sum kept up to date as letters
// enter and leave a window then equals the same sum made afresh, bit for
// bit, so that a letter scores the same whichever way it is matched.
inline constexpr double k_fixed = 4294967296.0; // 2^32: a bigram's log to 2^-32

inline std::int64_t fixed_log(int df) {
    return std::llround(std::log(df + 0.5) * k_fixed);
}

// Inline: the batch's matcher asks it for every letter of every window.
inline double weight_of(std::size_t bigrams, std::int64_t log_df, double log_letters) {
    return static_cast<double>(bigrams) * log_letters - static_cast<double>(log_df) / k_fixed;
}

// similarity() of two letters of `a` and `b` bigrams sharing `common`, from
// their weights and the shared weight (each from weight_of): the one place
// both ways of matching make a score, so that they agree bit for bit.
Similarity similarity_of(std::size_t a, std::size_t b, std::size_t common, double wa, double wb,
                         double wc);

// A letter of the window, by its place, and how alike it is.
struct WindowMatch {
    std::size_t letter = 0;
    Similarity similarity;
};

// Every letter of `window` but those named `self` that could score `floor`
// (> 0) or more against `bigrams`, with its exact score, in window order;
// the others score under it. A letter's id met twice counts the first time
// only, as the batch's matcher counts it.
std::vector<WindowMatch> window_matches(const PackedLetters& window, std::string_view self,
                                        const Bigrams& bigrams, double floor);

// How alike a letter outside the window (a sender's letter a year back) is
// to the new one, weighed as the window weighs, itself counted among the
// letters holding each of its bigrams: `df(b)` is how many letters of the
// window hold bigram b. The one place both ways of matching make it.
template <typename Df>
Similarity far_similarity(const Bigrams& mine, double my_weight, double log_letters,
                          const Bigrams& theirs, Df df) {
    std::size_t common = 0;
    std::int64_t shared = 0, all = 0;
    auto m = mine.begin();
    for (std::uint32_t b : theirs) { // both sorted
        std::int64_t l = fixed_log(df(b) + 1);
        all += l;
        m = std::lower_bound(m, mine.end(), b);
        if (m != mine.end() && *m == b) {
            ++common;
            shared += l;
        }
    }
    return similarity_of(mine.size(), theirs.size(), common, my_weight,
                         weight_of(theirs.size(), all, log_letters),
                         weight_of(common, shared, log_letters));
}

// far_similarity of each of `far` with the window's letters counted here.
std::vector<Similarity> far_matches(const PackedLetters& window, std::string_view self,
                                    const Bigrams& bigrams, const std::vector<IndexedLetter>& far);

} // namespace mailbox
