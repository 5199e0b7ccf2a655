// Small text helpers with no office words, shared by intake, mail and replies.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mailbox {

// Without blanks (space, tab, line breaks, vertical tab, form feed) at either
// end; with `wide`, the ideographic space U+3000 too: names are often typed
// with Chinese input on.
std::string_view strip(std::string_view s, bool wide = false);
std::string_view strip_end(std::string_view s);
// strip(s), as a string.
std::string trimmed(std::string_view s);

// A letter or a digit of any script (Unicode categories L and N): what
// text comparisons and search keep, punctuation, spaces and symbols not.
bool is_letter_or_digit(std::int32_t code_point);

// The letters and digits of a text, folded with utf8proc (NFKC folds
// full-width forms, case is folded), as code points: what comparisons of
// letters read, so that re-punctuating or re-spacing one changes nothing.
// Empty for text that is not UTF-8.
std::vector<std::int32_t> folded_letters(std::string_view text);

// ASCII letters lowered; other bytes (UTF-8 included) as they are.
std::string lower_ascii(std::string_view s);

// Text for one line of a header-like field (a subject, a name): CR, LF and
// tab become spaces, so that nothing can start a new header of a reply;
// other control characters (C0, DEL, C1: a NUL from broken base64, an
// escape sequence) are dropped; spaces at either end are trimmed, unless
// `trim` is false (a piece of a line, joined to others).
std::string one_line(std::string_view s, bool trim = true);

// The lines of s, without their '\n': none for "", and a last '\n' ends
// the last line rather than starting an empty one. The views point into s.
std::vector<std::string_view> lines_of(std::string_view s);

// Each line of s as a comment line of a file opened in an editor: "# "
// before it. Every '\n' starts a line, so a last one gives an empty
// comment line and "" gives one.
std::string commented(std::string_view s);

// At most n characters (code points) of UTF-8 text, cut before a
// character, never inside one; "…" added when something was cut.
std::string first_chars(std::string_view s, std::size_t n);

} // namespace mailbox
