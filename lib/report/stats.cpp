#include "report/stats.hpp"

#include "model/calendar.hpp"
#include "util/i18n.hpp"
#include "util/word_finder.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fmt/format.h>
#include <set>
#include <string_view>
#include <unordered_map>

namespace mailbox {

namespace {

std::optional<double> ratio(int part, int whole) {
    if (whole == 0) {
        return std::nullopt;
    }
    // Four places: enough for a percentage with one decimal, and stable in
    // golden files.
    return std::round(10000.0 * part / whole) / 10000.0;
}

int count_actions(const CaseSummary& c, Action action, const Timestamp& now) {
    return static_cast<int>(std::count_if(c.history.begin(), c.history.end(), [&](const auto& e) {
        return e.action == action && e.at <= now;
    }));
}

// The case's first handling as its history tells it up to `now`: a later
// answer is not sent yet, and a later reopening (which clears the case's
// reply) has not happened yet. The first answer is the one the reply limit
// judges; a second handling after dissatisfaction is counted as feedback.
const HistoryEntry* first_reply(const CaseSummary& c, const Timestamp& now) {
    for (const HistoryEntry& e : c.history) {
        if (e.action == Action::reply && e.at <= now) {
            return &e;
        }
    }
    return nullptr;
}

// The handling before any reopening, as it stood at `now`: its clock, its
// due date, the extensions approved for it by then.
CaseSummary first_handling(const CaseSummary& c, const Timestamp& now) {
    CaseSummary first = c;
    std::erase_if(first.extensions, [&](const Extension& e) {
        return e.at > now || (c.reopened && e.at >= *c.reopened);
    });
    first.reopened.reset();
    first.reopened_for.reset();
    return first;
}

// The last clause break at or before `at` of a note in either record
// language ("; " or "；"), with its length; npos when there is none.
std::pair<std::size_t, std::size_t> clause_break_before(std::string_view note, std::size_t at) {
    std::size_t en = note.rfind("; ", at);
    std::size_t zh = note.rfind("；", at);
    if (en == std::string_view::npos && zh == std::string_view::npos) {
        return {std::string_view::npos, 0};
    }
    if (zh == std::string_view::npos || (en != std::string_view::npos && en > zh)) {
        return {en, 2};
    }
    return {zh, std::string_view("；").size()};
}

// The verdict a reply recorded: "<ways>; <verdict>[, due D]; <outcome>" or
// "<ways>；<verdict>[，期限D]；<outcome>", in English: "on time", "overdue",
// "very-overdue". Read from the end: the ways name the sender, who may be
// called anything.
std::string reply_verdict(std::string_view note) {
    auto [last, n] = clause_break_before(note, std::string_view::npos);
    if (last == std::string_view::npos || last == 0) {
        return "";
    }
    auto [before, m] = clause_break_before(note, last - 1);
    if (before == std::string_view::npos) {
        return "";
    }
    std::string_view verdict = note.substr(before + m, last - before - m);
    verdict = verdict.substr(0, std::min(verdict.find(','), verdict.find("，")));
    for (const Phrase& p : {k_on_time, k_overdue, k_very_overdue}) {
        if (verdict == p.zh_CN) {
            return p.en;
        }
    }
    return std::string(verdict);
}

// The grade a feedback note starts with, "basically-satisfied: …" or
// "基本满意：…".
std::optional<Feedback> feedback_grade(std::string_view note) {
    std::string_view grade = note.substr(0, std::min(note.find(':'), note.find("：")));
    if (auto f = parse_feedback(grade)) {
        return f;
    }
    for (Feedback f : {Feedback::satisfied, Feedback::basically_satisfied, Feedback::unsatisfied}) {
        if (grade == chinese_name(f)) {
            return f;
        }
    }
    return std::nullopt;
}

struct CaseFacts {
    bool replied = false;
    std::optional<bool> on_time;
    bool very_late = false;
    Lateness late = Lateness::none;
    std::optional<int> days;
    std::optional<Feedback> feedback;
};

// The lateness the reply recorded ("…; on time, due …", "…; overdue, …"),
// else the answer's day against the first handling's due date.
void judge_reply(CaseFacts& f, const CaseSummary& c, const HistoryEntry* e, Day answered,
                 const Config& config, const Timestamp& now) {
    std::string verdict = e ? reply_verdict(e->note) : "";
    if (verdict == "very-overdue") {
        f.on_time = false;
        f.very_late = true;
    } else if (verdict == "overdue") {
        f.on_time = false;
    } else if (verdict == "on time") {
        f.on_time = true;
    } else {
        CaseSummary open =
            first_handling(c, now); // judged as still open on the day it was answered
        open.status = Status::assigned;
        open.replied.reset();
        Lateness late = lateness(open, config, answered);
        f.on_time = late == Lateness::none;
        f.very_late = late == Lateness::very_overdue;
    }
}

// The last grade given by `now`: a sender may first be unsatisfied, then
// satisfied with a second handling; each report tells what was true then.
std::optional<Feedback> feedback_at(const CaseSummary& c, const Timestamp& now) {
    std::optional<Feedback> grade;
    bool any = false;
    for (const HistoryEntry& e : c.history) {
        if (e.action == Action::feedback && e.at <= now) {
            any = true;
            grade = feedback_grade(e.note);
        }
    }
    return any && !grade ? c.feedback : grade; // a note the tools did not write
}

CaseFacts facts_of(const CaseSummary& c, const Config& config, const Timestamp& now, Day today) {
    CaseFacts f;
    const HistoryEntry* e = first_reply(c, now);
    std::optional<Timestamp> at = e ? std::optional<Timestamp>(e->at) : std::nullopt;
    if (!e && c.replied && *c.replied <= now &&
        std::none_of(c.history.begin(), c.history.end(),
                     [](const HistoryEntry& h) { return h.action == Action::reply; })) {
        at = c.replied; // answered with no reply entry: a case written by hand
    }
    f.replied = at.has_value();
    if (f.replied) {
        Day answered = office_day(*at, config);
        if (!e && c.on_time) {
            f.on_time = c.on_time;
            f.very_late = !*c.on_time && c.late == "very-overdue";
        } else {
            judge_reply(f, c, e, answered, config, now);
        }
        f.days = days_between(office_day(c.received, config), answered);
        f.feedback = feedback_at(c, now);
    } else {
        CaseSummary open = first_handling(c, now); // judged as the open case it was then
        open.status = Status::assigned;
        open.replied.reset();
        f.late = lateness(open, config, today);
    }
    return f;
}

void add_case(Counts& k, const CaseSummary& c, const CaseFacts& f, const Timestamp& now) {
    ++k.received;
    k.assigned += c.handler ? 1 : 0;
    if (f.replied) {
        ++k.replied;
        (*f.on_time ? k.replied_on_time : k.replied_late) += 1;
        k.very_overdue += f.very_late ? 1 : 0;
        k.reply_days.push_back(*f.days);
    } else {
        ++k.open;
        k.overdue_open += f.late != Lateness::none ? 1 : 0;
        k.very_overdue += f.late == Lateness::very_overdue ? 1 : 0;
    }
    k.closed += c.status == Status::closed && f.replied ? 1 : 0;
    k.tracking += c.status == Status::tracking && f.replied ? 1 : 0;
    k.leader_led += c.leader ? 1 : 0;
    k.co_handled += c.co_units.empty() ? 0 : 1;
    k.extensions += static_cast<int>(std::count_if(
        c.extensions.begin(), c.extensions.end(), [&](const Extension& e) { return e.at <= now; }));
    k.site_visits += count_actions(c, Action::visit, now);
    k.solved_on_site += c.solved_on_site ? 1 : 0;
    if (f.feedback) {
        ++k.feedback;
        switch (*f.feedback) {
        case Feedback::satisfied:
            ++k.satisfied;
            break;
        case Feedback::basically_satisfied:
            ++k.basically_satisfied;
            break;
        case Feedback::unsatisfied:
            ++k.unsatisfied;
            break;
        }
    }
}

template <typename T>
std::vector<Row> rows_of(const std::vector<T>& defined) {
    std::vector<Row> rows;
    for (const T& d : defined) {
        rows.push_back({d.id, d.name, {}});
    }
    return rows;
}

std::vector<Row> channel_rows() {
    std::vector<Row> rows;
    for (Channel ch : k_all_channels) {
        rows.push_back({std::string(to_string(ch)), std::string(chinese_name(ch)), {}});
    }
    return rows;
}

std::map<std::string, std::size_t> index_rows(const std::vector<Row>& rows) {
    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        index[rows[i].id] = i;
    }
    return index;
}

// The row a case counts in for one breakdown; a "none" row is added on first
// use, and a value mailbox.toml no longer defines gets its own row.
std::size_t row_for(std::vector<Row>& rows, std::map<std::string, std::size_t>& index,
                    const std::optional<std::string>& id, Breakdown b) {
    std::string key = id.value_or("");
    auto it = index.find(key);
    if (it == index.end()) {
        rows.push_back({key, id ? key : b == Breakdown::unit ? "未交办" : "未分类", {}});
        it = index.emplace(key, rows.size() - 1).first;
    }
    return it->second;
}

constexpr std::size_t k_no_row = std::size_t(-1);

void count_topics(Stats& s, const WordFinder& words, const std::vector<int>& hits) {
    std::vector<std::pair<std::string, int>> ranked;
    for (std::size_t w = 0; w < words.size(); ++w) {
        if (hits[w] > 0) {
            ranked.emplace_back(words.word(w), hits[w]);
        }
    }
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    for (std::size_t i = 0; i < ranked.size() && i < 5; ++i) {
        s.topics.push_back(ranked[i].first);
        s.topic_counts.push_back(ranked[i].second);
    }
}

WordFinder topic_words(const Config& config) {
    std::set<std::string> unique; // a word of two categories counts once
    for (const Category& cat : config.categories) {
        for (const Keyword& k : cat.keywords) {
            unique.insert(k.word);
        }
    }
    return WordFinder({unique.begin(), unique.end()});
}

constexpr Breakdown k_breakdowns[] = {Breakdown::unit, Breakdown::category, Breakdown::kind,
                                      Breakdown::channel, Breakdown::leader};

} // namespace

