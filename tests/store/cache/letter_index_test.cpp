#include "store/cache/database.hpp"
#include "store/cache/letter_index.hpp"
#include "store/cache/row_writer.hpp"
#include "store/casefile.hpp"
#include "store/init.hpp"
#include "test_util.hpp"
#include "util/atomic_file.hpp"

#include <catch2/catch.hpp>
#include <fcntl.h>
#include <fmt/format.h>
#include <fstream>
#include <sys/stat.h>

using namespace mailbox;
using namespace mailbox::test;
namespace fs = std::filesystem;

namespace {

struct Fixture : TempMailbox {
    // A case written straight to its file, as another clone's `git pull`
    // brings it: the letter index is not told.
    Case write(const std::string& id, const std::string& received, const std::string& email,
               const std::string& message_id = "") {
        Case c = letter(id, received);
        c.sender.email = email;
        c.content_hash = "hash-" + id;
        if (!message_id.empty()) {
            c.message_id = message_id;
        }
        m->save(c);
        return c;
    }
    // Makes every year folder look old, so that the index trusts it.
    void age_folders() {
        for (const auto& year : m->case_years()) {
            timespec times[2] = {{1'600'000'000, 0}, {1'600'000'000, 0}};
            utimensat(AT_FDCWD, (t.path() / "cases" / year).c_str(), times, 0);
        }
    }
};

} // namespace

TEST_CASE("the letter index finds letters by Message-ID, content hash and sender") {
    Fixture f;
    f.write("261101-000100", "2026-11-01T09:00:00+08:00", "wang@example.com", "<a@mail>");
    f.write("261102-000100", "2026-11-02T09:00:00+08:00", "WANG@example.com");
    f.write("261103-000100", "2026-11-03T09:00:00+08:00", "li@example.com");
    LetterIndex letters(*f.m);
    CHECK(letters.find_letter("<a@mail>", "") == "261101-000100");
    CHECK(letters.find_letter("", "hash-261103-000100") == "261103-000100");
    CHECK_FALSE(letters.find_letter("<b@mail>", "nothing"));
    CHECK(letters.sender_case_ids({"王磊", "wang@example.com", ""}) ==
          std::vector<std::string>{"261101-000100", "261102-000100"});
    auto window =
        letters.received_between(at("2026-11-02T00:00:00+08:00"), at("2026-11-03T09:00:00+08:00"));
    REQUIRE(window.size() == 2);
    CHECK(window[0].id == "261102-000100");
    CHECK(window[1].id == "261103-000100");
}

namespace {

std::int64_t letters_without_bigrams(const fs::path& root) {
    Database db(root);
    Statement s = db.prepare("SELECT count(*) FROM letters WHERE bigrams IS NULL");
    s.step();
    return s.integer(0);
}

} // namespace

TEST_CASE("a letter's bigrams are made when a window holding it is first read, and kept") {
    Fixture f;
    Case a = f.write("251101-000100", "2025-11-01T09:00:00+08:00", "wang@example.com");
    a.subject = "建设路路灯不亮";
    f.m->save(a);
    Case b = f.write("251102-000100", "2025-11-02T09:00:00+08:00", "li@example.com");
    Case c = f.write("251120-000100", "2025-11-20T09:00:00+08:00", "zhao@example.com");
    // Received today: within the window today's letters are compared with.
    Case today = f.letter("261201-000100", "2026-12-01T09:00:00+08:00");
    today.received = from_epoch_seconds(std::chrono::duration_cast<std::chrono::seconds>(
                                            std::chrono::system_clock::now().time_since_epoch())
                                            .count(),
                                        std::chrono::hours{8});
    f.m->save(today);
    LetterIndex letters(*f.m);
    // Read from their files, as a cold start or a pull brings them: only
    // today's has its bigrams yet.
    CHECK(letters_without_bigrams(f.t.path()) == 3);

    auto window =
        letters.received_between(at("2025-11-01T00:00:00+08:00"), at("2025-11-02T23:00:00+08:00"));
    REQUIRE(window.size() == 2);
    CHECK(window[0].bigrams == letter_bigrams(a.subject, a.body));
    CHECK(window[1].bigrams == letter_bigrams(b.subject, b.body));
    CHECK(letters_without_bigrams(f.t.path()) == 1); // the letter out of the window

    PackedLetters packed;
    letters.received_between(at("2025-11-01T00:00:00+08:00"), at("2025-11-30T00:00:00+08:00"),
                             packed);
    REQUIRE(packed.size() == 3);
    CHECK(letters_without_bigrams(f.t.path()) == 0);
    Bigrams first(packed.bigrams(0).begin(), packed.bigrams(0).end());
    CHECK(first == letter_bigrams(a.subject, a.body));
    // Made as the packed window met it, then read with the others.
    Bigrams third(packed.bigrams(2).begin(), packed.bigrams(2).end());
    CHECK(third == letter_bigrams(c.subject, c.body));
    CHECK(packed.id(2) == c.id);
    CHECK(letters.find(today.id)->bigrams == letter_bigrams(today.subject, today.body));
}

