#include "format/mime_module.hpp"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <memory>
#include <mutex>
#include <string_view>

namespace mailbox::mime {

namespace {

bool is_one_of(std::string_view name, std::initializer_list<std::string_view> names) {
    for (std::string_view n : names) {
        if (name == n) {
            return true;
        }
    }
    return false;
}

bool is_hidden(std::string_view name) {
    return is_one_of(name, {"head", "title", "script", "style", "noscript", "template"});
}

bool is_block(std::string_view name) {
    return is_one_of(name,
                     {"p",      "div",    "li",      "tr",         "table",  "ul",      "ol",
                      "dl",     "dt",     "dd",      "blockquote", "pre",    "h1",      "h2",
                      "h3",     "h4",     "h5",      "h6",         "hr",     "section", "article",
                      "header", "footer", "address", "form",       "center", "body"});
}

// Builds the text as a browser lays it out: breaks and collapsed spaces.
class TextWriter {
  public:
    void text(std::string_view s, bool pre) {
        for (std::size_t i = 0; i < s.size(); ++i) {
            char ch = s[i];
            // U+00A0 (&nbsp;) is a space in a letter's text.
            if (ch == '\xC2' && i + 1 < s.size() && s[i + 1] == '\xA0') {
                ch = ' ';
                ++i;
            }
            if (pre) {
                if (ch == '\n') {
                    line_break();
                } else if (ch != '\r') {
                    put(ch);
                }
            } else if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f') {
                m_space = true;
            } else {
                put(ch);
            }
        }
    }
    void line_break() {
        trim_line_end();
        m_out += '\n';
        m_space = false;
    }
    // Ends the line unless it is empty: blocks do not stack blank lines.
    void block_edge() {
        if (!m_out.empty() && m_out.back() != '\n') {
            line_break();
        }
        m_space = false;
    }
    void cell_end() { m_space = true; }
    std::string finish() {
        trim_line_end();
        std::string tidy;
        int newlines = 0;
        for (char ch : m_out) {
            newlines = ch == '\n' ? newlines + 1 : 0;
            if (newlines <= 2) {
                tidy += ch;
            }
        }
        auto first = tidy.find_first_not_of('\n');
        if (first == std::string::npos) {
            return "";
        }
        auto last = tidy.find_last_not_of('\n');
        return tidy.substr(first, last - first + 1) + "\n";
    }

  private:
    void put(char ch) {
        if (m_space && !m_out.empty() && m_out.back() != '\n') {
            m_out += ' ';
        }
        m_space = false;
        m_out += ch;
    }
    void trim_line_end() {
        while (!m_out.empty() && m_out.back() == ' ') {
            m_out.pop_back();
        }
    }
    std::string m_out;
    bool m_space = false;
};

std::string_view name_of(const xmlNode* node) {
    return node->name ? std::string_view(reinterpret_cast<const char*>(node->name))
                      : std::string_view();
}

void open_element(const xmlNode* node, TextWriter& out) {
    std::string_view name = name_of(node);
    if (name == "br") {
        out.line_break();
    } else if (is_block(name)) {
        out.block_edge();
    }
}

void close_element(const xmlNode* node, TextWriter& out) {
    std::string_view name = name_of(node);
    if (is_block(name)) {
        out.block_edge();
    } else if (name == "td" || name == "th") {
        out.cell_end();
    }
}

// Depth first without recursion: hostile markup may nest without end.
void walk(const xmlDoc* doc, TextWriter& out) {
    const xmlNode* node = doc->children;
    int pre = 0; // <pre> elements the walk is inside
    while (node) {
        bool descend = false;
        if (node->type == XML_ELEMENT_NODE && !is_hidden(name_of(node))) {
            open_element(node, out);
            descend = node->children != nullptr;
            pre += descend && name_of(node) == "pre";
            if (!descend) {
                close_element(node, out);
            }
        } else if ((node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) &&
                   node->content) {
            out.text(reinterpret_cast<const char*>(node->content), pre > 0);
        }
        if (descend) {
            node = node->children;
            continue;
        }
        // Up to the first ancestor with a next sibling, closing each.
        while (!node->next) {
            node = node->parent;
            if (!node || node->type != XML_ELEMENT_NODE) {
                return; // back at the document
            }
            pre -= name_of(node) == "pre";
            close_element(node, out);
        }
        node = node->next;
    }
}

struct DocFree {
    void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};

} // namespace

std::string html_to_text(std::string_view html) {
    static std::once_flag once;
    std::call_once(once, [] { xmlInitParser(); });
    if (html.empty()) {
        return "";
    }
    // The text was made UTF-8 before (see mail.cpp): a <meta charset> in it
    // no longer holds.
    const int options = HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR |
                        HTML_PARSE_NOWARNING | HTML_PARSE_IGNORE_ENC | XML_PARSE_HUGE;
    std::unique_ptr<xmlDoc, DocFree> doc(
        htmlReadMemory(html.data(), static_cast<int>(html.size()), nullptr, "UTF-8", options));
    if (!doc) {
        return "";
    }
    TextWriter out;
    walk(doc.get(), out);
    return out.finish();
}

} // namespace mailbox::mime
