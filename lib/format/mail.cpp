#include "format/mime_module.hpp"
#include "util/charset.hpp"
#include "util/error.hpp"
#include "util/i18n.hpp"
#include "util/text.hpp"

#include <algorithm>
#include <fcntl.h>
#include <fmt/format.h>
#include <gmime/gmime.h>
#include <memory>
#include <mutex>

namespace mailbox::mime {

namespace {

void init_gmime() {
    static std::once_flag once;
    std::call_once(once, [] { g_mime_init(); });
}

// ---- RFC 2047 ----

std::string decode_b(std::string_view text) {
    std::string out;
    gsize len = 0;
    std::string padded(text);
    while (padded.size() % 4) {
        padded += '=';
    }
    guchar* bytes = g_base64_decode(padded.c_str(), &len);
    out.assign(reinterpret_cast<char*>(bytes), len);
    g_free(bytes);
    return out;
}

int hex(char ch) {
    if (ch >= '0' && ch <= '9') {
        return ch - '0';
    }
    ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    return ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
}

std::string decode_q(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '_') {
            out += ' ';
        } else if (text[i] == '=' && i + 2 < text.size() && hex(text[i + 1]) >= 0 &&
                   hex(text[i + 2]) >= 0) {
            out += static_cast<char>(hex(text[i + 1]) * 16 + hex(text[i + 2]));
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

struct EncodedWord {
    std::size_t begin = 0, end = 0; // in the raw text
    std::string charset;
    std::string bytes;
};

std::optional<EncodedWord> encoded_word_at(std::string_view s, std::size_t at) {
    if (s.compare(at, 2, "=?") != 0) {
        return std::nullopt;
    }
    std::size_t q1 = s.find('?', at + 2);
    if (q1 == std::string_view::npos || q1 + 2 >= s.size() || s[q1 + 2] != '?') {
        return std::nullopt;
    }
    std::size_t close = s.find("?=", q1 + 3);
    if (close == std::string_view::npos) {
        return std::nullopt;
    }
    EncodedWord w;
    w.begin = at;
    w.end = close + 2;
    w.charset = std::string(s.substr(at + 2, q1 - at - 2));
    if (auto star = w.charset.find('*'); star != std::string::npos) {
        w.charset.resize(star); // RFC 2231 language tag
    }
    std::string_view payload = s.substr(q1 + 3, close - q1 - 3);
    char enc = static_cast<char>(std::toupper(static_cast<unsigned char>(s[q1 + 1])));
    if (enc == 'B') {
        w.bytes = decode_b(payload);
    } else if (enc == 'Q') {
        w.bytes = decode_q(payload);
    } else {
        return std::nullopt;
    }
    return w;
}

std::string convert(const std::string& bytes, const std::string& charset) {
    return decode_declared(bytes, charset).text;
}

} // namespace

std::string decode_header_text(std::string_view raw) {
    std::string out, pending_bytes, pending_charset;
    auto flush = [&] {
        if (!pending_bytes.empty()) {
            out += convert(pending_bytes, pending_charset);
        }
        pending_bytes.clear();
        pending_charset.clear();
    };
    std::string plain;
    auto flush_plain = [&] {
        out += guess_to_utf8(plain);
        plain.clear();
    };
    for (std::size_t i = 0; i < raw.size();) {
        auto w = encoded_word_at(raw, i);
        if (!w) {
            plain += raw[i++];
            continue;
        }
        // White space between two encoded words is not part of the text.
        bool only_space = plain.find_first_not_of(" \t\r\n") == std::string::npos;
        if (!(only_space && !pending_bytes.empty())) {
            flush();
            flush_plain();
        } else {
            plain.clear();
        }
        if (!pending_bytes.empty() &&
            decoding_charset(w->charset) != decoding_charset(pending_charset)) {
            flush();
        }
        pending_charset = w->charset;
        pending_bytes += w->bytes;
        i = w->end;
    }
    flush();
    flush_plain();
    // Folded headers: CR/LF never survive into a subject or a name, nor a
    // NUL that broken base64 decodes to.
    return one_line(out);
}

namespace {

// ---- reading messages with GMime ----

template <typename T>
struct GUnref {
    void operator()(T* p) const {
        if (p) {
            g_object_unref(p);
        }
    }
};
template <typename T>
using GPtr = std::unique_ptr<T, GUnref<T>>;

std::string raw_header(GMimeObject* obj, const char* name) {
    GMimeHeaderList* headers = g_mime_object_get_header_list(obj);
    GMimeHeader* h = headers ? g_mime_header_list_get_header(headers, name) : nullptr;
    const char* raw = h ? g_mime_header_get_raw_value(h) : nullptr;
    return raw ? std::string(raw) : std::string();
}

std::string stream_bytes(GMimeStream* mem) {
    GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
    return std::string(reinterpret_cast<const char*>(bytes->data), bytes->len);
}

// The decoded bytes of a part (base64 and quoted-printable undone) as UTF-8.
// A text part is cut before it is decoded, so that a 20 MB part is not
// decoded whole for the 256 KiB kept: no charset gives fewer than half as
// many UTF-8 bytes as it reads, so this keeps more than the body and the
// HTML around it (16 times the body) can use. Cut after a line: no
// character is split.
constexpr std::size_t k_max_part_bytes = 32 * k_max_body_bytes;

Decoded part_text(GMimePart* part, std::vector<Note>& notes) {
    GMimeDataWrapper* content = g_mime_part_get_content(part);
    if (!content) {
        return {};
    }
    GPtr<GMimeStream> mem(g_mime_stream_mem_new());
    g_mime_data_wrapper_write_to_stream(content, mem.get());
    std::string raw = stream_bytes(mem.get());
    if (raw.size() > k_max_part_bytes) {
        std::size_t total = raw.size();
        std::size_t line = raw.rfind('\n', k_max_part_bytes - 1);
        raw.resize(line == std::string::npos ? k_max_part_bytes : line + 1);
        notes.push_back(note({"the text part was {} bytes; only the first {} are read",
                              "正文部分原有{}字节，仅读取前{}字节"},
                             total, raw.size()));
    }
    const char* charset = g_mime_object_get_content_type_parameter(GMIME_OBJECT(part), "charset");
    return charset ? decode_declared(raw, charset) : guess_decode(raw);
}

std::string message_bytes(GMimeMessage* msg) {
    GPtr<GMimeStream> mem(g_mime_stream_mem_new());
    g_mime_object_write_to_stream(GMIME_OBJECT(msg), nullptr, mem.get());
    return stream_bytes(mem.get());
}

std::int64_t part_size(GMimePart* part) {
    GMimeDataWrapper* content = g_mime_part_get_content(part);
    if (!content) {
        return 0;
    }
    GPtr<GMimeStream> null(g_mime_stream_null_new());
    g_mime_data_wrapper_write_to_stream(content, null.get());
    return static_cast<std::int64_t>(GMIME_STREAM_NULL(null.get())->written);
}

struct Walk {
    GMimePart* plain = nullptr;
    GMimePart* html = nullptr;
    // The text of a forwarded message, for a letter that has none of its own.
    GMimePart* forwarded_plain = nullptr;
    GMimePart* forwarded_html = nullptr;
    std::vector<Attachment> attachments;
};

// A forwarded message (message/rfc822) is an attachment of its own, named
// after its subject; the parts inside it are walked too (its body is
// returned), so the office sees every file a citizen sent, however deep.
GMimeObject* forwarded_message(GMimeMessagePart* part, Walk& walk) {
    GMimeMessage* inner = g_mime_message_part_get_message(part);
    if (!inner) {
        return nullptr;
    }
    std::string subject = decode_header_text(raw_header(GMIME_OBJECT(inner), "Subject"));
    walk.attachments.push_back({(subject.empty() ? "转发的邮件" : subject) + ".eml",
                                static_cast<std::int64_t>(message_bytes(inner).size()),
                                {}});
    return g_mime_message_get_mime_part(inner);
}

// GMime reads a Content-Type it cannot parse ("BINARY;name=x", with no
// subtype) as text/plain and drops its name. Such a part is a file the
// sender named, not the text of the letter: its name is read from the
// header's parameters.
std::optional<std::string> unparsed_type_name(GMimePart* p) {
    std::string raw = raw_header(GMIME_OBJECT(p), "Content-Type");
    auto semicolon = raw.find(';');
    std::string type = raw.substr(0, std::min(semicolon, raw.size()));
    if (raw.empty() || type.find('/') != std::string::npos) {
        return std::nullopt;
    }
    std::string as_file = "application/octet-stream" + raw.substr(type.size());
    GPtr<GMimeContentType> parsed(g_mime_content_type_parse(nullptr, as_file.c_str()));
    const char* name = parsed ? g_mime_content_type_get_parameter(parsed.get(), "name") : nullptr;
    return name ? decode_header_text(name) : "(unnamed)";
}

void walk_leaf(GMimePart* p, Walk& walk, bool forwarded) {
    GMimeContentType* type = g_mime_object_get_content_type(GMIME_OBJECT(p));
    const char* filename = g_mime_part_get_filename(p);
    if (!filename) {
        if (auto name = unparsed_type_name(p)) {
            walk.attachments.push_back({*name, part_size(p), {}});
            return;
        }
    }
    GMimePart*& plain = forwarded ? walk.forwarded_plain : walk.plain;
    GMimePart*& html = forwarded ? walk.forwarded_html : walk.html;
    if (g_mime_part_is_attachment(p) || filename) {
        std::string name = filename ? decode_header_text(filename) : "(unnamed)";
        walk.attachments.push_back({name, part_size(p), {}});
    } else if (g_mime_content_type_is_type(type, "text", "plain") && !plain) {
        plain = p;
    } else if (g_mime_content_type_is_type(type, "text", "html") && !html) {
        html = p;
    }
}

// In document order, with a stack of its own rather than recursion: a
// sender can nest parts as deep as the message is long.
void walk_parts(GMimeObject* body, Walk& walk) {
    std::vector<std::pair<GMimeObject*, bool>> todo{{body, false}}; // part, inside a forward
    while (!todo.empty()) {
        auto [part, forwarded] = todo.back();
        todo.pop_back();
        if (GMIME_IS_MULTIPART(part)) {
            GMimeMultipart* multi = GMIME_MULTIPART(part);
            for (int i = g_mime_multipart_get_count(multi) - 1; i >= 0; --i) {
                todo.emplace_back(g_mime_multipart_get_part(multi, i), forwarded);
            }
        } else if (GMIME_IS_MESSAGE_PART(part)) {
            if (GMimeObject* inner = forwarded_message(GMIME_MESSAGE_PART(part), walk)) {
                todo.emplace_back(inner, true);
            }
        } else if (GMIME_IS_PART(part)) {
            walk_leaf(GMIME_PART(part), walk, forwarded);
        }
    }
}

void read_sender(GMimeMessage* msg, MailLetter& letter) {
    std::string raw = raw_header(GMIME_OBJECT(msg), "From");
    InternetAddressList* from = g_mime_message_get_from(msg);
    for (int i = 0; from && i < internet_address_list_length(from); ++i) {
        InternetAddress* a = internet_address_list_get_address(from, i);
        if (INTERNET_ADDRESS_IS_MAILBOX(a)) {
            letter.sender.email = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a));
            break;
        }
    }
    // The name as written before <addr>, decoded here (see decode_header_text).
    std::string name = raw.substr(0, raw.find('<'));
    if (raw.find('<') == std::string::npos) {
        name.clear();
    }
    name = decode_header_text(name);
    std::string clean;
    for (char ch : name) {
        if (ch != '"') {
            clean += ch;
        }
    }
    auto first = clean.find_first_not_of(' ');
    auto last = clean.find_last_not_of(' ');
    letter.sender.name = first == std::string::npos ? "" : clean.substr(first, last - first + 1);
    if (letter.sender.name.empty()) {
        letter.sender.name = letter.sender.email.empty() ? "匿名" : letter.sender.email;
    }
}

std::string cut_body(std::string body, std::vector<Note>& notes) {
    if (body.size() <= k_max_body_bytes) {
        return body;
    }
    std::size_t total = body.size();
    std::size_t cut = k_max_body_bytes;
    while (cut > 0 && (static_cast<unsigned char>(body[cut]) & 0xC0) == 0x80) {
        --cut; // never in the middle of a character
    }
    body.resize(cut);
    notes.push_back(note(
        {"the text was {} bytes; only the first {} are kept", "正文原有{}字节，仅保留前{}字节"},
        total, cut));
    return body;
}

// HTML is cut before it is read: its text is cut anyway (k_max_body_bytes),
// and text is rarely a tenth of the markup around it.
std::string html_text(std::string_view html, std::vector<Note>& notes) {
    constexpr std::size_t k_max_html_bytes = 16 * k_max_body_bytes;
    if (html.size() > k_max_html_bytes) {
        std::size_t cut = k_max_html_bytes;
        while (cut > 0 && (static_cast<unsigned char>(html[cut]) & 0xC0) == 0x80) {
            --cut;
        }
        notes.push_back(note({"the HTML was {} bytes; only the first {} are read",
                              "HTML正文原有{}字节，仅读取前{}字节"},
                             html.size(), cut));
        html = html.substr(0, cut);
    }
    return html_to_text(html);
}

MailLetter letter_of(GMimeMessage* msg, const date::time_zone* zone,
                     const std::vector<Note>& warnings) {
    MailLetter letter;
    letter.notes = warnings;
    letter.subject = decode_header_text(raw_header(GMIME_OBJECT(msg), "Subject"));
    read_sender(msg, letter);
    if (GDateTime* d = g_mime_message_get_date(msg)) {
        auto t = date::sys_seconds{std::chrono::seconds{g_date_time_to_unix(d)}};
        Timestamp when = in_zone(t, zone);
        // A case id holds two digits of the year: 2000 to 2099.
        int year = static_cast<int>(date::year_month_day{when.day()}.year());
        if (year >= 2000 && year <= 2099) {
            letter.date = when;
        } else {
            letter.notes.push_back(
                note({"its Date, {}, is not in 2000 to 2099: received when registered",
                      "邮件日期{}不在2000年至2099年之间，按登记时间计收信时间"},
                     when.iso()));
        }
    }
    if (const char* id = g_mime_message_get_message_id(msg)) {
        letter.message_id = id;
    }
    Walk walk;
    GMimeObject* body = g_mime_message_get_mime_part(msg);
    if (body) {
        walk_parts(body, walk);
    }
    if (body && GMIME_IS_PART(body) && !walk.plain && !walk.html && walk.attachments.empty()) {
        walk.plain = GMIME_PART(body); // a bare message without a Content-Type
    }
    if (!walk.plain && !walk.html) { // a message only forwarded, with no word of its own
        walk.plain = walk.forwarded_plain;
        walk.html = walk.forwarded_html;
    }
    if (GMimePart* text = walk.plain ? walk.plain : walk.html) {
        Decoded d = part_text(text, letter.notes);
        if (d.replaced > 0) {
            letter.notes.push_back(
                d.replaced == 1
                    ? note({"1 byte of the text could not be read as {} and is shown as U+FFFD; "
                            "the original message is kept",
                            "正文有1个字节无法按{}读取，显示为U+FFFD；原邮件已保存"},
                           d.charset)
                    : note({"{} bytes of the text could not be read as {} and are shown as "
                            "U+FFFD; the original message is kept",
                            "正文有{}个字节无法按{}读取，显示为U+FFFD；原邮件已保存"},
                           d.replaced, d.charset));
            letter.original = message_bytes(msg);
        }
        letter.body = walk.plain ? std::move(d.text) : html_text(d.text, letter.notes);
    } else {
        letter.notes.push_back(note({"the message has no text part", "邮件没有正文部分"}));
    }
    letter.body = cut_body(std::move(letter.body), letter.notes);
    letter.attachments = std::move(walk.attachments);
    return letter;
}

void collect_warning(gint64, GMimeParserWarning code, const gchar*, gpointer data) {
    auto* warnings = static_cast<std::vector<Note>*>(data);
    std::optional<Phrase> what;
    switch (code) {
    case GMIME_WARN_TRUNCATED_MESSAGE:
        what = Phrase{"the message is truncated", "邮件不完整，已被截断"};
        break;
    case GMIME_WARN_MALFORMED_MULTIPART:
        what = Phrase{"a multipart has no parts", "邮件的multipart部分为空"};
        break;
    case GMIME_WARN_MALFORMED_MESSAGE:
        what = Phrase{"the message is malformed", "邮件格式有误"};
        break;
    case GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY:
        what = Phrase{"a multipart has no boundary", "邮件的multipart部分没有分隔符"};
        break;
    case GMIME_CRIT_NESTING_OVERFLOW:
        what = Phrase{"the MIME parts nest too deeply", "邮件的MIME部分嵌套过深"};
        break;
    default:
        break;
    }
    if (what && std::find(warnings->begin(), warnings->end(), note(*what)) == warnings->end()) {
        warnings->push_back(note(*what));
    }
}

bool looks_like_message(GMimeMessage* msg) {
    GMimeObject* obj = GMIME_OBJECT(msg);
    for (const char* h : {"From", "Subject", "Date", "Message-ID"}) {
        if (!raw_header(obj, h).empty()) {
            return true;
        }
    }
    return false;
}

} // namespace