TEST_CASE("a cold read makes bigrams by the newest case of all, not of each chunk it parses") {
    Fixture f;
    // More old letters than one chunk of the cold read (k_files_at_once),
    // written straight to their files, then the newest case.
    fs::create_directories(f.t.path() / "cases/2025");
    std::size_t old = k_files_at_once + 1;
    for (std::size_t i = 0; i < old; ++i) {
        Case c = f.letter(fmt::format("250301-{:06}", i), "2025-03-01T09:00:00+08:00");
        std::ofstream(f.t.path() / "cases/2025" / (c.id + ".toml")) << write_case(c);
    }
    f.m->save(f.letter("261201-000100", "2026-12-01T09:00:00+08:00"));
    LetterIndex letters(*f.m);
    CHECK(letters_without_bigrams(f.t.path()) == static_cast<std::int64_t>(old));
}

TEST_CASE("a letter whose file is gone when its window is read has no bigrams, and no error") {
    Fixture f;
    f.write("251101-000100", "2025-11-01T09:00:00+08:00", "wang@example.com");
    f.write("261201-000100", "2026-12-01T09:00:00+08:00", "li@example.com"); // the newest
    LetterIndex letters(*f.m);
    fs::remove(f.t.path() / "cases/2025/251101-000100.toml");
    auto window =
        letters.received_between(at("2025-11-01T00:00:00+08:00"), at("2025-11-02T00:00:00+08:00"));
    REQUIRE(window.size() == 1);
    CHECK(window[0].bigrams.empty());
    // The next command sees the file gone.
    CHECK(LetterIndex(*f.m)
              .received_between(at("2025-11-01T00:00:00+08:00"), at("2025-11-02T00:00:00+08:00"))
              .empty());
}

TEST_CASE("a sender's other letters are counted one way, for one case and for all at once") {
    Fixture f;
    Case a = f.write("261101-000100", "2026-11-01T09:00:00+08:00", "wang@example.com");
    Case b = f.write("261102-000100", "2026-11-02T09:00:00+08:00", " WANG@example.com ");
    Case c = f.letter("261103-000100", "2026-11-03T09:00:00+08:00");
    c.sender.email = "wang@example.com";
    c.sender.phone = "13800138000";
    f.m->save(c);
    Case d = f.letter("261104-000100", "2026-11-04T09:00:00+08:00");
    d.sender.phone = "138 0013 8000";
    f.m->save(d);
    f.write("261105-000100", "2026-11-05T09:00:00+08:00", "li@example.com");
    LetterIndex letters(*f.m);
    std::unordered_map<std::string, int> counts = letters.other_letter_counts();
    for (const Case& x : {a, b, c, d}) {
        INFO(x.id);
        CHECK(counts.at(x.id) == static_cast<int>(letters.other_letters(x).size()));
    }
    // c shares an e-mail with a and b and a phone with d: each counted once
    CHECK(counts.at(c.id) == 3);
    CHECK(counts.at(a.id) == 2);
    CHECK(counts.at(d.id) == 1);
    CHECK(counts.at("261105-000100") == 0);
    CHECK(letters.other_letters(d) == std::vector<std::string>{c.id});
}

