// Registering a letter: one new case file per letter.
#pragma once

#include "case.hpp"
#include "context.hpp"
#include "store.hpp"

#include <optional>
#include <string>

namespace mailbox {

struct Letter {
    std::string subject;
    Sender sender;
    Channel channel = Channel::web;
    std::optional<Timestamp> received; // default: now
    std::string body;
};

// Builds the case for a letter (with its id, if `id` is given) after checking
// and tidying the text: valid UTF-8, one-line subject and name, LF line ends.
Case make_case(Letter letter, const Context& ctx, std::string id);

// Registers a letter: takes a fresh id, writes the case file, notes the
// sender. The caller holds the MailboxLock. With dry_run nothing is written
// and the id is only what it would be.
Case register_letter(const Mailbox& mailbox, const Context& ctx, Letter letter, bool dry_run);

// Where the text is not valid UTF-8: the byte offset, or nullopt when valid.
std::optional<std::size_t> invalid_utf8_at(std::string_view text);

} // namespace mailbox
