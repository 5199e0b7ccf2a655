#include "store/cache/learned.hpp"
#include "test_util.hpp"
#include "util/atomic_file.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <memory>
#include <sqlite3.h>

using namespace mailbox;
using namespace mailbox::test;
namespace fs = std::filesystem;

namespace {

struct Fixture : TempMailbox {
    // Day d of November; no category nor unit: a letter only registered.
    Case add(int d, const std::string& body, const std::string& category = "",
             const std::string& unit = "") {
        std::string id = fmt::format("2611{:02}-000100", d);
        Case c = letter(id, fmt::format("2026-11-{:02}T09:00:00+08:00", d));
        c.subject = "来信";
        c.body = body;
        if (!category.empty()) {
            c.category = category;
        }
        if (!unit.empty()) {
            c.handler = unit;
        }
        append_history(c, c.received, "李明", Action::received);
        m->save(c);
        return c;
    }

    std::string guess(const LearnedSuggestions& l, const std::string& body) const {
        auto g = l.categories().classify(features_of("来信", body));
        return g ? g->label : "";
    }

    // The classifiers `kept` up to date guess as those learned from
    // nothing guess; returns those.
    std::unique_ptr<LearnedSuggestions> check_as_learned_anew(const LearnedSuggestions& kept) {
        Features probe = features_of("来信", "路灯和工资");
        auto a = kept.categories().classify(probe);
        sql("DELETE FROM models");
        auto fresh = std::make_unique<LearnedSuggestions>(*m);
        CHECK(fresh->anew());
        auto b = fresh->categories().classify(probe);
        REQUIRE(a);
        REQUIRE(b);
        CHECK(a->label == b->label);
        CHECK(a->confidence == Approx(b->confidence));
        return fresh;
    }

    void sql(const std::string& statement) const {
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open((t.path() / ".mailbox" / "mailbox.db").c_str(), &db) == SQLITE_OK);
        CHECK(sqlite3_exec(db, statement.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
        sqlite3_close(db);
    }
};

} // namespace

TEST_CASE("the decided cases are learned, a letter only registered is not") {
    Fixture f;
    f.add(1, "我家楼下的路灯坏了", "city", "cgj");
    f.add(2, "老板拖欠工资三个月", "labor", "rsj");
    f.add(3, "小区噪音很大"); // undecided
    LearnedSuggestions l(*f.m);
    CHECK(l.anew());
    CHECK(l.cases() == 2);
    CHECK(l.categories().labels() == std::vector<std::string>{"city", "labor"});
    CHECK(l.units().labels() == std::vector<std::string>{"cgj", "rsj"});
    CHECK(f.guess(l, "路灯不亮") == "city");
    CHECK(f.guess(l, "工资没发") == "labor");
}

TEST_CASE("learned once, the classifiers are read back and only the cases written since are "
          "learned") {
    Fixture f;
    f.add(1, "我家楼下的路灯坏了", "city", "cgj");
    f.add(2, "老板拖欠工资三个月", "labor", "rsj");
    { LearnedSuggestions first(*f.m); }
    {
        LearnedSuggestions again(*f.m);
        CHECK_FALSE(again.anew());
        CHECK(again.relearned() == 0);
        CHECK(again.cases() == 2);
        CHECK(f.guess(again, "路灯不亮") == "city");
    }
    // A letter only registered is learned as its row is written, unread.
    f.add(3, "小区噪音很大");
    {
        LearnedSuggestions l(*f.m);
        CHECK_FALSE(l.anew());
        CHECK(l.relearned() == 0);
    }
    // Assigned: read, and learned.
    Case c = f.m->load("261103-000100");
    c.category = "city";
    c.handler = "cgj";
    f.m->save(c);
    LearnedSuggestions l(*f.m);
    CHECK_FALSE(l.anew());
    CHECK(l.relearned() == 1);
    CHECK(l.cases() == 3);
}

TEST_CASE("a case assigned again is forgotten under its old labels, as if never learned so") {
    Fixture f;
    f.add(1, "我家楼下的路灯坏了", "city", "cgj");
    f.add(2, "老板拖欠工资三个月", "labor", "rsj");
    f.add(3, "路灯下面有人拖欠工资", "city", "cgj");
    { LearnedSuggestions first(*f.m); }
    Case c = f.m->load("261103-000100");
    c.category = "labor";
    c.handler = "rsj";
    f.m->save(c);
    LearnedSuggestions changed(*f.m);
    CHECK_FALSE(changed.anew());
    CHECK(changed.relearned() == 1);
    // The same labels learned from nothing.
    auto fresh = f.check_as_learned_anew(changed);
    CHECK(changed.units().labels() == fresh->units().labels());
}

TEST_CASE("a case renumbered is forgotten on the features of its new self, not learned anew") {
    Fixture f;
    f.add(1, "我家楼下的路灯坏了", "city", "cgj");
    f.add(2, "老板拖欠工资三个月", "labor", "rsj");
    f.add(3, "路灯下面有人拖欠工资", "city", "cgj");
    { LearnedSuggestions first(*f.m); }
    // As a merge renumbers a case: the same letter under a new id, and
    // assigned elsewhere on the way.
    Case c = f.m->load("261103-000100");
    fs::remove(f.t.path() / f.m->case_path(c.id));
    c.id = "261103-000200";
    c.category = "labor";
    c.handler = "rsj";
    f.m->save(c);
    LearnedSuggestions moved(*f.m);
    CHECK_FALSE(moved.anew());
    CHECK(moved.relearned() == 1);
    CHECK(moved.cases() == 3);
    f.check_as_learned_anew(moved);
}

TEST_CASE("a case removed, or its letter rewritten, cannot be forgotten: all is learned anew") {
    Fixture f;
    f.add(1, "我家楼下的路灯坏了", "city", "cgj");
    f.add(2, "老板拖欠工资三个月", "labor", "rsj");
    f.add(3, "学校强制补课收费", "school", "jyj");
    { LearnedSuggestions first(*f.m); }

    fs::remove(f.t.path() / f.m->case_path("261103-000100"));
    {
        LearnedSuggestions l(*f.m);
        CHECK(l.anew());
        CHECK(l.cases() == 2);
        CHECK(l.categories().labels() == std::vector<std::string>{"city", "labor"});
    }
    Case c = f.m->load("261102-000100");
    c.body = "学校补课";
    f.m->save(c);
    LearnedSuggestions l(*f.m);
    CHECK(l.anew());
    CHECK(l.cases() == 2);
    CHECK(f.guess(l, "补课") == "labor");
}

TEST_CASE("a damaged classifier in the cache is learned anew") {
    Fixture f;
    f.add(1, "我家楼下的路灯坏了", "city", "cgj");
    f.add(2, "老板拖欠工资三个月", "labor", "rsj");
    { LearnedSuggestions first(*f.m); }
    f.sql("UPDATE models SET bytes = x'6d61696c626f7800' WHERE name = 'unit'");
    LearnedSuggestions l(*f.m);
    CHECK(l.anew());
    CHECK(l.units().labels() == std::vector<std::string>{"cgj", "rsj"});
}
