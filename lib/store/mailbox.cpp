#include "store/mailbox.hpp"

#include "model/case_id.hpp"
#include "store/casefile.hpp"
#include "store/config_file.hpp"
#include "util/atomic_file.hpp"
#include "util/i18n.hpp"

#include <algorithm>
#include <cctype>
#include <dirent.h>
#include <fmt/format.h>
#include <random>
#include <sys/stat.h>
#include <unistd.h>

namespace mailbox {

namespace fs = std::filesystem;

namespace {

// The folder holding mailbox.toml: `start` or the nearest above it.
std::optional<fs::path> mailbox_above(const fs::path& start) {
    for (fs::path dir = start;; dir = dir.parent_path()) {
        if (fs::exists(dir / "mailbox.toml")) {
            return dir;
        }
        if (dir == dir.parent_path()) {
            return std::nullopt;
        }
    }
}

} // namespace

fs::path find_mailbox(const std::optional<fs::path>& dir_flag,
                      const std::optional<std::string>& env_dir, const fs::path& cwd) {
    if (dir_flag) {
        // As git -C: the command runs as if started there, so a folder inside
        // the mailbox (its cases/) finds the mailbox above.
        fs::path start = (cwd / *dir_flag).lexically_normal();
        if (auto dir = mailbox_above(start)) {
            return *dir == start ? *dir_flag
                                 : (*dir_flag / dir->lexically_relative(start)).lexically_normal();
        }
        throw UsageError(tr("no mailbox.toml in '{}' or any folder above it (from -C); "
                            "run 'mailbox-intake init {}' to make one",
                            dir_flag->string(), dir_flag->string()));
    }
    if (env_dir && !env_dir->empty()) {
        if (!fs::exists(fs::path(*env_dir) / "mailbox.toml")) {
            throw UsageError(tr("no mailbox.toml in '{}' (from MAILBOX_DIR); run "
                                "'mailbox-intake init {}' to make one",
                                *env_dir, *env_dir));
        }
        return *env_dir;
    }
    if (auto dir = mailbox_above(cwd)) {
        return *dir;
    }
    throw UsageError(_("not in a mailbox: no mailbox.toml here or in any parent folder; use -C "
                       "DIR or MAILBOX_DIR, or 'mailbox-intake init'"));
}

fs::path state_dir(const fs::path& root) {
    return root / ".mailbox";
}

Mailbox::Mailbox(fs::path root) : m_root(std::move(root)) {
    std::string text = read_file(m_root / "mailbox.toml");
    ConfigParse p = parse_config_text(text, "mailbox.toml");
    if (!p.problems.empty()) {
        throw p.problems.front();
    }
    m_config = std::move(p.config);
    m_unknown = std::move(p.unknown);
}

std::string Mailbox::case_path(const std::string& id) const {
    auto year = case_id_year(id);
    if (!year || !parse_case_id(id)) {
        // Ids come from people and scripts: never let one become a path
        // outside cases/.
        throw UsageError(tr("'{}' is not a case id: expected YYMMDD-TTTTSS", id));
    }
    return fmt::format("cases/{}/{}.toml", *year, id);
}

namespace {

// The names in one folder ending in .toml, without reading any file.
std::vector<std::string> toml_names(const fs::path& dir) {
    std::vector<std::string> names;
    DIR* d = opendir(dir.c_str());
    if (!d) {
        return names;
    }
    while (dirent* e = readdir(d)) {
        std::string_view name = e->d_name;
        if (name.size() > 5 && name.ends_with(".toml") && name[0] != '.') {
            names.emplace_back(name);
        }
    }
    closedir(d);
    return names;
}

std::vector<std::string> year_folders(const fs::path& cases) {
    std::vector<std::string> years;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(cases, ec)) {
        std::string name = e.path().filename().string();
        if (name.size() == 4 && std::all_of(name.begin(), name.end(), ::isdigit) &&
            e.is_directory()) {
            years.push_back(name);
        }
    }
    std::sort(years.begin(), years.end());
    return years;
}

} // namespace

