#include "store/cache/case_index.hpp"

#include "model/case_id.hpp"
#include "model/similarity.hpp"
#include "store/cache/database.hpp"
#include "store/casefile.hpp"
#include "store/field_reader.hpp"
#include "util/atomic_file.hpp"
#include "util/parallel.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <sys/stat.h>
#include <unordered_map>

namespace mailbox {

namespace {

// Changes whenever the file does: replaced (inode), rewritten (size, times).
struct FileStamp {
    std::int64_t ino = 0, size = 0, mtime = 0, ctime = 0; // times in ns
    bool operator==(const FileStamp&) const = default;
};

std::int64_t nanoseconds(const struct timespec& t) {
    return t.tv_sec * 1'000'000'000LL + t.tv_nsec;
}

FileStamp stamp_of(const struct stat& st) {
    return {static_cast<std::int64_t>(st.st_ino), static_cast<std::int64_t>(st.st_size),
            nanoseconds(st.st_mtim), nanoseconds(st.st_ctim)};
}

FileStamp stamp_now(const std::filesystem::path& file) {
    struct stat st {};
    return stat(file.c_str(), &st) == 0 ? stamp_of(st) : FileStamp{};
}

std::uint64_t stamp_hash(const FileStamp& s) {
    return fnv1a(std::string_view(reinterpret_cast<const char*>(&s), sizeof s));
}

// ---- a small binary encoding ----

class Out {
  public:
    // LEB128: most numbers here are lengths and small enums, one byte each.
    void u64(std::uint64_t v) {
        for (; v >= 0x80; v >>= 7) {
            m_buf += static_cast<char>((v & 0x7f) | 0x80);
        }
        m_buf += static_cast<char>(v);
    }
    void i64(std::int64_t v) { // zigzag, so that small negatives stay short
        u64((static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63));
    }
    void str(std::string_view s) {
        u64(s.size());
        m_buf.append(s);
    }
    void opt(const std::optional<std::string>& s) {
        u64(s ? 1 : 0);
        if (s) {
            str(*s);
        }
    }
    void strs(const std::vector<std::string>& v) {
        u64(v.size());
        for (const auto& s : v) {
            str(s);
        }
    }
    void moment(const Timestamp& t) {
        i64(t.local.time_since_epoch().count());
        i64(t.offset.count());
    }
    void opt_moment(const std::optional<Timestamp>& t) {
        u64(t ? 1 : 0);
        if (t) {
            moment(*t);
        }
    }
    std::string& buf() { return m_buf; }

  private:
    std::string m_buf;
};

struct Truncated {};

class In {
  public:
    explicit In(std::string_view data) : m_data(data) {}
    std::uint64_t u64() {
        std::uint64_t v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            need(1);
            auto byte = static_cast<unsigned char>(m_data[m_pos++]);
            v |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
            if (!(byte & 0x80)) {
                return v;
            }
        }
        throw Truncated{}; // more than ten bytes: damaged
    }
    std::int64_t i64() {
        std::uint64_t v = u64();
        return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
    }
    std::string str() {
        std::uint64_t n = u64();
        need(n);
        std::string s(m_data.substr(m_pos, n));
        m_pos += n;
        return s;
    }
    std::optional<std::string> opt() { return u64() ? std::optional(str()) : std::nullopt; }
    std::vector<std::string> strs() {
        std::uint64_t n = u64();
        need(n); // every string takes at least one byte, so this bounds n
        std::vector<std::string> v;
        v.reserve(n);
        for (std::uint64_t i = 0; i < n; ++i) {
            v.push_back(str());
        }
        return v;
    }
    Timestamp moment() {
        Timestamp t;
        t.local = date::local_seconds{std::chrono::seconds{i64()}};
        t.offset = std::chrono::minutes{i64()};
        return t;
    }
    std::optional<Timestamp> opt_moment() { return u64() ? std::optional(moment()) : std::nullopt; }
    bool done() const { return m_pos == m_data.size(); }

