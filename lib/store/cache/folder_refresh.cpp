#include "store/cache/folder_refresh.hpp"

#include "store/cache/row_writer.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace mailbox {

namespace {

// The year folders whose rows cannot be trusted: changed since listed (or
// within a second or two of it, the racy rule again), never listed, or
// holding a file that did not parse (once mended in place, its folder may
// keep its time).
std::vector<std::pair<std::string, std::int64_t>> changed_folders(Database& db,
                                                                  const Mailbox& mailbox) {
    struct Known {
        std::int64_t mtime, written;
        bool own;
    };
    std::map<std::string, Known> known;
    Statement s = db.prepare("SELECT folder, mtime, written, own FROM folders");
    while (s.step()) {
        known[s.text(0)] = {s.integer(1), s.integer(2), s.integer(3) != 0};
    }
    std::set<std::string> broken;
    Statement b = db.prepare(
        "SELECT DISTINCT folder FROM cases INDEXED BY cases_unparsed WHERE received IS NULL");
    while (b.step()) {
        broken.insert(b.text(0));
    }
    std::vector<std::pair<std::string, std::int64_t>> changed;
    for (const std::string& year : mailbox.case_years()) {
        std::int64_t t = folder_time(mailbox.root() / "cases" / year);
        auto k = known.find(year);
        // A time a command set after its own write needs no racy rule:
        // what changed at that time is what it wrote.
        bool fresh = k != known.end() && t != 0 && k->second.mtime == t &&
                     (k->second.own || settled(t, k->second.written)) && !broken.count(year);
        if (!fresh) {
            changed.emplace_back(year, t);
        }
    }
    return changed;
}

} // namespace

void note_own_write(Database& db, const Mailbox& mailbox, const std::string& year) {
    std::int64_t since = db.now_ms();
    Statement put = db.prepare(
        "INSERT OR REPLACE INTO folders(folder, mtime, written, own) VALUES (?, ?, ?, 1)");
    put.bind(1, year).bind(2, folder_time(mailbox.root() / "cases" / year)).bind(3, since).step();
}

std::size_t refresh_changed_folders(Database& db, const Mailbox& mailbox) {
    Database::Transaction t(db);
    std::int64_t since = db.now_ms(); // before any folder is listed or file read
    std::vector<std::pair<std::string, std::int64_t>> changed = changed_folders(db, mailbox);
    std::vector<std::string> years = mailbox.case_years();
    std::vector<std::string> gone;
    // Every folder with rows has a row of its own (load_case_index and this
    // function record each folder they list): the few rows of folders, not
    // the 100,000 of cases, say which are gone.
    Statement folders = db.prepare("SELECT folder FROM folders");
    while (folders.step()) {
        if (!std::binary_search(years.begin(), years.end(), folders.text(0))) {
            changed.emplace_back(folders.text(0), 0); // a whole year folder removed
        }
    }
    if (changed.empty()) {
        return 0;
    }
    std::vector<CaseFile> todo;
    // A folder's rows are the paths from "cases/2026/" up to "cases/20260",
    // '0' being the byte after '/'.
    Statement rows = db.prepare("SELECT path, ino, size, mtime, ctime FROM cases INDEXED BY "
                                "cases_stamps WHERE path > ?1 AND path < ?2");
    for (const auto& [year, time] : changed) {
        std::set<std::string> held;
        for (rows.bind(1, "cases/" + year + "/").bind(2, "cases/" + year + "0"); rows.step();) {
            std::string path = rows.text(0);
            FileStamp now = stamp_now(mailbox.absolute(path));
            if (!now.ino) {
                gone.push_back(path);
            } else if (now != FileStamp{rows.integer(1), rows.integer(2), rows.integer(3),
                                        rows.integer(4)}) {
                std::string id = std::filesystem::path(path).stem().string();
                todo.push_back({path, std::move(id)});
            }
            held.insert(std::move(path));
        }
        rows.reset();
        if (time == 0) {
            continue;
        }
        for (std::string& id : mailbox.case_ids_in(year)) {
            std::string path = "cases/" + year + "/" + id + ".toml"; // as case_files() names it
            if (!held.count(path)) {
                todo.push_back({std::move(path), std::move(id)});
            }
        }
    }
    RowWriter writer(db, since);
    for (const std::string& path : gone) {
        writer.drop(path);
    }
    writer.put_files(mailbox, todo);
    writer.finish();
    Statement forget = db.prepare("DELETE FROM folders WHERE folder = ?");
    for (const auto& [year, time] : changed) {
        forget.bind(1, year).step();
        forget.reset();
    }
    std::erase_if(changed, [](const auto& folder) { return folder.second == 0; });
    put_folders(db, changed, since);
    t.commit();
    return changed.size();
}

void open_updated(std::unique_ptr<Database>& db, const Mailbox& mailbox,
                  const std::function<void()>& update) {
    bool fresh = false;
    db = open_refreshed(mailbox, &fresh);
    try {
        update();
    } catch (const CacheDamaged&) {
        db.reset();
        Database::remove(mailbox.root());
        db = open_refreshed(mailbox, &fresh);
        update();
    }
}

std::unique_ptr<Database> open_refreshed(const Mailbox& mailbox, bool* fresh, std::size_t* listed) {
    std::unique_ptr<Database> db;
    for (int attempt = 0;; ++attempt) {
        try {
            db = attempt < 2 ? std::make_unique<Database>(mailbox.root())
                             : std::make_unique<Database>(Database::InMemory{});
            std::size_t n = refresh_changed_folders(*db, mailbox);
            db->publish();
            if (listed) {
                *listed = n;
            }
            *fresh = true;
            return db;
        } catch (const CacheDamaged&) {
            db.reset();
            if (attempt == 0) {
                Database::remove(mailbox.root()); // damage found once a page was read
            } else if (attempt == 2) {
                throw;
            }
        } catch (const Error&) {
            if (!db) {
                db = std::make_unique<Database>(Database::InMemory{});
            }
            *fresh = false;
            return db;
        }
    }
}

} // namespace mailbox
