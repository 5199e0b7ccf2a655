#include "mail.hpp"
#include "test_util.hpp"

#include <catch2/catch.hpp>

using namespace mailbox;
using namespace mailbox::test;

TEST_CASE("encoded words: UTF-8, GB2312 labels and Q encoding") {
    CHECK(decode_header_text("=?UTF-8?B?5bu66K6+6Lev?=") == "建设路");
    CHECK(decode_header_text("=?gb2312?B?1tDOxA==?=") == "中文");
    CHECK(decode_header_text("=?utf-8?Q?=E4=B8=AD_x?=") == "中 x");
    CHECK(decode_header_text("Re: =?UTF-8?B?5bu66K6+6Lev?= ok") == "Re: 建设路 ok");
}

TEST_CASE("an encoded word split inside a character is joined before decoding") {
    // 中文 in GBK is D6 D0 CE C4; the first word ends after D6 D0 CE.
    CHECK(decode_header_text("=?gb2312?B?1tDO?= =?gb2312?B?xA==?=") == "中文");
    CHECK(decode_header_text("=?gb2312?B?1tDO?=\r\n =?gb2312?B?xA==?=") == "中文");
}

TEST_CASE("raw 8-bit headers are read as UTF-8, else GB18030") {
    CHECK(decode_header_text("建设路") == "建设路");
    CHECK(decode_header_text("\xD6\xD0\xCE\xC4") == "中文");
}

TEST_CASE("CR and LF never survive into a header's text") {
    CHECK(decode_header_text("=?UTF-8?B?5byg5LiJDQpCY2M6IHhAZXhhbXBsZS5jb20=?=") ==
          "张三  Bcc: x@example.com");
}

TEST_CASE("html becomes readable text") {
    CHECK(html_to_text("<html><head><title>t</title><style>p{}</style></head><body>"
                       "<p>第一段&nbsp;a&amp;b</p><div>第二段<br>下一行</div></body></html>") ==
          "第一段 a&b\n第二段\n下一行\n");
}

TEST_CASE("a sample .eml is read whole") {
    auto items = read_mail_file(source_dir() + "/sample-data/import/02-multipart-attachment.eml",
                                "02.eml", shanghai());
    REQUIRE(items.size() == 1);
    REQUIRE(items[0].letter);
    const MailLetter& m = *items[0].letter;
    CHECK(m.subject == "幸福小区3栋楼顶水箱漏水两个月无人修");
    CHECK(m.sender.name == "刘芳");
    CHECK(m.sender.email == "liufang@example.net");
    CHECK(m.date->iso() == "2026-11-24T19:40:02+08:00");
    CHECK(m.message_id == "cafe.1764000002@example.net");
    CHECK(m.body.starts_with("书记您好："));
    REQUIRE(m.attachments.size() == 1);
    CHECK(m.attachments[0].name == "漏水照片.jpg");
    CHECK(m.attachments[0].size == 10240);
}

TEST_CASE("an mbox gives one item per message") {
    auto items =
        read_mail_file(source_dir() + "/sample-data/import/03-week.mbox", "w.mbox", shanghai());
    REQUIRE(items.size() == 3);
    CHECK(items[1].where == "w.mbox: message 2");
    CHECK(items[1].letter->sender.name == "林志明");
}

TEST_CASE("a file that is not mail is an error, not a letter") {
    TempDir t;
    write_text(t.path() / "x.eml", "just some words\nand more\n");
    auto items = read_mail_file(t.path() / "x.eml", "x.eml", shanghai());
    REQUIRE(items.size() == 1);
    CHECK_FALSE(items[0].letter);
    CHECK(items[0].error.starts_with("not a mail message"));
}
