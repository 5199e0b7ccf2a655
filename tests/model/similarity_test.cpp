#include "model/similarity.hpp"

#include <catch2/catch.hpp>

using namespace mailbox;

namespace {

const char* k_letter =
    "建设路北段路面坑洼严重，雨天积水，多次发生电动车摔倒事故。恳请有关部门尽快修复。";

double score(const std::string& a, const std::string& b) {
    return similarity(bigrams_of(a), bigrams_of(b)).score;
}

} // namespace

TEST_CASE("re-punctuating and re-spacing changes nothing") {
    CHECK(
        bigrams_of(k_letter) ==
        bigrams_of("建设路北段路面坑洼严重 雨天积水 多次发生电动车摔倒事故!恳请有关部门尽快修复"));
}

TEST_CASE("full-width and half-width forms and case are one") {
    CHECK(bigrams_of("ＡＢＣ１２３") == bigrams_of("abc123"));
}

TEST_CASE("identical letters score 1, unrelated ones near 0") {
    CHECK(score(k_letter, k_letter) == Approx(1.0));
    CHECK(score(k_letter, "我家小孩今年上小学，户口在河西街道，想问入学需要哪些材料。") < 0.1);
}

TEST_CASE("a shortened resend is contained in the original") {
    Similarity s = similarity(bigrams_of(k_letter),
                              bigrams_of("建设路北段路面坑洼严重，多次发生电动车摔倒事故。"));
    CHECK(s.containment > 0.9);
    CHECK(s.dice < s.containment);
    CHECK(s.score == Approx(s.containment));
}

TEST_CASE("rare bigrams weigh more than the ones every letter shares") {
    BigramWeights w;
    for (const char* other :
         {"尊敬的书记您好，此致敬礼", "尊敬的书记您好，谢谢", "尊敬的书记您好"}) {
        w.add(bigrams_of(other));
    }
    Bigrams a = bigrams_of("尊敬的书记您好，青山镇化工厂夜间排放刺鼻气味，此致敬礼");
    Bigrams b = bigrams_of("尊敬的书记您好，滨江小区电梯坏了三个月没人修理，此致敬礼");
    CHECK(similarity(a, b, w).score < similarity(a, b).score);
    CHECK(w.weight(bigrams_of("尊敬")[0]) < w.weight(bigrams_of("青山")[0]));
}

TEST_CASE("empty text is like nothing") {
    CHECK(similarity(bigrams_of(""), bigrams_of(k_letter)).score == 0);
    CHECK(bigrams_of("，。！").empty());
}
