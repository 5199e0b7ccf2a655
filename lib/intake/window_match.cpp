#include "intake/window_match.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <unordered_set>

namespace mailbox {

namespace {

// Bigram hashes, each with a number beside it in its slot (its place, or a
// count), in open addressing: a few thousand keys asked millions of times,
// and the number comes with the key, from the same line of the cache.
class BigramSlots {
  public:
    explicit BigramSlots(std::size_t keys) {
        while ((std::size_t{1} << m_bits) < keys * 2 + 16) {
            ++m_bits;
        }
        m_slots.assign(std::size_t{1} << m_bits, 0);
    }
    std::size_t keys() const { return m_keys; }
    std::vector<std::uint32_t> hashes() const {
        std::vector<std::uint32_t> out;
        for (std::uint64_t s : m_slots) {
            if (s != 0) {
                out.push_back(static_cast<std::uint32_t>(s >> 32));
            }
        }
        return out;
    }

  protected:
    // The slot of `hash`: its own, or the empty one it would take.
    std::uint64_t& slot(std::uint32_t hash) { return m_slots[probe(hash)]; }
    std::uint64_t slot(std::uint32_t hash) const { return m_slots[probe(hash)]; }
    // Takes the empty slot `s` for `hash`, with `number`; its place in key order.
    std::uint32_t take(std::uint64_t& s, std::uint32_t hash, std::uint32_t number) {
        s = std::uint64_t{hash} << 32 | number;
        return m_keys++;
    }

  private:
    std::size_t probe(std::uint32_t hash) const {
        std::size_t mask = m_slots.size() - 1;
        std::size_t i = static_cast<std::size_t>((hash * 0x9E3779B97F4A7C15ULL) >> (64 - m_bits));
        while (m_slots[i] != 0 && m_slots[i] >> 32 != hash) {
            i = (i + 1) & mask;
        }
        return i;
    }
    std::vector<std::uint64_t> m_slots; // hash << 32 | number (never 0); 0: empty
    std::uint32_t m_keys = 0;
    int m_bits = 4;
};

// Whether a bigram may be a key of a table, from the first cache: a bit for
// each key's top 16 bits. Most bigrams of a window are not, and this says so
// without a multiplication and a probe.
class BigramFilter {
  public:
    explicit BigramFilter(const BigramSlots& keys) {
        for (std::uint32_t b : keys.hashes()) {
            m_bits[b >> 22] |= std::uint64_t{1} << ((b >> 16) & 63);
        }
    }
    bool may_hold(std::uint32_t b) const { return m_bits[b >> 22] >> ((b >> 16) & 63) & 1; }

