// Mail in and out: the only file that includes GMime. Incoming messages (one
// .eml, or an mbox of many) become letters; legacy Chinese charsets become
// UTF-8 on the way in (see util/charset.hpp), and RFC 2047 encoded words are
// decoded here rather than by GMime, so that the GB family is read as
// GB18030 and an encoded word split in the middle of a character is joined
// before decoding.
#pragma once

#include "format/html.hpp"
#include "model/case.hpp"
#include "model/record_language.hpp"

#include <date/tz.h>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace mailbox {

// A letter's text is cut at this many bytes; what is cut is said in a note.
constexpr std::size_t k_max_body_bytes = 256 * 1024; // as LetterLimits::body

struct MailLetter {
    std::string subject;
    Sender sender;
    std::optional<Timestamp> date;
    std::string message_id; // without <>
    std::string body;
    std::vector<Attachment> attachments;
    std::vector<Note> notes; // what a clerk should know: truncated, no text part, ...
    // The message as it came, when its text lost bytes in decoding: the
    // office keeps what the citizen actually sent.
    std::string original;
};

// One message of a file: where it is ("a.eml", "box.mbox: message 3") and
// either the letter or why it could not be read.
struct MailItem {
    std::string where;
    std::optional<MailLetter> letter;
    std::string error;
};

// These, and html_to_text, run in the module mailbox-mime.so
// (format/mime_module.hpp): each throws SystemError, "cannot read or write
// mail: ...", when it cannot be loaded.

// Reads a .eml (one message) or an mbox (a file starting "From "). Dates
// are shown on the office's clock (`zone`).
std::vector<MailItem> read_mail_file(const std::filesystem::path& path, const std::string& display,
                                     const date::time_zone* zone);

// RFC 2047 header text to UTF-8: encoded words (adjacent ones of one charset
// joined as bytes first), raw 8-bit text guessed as UTF-8, else GB18030.
std::string decode_header_text(std::string_view raw);

// A message read back: each header as it stands (unfolded, encoded words
// decoded), in order, and the body's text. What tests and `send --dry-run`
// use to see what a recipient would see.
struct ParsedMail {
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::string header(std::string_view name) const; // the first of that name, else ""
};
std::optional<ParsedMail> parse_message(std::string_view text);

// A message the office sends: a reply to one sender.
struct OutgoingMail {
    std::string from_name, from_address;
    std::string to_name, to_address;
    std::string subject;
    std::string body; // UTF-8 plain text
    Timestamp date;
    std::string message_id;  // without <>
    std::string in_reply_to; // the letter's own Message-ID, without <>; may be empty
};

// RFC 5322 text built by GMime: names and subject RFC 2047-encoded and
// folded, the body UTF-8 in base64. A CR or LF in any header text becomes a
// space, so no field can add a header. UsageError for an address that is
// not a plain mailbox (see plain_address).
std::string build_message(const OutgoingMail& mail);

// name@domain with nothing a header or a command line could misread:
// no spaces, quotes, angle brackets, commas, control characters, no
// leading '-'.
bool plain_address(std::string_view address);

} // namespace mailbox
