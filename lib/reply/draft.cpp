#include "reply/draft.hpp"

#include "store/cache/letter_index.hpp"
#include "util/atomic_file.hpp"
#include "util/charset.hpp"
#include "util/error.hpp"
#include "util/i18n.hpp"
#include "util/text.hpp"

#include <fmt/format.h>

namespace mailbox {

namespace {

// `flag` the option the text came from, or empty for the answer itself.
void require_utf8(const std::string& text, std::string_view flag) {
    if (auto at = invalid_utf8_at(text)) {
        throw UsageError(flag.empty() ? tr("the answer: not UTF-8 (byte {}); convert it first, "
                                           "e.g. 'iconv -f gb18030 -t utf-8'",
                                           *at + 1)
                                      : tr("{}: not UTF-8 (byte {}); convert it first, e.g. "
                                           "'iconv -f gb18030 -t utf-8'",
                                           flag, *at + 1));
    }
}

void require_fields(const DraftInput& in) {
    if (in.outcome == Outcome::explained && trimmed(in.basis).empty()) {
        throw UsageError(_("--outcome explained needs --basis: the policy the answer rests on"));
    }
    if (in.outcome == Outcome::planned && (trimmed(in.steps).empty() || !in.target_date)) {
        throw UsageError(_("--outcome planned needs --steps and --target-date: what will be done, "
                           "and by when"));
    }
}

// The report's own extension, if it is a plain one, so that it opens with
// the right program; never a path, never .toml (that would read as a case).
std::string report_extension(const std::filesystem::path& file) {
    std::string ext = file.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char ch) { return std::tolower(ch); });
    bool plain = ext.size() >= 2 && ext.size() <= 9 &&
                 std::all_of(ext.begin() + 1, ext.end(),
                             [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)); });
    return plain && ext != ".toml" ? ext : ".bin";
}

KeptFile keep_report(const Mailbox& m, const std::string& id, const std::filesystem::path& file) {
    std::error_code ec;
    auto size = std::filesystem::file_size(file, ec);
    if (ec) {
        throw UsageError(tr("--report '{}': {}", file.string(), ec.message()));
    }
    if (size > k_max_report_bytes) {
        throw UsageError(trn("--report '{}': {} byte; at most {} MB are kept beside a case",
                             "--report '{}': {} bytes; at most {} MB are kept beside a case",
                             static_cast<unsigned long>(size), file.string(), size,
                             k_max_report_bytes >> 20));
    }
    std::string path = m.case_path(id);
    path = path.substr(0, path.size() - 5) + ".report" + report_extension(file);
    return {path, read_file(file)};
}

std::string draft_note(const DraftInput& in, const std::string& text,
                       const std::optional<KeptFile>& report,
                       const std::optional<std::filesystem::path>& report_file, Language l) {
    std::vector<std::string> parts{l == Language::zh_CN ? std::string(chinese_name(in.outcome))
                                                        : std::string(to_string(in.outcome)),
                                   say(l, {"{} characters", "{}字"}, answer_length(text))};
    if (in.target_date) {
        parts.push_back(say(l, {"target {}", "目标日期{}"}, iso_day(*in.target_date)));
    }
    if (report) {
        parts.push_back(say(l, {"report {} kept as {}", "报告{}存为{}"},
                            guess_to_utf8(report_file->filename().string()), report->path));
    }
    return clauses(l, parts);
}

} // namespace

