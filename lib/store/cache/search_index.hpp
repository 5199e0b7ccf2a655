// The full-text index of every case's subject, letter, notes and answers,
// in .mailbox/mailbox.db: an FTS5 table of search_terms (util/search_terms.hpp),
// contentless, since the case files hold the text, with a doc per row of the
// cache's table cases. Opening it brings the cache up to date as a lookup
// does (refresh_changed_folders: the year folders changed since they were
// listed), then indexes every row written since it was last indexed. A row
// written anew or dropped leaves its terms dead (SQLite 3.40's contentless
// tables cannot delete), and the table is made again when the dead
// outnumber a quarter of the living.
#pragma once

#include "store/cache/case_row.hpp"
#include "store/cache/database.hpp"
#include "store/cache/folder_refresh.hpp"
#include "store/mailbox.hpp"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace mailbox {

struct SearchHit {
    IndexEntry entry; // as the cache has it: its file may have changed in place since
    double rank = 0;  // lower is better (bm25): a match in the subject counts most
};

// The text of a case as search sees it: subject, letter, notes (history
// notes, the instruction), answers (drafts and replies sent).
struct SearchText {
    std::string subject, body, notes, replies;
};
SearchText search_text(const Case& c);

class SearchIndex {
  public:
    explicit SearchIndex(const Mailbox& mailbox);
    ~SearchIndex();

    // The cases matching the query (search_match), best first, each handed
    // to `take` until it returns false; every part of the query must match.
    // None for a query with no term. Only the rows taken are read.
    void search(std::string_view query, const std::function<bool(SearchHit&&)>& take);
    // All of them.
    std::vector<SearchHit> search(std::string_view query);

    // The case files that do not parse, with their problems.
    std::vector<IndexEntry> broken();

    // How many cases the last update indexed.
    std::size_t indexed() const { return m_indexed; }

  private:
    void update();

    const Mailbox& m_mailbox;
    std::unique_ptr<Database> m_db;
    std::size_t m_indexed = 0;
    bool m_ranking = false; // registered on m_db
};

} // namespace mailbox
