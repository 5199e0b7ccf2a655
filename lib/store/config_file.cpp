#include "store/config_file.hpp"

#include "store/field_reader.hpp"
#include "util/edit_distance.hpp"
#include "util/i18n.hpp"
#include "util/text.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <fmt/ranges.h>

namespace mailbox {

namespace {

bool is_valid_short_id(std::string_view id) {
    return !id.empty() && std::all_of(id.begin(), id.end(), [](char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-';
    });
}

// Calls `each` with a reader for every table of the array `key` ([[unit]]).
template <typename F>
void each_table(FieldReader& root, std::string_view key, F each) {
    const toml::node* n = root.get(key, false);
    if (!n) {
        return;
    }
    const toml::array* a = n->as_array();
    if (!a) {
        root.wrong_type(*n, key, tr("[[{}]] tables", key));
        return;
    }
    for (const toml::node& item : *a) {
        if (auto t = root.sub(item, key, std::string(key) + ".")) {
            each(*t);
        }
    }
}

class ConfigReader {
  public:
    ConfigReader(const toml::table& t, const std::string& path, ConfigParse& out)
        : m_out(out), m_path(path), m_root(t, "", path, out.problems) {}

    void read() {
        read_office();
        each_table(m_root, "unit", [&](FieldReader& r) { read_unit(r); });
        each_table(m_root, "leader", [&](FieldReader& r) { read_leader(r); });
        each_table(m_root, "category", [&](FieldReader& r) { read_category(r); });
        each_table(m_root, "kind", [&](FieldReader& r) { read_kind(r); });
        if (auto t = table(m_root, "deadline")) {
            read_deadline(*t);
        }
        if (auto t = table(m_root, "dedupe")) {
            read_dedupe(*t);
        }
        read_import();
        if (auto t = table(m_root, "assessment")) {
            read_assessment(*t);
        }
        if (auto t = table(m_root, "bulletin")) {
            read_bulletin(*t);
        }
        if (auto t = table(m_root, "review")) {
            read_review(*t);
        }
        if (auto t = table(m_root, "digest")) {
            DigestRules& dr = m_out.config.digest;
            dr.mask_sender = t->flag("mask_sender").value_or(dr.mask_sender);
            dr.summary_chars = static_cast<int>(
                t->integer("summary_chars", 20, 100000).value_or(dr.summary_chars));
            t->report_unknown_keys(&m_out.unknown);
        }
        if (auto t = table(m_root, "reply")) {
            ReplyRules& rr = m_out.config.reply;
            rr.review_request_days = static_cast<int>(
                t->integer("review_request_days", 0, 3650).value_or(rr.review_request_days));
            t->report_unknown_keys(&m_out.unknown);
        }
        if (auto t = table(m_root, "suggest")) {
            SuggestRules& sr = m_out.config.suggest;
            sr.confidence = t->number("confidence", 0, 1).value_or(sr.confidence);
            sr.min_cases =
                static_cast<int>(t->integer("min_cases", 1, 1000000).value_or(sr.min_cases));
            t->report_unknown_keys(&m_out.unknown);
        }
        if (auto t = table(m_root, "tracking")) {
            ReplyRules& rr = m_out.config.reply;
            rr.tracking_remind_days = static_cast<int>(
                t->integer("remind_days", 1, 3650).value_or(rr.tracking_remind_days));
            t->report_unknown_keys(&m_out.unknown);
        }
        check_references();
        m_root.report_unknown_keys(&m_out.unknown);
    }

  private:
    std::optional<FieldReader> table(FieldReader& parent, std::string_view key) {
        const toml::node* n = parent.get(key, false);
        return n ? parent.sub(*n, key, parent.name(key) + ".") : std::nullopt;
    }

    // One whole message for each kind of table: "unit", "leader", "category", "kind".
    static std::string bad_id(std::string_view what, const std::string& id) {
        if (what == "unit") {
            return tr("unit id '{}' must be lowercase letters, digits and '-'", id);
        }
        if (what == "leader") {
            return tr("leader id '{}' must be lowercase letters, digits and '-'", id);
        }
        if (what == "category") {
            return tr("category id '{}' must be lowercase letters, digits and '-'", id);
        }
        return tr("kind id '{}' must be lowercase letters, digits and '-'", id);
    }

