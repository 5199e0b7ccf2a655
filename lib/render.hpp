// Text rendered from mustache templates: notices, replies, letters and SMS.
// A mailbox's own templates/NAME.mustache overrides the default of that
// name compiled into the tools. Everything here is plain text: mustache's
// HTML escaping is off, so a subject with & or < stays as the citizen wrote it.
#pragma once

#include "store.hpp"

#include <kainjow/mustache.hpp>
#include <string>

namespace mailbox {

using TemplateData = kainjow::mustache::data;

// The template's text: the mailbox's own, else the default. UsageError when
// there is neither.
std::string template_text(const Mailbox& m, const std::string& name);

// Throws DataError naming the template when it does not parse.
std::string render(const Mailbox& m, const std::string& name, const TemplateData& d);

// 2026年11月25日, as letters and notices write a date.
std::string date_cn(Day d);

// A unit's name from mailbox.toml, else its id; empty for none.
std::string unit_name(const Config& config, const std::optional<std::string>& id);

} // namespace mailbox
