#include "merge/case_merge.hpp"
#include "store/casefile.hpp"
#include "test_util.hpp"
#include "util/atomic_file.hpp"

#include <algorithm>
#include <catch2/catch.hpp>

using namespace mailbox;
using namespace mailbox::test;

namespace {

// A registered letter, as the tools leave it.
Case base_case() {
    Case c;
    c.id = "261125-ADZGK7";
    c.received = at("2026-11-25T09:00:00+08:00");
    c.subject = "路灯不亮";
    c.sender.name = "王磊";
    c.sender.phone = "13800000000";
    c.body = "建设路的路灯坏了一个月。\n";
    append_history(c, at("2026-11-25T09:30:00+08:00"), "李明", Action::received,
                   "registered from web");
    return c;
}

Case assigned(Case c, const std::string& unit, const std::string& when) {
    c.status = Status::assigned;
    c.handler = unit;
    c.assigned = at(when);
    append_history(c, at(when), "李明", Action::assign, "to " + unit);
    return c;
}

Case with_entry(Case c, const std::string& when, Action action, const std::string& note) {
    append_history(c, at(when), "李明", action, note);
    return c;
}

CaseMerge merged(const Case* base, const Case& ours, const Case& theirs,
                 CaseMergeOptions options = {}) {
    std::optional<CaseMerge> m = merge_case_files(base ? write_case(*base) : "", write_case(ours),
                                                  write_case(theirs), options);
    REQUIRE(m);
    return *m;
}

std::vector<std::string> actions(const std::string& text) {
    std::vector<std::string> out;
    for (const HistoryEntry& e : parse_case(text, "merged").history) {
        out.push_back(std::string(e.action_name()));
    }
    return out;
}

} // namespace

TEST_CASE("merge: both sides append: every entry once, by time", "[merge]") {
    Case o = assigned(base_case(), "cgj", "2026-11-25T10:00:00+08:00");
    Case a = with_entry(o, "2026-11-26T08:30:00+08:00", Action::chase, "cgj: 6 days left");
    Case b = with_entry(o, "2026-11-26T08:00:00+08:00", Action::visit, "到现场查看");
    CaseMerge m = merged(&o, a, b);
    CHECK(m.conflicts == 0);
    CHECK(actions(m.text) == std::vector<std::string>{"received", "assign", "visit", "chase"});
    CHECK(m.text == merged(&o, b, a).text); // symmetric
}

TEST_CASE("merge: the same entry on both sides is kept once", "[merge]") {
    Case o = assigned(base_case(), "cgj", "2026-11-25T10:00:00+08:00");
    Case a = with_entry(o, "2026-11-26T08:30:00+08:00", Action::chase, "cgj: 6 days left");
    CaseMerge m = merged(&o, a, a);
    CHECK(m.text == write_case(a));
}

TEST_CASE("merge: a one-sided change gives exactly that side", "[merge]") {
    Case o = base_case();
    o.history.push_back(o.history.front()); // out of order on purpose: kept as it is
    o.history.back().id = "ZZZZZZ";
    o.history.back().at = at("2026-11-24T08:00:00+08:00");
    Case a = assigned(o, "cgj", "2026-11-25T10:00:00+08:00");
    CHECK(merged(&o, a, o).text == write_case(a));
    CHECK(merged(&o, o, a).text == write_case(a));
}

TEST_CASE("merge: a field on one side, an entry on the other", "[merge]") {
    Case o = assigned(base_case(), "cgj", "2026-11-25T10:00:00+08:00");
    Case a = o;
    a.subject = "建设路路灯不亮";
    Case b = with_entry(o, "2026-11-26T08:30:00+08:00", Action::chase, "cgj: 6 days left");
    CaseMerge m = merged(&o, a, b);
    Case c = parse_case(m.text, "merged");
    CHECK(c.subject == "建设路路灯不亮");
    CHECK(c.history.size() == 3);
}

TEST_CASE("merge: one field changed two ways is left between markers, alone", "[merge]") {
    Case o = assigned(base_case(), "cgj", "2026-11-25T10:00:00+08:00");
    Case a = with_entry(o, "2026-11-26T08:30:00+08:00", Action::chase, "cgj: 6 days left");
    a.subject = "甲";
    Case b = o;
    b.subject = "乙";
    b.sender.email = "wl@example.com"; // a different field merges
    CaseMerge m = merged(&o, a, b);
    CHECK(m.conflicts == 1);
    CHECK(m.text.find("<<<<<<< ours\nsubject = \"甲\"\n=======\nsubject = \"乙\"\n>>>>>>> "
                      "theirs\n") != std::string::npos);
    CHECK(m.text.find("sender.email = \"wl@example.com\"") != std::string::npos);
    CHECK(m.text.find("action = \"chase\"") != std::string::npos);

    CaseMergeOptions wide;
    wide.marker_size = 10;
    wide.ours_label = "HEAD";
    CHECK(merged(&o, a, b, wide).text.find("<<<<<<<<<< HEAD\n") != std::string::npos);

    // The inner merge of a criss-cross keeps the base and writes no marker.
    CaseMergeOptions inner;
    inner.recursive = true;
    CaseMerge r = merged(&o, a, b, inner);
    CHECK(r.conflicts == 0);
    CHECK(parse_case(r.text, "merged").subject == "路灯不亮");
}

TEST_CASE("merge: the same change on both sides is no conflict", "[merge]") {
    Case o = base_case();
    Case a = o;
    a.subject = "新标题";
    CHECK(merged(&o, a, a).conflicts == 0);
}