std::vector<MailItem> read_mail_file(const std::filesystem::path& path, const std::string& display,
                                     const date::time_zone* zone) {
    init_gmime();
    std::vector<MailItem> items;
    GError* error = nullptr;
    GPtr<GMimeStream> stream(g_mime_stream_fs_open(path.c_str(), O_RDONLY, 0, &error));
    if (!stream) {
        items.push_back(
            {display, std::nullopt,
             error ? tr("can't read it: {}", error->message) : _("can't read it: unknown error")});
        g_clear_error(&error);
        return items;
    }
    char head[5] = {};
    g_mime_stream_read(stream.get(), head, 5);
    g_mime_stream_reset(stream.get());
    bool mbox = std::string_view(head, 5) == "From ";

    std::vector<Note> warnings;
    GMimeParserOptions* options = g_mime_parser_options_new();
    g_mime_parser_options_set_warning_callback(options, collect_warning, &warnings);
    GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
    g_mime_parser_set_format(parser.get(), mbox ? GMIME_FORMAT_MBOX : GMIME_FORMAT_MESSAGE);
    for (int n = 1; !g_mime_parser_eos(parser.get()); ++n) {
        warnings.clear();
        std::string where = mbox ? fmt::format("{}: message {}", display, n) : display;
        GPtr<GMimeMessage> msg(g_mime_parser_construct_message(parser.get(), options));
        if (!msg) {
            if (n == 1 || !mbox) {
                items.push_back({where, std::nullopt, _("not a mail message")});
            } else if (!g_mime_parser_eos(parser.get())) {
                items.push_back({where, std::nullopt,
                                 _("cannot be read: it and the rest of the mbox are skipped")});
            }
            break;
        }
        if (!looks_like_message(msg.get())) {
            items.push_back(
                {where, std::nullopt, _("not a mail message: no From, Subject or Date")});
        } else {
            items.push_back({where, letter_of(msg.get(), zone, warnings), ""});
        }
        if (!mbox) {
            break;
        }
    }
    g_mime_parser_options_free(options);
    return items;
}

