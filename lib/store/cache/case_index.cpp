#include "store/cache/case_index.hpp"

#include "store/cache/database.hpp"
#include "store/cache/row_writer.hpp"
#include "store/field_reader.hpp"
#include "util/atomic_file.hpp"
#include "util/parallel.hpp"

#include <algorithm>
#include <limits>
#include <optional>

namespace mailbox {

namespace {

// Opens the cache; nothing when it cannot be had at all (a cache is never
// what makes a command fail).
std::unique_ptr<Database> open_cache(const Mailbox& mailbox) {
    try {
        return std::make_unique<Database>(mailbox.root());
    } catch (const Error&) {
        return nullptr;
    }
}

// For each file in [start, end), the index of its row in `rows` (both in
// path order), or rows.size() when it has none; `matched` (if given) marks
// the rows that have a file.
std::vector<std::size_t> match_rows(const std::vector<CaseFile>& files, std::size_t start,
                                    std::size_t end, const std::vector<StoredRow>& rows,
                                    std::vector<char>* matched) {
    std::vector<std::size_t> match(end - start, rows.size());
    if (matched) {
        matched->assign(rows.size(), 0);
    }
    for (std::size_t i = start, k = 0; i < end; ++i) {
        while (k < rows.size() && rows[k].path < files[i].path) {
            ++k;
        }
        if (k < rows.size() && rows[k].path == files[i].path) {
            match[i - start] = k;
            if (matched) {
                (*matched)[k] = 1;
            }
        }
    }
    return match;
}

} // namespace

CaseScan::CaseScan(const Mailbox& mailbox, bool use_cache)
    : m_mailbox(mailbox), m_db(open_cache(mailbox)) {
    m_since = now_ms();
    // Folder times before the listing: a case added while it runs shows.
    std::vector<std::pair<std::string, std::int64_t>> folders;
    for (const std::string& year : mailbox.case_years()) {
        folders.emplace_back(year, folder_time(mailbox.root() / "cases" / year));
    }
    std::vector<StoredRow> rows;
    if (m_db && use_cache) {
        try {
            rows = read_stamps(*m_db);
        } catch (const CacheDamaged&) {
            m_db.reset(); // a damaged page: the cache anew
            Database::remove(mailbox.root());
            m_db = open_cache(mailbox);
        }
    }
    m_files = mailbox.case_files();
    m_stamps.resize(m_files.size());
    m_fresh.assign(m_files.size(), 0);
    std::vector<char> matched;
    std::vector<std::size_t> match = match_rows(m_files, 0, m_files.size(), rows, &matched);
    // With no rows to compare them with, the files are stamped as they are
    // read (store): a cold start stat-ed 100,000 files twice.
    std::string root = mailbox.root().string() + "/";
    if (!rows.empty()) {
        for_each_in_parallel(m_files.size(), [&](std::size_t i) {
            m_stamps[i] = stamp_now((root + m_files[i].path).c_str());
            m_fresh[i] = match[i] < rows.size() && trusted(rows[match[i]], m_stamps[i]);
        });
    }
    std::vector<std::string> gone;
    for (std::size_t k = 0; k < rows.size(); ++k) {
        if (!matched[k]) {
            gone.push_back(std::move(rows[k].path));
        }
    }
    rows = {};
    store(gone, folders, !use_cache);
}

CaseScan::~CaseScan() = default;

void CaseScan::store(const std::vector<std::string>& gone,
                     const std::vector<std::pair<std::string, std::int64_t>>& folders, bool anew) {
    std::vector<std::size_t> todo;
    for (std::size_t i = 0; i < m_files.size(); ++i) {
        if (!m_fresh[i]) {
            todo.push_back(i);
        }
    }
    m_parsed = todo.size();
    if (!m_db) {
        return; // each() reads the files
    }
    if (todo.empty() && gone.empty() && !anew) {
        try {
            m_db->publish(); // made for a mailbox with no cases
        } catch (const Error&) {
        }
        return;
    }
    try {
        std::vector<FileStamp> read = store_rows(todo, gone, folders, anew);
        for (std::size_t k = 0; k < todo.size(); ++k) {
            m_stamps[todo[k]] = read[k];
            m_fresh[todo[k]] = 1; // its row is as the file was read
        }
        m_db->publish(); // its writer's statements gone
    } catch (const Error&) {
        // Busy or read-only: each() reads these files, and so does the
        // next command.
    }
}

std::vector<FileStamp>
CaseScan::store_rows(const std::vector<std::size_t>& todo, const std::vector<std::string>& gone,
                     const std::vector<std::pair<std::string, std::int64_t>>& folders, bool anew) {
    Database::Transaction t(*m_db);
    if (anew) {
        m_db->exec("DELETE FROM cases; DELETE FROM letters; DELETE FROM senders; "
                   "DELETE FROM other_letters; "
                   "DELETE FROM docs; "
                   "INSERT INTO terms(terms) VALUES ('delete-all'); "
                   "UPDATE meta SET value = 0 WHERE key = 'dead'; "
                   "DELETE FROM taught; DELETE FROM models");
    }
    RowWriter writer(*m_db, m_since);
    for (const std::string& path : gone) {
        writer.drop(path);
    }
    std::vector<CaseFile> files;
    for (std::size_t i : todo) {
        files.push_back(m_files[i]);
    }
    std::vector<FileStamp> read = writer.put_files(m_mailbox, files);
    writer.finish();
    put_folders(*m_db, folders, m_since);
    t.commit();
    return read;
}

void CaseScan::each(const std::function<void(IndexEntry&)>& take, const RowChoice* choice) {
    if (!m_as_written && !m_groups) {
        m_groups = read_groups();
    }
    auto whole_group = [&](IndexEntry& e) {
        if (!e.summary || !m_groups) {
            return;
        }
        // A file changed since the groups were read may name links they
        // do not know: its own are then the better answer.
        if (std::vector<std::string> others = m_groups->others(e.id); !others.empty()) {
            e.summary->group = std::move(others);
        }
    };
    std::string after; // the last path whose rows were read
    for (std::size_t start = 0; start < m_files.size(); start += k_files_at_once) {
        std::size_t end = std::min(m_files.size(), start + k_files_at_once);
        std::vector<StoredRow> rows;
        if (m_db) {
            try {
                rows = read_rows(*m_db, after, m_files[end - 1].path, choice);
            } catch (const CacheDamaged&) {
                m_db.reset(); // the files themselves, and the next command makes it anew
            }
        }
        after = m_files[end - 1].path;
        for (IndexEntry& e : entries_of(start, end, rows)) {
            whole_group(e);
            take(e);
        }
    }
}

// Files read for their links only: no letter's bigrams.
constexpr std::int64_t k_no_bigrams = std::numeric_limits<std::int64_t>::max();

// Every link, before any entry is handed on: a group's members may be
// anywhere in path order. The cache's rows give those of the files it
// vouches for; the others are read from their files now, and again as
// their entries are handed on (few, unless the cache cannot be written).
Groups CaseScan::read_groups() {
    Groups groups;
    std::vector<char> from_file(m_files.size(), 1);
    if (m_db) {
        try {
            groups = mailbox::read_groups(*m_db, [&](const std::string& path) {
                auto at = std::lower_bound(
                    m_files.begin(), m_files.end(), path,
                    [](const CaseFile& f, const std::string& p) { return f.path < p; });
                return at != m_files.end() && at->path == path &&
                       m_fresh[static_cast<std::size_t>(at - m_files.begin())];
            });
            for (std::size_t i = 0; i < m_files.size(); ++i) {
                from_file[i] = !m_fresh[i];
            }
        } catch (const CacheDamaged&) {
            m_db.reset();
        }
    }
    std::vector<CaseFile> todo;
    for (std::size_t i = 0; i < m_files.size(); ++i) {
        if (from_file[i]) {
            todo.push_back(m_files[i]);
        }
    }
    for (std::size_t start = 0; start < todo.size(); start += k_files_at_once) {
        std::size_t end = std::min(todo.size(), start + k_files_at_once);
        std::vector<CaseFile> chunk(todo.begin() + static_cast<std::ptrdiff_t>(start),
                                    todo.begin() + static_cast<std::ptrdiff_t>(end));
        for (const Parsed& p : parse_files(m_mailbox, chunk, k_no_bigrams)) {
            if (p.entry.summary) {
                groups.link(p.entry.id, p.entry.summary->group);
            }
        }
    }
    return groups;
}

std::vector<IndexEntry> CaseScan::entries_of(std::size_t start, std::size_t end,
                                             std::vector<StoredRow>& rows) {
    // read_again: a broken file, its row as good as the file, read for its
    // problems to be told in the reader's language, which need not be that
    // of the command that stored them.
    enum : char { unread, decoded, undecodable, read_again, left_out };
    std::vector<std::size_t> match = match_rows(m_files, start, end, rows, nullptr);
    std::vector<IndexEntry> entries(end - start);
    std::vector<char> state(end - start, unread);
    for_each_in_parallel(end - start, [&](std::size_t k) {
        std::size_t i = start + k;
        // A row another command wrote since has another stamp.
        if (!m_fresh[i] || match[k] == rows.size() || rows[match[k]].stamp != m_stamps[i]) {
            return;
        }
        if (!rows[match[k]].chosen) {
            state[k] = left_out;
            return;
        }
        IndexEntry& e = entries[k];
        e.path = m_files[i].path;
        e.id = m_files[i].id;
        e.stamp = stamp_hash(m_stamps[i]);
        state[k] = decode_entry(rows[match[k]].entry, e) ? decoded : undecodable;
        if (state[k] == decoded && !e.problems.empty()) {
            state[k] = read_again;
        }
        e.sender_cases = rows[match[k]].others;
        if (state[k] == undecodable || state[k] == read_again) {
            e = IndexEntry{};
        }
    });
    rows = {};
    std::vector<CaseFile> todo;
    for (std::size_t k = 0; k < entries.size(); ++k) {
        if (state[k] == unread || state[k] == undecodable || state[k] == read_again) {
            todo.push_back(m_files[start + k]);
        }
    }
    std::vector<Parsed> parsed;
    std::int64_t since = 0;
    if (!todo.empty()) { // rare: a file changed while the scan ran, or a broken one
        since = now_ms();
        parsed = parse_files(m_mailbox, todo, bigrams_from(m_mailbox, m_files));
        m_parsed += static_cast<std::size_t>(std::count(state.begin(), state.end(), read_again));
    }
    std::vector<const Parsed*> rewrite; // rows that do not decode: written anew
    for (std::size_t k = 0, p = 0; k < entries.size(); ++k) {
        if (state[k] == undecodable) {
            rewrite.push_back(&parsed[p]);
        }
        if (state[k] == unread || state[k] == undecodable || state[k] == read_again) {
            entries[k] = parsed[p++].entry;
        }
    }
    store_again(rewrite, since);
    std::size_t kept = 0;
    for (std::size_t k = 0; k < entries.size(); ++k) {
        if (state[k] != left_out) {
            if (kept != k) {
                entries[kept] = std::move(entries[k]);
            }
            ++kept;
        }
    }
    entries.resize(kept);
    return entries;
}

void CaseScan::store_again(const std::vector<const Parsed*>& parsed, std::int64_t since) {
    m_parsed += parsed.size();
    if (!m_db || parsed.empty()) {
        return;
    }
    try {
        Database::Transaction t(*m_db);
        RowWriter writer(*m_db, since);
        for (const Parsed* p : parsed) {
            writer.put(*p);
        }
        writer.finish();
        t.commit();
    } catch (const Error&) {
        // the next command tries again
    }
}

std::int64_t CaseScan::now_ms() {
    try {
        return m_db ? m_db->now_ms() : 0;
    } catch (const Error&) {
        return 0; // nothing this run writes is trusted later
    }
}

IndexStats CaseScan::stats() const {
    return {m_files.size(), m_parsed};
}

std::vector<IndexEntry> load_case_index_if(const Mailbox& mailbox,
                                           const std::function<bool(CaseSummary&)>& keep,
                                           const RowChoice* choice) {
    CaseScan scan(mailbox);
    std::vector<IndexEntry> kept;
    kept.reserve(scan.stats().files); // pages past what is kept are never touched
    scan.each(
        [&](IndexEntry& e) {
            if (!e.summary || keep(*e.summary)) {
                kept.push_back(std::move(e));
            }
        },
        choice);
    return kept;
}

std::vector<IndexEntry> load_case_index(const Mailbox& mailbox, IndexStats* stats, bool use_cache) {
    CaseScan scan(mailbox, use_cache);
    std::vector<IndexEntry> entries;
    entries.reserve(scan.stats().files);
    scan.each([&](IndexEntry& e) { entries.push_back(std::move(e)); });
    if (stats) {
        *stats = scan.stats();
    }
    return entries;
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