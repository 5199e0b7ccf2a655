#include "report/search.hpp"

#include "store/cache/letter_index.hpp"
#include "store/cache/search_index.hpp"
#include "store/casefile.hpp"
#include "util/atomic_file.hpp"
#include "util/i18n.hpp"
#include "util/text.hpp"

#include <algorithm>
#include <cmath>

namespace mailbox {

namespace {

constexpr std::size_t k_chars_before = 12;
constexpr std::size_t k_chars_after = 36;

std::size_t char_start(std::string_view s, std::size_t i) {
    while (i > 0 && i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) {
        --i;
    }
    return i;
}

// The byte offset n characters before (or after) `at`, not past the text.
std::size_t chars_back(std::string_view s, std::size_t at, std::size_t n) {
    while (n-- > 0 && at > 0) {
        at = char_start(s, at - 1);
    }
    return at;
}
std::size_t chars_ahead(std::string_view s, std::size_t at, std::size_t n) {
    while (n-- > 0 && at < s.size()) {
        ++at;
        while (at < s.size() && (static_cast<unsigned char>(s[at]) & 0xC0) == 0x80) {
            ++at;
        }
    }
    return at;
}

// The first query part with letters in it, as typed.
std::string first_part(std::string_view query) {
    std::string_view rest = strip(query);
    std::size_t end = rest.find_first_of(" \t");
    return std::string(rest.substr(0, end));
}

// Where the passage is: the first field holding the query's first part
// (ASCII letters in any case); else the start of the letter, as the index
// matched on text folded further (full-width forms) than this finds.
void place_passage(Found& f, const Case& c, std::string_view query) {
    SearchText text = search_text(c);
    std::string part = lower_ascii(first_part(query));
    for (auto [name, field] : {std::pair{"subject", &text.subject},
                               {"body", &text.body},
                               {"notes", &text.notes},
                               {"replies", &text.replies}}) {
        std::size_t at = part.empty() ? std::string::npos : lower_ascii(*field).find(part);
        if (at == std::string::npos) {
            continue;
        }
        std::string_view s = *field;
        std::size_t from = chars_back(s, at, k_chars_before);
        std::size_t to = chars_ahead(s, at + part.size(), k_chars_after);
        f.field = name;
        f.before = one_line(s.substr(from, at - from), false);
        f.match = one_line(s.substr(at, part.size()), false);
        f.after = one_line(s.substr(at + part.size(), to - at - part.size()), false);
        return;
    }
    f.field = "body";
    f.after = one_line(std::string_view(text.body).substr(
        0, chars_ahead(text.body, 0, k_chars_before + k_chars_after)));
}

} // namespace

Search search_cases(const Mailbox& m, std::string_view query, const ListFilter& filter, Day today,
                    std::size_t limit) {
    SearchIndex index(m);
    std::optional<LetterIndex> letters; // opened at the first hit, for groups
    Search result;
    index.search(query, [&](SearchHit&& hit) {
        if (!matches(*hit.entry.summary, filter, m.config(), today)) {
            return true;
        }
        Found f{std::move(*hit.entry.summary), hit.rank, {}, {}, {}, {}};
        try {
            Case now = m.load(f.summary.id);
            if (!matches(now, filter, m.config(), today)) {
                return true; // changed in place since the cache read it
            }
            place_passage(f, now, query);
            if (!letters) {
                letters.emplace(m);
            }
            now.group = letters->group_of(now); // the whole group, as list gives it
            f.summary = summarize(std::move(now));
        } catch (const Error&) {
            // Changed or gone since the cache read it: listed as the cache
            // has it, without a passage.
        }
        result.found.push_back(std::move(f));
        return !limit || result.found.size() < limit;
    });
    result.broken = index.broken();
    return result;
}

Value search_record(const Found& f, const Config& config, Day today, int sender_cases) {
    Value::Object o = *case_record(f.summary, config, today, sender_cases).object();
    // bm25 is lower for a better match; a score reads the other way.
    o.emplace_back("score", std::round(-f.rank * 10000) / 10000);
    o.emplace_back("field", f.field);
    o.emplace_back("passage", f.before + f.match + f.after);
    o.emplace_back("match", f.match);
    return Value(std::move(o));
}

Value search_table_row(const Value& record) {
    Value::Object o = *list_table_row(record).object();
    std::string passage = record.get("passage")->cell();
    std::string match = record.get("match")->cell();
    if (std::size_t at = match.empty() ? std::string::npos : passage.find(match);
        at != std::string::npos) {
        passage.replace(at, match.size(), "【" + match + "】");
    }
    auto it =
        std::find_if(o.begin(), o.end(), [](const auto& kv) { return kv.first == "passage"; });
    if (it != o.end()) {
        it->second = passage;
    } else {
        o.emplace_back("passage", passage);
    }
    return Value(std::move(o));
}

const std::vector<Column>& search_columns() {
    static const std::vector<Column> columns{{"id", _("ID")},
                                             {"status", _("STATUS")},
                                             {"handler", _("UNIT")},
                                             {"subject", _("SUBJECT")},
                                             {"passage", _("PASSAGE")}};
    return columns;
}

const std::vector<Column>& search_fields() {
    static const std::vector<Column> fields = [] {
        std::vector<Column> f = list_fields();
        for (const char* key : {"score", "field", "passage", "match"}) {
            f.push_back({key, key});
        }
        return f;
    }();
    return fields;
}

} // namespace mailbox