std::optional<ParsedMail> parse_message(std::string_view text) {
    init_gmime();
    GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(text.data(), text.size()));
    GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
    GPtr<GMimeMessage> msg(g_mime_parser_construct_message(parser.get(), nullptr));
    if (!msg) {
        return std::nullopt;
    }
    ParsedMail out;
    GMimeObject* part = g_mime_message_get_mime_part(msg.get());
    // The message's own headers, then its body part's (Content-Type, ...).
    for (GMimeObject* obj : {GMIME_OBJECT(msg.get()), part}) {
        GMimeHeaderList* list = obj ? g_mime_object_get_header_list(obj) : nullptr;
        for (int i = 0, n = list ? g_mime_header_list_get_count(list) : 0; i < n; ++i) {
            GMimeHeader* h = g_mime_header_list_get_header_at(list, i);
            std::string unfolded;
            for (const char* p = g_mime_header_get_raw_value(h); p && *p; ++p) {
                if (*p != '\r' && *p != '\n') {
                    unfolded += *p;
                }
            }
            std::size_t start = unfolded.find_first_not_of(" \t");
            unfolded.erase(0, start == std::string::npos ? unfolded.size() : start);
            out.headers.emplace_back(g_mime_header_get_name(h), decode_header_text(unfolded));
        }
    }
    if (part && GMIME_IS_PART(part)) {
        std::vector<Note> notes; // a message the tools wrote: never that long
        out.body = part_text(GMIME_PART(part), notes).text;
    }
    return out;
}

