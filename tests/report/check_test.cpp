#include "report/check.hpp"
#include "store/casefile.hpp"
#include "store/init.hpp"
#include "store/mailbox.hpp"
#include "test_util.hpp"
#include "util/atomic_file.hpp"

#include <catch2/catch.hpp>

using namespace mailbox;
using namespace mailbox::test;

namespace {

std::vector<std::string> problems(const std::filesystem::path& root) {
    std::vector<std::string> out;
    for (const auto& p : check_mailbox(root, true).problems) {
        out.push_back(p.what());
    }
    return out;
}

Case basic(const std::string& id) {
    Case c;
    c.id = id;
    c.received = at("2026-11-25T09:30:00+08:00");
    c.subject = "来信";
    c.sender.name = "张三";
    c.body = "正文\n";
    return c;
}

// Both assigned to cgj at once, as a group's assignment is.
void assign_both(Case& x, Case& y) {
    for (Case* c : {&x, &y}) {
        c->status = Status::assigned;
        c->handler = "cgj";
        c->assigned = at("2026-11-26T10:00:00+08:00");
        append_history(*c, *c->assigned, "李明", Action::assign, "to cgj");
    }
}

} // namespace

TEST_CASE("a clean mailbox has no problems") {
    TempDir t;
    init_mailbox(t.path(), false);
    Mailbox m(t.path());
    m.save(basic("261125-0001AB"));
    CheckReport r = check_mailbox(t.path(), false);
    CHECK(r.problems.empty());
    CHECK(r.cases == 1);
}

TEST_CASE("a history action no version knows is kept as written and pointed at by check") {
    TempDir t;
    init_mailbox(t.path(), false);
    Mailbox m(t.path());
    Case c = basic("261125-0001AB");
    append_history(c, at("2026-11-25T09:30:00+08:00"), "李明", Action::received, "registered");
    append_history(c, at("2026-11-26T09:30:00+08:00"), "李明", Action::chase, "zjj");
    m.save(c);
    std::filesystem::path file = t.path() / m.case_path(c.id);
    std::string text = read_file(file);
    auto at_chase = text.find("action = \"chase\"");
    REQUIRE(at_chase != std::string::npos);
    text.replace(at_chase, 16, "action = \"chse\"");
    write_file_atomically(file, text);

    Case read = m.load(c.id);
    CHECK(read.history[1].action == Action::unknown);
    CHECK(read.history[1].action_name() == "chse");
    CHECK(write_case(read) == text); // nothing lost when the case is written again
    CHECK(problems(t.path()) ==
          std::vector<std::string>{"cases/2026/261125-0001AB.toml:32:10: unknown history action "
                                   "'chse'; did you mean 'chase'?"});
}

TEST_CASE("unknown units, leaders and categories point at their values") {
    TempDir t;
    init_mailbox(t.path(), false);
    Mailbox m(t.path());
    Case c = basic("261125-0001AB");
    c.handler = "mzjj";
    c.co_units = {"zjj", "nowhere"};
    c.leader = "wangg";
    c.category = "econ";
    m.save(c);
    CHECK(problems(t.path()) ==
          std::vector<std::string>{"cases/2026/261125-0001AB.toml:17:11: unknown unit 'mzjj'; did "
                                   "you mean 'mzj' (市民政局), "
                                   "'zjj' (市住房和城乡建设局)?",
                                   "cases/2026/261125-0001AB.toml:19:20: unknown unit 'nowhere'",
                                   "cases/2026/261125-0001AB.toml:21:10: unknown leader 'wangg'; "
                                   "did you mean 'wang' (王副书记)?"});
}

TEST_CASE("an unknown kind points at its value") {
    TempDir t;
    init_mailbox(t.path(), false);
    Mailbox m(t.path());
    Case c = basic("261125-0001AB");
    c.kind = "complain";
    m.save(c);
    std::vector<std::string> found = problems(t.path());
    REQUIRE(found.size() == 1);
    CHECK(found[0].ends_with("unknown kind 'complain'; did you mean 'complaint' (投诉)?"));
    CHECK(found[0].starts_with("cases/2026/261125-0001AB.toml:"));
}

TEST_CASE("a suggestion source other than learned points at its value") {
    TempDir t;
    init_mailbox(t.path(), false);
    Mailbox m(t.path());
    Case c = basic("261125-0001AB");
    c.suggested_category = "city";
    c.suggested_by = "learned";
    m.save(c);
    CHECK(problems(t.path()).empty());
    c.suggested_by = "guessed";
    m.save(c);
    std::vector<std::string> found = problems(t.path());
    REQUIRE(found.size() == 1);
    CHECK(found[0].ends_with("unknown suggestion source 'guessed': only 'learned' is known"));
}

TEST_CASE("links to missing cases and one-sided links") {
    TempDir t;
    init_mailbox(t.path(), false);
    Mailbox m(t.path());
    Case a = basic("261125-0001AB");
    a.group = {"261125-0002AB", "261125-0003AB"};
    m.save(a);
    m.save(basic("261125-0002AB"));
    auto p = problems(t.path());
    REQUIRE(p.size() == 2);
    CHECK(p[0] == "cases/2026/261125-0001AB.toml:15:10: one-sided link: case '261125-0002AB' "
                  "does not list '261125-0001AB' in its group");
    CHECK(p[1] == "cases/2026/261125-0001AB.toml:15:27: group links to missing case "
                  "'261125-0003AB'");
}

