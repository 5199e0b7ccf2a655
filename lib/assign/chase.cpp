#include "assign/chase.hpp"

#include "store/cache/letter_index.hpp"
#include "util/error.hpp"
#include "util/i18n.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <optional>

namespace mailbox {

std::optional<Day> last_day_of(const CaseSummary& c, Action action) {
    for (auto it = c.history.rbegin(); it != c.history.rend(); ++it) {
        if (it->action == action) {
            return it->at.day();
        }
    }
    return std::nullopt;
}

namespace {

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

} // namespace

RoundItem round_item(const CaseSummary& c, const Config& config, Day today) {
    RoundItem item{c, std::nullopt, 0, Lateness::none, c.is_returned(), false};
    if (auto due = due_day(c, config)) {
        item.due = *due;
        item.days_left = days_between(today, *due);
        item.late = lateness(c, config, today);
    }
    return item;
}

void order_round(std::vector<RoundItem>& items) {
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

bool due_again(const CaseSummary& c, Action action, std::optional<Day> since, int every,
               Day today) {
    std::optional<Day> last = last_day_of(c, action);
    if (last && *last == today) {
        return true; // on today's list already: shown again, not recorded twice
    }
    std::optional<Day> from = last ? last : since;
    return !from || days_between(*from, today) >= every;
}

Action action_of(Round r) {
    switch (r) {
    case Round::chase:
        return Action::chase;
    case Round::supervise:
        return Action::supervise;
    case Round::digest:
        return Action::digest;
    }
    return Action::chase;
}

std::string_view to_string(Round r) {
    switch (r) {
    case Round::chase:
        return "chase";
    case Round::supervise:
        return "supervise";
    case Round::digest:
        return "digest";
    }
    return "chase";
}

std::vector<RoundItem> chase_list(const std::vector<IndexEntry>& entries, const Config& config,
                                  Day today) {
    std::vector<RoundItem> items;
    for (const IndexEntry& e : entries) {
        if (!e.summary) {
            continue;
        }
        const CaseSummary& c = *e.summary;
        bool waiting = (c.status == Status::assigned && !c.awaits_office()) || c.is_returned();
        if (waiting &&
            due_again(c, Action::chase, std::nullopt, config.deadline.chase_every_days, today)) {
            items.push_back(round_item(c, config, today));
        }
    }
    order_round(items);
    return items;
}

std::vector<DataError> take_unknown_handling(const Mailbox& m,
                                             const std::vector<IndexEntry>& entries,
                                             std::vector<RoundItem>& items) {
    const Config& config = m.config();
    std::map<std::string, const std::string*> path_of;
    for (const IndexEntry& e : entries) {
        if (e.summary) {
            path_of.emplace(e.summary->id, &e.path);
        }
    }
    std::vector<DataError> problems;
    auto unknown = [&](const RoundItem& item, const std::string& key, const std::string& message) {
        problems.emplace_back(locate_key(m, *path_of[item.c.id], key),
                              tr("case {}: {} (left off the list until mailbox.toml "
                                 "or the case is put right)",
                                 item.c.id, message));
    };
    std::erase_if(items, [&](const RoundItem& item) {
        std::size_t before = problems.size();
        const CaseSummary& c = item.c;
        if (c.handler && !config.find_unit(*c.handler)) {
            unknown(item, "handler", config.unknown_unit(*c.handler));
        }
        for (std::size_t i = 0; i < c.co_units.size(); ++i) {
            if (!config.find_unit(c.co_units[i])) {
                unknown(item, fmt::format("co_units[{}]", i), config.unknown_unit(c.co_units[i]));
            }
        }
        if (c.leader && !config.find_leader(*c.leader)) {
            unknown(item, "leader", config.unknown_leader(*c.leader));
        }
        return problems.size() != before;
    });
    return problems;
}

std::vector<std::string> record_round(const Mailbox& m, const Context& ctx, Round round,
                                      std::vector<RoundItem>& items, bool dry_run) {
    std::vector<std::string> written;
    std::vector<Case> changed;
    Action action = action_of(round);
    std::optional<LetterIndex> letters; // opened before the writes it is told of
    if (!dry_run) {
        letters.emplace(m);
    }
    for (RoundItem& item : items) {
        if (last_day_of(item.c, action) == ctx.today) {
            continue;
        }
        Case c = m.load(item.c.id); // the whole case: the summary has no notes
        if (last_day_of(c, action) == ctx.today) {
            continue;
        }
        Language l = ctx.record;
        std::string note =
            round == Round::digest ? say(l, {"presented for instruction (呈批单)", "已列入呈批单"})
            : item.returned
                ? say(l, {"returned, to re-assign", "退回待重新交办"})
                : say(l, {"{}: {}", "{}：{}"}, c.handler.value_or("?"), urgency(item, l));
        append_history(c, ctx.now, ctx.by, action, note);
        item.recorded = true;
        written.push_back(m.case_path(c.id));
        changed.push_back(std::move(c));
    }
    if (!dry_run) {
        letters->save(changed); // and the folder synced once, not once a case
    }
    return written;
}

std::string urgency(const RoundItem& item, Language l) {
    if (item.returned) {
        return say(l, {"returned, to re-assign", "退回待重新交办"});
    }
    if (!item.due) {
        return say(l, {"no due date", "未定期限"});
    }
    int n = item.days_left;
    if (n > 0) {
        return n == 1 ? say(l, {"{} day left", "还剩{}天"}, n)
                      : say(l, {"{} days left", "还剩{}天"}, n);
    }
    if (n == 0) {
        return say(l, {"due today", "今天到期"});
    }
    if (item.late == Lateness::very_overdue) {
        return n == -1 ? say(l, {"very overdue {} day", "严重超期{}天"}, -n)
                       : say(l, {"very overdue {} days", "严重超期{}天"}, -n);
    }
    return n == -1 ? say(l, {"overdue {} day", "已超期{}天"}, -n)
                   : say(l, {"overdue {} days", "已超期{}天"}, -n);
}

std::string urgency_shown(const RoundItem& item) {
    if (item.returned) {
        return _("returned, to re-assign");
    }
    if (!item.due) {
        return _("no due date");
    }
    int n = item.days_left;
    if (n > 0) {
        return trn("{} day left", "{} days left", static_cast<unsigned long>(n), n);
    }
    if (n == 0) {
        return _("due today");
    }
    unsigned long late = static_cast<unsigned long>(-n);
    return item.late == Lateness::very_overdue
               ? trn("very overdue {} day", "very overdue {} days", late, -n)
               : trn("overdue {} day", "overdue {} days", late, -n);
}

Value round_row(const RoundItem& item, const Config& config) {
    const CaseSummary& c = item.c;
    const Unit* unit = c.handler ? config.find_unit(*c.handler) : nullptr;
    return Value(Value::Object{
        {"id", c.id},
        {"unit", c.handler},
        {"unit_name", unit ? Value(unit->name) : Value()},
        {"co_units", Value::texts(c.co_units)},
        {"leader", c.leader},
        {"subject", c.subject},
        {"assigned", c.assigned ? Value(c.assigned->iso()) : Value()},
        {"due", item.due ? Value(iso_day(*item.due)) : Value()},
        {"days_left", item.due ? Value(item.days_left) : Value()},
        {"overdue", item.late != Lateness::none},
        {"very_overdue", item.late == Lateness::very_overdue},
        {"returned", item.returned},
        {"urgency", urgency(item, Language::en)},
        {"recorded", item.recorded},
    });
}

Value round_table_row(const RoundItem& item, const Config& config) {
    Value::Object o = *round_row(item, config).object();
    for (auto& [key, value] : o) {
        if (key == "urgency") {
            value = Value(urgency_shown(item));
        }
    }
    return Value(std::move(o));
}

const std::vector<Column>& round_columns(Format format) {
    static const std::vector<Column> table{{"unit", _("UNIT")},
                                           {"id", _("ID")},
                                           {"due", _("DUE")},
                                           {"urgency", _("LEFT")},
                                           {"subject", _("SUBJECT")}};
    static const std::vector<Column> fields = columns_of(round_row(RoundItem{}, Config{}));
    return format == Format::table ? table : fields;
}

} // namespace mailbox
