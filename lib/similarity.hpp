// How alike two letters are, on characters: Chinese has no spaces, so words
// cannot be compared, but pairs of neighbouring characters (bigrams) can.
// Text is first normalised with utf8proc (NFKC folds full-width forms, case
// is folded) and stripped of punctuation, spaces and symbols, so that
// re-punctuating or re-spacing a letter changes nothing.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace mailbox {

// The set of character bigrams of a text, as sorted unique hashes.
using Bigrams = std::vector<std::uint32_t>;

Bigrams bigrams_of(std::string_view text);

struct Similarity {
    double dice = 0;        // 2|A∩B| / (|A|+|B|): alike as wholes
    double containment = 0; // |A∩B| / min(|A|,|B|): the shorter inside the longer
    double score = 0;       // what the threshold is compared with
};

Similarity similarity(const Bigrams& a, const Bigrams& b);

} // namespace mailbox
