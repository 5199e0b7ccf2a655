#include "intake/dedupe.hpp"
#include "intake/window_match.hpp"
#include "test_util.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <random>

using namespace mailbox;

namespace {

// Letters of a few words, days apart, saved and indexed: many share only
// common bigrams, a tenth are resends with a word more, some are a word
// long (under 20 bigrams, scored by the Dice coefficient), a few share a
// phone with the letter they copy.
struct Fixture {
    test::TempMailbox t;
    std::vector<Case> saved;
    std::vector<std::string> words{"路灯", "石桥", "水箱",     "漏水", "物业",   "小区",
                                   "学生", "危险", "尽快",     "修复", "东湖村", "建设路",
                                   "晚上", "很黑", "维修基金", "审批", "楼顶",   "墙面发霉"};
    std::mt19937 random{5};

    Case make(const std::string& id) {
        Timestamp received = test::at("2026-01-01T09:00:00+08:00");
        received.local += date::days{static_cast<int>(random() % 200)};
        received.local += std::chrono::minutes{random() % 600};
        Case c = t.letter(id, "2026-01-01T09:00:00+08:00");
        c.received = received;
        c.subject.clear();
        c.sender.phone = fmt::format("1390000{:04}", random() % 40);
        if (!saved.empty() && random() % 10 == 0) {
            const Case& copied = saved[random() % saved.size()];
            c.body = copied.body + words[random() % words.size()];
            c.sender.phone = copied.sender.phone;
        } else {
            int n = random() % 5 == 0 ? 1 : 5 + static_cast<int>(random() % 25);
            for (int w = 0; w < n; ++w) {
                c.body += words[random() % words.size()];
            }
        }
        return c;
    }

    Fixture() {
        LetterIndex index(*t.m);
        for (int i = 0; i < 400; ++i) {
            saved.push_back(make(fmt::format("2601{:02}-{:06}", 1 + i % 28, i)));
        }
        index.save(saved);
    }

    // The letters received within 90 days of c, as the matcher reads them.
    PackedLetters window_of(const Case& c) const {
        Timestamp from = c.received, to = c.received;
        from.local -= date::days{90};
        to.local += date::days{90};
        PackedLetters window;
        LetterIndex(*t.m).received_between(from, to, window);
        return window;
    }
};

} // namespace

TEST_CASE("a letter matched alone finds what the batch's matcher finds, score for score") {
    Fixture f;
    LetterIndex index(*f.t.m);
    int found = 0;
    for (int i = 0; i < 150; ++i) {
        Case c = f.make(fmt::format("2607{:02}-{:06}", 1 + i % 28, i));
        Bigrams bigrams = letter_bigrams(c.subject, c.body);
        LetterMatcher alone(*f.t.m, index);
        // A letter known far outside the window sends the matcher down the
        // batch's way: the table of every bigram of the window.
        LetterMatcher batch(*f.t.m, index);
        Case far = f.t.letter("200101-000001", "2020-01-01T09:00:00+08:00");
        batch.add(far, letter_bigrams(far.subject, far.body));
        std::optional<DedupeHit> a = alone.best_match(c, bigrams);
        std::optional<DedupeHit> b = batch.best_match(c, bigrams);
        INFO("letter " << i << ": " << c.body);
        REQUIRE(a.has_value() == b.has_value());
        if (a) {
            ++found;
            CHECK(a->id == b->id);
            CHECK(a->similarity.score == b->similarity.score);
            CHECK(a->similarity.dice == b->similarity.dice);
            CHECK(a->similarity.containment == b->similarity.containment);
            CHECK(a->same_sender == b->same_sender);
        }
    }
    CHECK(found > 15);
}

TEST_CASE("every letter of the window that reaches the floor is kept, with similarity()'s score") {
    Fixture f;
    const double floor = 0.25;
    for (int i = 0; i < 60; ++i) {
        Case c = f.make(fmt::format("2607{:02}-{:06}", 1 + i % 28, i));
        Bigrams bigrams = letter_bigrams(c.subject, c.body);
        PackedLetters window = f.window_of(c);
        std::vector<WindowMatch> kept = window_matches(window, c.id, bigrams, floor);
        CHECK(std::is_sorted(kept.begin(), kept.end(),
                             [](const auto& x, const auto& y) { return x.letter < y.letter; }));
        BigramWeights weights;
        std::vector<Bigrams> theirs;
        for (std::size_t k = 0; k < window.size(); ++k) {
            auto b = window.bigrams(k);
            theirs.emplace_back(b.begin(), b.end());
            weights.add(theirs.back());
        }
        for (std::size_t k = 0; k < window.size(); ++k) {
            Similarity s = similarity(bigrams, theirs[k], weights);
            auto at = std::find_if(kept.begin(), kept.end(),
                                   [&](const WindowMatch& m) { return m.letter == k; });
            INFO("letter " << i << ", window's " << window.id(k) << ", score " << s.score);
            if (s.score >= floor + 1e-9) {
                REQUIRE(at != kept.end());
            }
            if (at != kept.end()) {
                CHECK(at->similarity.score == Approx(s.score).epsilon(1e-9));
                CHECK(at->similarity.dice == Approx(s.dice).epsilon(1e-12));
            }
        }
    }
}

