#include "store/lost_history.hpp"

#include "store/git.hpp"
#include "util/atomic_file.hpp"
#include "util/i18n.hpp"

#include <fmt/format.h>
#include <map>
#include <sstream>

namespace mailbox {

namespace {

// A diff's `-id = "XXXXXX"` or `+id = …`: six characters is a history entry's id (a case's own
// id is longer).
std::string entry_id_of(std::string_view line) {
    if (line.empty()) {
        return "";
    }
    line.remove_prefix(1);
    constexpr std::string_view prefix = "id = \"";
    if (!line.starts_with(prefix) || line.size() != prefix.size() + 7 || line.back() != '"') {
        return "";
    }
    return std::string(line.substr(prefix.size(), 6));
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        lines.push_back(line);
    }
    return lines;
}

struct Side {
    std::string parent; // a commit
    std::string result; // a commit; empty for the work tree
    std::string base;   // what merge-file takes as the common ancestor
};

// One merge (or the work tree) against one parent: the ids the parent had
// in a case file that the result lost, by file.
std::map<std::string, std::vector<std::string>> lost_from(const std::filesystem::path& root,
                                                          const Side& side) {
    std::vector<std::string> args{"diff",          "-U0",          "--no-color", "--no-ext-diff",
                                  "--no-textconv", "--no-renames", side.parent};
    if (!side.result.empty()) {
        args.push_back(side.result);
    }
    args.insert(args.end(), {"--", "cases/"});
    GitResult diff = run_git(root, args);
    std::map<std::string, std::vector<std::string>> lost;
    if (diff.status != 0) {
        return lost;
    }
    EntryDiff d = parse_entry_diff(diff.out);
    for (const auto& [path, id] : d.removed) {
        if (!d.added.contains(id)) {
            lost[path].push_back(id);
        }
    }
    return lost;
}

// An entry lost in a merge and put back since is not lost.
bool in_file_today(const std::filesystem::path& root, const std::string& path,
                   const std::string& id) {
    try {
        return read_file(root / path).find(fmt::format("\nid = \"{}\"\n", id)) != std::string::npos;
    } catch (const Error&) {
        return false;
    }
}

std::string short_hash(const std::string& hash) {
    return hash.substr(0, 10);
}

DataError lost_problem(const Side& side, const std::string& path,
                       const std::vector<std::string>& ids) {
    std::string listed = fmt::format("{}", fmt::join(ids, ", "));
    std::string base = short_hash(side.base), parent = short_hash(side.parent);
    if (side.result.empty()) {
        return DataError(
            Position{path, 0, 0},
            trn("history lost: {} entry ({}): the work tree lacks it of {} (a conflict resolved "
                "by taking one side's file drops the other's history); put it back with: "
                "mailbox-report merge-file <(git show {}:{}) {} <(git show {}:{}) {}",
                "history lost: {} entries ({}): the work tree lacks them of {} (a conflict "
                "resolved by taking one side's file drops the other's history); put them back "
                "with: mailbox-report merge-file <(git show {}:{}) {} <(git show {}:{}) {}",
                ids.size(), ids.size(), listed, parent, base, path, path, parent, path, path));
    }
    return DataError(
        Position{path, 0, 0},
        trn("history lost: {} entry ({}): merge {} dropped it of its parent {} (a conflict "
            "resolved by taking one side's file drops the other's history); put it back with: "
            "mailbox-report merge-file <(git show {}:{}) {} <(git show {}:{}) {}",
            "history lost: {} entries ({}): merge {} dropped them of its parent {} (a conflict "
            "resolved by taking one side's file drops the other's history); put them back with: "
            "mailbox-report merge-file <(git show {}:{}) {} <(git show {}:{}) {}",
            ids.size(), ids.size(), listed, short_hash(side.result), parent, base, path, path,
            parent, path, path));
}

std::string merge_base(const std::filesystem::path& root, const std::vector<std::string>& commits) {
    std::vector<std::string> args{"merge-base"};
    args.insert(args.end(), commits.begin(), commits.end());
    GitResult r = run_git(root, args);
    return r.status == 0 && !r.out.empty() ? lines_of(r.out).front() : commits.front();
}

// Every side to compare, and whether its result is a merge to remember.
std::vector<Side> sides_of(const std::filesystem::path& root, const std::string& merge,
                           const std::vector<std::string>& parents) {
    std::string base = parents.size() > 1 ? merge_base(root, parents) : parents.front();
    std::vector<Side> sides;
    for (const std::string& p : parents) {
        sides.push_back({p, merge, base});
    }
    return sides;
}

std::filesystem::path verified_path(const std::filesystem::path& root) {
    return root / ".mailbox" / "verified-merges";
}

std::set<std::string> verified_merges(const std::filesystem::path& root) {
    std::set<std::string> verified;
    try {
        for (const std::string& line : lines_of(read_file(verified_path(root)))) {
            verified.insert(line);
        }
    } catch (const Error&) {
        // No cache yet, or deleted: every merge is read again.
    }
    return verified;
}

void remember(const std::filesystem::path& root, const std::set<std::string>& verified) {
    std::string text;
    for (const std::string& hash : verified) {
        text += hash + "\n";
    }
    try {
        std::filesystem::create_directories(root / ".mailbox");
        write_file_atomically(verified_path(root), text);
    } catch (const std::exception&) {
        // A cache only: the merges are read again next time.
    }
}

std::vector<DataError> check_side(const std::filesystem::path& root, const Side& side) {
    std::vector<DataError> problems;
    std::set<std::string> unmerged; // reported with their conflicts, checked once resolved
    if (side.result.empty()) {
        for (const UnmergedPath& u : unmerged_paths(root)) {
            unmerged.insert(u.path);
        }
    }
    for (auto& lost : lost_from(root, side)) {
        const std::string& path = lost.first; // clang 14's lambdas cannot capture a binding
        std::vector<std::string>& ids = lost.second;
        if (unmerged.contains(path)) {
            continue;
        }
        std::erase_if(ids, [&](const std::string& id) { return in_file_today(root, path, id); });
        if (!ids.empty()) {
            problems.push_back(lost_problem(side, path, ids));
        }
    }
    return problems;
}

std::vector<std::string> git_lines(const std::filesystem::path& root,
                                   const std::vector<std::string>& args) {
    GitResult r = run_git(root, args);
    return r.status == 0 ? lines_of(r.out) : std::vector<std::string>{};
}

} // namespace

