// Nonzero 64-bit keys numbered 0, 1, 2, … in the order first seen, looked up
// in two flat arrays (open addressing, linear probing). The classifier looks
// up hundreds of n-grams a letter, a hundred thousand letters an
// evaluation: std::unordered_map's nodes cost a cache miss each.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace mailbox {

class FlatIndex {
  public:
    // The key's number, if it has one. The key must not be 0.
    std::optional<std::uint32_t> find(std::uint64_t key) const;
    // The key's number, given the next one when it has none.
    std::uint32_t insert(std::uint64_t key);
    std::size_t size() const { return m_size; }
    // f(key, number) for every key, in no particular order.
    template <typename F>
    void for_each(F f) const {
        for (std::size_t i = 0; i < m_keys.size(); ++i) {
            if (m_keys[i] != 0) {
                f(m_keys[i], m_numbers[i]);
            }
        }
    }

  private:
    std::vector<std::uint64_t> m_keys; // 0: an empty slot
    std::vector<std::uint32_t> m_numbers;
    std::size_t m_size = 0;
    int m_bits = 0;

    std::size_t slot(std::uint64_t key) const;
    void grow();
};

} // namespace mailbox
