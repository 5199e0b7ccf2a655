#include "assign/supervise.hpp"

#include <set>

namespace mailbox {

std::vector<RoundItem> supervise_list(const std::vector<IndexEntry>& entries, const Config& config,
                                      Day today) {
    std::vector<RoundItem> items;
    std::vector<const CaseSummary*> waiting;
    std::set<std::string> listed, groups;
    for (const IndexEntry& e : entries) {
        if (!e.summary || e.summary->status != Status::assigned || e.summary->awaits_office()) {
            continue;
        }
        const CaseSummary& c = *e.summary;
        std::optional<Day> assigned = c.assigned ? std::optional(c.assigned->day()) : std::nullopt;
        RoundItem item = round_item(c, config, today);
        if (item.late != Lateness::none || due_again(c, Action::supervise, assigned,
                                                     config.deadline.supervise_every_days, today)) {
            listed.insert(c.id);
            groups.insert(c.group.begin(), c.group.end());
            items.push_back(std::move(item));
        } else {
            waiting.push_back(&c);
        }
    }
    // One letter, one matter: a member linked later, on another round's
    // rhythm, is supervised with the rest of its group, not a day apart.
    for (const CaseSummary* c : waiting) {
        if (groups.count(c->id) && !listed.count(c->id)) {
            items.push_back(round_item(*c, config, today));
        }
    }
    order_round(items);
    return items;
}

} // namespace mailbox
