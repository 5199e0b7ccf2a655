#include "intake/intake.hpp"
#include "model/case_id.hpp"
#include "store/cache/case_index.hpp"
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
#include <map>
#include <sqlite3.h>
#include <sys/stat.h>

using namespace mailbox;
using namespace mailbox::test;
namespace fs = std::filesystem;

namespace {

// Sets a file's times `seconds` from now (nanoseconds kept, or zero).
void age(const fs::path& p, int seconds, bool whole = false) {
    struct timespec times[2];
    clock_gettime(CLOCK_REALTIME, &times[0]);
    times[0].tv_sec += seconds;
    if (whole) {
        times[0].tv_nsec = 0;
    } else if (times[0].tv_nsec == 0) {
        times[0].tv_nsec = 1; // a whole second by chance
    }
    times[1] = times[0];
    utimensat(AT_FDCWD, p.c_str(), times, 0);
}

// Files written a minute ago are past the cache's "racily clean" window.
void age(const fs::path& p) {
    age(p, -60);
}

struct Fixture {
    TempDir t;
    std::vector<std::string> ids;

    explicit Fixture(int n) {
        init_mailbox(t.path(), false);
        Mailbox m(t.path());
        for (int i = 0; i < n; ++i) {
            Timestamp now = at("2026-11-25T09:30:00+08:00");
            Letter l;
            l.subject = "来信 " + std::to_string(i);
            l.sender = {"张三", "", ""};
            l.body = "正文";
            ids.push_back(register_letter(m, {t.path(), "李明", now, now.day()}, l, false).id);
        }
        for (const auto& f : m.case_files()) {
            age(t.path() / f.path);
        }
    }
    fs::path file(std::size_t i) const { return t.path() / Mailbox(t.path()).case_path(ids[i]); }
};

} // namespace

TEST_CASE("the second load parses nothing, a changed file is parsed again") {
    Fixture fx(5);
    Mailbox m(fx.t.path());
    IndexStats s1, s2, s3;
    auto first = load_case_index(m, &s1);
    CHECK(s1.files == 5);
    CHECK(s1.parsed == 5);
    auto second = load_case_index(m, &s2);
    CHECK(s2.parsed == 0);
    REQUIRE(second.size() == 5);
    CHECK(second[2].summary->subject == "来信 2");

    Case c = m.load(fx.ids[2]);
    c.subject = "改过的主题";
    m.save(c);
    auto third = load_case_index(m, &s3);
    CHECK(s3.parsed == 1);
    CHECK(third[2].summary->subject == "改过的主题");
}

TEST_CASE("a damaged, truncated, foreign or other-version cache is made again, never trusted") {
    Fixture fx(3);
    Mailbox m(fx.t.path());
    fs::path cache = fx.t.path() / ".mailbox" / "mailbox.db";
    auto spoil = [&](const char* sql) {
        load_case_index(m);
        REQUIRE(fs::exists(cache));
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open(cache.c_str(), &db) == SQLITE_OK);
        sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
        sqlite3_close(db);
    };
    SECTION("another version") {
        spoil("PRAGMA user_version = 99");
    }
    SECTION("another program's") {
        spoil("PRAGMA application_id = 7");
    }
    SECTION("rows that do not decode") {
        spoil("UPDATE cases SET entry = x'ff'");
    }
    SECTION("garbage") {
        write_text(cache, "not a database");
    }
    SECTION("cut short") {
        spoil("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE");
        fs::resize_file(cache, fs::file_size(cache) / 2);
    }
    IndexStats s;
    auto entries = load_case_index(m, &s);
    CHECK(s.parsed == 3);
    REQUIRE(entries.size() == 3);
    CHECK(entries[2].summary->subject == "来信 2");
    IndexStats again;
    load_case_index(m, &again);
    CHECK(again.parsed == 0); // made again, then trusted
}

TEST_CASE("a broken case file is kept as its problems, and read again to tell them") {
    Fixture fx(2);
    Mailbox m(fx.t.path());
    write_text(fx.file(1), "id = \"oops\n");
    age(fx.file(1));
    IndexStats s1, s2;
    auto entries = load_case_index(m, &s1);
    REQUIRE(entries.size() == 2);
    CHECK_FALSE(entries[1].summary);
    REQUIRE(entries[1].problems.size() == 1);
    CHECK(entries[1].problems[0].position.line == 1);
    auto again = load_case_index(m, &s2);
    // In the words of this reader's language, not of the one that stored it;
    // its row stays, and the good file is read from the cache.
    CHECK(s2.parsed == 1);
    CHECK(again[1].problems.size() == 1);
    CHECK(std::string(again[1].problems[0].what())
              .starts_with("cases/2026/" + fx.ids[1] + ".toml:1:"));
}

