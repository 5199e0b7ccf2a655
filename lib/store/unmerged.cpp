#include "store/unmerged.hpp"

#include "model/case_id.hpp"
#include "store/casefile.hpp"
#include "store/git.hpp"
#include "util/i18n.hpp"

#include <fmt/format.h>

namespace mailbox {

namespace {

std::string case_id_of(const std::string& path) {
    std::string name = std::filesystem::path(path).stem().string();
    return parse_case_id(name) ? name : std::string();
}

std::string how_to_finish(const std::filesystem::path& root, const UnmergedPath& u) {
    if (!u.ours || !u.theirs) {
        return tr("unmerged after a failed git merge: changed on one side and deleted on the "
                  "other: keep it with 'git add {}' or drop it with 'git rm {}', then 'git "
                  "commit' (or 'git rebase --continue')",
                  u.path, u.path);
    }
    std::string id = case_id_of(u.path);
    if (!u.base && !id.empty()) {
        auto ours = staged_file(root, u.path, 2);
        auto theirs = staged_file(root, u.path, 3);
        if (ours && theirs && is_id_collision(*ours, *theirs)) {
            return tr("unmerged after a failed git merge: two different letters were "
                      "registered as {} in two clones; give one its own id with 'mailbox-intake "
                      "renumber {}', then 'git commit' (or 'git rebase --continue')",
                      id, id);
        }
    }
    return tr("unmerged after a failed git merge: resolve it (edit the conflict markers away and "
              "run check), 'git add {}', then 'git commit' (or 'git rebase --continue')",
              u.path);
}

} // namespace

std::vector<DataError> unmerged_problems(const std::filesystem::path& root) {
    std::vector<DataError> problems;
    for (const UnmergedPath& u : unmerged_paths(root)) {
        problems.emplace_back(Position{u.path, 0, 0}, how_to_finish(root, u));
    }
    return problems;
}

} // namespace mailbox
