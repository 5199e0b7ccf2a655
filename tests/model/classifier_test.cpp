#include "model/classifier.hpp"

#include <catch2/catch.hpp>

using namespace mailbox;

namespace {

struct Letter {
    const char* subject;
    const char* body;
    const char* label;
};

// A few letters of three matters, as an office's history holds them.
const Letter k_history[] = {
    {"路灯不亮", "建设路的路灯坏了一个月，晚上很黑", "city"},
    {"小区路灯坏了", "幸福小区门口路灯晚上不亮，请维修", "city"},
    {"占道经营", "菜市场门口流动摊贩占道，垃圾遍地", "city"},
    {"工资拖欠", "公司拖欠我们工资三个月，老板不见人", "labor"},
    {"讨薪", "工地包工头拖欠农民工工资，请帮忙讨薪", "labor"},
    {"社保断缴", "单位没有给我缴纳社保，工资也拖欠", "labor"},
    {"学校收费", "学校乱收补课费，家长负担重", "school"},
    {"校车安全", "学校校车超载，孩子上学不安全", "school"},
};

Classifier learned(const Letter* from, const Letter* to) {
    Classifier c;
    for (const Letter* l = from; l != to; ++l) {
        c.learn(features_of(l->subject, l->body), l->label);
    }
    return c;
}

} // namespace

TEST_CASE("features_of weighs n-grams of one and two characters, the whole of length 1") {
    Features f = features_of("路灯", "路灯，不亮！");
    double sum = 0;
    std::vector<std::string> grams;
    REQUIRE(f.grams.size() == f.weights.size());
    for (std::size_t i = 0; i < f.grams.size(); ++i) {
        sum += f.weights[i] * f.weights[i];
        grams.push_back(ngram_text(f.grams[i]));
    }
    CHECK(sum == Approx(1.0));
    CHECK(std::find(grams.begin(), grams.end(), "路灯") != grams.end());
    CHECK(std::find(grams.begin(), grams.end(), "灯不") != grams.end());
    CHECK(std::find(grams.begin(), grams.end(), "亮") != grams.end());
    // Punctuation is not read; n-grams do not run from the subject into the body.
    CHECK(std::find(grams.begin(), grams.end(), "灯路") == grams.end());
    CHECK(features_of("", "").grams.empty());
}

TEST_CASE("the classifier learns the labels of past letters") {
    Classifier c = learned(std::begin(k_history), std::end(k_history));
    CHECK(c.letters() == 8);
    CHECK(c.labels() == std::vector<std::string>{"city", "labor", "school"});
    auto g = c.classify(features_of("路灯又坏了", "我家楼下的路灯不亮"), 3);
    REQUIRE(g);
    CHECK(g->label == "city");
    CHECK(g->confidence > 0.5);
    CHECK(g->confidence <= 1.0);
    REQUIRE(!g->reasons.empty());
    CHECK(g->reasons.size() <= 3);
    CHECK(g->reasons[0].second >= g->reasons.back().second);
    CHECK(c.classify(features_of("欠薪", "老板拖欠工资"))->label == "labor");
    CHECK(c.classify(features_of("补课", "学校强制补课收费"))->label == "school");
}

TEST_CASE("a letter forgotten leaves the classifier as if never learned") {
    Classifier all = learned(std::begin(k_history), std::end(k_history));
    Classifier without = learned(std::begin(k_history), std::end(k_history) - 1);
    const Letter& last = k_history[7];
    all.learn(features_of(last.subject, last.body), last.label, -1);
    CHECK(all.letters() == without.letters());
    Features probe = features_of("校车", "校车超载不安全");
    auto a = all.classify(probe);
    auto b = without.classify(probe);
    REQUIRE(a);
    REQUIRE(b);
    CHECK(a->label == b->label);
    CHECK(a->confidence == Approx(b->confidence));
    // Every letter of a label forgotten: the label is no longer suggested.
    all.learn(features_of(k_history[6].subject, k_history[6].body), "school", -1);
    CHECK(all.labels() == std::vector<std::string>{"city", "labor"});
    CHECK(all.classify(probe)->label != "school");
}

