// The case: one citizen letter and everything the office does with it.
#pragma once

#include "util/timestamp.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mailbox {

enum class Status { received, assigned, replied, tracking, closed };
enum class Channel { web, email, letter, visit, phone, wechat, hotline };
// Every channel in the enum's order, for listings and messages.
inline constexpr std::array k_all_channels{Channel::web,    Channel::email, Channel::letter,
                                           Channel::visit,  Channel::phone, Channel::wechat,
                                           Channel::hotline};
enum class Outcome { resolved, explained, planned, in_progress, recurring };
enum class DraftState { drafted, approved, rejected };
enum class Feedback { satisfied, basically_satisfied, unsatisfied }; // 满意, 基本满意, 不满意
enum class ReplyVia { email, letter, sms };
// Why a case answered once is being handled again.
enum class Reopening { unsatisfied, review }; // a second handling, a review (复查)

std::string_view to_string(Status s);
std::string_view to_string(Channel c);
std::string_view to_string(Outcome o);
std::string_view to_string(DraftState s);
std::string_view to_string(Feedback f);
std::string_view to_string(ReplyVia v);
std::string_view to_string(Reopening r);
// What the office calls a channel: 网站留言, 电子邮件, 来信, 来访, 来电, 微信, 12345热线.
std::string_view chinese_name(Channel c);
// A channel and an outcome in the clerk's language, for a table: the files
// and JSON keep the ids.
std::string channel_shown(Channel c);
std::string outcome_shown(Outcome o);
std::string feedback_shown(Feedback f);
std::string draft_state_shown(DraftState s);
std::string reply_via_shown(ReplyVia v);
std::string_view chinese_name(Outcome o);  // as replies say it: 已列入工作计划
std::string_view chinese_name(Feedback f); // 基本满意
std::optional<Status> parse_status(std::string_view s);
std::optional<Channel> parse_channel(std::string_view s);
// The channel ids joined by the user's list separator: "web, email, …,
// hotline" (web、email、…、hotline).
std::string channel_list();
// For a message, which says "… {} or {}" in a sentence of its own: the
// channel ids but the last ("web, email, …, wechat"), and the last.
std::string channel_list_but_last();
std::string_view last_channel();
std::optional<Outcome> parse_outcome(std::string_view s);
std::optional<DraftState> parse_draft_state(std::string_view s);
std::optional<Feedback> parse_feedback(std::string_view s);
std::optional<ReplyVia> parse_reply_via(std::string_view s);
std::optional<Reopening> parse_reopening(std::string_view s);

// Each enum's spellings in its order, so that code which reads and writes
// every field of a case (store/casefile.cpp, the cache's rows) can handle
// them all one way.
std::span<const std::string_view> spellings(Status);
std::span<const std::string_view> spellings(Channel);
std::span<const std::string_view> spellings(Outcome);
std::span<const std::string_view> spellings(DraftState);
std::span<const std::string_view> spellings(Feedback);
std::span<const std::string_view> spellings(ReplyVia);
std::span<const std::string_view> spellings(Reopening);

template <typename E>
std::optional<E> parse_spelling(std::string_view s) {
    auto names = spellings(E{});
    auto it = std::find(names.begin(), names.end(), s);
    return it == names.end() ? std::nullopt : std::optional<E>(static_cast<E>(it - names.begin()));
}

// "received, assigned, replied, tracking, closed"
template <typename E>
std::string spelling_list() {
    std::string out;
    for (std::string_view s : spellings(E{})) {
        out += (out.empty() ? "" : ", ") + std::string(s);
    }
    return out;
}

// After sending, these stay under tracking (跟踪督办): answered is not solved.
bool needs_tracking(Outcome o);

struct Sender {
    std::string name;
    std::string email; // empty when unknown
    std::string phone;
};

struct Attachment {
    std::string name;
    std::int64_t size = 0;
    // Where the file is kept, relative to the mailbox; empty for a file
    // only named. Only the original message of a letter whose text could
    // not be read whole is kept (see Letter::original).
    std::string kept;
};

// An approved extension of the reply limit (延期).
struct Extension {
    int days = 0;            // counted as the limit is: natural or working days
    std::string approved_by; // a leader id
    Timestamp at;
    std::string reason;
};

// The answer being prepared (答复意见): one text for a whole linked group
// (统一口径), checked and approved before anything is sent.
struct Draft {
    std::string text;
    Outcome outcome = Outcome::resolved;
    std::string basis;              // the policy the answer rests on (explained)
    std::string steps;              // what will be done, and when (planned)
    std::optional<Day> target_date; // planned: when it should be done
    std::string unit;               // whose answer it is: the lead unit when drafted
    std::string by;
    Timestamp at;
    DraftState state = DraftState::drafted;
    int rounds = 0;       // reviews so far, approvals and rejections
    std::string report;   // the unit's own report (承办报告), kept beside the case
    std::string reviewer; // who approved or rejected it last
};

// One message that went to the sender.
struct Reply {
    ReplyVia via = ReplyVia::email;
    std::string to; // an address, a phone number, or the name on a letter
    Timestamp at;
    std::string message_id; // e-mail only, without <>
};

// What a history entry records, each with one spelling in case files and
// output (to_string): received, edit, link, unlink, restrict, assign,
// reassign, return, extend, digest, chase, supervise, visit, draft, redraft,
// approve, reject, withdraw, reply, feedback, track, close, reopen,
// exemplary, renumber. `unknown`: a spelling this version does not know (a
// hand edit, a newer clone), kept as written and reported by check.
enum class Action {
    received,
    edit,
    link,
    unlink,
    restrict,
    assign,
    reassign,
    returned,
    extend,
    digest,
    chase,
    supervise,
    visit,
    draft,
    redraft,
    approve,
    reject,
    withdraw,
    reply,
    feedback,
    track,
    close,
    reopen,
    exemplary,
    renumber,
    unknown,
};
std::string_view to_string(Action a); // "" for unknown
std::optional<Action> parse_action(std::string_view s);

