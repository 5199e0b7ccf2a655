#include "util/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

namespace mailbox {

void for_each_in_parallel(std::size_t count, const std::function<void(std::size_t)>& f) {
    std::atomic<std::size_t> next{0};
    auto work = [&] {
        for (std::size_t k; (k = next++) < count;) {
            f(k);
        }
    };
    unsigned n = std::max(1u, std::min(std::thread::hardware_concurrency(), 8u));
    n = static_cast<unsigned>(std::min<std::size_t>(n, count / 64 + 1));
    std::vector<std::thread> threads;
    for (unsigned i = 1; i < n; ++i) {
        threads.emplace_back(work);
    }
    work();
    for (auto& t : threads) {
        t.join();
    }
}

} // namespace mailbox
