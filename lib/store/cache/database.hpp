// .mailbox/mailbox.db: the one cache of a mailbox, a SQLite database opened
// through this file only, which also holds its whole layout (schema.cpp
// would be a second place to forget a table in). Like every cache it may be deleted at any time:
// a file that is not a database, belongs to another program, was written by
// another version of this one or is damaged is removed and made again,
// never reported as an error. Every change runs in a transaction, so a
// command killed half way leaves the state before it (SQLite's journal). A
// database made anew is filled apart, under a temporary name and with no
// journal, and takes its name once filled (publish()): a command killed
// while filling it leaves no database, only a temporary file that the next
// one to make it removes.
#pragma once

#include "store/mailbox.hpp"
#include "util/error.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace mailbox {

class AtomicFile;
class Statement;

// The database cannot be used as it is (damaged, or its folder read-only):
// the caller makes it again, or does without.
struct CacheDamaged : SystemError {
    using SystemError::SystemError;
};

class Database {
  public:
    // Opens (or makes) the database of the mailbox at `root`. A database of
    // another layout is made again, never migrated. With no writable
    // .mailbox/ it lives in memory for this run.
    explicit Database(const std::filesystem::path& root);
    // A database for this run only, when the mailbox's cannot be used.
    struct InMemory {};
    explicit Database(InMemory);
    // Removes the database of the mailbox at `root`, for one found damaged
    // only once a page was read.
    static void remove(const std::filesystem::path& root);
    // A database filled apart takes its place, synced, unless another
    // command's took it first (as good: this connection then opens that
    // one). Nothing else may hold a statement of it: the connection would
    // stay open past the rename, its log files under the temporary name.
    // Does nothing to a database that was not made apart; one never
    // published is removed.
    void publish();
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // Runs statements with no result; SystemError when SQLite fails.
    void exec(std::string_view sql);
    Statement prepare(std::string_view sql);

    // The statement for `sql`, prepared once a connection, for a query run
    // once a letter of an import (SQLite's parser cost more than the query).
    // Reset when the handle goes; not to be asked for again while held.
    class Reused {
      public:
        explicit Reused(Statement& s) : m_s(s) {}
        ~Reused();
        Reused(const Reused&) = delete;
        Reused& operator=(const Reused&) = delete;
        Statement& operator*() const { return m_s; }
        Statement* operator->() const { return &m_s; }

      private:
        Statement& m_s;
    };
    Reused reuse(std::string_view sql);
    std::int64_t last_rowid() const;
    // Rows the last statement changed.
    std::int64_t changes() const;
    // Milliseconds since the epoch by SQLite's clock: the cache's one clock
    // (the rest of lib/ reads none), for the racy rule (row_writer.hpp).
    std::int64_t now_ms();
    // The connection, for SQLite's own extension interfaces (FTS5's).
    sqlite3* handle() const { return m_db; }

    // All or nothing: commit() ends it, else the destructor rolls back.
    class Transaction {
      public:
        explicit Transaction(Database& db);
        ~Transaction();
        void commit();

      private:
        Database& m_db;
        bool m_done = false;
    };

  private:
    bool open_existing(int version);
    void make(int version, std::string_view schema);
    void make_apart();
    // A change to a database filled apart cannot be rolled back (there is
    // no journal): it is dropped, and this run goes on with one in memory.
    void discard_apart() noexcept;
    void close();
    // `what` is marked N_ and translated here, on the error path only.
    [[noreturn]] void fail(const char* what) const;

    friend class Statement;

    std::filesystem::path m_file;
    std::filesystem::path m_target;      // where a database made apart goes
    std::unique_ptr<AtomicFile> m_apart; // its temporary file, while it is filled
    sqlite3* m_db = nullptr;
    std::map<std::string, std::unique_ptr<Statement>, std::less<>> m_reused;
};

class Statement {
  public:
    Statement(Statement&& other) noexcept;
    ~Statement();

    Statement& bind(int i, std::string_view text);
    Statement& bind(int i, std::int64_t n);
    Statement& bind_blob(int i, std::string_view bytes);
    Statement& bind_null(int i);
    // A pointer passed to an SQL function of this program, which asks for
    // it by `type` (SQLite's pointer passing); it must outlive the step.
    Statement& bind_pointer(int i, void* p, const char* type);
    // Steps once: true while there is a row to read.
    bool step();
    // Makes it ready to run again with new values.
    void reset();
    std::string text(int column) const;
    std::int64_t integer(int column) const;
    double real(int column) const;
    // A blob (or text) column's bytes, valid until the next step.
    std::string_view blob(int column) const;
    bool is_null(int column) const;

  private:
    friend class Database;
    Statement(const Database& db, sqlite3_stmt* stmt) : m_db(&db), m_stmt(stmt) {}
    const Database* m_db;
    sqlite3_stmt* m_stmt;
};

} // namespace mailbox
