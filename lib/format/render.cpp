#include "format/render.hpp"

#include "util/charset.hpp"
#include "util/edit_distance.hpp"
#include "util/error.hpp"
#include "util/i18n.hpp"
#include "util/text.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fmt/format.h>
#include <functional>
#include <map>
#include <set>

namespace mailbox {

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

// Line and column (in code points, from 1) of a byte of the text.
Position position_at(const TemplateSource& t, std::size_t offset) {
    Position pos{t.label, 1, 1};
    for (std::size_t i = 0; i < offset && i < t.text.size(); ++i) {
        if (t.text[i] == '\n') {
            ++pos.line;
            pos.column = 1;
        } else if ((static_cast<unsigned char>(t.text[i]) & 0xC0) != 0x80) {
            ++pos.column;
        }
    }
    return pos;
}

// A tag of a template, a section with the tags inside it.
struct Tag {
    enum class Kind { variable, section, inverted, partial };
    Kind kind = Kind::variable;
    std::string name;
    std::string written; // as it stands in the template, for messages
    std::size_t at = 0;  // byte offset of its opening delimiter
    std::vector<Tag> children;
};

// "{{= <% %> =}}": the new delimiters, or false when the tag is malformed.
bool set_delimiters(const std::string& body, std::string& open, std::string& close) {
    if (body.size() < 5 || body.back() != '=') {
        return false;
    }
    std::string inner = trimmed(std::string_view(body).substr(1, body.size() - 2));
    std::size_t space = inner.find(' ');
    if (space == std::string::npos) {
        return false;
    }
    std::string o = inner.substr(0, space);
    std::string c = inner.substr(inner.find_first_not_of(' ', space + 1));
    for (const std::string& d : {o, c}) {
        for (char ch : d) {
            if (ch == '=' || std::isspace(static_cast<unsigned char>(ch))) {
                return false;
            }
        }
    }
    open = o;
    close = c;
    return true;
}

// The tags of a template, nested, read as kainjow's mustache reads them
// ({{{name}}}, {{&name}}, comments, set delimiters), so that a syntax error
// and an unknown name can be told by line and column: kainjow keeps its
// parse to itself and counts positions in bytes.
std::vector<Tag> read_tags(const TemplateSource& t) {
    const std::string& text = t.text;
    std::string open = "{{", close = "}}";
    std::vector<Tag> stack(1); // stack[0] holds the top-level tags
    for (std::size_t pos = 0;;) {
        std::size_t at = text.find(open, pos);
        if (at == std::string::npos) {
            break;
        }
        bool triple = open == "{{" && close == "}}" && at + 2 < text.size() && text[at + 2] == '{';
        std::string end = triple ? "}}}" : close;
        std::size_t from = at + open.size() + (triple ? 1 : 0);
        std::size_t to = text.find(end, from);
        if (to == std::string::npos) {
            throw DataError(position_at(t, at),
                            tr("unclosed tag: no '{}' after '{}'", end, triple ? "{{{" : open));
        }
        pos = to + end.size();
        Tag tag;
        tag.at = at;
        tag.written = text.substr(at, pos - at);
        std::string body = trimmed(std::string_view(text).substr(from, to - from));
        if (!body.empty() && body[0] == '=') {
            if (!set_delimiters(body, open, close)) {
                throw DataError(position_at(t, at),
                                tr("invalid set-delimiter tag '{}'", tag.written));
            }
            continue;
        }
        char sigil = triple || body.empty() ? '\0' : body[0];
        bool marked = sigil != '\0' && std::string_view("#^/>&!").find(sigil) != std::string::npos;
        tag.name = marked ? trimmed(std::string_view(body).substr(1)) : body;
        if (sigil == '!') {
            continue;
        }
        if (sigil == '/') {
            if (stack.size() == 1) {
                throw DataError(position_at(t, at), tr("'{}' closes no open section", tag.written));
            }
            if (tag.name != stack.back().name) {
                Position opened = position_at(t, stack.back().at);
                throw DataError(position_at(t, at),
                                tr("'{}' does not close the open section '{}' (opened at {}:{})",
                                   tag.written, stack.back().name, opened.line, opened.column));
            }
            Tag done = std::move(stack.back());
            stack.pop_back();
            stack.back().children.push_back(std::move(done));
            continue;
        }
        tag.kind = sigil == '#'   ? Tag::Kind::section
                   : sigil == '^' ? Tag::Kind::inverted
                   : sigil == '>' ? Tag::Kind::partial
                                  : Tag::Kind::variable;
        if (tag.kind == Tag::Kind::section || tag.kind == Tag::Kind::inverted) {
            stack.push_back(std::move(tag));
        } else {
            stack.back().children.push_back(std::move(tag));
        }
    }
    if (stack.size() > 1) {
        throw DataError(position_at(t, stack.back().at),
                        tr("unclosed section '{}'", stack.back().name));
    }
    return std::move(stack[0].children);
}

// kainjow's own word on a template it will not parse ("Unclosed tag at 12"),
// should it refuse one read_tags took: at its line and column.
DataError parse_error(const TemplateSource& t, std::string message) {
    std::size_t offset = 0;
    if (std::size_t at = message.rfind(" at "); at != std::string::npos) {
        offset = std::strtoul(message.c_str() + at + 4, nullptr, 10);
        message.erase(at);
    }
    if (!message.empty()) {
        message[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(message[0])));
    }
    return DataError(position_at(t, offset), message);
}

