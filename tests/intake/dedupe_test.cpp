#include "intake/dedupe.hpp"

#include <catch2/catch.hpp>
#include <cstdint>
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
