#include "model/routing.hpp"

namespace mailbox {

std::optional<Suggestion> suggest_category(const Config& config, std::string_view subject,
                                           std::string_view body) {
    std::optional<Suggestion> best;
    for (const Category& c : config.categories) {
        Suggestion s{c.id, c.unit, 0, {}};
        for (const Keyword& k : c.keywords) {
            if (k.word.empty()) {
                continue;
            }
            bool in_subject = subject.find(k.word) != std::string_view::npos;
            if (in_subject || body.find(k.word) != std::string_view::npos) {
                s.score += k.weight * (in_subject ? 2 : 1);
                s.matched.push_back(k.word);
            }
        }
        if (s.score > 0 && (!best || s.score > best->score)) {
            best = std::move(s);
        }
    }
    return best;
}

} // namespace mailbox
