#include "assign/round.hpp"
#include "test_util.hpp"

#include <catch2/catch.hpp>

using namespace mailbox;
using namespace mailbox::test;
namespace fs = std::filesystem;

TEST_CASE("a round writes its notices, then records itself, and a dry run does neither") {
    TempMailbox f;
    f.add_assigned("261102-000100", "2026-11-02T09:00:00+08:00", "jtj");
    f.add_assigned("261105-000100", "2026-11-05T09:00:00+08:00", "cgj");
    Case unknown = f.m->load("261105-000100");
    unknown.handler = "nosuch"; // a hand edit naming a unit mailbox.toml lacks
    f.m->save(unknown);
    Context ctx = f.at_time("2026-11-14T09:00:00+08:00");

    RoundPlan dry = plan_round(*f.m, ctx, Round::chase, load_case_index(*f.m), true);
    REQUIRE(ids_of(dry.items) == std::vector<std::string>{"261102-000100"});
    REQUIRE(dry.unknown.size() == 1);
    CHECK(dry.unknown[0].position.path == f.m->case_path("261105-000100"));
    REQUIRE(dry.notices.size() == 1);
    CHECK(run_round(*f.m, ctx, Round::chase, dry, true) ==
          std::vector<std::string>{f.m->case_path("261102-000100")});
    CHECK_FALSE(fs::exists(f.m->absolute(dry.notices[0].path)));
    CHECK(f.m->load("261102-000100").history.back().action != Action::chase);

    RoundPlan plan = plan_round(*f.m, ctx, Round::chase, load_case_index(*f.m), true);
    CHECK(run_round(*f.m, ctx, Round::chase, plan, false).size() == 1);
    CHECK(fs::exists(f.m->absolute(plan.notices[0].path)));
    CHECK(f.m->load("261102-000100").history.back().action == Action::chase);
    CHECK(plan.items[0].recorded);

    // Without notices asked for, nothing is rendered; a template that does
    // not parse then stops nothing.
    write_text(f.t.path() / "templates/supervise-notice.mustache", "{{#cases}}unclosed\n");
    RoundPlan quiet = plan_round(*f.m, ctx, Round::supervise, load_case_index(*f.m), false);
    CHECK(quiet.notices.empty());
    CHECK_THROWS(plan_round(*f.m, ctx, Round::supervise, load_case_index(*f.m), true));
}

TEST_CASE("a round for a past moment leaves off the letters received later, and warns of those "
          "changed later") {
    TempMailbox f;
    f.add_assigned("261102-000100", "2026-11-02T09:00:00+08:00", "jtj");
    f.add_assigned("261103-000100", "2026-11-03T09:00:00+08:00", "cgj");
    f.add_assigned("261120-000100", "2026-11-20T09:00:00+08:00", "cgj"); // not there yet
    Case ahead = f.m->load("261103-000100");
    append_history(ahead, at("2026-11-30T09:00:00+08:00"), "王芳", Action::visit, "现场查看");
    f.m->save(ahead); // a clone whose clock ran ahead
    Context ctx = f.at_time("2026-11-14T09:00:00+08:00");

    RoundPlan plan = plan_round(*f.m, ctx, Round::chase, load_case_index(*f.m), false);
    CHECK(ids_of(plan.items) == std::vector<std::string>{"261102-000100"});
    REQUIRE(plan.later.size() == 1);
    CHECK(plan.later[0] == "case 261103-000100: its last entry is at 2026-11-30T09:00:00+08:00, "
                           "after this round's moment: left off the list");
    CHECK(run_round(*f.m, ctx, Round::chase, plan, false).size() == 1);
}
