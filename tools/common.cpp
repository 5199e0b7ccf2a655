#include "common.hpp"

#include "report/listing.hpp"
#include "store/cache/letter_index.hpp"
#include "store/git.hpp"
#include "util/atomic_file.hpp"
#include "util/charset.hpp"
#include "util/command.hpp"
#include "util/edit_distance.hpp"
#include "util/error.hpp"
#include "util/timestamp.hpp"

#include <algorithm>
#include <clocale>
#include <cstdlib>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <iostream>
#include <libintl.h>
#include <malloc.h>
#include <pwd.h>
#include <regex>
#include <sstream>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

namespace mailbox::tools {

namespace {

const char* g_tool = "mailbox";

std::optional<std::string> env(const char* name) {
    const char* v = std::getenv(name);
    return v && *v ? std::optional<std::string>(v) : std::nullopt;
}

std::string login_name() {
    if (auto user = env("USER")) {
        return *user;
    }
    if (passwd* pw = getpwuid(getuid())) {
        return pw->pw_name;
    }
    return "unknown";
}

// 17:30, when an office day ends.
constexpr long k_backfill_time = 17 * 3600 + 30 * 60;

Timestamp current_time(const Mailbox& m, const CommonOptions& o) {
    const date::time_zone* zone = m.config().zone;
    if (o.now) {
        Timestamp t = moment_flag("--now", *o.now, zone);
        // The office's own clock: ids and "today" follow its zone.
        return in_zone(t.sys(), zone);
    }
    auto clock = date::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    Timestamp now = in_zone(clock, zone);
    if (o.date) {
        Day day = day_flag("--date", *o.date, zone);
        // A day gone by is written up at the close of that office day (what
        // was done that day was done by then), not at the minute it is
        // typed; another day at the present time of day.
        auto time_of_day = day < now.day()
                               ? std::chrono::seconds(k_backfill_time)
                               : now.local - date::local_seconds{date::local_days{now.day()}};
        now.local = date::local_seconds{date::local_days{day}} + time_of_day;
    }
    return now;
}

} // namespace

void add_common_options(CLI::App& app, CommonOptions& o, bool writes) {
    app.add_option("-C", o.dir,
                   _("the mailbox folder (default: $MAILBOX_DIR, else the nearest "
                     "parent holding mailbox.toml)"))
        ->type_name("DIR");
    app.add_option("--by", o.by, _("who acts (default: $MAILBOX_USER, else the login name)"))
        ->type_name("NAME");
    app.add_option("--date", o.date, _("act as of this day"))->type_name("YYYY-MM-DD");
    app.add_option("--now", o.now, _("act as of this moment"))->type_name("DATETIME");
    app.add_option("--format", o.format, _("table, json, csv, tsv or md (bulletin: md, html, txt)"))
        ->type_name("FORMAT")
        ->check(CLI::IsMember({"table", "json", "csv", "tsv", "md", "html", "txt"}));
    if (writes) {
        app.add_flag("--commit", o.commit, _("commit the changed files with git"));
        app.add_flag("--dry-run", o.dry_run, _("say what would be done; write nothing"));
    }
    app.set_version_flag("--version", std::string(MAILBOX_VERSION),
                         _("Display program version information and exit"));
}

CLI::App* add_subcommand(CLI::App& app, const std::string& name, const std::string& help) {
    CLI::App* sub = app.add_subcommand(name, help);
    sub->group(_("Subcommands"));
    if (CLI::Option* own_help = sub->get_help_ptr()) {
        own_help->group(_("Options")); // made before the defaults it would take
    }
    sub->fallthrough();
    return sub;
}

Session open_session(const CommonOptions& o) {
    std::optional<std::filesystem::path> dir;
    if (o.dir) {
        dir = *o.dir;
    }
    auto env_dir = env("MAILBOX_DIR");
    std::filesystem::path root =
        find_mailbox(dir, env_dir ? std::optional<std::string>(*env_dir) : std::nullopt,
                     std::filesystem::current_path());
    Session s;
    s.mailbox = std::make_unique<Mailbox>(root);
    s.ctx.root = root;
    s.ctx.by = o.by ? *o.by : env("MAILBOX_USER").value_or(login_name());
    s.ctx.now = current_time(*s.mailbox, o);
    s.ctx.today = s.ctx.now.day();
    s.ctx.record = s.mailbox->config().office.language;
    return s;
}

Format output_format(const CommonOptions& o) {
    if (auto f = parse_format(o.format)) {
        return *f;
    }
    throw UsageError(tr("--format {}: only a bulletin is written as {}; this prints table, "
                        "json, csv, tsv or md",
                        o.format, o.format));
}

void print_table(const CommonOptions& o, bool excel, const std::vector<Value>& records,
                 const std::vector<Column>& columns) {
    if (!excel) {
        print_records(std::cout, output_format(o), records, columns, table_width());
        return;
    }
    if (o.format != "table" && o.format != "csv") {
        throw UsageError(tr("--excel writes csv; it cannot be --format {}", o.format));
    }
    std::ostringstream csv;
    print_records(csv, Format::csv, records, columns);
    std::cout << excel_csv(csv.str());
}

int table_width() {
    if (!isatty(STDOUT_FILENO)) {
        return 0;
    }
    if (auto columns = env("COLUMNS")) {
        int n = std::atoi(columns->c_str());
        if (n > 0) {
            return n;
        }
    }
    winsize ws{};
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) {
        return ws.ws_col;
    }
    return 80;
}

