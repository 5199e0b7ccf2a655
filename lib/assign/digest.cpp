#include "assign/digest.hpp"

#include "format/render.hpp"
#include "model/mask.hpp"
#include "store/templates.hpp"
#include "util/i18n.hpp"
#include "util/text.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace mailbox {

namespace {

using data = TemplateData;

Day registered_day(const CaseSummary& c) {
    return c.history.empty() ? c.received.day() : c.history.front().at.day();
}

std::string category_name(const Config& config, const std::optional<std::string>& id) {
    const Category* cat = id ? config.find_category(*id) : nullptr;
    return cat ? cat->name : id.value_or("");
}

std::string masked_sender(const Sender& s, bool mask) {
    std::string out = mask ? mask_name(s.name) : s.name;
    // Nothing to mask is nothing to show, not "****".
    std::string phone = mask && !s.phone.empty() ? mask_phone(s.phone) : s.phone;
    std::string email = mask && !s.email.empty() ? mask_email(s.email) : s.email;
    for (const std::string* contact : {&phone, &email}) {
        if (!contact->empty()) {
            out += "　" + *contact;
        }
    }
    return out;
}

data letter_data(const Mailbox& m, const Case& c, std::size_t number, const LetterIndex& letters) {
    const Config& config = m.config();
    data d;
    d.set("number", std::to_string(number));
    d.set("id", c.id);
    d.set("received", c.received.iso().substr(0, 16).replace(10, 1, " "));
    d.set("channel", std::string(chinese_name(c.channel)));
    d.set("sender", masked_sender(c.sender, config.digest.mask_sender));
    // A restricted letter (举报) goes to the secretary by hand, not on a page
    // that passes through other hands.
    d.set("subject", c.restricted ? std::string("举报件（标题及内容另行呈阅）") : c.subject);
    d.set("restricted", c.restricted);
    std::string text = one_line(c.body);
    if (config.digest.mask_sender) {
        text = mask_text(text, {c.sender.name});
    }
    d.set("summary", c.restricted ? std::string() : first_chars(text, config.digest.summary_chars));
    d.set("suggested_unit", unit_name(config, c.suggested_unit));
    d.set("suggested_category", category_name(config, c.suggested_category));
    d.set("has_suggested_category", c.suggested_category.has_value());
    d.set("has_suggestion", c.suggested_unit.has_value() || c.suggested_category.has_value());
    std::string returned;
    for (const std::string& u : c.returned_by) {
        returned += (returned.empty() ? "" : "、") + unit_name(config, u);
    }
    d.set("returned_by", returned);
    d.set("is_returned", c.is_returned());
    data earlier{data::type::list};
    for (const SenderCase& s : sender_cases(m, letters, c)) {
        data e;
        e.set("id", s.id);
        e.set("received", iso_day(s.received.day()));
        e.set("subject", s.subject);
        e.set("status", std::string(to_string(s.status)));
        earlier.push_back(e);
    }
    d.set("has_earlier", !earlier.list_value().empty());
    d.set("earlier", earlier);
    std::string linked;
    for (const std::string& id : c.group) {
        linked += (linked.empty() ? "" : "、") + id;
    }
    d.set("linked", linked);
    d.set("has_linked", !linked.empty());
    return d;
}

} // namespace

std::vector<RoundItem> digest_list(const std::vector<IndexEntry>& entries, Day today) {
    std::vector<std::pair<Timestamp, RoundItem>> found;
    for (const IndexEntry& e : entries) {
        if (!e.summary || e.summary->status != Status::received) {
            continue;
        }
        const CaseSummary& c = *e.summary;
        std::optional<Day> last = last_day_of(c, Action::digest);
        if (registered_day(c) <= today && (!last || *last == today)) {
            Timestamp at = c.history.empty() ? c.received : c.history.front().at;
            found.emplace_back(
                at, RoundItem{c, std::nullopt, 0, Lateness::none, c.is_returned(), false});
        }
    }
    std::stable_sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first < b.first : a.second.c.id < b.second.c.id;
    });
    std::vector<RoundItem> items;
    for (auto& f : found) {
        items.push_back(std::move(f.second));
    }
    return items;
}

Notice digest_page(const Mailbox& m, const Context& ctx, const std::vector<RoundItem>& items,
                   const LetterIndex& letters) {
    const Config& config = m.config();
    data d = office_data(config, ctx);
    d.set("count", std::to_string(items.size()));
    data list{data::type::list};
    for (const RoundItem& item : items) {
        list.push_back(letter_data(m, m.load(item.c.id), list.list_value().size() + 1, letters));
    }
    d.set("letters", list);
    d.set("has_letters", !items.empty());
    return {"out/notices/" + iso_day(ctx.today) + "/digest.html",
            render(load_template(m, "digest.html"), d, Escape::html)};
}

Value digest_row(const RoundItem& item, const Config& config) {
    const CaseSummary& c = item.c;
    return Value(Value::Object{
        {"id", c.id},
        {"received", c.received.iso()},
        {"channel", std::string(to_string(c.channel))},
        {"subject", c.subject},
        {"suggested_unit", c.suggested_unit},
        {"suggested_unit_name",
         c.suggested_unit ? Value(unit_name(config, c.suggested_unit)) : Value()},
        {"suggested_category", c.suggested_category},
        {"returned", item.returned},
        {"restricted", c.restricted},
        {"group", Value::texts(c.group)},
        {"recorded", item.recorded},
    });
}

Value digest_table_row(const RoundItem& item, const Config& config) {
    Value::Object o = *digest_row(item, config).object();
    for (auto& [key, value] : o) {
        if (key == "channel") {
            value = Value(channel_shown(item.c.channel));
        }
    }
    return Value(std::move(o));
}

const std::vector<Column>& digest_columns(Format format) {
    static const std::vector<Column> table{{"id", _("ID")},
                                           {"received", _("RECEIVED")},
                                           {"channel", _("CHANNEL")},
                                           {"suggested_unit", _("UNIT?")},
                                           {"subject", _("SUBJECT")}};
    static const std::vector<Column> fields = columns_of(digest_row(RoundItem{}, Config{}));
    return format == Format::table ? table : fields;
}

} // namespace mailbox
