// Every command that writes, run again and again with the first, second,
// third ... file write failing (as a full or failing disk makes it), until it
// runs through without reaching the fault. After each failure: the command
// said so; every case file is whole and parses; no temporary file is left;
// the mailbox is as before, or as after the command, never in between; links
// point at cases that exist and groups agree. Then the same command run again
// succeeds and `check` finds nothing. And once more with the process killed
// at that call instead, as kill -9 stops it: each file is still whole, no
// link points at a missing case, and check names what is left over.
#include "assign/assign.hpp"
#include "assign/chase.hpp"
#include "assign/notice.hpp"
#include "assign/supervise.hpp"
#include "assign/visit.hpp"
#include "format/mail.hpp"
#include "intake/csv_import.hpp"
#include "intake/import.hpp"
#include "intake/intake.hpp"
#include "merge/renumber.hpp"
#include "reply/draft.hpp"
#include "reply/follow_up.hpp"
#include "reply/review.hpp"
#include "reply/send.hpp"
#include "report/check.hpp"
#include "store/cache/case_index.hpp"
#include "store/cache/letter_index.hpp"
#include "store/casefile.hpp"
#include "store/git.hpp"
#include "store/init.hpp"
#include "store/lock.hpp"
#include "test_util.hpp"
#include "util/atomic_file.hpp"
#include "util/error.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstring>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <sys/wait.h>
#include <typeinfo>
#include <unistd.h>

using namespace mailbox;
using namespace mailbox::test;
namespace fs = std::filesystem;

namespace {

// On tmpfs when there is one: each command is run hundreds of times, and
// every write is synced.
class Scratch {
  public:
    Scratch() {
        std::error_code ec;
        fs::path base = fs::is_directory("/dev/shm", ec) && access("/dev/shm", W_OK) == 0
                            ? fs::path("/dev/shm")
                            : fs::temp_directory_path();
        m_path = base / ("mailbox-fault-" + std::to_string(std::random_device{}()));
        fs::create_directories(m_path);
    }
    ~Scratch() {
        std::error_code ec;
        fs::remove_all(m_path, ec);
    }
    Scratch(const Scratch&) = delete;
    Scratch& operator=(const Scratch&) = delete;
    const fs::path& path() const { return m_path; }

  private:
    fs::path m_path;
};

const char* const k_now = "2026-11-25T10:00:00+08:00";

Context ctx_at(const fs::path& root, const std::string& iso, const std::string& by = "李明") {
    Timestamp now = at(iso);
    return Context{root, by, now, now.day()};
}

// ------------------------------------------------------------------------
// The cases the commands act on, written without faults.

const char* const k_bridge =
    "尊敬的书记：东湖镇东湖村村口的石桥去年汛期被冲坏一角，至今只用几根木头"
    "拦着。每天有学生骑车经过，晚上没有灯，非常危险。恳请有关部门尽快修复。";
const char* const k_water =
    "河西街道幸福小区3栋楼顶水箱漏水已经两个月，楼下住户墙面发霉，物业一直推说要"
    "等维修基金审批，请督促物业尽快处理。";
const char* const k_lamp = "建设路路灯不亮";
const char* const k_answer =
    "经现场核查，建设路路灯不亮系线路老化所致，已于11月5日更换线路，恢复照明。感谢您的来信。";

// A letter received then, with its `received` entry: subject "来信 ID"
// unless given, so that every case is told apart by its subject.
Case letter(const std::string& id, const std::string& received, const Sender& sender,
            const std::string& subject = "") {
    Case c;
    c.id = id;
    c.subject = subject.empty() ? "来信 " + id : subject;
    c.sender = sender;
    c.received = at(received);
    c.body = "正文\n";
    append_history(c, c.received, "李明", Action::received, "registered from web");
    return c;
}

const Sender k_zhang{"张三", "zhangsan@example.com", "13800000000"};
const Sender k_wang{"王磊", "", "139 0000 0000"};
const Sender k_zhao{"赵六", "zhaoliu@example.com", ""};

struct World {
    fs::path root;
    Mailbox m;
    explicit World(const fs::path& r) : root(r), m(r) {}

    void add(const Case& c) const { m.save(c); }

    // Every case lists every other.
    void link(const std::vector<std::string>& ids) const {
        for (const std::string& id : ids) {
            Case c = m.load(id);
            for (const std::string& other : ids) {
                if (other != id) {
                    c.group.push_back(other);
                }
            }
            std::sort(c.group.begin(), c.group.end());
            m.save(c);
        }
    }

