#include "intake/dedupe.hpp"

#include <algorithm>

namespace mailbox {

double link_threshold(const DedupeRules& rules, bool same_sender) {
    return same_sender ? std::min(rules.sender_threshold, rules.threshold) : rules.threshold;
}

LetterMatcher::LetterMatcher(const Mailbox& mailbox, const LetterIndex& letters)
    : m_mailbox(mailbox), m_letters(letters) {}

namespace {

std::int64_t seconds_of(const Timestamp& t) {
    return t.sys().time_since_epoch().count();
}

Timestamp at_seconds(std::int64_t s) {
    Timestamp t;
    t.local = date::local_seconds{std::chrono::seconds{s}};
    return t;
}

} // namespace

void LetterMatcher::know(const std::string& id, Known k) {
    auto [at, added] = m_known.try_emplace(id);
    if (!added) {
        if (auto weighed = m_weighed.find(id); weighed != m_weighed.end()) {
            m_weights.remove(*weighed->second); // about to change under it
            m_weighed.erase(weighed);
        }
        auto [first, last] = m_by_time.equal_range(at->second.received);
        for (auto it = first; it != last; ++it) {
            if (it->second == id) {
                m_by_time.erase(it);
                break;
            }
        }
    }
    m_by_time.emplace(k.received, id);
    at->second = std::move(k);
}

void LetterMatcher::fetch(std::int64_t from, std::int64_t to) {
    std::vector<std::pair<std::int64_t, std::int64_t>> missing;
    std::int64_t cursor = from;
    for (const auto& [a, b] : m_fetched) {
        if (b < cursor || a > to) {
            continue;
        }
        if (a > cursor) {
            missing.emplace_back(cursor, a - 1);
        }
        cursor = std::max(cursor, b + 1);
    }
    if (cursor <= to) {
        missing.emplace_back(cursor, to);
    }
    for (const auto& [a, b] : missing) {
        for (IndexedLetter& r : m_letters.received_between(at_seconds(a), at_seconds(b))) {
            if (!m_known.count(r.id)) { // registered in this run: as new as its row
                know(r.id,
                     {seconds_of(r.received), std::move(r.sender_keys), std::move(r.bigrams)});
            }
        }
    }
    m_fetched.emplace_back(from, to);
    std::sort(m_fetched.begin(), m_fetched.end());
    std::vector<std::pair<std::int64_t, std::int64_t>> merged;
    for (const auto& span : m_fetched) {
        if (!merged.empty() && span.first <= merged.back().second + 1) {
            merged.back().second = std::max(merged.back().second, span.second);
        } else {
            merged.push_back(span);
        }
    }
    m_fetched = std::move(merged);
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
    std::int64_t lo = seconds_of(from), hi = seconds_of(to);
    fetch(lo, hi);
    std::map<std::string, const Bigrams*> window;
    std::vector<std::pair<const std::string*, const Known*>> candidates;
    for (auto it = m_by_time.lower_bound(lo); it != m_by_time.end() && it->first <= hi; ++it) {
        if (it->second == c.id) {
            continue;
        }
        const Known& known = m_known.at(it->second);
        window.emplace(it->second, &known.bigrams);
        candidates.emplace_back(&it->second, &known);
    }
    weigh(window);
    std::vector<std::string> keys = sender_keys(c.sender);
    std::optional<DedupeHit> best;
    for (const auto& [id, candidate] : candidates) {
        const Known* other = candidate; // clang before 16 cannot capture a structured binding
        bool same_sender = std::any_of(keys.begin(), keys.end(), [&](const std::string& k) {
            return !k.starts_with("n:") &&
                   std::find(other->sender_keys.begin(), other->sender_keys.end(), k) !=
                       other->sender_keys.end();
        });
        DedupeHit hit{*id, similarity(bigrams, other->bigrams, m_weights), same_sender};
        if (hit.similarity.score >= link_threshold(rules, hit.same_sender) &&
            (!best || hit.similarity.score > best->similarity.score)) {
            best = hit;
        }
    }
    return best;
}

void LetterMatcher::add(const Case& c, Bigrams bigrams) {
    know(c.id, {seconds_of(c.received), sender_keys(c.sender), std::move(bigrams)});
}

} // namespace mailbox
