#include "store/cache/database.hpp"
#include "store/cache/row_writer.hpp"
#include "test_util.hpp"

#include <catch2/catch.hpp>

using namespace mailbox;

TEST_CASE("the cache waits for the disk only at checkpoints, made or opened again") {
    // A cache needs consistency, not durability: in WAL mode, NORMAL syncs
    // at a checkpoint and never at a commit. SQLite keeps the setting per
    // connection, so each opening must ask for it.
    test::TempDir root;
    for (int opening = 0; opening < 2; ++opening) {
        Database db(root.path());
        Statement mode = db.prepare("PRAGMA journal_mode");
        REQUIRE(mode.step());
        CHECK(mode.text(0) == "wal");
        Statement sync = db.prepare("PRAGMA synchronous");
        REQUIRE(sync.step());
        INFO("opening " << opening);
        CHECK(sync.integer(0) == 1); // NORMAL
    }
}

TEST_CASE("the groups are read from their index, not from every linked case's row") {
    // A `new` that links reads every group; reading each linked case's row
    // as well was a sixth of its time at 100,000 cases.
    Database db(Database::InMemory{});
    Statement plan = db.prepare("EXPLAIN QUERY PLAN " + std::string(k_groups_query));
    REQUIRE(plan.step());
    CHECK(plan.text(3) == "SCAN cases USING COVERING INDEX cases_links");
}