EntryDiff parse_entry_diff(std::string_view diff) {
    EntryDiff d;
    std::string path;
    bool header = false, deleted = false;
    std::istringstream in{std::string(diff)};
    for (std::string line; std::getline(in, line);) {
        if (line.starts_with("diff --git ")) {
            path.clear();
            header = true;
            deleted = false;
        } else if (header) {
            if (line.starts_with("deleted file mode")) {
                deleted = true; // a case removed on purpose, not an entry lost
            } else if (line.starts_with("--- a/")) {
                path = line.substr(6);
            } else if (line.starts_with("@@")) {
                header = false;
            }
        } else if (std::string id = entry_id_of(line); id.empty()) {
            continue;
        } else if (line.starts_with("-") && !deleted && !path.empty()) {
            d.removed.emplace_back(path, id);
        } else if (line.starts_with("+")) {
            d.added.insert(id);
        }
    }
    return d;
}

std::vector<DataError> lost_history_problems(const std::filesystem::path& root) {
    std::vector<DataError> problems;
    if (!is_git_work_tree(root) ||
        git_lines(root, {"rev-parse", "-q", "--verify", "HEAD"}).empty()) {
        return problems;
    }
    std::set<std::string> verified = verified_merges(root);
    bool learned = false;
    for (const std::string& line : git_lines(root, {"log", "--merges", "--format=%H %P", "HEAD"})) {
        std::vector<std::string> words;
        std::istringstream split(line);
        for (std::string w; split >> w;) {
            words.push_back(w);
        }
        if (words.size() < 3 || verified.contains(words[0])) {
            continue;
        }
        std::vector<DataError> found;
        for (const Side& side :
             sides_of(root, words[0], std::vector<std::string>(words.begin() + 1, words.end()))) {
            auto more = check_side(root, side);
            found.insert(found.end(), more.begin(), more.end());
        }
        if (found.empty()) {
            verified.insert(words[0]);
            learned = true;
        }
        problems.insert(problems.end(), found.begin(), found.end());
    }
    if (learned) {
        remember(root, verified);
    }
    std::vector<std::string> parents{"HEAD"};
    if (!git_lines(root, {"rev-parse", "-q", "--verify", "MERGE_HEAD"}).empty()) {
        parents.push_back("MERGE_HEAD");
    }
    for (const Side& side : sides_of(root, "", parents)) {
        auto more = check_side(root, side);
        problems.insert(problems.end(), more.begin(), more.end());
    }
    return problems;
}

} // namespace mailbox