std::filesystem::path tools_dir() {
    std::error_code ec;
    std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::filesystem::path() : self.parent_path();
}

std::string cases_counted(std::size_t n) {
    return trn("{} case", "{} cases", n, n);
}

void warn(const std::string& message) {
    std::cout.flush(); // keep stdout and stderr in order on a terminal
    std::cerr << g_tool << ": " << tr("warning: {}", message) << '\n';
}

void check_commit_possible(const CommonOptions& o, const std::filesystem::path& root) {
    if (!o.commit || o.dry_run) {
        return;
    }
    if (!is_git_work_tree(root)) {
        throw UsageError(tr("--commit: '{}' is not in a git work tree (see 'mailbox-intake "
                            "init --git'); nothing written",
                            root.string()));
    }
    // git refuses to commit some paths then: the files would be written and
    // left for the stopped merge's own commit.
    if (std::string op = unfinished_git_operation(root); !op.empty()) {
        throw UsageError(tr("--commit: git stopped in the middle of {} in '{}'; finish it first "
                            "with 'git commit' or 'git rebase --continue' ('mailbox-report "
                            "check' names what is unmerged); nothing written",
                            op, root.string()));
    }
}

void BrokenCases::note(const IndexEntry& e) {
    if (!e.summary && !e.problems.empty()) {
        m_warnings.push_back(
            tr("{} (left out; see 'mailbox-report check')", e.problems.front().what()));
    }
}

bool BrokenCases::report() const {
    for (const std::string& w : m_warnings) {
        warn(w);
    }
    return !m_warnings.empty();
}

bool report_broken(const std::vector<IndexEntry>& entries) {
    BrokenCases broken;
    for (const IndexEntry& e : entries) {
        broken.note(e);
    }
    return broken.report();
}

namespace {

// Why the commit failed and what was left, said once the command's own
// output is out; empty when nothing failed.
std::string g_not_committed;

} // namespace

void commit_if_asked(const CommonOptions& o, const std::filesystem::path& root, Language record,
                     const std::vector<std::string>& paths, const std::string& message,
                     const std::string& done) {
    if (!o.commit || o.dry_run) {
        return;
    }
    try {
        commit_with_leftovers(root, paths, message, record);
    } catch (const Error& e) {
        // The files are written: the command's output must still say what
        // they hold (the ids registered), or a retry would register twice.
        std::string what = paths.empty()
                               ? "the case files an earlier command left are still not committed"
                               : done + ", not committed";
        g_not_committed = fmt::format("{}: {}; the next command run with --commit takes {} in, "
                                      "or commit now with: {}",
                                      what, e.what(), paths.empty() ? "them" : "it",
                                      commit_leftovers_command(root));
    }
}

namespace {

const std::filesystem::path& commit_checked(const CommonOptions& common, const Session& s) {
    check_commit_possible(common, s.ctx.root);
    return s.ctx.root;
}

} // namespace

const std::filesystem::path& by_checked(const Session& s) {
    if (auto at = invalid_utf8_at(s.ctx.by)) {
        throw UsageError(tr("the user name ($MAILBOX_USER, else the login name) is not valid "
                            "UTF-8 (byte {}); set it in UTF-8 or use --by",
                            *at + 1));
    }
    return s.ctx.root;
}

Writing::Writing(const CommonOptions& common)
    : s(open_session(common)),
      lock((by_checked(s), commit_checked(common, s)), std::chrono::seconds(5)) {}

