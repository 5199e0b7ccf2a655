#include "model/record_language.hpp"

#include <fmt/args.h>

namespace mailbox {

std::string_view to_string(Language l) {
    return l == Language::zh_CN ? "zh_CN" : "en";
}

std::optional<Language> parse_language(std::string_view s) {
    if (s == "en") {
        return Language::en;
    }
    if (s == "zh_CN") {
        return Language::zh_CN;
    }
    return std::nullopt;
}

std::string Note::in(Language l) const {
    fmt::dynamic_format_arg_store<fmt::format_context> store;
    for (const std::string& a : args) {
        store.push_back(a);
    }
    return fmt::vformat(phrase.in(l), store);
}

std::string list_of(Language l, const std::vector<std::string>& items) {
    return fmt::format("{}", fmt::join(items, l == Language::zh_CN ? "、" : ", "));
}

std::string_view clause_break(Language l) {
    return l == Language::zh_CN ? "；" : "; ";
}

std::string clauses(Language l, const std::vector<std::string>& parts) {
    std::string out;
    for (const std::string& p : parts) {
        if (!p.empty()) {
            out += (out.empty() ? "" : std::string(clause_break(l))) + p;
        }
    }
    return out;
}

std::string days_counted(Language l, int n) {
    if (l == Language::zh_CN) {
        return fmt::format("{}天", n);
    }
    return fmt::format("{} day{}", n, n == 1 ? "" : "s");
}

} // namespace mailbox
