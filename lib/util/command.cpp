#include "util/command.hpp"

#include "util/error.hpp"
#include "util/i18n.hpp"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace mailbox {

std::vector<std::string> split_command_line(std::string_view line) {
    std::vector<std::string> words;
    std::string word;
    bool in_word = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        char ch = line[i];
        if (ch == ' ' || ch == '\t' || ch == '\n') {
            if (in_word) {
                words.push_back(std::move(word));
                word.clear();
                in_word = false;
            }
            continue;
        }
        in_word = true;
        if (ch == '\\' && i + 1 < line.size()) {
            word += line[++i];
        } else if (ch == '\'' || ch == '"') {
            std::size_t k = i + 1;
            for (; k < line.size() && line[k] != ch; ++k) {
                // Inside "...", a backslash still escapes " and \.
                if (ch == '"' && line[k] == '\\' && k + 1 < line.size() &&
                    (line[k + 1] == '"' || line[k + 1] == '\\')) {
                    ++k;
                }
                word += line[k];
            }
            if (k == line.size()) {
                throw UsageError(tr("unterminated {} in command '{}'", ch, line));
            }
            i = k;
        } else {
            word += ch;
        }
    }
    if (in_word) {
        words.push_back(std::move(word));
    }
    if (words.empty()) {
        throw UsageError(_("empty command"));
    }
    return words;
}

namespace {

std::vector<char*> c_argv(const std::vector<std::string>& argv) {
    std::vector<char*> out;
    for (const std::string& a : argv) {
        out.push_back(const_cast<char*>(a.c_str()));
    }
    out.push_back(nullptr);
    return out;
}

int wait_for(pid_t pid) {
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            return -1;
        }
    }
    if (WIFEXITED(status)) {
        return WEXITSTATUS(status);
    }
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1;
}

// The child's output goes to an unnamed file, not a pipe, so that a command
// that writes much before reading all of its input cannot deadlock.
std::string read_all(FILE* f) {
    std::string out;
    std::rewind(f);
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) {
        out.append(buf, n);
    }
    return out;
}

} // namespace

CommandResult run_with_input(const std::vector<std::string>& argv, std::string_view input) {
    int in[2];
    FILE* out = std::tmpfile();
    if (!out || pipe2(in, O_CLOEXEC) != 0) {
        if (out) {
            std::fclose(out);
        }
        throw_errno(tr("can't start '{}'", argv.at(0)));
    }
    std::vector<char*> args = c_argv(argv);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(in[0], STDIN_FILENO);
        dup2(fileno(out), STDOUT_FILENO);
        dup2(fileno(out), STDERR_FILENO);
        execvp(args[0], args.data());
        dprintf(STDERR_FILENO, "can't run '%s': %s\n", args[0], std::strerror(errno));
        _exit(127);
    }
    close(in[0]);
    // A command that exits without reading everything must not kill us.
    struct sigaction ignore {
    }, old{};
    ignore.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &ignore, &old);
    for (std::size_t done = 0; pid > 0 && done < input.size();) {
        ssize_t n = write(in[1], input.data() + done, input.size() - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break; // it stopped reading; its exit status tells
        }
        done += static_cast<std::size_t>(n);
    }
    close(in[1]);
    sigaction(SIGPIPE, &old, nullptr);
    CommandResult r;
    r.status = pid > 0 ? wait_for(pid) : -1;
    r.output = read_all(out);
    std::fclose(out);
    if (pid < 0) {
        throw_errno(tr("can't start '{}'", argv.at(0)));
    }
    return r;
}

int run_on_terminal(const std::vector<std::string>& argv) {
    std::vector<char*> args = c_argv(argv);
    pid_t pid = fork();
    if (pid < 0) {
        throw_errno(tr("can't start '{}'", argv.at(0)));
    }
    if (pid == 0) {
        execvp(args[0], args.data());
        dprintf(STDERR_FILENO, "can't run '%s': %s\n", args[0], std::strerror(errno));
        _exit(127);
    }
    return wait_for(pid);
}

} // namespace mailbox