TEST_CASE("a file is settled a tenth of a second after its time, two seconds when its time is "
          "of whole seconds") {
    constexpr std::int64_t s = 1'000'000'000, ms = 1'000'000;
    std::int64_t mtime = 1'700'000'000 * s + 250 * ms;
    std::int64_t at = mtime / ms; // the same millisecond
    CHECK_FALSE(settled(mtime, at));
    CHECK_FALSE(settled(mtime, at + 100));
    CHECK(settled(mtime, at + 101));
    CHECK_FALSE(settled(mtime, at - 5000)); // a time ahead of the clock
    std::int64_t whole = 1'700'000'000 * s;
    CHECK_FALSE(settled(whole, whole / ms + 1000));
    CHECK_FALSE(settled(whole, whole / ms + 2000));
    CHECK(settled(whole, whole / ms + 2001));
}

TEST_CASE("a file changed a second before it was read is trusted the next time, one ahead of "
          "the clock never") {
    Fixture fx(3);
    Mailbox m(fx.t.path());
    load_case_index(m);
    Case c = m.load(fx.ids[1]);
    c.subject = "改过的主题";
    m.save(c);
    age(fx.file(1), -1);
    Case d = m.load(fx.ids[2]);
    d.subject = "明天的主题";
    m.save(d);
    age(fx.file(2), 3600);
    IndexStats first, second;
    load_case_index(m, &first);
    CHECK(first.parsed == 2);
    auto entries = load_case_index(m, &second);
    CHECK(second.parsed == 1); // the file of tomorrow
    CHECK(entries[1].summary->subject == "改过的主题");
    CHECK(entries[2].summary->subject == "明天的主题");
}

TEST_CASE("deleted and added files are noticed") {
    Fixture fx(3);
    Mailbox m(fx.t.path());
    load_case_index(m);
    fs::remove(fx.file(0));
    auto entries = load_case_index(m);
    CHECK(entries.size() == 2);
}

TEST_CASE("a mailbox of more files than the cold read takes at once is read and stored whole") {
    Fixture fx(1);
    Mailbox m(fx.t.path());
    Case c = m.load(fx.ids[0]);
    std::string station = c.id.substr(11);
    const int n = 4200; // over one chunk of 4096
    for (int i = 1; i < n; ++i) {
        c.id = "261125-" + crockford(1000 + static_cast<std::uint64_t>(i), 4) + station;
        c.subject = "来信 " + std::to_string(i);
        fs::path file = fx.t.path() / m.case_path(c.id);
        write_text(file, write_case(c));
        age(file);
    }
    IndexStats cold_stats, warm_stats;
    auto cold = load_case_index(m, &cold_stats);
    CHECK(cold_stats.parsed == n);
    auto warm = load_case_index(m, &warm_stats);
    CHECK(warm_stats.parsed == 0);
    REQUIRE(cold.size() == static_cast<std::size_t>(n));
    REQUIRE(warm.size() == cold.size());
    for (std::size_t i = 0; i < cold.size(); ++i) {
        REQUIRE(cold[i].summary);
        REQUIRE(warm[i].summary);
        CHECK(warm[i].summary->id == cold[i].summary->id);
        CHECK(warm[i].summary->subject == cold[i].summary->subject);
    }
}

TEST_CASE("a scan stores the rows of changed files before handing out any entry") {
    // list counts each sender's other letters from the cache's sender keys
    // between the scan and its entries: the keys must already be current.
    Fixture fx(3);
    Mailbox m(fx.t.path());
    load_case_index(m);
    for (std::size_t i : {0, 2}) {
        std::string text = read_file(fx.file(i));
        std::size_t at = text.find("sender.name");
        REQUIRE(at != std::string::npos);
        text.insert(at, "sender.email = \"wang@example.com\"\n");
        std::ofstream(fx.file(i), std::ios::trunc) << text; // in place: the folder's time stays
        age(fx.file(i));
    }
    CaseScan scan(m);
    CHECK(scan.stats().parsed == 2);
    std::unordered_map<std::string, int> counts = LetterIndex(m).other_letter_counts();
    CHECK(counts[fx.ids[0]] == 1);
    CHECK(counts[fx.ids[2]] == 1);
    std::vector<std::string> seen;
    scan.each([&](IndexEntry& e) {
        REQUIRE(e.summary);
        seen.push_back(e.summary->sender.email);
    });
    CHECK(seen == std::vector<std::string>{"wang@example.com", "", "wang@example.com"});
}

