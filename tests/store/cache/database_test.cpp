#include "store/cache/database.hpp"
#include "store/cache/row_writer.hpp"
#include "test_util.hpp"
#include "util/atomic_file.hpp"

#include <catch2/catch.hpp>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sys/file.h>
#include <unistd.h>

using namespace mailbox;

namespace {

// The files of .mailbox/, by name, but an open database's -wal and -shm.
std::vector<std::string> state_files(const test::TempDir& root) {
    std::vector<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(state_dir(root.path()))) {
        std::string name = e.path().filename().string();
        if (!name.ends_with("-wal") && !name.ends_with("-shm")) {
            names.push_back(name);
        }
    }
    std::sort(names.begin(), names.end());
    return names;
}

void put_meta(Database& db, const std::string& key) {
    Database::Transaction t(db);
    db.prepare("INSERT INTO meta VALUES ('" + key + "', 1)").step();
    t.commit();
}

bool has_meta(Database& db, const std::string& key) {
    Statement s = db.prepare("SELECT count(*) FROM meta WHERE key = '" + key + "'");
    s.step();
    return s.integer(0) == 1;
}

} // namespace

TEST_CASE("the cache waits for the disk only at checkpoints, made or opened again") {
    // A cache needs consistency, not durability: in WAL mode, NORMAL syncs
    // at a checkpoint and never at a commit. SQLite keeps the setting per
    // connection, so each opening must ask for it.
    test::TempDir root;
    for (int opening = 0; opening < 2; ++opening) {
        Database db(root.path());
        db.publish(); // made apart the first time (below); opened in place the second
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

TEST_CASE("a database made anew is filled apart, and takes its place once published") {
    // Filled in place, a cold start's pages went through the write-ahead log
    // three times; apart, nobody reads it half made and it needs no journal.
    test::TempDir root;
    {
        Database db(root.path());
        std::vector<std::string> files = state_files(root);
        REQUIRE(files.size() == 1);
        CHECK(files[0].starts_with("mailbox.db.tmp."));
        Statement mode = db.prepare("PRAGMA journal_mode");
        REQUIRE(mode.step());
        CHECK(mode.text(0) == "off");
    }
    CHECK(state_files(root).empty()); // never published: nothing is left
    {
        Database db(root.path());
        put_meta(db, "filled");
        db.publish();
        CHECK(state_files(root) == std::vector<std::string>{"mailbox.db"});
        CHECK(has_meta(db, "filled")); // the connection goes on, in place
    }
    Database again(root.path());
    CHECK(has_meta(again, "filled"));
}

TEST_CASE("a change to a database filled apart that is not committed drops it") {
    // With no journal there is nothing to roll back with: the rows are not
    // trusted, and the run goes on with an empty database in memory.
    test::TempDir root;
    Database db(root.path());
    put_meta(db, "kept");
    {
        Database::Transaction t(db);
        db.prepare("INSERT INTO meta VALUES ('half', 1)").step();
    }
    CHECK_FALSE(has_meta(db, "half"));
    CHECK_FALSE(has_meta(db, "kept"));
    db.publish();
    CHECK(state_files(root).empty());
}

TEST_CASE("a database another command published first is the one both use") {
    test::TempDir root;
    Database first(root.path());
    Database second(root.path());
    put_meta(first, "first");
    put_meta(second, "second");
    first.publish();
    second.publish();
    CHECK(has_meta(second, "first"));
    CHECK_FALSE(has_meta(second, "second"));
    CHECK(state_files(root) == std::vector<std::string>{"mailbox.db"});
}

TEST_CASE("what a killed fill left is removed by the next, what one is filling is not") {
    test::TempDir root;
    std::filesystem::create_directories(state_dir(root.path()));
    std::filesystem::path left = state_dir(root.path()) / "mailbox.db.tmp.Ab12Cd";
    std::filesystem::path filling = state_dir(root.path()) / "mailbox.db.tmp.Zz98Yy";
    test::write_text(left, "half a database");
    test::write_text(filling, "a database being filled");
    int fd = open(filling.c_str(), O_RDONLY);
    REQUIRE(flock(fd, LOCK_EX) == 0);
    {
        Database db(root.path());
        db.publish();
        CHECK(state_files(root) == std::vector<std::string>{"mailbox.db", "mailbox.db.tmp.Zz98Yy"});
        CHECK(temp_names(state_dir(root.path())).empty()); // held: not a leftover
    }
    close(fd);
    CHECK(temp_names(state_dir(root.path())) == std::vector<std::string>{"mailbox.db.tmp.Zz98Yy"});
}

TEST_CASE("where .mailbox/ cannot be written, the cache is kept in memory for the run") {
    // As root, permissions do not stop a write: a file where the folder
    // should be does.
    test::TempDir root;
    { std::ofstream(state_dir(root.path())) << "not a folder\n"; }
    Database db(root.path());
    put_meta(db, "kept");
    db.publish();
    CHECK(has_meta(db, "kept"));
    CHECK(std::filesystem::is_regular_file(state_dir(root.path())));
}