  private:
    std::array<std::uint64_t, 1 << 10> m_bits{};
};

// The new letter's bigrams, each by its place (0, 1, 2...).
class BigramPlaces : public BigramSlots {
  public:
    using BigramSlots::BigramSlots;
    // Adds `hash` if new; its place.
    std::uint32_t add(std::uint32_t hash) {
        std::uint64_t& s = slot(hash);
        if (s == 0) {
            return take(s, hash, static_cast<std::uint32_t>(keys()) + 1);
        }
        return static_cast<std::uint32_t>(s) - 1;
    }
    // The place of `hash`, or -1 when it is not a key.
    std::int64_t find(std::uint32_t hash) const {
        std::uint64_t s = slot(hash);
        return s == 0 ? -1 : static_cast<std::int64_t>(static_cast<std::uint32_t>(s)) - 1;
    }
};

// Bigrams, each with how many letters were seen to hold it.
class BigramTally : public BigramSlots {
  public:
    using BigramSlots::BigramSlots;
    void add(std::uint32_t hash) {
        if (std::uint64_t& s = slot(hash); s == 0) {
            take(s, hash, 1);
        }
    }
    // One letter more holds `hash`, if it is a key.
    void count(std::uint32_t hash) {
        if (std::uint64_t& s = slot(hash); s != 0) {
            ++s;
        }
    }
    // How many letters were seen to hold `hash`, a key.
    int counted(std::uint32_t hash) const {
        return static_cast<int>(static_cast<std::uint32_t>(slot(hash)) - 1);
    }
};

// What the first reading of the window gives: each letter's bigrams shared
// with the new letter (as places in it), the document frequency of each of
// the new letter's bigrams, and for every bigram a count at least its
// document frequency (a count-min sketch: bigrams sharing a cell add up).
struct FirstReading {
    std::vector<bool> counted;          // letter → in the window
    std::vector<std::uint32_t> shared;  // places in the new letter, letter after letter
    std::vector<std::size_t> shared_at; // letter → its first in `shared`; one more at the end
    std::vector<int> df;                // place in the new letter → letters holding it
    std::vector<std::uint16_t> sketch;  // saturating: the top count says only "many"
    std::size_t letters = 0;
};

constexpr int k_sketch_bits = 17; // 256 KiB of counts: in the processor's second cache

std::uint32_t cell(std::uint32_t hash) {
    return hash & ((1u << k_sketch_bits) - 1); // bigram hashes are mixed already
}

FirstReading read_window(const PackedLetters& window, std::string_view self,
                         const BigramPlaces& mine) {
    FirstReading r;
    r.counted.assign(window.size(), false);
    r.shared_at.reserve(window.size() + 1);
    r.df.assign(mine.keys(), 0);
    r.sketch.assign(std::size_t{1} << k_sketch_bits, 0);
    std::unordered_set<std::string_view> ids;
    ids.reserve(window.size());
    BigramFilter maybe_mine(mine);
    for (std::size_t i = 0; i < window.size(); ++i) {
        r.shared_at.push_back(r.shared.size());
        if (window.id(i) == self || !ids.insert(window.id(i)).second) {
            continue;
        }
        r.counted[i] = true;
        ++r.letters;
        for (std::uint32_t b : window.bigrams(i)) {
            std::uint16_t& n = r.sketch[cell(b)];
            n += n != 0xFFFF;
            if (!maybe_mine.may_hold(b)) {
                continue;
            }
            if (std::int64_t place = mine.find(b); place >= 0) {
                ++r.df[static_cast<std::size_t>(place)];
                r.shared.push_back(static_cast<std::uint32_t>(place));
            }
        }
    }
    r.shared_at.push_back(r.shared.size());
    return r;
}

constexpr double k_margin = 1e-9; // far above rounding, far below any score's meaning

// The weight a letter must stay under to score `floor` with the new letter,
// given their shared weight: similarity() falls as either weight grows. A
// letter heavier than the new one is held to the new one's weight.
double heaviest(double floor, double shared, double mine, bool short_pair) {
    if (short_pair) {
        return 2 * shared / floor - mine;
    }
    if (shared >= floor * mine * (1 - k_margin)) {
        return std::numeric_limits<double>::infinity();
    }
    return shared / floor;
}

// Whether the letter's weight, made from the sketch's counts (each at least
// the true document frequency, so each bigram weighing at most its true
// weight), may stay within `limit`.
bool may_stay_under(std::span<const std::uint32_t> bigrams, const FirstReading& r,
                    const std::vector<double>& weight_at, double limit) {
    limit = limit * (1 + k_margin) + 1e-6;
    double sum = 0;
    for (std::uint32_t b : bigrams) {
        std::uint16_t n = r.sketch[cell(b)];
        sum += weight_at[n == 0xFFFF ? r.letters : std::min<std::size_t>(n, r.letters)];
        if (sum > limit) {
            return false;
        }
    }
    return true;
}

} // namespace

Similarity similarity_of(std::size_t a, std::size_t b, std::size_t common, double wa, double wb,
                         double wc) {
    Similarity sim;
    if (a == 0 || b == 0) {
        return sim;
    }
    double x = static_cast<double>(a), y = static_cast<double>(b);
    sim.dice = 2.0 * static_cast<double>(common) / (x + y);
    sim.containment = wc / std::min(wa, wb);
    sim.score = std::min(a, b) < 20 ? 2.0 * wc / (wa + wb) : sim.containment;
    return sim;
}

std::vector<WindowMatch> window_matches(const PackedLetters& window, std::string_view self,
                                        const Bigrams& bigrams, double floor) {
    std::vector<WindowMatch> out;
    if (bigrams.empty()) {
        return out;
    }
    BigramPlaces mine(bigrams.size());
    for (std::uint32_t b : bigrams) {
        mine.add(b);
    }
    FirstReading r = read_window(window, self, mine);
    double log_letters = std::log(static_cast<double>(r.letters) + 1.0);
    std::vector<std::int64_t> log_df(bigrams.size());
    std::int64_t my_log_df = 0;
    for (std::size_t k = 0; k < bigrams.size(); ++k) {
        log_df[k] = fixed_log(r.df[k]);
        my_log_df += log_df[k];
    }
    double my_weight = weight_of(bigrams.size(), my_log_df, log_letters);
    std::vector<double> weight_at(r.letters + 1); // a bigram's weight by its count
    for (std::size_t n = 0; n <= r.letters; ++n) {
        weight_at[n] = log_letters - std::log(static_cast<double>(n) + 0.5);
    }

    // The letters that may reach the floor, and what they share.
    struct Candidate {
        std::size_t letter;
        std::size_t common;
        std::int64_t shared_log_df;
    };
    std::vector<Candidate> candidates;
    for (std::size_t i = 0; i < window.size(); ++i) {
        std::size_t common = r.shared_at[i + 1] - r.shared_at[i];
        if (common == 0) {
            continue;
        }
        std::int64_t shared_log_df = 0;
        for (std::size_t at = r.shared_at[i]; at < r.shared_at[i + 1]; ++at) {
            shared_log_df += log_df[r.shared[at]];
        }
        double shared = weight_of(common, shared_log_df, log_letters);
        std::span<const std::uint32_t> theirs = window.bigrams(i);
        bool short_pair = std::min(bigrams.size(), theirs.size()) < 20;
        double limit = heaviest(floor, shared, my_weight, short_pair);
        if (std::isinf(limit) || may_stay_under(theirs, r, weight_at, limit)) {
            candidates.push_back({i, common, shared_log_df});
        }
    }
    if (candidates.empty()) {
        return out;
    }

    // Their bigrams' true document frequencies, in a second reading.
    std::size_t keys = 0;
    for (const Candidate& c : candidates) {
        keys += window.bigrams(c.letter).size();
    }
    BigramTally df(keys);
    for (const Candidate& c : candidates) {
        for (std::uint32_t b : window.bigrams(c.letter)) {
            df.add(b);
        }
    }
    BigramFilter maybe_theirs(df);
    for (std::size_t i = 0; i < window.size(); ++i) {
        if (r.counted[i]) {
            for (std::uint32_t b : window.bigrams(i)) {
                if (maybe_theirs.may_hold(b)) {
                    df.count(b);
                }
            }
        }
    }
    for (const Candidate& c : candidates) {
        std::span<const std::uint32_t> b = window.bigrams(c.letter);
        std::int64_t their_log_df = 0;
        for (std::uint32_t x : b) {
            their_log_df += fixed_log(df.counted(x));
        }
        out.push_back({c.letter, similarity_of(bigrams.size(), b.size(), c.common, my_weight,
                                               weight_of(b.size(), their_log_df, log_letters),
                                               weight_of(c.common, c.shared_log_df, log_letters))});
    }
    return out;
}

std::vector<Similarity> far_matches(const PackedLetters& window, std::string_view self,
                                    const Bigrams& bigrams, const std::vector<IndexedLetter>& far) {
    std::vector<Similarity> out;
    if (far.empty()) {
        return out;
    }
    // The document frequencies of the new letter's bigrams and theirs, in
    // one reading of the window, its letters counted as window_matches
    // counts them (each id once, the new letter's own not).
    std::size_t keys = bigrams.size();
    for (const IndexedLetter& f : far) {
        keys += f.bigrams.size();
    }
    BigramTally df(keys);
    for (std::uint32_t b : bigrams) {
        df.add(b);
    }
    for (const IndexedLetter& f : far) {
        for (std::uint32_t b : f.bigrams) {
            df.add(b);
        }
    }
    BigramFilter maybe(df);
    std::unordered_set<std::string_view> ids;
    std::size_t letters = 0;
    for (std::size_t i = 0; i < window.size(); ++i) {
        if (window.id(i) == self || !ids.insert(window.id(i)).second) {
            continue;
        }
        ++letters;
        for (std::uint32_t b : window.bigrams(i)) {
            if (maybe.may_hold(b)) {
                df.count(b);
            }
        }
    }
    double log_letters = std::log(static_cast<double>(letters) + 1.0);
    std::int64_t my_log_df = 0;
    for (std::uint32_t b : bigrams) {
        my_log_df += fixed_log(df.counted(b));
    }
    double my_weight = weight_of(bigrams.size(), my_log_df, log_letters);
    for (const IndexedLetter& f : far) {
        out.push_back(far_similarity(bigrams, my_weight, log_letters, f.bigrams,
                                     [&](std::uint32_t b) { return df.counted(b); }));
    }
    return out;
}

} // namespace mailbox
