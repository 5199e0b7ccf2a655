#include "store/cache/case_index.hpp"
#include "store/cache/search_index.hpp"
#include "test_util.hpp"
#include "util/atomic_file.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <sqlite3.h>

using namespace mailbox;
using namespace mailbox::test;
namespace fs = std::filesystem;

namespace {

struct Fixture : TempMailbox {
    Case add(const std::string& id, const std::string& subject, const std::string& body,
             const std::string& note = "") {
        Case c = letter(id, "2026-11-0" + id.substr(5, 1) + "T09:00:00+08:00");
        c.subject = subject;
        c.body = body;
        append_history(c, c.received, "李明", Action::received, note);
        m->save(c);
        return c;
    }

    std::vector<std::string> ids(std::string_view query) {
        SearchIndex index(*m);
        std::vector<std::string> out;
        for (const SearchHit& h : index.search(query)) {
            out.push_back(h.entry.id);
        }
        return out;
    }

    fs::path database() const { return t.path() / ".mailbox" / "mailbox.db"; }
};

using Ids = std::vector<std::string>;

} // namespace

TEST_CASE("one, two and three Chinese characters and Latin words find their cases, subject first") {
    Fixture f;
    f.add("261101-000100", "建设路路灯不亮", "晚上一片漆黑。");
    f.add("261102-000100", "低保申请", "我家申请低保三个月了，马路灯也坏了。", "checked WiFi");
    f.add("261103-000100", "噪音扰民", "工地夜间施工。");
    CHECK(f.ids("路灯") == Ids{"261101-000100", "261102-000100"});
    CHECK(f.ids("马路灯") == Ids{"261102-000100"});
    CHECK(f.ids("低保") == Ids{"261102-000100"});
    CHECK(f.ids("路") == Ids{"261101-000100", "261102-000100"});
    CHECK(f.ids("噪") == Ids{"261103-000100"});
    CHECK(f.ids("wifi") == Ids{"261102-000100"});
    CHECK(f.ids("路灯 夜间").empty());
    CHECK(f.ids("施工 工地") == Ids{"261103-000100"});
    CHECK(f.ids("，。").empty());
}

TEST_CASE("search sees a case rewritten, removed, or added by another clone, and one edited in "
          "place once a whole-mailbox command has") {
    Fixture f;
    f.add("261101-000100", "路灯不亮", "晚上一片漆黑。");
    f.add("261102-000100", "低保申请", "申请三个月了。");
    REQUIRE(f.ids("漆黑") == Ids{"261101-000100"});

    // An editor writing the same file, same inode: its folder keeps its
    // time, so a search (a lookup) does not stat it; list and check do.
    fs::path file = f.t.path() / f.m->case_path("261101-000100");
    std::string text = read_file(file);
    text.replace(text.find("漆黑"), std::string("漆黑").size(), "积水");
    std::ofstream(file, std::ios::trunc) << text;
    load_case_index(*f.m);
    CHECK(f.ids("漆黑").empty());
    CHECK(f.ids("积水") == Ids{"261101-000100"});

    // Written anew and renamed over it, as git and most editors do.
    Case c = f.m->load("261101-000100");
    c.body = "路面塌陷。";
    f.m->save(c);
    CHECK(f.ids("积水").empty());
    CHECK(f.ids("塌陷") == Ids{"261101-000100"});

    fs::remove(f.t.path() / f.m->case_path("261102-000100"));
    CHECK(f.ids("低保").empty());

    f.add("261103-000100", "低保续办", "git pull 带来的信。");
    CHECK(f.ids("低保") == Ids{"261103-000100"});
}

TEST_CASE("a damaged, foreign or other-version database is made again, never an error") {
    Fixture f;
    f.add("261101-000100", "路灯不亮", "晚上一片漆黑。");
    REQUIRE(f.ids("路灯") == Ids{"261101-000100"});
    std::string whole = read_file(f.database());

    SECTION("not a database") {
        write_file_atomically(f.database(), "junk, not SQLite\n");
    }
    SECTION("cut short") {
        std::ofstream(f.database(), std::ios::trunc | std::ios::binary)
            << whole.substr(0, whole.size() / 2);
    }
    SECTION("another program's") {
        sqlite3* db = nullptr;
        fs::remove(f.database());
        REQUIRE(sqlite3_open(f.database().c_str(), &db) == SQLITE_OK);
        sqlite3_exec(db, "CREATE TABLE docs(x); PRAGMA user_version = 1", nullptr, nullptr,
                     nullptr);
        sqlite3_close(db);
    }
    SECTION("a later version's") {
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open(f.database().c_str(), &db) == SQLITE_OK);
        sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr);
        sqlite3_close(db);
    }
    SECTION("deleted") {
        fs::remove_all(f.t.path() / ".mailbox");
    }
    CHECK(f.ids("路灯") == Ids{"261101-000100"});
    CHECK(f.ids("漆黑") == Ids{"261101-000100"});
}

TEST_CASE("cases changed again and again leave no stale hits") {
    Fixture f;
    Case c = f.add("261101-000100", "路灯不亮", "第0次");
    f.add("261102-000100", "低保申请", "申请三个月了。");
    REQUIRE(f.ids("低保") == Ids{"261102-000100"});
    int made_again = 0; // the whole table, once its dead rows outnumber what it may keep
    for (int i = 1; i <= 300; ++i) {
        c.body = "第" + std::to_string(i) + "次";
        f.m->save(c);
        SearchIndex index(*f.m);
        REQUIRE(index.indexed() >= 1);
        made_again += index.indexed() == 2;
    }
    CHECK(made_again == 1);
    CHECK(f.ids("第299次").empty());
    CHECK(f.ids("第300次") == Ids{"261101-000100"});
    CHECK(f.ids("路灯") == Ids{"261101-000100"});
    CHECK(f.ids("低保") == Ids{"261102-000100"});
}
