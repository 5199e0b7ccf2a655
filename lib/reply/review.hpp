// The quality review (审核): the gate every answer passes before it is sent.
// The machine checks of mailbox.toml's [review] run first and block an
// approval; then the reviewer's word is recorded for the whole group.
#pragma once

#include "model/case.hpp"
#include "model/config.hpp"
#include "model/context.hpp"
#include "store/mailbox.hpp"

#include <string>
#include <vector>

namespace mailbox {

// What the machine checks find wrong with a case's draft, one sentence
// each; empty when it may be approved.
std::vector<std::string> review_problems(const CaseSummary& c, const Config& config);

// The subject's key words as the "addressed" check looks for them: the
// pairs of characters of its Chinese text without the words every letter
// uses (关于, 问题, 反映, ...), and its Latin words and numbers.
std::vector<std::string> subject_keywords(std::string_view subject);

struct Verdict {
    bool approve = false;
    std::string note; // required to reject: what to change
    bool exemplary = false;
};

// Approves or rejects the draft of the case and of its group. GateRefused
// when there is no draft to review, when the reviewer drafted it (unless
// review.allow_self), or, for an approval, when a machine check fails: the
// failures are put in `problems` first.
Changed review_case(const Mailbox& m, const Context& ctx, const std::string& id,
                    const Verdict& verdict, std::vector<std::string>* problems = nullptr);

// Marks the handling of the case and its group as exemplary, for the
// bulletin. Only an approved or answered case can be.
Changed mark_exemplary(const Mailbox& m, const Context& ctx, const std::string& id,
                       const std::string& note);

} // namespace mailbox
