// The figures of `mailbox-report stats`, the bulletin and the assessment.
// Every figure counts the letters received in the period (the period's
// cohort), and what happened to them up to the moment of the report: a
// letter of the last day of September counts in Q3 however late it is
// answered. Where a figure is a rate, its denominator is named beside it;
// mailbox-report(1) lists them all.
#pragma once

#include "format/output.hpp"
#include "model/case.hpp"
#include "model/config.hpp"
#include "report/period.hpp"
#include "store/cache/case_index.hpp"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mailbox {

class WordFinder;

struct Counts {
    int received = 0;
    int assigned = 0; // given to a unit (交办)
    int replied = 0;  // answered by the moment of the report
    int replied_on_time = 0;
    int replied_late = 0;
    int open = 0;         // not answered yet
    int overdue_open = 0; // not answered and past due
    int very_overdue = 0; // answered very late, or still unanswered and very overdue
    int closed = 0;
    int tracking = 0;
    int leader_led = 0;
    int co_handled = 0;
    int returns = 0; // 退单: each time a unit handed a case back
    int extensions = 0;
    int rejected_drafts = 0;
    int site_visits = 0;
    int solved_on_site = 0;
    int feedback = 0;
    int satisfied = 0; // 满意 only; the rate counts 基本满意 too
    int basically_satisfied = 0;
    int unsatisfied = 0;
    int exemplary = 0;           // exemplary handlings: a linked group's one answer counts once
    int repeat_letters = 0;      // a sender's second or later letter in the period
    int linked_groups = 0;       // groups of one letter sent more than once (一稿多投)
    std::vector<int> reply_days; // received to answered, in days

    // The decided cases: answered, or past due without an answer.
    int due_decided() const { return replied_on_time + replied_late + overdue_open; }
    std::optional<double> on_time_rate() const;      // replied_on_time / due_decided
    std::optional<double> reply_rate() const;        // replied / received (办结率)
    std::optional<double> satisfaction_rate() const; // (satisfied + basically) / feedback
    std::optional<double> unsatisfied_rate() const;  // unsatisfied / feedback
    std::optional<double> leader_led_share() const;  // leader_led / received
    std::optional<double> rejection_rate() const;    // rejected_drafts / replied
    std::optional<double> average_days() const;
    std::optional<int> p90_days() const; // nearest rank
};

enum class Breakdown { unit, category, kind, channel, leader };
std::optional<Breakdown> parse_breakdown(std::string_view s);
std::string_view to_string(Breakdown b);

// One row of a breakdown: a unit, a category…; id empty for "none" (cases
// with no category, no kind, no leader).
struct Row {
    std::string id;
    std::string name;
    Counts counts;
};

struct Stats {
    Period period;
    Timestamp as_of;
    Counts total;
    std::map<Breakdown, std::vector<Row>> rows; // every breakdown, in mailbox.toml's order
    std::vector<std::string> topics;            // the period's most frequent keywords, with counts
    std::vector<int> topic_counts;
};

// The cases a report of `periods` reads, from a scan of the whole mailbox
// that keeps no others: those received within one of them and, when
// `linked`, every member of a linked group (an exemplary answer shows its
// group's letters whenever they came); and the files that do not parse.
// Of each history only what reports count is kept (replies, feedback,
// visits): the rounds' entries of a year of cases were a third of its
// memory.
std::vector<IndexEntry> cases_within(const Mailbox& m, const std::vector<Period>& periods,
                                     bool linked);

// The figures of a period, counted as the cases go by in any order: of each
// case received in the period it keeps only what needs the whole cohort in
// the order the letters came (sender keys, group, rows), not the case. `now`
// is the moment of the report: answers, feedback, visits and extensions
// later than it are not counted yet, and lateness is judged on its day.
class StatsCount {
  public:
    StatsCount(const Config& config, const Period& period, const Timestamp& now);
    ~StatsCount();
    StatsCount(StatsCount&&) noexcept;
    // Counts the case if it was received in the period, by `now`.
    void add(const CaseSummary& c);
    // The figures; the count is spent.
    Stats finish();

  private:
    struct Member {
        Timestamp received;
        std::vector<std::string> keys; // the sender's
        std::string group;             // its linked group's first id, if any
        std::string handling;          // the group, or the case alone
        bool praised = false;          // exemplary, and answered by now
        std::size_t rows[5] = {};      // its row of each breakdown, in Breakdown's order
        std::size_t seq = 0;           // the order it was added in
    };
    // A return or rejected draft of a unit whose row may not be made yet.
    struct LateBlame {
        std::size_t seq;
        std::string unit;
        int Counts::*field;
    };
    void blame(const CaseSummary& c, std::size_t seq);
    void blame_added_units();
    void order_added_rows();
    void count_repeats_and_groups();

    const Config& m_config;
    Timestamp m_now;
    Day m_today;
    Stats m_s;
    std::map<Breakdown, std::map<std::string, std::size_t>> m_index;
    std::map<Breakdown, std::size_t> m_defined; // rows from mailbox.toml
    std::vector<Member> m_members;
    std::vector<LateBlame> m_late_blames;
    std::unique_ptr<WordFinder> m_words; // the categories' keywords, for topics
    std::vector<int> m_topic_hits;
};

// The figures of the period over the parsed cases of `entries`.
Stats compute_stats(const std::vector<IndexEntry>& entries, const Config& config,
                    const Period& period, const Timestamp& now);

// The figures of each of `periods`, counted in one scan of the mailbox that
// keeps no case, and the files that do not parse.
struct PeriodStats {
    std::vector<Stats> stats; // one a period, in order
    std::vector<IndexEntry> broken;
};
PeriodStats count_within(const Mailbox& m, const std::vector<Period>& periods,
                         const Timestamp& now);

// The records `stats` prints: all figures of one Counts as an object.
Value counts_record(const Counts& c);
// The whole report: period, figures, the same period a year before with
// changes, and by_unit, by_category (and by_X for `extra`) tables.
Value stats_record(const Stats& now, const Stats& year_before,
                   std::optional<Breakdown> extra = std::nullopt);

// Rows for a table, csv or tsv: one per unit (category…) with the main
// figures; `overall` as a first row named 合计 when asked.
std::vector<Value> breakdown_rows(const Stats& s, Breakdown b);
const std::vector<Column>& breakdown_columns();
// Without --by: one row per figure, with the year before and the change.
std::vector<Value> summary_rows(const Stats& now, const Stats& year_before);
const std::vector<Column>& summary_columns();

// A change against the year before, as bulletins write it: +12.5%, -3.0%;
// empty when there is nothing to compare with.
std::string change_text(int now, int before);
std::string percent_text(std::optional<double> rate); // 83.3%, or — when none
// A record for a table: rates (keys ending in _rate or _share) as percentages.
Value with_percents(const Value& record);

} // namespace mailbox
