#include "reply/draft.hpp"
#include "test_util.hpp"
#include "util/error.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

using namespace mailbox;
using namespace mailbox::test;

namespace {

struct Fixture : TempMailbox {
    // A letter received then, assigned to `unit` a day later, in `status`;
    // an answered one was replied on 2026-11-10.
    std::string add(const std::string& id, const std::string& received,
                    const std::string& unit = "cgj", Status status = Status::assigned) {
        add_assigned(id, received, unit, status);
        if (status != Status::received && status != Status::assigned) {
            Case c = m->load(id);
            c.replied = at("2026-11-10T10:00:00+08:00");
            m->save(c);
        }
        return id;
    }
    // Links the cases as one letter sent several times.
    void link(const std::vector<std::string>& ids) {
        for (const std::string& id : ids) {
            Case c = m->load(id);
            c.group.clear();
            for (const std::string& other : ids) {
                if (other != id) {
                    c.group.push_back(other);
                }
            }
            m->save(c);
        }
    }
    void save(const Changed& changed) {
        for (const Case& c : changed) {
            m->save(c);
        }
    }
    Context ctx() const { return at_time("2026-11-05T10:00:00+08:00"); }
};

DraftInput answer(const std::string& text, Outcome outcome = Outcome::resolved) {
    DraftInput in;
    in.text = text;
    in.outcome = outcome;
    return in;
}

const std::string k_text =
    "经现场核查，建设路路灯不亮系线路老化所致，已于11月5日更换线路，恢复照明。";

} // namespace

TEST_CASE("a draft needs a case assigned to a unit: not one still received",
          "[reply][reply-draft]") {
    Fixture f;
    std::string id = f.add("261102-000100", "2026-11-02T09:00:00+08:00", "", Status::received);
    CHECK_THROWS_AS(draft_case(*f.m, f.ctx(), id, answer(k_text)), GateRefused);
    CHECK_THROWS_WITH(draft_case(*f.m, f.ctx(), id, answer(k_text)),
                      "case 261102-000100 is not assigned yet: assign it to the unit that answers "
                      "it first (mailbox-assign)");
}

TEST_CASE("a draft is refused on a case already answered: replied, under tracking or closed",
          "[reply][reply-draft]") {
    Fixture f;
    std::string id = f.add("261102-000100", "2026-11-02T09:00:00+08:00", "cgj", Status::replied);
    CHECK_THROWS_AS(draft_case(*f.m, f.ctx(), id, answer(k_text)), GateRefused);
    CHECK_THROWS_WITH(draft_case(*f.m, f.ctx(), id, answer(k_text)),
                      "case 261102-000100 is replied: it was answered on 2026-11-10; a new "
                      "answer needs a new handling first (reopen --review, or feedback "
                      "--unsatisfied --reopen)");
    for (Status s : {Status::tracking, Status::closed}) {
        Case c = f.m->load(id);
        c.status = s;
        f.m->save(c);
        CHECK_THROWS_AS(draft_case(*f.m, f.ctx(), id, answer(k_text)), GateRefused);
    }
}

TEST_CASE("a draft records the trimmed text, outcome, unit, drafter and a 'draft' entry",
          "[reply][reply-draft]") {
    Fixture f;
    std::string id = f.add("261102-000100", "2026-11-02T09:00:00+08:00");
    Drafted out = draft_case(*f.m, f.ctx(), id, answer("\n  " + k_text + "  \n\n"));
    REQUIRE(out.cases.size() == 1);
    CHECK(out.answered.empty());
    CHECK_FALSE(out.report);
    const Case& c = out.cases.front();
    REQUIRE(c.draft);
    CHECK(c.draft->text == k_text);
    CHECK(c.draft->outcome == Outcome::resolved);
    CHECK(c.draft->unit == "cgj");
    CHECK(c.draft->by == "李明");
    CHECK(c.draft->at == at("2026-11-05T10:00:00+08:00"));
    CHECK(c.draft->state == DraftState::drafted);
    CHECK(c.draft->rounds == 0);
    CHECK(c.draft->report.empty());
    CHECK(c.status == Status::assigned);
    CHECK(c.history.back().action == Action::draft);
    CHECK(c.history.back().note == fmt::format("resolved; {} characters", answer_length(k_text)));
    // Nothing is written until the caller saves.
    CHECK_FALSE(f.m->load(id).draft);
    f.save(out.cases);
    Case back = f.m->load(id);
    REQUIRE(back.draft);
    CHECK(back.draft->text == k_text);
    CHECK(back.draft->by == "李明");
}

