#include "store/cache/learned.hpp"

#include "model/case_id.hpp"
#include "store/cache/case_row.hpp"
#include "store/cache/folder_refresh.hpp"
#include "store/cache/row_writer.hpp"
#include "store/casefile.hpp"
#include "util/atomic_file.hpp"
#include "util/parallel.hpp"

#include <algorithm>
#include <functional>
#include <optional>
#include <span>
#include <thread>

namespace mailbox {

std::int64_t taught_text_hash(std::string_view subject, std::string_view body) {
    // The NUL between keeps "ab" + "c" apart from "a" + "bc".
    return static_cast<std::int64_t>(fnv1a(body, fnv1a(std::string_view("", 1), fnv1a(subject))));
}

namespace {

constexpr const char* k_category_model = "category";
constexpr const char* k_unit_model = "unit";

struct Row {
    std::string path, id;
    std::int64_t ino, size, mtime, ctime;
};

// What a case teaches: its labels (empty when it has none) and its text.
struct Lesson {
    std::string category, unit;
    std::int64_t hash = 0;
    Features features;
    bool decided() const { return !category.empty() || !unit.empty(); }
};

// The lesson of a case file, if it still is as its row says; the features
// of an undecided case only when `all` (they may be what it taught before).
std::optional<Lesson> lesson_of(const Mailbox& m, const Row& r, bool all) {
    try {
        std::string text = read_file(m.absolute(r.path));
        if (file_stamp(m.absolute(r.path)) != row_stamp(r.ino, r.size, r.mtime, r.ctime)) {
            return std::nullopt; // changed since: its row is read again first
        }
        Case c = parse_case(text, r.path, r.id);
        Lesson l{c.category.value_or(""),
                 c.handler.value_or(""),
                 taught_text_hash(c.subject, c.body),
                 {}};
        if (all || l.decided()) {
            l.features = features_of(c.subject, c.body);
        }
        return l;
    } catch (const Error&) {
        return std::nullopt;
    }
}

std::vector<Row> rows(Database& db, std::string_view sql) {
    std::vector<Row> out;
    Statement s = db.prepare(sql);
    while (s.step()) {
        out.push_back(
            {s.text(0), s.text(1), s.integer(2), s.integer(3), s.integer(4), s.integer(5)});
    }
    return out;
}

// Reads the lessons of `todo` on every core, k_files_at_once at a time, and
// hands each batch (in order) to `take`.
using Lessons = std::vector<std::optional<Lesson>>;
void read_lessons(const Mailbox& m, const std::vector<Row>& todo, bool all,
                  const std::function<void(std::span<const Row>, Lessons&)>& take) {
    for (std::size_t start = 0; start < todo.size(); start += k_files_at_once) {
        std::size_t end = std::min(todo.size(), start + k_files_at_once);
        Lessons read(end - start);
        for_each_in_parallel(end - start,
                             [&](std::size_t k) { read[k] = lesson_of(m, todo[start + k], all); });
        take(std::span(todo).subspan(start, end - start), read);
    }
}

// Teaches a batch of lessons: the two classifiers learn apart, one on a
// thread of its own, as learning every case anew is mostly their lookups.
void teach_all(Classifier& categories, Classifier& units, const Lessons& lessons) {
    auto learn = [&](Classifier& c, std::string Lesson::*label) {
        for (const std::optional<Lesson>& l : lessons) {
            if (l && !((*l).*label).empty()) {
                c.learn(l->features, (*l).*label);
            }
        }
    };
    std::thread unit_thread([&] { learn(units, &Lesson::unit); });
    learn(categories, &Lesson::category);
    unit_thread.join();
}

void teach(Classifier& categories, Classifier& units, const Lesson& l, int sign) {
    if (!l.category.empty()) {
        categories.learn(l.features, l.category, sign);
    }
    if (!l.unit.empty()) {
        units.learn(l.features, l.unit, sign);
    }
}

// The case at `path` teaches `l` now: what it taught before forgotten, on
// the same features, and `l` learned. False when that cannot be: its text
// changed, and the features it was learned on are lost with it.
bool relearn(Database& db, Classifier& categories, Classifier& units, const std::string& path,
             Lesson& l) {
    Database::Reused taught = db.reuse("SELECT category, unit, hash FROM taught WHERE path = ?");
    std::optional<Lesson> old;
    if (taught->bind(1, path).step()) {
        old = Lesson{taught->text(0), taught->text(1), taught->integer(2), {}};
        if (old->hash != l.hash) {
            return false;
        }
    } else if (l.decided()) {
        // A case gone whose text this one has: renumbered, or a copy.
        Database::Reused moved = db.reuse(
            "SELECT path, category, unit FROM taught INDEXED BY taught_gone WHERE gone AND "
            "hash = ? LIMIT 1");
        if (moved->bind(1, l.hash).step()) {
            old = Lesson{moved->text(1), moved->text(2), l.hash, {}};
            db.reuse("DELETE FROM taught WHERE path = ?")->bind(1, moved->text(0)).step();
        }
    }
    if (!old || old->category != l.category || old->unit != l.unit) {
        if (old) {
            old->features = std::move(l.features);
            teach(categories, units, *old, -1);
            l.features = std::move(old->features);
        }
        teach(categories, units, l, +1);
    }
    if (l.decided()) {
        db.reuse("INSERT OR REPLACE INTO taught(path, category, unit, hash, gone) "
                 "VALUES (?, ?, ?, ?, 0)")
            ->bind(1, path)
            .bind(2, l.category)
            .bind(3, l.unit)
            .bind(4, l.hash)
            .step();
    } else if (old) {
        db.reuse("DELETE FROM taught WHERE path = ?")->bind(1, path).step();
    }
    db.reuse("UPDATE cases SET learned = 1 WHERE path = ?")->bind(1, path).step();
    return true;
}

} // namespace

LearnedSuggestions::LearnedSuggestions(const Mailbox& mailbox) : m_mailbox(mailbox) {
    open_updated(m_db, mailbox, [this] { update(); });
}

LearnedSuggestions::~LearnedSuggestions() = default;

std::size_t LearnedSuggestions::cases() const {
    Statement s = m_db->prepare("SELECT count(*) FROM taught");
    return s.step() ? static_cast<std::size_t>(s.integer(0)) : 0;
}

bool LearnedSuggestions::load() {
    Statement s = m_db->prepare("SELECT bytes FROM models WHERE name = ?");
    std::optional<Classifier> categories, units;
    if (s.bind(1, k_category_model).step()) {
        categories = Classifier::from_bytes(s.blob(0));
    }
    s.reset();
    if (s.bind(1, k_unit_model).step()) {
        units = Classifier::from_bytes(s.blob(0));
    }
    if (!categories || !units) {
        return false;
    }
    m_categories = std::move(*categories);
    m_units = std::move(*units);
    return true;
}

void LearnedSuggestions::update() {
    Database::Transaction t(*m_db);
    if (!load()) {
        learn_all();
        save();
        t.commit();
        return;
    }
    // The few rows not yet learned, through their index (as search_index.cpp).
    std::vector<Row> todo = rows(*m_db, "SELECT path, id, ino, size, mtime, ctime FROM cases "
                                        "INDEXED BY cases_unlearned "
                                        "WHERE learned = 0 AND received IS NOT NULL");
    bool anew = false;
    if (!todo.empty()) {
        read_lessons(m_mailbox, todo, true, [&](std::span<const Row> rows, Lessons& read) {
            for (std::size_t k = 0; k < rows.size() && !anew; ++k) {
                if (read[k]) {
                    anew = !relearn(*m_db, m_categories, m_units, rows[k].path, *read[k]);
                    m_relearned += anew ? 0 : 1;
                }
            }
        });
    }
    // A case gone that no case of the same text took the place of (a
    // renumbered case does): what it taught is lost with its text.
    Statement gone = m_db->prepare("SELECT 1 FROM taught INDEXED BY taught_gone WHERE gone");
    if (anew || gone.step()) {
        m_relearned = 0;
        learn_all();
    } else if (m_relearned == 0) {
        return;
    }
    save();
    t.commit();
}

// Every decided case learned again, from its file.
void LearnedSuggestions::learn_all() {
    m_anew = true;
    m_categories = Classifier();
    m_units = Classifier();
    // A row learned that taught nothing is a case undecided (row_writer.cpp):
    // not read.
    std::vector<Row> todo = rows(
        *m_db, "SELECT path, id, ino, size, mtime, ctime FROM cases "
               "WHERE received IS NOT NULL AND (learned = 0 OR path IN (SELECT path FROM taught))");
    m_db->exec("DELETE FROM taught");
    Statement put =
        m_db->prepare("INSERT INTO taught(path, category, unit, hash) VALUES (?, ?, ?, ?)");
    Statement learned = m_db->prepare("UPDATE cases SET learned = 1 WHERE path = ?");
    read_lessons(m_mailbox, todo, false, [&](std::span<const Row> rows, Lessons& read) {
        teach_all(m_categories, m_units, read);
        for (std::size_t k = 0; k < rows.size(); ++k) {
            const std::optional<Lesson>& l = read[k];
            if (!l) {
                continue; // changed since its row: its row is written again, not learned
            }
            if (l->decided()) {
                put.bind(1, rows[k].path)
                    .bind(2, l->category)
                    .bind(3, l->unit)
                    .bind(4, l->hash)
                    .step();
                put.reset();
            }
            learned.bind(1, rows[k].path).step();
            learned.reset();
            ++m_relearned;
        }
    });
}

void LearnedSuggestions::save() {
    Statement put = m_db->prepare("INSERT OR REPLACE INTO models(name, bytes) VALUES (?, ?)");
    put.bind(1, k_category_model).bind_blob(2, m_categories.to_bytes()).step();
    put.reset();
    put.bind(1, k_unit_model).bind_blob(2, m_units.to_bytes()).step();
}

} // namespace mailbox
