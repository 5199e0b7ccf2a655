#include "format/mail.hpp"
#include "intake/intake.hpp"
#include "store/cache/letter_index.hpp"
#include "store/init.hpp"
#include "test_util.hpp"
#include "util/atomic_file.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <map>
#include <random>

using namespace mailbox;
using namespace mailbox::test;
namespace fs = std::filesystem;

namespace {

const char* k_body = "尊敬的书记：东湖镇东湖村村口的石桥去年汛期被冲坏一角，至今只用几根木头拦着。"
                     "每天有学生骑车经过，晚上没有灯，非常危险。恳请有关部门尽快修复。";
const char* k_rewrite =
    "书记您好，我替父亲再次反映：东湖村村口石桥去年汛期被冲坏，到现在还只是用木头"
    "拦着，学生天天骑车经过，夜里没有灯，太危险了，请尽快修。";
const char* k_other =
    "河西街道幸福小区3栋楼顶水箱漏水已经两个月，楼下住户墙面发霉，物业一直推说要等"
    "维修基金审批，请督促物业尽快处理。";

struct Fixture : TempMailbox {
    IntakeResult add(const std::string& when, const std::string& subject, const std::string& body,
                     const std::string& email = "", bool link = true, bool dry_run = false) {
        Context ctx = at_time(when);
        Intake intake(*m, ctx, dry_run, link);
        Letter l;
        l.subject = subject;
        l.sender = {email.empty() ? "张三" : "王磊", email, ""};
        l.body = body;
        IntakeResult r = intake.add(l);
        return r;
    }
};

} // namespace

TEST_CASE("the same letter resent is linked, on both sides, with history") {
    Fixture f;
    IntakeResult a = f.add("2026-11-01T09:00:00+08:00", "东湖村石桥被冲坏", k_body);
    IntakeResult b = f.add("2026-11-20T09:00:00+08:00", "再次反映东湖村石桥", k_body);
    REQUIRE(b.link);
    CHECK(b.link->id == a.c.id);
    CHECK(b.c.group == std::vector<std::string>{a.c.id});
    Case first = f.m->load(a.c.id);
    CHECK(first.group == std::vector<std::string>{b.c.id});
    CHECK(first.history.back().action == Action::link);
    CHECK(first.history.back().note.starts_with("the same letter as " + b.c.id));
    // A third joins the group through the one case it matched: that case
    // names it, the other is left as it was and reaches it through them.
    IntakeResult c = f.add("2026-11-21T09:00:00+08:00", "三次反映东湖村石桥", k_body);
    REQUIRE(c.link);
    CHECK(c.c.group == std::vector<std::string>{c.link->id});
    std::string other = c.link->id == a.c.id ? b.c.id : a.c.id;
    CHECK(f.m->load(c.link->id).group.size() == 2);
    CHECK(f.m->load(other).group.size() == 1);
    for (const std::string& id : {a.c.id, b.c.id, c.c.id}) {
        CHECK(LetterIndex(*f.m).group_of(f.m->load(id)).size() == 2);
    }
}

TEST_CASE("different letters are not linked, --no-link links nothing") {
    Fixture f;
    f.add("2026-11-01T09:00:00+08:00", "东湖村石桥被冲坏", k_body);
    CHECK_FALSE(f.add("2026-11-02T09:00:00+08:00", "水箱漏水", k_other).link);
    CHECK_FALSE(f.add("2026-11-03T09:00:00+08:00", "石桥", k_body, "", false).link);
}

TEST_CASE("a shared contact lowers the threshold but never links on its own") {
    Fixture f;
    f.add("2026-11-01T09:00:00+08:00", "东湖村石桥被冲坏", k_body, "wl@example.com");
    // A heavy rewrite by the same sender links ...
    CHECK(f.add("2026-11-10T09:00:00+08:00", "石桥", k_rewrite, "wl@example.com").link);
    // ... a different letter by the same sender does not.
    CHECK_FALSE(f.add("2026-11-11T09:00:00+08:00", "水箱漏水", k_other, "wl@example.com").link);
}

TEST_CASE("only letters within the window are compared") {
    Fixture f;
    f.add("2026-06-01T09:00:00+08:00", "东湖村石桥被冲坏", k_body);
    CHECK_FALSE(f.add("2026-11-01T09:00:00+08:00", "东湖村石桥被冲坏", k_body).link);
}

