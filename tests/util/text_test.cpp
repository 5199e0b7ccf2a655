#include "util/text.hpp"

#include <catch2/catch.hpp>

using namespace mailbox;

TEST_CASE("trimmed drops blanks and line breaks at either end only") {
    CHECK(trimmed("  \t路灯 不亮\r\n") == "路灯 不亮");
    CHECK(trimmed(" \n ") == "");
}

TEST_CASE("lower_ascii lowers ASCII letters and leaves UTF-8 alone") {
    CHECK(lower_ascii("GB2312 路灯 ABC") == "gb2312 路灯 abc");
}

TEST_CASE("first_chars cuts between characters, never inside one") {
    CHECK(first_chars("小区噪音扰民", 4) == "小区噪音…");
    CHECK(first_chars("小区噪音", 4) == "小区噪音");
    CHECK(first_chars("ab小c", 3) == "ab小…");
    CHECK(first_chars("", 3).empty());
    CHECK(first_chars("abc", 0) == "…");
}
