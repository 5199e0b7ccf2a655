// toml++ describes what it could not parse in English: "Error while parsing
// key-value pair: expected value, saw '\n'". The clerk reads it in their
// own language, so its words are kept here as the catalogue's messages.
#pragma once

#include <string>
#include <string_view>

namespace mailbox {

// toml++'s description in the user's language: the scope ("key-value
// pair") and the detail ("expected value, saw …") looked up among toml++'s
// own words; a word not among them stays as toml++ wrote it, so that under
// LANG=C the description comes back unchanged.
std::string toml_problem(std::string_view description);

} // namespace mailbox
