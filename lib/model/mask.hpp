// Personal data in what leaves the office (a bulletin, anything public):
// names become 张某, contact data keeps only what identifies nothing.
// Masking is the default; only internal copies show data whole.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mailbox {

// 张三 → 张某, 欧阳娜娜 → 欧阳某 (compound surnames: 欧阳, 司马, 诸葛, 上官…),
// 王 → 王某; a Latin name keeps its first letter (John Smith → J***).
// Placeholders such as 匿名 and empty names are kept.
std::string mask_name(std::string_view name);

// 13812341234 → 138****1234; a landline keeps its last four digits.
std::string mask_phone(std::string_view phone);

// zhang.san@example.com → z***@example.com
std::string mask_email(std::string_view email);

// Free text a citizen or a unit wrote, before it goes into a bulletin:
// - every name of `names` (the senders of the case) is masked where it
//   stands as a name: a name of three characters or more everywhere; a
//   two-character name only where each side is a boundary (start, end,
//   punctuation, a space) or a word that marks a person (市民, 女士, 反映…),
//   so a name that is also a common word (高兴, 文明) leaves the word alone;
//   before a title (先生, 女士, 老师…) a two-character name is always masked;
// - e-mail addresses, mobile and landline numbers, and ID-card numbers
//   (15 or 18 digits, the last may be X) anywhere;
// - house numbers after a street (建设路18号3栋2单元501室 → 建设路**):
//   an address is cut to the street. Not after 第 (第3组) or 月 (3月5号),
//   and a lone 一 starts none (统一楼盘); 第3次 and 10日 are no addresses.
std::string mask_text(std::string_view text, const std::vector<std::string>& names);

} // namespace mailbox
