#include "reply/send.hpp"

#include "format/mail.hpp"
#include "format/output.hpp"
#include "format/render.hpp"
#include "model/calendar.hpp"
#include "reply/draft.hpp"
#include "store/cache/letter_index.hpp"
#include "store/templates.hpp"
#include "util/atomic_file.hpp"
#include "util/command.hpp"
#include "util/error.hpp"
#include "util/i18n.hpp"
#include "util/text.hpp"

#include <algorithm>
#include <array>
#include <fmt/format.h>
#include <optional>
#include <set>

namespace mailbox {

namespace {

std::string_view via_cn(ReplyVia v) {
    static constexpr std::array<std::string_view, 3> k_words{"电子邮件", "纸质信件", "短信"};
    return k_words[static_cast<std::size_t>(v)];
}

bool real_name(const std::string& name) {
    return !sender_keys(Sender{name, "", ""}).empty();
}

// A clause ended as a sentence, so that the template can go on after it.
std::string sentence(std::string s) {
    static constexpr std::array<std::string_view, 6> k_ends{"。", "！", "？", "；", ".", "…"};
    if (!s.empty() && std::none_of(k_ends.begin(), k_ends.end(),
                                   [&](std::string_view e) { return s.ends_with(e); })) {
        s += "。";
    }
    return s;
}

// The answer's paragraphs indented as a Chinese letter's are.
std::string indented(const std::string& text) {
    std::string out;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = std::min(text.find('\n', start), text.size());
        std::string line = text.substr(start, end - start);
        std::string_view rest(line);
        while (!rest.empty() &&
               (rest.front() == ' ' || rest.front() == '\t' || rest.starts_with("\u3000"))) {
            rest.remove_prefix(rest.front() == ' ' || rest.front() == '\t' ? 1 : 3);
        }
        out += rest.empty() ? "" : "    " + std::string(rest);
        out += end < text.size() ? "\n" : "";
        start = end + 1;
    }
    return out;
}

TemplateData reply_data(const Mailbox& m, const Context& ctx, const CaseSummary& c) {
    const Config& config = m.config();
    const Draft& d = *c.draft;
    TemplateData t;
    t.set("id", c.id);
    t.set("name", c.sender.name);
    t.set("salutation", real_name(c.sender.name) ? c.sender.name + "同志" : "尊敬的来信人");
    t.set("received", iso_day(c.received.day()));
    t.set("received_cn", date_cn(c.received.day()));
    t.set("subject", c.subject);
    t.set("unit_name", unit_name(config, d.unit.empty() ? c.handler : d.unit));
    std::string co;
    for (const std::string& u : c.co_units) {
        co += (co.empty() ? "" : "、") + unit_name(config, u);
    }
    t.set("co_units", co);
    t.set("has_co_units", !co.empty());
    t.set("text", d.text);
    t.set("paragraphs", indented(d.text));
    t.set("outcome", std::string(to_string(d.outcome)));
    t.set("outcome_cn", std::string(chinese_name(d.outcome)));
    t.set("basis", sentence(d.basis));
    t.set("has_basis", !d.basis.empty());
    t.set("steps", sentence(d.steps));
    t.set("has_steps", !d.steps.empty());
    t.set("target_date_cn", d.target_date ? date_cn(*d.target_date) : "");
    t.set("has_target_date", d.target_date.has_value());
    t.set("office", config.office.name);
    t.set("phone", config.office.phone);
    t.set("email", config.office.email);
    t.set("date", iso_day(ctx.today));
    t.set("date_cn", date_cn(ctx.today));
    return t;
}

std::string first_line(std::string s) {
    s = s.substr(0, s.find('\n'));
    while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) {
        s.pop_back();
    }
    return s;
}

int code_points(std::string_view s) {
    return static_cast<int>(std::count_if(s.begin(), s.end(), [](char ch) {
        return (static_cast<unsigned char>(ch) & 0xC0) != 0x80;
    }));
}

