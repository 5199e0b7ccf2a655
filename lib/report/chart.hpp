// Bar charts as inline SVG, so an HTML bulletin is one self-contained file
// that prints as it shows: no script, no fonts, no network.
#pragma once

#include <string>
#include <vector>

namespace mailbox {

struct Bar {
    std::string label; // escaped here: it may be any text
    double value = 0;
    std::string shown; // the figure written at the bar's end
};

// Horizontal bars, one a row, scaled to `max` (the largest value when 0).
std::string svg_hbars(const std::vector<Bar>& bars, const std::string& title, double max = 0);

// Vertical bars side by side (e.g. letters per week), labels below.
std::string svg_columns(const std::vector<Bar>& bars, const std::string& title);

std::string xml_escape(const std::string& s);

} // namespace mailbox