// ---- out ----

namespace {

// One line of header text: no CR, LF or other control character survives.
std::string header_text(std::string_view s) {
    std::string out;
    for (char ch : s) {
        auto u = static_cast<unsigned char>(ch);
        out += (u < 0x20 || u == 0x7f) ? ' ' : ch;
    }
    return out;
}

// `refusal` a message marked with N_, filled with the address.
void require_address(const std::string& address, const char* refusal) {
    if (!plain_address(address)) {
        throw UsageError(tr(refusal, header_text(address)));
    }
}

// RFC 2047 for unstructured text without spaces, as Chinese is: GMime
// encodes a whole space-free run as one word, however long, where the RFC
// allows 75 characters a word. Words of at most 45 bytes of UTF-8 (60 in
// base64, 72 with the markers; 42 on the first line), cut between
// characters, one per folded line; the folding is ignored between encoded
// words.
std::string encoded_words(std::string_view text) {
    static constexpr char k_b64[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    for (std::size_t start = 0; start < text.size();) {
        // "Subject: " shares the first line.
        std::size_t end = std::min(start + (out.empty() ? 42 : 45), text.size());
        while (end > start + 1 && end < text.size() &&
               (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
            --end; // not inside a character; text that is not UTF-8 still moves on
        }
        std::string_view chunk = text.substr(start, end - start);
        out += out.empty() ? " =?UTF-8?B?" : "\n =?UTF-8?B?";
        for (std::size_t i = 0; i < chunk.size(); i += 3) {
            std::uint32_t n = static_cast<unsigned char>(chunk[i]) << 16;
            n |= i + 1 < chunk.size() ? static_cast<unsigned char>(chunk[i + 1]) << 8 : 0;
            n |= i + 2 < chunk.size() ? static_cast<unsigned char>(chunk[i + 2]) : 0;
            out += k_b64[(n >> 18) & 63];
            out += k_b64[(n >> 12) & 63];
            out += i + 1 < chunk.size() ? k_b64[(n >> 6) & 63] : '=';
            out += i + 2 < chunk.size() ? k_b64[n & 63] : '=';
        }
        out += "?=";
        start = end;
    }
    return out + "\n";
}

bool is_ascii(std::string_view s) {
    return std::all_of(s.begin(), s.end(),
                       [](char ch) { return static_cast<unsigned char>(ch) < 0x80; });
}

GDateTime* date_time_of(const Timestamp& t) {
    GTimeZone* zone = g_time_zone_new_offset(static_cast<gint32>(t.offset.count() * 60));
    auto days = date::floor<date::days>(t.local);
    date::year_month_day ymd{days};
    date::hh_mm_ss<std::chrono::seconds> hms{t.local - days};
    GDateTime* dt = g_date_time_new(
        zone, static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
        static_cast<unsigned>(ymd.day()), static_cast<int>(hms.hours().count()),
        static_cast<int>(hms.minutes().count()), static_cast<double>(hms.seconds().count()));
    g_time_zone_unref(zone);
    return dt;
}

} // namespace

std::string build_message(const OutgoingMail& mail) {
    require_address(mail.from_address,
                    N_("the office's (office.email) address '{}' is not a plain name@domain"));
    require_address(mail.to_address, N_("the sender's address '{}' is not a plain name@domain"));
    init_gmime();
    GMimeMessage* msg = g_mime_message_new(TRUE);
    g_mime_message_add_mailbox(msg, GMIME_ADDRESS_TYPE_FROM, header_text(mail.from_name).c_str(),
                               mail.from_address.c_str());
    g_mime_message_add_mailbox(msg, GMIME_ADDRESS_TYPE_TO, header_text(mail.to_name).c_str(),
                               mail.to_address.c_str());
    std::string subject = header_text(mail.subject);
    g_mime_message_set_subject(msg, subject.c_str(), "utf-8");
    if (!is_ascii(subject)) {
        GMimeHeaderList* list = g_mime_object_get_header_list(GMIME_OBJECT(msg));
        g_mime_header_set_raw_value(g_mime_header_list_get_header(list, "Subject"),
                                    encoded_words(subject).c_str());
    }
    GDateTime* date = date_time_of(mail.date);
    g_mime_message_set_date(msg, date);
    g_date_time_unref(date);
    g_mime_message_set_message_id(msg, header_text(mail.message_id).c_str());
    if (!mail.in_reply_to.empty()) {
        std::string ref = "<" + header_text(mail.in_reply_to) + ">";
        g_mime_object_set_header(GMIME_OBJECT(msg), "In-Reply-To", ref.c_str(), nullptr);
        g_mime_object_set_header(GMIME_OBJECT(msg), "References", ref.c_str(), nullptr);
    }
    GMimeTextPart* body = g_mime_text_part_new_with_subtype("plain");
    g_mime_text_part_set_charset(body, "utf-8");
    g_mime_text_part_set_text(body, mail.body.c_str());
    g_mime_part_set_content_encoding(GMIME_PART(body), GMIME_CONTENT_ENCODING_BASE64);
    g_mime_message_set_mime_part(msg, GMIME_OBJECT(body));
    g_object_unref(body);
    char* text = g_mime_object_to_string(GMIME_OBJECT(msg), nullptr);
    std::string out(text);
    g_free(text);
    g_object_unref(msg);
    return out;
}

} // namespace mailbox::mime

namespace {

using mailbox::MimeFailure;

// Runs f, keeping what it throws in `failure` (see MimeFailure).
template <typename F>
auto caught(MimeFailure& failure, F&& f) -> decltype(f()) {
    try {
        return f();
    } catch (const mailbox::UsageError& e) {
        failure = {MimeFailure::Kind::usage, e.what()};
    } catch (const std::exception& e) {
        failure = {MimeFailure::Kind::system, e.what()};
    }
    return {};
}

} // namespace

extern "C" __attribute__((visibility("default"))) const mailbox::MimeFunctions*
mailbox_mime_functions() {
    using namespace mailbox;
    static constexpr MimeFunctions functions = {
        k_mime_version,
        k_mime_sizes,
        [](const std::filesystem::path& path, const std::string& display,
           const date::time_zone* zone, MimeFailure& failure) {
            return caught(failure, [&] { return mime::read_mail_file(path, display, zone); });
        },
        [](std::string_view raw, MimeFailure& failure) {
            return caught(failure, [&] { return mime::decode_header_text(raw); });
        },
        [](std::string_view text, MimeFailure& failure) {
            return caught(failure, [&] { return mime::parse_message(text); });
        },
        [](const OutgoingMail& mail, MimeFailure& failure) {
            return caught(failure, [&] { return mime::build_message(mail); });
        },
        [](std::string_view html, MimeFailure& failure) {
            return caught(failure, [&] { return mime::html_to_text(html); });
        },
    };
    return &functions;
}