    void assign(const std::string& id, const std::string& unit, const std::string& when) const {
        Assignment a;
        a.unit = unit;
        m.save_all(assign_case(m, ctx_at(root, when), id, a));
    }

    // Drafted by the unit's 王五, about the street lamp.
    void draft(const std::string& id, const std::string& when,
               Outcome outcome = Outcome::resolved) const {
        DraftInput in;
        in.text = k_answer;
        in.outcome = outcome;
        if (outcome == Outcome::planned) {
            in.steps = "一、排查线路；二、更换灯具";
            in.target_date = day(2027, 1, 15);
        }
        m.save_all(draft_case(m, ctx_at(root, when, "王五"), id, in).cases);
    }

    void approve(const std::string& id, const std::string& when) const {
        m.save_all(review_case(m, ctx_at(root, when), id, {true, "同意", false}));
    }

    void send(const std::string& id, const std::string& when) const {
        Context ctx = ctx_at(root, when);
        Delivery how;
        how.out_dir = root / "out" / "replies";
        deliver_replies(m, ctx, plan_replies(m, ctx, id), how);
    }

    // Registers a letter, as `mailbox-intake new` does.
    std::string intake(const std::string& when, const std::string& subject, const std::string& body,
                       const Sender& sender = {"张三", "", ""}) const {
        Context ctx = ctx_at(root, when); // Intake keeps a reference
        Intake in(m, ctx, false, true);
        Letter l;
        l.subject = subject;
        l.sender = sender;
        l.body = body;
        IntakeResult r = in.add(l);
        return r.c.id;
    }
};

// Saves what a command changed and stores it in the cache, as the tools'
// finish() does.
void finish(const Mailbox& m, const Changed& changed) {
    LetterIndex letters(m);
    m.save_all(changed);
    for (const Case& c : changed) {
        letters.add_written(c);
    }
}

// `mailbox-intake import`: the letters the disk took are reported, the
// rest fail; an error at the end when any did. Every letter it says it
// registered must exist.
void import(const fs::path& root, const std::vector<fs::path>& files) {
    Mailbox m(root);
    Context ctx = ctx_at(root, k_now);
    Intake intake(m, ctx, false, true);
    std::vector<std::string> registered;
    ImportEvents events;
    events.letter = [&](const ImportedLetter& l) {
        if (l.error.empty() && !l.result.already) {
            registered.push_back(l.result.c.id);
        }
    };
    events.warning = [](const std::string&) {};
    std::vector<std::string> names;
    for (const fs::path& file : files) {
        names.push_back(file.string());
    }
    ImportReport r = import_files(intake, m, ctx, names, "utf-8", events);
    for (const std::string& id : registered) {
        CHECK(m.exists(id));
    }
    if (r.failed > 0) {
        throw DataError(std::to_string(r.failed) + " of the letters could not be registered");
    }
}

// `mailbox-assign chase|supervise --notices`: the notices first, then the
// round recorded.
void round(const fs::path& root, Round r) {
    Mailbox m(root);
    Context ctx = ctx_at(root, k_now);
    std::vector<IndexEntry> entries = load_case_index(m);
    std::vector<RoundItem> items = r == Round::chase
                                       ? chase_list(entries, m.config(), ctx.today)
                                       : supervise_list(entries, m.config(), ctx.today);
    REQUIRE_FALSE(items.empty());
    write_notices(m, round_notices(m, ctx, r, items));
    record_round(m, ctx, r, items);
}

// ------------------------------------------------------------------------
// What the mailbox holds, with the ids a run draws replaced by the cases'
// subjects: a letter registered on a second try gets another id.

struct State {
    std::map<std::string, std::string> cases; // cases/**/*.toml
    std::map<std::string, std::string> files; // everything else but .mailbox/
};

bool is_temp(const std::string& name) {
    return name.find(".tmp.") != std::string::npos;
}

std::vector<std::string> temp_files(const fs::path& root) {
    std::vector<std::string> found;
    for (const auto& e : fs::recursive_directory_iterator(root)) {
        if (is_temp(e.path().filename().string())) {
            found.push_back(fs::relative(e.path(), root).string());
        }
    }
    return found;
}

// A case id (YYMMDD-TTTTSS) at `at`.
bool id_at(std::string_view s, std::size_t at) {
    if (at + 13 > s.size() || s[at + 6] != '-') {
        return false;
    }
    for (std::size_t k = 0; k < 13; ++k) {
        char ch = s[at + k];
        bool ok = k < 6 ? std::isdigit(static_cast<unsigned char>(ch))
                        : k == 6 || std::isdigit(static_cast<unsigned char>(ch)) ||
                              (ch >= 'A' && ch <= 'Z');
        if (!ok) {
            return false;
        }
    }
    return true;
}

// `s` with each case id replaced by name(id).
template <typename F>
std::string replace_ids(std::string_view s, F name) {
    std::string out;
    for (std::size_t i = 0; i < s.size();) {
        if (id_at(s, i)) {
            out += name(std::string(s.substr(i, 13)));
            i += 13;
        } else {
            out += s[i++];
        }
    }
    return out;
}

// A history entry's own id, drawn from its case's: `id = "QMTM81"`.
bool entry_id_line(std::string_view line) {
    return line.size() == 13 && line.starts_with("id = \"") && line.ends_with("\"") &&
           std::all_of(line.begin() + 6, line.end() - 1, [](char ch) {
               return std::isdigit(static_cast<unsigned char>(ch)) || (ch >= 'A' && ch <= 'Z');
           });
}

State snapshot(const fs::path& root) {
    Mailbox m(root);
    std::map<std::string, std::string> names; // id -> «subject»
    for (const CaseFile& f : m.case_files()) {
        std::string subject = f.id;
        try {
            subject = m.load(f.id).subject;
        } catch (const Error& e) {
            FAIL_CHECK(f.path << " does not parse: " << e.what());
        }
        names[f.id] = "«" + subject + "»";
    }
    auto normal = [&](const std::string& text) {
        std::string out;
        for (std::size_t start = 0; start < text.size();) {
            std::size_t end = std::min(text.find('\n', start), text.size());
            std::string_view line(text.data() + start, end - start);
            std::size_t from = out.size();
            if (entry_id_line(line)) {
                out += "id = ?";
            } else {
                out += replace_ids(line, [&](const std::string& id) {
                    auto it = names.find(id);
                    return it == names.end() ? id : it->second;
                });
            }
            // A link's score weighs words by the letters registered so far:
            // a letter that failed and came later changes it a little.
            for (std::size_t at = out.find("similarity ", from); at != std::string::npos;
                 at = out.find("similarity ", at + 1)) {
                std::size_t digits =
                    std::min(out.find_first_not_of("0123456789.", at + 11), out.size());
                out.replace(at + 11, digits - at - 11, "?");
            }
            out += text.substr(end, 1);
            start = end + 1;
        }
        return out;
    };
    State st;
    for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator();
         ++it) {
        std::string rel = fs::relative(it->path(), root).string();
        if (rel == ".mailbox" || rel == ".git") {
            it.disable_recursion_pending();
            continue;
        }
        if (!it->is_regular_file() || is_temp(it->path().filename().string())) {
            continue;
        }
        bool is_case = rel.starts_with("cases/") && rel.ends_with(".toml");
        (is_case ? st.cases : st.files)[normal(rel)] = normal(read_file(it->path()));
    }
    return st;
}

