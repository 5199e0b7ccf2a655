#include "report/bulletin.hpp"

#include "format/output.hpp"
#include "model/mask.hpp"
#include "report/chart.hpp"
#include "store/templates.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <set>
#include <sstream>

namespace mailbox {

using data = TemplateData;

namespace {

constexpr const char* k_numbers_cn[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};

std::string number_cn(std::size_t i) {
    return i < 10 ? k_numbers_cn[i] : std::to_string(i + 1);
}

std::string share(int part, int whole) {
    return whole == 0 ? "—" : fmt::format("{:.1f}%", 100.0 * part / whole);
}

std::string days_text(std::optional<double> d) {
    return d ? fmt::format("{:.1f}", *d) : "—";
}

// A template list; each item knows whether it is the last, for the
// separators between items (张三、李四).
data list_of(std::vector<data> items) {
    data l{data::type::list};
    for (std::size_t i = 0; i < items.size(); ++i) {
        items[i].set("last", i + 1 == items.size());
        l.push_back(items[i]);
    }
    return l;
}

// Rows of one breakdown with letters in them, most letters first, as
// "name count share" items.
data shares(const Stats& s, Breakdown b) {
    std::vector<const Row*> rows;
    for (const Row& r : s.rows.at(b)) {
        if (r.counts.received > 0) {
            rows.push_back(&r);
        }
    }
    // Most letters first; the letters with none (未分类) last, as a remainder.
    std::stable_sort(rows.begin(), rows.end(), [](const Row* a, const Row* b) {
        if (a->id.empty() != b->id.empty()) {
            return b->id.empty();
        }
        return a->counts.received > b->counts.received;
    });
    std::vector<data> items;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        data d;
        d.set("name", rows[i]->name);
        d.set("count", std::to_string(rows[i]->counts.received));
        d.set("share", share(rows[i]->counts.received, s.total.received));
        items.push_back(d);
    }
    return list_of(items);
}

std::vector<const Row*> ranked_units(const Stats& s, const BulletinRules& rules) {
    std::vector<const Row*> out;
    for (const Row& r : s.rows.at(Breakdown::unit)) {
        if (!r.id.empty() && r.counts.received >= std::max(rules.min_cases, 1)) {
            out.push_back(&r);
        }
    }
    return out;
}

// At most `most` names: a sentence naming sixteen units reads as a list;
// the detail that follows names every one.
std::string names_text(const std::vector<const Row*>& rows, std::size_t most = 100) {
    std::string out;
    for (std::size_t i = 0; i < rows.size() && i < most; ++i) {
        out += (i ? "、" : "") + rows[i]->name;
    }
    return out;
}

// "市住建局、市城管局等2个单位逾期答复": the bulletin's own way of naming.
data named(const std::vector<const Row*>& rows, const std::string& what,
           const std::function<std::string(const Counts&)>& detail) {
    data d;
    d.set("has", !rows.empty());
    d.set("units", names_text(rows));
    d.set("count", std::to_string(rows.size()));
    d.set("sentence", rows.empty()
                          ? ""
                          : fmt::format("{}等{}个单位{}", names_text(rows, 5), rows.size(), what));
    std::vector<data> items;
    for (const Row* r : rows) {
        data i;
        i.set("name", r->name);
        i.set("detail", detail(r->counts));
        items.push_back(i);
    }
    d.set("list", list_of(items));
    return d;
}

data unit_row(const Row& r) {
    const Counts& k = r.counts;
    data d;
    d.set("name", r.name);
    d.set("assigned", std::to_string(k.received));
    d.set("on_time", std::to_string(k.replied_on_time));
    d.set("late", std::to_string(k.replied_late));
    d.set("unreplied", std::to_string(k.open));
    d.set("overdue", std::to_string(k.overdue_open));
    d.set("on_time_rate", percent_text(k.on_time_rate()));
    d.set("returns", std::to_string(k.returns));
    d.set("extensions", std::to_string(k.extensions));
    d.set("unsatisfied", std::to_string(k.unsatisfied));
    d.set("satisfaction_rate", percent_text(k.satisfaction_rate()));
    return d;
}

// The per-unit table as text, aligned by display width, for the txt and md
// bulletins (mustache cannot pad).
std::vector<Value> unit_table_records(const Stats& s) {
    std::vector<Value> out;
    for (const Row& r : s.rows.at(Breakdown::unit)) {
        const Counts& k = r.counts;
        if (r.id.empty() || (k.received == 0 && k.returns == 0)) {
            continue;
        }
        out.emplace_back(Value::Object{
            {"name", r.name},
            {"assigned", k.received},
            {"on_time", k.replied_on_time},
            {"late", k.replied_late},
            {"unreplied", k.open},
            {"on_time_rate", percent_text(k.on_time_rate())},
            {"returns", k.returns},
            {"extensions", k.extensions},
            {"unsatisfied", k.unsatisfied},
            {"satisfaction_rate", percent_text(k.satisfaction_rate())},
        });
    }
    return out;
}

const std::vector<Column>& unit_table_columns() {
    static const std::vector<Column> k_columns{
        {"name", "单位"},          {"assigned", "交办"},
        {"on_time", "按期答复"},   {"late", "超期答复"},
        {"unreplied", "未答复"},   {"on_time_rate", "按期答复率"},
        {"returns", "退单"},       {"extensions", "延期"},
        {"unsatisfied", "不满意"}, {"satisfaction_rate", "满意率"},
    };
    return k_columns;
}

std::string print_to_string(Format f, const std::vector<Value>& records) {
    std::ostringstream out;
    print_records(out, f, records, unit_table_columns());
    return out.str();
}

// What an exemplary unit did, in two or three sentences: the reviewer's note
// when there is one, else the answer's opening after its salutation.
std::string what_was_done(const CaseSummary& c) {
    if (c.exemplary && !trimmed(*c.exemplary).empty()) {
        return trimmed(*c.exemplary);
    }
    std::string text = c.draft ? c.draft->text : "";
    if (auto nl = text.find('\n'); nl != std::string::npos && text.substr(0, nl).ends_with("：")) {
        text = text.substr(nl + 1); // 张三同志：
    }
    std::string out;
    int sentences = 0;
    for (std::size_t i = 0; i < text.size() && sentences < 3;) {
        std::size_t end = text.find("。", i);
        std::size_t stop = end == std::string::npos ? text.size() : end + 3;
        out += trimmed(text.substr(i, stop - i));
        i = stop;
        ++sentences;
    }
    return out;
}

bool answered_by(const CaseSummary& c, const Timestamp& now) {
    return (c.replied && *c.replied <= now) ||
           std::any_of(c.history.begin(), c.history.end(), [&](const HistoryEntry& e) {
               return e.action == Action::reply && e.at <= now;
           });
}

// Every sender of the period's letters: what a unit wrote about one case may
// name a neighbour who wrote too, and one letter sent twice has two senders.
std::vector<std::string> senders_of(const std::vector<IndexEntry>& entries, const Stats& s,
                                    const Config& config) {
    std::set<std::string> names;
    for (const IndexEntry& e : entries) {
        if (e.summary && s.period.contains(office_day(e.summary->received, config))) {
            names.insert(e.summary->sender.name);
        }
    }
    return {names.begin(), names.end()};
}

// Control characters (an escape sequence in a subject) would act on the
// terminal a txt bulletin is printed on; they become spaces.
std::string printable(std::string s) {
    for (char& ch : s) {
        if ((static_cast<unsigned char>(ch) < 0x20 && ch != '\n') || ch == 0x7f) {
            ch = ' ';
        }
    }
    return s;
}

// The group's own senders are masked wherever their names stand, even where
// the name is also a word: the text is about them. Other senders of the
// period, by mask_text's rules.
std::string masked(std::string text, const std::vector<std::string>& own,
                   const std::vector<std::string>& others) {
    for (const std::string& name : own) {
        std::string m = mask_name(name);
        if (name.size() < 4 || m == name) {
            continue; // one character, or a placeholder such as 匿名
        }
        for (std::size_t at = text.find(name); at != std::string::npos;
             at = text.find(name, at + m.size())) {
            text.replace(at, name.size(), m);
        }
    }
    return mask_text(text, others);
}

// One item per handling: the members of a linked group share one answer, so
// the group is shown once, by its first member, and not at all when one of
// its letters is restricted.
data exemplary_cases(const Mailbox& m, const Stats& s, const std::vector<IndexEntry>& entries,
                     bool mask) {
    const Config& config = m.config();
    std::map<std::string, const CaseSummary*> by_id;
    for (const IndexEntry& e : entries) {
        if (e.summary) {
            by_id[e.summary->id] = &*e.summary;
        }
    }
    std::vector<std::string> others =
        mask ? senders_of(entries, s, config) : std::vector<std::string>{};
    std::set<std::string> groups_shown;
    std::vector<data> items;
    for (const IndexEntry& e : entries) {
        const auto& c = e.summary;
        if (!c || !c->exemplary || !answered_by(*c, s.as_of) ||
            !s.period.contains(office_day(c->received, config))) {
            continue;
        }
        std::vector<const CaseSummary*> members{&*c};
        for (const std::string& id : c->group) {
            if (auto it = by_id.find(id); it != by_id.end()) {
                members.push_back(it->second);
            }
        }
        std::string group = c->id;
        for (const std::string& id : c->group) {
            group = std::min(group, id);
        }
        if (std::any_of(members.begin(), members.end(),
                        [](const CaseSummary* x) { return x->restricted; }) ||
            !groups_shown.insert(group).second) {
            continue;
        }
        std::vector<std::string> own;
        for (const CaseSummary* x : members) {
            own.push_back(x->sender.name);
        }
        std::sort(own.begin(), own.end(),
                  [](const auto& a, const auto& b) { return a.size() > b.size(); });
        Case whole = m.load(c->id);
        auto shown = [&](const std::string& text) {
            return printable(mask ? masked(text, own, others) : text);
        };
        data d;
        d.set("number", std::to_string(items.size() + 1));
        d.set("number_cn", number_cn(items.size()));
        d.set("id", whole.id);
        d.set("unit", printable(unit_name(config, whole.handler)));
        d.set("subject", shown(whole.subject));
        std::string done = what_was_done(whole);
        if (!done.empty() && !done.ends_with("。") && !done.ends_with("！")) {
            done += "。";
        }
        d.set("text", shown(done));
        items.push_back(d);
    }
    return list_of(items);
}

data rank_list(const std::vector<const Row*>& rows) {
    std::vector<data> items;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        data d;
        d.set("rank", std::to_string(i + 1));
        d.set("name", rows[i]->name);
        d.set("on_time_rate", percent_text(rows[i]->counts.on_time_rate()));
        d.set("satisfaction_rate", percent_text(rows[i]->counts.satisfaction_rate()));
        items.push_back(d);
    }
    return list_of(items);
}

