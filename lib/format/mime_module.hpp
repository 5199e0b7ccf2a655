// GMime and libxml2, with the two dozen libraries they bring (GIO, GPGME,
// ICU, ...), took 8 ms of the 15 a command spent starting, longer than most
// commands then take to run; few commands read or write mail. So mail.cpp
// and html.cpp are built apart, as the module mailbox-mime.so, which a
// command loads the first time it needs them (format/mime_loader.cpp), as
// git keeps libcurl out of every command but its remote helpers. The
// functions of mail.hpp and html.hpp that need GMime or libxml2 forward to
// the ones here.
#pragma once

#include "format/html.hpp"
#include "format/mail.hpp"

#include <array>
#include <cstddef>

namespace mailbox {

namespace mime {

std::vector<MailItem> read_mail_file(const std::filesystem::path& path, const std::string& display,
                                     const date::time_zone* zone);
std::string decode_header_text(std::string_view raw);
std::optional<ParsedMail> parse_message(std::string_view text);
std::string build_message(const OutgoingMail& mail);
std::string html_to_text(std::string_view html);

} // namespace mime

// An exception thrown in the module, carried back across the boundary as a
// value and thrown again on the commands' side: an exception thrown from
// one shared object and caught in another is matched by its type's name in
// libstdc++, but by address in other C++ libraries.
struct MimeFailure {
    // Only a usage error (an address build_message refuses) needs its own
    // kind; anything else leaves the command with SystemError's status.
    enum class Kind { none, usage, system } kind = Kind::none;
    std::string message;
};

// What the module hands the commands, each function of mime:: taking a
// MimeFailure to fill. The loader refuses a module of another build:
// another version, or structs of other sizes.
struct MimeFunctions {
    int version;
    std::array<std::size_t, 6> sizes;
    std::vector<MailItem> (*read_mail_file)(const std::filesystem::path&, const std::string&,
                                            const date::time_zone*, MimeFailure&);
    std::string (*decode_header_text)(std::string_view, MimeFailure&);
    std::optional<ParsedMail> (*parse_message)(std::string_view, MimeFailure&);
    std::string (*build_message)(const OutgoingMail&, MimeFailure&);
    std::string (*html_to_text)(std::string_view, MimeFailure&);
};

// Raised when the functions or their structs change meaning.
constexpr int k_mime_version = 3;
constexpr std::array<std::size_t, 6> k_mime_sizes = {sizeof(MailItem),   sizeof(MailLetter),
                                                     sizeof(Sender),     sizeof(Attachment),
                                                     sizeof(ParsedMail), sizeof(OutgoingMail)};

} // namespace mailbox

// The module's one exported symbol.
extern "C" const mailbox::MimeFunctions* mailbox_mime_functions();
