#include "assign/assign.hpp"
#include "model/calendar.hpp"
#include "store/init.hpp"
#include "test_util.hpp"
#include "util/error.hpp"

#include <catch2/catch.hpp>

using namespace mailbox;
using namespace mailbox::test;

namespace {

struct Fixture : TempMailbox {
    std::string add(const std::string& id, const std::string& received) {
        Case c = letter(id, received);
        c.suggested_category = "transport";
        c.suggested_unit = "jtj";
        m->save(c);
        return id;
    }
    void save(const Changed& changed) {
        for (const Case& c : changed) {
            m->save(c);
        }
    }
};

Assignment to(const std::string& unit) {
    Assignment a;
    a.unit = unit;
    return a;
}

} // namespace

TEST_CASE("assign sets the units, leader and instruction, and starts the clock once") {
    Fixture f;
    std::string id = f.add("261102-000100", "2026-11-02T09:00:00+08:00");
    Assignment a = to("cgj");
    a.co_units = {"zjj"};
    a.leader = "wang";
    a.instruction = "请尽快处理";
    Changed changed = assign_case(*f.m, f.at_time("2026-11-03T10:00:00+08:00"), id, a);
    REQUIRE(changed.size() == 1);
    const Case& c = changed.front();
    CHECK(c.status == Status::assigned);
    CHECK(c.handler == "cgj");
    CHECK(c.co_units == std::vector<std::string>{"zjj"});
    CHECK(c.leader == "wang");
    CHECK(c.assigned == at("2026-11-03T10:00:00+08:00"));
    CHECK(c.history.back().action == Action::assign);
    CHECK(c.history.back().note == "to cgj with zjj; led by wang; instruction: 请尽快处理");
    f.save(changed);

    // Re-assigning needs a reason, keeps the first assignment time.
    Context later = f.at_time("2026-11-05T10:00:00+08:00");
    CHECK_THROWS_AS(assign_case(*f.m, later, id, to("jtj")), UsageError);
    Assignment again = to("jtj");
    again.note = "属交通部门职责";
    Case re = assign_case(*f.m, later, id, again).front();
    CHECK(re.handler == "jtj");
    CHECK(re.co_units.empty());
    CHECK(re.leader == "wang"); // kept when not given
    CHECK(re.assigned == at("2026-11-03T10:00:00+08:00"));
    CHECK(re.history.back().action == Action::reassign);
}

TEST_CASE("routing takes the suggestion, and unknown ids suggest the closest") {
    Fixture f;
    std::string id = f.add("261102-000100", "2026-11-02T09:00:00+08:00");
    Context ctx = f.at_time("2026-11-03T10:00:00+08:00");
    Case c = assign_case(*f.m, ctx, id, Assignment{}).front();
    CHECK(c.handler == "jtj");
    CHECK(c.category == "transport");
    CHECK_THROWS_WITH(assign_case(*f.m, ctx, id, to("cgjj")),
                      "--to: unknown unit 'cgjj'; did you mean 'cgj' (市城市管理综合执法局)?");
    Assignment bad_leader = to("cgj");
    bad_leader.leader = "wnag";
    CHECK_THROWS_WITH(
        assign_case(*f.m, ctx, id, bad_leader),
        Catch::StartsWith("--leader: unknown leader 'wnag'; did you mean 'wang' (王副书记)?"));
    Assignment lead_twice = to("cgj");
    lead_twice.co_units = {"cgj"};
    CHECK_THROWS_AS(assign_case(*f.m, ctx, id, lead_twice), UsageError);
}

TEST_CASE("the kind of letter is set at assignment and kept when not given") {
    Fixture f;
    std::string id = f.add("261102-000100", "2026-11-02T09:00:00+08:00");
    Context ctx = f.at_time("2026-11-03T10:00:00+08:00");
    Assignment bad = to("cgj");
    bad.kind = "complain";
    CHECK_THROWS_WITH(assign_case(*f.m, ctx, id, bad),
                      "--kind: unknown kind 'complain'; did you mean 'complaint' (投诉)?");
    Assignment a = to("cgj");
    a.kind = "complaint";
    Case c = assign_case(*f.m, ctx, id, a).front();
    CHECK(c.kind == "complaint");
    f.m->save(c);
    Assignment again = to("jtj");
    again.note = "属交通部门职责";
    CHECK(assign_case(*f.m, f.at_time("2026-11-03T11:00:00+08:00"), id, again).front().kind ==
          "complaint");
}

