// `mailbox-intake renumber ID`: the way out of an id collision. Two clones
// that share a station and register in the same tenth of a second give two
// letters one id; the merge driver refuses to make them one case and leaves
// the path unmerged, with both letters in git's index.
#pragma once

#include "model/case.hpp"
#include "model/context.hpp"
#include "store/mailbox.hpp"

#include <string>
#include <vector>

namespace mailbox {

struct Renumbering {
    std::string id;     // the id both letters had, kept by the one registered first
    std::string new_id; // the other letter's
    // Every case to write: the one keeping the id, the renumbered one, and
    // those linked to it, which now name its new id.
    std::vector<Case> changed;
};

// Reads both letters from git's index. The new id keeps the day and tenth of
// a second and takes a station derived from the letter, so that two clones
// renumbering one collision agree. UsageError when `id` is not an unmerged
// collision. Writes nothing.
Renumbering renumber_collision(const Mailbox& mailbox, const std::string& id, const Context& ctx);

} // namespace mailbox
