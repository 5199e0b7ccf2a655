#include "util/edit_distance.hpp"

#include <catch2/catch.hpp>

using namespace mailbox;

TEST_CASE("edit distance") {
    CHECK(edit_distance("", "") == 0);
    CHECK(edit_distance("mzj", "mzj") == 0);
    CHECK(edit_distance("mzj", "mzjj") == 1);
    CHECK(edit_distance("kitten", "sitting") == 3);
    CHECK(edit_distance("nwe", "new") == 1);
    CHECK(edit_distance("lsit", "list") == 1);
}

TEST_CASE("did you mean names the closest ids") {
    std::vector<std::string> ids{"mzj", "rsj", "zjj", "jyj", "sthjj"};
    CHECK(suggestions("mzjj", ids) == "'mzj', 'zjj'");
    CHECK(suggestions("jiaoyuju", {"jyj", "xfj"}) == "");
    CHECK(suggestions("jiaoyuj", {"jiaoyu"}) == "'jiaoyu'");
}
