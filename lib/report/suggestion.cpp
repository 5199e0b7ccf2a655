#include "report/suggestion.hpp"

#include "model/classifier.hpp"
#include "store/cache/learned.hpp"
#include "store/cache/search_index.hpp"
#include "util/text.hpp"

#include <algorithm>
#include <cmath>

namespace mailbox {

namespace {

constexpr std::size_t k_grams = 5; // shown
constexpr std::size_t k_like = 3;  // cases shown

// The softmax confidence of `label` among the labels' scores is what
// classify gives its winner; for another label, its guess is not the
// winner and the share it would have is not kept: 0 says so.
double confidence_of(const Classifier& c, const Features& f, const std::string& label) {
    std::optional<Guess> g = c.classify(f);
    return g && g->label == label ? g->confidence : 0;
}

// Decided cases of the category suggested that share the heaviest words
// (two characters or more: a search finds words, and one character finds
// half the mailbox): the first three together, then two, then each alone.
std::vector<LearnedReason::Like> like_cases(const Mailbox& m, const Case& c,
                                            const std::vector<std::string>& grams) {
    std::vector<std::string> words;
    for (const std::string& g : grams) {
        if (folded_letters(g).size() > 1) {
            words.push_back(g);
        }
    }
    std::vector<std::string> queries;
    for (std::size_t n = std::min<std::size_t>(words.size(), 3); n > 1; --n) {
        std::string query;
        for (std::size_t i = 0; i < n; ++i) {
            query += (i ? " " : "") + words[i];
        }
        queries.push_back(query);
    }
    queries.insert(queries.end(), words.begin(), words.end());
    std::vector<LearnedReason::Like> out;
    SearchIndex index(m);
    for (const std::string& query : queries) {
        if (out.size() >= k_like) {
            break;
        }
        index.search(query, [&](SearchHit&& hit) {
            const CaseSummary& s = *hit.entry.summary;
            bool seen = std::any_of(out.begin(), out.end(),
                                    [&](const LearnedReason::Like& l) { return l.id == s.id; });
            if (s.id != c.id && !seen && s.category == c.suggested_category) {
                out.push_back({s.id, s.category.value_or(""), s.handler.value_or("")});
            }
            return out.size() < k_like;
        });
    }
    return out;
}

} // namespace

std::optional<LearnedReason> learned_reason(const Mailbox& mailbox, const Case& c) {
    if (c.suggested_by != "learned" || !c.suggested_category) {
        return std::nullopt;
    }
    LearnedSuggestions learned(mailbox);
    Features f = features_of(c.subject, c.body);
    LearnedReason r;
    r.cases = learned.cases();
    r.confidence = confidence_of(learned.categories(), f, *c.suggested_category);
    for (auto& [gram, weight] : learned.categories().reasons(f, *c.suggested_category, k_grams)) {
        r.grams.push_back(std::move(gram));
    }
    r.like = like_cases(mailbox, c, r.grams);
    return r;
}

} // namespace mailbox
