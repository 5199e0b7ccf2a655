#include "format/mail.hpp"
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

namespace {

OutgoingMail reply_mail() {
    OutgoingMail m;
    m.from_name = "示范市委办公室 书记信箱";
    m.from_address = "xinxiang@example.gov.cn";
    m.to_name = "张三";
    m.to_address = "zhangsan@example.com";
    m.subject = "关于您反映“建设路坑洼”问题的答复";
    m.body = "张三同志：\n您好！\n\n答复如下：路面已修复。\n";
    m.date = *parse_timestamp("2026-11-25T09:30:00+08:00", nullptr);
    m.message_id = "reply.261102-9WD0AB.20261125T093000@example.gov.cn";
    m.in_reply_to = "abc123@mail.example.com";
    return m;
}

} // namespace

TEST_CASE("a reply parses back with every header and the body") {
    auto parsed = parse_message(build_message(reply_mail()));
    REQUIRE(parsed);
    CHECK(parsed->header("From") == "示范市委办公室 书记信箱 <xinxiang@example.gov.cn>");
    CHECK(parsed->header("To") == "张三 <zhangsan@example.com>");
    CHECK(parsed->header("Subject") == "关于您反映“建设路坑洼”问题的答复");
    CHECK(parsed->header("Date") == "Wed, 25 Nov 2026 09:30:00 +0800");
    CHECK(parsed->header("Message-ID") == "<reply.261102-9WD0AB.20261125T093000@example.gov.cn>");
    CHECK(parsed->header("In-Reply-To") == "<abc123@mail.example.com>");
    CHECK(parsed->header("References") == "<abc123@mail.example.com>");
    CHECK(parsed->header("Content-Type").find("charset=utf-8") != std::string::npos);
    CHECK(parsed->body == reply_mail().body);
}

TEST_CASE("the raw headers are ASCII: names and subject are encoded words") {
    std::string text = build_message(reply_mail());
    std::string head = text.substr(0, text.find("\n\n"));
    CHECK(std::all_of(head.begin(), head.end(),
                      [](char ch) { return static_cast<unsigned char>(ch) < 0x80; }));
    CHECK(head.find("=?") != std::string::npos);
}

TEST_CASE("a name in GBK-only characters and a 200-character subject survive") {
    OutgoingMail m = reply_mail();
    m.to_name = "王喆镕"; // 喆 and 镕 are in GBK, not in GB2312
    m.subject.clear();
    for (int i = 0; i < 20; ++i) {
        m.subject += "关于小区物业乱收费问题反映";
    }
    m.subject = m.subject.substr(0, 600); // 200 characters of three bytes
    std::string text = build_message(m);
    for (std::size_t start = 0, end; start < text.find("\n\n"); start = end + 1) {
        end = text.find('\n', start);
        std::string line = text.substr(start, end - start);
        CHECK(line.size() <= 78); // RFC 5322's line length
        for (std::size_t w = line.find("=?"); w != std::string::npos; w = line.find("=?", w + 2)) {
            std::size_t close = line.find("?=", line.find('?', line.find('?', w + 2) + 1) + 1);
            CHECK(close + 2 - w <= 75); // RFC 2047's longest encoded word
            w = close;
        }
    }
    auto parsed = parse_message(text);
    REQUIRE(parsed);
    CHECK(parsed->header("To") == "王喆镕 <zhangsan@example.com>");
    CHECK(parsed->header("Subject") == m.subject);
}

TEST_CASE("a CR or LF in a name or subject never adds a header") {
    OutgoingMail m = reply_mail();
    m.to_name = "张三\r\nBcc: victim@example.org";
    m.subject = "坑洼\nX-Injected: yes";
    m.from_name = "办公室\rCc: x@example.org";
    auto parsed = parse_message(build_message(m));
    REQUIRE(parsed);
    for (const auto& [name, value] : parsed->headers) {
        CHECK(name != "Bcc");
        CHECK(name != "Cc");
        CHECK(name != "X-Injected");
    }
    CHECK(parsed->header("Subject") == "坑洼 X-Injected: yes");
}

TEST_CASE("only plain addresses are accepted") {
    CHECK(plain_address("a.b+c@example.com"));
    CHECK_FALSE(plain_address("a@b@c"));
    CHECK_FALSE(plain_address("-oQ/tmp/x@example.com"));
    CHECK_FALSE(plain_address("a b@example.com"));
    CHECK_FALSE(plain_address("a@example.com\nBcc: x@y"));
    CHECK_FALSE(plain_address("<a@example.com>"));
    CHECK_FALSE(plain_address("a@example.com, b@example.com"));
    OutgoingMail m = reply_mail();
    m.to_address = "x@example.com\r\nBcc: y@example.com";
    CHECK_THROWS_AS(build_message(m), UsageError);
}

