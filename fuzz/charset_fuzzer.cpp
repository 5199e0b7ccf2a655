// Bytes in the legacy charsets of Chinese mail and spreadsheets (GB2312,
// GBK, GB18030, Big5, Big5-HKSCS) or any charset a message declares:
// decoding never crashes and whatever comes back is valid UTF-8; the UTF-8
// check agrees with a plain reading of RFC 3629.
#include "fuzz_common.hpp"
#include "util/charset.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace {

using mailbox::fuzz::finding;

// RFC 3629: shortest forms only, no surrogates, nothing past U+10FFFF.
bool plain_utf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        auto b = static_cast<unsigned char>(s[i]);
        std::size_t more; // continuation bytes
        if (b < 0x80) {
            more = 0;
        } else if (b >= 0xC2 && b <= 0xDF) {
            more = 1;
        } else if (b >= 0xE0 && b <= 0xEF) {
            more = 2;
        } else if (b >= 0xF0 && b <= 0xF4) {
            more = 3;
        } else {
            return false;
        }
        if (s.size() - i <= more) {
            return false;
        }
        std::uint32_t cp = more == 0 ? b : b & (0x3Fu >> more);
        for (std::size_t k = 1; k <= more; ++k) {
            auto c = static_cast<unsigned char>(s[i + k]);
            if ((c & 0xC0) != 0x80) {
                return false;
            }
            cp = cp << 6 | (c & 0x3F);
        }
        if ((more == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
            (more == 3 && (cp < 0x10000 || cp > 0x10FFFF))) {
            return false;
        }
        i += more + 1;
    }
    return true;
}

void require_utf8(std::string_view what, const std::string& text) {
    if (!plain_utf8(text)) {
        finding(std::string(what) + " gave text that is not valid UTF-8");
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view bytes(reinterpret_cast<const char*>(data), size);
    try {
        if (mailbox::is_valid_utf8(bytes) != plain_utf8(bytes)) {
            finding("is_valid_utf8 and RFC 3629 disagree");
        }
        if (mailbox::is_valid_utf8(bytes) != !mailbox::invalid_utf8_at(bytes)) {
            finding("is_valid_utf8 and invalid_utf8_at disagree");
        }
        for (const char* charset : {"gb2312", "gbk", "gb18030", "big5", "big5-hkscs", "utf-8"}) {
            if (std::optional<std::string> s = mailbox::to_utf8(bytes, charset)) {
                require_utf8(std::string("to_utf8 from ") + charset, *s);
            }
        }
        require_utf8("guess_to_utf8", mailbox::guess_to_utf8(bytes));
        require_utf8("guess_decode", mailbox::guess_decode(bytes).text);
        for (const char* charset : {"gb2312", "gb18030", "big5", "utf-8"}) {
            require_utf8(std::string("decode_lossy from ") + charset,
                         mailbox::decode_lossy(bytes, charset).text);
            require_utf8(std::string("decode_declared from ") + charset,
                         mailbox::decode_declared(bytes, charset).text);
        }
        // A first short line names a charset, as a message's Content-Type
        // may name any: whatever iconv makes of the rest is UTF-8 too.
        if (auto nl = bytes.find('\n'); nl != std::string_view::npos && nl < 40) {
            std::string_view declared = bytes.substr(0, nl), rest = bytes.substr(nl + 1);
            if (auto s = mailbox::to_utf8(rest, declared)) {
                require_utf8("to_utf8 from a declared charset", *s);
            }
            require_utf8("decode_declared from a declared charset",
                         mailbox::decode_declared(rest, declared).text);
        }
    } catch (const mailbox::Error&) {
        // Not thrown by these today; allowed, as for every reader.
    }
    return 0;
}