TEST_CASE("an explained answer needs its basis", "[reply][reply-draft]") {
    Fixture f;
    std::string id = f.add("261102-000100", "2026-11-02T09:00:00+08:00");
    DraftInput in = answer(k_text, Outcome::explained);
    CHECK_THROWS_AS(draft_case(*f.m, f.ctx(), id, in), UsageError);
    CHECK_THROWS_WITH(draft_case(*f.m, f.ctx(), id, in),
                      "--outcome explained needs --basis: the policy the answer rests on");
    in.basis = " \n ";
    CHECK_THROWS_WITH(draft_case(*f.m, f.ctx(), id, in),
                      "--outcome explained needs --basis: the policy the answer rests on");
    in.basis = "  《城市照明管理规定》第十条 \n";
    Case c = draft_case(*f.m, f.ctx(), id, in).cases.front();
    CHECK(c.draft->outcome == Outcome::explained);
    CHECK(c.draft->basis == "《城市照明管理规定》第十条");
}

TEST_CASE("a planned answer needs its steps and a target date", "[reply][reply-draft]") {
    Fixture f;
    std::string id = f.add("261102-000100", "2026-11-02T09:00:00+08:00");
    const std::string message =
        "--outcome planned needs --steps and --target-date: what will be done, and by when";
    DraftInput in = answer(k_text, Outcome::planned);
    CHECK_THROWS_AS(draft_case(*f.m, f.ctx(), id, in), UsageError);
    CHECK_THROWS_WITH(draft_case(*f.m, f.ctx(), id, in), message);
    in.steps = "一、排查线路\n二、更换灯具";
    CHECK_THROWS_WITH(draft_case(*f.m, f.ctx(), id, in), message);
    in.steps.clear();
    in.target_date = day(2027, 3, 1);
    CHECK_THROWS_WITH(draft_case(*f.m, f.ctx(), id, in), message);
    in.steps = "一、排查线路\n二、更换灯具";
    Case c = draft_case(*f.m, f.ctx(), id, in).cases.front();
    CHECK(c.draft->steps == "一、排查线路\n二、更换灯具");
    CHECK(c.draft->target_date == day(2027, 3, 1));
    CHECK(c.history.back().note ==
          fmt::format("planned; {} characters; target 2027-03-01", answer_length(k_text)));
}

TEST_CASE("an empty answer is refused", "[reply][reply-draft]") {
    Fixture f;
    std::string id = f.add("261102-000100", "2026-11-02T09:00:00+08:00");
    for (std::string text : {"", " \n\t\r\n  "}) {
        CHECK_THROWS_AS(draft_case(*f.m, f.ctx(), id, answer(text)), UsageError);
        CHECK_THROWS_WITH(draft_case(*f.m, f.ctx(), id, answer(text)),
                          "the answer is empty; nothing written");
    }
}

TEST_CASE("an answer, basis or steps that is not UTF-8 is refused, with the byte",
          "[reply][reply-draft]") {
    Fixture f;
    std::string id = f.add("261102-000100", "2026-11-02T09:00:00+08:00");
    // "答复" in GB18030: 0xB4 0xF0 0xB8 0xB4.
    const std::string gb = "ab\xB4\xF0\xB8\xB4";
    CHECK_THROWS_AS(draft_case(*f.m, f.ctx(), id, answer(gb)), UsageError);
    CHECK_THROWS_WITH(draft_case(*f.m, f.ctx(), id, answer(gb)),
                      "the answer: not UTF-8 (byte 3); convert it first, e.g. "
                      "'iconv -f gb18030 -t utf-8'");
    DraftInput in = answer(k_text, Outcome::explained);
    in.basis = gb;
    CHECK_THROWS_WITH(draft_case(*f.m, f.ctx(), id, in),
                      "--basis: not UTF-8 (byte 3); convert it first, e.g. "
                      "'iconv -f gb18030 -t utf-8'");
    in = answer(k_text, Outcome::planned);
    in.steps = gb;
    in.target_date = day(2027, 3, 1);
    CHECK_THROWS_WITH(draft_case(*f.m, f.ctx(), id, in),
                      "--steps: not UTF-8 (byte 3); convert it first, e.g. "
                      "'iconv -f gb18030 -t utf-8'");
}

