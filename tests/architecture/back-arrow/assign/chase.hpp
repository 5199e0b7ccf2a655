#pragma once
#include "store/mailbox.hpp"
