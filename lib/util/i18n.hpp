// The user's language, through GNU gettext as git and coreutils do: English
// source strings marked in the code, their translations in po/LANG.po, built
// into share/locale/LANG/LC_MESSAGES/mailbox.mo. xgettext finds the marks
// (po/update lists its keywords): _, P_ (plurals), C_ (a context for a word
// with two meanings), N_ and NC_ (marked where written, translated where
// used), tr and trn (with {} filled in as fmt does). The tools choose the
// language (tools/common.cpp): lib/ reads no environment.
#pragma once

#include <fmt/format.h>
#include <string>

namespace mailbox {

// The message in the language of LC_MESSAGES, or msgid itself.
const char* _(const char* msgid);
// Of two messages, the one for `n`, by the language's own plural rule.
const char* P_(const char* singular, const char* plural, unsigned long n);
// The message as meant in `context`: "received" a status, not a column.
const char* C_(const char* context, const char* msgid);
// Marks a message kept in a table, translated with _ where it is shown.
constexpr const char* N_(const char* msgid) {
    return msgid;
}
// The same, for C_.
constexpr const char* NC_(const char* /*context*/, const char* msgid) {
    return msgid;
}

// A translated format string, filled in: `tr("{} cases", n)`. A translation
// whose placeholders do not fit its arguments falls back to the English.
std::string format_translated(const char* translated, const char* msgid, fmt::format_args args);

template <typename... Args>
std::string tr(const char* msgid, const Args&... args) {
    return format_translated(_(msgid), msgid, fmt::make_format_args(args...));
}

template <typename... Args>
std::string trn(const char* singular, const char* plural, unsigned long n, const Args&... args) {
    return format_translated(P_(singular, plural, n), n == 1 ? singular : plural,
                             fmt::make_format_args(args...));
}

} // namespace mailbox
