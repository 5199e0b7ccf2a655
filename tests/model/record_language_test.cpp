#include "model/record_language.hpp"

#include <catch2/catch.hpp>

using namespace mailbox;

TEST_CASE("record language: a phrase is written in the mailbox's language", "[record]") {
    constexpr Phrase returned{"returned by {}, to re-assign: {}", "{}退单，待重新交办：{}"};
    CHECK(say(Language::en, returned, "zjj", "不属本单位职责") ==
          "returned by zjj, to re-assign: 不属本单位职责");
    CHECK(say(Language::zh_CN, returned, "zjj", "不属本单位职责") ==
          "zjj退单，待重新交办：不属本单位职责");
    // Each language may take the fields it needs, in its own order.
    constexpr Phrase chased{"{0} to {2}", "{1}发至{2}"};
    CHECK(say(Language::en, chased, "sms", "短信", "138") == "sms to 138");
    CHECK(say(Language::zh_CN, chased, "sms", "短信", "138") == "短信发至138");
}

TEST_CASE("record language: lists, clauses and days as each language writes them", "[record]") {
    CHECK(list_of(Language::en, {"a", "b"}) == "a, b");
    CHECK(list_of(Language::zh_CN, {"a", "b"}) == "a、b");
    CHECK(clauses(Language::en, {"to cgj", "", "kind: 投诉"}) == "to cgj; kind: 投诉");
    CHECK(clauses(Language::zh_CN, {"交cgj办理", "", "诉求类型：投诉"}) ==
          "交cgj办理；诉求类型：投诉");
    CHECK(days_counted(Language::en, 1) == "1 day");
    CHECK(days_counted(Language::en, 5) == "5 days");
    CHECK(days_counted(Language::zh_CN, 5) == "5天");
}

TEST_CASE("record language: a note made before the mailbox is known is written in its "
          "language later",
          "[record]") {
    Note n = note(
        {"the text was {} bytes; only the first {} are kept", "正文原有{}字节，仅保留前{}字节"},
        300000, 262144);
    CHECK(n.in(Language::en) == "the text was 300000 bytes; only the first 262144 are kept");
    CHECK(n.in(Language::zh_CN) == "正文原有300000字节，仅保留前262144字节");
    CHECK(n ==
          note({"the text was {} bytes; only the first {} are kept", "x{}{}"}, 300000, 262144));
    CHECK_FALSE(n == note({"the text was {} bytes; only the first {} are kept", "x{}{}"}, 1, 2));
}

TEST_CASE("record language: mailbox.toml names it zh_CN or en", "[record]") {
    CHECK(parse_language("zh_CN") == Language::zh_CN);
    CHECK(parse_language("en") == Language::en);
    CHECK_FALSE(parse_language("zh"));
    CHECK(to_string(Language::zh_CN) == "zh_CN");
}