  private:
    void need(std::uint64_t n) const {
        if (n > m_data.size() - m_pos) {
            throw Truncated{};
        }
    }
    std::string_view m_data;
    std::size_t m_pos = 0;
};

template <typename E>
E enum_at(std::uint64_t v, E last) {
    if (v > static_cast<std::uint64_t>(last)) {
        throw Truncated{};
    }
    return static_cast<E>(v);
}

// The draft without its texts: reports count and list, they do not quote.
void encode_draft(Out& o, const std::optional<Draft>& draft) {
    o.u64(draft ? 1 : 0);
    if (!draft) {
        return;
    }
    o.u64(static_cast<std::uint64_t>(draft->outcome));
    o.u64(static_cast<std::uint64_t>(draft->state));
    o.str(draft->unit);
    o.str(draft->by);
    o.moment(draft->at);
    o.i64(draft->rounds);
    o.str(draft->reviewer);
    o.i64(draft->target_date ? date::sys_days{*draft->target_date}.time_since_epoch().count()
                             : INT64_MIN);
    o.str(draft->report);
}

void encode(Out& o, const Case& c) {
    o.str(c.id);
    o.u64(static_cast<std::uint64_t>(c.status));
    o.moment(c.received);
    o.u64(static_cast<std::uint64_t>(c.channel));
    o.str(c.subject);
    o.str(c.sender.name);
    o.str(c.sender.email);
    o.str(c.sender.phone);
    for (const auto* s :
         {&c.category, &c.suggested_category, &c.suggested_unit, &c.kind, &c.handler}) {
        o.opt(*s);
    }
    o.strs(c.co_units);
    o.opt(c.leader);
    o.opt(c.instruction);
    o.opt_moment(c.assigned);
    o.i64(c.due ? date::sys_days{*c.due}.time_since_epoch().count() : INT64_MIN);
    o.opt_moment(c.replied);
    o.opt_moment(c.closed);
    o.i64(c.outcome ? static_cast<std::int64_t>(*c.outcome) : -1);
    o.i64(c.on_time ? *c.on_time : -1);
    o.opt(c.late);
    o.i64(c.feedback ? static_cast<std::int64_t>(*c.feedback) : -1);
    o.opt_moment(c.reopened);
    o.i64(c.reopened_for ? static_cast<std::int64_t>(*c.reopened_for) : -1);
    o.opt(c.exemplary);
    o.strs(c.rejections);
    encode_draft(o, c.draft);
    o.u64(c.replies.size());
    for (const Reply& r : c.replies) {
        o.u64(static_cast<std::uint64_t>(r.via));
        o.str(r.to);
        o.moment(r.at);
        o.str(r.message_id);
    }
    o.strs(c.group);
    o.strs(c.returned_by);
    o.u64(c.extensions.size());
    for (const Extension& e : c.extensions) {
        o.i64(e.days);
        o.str(e.approved_by);
        o.moment(e.at);
    }
    o.u64(c.solved_on_site ? 1 : 0);
    o.u64(c.restricted ? 1 : 0);
    o.opt(c.accused);
    o.opt(c.message_id);
    o.opt(c.content_hash);
    o.u64(c.attachments.size());
    for (const Attachment& a : c.attachments) {
        o.str(a.name);
        o.i64(a.size);
        o.str(a.kept);
    }
    o.u64(c.history.size());
    for (const HistoryEntry& e : c.history) {
        o.str(e.id);
        o.moment(e.at);
        o.str(e.by);
        o.str(e.action_name());
        o.str(e.note); // what summarize() kept: replies' and feedbacks' verdicts
    }
}

std::optional<Draft> decode_draft(In& in) {
    if (!in.u64()) {
        return std::nullopt;
    }
    Draft d;
    d.outcome = enum_at(in.u64(), Outcome::recurring);
    d.state = enum_at(in.u64(), DraftState::rejected);
    d.unit = in.str();
    d.by = in.str();
    d.at = in.moment();
    d.rounds = static_cast<int>(in.i64());
    d.reviewer = in.str();
    if (std::int64_t day = in.i64(); day != INT64_MIN) {
        d.target_date = Day{date::sys_days{date::days{day}}};
    }
    d.report = in.str();
    return d;
}

Case decode(In& in) {
    Case c;
    c.id = in.str();
    c.status = enum_at(in.u64(), Status::closed);
    c.received = in.moment();
    c.channel = enum_at(in.u64(), Channel::hotline);
    c.subject = in.str();
    c.sender.name = in.str();
    c.sender.email = in.str();
    c.sender.phone = in.str();
    for (auto* s : {&c.category, &c.suggested_category, &c.suggested_unit, &c.kind, &c.handler}) {
        *s = in.opt();
    }
    c.co_units = in.strs();
    c.leader = in.opt();
    c.instruction = in.opt();
    c.assigned = in.opt_moment();
    if (std::int64_t due = in.i64(); due != INT64_MIN) {
        c.due = Day{date::sys_days{date::days{due}}};
    }
    c.replied = in.opt_moment();
    c.closed = in.opt_moment();
    if (std::int64_t o = in.i64(); o >= 0) {
        c.outcome = enum_at(static_cast<std::uint64_t>(o), Outcome::recurring);
    }
    if (std::int64_t t = in.i64(); t >= 0) {
        c.on_time = t != 0;
    }
    c.late = in.opt();
    if (std::int64_t f = in.i64(); f >= 0) {
        c.feedback = enum_at(static_cast<std::uint64_t>(f), Feedback::unsatisfied);
    }
    c.reopened = in.opt_moment();
    if (std::int64_t r = in.i64(); r >= 0) {
        c.reopened_for = enum_at(static_cast<std::uint64_t>(r), Reopening::review);
    }
    c.exemplary = in.opt();
    c.rejections = in.strs();
    c.draft = decode_draft(in);
    for (std::uint64_t n = in.u64(), i = 0; i < n; ++i) {
        Reply r;
        r.via = enum_at(in.u64(), ReplyVia::sms);
        r.to = in.str();
        r.at = in.moment();
        r.message_id = in.str();
        c.replies.push_back(std::move(r));
    }
    c.group = in.strs();
    c.returned_by = in.strs();
    for (std::uint64_t n = in.u64(), i = 0; i < n; ++i) {
        Extension e;
        e.days = static_cast<int>(in.i64());
        e.approved_by = in.str();
        e.at = in.moment();
        c.extensions.push_back(std::move(e)); // the reason stays in the file
    }
    c.solved_on_site = in.u64() != 0;
    c.restricted = in.u64() != 0;
    c.accused = in.opt();
    c.message_id = in.opt();
    c.content_hash = in.opt();
    for (std::uint64_t n = in.u64(), i = 0; i < n; ++i) {
        Attachment a;
        a.name = in.str();
        a.size = in.i64();
        a.kept = in.str();
        c.attachments.push_back(std::move(a));
    }
    std::uint64_t entries = in.u64();
    c.history.reserve(std::min<std::uint64_t>(entries, 1024));
    for (std::uint64_t i = 0; i < entries; ++i) {
        std::string id = in.str();
        Timestamp at = in.moment();
        std::string by = in.str();
        std::string action = in.str();
        std::string note = in.str();
        c.history.push_back(
            history_entry(std::move(id), at, std::move(by), action, std::move(note)));
    }
    return c;
}

// A case file's row as read back, not yet decoded: its stamp then, and when
// it was written.
struct Row {
    std::string path;
    FileStamp stamp;
    std::int64_t written = 0; // seconds
    std::string entry;
};

std::string encode_entry(const IndexEntry& e) {
    Out o;
    o.u64(e.problems.size());
    for (const DataError& p : e.problems) {
        o.u64(p.position.line);
        o.u64(p.position.column);
        o.str(p.description);
    }
    o.u64(e.summary ? 1 : 0);
    if (e.summary) {
        encode(o, *e.summary);
    }
    return std::move(o.buf());
}

void decode_entry(std::string_view data, IndexEntry& e) {
    In in(data);
    for (std::uint64_t n = in.u64(), i = 0; i < n; ++i) {
        unsigned line = static_cast<unsigned>(in.u64());
        unsigned column = static_cast<unsigned>(in.u64());
        e.problems.emplace_back(Position{e.path, line, column}, in.str());
    }
    if (in.u64()) {
        e.summary = decode(in);
    }
    if (!in.done()) {
        throw Truncated{};
    }
}

std::string encode_bigrams(const Bigrams& b) {
    std::string out;
    out.reserve(b.size() * 4);
    for (std::uint32_t v : b) { // little-endian, whatever the machine
        for (int shift = 0; shift < 32; shift += 8) {
            out += static_cast<char>((v >> shift) & 0xff);
        }
    }
    return out;
}

} // namespace

