#include "reply/follow_up.hpp"

#include "reply/draft.hpp"
#include "util/error.hpp"
#include "util/i18n.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace mailbox {

namespace {

// `refusal` a message marked with N_, filled with the case's id and status.
void require_answered(const CaseSummary& c, const char* refusal) {
    if (c.is_open() || !c.replied) {
        throw GateRefused(tr(refusal, c.id, to_string(c.status)));
    }
}

// `message` marked with N_.
void require_note(const std::string& note, const char* message) {
    if (note.empty()) {
        throw UsageError(_(message));
    }
}

// Back to its unit for another handling, with a clock of its own. The
// answer sent no longer stands: it counts as sent back, so nothing goes out
// until a new draft is reviewed. The feedback was on that answer; the new
// one awaits its own (history keeps the old).
void reopen_for_handling(Case& c, const Context& ctx, Reopening why) {
    c.status = Status::assigned;
    c.reopened = ctx.now;
    c.reopened_for = why;
    c.due.reset();
    c.closed.reset();
    c.feedback.reset();
    // Not answered any more: counts of replies and their timeliness must not
    // see it until the new answer goes (the messages stay in `replies`).
    c.replied.reset();
    c.on_time.reset();
    c.late.reset();
    c.outcome.reset();
    if (c.draft) {
        c.draft->state = DraftState::rejected;
        c.draft->reviewer.clear();
        c.draft->rounds = 0; // the new answer's reviews count from one
    }
}

void close(Case& c, const Context& ctx) {
    c.status = Status::closed;
    c.closed = ctx.now;
}

} // namespace

Changed record_feedback(const Mailbox& m, const Context& ctx, const std::string& id,
                        Feedback feedback, const std::string& note, bool reopen) {
    if (reopen && feedback != Feedback::unsatisfied) {
        throw UsageError(_("--reopen goes with --unsatisfied: a second handling is for a sender "
                           "who is not satisfied"));
    }
    Case c = m.load(id);
    require_in_order(c, ctx);
    require_answered(c, N_("case {} is {}: feedback comes after the reply"));
    c.feedback = feedback;
    Language l = ctx.record;
    // Reports read the grade back from the note's start (report/stats.cpp).
    std::string grade(l == Language::zh_CN ? chinese_name(feedback) : to_string(feedback));
    append_history(c, ctx.now, ctx.by, Action::feedback,
                   note.empty() ? grade : say(l, {"{}: {}", "{}：{}"}, grade, note));
    if (reopen) {
        reopen_for_handling(c, ctx, Reopening::unsatisfied);
        append_history(
            c, ctx.now, ctx.by, Action::reopen,
            say(l, {"for a second handling by {}", "交{}二次办理"}, c.handler.value_or("?")));
    } else if (c.status == Status::replied && feedback != Feedback::unsatisfied) {
        close(c, ctx);
        append_history(c, ctx.now, ctx.by, Action::close,
                       say(l, {"the sender is satisfied", "来信人满意"}));
    }
    return {c};
}

Changed track_case(const Mailbox& m, const Context& ctx, const std::string& id,
                   const std::string& note) {
    require_note(note, N_("say what the follow-up found (--note)"));
    Case c = m.load(id);
    require_in_order(c, ctx);
    if (c.status != Status::tracking) {
        throw GateRefused(tr("case {} is {}, not under tracking (reopen it to track it)", c.id,
                             to_string(c.status)));
    }
    append_history(c, ctx.now, ctx.by, Action::track, note);
    return {c};
}

Changed close_case(const Mailbox& m, const Context& ctx, const std::string& id,
                   const std::string& note) {
    Case c = m.load(id);
    require_in_order(c, ctx);
    if (c.status == Status::closed) {
        throw GateRefused(tr("case {} is already closed", c.id));
    }
    require_answered(c, N_("case {} is {}: closing comes after the reply"));
    close(c, ctx);
    append_history(c, ctx.now, ctx.by, Action::close, note);
    return {c};
}