TEST_CASE("the letter index sees cases added and removed behind its back") {
    Fixture f;
    f.write("261101-000100", "2026-11-01T09:00:00+08:00", "wang@example.com");
    f.age_folders();
    LetterIndex{*f.m};
    REQUIRE(fs::exists(f.t.path() / ".mailbox/mailbox.db"));

    f.write("261105-000100", "2026-11-05T09:00:00+08:00", "wang@example.com");
    fs::remove(f.t.path() / "cases/2026/261101-000100.toml");
    f.write("270102-000100", "2027-01-02T09:00:00+08:00", "wang@example.com");
    LetterIndex letters(*f.m);
    CHECK(letters.sender_case_ids({"王磊", "wang@example.com", ""}) ==
          std::vector<std::string>{"261105-000100", "270102-000100"});
    CHECK_FALSE(letters.find("261101-000100"));

    fs::remove_all(f.t.path() / "cases/2027");
    CHECK_FALSE(LetterIndex(*f.m).find("270102-000100"));
}

TEST_CASE("the letter index trusts a folder that has not changed") {
    Fixture f;
    f.write("261101-000100", "2026-11-01T09:00:00+08:00", "wang@example.com");
    f.age_folders();
    LetterIndex{*f.m}; // built from the case files, the folders' times kept
    // Rewriting a file in place leaves its folder's time alone: the index
    // still says what it said (a hand edit is seen after list or check).
    std::string path = (f.t.path() / "cases/2026/261101-000100.toml").string();
    std::string text = read_file(path);
    text.replace(text.find("wang@"), 5, "zhao@");
    int fd = open(path.c_str(), O_WRONLY | O_TRUNC);
    REQUIRE(write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()));
    close(fd);
    f.age_folders();
    CHECK(LetterIndex(*f.m).find("261101-000100")->sender_keys ==
          std::vector<std::string>{"e:wang@example.com"});
}

TEST_CASE("a damaged, truncated or missing cache is made again from the case files") {
    Fixture f;
    f.write("261101-000100", "2026-11-01T09:00:00+08:00", "wang@example.com", "<a@mail>");
    fs::path db = f.t.path() / ".mailbox/mailbox.db";
    write_text(db, "garbage\n");
    CHECK(LetterIndex(*f.m).find_letter("<a@mail>", "") == "261101-000100");
    fs::remove(db);
    CHECK(LetterIndex(*f.m).find("261101-000100"));
    REQUIRE(fs::exists(db));
    // Cut short past its first page: damage found only once a page is read.
    for (int i = 0; i < 40; ++i) {
        f.write(fmt::format("261102-{:06}", i), "2026-11-02T09:00:00+08:00",
                fmt::format("li{}@example.com", i));
    }
    LetterIndex{*f.m};
    for (const char* suffix : {"-wal", "-shm"}) {
        fs::remove(db.string() + suffix);
    }
    fs::resize_file(db, fs::file_size(db) / 2);
    CHECK(LetterIndex(*f.m).find_letter("<a@mail>", "") == "261101-000100");
    CHECK(LetterIndex(*f.m).sender_case_ids({"", "li7@example.com", ""}) ==
          std::vector<std::string>{"261102-000007"});
}

TEST_CASE("the letter index reads again a case rewritten by an editor or git") {
    Fixture f;
    f.write("261101-000100", "2026-11-01T09:00:00+08:00", "wang@example.com");
    f.age_folders();
    LetterIndex{*f.m};
    // Written to a new file and renamed over the old, as editors and git do:
    // the folder's time changes, and the file's stamp tells which one.
    Case c = f.m->load("261101-000100");
    c.sender.email = "zhao@example.com";
    f.m->save(c);
    CHECK(LetterIndex(*f.m).find("261101-000100")->sender_keys ==
          std::vector<std::string>{"e:zhao@example.com"});
}