StatsCount::StatsCount(const Config& config, const Period& period, const Timestamp& now)
    : m_config(config), m_now(now), m_today(office_day(now, config)),
      m_words(std::make_unique<WordFinder>(topic_words(config))) {
    m_s.period = period;
    m_s.as_of = now;
    m_s.rows[Breakdown::unit] = rows_of(config.units);
    m_s.rows[Breakdown::category] = rows_of(config.categories);
    m_s.rows[Breakdown::kind] = rows_of(config.kinds);
    m_s.rows[Breakdown::channel] = channel_rows();
    m_s.rows[Breakdown::leader] = rows_of(config.leaders);
    for (auto& [b, rows] : m_s.rows) {
        m_index[b] = index_rows(rows);
        m_defined[b] = rows.size();
    }
    m_topic_hits.assign(m_words->size(), 0);
}

StatsCount::~StatsCount() = default;
StatsCount::StatsCount(StatsCount&&) noexcept = default;

void StatsCount::add(const CaseSummary& c) {
    if (!(c.received <= m_now && m_s.period.contains(office_day(c.received, m_config)))) {
        return;
    }
    CaseFacts f = facts_of(c, m_config, m_now, m_today);
    Member m;
    m.received = c.received;
    m.keys = sender_keys(c.sender);
    if (!c.group.empty()) {
        m.group = std::min(c.id, *std::min_element(c.group.begin(), c.group.end()));
    }
    m.handling = m.group.empty() ? c.id : m.group;
    m.praised = c.exemplary && f.replied;
    add_case(m_s.total, c, f, m_now);
    std::string channel(to_string(c.channel));
    std::pair<Breakdown, const std::optional<std::string>*> keys[] = {
        {Breakdown::unit, &c.handler},  {Breakdown::category, &c.category},
        {Breakdown::kind, &c.kind},     {Breakdown::channel, nullptr},
        {Breakdown::leader, &c.leader},
    };
    for (std::size_t i = 0; i < std::size(keys); ++i) {
        auto [b, key] = keys[i];
        std::optional<std::string> id = key ? *key : std::optional<std::string>(channel);
        std::size_t row = k_no_row;
        if (id || b != Breakdown::leader) { // only led cases have a leader's row
            row = row_for(m_s.rows[b], m_index[b], id, b);
            add_case(m_s.rows[b][row].counts, c, f, m_now);
        }
        m.rows[i] = row;
    }
    m.seq = m_members.size();
    blame(c, m.seq);
    for (std::size_t w : m_words->find(c.subject)) {
        ++m_topic_hits[w];
    }
    m_members.push_back(std::move(m));
}