std::string describe(const std::map<std::string, std::string>& a,
                     const std::map<std::string, std::string>& b) {
    std::string out;
    for (const auto& [k, v] : a) {
        auto it = b.find(k);
        if (it == b.end()) {
            out += "  only in the first: " + k + "\n";
        } else if (it->second != v) {
            std::size_t at =
                std::mismatch(v.begin(), v.end(), it->second.begin(), it->second.end()).first -
                v.begin();
            std::size_t from = v.rfind('\n', at) == std::string::npos ? 0 : v.rfind('\n', at) + 1;
            out += "  differs: " + k + " at: " + v.substr(from, at - from + 40) + "\n";
        }
    }
    for (const auto& [k, v] : b) {
        if (!a.count(k)) {
            out += "  only in the second: " + k + "\n";
        }
    }
    return out;
}

// Every case file whole (written as the store writes it), every link to a
// case that exists, every kept file there, and every group agreed by all its
// members (unless `one_sided`: a writer killed between the files of a group
// leaves links that check reports).
void check_consistent(const fs::path& root, bool one_sided = false) {
    Mailbox m(root);
    std::map<std::string, Case> cases;
    for (const CaseFile& f : m.case_files()) {
        std::string text = read_file(m.absolute(f.path));
        try {
            Case c = parse_case(text, f.path, f.id);
            CHECK(write_case(c) == text);
            cases.emplace(f.id, std::move(c));
        } catch (const Error& e) {
            FAIL_CHECK(f.path << ": " << e.what());
        }
    }
    for (const auto& [id, c] : cases) {
        std::vector<std::string> members = c.group;
        members.push_back(id);
        std::sort(members.begin(), members.end());
        for (const std::string& other : c.group) {
            INFO(id << " is linked to " << other);
            auto it = cases.find(other);
            if (it == cases.end()) {
                FAIL_CHECK("a link to a missing case");
                continue;
            }
            std::vector<std::string> theirs = it->second.group;
            theirs.push_back(other);
            std::sort(theirs.begin(), theirs.end());
            if (!one_sided) {
                CHECK(theirs == members);
            }
        }
        for (const Attachment& a : c.attachments) {
            if (!a.kept.empty()) {
                INFO(id << " keeps " << a.kept);
                CHECK(fs::exists(m.absolute(a.kept)));
            }
        }
    }
}

