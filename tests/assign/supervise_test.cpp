#include "assign/supervise.hpp"
#include "test_util.hpp"

#include <catch2/catch.hpp>

using namespace mailbox;
using namespace mailbox::test;

TEST_CASE("supervision every three days since the last one or the assignment, overdue always") {
    TempMailbox f;
    f.add_assigned("261102-000100", "2026-11-02T09:00:00+08:00",
                   "jtj"); // assigned 11-03, due 11-12
    f.add_assigned("261109-000100", "2026-11-09T09:00:00+08:00", "cgj"); // assigned 11-10
    auto on = [&](unsigned d) {
        return ids_of(supervise_list(load_case_index(*f.m), f.m->config(), day(2026, 11, d)));
    };
    CHECK(on(5).empty());
    CHECK(on(6) == std::vector<std::string>{"261102-000100"});
    Context ctx = f.at_time("2026-11-06T09:00:00+08:00");
    auto items = supervise_list(load_case_index(*f.m), f.m->config(), ctx.today);
    record_round(*f.m, ctx, Round::supervise, items);
    CHECK(on(6) == std::vector<std::string>{"261102-000100"}); // today's list again
    CHECK(on(8).empty());
    CHECK(on(9) == std::vector<std::string>{"261102-000100"});
    CHECK(on(13) == std::vector<std::string>{"261102-000100", "261109-000100"});
    // Overdue: on every day's list, whenever last supervised.
    Context after = f.at_time("2026-11-13T09:00:00+08:00");
    items = supervise_list(load_case_index(*f.m), f.m->config(), after.today);
    record_round(*f.m, after, Round::supervise, items);
    CHECK(on(14) == std::vector<std::string>{"261102-000100"});
}
