// What `mailbox-report list` and `show` print: filters over the case index,
// and the records of DESIGN.md §4 (every field present, null when absent).
#pragma once

#include "format/output.hpp"
#include "model/case.hpp"
#include "model/config.hpp"
#include "report/suggestion.hpp"
#include "store/cache/case_index.hpp"
#include "store/cache/letter_index.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mailbox {

struct ListFilter {
    std::optional<Status> status;
    std::optional<std::string> unit; // lead unit or co-unit
    std::optional<std::string> category;
    bool overdue = false;
    std::optional<Day> since, until; // received, inclusive
};

// Checks the filter's unit and category against mailbox.toml (UsageError
// with a suggestion when unknown).
void validate_filter(const ListFilter& f, const Config& config);

bool matches(const CaseSummary& c, const ListFilter& f, const Config& config, Day today);

// The list record of a case; `sender_cases` is the number of the sender's
// other letters.
Value case_record(const CaseSummary& c, const Config& config, Day today, int sender_cases);
// The same record given field by field (format/output.hpp: Fields).
void case_fields(const CaseSummary& c, const Config& config, Day today, int sender_cases,
                 Fields& f);

// The columns `list` shows as a table, and a list record with the two
// table-only cells (received day, lateness) added, its words in the user's
// language (json, csv and tsv keep the keys, for scripts).
const std::vector<Column>& list_columns();
// Every field of a list record, in order: the csv and tsv header even when
// no case matches.
const std::vector<Column>& list_fields();
Value list_table_row(const Value& record);
// A status (its key) as a table shows it, in the user's language.
std::string status_shown(std::string_view status);

// The show record: the list record plus body, sender, due_reason, message_id,
// attachments, history and sender_cases.
// `why`: what the decided cases teach about its suggestion, if learned.
Value case_detail(const Case& c, const Config& config, Day today,
                  const std::vector<SenderCase>& sender_cases, const LearnedReason* why = nullptr);

// `show` as text: a header block, the body, the history.
std::string case_text(const Case& c, const Config& config, Day today,
                      const std::vector<SenderCase>& sender_cases,
                      const LearnedReason* why = nullptr);

} // namespace mailbox
