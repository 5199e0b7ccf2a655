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
