// Reads the fields of a TOML table with toml++, noting every problem with
// its position instead of stopping at the first, and remembering which keys
// were asked for so that the rest can be reported as unknown. Shared by the
// case file and mailbox.toml readers.
#pragma once

#include "util/error.hpp"
#include "util/i18n.hpp"
#include "util/timestamp.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fmt/format.h>
#include <optional>
#include <string>
#include <toml++/toml.h>
#include <vector>

namespace mailbox {

// What a node holds, as a message names it ("a string"), in English: translate
// it with _ where it is shown.
const char* type_name(const toml::node& n);

// Lines that git leaves in a file after a failed merge, each as a problem.
std::vector<DataError> find_conflict_markers(std::string_view text, const std::string& path);

// A line git would write in a conflict (<<<<<<<, =======, |||||||, >>>>>>>):
// the reader refuses a file holding one, so the writer escapes a letter's
// line that looks like one.
bool is_conflict_marker(std::string_view line);

// Parses TOML, turning conflict markers and syntax errors into problems.
std::optional<toml::table> parse_toml(std::string_view text, const std::string& path,
                                      std::vector<DataError>& problems);

// Reads the fields of one TOML table, noting every problem with its position
// and remembering which keys it was asked for, so the rest are unknown.
class FieldReader {
  public:
    FieldReader(const toml::table& table, std::string prefix, const std::string& path,
                std::vector<DataError>& problems)
        : m_table(table), m_prefix(std::move(prefix)), m_path(path), m_problems(problems) {}

    Position at(const toml::source_region& r) const {
        return Position{m_path, r.begin.line ? r.begin.line : 1u,
                        r.begin.column ? r.begin.column : 1u};
    }
    void problem(const toml::source_region& r, std::string message) {
        m_problems.emplace_back(at(r), message);
    }
    std::string name(std::string_view key) const { return m_prefix + std::string(key); }

    const toml::node* get(std::string_view key, bool required) {
        const toml::node* n = m_table.get(key);
        if (n) {
            m_known.push_back(n);
        }
        if (!n && required) {
            problem(m_table.source(), tr("missing required field '{}'", name(key)));
        }
        return n;
    }

    // `expected` is in the reader's language already: _("a string").
    void wrong_type(const toml::node& n, std::string_view key, std::string_view expected) {
        problem(n.source(), tr("wrong type for '{}': expected {}, found {}", name(key), expected,
                               _(type_name(n))));
    }

    std::optional<std::string> text(std::string_view key, bool required = false) {
        const toml::node* n = get(key, required);
        if (!n) {
            return std::nullopt;
        }
        if (auto s = n->as_string()) {
            return s->get();
        }
        wrong_type(*n, key, _("a string"));
        return std::nullopt;
    }

    std::optional<Timestamp> moment(std::string_view key, bool required = false) {
        const toml::node* n = get(key, required);
        if (!n) {
            return std::nullopt;
        }
        auto dt = n->as_date_time();
        if (!dt || !dt->get().offset) {
            wrong_type(*n, key, _("a date-time with a UTC offset (2026-11-25T09:30:00+08:00)"));
            return std::nullopt;
        }
        const toml::date_time& v = dt->get();
        auto day = date::local_days{date::year{v.date.year} / v.date.month / v.date.day};
        auto local = day + std::chrono::hours{v.time.hour} + std::chrono::minutes{v.time.minute} +
                     std::chrono::seconds{v.time.second};
        return Timestamp{local, std::chrono::minutes{v.offset->minutes}};
    }

    std::optional<Day> day(std::string_view key) {
        const toml::node* n = get(key, false);
        if (!n) {
            return std::nullopt;
        }
        auto d = n->as_date();
        if (!d) {
            wrong_type(*n, key, _("a date (2026-12-05)"));
            return std::nullopt;
        }
        return Day{date::year{d->get().year} / d->get().month / d->get().day};
    }

    std::optional<bool> flag(std::string_view key) {
        const toml::node* n = get(key, false);
        if (!n) {
            return std::nullopt;
        }
        if (!n->is_boolean()) {
            wrong_type(*n, key, _("true or false"));
            return std::nullopt;
        }
        return n->as_boolean()->get();
    }