void check_clean(const fs::path& root) {
    CHECK(temp_files(root).empty());
    CheckReport report = check_mailbox(root, true);
    for (const DataError& p : report.problems) {
        FAIL_CHECK("check: " << p.what());
    }
}

// ------------------------------------------------------------------------
// The harness.

struct Command {
    std::string name;
    std::function<void(const fs::path&)> setup; // the mailbox it starts from
    std::function<void(const fs::path&)> run;   // throws when it fails
    // Several changes, each whole: letters of an import, replies to each
    // sender. A failure may leave some done.
    bool several = false;
};

// What a run ended in: nothing thrown, or the type of the error.
std::string outcome(const Command& cmd, const fs::path& root) {
    try {
        cmd.run(root);
        return "ok";
    } catch (const Error& e) {
        return typeid(e).name();
    }
}

// A cache under .mailbox/ whose write may fail unseen: it is rebuilt.
bool is_cache(const std::string& path) {
    fs::path p(path);
    return path.find("/.mailbox/") != std::string::npos && p.filename() != "station" &&
           p.filename() != "last-id";
}

struct Reference {
    std::unique_ptr<Scratch> start; // the mailbox the command starts from
    State before, after, again;     // once run, and run twice
    std::string second;             // the outcome of the second run
    std::set<std::string> problems; // what check said before, ids left out
};

std::string without_ids(const std::string& s) {
    return replace_ids(s, [](const std::string&) { return "ID"; });
}

// A copy of the mailbox the command starts from, in `root`.
void copy_start(const Reference& ref, const fs::path& root) {
    fs::copy(ref.start->path(), root,
             fs::copy_options::recursive | fs::copy_options::copy_symlinks);
}

Reference reference(const Command& cmd) {
    Reference r;
    r.start = std::make_unique<Scratch>();
    init_mailbox(r.start->path(), false);
    cmd.setup(r.start->path());
    Scratch s;
    copy_start(r, s.path());
    r.before = snapshot(s.path());
    for (const DataError& p : check_mailbox(s.path(), true).problems) {
        r.problems.insert(without_ids(p.what()));
    }
    cmd.run(s.path());
    r.after = snapshot(s.path());
    check_clean(s.path());
    r.second = outcome(cmd, s.path());
    r.again = snapshot(s.path());
    REQUIRE(r.before.cases != r.after.cases);
    return r;
}

// Each file of `now` is as in `before` or as in `after`.
void check_each_whole(const std::map<std::string, std::string>& now,
                      const std::map<std::string, std::string>& before,
                      const std::map<std::string, std::string>& after) {
    for (const auto& [path, text] : now) {
        INFO(path);
        auto b = before.find(path);
        auto a = after.find(path);
        CHECK(
            ((b != before.end() && b->second == text) || (a != after.end() && a->second == text)));
    }
}

