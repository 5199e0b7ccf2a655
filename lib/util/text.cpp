#include "util/text.hpp"

#include <algorithm>
#include <cctype>

namespace mailbox {

std::string trimmed(std::string_view s) {
    std::size_t first = s.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) {
        return "";
    }
    std::size_t last = s.find_last_not_of(" \t\r\n");
    return std::string(s.substr(first, last - first + 1));
}

std::string lower_ascii(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    return out;
}

std::string one_line(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        auto ch = static_cast<unsigned char>(s[i]);
        if (ch == '\r' || ch == '\n' || ch == '\t') {
            out += ' ';
        } else if (ch < 0x20 || ch == 0x7F) {
            continue;
        } else if (ch == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
                   static_cast<unsigned char>(s[i + 1]) <= 0x9F) {
            ++i; // U+0080 to U+009F, the C1 controls, in UTF-8
        } else {
            out += static_cast<char>(ch);
        }
    }
    return trimmed(out);
}

std::string first_chars(std::string_view s, std::size_t n) {
    std::size_t chars = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        // A byte that does not continue a character starts one.
        if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && chars++ == n) {
            return std::string(s.substr(0, i)) + "…";
        }
    }
    return std::string(s);
}

} // namespace mailbox
