#include "model/config.hpp"
#include "store/config_file.hpp"
#include "test_util.hpp"
#include "util/atomic_file.hpp"

#include <catch2/catch.hpp>

using namespace mailbox;
using namespace mailbox::test;

namespace {

const char* k_small = R"([office]
name = "示范市委办公室"

[[unit]]
id = "mzj"
name = "市民政局"

[[unit]]
id = "xfj"
name = "市信访局"

[[category]]
id = "simple"
name = "简单诉求"
unit = "xfj"
keywords = ["咨询"]
)";

std::vector<std::string> messages(const std::string& text) {
    ConfigParse p = parse_config_text(text, "mailbox.toml");
    std::vector<std::string> out;
    for (const auto& e : p.problems) {
        out.push_back(e.what());
    }
    return out;
}

} // namespace

TEST_CASE("the sample config parses, with the units and categories the office needs") {
    ConfigParse p =
        parse_config_text(read_file(source_dir() + "/templates/mailbox.toml"), "mailbox.toml");
    CHECK(p.problems.empty());
    CHECK(p.unknown.empty());
    const Config& c = p.config;
    CHECK(c.units.size() >= 12);
    CHECK(c.leaders.size() >= 2);
    REQUIRE(c.find_category("simple"));
    CHECK(c.find_category("simple")->unit == "xfj");
    CHECK(c.find_category("econ")->unit == "szfb");
    CHECK(c.find_category("party")->unit == "swb");
    CHECK(c.deadline.reply_days == 10);
    CHECK(c.deadline.chase_every_days == 1);
    CHECK(c.deadline.supervise_every_days == 3);
    CHECK(c.zone);
    CHECK(c.csv_columns.at("subject") == "留言主题");
}

TEST_CASE("defaults apply when [deadline] is left out") {
    Config c = parse_config(k_small, "mailbox.toml");
    CHECK(c.deadline.reply_days == 10);
    CHECK(c.deadline.days == DayCount::natural);
    CHECK(c.deadline.clock == Clock::received);
    CHECK(c.dedupe.window_days == 90);
    CHECK(c.dedupe.threshold == Approx(0.55));
    CHECK(c.dedupe.sender_threshold == Approx(0.25));
    CHECK(c.office.timezone == "Asia/Shanghai");
}

TEST_CASE("a category routed to an unknown unit points at the unit, with a suggestion") {
    std::string text =
        std::string(k_small) + "\n[[category]]\nid = \"civil\"\nname = \"民政\"\nunit = \"mzjj\"\n";
    CHECK(messages(text) ==
          std::vector<std::string>{
              "mailbox.toml:21:8: unknown unit 'mzjj'; did you mean 'mzj' (市民政局)?"});
}

TEST_CASE("a duplicate unit id is an error at the second one") {
    std::string text = std::string(k_small) + "\n[[unit]]\nid = \"mzj\"\nname = \"又一个\"\n";
    CHECK(messages(text) == std::vector<std::string>{"mailbox.toml:19:6: duplicate unit id 'mzj'"});
}

TEST_CASE("a wrong type names the key, what was expected and what was found") {
    std::string text = std::string(k_small) + "\n[deadline]\nreply_days = \"10\"\n";
    CHECK(messages(text) ==
          std::vector<std::string>{"mailbox.toml:19:14: wrong type for 'deadline.reply_days': "
                                   "expected an integer, found a string"});
}

TEST_CASE("a weight of nan or inf is refused, and the bulletin's keys are read") {
    std::string text = std::string(k_small) + "\n[assessment]\non_time = nan\n";
    std::vector<std::string> found = messages(text);
    REQUIRE(found.size() == 1);
    CHECK(found[0].find("'assessment.on_time': expected a finite number") != std::string::npos);
    std::string bulletin = std::string(k_small) +
                           "\n[bulletin]\nmin_cases = 5\nlist_size = 2\nunsatisfied_rate = 0.3\n"
                           "requirements = [\"按期答复\"]\n";
    ConfigParse p = parse_config_text(bulletin, "mailbox.toml");
    CHECK(p.problems.empty());
    CHECK(p.config.bulletin.min_cases == 5);
    CHECK(p.config.bulletin.list_size == 2);
    CHECK(p.config.bulletin.unsatisfied_rate == 0.3);
    CHECK(p.config.bulletin.requirements == std::vector<std::string>{"按期答复"});
}

TEST_CASE("unknown keys are kept apart: check reports them, other commands go on") {
    std::string text = std::string(k_small) + "\n[deadline]\nreply_day = 5\n";
    ConfigParse p = parse_config_text(text, "mailbox.toml");
    CHECK(p.problems.empty());
    REQUIRE(p.unknown.size() == 1);
    CHECK(std::string(p.unknown[0].what()) ==
          "mailbox.toml:19:1: unknown key 'deadline.reply_day'");
}