// Runs `cmd` with call 1, 2, 3 ... failing, with EIO and ENOSPC in turn (no
// code tells them apart); returns how many faults it met.
int run_with_faults(const Command& cmd, const Reference& ref) {
    int met = 0;
    for (int n = 1; n < 1000; ++n) {
        Scratch s;
        const fs::path& root = s.path();
        copy_start(ref, root);
        FileFaults faults;
        faults.fail_at = n;
        faults.error = n % 2 ? EIO : ENOSPC;
        std::string what;
        {
            ScopedFileFaults scope(faults);
            try {
                cmd.run(root);
            } catch (const Error& e) {
                what = e.what();
            }
        }
        if (faults.failed.empty()) {
            CHECK(what == "");
            CHECK(describe(snapshot(root).cases, ref.after.cases) == "");
            return met;
        }
        ++met;
        INFO(cmd.name << ": call " << n << " on " << faults.failed << " failed with "
                      << std::strerror(faults.error) << "; the command said: " << what);
        // A failure is said, unless only a cache could not be written.
        if (what.empty()) {
            CHECK(is_cache(faults.failed));
        }
        CHECK(temp_files(root).empty());
        check_consistent(root);
        State st = snapshot(root);
        bool before = st.cases == ref.before.cases;
        bool after = st.cases == ref.after.cases;
        if (!cmd.several) {
            INFO("the cases against those before:\n"
                 << describe(st.cases, ref.before.cases) << "and those after:\n"
                 << describe(st.cases, ref.after.cases));
            CHECK((before || after));
        }
        check_each_whole(st.cases, ref.before.cases, ref.after.cases);
        check_each_whole(st.files, ref.before.files, ref.after.files);

        // The same command again, as the clerk would run it.
        std::string again = outcome(cmd, root);
        State retried = snapshot(root);
        if (after) {
            CHECK(again == ref.second);
            CHECK(describe(retried.cases, ref.again.cases) == "");
        } else {
            CHECK(again == "ok");
            CHECK(describe(retried.cases, ref.after.cases) == "");
        }
        check_clean(root);
    }
    FAIL(cmd.name << ": still meeting faults after 1000 calls");
    return met;
}

// The same with the process killed at call 1, 2, 3 ... instead: then no
// undo runs and the temporary files stay, so only each file is whole, no
// link points at a missing case, and check names what is left over, which
// the next writer in that folder removes.
int run_with_crashes(const Command& cmd, const Reference& ref) {
    int met = 0;
    for (int n = 1; n < 1000; ++n) {
        Scratch s;
        const fs::path& root = s.path();
        copy_start(ref, root);
        std::cout.flush();
        std::cerr.flush();
        pid_t pid = fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            FileFaults faults;
            faults.fail_at = n;
            faults.crash = true;
            ScopedFileFaults scope(faults);
            try {
                cmd.run(root);
            } catch (...) {
                _exit(1);
            }
            _exit(0);
        }
        int status = 0;
        REQUIRE(waitpid(pid, &status, 0) == pid);
        REQUIRE(WIFEXITED(status));
        if (WEXITSTATUS(status) != FileFaults::crash_status) {
            CHECK(WEXITSTATUS(status) == 0);
            CHECK(describe(snapshot(root).cases, ref.after.cases) == "");
            return met;
        }
        ++met;
        INFO(cmd.name << ": killed at call " << n);
        check_consistent(root, true);
        State st = snapshot(root);
        check_each_whole(st.cases, ref.before.cases, ref.after.cases);
        check_each_whole(st.files, ref.before.files, ref.after.files);
        std::set<std::string> reported;
        for (const DataError& p : check_mailbox(root, true).problems) {
            std::string what = p.what();
            bool left_over =
                what.find("a temporary file left by a write that was killed") != std::string::npos;
            if (left_over) {
                reported.insert(p.position.path);
            }
            INFO(what);
            CHECK((left_over || what.find("one-sided link") != std::string::npos ||
                   what.find("out of step with its group") != std::string::npos ||
                   ref.problems.count(without_ids(what))));
        }
        for (const std::string& temp : Mailbox(root).temp_files()) {
            CHECK(reported.count(temp));
        }
        // The clerk runs it again (whether it can go on from a half-written
        // group or not), then the next writer in each folder sweeps it.
        outcome(cmd, root);
        check_consistent(root, true);
        Mailbox m(root);
        MailboxLock lock(root, std::chrono::milliseconds(0)); // the next writer's: sweeps .mailbox/
        for (const std::string& year : m.case_years()) {
            std::vector<std::string> ids = m.case_ids_in(year);
            if (!ids.empty()) {
                m.save(m.load(ids.front())); // the next writer there
            }
        }
        CHECK(Mailbox(root).temp_files().empty());
    }
    FAIL(cmd.name << ": still running after 1000 calls");
    return met;
}

void run_all_faults(const Command& cmd) {
    Reference ref = reference(cmd);
    // Or the seam is not where the writes are.
    CHECK(run_with_faults(cmd, ref) >= 3);
    CHECK(run_with_crashes(cmd, ref) >= 3);
}

// ------------------------------------------------------------------------
// The mailboxes the commands start from.

void bridge_letters(const fs::path& root) {
    World w(root);
    std::string a = w.intake("2026-11-01T09:00:00+08:00", "东湖村石桥被冲坏", k_bridge);
    std::string b = w.intake("2026-11-20T09:00:00+08:00", "再次反映东湖村石桥", k_bridge);
    REQUIRE(w.m.load(b).group == std::vector<std::string>{a});
}

