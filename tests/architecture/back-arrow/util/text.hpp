// A util header that reaches up into store: the checker must refuse it.
#pragma once
#include "store/mailbox.hpp"
