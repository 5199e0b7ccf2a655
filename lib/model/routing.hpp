// Suggesting a category, and so a unit, from the keyword rules of
// mailbox.toml. A suggestion is stored on the case; assigning is a person's
// decision (mailbox-assign).
#pragma once

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
    double score = 0;
    std::vector<std::string> matched; // the keywords found, in config order
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

} // namespace mailbox
