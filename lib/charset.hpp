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

// Text of unknown charset: UTF-8 if it is valid UTF-8, else GB18030 if that
// decodes, else Big5; as a last resort, invalid bytes become U+FFFD.
std::string guess_to_utf8(std::string_view text);

bool is_valid_utf8(std::string_view text);
// Where the text is not valid UTF-8: the byte offset, or nullopt when valid.
std::optional<std::size_t> invalid_utf8_at(std::string_view text);

} // namespace mailbox
