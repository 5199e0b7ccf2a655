#include "intake/intake.hpp"

#include "format/mail.hpp"
#include "intake/csv_import.hpp"
#include "model/case_id.hpp"
#include "model/routing.hpp"
#include "util/atomic_file.hpp"
#include "util/charset.hpp"
#include "util/edit_distance.hpp"
#include "util/error.hpp"
#include "util/i18n.hpp"
#include "util/text.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <functional>
#include <future>
#include <utf8proc.h>

namespace mailbox {

namespace {

// `refusal` a message marked with N_, filled with the byte where it fails.
void require_utf8(const char* refusal, std::string_view text) {
    if (auto at = invalid_utf8_at(text)) {
        throw UsageError(tr(refusal, *at));
    }
}

std::string tidy_body(const std::string& body) {
    std::string out;
    out.reserve(body.size() + 1);
    for (std::size_t i = 0; i < body.size(); ++i) {
        if (body[i] == '\r') {
            if (i + 1 < body.size() && body[i + 1] == '\n') {
                continue;
            }
            out += '\n';
        } else {
            out += body[i];
        }
    }
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) {
        out.pop_back();
    }
    return out.empty() ? out : out + "\n";
}

// The category given; else the keywords' suggestion, the office's own
// rules; else what its decided cases teach, asked only then (`learned`).
void apply_category(Case& c, const std::optional<std::string>& chosen, const Config& config,
                    const Router& router,
                    const std::function<std::optional<Suggestion>(const Case&)>& learned) {
    if (chosen) {
        const Category* cat = config.find_category(*chosen);
        if (!cat) {
            throw UsageError(config.unknown_category(*chosen));
        }
        c.category = cat->id;
        c.suggested_category = cat->id;
        c.suggested_unit = cat->unit;
    } else if (auto s = router.suggest(c.subject, c.body)) {
        c.suggested_category = s->category;
        c.suggested_unit = s->unit;
    } else if (auto l = learned(c)) {
        c.suggested_category = l->category;
        if (!l->unit.empty()) {
            c.suggested_unit = l->unit;
        }
        c.suggested_by = "learned";
    }
}

std::string received_note(const CaseSummary& c, const std::vector<Note>& notes, Language l) {
    std::vector<std::string> parts{say(l, {"registered from {0}", "登记（{1}）"},
                                       to_string(c.channel), chinese_name(c.channel))};
    for (const Note& n : notes) {
        parts.push_back(n.in(l));
    }
    return clauses(l, parts);
}

// Cut at a character boundary, and said so in the case's history.
std::string cut(std::string text, std::size_t max, const Phrase& what, std::vector<Note>& notes) {
    if (text.size() <= max) {
        return text;
    }
    std::size_t total = text.size();
    std::size_t at = max;
    while (at > 0 && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) {
        --at;
    }
    text.resize(at);
    notes.push_back(note(what, total, at));
    return text;
}

// A letter received after it was registered is a typing slip or a clock set
// wrong; a few minutes are two computers' clocks disagreeing.
constexpr std::chrono::minutes k_clock_skew{10};

bool within_case_years(const Timestamp& t) {
    int year = static_cast<int>(date::year_month_day{t.day()}.year());
    return year >= 2000 && year <= 2099;
}

} // namespace

Letter mail_letter(MailLetter m, const Timestamp& now) {
    Letter l;
    l.subject = m.subject.empty() ? "(无主题)" : m.subject;
    l.sender = m.sender;
    l.channel = Channel::email;
    l.received = m.date.value_or(now);
    if (m.date && m.date->sys() > now.sys() + k_clock_skew) {
        l.received = now;
        m.notes.push_back(
            note({"its Date, {}, is after it was registered: received when registered",
                  "邮件日期{}晚于登记时间，按登记时间计收信时间"},
                 m.date->iso()));
    }
    // Without a Date the registration time would make every re-import new.
    l.content_hash =
        content_hash(l.subject, m.sender.email.empty() ? m.sender.name : m.sender.email,
                     m.date ? m.date->iso() : "", m.body);
    l.body = std::move(m.body);
    l.message_id = m.message_id;
    l.attachments = std::move(m.attachments);
    l.notes = std::move(m.notes);
    l.original = std::move(m.original);
    return l;
}

std::string original_path(std::string_view original) {
    return fmt::format("originals/{:016x}.eml", fnv1a(original));
}

