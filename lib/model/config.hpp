// mailbox.toml: the office, its units, leaders, categories and routing rules,
// the deadline calendar and the assessment weights. See mailbox(5).
#pragma once

#include "model/case.hpp"
#include "model/record_language.hpp"
#include "util/error.hpp"
#include "util/timestamp.hpp"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace mailbox {

struct Office {
    std::string name;
    std::string email;
    std::string phone;
    std::string timezone = "Asia/Shanghai";
    // The case record's language; English where mailbox.toml predates the key.
    Language language = Language::en;
};

struct Unit {
    std::string id;
    std::string name;
    std::string email;
};

struct Leader {
    std::string id;
    std::string name;
    std::string unit;
};

struct Keyword {
    std::string word;
    double weight = 1.0;
};

struct Category {
    std::string id;
    std::string name;
    std::string unit; // the unit this category routes to
    std::vector<Keyword> keywords;
    std::optional<int> reply_days;
};

// What the writer wants (诉求类型): consult, help, complaint, suggestion,
// praise, report; counted in statistics and bulletins.
struct Kind {
    std::string id;
    std::string name;
};

enum class DayCount { natural, working };
enum class Clock { received, assigned };

struct DeadlineRules {
    int reply_days = 10;
    DayCount days = DayCount::natural;
    Clock clock = Clock::received;
    bool extend_past_holidays = true;
    int very_overdue_days = 5;
    int chase_every_days = 1;
    int supervise_every_days = 3;
    // The unit's report (承办报告) is asked for this many workdays before
    // the reply is due: the office needs the time to review it.
    int report_days_before = 2;
    std::set<Day> holidays; // rest days besides weekends
    std::set<Day> workdays; // make-up working days on a weekend
};

struct DedupeRules {
    int window_days = 90;
    // A letter sharing an e-mail or phone with the new one is compared as
    // far back (or on) as this, outside the window too: real resends come
    // seven and ten months later.
    int sender_window_days = 365;
    double threshold = 0.55;        // the score that links two letters
    double sender_threshold = 0.25; // the same, when they share an e-mail or phone
};

// The machine checks every answer passes before a reviewer may approve it.
struct ReviewRules {
    bool allow_self = false; // may the drafter approve their own answer?
    int min_length = 30;     // characters of the answer, spaces not counted
    std::vector<std::string> placeholders{"{{", "XX", "某某", "[ ]", "（待填）"};
    bool require_addressed = true; // the subject's key words or the case id appear
};

// The day's 呈批单 for the secretary (mailbox-assign digest).
struct DigestRules {
    bool mask_sender = true; // the sender's name and contact, masked as in a bulletin
    int summary_chars = 300; // of the letter's text; the whole letter is in its case
};

// Replies and what follows them.
struct ReplyRules {
    int review_request_days = 30; // a sender may ask for a review (复查) this long after the reply
    int tracking_remind_days = 30; // a case under tracking not looked at this long comes first
};

// Suggestions learned from the office's decided cases (model/classifier.hpp).
struct SuggestRules {
    // A learned guess less sure than this is no suggestion: on real letters,
    // 9 in 10 of the guesses at 0.7 or more were right.
    double confidence = 0.7;
    // Nothing is learned from fewer decided cases than this: a few dozen
    // letters teach the words of those letters, not of their categories.
    int min_cases = 50;
};

// The yearly assessment's 100-point scheme: three weighted rates and base
// points make 100; penalties and a capped bonus move a unit from there.
struct AssessmentWeights {
    double on_time = 40;             // × the on-time rate
    double satisfaction = 30;        // × the satisfaction rate
    double first_review = 20;        // × the share of answers not sent back at review
    double base = 10;                // for handling the year's cases at all
    double late_penalty = 2;         // each case answered late or still overdue
    double very_overdue_penalty = 5; // instead, when it was very overdue
    double return_penalty = 1;       // each case the unit handed back (退单)
    double exemplary_bonus = 2;      // each exemplary handling
    double bonus_max = 6;
    int min_cases = 3; // fewer cases in the year: not graded
};

// The quarterly bulletin (通报): who is named, and the closing text.
struct BulletinRules {
    int min_cases = 3;                     // fewer cases in the quarter: not ranked or named
    int list_size = 3;                     // units on the red and on the yellow list
    int late_min = 1;                      // named for late answers from this many on
    double rejection_rate = 0.2;           // named above this share of answers sent back
    double unsatisfied_rate = 0.2;         // named above this share of unsatisfied feedback
    std::vector<std::string> requirements; // 工作要求, one paragraph each
};

struct Config {
    Office office;
    std::vector<Unit> units;
    std::vector<Leader> leaders;
    std::vector<Category> categories;
    std::vector<Kind> kinds;
    DeadlineRules deadline;
    DedupeRules dedupe;
    std::map<std::string, std::string> csv_columns; // case field -> column header
    // What a CSV's channel column says -> the channel ([import.csv.channels]),
    // on top of the words csv_import knows anyway.
    std::map<std::string, Channel> csv_channels;
    AssessmentWeights assessment;
    BulletinRules bulletin;
    DigestRules digest;
    ReviewRules review;
    ReplyRules reply;
    SuggestRules suggest;
    const date::time_zone* zone = nullptr;

    const Unit* find_unit(std::string_view id) const;
    const Leader* find_leader(std::string_view id) const;
    const Category* find_category(std::string_view id) const;
    const Kind* find_kind(std::string_view id) const;
    std::vector<std::string> unit_ids() const;
    std::vector<std::string> leader_ids() const;
    std::vector<std::string> category_ids() const;
    std::vector<std::string> kind_ids() const;

    // A unit or leader as a person names it: by id or by its name
    // ("sthjj" or "市生态环境局"); nullptr when neither matches.
    const Unit* unit_named(std::string_view typed) const;
    const Leader* leader_named(std::string_view typed) const;
    // "unknown unit 'sthj'; did you mean 'sthjj' (市生态环境局)?": the one
    // message for an id or name mailbox.toml does not hold, with the ids and
    // names nearest to it.
    std::string unknown_unit(std::string_view typed) const;
    std::string unknown_leader(std::string_view typed) const;
    std::string unknown_category(std::string_view typed) const;
    std::string unknown_kind(std::string_view typed) const;
};

} // namespace mailbox
