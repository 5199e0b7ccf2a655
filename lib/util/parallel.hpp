// Work spread over the machine's cores.
#pragma once

#include <cstddef>
#include <functional>

namespace mailbox {

// Calls f(i) for every i below count, on up to 8 threads (one for every 64
// items at least), and returns when all are done. f must be safe to call
// from several threads at once on different i.
void for_each_in_parallel(std::size_t count, const std::function<void(std::size_t)>& f);

} // namespace mailbox
