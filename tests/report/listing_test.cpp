#include "report/listing.hpp"
#include "test_util.hpp"

#include <catch2/catch.hpp>

using namespace mailbox;
using namespace mailbox::test;

TEST_CASE("the list record carries every field of the contract, null where absent") {
    Config config = sample_config();
    Case c;
    c.id = "261125-0001AB";
    c.received = at("2026-11-02T09:30:00+08:00");
    c.subject = "来信";
    c.sender.name = "张三";
    Value r = case_record(c, config, day(2026, 11, 25), 2);
    for (const char* key :
         {"id", "status", "subject", "received", "channel", "category", "handler", "co_units",
          "leader", "assigned", "due", "replied", "overdue", "very_overdue", "days_open", "group",
          "outcome", "satisfied", "sender_case_count"}) {
        INFO(key);
        CHECK(r.get(key));
    }
    CHECK(r.get("category")->is_null());
    CHECK(r.get("satisfied")->is_null());
    CHECK(r.get("due")->cell() == "2026-11-12");
    CHECK(r.get("overdue")->cell() == "true");
    CHECK(r.get("days_open")->cell() == "23");
    CHECK(r.get("sender_case_count")->cell() == "2");
}

TEST_CASE("show adds body, sender, sender_cases, due_reason, message_id, attachments, history") {
    Config config = sample_config();
    Case c = full_case();
    c.status = Status::assigned;
    Value d =
        case_detail(c, config, day(2026, 11, 25),
                    {{"261101-0001AB", at("2026-11-01T08:00:00+08:00"), "旧信", Status::closed}});
    for (const char* key :
         {"body", "sender", "sender_cases", "due_reason", "message_id", "attachments", "history"}) {
        INFO(key);
        CHECK(d.get(key));
    }
    CHECK(d.get("sender")->get("email")->cell() == "zhangsan@example.com");
    CHECK(d.get("sender_cases")->array()->size() == 1);
    CHECK(d.get("sender_case_count")->cell() == "1");
    CHECK(d.get("history")->array()->at(1).get("note")->cell() == "交办\n第二行");
}

TEST_CASE("filters: status, unit as lead or co-unit, received range, overdue") {
    Config config = sample_config();
    Case c = full_case();
    c.status = Status::assigned;
    c.reopened.reset(); // the first handling's clock
    ListFilter f;
    Day today = day(2026, 11, 25);
    CHECK(matches(c, f, config, today));
    f.unit = "zjj";
    CHECK(matches(c, f, config, today));
    f.unit = "mzj";
    CHECK_FALSE(matches(c, f, config, today));
    f = {};
    f.since = day(2026, 11, 26);
    CHECK_FALSE(matches(c, f, config, today));
    f = {};
    f.overdue = true;
    CHECK_FALSE(matches(c, f, config, today));
    CHECK(matches(c, f, config, day(2026, 12, 20)));
}

TEST_CASE("an unknown unit in a filter suggests the closest") {
    CHECK_THROWS_WITH(
        validate_filter(
            ListFilter{std::nullopt, "mzjj", std::nullopt, false, std::nullopt, std::nullopt},
            sample_config()),
        "unknown unit 'mzjj'; did you mean 'mzj' (市民政局), 'zjj' (市住房和城乡建设局)?");
}

TEST_CASE("senders are told apart by e-mail, else phone, else a real name") {
    using V = std::vector<std::string>;
    CHECK(sender_keys({"张三", "ZS@Example.com", ""}) == V{"e:zs@example.com"});
    CHECK(sender_keys({"张三", "a@example.com", "138 0000 0000"}) ==
          V{"e:a@example.com", "p:13800000000"});
    CHECK(same_sender({"张三", "", "+86 138-0000-0000"}, {"李四", "", "13800000000"}));
    CHECK(same_sender({"张三", "a@example.com", "13800000000"}, {"张三", "", "13800000000"}));
    CHECK_FALSE(same_sender({"张三", "a@example.com", ""}, {"张三", "b@example.com", ""}));
    CHECK(sender_keys({"张三", "", ""}) == V{"n:张三"});
    CHECK(sender_keys({"匿名", "", ""}).empty());
    CHECK(sender_keys({"网友", "", ""}).empty());
}