TEST_CASE("a label with one letter is learned, one label alone is certain, none is no guess") {
    Classifier c = learned(std::begin(k_history), std::end(k_history));
    c.learn(features_of("噪音扰民", "广场舞噪音太大，晚上十点还在跳"), "noise");
    CHECK(c.classify(features_of("广场舞噪音", "广场舞音响噪音扰民"))->label == "noise");

    Classifier one;
    one.learn(features_of("路灯", "路灯坏了"), "city");
    CHECK(one.classify(features_of("工资", "拖欠工资"))->confidence == 1.0);
    CHECK_FALSE(Classifier().classify(features_of("路灯", "")));
}

TEST_CASE("the classifier is deterministic: the same letters, the same guesses") {
    Classifier a = learned(std::begin(k_history), std::end(k_history));
    Classifier b = learned(std::begin(k_history), std::end(k_history));
    for (const Letter& l : k_history) {
        Features f = features_of(l.subject, "");
        auto ga = a.classify(f, 5);
        auto gb = b.classify(f, 5);
        CHECK(ga->label == gb->label);
        CHECK(ga->confidence == gb->confidence);
        CHECK(ga->reasons == gb->reasons);
    }
}

TEST_CASE("a classifier read back from its bytes guesses as it did, bad bytes are no classifier") {
    Classifier c = learned(std::begin(k_history), std::end(k_history));
    // One letter learned and forgotten: its n-grams are left out of the bytes.
    Features once = features_of("垃圾分类", "小区垃圾分类做得不好");
    c.learn(once, "city");
    c.learn(once, "city", -1);
    std::string bytes = c.to_bytes();
    std::optional<Classifier> back = Classifier::from_bytes(bytes);
    REQUIRE(back);
    CHECK(back->letters() == c.letters());
    CHECK(back->labels() == c.labels());
    for (const Letter& l : k_history) {
        Features f = features_of(l.subject, l.body);
        auto a = c.classify(f, 3);
        auto b = back->classify(f, 3);
        CHECK(a->label == b->label);
        CHECK(a->confidence == Approx(b->confidence));
        CHECK(a->reasons == b->reasons);
    }
    // Learning goes on from the copy as from the original.
    back->learn(once, "school");
    CHECK(back->letters() == c.letters() + 1);

    CHECK_FALSE(Classifier::from_bytes(""));
    CHECK_FALSE(Classifier::from_bytes("something else"));
    CHECK_FALSE(Classifier::from_bytes(bytes.substr(0, bytes.size() - 1)));
    CHECK_FALSE(Classifier::from_bytes(bytes + "x"));
    CHECK(Classifier::from_bytes(Classifier().to_bytes()));
}

TEST_CASE("a classifier's bytes damaged anywhere give no classifier or one that still guesses") {
    std::string bytes = learned(std::begin(k_history), std::end(k_history)).to_bytes();
    Features probe = features_of("路灯", "路灯不亮");
    for (std::size_t i = 0; i < bytes.size(); i += 7) {
        std::string damaged = bytes;
        damaged[i] = static_cast<char>(damaged[i] ^ 0x5A);
        if (auto c = Classifier::from_bytes(damaged)) {
            c->classify(probe, 3); // no crash, whatever it says
        }
    }
}

TEST_CASE("the reasons for any label are its letters' n-grams, the winner's as classify gives") {
    Classifier c = learned(std::begin(k_history), std::end(k_history));
    Features f = features_of("路灯又坏了", "我家楼下的路灯不亮");
    auto g = c.classify(f, 3);
    REQUIRE(g);
    CHECK(c.reasons(f, g->label, 3) == g->reasons);
    auto labor = c.reasons(f, "labor", 3);
    CHECK(labor.size() <= 3);
    CHECK(labor != g->reasons);
    CHECK(c.reasons(f, "no such label", 3).empty());
}