// One change to a case. History is append-only; every entry carries its own
// id so that a merge driver can take the union of two clones' entries.
struct HistoryEntry {
    std::string id;
    Timestamp at;
    std::string by;
    Action action = Action::unknown;
    std::string note;
    std::string unknown_action; // the spelling, when action is unknown

    // The action as written in the case file.
    std::string_view action_name() const {
        return action == Action::unknown ? std::string_view(unknown_action) : to_string(action);
    }
};

// An entry as a case file spells it: an action this version does not know
// becomes Action::unknown, its spelling kept.
HistoryEntry history_entry(std::string id, Timestamp at, std::string by, std::string_view action,
                           std::string note);

// What reports read of a case: all of it but the letter's text. The cache
// keeps summaries (store/cache/case_row.hpp), so reading a body from the
// cache does not compile. A summary's draft keeps no texts and its history
// only the notes reports count (summarize() in case_row.hpp).
struct CaseSummary {
    std::string id;
    Status status = Status::received;
    Timestamp received;
    Channel channel = Channel::web;
    std::string subject;
    Sender sender;
    std::optional<std::string> category;
    std::optional<std::string> suggested_category;
    std::optional<std::string> suggested_unit;
    std::optional<std::string> suggested_by; // "learned"; none: by the keywords, or given
    std::optional<std::string> kind; // what the writer wants (诉求类型): consult, complaint…
    std::optional<std::string> handler; // the lead unit
    std::vector<std::string> co_units;
    std::optional<std::string> leader; // the leader who leads the handling
    std::optional<std::string> instruction;
    std::optional<Timestamp> assigned;    // the first assignment: a re-assignment keeps it
    std::vector<std::string> returned_by; // the units that handed it back (退单), in order
    std::optional<Day> due;               // kept only once closed; open cases derive it
    std::vector<Extension> extensions;
    std::optional<Timestamp> replied;
    std::optional<Timestamp> closed;
    std::optional<Outcome> outcome;
    std::optional<bool> on_time;       // the last reply, against its due date
    std::optional<std::string> late;   // when not on time: "overdue" or "very-overdue"
    std::optional<Feedback> feedback;  // the sender's word on the reply (回访)
    std::optional<Timestamp> reopened; // a second handling's clock starts here
    std::optional<Reopening> reopened_for;
    std::optional<std::string> exemplary; // an exemplary handling, and why (may be empty)
    std::vector<std::string> rejections;  // the units whose drafts were sent back, in order
    std::optional<Draft> draft;
    std::vector<Reply> replies;
    bool solved_on_site = false; // by a visit (现场督查)
    bool restricted = false;     // an accusation (举报): never in a bulletin, digest or notice
    std::optional<std::string> accused; // the unit it accuses: never handles it
    std::vector<std::string> group;     // the other cases holding the same letter
    std::optional<std::string> message_id;
    std::optional<std::string> content_hash;
    std::vector<Attachment> attachments;
    std::vector<HistoryEntry> history;

    bool is_open() const { return status == Status::received || status == Status::assigned; }
    // The unit has answered: the draft waits for the office's review or for
    // sending, so chasing the unit would be chasing the wrong desk.
    bool awaits_office() const {
        return status == Status::assigned && draft && draft->state != DraftState::rejected;
    }
    // The moment of the last change: a new one may not come before it.
    std::optional<Timestamp> last_change() const {
        return history.empty() ? std::nullopt : std::optional<Timestamp>(history.back().at);
    }
    // satisfied and basically satisfied both count as satisfied.
    std::optional<bool> satisfied() const {
        return feedback ? std::optional<bool>(*feedback != Feedback::unsatisfied) : std::nullopt;
    }
    // Open, and handled (as lead or co-unit) by the unit it accuses.
    bool handled_by_accused() const {
        return is_open() && accused &&
               (handler == accused ||
                std::find(co_units.begin(), co_units.end(), *accused) != co_units.end());
    }
    // Handed back by a unit and not assigned again yet.
    bool is_returned() const { return status == Status::received && !returned_by.empty(); }
};

// A case as its file holds it. Its fields, with their keys and how a merge
// treats them, are listed once, in model/case_fields.hpp.
struct Case : CaseSummary {
    std::string body;
};

// A short id for a history entry, derived from its content so that the same
// entry gets the same id in every clone and output stays reproducible.
std::string history_entry_id(const std::string& case_id, const HistoryEntry& entry,
                             std::size_t index);

// Adds an entry at the end. History reads in the order things happened: an
// entry dated before the last one is a UsageError naming the last entry.
void append_history(CaseSummary& c, Timestamp at, std::string by, Action action,
                    std::string note = {});

// How the office recognises one sender across letters: by e-mail, by phone
// digits (+86 or not), and, only when neither is known, by a name that is not
// a placeholder such as 匿名. Two letters share a sender when they share a key.
// Empty when the sender cannot be told apart from others.
std::vector<std::string> sender_keys(const Sender& s);
bool same_sender(const Sender& a, const Sender& b);
// A shared e-mail or phone: what may lower the duplicate threshold (a name
// alone is not enough, many people share one).
bool shares_contact(const Sender& a, const Sender& b);

} // namespace mailbox
