#include "store/templates.hpp"

#include "util/atomic_file.hpp"
#include "util/error.hpp"
#include "util/i18n.hpp"
#include "util/path_guard.hpp"

#include <fmt/format.h>

namespace mailbox {

bool is_template_name(std::string_view name) {
    return !name.empty() && !name.starts_with('.') &&
           name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                  "0123456789._-") == std::string_view::npos;
}

TemplateSource load_template(const Mailbox& m, const std::string& name) {
    if (!is_template_name(name)) {
        throw UsageError(tr("no template '{}': a template is named, not a path", name));
    }
    std::string relative = "templates/" + name + ".mustache";
    check_inside_mailbox(m.root(), relative); // a committed link to /etc/hostname
    std::filesystem::path own = m.root() / relative;
    std::error_code ec;
    if (std::filesystem::exists(own, ec)) {
        return {read_file(own), relative};
    }
    for (const auto* t = k_default_templates; t->first; ++t) {
        if (name == t->first) {
            return {t->second, "built-in template " + name};
        }
    }
    throw UsageError(tr("no template '{}'", name));
}

} // namespace mailbox
