// The only place case files are read or written. Reading turns every TOML
// error and every validation failure into a DataError with file:line:col;
// writing is canonical: a fixed field order, a blank line between fields (so
// git merges edits of neighbouring fields), a comment line before the history
// (so a field edit merges with a history append), one [[history]] table per
// entry. Reading then writing an unchanged case gives the same bytes.
#pragma once

#include "model/case.hpp"
#include "model/case_fields.hpp"
#include "util/error.hpp"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace mailbox {

struct CaseParse {
    std::optional<Case> value; // set when the file parsed, even with problems
    std::vector<DataError> problems;
};

// `path` names the file in messages; `expected_id` (the file name's stem), when
// given, must match the id inside.
CaseParse parse_case_text(std::string_view text, const std::string& path,
                          std::string_view expected_id = {});

// As parse_case_text, but throws the first problem.
Case parse_case(std::string_view text, const std::string& path, std::string_view expected_id = {});

std::string write_case(const Case& c);

// One field as the writer lays it out, "key = value\n" (a value may span
// lines), so that the merge driver can merge case files field by field.
struct CaseField {
    std::string key;
    std::string text;
};

// The fields of a case in the canonical order, the history left out.
std::vector<CaseField> case_fields(const Case& c);

// Every key case_fields can write, in its order: where a field goes when it
// is put back between others.
const std::vector<std::string>& case_field_order();

// Two versions of a file that hold two different letters (two clones with one
// station registered in one tenth of a second): false when either does not
// parse.
bool is_id_collision(std::string_view ours, std::string_view theirs);

// A case file from its fields and history, laid out as write_case does.
std::string assemble_case(const std::string& id, const std::vector<CaseField>& fields,
                          const std::vector<HistoryEntry>& history);

// TOML string literals, shared with the config writer in `init`.
std::string toml_quote(std::string_view s);

} // namespace mailbox
