#include "git.hpp"

#include "error.hpp"

#include <algorithm>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
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

void commit_files(const std::filesystem::path& root, const std::vector<std::string>& paths,
                  const std::string& message) {
    if (!is_git_work_tree(root)) {
        throw UsageError(
            fmt::format("--commit: '{}' is not in a git work tree (see 'mailbox-intake "
                        "init --git')",
                        root.string()));
    }
    std::vector<std::string> add{"add", "--"};
    add.insert(add.end(), paths.begin(), paths.end());
    std::vector<std::string> commit{"commit", "-q", "-m", message, "--"};
    commit.insert(commit.end(), paths.begin(), paths.end());
    for (const auto& args : {add, commit}) {
        GitResult r = run_git(root, args);
        if (r.status != 0) {
            std::string out = r.out;
            std::replace(out.begin(), out.end(), '\n', ' ');
            throw SystemError(fmt::format("git {} failed: {}", args.front(), out));
        }
    }
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
    static const char* const what[] = {"a merge", "a cherry-pick", "a revert", "a rebase",
                                       "a rebase"};
    std::size_t i = 0;
    for (std::size_t start = 0; start < r.out.size() && i < std::size(what); ++i) {
        std::size_t end = r.out.find('\n', start);
        std::filesystem::path p = r.out.substr(start, end - start);
        start = end == std::string::npos ? r.out.size() : end + 1;
        std::error_code ec;
        if (std::filesystem::exists(p.is_relative() ? root / p : p, ec)) {
            return what[i];
        }
    }
    std::size_t unmerged = unmerged_paths(root).size();
    return unmerged ? fmt::format("{} unmerged path{}", unmerged, unmerged == 1 ? "" : "s") : "";
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
