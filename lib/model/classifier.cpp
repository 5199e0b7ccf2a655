#include "model/classifier.hpp"

#include "util/text.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <utf8proc.h>

namespace mailbox {

namespace {

// Smoothing: an n-gram no letter of the other labels had still counts a
// little, so one unseen n-gram cannot decide alone. Small, as a letter's
// weights sum to about its length's square root: on the 495 real letters
// of the evaluation (mailbox-report triage-eval) 0.01 did best, with
// n-grams of one and two characters (three added noise).
constexpr double k_alpha = 0.01;
// How sharply the softmax of the scores separates the labels (see
// classify): at 3, of the real letters guessed with confidence 0.7 or
// more, 9 in 10 were right.
constexpr double k_sharpness = 3;
constexpr std::size_t k_longest = 2; // the longest n-gram, in characters
// A count this small is a letter learned and forgotten: rounding's zero.
constexpr double k_gone = 1e-9;

constexpr int k_bits = 21;
constexpr std::uint64_t k_mask = (std::uint64_t{1} << k_bits) - 1;

void add_ngrams(const std::vector<std::int32_t>& letters, int times,
                std::vector<std::uint64_t>& grams) {
    for (std::size_t i = 0; i < letters.size(); ++i) {
        std::uint64_t gram = 0;
        for (std::size_t n = 0; n < k_longest && i + n < letters.size(); ++n) {
            gram = (gram << k_bits) | static_cast<std::uint64_t>(letters[i + n]);
            grams.insert(grams.end(), static_cast<std::size_t>(times), gram);
        }
    }
}

} // namespace

Features features_of(std::string_view subject, std::string_view body) {
    // Every occurrence, sorted: a run of one n-gram is its count. A map
    // would cost an allocation an n-gram.
    std::vector<std::uint64_t> all;
    add_ngrams(folded_letters(subject), 2, all);
    add_ngrams(folded_letters(body), 1, all);
    std::sort(all.begin(), all.end());
    Features f;
    double norm = 0;
    for (std::size_t i = 0; i < all.size();) {
        std::size_t run = i;
        while (run < all.size() && all[run] == all[i]) {
            ++run;
        }
        double w = std::log1p(static_cast<double>(run - i));
        f.grams.push_back(all[i]);
        f.weights.push_back(static_cast<float>(w));
        norm += w * w;
        i = run;
    }
    norm = std::sqrt(norm);
    for (float& w : f.weights) {
        w = static_cast<float>(w / norm);
    }
    return f;
}

std::string ngram_text(std::uint64_t ngram) {
    std::vector<std::int32_t> points;
    for (; ngram != 0; ngram >>= k_bits) {
        points.push_back(static_cast<std::int32_t>(ngram & k_mask));
    }
    std::string out;
    for (auto it = points.rbegin(); it != points.rend(); ++it) {
        utf8proc_uint8_t buf[4];
        utf8proc_ssize_t n = utf8proc_encode_char(*it, buf);
        out.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(n));
    }
    return out;
}

std::size_t Classifier::label_index(const std::string& name) {
    auto [it, added] = m_label_index.emplace(name, m_labels.size());
    if (added) {
        m_labels.push_back(Label{name, 0, 0});
    }
    return it->second;
}

void Classifier::learn(const Features& f, const std::string& label, int sign) {
    std::size_t li = label_index(label);
    auto l32 = static_cast<std::uint32_t>(li);
    for (std::size_t i = 0; i < f.grams.size(); ++i) {
        std::uint64_t gram = f.grams[i];
        double w = sign * static_cast<double>(f.weights[i]);
        std::uint32_t at_gram = m_gram_index.insert(gram);
        if (at_gram == m_counts.size()) {
            m_counts.emplace_back();
        }
        Counts& c = m_counts[at_gram];
        bool was = c.all > k_gone;
        c.all += w;
        m_vocabulary += static_cast<std::ptrdiff_t>(c.all > k_gone) - was;
        auto at = std::find_if(c.by_label.begin(), c.by_label.end(),
                               [&](const auto& p) { return p.first == l32; });
        if (at == c.by_label.end()) {
            c.by_label.emplace_back(l32, w);
        } else if (std::abs(at->second += w) <= k_gone) {
            c.by_label.erase(at); // forgotten: gone, so the counts do not grow
        }
        m_labels[li].total += w;
        m_total += w;
    }
    m_labels[li].letters += sign;
    m_letters += sign;
}