// Returns and rejected drafts count against the unit that handed the case
// back or wrote the draft, which need not be the unit handling it now. A
// unit mailbox.toml does not define has a row only from its first case on,
// in the order received: what it did before that counts in the total alone.
void StatsCount::blame(const CaseSummary& c, std::size_t seq) {
    const std::map<std::string, std::size_t>& units = m_index[Breakdown::unit];
    auto blame = [&](const std::vector<std::string>& ids, int Counts::*field) {
        for (const std::string& id : ids) {
            m_s.total.*field += 1;
            auto it = units.find(id);
            if (it != units.end() && it->second < m_defined[Breakdown::unit]) {
                m_s.rows[Breakdown::unit][it->second].counts.*field += 1;
            } else {
                m_late_blames.push_back({seq, id, field});
            }
        }
    };
    blame(c.returned_by, &Counts::returns);
    blame(c.rejections, &Counts::rejected_drafts);
}

// The blames of units with no row in mailbox.toml, once the cases are in
// the order received: counted in the unit's row if the row was made by then.
void StatsCount::blame_added_units() {
    std::vector<Row>& rows = m_s.rows[Breakdown::unit];
    std::size_t defined = m_defined[Breakdown::unit];
    std::vector<std::size_t> place(m_members.size());      // seq → place in time
    std::vector<std::size_t> first(rows.size(), k_no_row); // row → its first case's place
    for (std::size_t i = 0; i < m_members.size(); ++i) {
        place[m_members[i].seq] = i;
        std::size_t r = m_members[i].rows[0]; // k_breakdowns[0]: unit
        if (r != k_no_row && first[r] == k_no_row) {
            first[r] = i;
        }
    }
    std::map<std::string, std::size_t> row_of;
    for (std::size_t r = defined; r < rows.size(); ++r) {
        row_of.emplace(rows[r].id, r);
    }
    for (const LateBlame& b : m_late_blames) {
        auto it = row_of.find(b.unit);
        if (it != row_of.end() && first[it->second] <= place[b.seq]) {
            rows[it->second].counts.*(b.field) += 1;
        }
    }
}

