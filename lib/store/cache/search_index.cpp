#include "store/cache/search_index.hpp"

#include "store/cache/row_writer.hpp"
#include "store/cache/search_rank.hpp"
#include "store/casefile.hpp"
#include "util/atomic_file.hpp"
#include "util/parallel.hpp"
#include "util/search_terms.hpp"

#include <algorithm>
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
    open_updated(m_db, mailbox, [this] { update(); });
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

namespace {

// The subject says what a letter is about: a match there weighs most.
constexpr double k_weights[] = {4.0, 1.0, 1.0, 1.0};

struct Candidate {
    RankedDoc doc;
    std::string path;
};

} // namespace

void SearchIndex::search(std::string_view query, const std::function<bool(SearchHit&&)>& take) {
    std::string match = search_match(query);
    if (match.empty()) {
        return;
    }
    if (!m_ranking) {
        register_ranking(*m_db);
        m_ranking = true;
    }
    std::vector<RankedDoc> docs = ranked_docs(*m_db, "terms", match, k_weights);
    Statement path_of = m_db->prepare("SELECT path FROM docs WHERE doc = ?");
    Statement row = m_db->prepare("SELECT id, entry FROM cases WHERE path = ?");
    auto better = [](const RankedDoc& a, const RankedDoc& b) { return a.rank < b.rank; };
    // Best first, sorted a batch at a time, each twice the last: a search
    // mostly wants its first few dozen of thousands of matches.
    std::size_t batch = 64;
    for (std::size_t from = 0; from < docs.size(); batch *= 2) {
        auto first = docs.begin() + static_cast<std::ptrdiff_t>(from);
        auto cut = first + static_cast<std::ptrdiff_t>(std::min(batch, docs.size() - from));
        std::partial_sort(first, cut, docs.end(), better);
        // Those ranked as the batch's last join it, for ties go in path
        // order, which is id order.
        double last = (cut - 1)->rank;
        auto end =
            std::partition(cut, docs.end(), [&](const RankedDoc& d) { return d.rank == last; });
        std::vector<Candidate> batch_docs;
        for (auto d = first; d != end; ++d) {
            if (path_of.bind(1, d->doc).step()) {
                batch_docs.push_back({*d, path_of.text(0)});
            } // else: the terms of a row since written anew
            path_of.reset();
        }
        std::stable_sort(
            batch_docs.begin(), batch_docs.end(), [](const Candidate& a, const Candidate& b) {
                return a.doc.rank != b.doc.rank ? a.doc.rank < b.doc.rank : a.path < b.path;
            });
        for (Candidate& c : batch_docs) {
            if (!row.bind(1, c.path).step()) {
                row.reset();
                continue;
            }
            std::optional<IndexEntry> e = cached_entry(c.path, row.text(0), row.blob(1));
            row.reset();
            if (e && e->summary && !take({std::move(*e), c.doc.rank})) {
                return;
            }
        }
        from = static_cast<std::size_t>(end - docs.begin());
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
