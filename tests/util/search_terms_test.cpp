#include "util/search_terms.hpp"

#include <catch2/catch.hpp>
#include <random>

using namespace mailbox;

namespace {

using Terms = std::vector<std::string>;

// What FTS5 does with search_match's expression over a text's terms: every
// quoted phrase runs consecutively in them, its last term a prefix when
// marked with *.
bool matches(const std::string& match, const Terms& text) {
    if (match.empty()) {
        return false;
    }
    std::size_t at = 0;
    while (at < match.size()) {
        std::size_t open = match.find('"', at);
        std::size_t close = match.find('"', open + 1);
        REQUIRE(close != std::string::npos);
        bool prefix = close + 1 < match.size() && match[close + 1] == '*';
        Terms phrase;
        std::string inner = match.substr(open + 1, close - open - 1);
        for (std::size_t s = 0; s <= inner.size();) {
            std::size_t e = inner.find(' ', s);
            phrase.push_back(inner.substr(s, e == std::string::npos ? e : e - s));
            s = e == std::string::npos ? inner.size() + 1 : e + 1;
        }
        bool found = false;
        for (std::size_t i = 0; !found && i + phrase.size() <= text.size(); ++i) {
            found = true;
            for (std::size_t k = 0; found && k < phrase.size(); ++k) {
                bool last = k + 1 == phrase.size();
                found = (last && prefix) ? text[i + k].starts_with(phrase[k])
                                         : text[i + k] == phrase[k];
            }
        }
        if (!found) {
            return false;
        }
        at = match.find(" AND ", close);
        at = at == std::string::npos ? match.size() : at + 5;
    }
    return true;
}

bool finds(std::string_view query, std::string_view text) {
    return matches(search_match(query), search_terms(text));
}

} // namespace

TEST_CASE("Han runs become overlapping pairs and their last character, other text words") {
    CHECK(search_terms("市民反映马路灯坏") ==
          Terms{"市民", "民反", "反映", "映马", "马路", "路灯", "灯坏", "坏"});
    CHECK(search_terms("G20峰会，在Ｗｅｓｔ路") == Terms{"g20", "峰会", "会", "在", "west", "路"});
    CHECK(search_terms("低保") == Terms{"低保", "保"});
    CHECK(search_terms("！？ 。").empty());
    CHECK(search_terms("\xff\xfe").empty()); // not UTF-8: nothing, never a crash
}

TEST_CASE("the joined terms are the terms, space-separated") {
    for (const char* text : {"市民反映马路灯坏", "G20峰会，在Ｗｅｓｔ路", "", "！？", "a b  c"}) {
        std::string joined;
        for (const std::string& t : search_terms(text)) {
            joined += (joined.empty() ? "" : " ") + t;
        }
        CHECK(joined_search_terms(text) == joined);
    }
}

TEST_CASE("a query is quoted phrases of the terms its text would have") {
    CHECK(search_match("拆迁") == "\"拆迁\"");
    CHECK(search_match("拆迁补偿") == "\"拆迁 迁补 补偿\"");
    CHECK(search_match("路") == "\"路\"*");
    CHECK(search_match("路灯 不亮") == "\"路灯\" AND \"不亮\"");
    CHECK(search_match("路灯abc") == "\"路灯 灯 abc\"");
    CHECK(search_match("A座") == "\"a 座\"*");
    CHECK(search_match("\" OR x NEAR(") == "\"or\" AND \"x\" AND \"near\"");
    CHECK(search_match("  ，。 ").empty());
}

TEST_CASE("one, two and three Han characters, and Latin words, find the letters holding them") {
    std::string text = "尊敬的领导：我是马路灯下卖菜的低保户，G20峰会期间拆迁补偿款未到账。";
    for (const char* q : {"路", "灯", "户", "账", "路灯", "低保", "拆迁", "马路灯", "拆迁补偿款",
                          "g20", "G20峰会", "峰会期间", "账。", "领导：我"}) {
        INFO(q);
        CHECK(finds(q, text));
    }
    for (const char* q : {"灯路", "低保障", "G2", "g200", "补偿 路费", "账单"}) {
        INFO(q);
        CHECK_FALSE(finds(q, text));
    }
}

TEST_CASE("every piece of a text finds it") {
    // Random texts of Han characters, digits, Latin letters and punctuation;
    // each substring cut at character boundaries, as a person would type it.
    std::mt19937 rng(7);
    const std::vector<std::string> alphabet{"路", "灯", "拆", "迁", "低", "保", "补", "偿",
                                            "a",  "B",  "7",  "，", " ",  "。", "x"};
    for (int round = 0; round < 300; ++round) {
        std::vector<std::string> chars;
        std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
        std::uniform_int_distribution<int> length(1, 20);
        for (int i = length(rng); i > 0; --i) {
            chars.push_back(alphabet[pick(rng)]);
        }
        std::string text;
        for (const auto& c : chars) {
            text += c;
        }
        std::uniform_int_distribution<std::size_t> from(0, chars.size() - 1);
        std::size_t a = from(rng);
        std::size_t b = std::uniform_int_distribution<std::size_t>(a, chars.size() - 1)(rng);
        std::string query;
        for (std::size_t i = a; i <= b; ++i) {
            query += chars[i];
        }
        // A word cut in the middle is not a word of the text.
        bool cut_word =
            (a > 0 && std::isalnum(static_cast<unsigned char>(chars[a][0])) &&
             std::isalnum(static_cast<unsigned char>(chars[a - 1][0]))) ||
            (b + 1 < chars.size() && std::isalnum(static_cast<unsigned char>(chars[b][0])) &&
             std::isalnum(static_cast<unsigned char>(chars[b + 1][0])));
        if (search_match(query).empty() || cut_word) {
            continue;
        }
        INFO(text << " / " << query << " / " << search_match(query));
        CHECK(matches(search_match(query), search_terms(text)));
    }
}