// The rows mailbox.toml does not define go in the order of their first
// case's time received, as they would have been made had the cases come
// in that order rather than in their files' order.
void StatsCount::order_added_rows() {
    for (std::size_t i = 0; i < std::size(k_breakdowns); ++i) {
        Breakdown b = k_breakdowns[i];
        std::vector<Row>& rows = m_s.rows[b];
        std::size_t defined = m_defined[b];
        std::vector<std::size_t> moved(rows.size(), k_no_row); // old → new
        std::size_t next = defined;
        for (Member& m : m_members) {
            std::size_t& r = m.rows[i];
            if (r != k_no_row && r >= defined) {
                if (moved[r] == k_no_row) {
                    moved[r] = next++;
                }
                r = moved[r];
            }
        }
        std::vector<Row> ordered(rows.size());
        for (std::size_t r = 0; r < rows.size(); ++r) {
            ordered[r < defined ? r : moved[r]] = std::move(rows[r]);
        }
        rows = std::move(ordered);
    }
}

// Repeat letters and linked groups need the whole cohort in the order the
// letters came: a sender's second letter is a repeat, and a group counts
// once in each row holding a member. Exemplary handlings too: a linked
// group shares one answer, so one handling.
void StatsCount::count_repeats_and_groups() {
    std::set<std::string> seen_senders;
    std::set<std::string> groups_total, praised_total;
    std::vector<std::set<std::pair<std::size_t, std::string>>> groups_seen(std::size(k_breakdowns)),
        praised_seen(std::size(k_breakdowns));
    for (const Member& m : m_members) {
        bool repeat = std::any_of(m.keys.begin(), m.keys.end(),
                                  [&](const std::string& k) { return seen_senders.count(k); });
        seen_senders.insert(m.keys.begin(), m.keys.end());
        if (!m.group.empty()) {
            m_s.total.linked_groups += groups_total.insert(m.group).second ? 1 : 0;
        }
        m_s.total.repeat_letters += repeat ? 1 : 0;
        m_s.total.exemplary += m.praised && praised_total.insert(m.handling).second ? 1 : 0;
        for (std::size_t i = 0; i < std::size(k_breakdowns); ++i) {
            std::size_t r = m.rows[i];
            if (r == k_no_row) {
                continue;
            }
            Counts& row = m_s.rows[k_breakdowns[i]][r].counts;
            row.repeat_letters += repeat ? 1 : 0;
            if (!m.group.empty()) {
                row.linked_groups += groups_seen[i].insert({r, m.group}).second ? 1 : 0;
            }
            if (m.praised) {
                row.exemplary += praised_seen[i].insert({r, m.handling}).second ? 1 : 0;
            }
        }
    }
}

