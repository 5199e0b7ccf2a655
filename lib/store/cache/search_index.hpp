// The full-text index of every case's subject, letter, notes and answers,
// in .mailbox/mailbox.db: an FTS5 table of search_terms (util/search_terms.hpp),
// contentless, since the case files hold the text. Each case is indexed
// under its file's stamp; a case file added, changed (by a command, an
// editor or git) or removed since is indexed again before a search, the
// rest trusted. A changed case gets a new row and its old one is left dead
// (SQLite 3.40's contentless tables cannot delete), and the table is made
// again when the dead outnumber a quarter of the living.
#pragma once

#include "store/cache/case_index.hpp"
#include "store/cache/database.hpp"
#include "store/mailbox.hpp"

#include <memory>
#include <string>
#include <vector>

namespace mailbox {

struct SearchHit {
    std::string id;
    double rank = 0; // lower is better (bm25): a match in the subject counts most
};

// The text of a case as search sees it: subject, letter, notes (history
// notes, the instruction), answers (drafts and replies sent).
struct SearchText {
    std::string subject, body, notes, replies;
};
SearchText search_text(const Case& c);

class SearchIndex {
  public:
    // Brings the index up to date with `entries` (the whole case index).
    SearchIndex(const Mailbox& mailbox, const std::vector<IndexEntry>& entries);
    ~SearchIndex();

    // The cases matching the query (search_match), best first; every part
    // of the query must match. Empty for a query with no term.
    std::vector<SearchHit> search(std::string_view query);

    // How many cases the last update indexed.
    std::size_t indexed() const { return m_indexed; }

  private:
    void open();
    void update(const std::vector<IndexEntry>& entries);

    const Mailbox& m_mailbox;
    std::unique_ptr<Database> m_db;
    std::size_t m_indexed = 0;
};

} // namespace mailbox
