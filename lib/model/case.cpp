#include "model/case.hpp"

#include "model/case_id.hpp"
#include "util/error.hpp"
#include "util/i18n.hpp"
#include "util/text.hpp"

#include <algorithm>
#include <array>
#include <fmt/format.h>

namespace mailbox {

namespace {

constexpr auto k_statuses =
    std::to_array<std::string_view>({"received", "assigned", "replied", "tracking", "closed"});
constexpr auto k_channels = std::to_array<std::string_view>(
    {"web", "email", "letter", "visit", "phone", "wechat", "hotline"});
static_assert(k_channels.size() == k_all_channels.size());
constexpr auto k_outcomes = std::to_array<std::string_view>(
    {"resolved", "explained", "planned", "in-progress", "recurring"});
constexpr auto k_draft_states =
    std::to_array<std::string_view>({"drafted", "approved", "rejected"});
constexpr auto k_feedback =
    std::to_array<std::string_view>({"satisfied", "basically-satisfied", "unsatisfied"});
constexpr auto k_reply_via = std::to_array<std::string_view>({"email", "letter", "sms"});
constexpr auto k_reopenings = std::to_array<std::string_view>({"unsatisfied", "review"});
// string_views, not C strings: every history entry read is looked up here,
// and a strlen of each spelling for each was a twentieth of a listing.
constexpr auto k_actions = std::to_array<std::string_view>(
    {"received", "edit",    "link",      "unlink",   "restrict",  "assign",   "reassign",
     "return",   "extend",  "digest",    "chase",    "supervise", "visit",    "draft",
     "redraft",  "approve", "reject",    "withdraw", "reply",     "feedback", "track",
     "close",    "reopen",  "exemplary", "renumber"});
static_assert(k_actions.size() == static_cast<std::size_t>(Action::unknown));

template <typename E, typename Names>
std::optional<E> parse_enum(const Names& names, std::string_view s) {
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (s == names[i]) {
            return static_cast<E>(i);
        }
    }
    return std::nullopt;
}

} // namespace

std::string_view to_string(Status s) {
    return k_statuses[static_cast<std::size_t>(s)];
}
std::string_view to_string(Channel c) {
    return k_channels[static_cast<std::size_t>(c)];
}
std::string_view to_string(Outcome o) {
    return k_outcomes[static_cast<std::size_t>(o)];
}
std::string_view to_string(DraftState s) {
    return k_draft_states[static_cast<std::size_t>(s)];
}
std::string_view to_string(Feedback f) {
    return k_feedback[static_cast<std::size_t>(f)];
}
std::string_view to_string(ReplyVia v) {
    return k_reply_via[static_cast<std::size_t>(v)];
}
std::string_view to_string(Reopening r) {
    return k_reopenings[static_cast<std::size_t>(r)];
}
std::span<const std::string_view> spellings(Status) {
    return k_statuses;
}
std::span<const std::string_view> spellings(Channel) {
    return k_channels;
}
std::span<const std::string_view> spellings(Outcome) {
    return k_outcomes;
}
std::span<const std::string_view> spellings(DraftState) {
    return k_draft_states;
}
std::span<const std::string_view> spellings(Feedback) {
    return k_feedback;
}
std::span<const std::string_view> spellings(ReplyVia) {
    return k_reply_via;
}
std::span<const std::string_view> spellings(Reopening) {
    return k_reopenings;
}
std::optional<DraftState> parse_draft_state(std::string_view s) {
    return parse_spelling<DraftState>(s);
}
std::optional<Feedback> parse_feedback(std::string_view s) {
    return parse_spelling<Feedback>(s);
}
std::optional<ReplyVia> parse_reply_via(std::string_view s) {
    return parse_spelling<ReplyVia>(s);
}
std::optional<Reopening> parse_reopening(std::string_view s) {
    return parse_spelling<Reopening>(s);
}

bool needs_tracking(Outcome o) {
    return o == Outcome::planned || o == Outcome::in_progress || o == Outcome::recurring;
}