std::vector<std::string> Classifier::labels() const {
    std::vector<std::string> out;
    for (const Label& l : m_labels) {
        if (l.letters > 0) {
            out.push_back(l.name);
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

const Classifier::Counts* Classifier::counts_of(std::uint64_t gram) const {
    auto at = m_gram_index.find(gram);
    return at ? &m_counts[*at] : nullptr;
}

// The n-grams that raised the label most above the labels that lacked them.
std::vector<std::pair<std::string, double>>
Classifier::reasons_for(const Features& f, std::uint32_t label, std::size_t count) const {
    std::vector<std::pair<std::uint64_t, double>> weighed;
    for (std::size_t i = 0; i < f.grams.size(); ++i) {
        std::uint64_t gram = f.grams[i];
        double w = f.weights[i];
        const Counts* found = counts_of(gram);
        if (!found) {
            continue;
        }
        const Counts& c = *found;
        for (const auto& [l, in_label] : c.by_label) {
            if (l == label) {
                weighed.emplace_back(gram,
                                     w * (std::log(k_alpha + c.all) -
                                          std::log(k_alpha + std::max(0.0, c.all - in_label))));
            }
        }
    }
    std::sort(weighed.begin(), weighed.end(), [](const auto& a, const auto& b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    std::vector<std::pair<std::string, double>> out;
    for (std::size_t i = 0; i < weighed.size() && out.size() < count; ++i) {
        out.emplace_back(ngram_text(weighed[i].first), weighed[i].second);
    }
    return out;
}

std::vector<std::pair<std::string, double>>
Classifier::reasons(const Features& f, const std::string& label, std::size_t count) const {
    auto at = m_label_index.find(label);
    if (at == m_label_index.end()) {
        return {};
    }
    return reasons_for(f, static_cast<std::uint32_t>(at->second), count);
}

std::optional<Guess> Classifier::classify(const Features& f, std::size_t reasons) const {
    std::size_t n = m_labels.size();
    auto vocabulary = static_cast<double>(m_vocabulary);
    // Each label's complement log-likelihood, log P(letter | not this label):
    // the label whose complement explains the letter worst wins. An n-gram
    // the label never had adds the same to every label's complement but its
    // own, so only the labels that had it need a look.
    std::vector<double> complement(n, 0);
    double mass = 0;
    // What every label's complement shares: an n-gram no letter had, and
    // each n-gram's term as if no label had it.
    double shared = 0;
    for (std::size_t i = 0; i < f.grams.size(); ++i) {
        std::uint64_t gram = f.grams[i];
        double w = f.weights[i];
        mass += w;
        const Counts* found = counts_of(gram);
        if (!found || found->all <= k_gone) {
            shared += w * std::log(k_alpha);
            continue;
        }
        const Counts& c = *found;
        double base = std::log(k_alpha + c.all);
        shared += w * base;
        for (const auto& [label, count] : c.by_label) {
            complement[label] += w * (std::log(k_alpha + std::max(0.0, c.all - count)) - base);
        }
    }
    std::optional<Guess> best;
    std::vector<double> scores;
    std::size_t best_index = 0; // in scores
    std::size_t best_label = 0; // in m_labels
    for (std::size_t i = 0; i < n; ++i) {
        if (m_labels[i].letters <= 0) {
            continue;
        }
        double rest = std::max(0.0, m_total - m_labels[i].total);
        double score = -(complement[i] + shared - mass * std::log(k_alpha * vocabulary + rest));
        scores.push_back(score);
        if (!best || score > scores[best_index] ||
            (score == scores[best_index] && m_labels[i].name < best->label)) {
            best = Guess{m_labels[i].name, 0, {}};
            best_index = scores.size() - 1;
            best_label = i;
        }
    }
    if (!best) {
        return std::nullopt;
    }
    // Scores are log-likelihoods of a letter made of length 1: a softmax of
    // them, sharpened, says how far ahead the winner is.
    double top = scores[best_index];
    double sum = 0;
    for (double s : scores) {
        sum += std::exp(k_sharpness * (s - top));
    }
    best->confidence = 1 / sum;
    if (reasons > 0) {
        best->reasons = reasons_for(f, static_cast<std::uint32_t>(best_label), reasons);
    }
    return best;
}

namespace {

constexpr std::string_view k_magic = "mailbox classifier 1\n";

template <typename T>
void put(std::string& out, T value) {
    out.append(reinterpret_cast<const char*>(&value), sizeof value);
}

// Reads what put wrote, failing once the bytes run out.
class Reader {
  public:
    explicit Reader(std::string_view bytes) : m_rest(bytes) {}
    template <typename T>
    bool get(T& value) {
        if (m_rest.size() < sizeof value) {
            return false;
        }
        std::memcpy(&value, m_rest.data(), sizeof value);
        m_rest.remove_prefix(sizeof value);
        return true;
    }
    bool get(std::string& text, std::size_t n) {
        if (m_rest.size() < n) {
            return false;
        }
        text.assign(m_rest.substr(0, n));
        m_rest.remove_prefix(n);
        return true;
    }
    bool done() const { return m_rest.empty(); }

  private:
    std::string_view m_rest;
};

} // namespace

std::string Classifier::to_bytes() const {
    std::string out(k_magic);
    put(out, static_cast<std::uint32_t>(m_labels.size()));
    for (const Label& l : m_labels) {
        put(out, static_cast<std::uint32_t>(l.name.size()));
        out += l.name;
        put(out, static_cast<std::int64_t>(l.letters));
        put(out, l.total);
    }
    put(out, m_total);
    put(out, static_cast<std::uint64_t>(m_letters));
    auto kept = std::count_if(m_counts.begin(), m_counts.end(),
                              [](const Counts& c) { return c.all > k_gone; });
    put(out, static_cast<std::uint64_t>(kept));
    m_gram_index.for_each([&](std::uint64_t gram, std::uint32_t number) {
        const Counts& c = m_counts[number];
        if (c.all <= k_gone) {
            return;
        }
        put(out, gram);
        put(out, c.all);
        put(out, static_cast<std::uint32_t>(c.by_label.size()));
        for (const auto& [label, count] : c.by_label) {
            put(out, label);
            put(out, count);
        }
    });
    return out;
}

std::optional<Classifier> Classifier::from_bytes(std::string_view bytes) {
    if (!bytes.starts_with(k_magic)) {
        return std::nullopt;
    }
    Reader r(bytes.substr(k_magic.size()));
    Classifier c;
    std::uint32_t labels = 0;
    if (!r.get(labels)) {
        return std::nullopt;
    }
    for (std::uint32_t i = 0; i < labels; ++i) {
        std::uint32_t length = 0;
        std::int64_t letters = 0;
        Label l;
        if (!r.get(length) || !r.get(l.name, length) || !r.get(letters) || !r.get(l.total) ||
            !std::isfinite(l.total) || !c.m_label_index.emplace(l.name, i).second) {
            return std::nullopt;
        }
        l.letters = static_cast<int>(letters);
        c.m_labels.push_back(std::move(l));
    }
    std::uint64_t letters = 0, grams = 0;
    if (!r.get(c.m_total) || !std::isfinite(c.m_total) || !r.get(letters) || !r.get(grams)) {
        return std::nullopt;
    }
    c.m_letters = letters;
    for (std::uint64_t g = 0; g < grams; ++g) {
        std::uint64_t gram = 0;
        std::uint32_t n = 0;
        Counts counts;
        if (!r.get(gram) || gram == 0 || !r.get(counts.all) || !std::isfinite(counts.all) ||
            !r.get(n) || n > labels) {
            return std::nullopt;
        }
        for (std::uint32_t k = 0; k < n; ++k) {
            std::uint32_t label = 0;
            double count = 0;
            if (!r.get(label) || label >= labels || !r.get(count) || !std::isfinite(count)) {
                return std::nullopt;
            }
            counts.by_label.emplace_back(label, count);
        }
        if (c.m_gram_index.insert(gram) != c.m_counts.size()) {
            return std::nullopt; // a gram twice
        }
        c.m_counts.push_back(std::move(counts));
    }
    if (!r.done()) {
        return std::nullopt;
    }
    c.m_vocabulary = static_cast<std::ptrdiff_t>(c.m_counts.size());
    return c;
}

} // namespace mailbox
