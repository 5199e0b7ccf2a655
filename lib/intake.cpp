#include "intake.hpp"

#include "error.hpp"
#include "sender_index.hpp"

#include <fmt/format.h>
#include <utf8proc.h>

namespace mailbox {

std::optional<std::size_t> invalid_utf8_at(std::string_view text) {
    auto p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
    for (std::size_t i = 0; i < text.size();) {
        utf8proc_int32_t cp;
        auto n = utf8proc_iterate(p + i, static_cast<utf8proc_ssize_t>(text.size() - i), &cp);
        if (n <= 0) {
            return i;
        }
        i += static_cast<std::size_t>(n);
    }
    return std::nullopt;
}

namespace {

void require_utf8(std::string_view what, std::string_view text) {
    if (auto at = invalid_utf8_at(text)) {
        throw UsageError(fmt::format("{} is not valid UTF-8 (at byte {})", what, *at));
    }
}

// Header-like fields are one line: a CR or LF in a sender's name would
// otherwise end up in the headers of the reply.
std::string one_line(std::string s) {
    for (char& ch : s) {
        if (ch == '\r' || ch == '\n' || ch == '\t') {
            ch = ' ';
        }
    }
    auto first = s.find_first_not_of(' ');
    auto last = s.find_last_not_of(' ');
    return first == std::string::npos ? "" : s.substr(first, last - first + 1);
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

} // namespace

Case make_case(Letter letter, const Context& ctx, std::string id) {
    require_utf8("the subject", letter.subject);
    require_utf8("the sender's name", letter.sender.name);
    require_utf8("the e-mail address", letter.sender.email);
    require_utf8("the phone number", letter.sender.phone);
    require_utf8("the body", letter.body);
    Case c;
    c.id = std::move(id);
    c.status = Status::received;
    c.subject = one_line(letter.subject);
    if (c.subject.empty()) {
        throw UsageError("a letter needs a subject");
    }
    c.sender.name = one_line(letter.sender.name);
    if (c.sender.name.empty()) {
        throw UsageError("a letter needs a sender's name (--from; 匿名 when unknown)");
    }
    c.sender.email = one_line(letter.sender.email);
    c.sender.phone = one_line(letter.sender.phone);
    c.channel = letter.channel;
    c.received = letter.received.value_or(ctx.now);
    c.body = tidy_body(letter.body);
    append_history(c, ctx.now, ctx.by, "received",
                   fmt::format("registered from {}", to_string(c.channel)));
    return c;
}

Case register_letter(const Mailbox& mailbox, const Context& ctx, Letter letter, bool dry_run) {
    // The id is taken only once the letter is known to be good.
    Case c = make_case(std::move(letter), ctx, "");
    c.id = mailbox.new_case_id(ctx.now, !dry_run);
    c.history.back().id = history_entry_id(c.id, c.history.back(), 0);
    if (!dry_run) {
        mailbox.save(c);
        add_to_sender_index(mailbox, c);
    }
    return c;
}

} // namespace mailbox