void assigned_letters(const fs::path& root) {
    World w(root);
    w.add(letter("261101-0001AB", "2026-11-01T09:00:00+08:00", k_zhang));
    w.add(letter("261102-0001AB", "2026-11-02T09:00:00+08:00", k_wang));
    w.add(letter("261102-0002AB", "2026-11-02T09:10:00+08:00", k_zhao));
    w.add(letter("261103-0001AB", "2026-11-03T09:00:00+08:00", k_zhao));
    w.link({"261102-0001AB", "261102-0002AB"});
    w.assign("261101-0001AB", "cgj", "2026-11-03T10:00:00+08:00");
    w.assign("261102-0001AB", "zjj", "2026-11-03T10:00:00+08:00");
    w.assign("261103-0001AB", "cgj", "2026-11-04T10:00:00+08:00");
}

// A group of two letters about the street lamp from two senders, assigned
// to cgj; answered as far as `stage` says.
enum class Stage { assigned, drafted, approved, sent };
std::function<void(const fs::path&)> lamp(Stage stage, Outcome outcome = Outcome::resolved) {
    return [=](const fs::path& root) {
        World w(root);
        w.add(letter("261101-0001AB", "2026-11-01T09:00:00+08:00", k_zhang, k_lamp));
        w.add(letter("261101-0002AB", "2026-11-01T10:00:00+08:00", k_wang,
                     std::string(k_lamp) + "，再次反映"));
        w.link({"261101-0001AB", "261101-0002AB"});
        w.assign("261101-0001AB", "cgj", "2026-11-02T10:00:00+08:00");
        if (stage >= Stage::drafted) {
            w.draft("261101-0001AB", "2026-11-05T10:00:00+08:00", outcome);
        }
        if (stage >= Stage::approved) {
            w.approve("261101-0001AB", "2026-11-06T10:00:00+08:00");
        }
        if (stage >= Stage::sent) {
            w.send("261101-0001AB", "2026-11-07T10:00:00+08:00");
        }
    };
}

void git(const fs::path& root, const std::vector<std::string>& args, int want = 0) {
    GitResult r = run_git(root, args);
    INFO("git " << args.front() << ": " << r.out);
    REQUIRE(r.status == want);
}

// Two clones with one station registered two letters as 261125-0001AB, and
// the merge stopped (a merge driver that refuses, as mailbox-report
// merge-file does for two letters, leaving ours in place).
void collision(const fs::path& root) {
    World w(root);
    git(root, {"init", "-q"});
    git(root, {"config", "user.name", "test"});
    git(root, {"config", "user.email", "test@example.com"});
    git(root, {"config", "merge.refuse.driver", "false"});
    write_text(root / ".gitattributes", "*.toml merge=refuse\n");
    w.add(letter("261101-0001AB", "2026-11-01T09:00:00+08:00", k_zhao));
    git(root, {"add", "-A"});
    git(root, {"commit", "-q", "-m", "base"});
    git(root, {"checkout", "-q", "-b", "theirs"});
    w.add(letter("261125-0001AB", "2026-11-25T09:30:00+08:00", k_wang, "乙的来信"));
    git(root, {"add", "-A"});
    git(root, {"commit", "-q", "-m", "theirs"});
    git(root, {"checkout", "-q", "-"});
    w.add(letter("261125-0001AB", "2026-11-25T09:00:00+08:00", k_zhang, "甲的来信"));
    git(root, {"add", "-A"});
    git(root, {"commit", "-q", "-m", "ours"});
    git(root, {"merge", "-q", "theirs"}, 1);
}

template <typename F>
std::function<void(const fs::path&)> change(F act) {
    return [act](const fs::path& root) {
        Mailbox m(root);
        finish(m, act(m, ctx_at(root, k_now)));
    };
}

std::string csv_of(const std::vector<std::vector<std::string>>& rows) {
    std::string out = "留言主题,留言用户,留言时间,留言详情,电子邮箱,联系电话\n";
    for (const auto& row : rows) {
        for (std::size_t i = 0; i < row.size(); ++i) {
            out += (i ? "," : "") + std::string("\"") + row[i] + "\"";
        }
        out += "\n";
    }
    return out;
}

} // namespace

TEST_CASE("faults: intake new, the first letter (and the station) of a mailbox") {
    run_all_faults({"new", [](const fs::path&) {},
                    [](const fs::path& root) { World(root).intake(k_now, "水箱漏水", k_water); }});
}

