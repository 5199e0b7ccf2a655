// What the office's decided cases teach (model/classifier.hpp): a
// classifier of categories and one of lead units, kept in
// .mailbox/mailbox.db and brought up to date as the search index is. A case
// row written since it was last learned is read again: the labels it taught
// before (the table taught) are forgotten and its labels now learned, on the
// same features when its text is unchanged. A case whose file is gone is
// forgotten on the features of a case of the same text learned in its place
// (a renumbered case). A case whose text changed, or one gone with no such
// case, cannot be forgotten without the text it was learned from: the
// classifiers are then learned anew from every decided case. A case is decided when it has a
// category or a lead unit; a letter only registered teaches nothing.
#pragma once

#include "model/classifier.hpp"
#include "store/cache/database.hpp"
#include "store/mailbox.hpp"

#include <cstddef>
#include <memory>

namespace mailbox {

class LearnedSuggestions {
  public:
    explicit LearnedSuggestions(const Mailbox& mailbox);
    ~LearnedSuggestions();

    const Classifier& categories() const { return m_categories; }
    const Classifier& units() const { return m_units; }
    // How many decided cases the classifiers learned from.
    std::size_t cases() const;

    // What the update on opening did: cases read again, and whether it
    // learned everything anew.
    std::size_t relearned() const { return m_relearned; }
    bool anew() const { return m_anew; }

  private:
    void update();
    bool load();
    void learn_all();
    void save();

    const Mailbox& m_mailbox;
    std::unique_ptr<Database> m_db;
    Classifier m_categories, m_units;
    std::size_t m_relearned = 0;
    bool m_anew = false;
};

// The text a case is learned from, hashed: a case whose hash is unchanged
// has the features it was learned with.
std::int64_t taught_text_hash(std::string_view subject, std::string_view body);

} // namespace mailbox
