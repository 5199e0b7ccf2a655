#include "model/mask.hpp"

#include "util/text.hpp"

#include <algorithm>
#include <utf8proc.h>

namespace mailbox {

namespace {

// One code point and where its bytes sit. A byte that is not UTF-8 becomes
// a unit of its own past U+10FFFF: it matches no name or word, is not Han,
// and is copied out as it came.
struct Unit {
    char32_t cp;
    std::size_t pos;
    std::size_t len;
};

constexpr char32_t k_invalid_base = 0x110000;

// The Chinese words are kept as code points, so every match is whole
// characters and can never start inside one.
constexpr std::u32string_view k_compound_surnames[] = {
    U"欧阳", U"司马", U"诸葛", U"上官", U"东方", U"皇甫", U"尉迟", U"公孙", U"慕容", U"夏侯",
    U"令狐", U"宇文", U"长孙", U"司徒", U"端木", U"轩辕", U"独孤", U"南宫", U"西门", U"申屠",
    U"太史", U"闻人", U"呼延", U"钟离", U"澹台", U"濮阳", U"淳于", U"单于", U"赫连"};

constexpr std::string_view k_placeholders[] = {"匿名", "匿名用户", "无名氏",
                                               "佚名", "市民",     "网友"};

// 张先生 names nobody, and after a name it marks a person.
constexpr std::u32string_view k_titles[] = {U"先生", U"女士", U"同志", U"师傅", U"阿姨", U"老师"};

// Words that, right before or after a two-character name, show it stands
// as a name rather than as the common word it may also be (高兴, 文明).
constexpr std::u32string_view k_left_markers[] = {
    U"市民", U"居民", U"村民", U"群众", U"业主", U"来信人", U"反映人", U"网友",
    U"老人", U"患者", U"家长", U"职工", U"学生", U"同志",   U"先生",   U"女士"};
constexpr std::u32string_view k_right_markers[] = {U"先生", U"女士", U"同志", U"师傅", U"老人",
                                                   U"阿姨", U"反映", U"来信", U"称",   U"说",
                                                   U"家",   U"同学", U"老师", U"等"};

// Longest first, so 5号楼 is taken whole rather than as 5号 and a stray 楼.
constexpr std::u32string_view k_house_suffixes[] = {U"号楼", U"号院", U"单元", U"号", U"栋", U"幢",
                                                    U"室",   U"楼",   U"层",   U"弄", U"组"};
constexpr std::u32string_view k_chinese_numerals = U"一二三四五六七八九十百零";

std::vector<Unit> decode(std::string_view s) {
    std::vector<Unit> units;
    std::size_t pos = 0;
    while (pos < s.size()) {
        utf8proc_int32_t cp = 0;
        auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + pos),
                                  static_cast<utf8proc_ssize_t>(s.size() - pos), &cp);
        if (n <= 0) {
            units.push_back({k_invalid_base + static_cast<unsigned char>(s[pos]), pos, 1});
            n = 1;
        } else {
            units.push_back({static_cast<char32_t>(cp), pos, static_cast<std::size_t>(n)});
        }
        pos += static_cast<std::size_t>(n);
    }
    return units;
}

std::u32string code_points(std::string_view s) {
    std::u32string out;
    for (const Unit& u : decode(s)) {
        out += u.cp;
    }
    return out;
}

// The bytes of units [first, last).
std::string_view slice(std::string_view s, const std::vector<Unit>& u, std::size_t first,
                       std::size_t last) {
    std::size_t end = last < u.size() ? u[last].pos : s.size();
    return s.substr(u[first].pos, end - u[first].pos);
}

bool is_han(char32_t c) {
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF);
}

