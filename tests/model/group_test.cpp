#include "model/group.hpp"

#include <catch2/catch.hpp>

using namespace mailbox;
using Ids = std::vector<std::string>;

TEST_CASE("a group is every case reachable through links, either way") {
    Groups g;
    // A star, as an import writes it: each copy linked with the first.
    g.link("A", {"B"});
    g.link("C", {"B"});
    g.link("D", {"C"});
    CHECK(g.others("A") == Ids{"B", "C", "D"});
    CHECK(g.others("B") == Ids{"A", "C", "D"});
    CHECK(g.others("D") == Ids{"A", "B", "C"});
}

TEST_CASE("a case linked with nothing is in no group") {
    Groups g;
    g.link("A", {});
    g.link("B", {"C"});
    CHECK(g.others("A").empty());
    CHECK(g.others("Z").empty());
    CHECK(g.others("C") == Ids{"B"});
}

TEST_CASE("two groups stay apart until a link joins them") {
    Groups g;
    g.link("A", {"B"});
    g.link("C", {"D"});
    CHECK(g.others("A") == Ids{"B"});
    CHECK(g.others("D") == Ids{"C"});
    g.link("B", {"D"}); // asked before: gathered again
    CHECK(g.others("A") == Ids{"B", "C", "D"});
}

TEST_CASE("links written in full, one-sided or twice give the same group") {
    Groups whole, one_sided;
    whole.link("A", {"B", "C"});
    whole.link("B", {"A", "C"});
    whole.link("C", {"A", "B"});
    whole.link("C", {"A", "B"});
    one_sided.link("C", {"A"});
    one_sided.link("B", {"C"});
    for (const char* id : {"A", "B", "C"}) {
        CHECK(whole.others(id) == one_sided.others(id));
    }
    CHECK(whole.others("B") == Ids{"A", "C"});
}
