#include "store/merge_setup.hpp"

#include "store/git.hpp"
#include "util/atomic_file.hpp"
#include "util/i18n.hpp"
#include "util/text.hpp"

#include <fmt/format.h>

namespace mailbox {

namespace fs = std::filesystem;

namespace {

constexpr const char* k_attribute_line = "cases/** merge=mailbox";
// A path check-attr can ask about without it existing.
constexpr const char* k_probe = "cases/2026/probe.toml";

std::string shell_quote(const std::string& s) {
    std::string out = "'";
    for (char ch : s) {
        out += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
    }
    return out + "'";
}

std::string config_value(const fs::path& root, const std::string& key) {
    GitResult r = run_git(root, {"config", "--get", key});
    if (r.status != 0) {
        return {};
    }
    while (!r.out.empty() && r.out.back() == '\n') {
        r.out.pop_back();
    }
    return r.out;
}

void set_config(const fs::path& root, const std::string& key, const std::string& value) {
    GitResult r = run_git(root, {"config", "--local", key, value});
    if (r.status != 0) {
        throw SystemError(tr("git config {} failed: {}", key, r.out));
    }
}

bool attribute_set(const fs::path& root) {
    GitResult r = run_git(root, {"check-attr", "merge", "--", k_probe});
    return r.status == 0 && r.out.ends_with(": merge: mailbox\n");
}

bool add_attribute(const fs::path& root) {
    if (attribute_set(root)) {
        return false;
    }
    fs::path file = root / ".gitattributes";
    std::string text = fs::exists(file) ? read_file(file) : "";
    if (!text.empty() && text.back() != '\n') {
        text += '\n';
    }
    text += "# case files merge field by field and history entry by entry (mailbox-report "
            "setup-git)\n";
    text += k_attribute_line;
    text += '\n';
    write_file_atomically(file, text);
    return true;
}

} // namespace

std::string merge_driver_command(const fs::path& tools, bool recursive) {
    std::string flags = recursive ? " --recursive" : "";
    return fmt::format(
        "r={}; [ -x \"$r\" ] || r=$(command -v mailbox-report) || r=; "
        "if [ -n \"$r\" ]; then exec \"$r\" merge-file{} --marker-size %L %O %A %B %P; fi; "
        "echo \"mailbox-report not found: \"%P\" merged line by line\" >&2; "
        "exec git merge-file{} --marker-size %L -L ours -L base -L theirs %A %O %B",
        shell_quote((tools / "mailbox-report").string()), flags, recursive ? " --ours" : "");
}

std::vector<std::string> setup_merge_driver(const fs::path& root, const fs::path& tools) {
    if (!is_git_work_tree(root)) {
        throw UsageError(tr("'{}' is not in a git work tree: run 'git init' or clone the "
                            "office's repository first",
                            root.string()));
    }
    std::vector<std::string> changed;
    const std::vector<std::pair<std::string, std::string>> config{
        {"merge.mailbox.name", "mailbox case files: fields one by one, history by entry id"},
        {"merge.mailbox.driver", merge_driver_command(tools, false)},
        {"merge.mailbox.recursive", "mailbox-recursive"},
        {"merge.mailbox-recursive.name", "mailbox case files, inner merge of a criss-cross"},
        {"merge.mailbox-recursive.driver", merge_driver_command(tools, true)},
    };
    for (const auto& [key, value] : config) {
        if (config_value(root, key) != value) {
            set_config(root, key, value);
            if (changed.empty()) {
                changed.push_back(".git/config");
            }
        }
    }
    if (add_attribute(root)) {
        changed.push_back(".gitattributes");
    }
    return changed;
}

std::vector<DataError> merge_driver_problems(const fs::path& root) {
    std::vector<DataError> problems;
    if (!is_git_work_tree(root)) {
        return problems;
    }
    // A repository with no remote that never asked for the driver has no
    // other clone to merge with: nothing to set up yet.
    bool asked = attribute_set(root);
    if (!asked && trimmed(run_git(root, {"remote"}).out).empty()) {
        return problems;
    }
    if (config_value(root, "merge.mailbox.driver").empty() ||
        config_value(root, "merge.mailbox.recursive").empty()) {
        problems.emplace_back(Position{".git/config", 0, 0},
                              _("this clone has no merge driver for case files, so a pull that "
                                "meets a case two clones changed stops with a conflict; run "
                                "'mailbox-report setup-git'"));
    }
    if (!asked) {
        problems.emplace_back(Position{".gitattributes", 0, 0},
                              tr("case files are not sent to the merge driver; run "
                                 "'mailbox-report setup-git' and commit .gitattributes "
                                 "(it holds '{}')",
                                 k_attribute_line));
    }
    return problems;
}

} // namespace mailbox
