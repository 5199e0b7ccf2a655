// Who acts and when. Tools build it from flags, the environment and the
// clock; lib/ takes it as given and never reads those itself.
#pragma once

#include "util/timestamp.hpp"

#include <filesystem>
#include <string>

namespace mailbox {

struct Context {
    std::filesystem::path root;
    std::string by;
    Timestamp now;
    Day today;
};

} // namespace mailbox
