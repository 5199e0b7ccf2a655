// Text as the terms a full-text index holds. Chinese has no spaces and its
// commonest queries are two characters (拆迁, 低保, 路灯), so, as Lucene's
// CJKBigramFilter does, each run of Han characters becomes its overlapping
// pairs; the run's last character is added once more on its own, so that a
// one-character query finds a character at the end of a run too. Other
// letters and digits make words. Text is first folded with utf8proc (NFKC,
// case folding): full-width Ｇ２０ is g20.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mailbox {

// 市民反映马路灯坏 → 市民 民反 反映 映马 马路 路灯 灯坏 坏; "G20峰会" → g20 峰会 会.
std::vector<std::string> search_terms(std::string_view text);

// The same terms joined by spaces, as an FTS5 column holds them.
std::string joined_search_terms(std::string_view text);

// A query as an FTS5 MATCH expression over such terms: every part of the
// query (parts are split at spaces) must match. A part is a phrase of its
// terms, as the text's would run: its Han runs as their pairs (a run that
// ends the part without its lone last character, since the text's run may
// go on), a lone Han character at the end of a part as a prefix (路* finds
// 路灯 and the 路 that ends 马路). Every term is quoted: nothing a person
// types is read as FTS5 syntax. Empty when the query has no term.
std::string search_match(std::string_view query);

} // namespace mailbox
