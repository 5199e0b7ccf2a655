#include "model/calendar.hpp"
#include "reply/follow_up.hpp"
#include "reply/review.hpp"
#include "reply/send.hpp"
#include "store/cache/case_index.hpp"
#include "test_util.hpp"
#include "util/error.hpp"

#include <catch2/catch.hpp>

using namespace mailbox;
using namespace mailbox::test;

namespace {

struct Fixture : TempMailbox {
    // A letter assigned to cgj, answered at `replied` with an approved
    // answer, now in `status`.
    std::string answered(const std::string& id, const std::string& received,
                         const std::string& replied, Status status = Status::replied,
                         Outcome outcome = Outcome::resolved) {
        add_assigned(id, received, "cgj");
        Case c = m->load(id);
        Draft d;
        d.text = "经现场核查，路灯已修复。";
        d.outcome = outcome;
        d.unit = "cgj";
        d.by = "王五";
        d.at = c.received;
        d.state = DraftState::approved;
        d.rounds = 1;
        d.reviewer = "张华";
        c.draft = d;
        c.due = due_day(c, m->config());
        c.status = status;
        c.replied = at(replied);
        c.on_time = true;
        c.outcome = outcome;
        c.replies = {{ReplyVia::letter, "王磊", *c.replied, ""}};
        append_history(c, *c.replied, "李明", Action::reply, "letter to 王磊");
        if (status == Status::closed) {
            c.closed = at(replied);
            c.closed->local += date::days{1};
        }
        m->save(c);
        return id;
    }
    Case reload(const Changed& changed) {
        REQUIRE(changed.size() == 1);
        m->save(changed.front());
        return m->load(changed.front().id);
    }
};

} // namespace

TEST_CASE("feedback comes after the reply", "[reply][reply-follow-up]") {
    Fixture f;
    f.add_assigned("261102-000100", "2026-11-02T09:00:00+08:00", "cgj");
    Context ctx = f.at_time("2026-11-20T10:00:00+08:00");
    CHECK_THROWS_AS(record_feedback(*f.m, ctx, "261102-000100", Feedback::satisfied, "", false),
                    GateRefused);
    CHECK_THROWS_WITH(record_feedback(*f.m, ctx, "261102-000100", Feedback::unsatisfied, "", false),
                      "case 261102-000100 is assigned: feedback comes after the reply");
    f.add_assigned("261103-000100", "2026-11-03T09:00:00+08:00", "", Status::received);
    CHECK_THROWS_WITH(record_feedback(*f.m, ctx, "261103-000100", Feedback::satisfied, "", false),
                      "case 261103-000100 is received: feedback comes after the reply");
}

TEST_CASE("no follow-up may be dated before the case's last change", "[reply][reply-follow-up]") {
    Fixture f;
    std::string id = f.answered("261102-000100", "2026-11-02T09:00:00+08:00",
                                "2026-11-10T10:00:00+08:00", Status::tracking, Outcome::planned);
    Context before = f.at_time("2026-11-10T09:00:00+08:00"); // before the reply
    CHECK_THROWS_AS(record_feedback(*f.m, before, id, Feedback::satisfied, "", false), UsageError);
    CHECK_THROWS_AS(track_case(*f.m, before, id, "施工中"), UsageError);
    CHECK_THROWS_AS(close_case(*f.m, before, id, ""), UsageError);
    CHECK_THROWS_AS(reopen_case(*f.m, before, id, "复查", true), UsageError);
}

TEST_CASE("a satisfied or basically satisfied sender closes a replied case",
          "[reply][reply-follow-up]") {
    for (Feedback fb : {Feedback::satisfied, Feedback::basically_satisfied}) {
        Fixture f;
        std::string id =
            f.answered("261102-000100", "2026-11-02T09:00:00+08:00", "2026-11-10T10:00:00+08:00");
        Context ctx = f.at_time("2026-11-20T10:00:00+08:00");
        Case c = f.reload(record_feedback(*f.m, ctx, id, fb, "电话回访，表示认可", false));
        CHECK(c.feedback == fb);
        CHECK(c.status == Status::closed);
        CHECK(c.closed == at("2026-11-20T10:00:00+08:00"));
        REQUIRE(c.history.size() >= 2);
        CHECK(c.history[c.history.size() - 2].action == Action::feedback);
        CHECK(c.history[c.history.size() - 2].note ==
              std::string(to_string(fb)) + ": 电话回访，表示认可");
        CHECK(c.history.back().action == Action::close);
        CHECK(c.history.back().note == "the sender is satisfied");
    }
}

