// The language of the case record: history notes and commit messages are the
// office's record and read in one language, mailbox.toml's [office] language,
// whoever writes them and whatever their terminal speaks. Not the gettext
// catalogue (util/i18n.hpp): that follows the clerk's locale, which may not
// even be installed on the machine, and the record must not change with it.
// Each phrase is written here in every record language, side by side, in
// po/TERMINOLOGY.md's words.
#pragma once

#include <fmt/format.h>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mailbox {

enum class Language { en, zh_CN };

std::string_view to_string(Language l);
std::optional<Language> parse_language(std::string_view s);

namespace detail {
// The fields a format string fills, "{}" and "{:>3}" alike; "{{" is a brace.
consteval int fields_of(const char* s) {
    int n = 0;
    for (; *s; ++s) {
        if (*s == '{' && s[1] == '{') {
            ++s;
        } else if (*s == '{') {
            ++n;
        }
    }
    return n;
}
} // namespace detail

// One phrase of the record in each language, as fmt format strings. Checked
// as the code compiles: a translation that fills another number of fields
// than the English does not build.
struct Phrase {
    consteval Phrase(const char* english, const char* chinese) : en(english), zh_CN(chinese) {
        if (detail::fields_of(english) != detail::fields_of(chinese)) {
            throw "a phrase's translations fill different numbers of fields";
        }
    }
    const char* en;
    const char* zh_CN;

    const char* in(Language l) const { return l == Language::zh_CN ? zh_CN : en; }
};

template <typename... Args>
std::string say(Language l, const Phrase& p, const Args&... args) {
    return fmt::format(fmt::runtime(p.in(l)), args...);
}

// A note kept until the record's language is known: a letter's notes are
// made while it is read, before it meets a mailbox. Its fields are filled
// with text already formatted, so its phrase uses plain "{}".
struct Note {
    Phrase phrase;
    std::vector<std::string> args;

    std::string in(Language l) const;
    bool operator==(const Note& o) const {
        return std::string_view(phrase.en) == o.phrase.en && args == o.args;
    }
};

template <typename... Args>
Note note(const Phrase& p, const Args&... args) {
    return Note{p, {fmt::format("{}", args)...}};
}

// How a reply was judged, as its history note says it: "…; on time, due D; …"
// or "…；按时，期限D；…". Reports read it back (report/stats.cpp).
inline constexpr Phrase k_on_time{"on time", "按时"};
inline constexpr Phrase k_overdue{"overdue", "超期"};
inline constexpr Phrase k_very_overdue{"very-overdue", "严重超期"};

// Items of a list and clauses of a note, as each language writes them:
// "a, b" and "a; b", "a、b" and "a；b".
std::string list_of(Language l, const std::vector<std::string>& items);
std::string_view clause_break(Language l);
// The clauses that are not empty, joined by clause_break.
std::string clauses(Language l, const std::vector<std::string>& parts);

// "3 days" or "3天": a count of days in the record.
std::string days_counted(Language l, int n);

} // namespace mailbox
