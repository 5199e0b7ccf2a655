#include "format/mail.hpp"
#include "util/charset.hpp"

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

TEST_CASE("undeclared Big5 is told from GB18030") {
    // 中文 in Big5 also decodes as GB18030, to いゅ: kana no letter holds.
    CHECK(guess_to_utf8("\xA4\xA4\xA4\xE5") == "中文");
    CHECK(guess_decode("\xA4\xA4\xA4\xE5").charset == "BIG5-HKSCS");
    // 我們社區的路燈壞了很久 in Big5: uchardet names it.
    CHECK(guess_to_utf8("\xA7\xDA\xAD\xCC\xAA\xC0\xB0\xCF\xAA\xBA\xB8\xF4\xBF\x4F\xC3\x61\xA4"
                        "\x46\xAB\xDC\xA4\x5B") == "我們社區的路燈壞了很久");
    // GB18030 text stays GB18030.
    CHECK(guess_decode("\xD6\xD0\xCE\xC4").charset == "GB18030");
    CHECK(guess_to_utf8("\xB9\xD8\xD3\xDA\xD3\xD7\xB6\xF9\xD4\xB0\xCA\xD5\xB7\xD1") ==
          "关于幼儿园收费");
}

TEST_CASE("one stray byte costs one character, not the whole text") {
    // 市民来信 in GB18030 with a stray 0xFF in the middle.
    Decoded d = decode_lossy("\xCA\xD0\xC3\xF1\xFF\xC0\xB4\xD0\xC5", "gb2312");
    CHECK(d.text == "市民\xEF\xBF\xBD来信");
    CHECK(d.replaced == 1);
    CHECK(d.charset == "GB18030");
    // UTF-8 with one bad byte: read as UTF-8, not as GB18030 mojibake.
    CHECK(guess_to_utf8("市民\xFF来信") == "市民\xEF\xBF\xBD来信");
    // The text ends inside a character.
    CHECK(decode_lossy("\xCA\xD0\xC3", "GB18030").text == "市\xEF\xBF\xBD");
    CHECK(decode_lossy("a\xE9", "no-such-charset").text == "a\xEF\xBF\xBD");
}

TEST_CASE("a declared charset is kept unless a guess reads the text whole") {
    Decoded right = decode_declared("\xCA\xD0\xC3\xF1", "gb2312");
    CHECK(right.text == "市民");
    CHECK(right.replaced == 0);
    // Labelled UTF-8 but GB18030 throughout: the label is wrong.
    CHECK(decode_declared("\xCA\xD0\xC3\xF1\xC0\xB4\xD0\xC5", "utf-8").text == "市民来信");
    // Labelled GB2312, one stray byte: GB18030 with one U+FFFD.
    Decoded stray = decode_declared("\xCA\xD0\xC3\xF1\xFF\xC0\xB4\xD0\xC5", "gb2312");
    CHECK(stray.text == "市民\xEF\xBF\xBD来信");
    CHECK(stray.replaced == 1);
}

TEST_CASE("a charset name iconv takes for UTF-8 never lets invalid bytes through") {
    // glibc drops the 0x9E and reads the name as UTF8.
    CHECK_FALSE(to_utf8("a\xFF", "UTF\x9E"
                                 "8"));
    CHECK(decode_lossy("a\xFF", "UTF\x9E"
                                "8")
              .text == "a\xEF\xBF\xBD");
    CHECK(is_valid_utf8(decode_header_text("=?UTF\x9E"
                                           "8?B?e/S5jb1?=")));
}

TEST_CASE("a character cut by iconv's input window is read whole") {
    // 'a' then 40,000 × 中 in GBK: the 64 KiB window ends inside a character.
    std::string gbk = "a", utf8 = "a";
    for (int i = 0; i < 40000; ++i) {
        gbk += "\xD6\xD0";
        utf8 += "中";
    }
    Decoded d = decode_lossy(gbk, "GB18030");
    CHECK(d.replaced == 0);
    CHECK(d.text == utf8);
    // A truly cut last character still costs one byte.
    Decoded cut = decode_lossy(gbk.substr(0, gbk.size() - 1), "GB18030");
    CHECK(cut.replaced == 1);
}