    std::optional<std::int64_t> integer(std::string_view key, std::int64_t min, std::int64_t max) {
        const toml::node* n = get(key, false);
        if (!n) {
            return std::nullopt;
        }
        auto v = n->as_integer();
        if (!v) {
            wrong_type(*n, key, _("an integer"));
            return std::nullopt;
        }
        if (v->get() < min || v->get() > max) {
            problem(n->source(),
                    tr("'{}' is {}: expected {} to {}", name(key), v->get(), min, max));
            return std::nullopt;
        }
        return v->get();
    }

    std::optional<double> number(std::string_view key) {
        const toml::node* n = get(key, false);
        if (!n) {
            return std::nullopt;
        }
        // nan and inf are TOML floats, but no weight or rate: they would poison
        // every score computed from them.
        if (auto v = n->value<double>();
            v && std::isfinite(*v) && (n->is_integer() || n->is_floating_point())) {
            return *v;
        }
        wrong_type(*n, key, _("a finite number"));
        return std::nullopt;
    }

    // A finite number from min to max: a weight of 1e300 is as sure to
    // poison a score as nan.
    std::optional<double> number(std::string_view key, double min, double max) {
        auto v = number(key);
        if (v && (*v < min || *v > max)) {
            problem(get(key, false)->source(),
                    tr("'{}' is {}: expected {} to {}", name(key), *v, min, max));
            return std::nullopt;
        }
        return v;
    }

    std::vector<Day> days(std::string_view key) {
        std::vector<Day> out;
        const toml::node* n = get(key, false);
        if (!n) {
            return out;
        }
        const toml::array* a = n->as_array();
        if (!a) {
            wrong_type(*n, key, _("an array of dates"));
            return out;
        }
        for (const toml::node& item : *a) {
            if (auto d = item.as_date()) {
                out.push_back(Day{date::year{d->get().year} / d->get().month / d->get().day});
            } else {
                wrong_type(item, key, _("a date (2026-10-01)"));
            }
        }
        return out;
    }

    std::vector<std::string> texts(std::string_view key) {
        std::vector<std::string> out;
        const toml::node* n = get(key, false);
        if (!n) {
            return out;
        }
        const toml::array* a = n->as_array();
        if (!a) {
            wrong_type(*n, key, _("an array of strings"));
            return out;
        }
        for (const toml::node& item : *a) {
            if (auto s = item.as_string()) {
                out.push_back(s->get());
            } else {
                wrong_type(item, key, _("a string"));
            }
        }
        return out;
    }

    template <typename E>
    std::optional<E> choice(std::string_view key, std::optional<E> (*parse)(std::string_view),
                            std::string_view allowed, bool required = false) {
        const toml::node* n = get(key, required);
        auto s = n ? text(key) : std::nullopt;
        if (!s) {
            return std::nullopt;
        }
        auto v = parse(*s);
        if (!v) {
            problem(n->source(), tr("unknown {} '{}': expected one of {}", name(key), *s, allowed));
        }
        return v;
    }

    // Unknown keys go to `into`, or with the other problems by default.
    void report_unknown_keys(std::vector<DataError>* into = nullptr) {
        for (auto&& [k, v] : m_table) {
            if (std::find(m_known.begin(), m_known.end(), &v) == m_known.end()) {
                (into ? *into : m_problems)
                    .emplace_back(at(k.source()), tr("unknown key '{}'", name(k.str())));
            }
        }
    }

    const toml::table& table() const { return m_table; }

    // A reader for a sub-table (sender.*) or an array entry, reporting into
    // the same list.
    std::optional<FieldReader> sub(const toml::node& n, std::string_view key, std::string prefix) {
        const toml::table* t = n.as_table();
        if (!t) {
            wrong_type(n, key, _("a table"));
            return std::nullopt;
        }
        return FieldReader(*t, std::move(prefix), m_path, m_problems);
    }

  private:
    const toml::table& m_table;
    std::string m_prefix;
    const std::string& m_path;
    std::vector<DataError>& m_problems;
    // The nodes asked for: a case's 30 keys are compared as pointers, where
    // a set of their names cost a string and a tree node each, every file.
    std::vector<const toml::node*> m_known;
};

} // namespace mailbox
