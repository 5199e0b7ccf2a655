// `mailbox-report search`: the cases whose subject, letter, notes or answers
// hold the words asked for, best first, each with the passage that matched.
#pragma once

#include "format/output.hpp"
#include "report/listing.hpp"
#include "store/cache/case_index.hpp"
#include "store/mailbox.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace mailbox {

struct Found {
    CaseSummary summary;              // as its file says now (see summarize())
    double rank = 0;                  // bm25: lower is better
    std::string field;                // where the passage is: subject, body, notes or replies
    std::string before, match, after; // the passage around the first part of the query
};

struct Search {
    std::vector<Found> found;
    std::vector<IndexEntry> broken; // case files that do not parse
};

// At most `limit` cases (0: all) matching the query and the filter, best
// first. Each found case's file is read again, for its passage and for what
// the record says; the filter is applied to both what the cache has and the
// file.
Search search_cases(const Mailbox& m, std::string_view query, const ListFilter& filter, Day today,
                    std::size_t limit);

// The list record of a found case, with score (higher is better), field,
// passage and match.
Value search_record(const Found& f, const Config& config, Day today, int sender_cases);
// The table's row: the passage with its match between 【 and 】.
Value search_table_row(const Value& record);
const std::vector<Column>& search_columns();
const std::vector<Column>& search_fields();

} // namespace mailbox
