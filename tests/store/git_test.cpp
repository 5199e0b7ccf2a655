#include "report/check.hpp"
#include "store/git.hpp"
#include "store/init.hpp"
#include "test_util.hpp"
#include "util/error.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

using namespace mailbox;
using namespace mailbox::test;

namespace {

namespace fs = std::filesystem;

void git(const fs::path& dir, const std::vector<std::string>& args) {
    GitResult r = run_git(dir, args);
    INFO(r.out);
    REQUIRE(r.status == 0);
}

// A repository holding a mailbox in a folder of its own (office/mb), as a
// mailbox kept inside a larger repository is, with everything committed.
struct Repo {
    TempDir t;
    fs::path mb;
    Repo() : mb(t.path() / "office" / "mb") {
        git(t.path(), {"init", "-q"});
        git(t.path(), {"config", "user.name", "test"});
        git(t.path(), {"config", "user.email", "test@example.com"});
        git(t.path(), {"config", "commit.gpgsign", "false"});
        init_mailbox(mb, false);
        write_text(mb / "cases/2026/261101-0001AB.toml", "one\n");
        write_text(mb / "cases/2026/261101-0002AB.toml", "two\n");
        write_text(mb / "cases/2026/261101-0003AB.toml", "three\n");
        git(t.path(), {"add", "-A"});
        git(t.path(), {"commit", "-q", "-m", "start"});
    }
    std::string head_message() const { return run_git(mb, {"log", "-1", "--format=%B"}).out; }
    int commits() const { return std::stoi(run_git(mb, {"rev-list", "--count", "HEAD"}).out); }
    // git status of the whole repository, paths from its top.
    std::string status() const {
        return run_git(t.path(), {"status", "--porcelain", "--untracked-files=all"}).out;
    }
};

} // namespace

TEST_CASE("what the tools write is told from what a clerk keeps beside it", "[git]") {
    CHECK(is_case_data_path("cases/2026/261125-8K2QM7.toml"));
    CHECK(is_case_data_path("cases/2026/261125-8K2QM7.report.pdf"));
    CHECK(is_case_data_path("originals/0123456789abcdef.eml"));
    CHECK(is_case_data_path("cases/2026/hand-named.toml")); // the tools read it as a case

    CHECK_FALSE(is_case_data_path("cases/2026/261125-8K2QM7.toml.tmp.Ab12Cd"));
    CHECK_FALSE(is_case_data_path("cases/2026/261125-8K2QM7.report.pdf.tmp.Ab12Cd"));
    CHECK_FALSE(is_case_data_path("cases/2026/.261125-8K2QM7.toml"));
    CHECK_FALSE(is_case_data_path("cases/2026/notes.txt"));
    CHECK_FALSE(is_case_data_path("cases/2026/261125-8K2QM7.report."));
    CHECK_FALSE(is_case_data_path("cases/2026/notes.report.txt"));
    CHECK_FALSE(is_case_data_path("cases/2026/sub/261125-8K2QM7.toml"));
    CHECK_FALSE(is_case_data_path("cases/26/261125-8K2QM7.toml"));
    CHECK_FALSE(is_case_data_path("cases/.gitkeep"));
    CHECK_FALSE(is_case_data_path("cases/notes.toml"));
    CHECK_FALSE(is_case_data_path("mailbox.toml"));
    CHECK_FALSE(is_case_data_path("templates/reply.mustache"));
    CHECK_FALSE(is_case_data_path("originals/0123456789ABCDEF.eml"));
    CHECK_FALSE(is_case_data_path("originals/letter.eml"));
}