    static std::string duplicate_id(std::string_view what, const std::string& id) {
        if (what == "unit") {
            return tr("duplicate unit id '{}'", id);
        }
        if (what == "leader") {
            return tr("duplicate leader id '{}'", id);
        }
        if (what == "category") {
            return tr("duplicate category id '{}'", id);
        }
        return tr("duplicate kind id '{}'", id);
    }

    std::string short_id(FieldReader& r, std::string_view what) {
        std::string id = r.text("id", true).value_or("");
        if (const toml::node* n = r.table().get("id");
            n && n->is_string() && !is_valid_short_id(id)) {
            r.problem(n->source(), bad_id(what, id));
        }
        return id;
    }

    template <typename T>
    void check_unique(FieldReader& r, const std::vector<T>& seen, const std::string& id,
                      std::string_view what) {
        if (!id.empty() &&
            std::any_of(seen.begin(), seen.end(), [&](const T& x) { return x.id == id; })) {
            r.problem(r.table().get("id")->source(), duplicate_id(what, id));
        }
    }

    void read_office() {
        auto r = table(m_root, "office");
        if (!r) {
            m_root.problem(m_root.table().source(), _("missing required table '[office]'"));
            return;
        }
        Office& o = m_out.config.office;
        o.name = r->text("name", true).value_or("");
        o.email = r->text("email").value_or("");
        o.phone = r->text("phone").value_or("");
        o.timezone = r->text("timezone").value_or(o.timezone);
        try {
            m_out.config.zone = date::locate_zone(o.timezone);
        } catch (const std::exception&) {
            const toml::node* n = r->table().get("timezone");
            r->problem(
                n ? n->source() : r->table().source(),
                tr("unknown time zone '{}': expected a name such as 'Asia/Shanghai'", o.timezone));
        }
        if (auto l = r->text("language")) {
            if (auto known = parse_language(*l)) {
                o.language = *known;
            } else {
                r->problem(r->table().get("language")->source(),
                           tr("unknown language '{}': expected 'zh_CN' or 'en'", *l));
            }
        }
        r->report_unknown_keys(&m_out.unknown);
    }

    void read_unit(FieldReader& r) {
        Unit u;
        u.id = short_id(r, "unit");
        check_unique(r, m_out.config.units, u.id, "unit");
        u.name = r.text("name", true).value_or("");
        u.email = r.text("email").value_or("");
        r.report_unknown_keys(&m_out.unknown);
        m_out.config.units.push_back(std::move(u));
    }

    void read_leader(FieldReader& r) {
        Leader l;
        l.id = short_id(r, "leader");
        check_unique(r, m_out.config.leaders, l.id, "leader");
        l.name = r.text("name", true).value_or("");
        l.unit = r.text("unit").value_or("");
        r.report_unknown_keys(&m_out.unknown);
        m_unit_refs.push_back({l.unit, r.table().get("unit")});
        m_out.config.leaders.push_back(std::move(l));
    }

    void read_keywords(FieldReader& r, Category& c) {
        const toml::node* n = r.get("keywords", false);
        if (!n) {
            return;
        }
        if (const toml::table* weighted = n->as_table()) {
            for (auto&& [k, v] : *weighted) {
                auto w = v.value<double>();
                if (w && std::isfinite(*w) && std::abs(*w) <= 1000 &&
                    (v.is_integer() || v.is_floating_point())) {
                    c.keywords.push_back({std::string(k.str()), *w});
                } else {
                    r.wrong_type(v, "keywords." + std::string(k.str()),
                                 _("a number from -1000 to 1000 (a weight)"));
                }
            }
            return;
        }
        for (const std::string& word : r.texts("keywords")) {
            c.keywords.push_back({word, 1.0});
        }
    }

