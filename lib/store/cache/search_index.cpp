#include "store/cache/search_index.hpp"

#include "store/cache/row_writer.hpp"
#include "store/casefile.hpp"
#include "util/atomic_file.hpp"
#include "util/parallel.hpp"
#include "util/search_terms.hpp"

#include <optional>

namespace mailbox {

namespace {

void add_line(std::string& out, std::string_view text) {
    if (!text.empty()) {
        out += out.empty() ? "" : "\n";
        out += text;
    }
}

} // namespace

SearchText search_text(const Case& c) {
    SearchText t{c.subject, c.body, {}, {}};
    add_line(t.notes, c.instruction.value_or(""));
    for (const HistoryEntry& e : c.history) {
        add_line(t.notes, e.note);
    }
    add_line(t.notes, c.exemplary.value_or(""));
    if (c.draft) {
        for (const std::string* s :
             {&c.draft->text, &c.draft->basis, &c.draft->steps, &c.draft->report}) {
            add_line(t.replies, *s);
        }
    }
    return t;
}

SearchIndex::SearchIndex(const Mailbox& mailbox) : m_mailbox(mailbox) {
    bool fresh = false;
    m_db = open_refreshed(mailbox, &fresh);
    try {
        update();
    } catch (const CacheDamaged&) {
        // Damage found only when a page was read: made again, once.
        m_db.reset();
        Database::remove(mailbox.root());
        m_db = open_refreshed(mailbox, &fresh);
        update();
    }
}

SearchIndex::~SearchIndex() = default;

namespace {

struct Pending {
    std::string path, id;
    std::int64_t ino, size, mtime, ctime;
};

// The terms of a case file, if it still is as its row says.
std::optional<SearchText> terms_of(const Mailbox& m, const Pending& p) {
    try {
        std::string text = read_file(m.absolute(p.path));
        if (file_stamp(m.absolute(p.path)) != row_stamp(p.ino, p.size, p.mtime, p.ctime)) {
            return std::nullopt; // changed since: its row is read again first
        }
        SearchText t = search_text(parse_case(text, p.path, p.id));
        return SearchText{joined_search_terms(t.subject), joined_search_terms(t.body),
                          joined_search_terms(t.notes), joined_search_terms(t.replies)};
    } catch (const Error&) {
        return std::nullopt;
    }
}

} // namespace

void SearchIndex::update() {
    Database::Transaction t(*m_db);
    auto count = [&](std::string_view sql) {
        Statement s = m_db->prepare(sql);
        return s.step() ? s.integer(0) : 0;
    };
    std::int64_t dead = count("SELECT value FROM meta WHERE key = 'dead'");
    std::vector<Pending> todo;
    auto pending = [&] {
        // The few rows not yet searched, through their index: SQLite's
        // planner would rather scan 100,000 rows for none.
        Statement s = m_db->prepare("SELECT path, id, ino, size, mtime, ctime FROM cases "
                                    "INDEXED BY cases_unsearched "
                                    "WHERE searched = 0 AND received IS NOT NULL");
        while (s.step()) {
            todo.push_back(
                {s.text(0), s.text(1), s.integer(2), s.integer(3), s.integer(4), s.integer(5)});
        }
    };
    pending();
    if (todo.empty()) {
        return;
    }
    std::int64_t living = count("SELECT count(*) FROM letters"); // a letter per parsed case
    if (dead > living / 4 + 256) {
        // More dead rows than the living can afford: the table anew.
        m_db->exec("DELETE FROM docs; INSERT INTO terms(terms) VALUES ('delete-all'); "
                   "UPDATE meta SET value = 0 WHERE key = 'dead'; UPDATE cases SET searched = 0");
        todo.clear();
        pending();
    }
    Statement add_doc = m_db->prepare("INSERT OR REPLACE INTO docs(path) VALUES (?)");
    Statement add_terms = m_db->prepare(
        "INSERT INTO terms(rowid, subject, body, notes, replies) VALUES (?, ?, ?, ?, ?)");
    Statement searched = m_db->prepare("UPDATE cases SET searched = 1 WHERE path = ?");
    m_indexed = 0;
    // Reading and cutting into terms on every core, SQLite writing on one,
    // k_files_at_once cases at a time.
    for (std::size_t start = 0; start < todo.size(); start += k_files_at_once) {
        std::size_t end = std::min(todo.size(), start + k_files_at_once);
        std::vector<std::optional<SearchText>> terms(end - start);
        for_each_in_parallel(
            end - start, [&](std::size_t k) { terms[k] = terms_of(m_mailbox, todo[start + k]); });
        for (std::size_t k = 0; k < terms.size(); ++k) {
            if (!terms[k]) {
                continue;
            }
            add_doc.bind(1, todo[start + k].path).step();
            add_doc.reset();
            add_terms.bind(1, m_db->last_rowid())
                .bind(2, terms[k]->subject)
                .bind(3, terms[k]->body)
                .bind(4, terms[k]->notes)
                .bind(5, terms[k]->replies)
                .step();
            add_terms.reset();
            searched.bind(1, todo[start + k].path).step();
            searched.reset();
            ++m_indexed;
        }
    }
    t.commit();
}

void SearchIndex::search(std::string_view query, const std::function<bool(SearchHit&&)>& take) {
    std::string match = search_match(query);
    if (match.empty()) {
        return;
    }
    // The subject says what a letter is about: a match there weighs most.
    // Ties in path order, which is id order.
    Statement s = m_db->prepare("SELECT docs.path, bm25(terms, 4.0, 1.0, 1.0, 1.0) AS rank "
                                "FROM terms JOIN docs ON docs.doc = terms.rowid "
                                "WHERE terms MATCH ? ORDER BY rank, docs.path");
    Statement row = m_db->prepare("SELECT id, entry FROM cases WHERE path = ?");
    for (s.bind(1, match); s.step();) {
        std::string path = s.text(0);
        if (!row.bind(1, path).step()) {
            row.reset();
            continue;
        }
        std::optional<IndexEntry> e = cached_entry(path, row.text(0), row.blob(1));
        row.reset();
        if (e && e->summary && !take({std::move(*e), s.real(1)})) {
            return;
        }
    }
}

std::vector<SearchHit> SearchIndex::search(std::string_view query) {
    std::vector<SearchHit> hits;
    search(query, [&](SearchHit&& hit) {
        hits.push_back(std::move(hit));
        return true;
    });
    return hits;
}

std::vector<IndexEntry> SearchIndex::broken() {
    std::vector<IndexEntry> out;
    Statement s = m_db->prepare("SELECT path, id, entry FROM cases INDEXED BY cases_unparsed WHERE "
                                "received IS NULL ORDER BY path");
    while (s.step()) {
        if (auto e = cached_entry(s.text(0), s.text(1), s.blob(2))) {
            out.push_back(std::move(*e));
        }
    }
    return out;
}

} // namespace mailbox