std::string letter_subject(std::string_view subject, std::vector<Note>& notes) {
    require_utf8(N_("the subject is not valid UTF-8 (at byte {})"), subject);
    std::string s = cut(
        one_line(subject), k_limits.subject,
        {"the subject was {} bytes; only the first {} are kept", "标题原有{}字节，仅保留前{}字节"},
        notes);
    if (s.empty()) {
        throw UsageError(_("a letter needs a subject"));
    }
    return s;
}

Sender letter_sender(const Sender& sender, std::vector<Note>& notes) {
    require_utf8(N_("the sender's name is not valid UTF-8 (at byte {})"), sender.name);
    require_utf8(N_("the e-mail address is not valid UTF-8 (at byte {})"), sender.email);
    require_utf8(N_("the phone number is not valid UTF-8 (at byte {})"), sender.phone);
    Sender s;
    s.name = cut(one_line(sender.name), k_limits.name,
                 {"the sender's name was {} bytes; only the first {} are kept",
                  "来信人姓名原有{}字节，仅保留前{}字节"},
                 notes);
    if (s.name.empty()) {
        throw UsageError(_("a letter needs a sender's name (--from; 匿名 when unknown)"));
    }
    s.email = one_line(sender.email);
    s.phone = one_line(sender.phone);
    if (s.email.size() > k_limits.email || s.phone.size() > k_limits.phone) {
        throw UsageError(trn("an e-mail address holds at most {} byte, a phone number "
                             "{}: these cannot be cut and still reach the sender",
                             "an e-mail address holds at most {} bytes, a phone number "
                             "{}: these cannot be cut and still reach the sender",
                             static_cast<unsigned long>(k_limits.email), k_limits.email,
                             k_limits.phone));
    }
    return s;
}

NotReceived why_not_received(const Timestamp& received, const Timestamp& registered) {
    if (!within_case_years(received)) {
        return NotReceived::out_of_years;
    }
    if (received.sys() > registered.sys() + k_clock_skew) {
        return NotReceived::after_registered;
    }
    return NotReceived::none;
}

Case make_case(Letter letter, const Context& ctx, std::string id) {
    require_utf8(N_("the subject is not valid UTF-8 (at byte {})"), letter.subject);
    require_utf8(N_("the sender's name is not valid UTF-8 (at byte {})"), letter.sender.name);
    require_utf8(N_("the e-mail address is not valid UTF-8 (at byte {})"), letter.sender.email);
    require_utf8(N_("the phone number is not valid UTF-8 (at byte {})"), letter.sender.phone);
    require_utf8(N_("the body is not valid UTF-8 (at byte {})"), letter.body);
    Case c;
    c.id = std::move(id);
    c.status = Status::received;
    c.subject = letter_subject(letter.subject, letter.notes);
    c.sender = letter_sender(letter.sender, letter.notes);
    c.channel = letter.channel;
    c.received = letter.received.value_or(ctx.now);
    switch (why_not_received(c.received, ctx.now)) {
    case NotReceived::none:
        break;
    case NotReceived::out_of_years:
        throw UsageError(tr("received {}: a letter is received in 2000 to 2099, as its case id "
                            "holds two digits of the year",
                            c.received.iso()));
    case NotReceived::after_registered:
        throw UsageError(tr("received {}: after it was registered ({}); a letter comes before it "
                            "is registered",
                            c.received.iso(), ctx.now.iso()));
    }
    c.body =
        cut(tidy_body(letter.body), k_limits.body,
            {"the text was {} bytes; only the first {} are kept", "正文原有{}字节，仅保留前{}字节"},
            letter.notes);
    if (!letter.message_id.empty()) {
        c.message_id = one_line(letter.message_id);
    }
    c.content_hash = letter.content_hash.empty()
                         ? content_hash(c.subject, c.sender.name, c.received.iso(), c.body)
                         : letter.content_hash;
    c.attachments = std::move(letter.attachments);
    c.restricted = letter.restricted || letter.accused;
    c.accused = letter.accused;
    if (c.restricted) {
        letter.notes.push_back(c.accused
                                   ? note({"restricted: accuses {}", "举报件：举报{}"}, *c.accused)
                                   : note({"restricted", "举报件"}));
    }
    if (c.body.empty()) {
        letter.notes.push_back(note({"the letter has no text", "来信无正文"}));
    }
    append_history(c, ctx.now, ctx.by, Action::received,
                   received_note(c, letter.notes, ctx.record));
    return c;
}

