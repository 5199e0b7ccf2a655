#include "intake/dedupe.hpp"

#include <algorithm>
#include <cmath>

namespace mailbox {

double link_threshold(const DedupeRules& rules, bool same_sender) {
    return same_sender ? std::min(rules.sender_threshold, rules.threshold) : rules.threshold;
}

LetterMatcher::LetterMatcher(const Mailbox& mailbox, const LetterIndex& letters)
    : m_mailbox(mailbox), m_letters(letters) {}

namespace {

// A bigram's weight is log((letters + 1) / (df + 0.5)), its inverse document
// frequency (model/similarity.hpp); a letter's weight, the sum over its
// bigrams, is then bigrams × log(letters + 1) less the sum of log(df + 0.5).
// Those logs are summed in fixed point: a sum kept up to date as letters
// enter and leave the window then equals the same sum made afresh, bit for
// bit, so a letter in a batch scores exactly as it would on its own.
constexpr double k_fixed = 4294967296.0; // 2^32: a bigram's log to 2^-32

std::int64_t fixed_log(int df) {
    return std::llround(std::log(df + 0.5) * k_fixed);
}

double weight_of(std::size_t bigrams, std::int64_t log_df, double log_letters) {
    return static_cast<double>(bigrams) * log_letters - static_cast<double>(log_df) / k_fixed;
}

} // namespace

std::size_t TermNumbers::slot_of(std::uint32_t hash) const {
    // Fibonacci hashing: the top bits of the product spread any keys.
    return static_cast<std::size_t>((hash * 0x9E3779B97F4A7C15ULL) >> (64 - m_bits));
}

std::uint32_t TermNumbers::number(std::uint32_t hash, std::uint32_t next, bool& added) {
    if ((m_used + 1) * 4 > m_slots.size() * 3) {
        grow();
    }
    std::size_t mask = m_slots.size() - 1;
    for (std::size_t i = slot_of(hash);; i = (i + 1) & mask) {
        std::uint64_t s = m_slots[i];
        if (s == 0) {
            m_slots[i] = std::uint64_t{hash} << 32 | (std::uint64_t{next} + 1);
            ++m_used;
            added = true;
            return next;
        }
        if (s >> 32 == hash) {
            added = false;
            return static_cast<std::uint32_t>(s) - 1;
        }
    }
}

std::optional<std::uint32_t> TermNumbers::find(std::uint32_t hash) const {
    if (m_slots.empty()) {
        return std::nullopt;
    }
    std::size_t mask = m_slots.size() - 1;
    for (std::size_t i = slot_of(hash);; i = (i + 1) & mask) {
        std::uint64_t s = m_slots[i];
        if (s == 0) {
            return std::nullopt;
        }
        if (s >> 32 == hash) {
            return static_cast<std::uint32_t>(s) - 1;
        }
    }
}

void TermNumbers::grow() {
    std::vector<std::uint64_t> old = std::move(m_slots);
    m_bits = m_bits ? m_bits + 1 : 12;
    m_slots.assign(std::size_t{1} << m_bits, 0);
    std::size_t mask = m_slots.size() - 1;
    for (std::uint64_t s : old) {
        if (s != 0) {
            std::size_t i = slot_of(static_cast<std::uint32_t>(s >> 32));
            while (m_slots[i] != 0) {
                i = (i + 1) & mask;
            }
            m_slots[i] = s;
        }
    }
}

void LetterMatcher::know(const std::string& id, std::int64_t received,
                         std::vector<std::string> sender_keys, const Bigrams& bigrams) {
    auto slot = static_cast<std::uint32_t>(m_known.size());
    auto [named, added] = m_slot.try_emplace(id, slot);
    if (!added) {
        // The old slot leaves the window at the next weighing: no time names it.
        std::uint32_t old = named->second;
        std::erase(m_by_time, std::pair{m_known[old].received, old});
        named->second = slot;
    }
    Known k{id, received, std::move(sender_keys), {}};
    k.terms.reserve(bigrams.size());
    for (std::uint32_t b : bigrams) {
        std::uint32_t term = term_of(b);
        k.terms.push_back(term);
        if (m_postings) {
            m_holders[term].push_back(slot);
        }
    }
    m_known.push_back(std::move(k));
    for (auto* column : {&m_round_of, &m_common}) {
        column->push_back(0);
    }
    m_in_window.push_back(false);
    m_log_sum.push_back(0);
    m_shared.push_back(0);
}

std::uint32_t LetterMatcher::term_of(std::uint32_t bigram) {
    bool fresh = false;
    std::uint32_t term =
        m_terms.number(bigram, static_cast<std::uint32_t>(m_holders.size()), fresh);
    if (fresh) {
        m_holders.emplace_back();
        m_marked.push_back(0);
        m_df.push_back(0);
        m_log_df.push_back(fixed_log(0));
        m_term_round.push_back(0);
    }
    return term;
}

// Each term's holders grow once for a window's letters, not a slot at a
// time: growing them one by one was most of a duplicate check.
void LetterMatcher::reserve_holders(const std::vector<IndexedLetter>& letters) {
    if (!m_postings) {
        return;
    }
    std::vector<std::uint32_t> more; // term → slots to come
    for (const IndexedLetter& r : letters) {
        for (std::uint32_t b : r.bigrams) {
            std::uint32_t term = term_of(b);
            if (term >= more.size()) {
                more.resize(std::max<std::size_t>(term + 1, more.size() * 2));
            }
            ++more[term];
        }
    }
    for (std::size_t t = 0; t < more.size(); ++t) {
        if (more[t]) {
            m_holders[t].reserve(m_holders[t].size() + more[t]);
        }
    }
}

// Keeps m_by_time in order of time, then of slot: as the slots were made.
void LetterMatcher::order_by_time(std::size_t sorted) {
    auto middle = m_by_time.begin() + static_cast<std::ptrdiff_t>(sorted);
    std::sort(middle, m_by_time.end());
    std::inplace_merge(m_by_time.begin(), middle, m_by_time.end());
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
    std::size_t sorted = m_by_time.size();
    for (const auto& [a, b] : missing) {
        std::vector<IndexedLetter> letters =
            m_letters.received_between(from_epoch_seconds(a), from_epoch_seconds(b));
        reserve_holders(letters);
        for (IndexedLetter& r : letters) {
            if (!m_slot.count(r.id)) { // registered in this run: as new as its row
                std::int64_t received = epoch_seconds(r.received);
                know(r.id, received, std::move(r.sender_keys), r.bigrams);
                m_by_time.emplace_back(received, m_known.size() - 1);
            }
        }
    }
    order_by_time(sorted);
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

// Brings the document frequencies, and each letter's sum of their logs, to
// the letters in `window`, changing only what the letters entering and
// leaving change: a batch's letters have nearby windows.
void LetterMatcher::weigh(const std::vector<std::uint32_t>& window) {
    ++m_round;
    for (std::uint32_t s : window) {
        m_round_of[s] = m_round;
    }
    std::vector<std::pair<std::uint32_t, int>> changed; // term, its df before
    auto count = [&](std::uint32_t s, int delta) {
        for (std::uint32_t t : m_known[s].terms) {
            if (m_term_round[t] != m_round) {
                m_term_round[t] = m_round;
                changed.emplace_back(t, m_df[t]);
            }
            m_df[t] += delta;
        }
        m_in_window[s] = delta > 0;
    };
    for (std::uint32_t s : m_window) {
        if (m_round_of[s] != m_round) {
            count(s, -1);
        }
    }
    std::vector<std::uint32_t> entering;
    std::size_t by_letter = 0;
    for (std::uint32_t s : window) {
        if (!m_in_window[s]) {
            count(s, +1);
            entering.push_back(s);
        }
        by_letter += m_known[s].terms.size();
    }
    m_window = window;
    // Either each changed term's delta goes to the letters holding it, or
    // every letter in the window adds its terms up again: whichever is less.
    std::size_t by_term = m_postings ? 0 : SIZE_MAX;
    for (const auto& [t, before] : changed) {
        if (m_postings) {
            by_term += m_holders[t].size();
        }
    }
    for (const auto& [t, before] : changed) {
        std::int64_t now = fixed_log(m_df[t]), delta = now - m_log_df[t];
        m_log_df[t] = now;
        if (by_term < by_letter && delta != 0) {
            for (std::uint32_t h : m_holders[t]) {
                m_log_sum[h] += delta; // made afresh below if entering, when next in if not
            }
        }
    }
    for (std::uint32_t s : by_term < by_letter ? entering : window) {
        std::int64_t sum = 0;
        for (std::uint32_t t : m_known[s].terms) {
            sum += m_log_df[t];
        }
        m_log_sum[s] = sum;
    }
}

std::optional<DedupeHit> LetterMatcher::best_match(const CaseSummary& c, const Bigrams& bigrams) {
    const DedupeRules& rules = m_mailbox.config().dedupe;
    if (m_matched++ == 1) {
        post_holders();
    }
    Timestamp from = c.received, to = c.received;
    from.local -= date::days{rules.window_days};
    to.local += date::days{rules.window_days};
    std::int64_t lo = epoch_seconds(from), hi = epoch_seconds(to);
    fetch(lo, hi);
    auto self = m_slot.find(c.id);
    auto first = std::lower_bound(m_by_time.begin(), m_by_time.end(), std::pair{lo, 0u});
    auto last = std::upper_bound(first, m_by_time.end(), std::pair{hi, ~0u});
    std::vector<std::uint32_t> window;
    window.reserve(static_cast<std::size_t>(last - first));
    for (auto it = first; it != last; ++it) {
        if (self == m_slot.end() || it->second != self->second) {
            window.push_back(it->second);
        }
    }
    weigh(window);
    Weighed letter = share(bigrams, window);
    std::vector<std::string> keys = sender_keys(c.sender);
    std::optional<DedupeHit> best;
    double floor = std::min(link_threshold(rules, true), link_threshold(rules, false));
    for (std::uint32_t s : window) {
        if (m_common[s] == 0 && floor > 0) {
            continue; // nothing shared scores 0
        }
        const Known& other = m_known[s];
        DedupeHit hit{other.id, score(letter, s), false};
        if (hit.similarity.score < floor) {
            continue;
        }
        hit.same_sender = std::any_of(keys.begin(), keys.end(), [&](const std::string& k) {
            return !k.starts_with("n:") &&
                   std::find(other.sender_keys.begin(), other.sender_keys.end(), k) !=
                       other.sender_keys.end();
        });
        if (hit.similarity.score >= link_threshold(rules, hit.same_sender) &&
            (!best || hit.similarity.score > best->similarity.score)) {
            best = hit;
        }
    }
    for (std::uint32_t s : letter.touched) {
        m_shared[s] = 0;
        m_common[s] = 0;
    }
    return best;
}

// The new letter's weight, and what it shares with each letter in the window
// (m_shared, m_common), found from the letters holding each of its bigrams,
// or, before there are postings, by reading each letter of the window.
LetterMatcher::Weighed LetterMatcher::share(const Bigrams& bigrams,
                                            const std::vector<std::uint32_t>& window) {
    Weighed w;
    w.bigrams = bigrams.size();
    w.log_letters = std::log(static_cast<double>(window.size()) + 1.0);
    std::int64_t log_df = 0;
    std::vector<std::uint32_t> marked;
    // The inner loop of a batch's duplicate check, on plain pointers: through
    // the vectors, the compiler read each one's data again at every step.
    std::uint32_t* common = m_common.data();
    std::int64_t* shared = m_shared.data();
    const std::uint8_t* in_window = m_in_window.data();
    auto take = [&](std::uint32_t slot, std::int64_t weight) {
        if (common[slot]++ == 0) {
            w.touched.push_back(slot);
        }
        shared[slot] += weight;
    };
    for (std::uint32_t b : bigrams) {
        std::optional<std::uint32_t> term = m_terms.find(b);
        if (!term) {
            log_df += fixed_log(0);
            continue;
        }
        std::uint32_t t = *term;
        log_df += m_log_df[t];
        if (!m_postings) {
            m_marked[t] = 1;
            marked.push_back(t);
            continue;
        }
        std::int64_t weight = m_log_df[t];
        for (std::uint32_t h : m_holders[t]) {
            if (in_window[h]) {
                take(h, weight);
            }
        }
    }
    if (!m_postings) { // one letter: its window's letters, each read once
        const std::uint8_t* is_marked = m_marked.data();
        const std::int64_t* log_df_of = m_log_df.data();
        for (std::uint32_t s : window) {
            for (std::uint32_t t : m_known[s].terms) {
                if (is_marked[t]) {
                    take(s, log_df_of[t]);
                }
            }
        }
        for (std::uint32_t t : marked) {
            m_marked[t] = 0;
        }
    }
    w.weight = weight_of(w.bigrams, log_df, w.log_letters);
    return w;
}

void LetterMatcher::post_holders() {
    m_postings = true;
    for (std::uint32_t s = 0; s < m_known.size(); ++s) {
        for (std::uint32_t t : m_known[s].terms) {
            m_holders[t].push_back(s);
        }
    }
}

// similarity() of the new letter and the letter in slot s, from the sums kept.
Similarity LetterMatcher::score(const Weighed& letter, std::uint32_t s) const {
    Similarity sim;
    const Known& other = m_known[s];
    if (letter.bigrams == 0 || other.terms.empty()) {
        return sim;
    }
    double common = m_common[s];
    double wa = letter.weight;
    double wb = weight_of(other.terms.size(), m_log_sum[s], letter.log_letters);
    double wc = weight_of(m_common[s], m_shared[s], letter.log_letters);
    double x = static_cast<double>(letter.bigrams), y = static_cast<double>(other.terms.size());
    sim.dice = 2.0 * common / (x + y);
    sim.containment = wc / std::min(wa, wb);
    sim.score =
        std::min(letter.bigrams, other.terms.size()) < 20 ? 2.0 * wc / (wa + wb) : sim.containment;
    return sim;
}

void LetterMatcher::add(const CaseSummary& c, const Bigrams& bigrams) {
    std::int64_t received = epoch_seconds(c.received);
    know(c.id, received, sender_keys(c.sender), bigrams);
    m_by_time.emplace_back(received, m_known.size() - 1);
    order_by_time(m_by_time.size() - 1);
}

} // namespace mailbox