std::optional<Status> parse_status(std::string_view s) {
    return parse_spelling<Status>(s);
}
std::string_view chinese_name(Channel c) {
    static constexpr std::array<std::string_view, 7> names{
        "网站留言", "电子邮件", "来信", "来访", "来电", "微信", "12345热线"};
    static_assert(names.size() == k_all_channels.size());
    return names[static_cast<std::size_t>(c)];
}
std::string_view chinese_name(Outcome o) {
    static constexpr std::array<std::string_view, 5> names{"已解决", "已解释说明", "已列入工作计划",
                                                           "正在办理", "已解决，并建立长效机制"};
    static_assert(names.size() == k_outcomes.size());
    return names[static_cast<std::size_t>(o)];
}
std::string_view chinese_name(Feedback f) {
    static constexpr std::array<std::string_view, 3> names{"满意", "基本满意", "不满意"};
    static_assert(names.size() == k_feedback.size());
    return names[static_cast<std::size_t>(f)];
}
std::string channel_shown(Channel c) {
    static constexpr std::array<const char*, 7> words{
        NC_("channel", "web"),    NC_("channel", "email"), NC_("channel", "letter"),
        NC_("channel", "visit"),  NC_("channel", "phone"), NC_("channel", "wechat"),
        NC_("channel", "hotline")};
    static_assert(words.size() == k_channels.size());
    return C_("channel", words[static_cast<std::size_t>(c)]);
}
std::string outcome_shown(Outcome o) {
    static constexpr std::array<const char*, 5> words{
        NC_("outcome", "resolved"), NC_("outcome", "explained"), NC_("outcome", "planned"),
        NC_("outcome", "in-progress"), NC_("outcome", "recurring")};
    static_assert(words.size() == k_outcomes.size());
    return C_("outcome", words[static_cast<std::size_t>(o)]);
}
std::string feedback_shown(Feedback f) {
    static constexpr std::array<const char*, 3> words{NC_("feedback", "satisfied"),
                                                      NC_("feedback", "basically-satisfied"),
                                                      NC_("feedback", "unsatisfied")};
    static_assert(words.size() == k_feedback.size());
    return C_("feedback", words[static_cast<std::size_t>(f)]);
}
std::string draft_state_shown(DraftState s) {
    static constexpr std::array<const char*, 3> words{
        NC_("draft", "drafted"), NC_("draft", "approved"), NC_("draft", "rejected")};
    static_assert(words.size() == k_draft_states.size());
    return C_("draft", words[static_cast<std::size_t>(s)]);
}
std::string reply_via_shown(ReplyVia v) {
    static constexpr std::array<const char*, 3> words{
        NC_("reply via", "email"), NC_("reply via", "letter"), NC_("reply via", "sms")};
    static_assert(words.size() == k_reply_via.size());
    return C_("reply via", words[static_cast<std::size_t>(v)]);
}
std::optional<Channel> parse_channel(std::string_view s) {
    return parse_spelling<Channel>(s);
}
std::string channel_list() {
    return fmt::format("{}", fmt::join(k_channels, C_("list separator", ", ")));
}
std::string channel_list_but_last() {
    return fmt::format(
        "{}", fmt::join(k_channels.begin(), k_channels.end() - 1, C_("list separator", ", ")));
}
std::string_view last_channel() {
    return k_channels.back();
}
std::optional<Outcome> parse_outcome(std::string_view s) {
    return parse_spelling<Outcome>(s);
}

std::string_view to_string(Action a) {
    return a == Action::unknown ? "" : k_actions[static_cast<std::size_t>(a)];
}
std::optional<Action> parse_action(std::string_view s) {
    return parse_enum<Action>(k_actions, s);
}

HistoryEntry history_entry(std::string id, Timestamp at, std::string by, std::string_view action,
                           std::string note) {
    HistoryEntry e{std::move(id), at, std::move(by), Action::unknown, std::move(note), {}};
    if (auto known = parse_action(action)) {
        e.action = *known;
    } else {
        e.unknown_action = std::string(action);
    }
    return e;
}

std::string history_entry_id(const std::string& case_id, const HistoryEntry& e, std::size_t index) {
    std::uint64_t h = fnv1a(case_id);
    for (const std::string& part :
         {e.at.iso(), e.by, std::string(e.action_name()), e.note, std::to_string(index)}) {
        h = fnv1a(part, h ^ 0x1f);
    }
    return crockford(h, 6);
}

void append_history(CaseSummary& c, Timestamp at, std::string by, Action action, std::string note) {
    if (!c.history.empty() && at < c.history.back().at) {
        // History is the office's record: it reads in the order things happened.
        const HistoryEntry& last = c.history.back();
        throw UsageError(tr("case {}: its last entry ({} by {}) is at {}; a new one may "
                            "not come before it (give --now {} or later)",
                            c.id, last.action_name(), last.by, last.at.iso(), last.at.iso()));
    }
    HistoryEntry e{{}, at, std::move(by), action, std::move(note), {}};
    e.id = history_entry_id(c.id, e, c.history.size());
    c.history.push_back(std::move(e));
}

namespace {

bool is_placeholder_name(const std::string& name) {
    static const std::array<std::string_view, 10> k_placeholders{
        "",       "匿名",     "网友",   "市民",     "群众",
        "无名氏", "匿名用户", "一市民", "热心市民", "anonymous"};
    return std::find(k_placeholders.begin(), k_placeholders.end(), name) != k_placeholders.end();
}

std::string phone_digits(const std::string& phone) {
    std::string digits;
    for (char ch : phone) {
        if (ch >= '0' && ch <= '9') {
            digits += ch;
        }
    }
    if (digits.size() == 13 && digits.starts_with("86")) {
        digits.erase(0, 2); // +86 138... and 138... are one number
    }
    return digits;
}

} // namespace

std::vector<std::string> sender_keys(const Sender& s) {
    std::vector<std::string> keys;
    // a hand edit may leave a blank around it
    if (std::string_view email = strip(s.email); !email.empty()) {
        keys.push_back("e:" + lower_ascii(email));
    }
    if (auto digits = phone_digits(s.phone); digits.size() >= 5) {
        keys.push_back("p:" + digits);
    }
    if (keys.empty() && !is_placeholder_name(s.name)) {
        keys.push_back("n:" + s.name);
    }
    return keys;
}

bool shares_contact(const Sender& a, const Sender& b) {
    std::vector<std::string> x = sender_keys(a), y = sender_keys(b);
    return std::any_of(x.begin(), x.end(), [&](const std::string& k) {
        return !k.starts_with("n:") && std::find(y.begin(), y.end(), k) != y.end();
    });
}

bool same_sender(const Sender& a, const Sender& b) {
    std::vector<std::string> x = sender_keys(a), y = sender_keys(b);
    return std::any_of(x.begin(), x.end(), [&](const std::string& k) {
        return std::find(y.begin(), y.end(), k) != y.end();
    });
}

} // namespace mailbox
