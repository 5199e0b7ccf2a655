#include "store/field_reader.hpp"

#include "store/toml_problem.hpp"
#include "util/i18n.hpp"

namespace mailbox {

const char* type_name(const toml::node& n) {
    switch (n.type()) {
    case toml::node_type::string:
        return N_("a string");
    case toml::node_type::integer:
        return N_("an integer");
    case toml::node_type::floating_point:
        return N_("a number");
    case toml::node_type::boolean:
        return N_("a boolean");
    case toml::node_type::date:
        return N_("a date");
    case toml::node_type::time:
        return N_("a time");
    case toml::node_type::date_time:
        return N_("a date-time");
    case toml::node_type::array:
        return N_("an array");
    case toml::node_type::table:
        return N_("a table");
    default:
        return N_("nothing");
    }
}

bool is_conflict_marker(std::string_view line) {
    return line.starts_with("<<<<<<<") || line.starts_with(">>>>>>>") ||
           line.starts_with("|||||||") || line == "=======" || line == "=======\r";
}

std::vector<DataError> find_conflict_markers(std::string_view text, const std::string& path) {
    std::vector<DataError> found;
    unsigned line = 1;
    for (std::size_t start = 0; start <= text.size(); ++line) {
        std::size_t end = text.find('\n', start);
        std::string_view l = text.substr(start, end == std::string_view::npos ? end : end - start);
        if (is_conflict_marker(l)) {
            found.emplace_back(Position{path, line, 1},
                               _("git conflict marker; resolve the merge and run check again"));
        }
        if (end == std::string_view::npos) {
            break;
        }
        start = end + 1;
    }
    return found;
}

std::optional<toml::table> parse_toml(std::string_view text, const std::string& path,
                                      std::vector<DataError>& problems) {
    std::vector<DataError> markers = find_conflict_markers(text, path);
    if (!markers.empty()) {
        problems.insert(problems.end(), markers.begin(), markers.end());
        return std::nullopt;
    }
    try {
        return toml::parse(text, path);
    } catch (const toml::parse_error& e) {
        const auto& b = e.source().begin;
        problems.emplace_back(Position{path, b.line ? b.line : 1u, b.column ? b.column : 1u},
                              toml_problem(e.description()));
        return std::nullopt;
    }
}

} // namespace mailbox
