#include "store/cache/case_row.hpp"

#include "model/case_fields.hpp"
#include "model/case_id.hpp"

#include <algorithm>
#include <sys/stat.h>

namespace mailbox {

std::int64_t nanoseconds(const struct timespec& t) {
    return t.tv_sec * 1'000'000'000LL + t.tv_nsec;
}

FileStamp stamp_of(const struct stat& st) {
    return {static_cast<std::int64_t>(st.st_ino), static_cast<std::int64_t>(st.st_size),
            nanoseconds(st.st_mtim), nanoseconds(st.st_ctim)};
}

FileStamp stamp_now(const char* file) {
    struct stat st {};
    return stat(file, &st) == 0 ? stamp_of(st) : FileStamp{};
}

FileStamp stamp_now(const std::filesystem::path& file) {
    return stamp_now(file.c_str());
}

std::uint64_t stamp_hash(const FileStamp& s) {
    return fnv1a(std::string_view(reinterpret_cast<const char*>(&s), sizeof s));
}

std::uint64_t file_stamp(const std::filesystem::path& file) {
    struct stat st {};
    return stat(file.c_str(), &st) == 0 ? stamp_hash(stamp_of(st)) : 0;
}

std::uint64_t row_stamp(std::int64_t ino, std::int64_t size, std::int64_t mtime,
                        std::int64_t ctime) {
    return stamp_hash(FileStamp{ino, size, mtime, ctime});
}

namespace {

// ---- a small binary encoding ----

class Out {
  public:
    // LEB128: most numbers here are lengths and small enums, one byte each.
    void u64(std::uint64_t v) {
        for (; v >= 0x80; v >>= 7) {
            m_buf += static_cast<char>((v & 0x7f) | 0x80);
        }
        m_buf += static_cast<char>(v);
    }
    void i64(std::int64_t v) { // zigzag, so that small negatives stay short
        u64((static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63));
    }
    void str(std::string_view s) {
        u64(s.size());
        m_buf.append(s);
    }
    void opt(const std::optional<std::string>& s) {
        u64(s ? 1 : 0);
        if (s) {
            str(*s);
        }
    }
    void strs(const std::vector<std::string>& v) {
        u64(v.size());
        for (const auto& s : v) {
            str(s);
        }
    }
    void moment(const Timestamp& t) {
        i64(t.local.time_since_epoch().count());
        i64(t.offset.count());
    }
    void opt_moment(const std::optional<Timestamp>& t) {
        u64(t ? 1 : 0);
        if (t) {
            moment(*t);
        }
    }
    std::string& buf() { return m_buf; }

  private:
    std::string m_buf;
};

struct Truncated {};

class In {
  public:
    explicit In(std::string_view data) : m_data(data) {}
    std::uint64_t u64() {
        std::uint64_t v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            need(1);
            auto byte = static_cast<unsigned char>(m_data[m_pos++]);
            v |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
            if (!(byte & 0x80)) {
                return v;
            }
        }
        throw Truncated{}; // more than ten bytes: damaged
    }
    std::int64_t i64() {
        std::uint64_t v = u64();
        return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
    }
    std::string_view view() { // valid while the data is
        std::uint64_t n = u64();
        need(n);
        std::string_view s = m_data.substr(m_pos, n);
        m_pos += n;
        return s;
    }
    std::string str() { return std::string(view()); }
    std::optional<std::string> opt() { return u64() ? std::optional(str()) : std::nullopt; }
    std::vector<std::string> strs() {
        std::uint64_t n = u64();
        need(n); // every string takes at least one byte, so this bounds n
        std::vector<std::string> v;
        v.reserve(n);
        for (std::uint64_t i = 0; i < n; ++i) {
            v.push_back(str());
        }
        return v;
    }
    Timestamp moment() {
        Timestamp t;
        t.local = date::local_seconds{std::chrono::seconds{i64()}};
        t.offset = std::chrono::minutes{i64()};
        return t;
    }
    std::optional<Timestamp> opt_moment() { return u64() ? std::optional(moment()) : std::nullopt; }
    bool done() const { return m_pos == m_data.size(); }

