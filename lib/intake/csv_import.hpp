// Letters from a web form's CSV export: a header row, and the columns that
// mailbox.toml's [import.csv] maps to case fields. Reads what Excel writes:
// quoted fields with embedded newlines, CRLF, a UTF-8 BOM, or GB18030.
#pragma once

#include "model/case.hpp"
#include "model/config.hpp"

#include <optional>
#include <string>
#include <vector>

namespace mailbox {

// One CSV record with the line it starts on (from 1; the header is line 1).
struct CsvRecord {
    unsigned line = 0;
    std::vector<std::string> fields;
};

// Splits CSV text (RFC 4180, with CRLF or LF) into records. Throws
// DataError{path:line} for a quote left open at the end.
std::vector<CsvRecord> parse_csv(std::string_view text, const std::string& path);

struct CsvLetter {
    unsigned line = 0;
    std::string subject;
    Sender sender;
    std::optional<Timestamp> received;
    std::optional<Channel> channel;
    std::string body;
    std::string content_hash;
    std::string error; // set for a bad row, which is skipped
};

// The letters of an export. `encoding` is "utf-8" (default; a BOM is
// skipped) or "gb18030". Throws DataError for a file that cannot be used at
// all: wrong encoding, no mapping, a column of subject, from, body or
// received missing from the header. A mapped email, phone or channel column
// the file lacks leaves that field empty in every row, with a warning in
// `warnings` when given.
std::vector<CsvLetter> read_csv_letters(std::string_view raw, const std::string& path,
                                        const std::string& encoding, const Config& config,
                                        std::vector<DataError>* warnings = nullptr);

// The channel a CSV channel column means: an id (wechat), a word of
// [import.csv.channels], or a common Chinese name (微信, 12345热线).
std::optional<Channel> csv_channel(std::string_view value, const Config& config);

// A stable fingerprint of a letter's text, kept in the case so that the
// same row or message imported twice is registered once.
std::string content_hash(const std::string& subject, const std::string& from,
                         const std::string& received, const std::string& body);

} // namespace mailbox
