// The quarterly bulletin (通报): the quarter's figures against the same
// quarter a year before, exemplary cases, the units named for late or
// careless handling, the office's requirements and a table per unit, in
// the order of a real official bulletin. Rendered from the templates
// bulletin.txt, bulletin.md and bulletin.html (see mailbox(5) for their
// variables); personal data is masked unless an internal copy is asked for.
#pragma once

#include "format/render.hpp"
#include "report/period.hpp"
#include "report/stats.hpp"
#include "store/cache/case_index.hpp"
#include "store/mailbox.hpp"

#include <string>
#include <vector>

namespace mailbox {

enum class BulletinFormat { txt, md, html };
std::optional<BulletinFormat> parse_bulletin_format(std::string_view s);
std::string_view to_string(BulletinFormat f);

struct BulletinOptions {
    BulletinFormat format = BulletinFormat::txt;
    bool mask = true;          // false: an internal copy, marked 内部资料
    std::string template_name; // default: bulletin.<format>
};

// Everything a bulletin template sees. The exemplary cases are read whole
// (their answers are not in the index).
TemplateData bulletin_data(const Mailbox& m, const std::vector<IndexEntry>& entries,
                           const Stats& quarter, const Stats& year_before,
                           const BulletinOptions& options);

// What the items of each of its lists hold, so that a template's names
// inside a list are checked in a quarter that leaves the list empty.
const ListItemKeys& bulletin_item_keys();

std::string render_bulletin(const Mailbox& m, const std::vector<IndexEntry>& entries,
                            const Period& quarter, const Timestamp& now,
                            const BulletinOptions& options);

// The units a bulletin names, from [bulletin]'s thresholds; exposed for tests.
struct Criticism {
    std::vector<const Row*> late;        // late or overdue cases >= late_min
    std::vector<const Row*> rejected;    // answers sent back above rejection_rate
    std::vector<const Row*> unsatisfied; // unsatisfied feedback above unsatisfied_rate
};
Criticism criticise(const Stats& s, const BulletinRules& rules);

// The red list (best) and the yellow list (worst) of ranked units: by on-time
// rate, then satisfaction; no unit is on both.
std::pair<std::vector<const Row*>, std::vector<const Row*>>
red_and_yellow(const Stats& s, const BulletinRules& rules);

} // namespace mailbox
