#include "intake/intake_edit.hpp"

#include "intake/intake.hpp"
#include "util/charset.hpp"
#include "util/edit_distance.hpp"
#include "util/error.hpp"
#include "util/i18n.hpp"
#include "util/text.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <map>

namespace mailbox {

namespace {

std::string shown(std::string_view value) {
    return value.empty() ? "(none)" : std::string(value);
}

const Typed* given_for(const Corrections& given, const std::string& field) {
    auto it = given.find(field);
    return it == given.end() ? nullptr : &it->second;
}

// A field of the registration as the record names it.
std::string field_named(Language l, const std::string& field) {
    static const std::map<std::string, std::string> chinese{
        {"subject", "标题"},   {"from", "来信人"},       {"email", "电子邮箱"},
        {"phone", "联系电话"}, {"received", "来信时间"}, {"channel", "来信渠道"}};
    auto it = chinese.find(field);
    return l == Language::zh_CN && it != chinese.end() ? it->second : field;
}

// Each field's value as the note shows it, in field order.
std::vector<std::string> values(const CaseSummary& c, const date::time_zone* zone) {
    return {c.subject,
            c.sender.name,
            c.sender.email,
            c.sender.phone,
            moment_text(c.received, zone),
            std::string(to_string(c.channel))};
}

Timestamp received_from(const Typed& t, const CaseSummary& c, const Context& ctx,
                        const date::time_zone* zone) {
    std::string text = trimmed(t.text);
    Timestamp received = moment_flag(t.where, text, zone);
    // As intake refuses it: the registration is the case's first entry.
    Timestamp registered = c.history.empty() ? ctx.now : c.history.front().at;
    switch (why_not_received(received, registered)) {
    case NotReceived::none:
        break;
    case NotReceived::out_of_years:
        throw UsageError(tr("{} '{}': a letter is received in 2000 to 2099, as its case id holds "
                            "two digits of the year",
                            t.where, text));
    case NotReceived::after_registered:
        throw UsageError(tr("{} '{}': after it was registered ({}); a letter comes before it is "
                            "registered",
                            t.where, text, registered.iso()));
    }
    // The same moment written in another offset is no correction.
    return received.sys() == c.received.sys() ? c.received : received;
}

Channel channel_from(const Typed& t) {
    std::string text = trimmed(t.text);
    auto channel = parse_channel(text);
    if (!channel) {
        throw UsageError(tr("{} '{}': expected {} or {}", t.where, text, channel_list_but_last(),
                            last_channel()));
    }
    return *channel;
}

std::vector<FieldChange> changes_between(const CaseSummary& was, const CaseSummary& now,
                                         const date::time_zone* zone) {
    std::vector<std::string> before = values(was, zone);
    std::vector<std::string> after = values(now, zone);
    constexpr std::size_t k_received = 4; // in correctable_fields()
    if (was.received != now.received && before[k_received] == after[k_received]) {
        // One clock time in two offsets (a clock put back): both in full.
        before[k_received] = was.received.iso();
        after[k_received] = now.received.iso();
    }
    std::vector<FieldChange> changes;
    for (std::size_t i = 0; i < before.size(); ++i) {
        if (before[i] != after[i]) {
            changes.push_back({correctable_fields()[i], shown(before[i]), shown(after[i])});
        }
    }
    return changes;
}

} // namespace

const std::vector<std::string>& correctable_fields() {
    static const std::vector<std::string> k_fields{"subject", "from",     "email",
                                                   "phone",   "received", "channel"};
    return k_fields;
}

Corrected correct_registration(Case c, const Context& ctx, const date::time_zone* zone,
                               const Corrections& given) {
    const std::vector<std::string>& fields = correctable_fields();
    for (const auto& entry : given) {
        if (std::find(fields.begin(), fields.end(), entry.first) == fields.end()) {
            throw UsageError(tr("{}: not a field of the registration", entry.second.where));
        }
    }
    Corrected out{c, {}};
    std::vector<Note> notes; // what was cut, as at registration
    if (const Typed* t = given_for(given, "subject")) {
        out.c.subject = letter_subject(t->text, notes);
    }
    Sender sender = c.sender;
    for (auto [field, value] :
         {std::pair{"from", &sender.name}, {"email", &sender.email}, {"phone", &sender.phone}}) {
        if (const Typed* t = given_for(given, field)) {
            *value = t->text;
        }
    }
    if (given.count("from") || given.count("email") || given.count("phone")) {
        out.c.sender = letter_sender(sender, notes);
    }
    if (const Typed* t = given_for(given, "received")) {
        out.c.received = received_from(*t, c, ctx, zone);
    }
    if (const Typed* t = given_for(given, "channel")) {
        out.c.channel = channel_from(*t);
    }
    out.changes = changes_between(c, out.c, zone);
    if (out.changes.empty()) {
        return {std::move(c), {}};
    }
    if (std::optional<Timestamp> last = c.last_change(); last && ctx.now < *last) {
        throw UsageError(tr("case {} last changed at {}; acting at {} would put its "
                            "history out of order",
                            c.id, last->iso(), ctx.now.iso()));
    }
    Language l = ctx.record;
    std::vector<std::string> parts;
    for (const FieldChange& change : out.changes) {
        parts.push_back(say(l, {"{}: {} → {}", "{}：{} → {}"}, field_named(l, change.field),
                            change.before, change.after));
    }
    for (const Note& n : notes) {
        parts.push_back(n.in(l));
    }
    append_history(out.c, ctx.now, ctx.by, Action::edit, clauses(l, parts));
    return out;
}

Corrected edit_registration(const Mailbox& m, const Context& ctx, const std::string& id,
                            const Corrections& given) {
    return correct_registration(m.load(id), ctx, m.config().zone, given);
}

std::string moment_text(const Timestamp& t, const date::time_zone* zone) {
    if (!zone || !(in_zone(t.sys(), zone) == t)) {
        return t.iso();
    }
    auto day = date::floor<date::days>(t.local);
    date::hh_mm_ss time{t.local - day};
    std::string text = fmt::format("{} {:02}:{:02}", iso_day(t.day()), time.hours().count(),
                                   time.minutes().count());
    if (time.seconds().count() != 0) {
        text += fmt::format(":{:02}", time.seconds().count());
    }
    return text;
}

std::string registration_form(const CaseSummary& c, const date::time_zone* zone) {
    // The comments in the clerk's language, the field names as they are read.
    std::string form =
        commented(tr("Correct the registration of case {}: change a value, save and quit.\n"
                     "Lines starting with '#' are left out; the form saved as it is changes "
                     "nothing.\nemail, phone: empty clears it; received: YYYY-MM-DD HH:MM, "
                     "the office's clock;\nchannel: {} or {}.",
                     c.id, channel_list_but_last(), last_channel()));
    std::vector<std::string> now = values(c, zone);
    const std::vector<std::string>& fields = correctable_fields();
    for (std::size_t i = 0; i < fields.size(); ++i) {
        form += fmt::format("{}:{}{}\n", fields[i], now[i].empty() ? "" : " ", now[i]);
    }
    return form;
}

namespace {

struct FormLine {
    std::string value;
    unsigned line = 0;
};

// "field: value" per line (a full-width colon too, as a Chinese keyboard
// types it), comments and blank lines left out.
std::map<std::string, FormLine> form_fields(std::string_view text, const std::string& name) {
    const std::vector<std::string>& fields = correctable_fields();
    std::map<std::string, FormLine> out;
    unsigned number = 0;
    while (!text.empty()) {
        std::size_t end = text.find('\n');
        std::string line = trimmed(text.substr(0, end));
        text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
        ++number;
        if (line.empty() || line.starts_with('#')) {
            continue;
        }
        std::size_t colon = std::min(line.find(':'), line.find("："));
        if (colon == std::string::npos) {
            throw UsageError(tr("{}:{}: expected 'field: value', got '{}'", name, number, line));
        }
        std::string field = lower_ascii(trimmed(line.substr(0, colon)));
        std::size_t skip = line.compare(colon, 1, ":") == 0 ? 1 : std::string_view("：").size();
        if (std::find(fields.begin(), fields.end(), field) == fields.end()) {
            std::string near = suggestions(field, fields);
            throw UsageError(near.empty() ? tr("{}:{}: unknown field '{}'", name, number, field)
                                          : tr("{}:{}: unknown field '{}'; did you mean {}?", name,
                                               number, field, near));
        }
        if (auto seen = out.find(field); seen != out.end()) {
            throw UsageError(
                tr("{}:{}: '{}' again (first on line {})", name, number, field, seen->second.line));
        }
        out[field] = {trimmed(line.substr(colon + skip)), number};
    }
    for (const std::string& field : fields) {
        if (!out.count(field)) {
            throw UsageError(tr("{}: no '{}' line; to clear a value, leave it empty "
                                "after '{}:'",
                                name, field, field));
        }
    }
    return out;
}

} // namespace

std::optional<Corrections> read_registration_form(std::string_view edited, std::string_view opened,
                                                  const std::string& name) {
    if (edited == opened) {
        return std::nullopt;
    }
    if (auto at = invalid_utf8_at(edited)) {
        auto line =
            std::count(edited.begin(), edited.begin() + static_cast<std::ptrdiff_t>(*at), '\n');
        throw UsageError(tr("{}:{}: not valid UTF-8; save the form as UTF-8", name, line + 1));
    }
    std::map<std::string, FormLine> was = form_fields(opened, name);
    Corrections out;
    for (const auto& [field, now] : form_fields(edited, name)) {
        if (now.value != was[field].value) {
            out[field] = {now.value, fmt::format("{}:{}: {}", name, now.line, field)};
        }
    }
    return out;
}

} // namespace mailbox