OutgoingReply email_reply(const Mailbox& m, const Context& ctx, const CaseSummary& c,
                          const TemplateData& t) {
    const Config& config = m.config();
    std::string domain = config.office.email.substr(config.office.email.find('@') + 1);
    OutgoingMail mail;
    mail.from_name = config.office.name;
    mail.from_address = config.office.email;
    mail.to_name = real_name(c.sender.name) ? c.sender.name : "";
    mail.to_address = c.sender.email;
    mail.subject = first_line(render(load_template(m, "reply-subject"), t));
    mail.body = render(load_template(m, "reply"), t);
    mail.date = ctx.now;
    // Fresh for every send, and the same for the same --now: tests and
    // dry runs stay reproducible.
    mail.message_id =
        fmt::format("reply.{}.{}@{}", c.id, date::format("%Y%m%dT%H%M%S", ctx.now.local), domain);
    mail.in_reply_to = c.message_id.value_or("");
    if (mail.in_reply_to.size() > 2 && mail.in_reply_to.front() == '<') {
        mail.in_reply_to = mail.in_reply_to.substr(1, mail.in_reply_to.size() - 2);
    }
    OutgoingReply r;
    r.via = ReplyVia::email;
    r.to = c.sender.email;
    r.file = c.id + ".eml";
    r.text = build_message(mail);
    r.message_id = mail.message_id;
    return r;
}

} // namespace

int sms_segments(int characters) {
    if (characters <= 70) {
        return characters > 0 ? 1 : 0;
    }
    return (characters + 66) / 67;
}

bool sms_number(std::string_view phone) {
    int digits = 0;
    for (char ch : phone) {
        if (ch >= '0' && ch <= '9') {
            ++digits;
        } else if (ch != '+' && ch != '-' && ch != ' ') {
            return false;
        }
    }
    return digits >= 5 && phone.front() != '-';
}

namespace {

constexpr std::array<std::string_view, 16> k_closing{"，", "。", "、", "；", "：", "！", "？", "）",
                                                     "」", "』", "”",  "’",  "》", "〉", "】", "…"};

} // namespace

namespace {

std::size_t char_length(std::string_view s, std::size_t i) {
    std::size_t len = 1;
    while (i + len < s.size() && (static_cast<unsigned char>(s[i + len]) & 0xC0) == 0x80) {
        ++len;
    }
    return len;
}

bool latin(char ch) {
    return ch != ' ' && static_cast<unsigned char>(ch) < 0x80;
}

// Where to end a line that is too wide: the longest head that fits (at
// least one character), with closing punctuation hung in the margin, and
// back to a space when the cut falls inside a Latin word or number.
std::size_t wrap_cut(std::string_view line, int columns) {
    std::size_t cut = char_length(line, 0);
    for (std::size_t i = cut; i < line.size(); i += char_length(line, i)) {
        if (display_width(line.substr(0, i + char_length(line, i))) > columns) {
            break;
        }
        cut = i + char_length(line, i);
    }
    for (std::string_view p : k_closing) {
        if (line.substr(cut).starts_with(p)) {
            return cut + p.size();
        }
    }
    if (cut < line.size() && latin(line[cut]) && latin(line[cut - 1])) {
        std::size_t word = cut;
        while (word > 0 && latin(line[word - 1])) {
            --word;
        }
        // Only a space that ends text, not an indent, may take the break.
        if (word > 1 && line[word - 1] == ' ' &&
            line.substr(0, word - 1).find_first_not_of(' ') != std::string_view::npos) {
            return word - 1;
        }
    }
    return cut;
}

} // namespace

std::string wrap_text(std::string_view text, int columns) {
    std::string out;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        std::string_view line =
            text.substr(start, (end == std::string_view::npos ? text.size() : end) - start);
        while (display_width(line) > columns) {
            std::size_t cut = wrap_cut(line, columns);
            std::string_view head = line.substr(0, cut);
            while (head.size() > 1 && head.back() == ' ') {
                head.remove_suffix(1);
            }
            out.append(head);
            out += '\n';
            line = line.substr(cut);
            if (!line.empty() && line.front() == ' ') {
                line.remove_prefix(1);
            }
        }
        out.append(line);
        if (end == std::string_view::npos) {
            break;
        }
        out += '\n';
        start = end + 1;
    }
    return out;
}

