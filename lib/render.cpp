#include "render.hpp"

#include "atomic_file.hpp"
#include "charset.hpp"
#include "error.hpp"
#include "path_guard.hpp"

#include <fmt/format.h>

namespace mailbox {

extern const std::pair<const char*, const char*> k_default_templates[];

bool is_template_name(std::string_view name) {
    return !name.empty() && !name.starts_with('.') &&
           name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                  "0123456789._-") == std::string_view::npos;
}

std::string template_text(const Mailbox& m, const std::string& name) {
    if (!is_template_name(name)) {
        throw UsageError(fmt::format("no template '{}': a template is named, not a path", name));
    }
    std::string relative = "templates/" + name + ".mustache";
    check_inside_mailbox(m.root(), relative); // a committed link to /etc/hostname
    std::filesystem::path own = m.root() / relative;
    std::error_code ec;
    if (std::filesystem::exists(own, ec)) {
        return read_file(own);
    }
    for (const auto* t = k_default_templates; t->first; ++t) {
        if (name == t->first) {
            return t->second;
        }
    }
    throw UsageError(fmt::format("no template '{}'", name));
}

namespace {

std::string markdown_escape(const std::string& s) {
    std::string out;
    for (char ch : s) {
        if (ch == '<') {
            out += "&lt;";
        } else if (ch == '>') {
            out += "&gt;";
        } else if (ch == '&') {
            out += "&amp;";
        } else {
            if (std::string_view("\\`*_[]#|~").find(ch) != std::string_view::npos) {
                out += '\\';
            }
            out += ch;
        }
    }
    return out;
}

} // namespace

std::string render(const Mailbox& m, const std::string& name, const TemplateData& d,
                   Escape escape) {
    kainjow::mustache::mustache tmpl{template_text(m, name)};
    if (!tmpl.is_valid()) {
        throw DataError(Position{"templates/" + name + ".mustache", 0, 0}, tmpl.error_message());
    }
    if (escape == Escape::none) {
        tmpl.set_custom_escape([](const std::string& s) { return s; });
    } else if (escape == Escape::markdown) {
        tmpl.set_custom_escape(markdown_escape);
    }
    std::string out = tmpl.render(d);
    if (auto at = invalid_utf8_at(out)) {
        // A template saved in GBK by a Windows editor: say so, not mojibake.
        throw DataError(Position{"templates/" + name + ".mustache", 0, 0},
                        fmt::format("the rendered text is not UTF-8 (byte {}); save the template "
                                    "as UTF-8",
                                    *at + 1));
    }
    return out;
}

std::string date_cn(Day d) {
    return fmt::format("{}年{}月{}日", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                       static_cast<unsigned>(d.day()));
}

std::string unit_name(const Config& config, const std::optional<std::string>& id) {
    if (!id) {
        return "";
    }
    const Unit* u = config.find_unit(*id);
    return u ? u->name : *id;
}

} // namespace mailbox
