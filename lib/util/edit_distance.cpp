#include "util/edit_distance.hpp"

#include <algorithm>
#include <numeric>

namespace mailbox {

int edit_distance(std::string_view a, std::string_view b, int max_distance) {
    // Optimal string alignment: a swap of two neighbours ("nwe" for "new")
    // is one edit, as people mistype.
    std::size_t n = a.size(), m = b.size();
    std::vector<std::vector<int>> d(n + 1, std::vector<int>(m + 1));
    for (std::size_t i = 0; i <= n; ++i) {
        d[i][0] = static_cast<int>(i);
    }
    for (std::size_t j = 0; j <= m; ++j) {
        d[0][j] = static_cast<int>(j);
    }
    for (std::size_t i = 1; i <= n; ++i) {
        int best = d[i][0];
        for (std::size_t j = 1; j <= m; ++j) {
            int cost = a[i - 1] != b[j - 1];
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
            }
            best = std::min(best, d[i][j]);
        }
        if (best > max_distance) {
            return best;
        }
    }
    return d[n][m];
}

std::vector<std::string> closest(std::string_view word, const std::vector<std::string>& candidates,
                                 std::size_t at_most) {
    // Short ids are near many others: allow one edit per three characters.
    int limit = std::clamp((static_cast<int>(word.size()) + 1) / 3, 1, 3);
    std::vector<std::pair<int, std::string>> scored;
    for (const std::string& c : candidates) {
        int d = edit_distance(word, c, limit);
        if (d <= limit) {
            scored.emplace_back(d, c);
        }
    }
    std::stable_sort(scored.begin(), scored.end(),
                     [](const auto& x, const auto& y) { return x.first < y.first; });
    std::vector<std::string> out;
    for (std::size_t i = 0; i < scored.size() && i < at_most; ++i) {
        out.push_back(scored[i].second);
    }
    return out;
}

std::string suggestions(std::string_view word, const std::vector<std::string>& candidates) {
    std::string out;
    for (const std::string& near : closest(word, candidates)) {
        out += (out.empty() ? "'" : ", '") + near + "'";
    }
    return out;
}

} // namespace mailbox
