// mailbox-reply: draft the answer, review it, send one reply per sender,
// then take the sender's feedback and follow the case up.
#include "common.hpp"
#include "reply/draft.hpp"
#include "reply/follow_up.hpp"
#include "reply/review.hpp"
#include "reply/send.hpp"
#include "store/cache/case_index.hpp"
#include "util/atomic_file.hpp"
#include "util/command.hpp"
#include "util/path_guard.hpp"

#include <fmt/format.h>
#include <iostream>
#include <iterator>
#include <tuple>
#include <unistd.h>

using namespace mailbox;
using namespace mailbox::tools;

namespace {

struct DraftOptions {
    std::optional<std::string> file, basis, steps, target_date, report;
    std::string outcome;
};

// The clerk writes the answer in their editor, the letter quoted below it.
std::string answer_from_editor(const Case& c, const Config& config) {
    std::string opened = draft_editor_text(c, config);
    std::optional<std::string> answer = edited_draft(edit_text(opened, c.id + ".txt"), opened);
    if (!answer) {
        throw UsageError(_("the answer is empty or unchanged; nothing written"));
    }
    return *answer;
}

std::string answer_text(const DraftOptions& o) {
    if (o.file && *o.file != "-") {
        return read_file(*o.file);
    }
    return std::string(std::istreambuf_iterator<char>(std::cin), {});
}

// The answer from the editor, written while no lock is held (others keep
// working meanwhile), and the case's last change when the editor opened.
std::pair<std::string, std::optional<Timestamp>> answer_in_editor(const CommonOptions& common,
                                                                  const std::string& typed) {
    Session s = open_session(common);
    Case c = s.mailbox->load(s.mailbox->resolve_id(typed));
    return {answer_from_editor(c, s.mailbox->config()), c.last_change()};
}

void draft_command(const CommonOptions& common, const std::string& typed, const DraftOptions& o) {
    DraftInput in;
    in.outcome = parse_outcome(o.outcome).value();
    in.basis = o.basis.value_or("");
    in.steps = o.steps.value_or("");
    if (o.target_date) {
        in.target_date = day_flag("--target-date", *o.target_date, nullptr);
    }
    if (o.report) {
        in.report = *o.report;
    }
    bool editor = !o.file && isatty(STDIN_FILENO);
    std::optional<Timestamp> seen;
    if (editor) {
        std::tie(in.text, seen) = answer_in_editor(common, typed);
    }
    Writing w(common);
    std::string id = w.s.mailbox->resolve_id(typed);
    if (!editor) {
        in.text = answer_text(o);
    } else if (w.s.mailbox->load(id).last_change() != seen) {
        std::filesystem::path kept = state_dir(w.s.ctx.root) / ("draft-" + id + ".txt");
        std::filesystem::create_directories(kept.parent_path());
        write_file_atomically(kept, in.text);
        throw LockError(tr("case {} changed while the answer was written; nothing "
                           "written; the answer is kept in {} (draft again with --file)",
                           id, kept.string()));
    }
    Drafted d = draft_case(*w.s.mailbox, w.s.ctx, id, std::move(in));
    for (const std::string& other : d.answered) {
        warn(tr("{} holds the same letter and is already answered: left as it is", other));
    }
    std::vector<std::string> extra;
    if (d.report) {
        extra.push_back(d.report->path);
        if (!common.dry_run) {
            write_file_atomically(w.s.mailbox->absolute(d.report->path), d.report->bytes);
        }
    }
    finish(common, w.s, d.cases,
           say(w.s.ctx.record, {"Draft the answer to case {}.", "拟稿答复{}。"}, id), extra);
}

void review_command(const CommonOptions& common, const std::string& typed, bool approve,
                    bool reject, const std::string& note, bool exemplary) {
    if (approve && reject) {
        throw UsageError(_("--approve or --reject, not both"));
    }
    if (exemplary && !approve) {
        throw UsageError(_("--exemplary goes with --approve"));
    }
    Writing w(common);
    std::string id = w.s.mailbox->resolve_id(typed);
    auto tell = [&](const std::vector<std::string>& problems) {
        std::cout.flush();
        for (const std::string& p : problems) {
            std::cerr << "mailbox-reply: " << tr("case {}: {}", id, p) << '\n';
        }
    };
    if (!approve && !reject) {
        // Only the machine checks, for a unit to try its draft.
        std::vector<std::string> problems =
            review_problems(w.s.mailbox->load(id), w.s.mailbox->config());
        tell(problems);
        if (!problems.empty()) {
            throw GateRefused(trn("case {}: {} check failed", "case {}: {} checks failed",
                                  problems.size(), id, problems.size()));
        }
        std::cout << tr("case {}: the draft passes every check", id) << '\n';
        return;
    }
    std::vector<std::string> problems;
    Changed changed;
    try {
        changed = review_case(*w.s.mailbox, w.s.ctx, id, {approve, note, exemplary}, &problems);
    } catch (const GateRefused&) {
        tell(problems);
        throw;
    }
    finish(common, w.s, changed,
           approve
               ? say(w.s.ctx.record, {"Approve the answer to case {}.", "审核通过{}的答复。"}, id)
               : say(w.s.ctx.record, {"Reject the answer to case {}.", "退回{}的答复。"}, id));
}

struct SendOptions {
    std::optional<std::string> out, sendmail, sms;
};

void send_command(const CommonOptions& common, const std::string& typed, const SendOptions& o) {
    Delivery how;
    if (o.sendmail) {
        how.sendmail = split_command_line(*o.sendmail);
    }
    if (o.sms) {
        how.sms = split_command_line(*o.sms);
    }
    how.dry_run = common.dry_run;
    Writing w(common);
    const Mailbox& m = *w.s.mailbox;
    std::string id = m.resolve_id(typed);
    if (!o.out) {
        check_inside_mailbox(m.root(), "out/replies"); // --out is the user's own choice
    }
    how.out_dir = o.out ? std::filesystem::absolute(*o.out) : m.absolute("out/replies");
    std::vector<std::string> left;
    std::vector<SenderReplies> plan = plan_replies(m, w.s.ctx, id, &left);
    for (const std::string& l : left) {
        warn(l);
    }
    if (plan.empty() && !left.empty()) {
        throw GateRefused(tr("case {}: nothing could be sent", id));
    }
    if (plan.empty()) {
        std::cerr << "mailbox-reply: "
                  << tr("case {}: every sender has been answered; nothing to send", id) << '\n';
        commit_if_asked(common, w.s.ctx.root, w.s.ctx.record, {}, "");
        return;
    }
    std::vector<std::string> saved;
    std::vector<Delivered> done = deliver_replies(m, w.s.ctx, std::move(plan), how, &saved);
    std::vector<Value> records;
    bool failed = false;
    for (const Delivered& d : done) {
        failed = failed || !d.error.empty();
        records.push_back(delivered_record(d, m.root()));
    }
    Format format = output_format(common);
    print_records(std::cout, format, records, send_columns(format), table_width());
    for (const Delivered& d : done) {
        if (!d.error.empty()) {
            warn(tr("case {}: not sent to {}: {}", d.case_id, d.reply.to, d.error));
        }
        if (d.reply.no_contact) {
            warn(tr("case {}: the sender left no e-mail, phone or address: the reply is "
                    "kept as a letter on file ({})",
                    d.case_id, mailbox_path(d.where, m.root())));
        }
    }
    std::size_t senders = senders_answered(done);
    commit_if_asked(
        common, w.s.ctx.root, w.s.ctx.record, saved,
        senders == 1
            ? say(w.s.ctx.record, {"Reply to case {} (1 sender).", "答复{}（1位来信人）。"}, id)
            : say(w.s.ctx.record, {"Reply to case {} ({} senders).", "答复{}（{}位来信人）。"}, id,
                  senders));
    if (failed) {
        throw GateRefused(_("some replies were not sent; run send again to send only those"));
    }
}

void tracking_command(const CommonOptions& common) {
    Session s = open_session(common);
    std::vector<IndexEntry> entries = load_case_index_if(
        *s.mailbox, [](const CaseSummary& c) { return c.status == Status::tracking; });
    Format format = output_format(common);
    std::vector<Value> rows;
    for (const TrackedCase& t : tracking_list(entries, s.mailbox->config(), s.ctx.today)) {
        Value row = tracking_row(t, s.ctx.today);
        rows.push_back(format == Format::table ? tracking_table_row(row) : std::move(row));
    }
    print_records(std::cout, format, rows, tracking_columns(format), table_width());
    if (report_broken(entries)) {
        throw DataError(_("some case files could not be read and were left out"));
    }
}

// A command that changes one case (or its group) and prints it.
template <typename F>
void change(const CommonOptions& common, const std::string& typed, const Phrase& message, F&& act) {
    Writing w(common);
    std::string id = w.s.mailbox->resolve_id(typed);
    finish(common, w.s, act(*w.s.mailbox, w.s.ctx, id), say(w.s.ctx.record, message, id));
}

} // namespace