TEST_CASE("a letter in a batch is matched as it would be on its own") {
    auto letter = [](const std::string& subject, const std::string& body) {
        Letter l;
        l.subject = subject;
        l.sender = {"张三", "", ""};
        l.body = body;
        return l;
    };
    std::vector<Letter> batch{letter("水箱漏水", k_other), letter("东湖村石桥被冲坏", k_body),
                              letter("再次反映东湖村石桥", k_body)};
    Fixture one_by_one, together;
    for (Fixture* f : {&one_by_one, &together}) {
        f->add("2026-10-01T09:00:00+08:00", "建设路路灯", "建设路路灯坏了三盏，晚上很黑。");
    }
    std::vector<IntakeResult> separate;
    for (const Letter& l : batch) {
        Context ctx = one_by_one.at_time("2026-11-25T09:00:00+08:00");
        Intake intake(*one_by_one.m, ctx, false, true);
        separate.push_back(intake.add(l));
    }
    Context ctx = together.at_time("2026-11-25T09:00:00+08:00");
    Intake intake(*together.m, ctx, false, true);
    for (std::size_t i = 0; i < batch.size(); ++i) {
        IntakeResult r = intake.add(batch[i]);
        REQUIRE(r.link.has_value() == separate[i].link.has_value());
        if (r.link) {
            CHECK(r.link->similarity.score == separate[i].link->similarity.score);
        }
    }
    CHECK(separate[2].link);
}

TEST_CASE("a sender's letter ten months back is linked, found by the sender, alone and in a "
          "batch alike") {
    // 王磊 (wl@example.com) wrote in January; a neighbour copied the letter
    // the next day; 王磊 writes again in November, far outside the window.
    auto letter = [](const std::string& subject, const std::string& body, const char* email) {
        Letter l;
        l.subject = subject;
        l.sender = {"王磊", email, ""};
        l.body = body;
        return l;
    };
    std::vector<Letter> batch{letter("水箱漏水", k_other, ""),
                              letter("再次反映东湖村石桥", k_rewrite, "wl@example.com")};
    Fixture one_by_one, together;
    std::map<Fixture*, std::string> first; // ids are drawn at random: each mailbox's own
    for (Fixture* f : {&one_by_one, &together}) {
        first[f] =
            f->add("2026-01-10T09:00:00+08:00", "东湖村石桥被冲坏", k_body, "wl@example.com").c.id;
        f->add("2026-01-11T09:00:00+08:00", "东湖村石桥被冲坏", k_body);
        f->add("2026-11-01T09:00:00+08:00", "建设路路灯", "建设路路灯坏了三盏，晚上很黑。");
    }
    std::vector<IntakeResult> separate;
    for (const Letter& l : batch) {
        Context ctx = one_by_one.at_time("2026-11-25T09:00:00+08:00");
        Intake intake(*one_by_one.m, ctx, false, true);
        separate.push_back(intake.add(l));
    }
    REQUIRE(separate[1].link);
    CHECK(separate[1].link->id == first[&one_by_one]); // the sender's own, not the copy
    CHECK(separate[1].link->same_sender);
    Context ctx = together.at_time("2026-11-25T09:00:00+08:00");
    Intake intake(*together.m, ctx, false, true);
    for (std::size_t i = 0; i < batch.size(); ++i) {
        IntakeResult r = intake.add(batch[i]);
        REQUIRE(r.link.has_value() == separate[i].link.has_value());
        if (r.link) {
            CHECK(r.link->id == first[&together]);
            CHECK(r.link->similarity.score == separate[i].link->similarity.score);
        }
    }

    // No farther than the window for the same sender: not linked.
    Fixture near;
    near.add("2026-01-10T09:00:00+08:00", "东湖村石桥被冲坏", k_body, "wl@example.com");
    fs::path toml = near.t.path() / "mailbox.toml";
    std::string config = read_file(toml);
    std::size_t at = config.find("sender_window_days = 365");
    REQUIRE(at != std::string::npos);
    write_file_atomically(toml, config.replace(at, 24, "sender_window_days = 90 "));
    Mailbox reread(near.t.path());
    Context later = near.at_time("2026-11-25T09:00:00+08:00");
    CHECK_FALSE(Intake(reread, later, false, true).add(batch[1]).link);
}

TEST_CASE("the same message imported twice is registered once") {
    Fixture f;
    Context ctx = f.at_time("2026-11-25T09:00:00+08:00");
    Intake intake(*f.m, ctx, false, true);
    Letter l;
    l.subject = "石桥";
    l.sender = {"王镕", "wr@example.com", ""};
    l.body = k_body;
    l.message_id = "abc@example.com";
    IntakeResult first = intake.add(l);
    l.body = "another text, same Message-ID";
    IntakeResult again = intake.add(l);
    CHECK_FALSE(first.already);
    REQUIRE(again.already);
    CHECK(*again.already == first.c.id);
    CHECK(again.c.body == first.c.body); // what it was registered as
    // And in a later run, from the case files.
    Intake later(*f.m, ctx, false, true);
    CHECK(later.add(l).already == first.c.id);
}

