#include "edit_distance.hpp"

#include <algorithm>
#include <numeric>

namespace mailbox {

int edit_distance(std::string_view a, std::string_view b, int max_distance) {
    std::vector<int> row(b.size() + 1);
    std::iota(row.begin(), row.end(), 0);
    for (std::size_t i = 1; i <= a.size(); ++i) {
        int diagonal = row[0];
        row[0] = static_cast<int>(i);
        int best = row[0];
        for (std::size_t j = 1; j <= b.size(); ++j) {
            int up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
            diagonal = up;
            best = std::min(best, row[j]);
        }
        if (best > max_distance) {
            return best;
        }
    }
    return row[b.size()];
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

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
    std::vector<std::string> near = closest(word, candidates);
    if (near.empty()) {
        return "";
    }
    std::string out = "; did you mean ";
    for (std::size_t i = 0; i < near.size(); ++i) {
        out += (i ? ", '" : "'") + near[i] + "'";
    }
    return out + "?";
}

} // namespace mailbox
