#include "model/group.hpp"

#include <algorithm>

namespace mailbox {

std::uint32_t Groups::number(const std::string& id) {
    auto [at, added] = m_number.try_emplace(id, static_cast<std::uint32_t>(m_ids.size()));
    if (added) {
        m_ids.push_back(id);
        m_parent.push_back(at->second);
        m_members.push_back({at->second});
    }
    return at->second;
}

std::uint32_t Groups::root(std::uint32_t n) const {
    while (m_parent[n] != n) {
        n = m_parent[n];
    }
    return n;
}

void Groups::link(const std::string& id, const std::vector<std::string>& linked) {
    if (linked.empty()) {
        return;
    }
    std::uint32_t a = root(number(id));
    for (const std::string& other : linked) {
        std::uint32_t b = root(number(other));
        if (a == b) {
            continue;
        }
        // The smaller group joins the larger: no member moves more than
        // log(n) times, and no path gets longer than that.
        if (m_members[a].size() < m_members[b].size()) {
            std::swap(a, b);
        }
        m_parent[b] = a;
        m_members[a].insert(m_members[a].end(), m_members[b].begin(), m_members[b].end());
        m_members[b] = {};
    }
}

std::vector<std::string> Groups::others(const std::string& id) const {
    auto at = m_number.find(id);
    if (at == m_number.end()) {
        return {};
    }
    std::vector<std::string> rest;
    for (std::uint32_t n : m_members[root(at->second)]) {
        if (n != at->second) {
            rest.push_back(m_ids[n]);
        }
    }
    std::sort(rest.begin(), rest.end());
    return rest;
}

} // namespace mailbox
