#include "intake/dedupe.hpp"
#include "test_util.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <fmt/format.h>
#include <random>
#include <unordered_map>

using namespace mailbox;

TEST_CASE("bigram hashes get dense numbers that stay theirs as the table grows") {
    TermNumbers terms;
    CHECK_FALSE(terms.find(7));
    std::unordered_map<std::uint32_t, std::uint32_t> given;
    std::mt19937 rng(1);
    std::vector<std::uint32_t> hashes{0, 1, 0xFFFFFFFFu, 0x80000000u};
    for (int i = 0; i < 20'000; ++i) {
        hashes.push_back(static_cast<std::uint32_t>(rng()));
    }
    for (std::uint32_t h : hashes) {
        bool added = false;
        std::uint32_t next = static_cast<std::uint32_t>(given.size());
        std::uint32_t n = terms.number(h, next, added);
        auto [known, fresh] = given.try_emplace(h, next);
        CHECK(added == fresh);
        CHECK(n == known->second);
    }
    for (const auto& [h, n] : given) {
        REQUIRE(terms.find(h) == n);
    }
    for (std::uint32_t h : {0x12345678u, 2u, 3u}) {
        CHECK(terms.find(h).has_value() == given.count(h) > 0);
    }
}

TEST_CASE("a weight known within a bound is weighed exactly only when the bound straddles the "
          "turn") {
    auto light = [](double weight) { return weight <= 10.0; }; // holds for anything lighter
    int asked = 0;
    auto exact = [&](double weight) {
        return [&asked, weight] {
            ++asked;
            return weight;
        };
    };
    CHECK(holds_within(9.0, 0.5, light, exact(9.9)));         // even at 9.5
    CHECK_FALSE(holds_within(11.0, 0.5, light, exact(10.8))); // even at 10.5
    CHECK(asked == 0);
    CHECK(holds_within(10.2, 0.5, light, exact(9.8)));
    CHECK_FALSE(holds_within(9.8, 0.5, light, exact(10.1)));
    CHECK(asked == 2);
    CHECK_FALSE(holds_within(10.2, 0, light, exact(9.0))); // no bound: the weight kept is exact
    CHECK(holds_within(10.0, 0, light, exact(11.0)));
    CHECK(asked == 2);
}

