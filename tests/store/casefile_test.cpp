#include "store/casefile.hpp"
#include "test_util.hpp"
#include "util/atomic_file.hpp"

#include <catch2/catch.hpp>
#include <filesystem>

using namespace mailbox;
using namespace mailbox::test;

namespace {

// The message of the first problem parsing `text` as cases/2026/<id>.toml.
std::string first_problem(const std::string& text, const std::string& id = "261125-8K2QM7") {
    CaseParse p = parse_case_text(text, "cases/2026/" + id + ".toml", id);
    REQUIRE_FALSE(p.problems.empty());
    return p.problems.front().what();
}

std::string replace(std::string text, const std::string& from, const std::string& to) {
    auto pos = text.find(from);
    REQUIRE(pos != std::string::npos);
    return text.replace(pos, from.size(), to);
}

// Lines of b that differ from a, as "-old" / "+new".
std::vector<std::string> changed_lines(const std::string& a, const std::string& b) {
    auto split = [](const std::string& s) {
        std::vector<std::string> lines;
        std::size_t start = 0;
        for (std::size_t end; (end = s.find('\n', start)) != std::string::npos; start = end + 1) {
            lines.push_back(s.substr(start, end - start));
        }
        return lines;
    };
    auto x = split(a), y = split(b);
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < x.size() && i < y.size() && x[i] == y[i]) {
        ++i;
    }
    std::size_t ex = x.size(), ey = y.size();
    while (ex > i && ey > i && x[ex - 1] == y[ey - 1]) {
        --ex;
        --ey;
    }
    for (std::size_t k = i; k < ex; ++k) {
        out.push_back("-" + x[k]);
    }
    for (std::size_t k = i; k < ey; ++k) {
        out.push_back("+" + y[k]);
    }
    return out;
}

} // namespace

TEST_CASE("a case with every field round-trips byte for byte") {
    Case c = full_case();
    std::string text = write_case(c);
    Case back = parse_case(text, "x.toml", c.id);
    CHECK(back.body == c.body);
    CHECK(back.subject == c.subject);
    CHECK(back.attachments.size() == 2);
    CHECK(back.attachments[1].name == "a \"b\".pdf");
    CHECK(back.history.size() == 2);
    CHECK(back.history[1].note == "交办\n第二行");
    CHECK(back.co_units == c.co_units);
    CHECK(back.outcome == Outcome::in_progress);
    CHECK(back.satisfied() == false);
    CHECK(back.feedback == Feedback::unsatisfied);
    CHECK(back.on_time == false);
    CHECK(back.late == "very-overdue");
    CHECK(back.reopened_for == Reopening::review);
    CHECK(back.exemplary == "处理迅速");
    CHECK(back.rejections == c.rejections);
    REQUIRE(back.draft);
    CHECK(back.draft->text == c.draft->text);
    CHECK(back.draft->steps == c.draft->steps);
    CHECK(back.draft->target_date == c.draft->target_date);
    CHECK(back.draft->state == DraftState::approved);
    CHECK(back.draft->rounds == 3);
    REQUIRE(back.replies.size() == 2);
    CHECK(back.replies[0].message_id == c.replies[0].message_id);
    CHECK(back.replies[1].via == ReplyVia::sms);
    CHECK(back.due == c.due);
    CHECK(write_case(back) == text);
}

TEST_CASE("the tests' full case writes every key a case file can have") {
    // So that the round trips here and of the cache's rows cover a new field.
    std::vector<std::string> keys;
    for (const CaseField& f : case_fields(full_case())) {
        keys.push_back(f.key);
    }
    CHECK(keys == case_field_order());
}

TEST_CASE("the canonical layout: blank lines between fields, a comment before the history") {
    std::string text = write_case(full_case());
    CHECK(text.find("\nstatus = \"tracking\"\n\nreceived = 2026-11-25T09:30:00+08:00\n") !=
          std::string::npos);
    CHECK(text.find("\nsender.name = \"张三\"\n") != std::string::npos);
    CHECK(text.find("body = \"\"\"\n第一段，\t有制表符。\n") != std::string::npos);
    CHECK(text.find("\n# history:") != std::string::npos);
    CHECK(text.find("\n[[history]]\nid = ") != std::string::npos);
}

TEST_CASE("a change of status touches one line") {
    Case c = full_case();
    std::string before = write_case(c);
    c.status = Status::closed;
    auto diff = changed_lines(before, write_case(c));
    REQUIRE(diff.size() == 2);
    CHECK(diff[0] == "-status = \"tracking\"");
    CHECK(diff[1] == "+status = \"closed\"");
}

