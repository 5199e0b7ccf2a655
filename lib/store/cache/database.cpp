#include "store/cache/database.hpp"

#include "util/atomic_file.hpp"
#include "util/error.hpp"
#include "util/i18n.hpp"

#include <fmt/format.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <unistd.h>

namespace mailbox {

namespace {

// "MBOX": a database of this program, not one that happens to sit there.
constexpr int k_application_id = 0x4D424F58;

// A connection is only ever used by the thread that opened it (the
// parallel parts parse and decode, the main thread reads and writes), so
// SQLite need not lock its mutexes for each call: a tenth of reading rows.
constexpr int k_one_thread = SQLITE_OPEN_NOMUTEX;

// A new layout of the tables or of a row's entry is a new version: the old database is made
// again, never migrated (it is only a cache).
constexpr int k_version = 16;

// cases: one row per case file, what was read from it under the stamp the
// file had (case_index.cpp), kept in path order (WITHOUT ROWID) because
// whole-mailbox reads walk it in that order: written is when the file was
// about to be read (milliseconds), for the racy rule; entry its problems and summary; the letter
// columns are NULL for a file that does not parse; searched says its terms
// are in the full-text index; links the ids its group names, a line each,
// for the groups to be joined before any row is read (cases_links covers
// them, for the few cases linked: with `grouped` in it too, or SQLite reads
// each linked case's row to test the WHERE the index already holds to). Every index is written with
// every row of a cold start, so only those a query needs are kept (a year folder's rows are a range
// of paths), partial where few rows are in them; cases_stamps holds what a scan compares with the
// files, a tenth of the table's pages. letters: what the duplicate check reads of each parsed case,
// in the order of the time received (a window of letters is one range of it): its sender keys, one
// a line, and the bigrams its letter is compared on, apart, so that reading the cases never reads
// them; for a letter older than the duplicate check's window of the newest case, NULL until a
// window holding it is first read (letter_index.cpp): making them for
// every case was a sixth of a cold read, and few old windows are ever
// read. senders: a case's sender keys. other_letters: how many other
// letters each case's sender wrote, where any (row_writer.cpp counts them
// again as the keys change), apart from the cases so that a count changing
// writes no case row again.
// folders: each year folder's time when last listed, or when last written
// by a command that had found it listed (own). docs, terms, meta: the
// full-text index (search_index.cpp), a doc per case row searched; a row
// written anew or dropped leaves its doc dead, counted in meta. learned,
// taught, models: the classifiers learned from the decided cases
// (learned.cpp): learned says a row's labels are in them, taught what each
// case taught (gone: its row was dropped), models the classifiers' counts.
constexpr std::string_view k_schema = R"(
CREATE TABLE cases(path TEXT PRIMARY KEY, id TEXT NOT NULL, folder TEXT NOT NULL,
                   ino INTEGER NOT NULL, size INTEGER NOT NULL, mtime INTEGER NOT NULL,
                   ctime INTEGER NOT NULL, written INTEGER NOT NULL, entry BLOB NOT NULL,
                   received INTEGER, offset INTEGER, message_id TEXT, content_hash TEXT,
                   searched INTEGER NOT NULL DEFAULT 0, grouped INTEGER NOT NULL DEFAULT 0,
                   links TEXT, learned INTEGER NOT NULL DEFAULT 0)
    WITHOUT ROWID;
CREATE TABLE letters(received INTEGER NOT NULL, path TEXT NOT NULL, id TEXT NOT NULL,
                     offset INTEGER NOT NULL, senders TEXT NOT NULL, bigrams BLOB,
                     PRIMARY KEY (received, id, path)) WITHOUT ROWID;
CREATE INDEX letters_path ON letters(path);
CREATE INDEX letters_id ON letters(id);
CREATE INDEX cases_unsearched ON cases(path) WHERE searched = 0;
CREATE INDEX cases_unlearned ON cases(path) WHERE learned = 0;
CREATE INDEX cases_stamps ON cases(path, ino, size, mtime, ctime, written);
CREATE INDEX cases_unparsed ON cases(path) WHERE received IS NULL;
CREATE INDEX cases_message_id ON cases(message_id) WHERE message_id IS NOT NULL;
CREATE INDEX cases_content_hash ON cases(content_hash);
CREATE INDEX cases_links ON cases(path, id, links, grouped) WHERE grouped;
CREATE TABLE senders(key TEXT NOT NULL, path TEXT NOT NULL, PRIMARY KEY (key, path))
    WITHOUT ROWID;
CREATE INDEX senders_path ON senders(path);
CREATE TABLE other_letters(path TEXT PRIMARY KEY, count INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE folders(folder TEXT PRIMARY KEY, mtime INTEGER NOT NULL, written INTEGER NOT NULL,
                     own INTEGER NOT NULL DEFAULT 0);
CREATE TABLE docs(doc INTEGER PRIMARY KEY AUTOINCREMENT, path TEXT NOT NULL UNIQUE);
CREATE VIRTUAL TABLE terms USING fts5(subject, body, notes, replies, content = '',
                                      tokenize = 'unicode61 remove_diacritics 0');
CREATE TABLE taught(path TEXT PRIMARY KEY, category TEXT NOT NULL, unit TEXT NOT NULL,
                    hash INTEGER NOT NULL, gone INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
CREATE INDEX taught_gone ON taught(hash) WHERE gone;
CREATE TABLE models(name TEXT PRIMARY KEY, bytes BLOB NOT NULL);
CREATE TABLE meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT INTO meta VALUES ('dead', 0);
)";

bool damaged(int code) {
    code &= 0xff;
    return code == SQLITE_CORRUPT || code == SQLITE_NOTADB || code == SQLITE_CANTOPEN ||
           code == SQLITE_FULL;
}

void remove_database(const std::filesystem::path& file) {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
        std::filesystem::remove(file.string() + suffix, ec);
    }
}

// The temporary files of databases filled apart whose command was killed
// (one being filled is held by a flock, and not listed).
void remove_abandoned(const std::filesystem::path& file) {
    std::string prefix = file.filename().string() + ".tmp.";
    for (const std::string& name : temp_names(file.parent_path())) {
        if (name.starts_with(prefix)) {
            unlink((file.parent_path() / name).c_str());
        }
    }
}

} // namespace

Database::Database(const std::filesystem::path& root) : m_file(state_dir(root) / "mailbox.db") {
    std::error_code ec;
    std::filesystem::create_directories(m_file.parent_path(), ec);
    if (std::filesystem::exists(m_file, ec) && open_existing(k_version)) {
        return;
    }
    close();
    remove_database(m_file);
    try {
        make_apart();
    } catch (const Error&) {
        discard_apart(); // a read-only .mailbox/: this run keeps its cache in memory
    }
}

// Filled in place, a new database's 135 MB at 100,000 cases went through
// SQLite's write-ahead log (spilled there, committed there, then copied in):
// a tenth of a cold start. Apart, no one else can read it half made, so it
// needs no journal; a killed command leaves its temporary file, locked
// while it lived.
void Database::make_apart() {
    remove_abandoned(m_file);
    m_apart = std::make_unique<AtomicFile>(m_file);
    (void)flock(m_apart->fd(), LOCK_EX | LOCK_NB); // new: nobody else holds it
    m_target = m_file;
    m_file = m_apart->temp();
    make(k_version, k_schema);
}

void Database::publish() {
    if (!m_apart) {
        return;
    }
    m_reused.clear();
    try {
        exec("PRAGMA journal_mode = WAL"); // kept by the file, for the commands after
        close();
        m_apart->place(true); // synced first; another command's, placed first, stays
    } catch (const Error&) {
        close();
    }
    m_apart.reset(); // its temporary file goes, unless placed
    m_file = m_target;
    m_target.clear();
    remove_abandoned(m_file);
    if (!open_existing(k_version)) {
        close();
        m_file = ":memory:"; // what was filled is lost: the files are read again
        make(k_version, k_schema);
    }
}

void Database::discard_apart() noexcept {
    try {
        close();
        m_apart.reset();
        m_target.clear();
        m_file = ":memory:";
        make(k_version, k_schema);
    } catch (...) {
        close(); // every call now fails, as on a damaged database: the files are read
    }
}

Database::Database(InMemory) : m_file(":memory:") {
    make(k_version, k_schema);
}

void Database::remove(const std::filesystem::path& root) {
    remove_database(state_dir(root) / "mailbox.db");
}

Database::~Database() {
    close();
    m_apart.reset(); // never published: removed
}

void Database::close() {
    m_reused.clear(); // finalized before the connection they belong to
    if (m_db) {
        sqlite3_close_v2(m_db);
        m_db = nullptr;
    }
}

bool Database::open_existing(int version) {
    if (sqlite3_open_v2(m_file.c_str(), &m_db, SQLITE_OPEN_READWRITE | k_one_thread, nullptr) !=
        SQLITE_OK) {
        return false;
    }
    sqlite3_busy_timeout(m_db, 10000);
    try {
        Statement s = prepare("PRAGMA application_id");
        bool ours = s.step() && s.integer(0) == k_application_id;
        Statement v = prepare("PRAGMA user_version");
        if (!ours || !v.step() || v.integer(0) != version) {
            return false;
        }
        // Kept by the connection, not the file: left at FULL, every commit
        // waited for the disk, four times a letter in an import.
        exec("PRAGMA synchronous = NORMAL");
        return true;
    } catch (const Error&) {
        return false; // not a database, or its first page is damaged
    }
}

void Database::make(int version, std::string_view schema) {
    if (sqlite3_open_v2(m_file.c_str(), &m_db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | k_one_thread,
                        nullptr) != SQLITE_OK) {
        throw CacheDamaged(tr("can't make '{}'", m_file.string()));
    }
    sqlite3_busy_timeout(m_db, 10000);
    // A cache needs no durability, only consistency: a write killed half way
    // is rolled back from the journal by the next open.
    // 16 KiB pages: a letter's row (its bigrams, some 800 bytes) then fits
    // in its page; on 4 KiB pages half the letters table was overflow pages,
    // each read alone by the duplicate check.
    exec(m_apart
             ? "PRAGMA page_size = 16384; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF"
             : "PRAGMA page_size = 16384; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL");
    Transaction t(*this);
    exec(schema);
    exec(fmt::format("PRAGMA application_id = {}; PRAGMA user_version = {}", k_application_id,
                     version));
    t.commit();
}

void Database::fail(const char* what) const {
    int code = sqlite3_extended_errcode(m_db);
    std::string message =
        fmt::format("{}: {}: {}", m_file.string(), _(what), m_db ? sqlite3_errmsg(m_db) : "closed");
    if (damaged(code) || (code & 0xff) == SQLITE_READONLY || (code & 0xff) == SQLITE_IOERR) {
        throw CacheDamaged(message);
    }
    throw SystemError(message);
}

void Database::exec(std::string_view sql) {
    std::string text(sql);
    if (sqlite3_exec(m_db, text.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
        fail(N_("can't run SQL"));
    }
}

Statement Database::prepare(std::string_view sql) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(m_db, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr) !=
        SQLITE_OK) {
        fail(N_("can't prepare SQL"));
    }
    return Statement(*this, stmt);
}

