// Reading mailbox.toml into a Config: every problem at its file:line:col,
// unknown keys apart (check reports them; the tools ignore them).
#pragma once

#include "model/config.hpp"
#include "util/error.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace mailbox {

struct ConfigParse {
    Config config;
    std::vector<DataError> problems; // each makes the config unusable
    std::vector<DataError> unknown;  // unknown keys: reported by check, else ignored
};

ConfigParse parse_config_text(std::string_view text, const std::string& path);

// Throws the first problem.
Config parse_config(std::string_view text, const std::string& path);

} // namespace mailbox
