// Readable text from the HTML of a mail, read by libxml2's HTML parser:
// whatever the markup (unclosed tags, entities numeric or named, nesting
// thousands deep), in time linear in its length.
#pragma once

#include <string>
#include <string_view>

namespace mailbox {

// Text of UTF-8 HTML: what scripts, styles and the head hold dropped, white
// space collapsed as a browser does (not inside <pre>), paragraphs, list
// items, rows and <br> as line breaks, at most one blank line in a row.
std::string html_to_text(std::string_view html);

} // namespace mailbox
