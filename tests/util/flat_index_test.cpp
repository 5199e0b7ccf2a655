#include "util/flat_index.hpp"

#include <catch2/catch.hpp>

using namespace mailbox;

TEST_CASE("FlatIndex numbers keys in the order first seen and finds them again") {
    FlatIndex index;
    CHECK_FALSE(index.find(42));
    CHECK(index.insert(42) == 0);
    CHECK(index.insert(7) == 1);
    CHECK(index.insert(42) == 0);
    CHECK(index.size() == 2);
    CHECK(index.find(7) == 1u);
    CHECK_FALSE(index.find(8));
}

TEST_CASE("FlatIndex keeps every number as it grows, keys alike in their low bits too") {
    FlatIndex index;
    constexpr std::uint64_t n = 100000;
    for (std::uint64_t k = 1; k <= n; ++k) {
        // n-grams ending in one character: only the high bits differ.
        REQUIRE(index.insert(k << 21 | 0x8DEF) == k - 1);
    }
    CHECK(index.size() == n);
    for (std::uint64_t k = 1; k <= n; k += 997) {
        CHECK(index.find(k << 21 | 0x8DEF) == static_cast<std::uint32_t>(k - 1));
    }
    CHECK_FALSE(index.find((n + 1) << 21 | 0x8DEF));
}