Bigrams decode_bigrams(std::string_view bytes) {
    Bigrams b(bytes.size() / 4);
    for (std::size_t i = 0; i < b.size(); ++i) {
        for (int k = 0; k < 4; ++k) {
            b[i] |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i * 4 + k]))
                    << (8 * k);
        }
    }
    return b;
}

namespace {

// Every row of the cache, in path order.
std::vector<Row> read_rows(Database& db) {
    std::vector<Row> rows;
    Statement s = db.prepare("SELECT path, ino, size, mtime, ctime, written, entry FROM cases");
    while (s.step()) {
        rows.push_back({s.text(0),
                        {s.integer(1), s.integer(2), s.integer(3), s.integer(4)},
                        s.integer(5),
                        std::string(s.blob(6))});
    }
    std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.path < b.path; });
    return rows;
}

// The year folder a case file is in ("2026" of cases/2026/…).
std::string folder_of(const std::string& path) {
    std::size_t start = path.find('/') + 1;
    return path.substr(start, path.find('/', start) - start);
}

// A parsed case file as the cache stores it.
struct Parsed {
    FileStamp stamp; // taken before reading: a later change is seen next time
    IndexEntry entry;
    Bigrams bigrams;
};

class RowWriter {
  public:
    explicit RowWriter(Database& db)
        : m_db(db),
          m_put(db.prepare(
              "INSERT OR REPLACE INTO cases(path, id, folder, ino, size, mtime, ctime, written, "
              "entry, received, offset, message_id, content_hash, bigrams) VALUES (?1, ?2, ?3, "
              "?4, ?5, ?6, ?7, CAST(strftime('%s', 'now') AS INTEGER), ?8, ?9, ?10, ?11, ?12, "
              "?13)")),
          m_drop(db.prepare("DELETE FROM cases WHERE path = ?")),
          m_drop_keys(db.prepare("DELETE FROM senders WHERE path = ?")),
          m_put_key(db.prepare("INSERT OR IGNORE INTO senders(key, path) VALUES (?, ?)")),
          m_drop_doc(db.prepare("DELETE FROM docs WHERE path = ?")),
          m_count_dead(db.prepare("UPDATE meta SET value = value + 1 WHERE key = 'dead'")) {}