Stats StatsCount::finish() {
    std::stable_sort(m_members.begin(), m_members.end(),
                     [](const Member& a, const Member& b) { return a.received < b.received; });
    order_added_rows();
    blame_added_units();
    count_repeats_and_groups();
    count_topics(m_s, *m_words, m_topic_hits);
    m_members.clear();
    return std::move(m_s);
}

std::optional<double> Counts::on_time_rate() const {
    return ratio(replied_on_time, due_decided());
}
std::optional<double> Counts::reply_rate() const {
    return ratio(replied, received);
}
std::optional<double> Counts::satisfaction_rate() const {
    return ratio(satisfied + basically_satisfied, feedback);
}
std::optional<double> Counts::unsatisfied_rate() const {
    return ratio(unsatisfied, feedback);
}
std::optional<double> Counts::leader_led_share() const {
    return ratio(leader_led, received);
}
std::optional<double> Counts::rejection_rate() const {
    return ratio(rejected_drafts, replied);
}
std::optional<double> Counts::average_days() const {
    if (reply_days.empty()) {
        return std::nullopt;
    }
    double sum = 0;
    for (int d : reply_days) {
        sum += d;
    }
    return std::round(10.0 * sum / static_cast<double>(reply_days.size())) / 10.0;
}
std::optional<int> Counts::p90_days() const {
    if (reply_days.empty()) {
        return std::nullopt;
    }
    std::vector<int> sorted = reply_days;
    std::sort(sorted.begin(), sorted.end());
    auto rank = static_cast<std::size_t>(std::ceil(0.9 * static_cast<double>(sorted.size())));
    return sorted[std::max<std::size_t>(rank, 1) - 1];
}

std::optional<Breakdown> parse_breakdown(std::string_view s) {
    for (Breakdown b : {Breakdown::unit, Breakdown::category, Breakdown::kind, Breakdown::channel,
                        Breakdown::leader}) {
        if (s == to_string(b)) {
            return b;
        }
    }
    return std::nullopt;
}

