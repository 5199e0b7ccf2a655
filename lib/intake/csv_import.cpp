#include "intake/csv_import.hpp"

#include "model/case_id.hpp"
#include "util/charset.hpp"
#include "util/error.hpp"
#include "util/i18n.hpp"
#include "util/text.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace mailbox {

std::vector<CsvRecord> parse_csv(std::string_view text, const std::string& path) {
    std::vector<CsvRecord> records;
    CsvRecord record{1, {}};
    std::string field;
    bool quoted = false, field_started = false;
    unsigned line = 1, quote_line = 0;
    auto end_field = [&] {
        record.fields.push_back(std::move(field));
        field.clear();
        field_started = false;
    };
    auto end_record = [&] {
        end_field();
        bool blank = record.fields.size() == 1 && record.fields[0].empty();
        if (!blank) {
            records.push_back(std::move(record));
        }
        record = CsvRecord{line + 1, {}};
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        char ch = text[i];
        if (quoted) {
            if (ch == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (ch == '"') {
                quoted = false;
            } else {
                if (ch == '\n') {
                    ++line;
                }
                field += ch;
            }
        } else if (ch == '"' && !field_started) {
            quoted = true;
            field_started = true;
            quote_line = line;
        } else if (ch == ',') {
            end_field();
        } else if (ch == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            continue; // CRLF: the LF ends the record
        } else if (ch == '\n') {
            end_record();
            ++line;
        } else {
            field += ch;
            field_started = true;
        }
    }
    if (quoted) {
        throw DataError(Position{path, quote_line, 1}, _("a quoted field is never closed"));
    }
    if (field_started || !record.fields.empty()) {
        end_record();
    }
    return records;
}

std::string content_hash(const std::string& subject, const std::string& from,
                         const std::string& received, const std::string& body) {
    std::uint64_t h = fnv1a(subject);
    for (const std::string* part : {&from, &received, &body}) {
        h = fnv1a(*part, h ^ 0x1f);
    }
    return fmt::format("{:016x}", h);
}

namespace {

std::string decode(std::string_view raw, const std::string& path, const std::string& encoding) {
    if (encoding == "gb18030") {
        auto text = to_utf8(raw, "GB18030");
        if (!text) {
            throw DataError(Position{path, 0, 0}, _("not valid GB18030 text"));
        }
        return *text;
    }
    if (encoding != "utf-8") {
        throw UsageError(tr("--encoding '{}': expected utf-8 or gb18030", encoding));
    }
    if (raw.starts_with("\xEF\xBB\xBF")) {
        raw.remove_prefix(3);
    }
    if (!is_valid_utf8(raw)) {
        throw DataError(Position{path, 0, 0},
                        _("not valid UTF-8; an export from Excel on a Chinese system needs "
                          "--encoding gb18030"));
    }
    return std::string(raw);
}

// What exports write in their channel column besides the ids; mailbox.toml's
// [import.csv.channels] adds words and may override these.
constexpr std::pair<std::string_view, Channel> k_channel_words[] = {
    {"网站", Channel::web},          {"网站留言", Channel::web}, {"电子邮件", Channel::email},
    {"来信", Channel::letter},       {"信件", Channel::letter},  {"来访", Channel::visit},
    {"电话", Channel::phone},        {"来电", Channel::phone},   {"微信", Channel::wechat},
    {"12345热线", Channel::hotline},
};

// "unknown channel '传真': expected …", naming every value that is taken.
std::string unknown_channel(const std::string& value, const Config& config) {
    std::vector<std::string> words;
    for (const auto& [word, channel] : k_channel_words) {
        words.emplace_back(word);
    }
    for (const auto& [word, channel] : config.csv_channels) {
        if (std::find(words.begin(), words.end(), word) == words.end() && !parse_channel(word)) {
            words.push_back(word);
        }
    }
    return tr("unknown channel '{}': expected {} or {}, or one of {} ([import.csv.channels] in "
              "mailbox.toml adds more)",
              value, channel_list_but_last(), last_channel(),
              fmt::format("{}", fmt::join(words, ", ")));
}

// A file may lack these columns: their fields are then empty in every row.
// The others may not: a letter needs its text, and its deadline counts from
// when it was received.
bool may_be_absent(const std::string& field) {
    return field == "email" || field == "phone" || field == "channel";
}

// "'电子邮箱', '联系电话'" and "import.csv.email, import.csv.phone", for
// "no column {} ({} in mailbox.toml)".
std::pair<std::string, std::string>
columns_and_keys(const std::vector<std::pair<std::string, std::string>>& absent) {
    std::string columns, keys;
    for (const auto& [field, column] : absent) {
        columns += (columns.empty() ? "'" : ", '") + column + "'";
        keys += (keys.empty() ? "import.csv." : ", import.csv.") + field;
    }
    return {columns, keys};
}

// Which field index each mapped case field reads.
std::map<std::string, std::size_t> map_columns(const CsvRecord& header, const std::string& path,
                                               const Config& config,
                                               std::vector<DataError>* warnings) {
    if (config.csv_columns.empty()) {
        throw DataError(Position{path, 0, 0},
                        _("mailbox.toml has no [import.csv] table mapping columns to case "
                          "fields"));
    }
    std::map<std::string, std::size_t> index;
    std::vector<std::pair<std::string, std::string>> missing, absent;
    for (const auto& [field, column] : config.csv_columns) {
        // Named, as clang before 16 cannot capture a structured binding.
        const std::string& wanted = column;
        auto it = std::find_if(header.fields.begin(), header.fields.end(),
                               [&](const std::string& h) { return trimmed(h) == wanted; });
        if (it != header.fields.end()) {
            index[field] = static_cast<std::size_t>(it - header.fields.begin());
        } else {
            (may_be_absent(field) ? absent : missing).emplace_back(field, column);
        }
    }
    if (!missing.empty()) {
        auto [columns, keys] = columns_and_keys(missing);
        throw DataError(Position{path, 1, 1},
                        tr("no column {} ({} in mailbox.toml)", columns, keys));
    }
    if (!absent.empty() && warnings) {
        auto [columns, keys] = columns_and_keys(absent);
        warnings->emplace_back(
            Position{path, 1, 1},
            tr("no column {} ({} in mailbox.toml): left empty in every row", columns, keys));
    }
    for (const char* needed : {"subject", "from", "body"}) {
        if (!index.count(needed)) {
            throw DataError(Position{path, 0, 0},
                            tr("[import.csv] in mailbox.toml maps no column to '{}'", needed));
        }
    }
    return index;
}

CsvLetter letter_of(const CsvRecord& r, std::size_t width,
                    const std::map<std::string, std::size_t>& columns, const Config& config) {
    CsvLetter l;
    l.line = r.line;
    auto get = [&](const char* field) -> std::string {
        auto it = columns.find(field);
        return it == columns.end() || it->second >= r.fields.size() ? "" : r.fields[it->second];
    };
    l.subject = trimmed(get("subject"));
    l.sender = {trimmed(get("from")), trimmed(get("email")), trimmed(get("phone"))};
    l.body = get("body");
    std::string when = trimmed(get("received"));
    l.content_hash = content_hash(l.subject, l.sender.name, when, l.body);
    if (r.fields.size() != width) {
        // Most often a quote left open or closed too early in the row.
        l.error = trn("{} field where the header has {}", "{} fields where the header has {}",
                      r.fields.size(), r.fields.size(), width);
    } else if (l.subject.empty()) {
        l.error = _("no subject");
    } else if (!when.empty() && !(l.received = parse_timestamp(when, config.zone))) {
        std::string why = why_no_such_day(when);
        l.error = why.empty() ? tr("'{}' is not a time (2019-02-28 11:25:05, 2019/2/28 11:25 or "
                                   "ISO 8601)",
                                   when)
                              : tr("'{}': {}", when, why);
    } else if (std::string channel = trimmed(get("channel")); !channel.empty()) {
        l.channel = csv_channel(channel, config);
        if (!l.channel) {
            l.error = unknown_channel(channel, config);
        }
    }
    if (l.sender.name.empty()) {
        l.sender.name = "匿名";
    }
    return l;
}

} // namespace

std::optional<Channel> csv_channel(std::string_view value, const Config& config) {
    if (auto it = config.csv_channels.find(std::string(value)); it != config.csv_channels.end()) {
        return it->second;
    }
    if (auto id = parse_channel(value)) {
        return id;
    }
    for (const auto& [word, channel] : k_channel_words) {
        if (value == word) {
            return channel;
        }
    }
    return std::nullopt;
}

std::vector<CsvLetter> read_csv_letters(std::string_view raw, const std::string& path,
                                        const std::string& encoding, const Config& config,
                                        std::vector<DataError>* warnings) {
    std::vector<CsvRecord> records = parse_csv(decode(raw, path, encoding), path);
    if (records.empty()) {
        throw DataError(Position{path, 0, 0}, _("empty: expected a header row"));
    }
    auto columns = map_columns(records.front(), path, config, warnings);
    std::vector<CsvLetter> letters;
    for (std::size_t i = 1; i < records.size(); ++i) {
        letters.push_back(letter_of(records[i], records.front().fields.size(), columns, config));
    }
    return letters;
}

} // namespace mailbox