TEST_CASE("each row carries its sender's count of other letters as cases come change and go") {
    Fixture fx(3); // all from 张三, known by name alone
    Mailbox m(fx.t.path());
    auto seen = [&] {
        std::map<std::string, int> counts;
        CaseScan(m).each([&](IndexEntry& e) { counts[e.id] = e.sender_cases; });
        std::unordered_map<std::string, int> counted = LetterIndex(m).other_letter_counts();
        for (const auto& [id, n] : counts) {
            INFO(id);
            CHECK(n == (counted.count(id) ? counted.at(id) : 0));
        }
        return counts;
    };
    CHECK(seen() == std::map<std::string, int>{{fx.ids[0], 2}, {fx.ids[1], 2}, {fx.ids[2], 2}});
    // An e-mail of their own: no longer known by name, no longer the same sender.
    std::string text = read_file(fx.file(0));
    text.insert(text.find("sender.name"), "sender.email = \"wang@example.com\"\n");
    std::ofstream(fx.file(0), std::ios::trunc) << text;
    age(fx.file(0));
    CHECK(seen() == std::map<std::string, int>{{fx.ids[0], 0}, {fx.ids[1], 1}, {fx.ids[2], 1}});
    fs::remove(fx.file(2));
    CHECK(seen() == std::map<std::string, int>{{fx.ids[0], 0}, {fx.ids[1], 0}});
    Timestamp now = at("2026-11-26T09:30:00+08:00");
    Letter l;
    l.subject = "再次来信";
    l.sender = {"张三", "", ""};
    l.body = "正文";
    std::string id = register_letter(m, {fx.t.path(), "李明", now, now.day()}, l, false).id;
    CHECK(seen() == std::map<std::string, int>{{fx.ids[0], 0}, {fx.ids[1], 1}, {id, 1}});
}

TEST_CASE("the counts of many senders at once are those of one at a time") {
    TempDir t;
    init_mailbox(t.path(), false);
    Mailbox m(t.path());
    constexpr int k_senders = 520; // past the writer's "few": counted all at once
    std::vector<Case> cases;
    for (int i = 0; i < 2 * k_senders; ++i) {
        Case c = full_case();
        c.id = fmt::format("261125-{:06}", i);
        c.group.clear();
        c.sender = {"市民" + std::to_string(i % k_senders), "", ""};
        cases.push_back(c);
    }
    m.save_all(cases);
    std::map<std::string, int> counts;
    CaseScan(m).each([&](IndexEntry& e) { counts[e.id] = e.sender_cases; });
    REQUIRE(counts.size() == cases.size());
    CHECK(std::all_of(counts.begin(), counts.end(), [](const auto& c) { return c.second == 1; }));
    fs::remove(t.path() / m.case_path(cases[0].id));
    counts.clear();
    CaseScan(m).each([&](IndexEntry& e) { counts[e.id] = e.sender_cases; });
    CHECK(counts.at(cases[k_senders].id) == 0);
    CHECK(counts.at(cases[1].id) == 1);
}

TEST_CASE("a batch of many senders into a larger mailbox counts theirs alone, as all would") {
    TempDir t;
    init_mailbox(t.path(), false);
    Mailbox m(t.path());
    // Past the writer's "few" touched keys, but not an eighth of the keys
    // stored: the touched keys' letters are counted, not all again.
    constexpr int k_stored = 4800, k_batch = 520;
    auto letter = [](int i, int sender) {
        Case c = full_case();
        c.id = fmt::format("261125-{:06}", i);
        c.group.clear();
        c.sender = {"市民" + std::to_string(sender), "", ""};
        return c;
    };
    std::vector<Case> stored;
    for (int i = 0; i < k_stored; ++i) {
        stored.push_back(letter(i, i));
    }
    m.save_all(stored);
    CaseScan(m).each([](IndexEntry&) {});
    std::vector<Case> batch;
    for (int i = 0; i < k_batch; ++i) {
        batch.push_back(letter(k_stored + i, 2 * i)); // a second letter of every other sender
    }
    m.save_all(batch);
    std::map<std::string, int> counts;
    CaseScan(m).each([&](IndexEntry& e) { counts[e.id] = e.sender_cases; });
    REQUIRE(counts.size() == static_cast<std::size_t>(k_stored + k_batch));
    for (int i = 0; i < k_stored + k_batch; ++i) {
        int sender = i < k_stored ? i : 2 * (i - k_stored);
        bool twice = sender % 2 == 0 && sender < 2 * k_batch;
        INFO(i);
        REQUIRE(counts.at(fmt::format("261125-{:06}", i)) == (twice ? 1 : 0));
    }
    std::unordered_map<std::string, int> counted = LetterIndex(m).other_letter_counts();
    for (const auto& [id, n] : counts) {
        REQUIRE((counted.count(id) ? counted.at(id) : 0) == n);
    }
}

