#include "store/toml_problem.hpp"

#include "util/i18n.hpp"

#include <algorithm>
#include <array>
#include <regex>

namespace mailbox {

namespace {

// What toml++ was reading (parser.inl's push_parse_scope).
constexpr std::array k_scopes{
    NC_("TOML", "array"),
    NC_("TOML", "boolean"),
    NC_("TOML", "comment"),
    NC_("TOML", "date"),
    NC_("TOML", "date-time offset"),
    NC_("TOML", "date-time"),
    NC_("TOML", "floating-point"),
    NC_("TOML", "hexadecimal floating-point"),
    NC_("TOML", "inline table"),
    NC_("TOML", "key"),
    NC_("TOML", "key-value pair"),
    NC_("TOML", "literal string"),
    NC_("TOML", "root table"),
    NC_("TOML", "string"),
    NC_("TOML", "table header"),
    NC_("TOML", "time"),
    NC_("TOML", "unicode scalar sequence"),
    NC_("TOML", "value"),
    NC_("TOML", "integer"),
    NC_("TOML", "binary integer"),
    NC_("TOML", "octal integer"),
    NC_("TOML", "decimal integer"),
    NC_("TOML", "hexadecimal integer"),
    NC_("TOML", "table"),
    NC_("TOML", "array-of-tables"),
};

// What it expected ("expected X, saw 'Y'"), the commonest of its words.
constexpr std::array k_expected{
    NC_("TOML", "value"),
    NC_("TOML", "value-terminator"),
    NC_("TOML", "decimal digit"),
    NC_("TOML", "digit"),
    NC_("TOML", "key or closing '}'"),
    NC_("TOML", "comma or closing '}'"),
    NC_("TOML", "comma or closing ']'"),
    NC_("TOML", "keys, tables, whitespace or comments"),
    NC_("TOML", "a comment or whitespace"),
    NC_("TOML", "4-digit year"),
    NC_("TOML", "2-digit month"),
    NC_("TOML", "2-digit day"),
    NC_("TOML", "2-digit hour"),
    NC_("TOML", "2-digit minute"),
    NC_("TOML", "2-digit second"),
    NC_("TOML", "space, 'T' or 't'"),
    NC_("TOML", "space or tab"),
    NC_("TOML", "hexadecimal digit"),
    NC_("TOML", "fractional digits"),
};

// Whole details, said without a value of the file's.
constexpr std::array k_details{
    NC_("TOML", "encountered end-of-file"),
    NC_("TOML", "unexpected control character"),
    NC_("TOML", "unescaped control characters other than TAB (U+0009) are explicitly "
                "prohibited"),
    NC_("TOML", "leading zeroes are prohibited"),
    NC_("TOML", "underscores must be followed by digits"),
    NC_("TOML", "underscores may only follow digits"),
    NC_("TOML", "values may not begin with underscores"),
    NC_("TOML", "could not determine value type"),
    NC_("TOML", "missing exponent"),
    NC_("TOML", "expected value or closing ']', saw comma"),
    NC_("TOML", "expected key-value pair or closing '}', saw comma"),
    NC_("TOML", "expected key-value pair, saw closing '}' (dangling comma)"),
    NC_("TOML", "unicode surrogates (U+D800 - U+DFFF) are explicitly prohibited"),
    NC_("TOML", "values greater than U+10FFFF are invalid"),
    NC_("TOML", "tables with blank bare keys are explicitly prohibited"),
};

// The word in the user's language when it is one of toml++'s, else as is.
template <std::size_t N>
std::string word(const std::array<const char*, N>& known, const std::string& w) {
    auto it = std::find_if(known.begin(), known.end(), [&](const char* k) { return w == k; });
    return it == known.end() ? w : C_("TOML", *it);
}

std::string detail_shown(const std::string& detail) {
    std::smatch m;
    if (auto shown = word(k_details, detail); shown != detail) {
        return shown;
    }
    if (std::regex_match(detail, m, std::regex("expected (.*), saw (.*)"))) {
        return tr("expected {}, saw {}", word(k_expected, m[1].str()), m[2].str());
    }
    if (std::regex_match(detail, m, std::regex("cannot redefine existing (.*) '(.*)' as (.*)"))) {
        return tr("cannot redefine existing {} '{}' as {}", word(k_scopes, m[1].str()), m[2].str(),
                  word(k_scopes, m[3].str()));
    }
    if (std::regex_match(detail, m, std::regex("cannot redefine existing (.*) '(.*)'"))) {
        return tr("cannot redefine existing {} '{}'", word(k_scopes, m[1].str()), m[2].str());
    }
    if (std::regex_match(detail, m, std::regex("unknown escape sequence (.*)"))) {
        return tr("unknown escape sequence {}", m[1].str());
    }
    return detail;
}

} // namespace

std::string toml_problem(std::string_view description) {
    std::string text(description);
    std::smatch m;
    if (!std::regex_match(text, m, std::regex("Error while parsing ([^:]*): ((.|\n)*)"))) {
        return text;
    }
    return tr("Error while parsing {}: {}", word(k_scopes, m[1].str()), detail_shown(m[2].str()));
}

} // namespace mailbox
