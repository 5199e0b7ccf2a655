// mailbox.toml as an office may write it: reading never crashes, whatever
// the text; a config that reads without a problem has its time zone, and
// its deadline rules give every case a due date on or after the day it was
// received.
#include "fuzz_common.hpp"
#include "model/calendar.hpp"
#include "model/config.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace {

void reckon_with(const mailbox::Config& config) {
    mailbox::Case c;
    c.status = mailbox::Status::assigned;
    c.received = mailbox::Timestamp{date::local_days{date::year{2026} / 9 / 30}, {}};
    c.assigned = c.received;
    if (!config.categories.empty()) {
        c.category = config.categories.front().id;
    }
    std::optional<mailbox::DueDate> due = mailbox::due_date(c, config);
    if (!due || due->day < c.received.day()) {
        mailbox::fuzz::finding("no due date, or one before the case was received");
    }
    mailbox::lateness(c, config, mailbox::add_days(due->day, 30));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        mailbox::ConfigParse p = mailbox::parse_config_text(text, "mailbox.toml");
        if (p.problems.empty()) {
            if (!p.config.zone) {
                mailbox::fuzz::finding("a config without problems has no time zone");
            }
            reckon_with(p.config);
        }
    } catch (const mailbox::Error&) {
        // Bad input said so; the reader is expected to throw these.
    }
    return 0;
}
