#include "store/cache/search_rank.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <memory>
#include <string>

using namespace mailbox;

namespace {

constexpr double k_weights[] = {4.0, 1.0};

// Rows of two columns drawn from a few terms, the same every run: some
// terms in most rows, some in few, rows of every length.
std::unique_ptr<Database> table_of(int rows) {
    auto owner = std::make_unique<Database>(Database::InMemory{});
    Database& db = *owner;
    db.exec("CREATE VIRTUAL TABLE t USING fts5(subject, body, content = '')");
    const char* words[] = {"路灯", "灯坏", "小区", "物业", "噪音", "路口", "路", "问题", "wifi"};
    Statement add = db.prepare("INSERT INTO t(rowid, subject, body) VALUES (?, ?, ?)");
    unsigned seed = 7;
    auto next = [&] { return seed = seed * 1103515245u + 12345u, (seed >> 16) & 0x7FFF; };
    for (int r = 1; r <= rows; ++r) {
        std::string subject, body;
        for (unsigned n = next() % 4; n-- > 0;) {
            subject += std::string(words[next() % 9]) + " ";
        }
        for (unsigned n = next() % 40; n-- > 0;) {
            body += std::string(words[next() % 9]) + " ";
        }
        add.bind(1, std::int64_t{r} * 3).bind(2, subject).bind(3, body).step();
        add.reset();
    }
    return owner;
}

// FTS5's own bm25 of every matching row.
std::map<std::int64_t, double> bm25_of(Database& db, std::string_view match) {
    std::map<std::int64_t, double> out;
    Statement s = db.prepare("SELECT rowid, bm25(t, 4.0, 1.0) FROM t WHERE t MATCH ?");
    for (s.bind(1, match); s.step();) {
        out[s.integer(0)] = s.real(1);
    }
    return out;
}

std::map<std::int64_t, double> ranked_of(Database& db, std::string_view match) {
    std::map<std::int64_t, double> out;
    for (const RankedDoc& d : ranked_docs(db, "t", match, k_weights)) {
        out[d.doc] = d.rank;
    }
    return out;
}

} // namespace

TEST_CASE("ranked rows score exactly as FTS5's bm25 with few matches and with many") {
    // 40 rows: every query matches too few to read the lengths at once;
    // 3,000: the common terms match more than a 32nd of them.
    for (int rows : {40, 3000}) {
        std::unique_ptr<Database> owner = table_of(rows);
        Database& db = *owner;
        register_ranking(db);
        for (const char* match :
             {"\"路灯\"", "\"问题\"", "\"路\"*", "\"路灯\" AND \"物业\"",
              "\"小区\" AND \"噪音\" AND \"wifi\"", "\"灯坏 路口\"", "\"nothing\""}) {
            INFO(rows << " rows, " << match);
            std::map<std::int64_t, double> want = bm25_of(db, match);
            std::map<std::int64_t, double> got = ranked_of(db, match);
            CHECK(got.size() == want.size());
            // Bit for bit: the same formula in the same order.
            CHECK(got == want);
        }
    }
}

TEST_CASE("ranking a query with no place to gather rows is an error not a crash") {
    std::unique_ptr<Database> db = table_of(10);
    register_ranking(*db);
    Statement s = db->prepare("SELECT mailbox_rank_rows(t, 1) FROM t WHERE t MATCH '\"路\"*'");
    CHECK_THROWS(s.step());
}
