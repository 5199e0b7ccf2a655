#include "notice.hpp"

#include "atomic_file.hpp"
#include "error.hpp"
#include "path_guard.hpp"
#include "render.hpp"

#include <fmt/format.h>
#include <map>
#include <set>

namespace mailbox {

namespace {

using data = TemplateData;

data case_data(const RoundItem& item, const Config& config, std::size_t number) {
    const Case& c = item.c;
    std::string co;
    for (const std::string& u : c.co_units) {
        co += (co.empty() ? "" : "、") + unit_name(config, u);
    }
    const Leader* leader = c.leader ? config.find_leader(*c.leader) : nullptr;
    data d;
    d.set("number", std::to_string(number));
    d.set("id", c.id);
    d.set("subject", c.subject);
    d.set("received", iso_day(c.received.day()));
    d.set("assigned", c.assigned ? iso_day(c.assigned->day()) : "");
    d.set("due", item.due ? iso_day(*item.due) : "");
    d.set("urgency", urgency_cn(item));
    d.set("unit_name", unit_name(config, c.handler));
    d.set("co_units", co);
    d.set("has_co_units", !co.empty());
    d.set("leader", leader ? leader->name : c.leader.value_or(""));
    d.set("has_leader", c.leader.has_value());
    d.set("instruction", c.instruction.value_or(""));
    d.set("has_instruction", c.instruction.has_value());
    return d;
}

data notice_data(const Mailbox& m, const Context& ctx, const std::vector<const RoundItem*>& items) {
    const Config& config = m.config();
    data d;
    d.set("office", config.office.name);
    d.set("phone", config.office.phone);
    d.set("email", config.office.email);
    d.set("date", iso_day(ctx.today));
    d.set("date_cn", date_cn(ctx.today));
    d.set("by", ctx.by);
    d.set("count", std::to_string(items.size()));
    data list{data::type::list};
    std::size_t overdue = 0;
    for (const RoundItem* item : items) {
        list.push_back(case_data(*item, config, list.list_value().size() + 1));
        overdue += item->late != Lateness::none;
    }
    d.set("cases", list);
    d.set("overdue_count", std::to_string(overdue));
    d.set("has_overdue", overdue > 0);
    return d;
}

} // namespace

std::vector<Notice> round_notices(const Mailbox& m, const Context& ctx, Round round,
                                  const std::vector<RoundItem>& items) {
    std::string folder = "out/notices/" + iso_day(ctx.today) + "/";
    std::string kind(to_string(round));
    // Units in list order (most urgent first); returned cases have no unit.
    std::vector<std::string> units;
    std::map<std::string, std::vector<const RoundItem*>> by_unit, by_leader;
    const Config& config = m.config();
    for (const RoundItem& item : items) {
        // Ids become file names: only those mailbox.toml defines (and checks
        // against [a-z0-9-]+) may; a case naming another is reported by check.
        if (item.returned || !item.c.handler || !config.find_unit(*item.c.handler)) {
            continue;
        }
        auto& list = by_unit[*item.c.handler];
        if (list.empty()) {
            units.push_back(*item.c.handler);
        }
        list.push_back(&item);
        if (round == Round::supervise && item.late != Lateness::none && item.c.leader &&
            config.find_leader(*item.c.leader)) {
            by_leader[*item.c.leader].push_back(&item);
        }
    }
    std::vector<Notice> notices;
    for (const std::string& unit : units) {
        data d = notice_data(m, ctx, by_unit[unit]);
        d.set("unit", unit);
        d.set("unit_name", unit_name(m.config(), unit));
        notices.push_back({folder + kind + "-" + unit + ".txt", render(m, kind + "-notice", d)});
    }
    for (const auto& [leader, list] : by_leader) {
        data d = notice_data(m, ctx, list);
        const Leader* l = m.config().find_leader(leader);
        d.set("leader", leader);
        d.set("leader_name", l ? l->name : leader);
        notices.push_back(
            {folder + "supervise-leader-" + leader + ".txt", render(m, "supervise-leader", d)});
    }
    return notices;
}

void write_notices(const Mailbox& m, const std::vector<Notice>& notices) {
    for (const Notice& n : notices) {
        check_inside_mailbox(m.root(), n.path);
    }
    std::set<std::filesystem::path> swept;
    for (const Notice& n : notices) {
        std::filesystem::path folder = m.absolute(n.path).parent_path();
        if (swept.insert(folder).second) {
            std::error_code ec;
            std::filesystem::create_directories(folder, ec);
            remove_temp_files(folder);
        }
        write_file_atomically(m.absolute(n.path), n.text);
    }
}

} // namespace mailbox