std::string_view to_string(Breakdown b) {
    switch (b) {
    case Breakdown::unit:
        return "unit";
    case Breakdown::category:
        return "category";
    case Breakdown::kind:
        return "kind";
    case Breakdown::channel:
        return "channel";
    case Breakdown::leader:
        return "leader";
    }
    return "unit";
}

namespace {

// The rows a report of `periods` can use: received near one of them (a day
// either side is more than any office's offset from UTC), or, when
// `linked`, in a linked group.
RowChoice near(const std::vector<Period>& periods, bool linked) {
    RowChoice choice;
    choice.grouped = linked;
    for (const Period& p : periods) {
        auto seconds = [](Day d) {
            return std::chrono::duration_cast<std::chrono::seconds>(
                       date::sys_days(d).time_since_epoch())
                .count();
        };
        choice.received.emplace_back(seconds(p.from) - 86400, seconds(p.to) + 2 * 86400);
    }
    return choice;
}

} // namespace

std::vector<IndexEntry> cases_within(const Mailbox& m, const std::vector<Period>& periods,
                                     bool linked) {
    const Config& config = m.config();
    RowChoice choice = near(periods, linked);
    return load_case_index_if(
        m,
        [&](CaseSummary& c) {
            Day day = office_day(c.received, config);
            if (!(linked && !c.group.empty()) &&
                std::none_of(periods.begin(), periods.end(),
                             [&](const Period& p) { return p.contains(day); })) {
                return false;
            }
            std::erase_if(c.history, [](const HistoryEntry& h) {
                return h.action != Action::reply && h.action != Action::feedback &&
                       h.action != Action::visit;
            });
            c.history.shrink_to_fit();
            return true;
        },
        &choice);
}

Stats compute_stats(const std::vector<IndexEntry>& entries, const Config& config,
                    const Period& period, const Timestamp& now) {
    StatsCount count(config, period, now);
    for (const IndexEntry& e : entries) {
        if (e.summary) {
            count.add(*e.summary);
        }
    }
    return count.finish();
}

PeriodStats count_within(const Mailbox& m, const std::vector<Period>& periods,
                         const Timestamp& now) {
    std::vector<StatsCount> counts;
    for (const Period& p : periods) {
        counts.emplace_back(m.config(), p, now);
    }
    PeriodStats out;
    RowChoice choice = near(periods, false);
    CaseScan scan(m);
    scan.each(
        [&](IndexEntry& e) {
            if (!e.summary) {
                out.broken.push_back(std::move(e));
                return;
            }
            for (StatsCount& c : counts) {
                c.add(*e.summary);
            }
        },
        &choice);
    for (StatsCount& c : counts) {
        out.stats.push_back(c.finish());
    }
    return out;
}

} // namespace mailbox

