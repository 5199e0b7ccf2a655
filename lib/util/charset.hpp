// Turning the legacy charsets of Chinese mail and spreadsheets into UTF-8.
// Real mail often says gb2312 (or x-gbk, cp936) and holds GBK-only
// characters, so the whole GB family is decoded as GB18030, its superset.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mailbox {

// The iconv name to decode a declared charset with: GB18030 for the GB
// family, Big5-HKSCS for Big5, else the name itself.
std::string decoding_charset(std::string_view declared);

// Converts to UTF-8; nullopt when the text is not valid in that charset (or
// iconv does not know it).
std::optional<std::string> to_utf8(std::string_view text, std::string_view charset);

// Text decoded whatever it holds: what a charset cannot read becomes U+FFFD,
// byte by byte, and the rest of the text is kept.
struct Decoded {
    std::string text;         // UTF-8
    std::string charset;      // what it was read as (the iconv name)
    std::size_t replaced = 0; // bytes that became U+FFFD
};

// Decodes with the charset (as decoding_charset names it). Unknown to
// iconv: every non-ASCII byte is replaced.
Decoded decode_lossy(std::string_view text, std::string_view charset);

// Text of unknown charset: UTF-8 if it is valid UTF-8; else the Chinese
// charset it reads best as: the one uchardet names, else of GB18030 and
// Big5-HKSCS the one whose reading holds fewer characters a Chinese letter
// would not (kana, Cyrillic, private use: Big5's 中文 read as GB18030 is
// いゅ); else, for text no charset reads whole, the reading that loses the
// fewest bytes, each lost byte U+FFFD.
Decoded guess_decode(std::string_view text);
std::string guess_to_utf8(std::string_view text); // guess_decode(text).text

// Text whose charset is declared (a mail part): read as declared when that
// reads it whole; else guessed when a guess reads it whole (the label is
// wrong); else read as declared, only the bytes it cannot read replaced.
Decoded decode_declared(std::string_view text, std::string_view charset);

bool is_valid_utf8(std::string_view text);
// Where the text is not valid UTF-8: the byte offset, or nullopt when valid.
std::optional<std::size_t> invalid_utf8_at(std::string_view text);

} // namespace mailbox