// "late_units.list" → "late_units", "list", as mustache splits a name.
std::vector<std::string> name_parts(const std::string& name) {
    std::vector<std::string> parts;
    std::size_t from = 0;
    while (from < name.size()) {
        std::size_t dot = name.find('.', from);
        if (dot == std::string::npos) {
            dot = name.size();
        }
        parts.push_back(name.substr(from, dot - from));
        from = dot + 1;
    }
    return parts;
}

// Judges every name of a template against the data it is rendered with, as
// mustache looks names up: in the innermost section's item first, then
// outward. Every section is judged, rendered or not: its names are looked
// up in the items of its list (any item holding the name will do), plus the
// keys the program declares for the list's items, which is all there is to
// go by when the list is empty. An empty list with no declared keys lets the
// names inside it through.
class NameCheck {
  public:
    NameCheck(const TemplateSource& t, const TemplateData& d, const ListItemKeys& item_keys,
              const std::vector<Tag>& tags)
        : m_source(t), m_item_keys(item_keys), m_tags(tags) {
        m_scopes.push_back(Scope{{Node{&d, ""}}, false});
    }

    void check() { check(m_tags); }

  private:
    struct Node {
        const TemplateData* data;
        std::string path; // dotted, from the top: how list item keys are declared
    };
    // What a name may be looked up in at one level: one object, or every
    // item of a list.
    struct Scope {
        std::vector<Node> nodes;
        bool open = false; // an empty list of undeclared items: anything goes
    };

    void check(const std::vector<Tag>& tags) {
        for (const Tag& tag : tags) {
            if (tag.kind == Tag::Kind::partial) {
                fail(tag, tr("unknown partial '{}' (a template cannot include another)", tag.name));
            }
            if (tag.name.empty()) {
                fail(tag, tr("empty tag '{}'", tag.written));
            }
            std::vector<Node> found;
            if (tag.name == ".") {
                found = m_scopes.back().nodes; // the item itself
            } else {
                found = lookup(tag.name);
                if (found.empty() && !open()) {
                    std::string near = suggestions(tag.name, candidates());
                    bool variable = tag.kind == Tag::Kind::variable;
                    if (near.empty()) {
                        fail(tag, variable ? tr("unknown variable '{}'", tag.name)
                                           : tr("unknown section '{}'", tag.name));
                    }
                    fail(tag, variable
                                  ? tr("unknown variable '{}'; did you mean {}?", tag.name, near)
                                  : tr("unknown section '{}'; did you mean {}?", tag.name, near));
                }
            }
            if (tag.kind == Tag::Kind::variable) {
                continue;
            }
            // An inverted section renders only when there is nothing to push.
            m_scopes.push_back(tag.kind == Tag::Kind::section ? scope_of(found) : Scope{});
            check(tag.children);
            m_scopes.pop_back();
        }
    }

    std::vector<Node> lookup(const std::string& name) const {
        std::vector<std::string> parts = name_parts(name);
        std::vector<Node> found;
        for (const Scope& scope : m_scopes) {
            for (const Node& node : scope.nodes) {
                Node n = node;
                for (const std::string& part : parts) {
                    n.data = n.data->get(part);
                    if (!n.data) {
                        break;
                    }
                    n.path += (n.path.empty() ? "" : ".") + part;
                }
                if (n.data) {
                    found.push_back(std::move(n));
                }
            }
        }
        return found;
    }

