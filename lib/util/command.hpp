// Running another program (sendmail, an SMS gateway, the editor) without a
// shell: nothing from a letter is ever parsed as shell syntax.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mailbox {

// Splits a command line into words as a POSIX shell would for a simple
// command: blanks separate words, '...' and "..." quote, \ escapes. Nothing
// is expanded. UsageError for an unterminated quote or an empty command.
std::vector<std::string> split_command_line(std::string_view line);

struct CommandResult {
    int status = -1;    // exit status; 128+N for signal N; 127 when it could not run
    std::string output; // what it printed, stdout and stderr together
};

// Runs argv[0] (found on PATH) with `input` on its standard input and waits.
CommandResult run_with_input(const std::vector<std::string>& argv, std::string_view input);

// Runs it on the caller's terminal (an editor) and waits; the exit status.
int run_on_terminal(const std::vector<std::string>& argv);

} // namespace mailbox
