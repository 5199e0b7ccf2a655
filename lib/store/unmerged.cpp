#include "store/unmerged.hpp"

#include "model/case_id.hpp"
#include "store/casefile.hpp"
#include "store/git.hpp"

#include <fmt/format.h>

namespace mailbox {

namespace {

constexpr std::string_view k_finish = "then 'git commit' (or 'git rebase --continue')";

std::string case_id_of(const std::string& path) {
    std::string name = std::filesystem::path(path).stem().string();
    return parse_case_id(name) ? name : std::string();
}

std::string how_to_finish(const std::filesystem::path& root, const UnmergedPath& u) {
    if (!u.ours || !u.theirs) {
        return fmt::format("changed on one side and deleted on the other: keep it with 'git add "
                           "{0}' or drop it with 'git rm {0}', {1}",
                           u.path, k_finish);
    }
    std::string id = case_id_of(u.path);
    if (!u.base && !id.empty()) {
        auto ours = staged_file(root, u.path, 2);
        auto theirs = staged_file(root, u.path, 3);
        if (ours && theirs && is_id_collision(*ours, *theirs)) {
            return fmt::format("two different letters were registered as {0} in two clones; "
                               "give one its own id with 'mailbox-intake renumber {0}', {1}",
                               id, k_finish);
        }
    }
    return fmt::format("resolve it (edit the conflict markers away and run check), 'git add "
                       "{}', {}",
                       u.path, k_finish);
}

} // namespace

std::vector<DataError> unmerged_problems(const std::filesystem::path& root) {
    std::vector<DataError> problems;
    for (const UnmergedPath& u : unmerged_paths(root)) {
        problems.emplace_back(Position{u.path, 0, 0},
                              "unmerged after a failed git merge: " + how_to_finish(root, u));
    }
    return problems;
}

} // namespace mailbox
