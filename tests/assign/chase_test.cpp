#include "assign/chase.hpp"
#include "assign/notice.hpp"
#include "assign/supervise.hpp"
#include "store/cache/letter_index.hpp"
#include "store/init.hpp"
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
    CHECK(urgency(items[0], Language::en) == "returned, to re-assign");
    CHECK(items[1].late == Lateness::overdue);
    CHECK(items[1].days_left == -1);
    CHECK(urgency(items[1], Language::en) == "overdue 1 day");
    CHECK(urgency(items[1], Language::zh_CN) == "已超期1天");
    CHECK(urgency(items[2], Language::en) == "3 days left");
}

TEST_CASE("chasing records once a day, a second run lists the same and records nothing") {
    Fixture f;
    f.add("261102-000100", "2026-11-02T09:00:00+08:00", "jtj");
    Context ctx = f.at_time("2026-11-05T09:00:00+08:00");
    auto items = chase_list(f.entries(), f.m->config(), ctx.today);
    CHECK(record_round(*f.m, ctx, Round::chase, items).size() == 1);
    CHECK(items[0].recorded);
    Case c = f.m->load("261102-000100");
    CHECK(c.history.back().action == Action::chase);
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

TEST_CASE("a chase round stores the rows of the cases it wrote: the next lookup lists nothing") {
    Fixture f;
    f.add("261102-000100", "2026-11-02T09:00:00+08:00", "jtj");
    Context ctx = f.at_time("2026-11-05T09:00:00+08:00");
    auto items = chase_list(f.entries(), f.m->config(), ctx.today);
    REQUIRE(record_round(*f.m, ctx, Round::chase, items).size() == 1);
    LetterIndex next(*f.m);
    CHECK(next.folders_listed() == 0);
    CHECK(next.find("261102-000100"));
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

TEST_CASE(
    "notices: co-units get theirs marked 协办, on-site and new cases are not called unanswered") {
    Fixture f;
    f.add("261102-000100", "2026-11-02T09:00:00+08:00", "jtj"); // assigned 11-03 09:00
    f.add("261104-000100", "2026-11-04T09:00:00+08:00", "jtj");
    f.add("261105-000100", "2026-11-05T09:00:00+08:00", "jtj");
    Case a = f.m->load("261102-000100");
    a.co_units = {"cgj"};
    a.group = {"261104-000100"};
    a.restricted = true;
    f.m->save(a);
    Case b = f.m->load("261104-000100");
    b.group = {"261102-000100"};
    b.solved_on_site = true;
    f.m->save(b);
    // Assigned 2026-11-06 09:00: a day has not passed at 11-06 20:00.
    Context ctx = f.at_time("2026-11-06T20:00:00+08:00");
    auto items = chase_list(f.entries(), f.m->config(), ctx.today);
    auto notices = round_notices(*f.m, ctx, Round::chase, items);
    REQUIRE(notices.size() == 2);
    CHECK(notices[0].path == "out/notices/2026-11-06/chase-jtj.txt");
    CHECK(notices[1].path == "out/notices/2026-11-06/chase-cgj.txt");
    const std::string& lead = notices[0].text;
    CHECK(lead.find("由你单位牵头办理（含一稿多投的同一来信，合计 2 件事项") != std::string::npos);
    CHECK(lead.find("其中 1 件至今尚未答复") != std::string::npos);
    CHECK(lead.find("办理情况：已现场解决，待正式答复") != std::string::npos);
    CHECK(lead.find("办理情况：新近交办，正在办理") != std::string::npos);
    CHECK(lead.find("同一来信：【261104-000100】") != std::string::npos);
    CHECK(lead.find("协办单位：市城市管理综合执法局") != std::string::npos);
    CHECK(lead.find("来信 261102-000100") != std::string::npos); // the lead unit sees it
    const std::string& co = notices[1].text;
    CHECK(co.find("以下 1 件群众来信由你单位协办。") != std::string::npos);
    CHECK(co.find("你单位为协办单位，牵头单位：市交通运输局") != std::string::npos);
    CHECK(co.find("来信 261102-000100") == std::string::npos); // restricted: no subject
    CHECK(co.find("举报件") != std::string::npos);
}

TEST_CASE("the members of one group are supervised on the same day") {
    Fixture f;
    f.add("261102-000100", "2026-11-02T09:00:00+08:00", "jtj"); // assigned 11-03
    f.add("261105-000100", "2026-11-05T09:00:00+08:00", "jtj"); // assigned 11-06
    Case a = f.m->load("261102-000100");
    a.group = {"261105-000100"};
    f.m->save(a);
    Case b = f.m->load("261105-000100");
    b.group = {"261102-000100"};
    f.m->save(b);
    // 11-06: three days since a's assignment, none since b's.
    auto items = supervise_list(f.entries(), f.m->config(), day(2026, 11, 6));
    CHECK(ids_of(items) == std::vector<std::string>{"261102-000100", "261105-000100"});
}

TEST_CASE("cases naming units or leaders mailbox.toml lacks are taken off a round") {
    Fixture f;
    f.add("261102-000100", "2026-11-02T09:00:00+08:00", "jtj");
    f.add("261103-000100", "2026-11-03T09:00:00+08:00", "jtj");
    Case c = f.m->load("261103-000100");
    c.co_units = {"cgjj"};
    f.m->save(c);
    auto entries = f.entries();
    auto items = chase_list(entries, f.m->config(), day(2026, 11, 6));
    REQUIRE(items.size() == 2);
    auto problems = take_unknown_handling(*f.m, entries, items);
    CHECK(ids_of(items) == std::vector<std::string>{"261102-000100"});
    REQUIRE(problems.size() == 1);
    std::string what = problems[0].what();
    CHECK(what.starts_with(f.m->case_path("261103-000100") + ":"));
    CHECK(what.find("unknown unit 'cgjj'; did you mean 'cgj'") != std::string::npos);
}
