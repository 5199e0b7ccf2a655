#include "store/cache/search_rank.hpp"

#include "util/i18n.hpp"

#include <cmath>
#include <exception>
#include <fmt/format.h>
#include <sqlite3.h>

namespace mailbox {

namespace {

constexpr const char* k_function = "mailbox_rank_rows";
constexpr const char* k_pointer_type = "mailbox_ranked_rows";

// Every length of the table, read once; -1 where it has no row.
struct Lengths {
    enum class State { unread, trusted, checking, unusable };
    State state = State::unread;
    std::vector<std::int32_t> of; // by rowid
    int checks_left = 8;
};

// What the function FTS5 calls for each matching row leaves here.
struct Gathered {
    std::span<const double> weights;
    Database* db = nullptr;
    std::string docsize; // the table's lengths, a row each
    bool started = false;
    int phrases = 0;
    sqlite3_int64 table_rows = 0;
    double avgdl = 0;
    std::vector<double> idf;     // a phrase each
    std::vector<RankedDoc> docs; // rank: not yet
    std::vector<double> freq;    // `phrases` a row, weighted by column
    std::vector<double> length;  // tokens of the whole row
    Lengths lengths;
    // Thrown while SQLite called: kept, for C++ must not unwind its frames.
    std::exception_ptr failure;
};

// FTS5's: a phrase in more than half the rows weighs almost nothing.
double idf_of(sqlite3_int64 rows, sqlite3_int64 hits) {
    double idf = std::log((rows - hits + 0.5) / (hits + 0.5));
    return idf <= 0.0 ? 1e-6 : idf;
}

int count_hit(const Fts5ExtensionApi*, Fts5Context*, void* hits) {
    ++*static_cast<sqlite3_int64*>(hits);
    return SQLITE_OK;
}

int start(Gathered& g, const Fts5ExtensionApi* api, Fts5Context* fts) {
    g.started = true;
    g.phrases = api->xPhraseCount(fts);
    sqlite3_int64 tokens = 0;
    int rc = api->xRowCount(fts, &g.table_rows);
    if (rc == SQLITE_OK) {
        rc = api->xColumnTotalSize(fts, -1, &tokens);
    }
    g.avgdl = static_cast<double>(tokens) / static_cast<double>(g.table_rows);
    g.idf.assign(static_cast<std::size_t>(g.phrases), 0.0);
    // With one phrase its rows are the query's: counted as they come.
    for (int i = 0; g.phrases > 1 && rc == SQLITE_OK && i < g.phrases; ++i) {
        sqlite3_int64 hits = 0;
        rc = api->xQueryPhrase(fts, i, &hits, count_hit);
        g.idf[static_cast<std::size_t>(i)] = idf_of(g.table_rows, hits);
    }
    return rc;
}

// A varint as SQLite (and FTS5) writes it: seven bits a byte, high first,
// all eight bits in a ninth.
bool read_varint(const unsigned char*& p, const unsigned char* end, std::uint64_t& v) {
    v = 0;
    for (int i = 0; i < 9; ++i) {
        if (p == end) {
            return false;
        }
        unsigned b = *p++;
        if (i == 8) {
            v = (v << 8) | b;
            return true;
        }
        v = (v << 7) | (b & 0x7F);
        if (!(b & 0x80)) {
            return true;
        }
    }
    return true;
}

// Lengths of rows far past the table's size are a table edited often:
// not worth the memory.
constexpr std::int64_t k_most_rowids = std::int64_t{1} << 26;

void read_lengths(Gathered& g) {
    Lengths& l = g.lengths;
    l.state = Lengths::State::unusable;
    Statement s = g.db->prepare(g.docsize);
    while (s.step()) {
        std::int64_t id = s.integer(0);
        if (id < 0 || id >= k_most_rowids || id > 4 * g.table_rows + 65536) {
            return;
        }
        std::string_view sz = s.blob(1);
        const auto* p = reinterpret_cast<const unsigned char*>(sz.data());
        const auto* end = p + sz.size();
        std::uint64_t total = 0;
        while (p != end) {
            std::uint64_t v = 0;
            if (!read_varint(p, end, v)) {
                return;
            }
            total += v;
        }
        if (total > INT32_MAX) {
            return;
        }
        if (static_cast<std::size_t>(id) >= l.of.size()) {
            l.of.resize(static_cast<std::size_t>(id) + 1, -1);
        }
        l.of[static_cast<std::size_t>(id)] = static_cast<std::int32_t>(total);
    }
    l.state = Lengths::State::checking;
}

// The tokens of the row, as FTS5's xColumnSize(-1) says, from the lengths
// read at once when enough rows match to pay for reading them all.
int row_length(Gathered& g, const Fts5ExtensionApi* api, Fts5Context* fts, double& length) {
    Lengths& l = g.lengths;
    if (l.state == Lengths::State::unread &&
        static_cast<sqlite3_int64>(g.docs.size()) > g.table_rows / 32 + 64) {
        read_lengths(g);
    }
    sqlite3_int64 id = api->xRowid(fts);
    bool known = (l.state == Lengths::State::trusted || l.state == Lengths::State::checking) &&
                 id >= 0 && static_cast<std::size_t>(id) < l.of.size() &&
                 l.of[static_cast<std::size_t>(id)] >= 0;
    if (known && l.state == Lengths::State::trusted) {
        length = l.of[static_cast<std::size_t>(id)];
        return SQLITE_OK;
    }
    int tokens = 0;
    int rc = api->xColumnSize(fts, -1, &tokens);
    if (known && rc == SQLITE_OK) {
        // The table's layout is FTS5's own, not a promise: a few rows must
        // agree before the rest are taken from it.
        if (l.of[static_cast<std::size_t>(id)] != tokens) {
            l.state = Lengths::State::unusable;
            l.of = {};
        } else if (--l.checks_left == 0) {
            l.state = Lengths::State::trusted;
        }
    }
    length = tokens;
    return rc;
}

int gather(Gathered& g, const Fts5ExtensionApi* api, Fts5Context* fts) {
    int rc = g.started ? SQLITE_OK : start(g, api, fts);
    int inst = 0;
    if (rc == SQLITE_OK) {
        rc = api->xInstCount(fts, &inst);
    }
    std::size_t base = g.freq.size();
    g.freq.resize(base + static_cast<std::size_t>(g.phrases), 0.0);
    for (int i = 0; rc == SQLITE_OK && i < inst; ++i) {
        int phrase = 0, column = 0, offset = 0;
        rc = api->xInst(fts, i, &phrase, &column, &offset);
        if (rc == SQLITE_OK) {
            std::size_t c = static_cast<std::size_t>(column);
            g.freq[base + static_cast<std::size_t>(phrase)] +=
                c < g.weights.size() ? g.weights[c] : 1.0;
        }
    }
    double length = 0;
    if (rc == SQLITE_OK) {
        rc = row_length(g, api, fts, length);
    }
    g.docs.push_back({api->xRowid(fts), 0});
    g.length.push_back(length);
    return rc;
}

void gather_row(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* ctx, int argc,
                sqlite3_value** argv) {
    auto* g = static_cast<Gathered*>(argc == 1 ? sqlite3_value_pointer(argv[0], k_pointer_type)
                                               : nullptr);
    if (!g) {
        sqlite3_result_error(ctx, "mailbox_rank_rows: no place to gather rows", -1);
        return;
    }
    int rc = SQLITE_ERROR;
    try {
        rc = gather(*g, api, fts);
    } catch (...) {
        g->failure = std::current_exception();
    }
    if (rc != SQLITE_OK) {
        sqlite3_result_error_code(ctx, rc);
    } else {
        sqlite3_result_null(ctx);
    }
}

// bm25 of each gathered row, as fts5_aux.c writes it.
void score(Gathered& g) {
    const double k1 = 1.2;
    const double b = 0.75;
    if (g.phrases == 1) {
        g.idf[0] = idf_of(g.table_rows, static_cast<sqlite3_int64>(g.docs.size()));
    }
    std::size_t phrases = static_cast<std::size_t>(g.phrases);
    for (std::size_t r = 0; r < g.docs.size(); ++r) {
        double score = 0.0;
        double D = g.length[r];
        for (std::size_t i = 0; i < phrases; ++i) {
            double f = g.freq[r * phrases + i];
            score += g.idf[i] * ((f * (k1 + 1.0)) / (f + k1 * (1 - b + b * D / g.avgdl)));
        }
        g.docs[r].rank = -1.0 * score;
    }
}

} // namespace

void register_ranking(Database& db) {
    fts5_api* api = nullptr;
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db.handle(), "SELECT fts5(?1)", -1, &s, nullptr) == SQLITE_OK) {
        sqlite3_bind_pointer(s, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
        sqlite3_step(s);
    }
    sqlite3_finalize(s);
    if (!api || api->iVersion < 2 ||
        api->xCreateFunction(api, k_function, nullptr, gather_row, nullptr) != SQLITE_OK) {
        throw SystemError(_("SQLite has no full-text search (FTS5) to rank with"));
    }
}

std::vector<RankedDoc> ranked_docs(Database& db, std::string_view table, std::string_view match,
                                   std::span<const double> weights) {
    Gathered g;
    g.weights = weights;
    g.db = &db;
    g.docsize = fmt::format("SELECT id, sz FROM \"{}_docsize\"", table);
    Statement s = db.prepare(fmt::format("SELECT {}(\"{}\", ?2) FROM \"{}\" WHERE \"{}\" MATCH ?1",
                                         k_function, table, table, table));
    s.bind(1, match).bind_pointer(2, &g, k_pointer_type);
    try {
        while (s.step()) {
        }
    } catch (...) {
        if (g.failure) {
            std::rethrow_exception(g.failure);
        }
        throw;
    }
    score(g);
    return std::move(g.docs);
}

} // namespace mailbox