TEST_CASE("faults: intake new, a letter linked to a group of two") {
    run_all_faults({"new linked", bridge_letters, [](const fs::path& root) {
                        World(root).intake(k_now, "三次反映东湖村石桥", k_bridge);
                    }});
}

TEST_CASE("faults: intake import of a CSV export") {
    Scratch files;
    fs::path csv = files.path() / "web.csv";
    write_text(csv, csv_of({{"水箱漏水", "赵六", "2026-11-24 09:00", k_water, "", "13900000000"},
                            {"石桥又坏了", "钱七", "2026-11-24 10:00", k_bridge, "", ""},
                            {"路灯", "孙八", "2026-11-24 11:00", k_lamp, "", ""}}));
    // Three new cases, one joining the group of two: five files, so synced
    // as many (syncfs), not each.
    run_all_faults(
        {"import csv", bridge_letters, [csv](const fs::path& root) { import(root, {csv}); }, true});
}

TEST_CASE("faults: intake import of mail, one kept as it came") {
    Scratch files;
    fs::path bad = files.path() / "bad.eml", good = files.path() / "good.eml";
    write_text(bad, "From: e@example.com\nSubject: garbage\nMessage-ID: <bad@example.com>\n"
                    "Date: Tue, 24 Nov 2026 10:00:00 +0800\n"
                    "Content-Type: text/plain; charset=utf-8\n\nok \377\376\375 end\n");
    write_text(good, std::string("From: =?UTF-8?B?6ZKx5LiD?= <qian@example.com>\n"
                                 "Subject: =?UTF-8?B?55+z5qGl?=\nMessage-ID: <good@example.com>\n"
                                 "Date: Tue, 24 Nov 2026 11:00:00 +0800\n"
                                 "Content-Type: text/plain; charset=utf-8\n\n") +
                         k_bridge + "\n");
    run_all_faults({"import mail", bridge_letters,
                    [bad, good](const fs::path& root) {
                        import(root, {bad, good});
                    },
                    true});
}

TEST_CASE("faults: assign a group") {
    run_all_faults({"assign",
                    [](const fs::path& root) {
                        World w(root);
                        w.add(letter("261102-0001AB", "2026-11-02T09:00:00+08:00", k_wang));
                        w.add(letter("261102-0002AB", "2026-11-02T09:10:00+08:00", k_zhao));
                        w.link({"261102-0001AB", "261102-0002AB"});
                    },
                    change([](const Mailbox& m, const Context& ctx) {
                        Assignment a;
                        a.unit = "cgj";
                        a.co_units = {"zjj"};
                        return assign_case(m, ctx, "261102-0001AB", a);
                    })});
}

TEST_CASE("faults: link, unlink") {
    run_all_faults({"link", assigned_letters, change([](const Mailbox& m, const Context& ctx) {
                        return link_cases(m, ctx, {"261101-0001AB", "261102-0002AB"});
                    })});
    run_all_faults({"unlink", assigned_letters, change([](const Mailbox& m, const Context& ctx) {
                        return unlink_case(m, ctx, "261102-0002AB");
                    })});
}

TEST_CASE("faults: return, extend, visit") {
    run_all_faults({"return", assigned_letters, change([](const Mailbox& m, const Context& ctx) {
                        return return_case(m, ctx, "261102-0001AB", "zjj", "不属于我局职责");
                    })});
    run_all_faults({"extend", assigned_letters, change([](const Mailbox& m, const Context& ctx) {
                        return extend_case(m, ctx, "261102-0001AB", 5, "需协调", "wang");
                    })});
    run_all_faults({"visit", assigned_letters, change([](const Mailbox& m, const Context& ctx) {
                        return visit_case(m, ctx, "261101-0001AB", "现场查看", true);
                    })});
}

TEST_CASE("faults: chase and supervise, with notices") {
    run_all_faults(
        {"chase", assigned_letters, [](const fs::path& root) { round(root, Round::chase); }});
    run_all_faults({"supervise", assigned_letters,
                    [](const fs::path& root) { round(root, Round::supervise); }});
}

TEST_CASE("faults: reply draft with the unit's report, review") {
    Scratch files;
    fs::path report = files.path() / "承办报告.pdf";
    write_text(report, "%PDF-1.4 the unit's report\n");
    run_all_faults({"draft", lamp(Stage::assigned), [report](const fs::path& root) {
                        Mailbox m(root);
                        DraftInput in;
                        in.text = k_answer;
                        in.report = report;
                        Drafted d = draft_case(m, ctx_at(root, k_now, "王五"), "261101-0001AB", in);
                        REQUIRE(d.report);
                        write_file_atomically(m.absolute(d.report->path), d.report->bytes);
                        finish(m, d.cases);
                    }});
    run_all_faults(
        {"review", lamp(Stage::drafted), change([](const Mailbox& m, const Context& ctx) {
             return review_case(m, ctx, "261101-0001AB", {true, "同意", false});
         })});
}

