// mailbox-assign: hand cases to units, link the same letter, take returns and
// extensions, chase every day and supervise every three days, record visits.
#include "assign/assign.hpp"
#include "assign/chase.hpp"
#include "assign/digest.hpp"
#include "assign/notice.hpp"
#include "assign/round.hpp"
#include "assign/visit.hpp"
#include "common.hpp"
#include "model/calendar.hpp"
#include "report/listing.hpp"
#include "store/cache/case_index.hpp"
#include "store/lock.hpp"
#include "util/atomic_file.hpp"
#include "util/edit_distance.hpp"

#include <algorithm>
#include <cctype>
#include <fmt/format.h>
#include <functional>
#include <iostream>

using namespace mailbox;
using namespace mailbox::tools;

namespace {

struct AssignOptions {
    std::vector<std::string> ids;
    std::optional<std::string> to, leader, instruction, category, kind;
    std::vector<std::string> with;
    std::string note;
    bool route = false;
    bool notices = false;
    bool force = false;
};

void print_paths(const CommonOptions& common, const std::vector<Notice>& rendered) {
    std::cout.flush();
    std::ostream& paths = output_format(common) == Format::table ? std::cout : std::cerr;
    for (const Notice& n : rendered) {
        paths << (common.dry_run ? tr("would write {}", n.path) : n.path) << '\n';
    }
}

// "case 261012-JW38K7" or "3 cases", for a commit message.
std::string cases_named(Language l, const std::vector<std::string>& typed, const Changed& changed) {
    return typed.size() == 1 && !changed.empty() ? say(l, {"case {}", "{}"}, changed.front().id)
                                                 : say(l, {"{} cases", "{}件"}, changed.size());
}

void assign_command(const CommonOptions& common, const AssignOptions& o,
                    const std::vector<std::string>& commands) {
    if (o.ids.empty()) {
        throw UsageError(
            _("which case? mailbox-assign ID... --to UNIT, or a command (see --help)"));
    }
    const std::string* first = &o.ids.front();
    if (first->empty() || !std::isdigit(static_cast<unsigned char>(first->front()))) {
        // The part after a case id's date ("ADZG"), or a mistyped command.
        std::string suggestion = suggestions(*first, commands);
        bool a_case = false;
        if (suggestion.empty() && !first->empty()) {
            try {
                open_session(common).mailbox->resolve_id(*first);
                a_case = true;
            } catch (const UsageError&) {
            }
        }
        if (!a_case) {
            throw UsageError(suggestion.empty() ? tr("unknown command '{}'", *first)
                                                : tr("unknown command '{}'; did you mean {}?",
                                                     *first, suggestion));
        }
    }
    if (o.route && o.to) {
        throw UsageError(tr("--to {} and --route both say where it goes: use one of them", *o.to));
    }
    if (!o.route && !o.to) {
        throw UsageError(_("say where it goes: --to UNIT, or --route for the suggested unit"));
    }
    Writing w(common);
    std::vector<std::string> answered;
    Changed changed = change_each(*w.s.mailbox, o.ids, [&](const std::string& id) {
        Assignment a{o.to, o.with, o.leader, o.instruction, o.category, o.kind, o.note, o.force};
        return assign_case(*w.s.mailbox, w.s.ctx, id, a, &answered);
    });
    for (const std::string& other : answered) {
        warn(tr("{} holds the same letter and is already answered: left as it is", other));
    }
    std::vector<Notice> rendered;
    if (o.notices) {
        rendered = assignment_notices(*w.s.mailbox, w.s.ctx, changed); // a bad template stops all
        write_notices(*w.s.mailbox, rendered, common.dry_run); // before the cases they speak of
    }
    bool one_unit = !changed.empty() && (o.to || o.ids.size() == 1);
    Language l = w.s.ctx.record;
    std::string cases = cases_named(l, o.ids, changed);
    finish(common, w.s, changed,
           one_unit
               ? say(l, {"Assign {} to {}.", "交办{}，交{}办理。"}, cases,
                     changed.front().handler.value_or("?"))
               : say(l,
                     {"Assign {}, each to its suggested unit.", "交办{}，各交建议的承办单位办理。"},
                     cases));
    print_paths(common, rendered);
}

void link_command(const CommonOptions& common, const std::vector<std::string>& typed) {
    Writing w(common);
    std::vector<std::string> ids;
    for (const std::string& t : typed) {
        ids.push_back(w.s.mailbox->resolve_id(t));
    }
    Changed changed = link_cases(*w.s.mailbox, w.s.ctx, ids);
    if (changed.empty()) {
        std::cerr << "mailbox-assign: link: " << _("already linked; nothing changed") << '\n';
        commit_if_asked(common, w.s.ctx.root, w.s.ctx.record, {}, "");
        return;
    }
    finish(common, w.s, changed,
           say(w.s.ctx.record, {"Link cases {}.", "关联{}。"}, list_of(w.s.ctx.record, ids)));
}

void unlink_command(const CommonOptions& common, const std::string& typed) {
    Writing w(common);
    std::string id = w.s.mailbox->resolve_id(typed);
    finish(common, w.s, unlink_case(*w.s.mailbox, w.s.ctx, id),
           say(w.s.ctx.record, {"Unlink case {}.", "取消{}的关联。"}, id));
}

void return_command(const CommonOptions& common, const std::string& typed,
                    const std::optional<std::string>& unit, const std::string& reason) {
    Writing w(common);
    std::string id = w.s.mailbox->resolve_id(typed);
    // --by names the unit when it is one (a unit's clerk returning it).
    std::string acting =
        unit.value_or(w.s.mailbox->config().find_unit(w.s.ctx.by) ? w.s.ctx.by : "");
    Changed changed = return_case(*w.s.mailbox, w.s.ctx, id, acting, reason);
    finish(common, w.s, changed,
           say(w.s.ctx.record, {"Case {} returned: {}.", "{}退单：{}。"}, id, reason));
}

void extend_command(const CommonOptions& common, const std::vector<std::string>& typed, int days,
                    const std::string& reason, const std::string& approved_by) {
    Writing w(common);
    Changed changed = change_each(*w.s.mailbox, typed, [&](const std::string& id) {
        return extend_case(*w.s.mailbox, w.s.ctx, id, days, reason, approved_by);
    });
    Language l = w.s.ctx.record;
    finish(common, w.s, changed,
           say(l, {"Extend {} by {}.", "{}延期{}。"}, cases_named(l, typed, changed),
               days_counted(l, days)));
}

void restrict_command(const CommonOptions& common, const std::string& typed,
                      const std::optional<std::string>& accused, const std::string& reason) {
    Writing w(common);
    std::string id = w.s.mailbox->resolve_id(typed);
    Changed changed = restrict_case(*w.s.mailbox, w.s.ctx, id, accused, reason);
    if (changed.empty()) {
        std::cerr << "mailbox-assign: restrict: " << _("already restricted; nothing changed")
                  << '\n';
        commit_if_asked(common, w.s.ctx.root, w.s.ctx.record, {}, "");
        return;
    }
    for (const Case& c : changed) {
        if (c.handled_by_accused()) {
            warn(tr("case {} is handled by {}, the unit it accuses: re-assign it", c.id,
                    *c.accused));
        }
    }
    finish(common, w.s, changed,
           say(w.s.ctx.record, {"Restrict case {}.", "将{}列为举报件。"}, id));
}

void visit_command(const CommonOptions& common, const std::vector<std::string>& typed,
                   const std::string& note, bool solved) {
    Writing w(common);
    Changed changed = change_each(*w.s.mailbox, typed, [&](const std::string& id) {
        return visit_case(*w.s.mailbox, w.s.ctx, id, note, solved);
    });
    Language l = w.s.ctx.record;
    std::string cases = cases_named(l, typed, changed);
    finish(common, w.s, changed,
           solved ? say(l, {"Visit for {}, solved on site.", "现场督查{}，现场解决。"}, cases)
                  : say(l, {"Visit for {}.", "现场督查{}。"}, cases));
}

// "Chase 3 cases on 2026-11-25.", for the round's commit.
std::string round_message(Language l, Round round, std::size_t n, const std::string& day) {
    if (round == Round::digest) {
        return n == 1 ? say(l, {"Digest of {0} letter on {1}.", "{1}呈批单，{0}件来信。"}, n, day)
                      : say(l, {"Digest of {0} letters on {1}.", "{1}呈批单，{0}件来信。"}, n, day);
    }
    if (round == Round::chase) {
        return n == 1 ? say(l, {"Chase {0} case on {1}.", "{1}催办{0}件。"}, n, day)
                      : say(l, {"Chase {0} cases on {1}.", "{1}催办{0}件。"}, n, day);
    }
    return n == 1 ? say(l, {"Supervise {0} case on {1}.", "{1}督办{0}件。"}, n, day)
                  : say(l, {"Supervise {0} cases on {1}.", "{1}督办{0}件。"}, n, day);
}

// A round: the chase, the supervision, or the secretary's digest (呈批单).
// Each lists what is due, writes its papers, records itself once a day per
// case, and prints the list.
void round_command(const CommonOptions& common, Round round, bool notices, bool quiet) {
    Writing w(common);
    const Mailbox& m = *w.s.mailbox;
    const Day today = w.s.ctx.today;
    const bool digest = round == Round::digest;
    // Rounds look at open cases only.
    std::vector<IndexEntry> entries =
        load_case_index_if(m, [](const CaseSummary& c) { return c.is_open(); });
    RoundPlan plan = plan_round(m, w.s.ctx, round, entries, notices);
    for (const UncoveredYear& y : plan.uncovered) {
        warn(uncovered_year_warning(y));
    }
    for (const std::string& w : plan.later) {
        warn(w);
    }
    std::vector<std::string> written = run_round(m, w.s.ctx, round, plan, common.dry_run);
    // Also with nothing to record: a daily cron run takes in what was left.
    std::size_t n = written.size();
    commit_if_asked(common, w.s.ctx.root, w.s.ctx.record, written,
                    round_message(w.s.ctx.record, round, n, iso_day(today)));
    Format format = output_format(common);
    if (!quiet && (!plan.items.empty() || format != Format::table)) {
        std::vector<Value> records;
        for (const RoundItem& item : plan.items) {
            bool table = format == Format::table;
            records.push_back(digest  ? table ? digest_table_row(item, m.config())
                                              : digest_row(item, m.config())
                               : table ? round_table_row(item, m.config())
                                      : round_row(item, m.config()));
        }
        print_records(std::cout, format, records,
                      digest ? digest_columns(format) : round_columns(format), table_width());
    }
    print_paths(common, plan.notices);
    std::cout.flush();
    for (const DataError& e : plan.unknown) {
        std::cerr << "mailbox-assign: " << e.what() << '\n';
    }
    if (report_broken(entries) || !plan.unknown.empty()) {
        throw DataError(plan.unknown.empty()
                            ? _("some case files could not be read and were left out")
                            : _("some case files could not be read or name unknown "
                                "units or leaders, and were left out"));
    }
}

} // namespace

