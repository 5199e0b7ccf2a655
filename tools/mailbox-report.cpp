// mailbox-report: read the mailbox: list, show, check, and what
// mailbox.toml defines.
#include "common.hpp"
#include "merge/driver.hpp"
#include "model/case_id.hpp"
#include "report/assess.hpp"
#include "report/bulletin.hpp"
#include "report/check.hpp"
#include "report/listing.hpp"
#include "report/period.hpp"
#include "report/search.hpp"
#include "report/stats.hpp"
#include "report/triage.hpp"
#include "store/cache/case_index.hpp"
#include "store/cache/letter_index.hpp"
#include "store/git.hpp"
#include "store/mailbox.hpp"
#include "store/merge_setup.hpp"
#include "store/templates.hpp"
#include "util/atomic_file.hpp"
#include "util/path_guard.hpp"
#include "util/search_terms.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <iostream>

using namespace mailbox;
using namespace mailbox::tools;

namespace {

struct ListOptions {
    std::optional<std::string> status, unit, category, since, until;
    bool overdue = false;
    bool excel = false;
};

ListFilter make_filter(const ListOptions& o, const Config& config) {
    ListFilter f;
    if (o.status) {
        f.status = parse_status(*o.status);
        if (!f.status) {
            throw UsageError(tr("--status '{}': expected received, assigned, replied, "
                                "tracking or closed",
                                *o.status));
        }
    }
    f.unit = o.unit;
    if (const Unit* u = o.unit ? config.unit_named(*o.unit) : nullptr) {
        f.unit = u->id; // named by id or by name
    }
    f.category = o.category;
    f.overdue = o.overdue;
    for (auto [flag, text, day] :
         {std::tuple{"--since", &o.since, &f.since}, std::tuple{"--until", &o.until, &f.until}}) {
        if (*text) {
            *day = day_flag(flag, **text, config.zone);
        }
    }
    if (f.since && f.until && *f.until < *f.since) {
        throw UsageError(tr("--until {} is before --since {}", *o.until, *o.since));
    }
    validate_filter(f, config);
    return f;
}

// Cases that do not parse are reported, and the list goes on without them.
// The cases stream by: only the table (for its widths) and a workbook hold
// their rows.
void list(const CommonOptions& common, const ListOptions& lo) {
    Session s = open_session(common);
    const Config& config = s.mailbox->config();
    ListFilter filter = make_filter(lo, config);
    CaseScan scan(*s.mailbox); // the letter index as the files are now
    // The rows carry each sender's count; an entry read from its file (the
    // cache busy or read-only) is counted from the letter index, once.
    std::optional<std::unordered_map<std::string, int>> counted;
    auto sender_cases = [&](const IndexEntry& e) {
        if (e.sender_cases >= 0) {
            return e.sender_cases;
        }
        if (!counted) {
            counted = LetterIndex(*s.mailbox).other_letter_counts();
        }
        auto n = counted->find(e.id);
        return n == counted->end() ? 0 : n->second;
    };
    Format format = output_format(common);
    bool table = format == Format::table && !lo.excel;
    BrokenCases broken;
    auto each_match = [&](auto&& take) {
        scan.each([&](const IndexEntry& e) {
            broken.note(e);
            if (e.summary && matches(*e.summary, filter, config, s.ctx.today)) {
                take(*e.summary, sender_cases(e));
            }
        });
    };
    if (lo.excel) {
        std::vector<Value> records;
        each_match([&](const CaseSummary& c, int others) {
            records.push_back(case_record(c, config, s.ctx.today, others));
        });
        print_table(common, true, records, list_fields());
    } else {
        RecordPrinter printer(std::cout, format, table ? list_columns() : list_fields(),
                              table_width());
        each_match([&](const CaseSummary& c, int others) {
            if (table) {
                printer.add(list_table_row(case_record(c, config, s.ctx.today, others)));
            } else {
                printer.add([&](Fields& f) { case_fields(c, config, s.ctx.today, others, f); });
            }
        });
        printer.finish();
    }
    if (broken.report()) {
        throw DataError(_("some case files could not be read"));
    }
}

struct SearchOptions {
    std::vector<std::string> words;
    ListOptions filter;
    std::size_t limit = 50;
};

void search(const CommonOptions& common, const SearchOptions& so) {
    std::string query = fmt::format("{}", fmt::join(so.words, " "));
    if (search_match(query).empty()) {
        throw UsageError(_("nothing to search for: give words or characters, such as "
                           "'mailbox-report search 路灯'"));
    }
    Session s = open_session(common);
    const Config& config = s.mailbox->config();
    ListFilter filter = make_filter(so.filter, config);
    Search result = search_cases(*s.mailbox, query, filter, s.ctx.today, so.limit);
    LetterIndex letters(*s.mailbox);
    Format format = output_format(common);
    bool table = format == Format::table || format == Format::markdown;
    RecordPrinter printer(std::cout, format, table ? search_columns() : search_fields(),
                          table_width());
    for (const Found& f : result.found) {
        int others = static_cast<int>(letters.other_letters(f.summary).size());
        Value r = search_record(f, config, s.ctx.today, others);
        printer.add(table ? search_table_row(r) : std::move(r));
    }
    printer.finish();
    if (report_broken(result.broken)) {
        throw DataError(_("some case files could not be read"));
    }
}

void show(const CommonOptions& common, const std::string& typed) {
    Format format = output_format(common);
    if (format == Format::csv || format == Format::tsv) {
        throw UsageError(_("show prints one case as text (the default) or json"));
    }
    Session s = open_session(common);
    std::string id = s.mailbox->resolve_id(typed);
    Case c = s.mailbox->load(id);
    LetterIndex letters(*s.mailbox);
    c.group = letters.group_of(c); // the whole group, not only the links its file names
    std::vector<SenderCase> others = sender_cases(*s.mailbox, letters, c);
    std::optional<LearnedReason> why = learned_reason(*s.mailbox, c);
    const LearnedReason* learned = why ? &*why : nullptr;
    if (format == Format::json) {
        std::cout << to_json(case_detail(c, s.mailbox->config(), s.ctx.today, others, learned));
    } else {
        // The letter's own control characters must not reach the terminal.
        std::cout << visible_text(case_text(c, s.mailbox->config(), s.ctx.today, others, learned));
    }
}

// The mailbox folder alone: check and setup-git work where mailbox.toml is
// broken.
std::filesystem::path mailbox_root(const CommonOptions& common) {
    std::optional<std::filesystem::path> dir;
    if (common.dir) {
        dir = *common.dir;
    }
    const char* env_dir = std::getenv("MAILBOX_DIR");
    return find_mailbox(dir, env_dir ? std::optional<std::string>(env_dir) : std::nullopt,
                        std::filesystem::current_path());
}

void check(const CommonOptions& common, bool full) {
    CheckReport report = check_mailbox(mailbox_root(common), full);
    for (const DataError& p : report.problems) {
        std::cerr << "mailbox-report: " << p.what() << '\n';
    }
    for (const std::string& w : report.warnings) {
        warn(w);
    }
    if (!report.problems.empty()) {
        throw DataError(trn("{} problem in {} and mailbox.toml",
                            "{} problems in {} and mailbox.toml", report.problems.size(),
                            report.problems.size(), cases_counted(report.cases)));
    }
    std::cout << tr("ok: {} and mailbox.toml, no problems", cases_counted(report.cases)) << '\n';
}

struct StatsOptions {
    PeriodChoice period;
    std::optional<std::string> by;
    bool excel = false;
};

void add_period_options(CLI::App* cmd, PeriodChoice& p) {
    cmd->add_option("--quarter", p.quarter, _("a quarter, e.g. 2026Q3"))->type_name("Q");
    cmd->add_option("--month", p.month, _("a month, e.g. 2026-10"))->type_name("YYYY-MM");
    cmd->add_option("--year", p.year, _("a year, e.g. 2026"))->type_name("YYYY");
    cmd->add_option("--since", p.since, _("the first day of a range"))->type_name("YYYY-MM-DD");
    cmd->add_option("--until", p.until, _("the last day of a range"))->type_name("YYYY-MM-DD");
}

std::vector<Value> for_table(std::vector<Value> rows, const CommonOptions& common, bool excel) {
    Format f = output_format(common);
    if (!excel && (f == Format::table || f == Format::markdown)) {
        for (Value& r : rows) {
            r = with_percents(r);
        }
    }
    return rows;
}

void stats(const CommonOptions& common, const StatsOptions& o) {
    Period period = parse_period(o.period);
    std::optional<Breakdown> by;
    if (o.by && !(by = parse_breakdown(*o.by))) {
        throw UsageError(tr("--by '{}': expected unit, category, kind, channel or leader", *o.by));
    }
    Session s = open_session(common);
    PeriodStats counted = count_within(*s.mailbox, {period, year_before(period)}, s.ctx.now);
    const Stats& now = counted.stats[0];
    const Stats& before = counted.stats[1];
    if (output_format(common) == Format::json && !o.excel) {
        std::cout << to_json(stats_record(now, before, by));
    } else if (by) {
        print_table(common, o.excel, for_table(breakdown_rows(now, *by), common, o.excel),
                    breakdown_columns());
    } else {
        print_table(common, o.excel, for_table(summary_rows(now, before), common, o.excel),
                    summary_columns());
    }
    if (report_broken(counted.broken)) {
        throw DataError(_("some case files could not be read"));
    }
}

void assess(const CommonOptions& common, const std::string& year, bool excel) {
    PeriodChoice choice;
    choice.year = year;
    Period period = parse_period(choice);
    Session s = open_session(common);
    PeriodStats counted = count_within(*s.mailbox, {period}, s.ctx.now);
    std::vector<Value> rows;
    for (const Assessment& a : assess_units(counted.stats[0], s.mailbox->config().assessment)) {
        rows.push_back(assessment_record(a));
    }
    Format f = output_format(common);
    bool table = !excel && (f == Format::table || f == Format::markdown);
    print_table(common, excel, for_table(rows, common, excel),
                table ? assessment_columns() : assessment_fields());
    if (report_broken(counted.broken)) {
        throw DataError(_("some case files could not be read"));
    }
}

// How well the learned suggestions would have done on this mailbox: the
// category and the unit, by time and in folds; then the categories one by
// one, with their confusion, for the folds.
void triage_eval(const CommonOptions& common, int folds) {
    Session s = open_session(common);
    Decisions decided = decided_cases(*s.mailbox);
    double threshold = s.mailbox->config().suggest.confidence;
    std::vector<Evaluation> done;
    for (Target t : {Target::category, Target::unit}) {
        done.push_back(evaluate_by_time(decided.cases, t, threshold));
        done.push_back(evaluate_in_folds(decided.cases, t, threshold, folds));
    }
    Format format = output_format(common);
    if (format == Format::json) {
        Value::Array all;
        for (const Evaluation& e : done) {
            all.push_back(evaluation_record(e));
        }
        std::cout << to_json(Value(Value::Object{{"evaluations", Value(std::move(all))}}));
    } else {
        bool table = format == Format::table || format == Format::markdown;
        std::vector<Value> rows;
        for (const Evaluation& e : done) {
            rows.push_back(table ? evaluation_row(e) : evaluation_record(e));
        }
        print_table(common, false, rows, evaluation_columns());
        if (table) {
            std::cout << '\n';
            print_table(common, false, label_rows(done[1]), label_columns(done[1]));
        }
    }
    if (report_broken(decided.broken)) {
        throw DataError(_("some case files could not be read"));
    }
}

struct BulletinFlags {
    std::optional<std::string> quarter, template_name, out;
    bool no_mask = false;
};

// A bulletin is a document, not a listing: --format says txt, md or html
// ("table", the common default, means txt).
void bulletin(const CommonOptions& common, const BulletinFlags& f) {
    auto format = parse_bulletin_format(common.format);
    if (!format) {
        throw UsageError(tr("--format {}: a bulletin is txt, md or html", common.format));
    }
    Session s = open_session(common);
    PeriodChoice choice;
    choice.quarter = f.quarter;
    Period quarter = f.quarter ? parse_period(choice) : last_full_quarter(s.ctx.today);
    BulletinOptions o;
    o.format = *format;
    o.mask = !f.no_mask;
    o.template_name = f.template_name.value_or("");
    if (!o.template_name.empty() && !is_template_name(o.template_name)) {
        throw UsageError(tr("--template '{}': a name of templates/NAME.mustache, such as "
                            "bulletin-internal",
                            o.template_name));
    }
    std::vector<IndexEntry> entries =
        cases_within(*s.mailbox, {quarter, year_before(quarter)}, true);
    std::string text = render_bulletin(*s.mailbox, entries, quarter, s.ctx.now, o);
    if (f.out && *f.out != "-") {
        std::filesystem::path out(*f.out);
        // A file named inside the mailbox stays inside it, whatever links
        // the repository holds; one named outside is the clerk's choice.
        std::filesystem::path inside =
            std::filesystem::absolute(out).lexically_normal().lexically_relative(
                std::filesystem::absolute(s.mailbox->root()).lexically_normal());
        if (!inside.empty() && *inside.begin() != "..") {
            check_inside_mailbox(s.mailbox->root(), inside);
        }
        if (out.has_parent_path()) {
            std::filesystem::create_directories(out.parent_path()); // out/, the usual place
        }
        write_file_atomically(out, text);
        std::cerr << "mailbox-report: " << tr("wrote {}", *f.out) << '\n';
    } else {
        std::cout << text;
    }
    if (report_broken(entries)) {
        throw DataError(_("some case files could not be read"));
    }
}

template <typename T, typename F>
void print_defined(const CommonOptions& common, const std::vector<T>& items, F record,
                   const std::vector<Column>& columns) {
    std::vector<Value> records;
    for (const T& item : items) {
        records.push_back(record(item));
    }
    print_records(std::cout, output_format(common), records, columns, table_width());
}

std::vector<Subcommand> config_listings(const CommonOptions& common) {
    return {
        {"units",
         _("the handling units mailbox.toml defines"),
         false,
         {},
         [&] {
             Session s = open_session(common);
             print_defined(common, s.mailbox->config().units,
                           [](const Unit& u) {
                               return Value(Value::Object{
                                   {"id", u.id},
                                   {"name", u.name},
                                   {"email", u.email.empty() ? Value() : Value(u.email)}});
                           },
                           {{"id", _("ID")}, {"name", _("NAME")}, {"email", _("EMAIL")}});
         }},
        {"leaders",
         _("the leaders who can lead the handling"),
         false,
         {},
         [&] {
             Session s = open_session(common);
             print_defined(common, s.mailbox->config().leaders,
                           [](const Leader& l) {
                               return Value(Value::Object{
                                   {"id", l.id},
                                   {"name", l.name},
                                   {"unit", l.unit.empty() ? Value() : Value(l.unit)}});
                           },
                           {{"id", _("ID")}, {"name", _("NAME")}, {"unit", _("UNIT")}});
         }},
        {"categories",
         _("the categories and the unit each routes to"),
         false,
         {},
         [&] {
             Session s = open_session(common);
             print_defined(common, s.mailbox->config().categories,
                           [](const Category& c) {
                               return Value(Value::Object{
                                   {"id", c.id},
                                   {"name", c.name},
                                   {"unit", c.unit},
                                   {"reply_days", c.reply_days ? Value(*c.reply_days) : Value()}});
                           },
                           {{"id", _("ID")},
                            {"name", _("NAME")},
                            {"unit", _("UNIT")},
                            {"reply_days", _("DAYS")}});
         }},
    };
}

struct MergeFileFlags {
    std::string base, ours, theirs;
    std::optional<std::string> path;
    int marker_size = 7;
    bool recursive = false;
    std::vector<std::string> labels; // as git merge-file's -L: ours, base, theirs
};

int merge_file(const MergeFileFlags& f) {
    MergeDriverArgs a{f.base, f.ours, f.theirs, f.path.value_or(f.ours), {}};
    a.options.marker_size = f.marker_size;
    a.options.recursive = f.recursive;
    if (f.labels.size() > 3) {
        throw UsageError(_("-L: at most three labels, ours, base and theirs"));
    }
    if (!f.labels.empty()) {
        a.options.ours_label = f.labels[0];
    }
    if (f.labels.size() == 3) {
        a.options.theirs_label = f.labels[2];
    }
    MergeDriverResult r = run_merge_driver(a);
    for (const std::string& note : r.notes) {
        std::cerr << fmt::format("mailbox-report: merge-file: {}: {}\n", a.path, note);
    }
    return r.status;
}

void setup_git(const CommonOptions& common, bool commit) {
    std::filesystem::path root = mailbox_root(common);
    std::vector<std::string> changed = setup_merge_driver(root, tools_dir());
    for (const std::string& file : changed) {
        std::cout << tr("wrote {}", file) << '\n';
    }
    bool attributes = std::find(changed.begin(), changed.end(), ".gitattributes") != changed.end();
    if (attributes && commit) {
        commit_files(root, {".gitattributes"}, "Merge case files with the mailbox merge driver.");
        std::cout << _("committed .gitattributes: push it, so that every clone merges alike")
                  << '\n';
    } else if (attributes) {
        std::cout << _("commit .gitattributes and push it, so that every clone merges alike")
                  << '\n';
    }
    if (changed.empty()) {
        std::cout << _("the merge driver was already set up in this clone") << '\n';
    }
}

} // namespace