TEST_CASE("a linked group is assigned as one, or not at all") {
    Fixture f;
    std::string a = f.add("261102-000100", "2026-11-02T09:00:00+08:00");
    std::string b = f.add("261103-000100", "2026-11-03T09:00:00+08:00");
    Context ctx = f.at_time("2026-11-04T10:00:00+08:00");
    f.save(link_cases(*f.m, ctx, {a, b}));
    CHECK(f.m->load(a).group == std::vector<std::string>{b});
    CHECK(f.m->load(b).group == std::vector<std::string>{a});

    Changed changed = assign_case(*f.m, ctx, b, to("cgj"));
    REQUIRE(changed.size() == 2);
    for (const Case& c : changed) {
        CHECK(c.handler == "cgj");
    }
    CHECK(changed[1].history.back().note.ends_with("(with 261103-000100, the same letter)"));
    f.save(changed);

    // A member already replied keeps its handling; the others move.
    Case replied = f.m->load(a);
    replied.status = Status::replied;
    f.m->save(replied);
    Assignment again = to("jtj");
    again.note = "改派";
    std::vector<std::string> answered;
    Changed moved = assign_case(*f.m, ctx, b, again, &answered);
    REQUIRE(moved.size() == 1);
    CHECK(moved[0].id == b);
    CHECK(answered == std::vector<std::string>{a});
    CHECK_THROWS_AS(assign_case(*f.m, ctx, a, again), GateRefused);

    f.save(unlink_case(*f.m, ctx, a));
    CHECK(f.m->load(a).group.empty());
    CHECK(f.m->load(b).group.empty());
    CHECK(f.m->load(b).history.back().action == Action::unlink);
}

TEST_CASE("a group is every case its links reach: assigned whole, and whole when one leaves") {
    // Two letters that each joined a third, as an import links them: each
    // names the third, the third both; neither names the other.
    Fixture f;
    std::string a = f.add("261102-000100", "2026-11-02T09:00:00+08:00");
    std::string b = f.add("261103-000100", "2026-11-03T09:00:00+08:00");
    std::string c = f.add("261104-000100", "2026-11-04T09:00:00+08:00");
    for (const std::string& id : {b, c}) {
        Case joined = f.m->load(id);
        joined.group = {a};
        f.m->save(joined);
    }
    Case first = f.m->load(a);
    first.group = {b, c};
    f.m->save(first);
    Context ctx = f.at_time("2026-11-05T10:00:00+08:00");
    Changed changed = assign_case(*f.m, ctx, b, to("cgj"));
    std::vector<std::string> ids;
    for (const Case& x : changed) {
        ids.push_back(x.id);
        CHECK(x.handler == "cgj");
    }
    CHECK(ids == std::vector<std::string>{b, a, c}); // the case, then by id

    // The first leaves: the two that reached each other through it stay one.
    f.save(unlink_case(*f.m, ctx, a));
    CHECK(f.m->load(a).group.empty());
    CHECK(f.m->load(b).group == std::vector<std::string>{c});
    CHECK(f.m->load(c).group == std::vector<std::string>{b});
    CHECK(f.m->load(a).history.back().note ==
          "no longer the same letter as 261103-000100, 261104-000100");

    // A link by hand joins the groups of the cases named, whole.
    std::string d = f.add("261105-000100", "2026-11-05T09:00:00+08:00");
    f.save(link_cases(*f.m, ctx, {d, b}));
    CHECK(f.m->load(d).group == std::vector<std::string>{b, c});
    CHECK(f.m->load(c).group == std::vector<std::string>{b, d});
}