data leaders_of(const Stats& s) {
    std::vector<data> items;
    for (const Row& r : s.rows.at(Breakdown::leader)) {
        if (r.counts.received > 0) {
            data d;
            d.set("name", r.name);
            d.set("count", std::to_string(r.counts.received));
            items.push_back(d);
        }
    }
    return list_of(items);
}

data topics_of(const Stats& s) {
    std::vector<data> items;
    for (std::size_t i = 0; i < s.topics.size(); ++i) {
        data d;
        d.set("word", s.topics[i]);
        d.set("count", std::to_string(s.topic_counts[i]));
        items.push_back(d);
    }
    return list_of(items);
}

// Letters per week of the quarter, for the HTML page's chart.
std::string weeks_chart(const std::vector<IndexEntry>& entries, const Stats& s,
                        const Config& config) {
    int weeks = days_between(s.period.from, s.period.to) / 7 + 1;
    std::vector<Bar> bars(static_cast<std::size_t>(weeks));
    for (int w = 0; w < weeks; ++w) {
        Day d = add_days(s.period.from, 7 * w);
        bars[w].label =
            fmt::format("{}/{}", static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
    }
    for (const IndexEntry& e : entries) {
        if (e.summary && e.summary->received <= s.as_of) {
            Day d = office_day(e.summary->received, config);
            if (s.period.contains(d)) {
                bars[days_between(s.period.from, d) / 7].value += 1;
            }
        }
    }
    for (Bar& b : bars) {
        b.shown = fmt::format("{}", static_cast<int>(b.value));
    }
    return svg_columns(bars, "每周来信量（件）");
}

void add_charts(data& d, const std::vector<IndexEntry>& entries, const Stats& s,
                const Config& config) {
    std::vector<Bar> units, categories;
    for (const Row& r : s.rows.at(Breakdown::unit)) {
        if (auto rate = r.counts.on_time_rate(); rate && !r.id.empty()) {
            units.push_back({r.name, *rate * 100, percent_text(rate)});
        }
    }
    for (const Row& r : s.rows.at(Breakdown::category)) {
        if (r.counts.received > 0) {
            categories.push_back({r.name, static_cast<double>(r.counts.received),
                                  std::to_string(r.counts.received)});
        }
    }
    d.set("chart_units", svg_hbars(units, "各单位按期答复率", 100));
    d.set("chart_categories", svg_hbars(categories, "来信分类（件）"));
    d.set("chart_weeks", weeks_chart(entries, s, config));
}

void add_overview(data& d, const Stats& s, const Stats& before) {
    const Counts& k = s.total;
    d.set("received", std::to_string(k.received));
    d.set("received_before", std::to_string(before.total.received));
    d.set("has_letters", k.received > 0);
    std::string change = change_text(k.received, before.total.received);
    d.set("received_change", change);
    d.set("has_change", !change.empty());
    d.set("received_change_word", k.received >= before.total.received ? "增长" : "下降");
    d.set("received_change_abs", change.empty() ? "" : change.substr(1));
    d.set("channels", shares(s, Breakdown::channel));
    d.set("categories", shares(s, Breakdown::category));
    d.set("kinds", shares(s, Breakdown::kind));
    d.set("has_kinds",
          std::any_of(s.rows.at(Breakdown::kind).begin(), s.rows.at(Breakdown::kind).end(),
                      [](const Row& r) { return !r.id.empty() && r.counts.received; }));
    d.set("topics", topics_of(s));
    d.set("has_topics", !s.topics.empty());
    d.set("repeat_letters", std::to_string(k.repeat_letters));
    d.set("linked_groups", std::to_string(k.linked_groups));
}

void add_handling(data& d, const Stats& s, const Stats& before) {
    const Counts& k = s.total;
    d.set("assigned", std::to_string(k.assigned));
    d.set("replied", std::to_string(k.replied));
    d.set("reply_rate", percent_text(k.reply_rate()));
    d.set("on_time", std::to_string(k.replied_on_time));
    d.set("late", std::to_string(k.replied_late));
    d.set("open", std::to_string(k.open));
    d.set("overdue_open", std::to_string(k.overdue_open));
    d.set("very_overdue", std::to_string(k.very_overdue));
    d.set("on_time_rate", percent_text(k.on_time_rate()));
    d.set("on_time_rate_before", percent_text(before.total.on_time_rate()));
    d.set("has_replies", k.replied > 0);
    d.set("average_days", days_text(k.average_days()));
    d.set("p90_days", k.p90_days() ? std::to_string(*k.p90_days()) : "—");
    d.set("leader_led", std::to_string(k.leader_led));
    d.set("has_leaders", k.leader_led > 0);
    d.set("leaders", leaders_of(s));
    d.set("co_handled", std::to_string(k.co_handled));
    d.set("returns", std::to_string(k.returns));
    d.set("extensions", std::to_string(k.extensions));
    d.set("rejected_drafts", std::to_string(k.rejected_drafts));
    d.set("site_visits", std::to_string(k.site_visits));
    d.set("solved_on_site", std::to_string(k.solved_on_site));
    d.set("closed", std::to_string(k.closed));
    d.set("tracking", std::to_string(k.tracking));
}

void add_feedback(data& d, const Stats& s, const Stats& before) {
    const Counts& k = s.total;
    d.set("has_feedback", k.feedback > 0);
    d.set("feedback", std::to_string(k.feedback));
    d.set("satisfied", std::to_string(k.satisfied));
    d.set("basically_satisfied", std::to_string(k.basically_satisfied));
    d.set("unsatisfied", std::to_string(k.unsatisfied));
    d.set("satisfaction_rate", percent_text(k.satisfaction_rate()));
    d.set("satisfaction_rate_before", percent_text(before.total.satisfaction_rate()));
}

void add_problems(data& d, const Stats& s, const BulletinRules& rules) {
    Criticism c = criticise(s, rules);
    d.set("late_units", named(c.late, "逾期答复", [](const Counts& k) {
              return fmt::format("超期答复{}件，超期未答复{}件", k.replied_late, k.overdue_open);
          }));
    d.set("rejected_units", named(c.rejected, "答复意见审核退回率偏高", [](const Counts& k) {
              return fmt::format("审核退回{}次，答复{}件", k.rejected_drafts, k.replied);
          }));
    d.set("unsatisfied_units", named(c.unsatisfied, "群众不满意率偏高", [](const Counts& k) {
              return fmt::format("不满意{}件，回访{}件", k.unsatisfied, k.feedback);
          }));
    d.set("has_problems", !c.late.empty() || !c.rejected.empty() || !c.unsatisfied.empty());
    auto [red, yellow] = red_and_yellow(s, rules);
    d.set("red_list", rank_list(red));
    d.set("yellow_list", rank_list(yellow));
    d.set("has_lists", !red.empty());
    d.set("has_yellow", !yellow.empty());
    d.set("min_cases", std::to_string(rules.min_cases));
    std::vector<data> reqs;
    for (std::size_t i = 0; i < rules.requirements.size(); ++i) {
        data r;
        r.set("number_cn", number_cn(i));
        r.set("number", std::to_string(i + 1));
        r.set("text", rules.requirements[i]);
        reqs.push_back(r);
    }
    d.set("requirements", list_of(reqs));
    d.set("has_requirements", !reqs.empty());
}

} // namespace

