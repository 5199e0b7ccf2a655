#include "chase.hpp"
#include "init.hpp"
#include "notice.hpp"
#include "supervise.hpp"
#include "test_util.hpp"

#include <catch2/catch.hpp>

using namespace mailbox;
using namespace mailbox::test;

namespace {

struct Fixture : TempMailbox {
    void add(const std::string& id, const std::string& received, const std::string& unit,
             Status status = Status::assigned) {
        add_assigned(id, received, unit, status);
    }
    std::vector<IndexEntry> entries() const { return load_case_index(*m); }
};

} // namespace

TEST_CASE("the chase list: returned first, then units by their most urgent case") {
    Fixture f;
    f.add("261102-000100", "2026-11-02T09:00:00+08:00", "jtj"); // due 11-12
    f.add("261110-000100", "2026-11-10T09:00:00+08:00", "cgj"); // due 11-20
    f.add("261105-000100", "2026-11-05T09:00:00+08:00", "cgj"); // due 11-16 (Mon)
    f.add("261111-000100", "2026-11-11T09:00:00+08:00", "", Status::received);
    f.add("261112-000100", "2026-11-12T09:00:00+08:00", "", Status::received); // not yet out
    f.add("261101-000100", "2026-11-01T09:00:00+08:00", "jtj", Status::replied);
    Case returned = f.m->load("261111-000100");
    returned.returned_by = {"mzj"};
    f.m->save(returned);

    auto items = chase_list(f.entries(), f.m->config(), day(2026, 11, 13));
    CHECK(ids_of(items) == std::vector<std::string>{"261111-000100", "261102-000100",
                                                    "261105-000100", "261110-000100"});
    CHECK(items[0].returned);
    CHECK(urgency(items[0]) == "returned, to re-assign");
    CHECK(items[1].late == Lateness::overdue);
    CHECK(items[1].days_left == -1);
    CHECK(urgency(items[1]) == "overdue 1 day");
    CHECK(urgency_cn(items[1]) == "已超期1天");
    CHECK(urgency(items[2]) == "3 days left");
}

TEST_CASE("chasing records once a day, a second run lists the same and records nothing") {
    Fixture f;
    f.add("261102-000100", "2026-11-02T09:00:00+08:00", "jtj");
    Context ctx = f.at_time("2026-11-05T09:00:00+08:00");
    auto items = chase_list(f.entries(), f.m->config(), ctx.today);
    CHECK(record_round(*f.m, ctx, Round::chase, items).size() == 1);
    CHECK(items[0].recorded);
    Case c = f.m->load("261102-000100");
    CHECK(c.history.back().action == "chase");
    CHECK(c.history.back().note == "jtj: 7 days left");

    Context later = f.at_time("2026-11-05T16:00:00+08:00");
    items = chase_list(f.entries(), f.m->config(), later.today);
    REQUIRE(items.size() == 1);
    CHECK(record_round(*f.m, later, Round::chase, items).empty());
    CHECK_FALSE(items[0].recorded);
    CHECK(f.m->load("261102-000100").history.size() == c.history.size());

    // A dry run says what it would record and writes nothing.
    Context next = f.at_time("2026-11-06T09:00:00+08:00");
    items = chase_list(f.entries(), f.m->config(), next.today);
    CHECK(record_round(*f.m, next, Round::chase, items, true).size() == 1);
    CHECK(f.m->load("261102-000100").history.size() == c.history.size());
}

TEST_CASE("notices: one per unit, a list per leader of overdue cases, own templates win") {
    Fixture f;
    f.add("261102-000100", "2026-11-02T09:00:00+08:00", "jtj");
    f.add("261105-000100", "2026-11-05T09:00:00+08:00", "cgj");
    Case led = f.m->load("261102-000100");
    led.leader = "wang";
    led.subject = "路灯 & <坏了>";
    f.m->save(led);
    Context ctx = f.at_time("2026-11-14T09:00:00+08:00");
    auto items = supervise_list(f.entries(), f.m->config(), ctx.today);
    auto notices = round_notices(*f.m, ctx, Round::supervise, items);
    REQUIRE(notices.size() == 3);
    CHECK(notices[0].path == "out/notices/2026-11-14/supervise-jtj.txt");
    CHECK(notices[1].path == "out/notices/2026-11-14/supervise-cgj.txt");
    CHECK(notices[2].path == "out/notices/2026-11-14/supervise-leader-wang.txt");
    CHECK(notices[0].text.find("督 办 单") != std::string::npos);
    CHECK(notices[0].text.find("【261102-000100】路灯 & <坏了>") != std::string::npos);
    CHECK(notices[0].text.find("严重超期2天") == std::string::npos);
    CHECK(notices[0].text.find("已超期2天") != std::string::npos);
    CHECK(notices[2].text.find("王副书记") != std::string::npos);

    write_text(f.t.path() / "templates/chase-notice.mustache", "{{unit_name}}: {{count}}\n");
    auto chased = chase_list(f.entries(), f.m->config(), ctx.today);
    auto own = round_notices(*f.m, ctx, Round::chase, chased);
    REQUIRE(own.size() == 2);
    CHECK(own[0].text == "市交通运输局: 1\n");

    write_text(f.t.path() / "templates/chase-notice.mustache", "{{#cases}}unclosed\n");
    CHECK_THROWS_WITH(round_notices(*f.m, ctx, Round::chase, chased),
                      Catch::StartsWith("templates/chase-notice.mustache:"));
}