TEST_CASE("uncommitted case files: changed, new, deleted or staged, from the mailbox", "[git]") {
    Repo r;
    CHECK(uncommitted_case_files(r.mb).empty());
    write_text(r.mb / "cases/2026/261101-0001AB.toml", "one, changed\n");
    fs::remove(r.mb / "cases/2026/261101-0002AB.toml");
    write_text(r.mb / "cases/2026/261101-0003AB.toml", "three, staged\n");
    git(r.mb, {"add", "cases/2026/261101-0003AB.toml"});
    write_text(r.mb / "cases/2026/261102-0004AB.toml", "new\n");
    write_text(r.mb / "cases/2026/261102-0004AB.report.pdf", "report\n");
    write_text(r.mb / "originals/0123456789abcdef.eml", "From: x\n");
    // Added, then deleted: nothing of it is left to commit.
    write_text(r.mb / "cases/2026/261102-0005AB.toml", "gone\n");
    git(r.mb, {"add", "cases/2026/261102-0005AB.toml"});
    fs::remove(r.mb / "cases/2026/261102-0005AB.toml");
    // Never the tools': a temporary file, a note, the config, a template.
    write_text(r.mb / "cases/2026/261102-0004AB.toml.tmp.Ab12Cd", "tmp\n");
    write_text(r.mb / "cases/2026/notes.txt", "note\n");
    write_text(r.mb / "mailbox.toml", "# edited by hand\n");
    write_text(r.mb / "templates/reply.mustache", "{{id}}\n");

    CHECK(uncommitted_case_files(r.mb) ==
          std::vector<std::string>{
              "cases/2026/261101-0001AB.toml", "cases/2026/261101-0002AB.toml",
              "cases/2026/261101-0003AB.toml", "cases/2026/261102-0004AB.report.pdf",
              "cases/2026/261102-0004AB.toml", "originals/0123456789abcdef.eml"});
}

TEST_CASE("no git, no uncommitted case files", "[git]") {
    TempDir t;
    init_mailbox(t.path(), false);
    write_text(t.path() / "cases/2026/261101-0001AB.toml", "one\n");
    CHECK(uncommitted_case_files(t.path()).empty());
    CHECK_THROWS_AS(commit_with_leftovers(t.path(), {"cases/2026/261101-0001AB.toml"}, "x"),
                    UsageError);
}

TEST_CASE("a commit takes in the case files left before, and only those", "[git]") {
    Repo r;
    write_text(r.mb / "cases/2026/261101-0001AB.toml", "one, chased by a killed run\n");
    fs::remove(r.mb / "cases/2026/261101-0002AB.toml");
    write_text(r.mb / "cases/2026/261101-0003AB.toml", "three, staged by a failed commit\n");
    git(r.mb, {"add", "cases/2026/261101-0003AB.toml"});
    write_text(r.mb / "cases/2026/261102-0004AB.toml", "registered, never committed\n");
    // The clerk's own work, one file of it staged by hand: left as it is.
    write_text(r.mb / "mailbox.toml", "# edited by hand\n");
    write_text(r.mb / "templates/reply.mustache", "{{id}}\n");
    git(r.mb, {"add", "templates/reply.mustache"});
    write_text(r.mb / "cases/2026/notes.txt", "note\n");

    write_text(r.mb / "cases/2026/261102-0005AB.toml", "this command's own\n");
    CHECK(commit_with_leftovers(r.mb, {"cases/2026/261102-0005AB.toml"},
                                "Register case 261102-0005AB: 路灯.") == 4);
    CHECK(r.head_message() == "Register case 261102-0005AB: 路灯.\n\nAlso 4 case files an earlier "
                              "command left uncommitted.\n\n");
    CHECK(run_git(r.mb, {"show", "--name-status", "--format=", "HEAD"}).out ==
          "M\toffice/mb/cases/2026/261101-0001AB.toml\n"
          "D\toffice/mb/cases/2026/261101-0002AB.toml\n"
          "M\toffice/mb/cases/2026/261101-0003AB.toml\n"
          "A\toffice/mb/cases/2026/261102-0004AB.toml\n"
          "A\toffice/mb/cases/2026/261102-0005AB.toml\n");
    CHECK(r.status() == " M office/mb/mailbox.toml\n"
                        "A  office/mb/templates/reply.mustache\n"
                        "?? office/mb/cases/2026/notes.txt\n");
    CHECK(uncommitted_case_files(r.mb).empty());
}

TEST_CASE("with nothing of its own, a commit is only the leftovers, or none", "[git]") {
    Repo r;
    CHECK(commit_with_leftovers(r.mb, {}, "Chase 0 cases on 2026-11-20.") == 0);
    CHECK(r.commits() == 1);
    write_text(r.mb / "cases/2026/261102-0004AB.toml", "registered, never committed\n");
    CHECK(commit_with_leftovers(r.mb, {}, "Import 0 letters.") == 1);
    CHECK(r.commits() == 2);
    CHECK(r.head_message() == "Commit 1 case file an earlier command left uncommitted.\n\n");
}

