#include "intake/dedupe.hpp"

#include <algorithm>

namespace mailbox {

double link_threshold(const DedupeRules& rules, bool same_sender) {
    return same_sender ? std::min(rules.sender_threshold, rules.threshold) : rules.threshold;
}

LetterMatcher::LetterMatcher(const Mailbox& mailbox, const LetterIndex& letters)
    : m_mailbox(mailbox), m_letters(letters) {}

// The first seen in this run stays: the weights point into it, and a case
// registered in this run (add) is as new as its row.
const Bigrams* LetterMatcher::bigrams_of(IndexedLetter& r) {
    return &m_seen.try_emplace(r.id, std::move(r.bigrams)).first->second;
}

// Brings the weights to the letters in `window`, changing only what differs
// from the window before: a batch's letters have nearby windows.
void LetterMatcher::weigh(const std::map<std::string, const Bigrams*>& window) {
    for (auto it = m_weighed.begin(); it != m_weighed.end();) {
        auto now = window.find(it->first);
        if (now == window.end() || now->second != it->second) {
            m_weights.remove(*it->second);
            it = m_weighed.erase(it);
        } else {
            ++it;
        }
    }
    for (const auto& [id, bigrams] : window) {
        if (m_weighed.emplace(id, bigrams).second) {
            m_weights.add(*bigrams);
        }
    }
}

std::optional<DedupeHit> LetterMatcher::best_match(const Case& c, const Bigrams& bigrams) {
    const DedupeRules& rules = m_mailbox.config().dedupe;
    Timestamp from = c.received, to = c.received;
    from.local -= date::days{rules.window_days};
    to.local += date::days{rules.window_days};
    std::vector<IndexedLetter> records = m_letters.received_between(from, to);
    std::map<std::string, const Bigrams*> window;
    std::vector<std::pair<const IndexedLetter*, const Bigrams*>> candidates;
    for (IndexedLetter& r : records) {
        if (r.id == c.id) {
            continue;
        }
        if (const Bigrams* theirs = bigrams_of(r)) {
            window.emplace(r.id, theirs);
            candidates.emplace_back(&r, theirs);
        }
    }
    weigh(window);
    std::vector<std::string> keys = sender_keys(c.sender);
    std::optional<DedupeHit> best;
    for (const auto& [candidate, theirs] : candidates) {
        const auto& other = candidate; // clang before 16 cannot capture a structured binding
        bool same_sender = std::any_of(keys.begin(), keys.end(), [&](const std::string& k) {
            return !k.starts_with("n:") &&
                   std::find(other->sender_keys.begin(), other->sender_keys.end(), k) !=
                       other->sender_keys.end();
        });
        DedupeHit hit{other->id, similarity(bigrams, *theirs, m_weights), same_sender};
        if (hit.similarity.score >= link_threshold(rules, hit.same_sender) &&
            (!best || hit.similarity.score > best->similarity.score)) {
            best = hit;
        }
    }
    return best;
}

void LetterMatcher::add(const Case& c, Bigrams bigrams) {
    if (auto weighed = m_weighed.find(c.id); weighed != m_weighed.end()) {
        m_weights.remove(*weighed->second); // about to change under it
        m_weighed.erase(weighed);
    }
    m_seen.insert_or_assign(c.id, std::move(bigrams));
}

} // namespace mailbox