std::optional<BulletinFormat> parse_bulletin_format(std::string_view s) {
    if (s == "txt" || s == "table") { // table: the common default
        return BulletinFormat::txt;
    }
    if (s == "md") {
        return BulletinFormat::md;
    }
    if (s == "html") {
        return BulletinFormat::html;
    }
    return std::nullopt;
}

std::string_view to_string(BulletinFormat f) {
    switch (f) {
    case BulletinFormat::txt:
        return "txt";
    case BulletinFormat::md:
        return "md";
    case BulletinFormat::html:
        return "html";
    }
    return "txt";
}

Criticism criticise(const Stats& s, const BulletinRules& rules) {
    Criticism c;
    for (const Row& r : s.rows.at(Breakdown::unit)) {
        const Counts& k = r.counts;
        if (r.id.empty()) {
            continue;
        }
        if (k.replied_late + k.overdue_open >= rules.late_min) {
            c.late.push_back(&r);
        }
        if (k.received < rules.min_cases) {
            continue; // a rate over two letters says nothing
        }
        if (auto rate = k.rejection_rate(); rate && *rate > rules.rejection_rate) {
            c.rejected.push_back(&r);
        }
        if (auto rate = k.unsatisfied_rate(); rate && *rate > rules.unsatisfied_rate) {
            c.unsatisfied.push_back(&r);
        }
    }
    auto most_late = [](const Row* a, const Row* b) {
        return a->counts.replied_late + a->counts.overdue_open >
               b->counts.replied_late + b->counts.overdue_open;
    };
    std::stable_sort(c.late.begin(), c.late.end(), most_late);
    return c;
}

