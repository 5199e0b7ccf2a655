#pragma once
#include "util/text.hpp"
int f() {
    return getenv("X") != nullptr;
}
