#include "store/cache/letter_index.hpp"

#include "model/case_id.hpp"
#include "util/atomic_file.hpp"

#include <algorithm>
#include <charconv>
#include <fmt/format.h>
#include <set>
#include <sys/stat.h>

namespace mailbox {

namespace {

constexpr std::string_view k_magic = "mailbox-letters 3\n";

// More new case files than this (a fresh clone, a big pull) are read through
// the case index, which reads on every core and keeps what it read.
constexpr std::size_t k_read_one_by_one = 256;

std::filesystem::path index_path(const Mailbox& m) {
    return state_dir(m.root()) / "letters";
}

std::string clean(std::string s) {
    std::replace_if(
        s.begin(), s.end(), [](char ch) { return ch == '\t' || ch == '\n' || ch == '\r'; }, ' ');
    return s;
}

std::vector<std::string_view> split(std::string_view line, char sep) {
    std::vector<std::string_view> parts;
    for (std::size_t start = 0;;) {
        std::size_t end = line.find(sep, start);
        parts.push_back(line.substr(start, end == std::string_view::npos ? end : end - start));
        if (end == std::string_view::npos) {
            return parts;
        }
        start = end + 1;
    }
}

// Tabs and line ends would break the line format (a hand edit may put them
// in a Message-ID or a name).
IndexedLetter cleaned(IndexedLetter r) {
    for (std::string* s : {&r.message_id, &r.content_hash}) {
        *s = clean(std::move(*s));
    }
    for (std::string& key : r.sender_keys) {
        key = clean(std::move(key));
    }
    return r;
}

// A folder's modification time in nanoseconds; 0 when unknown.
std::int64_t folder_time(const std::filesystem::path& dir) {
    struct stat st {};
    if (stat(dir.c_str(), &st) != 0) {
        return 0;
    }
    return st.st_mtim.tv_sec * 1'000'000'000LL + st.st_mtim.tv_nsec;
}

struct ById {
    static const std::string& id(const IndexedLetter& r) { return r.id; }
    static const std::string& id(const std::string& s) { return s; }
    template <class A, class B>
    bool operator()(const A& a, const B& b) const {
        return id(a) < id(b);
    }
} constexpr by_id;

bool number(std::string_view text, std::int64_t& out) {
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && end == text.data() + text.size();
}

std::string year_of(const std::string& id) {
    auto year = case_id_year(id);
    return year ? fmt::format("{}", *year) : std::string();
}

} // namespace

IndexedLetter indexed_letter(const Case& c) {
    return {c.id, c.received, c.message_id.value_or(""), c.content_hash.value_or(""),
            sender_keys(c.sender)};
}

LetterIndex::LetterIndex(const Mailbox& mailbox, const std::vector<IndexEntry>& entries)
    : m_mailbox(mailbox) {
    fill(entries);
    // Folder times stay unknown: the first reader lists the folders once,
    // which also covers a case added while `entries` was being read.
    for (const std::string& year : mailbox.case_years()) {
        m_folders[year] = 0;
    }
}

void LetterIndex::fill(const std::vector<IndexEntry>& entries) {
    m_records.clear();
    m_by_received.clear();
    for (const IndexEntry& e : entries) {
        if (!e.summary) {
            m_folders[year_of(e.id)] = 0; // read again once mended, even in place
        } else {
            m_records.push_back(cleaned(indexed_letter(*e.summary)));
            m_records.back().stamp = e.stamp;
        }
    }
    std::sort(m_records.begin(), m_records.end(), by_id);
    m_changed = true;
}

LetterIndex::LetterIndex(const Mailbox& mailbox) : m_mailbox(mailbox) {
    std::string data;
    struct stat st {};
    std::int64_t written = 0;
    try {
        data = read_file(index_path(mailbox));
        written = stat(index_path(mailbox).c_str(), &st) == 0 ? st.st_mtim.tv_sec : 0;
    } catch (const Error&) {
    }
    if (!std::string_view(data).starts_with(k_magic)) {
        fill(load_case_index(mailbox));
        for (const std::string& year : mailbox.case_years()) {
            m_folders[year] = 0;
        }
        return;
    }
    parse(data);
    // A folder changed within a second or two of the file being written may
    // have changed again since without its time showing it (as git's
    // "racily clean" files): it is listed again.
    for (auto& [year, ns] : m_folders) {
        if (ns / 1'000'000'000LL + 2 >= written) {
            ns = 0;
        }
    }
    bring_up_to_date();
}

void LetterIndex::parse(const std::string& data) {
    std::string_view in(data);
    in.remove_prefix(k_magic.size());
    bool damaged = false;
    while (!in.empty()) {
        std::size_t end = in.find('\n');
        std::string_view line = in.substr(0, end);
        in.remove_prefix(end == std::string_view::npos ? in.size() : end + 1);
        std::vector<std::string_view> f = split(line, '\t');
        std::int64_t a = 0, b = 0;
        if (f.size() == 3 && f[0] == "folder" && number(f[2], a)) {
            m_folders[std::string(f[1])] = a;
            continue;
        }
        std::int64_t stamp = 0;
        if (f.size() < 6 || !number(f[1], a) || !number(f[2], b) || !number(f[3], stamp) ||
            !parse_case_id(f[0])) {
            damaged = true;
            continue;
        }
        IndexedLetter r{std::string(f[0]), {}, std::string(f[4]),
                        std::string(f[5]), {}, static_cast<std::uint64_t>(stamp)};
        r.received.offset = std::chrono::minutes{b};
        r.received.local = date::local_seconds{std::chrono::seconds{a}} + r.received.offset;
        for (std::size_t i = 6; i < f.size(); ++i) {
            r.sender_keys.emplace_back(f[i]);
        }
        m_records.push_back(std::move(r));
    }
    if (!std::is_sorted(m_records.begin(), m_records.end(), by_id)) {
        std::sort(m_records.begin(), m_records.end(), by_id);
    }
    for (auto& [year, ns] : m_folders) {
        if (damaged) {
            ns = 0; // listed again: what the damaged lines said is read anew
        }
    }
}

void LetterIndex::bring_up_to_date() {
    std::vector<std::string> years = m_mailbox.case_years();
    std::vector<std::string> added;
    std::set<std::string> relisted;
    for (const std::string& year : years) {
        std::int64_t t = folder_time(m_mailbox.root() / "cases" / year);
        auto known = m_folders.find(year);
        if (known != m_folders.end() && t != 0 && known->second == t) {
            continue;
        }
        std::vector<std::string> ids = m_mailbox.case_ids_in(year);
        std::sort(ids.begin(), ids.end());
        std::set_difference(ids.begin(), ids.end(), m_records.begin(), m_records.end(),
                            std::back_inserter(added), by_id);
        for (const IndexedLetter& r : m_records) {
            if (year_of(r.id) == year && std::binary_search(ids.begin(), ids.end(), r.id) &&
                file_stamp(m_mailbox.absolute(m_mailbox.case_path(r.id))) != r.stamp) {
                added.push_back(r.id); // changed since: read again
            }
        }
        relisted.insert(year);
        m_folders[year] = t;
        m_changed = true;
        // Cases of this year that are no longer there.
        std::erase_if(m_records, [&](const IndexedLetter& r) {
            return year_of(r.id) == year && !std::binary_search(ids.begin(), ids.end(), r.id);
        });
    }
    // Folders that are gone, with their cases.
    std::erase_if(m_folders, [&](const auto& folder) {
        return !std::binary_search(years.begin(), years.end(), folder.first);
    });
    std::size_t before = m_records.size();
    std::erase_if(m_records,
                  [&](const IndexedLetter& r) { return !m_folders.count(year_of(r.id)); });
    m_changed |= m_records.size() != before;
    std::erase_if(added, [&](const std::string& id) { return !relisted.count(year_of(id)); });
    m_by_received.clear();
    if (added.size() > k_read_one_by_one) {
        fill(load_case_index(m_mailbox));
        return;
    }
    for (const std::string& id : added) {
        try {
            std::uint64_t stamp = file_stamp(m_mailbox.absolute(m_mailbox.case_path(id)));
            IndexedLetter r = indexed_letter(m_mailbox.load(id));
            r.stamp = stamp;
            put(std::move(r));
        } catch (const Error&) {
            // Check says why. Once mended in place its folder may keep its
            // time, so the folder is listed again next time.
            m_folders[year_of(id)] = 0;
        }
    }
}

void LetterIndex::put(IndexedLetter r) {
    r = cleaned(std::move(r));
    auto at = std::lower_bound(m_records.begin(), m_records.end(), r, by_id);
    if (at != m_records.end() && at->id == r.id) {
        *at = std::move(r);
    } else if (at == m_records.end()) {
        m_records.push_back(std::move(r)); // the usual case: ids grow with time
        if (!m_by_received.empty()) {
            std::size_t i = m_records.size() - 1;
            auto pos = std::upper_bound(m_by_received.begin(), m_by_received.end(), i,
                                        [&](std::size_t a, std::size_t b) {
                                            return m_records[a].received < m_records[b].received;
                                        });
            m_by_received.insert(pos, i);
        }
    } else {
        m_records.insert(at, std::move(r));
        m_by_received.clear(); // positions moved: rebuilt when next asked
    }
    m_changed = true;
}

void LetterIndex::add(const Case& c) {
    IndexedLetter r = indexed_letter(c);
    r.stamp = file_stamp(m_mailbox.absolute(m_mailbox.case_path(c.id))); // 0 in a dry run
    put(std::move(r)); // keeps the order by time received when it can
}

const IndexedLetter* LetterIndex::find(const std::string& id) const {
    IndexedLetter key{id, {}, {}, {}, {}};
    auto at = std::lower_bound(m_records.begin(), m_records.end(), key, by_id);
    return at != m_records.end() && at->id == id ? &*at : nullptr;
}

std::optional<std::string> LetterIndex::find_letter(const std::string& message_id,
                                                    const std::string& content_hash) const {
    std::optional<std::string> by_hash;
    for (const IndexedLetter& r : m_records) {
        if (!message_id.empty() && r.message_id == message_id) {
            return r.id;
        }
        if (!content_hash.empty() && !by_hash && r.content_hash == content_hash) {
            by_hash = r.id;
        }
    }
    return by_hash;
}

std::vector<std::string> LetterIndex::sender_case_ids(const Sender& sender) const {
    std::vector<std::string> keys = sender_keys(sender);
    std::vector<std::string> ids;
    for (std::string& key : keys) {
        key = clean(std::move(key));
    }
    for (const IndexedLetter& r : m_records) {
        if (std::any_of(r.sender_keys.begin(), r.sender_keys.end(), [&](const std::string& k) {
                return std::find(keys.begin(), keys.end(), k) != keys.end();
            })) {
            ids.push_back(r.id);
        }
    }
    return ids;
}

std::vector<std::string> LetterIndex::other_letters(const Case& c) const {
    std::vector<std::string> ids = sender_case_ids(c.sender);
    std::erase(ids, c.id);
    return ids;
}

std::unordered_map<std::string, int> LetterIndex::other_letter_counts() const {
    std::unordered_map<std::string, std::vector<std::size_t>> by_key;
    for (std::size_t i = 0; i < m_records.size(); ++i) {
        for (const std::string& k : m_records[i].sender_keys) {
            by_key[k].push_back(i);
        }
    }
    std::unordered_map<std::string, int> counts;
    counts.reserve(m_records.size());
    for (const IndexedLetter& r : m_records) {
        std::vector<std::size_t> same;
        for (const std::string& k : r.sender_keys) {
            same.insert(same.end(), by_key[k].begin(), by_key[k].end());
        }
        if (r.sender_keys.size() > 1) {
            std::sort(same.begin(), same.end());
            same.erase(std::unique(same.begin(), same.end()), same.end());
        }
        counts[r.id] = same.empty() ? 0 : static_cast<int>(same.size()) - 1;
    }
    return counts;
}

std::vector<const IndexedLetter*> LetterIndex::received_between(const Timestamp& from,
                                                                const Timestamp& to) const {
    if (m_by_received.empty()) {
        m_by_received.resize(m_records.size());
        for (std::size_t i = 0; i < m_records.size(); ++i) {
            m_by_received[i] = i;
        }
        std::stable_sort(m_by_received.begin(), m_by_received.end(),
                         [&](std::size_t a, std::size_t b) {
                             return m_records[a].received < m_records[b].received;
                         });
    }
    auto first = std::lower_bound(
        m_by_received.begin(), m_by_received.end(), from,
        [&](std::size_t i, const Timestamp& t) { return m_records[i].received < t; });
    std::vector<const IndexedLetter*> out;
    for (auto it = first; it != m_by_received.end() && !(to < m_records[*it].received); ++it) {
        out.push_back(&m_records[*it]);
    }
    return out;
}

void LetterIndex::save() {
    if (!m_changed) {
        return;
    }
    std::string data(k_magic);
    for (const auto& [year, ns] : m_folders) {
        data += fmt::format("folder\t{}\t{}\n", year, ns);
    }
    for (const IndexedLetter& r : m_records) {
        fmt::format_to(std::back_inserter(data), "{}\t{}\t{}\t{}\t{}\t{}", r.id,
                       r.received.sys().time_since_epoch().count(), r.received.offset.count(),
                       static_cast<std::int64_t>(r.stamp), r.message_id, r.content_hash);
        for (const std::string& key : r.sender_keys) {
            data += '\t';
            data += key;
        }
        data += '\n';
    }
    if (write_cache(index_path(m_mailbox), data)) {
        m_changed = false;
    }
}

LetterIndex refresh_letter_index(const Mailbox& mailbox, const std::vector<IndexEntry>& entries,
                                 const IndexStats& stats) {
    LetterIndex letters(mailbox, entries);
    std::error_code ec;
    if (stats.rewritten || !std::filesystem::exists(index_path(mailbox), ec)) {
        letters.save();
    }
    return letters;
}

std::vector<SenderCase> sender_cases(const Mailbox& mailbox, const LetterIndex& letters,
                                     const Case& c) {
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