Changed reopen_case(const Mailbox& m, const Context& ctx, const std::string& id,
                    const std::string& note, bool review) {
    require_note(note, review ? N_("say what the sender asks to have reviewed (--note)")
                              : N_("say why the case is reopened (--note)"));
    Case c = m.load(id);
    require_in_order(c, ctx);
    require_answered(c, review ? N_("case {} is {}: a review comes after the reply")
                               : N_("case {} is {}: reopening comes after the reply"));
    if (review) {
        int days = days_between(c.replied->day(), ctx.today);
        int limit = m.config().reply.review_request_days;
        if (days > limit) {
            throw GateRefused(trn("case {} was answered on {}, {} day ago: a review "
                                  "is asked for within {} days (reply.review_request_days)",
                                  "case {} was answered on {}, {} days ago: a review "
                                  "is asked for within {} days (reply.review_request_days)",
                                  static_cast<unsigned long>(days), c.id, iso_day(c.replied->day()),
                                  days, limit));
        }
        reopen_for_handling(c, ctx, Reopening::review);
        append_history(c, ctx.now, ctx.by, Action::reopen,
                       say(ctx.record, {"review (复查): {}", "复查：{}"}, note));
        return {c};
    }
    if (c.status == Status::tracking) {
        throw GateRefused(tr("case {} is already under tracking", c.id));
    }
    c.status = Status::tracking;
    c.closed.reset();
    append_history(c, ctx.now, ctx.by, Action::reopen,
                   say(ctx.record, {"under tracking: {}", "转入跟踪：{}"}, note));
    return {c};
}

std::vector<TrackedCase> tracking_list(const std::vector<IndexEntry>& entries, const Config& config,
                                       Day today) {
    std::vector<TrackedCase> out;
    for (const IndexEntry& e : entries) {
        if (!e.summary || e.summary->status != Status::tracking) {
            continue;
        }
        const CaseSummary& c = *e.summary;
        Timestamp last = c.replied.value_or(c.received);
        for (const HistoryEntry& h : c.history) {
            if ((h.action == Action::track || h.action == Action::reopen) && h.at > last) {
                last = h.at;
            }
        }
        int age = std::max(0, days_between(last.day(), today));
        out.push_back({c, last, age, age >= config.reply.tracking_remind_days});
    }
    std::stable_sort(out.begin(), out.end(), [](const TrackedCase& a, const TrackedCase& b) {
        return a.stale != b.stale ? a.stale : a.age > b.age;
    });
    return out;
}

Value tracking_row(const TrackedCase& t, Day today) {
    const CaseSummary& c = t.c;
    std::optional<Day> target = c.draft ? c.draft->target_date : std::nullopt;
    return Value(Value::Object{
        {"id", c.id},
        {"handler", c.handler},
        {"outcome", c.outcome ? Value(std::string(to_string(*c.outcome))) : Value()},
        {"replied", c.replied ? Value(iso_day(c.replied->day())) : Value()},
        {"last", iso_day(t.last.day())},
        {"age", t.age},
        {"stale", t.stale},
        {"target_date", target ? Value(iso_day(*target)) : Value()},
        {"target_passed", target ? Value(*target < today) : Value()},
        {"subject", c.subject},
    });
}

Value tracking_table_row(const Value& record) {
    Value::Object o = *record.object();
    for (auto& [key, value] : o) {
        if (key == "outcome" && !value.is_null()) {
            value = Value(outcome_shown(*parse_outcome(value.cell())));
        }
    }
    bool stale = record.get("stale")->cell() == "true";
    bool passed = record.get("target_passed")->cell() == "true";
    o.emplace_back("note", stale && passed ? _("stale, target passed")
                           : stale         ? _("stale")
                           : passed        ? _("target passed")
                                           : "");
    return Value(std::move(o));
}

const std::vector<Column>& tracking_columns(Format format) {
    static const std::vector<Column> k_table{{"id", _("ID")},
                                             {"handler", _("UNIT")},
                                             {"outcome", _("OUTCOME")},
                                             {"last", _("LAST")},
                                             {"age", _("DAYS")},
                                             {"note", _("NOTE")},
                                             {"target_date", _("TARGET")},
                                             {"subject", _("SUBJECT")}};
    static const std::vector<Column> k_fields{
        {"id", "id"},           {"handler", "handler"},
        {"outcome", "outcome"}, {"replied", "replied"},
        {"last", "last"},       {"age", "age"},
        {"stale", "stale"},     {"target_date", "target_date"},
        {"subject", "subject"}};
    return format == Format::table ? k_table : k_fields;
}

} // namespace mailbox