void finish(const CommonOptions& common, const Session& s, const std::vector<Case>& changed,
            const std::string& message, const std::vector<std::string>& extra) {
    std::vector<std::string> paths = extra;
    for (const Case& c : changed) {
        paths.push_back(s.mailbox->case_path(c.id));
    }
    LetterIndex letters(*s.mailbox);
    if (common.dry_run) {
        for (const Case& c : changed) {
            letters.add_unwritten(c);
        }
    } else {
        letters.save(changed);
    }
    commit_if_asked(common, s.ctx.root, s.ctx.record, paths, message);
    Format format = output_format(common);
    std::vector<Value> records;
    for (const Case& c : changed) {
        int others = static_cast<int>(letters.other_letters(c).size());
        CaseSummary shown = c;
        shown.group = letters.group_of(c, changed); // the whole group, as list gives it
        Value r = case_record(shown, s.mailbox->config(), s.ctx.today, others);
        records.push_back(format == Format::table ? list_table_row(r) : std::move(r));
    }
    print_records(std::cout, format, records,
                  format == Format::table ? list_columns() : list_fields(), table_width());
    if (common.dry_run) {
        std::cout.flush();
        for (const std::string& p : paths) {
            std::cerr << g_tool << ": " << tr("dry run: would write {}", p) << '\n';
        }
    }
}

std::vector<std::string> command_names(CLI::App& app) {
    std::vector<std::string> names;
    for (const CLI::App* sub : app.get_subcommands({})) {
        names.push_back(sub->get_name());
    }
    return names;
}

namespace {

// "unknown command 'lst'; did you mean 'list'?" for a mistyped subcommand.
std::string unknown_command(CLI::App& app) {
    std::vector<std::string> extras = app.remaining();
    if (extras.empty() || !app.get_subcommands().empty()) {
        return "";
    }
    std::string near = suggestions(extras.front(), command_names(app));
    return near.empty() ? tr("unknown command '{}'", extras.front())
                        : tr("unknown command '{}'; did you mean {}?", extras.front(), near);
}

// The subcommand the parse reached: its flags are the ones meant.
CLI::App* deepest_command(CLI::App* app) {
    for (CLI::App* sub : app->get_subcommands()) {
        return deepest_command(sub);
    }
    return app;
}

constexpr const char* k_number_types[] = {"INT", "UINT", "FLOAT", "NUMBER", "DOUBLE"};

bool takes_number(const CLI::Option* opt) {
    std::string type = opt ? opt->get_type_name() : "";
    return type == "N" || std::any_of(std::begin(k_number_types), std::end(k_number_types),
                                      [&](const char* number) { return type.starts_with(number); });
}

std::string unknown_flag(CLI::App* cmd, const std::string& flag) {
    std::vector<std::string> names;
    for (const CLI::Option* opt : cmd->get_options()) {
        for (const std::string& l : opt->get_lnames()) {
            names.push_back("--" + l);
        }
    }
    std::string near = suggestions(flag, names);
    return near.empty() ? tr("unknown flag '{}'", flag)
                        : tr("unknown flag '{}'; did you mean {}?", flag, near);
}

// CLI11's messages in the tools' own words and the user's language: the
// flag first, then what is wrong with it ("--days: expected a number, got
// 'abc'"). A message not known here is CLI11's own, in English.
std::string parse_error_message(CLI::App& app, const CLI::ParseError& e) {
    CLI::App* cmd = deepest_command(&app);
    std::string what = e.what();
    std::smatch m;
    auto is = [&](const char* pattern) { return std::regex_match(what, m, std::regex(pattern)); };
    // Only a number can fail to convert: every other option takes text.
    if (is("Could not convert: (\\S+) = (.*)")) {
        return tr("{}: expected a number, got '{}'", m[1].str(), m[2].str());
    }
    if (is("(\\S+): \\d+ required .* missing")) {
        return takes_number(cmd->get_option_no_throw(m[1].str()))
                   ? tr("{}: needs a number", m[1].str())
                   : tr("{}: needs a value", m[1].str());
    }
    if (is("(\\S+) is required")) {
        return tr("{} is required", m[1].str());
    }
    if (is("A subcommand is required|Requires at least 1 subcommands")) {
        return tr("a command is required: {}",
                  fmt::format("{}", fmt::join(command_names(*cmd), ", ")));
    }
    if (is("(\\S+): Value (.*) not in range (\\S+) to (\\S+)")) {
        return tr("{}: {} is not between {} and {}", m[1].str(), m[2].str(), m[3].str(),
                  m[4].str());
    }
    if (is("(\\S+): (.*) not in \\{(.*)\\}")) {
        std::string choices =
            std::regex_replace(m[3].str(), std::regex(","), C_("list separator", ", "));
        return tr("{}: '{}' is not one of {}", m[1].str(), m[2].str(), choices);
    }
    // Our own checks' messages (whole_number, UTF-8), already translated.
    if (e.get_name() == "ValidationError" && is("(\\S+): (.*)")) {
        return tr("{}: {}", m[1].str(), m[2].str());
    }
    if (is("The following arguments? (was|were) not expected: (.*)")) {
        // CLI11 lists them last first.
        std::vector<std::string> extras;
        std::istringstream words(m[2].str());
        for (std::string w; words >> w;) {
            extras.insert(extras.begin(), w);
        }
        for (const std::string& extra : extras) {
            if (extra.starts_with("-") && extra.size() > 1) {
                return unknown_flag(cmd, extra.substr(0, extra.find('=')));
            }
        }
        return trn("unexpected argument '{}'", "unexpected arguments '{}'", extras.size(),
                   fmt::format("{}", fmt::join(extras, "' '")));
    }
    return what;
}

} // namespace