TEST_CASE("faults: reply send, to each sender") {
    run_all_faults({"send", lamp(Stage::approved),
                    [](const fs::path& root) {
                        Mailbox m(root);
                        Context ctx = ctx_at(root, k_now);
                        Delivery how;
                        how.out_dir = root / "out" / "replies";
                        std::vector<SenderReplies> plan = plan_replies(m, ctx, "261101-0001AB");
                        if (plan.empty()) {
                            throw GateRefused("every sender has been answered");
                        }
                        deliver_replies(m, ctx, std::move(plan), how);
                    },
                    true});
}

TEST_CASE("faults: feedback, track, close, reopen, exemplary") {
    run_all_faults({"feedback", lamp(Stage::sent), change([](const Mailbox& m, const Context& ctx) {
                        return record_feedback(m, ctx, "261101-0001AB", Feedback::satisfied, "",
                                               false);
                    })});
    run_all_faults({"track", lamp(Stage::sent, Outcome::planned),
                    change([](const Mailbox& m, const Context& ctx) {
                        return track_case(m, ctx, "261101-0001AB", "已排查线路");
                    })});
    run_all_faults({"close", lamp(Stage::sent), change([](const Mailbox& m, const Context& ctx) {
                        return close_case(m, ctx, "261101-0001AB", "已答复");
                    })});
    run_all_faults({"reopen", lamp(Stage::sent), change([](const Mailbox& m, const Context& ctx) {
                        return reopen_case(m, ctx, "261101-0001AB", "来信人申请复查", true);
                    })});
    run_all_faults(
        {"exemplary", lamp(Stage::sent), change([](const Mailbox& m, const Context& ctx) {
             return mark_exemplary(m, ctx, "261101-0001AB", "处理迅速");
         })});
}

TEST_CASE("faults: intake renumber of an id two clones gave two letters") {
    run_all_faults({"renumber", collision, [](const fs::path& root) {
                        Mailbox m(root);
                        Renumbering r = renumber_collision(m, "261125-0001AB", ctx_at(root, k_now));
                        finish(m, r.changed);
                        std::vector<std::string> add{"add", "--"};
                        for (const Case& c : r.changed) {
                            add.push_back(m.case_path(c.id));
                        }
                        git(root, add);
                    }});
}

TEST_CASE("faults: init") {
    Scratch s;
    for (int error : {EIO, ENOSPC, 0}) {
        bool crash = error == 0; // killed instead
        int met = 0;
        for (int n = 1;; ++n) {
            fs::path dir = s.path() / (std::to_string(error) + "-" + std::to_string(n));
            FileFaults faults;
            faults.fail_at = n;
            faults.error = error;
            faults.crash = crash;
            std::string what;
            if (crash) {
                pid_t pid = fork();
                REQUIRE(pid >= 0);
                if (pid == 0) {
                    ScopedFileFaults scope(faults);
                    try {
                        init_mailbox(dir, false);
                    } catch (...) {
                        _exit(1);
                    }
                    _exit(0);
                }
                int status = 0;
                REQUIRE(waitpid(pid, &status, 0) == pid);
                REQUIRE(WIFEXITED(status));
                if (WEXITSTATUS(status) == 0) {
                    break;
                }
                REQUIRE(WEXITSTATUS(status) == FileFaults::crash_status);
            } else {
                ScopedFileFaults scope(faults);
                try {
                    init_mailbox(dir, false);
                } catch (const Error& e) {
                    what = e.what();
                }
                if (faults.failed.empty()) {
                    CHECK(what == "");
                    break;
                }
            }
            ++met;
            INFO("call " << n << " on " << faults.failed << " failed (" << error
                         << "); init said: " << what);
            if (!crash) {
                CHECK(what != "");
                CHECK(temp_files(dir).empty());
            }
            // Not a mailbox yet, so init runs again; or a whole one.
            if (fs::exists(dir / "mailbox.toml")) {
                CHECK(crash);
                CHECK(read_file(dir / "mailbox.toml") == k_sample_config);
            } else {
                init_mailbox(dir, false);
            }
            CHECK(check_mailbox(dir, true).problems.empty());
        }
        CHECK(met >= 3);
    }
}
