// Text rendered from mustache templates: notices, replies, letters and SMS.
// A mailbox's own templates/NAME.mustache overrides the default of that
// name compiled into the tools. Everything here is plain text: mustache's
// HTML escaping is off, so a subject with & or < stays as the citizen wrote
// it, except in an HTML page, where it is on.
#pragma once

#include "store.hpp"

#include <kainjow/mustache.hpp>
#include <string>

namespace mailbox {

using TemplateData = kainjow::mustache::data;

// A template's name is a file name under templates/, never a path.
bool is_template_name(std::string_view name);

// The template's text: the mailbox's own, else the default. UsageError when
// there is neither.
std::string template_text(const Mailbox& m, const std::string& name);

enum class Escape { none, html, markdown };

// Throws DataError naming the template when it does not parse. With
// Escape::html, every {{value}} is HTML-escaped ({{{value}}} is not: for
// markup the program made, never for what a citizen wrote). Escape::markdown
// backslash-escapes what Markdown would read as markup, and < and >, which a
// Markdown viewer would pass on as HTML.
std::string render(const Mailbox& m, const std::string& name, const TemplateData& d,
                   Escape escape = Escape::none);

// 2026年11月25日, as letters and notices write a date.
std::string date_cn(Day d);

// A unit's name from mailbox.toml, else its id; empty for none.
std::string unit_name(const Config& config, const std::optional<std::string>& id);

} // namespace mailbox