TEST_CASE("a category chosen by hand, or suggested from keywords") {
    Fixture f;
    Context ctx = f.at_time("2026-11-25T09:00:00+08:00");
    Intake intake(*f.m, ctx, false, true);
    Letter l;
    l.subject = "养老金没有发放";
    l.sender = {"张三", "", ""};
    l.body = "办完退休手续两个月了";
    IntakeResult r = intake.add(l);
    CHECK(r.c.suggested_category == "labor");
    CHECK(r.c.suggested_unit == "rsj");
    CHECK_FALSE(r.c.category);
    l.subject = "另一封";
    l.category = "civil";
    IntakeResult chosen = intake.add(l);
    CHECK(chosen.c.category == "civil");
    CHECK(chosen.c.suggested_unit == "mzj");
    l.category = "civl";
    CHECK_THROWS_WITH(intake.add(l), "unknown category 'civl'; did you mean 'civil' (民政救助)?");
}

TEST_CASE("a registered letter's bigrams are stored, and a hand edit is seen") {
    Fixture f;
    IntakeResult a = f.add("2026-11-01T09:00:00+08:00", "东湖村石桥被冲坏", k_body);
    f.add("2026-11-02T09:00:00+08:00", "水箱漏水", k_other);
    CHECK(LetterIndex(*f.m).find(a.c.id)->bigrams == letter_bigrams(a.c.subject, a.c.body));
    // A clerk corrects the first letter by hand into a different one.
    Case c = f.m->load(a.c.id);
    c.body = k_other;
    c.subject = "水箱漏水";
    f.m->save(c);
    CHECK_FALSE(f.add("2026-11-20T09:00:00+08:00", "再次反映东湖村石桥", k_body).link);
}

TEST_CASE("a dry run writes no case and no cache") {
    Fixture f;
    IntakeResult r = f.add("2026-11-01T09:00:00+08:00", "石桥", k_body, "", true, true);
    CHECK_FALSE(r.c.id.empty());
    CHECK_FALSE(fs::exists(f.t.path() / "cases" / "2026"));
    CHECK_FALSE(LetterIndex(*f.m).find(r.c.id));
}

TEST_CASE("a mail dated after it is registered is received when registered") {
    Timestamp now = at("2026-11-25T09:30:00+08:00");
    MailLetter m;
    m.subject = "将来";
    m.sender.name = "张三";
    m.body = "正文";
    m.date = at("2026-11-25T09:39:00+08:00"); // within the clocks' skew
    CHECK(mail_letter(m, now).received == m.date);
    m.date = at("2027-01-01T09:00:00+08:00");
    Letter l = mail_letter(m, now);
    CHECK(l.received == now);
    REQUIRE(l.notes.size() == 1);
    CHECK(l.notes[0].in(Language::en) ==
          "its Date, 2027-01-01T09:00:00+08:00, is after it was registered: received when "
          "registered");
}

TEST_CASE("one batch, its letters months apart: each is matched within its own window") {
    Fixture f;
    Context ctx = f.at_time("2026-11-25T09:00:00+08:00");
    Intake intake(*f.m, ctx, false, true);
    auto letter = [](const char* received, const char* subject, const char* body) {
        Letter l;
        l.subject = subject;
        l.sender = {"张三", "", ""};
        l.body = body;
        l.received = at(received);
        return l;
    };
    IntakeResult jan = intake.add(letter("2026-01-10T09:00:00+08:00", "东湖村石桥被冲坏", k_body));
    IntakeResult jun = intake.add(letter("2026-06-10T09:00:00+08:00", "水箱漏水", k_other));
    IntakeResult jan2 =
        intake.add(letter("2026-01-20T09:00:00+08:00", "再次反映东湖村石桥", k_body));
    IntakeResult jun2 = intake.add(letter("2026-06-15T09:00:00+08:00", "水箱还在漏水", k_other));
    IntakeResult dec = intake.add(letter("2026-11-20T09:00:00+08:00", "东湖村石桥", k_body));
    CHECK_FALSE(jun.link);
    REQUIRE(jan2.link);
    CHECK(jan2.link->id == jan.c.id);
    REQUIRE(jun2.link);
    CHECK(jun2.link->id == jun.c.id);
    CHECK_FALSE(dec.link); // ten months after: outside the window
}

