// mailbox.toml: the office, its units, leaders, categories and routing rules,
// the deadline calendar and the assessment weights. See mailbox(5).
#pragma once

#include "error.hpp"
#include "timestamp.hpp"

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
    std::set<Day> holidays; // rest days besides weekends
    std::set<Day> workdays; // make-up working days on a weekend
};

struct DedupeRules {
    int window_days = 90;
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

// Replies and what follows them.
struct ReplyRules {
    int review_request_days = 30; // a sender may ask for a review (复查) this long after the reply
    int tracking_remind_days = 30; // a case under tracking not looked at this long comes first
};

struct AssessmentWeights {
    double on_time = 40;
    double satisfaction = 30;
    double first_review = 20;
    double late_penalty = 2;
};

struct Config {
    Office office;
    std::vector<Unit> units;
    std::vector<Leader> leaders;
    std::vector<Category> categories;
    DeadlineRules deadline;
    DedupeRules dedupe;
    std::map<std::string, std::string> csv_columns; // case field -> column header
    AssessmentWeights assessment;
    ReviewRules review;
    ReplyRules reply;
    const date::time_zone* zone = nullptr;

    const Unit* find_unit(std::string_view id) const;
    const Leader* find_leader(std::string_view id) const;
    const Category* find_category(std::string_view id) const;
    std::vector<std::string> unit_ids() const;
    std::vector<std::string> leader_ids() const;
    std::vector<std::string> category_ids() const;
};

struct ConfigParse {
    Config config;
    std::vector<DataError> problems; // each makes the config unusable
    std::vector<DataError> unknown;  // unknown keys: reported by check, else ignored
};

ConfigParse parse_config_text(std::string_view text, const std::string& path);

// Throws the first problem.
Config parse_config(std::string_view text, const std::string& path);

} // namespace mailbox
