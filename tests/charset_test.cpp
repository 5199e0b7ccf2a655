#include "charset.hpp"

#include <catch2/catch.hpp>

using namespace mailbox;

TEST_CASE("the GB family is decoded as GB18030") {
    CHECK(decoding_charset("gb2312") == "GB18030");
    CHECK(decoding_charset("X-GBK") == "GB18030");
    CHECK(decoding_charset("cp936") == "GB18030");
    CHECK(decoding_charset("Big5") == "BIG5-HKSCS");
    CHECK(decoding_charset("iso-8859-1") == "iso-8859-1");
}

TEST_CASE("a GBK-only character labelled gb2312 still decodes") {
    // 镕 (U+9555) is in GBK but not in GB2312: C3 BE... in GBK it is E9 46.
    CHECK(to_utf8("\xE9\x46", "gb2312") == std::optional<std::string>("镕"));
    CHECK(to_utf8("\xD6\xD0\xCE\xC4", "GB2312") == std::optional<std::string>("中文"));
}

TEST_CASE("invalid text in a charset is refused, not mangled") {
    CHECK_FALSE(to_utf8("\xFF\xFF", "utf-8"));
    CHECK_FALSE(to_utf8("abc", "no-such-charset"));
}

TEST_CASE("text of unknown charset: UTF-8, else GB18030, else U+FFFD") {
    CHECK(guess_to_utf8("中文") == "中文");
    CHECK(guess_to_utf8("\xD6\xD0\xCE\xC4") == "中文");
    CHECK(guess_to_utf8("ok \xFF end") == "ok \xEF\xBF\xBD end");
}