TEST_CASE("a case written with the index open leaves its folder listed for the next command") {
    Fixture f;
    f.write("261101-000100", "2026-11-01T09:00:00+08:00", "wang@example.com");
    f.age_folders();
    CHECK(LetterIndex(*f.m).folders_listed() == 1); // never listed before
    CHECK(LetterIndex(*f.m).folders_listed() == 0);
    {
        LetterIndex letters(*f.m);
        Case c = f.letter("261102-000100", "2026-11-02T09:00:00+08:00");
        f.m->save(c);
        letters.add_written(c);
    }
    LetterIndex next(*f.m);
    CHECK(next.folders_listed() == 0);
    CHECK(next.find("261102-000100"));
    // Written behind its back: listed again.
    f.write("261103-000100", "2026-11-03T09:00:00+08:00", "li@example.com");
    LetterIndex after(*f.m);
    CHECK(after.folders_listed() == 1);
    CHECK(after.find("261103-000100"));
}

TEST_CASE("cases saved through the index leave their folder listed for the next command") {
    Fixture f;
    f.write("261101-000100", "2026-11-01T09:00:00+08:00", "wang@example.com");
    f.age_folders();
    CHECK(LetterIndex(*f.m).folders_listed() == 1);
    {
        LetterIndex letters(*f.m);
        Case c = f.m->load("261101-000100");
        c.sender.email = "zhao@example.com";
        letters.save({c, f.letter("261102-000100", "2026-11-02T09:00:00+08:00")});
    }
    LetterIndex next(*f.m);
    CHECK(next.folders_listed() == 0);
    CHECK(next.find("261101-000100")->sender_keys ==
          std::vector<std::string>{"e:zhao@example.com"});
    CHECK(next.find("261102-000100"));
}

TEST_CASE("a dry run's cases are found by id, Message-ID and content hash, as written ones") {
    Fixture f;
    LetterIndex letters(*f.m);
    Case a = f.letter("261102-000100", "2026-11-02T09:00:00+08:00");
    a.message_id = "<a@example.com>";
    a.content_hash = "h-a";
    letters.add_unwritten(a); // kept in memory for this run
    CHECK(letters.find_letter("<a@example.com>", "") == "261102-000100");
    CHECK(letters.find_letter("", "h-a") == "261102-000100");
    CHECK(letters.find("261102-000100"));
    // Added again with other keys: the old ones no longer find it.
    a.message_id = "<a2@example.com>";
    letters.add_unwritten(a);
    CHECK_FALSE(letters.find_letter("<a@example.com>", ""));
    CHECK(letters.find_letter("<a2@example.com>", "") == "261102-000100");
    // Two holding one hash: the lower id, as a scan in id order finds.
    Case b = f.letter("261101-000100", "2026-11-01T09:00:00+08:00");
    b.content_hash = "h-a";
    letters.add_unwritten(b);
    CHECK(letters.find_letter("", "h-a") == "261101-000100");
}

TEST_CASE("a case a dry run changed is seen by that run only: its row stays as its file is") {
    Fixture f;
    f.write("261101-000100", "2026-11-01T09:00:00+08:00", "wang@example.com");
    // Older than the cache's racy window: its row is trusted from now on.
    timespec old[2] = {{1'600'000'000, 0}, {1'600'000'000, 0}};
    utimensat(AT_FDCWD, f.m->absolute(f.m->case_path("261101-000100")).c_str(), old, 0);
    f.age_folders();
    {
        LetterIndex letters(*f.m);
        Case c = f.m->load("261101-000100");
        c.sender.email = "zhao@example.com";
        letters.add_unwritten(c);
        CHECK(letters.find("261101-000100")->sender_keys ==
              std::vector<std::string>{"e:zhao@example.com"});
    }
    CHECK(LetterIndex(*f.m).find("261101-000100")->sender_keys ==
          std::vector<std::string>{"e:wang@example.com"});
}