TEST_CASE("a batch's matches and scores are the same whichever bigrams count as common, and "
          "however long their changes of weight wait") {
    // Letters of a few words, months apart: many share only common bigrams,
    // some are a word long (light: a long letter holding their word holds
    // all of them), some are resends with a word more.
    test::TempMailbox t;
    LetterIndex index(*t.m);
    const std::vector<std::string> words{"路灯", "石桥", "水箱",     "漏水", "物业",   "小区",
                                         "学生", "危险", "尽快",     "修复", "东湖村", "建设路",
                                         "晚上", "很黑", "维修基金", "审批", "楼顶",   "墙面发霉"};
    std::mt19937 random(11);
    std::vector<Case> letters;
    for (int i = 0; i < 600; ++i) {
        Timestamp received = test::at("2026-01-01T09:00:00+08:00");
        received.local += date::days{static_cast<int>(random() % 200)};
        Case c =
            t.letter(fmt::format("2601{:02}-{:06}", 1 + i % 28, i), "2026-01-01T09:00:00+08:00");
        c.received = received;
        c.subject.clear();
        if (!letters.empty() && random() % 10 == 0) {
            c.body = letters[random() % letters.size()].body + words[random() % words.size()];
        } else {
            c.body.clear();
            int n = random() % 5 == 0 ? 1 : 5 + static_cast<int>(random() % 25);
            for (int w = 0; w < n; ++w) {
                c.body += words[random() % words.size()];
            }
        }
        letters.push_back(c);
    }
    auto run = [&](MatcherTuning tuning) {
        LetterMatcher matcher(*t.m, index, tuning);
        std::vector<std::optional<DedupeHit>> hits;
        for (const Case& c : letters) {
            Bigrams bigrams = letter_bigrams(c.subject, c.body);
            hits.push_back(matcher.best_match(c, bigrams));
            matcher.add(c, bigrams);
        }
        return hits;
    };
    // No bigram is common when every letter of a window may be light, and
    // no change waits when no bigram has holders enough.
    std::vector<std::optional<DedupeHit>> whole = run({100'000, SIZE_MAX, 0});
    REQUIRE(std::count_if(whole.begin(), whole.end(), [](const auto& h) { return h; }) > 50);
    std::vector<MatcherTuning> tunings;
    for (std::size_t light : {0, 1, 4, 32}) {
        tunings.push_back({light, SIZE_MAX, 0});
    }
    // Changes wait for every bigram, or for the commoner ones, and go to
    // their holders at every letter, every few, or only when the window's
    // sums are made afresh.
    for (std::size_t holders : {0, 40}) {
        for (double slack : {0.0, 0.05, 1.0, 1e9}) {
            tunings.push_back({4, holders, slack});
        }
    }
    for (const MatcherTuning& tuning : tunings) {
        std::vector<std::optional<DedupeHit>> pruned = run(tuning);
        for (std::size_t i = 0; i < letters.size(); ++i) {
            INFO("light " << tuning.light << ", holders " << tuning.bulk_holders << ", slack "
                          << tuning.bulk_slack << ", letter " << i);
            REQUIRE(pruned[i].has_value() == whole[i].has_value());
            if (whole[i]) {
                CHECK(pruned[i]->id == whole[i]->id);
                CHECK(pruned[i]->similarity.score == whole[i]->similarity.score);
                CHECK(pruned[i]->similarity.dice == whole[i]->similarity.dice);
            }
        }
    }
}

TEST_CASE("a light letter held whole by a long new letter is its match, though it shares only "
          "common bigrams") {
    test::TempMailbox t;
    LetterIndex index(*t.m);
    // Three hundred letters repeat one sentence: its bigrams weigh almost
    // nothing, and are not walked letter by letter. A letter of only that
    // sentence weighs almost nothing too, and a new letter holding it holds
    // all of it: containment 1.
    const std::string sentence = "尊敬的书记您好我们小区门口的道路坏了很久了希望有关部门尽快修好";
    auto han = [](int n) { // a run of rare characters, its own for each n
        std::string s;
        for (int k = 0; k < 24; ++k) {
            char32_t cp = 0x6000 + static_cast<char32_t>(n * 24 + k);
            s += static_cast<char>(0xE0 | (cp >> 12));
            s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            s += static_cast<char>(0x80 | (cp & 0x3F));
        }
        return s;
    };
    auto letter = [&](int n, const std::string& body) {
        Case c = t.letter(fmt::format("261101-{:06}", n), "2026-11-01T09:00:00+08:00");
        c.subject.clear();
        c.body = body;
        return c;
    };
    for (std::size_t light : {std::size_t{0}, std::size_t{1}, MatcherTuning{}.light}) {
        LetterMatcher matcher(*t.m, index, {light});
        for (int n = 0; n < 300; ++n) {
            Case c = letter(n, sentence + han(n));
            matcher.add(c, letter_bigrams(c.subject, c.body));
        }
        Case alone = letter(300, sentence);
        matcher.add(alone, letter_bigrams(alone.subject, alone.body));
        Case other = letter(301, han(400)); // the batch's first: no postings yet
        CHECK_FALSE(matcher.best_match(other, letter_bigrams(other.subject, other.body)));
        Case fresh = letter(302, sentence + han(401) + han(402));
        std::optional<DedupeHit> hit =
            matcher.best_match(fresh, letter_bigrams(fresh.subject, fresh.body));
        INFO("light " << light);
        REQUIRE(hit);
        CHECK(hit->id == alone.id);
        CHECK(hit->similarity.score == Approx(1.0));
    }
}