TEST_CASE("each summary's group is every case its links reach, read cold or from the cache") {
    Fixture fx(4);
    Mailbox m(fx.t.path());
    // The second and third letters joined the first, which names neither.
    for (std::size_t i : {1, 2}) {
        Case c = m.load(fx.ids[i]);
        c.group = {fx.ids[0]};
        m.save(c);
        age(fx.file(i));
    }
    auto groups = [&](IndexStats* stats) {
        std::map<std::string, std::vector<std::string>> by_id;
        for (const IndexEntry& e : load_case_index(m, stats)) {
            by_id[e.id] = e.summary->group;
        }
        return by_id;
    };
    using Ids = std::vector<std::string>;
    IndexStats cold, warm;
    auto first = groups(&cold);
    CHECK(cold.parsed == 4);
    CHECK(first[fx.ids[0]] == Ids{fx.ids[1], fx.ids[2]});
    CHECK(first[fx.ids[1]] == Ids{fx.ids[0], fx.ids[2]});
    CHECK(first[fx.ids[2]] == Ids{fx.ids[0], fx.ids[1]});
    CHECK(first[fx.ids[3]].empty());
    CHECK(groups(&warm) == first);
    CHECK(warm.parsed == 0);

    // A hand edit that drops a link is seen by the next scan.
    Case left = m.load(fx.ids[2]);
    left.group.clear();
    m.save(left);
    auto after = groups(nullptr);
    CHECK(after[fx.ids[0]] == Ids{fx.ids[1]});
    CHECK(after[fx.ids[2]].empty());

    // Check sees each file's links as written.
    CaseScan scan(m);
    scan.links_as_written();
    scan.each([&](IndexEntry& e) {
        if (e.id == fx.ids[0]) {
            CHECK(e.summary->group.empty());
        }
    });
}

TEST_CASE("a row choice decodes only the rows received in its spans or grouped") {
    Fixture fx(3);
    Mailbox m(fx.t.path());
    Case old = m.load(fx.ids[1]);
    old.received = at("2025-03-01T10:00:00+08:00");
    m.save(old);
    Case linked = m.load(fx.ids[2]);
    linked.received = at("2025-03-02T10:00:00+08:00");
    linked.group = {fx.ids[0]};
    m.save(linked);
    for (std::size_t i : {1, 2}) {
        age(fx.file(i));
    }
    load_case_index(m); // every row stored
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open((fx.t.path() / ".mailbox" / "mailbox.db").c_str(), &db) == SQLITE_OK);
    std::string spoil = fmt::format("UPDATE cases SET entry = x'ff' WHERE id = '{}'", fx.ids[1]);
    REQUIRE(sqlite3_exec(db, spoil.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);

    auto seconds = [](const char* t) { return epoch_seconds(at(t)); };
    RowChoice november{
        {{seconds("2026-11-01T00:00:00+08:00"), seconds("2026-12-01T00:00:00+08:00")}}, true};
    std::vector<std::string> handed;
    CaseScan scan(m);
    scan.each([&](IndexEntry& e) { handed.push_back(e.id); }, &november);
    CHECK(handed == std::vector<std::string>{fx.ids[0], fx.ids[2]});
    CHECK(scan.stats().parsed == 0); // the spoiled row was never decoded

    november.grouped = false;
    auto kept = load_case_index_if(
        m, [](const CaseSummary&) { return true; }, &november);
    REQUIRE(kept.size() == 1);
    CHECK(kept[0].id == fx.ids[0]);

    IndexStats all;
    CHECK(load_case_index(m, &all).size() == 3);
    CHECK(all.parsed == 1); // without a choice the spoiled row is read from its file
}
