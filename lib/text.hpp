// Small text helpers with no office words, shared by intake, mail and replies.
#pragma once

#include <string>
#include <string_view>

namespace mailbox {

// Without spaces, tabs and line breaks at either end.
std::string trimmed(std::string_view s);

// ASCII letters lowered; other bytes (UTF-8 included) as they are.
std::string lower_ascii(std::string_view s);

} // namespace mailbox