TEST_CASE("a history entry is appended at the end and changes nothing above") {
    Case c = full_case();
    std::string before = write_case(c);
    append_history(c, at("2026-12-02T08:00:00+08:00"), "王芳", Action::chase);
    std::string after = write_case(c);
    REQUIRE(after.size() > before.size());
    CHECK(after.substr(0, before.size()) == before);
}

TEST_CASE("history ids are derived from the entry and differ between entries") {
    Case c = full_case();
    CHECK(c.history[0].id.size() == 6);
    CHECK(c.history[0].id != c.history[1].id);
    CHECK(c.history[0].id == history_entry_id(c.id, c.history[0], 0));
}

TEST_CASE("every sample-data case round-trips byte for byte") {
    namespace fs = std::filesystem;
    int n = 0;
    for (const auto& e : fs::recursive_directory_iterator(source_dir() + "/sample-data/cases")) {
        if (e.path().extension() != ".toml") {
            continue;
        }
        std::string text = read_file(e.path());
        Case c = parse_case(text, e.path().string(), e.path().stem().string());
        INFO(e.path());
        CHECK(write_case(c) == text);
        ++n;
    }
    CHECK(n >= 40);
}

TEST_CASE("syntax errors carry file, line and column") {
    std::string text = write_case(full_case());
    text = replace(text, "channel = \"email\"", "channel = \"email");
    CHECK(first_problem(text).starts_with("cases/2026/261125-8K2QM7.toml:9:"));
}

TEST_CASE("a date written as a string is a wrong type at its position") {
    std::string text = replace(write_case(full_case()), "received = 2026-11-25T09:30:00+08:00",
                               "received = \"2026-11-25\"");
    CHECK(first_problem(text) ==
          "cases/2026/261125-8K2QM7.toml:7:12: wrong type for 'received': expected a date-time "
          "with a UTC offset (2026-11-25T09:30:00+08:00), found a string");
}

TEST_CASE("a missing required field is named") {
    std::string text = replace(write_case(full_case()), "subject = ", "xsubject = ");
    CaseParse p = parse_case_text(text, "c.toml", "261125-8K2QM7");
    REQUIRE(p.problems.size() == 2);
    CHECK(std::string(p.problems[0].what()) == "c.toml:1:1: missing required field 'subject'");
    CHECK(std::string(p.problems[1].what()) == "c.toml:11:1: unknown key 'xsubject'");
}

TEST_CASE("invalid UTF-8 is reported with its position") {
    std::string text = replace(write_case(full_case()), "张三", "\xE5\xBC");
    CHECK(first_problem(text).starts_with("cases/2026/261125-8K2QM7.toml:13:"));
}

TEST_CASE("git conflict markers are reported on their lines") {
    std::string text = replace(write_case(full_case()), "status = \"tracking\"\n",
                               "<<<<<<< HEAD\nstatus = \"tracking\"\n=======\nstatus = "
                               "\"closed\"\n>>>>>>> other\n");
    CaseParse p = parse_case_text(text, "c.toml", "261125-8K2QM7");
    REQUIRE(p.problems.size() == 3);
    CHECK(std::string(p.problems[0].what()) ==
          "c.toml:5:1: git conflict marker; resolve the merge and run check again");
    CHECK(p.problems[1].position.line == 7);
    CHECK(p.problems[2].position.line == 9);
}

TEST_CASE("an id that does not match its file name is refused") {
    std::string text = write_case(full_case());
    CHECK(first_problem(text, "261125-8K2QM8") ==
          "cases/2026/261125-8K2QM8.toml:3:6: case id '261125-8K2QM7' does not match its file "
          "name '261125-8K2QM8.toml'");
}

TEST_CASE("unknown status and channel values name what is allowed") {
    std::string text =
        replace(write_case(full_case()), "status = \"tracking\"", "status = \"open\"");
    CHECK(first_problem(text) == "cases/2026/261125-8K2QM7.toml:5:10: unknown status 'open': "
                                 "expected one of received, assigned, replied, tracking, closed");
}

TEST_CASE("a date-time without an offset is refused in a case file") {
    std::string text = replace(write_case(full_case()), "received = 2026-11-25T09:30:00+08:00",
                               "received = 2026-11-25T09:30:00");
    CHECK(first_problem(text).find("expected a date-time with a UTC offset") != std::string::npos);
}

TEST_CASE("a letter's own line of ======= is not taken for a conflict marker") {
    Case c = full_case();
    c.body = "=======\n<<<<<<< 引用\n正文\n>>>>>>> 结束\n|||||||\n";
    c.history[1].note = "=======";
    std::string text = write_case(c);
    CaseParse p = parse_case_text(text, "c.toml", c.id);
    CHECK(p.problems.empty());
    REQUIRE(p.value);
    CHECK(p.value->body == c.body);
    CHECK(write_case(*p.value) == text);
}