int main(int argc, char** argv) {
    AssignOptions ao;
    std::vector<std::string> ids;
    std::string one_id, reason, approved_by, note;
    std::optional<std::string> unit;
    int days = 0;
    bool notices = false, quiet = false, solved = false;
    std::vector<std::string> commands; // their names, for "did you mean"
    auto one_case = [&](CLI::App& c) { c.add_option("id", one_id, _("the case"))->required(); };
    return run_tool(argc, argv, [&](CommonOptions& common) {
        auto round = [&](Round r, const char* help, const char* notices_help) {
            return Subcommand{std::string(to_string(r)), help, true,
                              [&, notices_help](CLI::App& c) {
                                  c.add_flag("--notices", notices, notices_help);
                                  c.add_flag("-q,--quiet", quiet, _("print no list"));
                              },
                              [&, r] { round_command(common, r, notices, quiet); }};
        };
        Tool tool{"mailbox-assign", _("Assign cases to units, chase and supervise them."), {}, {}};
        tool.bare = Subcommand{
            "", "", true,
            [&](CLI::App& app) {
                app.add_option("id", ao.ids, _("the cases to assign (ids or unique prefixes)"));
                app.add_option("--to", ao.to, _("the lead unit"))->type_name("UNIT");
                app.add_option("--with", ao.with, _("a co-unit (repeatable)"))->type_name("UNIT");
                app.add_option("--leader", ao.leader, _("the leader who leads the handling"))
                    ->type_name("ID");
                app.add_option("--instruction", ao.instruction,
                               _("the secretary's instruction (批示)"))
                    ->type_name("TEXT");
                app.add_option("--category", ao.category, _("set the category"))->type_name("CAT");
                app.add_option("--kind", ao.kind,
                               _("what the writer wants (诉求类型), a [[kind]] id"))
                    ->type_name("K");
                app.add_flag("--route", ao.route, _("take the suggested category and unit"));
                app.add_flag("--force", ao.force,
                             _("hand a restricted case to the unit it accuses all the same"));
                app.add_flag(
                    "--notices", ao.notices,
                    _("render a 交办单 per unit into out/notices/ (co-units marked 协办)"));
                app.add_option("--note", ao.note, _("why (required to re-assign)"))
                    ->type_name("TEXT");
            },
            [&] { assign_command(common, ao, commands); }};
        tool.commands = {
            {"link", _("link cases holding the same letter"), true,
             [&](CLI::App& c) { c.add_option("ids", ids, _("two case ids or more"))->required(); },
             [&] { link_command(common, ids); }},
            {"unlink", _("take a case out of its group"), true, one_case,
             [&] { unlink_command(common, one_id); }},
            {"return", _("a unit hands a case back (退单)"), true,
             [&](CLI::App& c) {
                 one_case(c);
                 c.add_option("--reason", reason, _("why it is not the unit's business"))
                     ->required();
                 c.add_option("--unit", unit,
                              _("the unit returning it (default: --by, else the lead unit)"));
             },
             [&] { return_command(common, one_id, unit, reason); }},
            {"extend", _("an approved extension (延期)"), true,
             [&](CLI::App& c) {
                 c.add_option("ids", ids, _("the cases"))->required();
                 c.add_option("--days", days, _("how many more days"))->required();
                 c.add_option("--reason", reason, _("why"))->required();
                 c.add_option("--approved-by", approved_by, _("the leader who approved it"))
                     ->required()
                     ->type_name("LEADER");
             },
             [&] { extend_command(common, ids, days, reason, approved_by); }},
            round(Round::chase, _("today's chase list (一天一催); records the chase"),
                  _("render a notice per unit into out/notices/")),
            round(Round::supervise, _("cases due for supervision (三天一督); records it"),
                  _("render a notice per unit into out/notices/")),
            {"restrict", _("a letter that accuses (举报): kept out of others' sight"), true,
             [&](CLI::App& c) {
                 one_case(c);
                 c.add_option("--accused", unit, _("the unit it accuses"))->type_name("UNIT");
                 c.add_option("--reason", reason, _("why"))->required();
             },
             [&] { restrict_command(common, one_id, unit, reason); }},
            round(Round::digest, _("the day's 呈批单: new letters for the secretary"),
                  _("render the page into out/notices/DAY/digest.html")),
            {"visit", _("record an on-site visit (现场督查)"), true,
             [&](CLI::App& c) {
                 c.add_option("ids", ids, _("the cases"))->required();
                 c.add_option("--note", note, _("what was found and done"))->required();
                 c.add_flag("--solved-on-site", solved, _("the problem was solved on the spot"));
             },
             [&] { visit_command(common, ids, note, solved); }},
        };
        for (const Subcommand& c : tool.commands) {
            commands.push_back(c.name);
        }
        return tool;
    });
}
