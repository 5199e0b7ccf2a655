// Times and days as clerks and web forms write them (--now, a CSV's
// received column, --due): never a crash; a time that reads is written
// (Timestamp::iso, as case files hold it) and read back the same, also
// inside a case file; a day that reads is a real day that reads back the
// same, and the deadline calendar counts from it.
#include "fuzz_common.hpp"
#include "model/calendar.hpp"
#include "util/timestamp.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

using mailbox::fuzz::finding;

void check_moment(const mailbox::Timestamp& t) {
    std::string iso = t.iso();
    auto back = mailbox::parse_timestamp(iso, mailbox::fuzz::shanghai());
    if (!back || !(*back == t)) {
        finding("a time does not read back from its own text " + iso);
    }
    if (!t.day().ok()) {
        finding("a time on no real day: " + iso);
    }
    mailbox::Case c;
    c.id = "261125-0001AB";
    c.received = t;
    c.subject = "s";
    c.sender.name = "n";
    mailbox::append_history(c, t, "clerk", mailbox::Action::received);
    mailbox::fuzz::require_round_trip(c);
    const mailbox::Config& config = mailbox::fuzz::sample_config();
    auto due = mailbox::due_day(c, config);
    if (!due || *due < t.day()) {
        finding("a due date before the day a letter came: " + iso);
    }
    mailbox::due_date(c, config);
    mailbox::lateness(c, config, mailbox::add_days(*due, 40));
}

void check_day(mailbox::Day d) {
    std::string iso = mailbox::iso_day(d);
    if (!d.ok() || mailbox::parse_day(iso) != d) {
        finding("a day does not read back from its own text " + iso);
    }
    const mailbox::DeadlineRules& rules = mailbox::fuzz::sample_config().deadline;
    mailbox::day_with_weekday(d);
    if (mailbox::add_working_days(d, 15, rules) <= d || mailbox::next_workday(d, rules) < d) {
        finding("counting working days goes back from " + iso);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    static const date::time_zone* zones[] = {mailbox::fuzz::shanghai(), date::locate_zone("UTC"),
                                             date::locate_zone("America/New_York")};
    try {
        for (const date::time_zone* zone : zones) {
            if (auto t = mailbox::parse_timestamp(text, zone)) {
                check_moment(*t);
            }
        }
        if (auto d = mailbox::parse_day(text)) {
            check_day(*d);
        }
    } catch (const mailbox::Error&) {
        // Bad input said so; the readers are expected to throw these.
    }
    return 0;
}
