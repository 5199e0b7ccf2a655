#include "supervise.hpp"

namespace mailbox {

std::vector<RoundItem> supervise_list(const std::vector<IndexEntry>& entries, const Config& config,
                                      Day today) {
    std::vector<RoundItem> items;
    for (const IndexEntry& e : entries) {
        if (!e.summary || e.summary->status != Status::assigned || e.summary->awaits_office()) {
            continue;
        }
        const Case& c = *e.summary;
        std::optional<Day> assigned = c.assigned ? std::optional(c.assigned->day()) : std::nullopt;
        RoundItem item = round_item(c, config, today);
        if (item.late != Lateness::none ||
            due_again(c, "supervise", assigned, config.deadline.supervise_every_days, today)) {
            items.push_back(std::move(item));
        }
    }
    order_round(items);
    return items;
}

} // namespace mailbox