TEST_CASE("an unsatisfied sender leaves a replied case replied", "[reply][reply-follow-up]") {
    Fixture f;
    std::string id =
        f.answered("261102-000100", "2026-11-02T09:00:00+08:00", "2026-11-10T10:00:00+08:00");
    Context ctx = f.at_time("2026-11-20T10:00:00+08:00");
    Case c = f.reload(record_feedback(*f.m, ctx, id, Feedback::unsatisfied, "", false));
    CHECK(c.feedback == Feedback::unsatisfied);
    CHECK(c.status == Status::replied);
    CHECK_FALSE(c.closed);
    CHECK(c.history.back().action == Action::feedback);
    CHECK(c.history.back().note == "unsatisfied");
}

TEST_CASE("feedback on a case under tracking leaves it under tracking",
          "[reply][reply-follow-up]") {
    for (Feedback fb :
         {Feedback::satisfied, Feedback::basically_satisfied, Feedback::unsatisfied}) {
        Fixture f;
        std::string id =
            f.answered("261102-000100", "2026-11-02T09:00:00+08:00", "2026-11-10T10:00:00+08:00",
                       Status::tracking, Outcome::planned);
        Context ctx = f.at_time("2026-11-20T10:00:00+08:00");
        Case c = f.reload(record_feedback(*f.m, ctx, id, fb, "", false));
        CHECK(c.feedback == fb);
        CHECK(c.status == Status::tracking);
        CHECK_FALSE(c.closed);
    }
}

TEST_CASE("feedback with --reopen goes only with an unsatisfied sender",
          "[reply][reply-follow-up]") {
    Fixture f;
    std::string id =
        f.answered("261102-000100", "2026-11-02T09:00:00+08:00", "2026-11-10T10:00:00+08:00");
    Context ctx = f.at_time("2026-11-20T10:00:00+08:00");
    for (Feedback fb : {Feedback::satisfied, Feedback::basically_satisfied}) {
        CHECK_THROWS_AS(record_feedback(*f.m, ctx, id, fb, "", true), UsageError);
        CHECK_THROWS_WITH(record_feedback(*f.m, ctx, id, fb, "", true),
                          "--reopen goes with --unsatisfied: a second handling is for a sender "
                          "who is not satisfied");
    }
}

TEST_CASE("an unsatisfied sender's case reopened goes back to its unit, the answer sent back "
          "and the feedback cleared",
          "[reply][reply-follow-up]") {
    Fixture f;
    std::string id = f.answered("261102-000100", "2026-11-02T09:00:00+08:00",
                                "2026-11-10T10:00:00+08:00", Status::closed);
    REQUIRE(f.m->load(id).due == day(2026, 11, 12));
    Context ctx = f.at_time("2026-12-01T09:00:00+08:00");
    Case c = f.reload(record_feedback(*f.m, ctx, id, Feedback::unsatisfied, "路灯又坏了", true));
    CHECK(c.status == Status::assigned);
    CHECK(c.handler == std::string("cgj"));
    CHECK_FALSE(c.feedback); // the new answer awaits its own; history keeps this one
    CHECK(c.reopened == at("2026-12-01T09:00:00+08:00"));
    CHECK(c.reopened_for == Reopening::unsatisfied);
    CHECK_FALSE(c.due);
    CHECK_FALSE(c.closed);
    REQUIRE(c.draft);
    CHECK(c.draft->state == DraftState::rejected);
    CHECK(c.draft->reviewer.empty());
    CHECK(c.draft->rounds == 0); // the new answer's reviews count from one
    CHECK(c.rejections.empty()); // not a reviewer's rejection of the unit
    REQUIRE(c.history.size() >= 2);
    CHECK(c.history[c.history.size() - 2].action == Action::feedback);
    CHECK(c.history[c.history.size() - 2].note == "unsatisfied: 路灯又坏了");
    CHECK(c.history.back().action == Action::reopen);
    CHECK(c.history.back().note == "for a second handling by cgj");

    // Nothing goes out, and nothing is approved, until the unit drafts anew.
    Timestamp now = at("2026-12-02T09:00:00+08:00");
    Context reviewer{f.t.path(), "张华", now, now.day()};
    CHECK_THROWS_AS(plan_replies(*f.m, reviewer, id), GateRefused);
    CHECK_THROWS_WITH(review_case(*f.m, reviewer, id, Verdict{true, "", false}),
                      "case 261102-000100: the draft was rejected; it needs a new draft first");
}