int main(int argc, char** argv) {
    std::string id, note;
    DraftOptions draft;
    SendOptions send;
    bool approve = false, reject = false, exemplary = false, reopen = false, review = false;
    bool satisfied = false, basically = false, unsatisfied = false;
    auto case_arg = [&](CLI::App& c) {
        c.add_option("id", id, _("the case (an id or a unique prefix)"))->required();
    };
    auto case_and_note = [&](const char* what, bool required) {
        return [&, what, required](CLI::App& c) {
            case_arg(c);
            CLI::Option* o = c.add_option("--note", note, what)->type_name("TEXT");
            o->required(required);
        };
    };
    return run_tool(argc, argv, [&](CommonOptions& common) {
        Tool tool{
            "mailbox-reply", _("Draft, review and send replies; feedback and follow-up."), {}, {}};
        tool.commands = {
            {"draft", _("write the answer (答复意见)"), true,
             [&](CLI::App& c) {
                 case_arg(c);
                 c.add_option("--file", draft.file, _("the answer's text (- for standard input)"))
                     ->type_name("F");
                 c.add_option("--outcome", draft.outcome, _("what the answer comes to"))
                     ->required()
                     ->check(CLI::IsMember(
                         {"resolved", "explained", "planned", "in-progress", "recurring"}));
                 c.add_option("--basis", draft.basis,
                              _("the policy the answer rests on (explained)"))
                     ->type_name("TEXT");
                 c.add_option("--steps", draft.steps, _("what will be done (planned)"))
                     ->type_name("TEXT");
                 c.add_option("--target-date", draft.target_date, _("by when (planned)"))
                     ->type_name("YYYY-MM-DD");
                 c.add_option("--report", draft.report, _("the unit's report (承办报告), kept"))
                     ->type_name("F");
             },
             [&] { draft_command(common, id, draft); }},
            {"review", _("the quality review: approve or reject"), true,
             [&](CLI::App& c) {
                 case_and_note(_("the reviewer's note"), false)(c);
                 c.add_flag("--approve", approve, _("approve the answer (the checks must pass)"));
                 c.add_flag("--reject", reject, _("send the draft back (with --note)"));
                 c.add_flag("--exemplary", exemplary, _("approve it as an exemplary handling"));
             },
             [&] { review_command(common, id, approve, reject, note, exemplary); }},
            {"send", _("send the approved answer to each sender"), true,
             [&](CLI::App& c) {
                 case_arg(c);
                 c.add_option("--out", send.out, _("folder for the files (default: out/replies)"))
                     ->type_name("DIR");
                 c.add_option("--sendmail", send.sendmail, _("send e-mail through this command"))
                     ->type_name("CMD");
                 c.add_option("--sms", send.sms, _("send SMS through this command"))
                     ->type_name("CMD");
             },
             [&] { send_command(common, id, send); }},
            {"feedback", _("the sender's feedback (回访)"), true,
             [&](CLI::App& c) {
                 case_and_note(_("what the sender said"), false)(c);
                 c.add_flag("--satisfied", satisfied, _("满意"));
                 c.add_flag("--basically-satisfied", basically, _("基本满意"));
                 c.add_flag("--unsatisfied", unsatisfied, _("不满意"));
                 c.add_flag("--reopen", reopen,
                            _("unsatisfied: hand it back for a second handling"));
             },
             [&] {
                 if (satisfied + basically + unsatisfied != 1) {
                     throw UsageError(_("say one of --satisfied, --basically-satisfied, "
                                        "--unsatisfied"));
                 }
                 Feedback fb = satisfied   ? Feedback::satisfied
                               : basically ? Feedback::basically_satisfied
                                           : Feedback::unsatisfied;
                 change(common, id, {"Feedback on case {}.", "回访{}。"},
                        [&](auto& m, auto& ctx, auto& i) {
                            return record_feedback(m, ctx, i, fb, note, reopen);
                        });
             }},
            {"track", _("a follow-up note on a tracked case"), true,
             case_and_note(_("what was found"), true),
             [&] {
                 change(common, id, {"Track case {}.", "跟踪{}。"},
                        [&](auto& m, auto& ctx, auto& i) { return track_case(m, ctx, i, note); });
             }},
            {"tracking",
             _("the cases under tracking"),
             false,
             {},
             [&] { tracking_command(common); }},
            {"close", _("close a replied or tracked case"), true, case_and_note(_("why"), false),
             [&] {
                 change(common, id, {"Close case {}.", "办结{}。"},
                        [&](auto& m, auto& ctx, auto& i) { return close_case(m, ctx, i, note); });
             }},
            {"reopen", _("track it again, or a review (复查)"), true,
             [&](CLI::App& c) {
                 case_and_note(_("why"), true)(c);
                 c.add_flag("--review", review, _("the sender asked for a review: a new handling"));
             },
             [&] {
                 change(common, id, {"Reopen case {}.", "重新办理{}。"},
                        [&](auto& m, auto& ctx, auto& i) {
                            return reopen_case(m, ctx, i, note, review);
                        });
             }},
            {"exemplary", _("mark an exemplary handling"), true,
             case_and_note(_("why it is exemplary"), true),
             [&] {
                 change(
                     common, id, {"Case {} handled exemplarily.", "{}列为优秀案例。"},
                     [&](auto& m, auto& ctx, auto& i) { return mark_exemplary(m, ctx, i, note); });
             }},
        };
        return tool;
    });
}