TEST_CASE("a group joined through one member is whole: nothing to report") {
    // Two letters each linked to X (two clones, or an import): X [Y, Z],
    // Y [X], Z [X]. Y and Z reach each other through X.
    TempDir t;
    init_mailbox(t.path(), false);
    Mailbox m(t.path());
    Case x = basic("261125-0001AB");
    x.group = {"261125-0002AB", "261125-0003AB"};
    m.save(x);
    for (const char* id : {"261125-0002AB", "261125-0003AB"}) {
        Case c = basic(id);
        c.group = {"261125-0001AB"};
        m.save(c);
    }
    CHECK(problems(t.path()).empty());
}

TEST_CASE("a group whose members did not all take a group action is out of step: a warning") {
    // A write killed between the renames of an assignment of the group.
    TempDir t;
    init_mailbox(t.path(), false);
    Mailbox m(t.path());
    Case x = basic("261125-0001AB");
    Case y = basic("261125-0002AB");
    x.group = {y.id};
    y.group = {x.id};
    append_history(x, at("2026-11-25T09:31:00+08:00"), "李明", Action::link,
                   "the same letter as y");
    append_history(y, at("2026-11-25T09:31:00+08:00"), "李明", Action::link,
                   "the same letter as x");
    assign_both(x, y);
    // A visit is one case's own.
    append_history(y, at("2026-11-27T11:00:00+08:00"), "李明", Action::visit, "电话");
    m.save(x);
    m.save(y);
    CHECK(check_mailbox(t.path(), true).warnings.empty());
    append_history(x, at("2026-11-27T10:00:00+08:00"), "李明", Action::extend, "5 days");
    m.save(x);
    CheckReport r = check_mailbox(t.path(), true);
    CHECK(r.problems.empty());
    const auto& p = r.warnings;
    REQUIRE(p.size() == 1);
    CHECK(p[0].starts_with("cases/2026/261125-0002AB.toml:"));
    CHECK(p[0].find("out of step with its group: case '261125-0001AB' has 'extend' of "
                    "2026-11-27T10:00:00+08:00 and this case has not") != std::string::npos);
}

TEST_CASE("a member that does not list its group back is still compared with it") {
    // check holds only the cases in a group: y, named by x but naming no
    // one, is read again for its history.
    TempDir t;
    init_mailbox(t.path(), false);
    Mailbox m(t.path());
    Case x = basic("261125-0001AB");
    Case y = basic("261125-0002AB");
    x.group = {y.id};
    assign_both(x, y);
    append_history(x, at("2026-11-27T10:00:00+08:00"), "李明", Action::extend, "5 days");
    m.save(x);
    m.save(y);
    CheckReport r = check_mailbox(t.path(), true);
    REQUIRE(r.problems.size() == 1);
    CHECK(std::string(r.problems[0].what()).find("one-sided link") != std::string::npos);
    REQUIRE(r.warnings.size() == 1);
    CHECK(r.warnings[0].starts_with("cases/2026/261125-0002AB.toml:"));
    CHECK(r.warnings[0].find("has 'extend' of 2026-11-27T10:00:00+08:00") != std::string::npos);
}

TEST_CASE("a case in the wrong year folder, conflict markers, bad config: every problem") {
    TempDir t;
    init_mailbox(t.path(), false);
    write_text(t.path() / "cases" / "2025" / "261125-0001AB.toml",
               write_case(basic("261125-0001AB")));
    write_text(t.path() / "cases" / "2026" / "261125-0002AB.toml",
               "<<<<<<< HEAD\n" + write_case(basic("261125-0002AB")));
    std::string config = read_file(t.path() / "mailbox.toml");
    write_text(t.path() / "mailbox.toml", config + "\n[extra]\nkey = 1\n");
    auto p = problems(t.path());
    REQUIRE(p.size() == 3);
    CHECK(p[0].find("unknown key 'extra'") != std::string::npos);
    CHECK(p[1] == "cases/2026/261125-0002AB.toml:1:1: git conflict marker; resolve the merge "
                  "and run check again");
    CHECK(p[2] == "cases/2025/261125-0001AB.toml:3:6: case '261125-0001AB' belongs in "
                  "'cases/2026/261125-0001AB.toml'");
}

TEST_CASE("returning units and approving leaders are checked too") {
    TempDir t;
    init_mailbox(t.path(), false);
    Mailbox m(t.path());
    Case c = basic("261125-0001AB");
    c.returned_by = {"mzj", "jtjj"};
    c.extensions = {{5, "lii", at("2026-11-26T09:30:00+08:00"), "需协调"}};
    m.save(c);
    std::vector<std::string> found = problems(t.path());
    REQUIRE(found.size() == 2);
    CHECK(found[0].ends_with("unknown unit 'jtjj'; did you mean 'jtj' (市交通运输局)?"));
    CHECK(found[1].ends_with("unknown leader 'lii'; did you mean 'li' (李副市长)?"));
    CHECK(found[1].starts_with("cases/2026/261125-0001AB.toml:1"));
}
