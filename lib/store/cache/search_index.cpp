#include "store/cache/search_index.hpp"

#include "store/casefile.hpp"
#include "util/atomic_file.hpp"
#include "util/parallel.hpp"
#include "util/search_terms.hpp"

#include <fmt/format.h>
#include <unordered_map>

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

SearchIndex::SearchIndex(const Mailbox& mailbox, const std::vector<IndexEntry>& entries)
    : m_mailbox(mailbox) {
    open();
    try {
        update(entries);
    } catch (const CacheDamaged&) {
        // Damage found only when a page was read: make it again, once.
        m_db.reset();
        Database::remove(mailbox.root());
        open();
        update(entries);
    }
}

SearchIndex::~SearchIndex() = default;

void SearchIndex::open() {
    m_db = std::make_unique<Database>(m_mailbox.root());
}

void SearchIndex::update(const std::vector<IndexEntry>& entries) {
    std::unordered_map<std::string, std::int64_t> held;
    Statement all = m_db->prepare("SELECT id, stamp FROM docs");
    while (all.step()) {
        held.emplace(all.text(0), all.integer(1));
    }
    std::vector<const IndexEntry*> todo;
    std::vector<std::string> stale; // rows to drop: changed, gone or unreadable cases
    std::size_t living = 0;
    for (const IndexEntry& e : entries) {
        auto it = held.find(e.id);
        bool was = it != held.end();
        bool current = was && e.summary && it->second == static_cast<std::int64_t>(e.stamp);
        if (was) {
            held.erase(it);
        }
        living += e.summary ? 1 : 0;
        if (was && !current) {
            stale.push_back(e.id);
        }
        if (!current && e.summary) {
            todo.push_back(&e);
        }
    }
    for (auto& [id, stamp] : held) {
        stale.push_back(id);
    }
    if (todo.empty() && stale.empty()) {
        return;
    }
    Database::Transaction t(*m_db);
    Statement get_dead = m_db->prepare("SELECT value FROM meta WHERE key = 'dead'");
    std::int64_t dead =
        (get_dead.step() ? get_dead.integer(0) : 0) + static_cast<std::int64_t>(stale.size());
    if (dead > static_cast<std::int64_t>(living / 4 + 256)) {
        // More dead rows than living ones can afford: the table anew.
        m_db->exec("DELETE FROM docs; INSERT INTO terms(terms) VALUES ('delete-all')");
        dead = 0;
        todo.clear();
        for (const IndexEntry& e : entries) {
            if (e.summary) {
                todo.push_back(&e);
            }
        }
    } else {
        Statement drop = m_db->prepare("DELETE FROM docs WHERE id = ?");
        for (const std::string& id : stale) {
            drop.bind(1, id).step();
            drop.reset();
        }
    }
    // Reading and cutting into terms on every core; SQLite writes on one.
    std::vector<std::optional<SearchText>> terms(todo.size());
    for_each_in_parallel(todo.size(), [&](std::size_t i) {
        const IndexEntry& e = *todo[i];
        try {
            SearchText text =
                search_text(parse_case(read_file(m_mailbox.absolute(e.path)), e.path, e.id));
            terms[i] =
                SearchText{joined_search_terms(text.subject), joined_search_terms(text.body),
                           joined_search_terms(text.notes), joined_search_terms(text.replies)};
        } catch (const Error&) {
            // changed since the case index read it: indexed next time
        }
    });
    Statement add_doc = m_db->prepare("INSERT INTO docs(id, stamp) VALUES (?, ?)");
    Statement add_terms = m_db->prepare(
        "INSERT INTO terms(rowid, subject, body, notes, replies) VALUES (?, ?, ?, ?, ?)");
    m_indexed = 0;
    for (std::size_t i = 0; i < todo.size(); ++i) {
        if (!terms[i]) {
            continue;
        }
        add_doc.bind(1, todo[i]->id).bind(2, static_cast<std::int64_t>(todo[i]->stamp)).step();
        add_doc.reset();
        add_terms.bind(1, m_db->last_rowid())
            .bind(2, terms[i]->subject)
            .bind(3, terms[i]->body)
            .bind(4, terms[i]->notes)
            .bind(5, terms[i]->replies)
            .step();
        add_terms.reset();
        ++m_indexed;
    }
    Statement set_dead = m_db->prepare("UPDATE meta SET value = ? WHERE key = 'dead'");
    set_dead.bind(1, dead).step();
    t.commit();
}

std::vector<SearchHit> SearchIndex::search(std::string_view query) {
    std::string match = search_match(query);
    std::vector<SearchHit> hits;
    if (match.empty()) {
        return hits;
    }
    // The subject says what a letter is about: a match there weighs most.
    Statement s = m_db->prepare("SELECT docs.id, bm25(terms, 4.0, 1.0, 1.0, 1.0) AS rank "
                                "FROM terms JOIN docs ON docs.doc = terms.rowid "
                                "WHERE terms MATCH ? ORDER BY rank, docs.id");
    s.bind(1, match);
    while (s.step()) {
        hits.push_back({s.text(0), s.real(1)});
    }
    return hits;
}

} // namespace mailbox