TEST_CASE("a linked group gets the same draft on every assigned member, answered ones are "
          "listed and left alone",
          "[reply][reply-draft]") {
    Fixture f;
    std::string a = f.add("261102-000100", "2026-11-02T09:00:00+08:00");
    std::string b = f.add("261103-000100", "2026-11-03T09:00:00+08:00");
    std::string c = f.add("261101-000100", "2026-11-01T09:00:00+08:00", "cgj", Status::replied);
    f.link({a, b, c});
    Drafted out = draft_case(*f.m, f.ctx(), b, answer(k_text));
    REQUIRE(out.cases.size() == 2);
    CHECK(out.cases[0].id == b);
    CHECK(out.cases[1].id == a);
    CHECK(out.answered == std::vector<std::string>{c});
    for (const Case& m : out.cases) {
        REQUIRE(m.draft);
        CHECK(m.draft->text == k_text);
        CHECK(m.draft->unit == "cgj");
        CHECK(m.history.back().action == Action::draft);
    }
    std::string note = fmt::format("resolved; {} characters", answer_length(k_text));
    CHECK(out.cases[0].history.back().note == note);
    CHECK(out.cases[1].history.back().note == note + " (the group's answer, with 261103-000100)");
    // The answered member is neither changed nor returned.
    Case answered = f.m->load(c);
    CHECK_FALSE(answered.draft);
    CHECK(answered.status == Status::replied);
}

TEST_CASE("a redraft keeps the rounds and the report, and starts the review over",
          "[reply][reply-draft]") {
    Fixture f;
    std::string id = f.add("261102-000100", "2026-11-02T09:00:00+08:00");
    Case c = f.m->load(id);
    Draft old;
    old.text = "旧的答复";
    old.unit = "cgj";
    old.by = "王五";
    old.at = at("2026-11-04T10:00:00+08:00");
    old.state = DraftState::rejected;
    old.rounds = 2;
    old.report = "cases/2026/261102-000100.report.pdf";
    old.reviewer = "张华";
    c.draft = old;
    f.m->save(c);

    Case again = draft_case(*f.m, f.ctx(), id, answer(k_text)).cases.front();
    REQUIRE(again.draft);
    CHECK(again.draft->text == k_text);
    CHECK(again.draft->state == DraftState::drafted);
    CHECK(again.draft->rounds == 2);
    CHECK(again.draft->report == "cases/2026/261102-000100.report.pdf");
    CHECK(again.draft->reviewer.empty());
    CHECK(again.draft->by == "李明");
    CHECK(again.history.back().action == Action::redraft);

    // An approved answer drafted again needs a new review as well.
    again.draft->state = DraftState::approved;
    f.m->save(again);
    Case third = draft_case(*f.m, f.ctx(), id, answer(k_text + "补充")).cases.front();
    CHECK(third.draft->state == DraftState::drafted);
    CHECK(third.history.back().action == Action::redraft);
}

TEST_CASE("the unit's report is kept as cases/YYYY/ID.report.EXT, the extension lowercased",
          "[reply][reply-draft]") {
    Fixture f;
    std::string a = f.add("261102-000100", "2026-11-02T09:00:00+08:00");
    std::string b = f.add("261103-000100", "2026-11-03T09:00:00+08:00");
    f.link({a, b});
    TempDir dir;
    auto report = dir.path() / "承办报告.PDF";
    write_text(report, "%PDF-1.4 报告");
    DraftInput in = answer(k_text);
    in.report = report;
    Drafted out = draft_case(*f.m, f.ctx(), a, in);
    REQUIRE(out.report);
    CHECK(out.report->path == "cases/2026/261102-000100.report.pdf");
    CHECK(out.report->bytes == "%PDF-1.4 报告");
    REQUIRE(out.cases.size() == 2);
    for (const Case& c : out.cases) {
        CHECK(c.draft->report == "cases/2026/261102-000100.report.pdf");
    }
    CHECK(out.cases[0].history.back().note ==
          fmt::format("resolved; {} characters; report 承办报告.PDF kept as "
                      "cases/2026/261102-000100.report.pdf",
                      answer_length(k_text)));
    // The caller writes it.
    CHECK_FALSE(std::filesystem::exists(f.m->absolute(out.report->path)));
}