Intake::Intake(const Mailbox& mailbox, const Context& ctx, bool dry_run, bool link)
    : m_mailbox(mailbox), m_ctx(ctx), m_dry_run(dry_run), m_link(link), m_letters(mailbox),
      m_matcher(mailbox, m_letters), m_router(mailbox.config()) {}

std::optional<Suggestion> Intake::learned_suggestion_for(const Case& c) {
    if (!m_learned_tried) {
        m_learned_tried = true;
        try {
            m_learned = std::make_unique<LearnedSuggestions>(m_mailbox);
            m_learned_cases = m_learned->cases();
        } catch (const Error&) {
            // A cache that cannot be read nor made: letters are registered
            // all the same, with no learned suggestion.
        }
    }
    if (!m_learned) {
        return std::nullopt;
    }
    return learned_suggestion(m_mailbox.config(),
                              {m_learned->categories(), m_learned->units(), m_learned_cases},
                              features_of(c.subject, c.body), c.accused);
}

struct Intake::Writing {
    std::vector<Case> fresh, changed;
    std::unordered_map<std::string, const Case*> at; // the last version of each
    std::future<void> done;
};

Intake::~Intake() = default; // waits for a write under way

IntakeResult Intake::add(Letter letter) {
    std::optional<std::string> chosen = letter.category;
    std::string original = std::move(letter.original);
    if (!original.empty()) {
        letter.attachments.push_back(
            {"原始邮件.eml", static_cast<std::int64_t>(original.size()), original_path(original)});
    }
    IntakeResult r;
    // The id is taken only once the letter is known to be good and new.
    r.c = make_case(std::move(letter), m_ctx, "");
    apply_category(r.c, chosen, m_mailbox.config(), m_router,
                   [this](const Case& c) { return learned_suggestion_for(c); });
    r.already = m_letters.find_letter(r.c.message_id.value_or(""), *r.c.content_hash);
    if (r.already) {
        try {
            r.c = current(*r.already); // what it was registered as
        } catch (const Error&) {
            // Registered in this dry run, or broken since: check says why.
        }
        return r;
    }
    if (!original.empty() && !m_dry_run) {
        keep_original(original);
    }
    Bigrams bigrams = letter_bigrams(r.c.subject, r.c.body);
    const Case drawn = r.c;
    // A second writer whose lock was lost may have drawn the same id: its
    // letter is never replaced, this one takes the next id.
    for (int attempt = 0;; ++attempt) {
        r.c = drawn;
        r.c.id = m_mailbox.new_case_id(m_ctx.now, m_dry_run ? Mailbox::Reserve::no
                                                  : m_hold  ? Mailbox::Reserve::with_batch
                                                            : Mailbox::Reserve::now);
        r.c.history.back().id = history_entry_id(r.c.id, r.c.history.back(), 0);
        std::vector<Case> linked;
        if (m_link) {
            r.link = m_matcher.best_match(r.c, bigrams);
            if (r.link) {
                linked = link_group(r.c, *r.link);
            }
        }
        if (m_dry_run) {
            break;
        }
        if (m_hold) {
            hold(r.c, std::move(linked));
            break;
        }
        try {
            m_mailbox.save_new(r.c, linked);
        } catch (const FileExists&) {
            if (attempt < 16) {
                continue;
            }
            throw;
        }
        for (const Case& other : linked) {
            m_letters.add_written(other); // its stamp changed: not to be read again
        }
        m_letters.add_written(r.c);
        m_matcher.add(r.c, bigrams);
        r.group = whole_group(r.c);
        return r;
    }
    m_matcher.add(r.c, bigrams);
    m_letters.add_unwritten(r.c, std::move(bigrams)); // a dry run's, or held until written
    r.group = whole_group(r.c);
    return r;
}

Case Intake::current(const std::string& id) const {
    if (auto c = m_changed.find(id); c != m_changed.end()) {
        return c->second;
    }
    if (auto at = m_new_at.find(id); at != m_new_at.end()) {
        return m_new[at->second];
    }
    if (m_writing) {
        if (auto at = m_writing->at.find(id); at != m_writing->at.end()) {
            return *at->second; // read here while the writer reads it too: neither changes it
        }
    }
    return m_mailbox.load(id);
}

namespace {

// About how many bytes a case takes, held: its text, its history, its links.
std::size_t footprint(const Case& c) {
    std::size_t bytes = sizeof(Case) + c.subject.size() + c.body.size() + 16 * c.group.size();
    for (const HistoryEntry& h : c.history) {
        bytes += sizeof(HistoryEntry) + h.note.size();
    }
    return bytes;
}

} // namespace

