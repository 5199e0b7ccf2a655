// Suggesting a category, and so a unit, from the keyword rules of
// mailbox.toml. A suggestion is stored on the case; assigning is a person's
// decision (mailbox-assign).
#pragma once

#include "model/classifier.hpp"
#include "model/config.hpp"
#include "util/word_finder.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mailbox {

struct Suggestion {
    std::string category;
    std::string unit;
    double score = 0;                 // learned: the category's confidence
    std::vector<std::string> matched; // the keywords found, in config order
    bool learned = false;             // by learned_suggestion, not keywords
};

// Each category scores the weights of its keywords found in the letter, a
// keyword counted once, twice its weight when it is in the subject. The
// highest score wins; a tie goes to the category listed first; no keyword
// found, no suggestion.
std::optional<Suggestion> suggest_category(const Config& config, std::string_view subject,
                                           std::string_view body);

// suggest_category for many letters: the keywords' finder is made once, not
// once a letter (an import of 10,000 letters made it 10,000 times).
class Router {
  public:
    explicit Router(const Config& config);
    std::optional<Suggestion> suggest(std::string_view subject, std::string_view body) const;

  private:
    const Config& m_config;
    WordFinder m_finder; // every category's keywords, in config order
};

// What the office's decided cases suggest for a letter no keyword routes
// (classifier.hpp), once they are [suggest] min_cases or more: the category
// guessed with [suggest] confidence or more, if mailbox.toml still has it;
// the unit guessed with that confidence, if mailbox.toml has it and the
// letter does not accuse it, else the category's own unit. Below the
// confidence, no suggestion: a wrong one costs the office more than none.
struct Learned {
    const Classifier& categories;
    const Classifier& units;
    std::size_t cases = 0; // the decided cases they learned from
};
std::optional<Suggestion> learned_suggestion(const Config& config, const Learned& learned,
                                             const Features& letter,
                                             const std::optional<std::string>& accused);

} // namespace mailbox
