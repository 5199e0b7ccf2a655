#include "model/routing.hpp"
#include "test_util.hpp"

#include <catch2/catch.hpp>

using namespace mailbox;
using namespace mailbox::test;

namespace {

Config rules() {
    Config c;
    c.units = {{"rsj", "人社局", ""}, {"zjj", "住建局", ""}, {"xfj", "信访局", ""}};
    c.categories = {{"labor", "劳动和社会保障", "rsj", {{"工资", 1}, {"养老金", 2}}, {}},
                    {"housing", "住房", "zjj", {{"拆迁", 2}, {"补偿", 1}, {"物业", 1}}, {}},
                    {"simple", "简单诉求", "xfj", {{"咨询", 1}}, 5}};
    return c;
}

} // namespace

TEST_CASE("the category with the most keyword weight wins and brings its unit") {
    auto s = suggest_category(rules(), "关于拆迁的问题", "拆迁补偿款迟迟不发，工资也被拖欠。");
    REQUIRE(s);
    CHECK(s->category == "housing"); // 拆迁 2x2 in the subject + 补偿 1 = 5 > 工资 1
    CHECK(s->unit == "zjj");
    CHECK(s->score == Approx(5));
    CHECK(s->matched == std::vector<std::string>{"拆迁", "补偿"});
}

TEST_CASE("a keyword counts once, however often it appears") {
    auto s = suggest_category(rules(), "求助", "工资工资工资工资，养老金");
    REQUIRE(s);
    CHECK(s->category == "labor");
    CHECK(s->score == Approx(3));
}

TEST_CASE("a tie goes to the category listed first") {
    auto s = suggest_category(rules(), "求助", "工资和物业");
    REQUIRE(s);
    CHECK(s->category == "labor");
}

TEST_CASE("no keyword, no suggestion") {
    CHECK_FALSE(suggest_category(rules(), "你好", "今天天气很好。"));
}

TEST_CASE("the sample config routes the letters it was written for") {
    Config c = sample_config();
    CHECK(suggest_category(c, "养老金没有发放", "办完退休手续两个月了")->category == "labor");
    CHECK(suggest_category(c, "化工厂夜间排放刺鼻气味", "")->category == "env");
    CHECK(suggest_category(c, "咨询来访接待时间", "请问信访局几点上班")->unit == "xfj");
}

TEST_CASE("one router suggests for letter after letter as each letter alone would") {
    Config c = sample_config();
    Router router(c);
    for (auto [subject, body] :
         {std::pair{"养老金没有发放", "办完退休手续两个月了"}, std::pair{"你好", "今天天气很好。"},
          std::pair{"化工厂夜间排放刺鼻气味", ""},
          std::pair{"养老金没有发放", "办完退休手续两个月了"}}) {
        auto one = suggest_category(c, subject, body);
        auto many = router.suggest(subject, body);
        REQUIRE(one.has_value() == many.has_value());
        if (one) {
            CHECK(many->category == one->category);
            CHECK(many->score == one->score);
            CHECK(many->matched == one->matched);
        }
    }
}

namespace {

// Two categories taught by a few letters each, one unit each but for one
// housing letter handled by the 信访局.
struct Taught {
    Classifier categories, units;
    Taught() {
        auto teach = [&](const char* text, const char* category, const char* unit) {
            Features f = features_of("", text);
            categories.learn(f, category);
            units.learn(f, unit);
        };
        for (int i = 0; i < 3; ++i) {
            teach("工地拖欠工资，老板跑了", "labor", "rsj");
            teach("小区房屋漏水，开发商不修", "housing", "zjj");
        }
        teach("房屋漏水多年无人管", "housing", "xfj");
    }
    Learned learned(std::size_t cases) const { return {categories, units, cases}; }
};

} // namespace

TEST_CASE("a learned suggestion needs enough decided cases and enough confidence") {
    Config c = rules();
    c.suggest.min_cases = 7;
    Taught t;
    Features f = features_of("工资", "拖欠工资三个月");
    auto s = learned_suggestion(c, t.learned(7), f, std::nullopt);
    REQUIRE(s);
    CHECK(s->category == "labor");
    CHECK(s->unit == "rsj");
    CHECK(s->learned);
    CHECK(s->score >= c.suggest.confidence);
    CHECK_FALSE(learned_suggestion(c, t.learned(6), f, std::nullopt));
    c.suggest.confidence = 1.0;
    CHECK_FALSE(learned_suggestion(c, t.learned(7), f, std::nullopt));
}

TEST_CASE("a learned suggestion never names a unit the letter accuses nor one mailbox.toml lacks") {
    Config c = rules();
    c.suggest.min_cases = 1;
    Taught t;
    Features f = features_of("漏水", "房屋漏水");
    auto s = learned_suggestion(c, t.learned(7), f, std::nullopt);
    REQUIRE(s);
    CHECK(s->category == "housing");
    CHECK(s->unit == "zjj");
    s = learned_suggestion(c, t.learned(7), f, std::string("zjj"));
    REQUIRE(s);
    CHECK(s->category == "housing");
    CHECK(s->unit.empty());             // not the category's unit either: it is the one accused
    c.units.erase(c.units.begin() + 1); // zjj gone: the category's unit is all there is
    s = learned_suggestion(c, t.learned(7), f, std::nullopt);
    REQUIRE(s);
    CHECK(s->unit == "zjj");
    c.categories.erase(c.categories.begin() + 1); // housing gone: nothing to suggest
    CHECK_FALSE(learned_suggestion(c, t.learned(7), f, std::nullopt));
}
