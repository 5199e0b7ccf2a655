#include "store/cache/row_writer.hpp"

#include "model/case_id.hpp"
#include "store/casefile.hpp"
#include "util/atomic_file.hpp"
#include "util/parallel.hpp"
#include "util/text.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <future>
#include <limits>
#include <map>
#include <set>
#include <sys/stat.h>
#include <unordered_map>

namespace mailbox {

bool settled(std::int64_t mtime, std::int64_t since) {
    constexpr std::int64_t k_ns_per_ms = 1'000'000;
    bool whole_seconds = mtime % 1'000'000'000LL == 0;
    return mtime / k_ns_per_ms + (whole_seconds ? 2000 : 100) < since;
}

bool trusted(const StoredRow& row, const FileStamp& now) {
    return row.stamp == now && settled(now.mtime, row.written);
}

std::vector<StoredRow> read_stamps(Database& db) {
    std::vector<StoredRow> rows;
    Statement s = db.prepare("SELECT path, ino, size, mtime, ctime, written FROM cases "
                             "INDEXED BY cases_stamps ORDER BY path");
    while (s.step()) {
        rows.push_back({s.text(0),
                        {s.integer(1), s.integer(2), s.integer(3), s.integer(4)},
                        s.integer(5),
                        {}});
    }
    return rows;
}

namespace {

// The SQL that is true of a row `choice` keeps (its numbers are ours).
std::string chosen_rows(const RowChoice* choice) {
    if (!choice) {
        return "1";
    }
    std::string sql = choice->grouped ? "received IS NULL OR grouped" : "received IS NULL";
    for (const auto& [from, to] : choice->received) {
        sql += fmt::format(" OR received BETWEEN {} AND {}", from, to);
    }
    return sql;
}

} // namespace

std::vector<StoredRow> read_rows(Database& db, const std::string& after, const std::string& through,
                                 const RowChoice* choice) {
    std::vector<StoredRow> rows;
    Statement s = db.prepare(fmt::format("SELECT path, ino, size, mtime, ctime, written, CASE "
                                         "WHEN {} THEN entry END FROM cases WHERE path > ?1 AND "
                                         "path <= ?2 ORDER BY path",
                                         chosen_rows(choice)));
    s.bind(1, after).bind(2, through);
    while (s.step()) {
        rows.push_back({s.text(0),
                        {s.integer(1), s.integer(2), s.integer(3), s.integer(4)},
                        s.integer(5),
                        std::string(s.blob(6)),
                        0,
                        !s.is_null(6)});
    }
    // The same range of the few counts, merged in path order.
    Statement n = db.prepare("SELECT path, count FROM other_letters WHERE path > ?1 AND "
                             "path <= ?2 ORDER BY path");
    n.bind(1, after).bind(2, through);
    auto row = rows.begin();
    while (n.step()) {
        std::string_view path = n.blob(0);
        while (row != rows.end() && row->path < path) {
            ++row;
        }
        if (row != rows.end() && row->path == path) {
            row->others = static_cast<int>(n.integer(1));
        }
    }
    return rows;
}

Groups read_groups(Database& db, const std::function<bool(const std::string& path)>& vouched) {
    Groups groups;
    Statement s = db.prepare(k_groups_query);
    while (s.step()) {
        if (!vouched(s.text(0))) {
            continue;
        }
        std::vector<std::string> links; // ids a line each
        for (std::string_view id : lines_of(s.blob(2))) {
            links.emplace_back(id);
        }
        groups.link(s.text(1), links);
    }
    return groups;
}

std::string case_folder(const std::string& path) {
    std::size_t start = path.find('/') + 1;
    return path.substr(start, path.find('/', start) - start);
}

std::int64_t folder_time(const std::filesystem::path& dir) {
    struct stat st {};
    return stat(dir.c_str(), &st) == 0 ? nanoseconds(st.st_mtim) : 0;
}

void put_folders(Database& db, const std::vector<std::pair<std::string, std::int64_t>>& folders,
                 std::int64_t since) {
    Statement put =
        db.prepare("INSERT OR REPLACE INTO folders(folder, mtime, written) VALUES (?, ?, ?)");
    for (const auto& [folder, mtime] : folders) {
        put.bind(1, folder).bind(2, mtime).bind(3, since).step();
        put.reset();
    }
}

std::vector<std::pair<std::string, int>> count_other_letters(Database& db) {
    // Each key's cases come together in key order; numbers, not strings,
    // for 100,000 cases.
    std::vector<std::string> paths;
    std::unordered_map<std::string, int> number_of;
    std::vector<int> members;                   // each key's cases, key after key
    std::vector<std::size_t> starts{0};         // where each key's run begins
    std::vector<std::pair<int, int>> member_of; // case, key
    std::string key;
    Statement s = db.prepare("SELECT key, path FROM senders ORDER BY key");
    while (s.step()) {
        auto [n, added] = number_of.emplace(s.text(1), static_cast<int>(paths.size()));
        if (added) {
            paths.push_back(n->first);
        }
        std::string this_key = s.text(0);
        if (!members.empty() && this_key != key) {
            starts.push_back(members.size());
        }
        key = std::move(this_key);
        members.push_back(n->second);
        member_of.emplace_back(n->second, static_cast<int>(starts.size()) - 1);
    }
    starts.push_back(members.size());
    std::sort(member_of.begin(), member_of.end());
    std::vector<std::pair<std::string, int>> counts;
    counts.reserve(paths.size());
    std::vector<int> same;
    for (std::size_t a = 0; a < member_of.size();) {
        std::size_t b = a;
        same.clear();
        for (; b < member_of.size() && member_of[b].first == member_of[a].first; ++b) {
            std::size_t k = static_cast<std::size_t>(member_of[b].second);
            same.insert(same.end(), members.begin() + static_cast<std::ptrdiff_t>(starts[k]),
                        members.begin() + static_cast<std::ptrdiff_t>(starts[k + 1]));
        }
        if (b - a > 1) { // known by more than one key: each other case once
            std::sort(same.begin(), same.end());
            same.erase(std::unique(same.begin(), same.end()), same.end());
        }
        counts.emplace_back(paths[static_cast<std::size_t>(member_of[a].first)],
                            static_cast<int>(same.size()) - 1);
        a = b;
    }
    return counts;
}

RowWriter::RowWriter(Database& db, std::int64_t since)
    : m_db(db), m_since(since),
      m_put(db.prepare(
          "INSERT OR REPLACE INTO cases(path, id, folder, ino, size, mtime, ctime, written, "
          "entry, received, offset, message_id, content_hash, grouped, links, learned) VALUES "
          "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?15, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?16)")),
      m_drop(db.prepare("DELETE FROM cases WHERE path = ?")),
      m_put_letter(db.prepare("INSERT OR REPLACE INTO letters(received, path, id, offset, "
                              "senders, bigrams) VALUES (?, ?, ?, ?, ?, ?)")),
      m_drop_letter(db.prepare("DELETE FROM letters WHERE path = ?")),
      m_drop_keys(db.prepare("DELETE FROM senders WHERE path = ?")),
      m_put_key(db.prepare("INSERT OR IGNORE INTO senders(key, path) VALUES (?, ?)")),
      m_drop_doc(db.prepare("DELETE FROM docs WHERE path = ?")),
      m_count_dead(db.prepare("UPDATE meta SET value = value + 1 WHERE key = 'dead'")),
      m_keys_of(db.prepare("SELECT key FROM senders WHERE path = ?")),
      m_drop_count(db.prepare("DELETE FROM other_letters WHERE path = ?")),
      m_gone_taught(db.prepare("UPDATE taught SET gone = 1 WHERE path = ?")),
      m_taught(db.prepare("SELECT 1 FROM taught WHERE path = ?")) {}

void RowWriter::put(const Parsed& p) {
    const IndexEntry& e = p.entry;
    drop_keys(e.path);
    drop_doc(e.path);
    drop_letter(e.path);
    m_put.bind(1, e.path).bind(2, e.id).bind(3, case_folder(e.path));
    m_put.bind(4, p.stamp.ino).bind(5, p.stamp.size).bind(6, p.stamp.mtime);
    m_put.bind(7, p.stamp.ctime).bind_blob(8, encode_entry(e)).bind(15, m_since);
    if (const auto& c = e.summary) {
        m_put.bind(9, epoch_seconds(c->received))
            .bind(10, static_cast<std::int64_t>(c->received.offset.count()));
        bind_text_or_null(11, c->message_id);
        bind_text_or_null(12, c->content_hash);
        m_put.bind(13, static_cast<std::int64_t>(!c->group.empty()));
        if (c->group.empty()) {
            m_put.bind_null(14);
        } else {
            m_put.bind(14, fmt::format("{}", fmt::join(c->group, "\n")));
        }
        std::vector<std::string> keys = sender_keys(c->sender);
        std::sort(keys.begin(), keys.end());
        for (const std::string& key : keys) {
            m_put_key.bind(1, key).bind(2, e.path).step();
            m_put_key.reset();
            touch(key);
        }
        m_put_letter.bind(1, epoch_seconds(c->received)).bind(2, e.path).bind(3, e.id);
        m_put_letter.bind(4, static_cast<std::int64_t>(c->received.offset.count()));
        m_put_letter.bind(5, fmt::format("{}", fmt::join(keys, "\n")));
        if (p.bigrams) {
            m_put_letter.bind_blob(6, encode_bigrams(*p.bigrams));
        } else {
            m_put_letter.bind_null(6);
        }
        m_put_letter.step();
        m_put_letter.reset();
        m_put.bind(16, static_cast<std::int64_t>(teaches_nothing(e.path, *c)));
    } else {
        m_put.bind(16, 0);
    }
    m_put.step();
    m_put.reset();
}

std::vector<FileStamp> RowWriter::put_files(const Mailbox& mailbox,
                                            const std::vector<CaseFile>& files) {
    if (files.size() > 1000) {
        // 32 MB of pages, not 2: filling the cache of 100,000 cases spilled
        // SQLite's default to the journal again and again, a third of the run.
        m_db.exec("PRAGMA cache_size = -32768");
    }
    std::int64_t from = bigrams_from(mailbox, files);
    auto parse_from = [&](std::size_t start) {
        auto first = files.begin() + static_cast<std::ptrdiff_t>(start);
        auto last = files.begin() +
                    static_cast<std::ptrdiff_t>(std::min(files.size(), start + k_files_at_once));
        return std::async(std::launch::async,
                          [&mailbox, from, chunk = std::vector<CaseFile>(first, last)] {
                              return parse_files(mailbox, chunk, from);
                          });
    };
    // SQLite writes on this thread while the next files are parsed: the two
    // took turns, each leaving a core idle.
    std::vector<FileStamp> stamps;
    stamps.reserve(files.size());
    std::future<std::vector<Parsed>> next;
    if (!files.empty()) {
        next = parse_from(0);
    }
    for (std::size_t start = 0; start < files.size(); start += k_files_at_once) {
        std::vector<Parsed> parsed = next.get();
        if (start + k_files_at_once < files.size()) {
            next = parse_from(start + k_files_at_once);
        }
        for (const Parsed& p : parsed) {
            put(p);
            stamps.push_back(p.stamp);
        }
    }
    return stamps;
}

// A case with no category nor lead unit teaches the classifiers nothing
// (learned.cpp), unless it taught them before: its row is learned as it is
// written, and an import's letters are not read again to find that out.
bool RowWriter::teaches_nothing(const std::string& path, const CaseSummary& c) {
    if (c.category || c.handler) {
        return false;
    }
    bool taught = m_taught.bind(1, path).step();
    m_taught.reset();
    return !taught;
}

void RowWriter::drop(const std::string& path) {
    m_drop.bind(1, path).step();
    m_drop.reset();
    drop_keys(path);
    drop_doc(path);
    drop_letter(path);
    // What it taught is forgotten when a case of the same text is learned
    // (a renumbered case), else the classifiers are learned anew (learned.cpp).
    m_gone_taught.bind(1, path).step();
    m_gone_taught.reset();
}

// Touched keys are counted key by key, a few lookups each, until they are
// an eighth of the keys stored (a cold start, a pull of many cases); then
// all at once, one pass over every key, and no longer kept: a cold start's
// 140,000 in a set were a second of work. Counting all for an import's
// batch of a few thousand keys into a mailbox of a hundred thousand was a
// tenth of the import.
void RowWriter::touch(const std::string& key) {
    constexpr std::size_t k_few = 500;
    if (m_count_all) {
        return;
    }
    m_touched.insert(key);
    if (m_touched.size() <= k_few) {
        return;
    }
    if (!m_many) {
        Statement keys = m_db.prepare("SELECT count(*) FROM senders");
        keys.step();
        m_many = std::max(k_few, static_cast<std::size_t>(keys.integer(0)) / 8);
    }
    if (m_touched.size() > *m_many) {
        m_count_all = true;
        m_touched.clear();
    }
}

void RowWriter::finish() {
    if (m_count_all) {
        count_all();
    } else if (!m_touched.empty()) {
        count_touched();
    }
    m_touched.clear();
    m_count_all = false;
}

void RowWriter::count_all() {
    std::vector<std::pair<std::string, int>> counts = count_other_letters(m_db);
    std::sort(counts.begin(), counts.end()); // appended in key order
    m_db.exec("DELETE FROM other_letters");
    Statement put = m_db.prepare("INSERT INTO other_letters(path, count) VALUES (?, ?)");
    for (const auto& [path, others] : counts) {
        if (others > 0) {
            put.bind(1, path).bind(2, others).step();
            put.reset();
        }
    }
}

// A sender's letters share their keys: counted once for each set of keys,
// not once a letter (joining every letter's keys with every other's took a
// prolific sender's hundreds of letters times hundreds).
void RowWriter::count_touched() {
    Statement holders = m_db.prepare("SELECT path FROM senders WHERE key = ?");
    std::map<std::string, std::vector<std::string>> holders_of;
    auto holding = [&](const std::string& key) -> const std::vector<std::string>& {
        auto [at, added] = holders_of.try_emplace(key);
        if (added) {
            holders.bind(1, key);
            while (holders.step()) {
                at->second.push_back(holders.text(0));
            }
            holders.reset();
        }
        return at->second;
    };
    std::set<std::string> paths;
    for (const std::string& key : m_touched) {
        const std::vector<std::string>& holders_of_key = holding(key);
        paths.insert(holders_of_key.begin(), holders_of_key.end());
    }
    std::map<std::vector<std::string>, std::int64_t> others_by_keys;
    Statement put = m_db.prepare("INSERT OR REPLACE INTO other_letters(path, count) VALUES (?, ?)");
    for (const std::string& path : paths) {
        std::vector<std::string> keys;
        m_keys_of.bind(1, path);
        while (m_keys_of.step()) {
            keys.push_back(m_keys_of.text(0));
        }
        m_keys_of.reset();
        std::sort(keys.begin(), keys.end());
        auto [at, added] = others_by_keys.try_emplace(keys, 0);
        if (added) {
            std::set<std::string_view> letters;
            for (const std::string& key : keys) {
                const std::vector<std::string>& holders_of_key = holding(key);
                letters.insert(holders_of_key.begin(), holders_of_key.end());
            }
            at->second = static_cast<std::int64_t>(letters.size()) - 1;
        }
        if (at->second > 0) {
            put.bind(1, path).bind(2, at->second).step();
            put.reset();
        } else {
            m_drop_count.bind(1, path).step();
            m_drop_count.reset();
        }
    }
}

void RowWriter::drop_letter(const std::string& path) {
    m_drop_letter.bind(1, path).step();
    m_drop_letter.reset();
}

void RowWriter::bind_text_or_null(int i, const std::optional<std::string>& s) {
    if (s && !s->empty()) {
        m_put.bind(i, *s);
    } else {
        m_put.bind_null(i);
    }
}

void RowWriter::drop_keys(const std::string& path) {
    m_drop_count.bind(1, path).step();
    m_drop_count.reset();
    if (!m_count_all) { // else every sender is counted again: no key need be known
        m_keys_of.bind(1, path);
        while (m_keys_of.step()) {
            touch(m_keys_of.text(0));
        }
        m_keys_of.reset();
    }
    m_drop_keys.bind(1, path).step();
    m_drop_keys.reset();
}

// Its terms are of the file as it was: dead in the full-text index
// (contentless, so they cannot be deleted), counted there.
void RowWriter::drop_doc(const std::string& path) {
    m_drop_doc.bind(1, path).step();
    m_drop_doc.reset();
    if (m_db.changes() > 0) {
        m_count_dead.step();
        m_count_dead.reset();
    }
}

namespace {

Parsed parse_file(const Mailbox& mailbox, const CaseFile& f, std::int64_t bigrams_from) {
    Parsed p{{}, IndexEntry{f.path, f.id, std::nullopt, {}}, {}};
    IndexEntry& e = p.entry;
    std::string text;
    try {
        struct stat opened {};
        text = read_file(mailbox.absolute(f.path), &opened);
        p.stamp = stamp_of(opened); // the file read, not one renamed over it since
    } catch (const Error& err) {
        e.problems.emplace_back(Position{f.path, 0, 0}, err.what());
        return p;
    }
    CaseParse parsed = parse_case_text(text, f.path, f.id);
    e.problems = std::move(parsed.problems);
    if (parsed.value && e.problems.empty()) {
        if (epoch_seconds(parsed.value->received) >= bigrams_from) {
            p.bigrams = letter_bigrams(parsed.value->subject, parsed.value->body);
        }
        e.summary = summarize(std::move(*parsed.value));
    }
    e.stamp = stamp_hash(p.stamp);
    return p;
}

} // namespace

Bigrams letter_bigrams_of(const Mailbox& mailbox, const CaseFile& file) {
    try {
        CaseParse parsed =
            parse_case_text(read_file(mailbox.absolute(file.path)), file.path, file.id);
        if (parsed.value && parsed.problems.empty()) {
            return letter_bigrams(parsed.value->subject, parsed.value->body);
        }
    } catch (const Error&) {
    }
    return {};
}

std::int64_t bigrams_from(const Mailbox& mailbox, const std::vector<CaseFile>& files) {
    std::optional<Day> newest;
    for (const CaseFile& f : files) {
        if (auto parts = parse_case_id(f.id); parts && (!newest || *newest < parts->day)) {
            newest = parts->day;
        }
    }
    if (!newest) {
        return std::numeric_limits<std::int64_t>::max();
    }
    Day from = add_days(*newest, -mailbox.config().dedupe.window_days - 1); // a day for zones
    return date::sys_seconds{date::sys_days{from}}.time_since_epoch().count();
}

std::vector<Parsed> parse_files(const Mailbox& mailbox, const std::vector<CaseFile>& files,
                                std::int64_t bigrams_from) {
    std::vector<Parsed> parsed(files.size());
    for_each_in_parallel(files.size(), [&](std::size_t i) {
        parsed[i] = parse_file(mailbox, files[i], bigrams_from);
    });
    return parsed;
}

void index_written_cases(Database& db, const Mailbox& mailbox, const std::vector<Case>& cases,
                         const LetterBigrams* known) {
    std::int64_t since = db.now_ms(); // before the files are stamped
    std::vector<Parsed> parsed(cases.size());
    for_each_in_parallel(cases.size(), [&](std::size_t i) {
        const Case& c = cases[i];
        std::string path = mailbox.case_path(c.id);
        auto made = known ? known->find(c.id) : LetterBigrams::const_iterator{};
        parsed[i] = {stamp_now(mailbox.absolute(path)), IndexEntry{path, c.id, summarize(c), {}},
                     known && made != known->end() ? made->second
                                                   : letter_bigrams(c.subject, c.body)};
    });
    Database::Transaction t(db);
    RowWriter writer(db, since);
    for (const Parsed& p : parsed) {
        writer.put(p);
    }
    writer.finish();
    t.commit();
}

} // namespace mailbox