    void put(const Parsed& p) {
        const IndexEntry& e = p.entry;
        drop_keys(e.path);
        drop_doc(e.path);
        m_put.bind(1, e.path).bind(2, e.id).bind(3, folder_of(e.path));
        m_put.bind(4, p.stamp.ino).bind(5, p.stamp.size).bind(6, p.stamp.mtime);
        m_put.bind(7, p.stamp.ctime).bind_blob(8, encode_entry(e));
        if (const auto& c = e.summary) {
            m_put.bind(9, static_cast<std::int64_t>(c->received.sys().time_since_epoch().count()))
                .bind(10, static_cast<std::int64_t>(c->received.offset.count()));
            bind_text_or_null(11, c->message_id);
            bind_text_or_null(12, c->content_hash);
            m_put.bind_blob(13, encode_bigrams(p.bigrams));
            for (const std::string& key : sender_keys(c->sender)) {
                m_put_key.bind(1, key).bind(2, e.path).step();
                m_put_key.reset();
            }
        }
        m_put.step();
        m_put.reset();
    }

    void drop(const std::string& path) {
        m_drop.bind(1, path).step();
        m_drop.reset();
        drop_keys(path);
        drop_doc(path);
    }

  private:
    void bind_text_or_null(int i, const std::optional<std::string>& s) {
        if (s && !s->empty()) {
            m_put.bind(i, *s);
        } else {
            m_put.bind_null(i);
        }
    }
    void drop_keys(const std::string& path) {
        m_drop_keys.bind(1, path).step();
        m_drop_keys.reset();
    }
    // Its terms are of the file as it was: dead in the full-text index
    // (contentless, so they cannot be deleted), counted there.
    void drop_doc(const std::string& path) {
        m_drop_doc.bind(1, path).step();
        m_drop_doc.reset();
        if (m_db.changes() > 0) {
            m_count_dead.step();
            m_count_dead.reset();
        }
    }
    Database& m_db;
    Statement m_put, m_drop, m_drop_keys, m_put_key, m_drop_doc, m_count_dead;
};