TEST_CASE("a case reopened for a second handling is due counting from the reopening",
          "[reply][reply-follow-up]") {
    Fixture f;
    std::string id =
        f.answered("261102-000100", "2026-11-02T09:00:00+08:00", "2026-11-10T10:00:00+08:00");
    Context ctx = f.at_time("2026-12-01T09:00:00+08:00");
    Case c = f.reload(record_feedback(*f.m, ctx, id, Feedback::unsatisfied, "", true));
    // Tue 12-01 + 10 natural days: Fri 12-11, not the first handling's 11-12.
    CHECK(due_day(c, f.m->config()) == day(2026, 12, 11));
    CHECK(lateness(c, f.m->config(), day(2026, 12, 11)) == Lateness::none);
    CHECK(lateness(c, f.m->config(), day(2026, 12, 12)) == Lateness::overdue);
    // Whatever the clock of the first handling.
    Config assigned_clock = f.m->config();
    assigned_clock.deadline.clock = Clock::assigned;
    CHECK(due_day(c, assigned_clock) == day(2026, 12, 11));
}

TEST_CASE("a review (复查) asked for within reply.review_request_days reopens the case",
          "[reply][reply-follow-up]") {
    Fixture f;
    std::string id = f.answered("261102-000100", "2026-11-02T09:00:00+08:00",
                                "2026-11-10T10:00:00+08:00", Status::closed);
    Case satisfied = f.m->load(id);
    satisfied.feedback = Feedback::satisfied;
    f.m->save(satisfied);
    Context last_day = f.at_time("2026-12-10T16:00:00+08:00"); // 30 days after the reply
    CHECK_THROWS_AS(reopen_case(*f.m, last_day, id, "", true), UsageError);
    CHECK_THROWS_WITH(reopen_case(*f.m, last_day, id, "", true),
                      "say what the sender asks to have reviewed (--note)");
    Case c = f.reload(reopen_case(*f.m, last_day, id, "来信人申请复查", true));
    CHECK(c.status == Status::assigned);
    CHECK(c.reopened == at("2026-12-10T16:00:00+08:00"));
    CHECK(c.reopened_for == Reopening::review);
    CHECK_FALSE(c.due);
    CHECK_FALSE(c.closed);
    CHECK_FALSE(c.feedback);
    CHECK(c.draft->state == DraftState::rejected);
    CHECK(c.history.back().action == Action::reopen);
    CHECK(c.history.back().note == "review (复查): 来信人申请复查");
    // Thu 12-10 + 10: Sun 12-20, moved to Mon 12-21.
    CHECK(due_day(c, f.m->config()) == day(2026, 12, 21));
}

TEST_CASE("a review asked for too late is refused", "[reply][reply-follow-up]") {
    Fixture f;
    std::string id = f.answered("261102-000100", "2026-11-02T09:00:00+08:00",
                                "2026-11-10T10:00:00+08:00", Status::closed);
    Context late = f.at_time("2026-12-11T09:00:00+08:00");
    CHECK_THROWS_AS(reopen_case(*f.m, late, id, "来信人申请复查", true), GateRefused);
    CHECK_THROWS_WITH(reopen_case(*f.m, late, id, "来信人申请复查", true),
                      "case 261102-000100 was answered on 2026-11-10, 31 days ago: a review is "
                      "asked for within 30 days (reply.review_request_days)");
    // The limit is the config's.
    Config config = f.m->config();
    config.reply.review_request_days = 5;
    Mailbox strict(f.t.path(), config);
    Context day6 = f.at_time("2026-11-16T09:00:00+08:00");
    CHECK_THROWS_WITH(reopen_case(strict, day6, id, "复查", true),
                      "case 261102-000100 was answered on 2026-11-10, 6 days ago: a review is "
                      "asked for within 5 days (reply.review_request_days)");
    Context day5 = f.at_time("2026-11-15T09:00:00+08:00");
    CHECK(reopen_case(strict, day5, id, "复查", true).front().status == Status::assigned);
}