std::vector<SenderReplies> plan_replies(const Mailbox& m, const Context& ctx, const std::string& id,
                                        std::vector<std::string>* left) {
    std::vector<Case> cases = LetterIndex(m).load_group(id);
    const CaseSummary& first = cases.front();
    if (first.status == Status::received) {
        throw GateRefused(tr("case {} is not assigned: no unit answers it now", id));
    }
    if (first.is_open() && (!first.draft || first.draft->state != DraftState::approved)) {
        throw GateRefused(
            !first.draft
                ? tr("case {}: there is no answer drafted; only an approved answer is sent "
                     "(mailbox-reply review)",
                     id)
                : tr("case {}: the answer is {}; only an approved answer is sent (mailbox-reply "
                     "review)",
                     id, to_string(first.draft->state)));
    }
    std::vector<SenderReplies> out;
    for (Case& c : cases) {
        if (!c.is_open()) {
            continue; // answered already
        }
        if (c.status != Status::assigned || !c.draft || c.draft->state != DraftState::approved) {
            if (left) {
                left->push_back(
                    c.status != Status::assigned
                        ? tr("case {} holds the same letter but is not assigned: it is not "
                             "answered by this send",
                             c.id)
                    : !c.draft ? tr("case {} holds the same letter but has no answer drafted: it "
                                    "is not answered by this send",
                                    c.id)
                               : tr("case {} holds the same letter but its answer is {}: it is "
                                    "not answered by this send",
                                    c.id, to_string(c.draft->state)));
            }
            continue;
        }
        require_in_order(c, ctx);
        auto same = std::find_if(out.begin(), out.end(), [&](const SenderReplies& s) {
            return same_sender(s.c.sender, c.sender);
        });
        if (same != out.end()) {
            same->also.push_back(std::move(c)); // one reply per sender (分别答复)
            continue;
        }
        TemplateData t = reply_data(m, ctx, c);
        SenderReplies s{c, {}, {}};
        if (plain_address(c.sender.email)) {
            s.messages.push_back(email_reply(m, ctx, c, t));
        } else {
            if (!c.sender.email.empty() && left) {
                // A web form's "无" or "/" must not stop the other senders.
                left->push_back(tr("case {}: the e-mail address '{}' is not one mail can "
                                   "go to: a letter instead",
                                   c.id, c.sender.email));
            }
            std::string name = real_name(c.sender.name) ? c.sender.name : "来信人";
            s.messages.push_back({ReplyVia::letter, name, c.id + ".letter.txt",
                                  wrap_text(render(load_template(m, "reply-letter"), t), 72), "", 0,
                                  0, !sms_number(c.sender.phone)});
            if (sms_number(c.sender.phone)) {
                std::string sms = std::string(strip_end(render(load_template(m, "sms"), t)));
                int n = code_points(sms);
                s.messages.push_back({ReplyVia::sms, c.sender.phone, c.id + ".sms.txt", sms, "", n,
                                      sms_segments(n)});
            }
        }
        out.push_back(std::move(s));
    }
    return out;
}

void record_replies(Case& c, const Config& config, const Context& ctx,
                    const std::vector<OutgoingReply>& sent) {
    std::optional<Day> due = due_day(c, config);
    Lateness late = lateness(c, config, ctx.today);
    const Draft& d = *c.draft;
    c.due = due;
    c.replied = ctx.now;
    c.on_time = late == Lateness::none;
    c.late = late == Lateness::none      ? std::nullopt
             : late == Lateness::overdue ? std::optional<std::string>("overdue")
                                         : std::optional<std::string>("very-overdue");
    c.outcome = d.outcome;
    c.status = needs_tracking(d.outcome) ? Status::tracking : Status::replied;
    Language l = ctx.record;
    std::vector<std::string> ways;
    for (const OutgoingReply& r : sent) {
        c.replies.push_back({r.via, r.to, ctx.now, r.message_id});
        ways.push_back(say(l, {"{0} to {2}", "{1}发至{2}"}, to_string(r.via), via_cn(r.via), r.to));
    }
    // "<ways>; <verdict>[, due D]; <outcome>": reports read the verdict back
    // (report/stats.cpp), in either language.
    std::string verdict = say(l, c.on_time.value()           ? k_on_time
                                 : late == Lateness::overdue ? k_overdue
                                                             : k_very_overdue);
    if (due) {
        verdict += say(l, {", due {}", "，期限{}"}, iso_day(*due));
    }
    std::string outcome(l == Language::zh_CN ? chinese_name(d.outcome) : to_string(d.outcome));
    append_history(c, ctx.now, ctx.by, Action::reply,
                   clauses(l, {list_of(l, ways), verdict, outcome}));
}