TEST_CASE("a subject that is not UTF-8 still ends: the encoder always moves on") {
    OutgoingMail m = reply_mail();
    m.subject = "路灯" + std::string(60, '\x80'); // continuation bytes only
    CHECK_FALSE(build_message(m).empty());
}

TEST_CASE("attachments inside a forwarded message keep their names") {
    // The shape of the MIME torture test: a message/rfc822 part holding a
    // multipart whose parts are named only by Content-Type's name, one of
    // them with a type that lacks its subtype.
    TempDir t;
    write_text(t.path() / "fwd.eml", "From: =?UTF-8?B?5byg5LiJ?= <zhangsan@example.com>\n"
                                     "Subject: fwd\n"
                                     "MIME-Version: 1.0\n"
                                     "Content-Type: multipart/mixed; boundary=outer\n"
                                     "\n"
                                     "--outer\n"
                                     "Content-Type: text/plain; charset=UTF-8\n"
                                     "\n"
                                     "请看转发的邮件。\n"
                                     "--outer\n"
                                     "Content-Type: message/rfc822\n"
                                     "\n"
                                     "From: someone@example.org\n"
                                     "Subject: inner\n"
                                     "MIME-Version: 1.0\n"
                                     "Content-Type: multipart/mixed; boundary=inner\n"
                                     "\n"
                                     "--inner\n"
                                     "Content-Type: text/plain\n"
                                     "\n"
                                     "inner text\n"
                                     "--inner\n"
                                     "Content-Type: BINARY;name=\"Alices_PDP-10\"\n"
                                     "Content-Description: Alice's PDP-10 w/ TECO & DDT\n"
                                     "Content-Transfer-Encoding: base64\n"
                                     "\n"
                                     "AAECAwQFBgc=\n"
                                     "--inner\n"
                                     "Content-Type: image/gif; name=\"bunny.gif\"\n"
                                     "Content-Transfer-Encoding: base64\n"
                                     "\n"
                                     "R0lGODlh\n"
                                     "--inner--\n"
                                     "--outer--\n");
    auto items = read_mail_file(t.path() / "fwd.eml", "fwd.eml", shanghai());
    REQUIRE(items.size() == 1);
    REQUIRE(items[0].letter);
    const MailLetter& m = *items[0].letter;
    CHECK(m.body == "请看转发的邮件。");
    std::vector<std::string> names;
    for (const auto& a : m.attachments) {
        names.push_back(a.name);
    }
    CHECK(names == std::vector<std::string>{"inner.eml", "Alices_PDP-10", "bunny.gif"});
    REQUIRE(m.attachments.size() == 3);
    CHECK(m.attachments[1].size == 8);
}

TEST_CASE("a letter that only forwards a message is read from the forwarded text") {
    TempDir t;
    write_text(t.path() / "fwd.eml", "From: zhangsan@example.com\n"
                                     "Subject: Fwd: 噪音\n"
                                     "MIME-Version: 1.0\n"
                                     "Content-Type: message/rfc822\n"
                                     "\n"
                                     "From: lisi@example.com\n"
                                     "Subject: 噪音\n"
                                     "Content-Type: text/plain; charset=UTF-8\n"
                                     "\n"
                                     "工地夜间施工噪音扰民。\n");
    auto items = read_mail_file(t.path() / "fwd.eml", "fwd.eml", shanghai());
    REQUIRE(items.size() == 1);
    REQUIRE(items[0].letter);
    CHECK(items[0].letter->body == "工地夜间施工噪音扰民。\n");
    REQUIRE(items[0].letter->attachments.size() == 1);
    CHECK(items[0].letter->attachments[0].name == "噪音.eml");
}

TEST_CASE("a huge text part is cut before it is decoded, after a line") {
    TempDir t;
    std::string line = "\xd4\xeb\xd2\xf4\xc8\xc5\xc3\xf1\n"; // 噪音扰民 in GBK, 9 bytes
    std::string body;
    while (body.size() < 9 * 1024 * 1024) {
        body += line;
    }
    write_text(t.path() / "big.eml", "From: zhangsan@example.com\n"
                                     "Subject: big\n"
                                     "MIME-Version: 1.0\n"
                                     "Content-Type: text/plain; charset=GBK\n"
                                     "Content-Transfer-Encoding: 8bit\n"
                                     "\n" +
                                         body);
    auto items = read_mail_file(t.path() / "big.eml", "big.eml", shanghai());
    REQUIRE(items.size() == 1);
    REQUIRE(items[0].letter);
    const MailLetter& m = *items[0].letter;
    // 8 MiB read, to the end of the last whole line: 932,067 lines of 9 bytes.
    std::string notes;
    for (const Note& n : m.notes) {
        notes += n.in(Language::en) + "\n";
    }
    CHECK_THAT(notes, Catch::Contains("; only the first 8388603 are read"));
    CHECK(m.body.starts_with("噪音扰民\n噪音扰民"));
    CHECK(m.body.find("\xef\xbf\xbd") == std::string::npos); // no character was split
}