int main(int argc, char** argv) {
    ListOptions lo;
    StatsOptions so;
    BulletinFlags bf;
    std::string assess_year;
    int triage_folds = 5;
    bool assess_excel = false;
    std::string show_id;
    SearchOptions search_o;
    bool full = false;
    MergeFileFlags mf;
    int merge_status = 0;
    bool setup_commit = false;
    int rc = run_tool(argc, argv, [&](CommonOptions& common) {
        Tool tool{"mailbox-report", _("Read the mailbox: list, show and check cases."), {}, {}};
        tool.commands = {
            {"list", _("list cases, filtered"), false,
             [&](CLI::App& c) {
                 c.add_option("--status", lo.status,
                              _("received, assigned, replied, tracking or closed"));
                 c.add_option("--unit", lo.unit, _("lead unit or co-unit"));
                 c.add_option("--category", lo.category, _("category id"));
                 c.add_flag("--overdue", lo.overdue, _("only cases past their due date"));
                 c.add_option("--since", lo.since, _("received on or after"))
                     ->type_name("YYYY-MM-DD");
                 c.add_option("--until", lo.until, _("received on or before"))
                     ->type_name("YYYY-MM-DD");
                 c.add_flag("--excel", lo.excel, _("CSV for Excel: UTF-8 with BOM, CRLF"));
             },
             [&] { list(common, lo); }},
            {"search", _("cases holding words: subject, letter, notes, answers"), false,
             [&](CLI::App& c) {
                 c.add_option("query", search_o.words,
                              _("words or characters, all of which must match"))
                     ->required();
                 c.add_option("--status", search_o.filter.status,
                              _("received, assigned, replied, tracking or closed"));
                 c.add_option("--unit", search_o.filter.unit, _("lead unit or co-unit"));
                 c.add_option("--since", search_o.filter.since, _("received on or after"))
                     ->type_name("YYYY-MM-DD");
                 c.add_option("--until", search_o.filter.until, _("received on or before"))
                     ->type_name("YYYY-MM-DD");
                 c.add_option("--limit", search_o.limit, _("at most N cases, best first (0: all)"))
                     ->type_name("N")
                     ->check(whole_number());
             },
             [&] { search(common, search_o); }},
            {"show", _("one case, whole"), false,
             [&](CLI::App& c) {
                 c.add_option("id", show_id, _("a case id or a unique prefix of one"))->required();
             },
             [&] { show(common, show_id); }},
            {"check", _("parse and validate everything"), false,
             [&](CLI::App& c) {
                 c.add_flag("--full", full, _("re-read every case file, trusting no cache"));
             },
             [&] { check(common, full); }},
            {"stats", _("figures of a period: received, on time, satisfied"), false,
             [&](CLI::App& c) {
                 add_period_options(&c, so.period);
                 c.add_option("--by", so.by, _("unit, category, kind, channel or leader"))
                     ->type_name("WHAT");
                 c.add_flag("--excel", so.excel, _("CSV for Excel: UTF-8 with BOM, CRLF"));
             },
             [&] { stats(common, so); }},
            {"bulletin", _("the quarterly bulletin (通报), from a template, data masked"), false,
             [&](CLI::App& c) {
                 c.add_option("--quarter", bf.quarter,
                              _("the quarter, e.g. 2026Q3 (default: the last whole one)"))
                     ->type_name("Q");
                 c.add_option("--template", bf.template_name,
                              _("render templates/NAME.mustache (default: bulletin.FORMAT)"))
                     ->type_name("NAME");
                 c.add_option("--out", bf.out, _("write to FILE instead of stdout"))
                     ->type_name("FILE");
                 c.add_flag("--no-mask", bf.no_mask,
                            _("names and contacts whole: an internal copy (内部资料)"));
             },
             [&] { bulletin(common, bf); }},
            {"assess", _("the yearly assessment: a score per unit"), false,
             [&](CLI::App& c) {
                 c.add_option("--year", assess_year, _("the year assessed"))
                     ->type_name("YYYY")
                     ->required();
                 c.add_flag("--excel", assess_excel, _("CSV for Excel: UTF-8 with BOM, CRLF"));
             },
             [&] { assess(common, assess_year, assess_excel); }},
            {"triage-eval", _("how well learned suggestions would have done here"), false,
             [&](CLI::App& c) {
                 c.add_option("--folds", triage_folds,
                              _("hold out one case in K, K times (2 to 100, default: 5)"))
                     ->type_name("K")
                     ->check(CLI::Range(2, 100).description(""));
             },
             [&] { triage_eval(common, triage_folds); }},
            // git runs it, on files of its own: no case file is written here.
            {"merge-file", _("git's merge driver for case files (see setup-git)"), false,
             [&](CLI::App& c) {
                 c.add_option("base", mf.base, _("the common ancestor (%O)"))->required();
                 c.add_option("ours", mf.ours, _("our version, overwritten (%A)"))->required();
                 c.add_option("theirs", mf.theirs, _("their version (%B)"))->required();
                 c.add_option("path", mf.path, _("the file's path in the work tree (%P)"));
                 c.add_option("--marker-size", mf.marker_size,
                              _("conflict markers' length (%L), 1 to 1000"))
                     ->type_name("N")
                     ->check(CLI::Range(1, 1000).description(""));
                 c.add_flag("--recursive", mf.recursive,
                            _("the inner merge of a criss-cross: keep the base, no markers"));
                 c.add_option("-L", mf.labels, _("labels for ours, base and theirs"))
                     ->type_name("LABEL")
                     ->allow_extra_args(false);
             },
             [&] { merge_status = merge_file(mf); }},
            // Writes git's settings and .gitattributes, no case file; its
            // --commit is its own.
            {"setup-git", _("set this clone's git up to merge case files with merge-file"), false,
             [&](CLI::App& c) {
                 c.add_flag("--commit", setup_commit, _("commit .gitattributes if it changed"));
             },
             [&] { setup_git(common, setup_commit); }},
        };
        for (Subcommand& c : config_listings(common)) {
            tool.commands.push_back(std::move(c));
        }
        return tool;
    });
    return rc ? rc : merge_status;
}
