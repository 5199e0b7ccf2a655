// What `check` says about a merge git could not finish: the paths it left
// unmerged, each with the way to finish it.
#pragma once

#include "util/error.hpp"

#include <filesystem>
#include <vector>

namespace mailbox {

std::vector<DataError> unmerged_problems(const std::filesystem::path& root);

} // namespace mailbox