std::vector<CaseFile> Mailbox::case_files() const {
    std::vector<CaseFile> files;
    for (const std::string& year : year_folders(m_root / "cases")) {
        for (std::string& name : toml_names(m_root / "cases" / year)) {
            std::string id = name.substr(0, name.size() - 5);
            files.push_back({"cases/" + year + "/" + name, std::move(id)});
        }
    }
    std::sort(files.begin(), files.end(),
              [](const CaseFile& a, const CaseFile& b) { return a.path < b.path; });
    return files;
}

std::vector<std::string> Mailbox::temp_files() const {
    return temp_files_in(m_root);
}

std::vector<std::string> temp_files_in(const fs::path& root) {
    std::vector<std::string> files;
    // Every folder the tools write in: the root (mailbox.toml, .gitignore,
    // .gitattributes), case folders, kept messages, output and caches.
    std::vector<std::string> folders{"", "originals", "templates"};
    for (const std::string& year : year_folders(root / "cases")) {
        folders.push_back("cases/" + year);
    }
    for (const char* tree : {"out", ".mailbox"}) {
        folders.emplace_back(tree);
        std::error_code ec;
        for (fs::recursive_directory_iterator it(root / tree, ec), end; !ec && it != end;
             it.increment(ec)) {
            if (it->is_directory(ec) && !it->is_symlink(ec)) {
                folders.push_back(fs::relative(it->path(), root, ec).generic_string());
            }
        }
    }
    for (const std::string& folder : folders) {
        for (const std::string& name : temp_names(root / folder)) {
            files.push_back(folder.empty() ? name : folder + "/" + name);
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

std::vector<std::string> Mailbox::case_years() const {
    return year_folders(m_root / "cases");
}

std::vector<std::string> Mailbox::case_ids_in(const std::string& year) const {
    std::vector<std::string> ids = toml_names(m_root / "cases" / year);
    for (std::string& id : ids) {
        id.resize(id.size() - 5);
    }
    return ids;
}

std::string Mailbox::resolve_id(std::string_view typed) const {
    std::string prefix = normalize_case_id(typed);
    if (prefix.empty()) {
        throw UsageError(_("empty case id"));
    }
    if (parse_case_id(prefix)) {
        if (!exists(prefix)) {
            throw UsageError(tr("no case '{}'", prefix));
        }
        return prefix;
    }
    // A date's digits come first; anything else is the part after the date
    // ("9PHM" of 260315-9PHMK7), as short ids are typed in taskwarrior.
    bool after_date =
        prefix.find('-') == std::string::npos &&
        !std::all_of(prefix.begin(), prefix.begin() + std::min<std::size_t>(6, prefix.size()),
                     [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)); });
    std::vector<std::string> matches;
    auto year = after_date ? std::nullopt : case_id_year(prefix);
    for (const std::string& y : year_folders(m_root / "cases")) {
        if (year && y != std::to_string(*year)) {
            continue;
        }
        for (const std::string& name : toml_names(m_root / "cases" / y)) {
            bool match = after_date ? name.size() > 7 && name.compare(7, prefix.size(), prefix) == 0
                                    : name.starts_with(prefix);
            if (match) {
                matches.push_back(name.substr(0, name.size() - 5));
            }
        }
    }
    if (matches.empty()) {
        throw UsageError(tr("no case matches '{}'", std::string(typed)));
    }
    if (matches.size() > 1) {
        std::sort(matches.begin(), matches.end());
        std::string some;
        for (std::size_t i = 0; i < matches.size() && i < 5; ++i) {
            some += (i ? ", " : "") + matches[i];
        }
        std::string was(typed);
        if (matches.size() > 5) {
            throw UsageError(trn("'{}' is ambiguous: {} case matches ({}, ...)",
                                 "'{}' is ambiguous: {} cases match ({}, ...)", matches.size(), was,
                                 matches.size(), some));
        }
        throw UsageError(trn("'{}' is ambiguous: {} case matches ({})",
                             "'{}' is ambiguous: {} cases match ({})", matches.size(), was,
                             matches.size(), some));
    }
    return matches.front();
}

bool Mailbox::exists(const std::string& id) const {
    struct stat st {};
    return stat(absolute(case_path(id)).c_str(), &st) == 0;
}

Case Mailbox::load(const std::string& id) const {
    std::string rel = case_path(id);
    return parse_case(read_file(absolute(rel)), rel, id);
}

void Mailbox::save(const Case& c) const {
    std::string rel = case_path(c.id);
    fs::path path = absolute(rel);
    fs::create_directories(path.parent_path());
    write_file_atomically(path, write_case(c));
}

void Mailbox::save_all(const std::vector<Case>& cases) const {
    std::vector<FileWrite> files;
    for (const Case& c : cases) {
        fs::path path = absolute(case_path(c.id));
        fs::create_directories(path.parent_path());
        files.push_back({path, write_case(c), false});
    }
    write_files_atomically(files);
}

void Mailbox::save_new(const Case& c, const std::vector<Case>& changed) const {
    save_new(std::vector<Case>{c}, changed);
}

void Mailbox::save_new(const std::vector<Case>& fresh, const std::vector<Case>& changed) const {
    std::vector<FileWrite> files;
    for (const Case& c : fresh) {
        fs::path path = absolute(case_path(c.id));
        std::error_code ec;
        if (fs::create_directories(path.parent_path(), ec); ec) {
            throw SystemError(
                tr("can't make the folder '{}': {}", path.parent_path().string(), ec.message()));
        }
        files.push_back({path, write_case(c), true});
    }
    for (const Case& other : changed) {
        files.push_back({absolute(case_path(other.id)), write_case(other), false});
    }
    write_files_atomically(files);
}

std::string Mailbox::station(bool persist) const {
    if (!m_station.empty()) {
        return m_station;
    }
    fs::path file = state_dir(m_root) / "station";
    std::error_code ec;
    if (fs::exists(file, ec)) {
        std::string s = read_file(file);
        s.erase(std::remove_if(s.begin(), s.end(), ::isspace), s.end());
        s = normalize_case_id(s);
        if (is_valid_station(s)) {
            return m_station = s;
        }
    }
    // A clone's station is random, so clones need no coordination.
    std::random_device rd;
    std::string s = crockford(rd(), 2);
    if (persist) {
        fs::create_directories(state_dir(m_root));
        write_file_atomically(file, s + "\n");
        m_station = s;
    }
    return s;
}

std::string Mailbox::new_case_id(const Timestamp& now, Reserve reserve) const {
    CaseIdParts parts;
    parts.day = now.day();
    auto since_midnight = now.local - date::local_seconds{date::local_days{parts.day}};
    parts.tenths = static_cast<std::uint32_t>(since_midnight.count() * 10);
    parts.station = station(reserve != Reserve::no);
    // Strictly increasing within this clone, so a batch registered within one
    // tenth of a second still gets distinct, ordered ids.
    fs::path last_file = state_dir(m_root) / "last-id";
    std::error_code ec;
    if (!m_last_id_read) {
        if (fs::exists(last_file, ec)) {
            m_last_in_file = read_file(last_file);
            std::erase_if(m_last_in_file, ::isspace);
        }
        m_last_id_read = true;
    }
    for (const std::string* last : {&m_last_in_file, &m_last_issued}) {
        if (auto p = parse_case_id(*last); p && p->day == parts.day && p->tenths >= parts.tenths) {
            parts.tenths = p->tenths + 1;
        }
    }
    for (; parts.tenths < k_tenths_per_day; ++parts.tenths) {
        std::string id = make_case_id(parts);
        if (!exists(id)) {
            m_last_issued = id;
            if (reserve == Reserve::now) {
                keep_last_id();
            }
            return id;
        }
    }
    throw DataError(tr("no free case id left for {}", iso_day(parts.day)));
}

// Unsynced: two syncs a letter were a third of an import's time, and a
// last-id lost in a power cut costs only the order of the next ids (an id
// whose file exists is never reused).
void Mailbox::keep_last_id() const {
    if (!m_last_issued.empty() && m_last_issued != m_last_in_file) {
        write_file_unsynced(state_dir(m_root) / "last-id", m_last_issued + "\n");
        m_last_in_file = m_last_issued;
    }
}

} // namespace mailbox