bool editor_available() {
    return (env("VISUAL") || env("EDITOR")) && isatty(STDIN_FILENO);
}

std::string edit_text(const std::string& text, const std::string& name) {
    std::optional<std::string> editor = env("VISUAL");
    editor = editor ? editor : env("EDITOR");
    if (!editor || !isatty(STDIN_FILENO)) {
        throw UsageError(_("no text: give --file F (or - for standard input), or run it on a "
                           "terminal with $EDITOR set"));
    }
    std::string dir = (std::filesystem::temp_directory_path() / "mailbox-edit-XXXXXX").string();
    if (!mkdtemp(dir.data())) {
        throw_errno("can't make a folder to edit in");
    }
    struct Remove {
        std::string dir;
        ~Remove() {
            std::error_code ec;
            std::filesystem::remove_all(dir, ec);
        }
    } remove{dir};
    std::filesystem::path file = std::filesystem::path(dir) / name;
    write_file_atomically(file, text);
    // Through the shell only as "$EDITOR" "$1": the file's name is an
    // argument, never shell syntax.
    int status = run_on_terminal({"sh", "-c", *editor + " \"$1\"", "sh", file});
    if (status != 0) {
        throw UsageError(tr("the editor exited with {}; nothing written", status));
    }
    return read_file(file);
}

const CLI::Validator& whole_number() {
    static const CLI::Validator k_whole(
        [](std::string& value) {
            bool digits = !value.empty() && std::all_of(value.begin(), value.end(), [](char c) {
                return c >= '0' && c <= '9';
            });
            return digits ? std::string() : tr("expected a whole number, got '{}'", value);
        },
        "", "whole number");
    return k_whole;
}

namespace {

// Text from a Chinese Windows terminal may be GBK: written into a case file
// it would make the file unreadable to every tool, so each value of every
// option must be UTF-8 (its flag is named by CLI11 in the message).
void require_utf8_values(CLI::App& app) {
    static const CLI::Validator k_utf8(
        [](std::string& value) {
            auto at = invalid_utf8_at(value);
            return at ? tr("not valid UTF-8 (byte {}); set the terminal to UTF-8", *at + 1)
                      : std::string();
        },
        "", "UTF-8");
    for (CLI::Option* opt : app.get_options()) {
        if (opt->get_expected_max() > 0) {
            opt->check(k_utf8);
        }
    }
    for (CLI::App* sub : app.get_subcommands({})) {
        require_utf8_values(*sub);
    }
}

// The exit status of a command that ended with `code`: a commit that failed
// makes it at least 3, so that cron notices, and is said first.
int not_committed(const char* name, Exit code) {
    if (g_not_committed.empty()) {
        return static_cast<int>(code);
    }
    std::cout.flush();
    std::cerr << name << ": " << g_not_committed << '\n';
    return std::max(static_cast<int>(code), static_cast<int>(Exit::data));
}

} // namespace

namespace {

// A subcommand that writes nothing refuses the flags about writing, which
// would otherwise promise what it does not do.
void refuse_write_flags(const CommonOptions& o, const Subcommand& c) {
    if (!c.writes && (o.commit || o.dry_run)) {
        throw UsageError(
            tr("{}: '{}' writes nothing", o.commit ? "--commit" : "--dry-run", c.name));
    }
}

void add_commands(CLI::App& app, const Tool& tool, const CommonOptions& options) {
    for (const Subcommand& c : tool.commands) {
        CLI::App* sub = add_subcommand(app, c.name, c.help);
        if (c.flags) {
            c.flags(*sub);
        }
        sub->callback([&options, &c] {
            refuse_write_flags(options, c);
            c.run();
        });
    }
    if (const auto& bare = tool.bare) {
        app.require_subcommand(0, 1);
        if (bare->flags) {
            bare->flags(app);
        }
        app.callback([&app, &options, &bare] {
            if (app.get_subcommands().empty()) {
                refuse_write_flags(options, *bare);
                bare->run();
            }
        });
    } else {
        app.require_subcommand(1);
    }
}

} // namespace