    void read_category(FieldReader& r) {
        Category c;
        c.id = short_id(r, "category");
        check_unique(r, m_out.config.categories, c.id, "category");
        c.name = r.text("name", true).value_or("");
        c.unit = r.text("unit", true).value_or("");
        m_unit_refs.push_back({c.unit, r.table().get("unit")});
        read_keywords(r, c);
        if (auto d = r.integer("reply_days", 1, 365)) {
            c.reply_days = static_cast<int>(*d);
        }
        r.report_unknown_keys(&m_out.unknown);
        m_out.config.categories.push_back(std::move(c));
    }

    void read_kind(FieldReader& r) {
        Kind k;
        k.id = short_id(r, "kind");
        check_unique(r, m_out.config.kinds, k.id, "kind");
        k.name = r.text("name", true).value_or("");
        r.report_unknown_keys(&m_out.unknown);
        m_out.config.kinds.push_back(std::move(k));
    }

    void read_deadline(FieldReader& r) {
        DeadlineRules& d = m_out.config.deadline;
        auto int_or = [&](std::string_view key, int min, int fallback) {
            return static_cast<int>(r.integer(key, min, 365).value_or(fallback));
        };
        d.reply_days = int_or("reply_days", 1, d.reply_days);
        d.very_overdue_days = int_or("very_overdue_days", 0, d.very_overdue_days);
        d.chase_every_days = int_or("chase_every_days", 1, d.chase_every_days);
        d.supervise_every_days = int_or("supervise_every_days", 1, d.supervise_every_days);
        d.report_days_before = int_or("report_days_before", 0, d.report_days_before);
        if (auto days = r.text("days")) {
            pick(r, "days", *days, {"natural", "working"}, d.days);
        }
        if (auto clock = r.text("clock")) {
            pick(r, "clock", *clock, {"received", "assigned"}, d.clock);
        }
        d.extend_past_holidays = r.flag("extend_past_holidays").value_or(d.extend_past_holidays);
        for (Day day : r.days("holidays")) {
            d.holidays.insert(day);
        }
        for (Day day : r.days("workdays")) {
            d.workdays.insert(day);
        }
        r.report_unknown_keys(&m_out.unknown);
    }

    template <typename E>
    void pick(FieldReader& r, std::string_view key, const std::string& value,
              std::initializer_list<std::string_view> names, E& out) {
        int i = 0;
        for (std::string_view name : names) {
            if (value == name) {
                out = static_cast<E>(i);
                return;
            }
            ++i;
        }
        r.problem(r.table().get(key)->source(),
                  tr("unknown {} '{}': expected '{}' or '{}'", r.name(key), value, *names.begin(),
                     *(names.begin() + 1)));
    }

    void read_dedupe(FieldReader& r) {
        DedupeRules& d = m_out.config.dedupe;
        d.window_days = static_cast<int>(r.integer("window_days", 0, 3650).value_or(d.window_days));
        d.sender_window_days = static_cast<int>(
            r.integer("sender_window_days", 0, 3650).value_or(d.sender_window_days));
        score(r, "threshold", d.threshold);
        score(r, "sender_threshold", d.sender_threshold);
        r.report_unknown_keys(&m_out.unknown);
    }

    void score(FieldReader& r, std::string_view key, double& out) {
        auto t = r.number(key);
        if (!t) {
            return;
        }
        if (*t <= 0 || *t > 1) {
            r.problem(r.table().get(key)->source(),
                      tr("'{}' is {}: expected more than 0, at most 1", r.name(key), *t));
            return;
        }
        out = *t;
    }

    void read_import() {
        auto imp = table(m_root, "import");
        if (!imp) {
            return;
        }
        if (auto csv = table(*imp, "csv")) {
            for (const char* field :
                 {"subject", "from", "received", "body", "email", "phone", "channel"}) {
                if (auto column = csv->text(field)) {
                    m_out.config.csv_columns[field] = *column;
                }
            }
            if (auto channels = table(*csv, "channels")) {
                read_csv_channels(*channels);
            }
            csv->report_unknown_keys(&m_out.unknown);
        }
        imp->report_unknown_keys(&m_out.unknown);
    }

