// Importing: every letter of a batch of files (.csv in the columns of
// [import.csv], else .eml or mbox) registered one by one, so that a letter
// that cannot be registered is named and the rest go on.
#pragma once

#include "intake/intake.hpp"
#include "model/context.hpp"
#include "store/mailbox.hpp"

#include <functional>
#include <string>
#include <vector>

namespace mailbox {

// One letter of an import and what became of it.
struct ImportedLetter {
    std::string source; // where it was read: "web.csv:12", "inbox.mbox:3"
    IntakeResult result;
    std::string error; // why it could not be registered; empty when it was
};

struct ImportReport {
    std::vector<std::string> changed; // the files written, sorted, each once
    int registered = 0, already = 0, failed = 0;
    // Where the import stopped, when writing failed (the disk full, a case
    // id taken by another writer): the letters after it were not read.
    std::string stopped;
};

struct ImportEvents {
    std::function<void(const ImportedLetter&)> letter; // each letter, once written
    std::function<void(const std::string&)> warning;   // a file's or a letter's
};

// How much an import holds before writing: enough letters to share the
// syncs, few enough that a failure loses little work and that the last
// batch, written with nothing left to match, is short; the bytes, about,
// that the held cases take (each takes about three times that while it is
// written).
struct ImportBatch {
    std::size_t letters = 500;
    std::size_t bytes = std::size_t{8} << 20;
};

// Registers the letters of `files` in order; a CSV file is read in
// `encoding` (utf-8 or gb18030). A file that cannot be read counts as one
// failed letter. A CSV row without a time was received now. The cases are
// written a batch at a time (Intake::hold_writes), each while the next
// batch's letters are matched, each letter and warning reported, in order,
// once its batch is written; when a batch cannot be, its letters, and the
// letters matched meanwhile, fail and the import stops there.
ImportReport import_files(Intake& intake, const Mailbox& mailbox, const Context& ctx,
                          const std::vector<std::string>& files, const std::string& encoding,
                          const ImportEvents& events, const ImportBatch& batch = {});

} // namespace mailbox