std::pair<std::vector<const Row*>, std::vector<const Row*>>
red_and_yellow(const Stats& s, const BulletinRules& rules) {
    std::vector<const Row*> ranked = ranked_units(s, rules);
    auto better = [](const Row* a, const Row* b) {
        double ta = a->counts.on_time_rate().value_or(1), tb = b->counts.on_time_rate().value_or(1);
        if (ta != tb) {
            return ta > tb;
        }
        double sa = a->counts.satisfaction_rate().value_or(1),
               sb = b->counts.satisfaction_rate().value_or(1);
        return sa != sb ? sa > sb : a->id < b->id;
    };
    std::sort(ranked.begin(), ranked.end(), better);
    auto n = static_cast<std::size_t>(std::max(rules.list_size, 0));
    std::size_t red = std::min(n, ranked.size() / 2 + ranked.size() % 2);
    std::size_t yellow = std::min(n, ranked.size() - red);
    std::vector<const Row*> red_list(ranked.begin(), ranked.begin() + static_cast<long>(red));
    std::vector<const Row*> yellow_list(ranked.rbegin(),
                                        ranked.rbegin() + static_cast<long>(yellow));
    return {red_list, yellow_list};
}

TemplateData bulletin_data(const Mailbox& m, const std::vector<IndexEntry>& entries, const Stats& s,
                           const Stats& before, const BulletinOptions& o) {
    const Config& config = m.config();
    data d;
    d.set("office", config.office.name);
    d.set("phone", config.office.phone);
    d.set("email", config.office.email);
    d.set("title", fmt::format("关于{}书记信箱来信办理情况的通报", s.period.label_cn));
    d.set("period", s.period.label_cn);
    d.set("period_label", s.period.label);
    d.set("period_before", before.period.label_cn);
    d.set("from_cn", date_cn(s.period.from));
    d.set("to_cn", date_cn(s.period.to));
    d.set("date_cn", date_cn(office_day(s.as_of, config)));
    d.set("internal", !o.mask);
    d.set("has_before", before.total.received > 0);
    add_overview(d, s, before);
    add_handling(d, s, before);
    add_feedback(d, s, before);
    data cases = exemplary_cases(m, s, entries, o.mask);
    d.set("has_exemplary", !cases.list_value().empty());
    d.set("exemplary", cases);
    add_problems(d, s, config.bulletin);
    std::vector<data> units;
    for (const Row& r : s.rows.at(Breakdown::unit)) {
        if (!r.id.empty() && (r.counts.received > 0 || r.counts.returns > 0)) {
            units.push_back(unit_row(r));
        }
    }
    d.set("units", list_of(units));
    d.set("units_table", print_to_string(Format::table, unit_table_records(s)));
    d.set("units_table_md", print_to_string(Format::markdown, unit_table_records(s)));
    for (const char* chart : {"chart_units", "chart_categories", "chart_weeks"}) {
        d.set(chart, ""); // html only; a name every bulletin template may use
    }
    if (o.format == BulletinFormat::html) {
        add_charts(d, entries, s, config);
    }
    return d;
}

