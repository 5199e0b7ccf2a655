#include "util/flat_index.hpp"

namespace mailbox {

// Fibonacci hashing: the high bits of the key times 2^64/φ, so that keys
// alike in their low bits (n-grams ending in one character) spread.
std::size_t FlatIndex::slot(std::uint64_t key) const {
    return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ull) >> (64 - m_bits));
}

std::optional<std::uint32_t> FlatIndex::find(std::uint64_t key) const {
    if (m_keys.empty()) {
        return std::nullopt;
    }
    std::size_t mask = m_keys.size() - 1;
    for (std::size_t i = slot(key);; i = (i + 1) & mask) {
        if (m_keys[i] == key) {
            return m_numbers[i];
        }
        if (m_keys[i] == 0) {
            return std::nullopt;
        }
    }
}

std::uint32_t FlatIndex::insert(std::uint64_t key) {
    if ((m_size + 1) * 2 > m_keys.size()) {
        grow(); // at most half full: probes stay short
    }
    std::size_t mask = m_keys.size() - 1;
    for (std::size_t i = slot(key);; i = (i + 1) & mask) {
        if (m_keys[i] == key) {
            return m_numbers[i];
        }
        if (m_keys[i] == 0) {
            m_keys[i] = key;
            m_numbers[i] = static_cast<std::uint32_t>(m_size);
            return static_cast<std::uint32_t>(m_size++);
        }
    }
}

void FlatIndex::grow() {
    std::vector<std::uint64_t> keys = std::move(m_keys);
    std::vector<std::uint32_t> numbers = std::move(m_numbers);
    m_bits = m_bits ? m_bits + 1 : 10;
    m_keys.assign(std::size_t{1} << m_bits, 0);
    m_numbers.assign(m_keys.size(), 0);
    std::size_t mask = m_keys.size() - 1;
    for (std::size_t k = 0; k < keys.size(); ++k) {
        if (keys[k] != 0) {
            std::size_t i = slot(keys[k]);
            while (m_keys[i] != 0) {
                i = (i + 1) & mask;
            }
            m_keys[i] = keys[k];
            m_numbers[i] = numbers[k];
        }
    }
}

} // namespace mailbox
