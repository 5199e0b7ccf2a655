#include "text.hpp"

#include <catch2/catch.hpp>

using namespace mailbox;

TEST_CASE("trimmed drops blanks and line breaks at either end only") {
    CHECK(trimmed("  \t路灯 不亮\r\n") == "路灯 不亮");
    CHECK(trimmed(" \n ") == "");
}

TEST_CASE("lower_ascii lowers ASCII letters and leaves UTF-8 alone") {
    CHECK(lower_ascii("GB2312 路灯 ABC") == "gb2312 路灯 abc");
}
