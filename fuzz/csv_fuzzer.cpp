// A web form's CSV export, as intake imports it: never a crash; the records
// start on increasing lines; every row that is not refused becomes a case
// that is written and read back with nothing lost. The bytes are read as
// UTF-8 and, as with --encoding gb18030, as GB18030.
#include "fuzz_common.hpp"
#include "intake/csv_import.hpp"
#include "intake/intake.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

using mailbox::fuzz::finding;

void check_records(std::string_view text) {
    unsigned line = 0;
    for (const mailbox::CsvRecord& r : mailbox::parse_csv(text, "form.csv")) {
        if (r.line <= line || r.fields.empty()) {
            finding("a CSV record out of order, or with no field");
        }
        line = r.line;
    }
}

// As mailbox-intake turns a row into a case.
void import(std::string_view bytes, const std::string& encoding) {
    static const mailbox::Context ctx{
        "/nonexistent", "clerk",
        mailbox::Timestamp{date::local_days{date::year{2026} / 11 / 25} + std::chrono::hours{9},
                           std::chrono::hours{8}},
        date::year{2026} / 11 / 25};
    for (const mailbox::CsvLetter& row :
         mailbox::read_csv_letters(bytes, "form.csv", encoding, mailbox::fuzz::sample_config())) {
        if (!row.error.empty()) {
            continue;
        }
        mailbox::Letter l;
        l.subject = row.subject;
        l.sender = row.sender;
        l.channel = row.channel.value_or(mailbox::Channel::web);
        l.received = row.received.value_or(ctx.now);
        l.body = row.body;
        l.content_hash = row.content_hash;
        try {
            mailbox::fuzz::require_round_trip(
                mailbox::make_case(std::move(l), ctx, "261125-0001AB"));
        } catch (const mailbox::Error&) {
            // A letter intake refuses, with its reason.
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view bytes(reinterpret_cast<const char*>(data), size);
    for (const char* encoding : {"utf-8", "gb18030"}) {
        try {
            import(bytes, encoding);
        } catch (const mailbox::Error&) {
            // Bad input said so; the reader is expected to throw these.
        }
    }
    try {
        check_records(bytes);
    } catch (const mailbox::Error&) {
    }
    return 0;
}
