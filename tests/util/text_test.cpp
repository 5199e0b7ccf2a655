#include "util/text.hpp"

#include <catch2/catch.hpp>

using namespace mailbox;

TEST_CASE("trimmed drops blanks and line breaks at either end only") {
    CHECK(trimmed("  \t路灯 不亮\r\n") == "路灯 不亮");
    CHECK(trimmed(" \n ") == "");
}

TEST_CASE("strip drops the ideographic space only when asked, and strip_end only the end") {
    CHECK(strip("\u3000 张三\u3000\t", true) == "张三");
    CHECK(strip("\u3000张三\u3000") == "\u3000张三\u3000");
    CHECK(strip(" \u3000 \u3000 ", true).empty());
    CHECK(strip("\v\f x \f") == "x");
    CHECK(strip_end("  您好\n\n ") == "  您好");
    CHECK(strip_end(" \n").empty());
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

TEST_CASE("lines_of splits at line breaks, an empty text has no lines, a last break ends a line") {
    using V = std::vector<std::string_view>;
    CHECK(lines_of("") == V{});
    CHECK(lines_of("a") == V{"a"});
    CHECK(lines_of("a\nb") == V{"a", "b"});
    CHECK(lines_of("a\nb\n") == V{"a", "b"});
    CHECK(lines_of("a\n\nb") == V{"a", "", "b"});
    CHECK(lines_of("\n") == V{""});
}

TEST_CASE("commented puts '# ' before every line, a last break starting an empty one") {
    CHECK(commented("") == "# \n");
    CHECK(commented("a") == "# a\n");
    CHECK(commented("a\nb") == "# a\n# b\n");
    CHECK(commented("a\n") == "# a\n# \n");
    CHECK(commented("一\n\n二") == "# 一\n# \n# 二\n");
}
