// What every tool shares: the common flags of DESIGN.md §4, turning them into
// a Mailbox and a Context, and the one place errors become exit codes.
#pragma once

#include "format/output.hpp"
#include "model/context.hpp"
#include "store/cache/case_index.hpp"
#include "store/lock.hpp"
#include "store/mailbox.hpp"
#include "util/i18n.hpp" // every tool marks its messages

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace mailbox::tools {

struct CommonOptions {
    std::optional<std::string> dir;
    std::optional<std::string> by;
    std::optional<std::string> date;
    std::optional<std::string> now;
    std::string format = "table";
    bool commit = false;
    bool dry_run = false;
};

// The flags every tool takes; they work before or after the subcommand.
// Tools that write also take --commit and --dry-run.
void add_common_options(CLI::App& app, CommonOptions& o, bool writes);

// Subcommands let the common flags fall through to the tool.
CLI::App* add_subcommand(CLI::App& app, const std::string& name, const std::string& help);
// The names of the tool's subcommands, for "did you mean".
std::vector<std::string> command_names(CLI::App& app);

struct Session {
    std::unique_ptr<Mailbox> mailbox;
    Context ctx;
};

// Finds the mailbox, reads mailbox.toml and settles who acts and when.
Session open_session(const CommonOptions& o);

Format output_format(const CommonOptions& o);

// Prints records in the chosen format, or with `excel` as CSV for Excel
// (UsageError when --format asks for something else too).
void print_table(const CommonOptions& o, bool excel, const std::vector<Value>& records,
                 const std::vector<Column>& columns);

// Columns to fit a table into: $COLUMNS or the terminal's width when stdout
// is a terminal, else 0 (no limit, so pipes get whole lines).
int table_width();

// "3 cases", in the user's language: a count inside a longer message.
std::string cases_counted(std::size_t n);

void warn(const std::string& message);

// The folder this tool was run from: its sibling tools live there too.
std::filesystem::path tools_dir();

// Warns of each case file that could not be read and was left out of a
// whole-mailbox command; true when there was one (the command then exits 3).
bool report_broken(const std::vector<IndexEntry>& entries);

// The same for a command that reads the cases as they stream by: each noted
// as it passes, all said once the command's own output is out.
class BrokenCases {
  public:
    void note(const IndexEntry& e);
    bool report() const; // as report_broken
  private:
    std::vector<std::string> m_warnings;
};

// Who acts goes into every history entry written: a user name that is not
// UTF-8 ($MAILBOX_USER from a GBK terminal) is a usage error. Returns the
// mailbox folder.
const std::filesystem::path& by_checked(const Session& s);

// The session of a command that writes, and the lock, taken once --commit
// is known to be possible.
struct Writing {
    Session s;
    MailboxLock lock;
    explicit Writing(const CommonOptions& common);
};

// Saves the changed cases (all or none; not in a dry run), adds `extra`
// files already written to the commit, commits if asked, and prints each
// case as a list record: its status, due date and unit as they are now.
void finish(const CommonOptions& common, const Session& s, const std::vector<Case>& changed,
            const std::string& message, const std::vector<std::string>& extra = {});

// Opens `text` in $VISUAL or $EDITOR on the terminal, as git commit does,
// and returns what was saved. The file (named `name`) lives in a folder only
// this user can read, removed afterwards: the text may be a citizen's letter.
// UsageError without a terminal or an editor, or when the editor fails.
std::string edit_text(const std::string& text, const std::string& name);
// A check for a count: digits only, so that "-3" is not read as a huge
// unsigned number.
const CLI::Validator& whole_number();

// Whether edit_text can run: $VISUAL or $EDITOR set, standard input a terminal.
bool editor_available();

// One subcommand, as git's commands[] and ninja's kTools list theirs: its
// name and help (for --help and "did you mean"), whether it writes case
// files (then it takes --commit and --dry-run, and its run takes the lock),
// its own flags, and what it runs.
struct Subcommand {
    std::string name;
    std::string help;
    bool writes = false;
    std::function<void(CLI::App&)> flags; // may be empty
    std::function<void()> run;
};

struct Tool {
    const char* name;
    std::string description;
    std::vector<Subcommand> commands;
    // What the tool does with no subcommand (mailbox-assign ID --to UNIT),
    // its flags on the tool itself; without it a subcommand is required.
    std::optional<Subcommand> bare;
};

// Parses the command line and runs the chosen subcommand, turning every
// error into one line on stderr and an exit code. `make` sees the common
// options, which the subcommands' runs read once parsed.
int run_tool(int argc, char** argv, const std::function<Tool(CommonOptions&)>& make);

// With --commit: commits `paths` (relative to the mailbox) with one sentence
// naming the case and the action, as pass does, and with them every case
// file an earlier command left uncommitted (commit_with_leftovers).
// Refuses --commit outside a git work tree before anything is written.
// When git fails, what was written stays, the command goes on to print its
// output, and run_tool then says "<done>, not committed" and exits 3.
void check_commit_possible(const CommonOptions& o, const std::filesystem::path& root);
void commit_if_asked(const CommonOptions& o, const std::filesystem::path& root, Language record,
                     const std::vector<std::string>& paths, const std::string& message,
                     const std::string& done = "saved");

} // namespace mailbox::tools
