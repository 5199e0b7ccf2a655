#include "assign/visit.hpp"
#include "test_util.hpp"
#include "util/error.hpp"

#include <catch2/catch.hpp>

using namespace mailbox;
using namespace mailbox::test;

TEST_CASE("a visit is recorded, and may solve the problem on the spot") {
    TempMailbox f;
    std::string id = "261102-000100";
    f.m->save(f.letter(id, "2026-11-02T09:00:00+08:00"));
    Context ctx = f.at_time("2026-11-05T15:00:00+08:00");
    CHECK_THROWS_AS(visit_case(*f.m, ctx, id, "", false), UsageError);
    Case c = visit_case(*f.m, ctx, id, "现场查看，已联系施工方", true).front();
    CHECK(c.solved_on_site);
    CHECK(c.history.back().action == Action::visit);
    CHECK(c.history.back().note == "现场查看，已联系施工方 (solved on site)");
    f.m->save(c);
    // A later visit that solves nothing does not undo it.
    CHECK(visit_case(*f.m, ctx, id, "回访", false).front().solved_on_site);
}
