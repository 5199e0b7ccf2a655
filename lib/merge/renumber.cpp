#include "merge/renumber.hpp"

#include "merge/case_merge.hpp"
#include "model/case_id.hpp"
#include "store/casefile.hpp"
#include "store/git.hpp"
#include "util/error.hpp"
#include "util/i18n.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace mailbox {

namespace {

struct Letters {
    Case ours, theirs;
};

Letters staged_letters(const Mailbox& mailbox, const std::string& id) {
    std::string path = mailbox.case_path(id);
    auto unmerged = unmerged_paths(mailbox.root());
    auto it = std::find_if(unmerged.begin(), unmerged.end(),
                           [&](const UnmergedPath& u) { return u.path == path; });
    std::optional<std::string> ours, theirs;
    if (it != unmerged.end() && it->ours && it->theirs) {
        ours = staged_file(mailbox.root(), path, 2);
        theirs = staged_file(mailbox.root(), path, 3);
    }
    if (!ours || !theirs || !is_id_collision(*ours, *theirs)) {
        throw UsageError(tr("{} is not left unmerged by a git merge with two different "
                            "letters under one id: nothing to renumber",
                            id));
    }
    return {parse_case(*ours, path + " (ours)"), parse_case(*theirs, path + " (theirs)")};
}

// Who registered first keeps the id: the same answer in every clone.
bool registered_first(const Case& a, const Case& b) {
    auto when = [](const Case& c) {
        return c.history.empty() ? c.received.sys() : c.history.front().at.sys();
    };
    return std::pair(when(a), write_case(a)) <= std::pair(when(b), write_case(b));
}

std::string fresh_id(const Mailbox& mailbox, const std::string& id, const Case& moved) {
    CaseIdParts parts = *parse_case_id(id);
    std::uint64_t h = fnv1a(write_case(moved));
    for (int attempt = 0; attempt < 4096; ++attempt) {
        std::string station = crockford(h + static_cast<std::uint64_t>(attempt), 2);
        if (station == parts.station) {
            continue;
        }
        CaseIdParts p = parts;
        p.station = station;
        std::string candidate = make_case_id(p);
        if (!mailbox.exists(candidate)) {
            return candidate;
        }
    }
    throw SystemError(tr("no free id near {}", id));
}

void relink(std::vector<std::string>& group, const std::string& from, const std::string& to) {
    std::replace(group.begin(), group.end(), from, to);
    std::sort(group.begin(), group.end());
}

} // namespace

Renumbering renumber_collision(const Mailbox& mailbox, const std::string& id, const Context& ctx) {
    Letters l = staged_letters(mailbox, id);
    bool ours_first = registered_first(l.ours, l.theirs);
    Case kept = ours_first ? l.ours : l.theirs;
    Case moved = ours_first ? l.theirs : l.ours;
    Renumbering r{id, fresh_id(mailbox, id, moved), {}};
    moved.id = r.new_id;
    append_history(moved, ctx.now, ctx.by, Action::renumber,
                   say(ctx.record,
                       {"was {0}: two clones registered two letters as {0}",
                        "原编号{0}：两个副本将两封来信都登记为{0}"},
                       id));
    r.changed = {kept, moved};
    for (const std::string& other : moved.group) {
        if (!mailbox.exists(other)) {
            continue;
        }
        Case linked = mailbox.load(other);
        if (std::find(linked.group.begin(), linked.group.end(), id) != linked.group.end()) {
            relink(linked.group, id, r.new_id);
            r.changed.push_back(std::move(linked));
        }
    }
    return r;
}

} // namespace mailbox
