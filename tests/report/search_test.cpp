#include "report/search.hpp"
#include "store/casefile.hpp"
#include "test_util.hpp"

#include <catch2/catch.hpp>
#include <fstream>

using namespace mailbox;
using namespace mailbox::test;

namespace {

std::vector<Found> found(TempMailbox& f, std::string_view query, const ListFilter& filter = {}) {
    return search_cases(*f.m, query, filter, day(2026, 11, 25), 0).found;
}

} // namespace

TEST_CASE("a found case carries the passage around its match, from the field that holds it") {
    TempMailbox f;
    Case a = f.letter("261101-000100", "2026-11-01T09:00:00+08:00");
    a.subject = "噪音扰民";
    a.body = "尊敬的领导：我家楼下的工地每天夜里施工到凌晨两点，严重影响休息，请有关部门尽快处理。";
    f.m->save(a);
    Case b = f.letter("261102-000100", "2026-11-02T09:00:00+08:00");
    b.subject = "Wifi 信号差";
    b.body = "小区里没有信号。";
    b.status = Status::assigned;
    b.handler = "zjj";
    f.m->save(b);

    std::vector<Found> hits = found(f, "凌晨");
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].summary.id == a.id);
    CHECK(hits[0].field == "body");
    CHECK(hits[0].before == "楼下的工地每天夜里施工到"); // twelve characters
    CHECK(hits[0].match == "凌晨");
    CHECK(hits[0].after == "两点，严重影响休息，请有关部门尽快处理。");

    hits = found(f, "WIFI");
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].field == "subject");
    CHECK(hits[0].match == "Wifi"); // as the letter spells it

    Value row = search_record(hits[0], f.m->config(), day(2026, 11, 25), 0);
    CHECK(search_table_row(row).get("passage")->cell() == "【Wifi】 信号差");

    ListFilter assigned;
    assigned.status = Status::assigned;
    CHECK(found(f, "信号", assigned).size() == 1);
    CHECK(found(f, "凌晨", assigned).empty());
}

TEST_CASE("a found case is filtered and listed as its file says, not as the cache had it") {
    TempMailbox f;
    Case b = f.letter("261102-000100", "2026-11-02T09:00:00+08:00");
    b.subject = "Wifi 信号差";
    b.status = Status::assigned;
    b.handler = "zjj";
    f.m->save(b);
    ListFilter assigned;
    assigned.status = Status::assigned;
    REQUIRE(found(f, "信号", assigned).size() == 1);

    // Taken back by hand in place: the cache still says assigned.
    b.status = Status::received;
    b.handler.reset();
    std::ofstream(f.t.path() / f.m->case_path(b.id), std::ios::trunc) << write_case(b);
    CHECK(found(f, "信号", assigned).empty());
    std::vector<Found> hits = found(f, "信号");
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].summary.status == Status::received);

    // A file that does not parse is not found, and is named.
    write_text(f.t.path() / "cases/2026/261103-000100.toml", "id = \"oops\n");
    Search s = search_cases(*f.m, "信号", {}, day(2026, 11, 25), 0);
    CHECK(s.found.size() == 1);
    REQUIRE(s.broken.size() == 1);
    CHECK(s.broken[0].path == "cases/2026/261103-000100.toml");
}
