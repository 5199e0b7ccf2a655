#include "store/cache/case_row.hpp"

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

FileStamp stamp_now(const std::filesystem::path& file) {
    struct stat st {};
    return stat(file.c_str(), &st) == 0 ? stamp_of(st) : FileStamp{};
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
    std::string str() {
        std::uint64_t n = u64();
        need(n);
        std::string s(m_data.substr(m_pos, n));
        m_pos += n;
        return s;
    }
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

template <typename E>
E enum_at(std::uint64_t v, E last) {
    if (v > static_cast<std::uint64_t>(last)) {
        throw Truncated{};
    }
    return static_cast<E>(v);
}

// The draft without its texts: reports count and list, they do not quote.
void encode_draft(Out& o, const std::optional<Draft>& draft) {
    o.u64(draft ? 1 : 0);
    if (!draft) {
        return;
    }
    o.u64(static_cast<std::uint64_t>(draft->outcome));
    o.u64(static_cast<std::uint64_t>(draft->state));
    o.str(draft->unit);
    o.str(draft->by);
    o.moment(draft->at);
    o.i64(draft->rounds);
    o.str(draft->reviewer);
    o.i64(draft->target_date ? date::sys_days{*draft->target_date}.time_since_epoch().count()
                             : INT64_MIN);
    o.str(draft->report);
}

void encode(Out& o, const Case& c) {
    o.str(c.id);
    o.u64(static_cast<std::uint64_t>(c.status));
    o.moment(c.received);
    o.u64(static_cast<std::uint64_t>(c.channel));
    o.str(c.subject);
    o.str(c.sender.name);
    o.str(c.sender.email);
    o.str(c.sender.phone);
    for (const auto* s :
         {&c.category, &c.suggested_category, &c.suggested_unit, &c.kind, &c.handler}) {
        o.opt(*s);
    }
    o.strs(c.co_units);
    o.opt(c.leader);
    o.opt(c.instruction);
    o.opt_moment(c.assigned);
    o.i64(c.due ? date::sys_days{*c.due}.time_since_epoch().count() : INT64_MIN);
    o.opt_moment(c.replied);
    o.opt_moment(c.closed);
    o.i64(c.outcome ? static_cast<std::int64_t>(*c.outcome) : -1);
    o.i64(c.on_time ? *c.on_time : -1);
    o.opt(c.late);
    o.i64(c.feedback ? static_cast<std::int64_t>(*c.feedback) : -1);
    o.opt_moment(c.reopened);
    o.i64(c.reopened_for ? static_cast<std::int64_t>(*c.reopened_for) : -1);
    o.opt(c.exemplary);
    o.strs(c.rejections);
    encode_draft(o, c.draft);
    o.u64(c.replies.size());
    for (const Reply& r : c.replies) {
        o.u64(static_cast<std::uint64_t>(r.via));
        o.str(r.to);
        o.moment(r.at);
        o.str(r.message_id);
    }
    o.strs(c.group);
    o.strs(c.returned_by);
    o.u64(c.extensions.size());
    for (const Extension& e : c.extensions) {
        o.i64(e.days);
        o.str(e.approved_by);
        o.moment(e.at);
    }
    o.u64(c.solved_on_site ? 1 : 0);
    o.u64(c.restricted ? 1 : 0);
    o.opt(c.accused);
    o.opt(c.message_id);
    o.opt(c.content_hash);
    o.u64(c.attachments.size());
    for (const Attachment& a : c.attachments) {
        o.str(a.name);
        o.i64(a.size);
        o.str(a.kept);
    }
    o.u64(c.history.size());
    for (const HistoryEntry& e : c.history) {
        o.str(e.id);
        o.moment(e.at);
        o.str(e.by);
        o.str(e.action_name());
        o.str(e.note); // what summarize() kept: replies' and feedbacks' verdicts
    }
}

std::optional<Draft> decode_draft(In& in) {
    if (!in.u64()) {
        return std::nullopt;
    }
    Draft d;
    d.outcome = enum_at(in.u64(), Outcome::recurring);
    d.state = enum_at(in.u64(), DraftState::rejected);
    d.unit = in.str();
    d.by = in.str();
    d.at = in.moment();
    d.rounds = static_cast<int>(in.i64());
    d.reviewer = in.str();
    if (std::int64_t day = in.i64(); day != INT64_MIN) {
        d.target_date = Day{date::sys_days{date::days{day}}};
    }
    d.report = in.str();
    return d;
}

Case decode(In& in) {
    Case c;
    c.id = in.str();
    c.status = enum_at(in.u64(), Status::closed);
    c.received = in.moment();
    c.channel = enum_at(in.u64(), Channel::hotline);
    c.subject = in.str();
    c.sender.name = in.str();
    c.sender.email = in.str();
    c.sender.phone = in.str();
    for (auto* s : {&c.category, &c.suggested_category, &c.suggested_unit, &c.kind, &c.handler}) {
        *s = in.opt();
    }
    c.co_units = in.strs();
    c.leader = in.opt();
    c.instruction = in.opt();
    c.assigned = in.opt_moment();
    if (std::int64_t due = in.i64(); due != INT64_MIN) {
        c.due = Day{date::sys_days{date::days{due}}};
    }
    c.replied = in.opt_moment();
    c.closed = in.opt_moment();
    if (std::int64_t o = in.i64(); o >= 0) {
        c.outcome = enum_at(static_cast<std::uint64_t>(o), Outcome::recurring);
    }
    if (std::int64_t t = in.i64(); t >= 0) {
        c.on_time = t != 0;
    }
    c.late = in.opt();
    if (std::int64_t f = in.i64(); f >= 0) {
        c.feedback = enum_at(static_cast<std::uint64_t>(f), Feedback::unsatisfied);
    }
    c.reopened = in.opt_moment();
    if (std::int64_t r = in.i64(); r >= 0) {
        c.reopened_for = enum_at(static_cast<std::uint64_t>(r), Reopening::review);
    }
    c.exemplary = in.opt();
    c.rejections = in.strs();
    c.draft = decode_draft(in);
    for (std::uint64_t n = in.u64(), i = 0; i < n; ++i) {
        Reply r;
        r.via = enum_at(in.u64(), ReplyVia::sms);
        r.to = in.str();
        r.at = in.moment();
        r.message_id = in.str();
        c.replies.push_back(std::move(r));
    }
    c.group = in.strs();
    c.returned_by = in.strs();
    for (std::uint64_t n = in.u64(), i = 0; i < n; ++i) {
        Extension e;
        e.days = static_cast<int>(in.i64());
        e.approved_by = in.str();
        e.at = in.moment();
        c.extensions.push_back(std::move(e)); // the reason stays in the file
    }
    c.solved_on_site = in.u64() != 0;
    c.restricted = in.u64() != 0;
    c.accused = in.opt();
    c.message_id = in.opt();
    c.content_hash = in.opt();
    for (std::uint64_t n = in.u64(), i = 0; i < n; ++i) {
        Attachment a;
        a.name = in.str();
        a.size = in.i64();
        a.kept = in.str();
        c.attachments.push_back(std::move(a));
    }
    std::uint64_t entries = in.u64();
    c.history.reserve(std::min<std::uint64_t>(entries, 1024));
    for (std::uint64_t i = 0; i < entries; ++i) {
        std::string id = in.str();
        Timestamp at = in.moment();
        std::string by = in.str();
        std::string action = in.str();
        std::string note = in.str();
        c.history.push_back(
            history_entry(std::move(id), at, std::move(by), action, std::move(note)));
    }
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
    for (std::size_t i = 0; i < b.size(); ++i) {
        for (int k = 0; k < 4; ++k) {
            b[i] |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i * 4 + k]))
                    << (8 * k);
        }
    }
    return b;
}

Case summarize(Case c) {
    c.body.clear();
    c.body.shrink_to_fit();
    if (c.draft) {
        c.draft->text.clear();
        c.draft->basis.clear();
        c.draft->steps.clear();
    }
    for (HistoryEntry& e : c.history) {
        // Reports read how each reply was judged and each feedback's grade
        // as they stood at the time; the rest of the notes stay in the file.
        if (e.action == Action::feedback) {
            e.note.erase(std::min(e.note.find(':'), e.note.size()));
        } else if (e.action != Action::reply) {
            e.note.clear();
        }
    }
    return c;
}

} // namespace mailbox
