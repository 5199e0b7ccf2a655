// A message as anyone on the internet may send it, read as intake reads a
// .eml or an mbox: never a crash; every letter's text is UTF-8, and the case
// intake makes of it is written and read back with nothing lost. The same
// bytes also go through the header decoder, the HTML reader and the reader
// of messages sent.
#include "format/mail.hpp"
#include "fuzz_common.hpp"
#include "intake/intake.hpp"
#include "util/charset.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <sys/mman.h>
#include <unistd.h>

namespace {

using mailbox::fuzz::finding;

// The input as a file for read_mail_file, which opens a path: a memfd, so
// nothing lands on the disk and runs in parallel do not share a file.
std::string as_file(std::string_view bytes) {
    static int fd = memfd_create("mail", 0);
    if (fd < 0 || ftruncate(fd, 0) != 0 ||
        pwrite(fd, bytes.data(), bytes.size(), 0) != static_cast<ssize_t>(bytes.size())) {
        finding("cannot write the input to a memfd");
    }
    return "/proc/self/fd/" + std::to_string(fd);
}

void require_utf8(std::string_view what, std::string_view text) {
    if (!mailbox::is_valid_utf8(text)) {
        finding(std::string(what) + " is not valid UTF-8");
    }
}

// As mailbox-intake and Intake::add turn a message into a letter.
mailbox::Letter letter_of(const mailbox::MailLetter& m, const mailbox::Context& ctx) {
    mailbox::Letter l;
    l.subject = m.subject.empty() ? "(无主题)" : m.subject;
    l.sender = m.sender;
    l.channel = mailbox::Channel::email;
    l.received = m.date.value_or(ctx.now);
    l.body = m.body;
    l.message_id = m.message_id;
    l.attachments = m.attachments;
    l.notes = m.notes;
    if (!m.original.empty()) { // as Intake::add lists the message it keeps
        l.attachments.push_back({"原始邮件.eml", static_cast<std::int64_t>(m.original.size()),
                                 mailbox::original_path(m.original)});
    }
    return l;
}

void read_as_intake_does(std::string_view bytes) {
    static const mailbox::Context ctx{
        "/nonexistent", "clerk",
        mailbox::Timestamp{date::local_days{date::year{2026} / 11 / 25} + std::chrono::hours{9},
                           std::chrono::hours{8}},
        date::year{2026} / 11 / 25};
    for (const mailbox::MailItem& item :
         mailbox::read_mail_file(as_file(bytes), "fuzz.eml", mailbox::fuzz::shanghai())) {
        if (!item.letter) {
            continue;
        }
        const mailbox::MailLetter& m = *item.letter;
        require_utf8("the subject", m.subject);
        require_utf8("the sender's name", m.sender.name);
        require_utf8("the sender's address", m.sender.email);
        require_utf8("the body", m.body);
        require_utf8("the message id", m.message_id);
        for (const mailbox::Attachment& a : m.attachments) {
            require_utf8("an attachment's name", a.name);
        }
        try {
            mailbox::Case c = mailbox::make_case(letter_of(m, ctx), ctx, "261125-0001AB");
            mailbox::fuzz::require_round_trip(c);
        } catch (const mailbox::Error&) {
            // A letter intake refuses, with its reason.
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // The readers are in the module mailbox-mime.so: one that cannot be
    // loaded stops the run here, not passes as refused input on every call.
    [[maybe_unused]] static const bool loaded = (mailbox::html_to_text(""), true);
    std::string_view bytes(reinterpret_cast<const char*>(data), size);
    try {
        read_as_intake_does(bytes);
        require_utf8("decoded header text", mailbox::decode_header_text(bytes));
        mailbox::html_to_text(bytes);
        mailbox::parse_message(bytes);
    } catch (const mailbox::Error&) {
        // Bad input said so; the readers are expected to throw these.
    }
    return 0;
}