TEST_CASE("the matcher scores as similarity() does, each letter over its own window") {
    // Letters from a few words, so that many pairs are alike in part and some
    // reach the threshold; months apart and out of order, so that letters
    // enter and leave the window from both sides.
    Fixture f;
    Context ctx = f.at_time("2026-11-25T09:00:00+08:00");
    Intake intake(*f.m, ctx, false, true);
    const std::vector<std::string> words{"路灯", "石桥", "水箱",     "漏水", "物业",   "小区",
                                         "学生", "危险", "尽快",     "修复", "东湖村", "建设路",
                                         "晚上", "很黑", "维修基金", "审批", "楼顶",   "墙面发霉"};
    struct Seen {
        std::string id;
        int day;
        Bigrams bigrams;
        std::string body;
    };
    std::vector<Seen> seen;
    std::mt19937 random(7);
    int linked = 0;
    for (int i = 0; i < 160; ++i) {
        int day = static_cast<int>(random() % 300);
        std::string body;
        if (!seen.empty() && random() % 3 == 0) {
            body = seen[random() % seen.size()].body + words[random() % words.size()];
        } else {
            for (int w = 0, n = 3 + static_cast<int>(random() % 30); w < n; ++w) {
                body += words[random() % words.size()];
            }
        }
        Letter l;
        l.subject = "第" + std::to_string(i) + "封来信";
        l.sender = {"张三", "", ""};
        l.body = body;
        Timestamp received = at("2026-01-01T09:00:00+08:00");
        received.local += date::days{day};
        l.received = received;
        IntakeResult r = intake.add(l);
        REQUIRE_FALSE(r.already);

        std::vector<const Seen*> window;
        for (const Seen& s : seen) {
            if (std::abs(s.day - day) <= 90) {
                window.push_back(&s);
            }
        }
        std::stable_sort(window.begin(), window.end(),
                         [](const Seen* a, const Seen* b) { return a->day < b->day; });
        BigramWeights weights;
        for (const Seen* s : window) {
            weights.add(s->bigrams);
        }
        Bigrams bigrams = letter_bigrams(r.c.subject, r.c.body);
        const Seen* best = nullptr;
        double best_score = 0;
        for (const Seen* s : window) {
            double score = similarity(bigrams, s->bigrams, weights).score;
            if (score >= f.m->config().dedupe.threshold && (!best || score > best_score)) {
                best = s;
                best_score = score;
            }
        }
        INFO("letter " << i << ", day " << day << ", window " << window.size());
        REQUIRE(r.link.has_value() == (best != nullptr));
        if (best) {
            CHECK(r.link->id == best->id);
            CHECK(r.link->similarity.score == Approx(best_score).epsilon(1e-9));
            ++linked;
        }
        seen.push_back({r.c.id, day, bigrams, body});
    }
    CHECK(linked > 10);
}

TEST_CASE("letters held and written together make the files written one by one") {
    auto letter = [](const std::string& subject, const std::string& body,
                     const std::string& message_id = "") {
        Letter l;
        l.subject = subject;
        l.sender = {"张三", "", ""};
        l.body = body;
        l.message_id = message_id;
        return l;
    };
    // Copies of one letter join a group already written, and each other;
    // one message comes twice.
    std::vector<Letter> batch{
        letter("再次反映东湖村石桥", k_body),    letter("水箱漏水", k_other, "w@example.com"),
        letter("三次反映东湖村石桥", k_body),    letter("水箱漏水", k_other, "w@example.com"),
        letter("四次反映东湖村石桥", k_rewrite), letter("五次反映东湖村石桥", k_body)};
    Fixture at_once, held;
    for (Fixture* f : {&at_once, &held}) {
        write_text(f->t.path() / ".mailbox" / "station", "AB\n");
        f->add("2026-11-01T09:00:00+08:00", "东湖村石桥被冲坏", k_body);
        f->add("2026-11-02T09:00:00+08:00", "东湖村石桥", k_body);
    }
    Context ctx = at_once.at_time("2026-11-25T09:00:00+08:00");
    Intake one(*at_once.m, ctx, false, true);
    std::vector<IntakeResult> expected;
    for (const Letter& l : batch) {
        expected.push_back(one.add(l));
    }

    Context held_ctx = held.at_time("2026-11-25T09:00:00+08:00");
    Intake intake(*held.m, held_ctx, false, true);
    intake.hold_writes();
    std::vector<IntakeResult> got;
    for (const Letter& l : batch) {
        got.push_back(intake.add(l));
    }
    CHECK(intake.held() == 6); // five new cases, and the one written before they joined
    CHECK_FALSE(held.m->exists(got[0].c.id));
    CHECK(held.m->load(got[0].c.group.front()).group.size() == 1); // not yet
    for (std::size_t i = 0; i < batch.size(); ++i) {
        INFO("letter " << i);
        CHECK(got[i].c.id == expected[i].c.id);
        CHECK(got[i].already == expected[i].already);
        CHECK(got[i].c.group == expected[i].c.group);
    }
    intake.flush();
    CHECK(intake.held() == 0);
    for (const std::string& year : at_once.m->case_years()) {
        std::vector<std::string> ids = at_once.m->case_ids_in(year);
        CHECK(held.m->case_ids_in(year) == ids);
        for (const std::string& id : ids) {
            INFO(id);
            CHECK(read_file(held.m->absolute(held.m->case_path(id))) ==
                  read_file(at_once.m->absolute(at_once.m->case_path(id))));
        }
    }
    // The cache holds them: a later run finds the message, and links.
    Intake later(*held.m, held_ctx, false, true);
    CHECK(later.add(batch[1]).already == got[1].c.id);
    IntakeResult again = later.add(letter("六次反映东湖村石桥", k_body));
    CHECK(LetterIndex(*held.m).group_of(again.c).size() ==
          LetterIndex(*at_once.m).group_of(at_once.m->load(expected[5].c.id)).size() + 1);
}

