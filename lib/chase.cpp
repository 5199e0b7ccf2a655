#include "chase.hpp"

#include "error.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <map>

namespace mailbox {

namespace {

std::optional<Day> last_day_of(const Case& c, std::string_view action) {
    for (auto it = c.history.rbegin(); it != c.history.rend(); ++it) {
        if (it->action == action) {
            return it->at.day();
        }
    }
    return std::nullopt;
}

RoundItem item_of(const Case& c, const Config& config, Day today) {
    RoundItem item{c, std::nullopt, 0, Lateness::none, c.is_returned(), false};
    if (auto due = due_date(c, config)) {
        item.due = due->day;
        item.days_left = days_between(today, due->day);
        item.late = lateness(c, config, today);
    }
    return item;
}

// Most urgent first: returned, then the fewest days left; cases without a
// due date last.
bool more_urgent(const RoundItem& a, const RoundItem& b) {
    if (a.returned != b.returned) {
        return a.returned;
    }
    if (a.due.has_value() != b.due.has_value()) {
        return a.due.has_value();
    }
    if (a.days_left != b.days_left) {
        return a.days_left < b.days_left;
    }
    return a.c.id < b.c.id;
}

void order(std::vector<RoundItem>& items) {
    std::sort(items.begin(), items.end(), more_urgent);
    // Group by unit, keeping the units in the order of their most urgent case.
    std::map<std::string, std::size_t> rank;
    for (const RoundItem& i : items) {
        rank.emplace(i.returned ? "" : i.c.handler.value_or(""), rank.size());
    }
    std::stable_sort(items.begin(), items.end(), [&](const RoundItem& a, const RoundItem& b) {
        return rank[a.returned ? "" : a.c.handler.value_or("")] <
               rank[b.returned ? "" : b.c.handler.value_or("")];
    });
}

bool due_again(const Case& c, std::string_view action, std::optional<Day> since, int every,
               Day today) {
    std::optional<Day> last = last_day_of(c, action);
    if (last && *last == today) {
        return true; // on today's list already: shown again, not recorded twice
    }
    std::optional<Day> from = last ? last : since;
    return !from || days_between(*from, today) >= every;
}

} // namespace

std::string_view to_string(Round r) {
    return r == Round::chase ? "chase" : "supervise";
}

std::vector<RoundItem> chase_list(const std::vector<IndexEntry>& entries, const Config& config,
                                  Day today) {
    std::vector<RoundItem> items;
    for (const IndexEntry& e : entries) {
        if (!e.summary) {
            continue;
        }
        const Case& c = *e.summary;
        bool waiting = c.status == Status::assigned || c.is_returned();
        if (waiting &&
            due_again(c, "chase", std::nullopt, config.deadline.chase_every_days, today)) {
            items.push_back(item_of(c, config, today));
        }
    }
    order(items);
    return items;
}

std::vector<RoundItem> supervise_list(const std::vector<IndexEntry>& entries, const Config& config,
                                      Day today) {
    std::vector<RoundItem> items;
    for (const IndexEntry& e : entries) {
        if (!e.summary || e.summary->status != Status::assigned) {
            continue;
        }
        const Case& c = *e.summary;
        std::optional<Day> assigned = c.assigned ? std::optional(c.assigned->day()) : std::nullopt;
        RoundItem item = item_of(c, config, today);
        if (item.late != Lateness::none ||
            due_again(c, "supervise", assigned, config.deadline.supervise_every_days, today)) {
            items.push_back(std::move(item));
        }
    }
    order(items);
    return items;
}

std::vector<std::string> record_round(const Mailbox& m, const Context& ctx, Round round,
                                      std::vector<RoundItem>& items, bool dry_run) {
    std::vector<std::string> written;
    std::vector<Case> changed;
    std::string_view action = to_string(round);
    for (RoundItem& item : items) {
        if (last_day_of(item.c, action) == ctx.today) {
            continue;
        }
        Case c = m.load(item.c.id); // the whole case: the summary has no notes
        if (last_day_of(c, action) == ctx.today) {
            continue;
        }
        std::string note = item.returned
                               ? "returned, to re-assign"
                               : fmt::format("{}: {}", c.handler.value_or("?"), urgency(item));
        append_history(c, ctx.now, ctx.by, std::string(action), note);
        item.recorded = true;
        written.push_back(m.case_path(c.id));
        changed.push_back(std::move(c));
    }
    if (!dry_run) {
        m.save_all(changed); // and the folder synced once, not once a case
    }
    return written;
}

std::string urgency(const RoundItem& item) {
    if (item.returned) {
        return "returned, to re-assign";
    }
    if (!item.due) {
        return "no due date";
    }
    int n = item.days_left;
    if (n > 0) {
        return fmt::format("{} day{} left", n, n == 1 ? "" : "s");
    }
    if (n == 0) {
        return "due today";
    }
    return fmt::format("{} {} day{}",
                       item.late == Lateness::very_overdue ? "very overdue" : "overdue", -n,
                       n == -1 ? "" : "s");
}

std::string urgency_cn(const RoundItem& item) {
    if (item.returned) {
        return "退回待重新交办";
    }
    if (!item.due) {
        return "未定期限";
    }
    int n = item.days_left;
    if (n > 0) {
        return fmt::format("还剩{}天", n);
    }
    if (n == 0) {
        return "今天到期";
    }
    return fmt::format("{}{}天", item.late == Lateness::very_overdue ? "严重超期" : "已超期", -n);
}

} // namespace mailbox