TEST_CASE("the letter itself and a letter met twice are not counted in its window") {
    Fixture f;
    const Case& known = f.saved[7];
    Bigrams bigrams = letter_bigrams(known.subject, known.body);
    PackedLetters window = f.window_of(known);
    for (const WindowMatch& m : window_matches(window, known.id, bigrams, 0.25)) {
        CHECK(window.id(m.letter) != known.id);
    }
    // The same window with one letter in it twice weighs as the window once.
    PackedLetters twice;
    for (std::size_t k = 0; k < window.size(); ++k) {
        IndexedLetter l{std::string(window.id(k)), known.received, {}, {}};
        auto b = window.bigrams(k);
        l.bigrams.assign(b.begin(), b.end());
        twice.push(l);
        if (k == 3) {
            twice.push(l);
        }
    }
    std::vector<WindowMatch> once = window_matches(window, "", bigrams, 0.25);
    std::vector<WindowMatch> again = window_matches(twice, "", bigrams, 0.25);
    REQUIRE(once.size() == again.size());
    for (std::size_t k = 0; k < once.size(); ++k) {
        CHECK(window.id(once[k].letter) == twice.id(again[k].letter));
        CHECK(once[k].similarity.score == again[k].similarity.score);
    }
    CHECK(window_matches(window, "", {}, 0.25).empty());
}

TEST_CASE("a window whose letters have no bigrams is read and matched") {
    // A letter of one character, or of pictures and punctuation only, has no
    // pair of letters or digits: its row holds no bigrams.
    test::TempMailbox t;
    LetterIndex index(*t.m);
    std::vector<Case> saved;
    for (const char* body : {"好", "。。。！", "水箱漏水，请尽快修复楼顶水箱"}) {
        Case c =
            t.letter(fmt::format("261101-{:06}", saved.size() + 1), "2026-11-01T09:00:00+08:00");
        c.subject.clear();
        c.body = body;
        saved.push_back(c);
    }
    index.save(saved);
    Case fresh = t.letter("261102-000009", "2026-11-02T09:00:00+08:00");
    fresh.subject.clear();
    fresh.body = "水箱漏水，请尽快修复楼顶水箱！";
    LetterMatcher matcher(*t.m, index);
    std::optional<DedupeHit> hit = matcher.best_match(fresh, letter_bigrams("", fresh.body));
    REQUIRE(hit);
    CHECK(hit->id == "261101-000003");
    PackedLetters only_empty;
    only_empty.push("261101-000001", 0, "", "");
    CHECK(only_empty.bigrams(0).empty());
    CHECK(window_matches(only_empty, "", letter_bigrams("", fresh.body), 0.25).empty());
}

TEST_CASE("of letters that score the same, the earliest received, then the lowest id, is the "
          "match, whichever way the letter is matched") {
    // Two copies of one letter received in the same second, one saved before
    // the batch and one registered by it: a third copy scores the same
    // against both, and links to the lower id, whether the batch's first
    // letter was matched alone (its window never numbered) or not.
    test::TempMailbox t;
    LetterIndex index(*t.m);
    const std::string body = "东湖村石桥断裂多日，学生上学很危险，希望尽快修复";
    auto copy = [&](const std::string& id) {
        Case c = t.letter(id, "2026-11-01T09:00:00+08:00");
        c.subject.clear();
        c.body = body;
        return c;
    };
    index.save({copy("261101-000001")});
    Bigrams bigrams = letter_bigrams("", body);
    for (bool alone : {true, false}) {
        LetterMatcher matcher(*t.m, index);
        if (!alone) { // a letter known far outside the window: the batch's way
            Case far = t.letter("200101-000001", "2020-01-01T09:00:00+08:00");
            matcher.add(far, letter_bigrams(far.subject, far.body));
        }
        Case first = copy("261101-000002");
        std::optional<DedupeHit> hit = matcher.best_match(first, bigrams);
        REQUIRE(hit);
        CHECK(hit->id == "261101-000001");
        matcher.add(first, bigrams);
        hit = matcher.best_match(copy("261101-000003"), bigrams);
        INFO("first matched alone: " << alone);
        REQUIRE(hit);
        CHECK(hit->id == "261101-000001");
    }
}