TEST_CASE("a file name is never a pattern", "[git]") {
    Repo r;
    write_text(r.mb / "cases/2026/ab.report.txt", "committed\n");
    git(r.mb, {"add", "cases/2026/ab.report.txt"});
    git(r.mb, {"commit", "-q", "-m", "ab"});
    write_text(r.mb / "cases/2026/a*.report.txt", "star\n");
    write_text(r.mb / "cases/2026/ab.report.txt", "changed, not to be staged\n");
    commit_files(r.mb, {"cases/2026/a*.report.txt"}, "Star.");
    CHECK(r.status() == " M office/mb/cases/2026/ab.report.txt\n");
}

TEST_CASE("thousands of leftovers go to git through a file, not the command line", "[git]") {
    Repo r;
    // 3000 paths of 29 bytes: more than the command line is given.
    for (int i = 0; i < 3000; ++i) {
        write_text(r.mb / fmt::format("cases/2026/261103-{:04}AB.toml", i), "x\n");
    }
    CHECK(commit_with_leftovers(r.mb, {}, "") == 3000);
    CHECK(uncommitted_case_files(r.mb).empty());
    CHECK(r.status().empty());
}

TEST_CASE("a failed commit says git's reason in one line, and leaves the files", "[git]") {
    Repo r;
    write_text(r.mb / "cases/2026/261102-0004AB.toml", "new\n");
    std::string lock = run_git(r.mb, {"rev-parse", "--git-path", "index.lock"}).out;
    lock.pop_back();
    write_text(fs::path(lock).is_relative() ? r.mb / lock : fs::path(lock), "");
    try {
        commit_with_leftovers(r.mb, {"cases/2026/261102-0004AB.toml"}, "x");
        FAIL("the commit went through a held index lock");
    } catch (const SystemError& e) {
        std::string what = e.what();
        CHECK(what.starts_with("git add failed: fatal: Unable to create '"));
        CHECK(what.ends_with("index.lock': File exists"));
        CHECK(what.find('\n') == std::string::npos);
    }
    CHECK(uncommitted_case_files(r.mb) ==
          std::vector<std::string>{"cases/2026/261102-0004AB.toml"});
}

TEST_CASE("leftover messages", "[git]") {
    CHECK(leftover_message("Assign case 261101-0001AB to cgj.", 0) ==
          "Assign case 261101-0001AB to cgj.");
    CHECK(leftover_message("Assign case 261101-0001AB to cgj.", 12) ==
          "Assign case 261101-0001AB to cgj.\n\nAlso 12 case files an earlier command left "
          "uncommitted.");
    CHECK(leftover_message("", 1) == "Commit 1 case file an earlier command left uncommitted.");
}

TEST_CASE("check warns of uncommitted case files, and passes", "[git][check]") {
    Repo r;
    CHECK(check_mailbox(r.mb, true).warnings.empty());
    write_text(r.mb / "cases/2026/261101-0001AB.toml", "one, changed\n");
    CheckReport report = check_mailbox(r.mb, true);
    REQUIRE(report.warnings.size() == 1);
    CHECK(report.warnings[0].starts_with(
        "1 case file is not committed (cases/2026/261101-0001AB.toml): the next command run with "
        "--commit takes it in, or commit now with: git -C "));
    CHECK(report.warnings[0].ends_with(
        "add -A cases && git -C " + r.mb.string() +
        " commit -m 'Commit the case files left uncommitted.' -- cases"));

    // In the middle of a merge they are the merge's, for its own commit.
    std::string merge_head = run_git(r.mb, {"rev-parse", "--git-path", "MERGE_HEAD"}).out;
    merge_head.pop_back();
    write_text(fs::path(merge_head).is_relative() ? r.mb / merge_head : fs::path(merge_head),
               run_git(r.mb, {"rev-parse", "HEAD"}).out);
    CHECK(check_mailbox(r.mb, true).warnings.empty());
}
