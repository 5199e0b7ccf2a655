#include "intake/dedupe.hpp"

#include "intake/window_match.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace mailbox {

double link_threshold(const DedupeRules& rules, bool same_sender) {
    return same_sender ? std::min(rules.sender_threshold, rules.threshold) : rules.threshold;
}

namespace {

// The best of the letters offered: the highest score that reaches its
// threshold; of equal scores the earliest received, then the lowest id, so
// that the match never hangs on the order the letters were met in (a
// batch's first letter is matched without numbering its window).
class BestHit {
  public:
    BestHit(const DedupeRules& rules, const Sender& sender, double floor)
        : m_rules(rules), m_keys(sender_keys(sender)), m_floor(floor) {}

    template <typename Keys>
    void offer(std::string_view id, std::int64_t received, const Similarity& similarity,
               const Keys& their_keys) {
        if (similarity.score < m_floor) {
            return;
        }
        bool same_sender = std::any_of(m_keys.begin(), m_keys.end(), [&](const std::string& k) {
            return !k.starts_with("n:") &&
                   std::find(their_keys.begin(), their_keys.end(), k) != their_keys.end();
        });
        if (similarity.score < link_threshold(m_rules, same_sender)) {
            return;
        }
        if (m_best &&
            (similarity.score < m_best->similarity.score ||
             (similarity.score == m_best->similarity.score &&
              std::pair{received, id} >= std::pair{m_received, std::string_view(m_best->id)}))) {
            return;
        }
        m_best = DedupeHit{std::string(id), similarity, same_sender};
        m_received = received;
    }
    std::optional<DedupeHit> take() { return std::move(m_best); }

  private:
    const DedupeRules& m_rules;
    std::vector<std::string> m_keys;
    double m_floor;
    std::optional<DedupeHit> m_best;
    std::int64_t m_received = 0;
};

} // namespace

LetterMatcher::LetterMatcher(const Mailbox& mailbox, const LetterIndex& letters,
                             MatcherTuning tuning)
    : m_mailbox(mailbox), m_letters(letters), m_tuning(tuning) {}

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