bool is_ascii_alnum(char32_t c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

bool has_at(const std::vector<Unit>& u, std::size_t i, std::u32string_view word) {
    if (i + word.size() > u.size()) {
        return false;
    }
    for (std::size_t k = 0; k < word.size(); ++k) {
        if (u[i + k].cp != word[k]) {
            return false;
        }
    }
    return true;
}

template <typename Words>
bool followed_by_any(const std::vector<Unit>& u, std::size_t i, const Words& words) {
    return std::any_of(std::begin(words), std::end(words),
                       [&](std::u32string_view w) { return has_at(u, i, w); });
}

template <typename Words>
bool preceded_by_any(const std::vector<Unit>& u, std::size_t i, const Words& words) {
    return std::any_of(std::begin(words), std::end(words), [&](std::u32string_view w) {
        return w.size() <= i && has_at(u, i - w.size(), w);
    });
}

bool is_placeholder(std::string_view name) {
    return name.empty() || name.starts_with("匿名") ||
           std::find(std::begin(k_placeholders), std::end(k_placeholders), name) !=
               std::end(k_placeholders);
}

bool is_compound_surname_at(const std::vector<Unit>& u, std::size_t i) {
    return followed_by_any(u, i, k_compound_surnames);
}

// 张先生, 欧阳女士: a surname and a title, which is already as masked as 张某.
bool is_surname_with_title(const std::vector<Unit>& u) {
    std::size_t surname = is_compound_surname_at(u, 0) ? 2 : 1;
    return u.size() == surname + 2 && is_han(u[0].cp) && followed_by_any(u, surname, k_titles);
}

// Only the digits a mobile or landline number is told by: a +86, 0086 or
// bare 86 in front of a mobile number is the country, not the number.
std::string national_digits(std::string_view phone) {
    std::string digits;
    for (char c : phone) {
        if (is_digit(c)) {
            digits += c;
        }
    }
    if (strip(phone, true).starts_with("+86")) {
        digits.erase(0, 2);
    } else if (digits.starts_with("0086")) {
        digits.erase(0, 4);
    } else if (digits.size() == 13 && digits.starts_with("861")) {
        digits.erase(0, 2);
    }
    return digits;
}

std::size_t digit_run_end(std::string_view s, std::size_t i) {
    while (i < s.size() && is_digit(s[i])) {
        ++i;
    }
    return i;
}

// Copies `s`, offering each whole run of ASCII digits [i, j) to `match`,
// which returns how many bytes from i it replaces (0: none) and with what.
// Runs are offered whole, so a number inside a longer one is never taken.
template <typename Match>
std::string replace_digit_runs(std::string_view s, Match match) {
    std::string out;
    std::size_t i = 0;
    while (i < s.size()) {
        if (!is_digit(s[i])) {
            out += s[i++];
            continue;
        }
        std::size_t j = digit_run_end(s, i);
        std::string replacement;
        std::size_t taken = match(s, i, j, replacement);
        out += taken > 0 ? std::string_view(replacement) : s.substr(i, j - i);
        i += taken > 0 ? taken : j - i;
    }
    return out;
}

bool is_id_check_letter(std::string_view s, std::size_t i) {
    return i < s.size() && (s[i] == 'X' || s[i] == 'x');
}

// An ID card keeps its region (first six) and last four; the birth date goes.
std::size_t match_id_card(std::string_view s, std::size_t i, std::size_t j, std::string& out) {
    std::size_t n = j - i;
    if (n == 17 && is_id_check_letter(s, j) && !(j + 1 < s.size() && is_digit(s[j + 1]))) {
        n = 18;
    } else if (!(n == 15 || (n == 18 && !is_id_check_letter(s, j)))) {
        return 0;
    }
    out = std::string(s.substr(i, 6)) + std::string(n - 10, '*') +
          std::string(s.substr(i + n - 4, 4));
    return n;
}

bool is_phone_separator(char c) {
    return c == '-' || c == ' ';
}

// The length of "DDDD<sep>DDDD" from i when the separator is `sep`, else 0.
std::size_t grouped_digits(std::string_view s, std::size_t i, char sep, std::size_t first,
                           std::size_t second) {
    std::size_t a = digit_run_end(s, i);
    if (a - i != first || a >= s.size() || s[a] != sep) {
        return 0;
    }
    std::size_t b = digit_run_end(s, a + 1);
    return b - (a + 1) == second ? b - i : 0;
}

// A mobile number (11 digits from 1, or written 138-1234-5678 or
// 138 1234 5678) or a landline with its area code (0571-88123456,
// 010 12345678, (0571)88123456).
std::size_t match_phone(std::string_view s, std::size_t i, std::size_t j, std::string& out) {
    std::size_t n = j - i;
    std::size_t taken = 0;
    if (n == 11 && s[i] == '1') {
        taken = n;
    } else if (n == 3 && s[i] == '1' && s[i + 1] >= '3' && j < s.size() &&
               is_phone_separator(s[j])) { // mobile numbers start 13 to 19
        std::size_t rest = grouped_digits(s, j + 1, s[j], 4, 4);
        taken = rest > 0 ? n + 1 + rest : 0;
    } else if (s[i] == '0' && (n == 3 || n == 4) && j < s.size() &&
               (is_phone_separator(s[j]) || (s[j] == ')' && i > 0 && s[i - 1] == '('))) {
        std::size_t local = digit_run_end(s, j + 1) - (j + 1);
        taken = (local == 7 || local == 8) ? n + 1 + local : 0;
    }
    if (taken > 0) {
        out = mask_phone(s.substr(i, taken));
    }
    return taken;
}

bool is_local_char(char c) {
    return is_ascii_alnum(static_cast<unsigned char>(c)) ||
           std::string_view("._%+-").find(c) != std::string_view::npos;
}

bool is_domain_char(char c) {
    return is_ascii_alnum(static_cast<unsigned char>(c)) || c == '.' || c == '-';
}

bool is_ascii_letter(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

// Where the domain starting at `from` ends: the longest run of domain
// characters that ends in a dot and two letters or more; npos if none.
std::size_t domain_end(std::string_view s, std::size_t from) {
    std::size_t end = from;
    while (end < s.size() && is_domain_char(s[end])) {
        ++end;
    }
    for (std::size_t e = end; e > from; --e) {
        std::size_t p = e;
        while (p > from && is_ascii_letter(s[p - 1])) {
            --p;
        }
        if (e - p >= 2 && p > from + 1 && s[p - 1] == '.') {
            return e;
        }
    }
    return std::string_view::npos;
}

std::string mask_emails(std::string_view s) {
    std::string out;
    std::size_t i = 0;
    for (std::size_t at = s.find('@'); at != std::string_view::npos; at = s.find('@', i)) {
        std::size_t local = at;
        while (local > i && is_local_char(s[local - 1])) {
            --local;
        }
        std::size_t end = domain_end(s, at + 1);
        if (local == at || end == std::string_view::npos) {
            out += s.substr(i, at + 1 - i);
            i = at + 1;
            continue;
        }
        out += s.substr(i, local - i);
        out += mask_email(s.substr(local, end - local));
        i = end;
    }
    out += s.substr(i);
    return out;
}

bool is_numeral(char32_t c) {
    return (c >= '0' && c <= '9') || (c >= 0xFF10 && c <= 0xFF19) ||
           k_chinese_numerals.find(c) != std::u32string_view::npos;
}

// A house number follows a street name, so a Han character; but not 第
// (第3组 counts) nor 月 (3月5号 is a date), and a lone 一 is too common a
// character (统一楼盘, 同一层) to start an address.
bool may_start_house_number(const std::vector<Unit>& u, std::size_t i) {
    if (i == 0 || !is_numeral(u[i].cp) || !is_han(u[i - 1].cp) || is_numeral(u[i - 1].cp)) {
        return false;
    }
    char32_t before = u[i - 1].cp;
    bool lone_one = u[i].cp == U'一' && !(i + 1 < u.size() && is_numeral(u[i + 1].cp));
    return before != U'第' && before != U'月' && !lone_one;
}

std::size_t house_suffix_length(const std::vector<Unit>& u, std::size_t i) {
    for (std::u32string_view suffix : k_house_suffixes) {
        if (has_at(u, i, suffix)) {
            return suffix.size();
        }
    }
    return 0;
}

// Units taken by numbers with their suffix in a row (18号3栋2单元501室).
std::size_t house_number_length(const std::vector<Unit>& u, std::size_t i) {
    std::size_t k = i;
    for (;;) {
        std::size_t d = k;
        while (d < u.size() && is_numeral(u[d].cp)) {
            ++d;
        }
        std::size_t suffix = d > k ? house_suffix_length(u, d) : 0;
        if (suffix == 0) {
            return k - i;
        }
        k = d + suffix;
    }
}

std::string mask_house_numbers(std::string_view s) {
    auto u = decode(s);
    std::string out;
    for (std::size_t i = 0; i < u.size();) {
        std::size_t n = may_start_house_number(u, i) ? house_number_length(u, i) : 0;
        out += n > 0 ? std::string_view("**") : slice(s, u, i, i + 1);
        i += n > 0 ? n : 1;
    }
    return out;
}

// John inside Johnson is no name: a Latin edge needs a non-alphanumeric
// neighbour. A Han edge needs nothing here (张三abc).
bool at_latin_word_edges(const std::vector<Unit>& u, std::size_t i, std::size_t end) {
    bool left_ok = i == 0 || !is_ascii_alnum(u[i].cp) || !is_ascii_alnum(u[i - 1].cp);
    bool right_ok = end == u.size() || !is_ascii_alnum(u[end - 1].cp) || !is_ascii_alnum(u[end].cp);
    return left_ok && right_ok;
}

bool left_boundary(const std::vector<Unit>& u, std::size_t i) {
    return i == 0 || !is_han(u[i - 1].cp) || preceded_by_any(u, i, k_left_markers);
}

bool right_boundary(const std::vector<Unit>& u, std::size_t end) {
    return end == u.size() || !is_han(u[end].cp) || followed_by_any(u, end, k_right_markers);
}

// Whether the name of `length` units found at i stands there as a name.
bool stands_as_name(const std::vector<Unit>& u, std::size_t i, std::size_t length) {
    std::size_t end = i + length;
    if (!at_latin_word_edges(u, i, end)) {
        return false;
    }
    if (length >= 3 || followed_by_any(u, end, k_titles)) {
        return true;
    }
    return left_boundary(u, i) && right_boundary(u, end);
}

std::string mask_one_name(std::string_view s, std::string_view name) {
    auto u = decode(s);
    std::u32string wanted = code_points(name);
    std::string masked = mask_name(name);
    std::string out;
    for (std::size_t i = 0; i < u.size();) {
        bool hit = has_at(u, i, wanted) && stands_as_name(u, i, wanted.size());
        out += hit ? std::string_view(masked) : slice(s, u, i, i + 1);
        i += hit ? wanted.size() : 1;
    }
    return out;
}

// The names worth looking for, longest first so that 欧阳娜娜 is masked
// whole before a sender called 欧阳 could take its first half.
std::vector<std::string> names_to_mask(const std::vector<std::string>& names) {
    std::vector<std::string> out;
    for (const std::string& raw : names) {
        std::string name(strip(raw, true));
        if (!is_placeholder(name) && decode(name).size() >= 2 && mask_name(name) != name) {
            out.push_back(name);
        }
    }
    std::stable_sort(out.begin(), out.end(), [](const std::string& a, const std::string& b) {
        return decode(a).size() > decode(b).size();
    });
    return out;
}

} // namespace

std::string mask_name(std::string_view raw) {
    std::string_view name = strip(raw, true);
    if (is_placeholder(name)) {
        return std::string(name);
    }
    auto u = decode(name);
    if (!is_han(u[0].cp)) {
        return std::string(slice(name, u, 0, 1)) + "***";
    }
    if (is_surname_with_title(u)) {
        return std::string(name);
    }
    std::size_t surname = is_compound_surname_at(u, 0) ? 2 : 1;
    return std::string(slice(name, u, 0, surname)) + "某";
}

std::string mask_phone(std::string_view phone) {
    std::string digits = national_digits(phone);
    if (digits.size() == 11 && digits[0] == '1') {
        return digits.substr(0, 3) + "****" + digits.substr(7);
    }
    if (digits.size() >= 7) {
        return "****" + digits.substr(digits.size() - 4);
    }
    return "****";
}

std::string mask_email(std::string_view raw) {
    std::string_view email = strip(raw, true);
    std::size_t at = email.rfind('@');
    if (at == std::string_view::npos) {
        return "***";
    }
    auto local = decode(email.substr(0, at));
    std::string first = local.empty() ? "" : std::string(email.substr(0, local[0].len));
    return first + "***@" + std::string(email.substr(at + 1));
}

// Full-width digits (０-９, U+FF10..FF19), as Chinese input may type a phone
// number, become ASCII ones, so that the number is recognised.
std::string ascii_digits(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
        if (i + 2 < s.size() && b(i) == 0xEF && b(i + 1) == 0xBC && b(i + 2) >= 0x90 &&
            b(i + 2) <= 0x99) {
            out += static_cast<char>('0' + (b(i + 2) - 0x90));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

std::string mask_text(std::string_view text, const std::vector<std::string>& names) {
    std::string out = replace_digit_runs(ascii_digits(text), match_id_card);
    out = mask_emails(out);
    out = replace_digit_runs(out, match_phone);
    out = mask_house_numbers(out);
    for (const std::string& name : names_to_mask(names)) {
        out = mask_one_name(out, name);
    }
    return out;
}

} // namespace mailbox
