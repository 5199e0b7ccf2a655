#include "util/text.hpp"

#include <algorithm>
#include <cctype>
#include <utf8proc.h>

namespace mailbox {

namespace {

constexpr std::string_view k_blanks = " \t\r\n\v\f";
constexpr std::string_view k_wide_space = "\u3000";

} // namespace

std::string_view strip(std::string_view s, bool wide) {
    for (;;) {
        std::size_t first = s.find_first_not_of(k_blanks);
        if (first == std::string_view::npos) {
            return {};
        }
        s = s.substr(first, s.find_last_not_of(k_blanks) - first + 1);
        if (wide && s.starts_with(k_wide_space)) {
            s.remove_prefix(k_wide_space.size());
        } else if (wide && s.ends_with(k_wide_space)) {
            s.remove_suffix(k_wide_space.size());
        } else {
            return s;
        }
    }
}

std::string_view strip_end(std::string_view s) {
    std::size_t last = s.find_last_not_of(k_blanks);
    return last == std::string_view::npos ? std::string_view{} : s.substr(0, last + 1);
}

std::string trimmed(std::string_view s) {
    return std::string(strip(s));
}

bool is_letter_or_digit(std::int32_t code_point) {
    switch (utf8proc_category(code_point)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
        return true;
    default:
        return false;
    }
}

std::string lower_ascii(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    return out;
}

std::vector<std::int32_t> folded_letters(std::string_view text) {
    utf8proc_uint8_t* folded = nullptr;
    auto options =
        static_cast<utf8proc_option_t>(UTF8PROC_COMPAT | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD |
                                       UTF8PROC_IGNORE | UTF8PROC_STRIPCC);
    utf8proc_ssize_t n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                                      static_cast<utf8proc_ssize_t>(text.size()), &folded, options);
    std::vector<std::int32_t> out;
    for (utf8proc_ssize_t i = 0; i < n;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t len = utf8proc_iterate(folded + i, n - i, &cp);
        if (len <= 0) {
            break;
        }
        i += len;
        if (is_letter_or_digit(cp)) {
            out.push_back(cp);
        }
    }
    free(folded);
    return out;
}

std::string commented(std::string_view s) {
    std::string out;
    for (std::size_t start = 0; start <= s.size();) {
        std::size_t end = std::min(s.find('\n', start), s.size());
        out.append("# ").append(s.substr(start, end - start)).append("\n");
        start = end + 1;
    }
    return out;
}

std::vector<std::string_view> lines_of(std::string_view s) {
    std::vector<std::string_view> lines;
    for (std::size_t from = 0; from < s.size();) {
        std::size_t end = std::min(s.find('\n', from), s.size());
        lines.push_back(s.substr(from, end - from));
        from = end + 1;
    }
    return lines;
}

std::string one_line(std::string_view s, bool trim) {
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
    return trim ? trimmed(out) : out;
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