const ListItemKeys& bulletin_item_keys() {
    static const std::vector<std::string> k_share{"name", "count", "share", "last"};
    static const std::vector<std::string> k_named{"name", "detail", "last"};
    static const std::vector<std::string> k_rank{"rank", "name", "on_time_rate",
                                                 "satisfaction_rate", "last"};
    static const ListItemKeys k_keys{
        {"channels", k_share},
        {"categories", k_share},
        {"kinds", k_share},
        {"topics", {"word", "count", "last"}},
        {"leaders", {"name", "count", "last"}},
        {"exemplary", {"number", "number_cn", "id", "unit", "subject", "text", "last"}},
        {"late_units.list", k_named},
        {"rejected_units.list", k_named},
        {"unsatisfied_units.list", k_named},
        {"red_list", k_rank},
        {"yellow_list", k_rank},
        {"requirements", {"number", "number_cn", "text", "last"}},
        {"units",
         {"name", "assigned", "on_time", "late", "unreplied", "overdue", "on_time_rate", "returns",
          "extensions", "unsatisfied", "satisfaction_rate", "last"}},
    };
    return k_keys;
}

std::string render_bulletin(const Mailbox& m, const std::vector<IndexEntry>& entries,
                            const Period& quarter, const Timestamp& now, const BulletinOptions& o) {
    Stats s = compute_stats(entries, m.config(), quarter, now);
    Stats before = compute_stats(entries, m.config(), year_before(quarter), now);
    std::string name =
        o.template_name.empty() ? "bulletin." + std::string(to_string(o.format)) : o.template_name;
    return render(load_template(m, name), bulletin_data(m, entries, s, before, o),
                  o.format == BulletinFormat::html ? Escape::html
                  : o.format == BulletinFormat::md ? Escape::markdown
                                                   : Escape::none,
                  bulletin_item_keys());
}

} // namespace mailbox
