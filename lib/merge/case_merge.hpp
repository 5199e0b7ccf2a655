// The merge driver's core: three versions of one case file in, one out.
// git merges lines, and two clones that each append a history entry to one
// case touch the same lines; a case is a set of fields and a set of history
// entries with ids, so merged as such it conflicts only where two clerks
// really disagree.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mailbox {

struct CaseMergeOptions {
    int marker_size = 7;
    // The inner merge of a criss-cross (merge.mailbox.recursive): its result is
    // only the base of the outer merge, so where the sides disagree it keeps
    // the base and never writes a marker.
    bool recursive = false;
    std::string ours_label = "ours";
    std::string theirs_label = "theirs";
};

struct CaseMerge {
    std::string text;
    int conflicts = 0;              // fields left between conflict markers
    bool collision = false;         // two different letters under one id: ours kept as it was
    std::vector<std::string> notes; // what the clerk pulling should know
};

// The merge of `ours` and `theirs` since `base` (empty when both added the
// file). Treats both sides alike but for the labels. nullopt when an input is
// not a case file that parses cleanly (conflict markers included), or when the
// merged fields would not make one: a line merge is all that can be done then.
std::optional<CaseMerge> merge_case_files(std::string_view base, std::string_view ours,
                                          std::string_view theirs,
                                          const CaseMergeOptions& options = {});

} // namespace mailbox
