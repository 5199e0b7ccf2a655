#include "model/routing.hpp"

#include "util/word_finder.hpp"

namespace mailbox {

namespace {

std::vector<std::string> keywords(const Config& config) {
    std::vector<std::string> words;
    for (const Category& c : config.categories) {
        for (const Keyword& k : c.keywords) {
            words.push_back(k.word);
        }
    }
    return words;
}

} // namespace

std::optional<Suggestion> suggest_category(const Config& config, std::string_view subject,
                                           std::string_view body) {
    return Router(config).suggest(subject, body);
}

Router::Router(const Config& config) : m_config(config), m_finder(keywords(config)) {}

std::optional<Suggestion> Router::suggest(std::string_view subject, std::string_view body) const {
    std::vector<char> in_subject(m_finder.size()), in_body(m_finder.size());
    for (std::size_t w : m_finder.find(subject)) {
        in_subject[w] = 1;
    }
    for (std::size_t w : m_finder.find(body)) {
        in_body[w] = 1;
    }
    std::optional<Suggestion> best;
    std::size_t w = 0; // the keywords in the order given to the finder
    for (const Category& c : m_config.categories) {
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

std::optional<Suggestion> learned_suggestion(const Config& config, const Learned& learned,
                                             const Features& letter,
                                             const std::optional<std::string>& accused) {
    double sure = config.suggest.confidence;
    if (learned.cases < static_cast<std::size_t>(config.suggest.min_cases)) {
        return std::nullopt;
    }
    std::optional<Guess> category = learned.categories.classify(letter);
    const Category* c = category ? config.find_category(category->label) : nullptr;
    if (!c || category->confidence < sure) {
        return std::nullopt;
    }
    Suggestion s{c->id, c->unit, category->confidence, {}, true};
    std::optional<Guess> unit = learned.units.classify(letter);
    if (unit && unit->confidence >= sure && config.find_unit(unit->label) &&
        unit->label != accused) {
        s.unit = unit->label;
    }
    if (s.unit == accused) {
        s.unit.clear(); // a person chooses who handles a letter against its unit
    }
    return s;
}

} // namespace mailbox
