// A linked group (一稿多投): the cases holding one letter. Each case's
// `group` names the cases it was linked with; the group is every case
// reachable through those links, either way, so that a letter joining a
// group of hundreds need change only itself and the case it matched, and a
// link written on one side only still joins the two.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace mailbox {

class Groups {
  public:
    // `id` was linked with each of `linked`.
    void link(const std::string& id, const std::vector<std::string>& linked);
    // The other members of id's group, sorted; empty when it is in none.
    std::vector<std::string> others(const std::string& id) const;
    bool empty() const { return m_ids.empty(); }

  private:
    std::uint32_t number(const std::string& id);
    std::uint32_t root(std::uint32_t n) const;

    std::unordered_map<std::string, std::uint32_t> m_number;
    std::vector<std::string> m_ids;
    std::vector<std::uint32_t> m_parent;               // union-find
    std::vector<std::vector<std::uint32_t>> m_members; // by root: its group
};

} // namespace mailbox
