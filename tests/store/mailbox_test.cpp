#include "intake/intake.hpp"
#include "model/case_id.hpp"
#include "store/casefile.hpp"
#include "store/init.hpp"
#include "store/lock.hpp"
#include "store/mailbox.hpp"
#include "test_util.hpp"
#include "util/atomic_file.hpp"

#include <catch2/catch.hpp>

using namespace mailbox;
using namespace mailbox::test;
namespace fs = std::filesystem;

namespace {

Context context_at(const fs::path& root, const std::string& iso) {
    Timestamp now = at(iso);
    return Context{root, "李明", now, now.day()};
}

Letter letter(const std::string& subject) {
    Letter l;
    l.subject = subject;
    l.sender = {"张三", "zs@example.com", ""};
    l.body = "正文：" + subject + "\r\n第二行\r\n\r\n";
    return l;
}

} // namespace

TEST_CASE("the mailbox is found like git finds a repository") {
    TempDir t;
    init_mailbox(t.path(), false);
    fs::create_directories(t.path() / "cases" / "2026");
    CHECK(find_mailbox(std::nullopt, std::nullopt, t.path() / "cases" / "2026") == t.path());
    CHECK(find_mailbox(t.path(), std::nullopt, "/") == t.path());
    CHECK(find_mailbox(std::nullopt, t.path().string(), "/") == t.path());
    CHECK_THROWS_AS(find_mailbox(std::nullopt, std::nullopt, "/"), UsageError);
    // -C as git's: a folder inside the mailbox finds it above.
    CHECK(fs::equivalent(find_mailbox(t.path() / "cases" / "2026", std::nullopt, "/"), t.path()));
    CHECK(fs::equivalent(t.path() / find_mailbox(fs::path("cases/2026"), std::nullopt, t.path()),
                         t.path()));
    CHECK_THROWS_AS(find_mailbox(t.path().parent_path(), std::nullopt, "/"), UsageError);
    CHECK_THROWS_AS(find_mailbox(std::nullopt, (t.path() / "cases").string(), "/"), UsageError);
}

TEST_CASE("init refuses to overwrite a mailbox") {
    TempDir t;
    init_mailbox(t.path(), false);
    CHECK(read_file(t.path() / ".gitignore").find(".mailbox/") != std::string::npos);
    write_text(t.path() / "mailbox.toml", "# mine\n");
    CHECK_THROWS_AS(init_mailbox(t.path(), false), UsageError);
    CHECK(read_file(t.path() / "mailbox.toml") == "# mine\n");
}

TEST_CASE("registered letters get increasing ids and tidy text") {
    TempDir t;
    init_mailbox(t.path(), false);
    write_text(t.path() / ".mailbox" / "station", "ab\n");
    Mailbox m(t.path());
    Context ctx = context_at(t.path(), "2026-11-25T09:30:00+08:00");
    Case a = register_letter(m, ctx, letter("一"), false);
    Case b = register_letter(m, ctx, letter("二"), false);
    CHECK(a.id == "261125-ADZGAB"); // 9:30 is tenth 342000 = A,D,Z,G in base 32
    CHECK(a.id < b.id);
    CHECK(b.id.substr(11) == "AB");
    Case loaded = m.load(a.id);
    CHECK(loaded.body == "正文：一\n第二行\n");
    REQUIRE_FALSE(loaded.history.empty());
    CHECK(loaded.history[0].action == Action::received);
    CHECK(loaded.history[0].by == "李明");
    CHECK(fs::exists(t.path() / "cases" / "2026" / (a.id + ".toml")));
}

TEST_CASE("a dry run writes nothing") {
    TempDir t;
    init_mailbox(t.path(), false);
    Mailbox m(t.path());
    Case c =
        register_letter(m, context_at(t.path(), "2026-11-25T09:30:00+08:00"), letter("一"), true);
    CHECK(parse_case_id(c.id));
    CHECK_FALSE(fs::exists(t.path() / "cases" / "2026"));
    CHECK_FALSE(fs::exists(t.path() / ".mailbox" / "station"));
}

TEST_CASE("bad letters are refused before an id is taken") {
    TempDir t;
    init_mailbox(t.path(), false);
    Mailbox m(t.path());
    Context ctx = context_at(t.path(), "2026-11-25T09:30:00+08:00");
    Letter bad = letter("一");
    bad.body = "ok \xC3\x28 bad";
    CHECK_THROWS_WITH(register_letter(m, ctx, bad, false),
                      "the body is not valid UTF-8 (at byte 3)");
    Letter nameless = letter("一");
    nameless.sender.name = "\r\n";
    CHECK_THROWS_AS(register_letter(m, ctx, nameless, false), UsageError);
    CHECK_FALSE(fs::exists(t.path() / "cases" / "2026"));
}

TEST_CASE("a sender's name with CR/LF becomes one line") {
    TempDir t;
    init_mailbox(t.path(), false);
    Mailbox m(t.path());
    Letter l = letter("一");
    l.sender.name = "张三\r\nBcc: x@example.com";
    Case c = register_letter(m, context_at(t.path(), "2026-11-25T09:30:00+08:00"), l, false);
    CHECK(c.sender.name == "张三  Bcc: x@example.com");
}

