#include "util/word_finder.hpp"

#include <algorithm>

namespace mailbox {

namespace {

std::size_t pair_at(std::string_view text, std::size_t at) {
    return static_cast<std::uint8_t>(text[at]) << 8 | static_cast<std::uint8_t>(text[at + 1]);
}

} // namespace

WordFinder::WordFinder(std::vector<std::string> words)
    : m_words(std::move(words)), m_pair(1 << 16, false) {
    for (std::size_t w = 0; w < m_words.size(); ++w) {
        if (m_words[w].size() < 3) {
            m_short.push_back(w);
        } else {
            m_by_head[std::string_view(m_words[w]).substr(0, 3)].push_back(w);
            m_pair[pair_at(m_words[w], 0)] = true;
        }
    }
}

std::vector<std::size_t> WordFinder::find(std::string_view text) const {
    std::vector<std::size_t> found;
    auto note = [&](std::size_t w) {
        if (std::find(found.begin(), found.end(), w) == found.end()) {
            found.push_back(w);
        }
    };
    if (!m_by_head.empty()) {
        for (std::size_t at = 0; at + 3 <= text.size(); ++at) {
            if (!m_pair[pair_at(text, at)]) {
                continue;
            }
            auto heads = m_by_head.find(text.substr(at, 3));
            if (heads == m_by_head.end()) {
                continue;
            }
            for (std::size_t w : heads->second) {
                if (text.substr(at).starts_with(m_words[w])) {
                    note(w);
                }
            }
        }
    }
    for (std::size_t w : m_short) {
        if (text.find(m_words[w]) != std::string_view::npos) {
            note(w);
        }
    }
    return found;
}

} // namespace mailbox
