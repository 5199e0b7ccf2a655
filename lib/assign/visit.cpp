#include "assign/visit.hpp"

#include "util/error.hpp"
#include "util/i18n.hpp"

#include <fmt/format.h>

namespace mailbox {

Changed visit_case(const Mailbox& m, const Context& ctx, const std::string& id,
                   const std::string& note, bool solved_on_site) {
    if (note.empty()) {
        throw UsageError(_("a visit needs a note of what was found (--note)"));
    }
    Case c = m.load(id);
    if (c.status == Status::closed) {
        throw GateRefused(tr("case {} is closed: reopen it before recording a visit", c.id));
    }
    c.solved_on_site = c.solved_on_site || solved_on_site;
    append_history(c, ctx.now, ctx.by, Action::visit,
                   solved_on_site ? say(ctx.record, {"{} (solved on site)", "{}（现场解决）"}, note)
                                  : note);
    return {c};
}

} // namespace mailbox