TEST_CASE("a review needs an answered case", "[reply][reply-follow-up]") {
    Fixture f;
    f.add_assigned("261102-000100", "2026-11-02T09:00:00+08:00", "cgj");
    Context ctx = f.at_time("2026-11-20T10:00:00+08:00");
    CHECK_THROWS_AS(reopen_case(*f.m, ctx, "261102-000100", "复查", true), GateRefused);
    CHECK_THROWS_WITH(reopen_case(*f.m, ctx, "261102-000100", "复查", true),
                      "case 261102-000100 is assigned: a review comes after the reply");
}

TEST_CASE("reopening without a review puts a replied or closed case under tracking again",
          "[reply][reply-follow-up]") {
    Fixture f;
    std::string replied =
        f.answered("261102-000100", "2026-11-02T09:00:00+08:00", "2026-11-10T10:00:00+08:00");
    std::string closed = f.answered("261103-000100", "2026-11-03T09:00:00+08:00",
                                    "2026-11-10T10:00:00+08:00", Status::closed);
    Context ctx = f.at_time("2026-12-20T10:00:00+08:00"); // long after: no limit applies
    CHECK_THROWS_AS(reopen_case(*f.m, ctx, replied, "", false), UsageError);
    CHECK_THROWS_WITH(reopen_case(*f.m, ctx, replied, "", false),
                      "say why the case is reopened (--note)");
    for (const std::string& id : {replied, closed}) {
        Case c = f.reload(reopen_case(*f.m, ctx, id, "整改未到位", false));
        CHECK(c.status == Status::tracking);
        CHECK_FALSE(c.closed);
        CHECK_FALSE(c.reopened);
        CHECK(c.draft->state == DraftState::approved);
        CHECK(c.history.back().action == Action::reopen);
        CHECK(c.history.back().note == "under tracking: 整改未到位");
    }
    CHECK_THROWS_AS(reopen_case(*f.m, ctx, replied, "again", false), GateRefused);
    CHECK_THROWS_WITH(reopen_case(*f.m, ctx, replied, "again", false),
                      "case 261102-000100 is already under tracking");

    f.add_assigned("261104-000100", "2026-11-04T09:00:00+08:00", "cgj");
    CHECK_THROWS_WITH(reopen_case(*f.m, ctx, "261104-000100", "x", false),
                      "case 261104-000100 is assigned: reopening comes after the reply");
}

TEST_CASE("a tracking note goes on a case under tracking, and needs its text",
          "[reply][reply-follow-up]") {
    Fixture f;
    std::string tracked =
        f.answered("261102-000100", "2026-11-02T09:00:00+08:00", "2026-11-10T10:00:00+08:00",
                   Status::tracking, Outcome::planned);
    std::string replied =
        f.answered("261103-000100", "2026-11-03T09:00:00+08:00", "2026-11-10T10:00:00+08:00");
    Context ctx = f.at_time("2026-11-25T15:00:00+08:00");
    CHECK_THROWS_AS(track_case(*f.m, ctx, tracked, ""), UsageError);
    CHECK_THROWS_AS(track_case(*f.m, ctx, replied, "施工中"), GateRefused);
    CHECK_THROWS_WITH(track_case(*f.m, ctx, replied, "施工中"),
                      "case 261103-000100 is replied, not under tracking (reopen it to track it)");
    f.add_assigned("261104-000100", "2026-11-04T09:00:00+08:00", "cgj");
    CHECK_THROWS_AS(track_case(*f.m, ctx, "261104-000100", "施工中"), GateRefused);

    Case c = f.reload(track_case(*f.m, ctx, tracked, "已完成线路招标，12月施工"));
    CHECK(c.status == Status::tracking);
    CHECK(c.history.back().action == Action::track);
    CHECK(c.history.back().note == "已完成线路招标，12月施工");
    CHECK(c.history.back().at == at("2026-11-25T15:00:00+08:00"));
}