Parsed parse_file(const Mailbox& mailbox, const CaseFile& f) {
    Parsed p{stamp_now(mailbox.absolute(f.path)), IndexEntry{f.path, f.id, std::nullopt, {}}, {}};
    IndexEntry& e = p.entry;
    std::string text;
    try {
        text = read_file(mailbox.absolute(f.path));
    } catch (const Error& err) {
        e.problems.emplace_back(Position{f.path, 0, 0}, err.what());
        return p;
    }
    CaseParse parsed = parse_case_text(text, f.path, f.id);
    e.problems = std::move(parsed.problems);
    if (parsed.value && e.problems.empty()) {
        p.bigrams = letter_bigrams(parsed.value->subject, parsed.value->body);
        e.summary = summarize(std::move(*parsed.value));
    }
    e.stamp = stamp_hash(p.stamp);
    return p;
}

// A folder's modification time in nanoseconds; 0 when unknown.
std::int64_t folder_time(const std::filesystem::path& dir) {
    struct stat st {};
    return stat(dir.c_str(), &st) == 0 ? nanoseconds(st.st_mtim) : 0;
}

} // namespace

std::uint64_t file_stamp(const std::filesystem::path& file) {
    struct stat st {};
    return stat(file.c_str(), &st) == 0 ? stamp_hash(stamp_of(st)) : 0;
}

std::uint64_t row_stamp(std::int64_t ino, std::int64_t size, std::int64_t mtime,
                        std::int64_t ctime) {
    return stamp_hash(FileStamp{ino, size, mtime, ctime});
}

Case summarize(Case c) {
    c.body.clear();
    c.body.shrink_to_fit();
    if (c.draft) {
        c.draft->text.clear();
        c.draft->basis.clear();
        c.draft->steps.clear();
    }
    for (HistoryEntry& e : c.history) {
        // Reports read how each reply was judged and each feedback's grade
        // as they stood at the time; the rest of the notes stay in the file.
        if (e.action == Action::feedback) {
            e.note.erase(std::min(e.note.find(':'), e.note.size()));
        } else if (e.action != Action::reply) {
            e.note.clear();
        }
    }
    return c;
}

