#include "util/parallel.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <vector>

using namespace mailbox;

TEST_CASE("every item is done exactly once, however many there are") {
    for (std::size_t count : {0u, 1u, 63u, 64u, 65u, 1000u, 10007u}) {
        std::vector<std::atomic<int>> done(count);
        for_each_in_parallel(count, [&](std::size_t i) { ++done[i]; });
        bool once = true;
        for (const auto& d : done) {
            once = once && d == 1;
        }
        INFO(count);
        CHECK(once);
    }
}
