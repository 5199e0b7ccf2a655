#include "store/init.hpp"

#include "store/git.hpp"
#include "store/merge_setup.hpp"
#include "util/atomic_file.hpp"
#include "util/error.hpp"
#include "util/i18n.hpp"

#include <fmt/format.h>

namespace mailbox {

namespace fs = std::filesystem;

std::vector<std::string> init_mailbox(const fs::path& dir, bool git, bool dry_run,
                                      const fs::path& tools) {
    if (fs::exists(dir / "mailbox.toml")) {
        throw UsageError(
            tr("'{}' already holds a mailbox (mailbox.toml); nothing changed", dir.string()));
    }
    std::vector<std::string> written{".gitignore", "cases/.gitkeep", "mailbox.toml"};
    if (git) {
        written.insert(written.begin(), ".gitattributes");
    }
    if (dry_run) {
        return written;
    }
    std::error_code ec;
    fs::create_directories(dir / "cases", ec);
    // What an init that was killed left: no mailbox here yet, so no one
    // else writes in these folders.
    remove_temp_files(dir);
    remove_temp_files(dir / "cases");
    if (ec) {
        throw SystemError(tr("can't create '{}': {}", (dir / "cases").string(), ec.message()));
    }
    fs::path ignore = dir / ".gitignore";
    std::string rules = fs::exists(ignore) ? read_file(ignore) : "";
    if (rules.find(".mailbox/") == std::string::npos) {
        if (!rules.empty() && rules.back() != '\n') {
            rules += '\n';
        }
        rules += "# this clone's lock and caches: rebuilt at will, never committed\n.mailbox/\n";
        rules += "# what a killed write leaves beside the file it was writing\n*.tmp.??????\n";
        rules +=
            "# notices, replies and bulletins: made again from the cases and templates\n/out/\n";
        write_file_atomically(ignore, rules);
    }
    // git keeps no empty folders; this one keeps cases/ in a fresh clone.
    if (!fs::exists(dir / "cases" / ".gitkeep")) {
        write_file_atomically(dir / "cases" / ".gitkeep", "");
    }
    // mailbox.toml last: until it exists, the folder is not a mailbox, so a
    // failed init can simply be run again.
    write_file_atomically(dir / "mailbox.toml", k_sample_config);
    if (git && !fs::exists(dir / ".git")) {
        GitResult r = run_git(dir, {"init", "-q"});
        if (r.status != 0) {
            throw SystemError(tr("'git init' failed in '{}': {}", dir.string(), r.out));
        }
    }
    if (git) {
        setup_merge_driver(dir, tools);
    }
    return written;
}

} // namespace mailbox
