#include "intake/csv_import.hpp"
#include "test_util.hpp"

#include <catch2/catch.hpp>

using namespace mailbox;
using namespace mailbox::test;

TEST_CASE("CSV: quotes, doubled quotes, embedded newlines, CRLF, and record lines") {
    auto r =
        parse_csv("a,b\r\n\"x,1\",\"say \"\"hi\"\"\"\r\n\"two\nlines\",z\r\nlast,row", "f.csv");
    REQUIRE(r.size() == 4);
    CHECK(r[1].fields == std::vector<std::string>{"x,1", "say \"hi\""});
    CHECK(r[2].fields == std::vector<std::string>{"two\nlines", "z"});
    CHECK(r[2].line == 3);
    CHECK(r[3].line == 5);
}

TEST_CASE("CSV: an unclosed quote is an error at the line it opened") {
    CHECK_THROWS_WITH(parse_csv("a,b\nx,\"open\nmore\n", "f.csv"),
                      "f.csv:2:1: a quoted field is never closed");
}

TEST_CASE("CSV letters: mapping, BOM, times, bad rows kept apart") {
    Config c = sample_config();
    std::string text = "\xEF\xBB\xBF留言用户,留言主题,留言时间,留言详情,电子邮箱,联系电话\n"
                       "张三,路灯坏了,2019/2/28 11:25,建设路路灯坏了,,\n"
                       ",无名信,2019-02-28 11:25:05,正文,,\n"
                       "李四,坏时间,明天,正文,,\n"
                       "王五,二月,2026/2/30 9:00,正文,,\n";
    auto letters = read_csv_letters(text, "f.csv", "utf-8", c);
    REQUIRE(letters.size() == 4);
    CHECK(letters[3].error == "'2026/2/30 9:00': no such day: 2026-02 has 28 days");
    CHECK(letters[0].error.empty());
    CHECK(letters[0].received->iso() == "2019-02-28T11:25:00+08:00");
    CHECK(letters[1].sender.name == "匿名");
    CHECK(letters[2].line == 4);
    CHECK(letters[2].error.starts_with("'明天' is not a time"));
    CHECK(letters[0].content_hash != letters[1].content_hash);
}

TEST_CASE("CSV letters: a row must be as wide as the header") {
    Config c = sample_config();
    std::string text = "留言用户,留言主题,留言时间,留言详情,电子邮箱,联系电话,备注\n"
                       "张三,路灯坏了,2019/2/28 11:25,建设路路灯坏了,,\n"
                       "李四,积水,2019/2/28 11:25,正文,,,,多出一列\n"
                       "王五,噪音,2019/2/28 11:25,正文,,,\n";
    auto letters = read_csv_letters(text, "f.csv", "utf-8", c);
    REQUIRE(letters.size() == 3);
    CHECK(letters[0].error == "6 fields where the header has 7");
    CHECK(letters[1].error == "8 fields where the header has 7");
    CHECK(letters[2].error.empty());
}

TEST_CASE("CSV letters: GB18030 needs --encoding, and then reads") {
    Config c = sample_config();
    std::string gb = "\xC1\xF4\xD1\xD4\xD3\xC3\xBB\xA7"; // 留言用户 in GB18030
    CHECK_THROWS_WITH(read_csv_letters(gb + "\n", "f.csv", "utf-8", c),
                      Catch::Contains("--encoding gb18030"));
    CHECK_THROWS_WITH(read_csv_letters(gb + "\n", "f.csv", "gb18030", c),
                      Catch::Contains("'留言主题'"));
}

TEST_CASE("CSV letters: the channel column takes ids, common Chinese words and mailbox.toml's") {
    Config c = sample_config();
    c.csv_columns["channel"] = "来信渠道";
    c.csv_channels["公众号"] = Channel::wechat;
    c.csv_channels["来电"] = Channel::hotline; // mailbox.toml overrides a built-in word
    std::string text = "留言用户,留言主题,留言时间,留言详情,电子邮箱,联系电话,来信渠道\n"
                       "张三,一,2026-11-20 10:00,正文,,,微信\n"
                       "李四,二,2026-11-20 10:00,正文,,, 12345热线 \n"
                       "王五,三,2026-11-20 10:00,正文,,,网站\n"
                       "赵六,四,2026-11-20 10:00,正文,,,电子邮件\n"
                       "钱七,五,2026-11-20 10:00,正文,,,来信\n"
                       "孙八,六,2026-11-20 10:00,正文,,,来访\n"
                       "周九,七,2026-11-20 10:00,正文,,,电话\n"
                       "吴十,八,2026-11-20 10:00,正文,,,hotline\n"
                       "郑一,九,2026-11-20 10:00,正文,,,公众号\n"
                       "冯二,十,2026-11-20 10:00,正文,,,来电\n"
                       "陈三,十一,2026-11-20 10:00,正文,,,\n"
                       "褚四,十二,2026-11-20 10:00,正文,,,传真\n";
    auto letters = read_csv_letters(text, "f.csv", "utf-8", c);
    REQUIRE(letters.size() == 12);
    std::vector<std::optional<Channel>> got;
    for (std::size_t i = 0; i < 11; ++i) {
        CHECK(letters[i].error.empty());
        got.push_back(letters[i].channel);
    }
    CHECK(got == std::vector<std::optional<Channel>>{
                     Channel::wechat, Channel::hotline, Channel::web, Channel::email,
                     Channel::letter, Channel::visit, Channel::phone, Channel::hotline,
                     Channel::wechat, Channel::hotline, std::nullopt});
    CHECK(
        letters[11].error ==
        "unknown channel '传真': expected web, email, letter, visit, phone, wechat or hotline, "
        "or one of 网站, 网站留言, 电子邮件, 来信, 信件, 来访, 电话, 来电, 微信, 12345热线, 公众号 "
        "([import.csv.channels] in mailbox.toml adds more)");
}

TEST_CASE("CSV letters: a file without a mapped e-mail, phone or channel column is taken in") {
    Config c = sample_config();
    c.csv_columns["channel"] = "来信渠道";
    std::string text = "留言用户,留言主题,留言时间,留言详情\n"
                       "张三,路灯坏了,2026-11-20 10:00,建设路路灯坏了\n";
    std::vector<DataError> warnings;
    auto letters = read_csv_letters(text, "f.csv", "utf-8", c, &warnings);
    REQUIRE(letters.size() == 1);
    CHECK(letters[0].error.empty());
    CHECK(letters[0].sender.email.empty());
    CHECK(letters[0].sender.phone.empty());
    CHECK(!letters[0].channel);
    REQUIRE(warnings.size() == 1);
    CHECK(std::string(warnings[0].what()) ==
          "f.csv:1:1: no column '来信渠道', '电子邮箱', '联系电话' (import.csv.channel, "
          "import.csv.email, import.csv.phone in mailbox.toml): left empty in every row");
}

TEST_CASE("CSV letters: a missing subject, name, text or time column stops the file") {
    Config c = sample_config();
    CHECK_THROWS_WITH(
        read_csv_letters("留言用户,留言主题,留言详情\n张三,缺列,没有时间列\n", "f.csv", "utf-8", c),
        "f.csv:1:1: no column '留言时间' (import.csv.received in mailbox.toml)");
    CHECK_THROWS_WITH(read_csv_letters("留言主题,留言时间,电子邮箱\n缺列,2026-11-20 10:00,\n",
                                       "f.csv", "utf-8", c),
                      "f.csv:1:1: no column '留言详情', '留言用户' (import.csv.body, "
                      "import.csv.from in mailbox.toml)");
}