namespace mailbox {

namespace {

Value rate(std::optional<double> r) {
    return r ? Value(*r) : Value();
}

} // namespace

Value counts_record(const Counts& c) {
    return Value(Value::Object{
        {"received", c.received},
        {"assigned", c.assigned},
        {"replied", c.replied},
        {"replied_on_time", c.replied_on_time},
        {"replied_late", c.replied_late},
        {"open", c.open},
        {"overdue_open", c.overdue_open},
        {"very_overdue", c.very_overdue},
        {"on_time_rate", rate(c.on_time_rate())},
        {"reply_rate", rate(c.reply_rate())},
        {"closed", c.closed},
        {"tracking", c.tracking},
        {"leader_led", c.leader_led},
        {"leader_led_share", rate(c.leader_led_share())},
        {"co_handled", c.co_handled},
        {"returns", c.returns},
        {"extensions", c.extensions},
        {"rejected_drafts", c.rejected_drafts},
        {"site_visits", c.site_visits},
        {"solved_on_site", c.solved_on_site},
        {"feedback", c.feedback},
        {"satisfied", c.satisfied},
        {"basically_satisfied", c.basically_satisfied},
        {"unsatisfied", c.unsatisfied},
        {"satisfaction_rate", rate(c.satisfaction_rate())},
        {"exemplary", c.exemplary},
        {"average_days", rate(c.average_days())},
        {"p90_days", c.p90_days()},
        {"repeat_letters", c.repeat_letters},
        {"linked_groups", c.linked_groups},
    });
}

namespace {

// Appends the figures to an object (keeping the record alive: a range-for
// over a temporary's object() would dangle).
void append_counts(Value::Object& o, const Counts& c) {
    Value record = counts_record(c);
    o.insert(o.end(), record.object()->begin(), record.object()->end());
}

Value rows_record(const std::vector<Row>& rows, bool all) {
    Value::Array out;
    for (const Row& r : rows) {
        if (!all && r.counts.received == 0 && r.counts.returns == 0 &&
            r.counts.rejected_drafts == 0) {
            continue;
        }
        Value::Object o{{"id", r.id.empty() ? Value() : Value(r.id)}, {"name", r.name}};
        append_counts(o, r.counts);
        out.emplace_back(std::move(o));
    }
    return Value(std::move(out));
}

Value period_record(const Period& p) {
    return Value(Value::Object{{"label", p.label},
                               {"name", p.label_cn},
                               {"from", iso_day(p.from)},
                               {"to", iso_day(p.to)}});
}

Value change(int now, int before) {
    if (before == 0) {
        return Value();
    }
    return Value(std::round(10000.0 * (now - before) / before) / 10000.0);
}

} // namespace

Value stats_record(const Stats& now, const Stats& before, std::optional<Breakdown> extra) {
    Value::Object o{{"period", period_record(now.period)}, {"as_of", now.as_of.iso()}};
    append_counts(o, now.total);
    Value::Array topics;
    for (std::size_t i = 0; i < now.topics.size(); ++i) {
        topics.emplace_back(Value::Object{{"word", now.topics[i]}, {"count", now.topic_counts[i]}});
    }
    o.emplace_back("topics", Value(std::move(topics)));
    Value::Object year_before{{"period", period_record(before.period)}};
    append_counts(year_before, before.total);
    o.emplace_back("year_before", Value(std::move(year_before)));
    o.emplace_back("change", Value(Value::Object{
                                 {"received", change(now.total.received, before.total.received)},
                                 {"replied", change(now.total.replied, before.total.replied)},
                             }));
    std::vector<Breakdown> tables{Breakdown::unit, Breakdown::category};
    if (extra && *extra != Breakdown::unit && *extra != Breakdown::category) {
        tables.push_back(*extra);
    }
    for (Breakdown b : tables) {
        o.emplace_back(fmt::format("by_{}", to_string(b)),
                       rows_record(now.rows.at(b), b != Breakdown::unit));
    }
    return Value(std::move(o));
}

const std::vector<Column>& breakdown_columns() {
    static const std::vector<Column> k_columns{
        {"id", _("ID")},
        {"name", _("NAME")},
        {"received", C_("count of cases", "RECEIVED")},
        {"replied", _("REPLIED")},
        {"replied_on_time", _("ON TIME")},
        {"replied_late", C_("count of cases", "LATE")},
        {"overdue_open", _("OVERDUE")},
        {"on_time_rate", _("ON-TIME %")},
        {"returns", _("RETURNS")},
        {"extensions", _("EXTENDED")},
        {"rejected_drafts", _("REJECTED")},
        {"feedback", _("FEEDBACK")},
        {"unsatisfied", _("UNSATISFIED")},
        {"satisfaction_rate", _("SATISFIED %")},
        {"average_days", _("AVG DAYS")},
    };
    return k_columns;
}

std::vector<Value> breakdown_rows(const Stats& s, Breakdown b) {
    std::vector<Value> out;
    Value all = rows_record(s.rows.at(b), b != Breakdown::unit);
    Value::Object total{{"id", Value()}, {"name", "合计"}};
    append_counts(total, s.total);
    for (const Value& r : *all.array()) {
        out.push_back(r);
    }
    out.emplace_back(std::move(total));
    return out;
}

const std::vector<Column>& summary_columns() {
    static const std::vector<Column> k_columns{{"figure", _("FIGURE")},
                                               {"name", _("NAME")},
                                               {"value", _("VALUE")},
                                               {"year_before", _("YEAR BEFORE")},
                                               {"change", _("CHANGE")}};
    return k_columns;
}

namespace {

// The office's own word for each figure, as its bulletins write them.
std::string figure_name(const std::string& key) {
    static const std::map<std::string, std::string> k_names{
        {"received", "受理来信"},
        {"assigned", "交办"},
        {"replied", "已答复"},
        {"replied_on_time", "按期答复"},
        {"replied_late", "超期答复"},
        {"open", "未答复"},
        {"overdue_open", "超期未答复"},
        {"very_overdue", "严重超期"},
        {"on_time_rate", "按期答复率"},
        {"reply_rate", "办结率"},
        {"closed", "已办结"},
        {"tracking", "跟踪督办"},
        {"leader_led", "领导领衔办理"},
        {"leader_led_share", "领衔办理占比"},
        {"co_handled", "多部门协同"},
        {"returns", "退单"},
        {"extensions", "延期"},
        {"rejected_drafts", "审核退回"},
        {"site_visits", "现场督查"},
        {"solved_on_site", "现场解决"},
        {"feedback", "回访"},
        {"satisfied", "满意"},
        {"basically_satisfied", "基本满意"},
        {"unsatisfied", "不满意"},
        {"satisfaction_rate", "满意率"},
        {"exemplary", "典型案例"},
        {"average_days", "平均答复天数"},
        {"p90_days", "九成答复天数"},
        {"repeat_letters", "重复来信"},
        {"linked_groups", "一稿多投"},
    };
    auto it = k_names.find(key);
    return it == k_names.end() ? key : it->second;
}

} // namespace

std::vector<Value> summary_rows(const Stats& now, const Stats& before) {
    Value a = counts_record(now.total), b = counts_record(before.total);
    std::vector<Value> out;
    for (std::size_t i = 0; i < a.object()->size(); ++i) {
        const auto& [key, value] = (*a.object())[i];
        const Value& old = (*b.object())[i].second;
        Value delta;
        if (key.ends_with("rate") || key.ends_with("share") || key.ends_with("days")) {
            delta = Value();
        } else if (!old.is_null() && old.cell() != "0") {
            delta = Value(change_text(std::stoi(value.cell()), std::stoi(old.cell())));
        }
        out.emplace_back(Value::Object{{"figure", key},
                                       {"name", figure_name(key)},
                                       {"value", value},
                                       {"year_before", old},
                                       {"change", delta}});
    }
    return out;
}

std::string change_text(int now, int before) {
    if (before == 0) {
        return "";
    }
    double pct = 100.0 * (now - before) / before;
    return fmt::format("{}{:.1f}%", pct >= 0 ? "+" : "", pct);
}

std::string percent_text(std::optional<double> r) {
    return r ? fmt::format("{:.1f}%", *r * 100.0) : "—";
}

Value with_percents(const Value& record) {
    Value::Object o;
    for (const auto& [key, value] : *record.object()) {
        bool rate = key.ends_with("_rate") || key.ends_with("_share");
        if (rate || ((key == "value" || key == "year_before") && record.get("figure") &&
                     (record.get("figure")->cell().ends_with("_rate") ||
                      record.get("figure")->cell().ends_with("_share")))) {
            o.emplace_back(key, value.is_null() ? Value("—")
                                                : Value(percent_text(std::stod(value.cell()))));
        } else {
            o.emplace_back(key, value);
        }
    }
    return Value(std::move(o));
}

} // namespace mailbox
