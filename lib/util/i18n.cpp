#include "util/i18n.hpp"

#include <libintl.h>
#include <string>

namespace mailbox {

namespace {

constexpr const char* k_domain = "mailbox"; // bound by the tools (tools/common.cpp)

} // namespace

const char* _(const char* msgid) {
    return dgettext(k_domain, msgid);
}

const char* P_(const char* singular, const char* plural, unsigned long n) {
    return dngettext(k_domain, singular, plural, n);
}

// As gnulib's pgettext: the catalogue holds "context\004msgid"; when it has
// no translation, gettext gives that key back, and the message is msgid.
const char* C_(const char* context, const char* msgid) {
    std::string key = std::string(context) + '\004' + msgid;
    const char* translated = dgettext(k_domain, key.c_str());
    return translated == key.c_str() ? msgid : translated;
}

std::string format_translated(const char* translated, const char* msgid, fmt::format_args args) {
    try {
        return fmt::vformat(translated, args);
    } catch (const fmt::format_error&) {
        return fmt::vformat(msgid, args);
    }
}

} // namespace mailbox