// The bigrams are numbered where they lie, then join every letter's terms.
void LetterMatcher::know(const std::string& id, std::int64_t received,
                         std::vector<std::string> sender_keys, Bigrams bigrams) {
    auto slot = static_cast<std::uint32_t>(m_known.size());
    auto [named, added] = m_slot.try_emplace(id, slot);
    if (!added) {
        // The old slot leaves the window at the next weighing: no time names it.
        std::uint32_t old = named->second;
        std::erase(m_by_time, std::pair{m_known[old].received, old});
        named->second = slot;
    }
    for (std::uint32_t& b : bigrams) {
        b = term_of(b);
        if (m_postings) {
            m_holders[b].push_back(slot);
        }
    }
    m_term_list.insert(m_term_list.end(), bigrams.begin(), bigrams.end());
    m_term_start.push_back(m_term_list.size());
    m_known.push_back({id, received, std::move(sender_keys)});
    m_round_of.push_back(0);
    m_share.emplace_back();
    m_marked_slot.push_back(0);
    m_log_sum.push_back(0);
    m_exact_log_sum.push_back(0);
    m_exact_round.push_back(0);
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
        m_posted_log_df.push_back(fixed_log(0));
        m_is_pending.push_back(0);
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
        std::size_t terms = m_term_list.size();
        for (const IndexedLetter& r : letters) {
            terms += r.bigrams.size();
        }
        if (terms > m_term_list.capacity()) { // once, not at each letter's doubling
            m_term_list.reserve(std::max(terms, m_term_list.capacity() * 2));
        }
        for (IndexedLetter& r : letters) {
            if (!m_slot.count(r.id)) { // registered in this run: as new as its row
                std::int64_t received = epoch_seconds(r.received);
                know(r.id, received, std::move(r.sender_keys), std::move(r.bigrams));
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
        for (std::uint32_t t : terms_of(s)) {
            if (m_term_round[t] != m_round) {
                m_term_round[t] = m_round;
                changed.emplace_back(t, m_df[t]);
            }
            m_df[t] += delta;
        }
        m_share[s].in_window = delta > 0;
    };
    for (std::uint32_t s : m_window) {
        if (m_round_of[s] != m_round) {
            count(s, -1);
        }
    }
    std::vector<std::uint32_t> entering;
    std::size_t by_letter = 0;
    for (std::uint32_t s : window) {
        if (!m_share[s].in_window) {
            count(s, +1);
            entering.push_back(s);
        }
        by_letter += term_count(s);
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
    bool push = by_term < by_letter;
    for (const auto& [t, before] : changed) {
        reweigh(t, fixed_log(m_df[t]), push);
    }
    if (!push) {
        // Every sum in the window is made afresh: nothing needs to wait.
        for (std::uint32_t t : m_pending) {
            m_posted_log_df[t] = m_log_df[t];
            m_is_pending[t] = 0;
        }
        m_pending.clear();
        m_pending_bound = 0;
    } else if (static_cast<double>(m_pending_bound) > m_tuning.bulk_slack * k_fixed) {
        push_pending();
    }
    for (std::uint32_t s : push ? entering : window) {
        std::int64_t sum = 0;
        for (std::uint32_t t : terms_of(s)) {
            sum += m_posted_log_df[t];
        }
        m_log_sum[s] = sum;
    }
}

// Term t's log(df + 0.5) is now `now`: its holders' sums take the change
// at once (`push`), or, for a common term, when the changes waiting add up
// (push_pending). Without `push` the window's sums are made afresh.
void LetterMatcher::reweigh(std::uint32_t t, std::int64_t now, bool push) {
    std::int64_t before = m_log_df[t], posted = m_posted_log_df[t];
    m_log_df[t] = now;
    if (!push) {
        m_posted_log_df[t] = now;
        return;
    }
    if (now == before) {
        return;
    }
    if (m_holders[t].size() < m_tuning.bulk_holders) {
        for (std::uint32_t h : m_holders[t]) {
            m_log_sum[h] += now - before; // made afresh if entering, when next in if not
        }
        m_posted_log_df[t] = now;
        return;
    }
    m_pending_bound += std::abs(now - posted) - std::abs(before - posted);
    if (!m_is_pending[t]) {
        m_is_pending[t] = 1;
        m_pending.push_back(t);
    }
}

void LetterMatcher::push_pending() {
    for (std::uint32_t t : m_pending) {
        std::int64_t delta = m_log_df[t] - m_posted_log_df[t];
        if (delta != 0) {
            for (std::uint32_t h : m_holders[t]) {
                m_log_sum[h] += delta;
            }
        }
        m_posted_log_df[t] = m_log_df[t];
        m_is_pending[t] = 0;
    }
    m_pending.clear();
    m_pending_bound = 0;
}

// Slot s's sum of log(df + 0.5) as it is now, its waiting changes added.
std::int64_t LetterMatcher::exact_log_sum(std::uint32_t s) {
    if (m_pending_bound == 0) {
        return m_log_sum[s];
    }
    if (m_exact_round[s] != m_round) {
        std::int64_t sum = m_log_sum[s];
        for (std::uint32_t t : terms_of(s)) {
            sum += m_log_df[t] - m_posted_log_df[t];
        }
        m_exact_log_sum[s] = sum;
        m_exact_round[s] = m_round;
    }
    return m_exact_log_sum[s];
}

double LetterMatcher::exact_weight(std::uint32_t s, double log_letters) {
    return weight_of(term_count(s), exact_log_sum(s), log_letters);
}

// Whether `holds` (which holds for lighter letters if for heavier ones) holds
// for slot s's weight: decided from the kept sum when the waiting changes
// cannot turn it, from the exact sum otherwise.
template <typename Holds>
bool LetterMatcher::surely(std::uint32_t s, double log_letters, Holds holds) {
    double kept = weight_of(term_count(s), m_log_sum[s], log_letters);
    // Off by at most the bound, and a hair more for the rounding of doubles.
    double off = m_pending_bound == 0
                     ? 0
                     : static_cast<double>(m_pending_bound) / k_fixed * (1 + 1e-9) + 1e-9;
    return holds_within(kept, off, holds, [&] { return exact_weight(s, log_letters); });
}

std::optional<DedupeHit> LetterMatcher::best_match(const CaseSummary& c, const Bigrams& bigrams) {
    const DedupeRules& rules = m_mailbox.config().dedupe;
    if (m_matched++ == 1) {
        post_holders();
    }
    Timestamp from = c.received, to = c.received;
    from.local -= date::days{rules.window_days};
    to.local += date::days{rules.window_days};
    double floor = std::min(link_threshold(rules, true), link_threshold(rules, false));
    if (m_known.empty() && floor > 0) {
        return best_match_alone(c, bigrams, from, to, floor);
    }
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
    Weighed letter = share(bigrams, window, floor);
    BestHit best(rules, c.sender, floor);
    // Nothing shared scores 0: with a floor above it, only the letters
    // touched can match (the best does not hang on the order offered).
    for (std::uint32_t s : floor > 0 ? letter.touched : window) {
        const Known& other = m_known[s];
        best.offer(other.id, other.received, score(letter, s), other.sender_keys);
    }
    for (std::uint32_t s : letter.touched) {
        m_share[s].log_df = 0;
        m_share[s].common = 0;
    }
    for (const IndexedLetter& f : far_letters(c, lo, hi)) {
        Similarity s = far_similarity(bigrams, letter.weight, letter.log_letters, f.bigrams,
                                      [&](std::uint32_t b) {
                                          std::optional<std::uint32_t> t = m_terms.find(b);
                                          return t ? m_df[*t] : 0;
                                      });
        best.offer(f.id, epoch_seconds(f.received), s, f.sender_keys);
    }
    return best.take();
}

// The letters of c's sender, by a shared e-mail or phone, received within
// dedupe.sender_window_days of it but outside its window [lo, hi].
std::vector<IndexedLetter> LetterMatcher::far_letters(const CaseSummary& c, std::int64_t lo,
                                                      std::int64_t hi) const {
    const DedupeRules& rules = m_mailbox.config().dedupe;
    std::vector<std::string> keys = sender_keys(c.sender);
    std::erase_if(keys, [](const std::string& k) { return k.starts_with("n:"); });
    if (rules.sender_window_days <= rules.window_days || keys.empty()) {
        return {};
    }
    Timestamp from = c.received, to = c.received;
    from.local -= date::days{rules.sender_window_days};
    to.local += date::days{rules.sender_window_days};
    std::vector<IndexedLetter> far = m_letters.sender_letters(keys, from, to);
    std::erase_if(far, [&](const IndexedLetter& f) {
        std::int64_t received = epoch_seconds(f.received);
        return f.id == c.id || (received >= lo && received <= hi);
    });
    return far;
}

// A letter matched with nothing known before: its window read once, packed.
std::optional<DedupeHit> LetterMatcher::best_match_alone(const CaseSummary& c,
                                                         const Bigrams& bigrams,
                                                         const Timestamp& from, const Timestamp& to,
                                                         double floor) {
    PackedLetters window;
    m_letters.received_between(from, to, window);
    BestHit best(m_mailbox.config().dedupe, c.sender, floor);
    for (const WindowMatch& m : window_matches(window, c.id, bigrams, floor)) {
        best.offer(window.id(m.letter), window.received(m.letter), m.similarity,
                   window.sender_keys(m.letter));
    }
    std::vector<IndexedLetter> far = far_letters(c, epoch_seconds(from), epoch_seconds(to));
    std::vector<Similarity> scores = far_matches(window, c.id, bigrams, far);
    for (std::size_t i = 0; i < far.size(); ++i) {
        best.offer(far[i].id, epoch_seconds(far[i].received), scores[i], far[i].sender_keys);
    }
    return best.take();
}

// The new letter's weight, and what it shares with each letter in the window
// that may reach `floor` (m_share; zero for the others), found
// from the letters holding each of its bigrams, or, before there are
// postings, by reading each letter of the window.
LetterMatcher::Weighed LetterMatcher::share(const Bigrams& bigrams,
                                            const std::vector<std::uint32_t>& window,
                                            double floor) {
    Weighed w;
    w.bigrams = bigrams.size();
    w.log_letters = std::log(static_cast<double>(window.size()) + 1.0);
    std::int64_t log_df = 0;
    std::vector<std::uint32_t> terms; // those met before: the others are in no other letter
    for (std::uint32_t b : bigrams) {
        std::optional<std::uint32_t> term = m_terms.find(b);
        log_df += term ? m_log_df[*term] : fixed_log(0);
        if (term) {
            terms.push_back(*term);
        }
    }
    w.weight = weight_of(w.bigrams, log_df, w.log_letters);
    if (!m_postings) {
        share_by_letter(w, terms, window);
    } else if (floor > 0) {
        share_by_rare_terms(w, terms, window, floor);
    } else {
        for (std::uint32_t t : terms) {
            take_holders(w, t);
        }
    }
    return w;
}

void LetterMatcher::take(Weighed& w, std::uint32_t slot, std::int64_t weight) {
    if (m_share[slot].common++ == 0) {
        w.touched.push_back(slot);
    }
    m_share[slot].log_df += weight;
}

// The holders of term t in the window: the inner loop of a batch's duplicate
// check, on plain pointers (through the vectors, the compiler read each
// one's data again at every step).
void LetterMatcher::take_holders(Weighed& w, std::uint32_t t) {
    Share* share = m_share.data();
    std::int64_t weight = m_log_df[t];
    for (std::uint32_t h : m_holders[t]) {
        if (Share& at = share[h]; at.in_window) {
            if (at.common++ == 0) {
                w.touched.push_back(h);
            }
            at.log_df += weight;
        }
    }
}

// One letter: its window's letters, each read once, against the marked terms.
void LetterMatcher::share_by_letter(Weighed& w, const std::vector<std::uint32_t>& terms,
                                    const std::vector<std::uint32_t>& window) {
    for (std::uint32_t t : terms) {
        m_marked[t] = 1;
    }
    const std::uint8_t* is_marked = m_marked.data();
    const std::int64_t* log_df_of = m_log_df.data();
    for (std::uint32_t s : window) {
        for (std::uint32_t t : terms_of(s)) {
            if (is_marked[t]) {
                take(w, s, log_df_of[t]);
            }
        }
    }
    for (std::uint32_t t : terms) {
        m_marked[t] = 0;
    }
}

// A batch: the common bigrams are held by thousands of letters each, and
// walking their holders was most of an import. A letter scores at most its
// shared weight over the lesser of the two letters' weights (see score()),
// so a letter that shares only the commonest bigrams, whose weights
// together stay under floor × the new letter's weight, cannot reach the
// floor unless its own weight is under theirs / floor (a light letter).
// Only the rarer bigrams' holders are walked; each letter they reach that
// could still get to the floor with all the common ones, and each light
// letter, is completed by reading its own bigrams. The sums of those that
// may reach the floor are exactly what walking every holder gives; the
// others are dropped, none could be a match. How many bigrams count as
// common is chosen so that only the m_tuning.light lightest letters of the window
// can be light.
void LetterMatcher::share_by_rare_terms(Weighed& w, std::vector<std::uint32_t>& terms,
                                        const std::vector<std::uint32_t>& window, double floor) {
    constexpr double k_margin = 1e-9; // far above rounding, far below any score's meaning
    double limit = floor * std::min(w.weight, lightest(window, w.log_letters));
    std::sort(terms.begin(), terms.end(),
              [&](std::uint32_t a, std::uint32_t b) { return m_log_df[a] > m_log_df[b]; });
    double common = 0; // the common bigrams' weight
    std::size_t rare = 0;
    for (; rare < terms.size(); ++rare) {
        double next = common + w.log_letters - static_cast<double>(m_log_df[terms[rare]]) / k_fixed;
        if (next >= limit * (1 - k_margin)) {
            break;
        }
        common = next;
    }
    for (std::size_t i = rare; i < terms.size(); ++i) {
        take_holders(w, terms[i]);
    }
    for (std::size_t i = 0; i < rare; ++i) {
        m_marked[terms[i]] = 1;
    }
    auto complete = [&](std::uint32_t s) {
        for (std::uint32_t t : terms_of(s)) {
            if (m_marked[t]) {
                take(w, s, m_log_df[t]);
            }
        }
    };
    std::vector<std::uint32_t> reached = std::move(w.touched);
    w.touched.clear();
    std::vector<std::uint32_t> dropped;
    for (std::uint32_t s : reached) {
        double upper = weight_of(m_share[s].common, m_share[s].log_df, w.log_letters) + common;
        if (surely(s, w.log_letters, [&](double weight) {
                return upper >= floor * std::min(w.weight, weight) * (1 - k_margin);
            })) {
            w.touched.push_back(s);
        } else {
            m_share[s].common = 0;
            m_share[s].log_df = 0;
            m_marked_slot[s] = 1;
            dropped.push_back(s);
        }
    }
    // Each letter's terms are a miss of the cache: asked for a few letters
    // ahead, they come while the letters before are read.
    constexpr std::size_t k_ahead = 8;
    for (std::size_t i = 0; i < w.touched.size(); ++i) {
        if (i + k_ahead < w.touched.size()) {
            __builtin_prefetch(m_term_list.data() + m_term_start[w.touched[i + k_ahead]]);
        }
        complete(w.touched[i]);
    }
    if (common > 0) {
        for (std::uint32_t s : window) {
            if (m_share[s].common == 0 && !m_marked_slot[s] &&
                surely(s, w.log_letters,
                       [&](double weight) { return weight * floor <= common * (1 + k_margin); })) {
                complete(s);
            }
        }
    }
    for (std::uint32_t s : dropped) {
        m_marked_slot[s] = 0;
    }
    for (std::size_t i = 0; i < rare; ++i) {
        m_marked[terms[i]] = 0;
    }
}

// The weight of about the m_tuning.light-th lightest letter of the window: found
// again every so many letters, since the window moves slowly and any value
// keeps share_by_rare_terms exact (it only sets how many letters are light):
// the sums kept, a little off while changes wait, serve.
double LetterMatcher::lightest(const std::vector<std::uint32_t>& window, double log_letters) {
    constexpr std::uint32_t k_every = 64;
    if (window.size() <= m_tuning.light) {
        return 0; // no bigram is common
    }
    if (m_lightest_age++ % k_every == 0) {
        std::vector<double> weights;
        weights.reserve(window.size());
        for (std::uint32_t s : window) {
            weights.push_back(weight_of(term_count(s), m_log_sum[s], log_letters));
        }
        auto nth = weights.begin() + static_cast<std::ptrdiff_t>(m_tuning.light);
        std::nth_element(weights.begin(), nth, weights.end());
        m_lightest = *nth;
    }
    return m_lightest;
}

void LetterMatcher::post_holders() {
    m_postings = true;
    for (std::uint32_t s = 0; s < m_known.size(); ++s) {
        for (std::uint32_t t : terms_of(s)) {
            m_holders[t].push_back(s);
        }
    }
}

// similarity() of the new letter and the letter in slot s, from the sums kept.
Similarity LetterMatcher::score(const Weighed& letter, std::uint32_t s) {
    std::size_t theirs = term_count(s);
    return similarity_of(letter.bigrams, theirs, m_share[s].common, letter.weight,
                         exact_weight(s, letter.log_letters),
                         weight_of(m_share[s].common, m_share[s].log_df, letter.log_letters));
}

void LetterMatcher::add(const CaseSummary& c, const Bigrams& bigrams) {
    std::int64_t received = epoch_seconds(c.received);
    know(c.id, received, sender_keys(c.sender), bigrams);
    m_by_time.emplace_back(received, m_known.size() - 1);
    order_by_time(m_by_time.size() - 1);
}

} // namespace mailbox
