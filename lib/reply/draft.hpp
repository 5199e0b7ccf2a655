// The answer a unit prepares (答复意见). A linked group (一稿多投) has one
// position (统一口径): drafting on any member drafts for every member not
// yet answered. Nothing here writes: the caller saves the changed cases and
// the kept report, under the MailboxLock.
#pragma once

#include "model/case.hpp"
#include "model/context.hpp"
#include "store/mailbox.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace mailbox {

struct DraftInput {
    std::string text;
    Outcome outcome = Outcome::resolved;
    std::string basis; // required for explained
    std::string steps; // required for planned, with target_date
    std::optional<Day> target_date;
    std::optional<std::filesystem::path> report; // the unit's report (承办报告), to keep
};

// A file to keep beside a case (the unit's report).
struct KeptFile {
    std::string path; // relative to the mailbox root
    std::string bytes;
};

struct Drafted {
    Changed cases;
    std::optional<KeptFile> report;
    std::vector<std::string> answered; // members already answered, left as they are
};

// A report larger than this is refused: it belongs in the office's files.
constexpr std::size_t k_max_report_bytes = 20 * 1024 * 1024;

// UsageError for a missing field the outcome needs, an empty text, text
// that is not UTF-8; GateRefused for a case not assigned or already answered.
Drafted draft_case(const Mailbox& m, const Context& ctx, const std::string& id, DraftInput in);

// Every reply command acts after the case's last change: a send dated
// before the approval could turn a late reply into one on time. UsageError
// naming both moments otherwise.
void require_in_order(const CaseSummary& c, const Context& ctx);

// The length of an answer as the review counts it: characters, not bytes,
// and no spaces or line breaks.
std::size_t answer_length(std::string_view text);

// What $EDITOR opens: the case's current draft (if any) to edit, then the
// letter quoted as comment lines for reference.
std::string draft_editor_text(const Case& c, const Config& config);

// The answer in an edited file: comment lines ('#' first) dropped, blank
// lines at either end trimmed. nullopt when that leaves nothing, or the same
// text the file was opened with (the clerk changed nothing).
std::optional<std::string> edited_draft(const std::string& edited, const std::string& opened);

} // namespace mailbox