Database::Reused Database::reuse(std::string_view sql) {
    auto held = m_reused.find(sql);
    if (held == m_reused.end()) {
        held = m_reused.emplace(std::string(sql), std::make_unique<Statement>(prepare(sql))).first;
    }
    return Reused(*held->second);
}

Database::Reused::~Reused() {
    m_s.reset();
}

std::int64_t Database::last_rowid() const {
    return sqlite3_last_insert_rowid(m_db);
}

std::int64_t Database::now_ms() {
    // julianday('now') is SQLite's clock to the millisecond; 2440587.5 is
    // the epoch's Julian day.
    Statement s = prepare("SELECT CAST(round((julianday('now') - 2440587.5) * 86400000.0) AS "
                          "INTEGER)");
    s.step();
    return s.integer(0);
}

std::int64_t Database::changes() const {
    return sqlite3_changes(m_db);
}

Database::Transaction::Transaction(Database& db) : m_db(db) {
    // IMMEDIATE: what is read to decide a change is not changed by another
    // command before the change is written.
    m_db.exec("BEGIN IMMEDIATE");
}

Database::Transaction::~Transaction() {
    if (m_done) {
        return;
    }
    if (m_db.m_apart) {
        m_db.discard_apart();
    } else {
        sqlite3_exec(m_db.m_db, "ROLLBACK", nullptr, nullptr, nullptr);
    }
}