    bool open() const {
        return std::any_of(m_scopes.begin(), m_scopes.end(), [](const Scope& s) { return s.open; });
    }

    // What a section pushes: a list's items (and its declared item keys), an
    // object; a string or a flag holds no names of its own.
    Scope scope_of(const std::vector<Node>& found) {
        Scope s;
        s.open = found.empty(); // let through, inside an open scope
        for (const Node& n : found) {
            if (n.data->is_object()) {
                s.nodes.push_back(n);
            } else if (n.data->is_list()) {
                for (const TemplateData& item : n.data->list_value()) {
                    s.nodes.push_back(Node{&item, n.path});
                }
                if (const TemplateData* declared = declared_item(n.path)) {
                    s.nodes.push_back(Node{declared, n.path});
                } else if (n.data->is_empty_list()) {
                    s.open = true;
                }
            }
        }
        return s;
    }

    const TemplateData* declared_item(const std::string& path) {
        auto keys = m_item_keys.find(path);
        if (keys == m_item_keys.end()) {
            return nullptr;
        }
        auto [item, made] = m_declared.try_emplace(path);
        if (made) {
            for (const std::string& key : keys->second) {
                item->second.set(key, "");
            }
        }
        return &item->second;
    }

    // Names worth suggesting: those the built-in templates, this one and the
    // declared items use (kainjow cannot list a data's keys), that would be
    // found where the unknown one stands.
    std::vector<std::string> candidates() {
        std::set<std::string> names;
        std::function<void(const std::vector<Tag>&)> collect = [&](const std::vector<Tag>& tags) {
            for (const Tag& tag : tags) {
                names.insert(tag.name);
                collect(tag.children);
            }
        };
        collect(m_tags);
        for (const auto* t = k_default_templates; t->first; ++t) {
            try {
                collect(read_tags(TemplateSource{t->second, t->first}));
            } catch (const DataError&) {
            }
        }
        for (const auto& [path, keys] : m_item_keys) {
            names.insert(keys.begin(), keys.end());
        }
        std::vector<std::string> out;
        for (const std::string& name : names) {
            if (!name.empty() && name != "." && !lookup(name).empty()) {
                out.push_back(name);
            }
        }
        return out;
    }

    [[noreturn]] void fail(const Tag& tag, const std::string& message) const {
        throw DataError(position_at(m_source, tag.at), message);
    }

    const TemplateSource& m_source;
    const ListItemKeys& m_item_keys;
    const std::vector<Tag>& m_tags;
    std::vector<Scope> m_scopes;
    std::map<std::string, TemplateData> m_declared;
};

} // namespace

std::string render(const TemplateSource& source, const TemplateData& d, Escape escape,
                   const ListItemKeys& item_keys) {
    std::vector<Tag> tags = read_tags(source);
    kainjow::mustache::mustache tmpl{source.text};
    if (!tmpl.is_valid()) {
        throw parse_error(source, tmpl.error_message());
    }
    NameCheck(source, d, item_keys, tags).check();
    if (escape == Escape::none) {
        tmpl.set_custom_escape([](const std::string& s) { return s; });
    } else if (escape == Escape::markdown) {
        tmpl.set_custom_escape(markdown_escape);
    }
    std::string out = tmpl.render(d);
    if (auto at = invalid_utf8_at(out)) {
        // A template saved in GBK by a Windows editor: say so, not mojibake.
        throw DataError(
            Position{source.label, 0, 0},
            tr("the rendered text is not UTF-8 (byte {}); save the template as UTF-8", *at + 1));
    }
    return out;
}

std::string date_cn(Day d) {
    return fmt::format("{}年{}月{}日", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                       static_cast<unsigned>(d.day()));
}

TemplateData office_data(const Config& config, const Context& ctx) {
    TemplateData d;
    d.set("office", config.office.name);
    d.set("phone", config.office.phone);
    d.set("email", config.office.email);
    d.set("date", iso_day(ctx.today));
    d.set("date_cn", date_cn(ctx.today));
    d.set("by", ctx.by);
    return d;
}

std::string unit_name(const Config& config, const std::optional<std::string>& id) {
    if (!id) {
        return "";
    }
    const Unit* u = config.find_unit(*id);
    return u ? u->name : *id;
}

} // namespace mailbox
