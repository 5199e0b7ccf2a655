#include "store/git.hpp"

#include "model/case_id.hpp"
#include "util/error.hpp"
#include "util/i18n.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <set>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace mailbox {

namespace {

std::vector<std::string> clean_environment() {
    std::vector<std::string> env;
    for (char** e = environ; *e; ++e) {
        std::string_view var(*e);
        if (var.starts_with("GIT_") && !var.starts_with("GIT_AUTHOR_") &&
            !var.starts_with("GIT_COMMITTER_") && !var.starts_with("GIT_CONFIG_NOSYSTEM")) {
            continue;
        }
        env.emplace_back(var);
    }
    return env;
}

} // namespace

GitResult run_git(const std::filesystem::path& root, const std::vector<std::string>& args) {
    std::vector<std::string> argv_s{"git", "-C", root.string()};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_s) {
        argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    std::vector<std::string> env_s = clean_environment();
    std::vector<char*> envp;
    for (auto& e : env_s) {
        envp.push_back(e.data());
    }
    envp.push_back(nullptr);

    int pipefd[2];
    if (pipe2(pipefd, O_CLOEXEC) != 0) {
        return {};
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipefd[1], 1);
    // git's complaints come back with its output, for the error message.
    posix_spawn_file_actions_adddup2(&actions, pipefd[1], 2);
    pid_t pid;
    int rc = posix_spawnp(&pid, "git", &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    close(pipefd[1]);
    GitResult result;
    if (rc != 0) {
        close(pipefd[0]);
        return result;
    }
    char buf[8192];
    for (ssize_t n; (n = read(pipefd[0], buf, sizeof buf)) != 0;) {
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            break;
        }
        result.out.append(buf, static_cast<size_t>(n));
    }
    close(pipefd[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

bool is_git_work_tree(const std::filesystem::path& root) {
    GitResult r = run_git(root, {"rev-parse", "--is-inside-work-tree"});
    return r.status == 0 && r.out.starts_with("true");
}

namespace {

// What git said, for one line of an error message: its "fatal:" or
// "error:" lines when it gave any (the rest is advice), else all of it.
std::string complaint(const GitResult& r) {
    if (r.status == -1) {
        return _("git could not be run (is it installed and on PATH?)");
    }
    std::string all, errors;
    for (std::size_t start = 0; start < r.out.size();) {
        std::size_t end = std::min(r.out.find('\n', start), r.out.size());
        std::string_view line(r.out.data() + start, end - start);
        start = end + 1;
        if (line.find_first_not_of(" \t\r") == std::string_view::npos) {
            continue;
        }
        auto append = [&](std::string& to) { (to.empty() ? to : to += ' ') += line; };
        append(all);
        if (line.starts_with("fatal:") || line.starts_with("error:")) {
            append(errors);
        }
    }
    std::string said = errors.empty() ? all : errors;
    if (said.ends_with('.')) {
        said.pop_back(); // the sentence goes on
    }
    return said.empty() ? tr("exit status {}", r.status) : said;
}

// Removes a file when it goes out of scope.
struct TempFile {
    std::string path;
    TempFile() = default;
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    ~TempFile() {
        if (!path.empty()) {
            unlink(path.c_str());
        }
    }
};

// Beyond this many bytes of paths, git reads them from a file: a command
// line has a limit, and a mailbox that was never committed may have
// 100,000 case files to take in.
constexpr std::size_t k_paths_on_command_line = 64 * 1024;

std::vector<std::string> with_paths(std::vector<std::string> args,
                                    const std::vector<std::string>& paths, TempFile& file) {
    std::size_t bytes = 0;
    for (const std::string& p : paths) {
        bytes += p.size() + 1;
    }
    if (bytes <= k_paths_on_command_line) {
        args.emplace_back("--");
        args.insert(args.end(), paths.begin(), paths.end());
        return args;
    }
    std::string name = (std::filesystem::temp_directory_path() / "mailbox-paths-XXXXXX").string();
    int fd = mkstemp(name.data());
    if (fd < 0) {
        throw_errno(_("can't make a file to hand git the paths"));
    }
    file.path = name;
    std::string list;
    for (const std::string& p : paths) {
        list += p;
        list += '\0';
    }
    for (std::size_t done = 0; done < list.size();) {
        ssize_t n = write(fd, list.data() + done, list.size() - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            int err = errno;
            close(fd);
            errno = err;
            throw_errno(tr("can't write '{}'", name));
        }
        done += static_cast<std::size_t>(n);
    }
    close(fd);
    args.push_back("--pathspec-from-file=" + name);
    args.emplace_back("--pathspec-file-nul");
    return args;
}

// Stages `add` and commits `commit` (each path as it is in the work tree,
// or its deletion), leaving anything else staged by hand alone. Paths are
// literal: a '*' in a file name is no pattern.
void stage_and_commit(const std::filesystem::path& root, const std::vector<std::string>& add,
                      const std::vector<std::string>& commit, const std::string& message) {
    if (!is_git_work_tree(root)) {
        throw UsageError(
            tr("--commit: '{}' is not in a git work tree (see 'mailbox-intake init --git')",
               root.string()));
    }
    TempFile add_list, commit_list;
    std::vector<std::vector<std::string>> steps;
    if (!add.empty()) {
        steps.push_back(with_paths({"--literal-pathspecs", "add"}, add, add_list));
    }
    steps.push_back(
        with_paths({"--literal-pathspecs", "commit", "-q", "-m", message}, commit, commit_list));
    for (const auto& args : steps) {
        GitResult r = run_git(root, args);
        if (r.status != 0) {
            throw SystemError(tr("git {} failed: {}", args[1], complaint(r)));
        }
    }
}

// One entry of `git status --porcelain`: X, the index against HEAD, and
// Y, the work tree against the index ('?' for an untracked file).
struct StatusEntry {
    std::string path; // relative to the mailbox
    char staged = ' ', worktree = ' ';
};

std::vector<StatusEntry> case_data_status(const std::filesystem::path& root) {
    std::vector<StatusEntry> entries;
    // Porcelain paths start at the top of the work tree; the mailbox may be
    // a folder inside it.
    GitResult prefix = run_git(root, {"rev-parse", "--show-prefix"});
    if (prefix.status != 0) {
        return entries;
    }
    std::string top = prefix.out.substr(0, prefix.out.find('\n'));
    GitResult r =
        run_git(root, {"--no-optional-locks", "--literal-pathspecs", "status", "--porcelain", "-z",
                       "--untracked-files=all", "--no-renames", "--", "cases", "originals"});
    if (r.status != 0) {
        return entries;
    }
    for (std::size_t start = 0; start < r.out.size();) {
        std::size_t end = std::min(r.out.find('\0', start), r.out.size());
        std::string_view entry(r.out.data() + start, end - start);
        start = end + 1;
        if (entry.size() < 4 || !entry.substr(3).starts_with(top)) {
            continue;
        }
        std::string path(entry.substr(3 + top.size()));
        if (is_case_data_path(path)) {
            entries.push_back({std::move(path), entry[0], entry[1]});
        }
    }
    std::sort(entries.begin(), entries.end(),
              [](const StatusEntry& a, const StatusEntry& b) { return a.path < b.path; });
    return entries;
}

// Added to the index, then deleted: there is nothing of it to commit.
bool vanished(const StatusEntry& e) {
    return e.staged == 'A' && e.worktree == 'D';
}

} // namespace

void commit_files(const std::filesystem::path& root, const std::vector<std::string>& paths,
                  const std::string& message) {
    stage_and_commit(root, paths, paths, message);
}

bool is_case_data_path(std::string_view path) {
    auto digit = [](char ch) { return ch >= '0' && ch <= '9'; };
    // An original message kept for a letter: named by its content's hash.
    if (path.starts_with("originals/")) {
        std::string_view name = path.substr(10);
        return name.size() == 16 + 4 && name.ends_with(".eml") &&
               name.substr(0, 16).find_first_not_of("0123456789abcdef") == std::string_view::npos;
    }
    if (!path.starts_with("cases/") || path.size() < 12 || path[10] != '/' ||
        !std::all_of(path.begin() + 6, path.begin() + 10, digit)) {
        return false;
    }
    std::string_view name = path.substr(11);
    if (name.front() == '.' || name.find('/') != std::string_view::npos) {
        return false;
    }
    if (name.size() > 5 && name.ends_with(".toml")) {
        return true;
    }
    std::size_t at = name.find(".report.");
    if (at == std::string_view::npos || !parse_case_id(name.substr(0, at))) {
        return false;
    }
    std::string_view ext = name.substr(at + 8);
    return !ext.empty() && std::all_of(ext.begin(), ext.end(), [](char ch) {
        return std::isalnum(static_cast<unsigned char>(ch));
    });
}

std::vector<std::string> uncommitted_case_files(const std::filesystem::path& root) {
    std::vector<std::string> paths;
    for (StatusEntry& e : case_data_status(root)) {
        if (!vanished(e)) {
            paths.push_back(std::move(e.path));
        }
    }
    return paths;
}

std::string leftover_message(const std::string& message, std::size_t leftovers, Language l) {
    if (leftovers == 0) {
        return message;
    }
    std::string files = leftovers == 1 ? say(l,
                                             {"{} case file an earlier command left uncommitted",
                                              "{}个此前命令未提交的案件文件"},
                                             leftovers)
                                       : say(l,
                                             {"{} case files an earlier command left uncommitted",
                                              "{}个此前命令未提交的案件文件"},
                                             leftovers);
    return message.empty() ? say(l, {"Commit {}.", "提交{}。"}, files)
                           : say(l, {"{}\n\nAlso {}.", "{}\n\n另提交{}。"}, message, files);
}

namespace {

// A folder as one word of a shell command line.
std::string shell_word(const std::string& s) {
    bool plain = !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char ch) {
        return std::isalnum(ch) || std::strchr("/._-+:@", ch) || ch >= 0x80;
    });
    if (plain) {
        return s;
    }
    std::string quoted = "'";
    for (char ch : s) {
        quoted += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
    }
    return quoted + "'";
}

} // namespace

std::string commit_leftovers_command(const std::filesystem::path& root) {
    std::error_code ec;
    std::string in = std::filesystem::equivalent(root, std::filesystem::current_path(), ec)
                         ? ""
                         : fmt::format("-C {} ", shell_word(root.string()));
    // git refuses a folder that is not there.
    std::string folders =
        std::filesystem::is_directory(root / "originals", ec) ? "cases originals" : "cases";
    return fmt::format("git {0}add -A {1} && git {0}commit -m 'Commit the case files left "
                       "uncommitted.' -- {1}",
                       in, folders);
}

std::size_t commit_with_leftovers(const std::filesystem::path& root,
                                  const std::vector<std::string>& paths, const std::string& message,
                                  Language record) {
    std::vector<std::string> add = paths, commit = paths;
    std::set<std::string> own(paths.begin(), paths.end());
    std::size_t leftovers = 0;
    for (const StatusEntry& e : case_data_status(root)) {
        if (vanished(e) || own.count(e.path)) {
            continue;
        }
        ++leftovers;
        if (e.worktree != ' ') {
            add.push_back(e.path); // changed, new or deleted since it was staged
        }
        commit.push_back(e.path);
    }
    if (commit.empty()) {
        return 0;
    }
    // With nothing of its own, the commit is only the earlier leftovers.
    stage_and_commit(root, add, commit,
                     leftover_message(paths.empty() ? "" : message, leftovers, record));
    return leftovers;
}

std::vector<UnmergedPath> unmerged_paths(const std::filesystem::path& root) {
    std::vector<UnmergedPath> paths;
    GitResult r = run_git(root, {"ls-files", "-u", "-z", "."});
    if (r.status != 0) {
        return paths;
    }
    // "<mode> <object> <stage>\t<path>", one line per stage held.
    for (std::size_t start = 0; start < r.out.size();) {
        std::size_t end = r.out.find('\0', start);
        std::string entry = r.out.substr(start, end - start);
        start = end == std::string::npos ? r.out.size() : end + 1;
        std::size_t tab = entry.find('\t');
        if (tab == std::string::npos || tab < 2) {
            continue;
        }
        std::string path = entry.substr(tab + 1);
        if (paths.empty() || paths.back().path != path) {
            paths.push_back({path});
        }
        char stage = entry[tab - 1];
        (stage == '1'   ? paths.back().base
         : stage == '2' ? paths.back().ours
                        : paths.back().theirs) = true;
    }
    return paths;
}

std::string unfinished_git_operation(const std::filesystem::path& root) {
    GitResult r = run_git(root, {"rev-parse", "-q", "--git-path", "MERGE_HEAD", "--git-path",
                                 "CHERRY_PICK_HEAD", "--git-path", "REVERT_HEAD", "--git-path",
                                 "rebase-merge", "--git-path", "rebase-apply"});
    if (r.status != 0) {
        return {};
    }
    static const char* const what[] = {N_("a merge"), N_("a cherry-pick"), N_("a revert"),
                                       N_("a rebase"), N_("a rebase")};
    std::size_t i = 0;
    for (std::size_t start = 0; start < r.out.size() && i < std::size(what); ++i) {
        std::size_t end = r.out.find('\n', start);
        std::filesystem::path p = r.out.substr(start, end - start);
        start = end == std::string::npos ? r.out.size() : end + 1;
        std::error_code ec;
        if (std::filesystem::exists(p.is_relative() ? root / p : p, ec)) {
            return _(what[i]);
        }
    }
    std::size_t unmerged = unmerged_paths(root).size();
    return unmerged ? trn("{} unmerged path", "{} unmerged paths", unmerged, unmerged) : "";
}

std::optional<std::string> staged_file(const std::filesystem::path& root, const std::string& path,
                                       int stage) {
    // ":N:./path" is read from root, not from the top of the work tree.
    GitResult r = run_git(root, {"cat-file", "blob", fmt::format(":{}:./{}", stage, path)});
    if (r.status != 0) {
        return std::nullopt;
    }
    return r.out;
}

} // namespace mailbox
