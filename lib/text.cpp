#include "text.hpp"

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

} // namespace mailbox