TEST_CASE("a group is followed through the rows the cache vouches for, and a file changed since "
          "through the file") {
    Fixture f;
    Case a = f.letter("261101-000100", "2026-11-01T09:00:00+08:00");
    Case b = f.letter("261102-000100", "2026-11-02T09:00:00+08:00");
    Case c = f.letter("261103-000100", "2026-11-03T09:00:00+08:00");
    Case d = f.letter("261104-000100", "2026-11-04T09:00:00+08:00");
    a.group = {b.id}; // a star round b, as intake writes one
    b.group = {a.id, c.id};
    c.group = {b.id};
    d.group.clear();
    f.m->save_all({a, b, c, d});
    // Files written a minute before the rows: trusted, not racily clean.
    auto age = [&](const Case& x) {
        timespec times[2];
        clock_gettime(CLOCK_REALTIME, &times[0]);
        times[0].tv_sec -= 60;
        times[1] = times[0];
        utimensat(AT_FDCWD, f.m->absolute(f.m->case_path(x.id)).c_str(), times, 0);
    };
    for (const Case& x : {a, b, c, d}) {
        age(x);
    }
    f.age_folders();
    CHECK(LetterIndex(*f.m).group_of(a) == std::vector<std::string>{b.id, c.id});
    CHECK(LetterIndex(*f.m).group_of(d).empty());

    // A hand edit in place (the folder unchanged): the row no longer vouches
    // for c, its file says.
    c.group.push_back(d.id);
    std::ofstream(f.m->absolute(f.m->case_path(c.id)), std::ios::trunc) << write_case(c);
    age(c);
    f.age_folders();
    CHECK(LetterIndex(*f.m).group_of(a) == std::vector<std::string>{b.id, c.id, d.id});
    // d names no one, and c's row, which no longer vouches for its file,
    // does not name d: seen from d, the link written in place into c waits
    // for c's row to be read again (every whole-mailbox command stats every
    // file; one case's group does not).
    CHECK(LetterIndex(*f.m).group_of(d).empty());

    // A member gone: still named, and the cases naming it still one group,
    // as list joins them.
    fs::remove(f.m->absolute(f.m->case_path(b.id)));
    CHECK(LetterIndex(*f.m).group_of(a) == std::vector<std::string>{b.id, c.id, d.id});
    CHECK(LetterIndex(*f.m).group_of(c) == std::vector<std::string>{a.id, b.id, d.id});
}

TEST_CASE("a link one case names and the other does not joins both, seen from either") {
    Fixture f;
    Case a = f.letter("261101-000100", "2026-11-01T09:00:00+08:00");
    Case b = f.letter("261102-000100", "2026-11-02T09:00:00+08:00");
    a.group = {b.id}; // b does not name a: a hand edit, or a merge (check reports it)
    f.m->save_all({a, b});
    CHECK(LetterIndex(*f.m).group_of(a) == std::vector<std::string>{b.id});
    CHECK(LetterIndex(*f.m).group_of(b) == std::vector<std::string>{a.id});
    // A command's own cases, written or not, count as they are held.
    Case held_b = b;
    held_b.group = {a.id};
    Case held_a = a;
    held_a.group.clear();
    CHECK(LetterIndex(*f.m).group_of(held_a, {held_b}) == std::vector<std::string>{b.id});
    CHECK(LetterIndex(*f.m).group_of(b, {held_a}).empty());
}

TEST_CASE("the rows of an import's held letters keep the bigrams they were matched on") {
    Fixture f;
    Case a = f.letter("261101-000100", "2026-11-01T09:00:00+08:00");
    a.subject = "建设路路灯不亮";
    a.body = "晚上路灯一直不亮，请尽快修理。";
    Case b = f.letter("261101-000200", "2026-11-01T10:00:00+08:00");
    b.subject = "噪音扰民";
    b.body = "工地夜间施工。";
    {
        LetterIndex letters(*f.m);
        letters.add_unwritten(a, letter_bigrams(a.subject, a.body));
        letters.add_unwritten(b); // made here
        f.m->save_new({a, b}, {});
        letters.index_new({a, b}, {});
    }
    auto window = LetterIndex(*f.m).received_between(at("2026-11-01T00:00:00+08:00"),
                                                     at("2026-11-02T00:00:00+08:00"));
    REQUIRE(window.size() == 2);
    CHECK(window[0].bigrams == letter_bigrams(a.subject, a.body));
    CHECK(window[1].bigrams == letter_bigrams(b.subject, b.body));
    CHECK(letters_without_bigrams(f.t.path()) == 0);
}