void Intake::hold(const Case& c, std::vector<Case> changed) {
    m_new_at[c.id] = m_new.size();
    m_new.push_back(c);
    m_held_bytes += footprint(c);
    for (Case& other : changed) {
        std::size_t bytes = footprint(other);
        auto [at, added] = m_changed.try_emplace(other.id);
        if (!added) {
            m_held_bytes -= std::min(m_held_bytes, footprint(at->second));
        }
        at->second = std::move(other);
        m_held_bytes += bytes;
    }
}

void Intake::flush() {
    start_flush();
    finish_flush();
}

void Intake::start_flush() {
    finish_flush();
    if (held() == 0) {
        return;
    }
    auto w = std::make_unique<Writing>();
    w->fresh = std::move(m_new);
    for (auto& [id, c] : m_changed) {
        w->changed.push_back(std::move(c));
    }
    drop_held();
    m_mailbox.keep_last_id(); // first, as `new` does: a disk that refuses it refuses the batch
    for (const std::vector<Case>* cases : {&w->fresh, &w->changed}) {
        for (const Case& c : *cases) {
            w->at[c.id] = &c; // a new case changed later: the later version
        }
    }
    w->done = std::async(std::launch::async,
                         [&mailbox = m_mailbox, &w = *w] { mailbox.save_new(w.fresh, w.changed); });
    m_writing = std::move(w);
}

void Intake::finish_flush() {
    if (!m_writing) {
        return;
    }
    std::unique_ptr<Writing> w = std::move(m_writing);
    try {
        w->done.get();
    } catch (...) {
        drop_held(); // matched against the cases not written
        throw;
    }
    m_letters.index_new(std::move(w->fresh), std::move(w->changed));
}

void Intake::drop_held() {
    m_new.clear();
    m_new_at.clear();
    m_changed.clear();
    m_held_bytes = 0;
}

// Written before the case that names it, so no case names a missing file.
void Intake::keep_original(const std::string& original) const {
    std::filesystem::path path = m_mailbox.absolute(original_path(original));
    std::filesystem::create_directories(path.parent_path());
    try {
        write_files_atomically({{path, original, true}});
    } catch (const FileExists&) {
        // The same message, kept before: its name is its content.
    }
}

// The new case joins the group of the case it matched by a link written in
// both: it names that case, that case names it, and each gets a history
// entry saying so. The rest of the group is reached through those links
// (model/group.hpp) and left as it is: a letter copied by a campaign
// changes two files, not every copy before it. Returns the matched case,
// to write with the new one.
std::vector<Case> Intake::link_group(Case& c, const DedupeHit& hit) {
    Language l = m_ctx.record;
    std::string score = fmt::format("{:.2f}", hit.similarity.score);
    Phrase same = hit.same_sender ? Phrase{"the same letter as {} (similarity {}, same sender)",
                                           "与{}为同一来信（相似度{}，同一来信人）"}
                                  : Phrase{"the same letter as {} (similarity {})",
                                           "与{}为同一来信（相似度{}）"};
    c.group = {hit.id};
    append_history(c, m_ctx.now, m_ctx.by, Action::link, say(l, same, hit.id, score));
    if (m_dry_run) {
        return {};
    }
    Case matched;
    try {
        matched = current(hit.id);
    } catch (const UsageError&) {
        return {}; // gone since the letter index read it: check reports the link
    } catch (const SystemError&) {
        return {};
    }
    if (std::find(matched.group.begin(), matched.group.end(), c.id) != matched.group.end()) {
        return {};
    }
    matched.group.push_back(c.id);
    std::sort(matched.group.begin(), matched.group.end());
    append_history(matched, m_ctx.now, m_ctx.by, Action::link, say(l, same, c.id, score));
    return {std::move(matched)};
}

std::vector<std::string> Intake::whole_group(const Case& c) {
    if (c.group.empty()) {
        return {};
    }
    if (!m_groups) {
        m_groups = m_letters.groups();
    }
    m_groups->link(c.id, c.group);
    return m_groups->others(c.id);
}

Case register_letter(const Mailbox& mailbox, const Context& ctx, Letter letter, bool dry_run) {
    Intake intake(mailbox, ctx, dry_run, true);
    IntakeResult r = intake.add(std::move(letter));
    return r.already ? Case{} : r.c;
}

} // namespace mailbox
