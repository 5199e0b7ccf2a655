#include "report/suggestion.hpp"
#include "test_util.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <toml++/toml.h>

using namespace mailbox;
using namespace mailbox::test;

namespace {

struct Fixture : TempMailbox {
    Case add(int d, const std::string& subject, const std::string& body,
             const std::string& category = "", const std::string& unit = "") {
        Case c = letter(fmt::format("2611{:02}-000100", d),
                        fmt::format("2026-11-{:02}T09:00:00+08:00", d));
        c.subject = subject;
        c.body = body;
        if (!category.empty()) {
            c.category = category;
            c.handler = unit;
        }
        append_history(c, c.received, "李明", Action::received);
        m->save(c);
        return c;
    }
};

} // namespace

TEST_CASE("a learned suggestion is explained by its letter's heaviest words and decided cases "
          "of its category that share them") {
    Fixture f;
    f.add(1, "路灯不亮", "我家楼下的路灯坏了，晚上一片漆黑", "city", "cgj");
    f.add(2, "路灯又坏", "小区门口路灯坏了一个月", "city", "cgj");
    f.add(3, "欠薪", "老板拖欠工资三个月", "labor", "rsj");
    f.add(4, "工资", "工地拖欠农民工工资，路灯下讨薪", "labor", "rsj");
    f.add(5, "路灯", "路灯坏了没人修"); // undecided: never a like case
    Case c = f.add(6, "灯坏了", "楼下路灯坏了很久");
    CHECK_FALSE(learned_reason(*f.m, c)); // not learned: nothing to explain

    c.suggested_category = "city";
    c.suggested_unit = "cgj";
    c.suggested_by = "learned";
    auto why = learned_reason(*f.m, c);
    REQUIRE(why);
    CHECK(why->cases == 4);
    CHECK(why->confidence > 0.5);
    REQUIRE_FALSE(why->grams.empty());
    CHECK(why->grams.size() <= 5);
    REQUIRE_FALSE(why->like.empty());
    for (const LearnedReason::Like& l : why->like) {
        CHECK(l.category == "city");
        CHECK(l.unit == "cgj");
        CHECK(l.id != c.id);
        CHECK(l.id != "261105-000100");
    }
}
