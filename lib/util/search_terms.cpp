#include "util/search_terms.hpp"

#include <cstdlib>
#include <utf8proc.h>

namespace mailbox {

namespace {

bool is_han(utf8proc_int32_t cp) {
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3134F) || cp == 0x3007;
}

bool is_word_char(utf8proc_int32_t cp) {
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
        return true;
    default:
        return false;
    }
}

// A stretch of Han characters (each kept apart) or of other letters and
// digits (one word).
struct Run {
    bool han = false;
    std::vector<std::string> chars;
    std::string word;
};

std::vector<Run> runs_of(std::string_view text) {
    utf8proc_uint8_t* folded = nullptr;
    auto options = static_cast<utf8proc_option_t>(UTF8PROC_COMPAT | UTF8PROC_COMPOSE |
                                                  UTF8PROC_CASEFOLD | UTF8PROC_IGNORE);
    utf8proc_ssize_t n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                                      static_cast<utf8proc_ssize_t>(text.size()), &folded, options);
    std::vector<Run> runs;
    if (n < 0) {
        return runs; // not UTF-8: intake refuses such text before it is stored
    }
    bool in_run = false;
    for (utf8proc_ssize_t i = 0; i < n;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t len = utf8proc_iterate(folded + i, n - i, &cp);
        if (len <= 0) {
            break;
        }
        std::string bytes(reinterpret_cast<const char*>(folded + i), static_cast<std::size_t>(len));
        i += len;
        bool han = is_han(cp);
        if (!han && !is_word_char(cp)) {
            in_run = false;
            continue;
        }
        if (!in_run || runs.back().han != han) {
            runs.push_back(Run{han, {}, {}});
            in_run = true;
        }
        if (han) {
            runs.back().chars.push_back(std::move(bytes));
        } else {
            runs.back().word += bytes;
        }
    }
    std::free(folded);
    return runs;
}

void add_pairs(std::vector<std::string>& out, const std::vector<std::string>& chars) {
    for (std::size_t i = 0; i + 1 < chars.size(); ++i) {
        out.push_back(chars[i] + chars[i + 1]);
    }
}

std::vector<std::string_view> query_parts(std::string_view query) {
    std::vector<std::string_view> parts;
    constexpr std::string_view k_wide_space = "\u3000";
    std::size_t start = 0;
    for (std::size_t i = 0; i <= query.size();) {
        std::size_t gap = 0;
        if (i == query.size()) {
            gap = 1;
        } else if (query[i] == ' ' || query[i] == '\t' || query[i] == '\n' || query[i] == '\r') {
            gap = 1;
        } else if (query.substr(i).starts_with(k_wide_space)) {
            gap = k_wide_space.size();
        }
        if (gap) {
            if (i > start) {
                parts.push_back(query.substr(start, i - start));
            }
            start = i + gap;
            i += gap;
        } else {
            ++i;
        }
    }
    return parts;
}

} // namespace

std::vector<std::string> search_terms(std::string_view text) {
    std::vector<std::string> out;
    for (Run& r : runs_of(text)) {
        if (!r.han) {
            out.push_back(std::move(r.word));
            continue;
        }
        add_pairs(out, r.chars);
        out.push_back(r.chars.back());
    }
    return out;
}

std::string search_match(std::string_view query) {
    std::string match;
    for (std::string_view part : query_parts(query)) {
        std::vector<Run> runs = runs_of(part);
        std::string phrase;
        bool prefix = false;
        for (std::size_t i = 0; i < runs.size(); ++i) {
            bool last = i + 1 == runs.size();
            std::vector<std::string> terms;
            if (!runs[i].han) {
                terms.push_back(runs[i].word);
            } else {
                add_pairs(terms, runs[i].chars);
                // The text's run ends where this one does only when the part
                // goes on after it; a lone character that ends the part may
                // begin a pair in the text.
                if (!last || runs[i].chars.size() == 1) {
                    terms.push_back(runs[i].chars.back());
                }
                prefix = last && runs[i].chars.size() == 1;
            }
            for (const std::string& t : terms) {
                phrase += phrase.empty() ? "" : " ";
                phrase += t; // letters, digits and Han only: never a quote
            }
        }
        if (phrase.empty()) {
            continue;
        }
        match += match.empty() ? "" : " AND ";
        match += "\"" + phrase + "\"" + (prefix ? "*" : "");
    }
    return match;
}

} // namespace mailbox
