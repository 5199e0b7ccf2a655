#include "assign/round.hpp"

#include "assign/digest.hpp"
#include "assign/supervise.hpp"
#include "store/cache/letter_index.hpp"
#include "util/i18n.hpp"

namespace mailbox {

namespace {

std::vector<RoundItem> due_today(const Config& config, Round round,
                                 const std::vector<IndexEntry>& entries, Day today) {
    switch (round) {
    case Round::chase:
        return chase_list(entries, config, today);
    case Round::supervise:
        return supervise_list(entries, config, today);
    case Round::digest:
        break;
    }
    return digest_list(entries, today);
}

} // namespace

RoundPlan plan_round(const Mailbox& m, const Context& ctx, Round round,
                     const std::vector<IndexEntry>& entries, bool notices) {
    RoundPlan plan;
    plan.items = due_today(m.config(), round, entries, ctx.today);
    // A round run for a past moment (--now) sees only the letters received
    // by then: a later one was not there to chase. One changed after it (a
    // clone's clock ahead) keeps its history in order and is left off,
    // said, while the round goes on for the others.
    std::erase_if(plan.items, [&](const RoundItem& item) {
        if (ctx.now < item.c.received) {
            return true;
        }
        std::optional<Timestamp> last = item.c.last_change();
        if (last && ctx.now < *last) {
            plan.later.push_back(tr("case {}: its last entry is at {}, after this round's "
                                    "moment: left off the list",
                                    item.c.id, last->iso()));
            return true;
        }
        return false;
    });
    const bool digest = round == Round::digest;
    if (!digest) {
        std::vector<std::pair<std::string, Day>> due;
        for (const RoundItem& item : plan.items) {
            if (item.due) {
                due.emplace_back(item.c.id, *item.due);
            }
        }
        plan.uncovered = uncovered_years(due, m.config().deadline);
        plan.unknown = take_unknown_handling(m, entries, plan.items);
    }
    if (notices) {
        plan.notices = digest ? std::vector{digest_page(m, ctx, plan.items, LetterIndex(m))}
                              : round_notices(m, ctx, round, plan.items);
    }
    return plan;
}

std::vector<std::string> run_round(const Mailbox& m, const Context& ctx, Round round,
                                   RoundPlan& plan, bool dry_run) {
    write_notices(m, plan.notices, dry_run);
    return record_round(m, ctx, round, plan.items, dry_run);
}

} // namespace mailbox
