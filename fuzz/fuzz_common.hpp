// What the fuzz targets share: the office's clock and sample mailbox.toml,
// and the property every letter keeps on its way into a case file.
#pragma once

#include "model/case.hpp"
#include "model/config.hpp"
#include "store/casefile.hpp"
#include "store/config_file.hpp"
#include "store/init.hpp"

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace mailbox::fuzz {

// A broken property: says which and aborts, so libFuzzer keeps the input.
[[noreturn]] inline void finding(const std::string& what) {
    std::fprintf(stderr, "fuzz finding: %s\n", what.c_str());
    std::abort();
}

inline const date::time_zone* shanghai() {
    static const date::time_zone* zone = date::locate_zone("Asia/Shanghai");
    return zone;
}

inline const Config& sample_config() {
    static const Config config = parse_config(k_sample_config, "mailbox.toml");
    return config;
}

// Writing a case and reading it back loses nothing: it parses without a
// problem, the fields a letter brings come back equal, and writing it again
// gives the same bytes.
inline void require_round_trip(const Case& c) {
    const std::string written = write_case(c);
    CaseParse back = parse_case_text(written, "written.toml", c.id);
    if (!back.problems.empty() || !back.value) {
        finding("a written case does not read back: " +
                (back.problems.empty() ? std::string("no value") : back.problems.front().what()) +
                "\n--- written ---\n" + written);
    }
    const Case& r = *back.value;
    bool same = r.id == c.id && r.subject == c.subject && r.body == c.body &&
                r.sender.name == c.sender.name && r.sender.email == c.sender.email &&
                r.sender.phone == c.sender.phone && r.received == c.received &&
                r.message_id == c.message_id && r.content_hash == c.content_hash &&
                r.attachments.size() == c.attachments.size() &&
                r.history.size() == c.history.size();
    for (std::size_t i = 0; same && i < c.attachments.size(); ++i) {
        same = r.attachments[i].name == c.attachments[i].name &&
               r.attachments[i].size == c.attachments[i].size &&
               r.attachments[i].kept == c.attachments[i].kept;
    }
    for (std::size_t i = 0; same && i < c.history.size(); ++i) {
        same = r.history[i].note == c.history[i].note && r.history[i].at == c.history[i].at;
    }
    if (!same) {
        finding("a case read back differs from the case written\n--- written ---\n" + written);
    }
    const std::string again = write_case(r);
    if (again != written) {
        finding("writing a case read back gives other bytes\n--- first ---\n" + written +
                "\n--- second ---\n" + again);
    }
}

} // namespace mailbox::fuzz