TEST_CASE("a return by the lead unit sends the case back, a co-unit's only leaves") {
    Fixture f;
    std::string id = f.add("261102-000100", "2026-11-02T09:00:00+08:00");
    Context ctx = f.at_time("2026-11-03T10:00:00+08:00");
    Assignment a = to("cgj");
    a.co_units = {"zjj"};
    f.save(assign_case(*f.m, ctx, id, a));

    Context later = f.at_time("2026-11-04T10:00:00+08:00");
    CHECK_THROWS_AS(return_case(*f.m, later, id, "jtj", "不是我们的"), UsageError);
    Case co = return_case(*f.m, later, id, "zjj", "不涉及住建").front();
    CHECK(co.status == Status::assigned);
    CHECK(co.co_units.empty());
    CHECK(co.returned_by == std::vector<std::string>{"zjj"});
    f.save({co});

    Case back = return_case(*f.m, later, id, "", "属交通部门职责").front();
    CHECK(back.status == Status::received);
    CHECK_FALSE(back.handler);
    CHECK(back.is_returned());
    CHECK(back.returned_by == std::vector<std::string>{"zjj", "cgj"});
    CHECK(back.history.back().note == "returned by cgj, to re-assign: 属交通部门职责");
    // The reply limit keeps running: still counted from the letter.
    CHECK(due_date(back, f.m->config())->day == day(2026, 11, 12));
    f.save({back});
    CHECK_THROWS_AS(return_case(*f.m, later, id, "", "again"), GateRefused);
    // Assigned again with no reason asked: it was not assigned.
    Case again = assign_case(*f.m, later, id, to("jtj")).front();
    CHECK(again.status == Status::assigned);
    CHECK_FALSE(again.is_returned());
}

TEST_CASE("an extension needs a leader and a reason, and moves the due date") {
    Fixture f;
    std::string id = f.add("261102-000100", "2026-11-02T09:00:00+08:00");
    Context ctx = f.at_time("2026-11-10T10:00:00+08:00");
    CHECK_THROWS_AS(extend_case(*f.m, ctx, id, 5, "", "wang"), UsageError);
    CHECK_THROWS_AS(extend_case(*f.m, ctx, id, 0, "需协调", "wang"), UsageError);
    CHECK_THROWS_WITH(extend_case(*f.m, ctx, id, 5, "需协调", "wag"),
                      Catch::StartsWith("--approved-by: unknown leader 'wag'"));
    Case c = extend_case(*f.m, ctx, id, 5, "需协调", "wang").front();
    REQUIRE(c.extensions.size() == 1);
    CHECK(c.extensions[0].approved_by == "wang");
    CHECK(c.history.back().action == Action::extend);
    CHECK(due_date(c, f.m->config())->day == day(2026, 11, 17));
    c.status = Status::closed;
    f.m->save(c);
    CHECK_THROWS_AS(extend_case(*f.m, ctx, id, 5, "需协调", "wang"), GateRefused);
}

TEST_CASE("several cases in one command: all changed, or none when one id is unknown") {
    Fixture f;
    std::string a = f.add("261102-000100", "2026-11-02T09:00:00+08:00");
    std::string b = f.add("261102-000200", "2026-11-02T09:05:00+08:00");
    Context ctx = f.at_time("2026-11-03T10:00:00+08:00");
    int calls = 0;
    auto assign = [&](const std::string& id) {
        ++calls;
        return assign_case(*f.m, ctx, id, to("cgj"));
    };
    CHECK_THROWS_WITH(change_each(*f.m, {a, "261102-9999"}, assign),
                      "no case matches '261102-9999'");
    CHECK(calls == 0); // ids are resolved before anything is changed
    Changed changed = change_each(*f.m, {a, "261102-0002", a}, assign);
    REQUIRE(changed.size() == 2);
    CHECK(changed[0].id == a);
    CHECK(changed[1].id == b);
    CHECK(calls == 2); // a named twice is changed once
}

