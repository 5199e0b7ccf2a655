#include "util/word_finder.hpp"

#include <algorithm>
#include <catch2/catch.hpp>

using namespace mailbox;

namespace {

// What one search per word finds, for comparison.
std::vector<std::size_t> by_find(const std::vector<std::string>& words, std::string_view text) {
    std::vector<std::size_t> found;
    for (std::size_t w = 0; w < words.size(); ++w) {
        if (text.find(words[w]) != std::string_view::npos) {
            found.push_back(w);
        }
    }
    return found;
}

std::vector<std::size_t> sorted(std::vector<std::size_t> v) {
    std::sort(v.begin(), v.end());
    return v;
}

} // namespace

TEST_CASE("a word finder finds each word once, wherever it stands") {
    WordFinder f({"工资", "拖欠工资", "路灯", "A", "ok", "垃圾"});
    CHECK(f.find("拖欠工资，工资还是没发") == std::vector<std::size_t>{1, 0});
    CHECK(f.find("小区的路灯坏了") == std::vector<std::size_t>{2});
    CHECK(f.find("A栋的路灯ok") == std::vector<std::size_t>{2, 3, 4});
    CHECK(f.find("路").empty());
    CHECK(f.find("").empty());
}

TEST_CASE("a word finder finds what a search per word finds") {
    std::vector<std::string> words{"噪音扰民", "噪音", "音扰", "低保",     "小区",
                                   "",         "x",    "区小", "\xe5\x8c", "居民楼"};
    for (std::string_view text :
         {"小区噪音扰民，居民楼下小区小区", "低保", "xx区小", "", "\xe5\x8c\xba", "音扰音扰"}) {
        CAPTURE(text);
        CHECK(sorted(WordFinder(words).find(text)) == by_find(words, text));
    }
}