TEST_CASE("merge: handling changed two ways follows the later action", "[merge]") {
    Case o = assigned(base_case(), "cgj", "2026-11-25T10:00:00+08:00");
    Case returned = o; // cgj hands it back at 11:00
    returned.status = Status::received;
    returned.handler.reset();
    returned.returned_by = {"cgj"};
    append_history(returned, at("2026-11-26T11:00:00+08:00"), "李明", Action::returned,
                   "cgj: 不属本单位职责");
    Case moved = o; // re-assigned to zjj at 10:00 in another clone
    moved.handler = "zjj";
    append_history(moved, at("2026-11-26T10:00:00+08:00"), "李明", Action::assign, "to zjj");
    for (bool swap : {false, true}) {
        CaseMerge m = swap ? merged(&o, moved, returned) : merged(&o, returned, moved);
        CHECK(m.conflicts == 0);
        Case c = parse_case(m.text, "merged");
        CHECK(c.status == Status::received); // the return came later
        CHECK(!c.handler);
        CHECK(c.returned_by == std::vector<std::string>{"cgj"});
        CHECK(c.history.size() == 4);
        REQUIRE(m.notes.size() == 1);
        CHECK(m.notes[0].find("the side of the later action: return") != std::string::npos);
    }
}

TEST_CASE("merge: a later chase round does not outweigh a change of handling", "[merge]") {
    Case o = assigned(base_case(), "cgj", "2026-11-25T10:00:00+08:00");
    Case returned = o;
    returned.status = Status::received;
    returned.handler.reset();
    returned.returned_by = {"cgj"};
    append_history(returned, at("2026-11-26T11:00:00+08:00"), "李明", Action::returned,
                   "cgj: 不属本单位职责");
    Case moved = o;
    moved.handler = "zjj";
    append_history(moved, at("2026-11-26T10:00:00+08:00"), "李明", Action::assign, "to zjj");
    moved = with_entry(moved, "2026-11-27T08:30:00+08:00", Action::chase, "zjj: 5 days left");
    Case c = parse_case(merged(&o, moved, returned).text, "merged");
    CHECK(c.status == Status::received); // the return, not the round after the re-assignment
    CHECK(c.history.size() == 5);
}

TEST_CASE("merge: hand edits of one handling field both ways need a person", "[merge]") {
    Case o = assigned(base_case(), "cgj", "2026-11-25T10:00:00+08:00");
    Case a = o, b = o;
    a.handler = "zjj";
    b.handler = "jtj";
    CHECK(merged(&o, a, b).conflicts == 1);
}

TEST_CASE("merge: an entry one side removed goes", "[merge]") {
    Case o = with_entry(base_case(), "2026-11-26T08:30:00+08:00", Action::chase, "x");
    Case a = o;
    a.history.pop_back(); // a revert
    Case b = with_entry(o, "2026-11-26T09:00:00+08:00", Action::visit, "y");
    CHECK(actions(merged(&o, a, b).text) == std::vector<std::string>{"received", "visit"});
}

TEST_CASE("merge: links and extensions added on both sides are all kept", "[merge]") {
    Case o = assigned(base_case(), "cgj", "2026-11-25T10:00:00+08:00");
    Case a = o, b = o;
    a.group = {"261125-B00000"};
    b.group = {"261125-C00000"};
    a.extensions = {{5, "zhang", at("2026-11-26T10:00:00+08:00"), "甲"}};
    b.extensions = {{3, "zhang", at("2026-11-26T09:00:00+08:00"), "乙"}};
    Case c = parse_case(merged(&o, a, b).text, "merged");
    CHECK(c.group == std::vector<std::string>{"261125-B00000", "261125-C00000"});
    REQUIRE(c.extensions.size() == 2);
    CHECK(c.extensions[0].reason == "乙");
}

TEST_CASE("merge: add/add of one letter merges, of two letters is a collision", "[merge]") {
    Case a = base_case();
    Case b = with_entry(a, "2026-11-25T09:40:00+08:00", Action::link, "x");
    CHECK(merged(nullptr, a, b).text == write_case(b));
    Case other = base_case();
    other.subject = "噪音扰民";
    CaseMerge m = merged(nullptr, a, other);
    CHECK(m.collision);
    CHECK(m.text == write_case(a));
    CHECK(is_id_collision(write_case(a), write_case(other)));
    CHECK(!is_id_collision(write_case(a), write_case(b)));
}

TEST_CASE("merge: what does not parse is left to the line merge", "[merge]") {
    std::string good = write_case(base_case());
    CHECK(!merge_case_files(good, good, "id = \n"));
    CHECK(!merge_case_files(good, good + "<<<<<<< ours\n", good));
}

TEST_CASE("merge: merging a result again changes nothing", "[merge]") {
    Case o = assigned(base_case(), "cgj", "2026-11-25T10:00:00+08:00");
    Case a = with_entry(o, "2026-11-26T08:30:00+08:00", Action::chase, "c");
    a.sender.email = "a@example.com";
    Case b = with_entry(o, "2026-11-26T08:00:00+08:00", Action::visit, "v");
    std::string m = merged(&o, a, b).text;
    CHECK(merge_case_files(write_case(a), m, write_case(a))->text == m);
    CHECK(merge_case_files(write_case(b), m, write_case(b))->text == m);
}

TEST_CASE("casefile: the field order knows every key the sample cases use", "[merge]") {
    const auto& order = case_field_order();
    for (const auto& entry :
         std::filesystem::recursive_directory_iterator(MAILBOX_SOURCE_DIR "/sample-data/cases")) {
        if (entry.path().extension() != ".toml") {
            continue;
        }
        Case c = parse_case(read_file(entry.path()), entry.path().string());
        std::size_t at_order = 0;
        for (const CaseField& f : case_fields(c)) {
            auto it = std::find(order.begin() + static_cast<long>(at_order), order.end(), f.key);
            REQUIRE(it != order.end());
            at_order = static_cast<std::size_t>(it - order.begin());
        }
    }
}