TEST_CASE("ids resolve from unique prefixes or the part after the date, in any case") {
    TempDir t;
    init_mailbox(t.path(), false);
    write_text(t.path() / ".mailbox" / "station", "AB\n");
    Mailbox m(t.path());
    Case a =
        register_letter(m, context_at(t.path(), "2026-11-25T09:30:00+08:00"), letter("一"), false);
    Case b =
        register_letter(m, context_at(t.path(), "2026-11-26T15:00:00+08:00"), letter("二"), false);
    CHECK(m.resolve_id(a.id) == a.id);
    CHECK(m.resolve_id("261126") == b.id);
    CHECK(m.resolve_id("261125-adz") == a.id);
    CHECK_THROWS_WITH(m.resolve_id("2611"), Catch::Contains("ambiguous: 2 cases match"));
    CHECK_THROWS_WITH(m.resolve_id("2612"), "no case matches '2612'");
    CHECK_THROWS_AS(m.resolve_id("../../etc/passwd"), UsageError);
    CHECK_THROWS_AS(m.load("../x"), UsageError);
    // The part after the date, as typed: a.id is 261125-ADZGAB-like.
    std::string after_a = a.id.substr(7, 4), after_b = b.id.substr(7, 4);
    INFO(a.id << " " << b.id);
    REQUIRE(after_a != after_b);
    CHECK(m.resolve_id(after_a) == a.id);
    CHECK(m.resolve_id(after_b) == b.id);
    std::string lower = after_b;
    for (char& ch : lower) {
        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    }
    CHECK(m.resolve_id(lower) == b.id);
    CHECK_THROWS_WITH(m.resolve_id("ZZZZ"), "no case matches 'ZZZZ'");
}

TEST_CASE("the lock is exclusive and names its holder") {
    TempDir t;
    init_mailbox(t.path(), false);
    MailboxLock held(t.path(), std::chrono::milliseconds(0));
    CHECK_THROWS_WITH(
        MailboxLock(t.path(), std::chrono::milliseconds(100)),
        Catch::StartsWith("the mailbox is locked by process " + std::to_string(getpid())));
}

TEST_CASE("an atomic file that is never committed leaves the old file whole") {
    TempDir t;
    fs::path p = t.path() / "a.toml";
    write_text(p, "old\n");
    {
        AtomicFile f(p);
        f.write("new, half written");
    }
    CHECK(read_file(p) == "old\n");
    CHECK(std::distance(fs::directory_iterator(t.path()), fs::directory_iterator{}) == 1);
    write_file_atomically(p, "new\n");
    CHECK(read_file(p) == "new\n");
}

TEST_CASE("a file written without waiting for the disk is still replaced whole or not at all") {
    TempDir t;
    fs::path p = t.path() / "last-id";
    write_text(p, "261125-0001AB\n");
    for (int call = 1;; ++call) {
        FileFaults faults;
        faults.fail_at = call;
        ScopedFileFaults scoped(faults);
        try {
            write_file_unsynced(p, "261125-0002AB\n");
        } catch (const SystemError&) {
            INFO("failing at call " << call);
            CHECK(read_file(p) == "261125-0001AB\n");
            CHECK(std::distance(fs::directory_iterator(t.path()), fs::directory_iterator{}) == 1);
            continue;
        }
        CHECK(faults.calls < call); // ran through: no call was left to fail
        break;
    }
    CHECK(read_file(p) == "261125-0002AB\n");
    CHECK(std::distance(fs::directory_iterator(t.path()), fs::directory_iterator{}) == 1);
}

TEST_CASE("files written as one change: a file that cannot be written changes none") {
    TempDir t;
    fs::path a = t.path() / "a.toml", b = t.path() / "b.toml";
    write_text(a, "old a\n");
    write_text(b, "old b\n");
    CHECK_THROWS_AS(write_files_atomically({{a, "new a\n"}, {t.path() / "gone/c.toml", "c\n"}}),
                    SystemError);
    CHECK(read_file(a) == "old a\n");
    CHECK(std::distance(fs::directory_iterator(t.path()), fs::directory_iterator{}) == 2);
    write_files_atomically({{a, "new a\n"}, {b, "new b\n"}});
    CHECK(read_file(a) == "new a\n");
    CHECK(read_file(b) == "new b\n");
}

TEST_CASE("a new case file never replaces another, and is written before what links to it") {
    TempMailbox tm;
    Case first = tm.letter("261125-0001AB", "2026-11-25T09:00:00+08:00");
    tm.m->save_new(first);
    Case other = tm.letter("261125-0001AB", "2026-11-25T09:00:00+08:00");
    other.subject = "另一封信";
    // Two writers that drew one id (a lock lost with a deleted .mailbox/).
    CHECK_THROWS_AS(tm.m->save_new(other), FileExists);
    CHECK(tm.m->load("261125-0001AB").subject == first.subject);
    CHECK(std::distance(fs::directory_iterator(tm.t.path() / "cases" / "2026"),
                        fs::directory_iterator{}) == 1);

    // The link to a new case goes in only with the case itself.
    Case linked = tm.m->load("261125-0001AB");
    linked.group = {"261125-0002AB"};
    Case fresh = tm.letter("261125-0002AB", "2026-11-25T09:10:00+08:00");
    fresh.group = {"261125-0001AB"};
    tm.m->save_new(fresh, {linked});
    CHECK(tm.m->load("261125-0001AB").group == std::vector<std::string>{"261125-0002AB"});
    CHECK_THROWS_AS(tm.m->save_new(fresh, {linked}), FileExists);
}