  private:
    void need(std::uint64_t n) const {
        if (n > m_data.size() - m_pos) {
            throw Truncated{};
        }
    }
    std::string_view m_data;
    std::size_t m_pos = 0;
};

// ---- each member type, both ways ----

void put(Out& o, const std::string& s) {
    o.str(s);
}
void get(In& in, std::string& s) {
    s = in.str();
}
void put(Out& o, const std::optional<std::string>& s) {
    o.opt(s);
}
void get(In& in, std::optional<std::string>& s) {
    s = in.opt();
}
void put(Out& o, const std::vector<std::string>& v) {
    o.strs(v);
}
void get(In& in, std::vector<std::string>& v) {
    v = in.strs();
}
void put(Out& o, const Timestamp& t) {
    o.moment(t);
}
void get(In& in, Timestamp& t) {
    t = in.moment();
}
void put(Out& o, const std::optional<Timestamp>& t) {
    o.opt_moment(t);
}
void get(In& in, std::optional<Timestamp>& t) {
    t = in.opt_moment();
}
void put(Out& o, const std::optional<Day>& d) {
    o.i64(d ? date::sys_days{*d}.time_since_epoch().count() : INT64_MIN);
}
void get(In& in, std::optional<Day>& d) {
    std::int64_t day = in.i64();
    d = day == INT64_MIN ? std::nullopt : std::optional(Day{date::sys_days{date::days{day}}});
}
void put(Out& o, bool b) {
    o.u64(b ? 1 : 0);
}
void get(In& in, bool& b) {
    b = in.u64() != 0;
}
void put(Out& o, const std::optional<bool>& b) {
    o.i64(b ? *b : -1);
}
void get(In& in, std::optional<bool>& b) {
    std::int64_t v = in.i64();
    b = v < 0 ? std::nullopt : std::optional(v != 0);
}
template <typename E>
requires std::is_enum_v<E>
void put(Out& o, E e) {
    o.u64(static_cast<std::uint64_t>(e));
}
template <typename E>
requires std::is_enum_v<E>
void get(In& in, E& e) {
    std::uint64_t v = in.u64();
    if (v >= spellings(E{}).size()) {
        throw Truncated{};
    }
    e = static_cast<E>(v);
}
template <typename E>
requires std::is_enum_v<E>
void put(Out& o, const std::optional<E>& e) {
    o.u64(e ? static_cast<std::uint64_t>(*e) + 1 : 0);
}
template <typename E>
requires std::is_enum_v<E>
void get(In& in, std::optional<E>& e) {
    if (std::uint64_t v = in.u64()) {
        if (v > spellings(E{}).size()) {
            throw Truncated{};
        }
        e = static_cast<E>(v - 1);
    } else {
        e.reset();
    }
}
void put(Out& o, const Sender& s) {
    o.str(s.name);
    o.str(s.email);
    o.str(s.phone);
}
void get(In& in, Sender& s) {
    s.name = in.str();
    s.email = in.str();
    s.phone = in.str();
}
// The reason stays in the file: reports count extensions, they do not quote.
void put(Out& o, const Extension& e) {
    o.i64(e.days);
    o.str(e.approved_by);
    o.moment(e.at);
}
void get(In& in, Extension& e) {
    e.days = static_cast<int>(in.i64());
    e.approved_by = in.str();
    e.at = in.moment();
}
void put(Out& o, const Attachment& a) {
    o.str(a.name);
    o.i64(a.size);
    o.str(a.kept);
}
void get(In& in, Attachment& a) {
    a.name = in.str();
    a.size = in.i64();
    a.kept = in.str();
}
void put(Out& o, const Reply& r) {
    put(o, r.via);
    o.str(r.to);
    o.moment(r.at);
    o.str(r.message_id);
}
void get(In& in, Reply& r) {
    get(in, r.via);
    r.to = in.str();
    r.at = in.moment();
    r.message_id = in.str();
}
// The draft without its texts: reports count and list, they do not quote.
void put(Out& o, const Draft& d) {
    put(o, d.outcome);
    put(o, d.state);
    o.str(d.unit);
    o.str(d.by);
    o.moment(d.at);
    o.i64(d.rounds);
    o.str(d.reviewer);
    put(o, d.target_date);
    o.str(d.report);
}
void get(In& in, Draft& d) {
    get(in, d.outcome);
    get(in, d.state);
    d.unit = in.str();
    d.by = in.str();
    d.at = in.moment();
    d.rounds = static_cast<int>(in.i64());
    d.reviewer = in.str();
    get(in, d.target_date);
    d.report = in.str();
}
void put(Out& o, const std::optional<Draft>& d) {
    o.u64(d ? 1 : 0);
    if (d) {
        put(o, *d);
    }
}
void get(In& in, std::optional<Draft>& d) {
    d.reset();
    if (in.u64()) {
        get(in, d.emplace());
    }
}
template <typename T>
void put(Out& o, const std::vector<T>& v) {
    o.u64(v.size());
    for (const T& item : v) {
        put(o, item);
    }
}
template <typename T>
void get(In& in, std::vector<T>& v) {
    std::uint64_t n = in.u64();
    v.clear();
    v.reserve(std::min<std::uint64_t>(n, 1024)); // a damaged count must not allocate
    for (std::uint64_t i = 0; i < n; ++i) {
        get(in, v.emplace_back());
    }
}
void put(Out& o, const HistoryEntry& e) {
    o.str(e.id);
    o.moment(e.at);
    o.str(e.by);
    o.str(e.action_name());
    o.str(e.note); // what summarize() kept: replies' and feedbacks' verdicts
}
void get(In& in, HistoryEntry& e) {
    std::string id = in.str();
    Timestamp at = in.moment();
    std::string by = in.str();
    std::string_view action = in.view();
    std::string note = in.str();
    e = history_entry(std::move(id), at, std::move(by), action, std::move(note));
}

// Each field the summary has, in the table's order, then the history.
template <typename Summary, typename Each>
void each_summary_field(Summary& c, Each each) {
    each_case_field([&](const auto& f) {
        if constexpr (requires { c.*f.member; }) {
            each(c.*f.member);
        }
    });
    each(c.history);
}

void encode(Out& o, const CaseSummary& c) {
    each_summary_field(c, [&](const auto& v) { put(o, v); });
}

CaseSummary decode(In& in) {
    CaseSummary c;
    each_summary_field(c, [&](auto& v) { get(in, v); });
    return c;
}

} // namespace

