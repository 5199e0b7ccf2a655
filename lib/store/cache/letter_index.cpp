#include "store/cache/letter_index.hpp"

#include "store/cache/case_row.hpp"
#include "store/cache/folder_refresh.hpp"
#include "store/cache/row_writer.hpp"
#include "util/parallel.hpp"
#include "util/text.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <set>

namespace mailbox {

namespace {

bool shares_key(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    return std::any_of(a.begin(), a.end(), [&](const std::string& k) {
        return std::find(b.begin(), b.end(), k) != b.end();
    });
}

} // namespace

std::string_view PackedLetters::id(std::size_t i) const {
    return std::string_view(m_text).substr(m_rows[i].text_at, m_rows[i].id_size);
}

std::span<const std::uint32_t> PackedLetters::bigrams(std::size_t i) const {
    return {m_rows[i].bigrams_at, m_rows[i].bigrams};
}

std::vector<std::string_view> PackedLetters::sender_keys(std::size_t i) const {
    std::string_view keys =
        std::string_view(m_text).substr(m_rows[i].text_at + m_rows[i].id_size, m_rows[i].keys_size);
    return lines_of(keys);
}

void PackedLetters::clear() {
    m_rows.clear();
    m_blocks.clear();
    m_free = 0;
    m_text.clear();
}

std::uint32_t* PackedLetters::room_for(std::size_t bigrams) {
    constexpr std::size_t k_block = std::size_t{1} << 18; // 1 MiB
    if (m_blocks.empty() || bigrams > m_free) {           // a letter may have none
        m_free = std::max(k_block, bigrams);
        m_blocks.push_back({std::make_unique_for_overwrite<std::uint32_t[]>(m_free), m_free});
    }
    auto& [block, size] = m_blocks.back();
    std::uint32_t* at = block.get() + (size - m_free);
    m_free -= bigrams;
    return at;
}

void PackedLetters::push(std::string_view id, std::int64_t received, std::string_view keys,
                         std::string_view bigrams) {
    Row r;
    r.received = received;
    r.bigrams = static_cast<std::uint32_t>(bigrams.size() / 4);
    std::uint32_t* at = room_for(r.bigrams);
    r.bigrams_at = at;
    r.text_at = m_text.size();
    r.id_size = static_cast<std::uint32_t>(id.size());
    r.keys_size = static_cast<std::uint32_t>(keys.size());
    m_text.append(id).append(keys);
    decode_bigrams(bigrams, std::span(at, r.bigrams));
    m_rows.push_back(r);
}

void PackedLetters::push(const IndexedLetter& letter) {
    std::string keys;
    for (const std::string& k : letter.sender_keys) {
        if (!keys.empty()) {
            keys += '\n';
        }
        keys += k;
    }
    push(letter.id, epoch_seconds(letter.received), keys, encode_bigrams(letter.bigrams));
}

LetterIndex::LetterIndex(const Mailbox& mailbox)
    : m_mailbox(mailbox), m_db(open_refreshed(mailbox, &m_fresh, &m_listed)) {}

LetterIndex::~LetterIndex() = default;

bool LetterIndex::use_memory() const {
    if (m_in_memory) {
        return false;
    }
    m_db = std::make_unique<Database>(Database::InMemory{});
    m_in_memory = true;
    refresh_changed_folders(*m_db, m_mailbox);
    return true;
}

std::optional<std::string> LetterIndex::find_letter(const std::string& message_id,
                                                    const std::string& content_hash) const {
    return guarded([&] {
        // The lowest id when several hold it, as a scan in id order would find.
        for (auto [column, key] :
             {std::pair{"message_id", &message_id}, {"content_hash", &content_hash}}) {
            if (key->empty()) {
                continue;
            }
            std::optional<std::string> found;
            auto held = m_unwritten_keys.find((key == &message_id ? "m" : "h") + *key);
            if (held != m_unwritten_keys.end() && !held->second.empty()) {
                found = *held->second.begin();
            }
            Database::Reused s = m_db->reuse(fmt::format(
                "SELECT min(id) FROM cases WHERE {} = ? AND received IS NOT NULL", column));
            if (s->bind(1, *key).step() && !s->is_null(0) && (!found || s->text(0) < *found)) {
                found = s->text(0);
            }
            if (found) {
                return found;
            }
        }
        return std::optional<std::string>();
    });
}

std::vector<std::string> LetterIndex::sender_case_ids(const Sender& sender) const {
    return guarded([&] {
        std::vector<std::string> keys = sender_keys(sender);
        std::vector<std::string> ids;
        Statement s = m_db->prepare("SELECT cases.id FROM senders JOIN cases USING (path) "
                                    "WHERE senders.key = ?");
        for (const std::string& key : keys) {
            for (s.bind(1, key); s.step();) {
                ids.push_back(s.text(0));
            }
            s.reset();
        }
        for (const Unwritten& u : m_unwritten) {
            if (shares_key(u.letter.sender_keys, keys)) {
                ids.push_back(u.letter.id);
            }
        }
        std::sort(ids.begin(), ids.end());
        ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
        return ids;
    });
}

std::vector<std::string> LetterIndex::other_letters(const CaseSummary& c) const {
    std::vector<std::string> ids = sender_case_ids(c.sender);
    std::erase(ids, c.id);
    return ids;
}

// Joined as list joins them (read_groups: every link, whichever case names
// it), so that a link one case names and the other does not puts both in
// one group here too. A member whose row is stale gives the links its file
// names, and the group is joined again until every member is as its file is.
std::vector<std::string> LetterIndex::group_of(const Case& c,
                                               const std::vector<Case>& known) const {
    return guarded([&] {
        std::map<std::string, std::vector<std::string>> read{{c.id, c.group}}; // not from rows
        for (const Case& k : known) {
            read.emplace(k.id, k.group);
        }
        for (;;) {
            std::set<std::string> read_paths;
            for (const auto& [id, links] : read) {
                read_paths.insert(m_mailbox.case_path(id));
            }
            Groups groups = read_groups(
                *m_db, [&](const std::string& path) { return !read_paths.count(path); });
            for (const auto& [id, links] : read) {
                groups.link(id, links);
            }
            std::vector<std::string> members = groups.others(c.id);
            bool stale = false;
            for (const std::string& m : members) {
                if (read.count(m) || trusted_links(m)) {
                    continue;
                }
                try {
                    read[m] = m_mailbox.load(m).group;
                } catch (const Error&) {
                    read[m] = {}; // gone or broken: check says which
                }
                stale = true;
            }
            if (!stale) {
                return members;
            }
        }
    });
}

std::vector<Case> LetterIndex::load_group(const std::string& id) const {
    std::vector<Case> cases{m_mailbox.load(id)};
    for (const std::string& other : group_of(cases.front())) {
        cases.push_back(m_mailbox.load(other));
    }
    return cases;
}

std::optional<std::vector<std::string>> LetterIndex::trusted_links(const std::string& id) const {
    return guarded([&]() -> std::optional<std::vector<std::string>> {
        std::string path = m_mailbox.case_path(id);
        Database::Reused reused = m_db->reuse(
            "SELECT ino, size, mtime, ctime, written, grouped, links FROM cases WHERE path = ?");
        Statement& s = *reused;
        s.bind(1, path);
        if (!s.step()) {
            return std::nullopt;
        }
        StoredRow row{
            path, {s.integer(0), s.integer(1), s.integer(2), s.integer(3)}, s.integer(4), {}, 0,
            true};
        if (!trusted(row, stamp_now(m_mailbox.absolute(path)))) {
            return std::nullopt;
        }
        std::vector<std::string> links;
        if (s.integer(5)) {
            for (std::string_view link : lines_of(s.blob(6))) {
                links.emplace_back(link);
            }
        }
        return links;
    });
}

Groups LetterIndex::groups() const {
    return guarded([&] { return read_groups(*m_db, [](const std::string&) { return true; }); });
}

std::unordered_map<std::string, int> LetterIndex::other_letter_counts() const {
    return guarded([&] {
        std::unordered_map<std::string, int> counts;
        for (auto& [path, others] : count_other_letters(*m_db)) {
            // cases/YYYY/ID.toml, as case_files() names it
            std::size_t slash = path.rfind('/') + 1;
            counts.emplace(path.substr(slash, path.rfind('.') - slash), others);
        }
        return counts;
    });
}

namespace {

void bind_all(Statement& s, const std::vector<std::int64_t>& numbers, const std::string& text) {
    int at = 1;
    for (std::int64_t n : numbers) {
        s.bind(at++, n);
    }
    if (!text.empty()) {
        s.bind(at, text);
    }
}

} // namespace

// The bigrams of a letter older than the newest case's window are made from
// its case file when a window holding it is first read, and kept: a cold
// read of the whole mailbox makes only the newest window's.
void LetterIndex::make_bigrams(std::string_view condition, const std::vector<std::int64_t>& numbers,
                               const std::string& text) const {
    std::vector<CaseFile> todo;
    Statement s = m_db->prepare(
        fmt::format("SELECT path, id FROM letters WHERE ({}) AND bigrams IS NULL", condition));
    bind_all(s, numbers, text);
    while (s.step()) {
        todo.push_back({s.text(0), s.text(1)});
    }
    if (todo.empty()) {
        return;
    }
    std::vector<std::string> made(todo.size());
    for_each_in_parallel(todo.size(), [&](std::size_t i) {
        made[i] = encode_bigrams(letter_bigrams_of(m_mailbox, todo[i]));
    });
    Database::Transaction t(*m_db);
    Statement put = m_db->prepare("UPDATE letters SET bigrams = ? WHERE path = ?");
    for (std::size_t i = 0; i < todo.size(); ++i) {
        put.bind_blob(1, made[i]).bind(2, todo[i].path).step();
        put.reset();
    }
    t.commit();
}

// The letters of the rows meeting `condition`, whose ?s take `numbers` then
// `text`, oldest first.
std::vector<IndexedLetter> LetterIndex::letters_where(std::string_view condition,
                                                      const std::vector<std::int64_t>& numbers,
                                                      const std::string& text) const {
    return guarded([&] {
        make_bigrams(condition, numbers, text);
        std::vector<IndexedLetter> out;
        Database::Reused reused = m_db->reuse(fmt::format("SELECT id, received, offset, bigrams, "
                                                          "senders FROM letters WHERE {} ORDER "
                                                          "BY received, id",
                                                          condition));
        Statement& s = *reused;
        bind_all(s, numbers, text);
        while (s.step()) {
            IndexedLetter r{s.text(0),
                            from_epoch_seconds(s.integer(1), std::chrono::minutes{s.integer(2)}),
                            {},
                            decode_bigrams(s.blob(3))};
            for (std::string_view key : lines_of(s.blob(4))) {
                r.sender_keys.emplace_back(key);
            }
            out.push_back(std::move(r));
        }
        return out;
    });
}

std::vector<IndexedLetter> LetterIndex::received_between(const Timestamp& from,
                                                         const Timestamp& to) const {
    std::vector<IndexedLetter> out =
        letters_where("received BETWEEN ? AND ?", {epoch_seconds(from), epoch_seconds(to)});
    for (const Unwritten& u : m_unwritten) {
        if (!(u.letter.received < from) && !(to < u.letter.received)) {
            std::erase_if(out, [&](const IndexedLetter& r) { return r.id == u.letter.id; });
            out.push_back(u.letter);
        }
    }
    std::stable_sort(out.begin(), out.end(), [](const IndexedLetter& a, const IndexedLetter& b) {
        return a.received < b.received;
    });
    return out;
}

void LetterIndex::received_between(const Timestamp& from, const Timestamp& to,
                                   PackedLetters& out) const {
    if (!m_unwritten.empty()) { // a dry run's batch: where they go is the slow path's to say
        out.clear();
        for (const IndexedLetter& r : received_between(from, to)) {
            out.push(r);
        }
        return;
    }
    // One pass over the window's pages, not a first one looking for letters
    // without bigrams: SQLite's page cache holds a tenth of a window, so a
    // second pass read it all again. Only a window never read before has
    // letters to make; it is read again once they are.
    guarded([&] {
        std::vector<std::int64_t> range{epoch_seconds(from), epoch_seconds(to)};
        auto read = [&](bool stop_at_unmade) {
            out.clear();
            Database::Reused reused =
                m_db->reuse("SELECT id, received, bigrams, senders FROM letters WHERE received "
                            "BETWEEN ? AND ? ORDER BY received, id");
            Statement& s = *reused;
            bind_all(s, range, {});
            while (s.step()) {
                if (stop_at_unmade && s.is_null(2)) {
                    return false;
                }
                out.push(s.blob(0), s.integer(1), s.blob(3), s.blob(2));
            }
            return true;
        };
        if (!read(true)) {
            make_bigrams("received BETWEEN ? AND ?", range, {});
            read(false);
        }
    });
}

std::vector<IndexedLetter> LetterIndex::sender_letters(const std::vector<std::string>& keys,
                                                       const Timestamp& from,
                                                       const Timestamp& to) const {
    std::map<std::string, IndexedLetter> found; // by id: a sender known by two keys
    for (const std::string& key : keys) {
        // `+received`: SQLite would rather walk the letters of two years in
        // time order than the sender's few through their paths.
        for (IndexedLetter& r : letters_where(
                 "+received BETWEEN ? AND ? AND path IN (SELECT path FROM senders WHERE key = ?)",
                 {epoch_seconds(from), epoch_seconds(to)}, key)) {
            found.emplace(r.id, std::move(r));
        }
    }
    for (const Unwritten& u : m_unwritten) {
        if (shares_key(u.letter.sender_keys, keys) && !(u.letter.received < from) &&
            !(to < u.letter.received)) {
            found.insert_or_assign(u.letter.id, u.letter);
        }
    }
    std::vector<IndexedLetter> out;
    for (auto& [id, letter] : found) {
        out.push_back(std::move(letter));
    }
    std::stable_sort(out.begin(), out.end(), [](const IndexedLetter& a, const IndexedLetter& b) {
        return a.received < b.received;
    });
    return out;
}

std::optional<IndexedLetter> LetterIndex::find(const std::string& id) const {
    if (auto at = m_unwritten_at.find(id); at != m_unwritten_at.end()) {
        return m_unwritten[at->second].letter;
    }
    std::vector<IndexedLetter> found = letters_where("id = ?", {}, id);
    return found.empty() ? std::nullopt : std::optional(std::move(found.front()));
}

void LetterIndex::add_written(const Case& c) {
    try {
        index_written_cases(*m_db, m_mailbox, {c});
        if (m_fresh) {
            note_own_write(*m_db, m_mailbox, case_folder(m_mailbox.case_path(c.id)));
        }
    } catch (const Error&) {
        add_unwritten(c); // busy or read-only: the next command reads the file
    }
}

void LetterIndex::add_unwritten(const Case& c, std::optional<Bigrams> bigrams) {
    if (!bigrams) {
        bigrams = letter_bigrams(c.subject, c.body);
    }
    Unwritten u{{c.id, c.received, sender_keys(c.sender), std::move(*bigrams)},
                c.message_id.value_or(""),
                c.content_hash.value_or("")};
    auto [at, added] = m_unwritten_at.try_emplace(c.id, m_unwritten.size());
    if (added) {
        m_unwritten.push_back(std::move(u));
    } else {
        Unwritten& old = m_unwritten[at->second];
        unwritten_key("m" + old.message_id, c.id, false);
        unwritten_key("h" + old.content_hash, c.id, false);
        old = std::move(u);
    }
    const Unwritten& now = m_unwritten[at->second];
    unwritten_key("m" + now.message_id, c.id, true);
    unwritten_key("h" + now.content_hash, c.id, true);
}

void LetterIndex::unwritten_key(const std::string& key, const std::string& id, bool add) {
    if (key.size() == 1) {
        return; // none
    }
    if (add) {
        m_unwritten_keys[key].insert(id);
    } else if (auto held = m_unwritten_keys.find(key); held != m_unwritten_keys.end()) {
        held->second.erase(id);
        if (held->second.empty()) {
            m_unwritten_keys.erase(held); // an import's would pile up
        }
    }
}

void LetterIndex::save(const std::vector<Case>& cases) {
    m_mailbox.save_all(cases);
    index_written(cases);
}

void LetterIndex::index_written(const std::vector<Case>& cases, const LetterBigrams* known) {
    try {
        index_written_cases(*m_db, m_mailbox, cases, known);
        std::set<std::string> folders;
        for (const Case& c : cases) {
            folders.insert(case_folder(m_mailbox.case_path(c.id)));
        }
        for (const std::string& folder : m_fresh ? folders : std::set<std::string>{}) {
            note_own_write(*m_db, m_mailbox, folder);
        }
    } catch (const Error&) {
        for (const Case& c : cases) {
            add_written(c); // one by one, else kept for this run
        }
    }
}

void LetterIndex::index_new(std::vector<Case> fresh, std::vector<Case> changed) {
    // The last version of each: a new case in `changed` was joined later.
    std::set<std::string> later;
    for (const Case& c : changed) {
        later.insert(c.id);
    }
    std::vector<Case> written = std::move(changed);
    for (Case& c : fresh) {
        if (!later.count(c.id)) {
            written.push_back(std::move(c));
        }
    }
    LetterBigrams known = forget_unwritten(written);
    index_written(written, &known);
}

// Written now, so in rows: kept apart, they would take the slow path of
// received_between.
LetterBigrams LetterIndex::forget_unwritten(const std::vector<Case>& written) {
    LetterBigrams known;
    if (m_unwritten.empty()) {
        return known;
    }
    std::set<std::string> ids;
    for (const Case& c : written) {
        ids.insert(c.id);
    }
    std::vector<Unwritten> kept;
    m_unwritten_at.clear();
    for (Unwritten& u : m_unwritten) {
        if (ids.count(u.letter.id)) {
            unwritten_key("m" + u.message_id, u.letter.id, false);
            unwritten_key("h" + u.content_hash, u.letter.id, false);
            known.emplace(u.letter.id, std::move(u.letter.bigrams));
        } else {
            m_unwritten_at[u.letter.id] = kept.size();
            kept.push_back(std::move(u));
        }
    }
    m_unwritten = std::move(kept);
    return known;
}

std::vector<SenderCase> sender_cases(const Mailbox& mailbox, const LetterIndex& letters,
                                     const CaseSummary& c) {
    std::vector<SenderCase> out;
    for (const std::string& id : letters.other_letters(c)) {
        try {
            Case other = mailbox.load(id);
            if (same_sender(other.sender, c.sender)) {
                out.push_back({other.id, other.received, other.subject, other.status});
            }
        } catch (const Error&) {
            // Gone or broken: check reports it; show carries on.
        }
    }
    std::sort(out.begin(), out.end(), [](const SenderCase& a, const SenderCase& b) {
        return a.received < b.received || (!(b.received < a.received) && a.id < b.id);
    });
    return out;
}

} // namespace mailbox
