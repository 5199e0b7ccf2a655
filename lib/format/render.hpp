// Text rendered from mustache templates: notices, replies, letters and SMS.
// A mailbox's own templates/NAME.mustache overrides the default of that
// name compiled into the tools. Everything here is plain text: mustache's
// HTML escaping is off, so a subject with & or < stays as the citizen wrote
// it, except in an HTML page, where it is on.
#pragma once

#include "model/config.hpp"
#include "model/context.hpp"

#include <kainjow/mustache.hpp>
#include <map>
#include <string>
#include <vector>

namespace mailbox {

using TemplateData = kainjow::mustache::data;

// The default templates compiled in from templates/: {name, text} pairs,
// ended by {nullptr, nullptr}.
extern const std::pair<const char*, const char*> k_default_templates[];

// A template's text and the name its errors go by: its file under the
// mailbox, or "built-in template NAME" (store/templates.hpp finds it).
struct TemplateSource {
    std::string text;
    std::string label;
};

enum class Escape { none, html, markdown };

// The keys every item of a list holds, by the list's dotted name in the
// data ("channels", "late_units.list"). An empty list has no item to judge a
// template's names by; for a list that may be empty, the program says here
// what its items would hold.
using ListItemKeys = std::map<std::string, std::vector<std::string>>;

// Checks the template before rendering it: a syntax error (an unclosed
// section or tag) and a name the data does not hold are DataErrors at the
// template's line and column, "templates/NAME.mustache:12:5: unknown variable
// 'unti_name'; did you mean 'unit_name'?" (a default is named "built-in
// template NAME"). Names are judged as mustache looks them up, innermost
// section first, in every section whether it renders this time or not: in a
// list's items (any item holding it) and its `item_keys`; in an empty list
// with no item_keys, a name not found outside it is let through. With
// Escape::html, every {{value}} is HTML-escaped ({{{value}}} is not: for
// markup the program made, never for what a citizen wrote). Escape::markdown
// backslash-escapes what Markdown would read as markup, and < and >, which a
// Markdown viewer would pass on as HTML.
std::string render(const TemplateSource& source, const TemplateData& d,
                   Escape escape = Escape::none, const ListItemKeys& item_keys = {});

// 2026年11月25日, as letters and notices write a date.
std::string date_cn(Day d);

// What every notice and page of the office starts from: office, phone,
// email (the office's contact), date, date_cn and by (who acts).
TemplateData office_data(const Config& config, const Context& ctx);

// A unit's name from mailbox.toml, else its id; empty for none.
std::string unit_name(const Config& config, const std::optional<std::string>& id);

} // namespace mailbox
