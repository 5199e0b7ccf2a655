#include "reply/review.hpp"

#include "reply/draft.hpp"
#include "store/cache/letter_index.hpp"
#include "util/error.hpp"
#include "util/i18n.hpp"
#include "util/text.hpp"

#include <algorithm>
#include <array>
#include <fmt/format.h>
#include <utf8proc.h>

namespace mailbox {

namespace {

// Words nearly every subject holds; they say nothing about which letter.
constexpr std::array<std::string_view, 24> k_common_words{
    "关于", "反映", "问题", "请求", "建议", "咨询", "投诉", "情况",
    "有关", "希望", "要求", "能否", "是否", "如何", "怎么", "为什么",
    "市民", "群众", "解决", "处理", "尽快", "的",   "了",   "吗"};

bool is_cjk(utf8proc_int32_t cp) {
    return (cp >= 0x3400 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0x20000 && cp <= 0x2FFFF);
}

std::vector<std::string> code_points(std::string_view s) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < s.size();) {
        utf8proc_int32_t cp;
        auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i),
                                  static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
        std::size_t len = n > 0 ? static_cast<std::size_t>(n) : 1;
        out.emplace_back(s.substr(i, len));
        i += len;
    }
    return out;
}

bool is_addressed(const CaseSummary& c, const std::string& text) {
    if (text.find(c.id) != std::string::npos) {
        return true;
    }
    std::vector<std::string> words = subject_keywords(c.subject);
    if (words.empty()) {
        return true; // nothing to look for
    }
    std::string lower = lower_ascii(text);
    auto found = std::count_if(words.begin(), words.end(), [&](const std::string& w) {
        return lower.find(w) != std::string::npos;
    });
    // A third of the subject's pairs: "建设路坑洼" is answered by any text
    // that speaks of 建设路 or 坑洼, not by a form letter.
    return found * 3 >= static_cast<long>(words.size());
}

void check_placeholders(const Draft& d, const ReviewRules& rules, std::vector<std::string>& out) {
    for (const std::string& p : rules.placeholders) {
        std::size_t at = p.empty() ? std::string::npos : d.text.find(p);
        if (at != std::string::npos) {
            auto line = 1 + std::count(d.text.begin(), d.text.begin() + at, '\n');
            out.push_back(tr("the answer still holds placeholder text '{}' (line {})", p, line));
        }
    }
}

} // namespace

std::vector<std::string> subject_keywords(std::string_view subject) {
    std::string s(subject);
    for (std::string_view w : k_common_words) {
        for (std::size_t at; (at = s.find(w)) != std::string::npos;) {
            s.replace(at, w.size(), " ");
        }
    }
    std::vector<std::string> words, run;
    std::string latin;
    auto flush = [&] {
        for (std::size_t i = 0; i + 1 < run.size(); ++i) {
            words.push_back(run[i] + run[i + 1]);
        }
        run.clear();
        if (latin.size() >= 2) {
            words.push_back(lower_ascii(latin));
        }
        latin.clear();
    };
    for (const std::string& ch : code_points(s)) {
        utf8proc_int32_t cp = 0;
        utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(ch.data()),
                         static_cast<utf8proc_ssize_t>(ch.size()), &cp);
        if (is_cjk(cp)) {
            if (!latin.empty()) {
                flush();
            }
            run.push_back(ch);
        } else if (cp < 0x80 && std::isalnum(cp)) {
            if (!run.empty()) {
                flush();
            }
            latin += ch;
        } else {
            flush();
        }
    }
    flush();
    std::sort(words.begin(), words.end());
    words.erase(std::unique(words.begin(), words.end()), words.end());
    return words;
}

std::vector<std::string> review_problems(const CaseSummary& c, const Config& config) {
    std::vector<std::string> out;
    if (!c.draft) {
        out.push_back(_("there is no draft to review"));
        return out;
    }
    const Draft& d = *c.draft;
    const ReviewRules& rules = config.review;
    if (d.outcome == Outcome::explained && d.basis.empty()) {
        out.push_back(_("outcome 'explained' needs its basis: the policy the answer rests on"));
    }
    if (d.outcome == Outcome::planned && d.steps.empty()) {
        out.push_back(_("outcome 'planned' needs its steps"));
    }
    if (d.outcome == Outcome::planned && !d.target_date) {
        out.push_back(_("outcome 'planned' needs a target date"));
    }
    if (std::size_t n = answer_length(d.text); static_cast<int>(n) < rules.min_length) {
        out.push_back(trn("the answer has {} character; at least {} are needed "
                          "(review.min_length)",
                          "the answer has {} characters; at least {} are needed "
                          "(review.min_length)",
                          n, n, rules.min_length));
    }
    check_placeholders(d, rules, out);
    if (rules.require_addressed && !is_addressed(c, d.text)) {
        std::vector<std::string> words = subject_keywords(c.subject);
        words.resize(std::min<std::size_t>(words.size(), 6));
        out.push_back(tr("the answer does not name the letter: neither the case id nor "
                         "enough of its subject's key words ({}) appear",
                         fmt::format("{}", fmt::join(words, C_("list separator", ", ")))));
    }
    return out;
}

