#include "format/mail.hpp"

#include <algorithm>

namespace mailbox {

// Built into the commands and into mailbox-mime.so alike: send asks it of
// every case, and only the cases it keeps need the module.
bool plain_address(std::string_view a) {
    std::size_t at = a.find('@');
    if (a.empty() || a.front() == '-' || at == 0 || at == std::string_view::npos ||
        at + 1 == a.size() || a.find('@', at + 1) != std::string_view::npos || a.size() > 254) {
        return false;
    }
    return std::none_of(a.begin(), a.end(), [](char ch) {
        auto u = static_cast<unsigned char>(ch);
        return u <= 0x20 || u == 0x7f ||
               std::string_view("\"'<>(),;:[]\\`$|&").find(ch) != std::string_view::npos;
    });
}

} // namespace mailbox
