#include "model/similarity.hpp"

#include "util/text.hpp"

#include <algorithm>
#include <cmath>

namespace mailbox {

namespace {

std::uint32_t mix(std::uint32_t a, std::uint32_t b) {
    std::uint64_t h = (static_cast<std::uint64_t>(a) << 21) ^ b;
    h *= 0x9E3779B97F4A7C15ull;
    return static_cast<std::uint32_t>(h >> 32);
}

} // namespace

Bigrams bigrams_of(std::string_view text) {
    std::vector<std::int32_t> letters = folded_letters(text);
    Bigrams out;
    for (std::size_t i = 1; i < letters.size(); ++i) {
        out.push_back(mix(static_cast<std::uint32_t>(letters[i - 1]),
                          static_cast<std::uint32_t>(letters[i])));
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

void BigramWeights::add(const Bigrams& letter) {
    for (std::uint32_t b : letter) {
        Count& c = m_df[b];
        ++c.df;
        c.letters = -1;
    }
    ++m_letters;
}

void BigramWeights::remove(const Bigrams& letter) {
    for (std::uint32_t b : letter) {
        if (auto it = m_df.find(b); it != m_df.end()) {
            it->second.letters = -1;
            if (--it->second.df == 0) {
                m_df.erase(it);
            }
        }
    }
    --m_letters;
}

double BigramWeights::weight(std::uint32_t bigram) const {
    if (m_letters == 0) {
        return 1.0;
    }
    auto it = m_df.find(bigram);
    if (it == m_df.end()) {
        return std::log((m_letters + 1.0) / 0.5);
    }
    const Count& c = it->second;
    if (c.letters != m_letters) {
        c.weight = std::log((m_letters + 1.0) / (c.df + 0.5));
        c.letters = m_letters;
    }
    return c.weight;
}

Similarity similarity(const Bigrams& a, const Bigrams& b, const BigramWeights& weights) {
    Similarity s;
    if (a.empty() || b.empty()) {
        return s;
    }
    std::size_t common = 0;
    double wa = 0, wb = 0, wc = 0;
    for (std::uint32_t x : a) {
        wa += weights.weight(x);
    }
    for (std::uint32_t y : b) {
        wb += weights.weight(y);
    }
    for (auto i = a.begin(), j = b.begin(); i != a.end() && j != b.end();) {
        if (*i < *j) {
            ++i;
        } else if (*j < *i) {
            ++j;
        } else {
            ++common;
            wc += weights.weight(*i);
            ++i;
            ++j;
        }
    }
    double x = static_cast<double>(a.size()), y = static_cast<double>(b.size());
    s.dice = 2.0 * static_cast<double>(common) / (x + y);
    s.containment = wc / std::min(wa, wb);
    s.score = std::min(a.size(), b.size()) < 20 ? 2.0 * wc / (wa + wb) : s.containment;
    return s;
}

Bigrams letter_bigrams(const std::string& subject, const std::string& body) {
    return bigrams_of(subject + "\n" + body);
}

} // namespace mailbox
