#include "reply/draft.hpp"
#include "reply/review.hpp"
#include "test_util.hpp"
#include "util/error.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <fmt/format.h>

using namespace mailbox;
using namespace mailbox::test;

namespace {

const std::string k_subject = "建设路路灯不亮";
const std::string k_text =
    "经现场核查，建设路路灯不亮系线路老化所致，已于11月5日更换线路，恢复照明。";

struct Fixture : TempMailbox {
    // An assigned letter about k_subject, drafted by 李明 with `text`.
    std::string add(const std::string& id, const std::string& received,
                    const std::string& text = k_text, Outcome outcome = Outcome::resolved) {
        add_assigned(id, received, "cgj");
        Case c = m->load(id);
        c.subject = k_subject;
        c.draft = draft_of(text, outcome);
        m->save(c);
        return id;
    }
    static Draft draft_of(const std::string& text, Outcome outcome = Outcome::resolved) {
        Draft d;
        d.text = text;
        d.outcome = outcome;
        d.unit = "cgj";
        d.by = "李明";
        d.at = at("2026-11-04T10:00:00+08:00");
        return d;
    }
    void link(const std::vector<std::string>& ids) {
        for (const std::string& id : ids) {
            Case c = m->load(id);
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
    // 张华 reviews: not the drafter.
    Context reviewer(const std::string& iso = "2026-11-05T10:00:00+08:00") const {
        Timestamp now = at(iso);
        return Context{t.path(), "张华", now, now.day()};
    }
};

// A case about k_subject with a draft, not in any mailbox.
Case case_with(const std::string& text, Outcome outcome = Outcome::resolved) {
    Case c;
    c.id = "261102-000100";
    c.subject = k_subject;
    c.status = Status::assigned;
    c.handler = "cgj";
    c.draft = Fixture::draft_of(text, outcome);
    return c;
}

Verdict approve(const std::string& note = "", bool exemplary = false) {
    return Verdict{true, note, exemplary};
}

Verdict reject(const std::string& note) {
    return Verdict{false, note, false};
}

std::vector<std::string> sorted(std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
}

} // namespace

TEST_CASE("review_problems finds nothing wrong with a good draft", "[reply][reply-review]") {
    Config config = sample_config();
    CHECK(review_problems(case_with(k_text), config).empty());
    Case explained = case_with(k_text, Outcome::explained);
    explained.draft->basis = "《城市照明管理规定》";
    CHECK(review_problems(explained, config).empty());
    Case planned = case_with(k_text, Outcome::planned);
    planned.draft->steps = "一、排查线路";
    planned.draft->target_date = day(2027, 3, 1);
    CHECK(review_problems(planned, config).empty());
}

TEST_CASE("review_problems: no draft to review", "[reply][reply-review]") {
    Case c = case_with(k_text);
    c.draft.reset();
    CHECK(review_problems(c, sample_config()) ==
          std::vector<std::string>{"there is no draft to review"});
}

TEST_CASE("review_problems: an explained answer without its basis", "[reply][reply-review]") {
    CHECK(review_problems(case_with(k_text, Outcome::explained), sample_config()) ==
          std::vector<std::string>{
              "outcome 'explained' needs its basis: the policy the answer rests on"});
}

TEST_CASE("review_problems: a planned answer without steps, without a target date",
          "[reply][reply-review]") {
    Config config = sample_config();
    Case c = case_with(k_text, Outcome::planned);
    CHECK(review_problems(c, config) ==
          std::vector<std::string>{"outcome 'planned' needs its steps",
                                   "outcome 'planned' needs a target date"});
    c.draft->steps = "一、排查线路";
    CHECK(review_problems(c, config) ==
          std::vector<std::string>{"outcome 'planned' needs a target date"});
    c.draft->steps.clear();
    c.draft->target_date = day(2027, 3, 1);
    CHECK(review_problems(c, config) ==
          std::vector<std::string>{"outcome 'planned' needs its steps"});
}

TEST_CASE("review_problems: an answer shorter than review.min_length", "[reply][reply-review]") {
    Config config = sample_config();
    // 10 characters, the spaces not counted.
    CHECK(review_problems(case_with("建设路 路灯 已经修复 好"), config) ==
          std::vector<std::string>{
              "the answer has 10 characters; at least 30 are needed (review.min_length)"});
    config.review.min_length = 200;
    auto found = review_problems(case_with(k_text), config);
    REQUIRE(found.size() == 1);
    CHECK(found[0] == fmt::format("the answer has {} characters; at least 200 are needed "
                                  "(review.min_length)",
                                  answer_length(k_text)));
    config.review.min_length = static_cast<int>(answer_length(k_text));
    CHECK(review_problems(case_with(k_text), config).empty());
}

TEST_CASE("review_problems: each placeholder left in the answer, with its line",
          "[reply][reply-review]") {
    Config config = sample_config();
    std::string text = k_text + "\n联系人：某某\n电话：XX-XXXX\n{{phone}}";
    CHECK(review_problems(case_with(text), config) ==
          std::vector<std::string>{
              "the answer still holds placeholder text '{{' (line 4)",
              "the answer still holds placeholder text 'XX' (line 3)",
              "the answer still holds placeholder text '某某' (line 2)",
          });
    CHECK(review_problems(case_with("（待填）" + k_text), config) ==
          std::vector<std::string>{"the answer still holds placeholder text '（待填）' (line 1)"});
    config.review.placeholders = {"待补充"};
    CHECK(review_problems(case_with(text), config).empty());
}

TEST_CASE("review_problems: an answer that does not name the letter", "[reply][reply-review]") {
    Config config = sample_config();
    std::string form = "您反映的事项已收悉，我单位高度重视，已安排专人办理，后续将按规定妥善处理。";
    CHECK(review_problems(case_with(form), config) ==
          std::vector<std::string>{
              "the answer does not name the letter: neither the case id nor enough of its "
              "subject's key words (不亮, 建设, 灯不, 设路, 路灯, 路路) appear"});
    // The case id names it, and so do a third of the key words.
    CHECK(review_problems(case_with(form + "（来信编号261102-000100）"), config).empty());
    CHECK(review_problems(case_with(form + "建设路路灯"), config).empty());
    CHECK(review_problems(case_with(form + "路灯"), config).size() == 1);
    config.review.require_addressed = false;
    CHECK(review_problems(case_with(form), config).empty());
}

TEST_CASE("review_problems reports every failing check at once", "[reply][reply-review]") {
    Case c = case_with("某某", Outcome::explained);
    auto found = review_problems(c, sample_config());
    CHECK(found.size() == 4); // basis, length, placeholder, not addressed
}

TEST_CASE("subject keywords: character pairs and Latin words, without the common words",
          "[reply][reply-review]") {
    CHECK(sorted(subject_keywords("关于建设路坑洼问题的反映")) ==
          sorted({"建设", "设路", "路坑", "坑洼"}));
    // A common word splits the run: no pair spans it.
    CHECK(sorted(subject_keywords("建设路的路灯")) == sorted({"建设", "设路", "路灯"}));
    CHECK(sorted(subject_keywords("G320国道ETC收费站 拥堵")) ==
          sorted({"g320", "国道", "etc", "收费", "费站", "拥堵"}));
    // Single characters and single letters or digits say nothing.
    CHECK(subject_keywords("关于问题的反映").empty());
    CHECK(subject_keywords("路 a 3").empty());
    CHECK(subject_keywords("").empty());
    // Each pair once.
    CHECK(sorted(subject_keywords("路灯路灯")) == sorted({"灯路", "路灯"}));
}

TEST_CASE("approval is refused while a check fails, and the failures are given",
          "[reply][reply-review]") {
    Fixture f;
    std::string id = f.add("261102-000100", "2026-11-02T09:00:00+08:00", "路灯已修复");
    std::vector<std::string> problems;
    CHECK_THROWS_AS(review_case(*f.m, f.reviewer(), id, approve(), &problems), GateRefused);
    CHECK(problems == review_problems(f.m->load(id), f.m->config()));
    CHECK(problems.size() == 2);
    CHECK_THROWS_WITH(review_case(*f.m, f.reviewer(), id, approve()),
                      "case 261102-000100: approval refused: 2 checks failed");

    Case c = f.m->load(id);
    c.draft->text = k_text.substr(0, k_text.find("，已于"));
    f.m->save(c);
    CHECK_THROWS_WITH(review_case(*f.m, f.reviewer(), id, approve()),
                      "case 261102-000100: approval refused: 1 check failed");
    // A rejection is not held up by the checks.
    CHECK(review_case(*f.m, f.reviewer(), id, reject("太短")).front().draft->state ==
          DraftState::rejected);
}

TEST_CASE("a review may not be dated before the case's last change", "[reply][reply-review]") {
    Fixture f;
    std::string id = f.add("261102-000100", "2026-11-02T09:00:00+08:00"); // assigned 11-03 09:00
    Context early = f.reviewer("2026-11-03T08:00:00+08:00");
    CHECK_THROWS_AS(review_case(*f.m, early, id, approve()), UsageError);
    CHECK_THROWS_AS(review_case(*f.m, early, id, reject("改")), UsageError);
    f.save(review_case(*f.m, f.reviewer(), id, approve()));
    CHECK_THROWS_AS(mark_exemplary(*f.m, early, id, "好"), UsageError);
}

TEST_CASE("the drafter may not review their own answer unless review.allow_self",
          "[reply][reply-review]") {
    Fixture f;
    std::string id = f.add("261102-000100", "2026-11-02T09:00:00+08:00");
    Context self = f.at_time("2026-11-05T10:00:00+08:00"); // 李明, who drafted it
    const std::string message = "case 261102-000100: 李明 drafted this answer and may not review "
                                "it (review.allow_self = false)";
    CHECK_THROWS_AS(review_case(*f.m, self, id, approve()), GateRefused);
    CHECK_THROWS_WITH(review_case(*f.m, self, id, approve()), message);
    CHECK_THROWS_WITH(review_case(*f.m, self, id, reject("改")), message);

    Config config = f.m->config();
    config.review.allow_self = true;
    Mailbox lenient(f.t.path(), config);
    Case c = review_case(lenient, self, id, approve()).front();
    CHECK(c.draft->state == DraftState::approved);
    CHECK(c.draft->reviewer == "李明");
}

TEST_CASE("approval marks the draft approved, counts the round and names the reviewer on "
          "every group member",
          "[reply][reply-review]") {
    Fixture f;
    std::string a = f.add("261102-000100", "2026-11-02T09:00:00+08:00");
    std::string b = f.add("261103-000100", "2026-11-03T09:00:00+08:00");
    f.link({a, b});
    Changed changed = review_case(*f.m, f.reviewer(), b, approve());
    REQUIRE(changed.size() == 2);
    CHECK(changed[0].id == b);
    CHECK(changed[1].id == a);
    for (const Case& c : changed) {
        CHECK(c.draft->state == DraftState::approved);
        CHECK(c.draft->rounds == 1);
        CHECK(c.draft->reviewer == "张华");
        CHECK(c.rejections.empty());
        CHECK_FALSE(c.exemplary);
        CHECK(c.history.back().action == Action::approve);
        CHECK(c.history.back().note == "round 1");
        CHECK(c.history.back().by == "张华");
    }
    f.save(changed);
    CHECK_THROWS_AS(review_case(*f.m, f.reviewer(), a, approve()), GateRefused);
    CHECK_THROWS_WITH(review_case(*f.m, f.reviewer(), a, approve()),
                      "case 261102-000100: the draft is already approved");
}

TEST_CASE("a rejection needs a note, it counts the round on each member and the unit's "
          "rejection once, on the case reviewed",
          "[reply][reply-review]") {
    Fixture f;
    std::string a = f.add("261102-000100", "2026-11-02T09:00:00+08:00");
    std::string b = f.add("261103-000100", "2026-11-03T09:00:00+08:00");
    f.link({a, b});
    CHECK_THROWS_AS(review_case(*f.m, f.reviewer(), a, reject("")), UsageError);
    CHECK_THROWS_WITH(review_case(*f.m, f.reviewer(), a, reject("")),
                      "a rejection needs a note saying what to change (--note)");
    Changed changed = review_case(*f.m, f.reviewer(), a, reject("请写明整改时限"));
    REQUIRE(changed.size() == 2);
    for (const Case& c : changed) {
        CHECK(c.draft->state == DraftState::rejected);
        CHECK(c.draft->rounds == 1);
        CHECK(c.draft->reviewer == "张华");
        // One answer, one rejection: counted on the case reviewed only.
        CHECK(c.rejections ==
              (c.id == a ? std::vector<std::string>{"cgj"} : std::vector<std::string>{}));
        CHECK(c.history.back().action == Action::reject);
        CHECK(c.history.back().note == "round 1: 请写明整改时限");
    }
    f.save(changed);

    // Nor rejected twice: each rejection counts against the unit.
    CHECK_THROWS_AS(review_case(*f.m, f.reviewer(), a, reject("再改")), GateRefused);
    CHECK_THROWS_WITH(review_case(*f.m, f.reviewer(), a, reject("再改")),
                      "case 261102-000100: the draft is already rejected");

    // A rejected draft cannot be approved: it needs a new one.
    CHECK_THROWS_AS(review_case(*f.m, f.reviewer(), a, approve()), GateRefused);
    CHECK_THROWS_WITH(review_case(*f.m, f.reviewer(), a, approve()),
                      "case 261102-000100: the draft was rejected; it needs a new draft first");

    // Redrafted, the next review is the second round.
    Context unit = f.at_time("2026-11-06T10:00:00+08:00");
    DraftInput redraft;
    redraft.text = k_text + "预计11月10日前完工。";
    f.save(draft_case(*f.m, unit, a, redraft).cases);
    Changed second = review_case(*f.m, f.reviewer("2026-11-07T10:00:00+08:00"), a, approve());
    REQUIRE(second.size() == 2);
    for (const Case& c : second) {
        CHECK(c.draft->state == DraftState::approved);
        CHECK(c.draft->rounds == 2);
        // One answer, one rejection: counted on the case reviewed only.
        CHECK(c.rejections ==
              (c.id == a ? std::vector<std::string>{"cgj"} : std::vector<std::string>{}));
        CHECK(c.history.back().note == "round 2");
    }
}

TEST_CASE("a rejection names the draft's unit, even after the case moved to another",
          "[reply][reply-review]") {
    Fixture f;
    std::string id = f.add("261102-000100", "2026-11-02T09:00:00+08:00");
    Case c = f.m->load(id);
    c.handler = "jtj";
    f.m->save(c);
    CHECK(review_case(*f.m, f.reviewer(), id, reject("改")).front().rejections ==
          std::vector<std::string>{"cgj"});
}

TEST_CASE("approving with --exemplary records the reviewer's note as the exemplary reason",
          "[reply][reply-review]") {
    Fixture f;
    std::string id = f.add("261102-000100", "2026-11-02T09:00:00+08:00");
    CHECK_THROWS_AS(review_case(*f.m, f.reviewer(), id, approve("", true)), UsageError);
    CHECK_THROWS_WITH(review_case(*f.m, f.reviewer(), id, approve("", true)),
                      "--exemplary needs a --note saying why the handling is exemplary");
    Case c = review_case(*f.m, f.reviewer(), id, approve("处理迅速，答复详实", true)).front();
    CHECK(c.exemplary == std::string("处理迅速，答复详实"));
    REQUIRE(c.history.size() >= 2);
    CHECK(c.history[c.history.size() - 2].action == Action::approve);
    CHECK(c.history[c.history.size() - 2].note == "round 1: 处理迅速，答复详实");
    CHECK(c.history.back().action == Action::exemplary);
    CHECK(c.history.back().note == "处理迅速，答复详实");

    Fixture g;
    std::string other = g.add("261102-000100", "2026-11-02T09:00:00+08:00");
    Case plain = review_case(*g.m, g.reviewer(), other, approve("好")).front();
    CHECK_FALSE(plain.exemplary);
    CHECK(plain.history.back().action == Action::approve);
}

TEST_CASE("there is no review without a draft, nor of an answer already sent",
          "[reply][reply-review]") {
    Fixture f;
    f.add_assigned("261102-000100", "2026-11-02T09:00:00+08:00", "cgj");
    CHECK_THROWS_AS(review_case(*f.m, f.reviewer(), "261102-000100", approve()), GateRefused);
    CHECK_THROWS_WITH(review_case(*f.m, f.reviewer(), "261102-000100", reject("改")),
                      "case 261102-000100 has no draft to review (mailbox-reply draft)");

    std::string id = f.add("261103-000100", "2026-11-03T09:00:00+08:00");
    Case c = f.m->load(id);
    c.status = Status::replied;
    c.replied = at("2026-11-10T10:00:00+08:00");
    f.m->save(c);
    CHECK_THROWS_AS(review_case(*f.m, f.reviewer(), id, approve()), GateRefused);
    CHECK_THROWS_WITH(review_case(*f.m, f.reviewer(), id, reject("改")),
                      "case 261103-000100 is replied: its answer was already sent");
}

TEST_CASE("mark_exemplary needs an approved or answered handling, and a note",
          "[reply][reply-review]") {
    Fixture f;
    f.add_assigned("261101-000100", "2026-11-01T09:00:00+08:00", "cgj");
    std::string id = f.add("261102-000100", "2026-11-02T09:00:00+08:00");
    Context ctx = f.reviewer();
    CHECK_THROWS_AS(mark_exemplary(*f.m, ctx, "261101-000100", "好"), GateRefused);
    CHECK_THROWS_AS(mark_exemplary(*f.m, ctx, id, "好"), GateRefused);
    CHECK_THROWS_WITH(mark_exemplary(*f.m, ctx, id, "好"),
                      "case 261102-000100 has no approved answer yet: only a handling reviewed "
                      "or answered can be exemplary");
    CHECK_THROWS_AS(mark_exemplary(*f.m, ctx, id, ""), UsageError);
    CHECK_THROWS_WITH(mark_exemplary(*f.m, ctx, id, ""),
                      "say why the handling is exemplary (--note)");

    f.save(review_case(*f.m, ctx, id, approve()));
    Case c = mark_exemplary(*f.m, ctx, id, "现场办结").front();
    CHECK(c.exemplary == std::string("现场办结"));
    CHECK(c.history.back().action == Action::exemplary);
    CHECK(c.history.back().note == "现场办结");

    // Answered: it may be marked after the reply, whatever became of the draft.
    c = f.m->load("261101-000100");
    c.status = Status::closed;
    c.replied = at("2026-11-10T10:00:00+08:00");
    f.m->save(c);
    CHECK(mark_exemplary(*f.m, ctx, "261101-000100", "群众满意").front().exemplary ==
          std::string("群众满意"));
}

TEST_CASE("mark_exemplary marks the whole group", "[reply][reply-review]") {
    Fixture f;
    std::string a = f.add("261102-000100", "2026-11-02T09:00:00+08:00");
    std::string b = f.add("261103-000100", "2026-11-03T09:00:00+08:00");
    f.link({a, b});
    f.save(review_case(*f.m, f.reviewer(), a, approve()));
    Changed changed = mark_exemplary(*f.m, f.reviewer(), a, "统一口径，答复及时");
    REQUIRE(changed.size() == 2);
    for (const Case& c : changed) {
        CHECK(c.exemplary == std::string("统一口径，答复及时"));
    }
}
