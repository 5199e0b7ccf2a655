#include "store/cache/case_index.hpp"

#include "store/cache/database.hpp"
#include "store/cache/row_writer.hpp"
#include "store/field_reader.hpp"
#include "util/atomic_file.hpp"
#include "util/parallel.hpp"

#include <algorithm>
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

// For each file, the index of its row, or rows.size() when it has none;
// `matched` marks the rows that have a file.
std::vector<std::size_t> match_rows(const std::vector<CaseFile>& files,
                                    const std::vector<StoredRow>& rows,
                                    std::vector<char>& matched) {
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
bool trusted(const StoredRow& row, const FileStamp& now) {
    return row.stamp == now && now.mtime / 1'000'000'000LL + 2 < row.written;
}

} // namespace

std::vector<IndexEntry> load_case_index(const Mailbox& mailbox, IndexStats* stats, bool use_cache) {
    std::unique_ptr<Database> db = open_cache(mailbox);
    std::vector<StoredRow> rows;
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
        if (!decode_entry(rows[match[i]].entry, e)) {
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
    bool gone = std::find(matched.begin(), matched.end(), 0) != matched.end();
    bool rewrite = !todo.empty() || gone || !use_cache;
    std::optional<Database::Transaction> t;
    std::optional<RowWriter> writer;
    auto give_up = [&] { // busy or read-only: the next command reads these files again
        writer.reset();
        t.reset();
    };
    if (db && rewrite) {
        try {
            t.emplace(*db);
            if (!use_cache) {
                db->exec("DELETE FROM cases; DELETE FROM senders; DELETE FROM docs; "
                         "INSERT INTO terms(terms) VALUES ('delete-all'); "
                         "UPDATE meta SET value = 0 WHERE key = 'dead'");
            }
            writer.emplace(*db);
            for (std::size_t k = 0; k < rows.size(); ++k) {
                if (!matched[k]) {
                    writer->drop(rows[k].path);
                }
            }
        } catch (const Error&) {
            give_up();
        }
    }
    // A chunk at a time, its rows written before the next is read: a whole
    // mailbox's bigrams held at once took hundreds of megabytes.
    constexpr std::size_t k_chunk = 4096;
    for (std::size_t start = 0; start < todo.size(); start += k_chunk) {
        std::size_t end = std::min(todo.size(), start + k_chunk);
        std::vector<Parsed> parsed = parse_files(
            mailbox, std::vector<CaseFile>(todo_files.begin() + static_cast<std::ptrdiff_t>(start),
                                           todo_files.begin() + static_cast<std::ptrdiff_t>(end)));
        try {
            for (std::size_t k = 0; writer && k < parsed.size(); ++k) {
                writer->put(parsed[k]);
            }
        } catch (const Error&) {
            give_up();
        }
        for (std::size_t k = start; k < end; ++k) {
            entries[todo[k]] = std::move(parsed[k - start].entry);
        }
    }
    if (writer) {
        try {
            put_folders(*db, folders);
            t->commit();
        } catch (const Error&) {
            give_up();
        }
    }
    if (stats) {
        stats->files = files.size();
        stats->parsed = todo.size();
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