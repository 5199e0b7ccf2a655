// Why a case was suggested its category by what the decided cases teach
// (store/cache/learned.hpp), for show: the n-grams of its letter that
// weigh most for that category, and the decided cases nearest to it.
#pragma once

#include "model/case.hpp"
#include "store/mailbox.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace mailbox {

struct LearnedReason {
    std::size_t cases = 0;          // the decided cases learned from, now
    double confidence = 0;          // of the category suggested, now
    std::vector<std::string> grams; // of its letter, heaviest for it first
    struct Like {
        std::string id, category, unit;
    };
    std::vector<Like> like; // decided cases whose letters share those words, best first
};

// Nothing for a case whose suggestion was not learned.
std::optional<LearnedReason> learned_reason(const Mailbox& mailbox, const Case& c);

} // namespace mailbox