namespace {

// A command lives a second or two and frees what it soon wants again (a
// chunk of rows, a buffer of output). glibc hands big blocks back to the
// kernel and maps them afresh, and a warm list of 100,000 cases spent a
// tenth of its time in page faults; memory it keeps is still bounded by
// what the command holds at once.
void keep_freed_memory() {
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    // The heap's first 48 MB in huge pages where the kernel gives them on
    // request (transparent_hugepage "madvise"): a page fault per 2 MB, not
    // per 4 KB. Kept by the trim threshold, the block's pages are what the
    // command allocates next; none is touched here.
    constexpr std::size_t k_heap = 48 << 20, k_huge = 2 << 20;
    if (void* block = std::malloc(k_heap)) {
        auto start = (reinterpret_cast<std::uintptr_t>(block) + k_huge - 1) & ~(k_huge - 1);
        madvise(reinterpret_cast<void*>(start), k_heap - k_huge, MADV_HUGEPAGE);
        std::free(block);
    }
}

} // namespace

namespace {

// Takes the user's language from the locale (LANG, LC_ALL, LC_MESSAGES,
// LANGUAGE), its catalogue from `locale_dir`. Only the messages follow the
// locale: numbers, dates and character classes stay as the files hold
// them, whatever the clerk's settings.
void use_user_language(const std::filesystem::path& locale_dir) {
    std::setlocale(LC_MESSAGES, "");
    bindtextdomain("mailbox", locale_dir.c_str());
    bind_textdomain_codeset("mailbox", "UTF-8"); // what the case files hold, and we print
}

// CLI11 pads the left column of --help by bytes, and a Chinese word there
// (必填) is three bytes a character but two columns wide: this pads by
// display width, as the tables do.
class WideFormatter : public CLI::Formatter {
  public:
    std::string make_option(const CLI::Option* opt, bool is_positional) const override {
        std::string line = "  " + make_option_name(opt, is_positional) + make_option_opts(opt);
        std::string description = make_option_desc(opt);
        auto column = static_cast<int>(get_column_width());
        int shown = display_width(line);
        line += std::string(std::max(column - shown, 0), ' ');
        if (!description.empty()) {
            if (shown >= column) {
                line += "\n" + std::string(column, ' ');
            }
            for (char c : description) {
                line += c;
                if (c == '\n') {
                    line += std::string(column, ' ');
                }
            }
        }
        return line + "\n";
    }
};

// CLI11's own words in --help, in the user's language.
void speak_user_language(CLI::App& app) {
    app.formatter(std::make_shared<WideFormatter>());
    app.option_defaults()->group(_("Options"));
    app.set_help_flag("-h,--help", _("Print this help message and exit"));
    const auto& f = app.get_formatter();
    for (const char* label : {N_("Usage"), N_("OPTIONS"), N_("SUBCOMMAND"), N_("SUBCOMMANDS"),
                              N_("REQUIRED"), N_("Positionals")}) {
        f->label(label, _(label));
    }
}

} // namespace

int run_tool(int argc, char** argv, const std::function<Tool(CommonOptions&)>& make) {
    keep_freed_memory();
    use_user_language(tools_dir() / MAILBOX_LOCALE_PATH);
    CommonOptions options;
    const Tool tool = make(options);
    const char* name = tool.name;
    g_tool = name;
    CLI::App app{tool.description, name};
    speak_user_language(app);
    bool writes = std::any_of(tool.commands.begin(), tool.commands.end(),
                              [](const Subcommand& c) { return c.writes; }) ||
                  (tool.bare && tool.bare->writes);
    add_common_options(app, options, writes);
    try {
        add_commands(app, tool, options);
        require_utf8_values(app);
        app.parse(argc, argv);
        std::cout.flush();
        return not_committed(name, Exit::ok);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::cout.flush();
        std::string unknown = unknown_command(app);
        std::cerr << name << ": "
                  << tr("{} (see '{} --help')",
                        unknown.empty() ? parse_error_message(app, e) : unknown, name)
                  << '\n';
        return static_cast<int>(Exit::usage);
    } catch (const Error& e) {
        std::cout.flush();
        int code = not_committed(name, e.exit_code());
        std::cerr << name << ": " << e.what() << '\n';
        return code;
    } catch (const std::exception& e) {
        std::cout.flush();
        int code = not_committed(name, Exit::data);
        std::cerr << name << ": " << e.what() << '\n';
        return code;
    }
}

} // namespace mailbox::tools
