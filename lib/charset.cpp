#include "charset.hpp"

#include <algorithm>
#include <cerrno>
#include <iconv.h>
#include <utf8proc.h>

namespace mailbox {

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char ch) { return std::tolower(ch); });
    return out;
}

} // namespace

std::string decoding_charset(std::string_view declared) {
    std::string name = lower(declared);
    if (name == "gb2312" || name == "gbk" || name == "x-gbk" || name == "cp936" ||
        name == "euc-cn" || name == "x-euc-cn" || name == "gb_2312-80" || name == "csgb2312" ||
        name == "windows-936" || name == "ms936" || name == "gb18030" || name == "x-gb18030") {
        return "GB18030";
    }
    if (name == "big5" || name == "x-big5" || name == "cn-big5" || name == "big5-hkscs") {
        return "BIG5-HKSCS";
    }
    if (name == "us-ascii" || name == "ascii" || name.empty()) {
        return "UTF-8"; // 8-bit text labelled ASCII is most likely UTF-8
    }
    return std::string(declared);
}

std::optional<std::string> to_utf8(std::string_view text, std::string_view charset) {
    std::string from = decoding_charset(charset);
    if (lower(from) == "utf-8" || lower(from) == "utf8") {
        return is_valid_utf8(text) ? std::optional<std::string>(text) : std::nullopt;
    }
    iconv_t cd = iconv_open("UTF-8", from.c_str());
    if (cd == reinterpret_cast<iconv_t>(-1)) {
        return std::nullopt;
    }
    std::string out;
    std::string in(text);
    char* src = in.data();
    std::size_t left = in.size();
    char buf[4096];
    bool ok = true;
    while (left > 0) {
        char* dst = buf;
        std::size_t room = sizeof buf;
        std::size_t rc = iconv(cd, &src, &left, &dst, &room);
        out.append(buf, static_cast<std::size_t>(dst - buf));
        if (rc == static_cast<std::size_t>(-1) && errno != E2BIG) {
            ok = false;
            break;
        }
    }
    iconv_close(cd);
    if (!ok) {
        return std::nullopt;
    }
    return out;
}

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

bool is_valid_utf8(std::string_view text) {
    return !invalid_utf8_at(text);
}

std::string guess_to_utf8(std::string_view text) {
    if (is_valid_utf8(text)) {
        return std::string(text);
    }
    for (const char* charset : {"GB18030", "BIG5-HKSCS"}) {
        if (auto s = to_utf8(text, charset)) {
            return *s;
        }
    }
    std::string out;
    auto p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
    for (std::size_t i = 0; i < text.size();) {
        utf8proc_int32_t cp;
        auto n = utf8proc_iterate(p + i, static_cast<utf8proc_ssize_t>(text.size() - i), &cp);
        if (n <= 0) {
            out += "\xEF\xBF\xBD";
            ++i;
        } else {
            out.append(text.substr(i, static_cast<std::size_t>(n)));
            i += static_cast<std::size_t>(n);
        }
    }
    return out;
}

} // namespace mailbox