namespace {

// `n` copies of one letter from one sender, added to `intake`: their ids.
std::vector<std::string> add_copies(Intake& intake, int n) {
    std::vector<std::string> ids;
    for (int i = 0; i < n; ++i) {
        Letter l;
        l.subject = fmt::format("第{}次反映东湖村石桥", i + 2);
        l.sender = {"张三", "", ""};
        l.body = k_body;
        ids.push_back(intake.add(l).c.id);
    }
    return ids;
}

} // namespace

TEST_CASE("held letters write nothing, not even the last id, until their batch is written") {
    Fixture f;
    f.add("2026-11-01T09:00:00+08:00", "东湖村石桥被冲坏", k_body); // the station is kept
    Context ctx = f.at_time("2026-11-25T09:00:00+08:00");
    Intake intake(*f.m, ctx, false, true);
    intake.hold_writes();
    std::vector<std::string> ids;
    FileFaults faults; // none fails: each write is counted
    {
        ScopedFileFaults scope(faults);
        ids = add_copies(intake, 6);
    }
    CHECK(faults.calls == 0); // a file a letter was a tenth of an import's time
    intake.flush();
    CHECK(read_file(f.t.path() / ".mailbox" / "last-id") == ids.back() + "\n");
    // The next command draws after it, as after ids drawn one by one.
    Intake next(*f.m, ctx, false, true);
    Letter other;
    other.subject = "路灯不亮";
    other.sender = {"李四", "", ""};
    other.body = "建设路的路灯坏了一个月";
    CHECK(next.add(other).c.id > ids.back());
}

TEST_CASE("held letters that cannot be written leave every file as it was") {
    // The disk fails at each write call in turn, until none is left to fail.
    for (int n = 1;; ++n) {
        INFO("failing call " << n);
        Fixture f;
        f.add("2026-11-01T09:00:00+08:00", "东湖村石桥被冲坏", k_body);
        fs::path first = f.m->absolute(f.m->case_path(f.m->case_ids_in("2026").front()));
        std::string before = read_file(first);
        Context ctx = f.at_time("2026-11-25T09:00:00+08:00");
        Intake intake(*f.m, ctx, false, true);
        intake.hold_writes();
        std::vector<std::string> ids = add_copies(intake, 6);
        FileFaults faults;
        faults.fail_at = n;
        {
            ScopedFileFaults scope(faults);
            try {
                intake.flush();
            } catch (const SystemError& e) {
                CHECK(std::string(e.what()).find("put back") == std::string::npos);
            }
        }
        if (faults.failed.empty()) {
            CHECK(n > 20); // or the writes are not where the faults are
            CHECK(LetterIndex(*f.m).group_of(f.m->load(ids.back())).size() == 6);
            CHECK(LetterIndex(*f.m).group_of(f.m->load(ids.front())).size() == 6);
            break;
        }
        CHECK(read_file(first) == before);
        for (const std::string& id : ids) {
            CHECK_FALSE(f.m->exists(id));
        }
        CHECK(f.m->temp_files().empty());
    }
}
