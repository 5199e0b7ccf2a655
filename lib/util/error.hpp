// The one set of error types and exit codes. lib/ throws these and never
// exits; tools/common.cpp catches them once, prints one line, and returns the
// code (DESIGN.md §4).
#pragma once

#include <stdexcept>
#include <string>

namespace mailbox {

enum class Exit : int {
    ok = 0,
    gate_refused = 1, // a gate or check said no
    usage = 2,
    data = 3, // a case or config file that does not parse or validate
    lock = 4, // the mailbox lock is held by another process, or a conflict
};

struct Error : std::runtime_error {
    using std::runtime_error::runtime_error;
    virtual Exit exit_code() const = 0;
};

struct UsageError : Error {
    using Error::Error;
    Exit exit_code() const override { return Exit::usage; }
};

struct GateRefused : Error {
    using Error::Error;
    Exit exit_code() const override { return Exit::gate_refused; }
};

struct LockError : Error {
    using Error::Error;
    Exit exit_code() const override { return Exit::lock; }
};

// A position in a file, line and column from 1, columns in code points (as
// toml++ counts them). Line 0 means "the file as a whole".
struct Position {
    std::string path; // relative to the mailbox root where possible
    unsigned line = 0;
    unsigned column = 0;
};

std::string format_position(const Position& pos);

struct DataError : Error {
    DataError(Position pos, const std::string& message)
        : Error(format_position(pos) + ": " + message), position(std::move(pos)),
          description(message) {}
    explicit DataError(const std::string& message) : Error(message), description(message) {}
    Exit exit_code() const override { return Exit::data; }

    Position position;
    std::string description;
};

// An operating-system failure worth its own wording (`can't rename 'a': ...`);
// it counts as bad data, since the mailbox could not be read or written.
struct SystemError : Error {
    using Error::Error;
    Exit exit_code() const override { return Exit::data; }
};

// A new file that would have replaced one already there: nothing replaced.
struct FileExists : SystemError {
    using SystemError::SystemError;
};

[[noreturn]] void throw_errno(const std::string& what);

} // namespace mailbox