TEST_CASE("an unknown time zone and bad choices are errors") {
    std::string text = std::string(k_small);
    text.insert(text.find("\n\n"), "\ntimezone = \"Mars/Olympus\"");
    text += "\n[deadline]\ndays = \"weekdays\"\n";
    CHECK(messages(text) ==
          std::vector<std::string>{
              "mailbox.toml:3:12: unknown time zone 'Mars/Olympus': expected a name such as "
              "'Asia/Shanghai'",
              "mailbox.toml:20:8: unknown deadline.days 'weekdays': expected 'natural' or "
              "'working'"});
}

TEST_CASE("the record's language: English without the key, as mailbox.toml says with it") {
    CHECK(parse_config_text(k_small, "mailbox.toml").config.office.language == Language::en);
    std::string text = std::string(k_small);
    text.insert(text.find("\n\n"), "\nlanguage = \"zh_CN\"");
    CHECK(parse_config_text(text, "mailbox.toml").config.office.language == Language::zh_CN);
    text = std::string(k_small);
    text.insert(text.find("\n\n"), "\nlanguage = \"zh\"");
    CHECK(messages(text) == std::vector<std::string>{"mailbox.toml:3:12: unknown language 'zh': "
                                                     "expected 'zh_CN' or 'en'"});
}

TEST_CASE("[suggest] confidence: 0.7 without it, as written with it, 0 to 1") {
    CHECK(parse_config_text(k_small, "mailbox.toml").config.suggest.confidence == 0.7);
    std::string text = std::string(k_small) + "\n[suggest]\nconfidence = 0.85\n";
    CHECK(parse_config_text(text, "mailbox.toml").config.suggest.confidence == 0.85);
    std::vector<std::string> bad = messages(std::string(k_small) + "\n[suggest]\nconfidence = 2\n");
    REQUIRE(bad.size() == 1);
    CHECK(bad[0].find("'suggest.confidence' is 2: expected 0 to 1") != std::string::npos);
}

TEST_CASE("weighted keywords keep their weights") {
    std::string text = std::string(k_small) +
                       "\n[[category]]\nid = \"econ\"\nname = \"经济\"\nunit = \"mzj\"\n"
                       "keywords = { \"拆迁\" = 2.0, \"补偿\" = 1 }\n";
    Config c = parse_config(text, "mailbox.toml");
    const Category* econ = c.find_category("econ");
    REQUIRE(econ);
    REQUIRE(econ->keywords.size() == 2);
    double total = econ->keywords[0].weight + econ->keywords[1].weight;
    CHECK(total == Approx(3.0));
}

TEST_CASE("every number in mailbox.toml is checked for its range") {
    auto with = [](const std::string& extra) { return messages(std::string(k_small) + extra); };
    std::vector<std::string> rate = with("\n[bulletin]\nrejection_rate = 1.5\n");
    REQUIRE(rate.size() == 1);
    CHECK(rate[0].find("'bulletin.rejection_rate' is 1.5: expected 0 to 1") != std::string::npos);
    std::vector<std::string> weight = with("\n[assessment]\nlate_penalty = 1e300\n");
    REQUIRE(weight.size() == 1);
    CHECK(weight[0].find("'assessment.late_penalty'") != std::string::npos);
    CHECK(with("\n[assessment]\nbase = -5\n").size() == 1);
    std::string text(k_small);
    text.replace(text.find("keywords = [\"咨询\"]"), std::string("keywords = [\"咨询\"]").size(),
                 "keywords = { \"咨询\" = nan }");
    std::vector<std::string> keyword = messages(text);
    REQUIRE(keyword.size() == 1);
    CHECK(keyword[0].find("a number from -1000 to 1000") != std::string::npos);
}

TEST_CASE("[import.csv.channels] maps what a CSV's channel column says to a channel") {
    std::string text = std::string(k_small) +
                       "\n[import.csv]\nchannel = \"来信渠道\"\n\n[import.csv.channels]\n"
                       "\"公众号\" = \"wechat\"\n\" 市民热线 \" = \"hotline\"\n";
    ConfigParse p = parse_config_text(text, "mailbox.toml");
    CHECK(p.problems.empty());
    CHECK(p.unknown.empty());
    CHECK(p.config.csv_columns.at("channel") == "来信渠道");
    CHECK(p.config.csv_channels == std::map<std::string, Channel>{{"公众号", Channel::wechat},
                                                                  {"市民热线", Channel::hotline}});
}

TEST_CASE("[import.csv.channels] refuses a value that is no channel, at the value") {
    std::string text = std::string(k_small) +
                       "\n[import.csv.channels]\n\"微信\" = \"wechat\"\n\"传真\" = \"fax\"\n"
                       "\"热线\" = 12345\n";
    CHECK(messages(text) ==
          std::vector<std::string>{
              "mailbox.toml:20:8: unknown channel 'fax' for '传真' in [import.csv.channels]: "
              "expected one of web, email, letter, visit, phone, wechat, hotline",
              "mailbox.toml:21:8: wrong type for 'import.csv.channels.热线': expected a string, "
              "found an integer"});
    CHECK(messages(std::string(k_small) + "\n[import.csv]\nchannels = \"微信\"\n") ==
          std::vector<std::string>{"mailbox.toml:19:12: wrong type for 'import.csv.channels': "
                                   "expected a table, found a string"});
}
