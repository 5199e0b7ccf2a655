// One tool folder including another, and a header not spelled with its folder.
#pragma once
#include "assign/chase.hpp"
#include "mailbox.hpp"
