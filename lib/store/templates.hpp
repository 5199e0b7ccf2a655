// The templates a mailbox renders: its own templates/NAME.mustache, else the
// default of that name compiled into the tools.
#pragma once

#include "format/render.hpp"
#include "store/mailbox.hpp"

#include <string>
#include <string_view>

namespace mailbox {

// A template's name is a file name under templates/, never a path.
bool is_template_name(std::string_view name);

// The mailbox's own template, else the default. UsageError when there is
// neither, or when the name is a path or its file a link out of the mailbox.
TemplateSource load_template(const Mailbox& m, const std::string& name);

} // namespace mailbox