    // [import.csv.channels]: "微信" = "wechat", each value a channel id.
    void read_csv_channels(FieldReader& r) {
        for (auto&& [k, v] : r.table()) {
            std::string word(k.str());
            auto id = r.text(word);
            if (!id) {
                continue; // a wrong type, reported
            }
            if (auto ch = parse_channel(*id)) {
                m_out.config.csv_channels[trimmed(word)] = *ch;
            } else {
                r.problem(v.source(), tr("unknown channel '{}' for '{}' in "
                                         "[import.csv.channels]: expected one of {}",
                                         *id, word, channel_list()));
            }
        }
    }

    void read_review(FieldReader& r) {
        ReviewRules& v = m_out.config.review;
        v.allow_self = r.flag("allow_self").value_or(v.allow_self);
        v.min_length = static_cast<int>(r.integer("min_length", 0, 100000).value_or(v.min_length));
        if (r.get("placeholders", false)) {
            v.placeholders = r.texts("placeholders");
        }
        v.require_addressed = r.flag("require_addressed").value_or(v.require_addressed);
        r.report_unknown_keys(&m_out.unknown);
    }

    void read_assessment(FieldReader& r) {
        AssessmentWeights& w = m_out.config.assessment;
        w.on_time = r.number("on_time", 0, 1000).value_or(w.on_time);
        w.satisfaction = r.number("satisfaction", 0, 1000).value_or(w.satisfaction);
        w.first_review = r.number("first_review", 0, 1000).value_or(w.first_review);
        w.base = r.number("base", 0, 1000).value_or(w.base);
        w.late_penalty = r.number("late_penalty", 0, 1000).value_or(w.late_penalty);
        w.very_overdue_penalty =
            r.number("very_overdue_penalty", 0, 1000).value_or(w.very_overdue_penalty);
        w.return_penalty = r.number("return_penalty", 0, 1000).value_or(w.return_penalty);
        w.exemplary_bonus = r.number("exemplary_bonus", 0, 1000).value_or(w.exemplary_bonus);
        w.bonus_max = r.number("bonus_max", 0, 1000).value_or(w.bonus_max);
        w.min_cases = static_cast<int>(r.integer("min_cases", 0, 100000).value_or(w.min_cases));
        r.report_unknown_keys(&m_out.unknown);
    }

    void read_bulletin(FieldReader& r) {
        BulletinRules& b = m_out.config.bulletin;
        b.min_cases = static_cast<int>(r.integer("min_cases", 0, 100000).value_or(b.min_cases));
        b.list_size = static_cast<int>(r.integer("list_size", 0, 100).value_or(b.list_size));
        b.late_min = static_cast<int>(r.integer("late_min", 1, 100000).value_or(b.late_min));
        b.rejection_rate = r.number("rejection_rate", 0, 1).value_or(b.rejection_rate);
        b.unsatisfied_rate = r.number("unsatisfied_rate", 0, 1).value_or(b.unsatisfied_rate);
        if (r.table().contains("requirements")) {
            b.requirements = r.texts("requirements");
        }
        r.report_unknown_keys(&m_out.unknown);
    }

    // Units are referred to before or after they are defined, so the
    // references are checked once all [[unit]] tables are read.
    void check_references() {
        for (const auto& [id, node] : m_unit_refs) {
            if (node && node->is_string() && !m_out.config.find_unit(id)) {
                m_out.problems.emplace_back(
                    Position{m_path, node->source().begin.line, node->source().begin.column},
                    m_out.config.unknown_unit(id));
            }
        }
    }

    ConfigParse& m_out;
    const std::string& m_path;
    FieldReader m_root;
    std::vector<std::pair<std::string, const toml::node*>> m_unit_refs;
};

} // namespace

ConfigParse parse_config_text(std::string_view text, const std::string& path) {
    ConfigParse out;
    std::optional<toml::table> table = parse_toml(text, path, out.problems);
    if (!table) {
        return out;
    }
    ConfigReader(*table, path, out).read();
    if (!out.config.zone && out.problems.empty()) {
        out.config.zone = date::locate_zone(out.config.office.timezone);
    }
    return out;
}

Config parse_config(std::string_view text, const std::string& path) {
    ConfigParse p = parse_config_text(text, path);
    if (!p.problems.empty()) {
        throw p.problems.front();
    }
    return std::move(p.config);
}

} // namespace mailbox