Drafted draft_case(const Mailbox& m, const Context& ctx, const std::string& id, DraftInput in) {
    require_fields(in);
    std::string text = trimmed(in.text);
    if (text.empty()) {
        throw UsageError(_("the answer is empty; nothing written"));
    }
    for (const auto& [s, what] :
         {std::pair{&text, ""}, {&in.basis, "--basis"}, {&in.steps, "--steps"}}) {
        require_utf8(*s, what);
    }
    std::vector<Case> cases = LetterIndex(m).load_group(id);
    const CaseSummary& first = cases.front();
    require_in_order(first, ctx);
    if (first.status == Status::received) {
        throw GateRefused(tr("case {} is not assigned yet: assign it to the unit that "
                             "answers it first (mailbox-assign)",
                             first.id));
    }
    if (!first.is_open()) {
        throw GateRefused(tr("case {} is {}: it was answered on {}; a new answer needs "
                             "a new handling first (reopen --review, or feedback "
                             "--unsatisfied --reopen)",
                             first.id, to_string(first.status),
                             first.replied ? iso_day(first.replied->day()) : "?"));
    }
    Drafted out;
    if (in.report) {
        out.report = keep_report(m, first.id, *in.report);
    }
    std::string note = draft_note(in, text, out.report, in.report, ctx.record);
    const std::string first_id = first.id; // `first` is moved from below
    for (Case& c : cases) {
        if (c.status != Status::assigned) {
            if (!c.is_open()) {
                out.answered.push_back(c.id);
            }
            continue;
        }
        require_in_order(c, ctx);
        bool again = c.draft.has_value();
        Draft d;
        d.text = text;
        d.outcome = in.outcome;
        d.basis = trimmed(in.basis);
        d.steps = trimmed(in.steps);
        d.target_date = in.target_date;
        d.unit = c.handler.value_or("");
        d.by = ctx.by;
        d.at = ctx.now;
        d.rounds = again ? c.draft->rounds : 0;
        d.report = out.report ? out.report->path : again ? c.draft->report : "";
        c.draft = std::move(d);
        append_history(c, ctx.now, ctx.by, again ? Action::redraft : Action::draft,
                       c.id == first_id ? note
                                        : say(ctx.record,
                                              {"{} (the group's answer, with {})",
                                               "{}（同组来信的答复，与{}相同）"},
                                              note, first_id));
        out.cases.push_back(std::move(c));
    }
    return out;
}

void require_in_order(const CaseSummary& c, const Context& ctx) {
    std::optional<Timestamp> last = c.last_change();
    if (last && ctx.now < *last) {
        throw UsageError(tr("case {} last changed at {}; acting at {} would put its "
                            "history out of order",
                            c.id, last->iso(), ctx.now.iso()));
    }
}

std::size_t answer_length(std::string_view text) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char ch = text[i];
        if (text.substr(i).starts_with("\u3000")) { // the ideographic space
            i += 2;
            continue;
        }
        n += (static_cast<unsigned char>(ch) & 0xC0) != 0x80 && ch != ' ' && ch != '\t' &&
             ch != '\n' && ch != '\r';
    }
    return n;
}

std::string draft_editor_text(const Case& c, const Config& config) {
    std::string out;
    if (c.draft) {
        out += c.draft->text + "\n";
    }
    // In the clerk's language: the comment lines are dropped when it is read.
    std::string about = _("Write the answer above. Lines starting with '#' are dropped; an "
                          "empty or\nunchanged answer writes nothing.");
    std::string received = iso_day(c.received.day());
    about += "\n\n";
    about += c.handler ? tr("Case {}  received {}  unit {}", c.id, received, *c.handler)
                       : tr("Case {}  received {}", c.id, received);
    if (c.handler) {
        if (const Unit* u = config.find_unit(*c.handler)) {
            about.append("\n").append(u->name);
        }
    }
    about.append("\n").append(tr("Subject: {}", c.subject));
    about.append("\n").append(tr("From: {}", c.sender.name)).append("\n");
    out.append("\n").append(commented(about));
    return out + commented(c.body);
}

std::optional<std::string> edited_draft(const std::string& edited, const std::string& opened) {
    auto strip = [](const std::string& text) {
        std::string kept;
        std::size_t start = 0;
        while (start < text.size()) {
            std::size_t end = text.find('\n', start);
            if (end == std::string::npos) {
                end = text.size();
            }
            std::string_view line(text.data() + start, end - start);
            if (!line.starts_with("#")) {
                kept.append(line);
                kept += '\n';
            }
            start = end + 1;
        }
        return trimmed(kept);
    };
    std::string answer = strip(edited);
    if (answer.empty() || answer == strip(opened)) {
        return std::nullopt;
    }
    return answer;
}

} // namespace mailbox
