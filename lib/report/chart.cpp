#include "report/chart.hpp"

#include "format/output.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace mailbox {

namespace {

double largest(const std::vector<Bar>& bars, double max) {
    for (const Bar& b : bars) {
        max = std::max(max, b.value);
    }
    return max > 0 ? max : 1;
}

} // namespace

std::string xml_escape(const std::string& s) {
    std::string out;
    for (char ch : s) {
        switch (ch) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            out += ch;
        }
    }
    return out;
}

std::string svg_hbars(const std::vector<Bar>& bars, const std::string& title, double max) {
    max = largest(bars, max);
    const int row = 22, label_w = 190, bar_w = 360, width = label_w + bar_w + 70;
    int height = row * static_cast<int>(bars.size()) + 34;
    std::string svg = fmt::format(
        R"(<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" role="img" aria-label="{}">)"
        "\n<text x=\"0\" y=\"16\" class=\"chart-title\">{}</text>\n",
        width, height, xml_escape(title), xml_escape(title));
    for (std::size_t i = 0; i < bars.size(); ++i) {
        const Bar& b = bars[i];
        int y = 30 + static_cast<int>(i) * row;
        int w = static_cast<int>(bar_w * std::clamp(b.value / max, 0.0, 1.0) + 0.5);
        svg += fmt::format(R"(<text x="{}" y="{}" text-anchor="end">{}</text>)"
                           R"(<rect x="{}" y="{}" width="{}" height="14"/>)"
                           R"(<text x="{}" y="{}">{}</text>)"
                           "\n",
                           label_w - 8, y + 12, xml_escape(fit_width(b.label, 24)), label_w, y,
                           std::max(w, 1), label_w + w + 6, y + 12, xml_escape(b.shown));
    }
    return svg + "</svg>";
}

std::string svg_columns(const std::vector<Bar>& bars, const std::string& title) {
    double max = largest(bars, 0);
    const int col = 40, chart_h = 140, width = col * static_cast<int>(bars.size()) + 20;
    std::string svg = fmt::format(
        R"(<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" role="img" aria-label="{}">)"
        "\n<text x=\"0\" y=\"16\" class=\"chart-title\">{}</text>\n",
        std::max(width, 300), chart_h + 84, xml_escape(title), xml_escape(title));
    for (std::size_t i = 0; i < bars.size(); ++i) {
        const Bar& b = bars[i];
        int x = 10 + static_cast<int>(i) * col;
        int h = static_cast<int>(chart_h * std::clamp(b.value / max, 0.0, 1.0) + 0.5);
        int base = 44 + chart_h;
        svg += fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}"/>)"
                           R"(<text x="{}" y="{}" text-anchor="middle">{}</text>)"
                           R"(<text x="{}" y="{}" text-anchor="middle" class="axis">{}</text>)"
                           "\n",
                           x + 6, base - h, col - 12, h, x + col / 2, base - h - 4,
                           xml_escape(b.shown), x + col / 2, base + 16, xml_escape(b.label));
    }
    return svg + "</svg>";
}

} // namespace mailbox
