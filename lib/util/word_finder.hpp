// Which of a fixed list of words occur in a text, in one pass over the text
// rather than one search per word. Keywords are mostly Chinese, and every
// CJK character begins with one of a few lead bytes: a search per word
// (std::string::find) stops at nearly every character of the text, so 155
// keywords over a letter's body read it 155 times, each slowly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace mailbox {

class WordFinder {
  public:
    explicit WordFinder(std::vector<std::string> words);

    // The indices of the words found in `text` as bytes, each once, in the
    // order they are first found. An empty word is found in every text, as
    // std::string::find finds it.
    std::vector<std::size_t> find(std::string_view text) const;

    const std::string& word(std::size_t i) const { return m_words[i]; }
    std::size_t size() const { return m_words.size(); }

  private:
    std::vector<std::string> m_words;
    // The words of three bytes or more by their first three (one CJK
    // character); the shorter ones are searched for whole.
    std::unordered_map<std::string_view, std::vector<std::size_t>> m_by_head;
    std::vector<bool> m_pair; // the heads' first two bytes: most positions stop here
    std::vector<std::size_t> m_short;
};

} // namespace mailbox
