// Who acts, when, and in which language the record is written. Tools build it
// from flags, the environment, the clock and mailbox.toml; lib/ takes it as
// given and never reads those itself.
#pragma once

#include "model/record_language.hpp"
#include "util/timestamp.hpp"

#include <filesystem>
#include <string>

namespace mailbox {

struct Context {
    std::filesystem::path root;
    std::string by;
    Timestamp now;
    Day today;
    Language record = Language::en; // the mailbox's: what history notes are written in
};

} // namespace mailbox