std::string encode_entry(const IndexEntry& e) {
    Out o;
    o.u64(e.problems.size());
    for (const DataError& p : e.problems) {
        o.u64(p.position.line);
        o.u64(p.position.column);
        o.str(p.description);
    }
    o.u64(e.summary ? 1 : 0);
    if (e.summary) {
        encode(o, *e.summary);
    }
    return std::move(o.buf());
}

namespace {

void decode_fields(std::string_view data, IndexEntry& e) {
    In in(data);
    for (std::uint64_t n = in.u64(), i = 0; i < n; ++i) {
        unsigned line = static_cast<unsigned>(in.u64());
        unsigned column = static_cast<unsigned>(in.u64());
        e.problems.emplace_back(Position{e.path, line, column}, in.str());
    }
    if (in.u64()) {
        e.summary = decode(in);
    }
    if (!in.done()) {
        throw Truncated{};
    }
}

} // namespace

bool decode_entry(std::string_view data, IndexEntry& e) {
    try {
        decode_fields(data, e);
        return true;
    } catch (const Truncated&) {
        return false;
    }
}

std::optional<IndexEntry> cached_entry(std::string path, std::string id, std::string_view entry) {
    IndexEntry e;
    e.path = std::move(path);
    e.id = std::move(id);
    if (!decode_entry(entry, e)) {
        return std::nullopt;
    }
    return e;
}

std::string encode_bigrams(const Bigrams& b) {
    std::string out;
    out.reserve(b.size() * 4);
    for (std::uint32_t v : b) { // little-endian, whatever the machine
        for (int shift = 0; shift < 32; shift += 8) {
            out += static_cast<char>((v >> shift) & 0xff);
        }
    }
    return out;
}

Bigrams decode_bigrams(std::string_view bytes) {
    Bigrams b(bytes.size() / 4);
    decode_bigrams(bytes, b);
    return b;
}

void decode_bigrams(std::string_view bytes, std::span<std::uint32_t> out) {
    for (std::size_t i = 0; i < out.size(); ++i) {
        std::uint32_t v = 0;
        for (int k = 0; k < 4; ++k) {
            v |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i * 4 + k]))
                 << (8 * k);
        }
        out[i] = v;
    }
}

CaseSummary summarize(const CaseSummary& whole) {
    CaseSummary c = whole;
    for (Extension& x : c.extensions) {
        x.reason.clear();
    }
    if (c.draft) {
        c.draft->text.clear();
        c.draft->basis.clear();
        c.draft->steps.clear();
    }
    for (HistoryEntry& e : c.history) {
        // Reports read how each reply was judged and each feedback's grade
        // as they stood at the time; the rest of the notes stay in the file.
        if (e.action == Action::feedback) {
            e.note.erase(std::min({e.note.find(':'), e.note.find("："), e.note.size()}));
        } else if (e.action != Action::reply) {
            e.note.clear();
        }
    }
    return c;
}

} // namespace mailbox