namespace {

Delivered deliver(const OutgoingReply& r, const std::string& case_id, const Delivery& how) {
    Delivered d{case_id, r, "", "", ""};
    const std::vector<std::string>& command = r.via == ReplyVia::email ? how.sendmail
                                              : r.via == ReplyVia::sms ? how.sms
                                                                       : std::vector<std::string>{};
    if (!command.empty()) {
        std::vector<std::string> argv = command;
        argv.push_back(r.to); // checked: a plain address or a number, never an option
        d.where = fmt::format("{}", fmt::join(argv, " "));
        if (how.dry_run) {
            d.done = "would send";
            return d;
        }
        CommandResult result = run_with_input(argv, r.text);
        d.done = result.status == 0 ? "sent" : "failed";
        if (result.status != 0) {
            std::string said = result.output;
            std::replace(said.begin(), said.end(), '\n', ' ');
            while (!said.empty() && said.back() == ' ') {
                said.pop_back();
            }
            d.error = said.empty()
                          ? tr("'{}' exited with {}", command.front(), result.status)
                          : tr("'{}' exited with {}: {}", command.front(), result.status, said);
        }
        return d;
    }
    d.where = (how.out_dir / r.file).string();
    if (how.dry_run) {
        d.done = "would write";
        return d;
    }
    std::error_code ec;
    std::filesystem::create_directories(how.out_dir, ec);
    remove_temp_files(how.out_dir); // a killed send's: the lock is held
    write_file_atomically(how.out_dir / r.file, r.text);
    d.done = "written";
    return d;
}

} // namespace

std::vector<Delivered> deliver_replies(const Mailbox& m, const Context& ctx,
                                       std::vector<SenderReplies> plan, const Delivery& how,
                                       std::vector<std::string>* saved) {
    std::vector<Delivered> out;
    std::optional<LetterIndex> letters; // opened before the writes it is told of
    if (!how.dry_run) {
        letters.emplace(m);
    }
    for (SenderReplies& s : plan) {
        bool all = true;
        for (const OutgoingReply& r : s.messages) {
            out.push_back(deliver(r, s.c.id, how));
            all = all && out.back().error.empty();
        }
        if (all && !how.dry_run) {
            record_replies(s.c, m.config(), ctx, s.messages);
            std::vector<Case> sender_cases{s.c};
            for (Case& other : s.also) {
                record_replies(other, m.config(), ctx, s.messages);
                sender_cases.push_back(other);
            }
            letters->save(sender_cases);
            for (const Case& c : sender_cases) {
                if (saved) {
                    saved->push_back(m.case_path(c.id));
                }
            }
        }
    }
    return out;
}

std::string mailbox_path(const std::string& where, const std::filesystem::path& root) {
    std::string prefix = root.string() + "/";
    return where.starts_with(prefix) ? where.substr(prefix.size()) : where;
}

Value delivered_record(const Delivered& d, const std::filesystem::path& root) {
    auto or_null = [](const std::string& s) { return s.empty() ? Value() : Value(s); };
    auto count = [](int n) { return n ? Value(n) : Value(); };
    return Value(Value::Object{
        {"id", d.case_id},
        {"via", std::string(to_string(d.reply.via))},
        {"to", d.reply.to},
        {"done", d.done},
        {"where", mailbox_path(d.where, root)},
        {"message_id", or_null(d.reply.message_id)},
        {"sms_characters", count(d.reply.sms_characters)},
        {"sms_segments", count(d.reply.sms_segments)},
        {"error", or_null(d.error)},
    });
}

const std::vector<Column>& send_columns(Format format) {
    static const std::vector<Column> k_table{{"id", _("ID")},       {"via", _("VIA")},
                                             {"to", _("TO")},       {"done", _("DONE")},
                                             {"where", _("WHERE")}, {"sms_segments", _("SMS")}};
    static const std::vector<Column> k_fields = [] {
        std::vector<Column> fields;
        Value any = delivered_record({}, "/"); // kept alive: the loop reads into it
        for (const auto& [key, value] : *any.object()) {
            fields.push_back({key, key});
        }
        return fields;
    }();
    return format == Format::table ? k_table : k_fields;
}

std::size_t senders_answered(const std::vector<Delivered>& done) {
    std::set<std::string> sent, failed;
    for (const Delivered& d : done) {
        (d.error.empty() ? sent : failed).insert(d.case_id);
    }
    return std::count_if(sent.begin(), sent.end(),
                         [&](const std::string& id) { return !failed.contains(id); });
}

} // namespace mailbox
