#include "intake/dedupe.hpp"

#include "model/case_id.hpp"
#include "store/casefile.hpp"
#include "util/atomic_file.hpp"

#include <algorithm>
#include <cstring>
#include <fmt/format.h>

namespace mailbox {

namespace {

constexpr std::string_view k_magic = "mailbox-bigrams 1\n";

std::string month_key(Day d) {
    return fmt::format("{:04}-{:02}", static_cast<int>(d.year()), static_cast<unsigned>(d.month()));
}

std::filesystem::path month_file(const Mailbox& m, const std::string& key) {
    return state_dir(m.root()) / "bigrams" / key;
}

void put(std::string& out, std::uint64_t v) {
    out.append(reinterpret_cast<const char*>(&v), 8);
}

bool get(std::string_view& in, std::uint64_t& v) {
    if (in.size() < 8) {
        return false;
    }
    std::memcpy(&v, in.data(), 8);
    in.remove_prefix(8);
    return true;
}

bool get_text(std::string_view& in, std::string& s) {
    std::uint64_t n;
    if (!get(in, n) || n > in.size()) {
        return false;
    }
    s.assign(in.substr(0, n));
    in.remove_prefix(n);
    return true;
}

} // namespace

Bigrams letter_bigrams(const std::string& subject, const std::string& body) {
    return bigrams_of(subject + "\n" + body);
}

double link_threshold(const DedupeRules& rules, bool same_sender) {
    return same_sender ? std::min(rules.sender_threshold, rules.threshold) : rules.threshold;
}

LetterMatcher::LetterMatcher(const Mailbox& mailbox, const LetterIndex& letters)
    : m_mailbox(mailbox), m_letters(letters) {}

LetterMatcher::Month& LetterMatcher::month(const std::string& key) {
    auto it = m_months.find(key);
    if (it != m_months.end()) {
        return it->second;
    }
    Month& m = m_months[key];
    std::string data;
    try {
        data = read_file(month_file(m_mailbox, key));
    } catch (const Error&) {
        return m; // not built yet
    }
    std::string_view in(data);
    if (!in.starts_with(k_magic)) {
        return m;
    }
    in.remove_prefix(k_magic.size());
    std::uint64_t count = 0;
    for (get(in, count); count > 0; --count) {
        std::string id;
        Entry e;
        std::uint64_t n;
        if (!get_text(in, id) || !get_text(in, e.path) || !get(in, e.stamp) || !get(in, n) ||
            n * 4 > in.size()) {
            m.by_id.clear(); // damaged: rebuilt from the case files
            return m;
        }
        e.bigrams.resize(n);
        std::memcpy(e.bigrams.data(), in.data(), n * 4);
        in.remove_prefix(n * 4);
        m.by_id.emplace(std::move(id), std::move(e));
    }
    return m;
}

const Bigrams* LetterMatcher::bigrams_of(const IndexedLetter& r) {
    if (auto added = m_added.find(r.id); added != m_added.end()) {
        return &added->second;
    }
    std::string path = m_mailbox.case_path(r.id);
    // The letter index has just checked the stamp: no stat per letter.
    std::uint64_t stamp = r.stamp ? r.stamp : file_stamp(m_mailbox.absolute(path));
    Month& m = month(month_key(r.received.day()));
    auto it = m.by_id.find(r.id);
    if (it != m.by_id.end() && it->second.stamp == stamp && it->second.path == path) {
        return &it->second.bigrams;
    }
    // New or changed since: read that one file.
    Case c;
    try {
        c = m_mailbox.load(r.id);
    } catch (const Error&) {
        return nullptr;
    }
    if (auto weighed = m_weighed.find(r.id); weighed != m_weighed.end()) {
        m_weights.remove(*weighed->second); // about to change under it
        m_weighed.erase(weighed);
    }
    Entry& e = m.by_id[r.id];
    e = Entry{path, stamp, letter_bigrams(c.subject, c.body)};
    m.dirty = true;
    return &e.bigrams;
}

// Brings the weights to the letters in `window`, changing only what differs
// from the window before: a batch's letters have nearby windows.
void LetterMatcher::weigh(const std::map<std::string, const Bigrams*>& window) {
    for (auto it = m_weighed.begin(); it != m_weighed.end();) {
        auto now = window.find(it->first);
        if (now == window.end() || now->second != it->second) {
            m_weights.remove(*it->second);
            it = m_weighed.erase(it);
        } else {
            ++it;
        }
    }
    for (const auto& [id, bigrams] : window) {
        if (m_weighed.emplace(id, bigrams).second) {
            m_weights.add(*bigrams);
        }
    }
}

std::optional<DedupeHit> LetterMatcher::best_match(const Case& c, const Bigrams& bigrams) {
    const DedupeRules& rules = m_mailbox.config().dedupe;
    Timestamp from = c.received, to = c.received;
    from.local -= date::days{rules.window_days};
    to.local += date::days{rules.window_days};
    std::vector<const IndexedLetter*> records = m_letters.received_between(from, to);
    std::map<std::string, const Bigrams*> window;
    std::vector<std::pair<const IndexedLetter*, const Bigrams*>> candidates;
    for (const IndexedLetter* r : records) {
        if (r->id == c.id) {
            continue;
        }
        if (const Bigrams* theirs = bigrams_of(*r)) {
            window.emplace(r->id, theirs);
            candidates.emplace_back(r, theirs);
        }
    }
    weigh(window);
    std::vector<std::string> keys = sender_keys(c.sender);
    std::optional<DedupeHit> best;
    for (const auto& [candidate, theirs] : candidates) {
        const auto& other = candidate; // clang before 16 cannot capture a structured binding
        bool same_sender = std::any_of(keys.begin(), keys.end(), [&](const std::string& k) {
            return !k.starts_with("n:") &&
                   std::find(other->sender_keys.begin(), other->sender_keys.end(), k) !=
                       other->sender_keys.end();
        });
        DedupeHit hit{other->id, similarity(bigrams, *theirs, m_weights), same_sender};
        if (hit.similarity.score >= link_threshold(rules, hit.same_sender) &&
            (!best || hit.similarity.score > best->similarity.score)) {
            best = hit;
        }
    }
    return best;
}

void LetterMatcher::add(const Case& c, Bigrams bigrams) {
    m_added.insert_or_assign(c.id, std::move(bigrams));
}

void LetterMatcher::save() {
    for (auto& [key, m] : m_months) {
        if (!m.dirty) {
            continue;
        }
        std::string data(k_magic);
        put(data, m.by_id.size());
        for (const auto& [id, e] : m.by_id) {
            put(data, id.size());
            data += id;
            put(data, e.path.size());
            data += e.path;
            put(data, e.stamp);
            put(data, e.bigrams.size());
            data.append(reinterpret_cast<const char*>(e.bigrams.data()), e.bigrams.size() * 4);
        }
        write_cache(month_file(m_mailbox, key), data);
    }
}

} // namespace mailbox
