#include "assign/notice.hpp"

#include "format/render.hpp"
#include "model/calendar.hpp"
#include "store/cache/letter_index.hpp"
#include "store/templates.hpp"
#include "util/atomic_file.hpp"
#include "util/error.hpp"
#include "util/path_guard.hpp"

#include <chrono>
#include <fmt/format.h>
#include <map>
#include <set>

namespace mailbox {

namespace {

using data = TemplateData;

// A case on one unit's notice: as its lead unit, or as a co-unit (协办).
struct Listed {
    const RoundItem* item;
    bool co = false;
};

std::string names_of(const Config& config, const std::vector<std::string>& units) {
    std::string out;
    for (const std::string& u : units) {
        out += (out.empty() ? "" : "、") + unit_name(config, u);
    }
    return out;
}

// What the notice says of the handling so far. A case solved on site waits
// only for its formal answer; one handed over less than a day ago cannot
// fairly be called unanswered.
std::string handling_state(const CaseSummary& c, const Context& ctx) {
    if (c.solved_on_site) {
        return "已现场解决，待正式答复";
    }
    if (c.assigned && ctx.now.sys() - c.assigned->sys() < std::chrono::hours(24)) {
        return "新近交办，正在办理";
    }
    return "尚未答复";
}

bool waiting(const CaseSummary& c, const Context& ctx) {
    return handling_state(c, ctx) == "尚未答复";
}

// The other cases holding the same letter (一稿多投), by id, so that a unit
// sees one matter where it would otherwise count several.
std::string same_letter(const CaseSummary& c) {
    std::string out;
    for (const std::string& id : c.group) {
        out += "【" + id + "】";
    }
    return out;
}

data case_data(const Listed& l, const Config& config, const Context& ctx, std::size_t number) {
    const CaseSummary& c = l.item->c;
    const Leader* leader = c.leader ? config.find_leader(*c.leader) : nullptr;
    std::string co = names_of(config, c.co_units);
    data d;
    d.set("number", std::to_string(number));
    d.set("id", c.id);
    // A restricted letter (举报) is named only to the unit handling it.
    d.set("subject", c.restricted && l.co ? std::string("（举报件，内容不在此列明）") : c.subject);
    d.set("received", iso_day(c.received.day()));
    d.set("assigned", c.assigned ? iso_day(c.assigned->day()) : "");
    d.set("due", l.item->due ? iso_day(*l.item->due) : "");
    d.set("urgency", urgency(*l.item, Language::zh_CN));
    d.set("state", handling_state(c, ctx));
    d.set("unit_name", unit_name(config, c.handler));
    d.set("is_co", l.co);
    d.set("co_units", co);
    d.set("has_co_units", !co.empty());
    d.set("same_letter", same_letter(c));
    d.set("has_same_letter", !c.group.empty());
    d.set("leader", leader ? leader->name : c.leader.value_or(""));
    d.set("has_leader", c.leader.has_value());
    d.set("instruction", c.restricted && l.co ? std::string() : c.instruction.value_or(""));
    d.set("has_instruction", c.instruction.has_value() && !(c.restricted && l.co));
    return d;
}

// Cases of one list that hold the same letter count as one matter.
std::size_t matters(const std::vector<Listed>& list) {
    std::set<std::string> seen;
    std::size_t n = 0;
    for (const Listed& l : list) {
        const CaseSummary& c = l.item->c;
        if (seen.insert(c.id).second) {
            ++n;
        }
        seen.insert(c.group.begin(), c.group.end());
    }
    return n;
}

data notice_data(const Mailbox& m, const Context& ctx, const std::vector<Listed>& list) {
    const Config& config = m.config();
    data d = office_data(config, ctx);
    d.set("count", std::to_string(list.size()));
    data cases{data::type::list};
    std::size_t overdue = 0, co = 0, pending = 0;
    for (const Listed& l : list) {
        cases.push_back(case_data(l, config, ctx, cases.list_value().size() + 1));
        overdue += l.item->late != Lateness::none;
        co += l.co;
        pending += waiting(l.item->c, ctx);
    }
    std::size_t n = matters(list);
    d.set("cases", cases);
    d.set("overdue_count", std::to_string(overdue));
    d.set("has_overdue", overdue > 0);
    d.set("lead_count", std::to_string(list.size() - co));
    d.set("co_count", std::to_string(co));
    d.set("has_lead", co < list.size());
    d.set("has_co", co > 0);
    d.set("waiting_count", std::to_string(pending));
    d.set("has_waiting", pending > 0);
    d.set("matters", std::to_string(n));
    d.set("has_same_letter", n < list.size());
    return d;
}

} // namespace

std::vector<Notice> round_notices(const Mailbox& m, const Context& ctx, Round round,
                                  const std::vector<RoundItem>& items) {
    std::string folder = "out/notices/" + iso_day(ctx.today) + "/";
    std::string kind(to_string(round));
    // Units in list order (most urgent first), co-units where they first
    // appear; returned cases have no unit.
    std::vector<std::string> units;
    std::map<std::string, std::vector<Listed>> by_unit;
    std::map<std::string, std::vector<const RoundItem*>> by_leader;
    const Config& config = m.config();
    auto list_for = [&](const std::string& unit, const RoundItem& item, bool co) {
        // Ids become file names: only those mailbox.toml defines (and checks
        // against [a-z0-9-]+) may; the tools stop at a case naming another.
        if (!config.find_unit(unit)) {
            return;
        }
        auto& list = by_unit[unit];
        if (list.empty()) {
            units.push_back(unit);
        }
        list.push_back({&item, co});
    };
    for (const RoundItem& item : items) {
        if (item.returned || !item.c.handler) {
            continue;
        }
        list_for(*item.c.handler, item, false);
        for (const std::string& co : item.c.co_units) {
            list_for(co, item, true);
        }
        if (round == Round::supervise && item.late != Lateness::none && item.c.leader &&
            config.find_leader(*item.c.leader)) {
            by_leader[*item.c.leader].push_back(&item);
        }
    }
    std::vector<Notice> notices;
    for (const std::string& unit : units) {
        const std::vector<Listed>& list = by_unit[unit];
        data d = notice_data(m, ctx, list);
        d.set("unit", unit);
        d.set("unit_name", unit_name(m.config(), unit));
        notices.push_back(
            {folder + kind + "-" + unit + ".txt", render(load_template(m, kind + "-notice"), d)});
    }
    for (const auto& [leader, items_of] : by_leader) {
        std::vector<Listed> list;
        for (const RoundItem* item : items_of) {
            list.push_back({item, false});
        }
        data d = notice_data(m, ctx, list);
        const Leader* l = m.config().find_leader(leader);
        d.set("leader", leader);
        d.set("leader_name", l ? l->name : leader);
        notices.push_back({folder + "supervise-leader-" + leader + ".txt",
                           render(load_template(m, "supervise-leader"), d)});
    }
    return notices;
}

namespace {

std::string moment_cn(const Timestamp& t) {
    return t.iso().substr(0, 16).replace(10, 1, " ");
}

std::string contact_of(const Sender& s) {
    std::string out = s.phone;
    if (!s.email.empty()) {
        out += (out.empty() ? "" : "　") + s.email;
    }
    return out;
}

// How the due date was reached, in the notice's words: the rule the office
// applies, not the day-by-day steps `show` gives.
std::string due_rule_cn(const CaseSummary& c, const Config& config) {
    const DeadlineRules& rules = config.deadline;
    const Category* cat = c.category ? config.find_category(*c.category) : nullptr;
    int days = cat && cat->reply_days ? *cat->reply_days : rules.reply_days;
    bool natural = rules.days == DayCount::natural;
    std::string out = fmt::format("自{}次日起{}个{}日",
                                  c.reopened                       ? "重新办理"
                                  : rules.clock == Clock::assigned ? "交办"
                                                                   : "来信",
                                  days, natural ? "自然" : "工作");
    if (natural && rules.extend_past_holidays) {
        out += "，期满遇休息日顺延";
    }
    int extended = 0;
    for (const Extension& e : c.extensions) {
        extended += c.reopened && e.at < *c.reopened ? 0 : e.days;
    }
    if (extended > 0) {
        out += fmt::format("，经批准延期{}天", extended);
    }
    return out;
}

// One 交办单: the letter and the handling the office decided on. A
// restricted letter's text and sender go only to its lead unit.
data assignment_data(const Mailbox& m, const Context& ctx, const Case& c, bool co) {
    const Config& config = m.config();
    const Leader* leader = c.leader ? config.find_leader(*c.leader) : nullptr;
    std::optional<DueDate> due = due_date(c, config);
    bool withheld = c.restricted && co;
    std::string co_units = names_of(config, c.co_units);
    data d = office_data(config, ctx);
    d.set("id", c.id);
    d.set("is_co", co);
    d.set("restricted", c.restricted);
    d.set("withheld", withheld);
    d.set("subject", withheld ? std::string("（举报件，内容不在此列明）") : c.subject);
    d.set("received", moment_cn(c.received));
    d.set("channel", std::string(chinese_name(c.channel)));
    d.set("sender", withheld ? std::string() : c.sender.name);
    d.set("contact", withheld ? std::string() : contact_of(c.sender));
    d.set("body", withheld ? std::string() : c.body);
    d.set("unit_name", unit_name(config, c.handler));
    d.set("co_units", co_units);
    d.set("has_co_units", !co_units.empty());
    d.set("leader", leader ? leader->name : c.leader.value_or(""));
    d.set("has_leader", c.leader.has_value());
    d.set("instruction", withheld ? std::string() : c.instruction.value_or(""));
    d.set("has_instruction", c.instruction.has_value() && !withheld);
    d.set("due", due ? date_cn(due->day) : "");
    d.set("due_reason", due ? due_rule_cn(c, config) : "");
    d.set("has_due", due.has_value());
    Day report_by =
        due ? add_working_days(due->day, -config.deadline.report_days_before, config.deadline)
            : ctx.today;
    d.set("report_by", date_cn(std::max(report_by, ctx.today)));
    d.set("same_letter", same_letter(c));
    d.set("has_same_letter", !c.group.empty());
    return d;
}

} // namespace

std::vector<Notice> assignment_notices(const Mailbox& m, const Context& ctx,
                                       const std::vector<Case>& assigned) {
    std::string folder = "out/notices/" + iso_day(ctx.today) + "/";
    std::vector<Notice> notices;
    std::optional<LetterIndex> letters; // opened for the first notice
    for (const Case& assigned_case : assigned) {
        if (assigned_case.status != Status::assigned || !assigned_case.handler) {
            continue;
        }
        Case c = assigned_case;
        if (!letters) {
            letters.emplace(m);
        }
        c.group = letters->group_of(c, assigned); // the whole group, not only its links
        auto one = [&](const std::string& unit, bool co) {
            // Ids become file names: only units mailbox.toml defines.
            if (!m.config().find_unit(unit)) {
                return;
            }
            data d = assignment_data(m, ctx, c, co);
            d.set("unit", unit);
            d.set("addressee", unit_name(m.config(), unit));
            notices.push_back({folder + "assign-" + c.id + "-" + unit + ".txt",
                               render(load_template(m, "assign-notice"), d)});
        };
        one(*c.handler, false);
        for (const std::string& co : c.co_units) {
            one(co, true);
        }
    }
    return notices;
}

void write_notices(const Mailbox& m, const std::vector<Notice>& notices, bool dry_run) {
    for (const Notice& n : notices) {
        check_inside_mailbox(m.root(), n.path);
    }
    if (dry_run) {
        return;
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
