#include "model/config.hpp"

#include "util/edit_distance.hpp"
#include "util/i18n.hpp"
#include "util/text.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <fmt/ranges.h>

namespace mailbox {

namespace {

template <typename T>
const T* find_by_id(const std::vector<T>& items, std::string_view id) {
    auto it = std::find_if(items.begin(), items.end(), [&](const T& x) { return x.id == id; });
    return it == items.end() ? nullptr : &*it;
}

template <typename T>
std::vector<std::string> ids_of(const std::vector<T>& items) {
    std::vector<std::string> out;
    for (const T& x : items) {
        out.push_back(x.id);
    }
    return out;
}

} // namespace

const Unit* Config::find_unit(std::string_view id) const {
    return find_by_id(units, id);
}
const Leader* Config::find_leader(std::string_view id) const {
    return find_by_id(leaders, id);
}
const Category* Config::find_category(std::string_view id) const {
    return find_by_id(categories, id);
}
const Kind* Config::find_kind(std::string_view id) const {
    return find_by_id(kinds, id);
}
std::vector<std::string> Config::kind_ids() const {
    return ids_of(kinds);
}
std::vector<std::string> Config::unit_ids() const {
    return ids_of(units);
}
std::vector<std::string> Config::leader_ids() const {
    return ids_of(leaders);
}
std::vector<std::string> Config::category_ids() const {
    return ids_of(categories);
}

namespace {

template <typename T>
const T* named(const std::vector<T>& items, std::string_view typed) {
    if (const T* t = find_by_id(items, typed)) {
        return t;
    }
    auto it = std::find_if(items.begin(), items.end(), [&](const T& t) { return t.name == typed; });
    return it == items.end() ? nullptr : &*it;
}

// Ids and names are both candidates; each suggestion shows both:
// "'sthjj' (市生态环境局)", joined by ", ", or "" when none is near.
template <typename T>
std::string near_items(const std::vector<T>& items, std::string_view typed) {
    std::vector<std::string> words;
    for (const T& t : items) {
        words.push_back(t.id);
        words.push_back(t.name);
    }
    std::vector<std::string> shown;
    for (const std::string& word : closest(typed, words)) {
        const T* t = named(items, word);
        std::string one = fmt::format("'{}' ({})", t->id, t->name);
        if (std::find(shown.begin(), shown.end(), one) == shown.end()) {
            shown.push_back(one);
        }
    }
    return fmt::format("{}", fmt::join(shown, ", "));
}

} // namespace

const Unit* Config::unit_named(std::string_view typed) const {
    return named(units, typed);
}
const Leader* Config::leader_named(std::string_view typed) const {
    return named(leaders, typed);
}
std::string Config::unknown_unit(std::string_view typed) const {
    std::string near = near_items(units, typed);
    return near.empty() ? tr("unknown unit '{}'", typed)
                        : tr("unknown unit '{}'; did you mean {}?", typed, near);
}
std::string Config::unknown_leader(std::string_view typed) const {
    std::string near = near_items(leaders, typed);
    return near.empty() ? tr("unknown leader '{}'", typed)
                        : tr("unknown leader '{}'; did you mean {}?", typed, near);
}
std::string Config::unknown_category(std::string_view typed) const {
    std::string near = near_items(categories, typed);
    return near.empty() ? tr("unknown category '{}'", typed)
                        : tr("unknown category '{}'; did you mean {}?", typed, near);
}
std::string Config::unknown_kind(std::string_view typed) const {
    std::string near = near_items(kinds, typed);
    return near.empty() ? tr("unknown kind '{}'", typed)
                        : tr("unknown kind '{}'; did you mean {}?", typed, near);
}

} // namespace mailbox
