#include "util/path_guard.hpp"

#include "util/error.hpp"
#include "util/i18n.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace mailbox {

namespace fs = std::filesystem;

namespace {

bool within(const fs::path& p, const fs::path& top) {
    auto [t, _] = std::mismatch(top.begin(), top.end(), p.begin(), p.end());
    return t == top.end();
}

fs::path resolved(const fs::path& p) {
    std::error_code ec;
    fs::path r = fs::weakly_canonical(p, ec);
    if (ec) {
        throw SystemError(tr("can't resolve '{}': {}", p.string(), ec.message()));
    }
    return r;
}

} // namespace

void check_inside_mailbox(const fs::path& root, const fs::path& relative) {
    const fs::path top = resolved(root);
    fs::path at = top;
    fs::path named;
    // One part at a time, so the error names the link, not the file below it.
    for (const fs::path& part : relative.lexically_normal()) {
        named /= part;
        fs::path next = at / part;
        std::error_code ec;
        if (fs::is_symlink(fs::symlink_status(next, ec))) {
            // weakly_canonical leaves a link to nowhere as it is: read it, so
            // a link to a folder not made yet is judged by where it points.
            fs::path to = fs::read_symlink(next, ec);
            next = to.is_absolute() ? to : at / to;
        }
        next = resolved(next);
        if (!within(next, top)) {
            throw DataError(
                Position{named.generic_string(), 0, 0},
                tr("a symbolic link leading outside the mailbox, to '{}'; refused", next.string()));
        }
        at = next;
    }
}

} // namespace mailbox
