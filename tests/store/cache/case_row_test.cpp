#include "store/cache/case_row.hpp"
#include "store/casefile.hpp"
#include "test_util.hpp"

#include <catch2/catch.hpp>

using namespace mailbox;
using namespace mailbox::test;

TEST_CASE("a row's entry decodes to what was encoded, and every cut-short one is refused") {
    IndexEntry e{"cases/2026/261101-000100.toml", "261101-000100", summarize(full_case()), {}};
    e.problems.emplace_back(Position{e.path, 3, 7}, "unknown unit 'xyz'");
    std::string bytes = encode_entry(e);
    std::optional<IndexEntry> back = cached_entry(e.path, e.id, bytes);
    REQUIRE(back);
    REQUIRE(back->summary);
    CHECK(encode_entry(*back) == bytes);
    CHECK(back->summary->subject == e.summary->subject);
    CHECK(back->summary->history.size() == e.summary->history.size());
    REQUIRE(back->problems.size() == 1);
    CHECK(back->problems[0].position.line == 3);
    CHECK(back->problems[0].position.column == 7);
    for (std::size_t n = 0; n < bytes.size(); ++n) {
        INFO("cut to " << n << " of " << bytes.size() << " bytes");
        CHECK_FALSE(cached_entry(e.path, e.id, std::string_view(bytes).substr(0, n)));
    }
    CHECK_FALSE(cached_entry(e.path, e.id, bytes + "x")); // trailing bytes: not this encoding
}

template <typename T>
concept has_body = requires(const T& c) {
    c.body;
};
static_assert(has_body<Case> && !has_body<CaseSummary>, "a summary has no body to read");

TEST_CASE("a summary keeps no body, no draft text, and only the notes reports read") {
    Case c = full_case();
    REQUIRE_FALSE(c.body.empty());
    CaseSummary s = summarize(c);
    CHECK(s.subject == c.subject);
    CHECK(s.history.size() == c.history.size());
    for (std::size_t i = 0; i < s.history.size(); ++i) {
        if (c.history[i].action != Action::reply && c.history[i].action != Action::feedback) {
            CHECK(s.history[i].note.empty());
        }
    }
}

TEST_CASE("a summary read back from its row is the same summary in every field") {
    IndexEntry e{"cases/2026/261125-8K2QM7.toml", "261125-8K2QM7", summarize(full_case()), {}};
    std::optional<IndexEntry> back = cached_entry(e.path, e.id, encode_entry(e));
    REQUIRE(back);
    REQUIRE(back->summary);
    Case stored, read;
    static_cast<CaseSummary&>(stored) = *e.summary;
    static_cast<CaseSummary&>(read) = *back->summary;
    CHECK(write_case(read) == write_case(stored));
}

TEST_CASE("bigrams are stored little-endian whatever the machine") {
    Bigrams b{0x01020304u, 0xfffffffeu, 0};
    std::string bytes = encode_bigrams(b);
    CHECK(bytes.size() == 12);
    CHECK(bytes.substr(0, 4) == std::string("\x04\x03\x02\x01", 4));
    CHECK(decode_bigrams(bytes) == b);
}
