#include "model/group.hpp"

#include <algorithm>

namespace mailbox {

std::uint32_t Groups::number(const std::string& id) {
    auto [at, added] = m_number.try_emplace(id, static_cast<std::uint32_t>(m_ids.size()));
    if (added) {
        m_ids.push_back(id);
        m_parent.push_back(at->second);
    }
    return at->second;
}

std::uint32_t Groups::root(std::uint32_t n) {
    while (m_parent[n] != n) {
        m_parent[n] = m_parent[m_parent[n]];
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
        if (a != b) {
            // The lower number stays the root: the result never hangs on
            // the order the links were met in.
            m_parent[std::max(a, b)] = std::min(a, b);
            a = std::min(a, b);
        }
    }
    m_gathered = false;
}

std::vector<std::string> Groups::others(const std::string& id) {
    auto at = m_number.find(id);
    if (at == m_number.end()) {
        return {};
    }
    if (!m_gathered) {
        m_members.assign(m_ids.size(), {});
        for (std::uint32_t n = 0; n < m_ids.size(); ++n) {
            m_members[root(n)].push_back(m_ids[n]);
        }
        for (auto& members : m_members) {
            std::sort(members.begin(), members.end());
        }
        m_gathered = true;
    }
    std::vector<std::string> rest;
    for (const std::string& m : m_members[root(at->second)]) {
        if (m != id) {
            rest.push_back(m);
        }
    }
    return rest;
}

} // namespace mailbox