namespace {

// The rows of `files` as they read now, from every core.
std::vector<Parsed> parse_files(const Mailbox& mailbox, const std::vector<CaseFile>& files) {
    std::vector<Parsed> parsed(files.size());
    for_each_in_parallel(files.size(),
                         [&](std::size_t i) { parsed[i] = parse_file(mailbox, files[i]); });
    return parsed;
}

void put_folders(Database& db, const std::vector<std::pair<std::string, std::int64_t>>& folders) {
    Statement put = db.prepare("INSERT OR REPLACE INTO folders(folder, mtime, written) VALUES "
                               "(?, ?, CAST(strftime('%s', 'now') AS INTEGER))");
    for (const auto& [folder, mtime] : folders) {
        put.bind(1, folder).bind(2, mtime).step();
        put.reset();
    }
}

// Opens the cache; nothing when it cannot be had at all (a cache is never
// what makes a command fail).
std::unique_ptr<Database> open_cache(const Mailbox& mailbox) {
    try {
        return std::make_unique<Database>(mailbox.root());
    } catch (const Error&) {
        return nullptr;
    }
}

} // namespace

namespace {

// For each file, the index of its row, or rows.size() when it has none;
// `matched` marks the rows that have a file.
std::vector<std::size_t> match_rows(const std::vector<CaseFile>& files,
                                    const std::vector<Row>& rows, std::vector<char>& matched) {
    std::vector<std::size_t> match(files.size(), rows.size());
    matched.assign(rows.size(), 0);
    for (std::size_t i = 0, k = 0; i < files.size(); ++i) {
        while (k < rows.size() && rows[k].path < files[i].path) {
            ++k;
        }
        if (k < rows.size() && rows[k].path == files[i].path) {
            match[i] = k;
            matched[k] = 1;
        }
    }
    return match;
}

// A row is trusted while its file's stamp is the one recorded, unless the
// file changed within a second or two of the row being written: its stamp
// may not show a later change (git's "racily clean" files).
bool trusted(const Row& row, const FileStamp& now) {
    return row.stamp == now && now.mtime / 1'000'000'000LL + 2 < row.written;
}

} // namespace

std::vector<IndexEntry> load_case_index(const Mailbox& mailbox, IndexStats* stats, bool use_cache) {
    std::unique_ptr<Database> db = open_cache(mailbox);
    std::vector<Row> rows;
    if (db && use_cache) {
        try {
            rows = read_rows(*db);
        } catch (const CacheDamaged&) {
            db.reset(); // a damaged page: the cache anew
            Database::remove(mailbox.root());
            db = open_cache(mailbox);
        }
    }
    // Folder times before the listing: a case added while it runs shows.
    std::vector<std::pair<std::string, std::int64_t>> folders;
    for (const std::string& year : mailbox.case_years()) {
        folders.emplace_back(year, folder_time(mailbox.root() / "cases" / year));
    }
    std::vector<CaseFile> files = mailbox.case_files();
    std::vector<char> matched;
    std::vector<std::size_t> match = match_rows(files, rows, matched);
    std::vector<IndexEntry> entries(files.size());
    std::vector<char> kept(files.size(), 0);
    // Stat-ing and decoding on every core.
    for_each_in_parallel(files.size(), [&](std::size_t i) {
        FileStamp now = stamp_now(mailbox.absolute(files[i].path));
        if (match[i] == rows.size() || !trusted(rows[match[i]], now)) {
            return;
        }
        IndexEntry& e = entries[i];
        e.path = files[i].path;
        e.id = files[i].id;
        try {
            decode_entry(rows[match[i]].entry, e);
        } catch (const Truncated&) {
            e = IndexEntry{};
            return;
        }
        e.stamp = stamp_hash(now);
        kept[i] = 1;
    });
    std::vector<CaseFile> todo_files;
    std::vector<std::size_t> todo;
    for (std::size_t i = 0; i < files.size(); ++i) {
        if (!kept[i]) {
            todo.push_back(i);
            todo_files.push_back(files[i]);
        }
    }
    std::vector<Parsed> parsed = parse_files(mailbox, todo_files);
    bool gone = std::find(matched.begin(), matched.end(), 0) != matched.end();
    bool rewrite = !todo.empty() || gone || !use_cache;
    if (db && rewrite) {
        try {
            Database::Transaction t(*db);
            if (!use_cache) {
                db->exec("DELETE FROM cases; DELETE FROM senders; DELETE FROM docs; "
                         "INSERT INTO terms(terms) VALUES ('delete-all'); "
                         "UPDATE meta SET value = 0 WHERE key = 'dead'");
            }
            RowWriter writer(*db);
            for (std::size_t k = 0; k < rows.size(); ++k) {
                if (!matched[k]) {
                    writer.drop(rows[k].path);
                }
            }
            for (const Parsed& p : parsed) {
                writer.put(p);
            }
            put_folders(*db, folders);
            t.commit();
        } catch (const Error&) {
            // Busy or read-only: the next command reads these files again.
        }
    }
    for (std::size_t k = 0; k < todo.size(); ++k) {
        entries[todo[k]] = std::move(parsed[k].entry);
    }
    if (stats) {
        stats->files = files.size();
        stats->parsed = todo.size();
    }
    return entries;
}

