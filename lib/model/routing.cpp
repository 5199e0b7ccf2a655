#include "model/routing.hpp"

#include "util/word_finder.hpp"

namespace mailbox {

std::optional<Suggestion> suggest_category(const Config& config, std::string_view subject,
                                           std::string_view body) {
    std::vector<std::string> words;
    for (const Category& c : config.categories) {
        for (const Keyword& k : c.keywords) {
            words.push_back(k.word);
        }
    }
    WordFinder finder(std::move(words));
    std::vector<char> in_subject(finder.size()), in_body(finder.size());
    for (std::size_t w : finder.find(subject)) {
        in_subject[w] = 1;
    }
    for (std::size_t w : finder.find(body)) {
        in_body[w] = 1;
    }
    std::optional<Suggestion> best;
    std::size_t w = 0; // the keywords in the order given to the finder
    for (const Category& c : config.categories) {
        Suggestion s{c.id, c.unit, 0, {}};
        for (const Keyword& k : c.keywords) {
            if (!k.word.empty() && (in_subject[w] || in_body[w])) {
                s.score += k.weight * (in_subject[w] ? 2 : 1);
                s.matched.push_back(k.word);
            }
            ++w;
        }
        if (s.score > 0 && (!best || s.score > best->score)) {
            best = std::move(s);
        }
    }
    return best;
}

} // namespace mailbox