void Database::Transaction::commit() {
    m_db.exec("COMMIT");
    m_done = true;
}

Statement::Statement(Statement&& other) noexcept : m_db(other.m_db), m_stmt(other.m_stmt) {
    other.m_stmt = nullptr;
}

Statement::~Statement() {
    sqlite3_finalize(m_stmt);
}

Statement& Statement::bind(int i, std::string_view text) {
    if (sqlite3_bind_text(m_stmt, i, text.data(), static_cast<int>(text.size()),
                          SQLITE_TRANSIENT) != SQLITE_OK) {
        m_db->fail(N_("can't bind a value"));
    }
    return *this;
}

Statement& Statement::bind_blob(int i, std::string_view bytes) {
    if (sqlite3_bind_blob(m_stmt, i, bytes.data(), static_cast<int>(bytes.size()),
                          SQLITE_TRANSIENT) != SQLITE_OK) {
        m_db->fail(N_("can't bind a value"));
    }
    return *this;
}

Statement& Statement::bind_null(int i) {
    if (sqlite3_bind_null(m_stmt, i) != SQLITE_OK) {
        m_db->fail(N_("can't bind a value"));
    }
    return *this;
}

Statement& Statement::bind_pointer(int i, void* p, const char* type) {
    if (sqlite3_bind_pointer(m_stmt, i, p, type, nullptr) != SQLITE_OK) {
        m_db->fail(N_("can't bind a value"));
    }
    return *this;
}

Statement& Statement::bind(int i, std::int64_t n) {
    if (sqlite3_bind_int64(m_stmt, i, n) != SQLITE_OK) {
        m_db->fail(N_("can't bind a value"));
    }
    return *this;
}

bool Statement::step() {
    int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW) {
        return true;
    }
    if (rc != SQLITE_DONE) {
        m_db->fail(N_("can't run SQL"));
    }
    return false;
}

void Statement::reset() {
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

std::string Statement::text(int column) const {
    const unsigned char* t = sqlite3_column_text(m_stmt, column);
    return t ? std::string(reinterpret_cast<const char*>(t),
                           static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, column)))
             : std::string();
}

std::int64_t Statement::integer(int column) const {
    return sqlite3_column_int64(m_stmt, column);
}

double Statement::real(int column) const {
    return sqlite3_column_double(m_stmt, column);
}

std::string_view Statement::blob(int column) const {
    const void* p = sqlite3_column_blob(m_stmt, column);
    return p ? std::string_view(static_cast<const char*>(p),
                                static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, column)))
             : std::string_view();
}

bool Statement::is_null(int column) const {
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

} // namespace mailbox