std::optional<IndexEntry> cached_entry(std::string path, std::string id, std::string_view entry) {
    IndexEntry e;
    e.path = std::move(path);
    e.id = std::move(id);
    try {
        decode_entry(entry, e);
    } catch (const Truncated&) {
        return std::nullopt;
    }
    return e;
}

void index_written_case(Database& db, const Mailbox& mailbox, const Case& c) {
    std::string path = mailbox.case_path(c.id);
    Parsed p{stamp_now(mailbox.absolute(path)), IndexEntry{path, c.id, summarize(c), {}},
             letter_bigrams(c.subject, c.body)};
    Database::Transaction t(db);
    RowWriter(db).put(p);
    t.commit();
}

namespace {

// The year folders whose rows cannot be trusted: changed since listed (or
// within a second or two of it, the racy rule again), never listed, or
// holding a file that did not parse (once mended in place, its folder may
// keep its time).
std::vector<std::pair<std::string, std::int64_t>> changed_folders(Database& db,
                                                                  const Mailbox& mailbox) {
    struct Known {
        std::int64_t mtime, written;
        bool own;
    };
    std::map<std::string, Known> known;
    Statement s = db.prepare("SELECT folder, mtime, written, own FROM folders");
    while (s.step()) {
        known[s.text(0)] = {s.integer(1), s.integer(2), s.integer(3) != 0};
    }
    std::set<std::string> broken;
    Statement b = db.prepare("SELECT DISTINCT folder FROM cases WHERE received IS NULL");
    while (b.step()) {
        broken.insert(b.text(0));
    }
    std::vector<std::pair<std::string, std::int64_t>> changed;
    for (const std::string& year : mailbox.case_years()) {
        std::int64_t t = folder_time(mailbox.root() / "cases" / year);
        auto k = known.find(year);
        // A time a command set after its own write needs no racy rule:
        // what changed at that time is what it wrote.
        bool fresh = k != known.end() && t != 0 && k->second.mtime == t &&
                     (k->second.own || t / 1'000'000'000LL + 2 < k->second.written) &&
                     !broken.count(year);
        if (!fresh) {
            changed.emplace_back(year, t);
        }
    }
    return changed;
}

} // namespace

void note_own_write(Database& db, const Mailbox& mailbox, const std::string& year) {
    Statement put = db.prepare("INSERT OR REPLACE INTO folders(folder, mtime, written, own) VALUES "
                               "(?, ?, CAST(strftime('%s', 'now') AS INTEGER), 1)");
    put.bind(1, year).bind(2, folder_time(mailbox.root() / "cases" / year)).step();
}

std::string case_folder(const std::string& path) {
    return folder_of(path);
}

std::size_t refresh_changed_folders(Database& db, const Mailbox& mailbox) {
    Database::Transaction t(db);
    std::vector<std::pair<std::string, std::int64_t>> changed = changed_folders(db, mailbox);
    std::vector<std::string> years = mailbox.case_years();
    std::vector<std::string> gone;
    // Every folder with rows has a row of its own (load_case_index and this
    // function record each folder they list): the few rows of folders, not
    // the 100,000 of cases, say which are gone.
    Statement folders = db.prepare("SELECT folder FROM folders");
    while (folders.step()) {
        if (!std::binary_search(years.begin(), years.end(), folders.text(0))) {
            changed.emplace_back(folders.text(0), 0); // a whole year folder removed
        }
    }
    if (changed.empty()) {
        return 0;
    }
    std::vector<CaseFile> todo;
    Statement rows = db.prepare("SELECT path, ino, size, mtime, ctime FROM cases WHERE folder = ?");
    for (const auto& [year, time] : changed) {
        std::set<std::string> held;
        for (rows.bind(1, year); rows.step();) {
            std::string path = rows.text(0);
            FileStamp now = stamp_now(mailbox.absolute(path));
            if (!now.ino) {
                gone.push_back(path);
            } else if (now != FileStamp{rows.integer(1), rows.integer(2), rows.integer(3),
                                        rows.integer(4)}) {
                std::string id = std::filesystem::path(path).stem().string();
                todo.push_back({path, std::move(id)});
            }
            held.insert(std::move(path));
        }
        rows.reset();
        if (time == 0) {
            continue;
        }
        for (std::string& id : mailbox.case_ids_in(year)) {
            std::string path = "cases/" + year + "/" + id + ".toml"; // as case_files() names it
            if (!held.count(path)) {
                todo.push_back({std::move(path), std::move(id)});
            }
        }
    }
    std::vector<Parsed> parsed = parse_files(mailbox, todo);
    RowWriter writer(db);
    for (const std::string& path : gone) {
        writer.drop(path);
    }
    for (const Parsed& p : parsed) {
        writer.put(p);
    }
    Statement forget = db.prepare("DELETE FROM folders WHERE folder = ?");
    for (const auto& [year, time] : changed) {
        forget.bind(1, year).step();
        forget.reset();
    }
    std::erase_if(changed, [](const auto& folder) { return folder.second == 0; });
    put_folders(db, changed);
    t.commit();
    return changed.size();
}

std::unique_ptr<Database> open_refreshed(const Mailbox& mailbox, bool* fresh, std::size_t* listed) {
    std::unique_ptr<Database> db;
    for (int attempt = 0;; ++attempt) {
        try {
            db = attempt < 2 ? std::make_unique<Database>(mailbox.root())
                             : std::make_unique<Database>(Database::InMemory{});
            std::size_t n = refresh_changed_folders(*db, mailbox);
            if (listed) {
                *listed = n;
            }
            *fresh = true;
            return db;
        } catch (const CacheDamaged&) {
            db.reset();
            if (attempt == 0) {
                Database::remove(mailbox.root()); // damage found once a page was read
            } else if (attempt == 2) {
                throw;
            }
        } catch (const Error&) {
            if (!db) {
                db = std::make_unique<Database>(Database::InMemory{});
            }
            *fresh = false;
            return db;
        }
    }
}

Position locate_key(const Mailbox& mailbox, const std::string& path, const std::string& key) {
    std::vector<DataError> ignored;
    try {
        auto table = parse_toml(read_file(mailbox.absolute(path)), path, ignored);
        if (table) {
            if (toml::node_view n = table->at_path(key)) {
                return Position{path, n.node()->source().begin.line,
                                n.node()->source().begin.column};
            }
        }
    } catch (const Error&) {
    }
    return Position{path, 1, 1};
}

} // namespace mailbox
