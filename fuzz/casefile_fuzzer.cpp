// A case file as a clerk may leave it after editing by hand: whatever it
// holds, reading it never crashes, and a case that reads without a problem
// is written back and read again unchanged (see require_round_trip).
#include "fuzz_common.hpp"
#include "store/casefile.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        mailbox::CaseParse p = mailbox::parse_case_text(text, "case.toml");
        if (p.value && p.problems.empty()) {
            mailbox::fuzz::require_round_trip(*p.value);
        }
    } catch (const mailbox::Error&) {
        // Bad input said so; the reader is expected to throw these.
    }
    return 0;
}