TEST_CASE("closing: a replied or tracked case, not an open or a closed one",
          "[reply][reply-follow-up]") {
    Fixture f;
    std::string replied =
        f.answered("261102-000100", "2026-11-02T09:00:00+08:00", "2026-11-10T10:00:00+08:00");
    std::string tracked =
        f.answered("261103-000100", "2026-11-03T09:00:00+08:00", "2026-11-10T10:00:00+08:00",
                   Status::tracking, Outcome::planned);
    f.add_assigned("261104-000100", "2026-11-04T09:00:00+08:00", "cgj");
    Context ctx = f.at_time("2026-12-01T10:00:00+08:00");
    CHECK_THROWS_AS(close_case(*f.m, ctx, "261104-000100", ""), GateRefused);
    CHECK_THROWS_WITH(close_case(*f.m, ctx, "261104-000100", ""),
                      "case 261104-000100 is assigned: closing comes after the reply");
    for (const std::string& id : {replied, tracked}) {
        Case c = f.reload(close_case(*f.m, ctx, id, "整改完成"));
        CHECK(c.status == Status::closed);
        CHECK(c.closed == at("2026-12-01T10:00:00+08:00"));
        CHECK(c.history.back().action == Action::close);
        CHECK(c.history.back().note == "整改完成");
    }
    CHECK_THROWS_AS(close_case(*f.m, ctx, replied, ""), GateRefused);
    CHECK_THROWS_WITH(close_case(*f.m, ctx, replied, ""), "case 261102-000100 is already closed");
}

TEST_CASE("the tracking list: the longest untouched first, stale from "
          "tracking.remind_days, the last note counting",
          "[reply][reply-follow-up]") {
    Fixture f;
    auto tracked = [&](const std::string& id, const std::string& received,
                       const std::string& replied) {
        return f.answered(id, received, replied, Status::tracking, Outcome::planned);
    };
    std::string t1 = tracked("260920-000100", "2026-09-20T09:00:00+08:00",
                             "2026-10-01T10:00:00+08:00"); // 61 days
    std::string t2 = tracked("261010-000100", "2026-10-10T09:00:00+08:00",
                             "2026-10-15T10:00:00+08:00"); // noted 11-25: 6 days
    std::string t3 = tracked("261110-000100", "2026-11-10T09:00:00+08:00",
                             "2026-11-20T10:00:00+08:00"); // 11 days
    std::string t4 = tracked("261012-000100", "2026-10-12T09:00:00+08:00",
                             "2026-10-20T10:00:00+08:00"); // 42 days
    std::string t5 = tracked("261025-000100", "2026-10-25T09:00:00+08:00",
                             "2026-11-01T10:00:00+08:00"); // 30 days: just stale
    std::string t6 = tracked("260902-000100", "2026-09-02T09:00:00+08:00",
                             "2026-09-05T10:00:00+08:00"); // reopened 11-28: 3 days
    f.answered("260901-000100", "2026-09-01T09:00:00+08:00", "2026-09-10T10:00:00+08:00");

    f.m->save(track_case(*f.m, f.at_time("2026-11-01T10:00:00+08:00"), t2, "招标中").front());
    f.m->save(track_case(*f.m, f.at_time("2026-11-25T15:00:00+08:00"), t2, "施工中").front());
    Case six = f.m->load(t6);
    six.status = Status::replied;
    f.m->save(six);
    f.m->save(
        reopen_case(*f.m, f.at_time("2026-11-28T10:00:00+08:00"), t6, "再跟踪", false).front());

    Config config = f.m->config();
    REQUIRE(config.reply.tracking_remind_days == 30);
    auto list = tracking_list(load_case_index(*f.m), config, day(2026, 12, 1));
    CHECK(ids_of(list) == std::vector<std::string>{t1, t4, t5, t3, t2, t6});
    std::vector<int> ages;
    std::vector<bool> stale;
    for (const TrackedCase& t : list) {
        ages.push_back(t.age);
        stale.push_back(t.stale);
    }
    CHECK(ages == std::vector<int>{61, 42, 30, 11, 6, 3});
    CHECK(stale == std::vector<bool>{true, true, true, false, false, false});
    CHECK(list[4].last == at("2026-11-25T15:00:00+08:00"));
    CHECK(list[0].last == at("2026-10-01T10:00:00+08:00"));
    CHECK(list[5].last == at("2026-11-28T10:00:00+08:00"));

    // The limit is the config's.
    config.reply.tracking_remind_days = 10;
    list = tracking_list(load_case_index(*f.m), config, day(2026, 12, 1));
    CHECK(list[3].c.id == t3);
    CHECK(list[3].stale);
    CHECK_FALSE(list[4].stale);
}
