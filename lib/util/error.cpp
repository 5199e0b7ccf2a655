#include "util/error.hpp"

#include <cerrno>
#include <cstring>

namespace mailbox {

std::string format_position(const Position& pos) {
    if (pos.line == 0) {
        return pos.path;
    }
    return pos.path + ":" + std::to_string(pos.line) + ":" + std::to_string(pos.column);
}

void throw_errno(const std::string& what) {
    throw SystemError(what + ": " + std::strerror(errno));
}

} // namespace mailbox
