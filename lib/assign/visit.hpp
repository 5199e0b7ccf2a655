// On-site visits (现场督查): staff go to see the problem, and some problems
// are solved on the spot; the bulletin counts both.
#pragma once

#include "assign/assign.hpp"

namespace mailbox {

// Records the visit in the one case named (not its group): a closed case is
// refused (GateRefused). Returns the case changed, to be saved.
Changed visit_case(const Mailbox& m, const Context& ctx, const std::string& id,
                   const std::string& note, bool solved_on_site);

} // namespace mailbox