TEST_CASE("a report named .toml, or with an odd extension or none, is kept as .bin",
          "[reply][reply-draft]") {
    Fixture f;
    std::string id = f.add("261102-000100", "2026-11-02T09:00:00+08:00");
    TempDir dir;
    auto kept = [&](const std::string& name) {
        auto file = dir.path() / name;
        write_text(file, "report");
        DraftInput in = answer(k_text);
        in.report = file;
        return draft_case(*f.m, f.ctx(), id, in).report.value().path;
    };
    CHECK(kept("report.toml") == "cases/2026/261102-000100.report.bin");
    CHECK(kept("report") == "cases/2026/261102-000100.report.bin");
    CHECK(kept("report.") == "cases/2026/261102-000100.report.bin");
    CHECK(kept("report.p-f") == "cases/2026/261102-000100.report.bin");
    CHECK(kept("report.报告") == "cases/2026/261102-000100.report.bin");
    CHECK(kept("report.verylongext") == "cases/2026/261102-000100.report.bin");
    CHECK(kept("report.Docx") == "cases/2026/261102-000100.report.docx");
    CHECK(kept("scan.tar.GZ") == "cases/2026/261102-000100.report.gz");
}

TEST_CASE("a report named .TOML is kept as .bin, never as a .toml beside the cases",
          "[reply][reply-draft]") {
    Fixture f;
    std::string id = f.add("261102-000100", "2026-11-02T09:00:00+08:00");
    TempDir dir;
    auto file = dir.path() / "REPORT.TOML";
    write_text(file, "report");
    DraftInput in = answer(k_text);
    in.report = file;
    CHECK(draft_case(*f.m, f.ctx(), id, in).report.value().path ==
          "cases/2026/261102-000100.report.bin");
}

TEST_CASE("a report over 20 MB is refused, one of exactly 20 MB is kept", "[reply][reply-draft]") {
    Fixture f;
    std::string id = f.add("261102-000100", "2026-11-02T09:00:00+08:00");
    TempDir dir;
    auto big = dir.path() / "big.pdf";
    write_text(big, "");
    std::filesystem::resize_file(big, k_max_report_bytes + 1);
    DraftInput in = answer(k_text);
    in.report = big;
    CHECK_THROWS_AS(draft_case(*f.m, f.ctx(), id, in), UsageError);
    CHECK_THROWS_WITH(draft_case(*f.m, f.ctx(), id, in),
                      "--report '" + big.string() +
                          "': 20971521 bytes; at most 20 MB are kept beside a case");

    std::filesystem::resize_file(big, k_max_report_bytes);
    Drafted out = draft_case(*f.m, f.ctx(), id, in);
    REQUIRE(out.report);
    CHECK(out.report->bytes.size() == k_max_report_bytes);

    in.report = dir.path() / "missing.pdf";
    CHECK_THROWS_AS(draft_case(*f.m, f.ctx(), id, in), UsageError);
    CHECK_THROWS_WITH(
        draft_case(*f.m, f.ctx(), id, in),
        Catch::StartsWith("--report '" + (dir.path() / "missing.pdf").string() + "': "));
}

TEST_CASE("answer_length counts characters, not bytes, and skips spaces and line breaks",
          "[reply][reply-draft]") {
    CHECK(answer_length("") == 0);
    CHECK(answer_length("abc") == 3);
    CHECK(answer_length("路灯") == 2);
    CHECK(answer_length("建设路 路灯\n已修复\r\n\t。") == 9);
    CHECK(answer_length(" \n\t\r ") == 0);
    CHECK(answer_length("G320国道") == 6);
}

