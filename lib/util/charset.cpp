#include "util/charset.hpp"

#include <algorithm>
#include <cerrno>
#include <iconv.h>
#include <uchardet.h>
#include <utf8proc.h>

namespace mailbox {

namespace {

// iconv (glibc) drops what is not a letter or digit from a charset's name:
// "UTF\x9e8" is UTF-8 to it, and then lets invalid bytes through.
bool is_utf8_name(std::string_view name) {
    std::string letters;
    for (char ch : name) {
        if (std::isalnum(static_cast<unsigned char>(ch))) {
            letters += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        }
    }
    return letters == "utf8";
}

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
    if (is_utf8_name(from)) {
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
    if (!ok || !is_valid_utf8(out)) {
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

namespace {

constexpr std::string_view k_replacement = "\xEF\xBF\xBD";

Decoded utf8_lossy(std::string_view text) {
    Decoded d{"", "UTF-8", 0};
    d.text.reserve(text.size());
    auto p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
    for (std::size_t i = 0; i < text.size();) {
        utf8proc_int32_t cp;
        auto n = utf8proc_iterate(p + i, static_cast<utf8proc_ssize_t>(text.size() - i), &cp);
        if (n <= 0) {
            d.text += k_replacement;
            ++d.replaced;
            ++i;
        } else {
            d.text.append(text.substr(i, static_cast<std::size_t>(n)));
            i += static_cast<std::size_t>(n);
        }
    }
    return d;
}

// What uchardet makes of the text, as one of the charsets we read (GB18030
// or BIG5-HKSCS), or "" when it names none of them or is unsure.
std::string detected_chinese_charset(std::string_view text) {
    uchardet_t ud = uchardet_new();
    std::string name;
    if (uchardet_handle_data(ud, text.data(), text.size()) == 0) {
        uchardet_data_end(ud);
        name = lower(uchardet_get_charset(ud));
    }
    uchardet_delete(ud);
    if (name == "gb18030" || name == "gb2312" || name == "gbk" || name == "euc-cn") {
        return "GB18030";
    }
    if (name == "big5" || name == "big5-hkscs") {
        return "BIG5-HKSCS";
    }
    return "";
}

// Characters a Chinese letter would hardly hold: what a wrong charset makes
// of the bytes (kana, Hangul, Cyrillic, Greek, box drawing, private use).
bool unlikely_in_chinese(utf8proc_int32_t cp) {
    if (cp < 0x80 || (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3000 && cp <= 0x303F) ||
        (cp >= 0xFF00 && cp <= 0xFFEF) || (cp >= 0x2010 && cp <= 0x2027) || cp == 0xB7 ||
        cp == 0xD7 || cp == 0xF7) {
        return false;
    }
    return true;
}

// Lower is likelier: a lost byte counts as much as three unlikely characters.
std::size_t cost(const Decoded& d) {
    std::size_t unlikely = 0;
    auto p = reinterpret_cast<const utf8proc_uint8_t*>(d.text.data());
    for (std::size_t i = 0; i < d.text.size();) {
        utf8proc_int32_t cp = 0;
        auto n = utf8proc_iterate(p + i, static_cast<utf8proc_ssize_t>(d.text.size() - i), &cp);
        if (n <= 0) {
            break;
        }
        if (cp != 0xFFFD && unlikely_in_chinese(cp)) {
            ++unlikely;
        }
        i += static_cast<std::size_t>(n);
    }
    return d.replaced * 3 + unlikely;
}

} // namespace

Decoded decode_lossy(std::string_view text, std::string_view charset) {
    std::string from = decoding_charset(charset);
    if (is_utf8_name(from)) {
        return utf8_lossy(text);
    }
    Decoded d{"", from, 0};
    iconv_t cd = iconv_open("UTF-8", from.c_str());
    if (cd == reinterpret_cast<iconv_t>(-1)) {
        for (char ch : text) {
            if (static_cast<unsigned char>(ch) < 0x80) {
                d.text += ch;
            } else {
                d.text += k_replacement;
                ++d.replaced;
            }
        }
        return d;
    }
    std::string in(text);
    char* src = in.data();
    std::size_t left = in.size();
    char buf[4096];
    // iconv sees a window of the input at a time: a sanitizer's iconv
    // checks all it is given on every call, and a text of many bad bytes
    // (one call each) would take time quadratic in its length.
    constexpr std::size_t k_window = 64 * 1024;
    while (left > 0) {
        char* dst = buf;
        std::size_t room = sizeof buf;
        std::size_t window = std::min(left, k_window);
        std::size_t window_left = window;
        std::size_t rc = iconv(cd, &src, &window_left, &dst, &room);
        int err = errno;
        left -= window - window_left;
        d.text.append(buf, static_cast<std::size_t>(dst - buf));
        if (rc != static_cast<std::size_t>(-1) || err == E2BIG) {
            continue;
        }
        if (err == EINVAL && window_left < left) {
            continue; // a character cut by the window, not by the text: the next one has it
        }
        // EILSEQ: this byte starts nothing the charset knows; EINVAL: the
        // text ends inside a character. Either way one byte is lost.
        d.text += k_replacement;
        ++d.replaced;
        ++src;
        --left;
        iconv(cd, nullptr, nullptr, nullptr, nullptr); // reset any shift state
    }
    iconv_close(cd);
    // Whatever iconv made of a name it took, the text must come out UTF-8.
    if (!is_valid_utf8(d.text)) {
        Decoded fixed = utf8_lossy(d.text);
        fixed.charset = d.charset;
        fixed.replaced += d.replaced;
        return fixed;
    }
    return d;
}

Decoded guess_decode(std::string_view text) {
    if (is_valid_utf8(text)) {
        return {std::string(text), "UTF-8", 0};
    }
    std::string detected = detected_chinese_charset(text);
    if (!detected.empty()) {
        Decoded d = decode_lossy(text, detected);
        if (d.replaced == 0) {
            return d;
        }
    }
    // Ties go to the first: UTF-8, then GB18030, the mainland's charset.
    std::optional<Decoded> best;
    std::size_t best_cost = 0;
    for (const char* charset : {"UTF-8", "GB18030", "BIG5-HKSCS"}) {
        Decoded d = decode_lossy(text, charset);
        std::size_t c = cost(d);
        if (!best || c < best_cost) {
            best = std::move(d);
            best_cost = c;
        }
    }
    return *best;
}

std::string guess_to_utf8(std::string_view text) {
    return guess_decode(text).text;
}

Decoded decode_declared(std::string_view text, std::string_view charset) {
    Decoded declared = decode_lossy(text, charset);
    if (declared.replaced == 0) {
        return declared;
    }
    Decoded guessed = guess_decode(text);
    if (guessed.replaced == 0) {
        return guessed;
    }
    return declared;
}

} // namespace mailbox