namespace {

std::vector<Case> draft_group(const Mailbox& m, const std::string& id) {
    std::vector<Case> cases = LetterIndex(m).load_group(id);
    const CaseSummary& first = cases.front();
    if (!first.draft) {
        throw GateRefused(tr("case {} has no draft to review (mailbox-reply draft)", id));
    }
    if (!first.is_open()) {
        throw GateRefused(
            tr("case {} is {}: its answer was already sent", id, to_string(first.status)));
    }
    // The members waiting for this same answer. One drafted on its own and
    // linked later holds another text: approving the group would approve
    // it unread.
    std::erase_if(cases,
                  [](const CaseSummary& c) { return c.status != Status::assigned || !c.draft; });
    for (const Case& c : cases) {
        const Draft& d = *c.draft;
        if (d.text != first.draft->text || d.outcome != first.draft->outcome ||
            d.state != first.draft->state) {
            throw GateRefused(tr("case {} holds another answer than case {}: draft the "
                                 "group's one answer first (mailbox-reply draft {})",
                                 c.id, id, id));
        }
    }
    return cases;
}

} // namespace

Changed review_case(const Mailbox& m, const Context& ctx, const std::string& id,
                    const Verdict& verdict, std::vector<std::string>* problems) {
    if (verdict.exemplary && verdict.note.empty()) {
        throw UsageError(_("--exemplary needs a --note saying why the handling is exemplary"));
    }
    std::vector<Case> cases = draft_group(m, id);
    for (const Case& c : cases) {
        require_in_order(c, ctx);
    }
    const Draft& d = *cases.front().draft;
    if (d.by == ctx.by && !m.config().review.allow_self) {
        throw GateRefused(tr("case {}: {} drafted this answer and may not review it "
                             "(review.allow_self = false)",
                             id, ctx.by));
    }
    if (verdict.approve) {
        if (d.state == DraftState::approved) {
            throw GateRefused(tr("case {}: the draft is already approved", id));
        }
        if (d.state == DraftState::rejected) {
            throw GateRefused(
                tr("case {}: the draft was rejected; it needs a new draft first", id));
        }
        std::vector<std::string> found = review_problems(cases.front(), m.config());
        if (!found.empty()) {
            if (problems) {
                *problems = found;
            }
            throw GateRefused(trn("case {}: approval refused: {} check failed",
                                  "case {}: approval refused: {} checks failed", found.size(), id,
                                  found.size()));
        }
    } else if (verdict.note.empty()) {
        throw UsageError(_("a rejection needs a note saying what to change (--note)"));
    } else if (d.state == DraftState::rejected) {
        // Counted once: a unit's rejections are read in its assessment.
        throw GateRefused(tr("case {}: the draft is already rejected", id));
    }
    for (Case& c : cases) {
        Draft& cd = *c.draft;
        cd.state = verdict.approve ? DraftState::approved : DraftState::rejected;
        cd.rounds += 1;
        cd.reviewer = ctx.by;
        if (!verdict.approve && c.id == id) {
            // Once for the group's one answer, on the case reviewed.
            c.rejections.push_back(cd.unit.empty() ? c.handler.value_or("") : cd.unit);
        }
        if (verdict.approve && verdict.exemplary) {
            c.exemplary = verdict.note;
        }
        std::string note = verdict.note.empty() ? say(ctx.record, {"round {}", "第{}轮"}, cd.rounds)
                                                : say(ctx.record, {"round {}: {}", "第{}轮：{}"},
                                                      cd.rounds, verdict.note);
        append_history(c, ctx.now, ctx.by, verdict.approve ? Action::approve : Action::reject,
                       note);
        if (verdict.approve && verdict.exemplary) {
            append_history(c, ctx.now, ctx.by, Action::exemplary, verdict.note);
        }
    }
    return cases;
}

Changed mark_exemplary(const Mailbox& m, const Context& ctx, const std::string& id,
                       const std::string& note) {
    if (note.empty()) {
        throw UsageError(_("say why the handling is exemplary (--note)"));
    }
    std::vector<Case> cases = LetterIndex(m).load_group(id);
    const CaseSummary& first = cases.front();
    for (const Case& c : cases) {
        require_in_order(c, ctx);
    }
    bool approved = first.draft && first.draft->state == DraftState::approved;
    if (first.is_open() && !approved) {
        throw GateRefused(tr("case {} has no approved answer yet: only a handling reviewed or "
                             "answered can be exemplary",
                             id));
    }
    for (Case& c : cases) {
        c.exemplary = note;
        append_history(c, ctx.now, ctx.by, Action::exemplary, note);
    }
    return cases;
}

} // namespace mailbox