TEST_CASE("the editor opens on the current draft, then the letter quoted as '# ' lines",
          "[reply][reply-draft]") {
    Fixture f;
    std::string id = f.add("261102-000100", "2026-11-02T09:00:00+08:00");
    Case c = f.m->load(id);
    c.subject = "建设路路灯不亮";
    c.body = "第一行\n第二行";
    std::string fresh = draft_editor_text(c, f.m->config());
    CHECK(fresh.starts_with("\n# Write the answer above."));
    CHECK(fresh.find("# Case 261102-000100  received 2026-11-02  unit cgj\n") != std::string::npos);
    CHECK(fresh.find("\n# 市城市管理综合执法局\n") != std::string::npos);
    CHECK(fresh.find("\n# Subject: 建设路路灯不亮\n") != std::string::npos);
    CHECK(fresh.find("\n# From: 王磊\n") != std::string::npos);
    CHECK(fresh.ends_with("\n# 第一行\n# 第二行\n"));
    // Every line but the blank first one is a comment.
    std::size_t start = fresh.find('\n') + 1;
    while (start < fresh.size()) {
        std::size_t end = fresh.find('\n', start);
        CHECK(fresh.substr(start, end - start).starts_with("#"));
        start = end + 1;
    }

    c.draft = Draft{};
    c.draft->text = "原答复第一段\n\n原答复第二段";
    std::string again = draft_editor_text(c, f.m->config());
    CHECK(again.starts_with("原答复第一段\n\n原答复第二段\n\n# Write the answer above."));
}

TEST_CASE("edited_draft drops comment lines and trims, nothing for an empty or unchanged answer",
          "[reply][reply-draft]") {
    Fixture f;
    std::string id = f.add("261102-000100", "2026-11-02T09:00:00+08:00");
    Case c = f.m->load(id);
    std::string opened = draft_editor_text(c, f.m->config());
    CHECK_FALSE(edited_draft(opened, opened));
    CHECK_FALSE(edited_draft("# only a comment\n\n  \n", opened));
    CHECK_FALSE(edited_draft("", opened));
    CHECK(edited_draft("\n\n第一段\n# 注释\n\n第二段\n\n" + opened, opened) ==
          std::string("第一段\n\n第二段"));
    // A '#' that does not start the line is text.
    CHECK(edited_draft("第 #3 号楼\n" + opened, opened) == std::string("第 #3 号楼"));

    c.draft = Draft{};
    c.draft->text = "原答复";
    opened = draft_editor_text(c, f.m->config());
    CHECK_FALSE(edited_draft(opened, opened));
    // The same answer with other comments or blank lines is still unchanged.
    CHECK_FALSE(edited_draft("\n原答复\n\n# gone\n", opened));
    CHECK(edited_draft("原答复，补充\n" + opened.substr(opened.find('\n')), opened) ==
          std::string("原答复，补充"));
}

TEST_CASE("a draft may not be dated before the case's last change", "[reply][reply-draft]") {
    Fixture f;
    std::string id = f.add("261102-000100", "2026-11-02T09:00:00+08:00"); // assigned 11-03 09:00
    Context before = f.at_time("2026-11-03T08:59:59+08:00");
    CHECK_THROWS_AS(draft_case(*f.m, before, id, answer(k_text)), UsageError);
    CHECK_THROWS_WITH(draft_case(*f.m, before, id, answer(k_text)),
                      "case 261102-000100 last changed at 2026-11-03T09:00:00+08:00; acting at "
                      "2026-11-03T08:59:59+08:00 would put its history out of order");
    // The same moment is in order.
    Context same = f.at_time("2026-11-03T09:00:00+08:00");
    CHECK(draft_case(*f.m, same, id, answer(k_text)).cases.size() == 1);
}

// The ideographic space U+3000 that Chinese answers indent paragraphs with
// is no character of the answer, so indentation alone never counts toward
// review.min_length.
TEST_CASE("answer_length skips the ideographic space (U+3000) too", "[reply][reply-draft]") {
    CHECK(answer_length("\u3000\u3000已修复") == 3);
}