TEST_CASE("a letter joining an assigned group takes over its handling, nothing else moves") {
    Fixture f;
    std::string a = f.add("261102-000100", "2026-11-02T09:00:00+08:00");
    std::string b = f.add("261103-000100", "2026-11-03T09:00:00+08:00");
    std::string c = f.add("261105-000100", "2026-11-05T09:00:00+08:00");
    Assignment first = to("cgj");
    first.co_units = {"jtj"};
    first.leader = "wang";
    first.instruction = "请认真核查";
    first.category = "city";
    f.save(assign_case(*f.m, f.at_time("2026-11-02T10:00:00+08:00"), a, first));
    std::size_t a_history = f.m->load(a).history.size();

    // Linked by hand: b takes over a's handling at once.
    Changed linked = link_cases(*f.m, f.at_time("2026-11-04T10:00:00+08:00"), {a, b});
    f.save(linked);
    Case joined = f.m->load(b);
    CHECK(joined.status == Status::assigned);
    CHECK(joined.handler == "cgj");
    CHECK(joined.co_units == std::vector<std::string>{"jtj"});
    CHECK(joined.leader == "wang");
    CHECK(joined.instruction == "请认真核查");
    CHECK(joined.category == "city");
    CHECK(joined.history.back().action == Action::assign);
    CHECK(joined.history.back().note.find("joins 261102-000100's handling") != std::string::npos);
    Case lead = f.m->load(a);
    CHECK(lead.history.size() == a_history + 1); // the link only
    CHECK(lead.history.back().action == Action::link);

    // Linked at intake, then routed: the group's unit, not the keyword's
    // suggestion (jtj), and no --note is asked for.
    Case third = f.m->load(c);
    third.group = {a, b};
    f.m->save(third);
    for (const std::string& id : {a, b}) {
        Case member = f.m->load(id);
        member.group.push_back(c);
        f.m->save(member);
    }
    Assignment route;
    Changed routed = assign_case(*f.m, f.at_time("2026-11-05T10:00:00+08:00"), c, route);
    REQUIRE(routed.size() == 1);
    CHECK(routed[0].id == c);
    CHECK(routed[0].handler == "cgj");
    CHECK(routed[0].history.back().action == Action::assign);

    // Another unit is a re-assignment of the whole group: --note needed.
    CHECK_THROWS_AS(assign_case(*f.m, f.at_time("2026-11-05T10:00:00+08:00"), c, to("jtj")),
                    UsageError);
}

TEST_CASE("a restricted letter is never handed to the unit it accuses unless forced") {
    Fixture f;
    std::string id = f.add("261102-000100", "2026-11-02T09:00:00+08:00");
    Context ctx = f.at_time("2026-11-02T10:00:00+08:00");
    CHECK_THROWS_AS(restrict_case(*f.m, ctx, id, "nosuch", "举报"), UsageError);
    CHECK_THROWS_AS(restrict_case(*f.m, ctx, id, "jtj", ""), UsageError);
    Changed r = restrict_case(*f.m, ctx, id, std::string("市交通运输局"), "举报执法人员");
    REQUIRE(r.size() == 1);
    CHECK(r[0].restricted);
    CHECK(r[0].accused == "jtj");
    CHECK(r[0].history.back().action == Action::restrict);
    CHECK(r[0].history.back().note == "accuses jtj: 举报执法人员");
    f.save(r);
    CHECK(restrict_case(*f.m, ctx, id, std::nullopt, "again").empty());

    CHECK_THROWS_AS(assign_case(*f.m, ctx, id, to("jtj")), GateRefused);
    Assignment with = to("cgj");
    with.co_units = {"jtj"};
    CHECK_THROWS_AS(assign_case(*f.m, ctx, id, with), GateRefused);
    CHECK(assign_case(*f.m, ctx, id, to("cgj")).front().handler == "cgj");
    Assignment forced = to("jtj");
    forced.force = true;
    CHECK(assign_case(*f.m, ctx, id, forced).front().handler == "jtj");
}

TEST_CASE("history keeps time order: an action before the last entry is refused") {
    Fixture f;
    std::string id = f.add("261102-000100", "2026-11-02T09:00:00+08:00");
    f.save(assign_case(*f.m, f.at_time("2026-11-03T10:00:00+08:00"), id, to("jtj")));
    CHECK_THROWS_WITH(
        extend_case(*f.m, f.at_time("2026-11-03T09:59:00+08:00"), id, 3, "需现场勘查", "wang"),
        Catch::Contains("its last entry (assign by 李明) is at 2026-11-03T10:00:00+08:00"));
    CHECK(extend_case(*f.m, f.at_time("2026-11-03T10:00:00+08:00"), id, 3, "需现场勘查", "wang")
              .size() == 1);
}
