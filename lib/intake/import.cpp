#include "intake/import.hpp"

#include "format/mail.hpp"
#include "intake/csv_import.hpp"
#include "util/atomic_file.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace mailbox {

namespace {

// Held letters are written together once this many cases or bytes of text
// are held: enough to share the syncs, few enough that a failure loses little
// work and memory stays small.
constexpr std::size_t k_hold_cases = 2000;
constexpr std::size_t k_hold_bytes = std::size_t{32} << 20;

class Import {
  public:
    Import(Intake& intake, const Mailbox& mailbox, const Context& ctx, const ImportEvents& events)
        : m_intake(intake), m_mailbox(mailbox), m_ctx(ctx), m_events(events) {}

    void file(const std::string& file, const std::string& encoding) {
        if (!m_report.stopped.empty()) {
            return;
        }
        try {
            if (file.ends_with(".csv") || file.ends_with(".CSV")) {
                csv(file, encoding);
            } else {
                mail(file);
            }
        } catch (const DataError& e) {
            fail(e.position.path.empty() ? file : format_position(e.position), e.description);
        } catch (const SystemError& e) {
            fail(file, e.what());
        }
    }

    ImportReport done() {
        flush();
        std::sort(m_report.changed.begin(), m_report.changed.end());
        m_report.changed.erase(std::unique(m_report.changed.begin(), m_report.changed.end()),
                               m_report.changed.end());
        return std::move(m_report);
    }

  private:
    void csv(const std::string& file, const std::string& encoding) {
        std::vector<DataError> warnings;
        std::vector<CsvLetter> rows =
            read_csv_letters(read_file(file), file, encoding, m_mailbox.config(), &warnings);
        for (const DataError& w : warnings) {
            m_events.warning(w.what());
        }
        for (CsvLetter& row : rows) {
            if (!m_report.stopped.empty()) {
                return;
            }
            std::string source = fmt::format("{}:{}", file, row.line);
            if (!row.error.empty()) {
                fail(source, row.error + "; row skipped");
                continue;
            }
            Letter l;
            l.subject = row.subject;
            l.sender = row.sender;
            l.channel = row.channel.value_or(Channel::web);
            l.received = row.received.value_or(m_ctx.now);
            l.body = row.body;
            l.content_hash = row.content_hash;
            add(source, std::move(l));
        }
    }

    void mail(const std::string& file) {
        for (MailItem& item : read_mail_file(file, file, m_mailbox.config().zone)) {
            if (!m_report.stopped.empty()) {
                return;
            }
            if (!item.letter) {
                fail(item.where, item.error);
                continue;
            }
            for (const std::string& note : item.letter->notes) {
                m_events.warning(fmt::format("{}: {}", item.where, note));
            }
            add(item.where, mail_letter(std::move(*item.letter), m_ctx.now));
        }
    }

    void add(const std::string& source, Letter letter) {
        ImportedLetter done{source, {}, {}};
        try {
            done.result = m_intake.add(std::move(letter));
        } catch (const SystemError& e) {
            // The disk failing, not the letter: what is held is written if
            // it can be, and the import stops.
            fail(source, e.what());
            flush();
            m_report.stopped = source;
            return;
        } catch (const Error& e) {
            fail(source, e.what()); // this letter only; the rest go on
            return;
        }
        m_waiting.push_back(std::move(done));
        if (m_intake.held() >= k_hold_cases || m_intake.held_bytes() >= k_hold_bytes) {
            flush();
        } else if (m_intake.held() == 0) {
            say_waiting();
        }
    }

    void fail(const std::string& source, const std::string& why) {
        m_waiting.push_back({source, {}, why});
        if (m_intake.held() == 0) {
            say_waiting();
        }
    }

    // Writes what the intake holds; when that fails, none of it was, so its
    // letters failed, and the import stops: the letters after them were
    // matched against cases that are not there.
    void flush() {
        try {
            m_intake.flush();
        } catch (const Error& e) {
            for (ImportedLetter& l : m_waiting) {
                if (l.error.empty() && !(l.result.already && m_mailbox.exists(*l.result.already))) {
                    l.error = fmt::format("not written: {}", e.what());
                }
            }
            if (!m_waiting.empty()) {
                m_report.stopped = m_waiting.back().source;
            }
        }
        say_waiting();
    }

    // What became of each letter, in the order read, once it is written.
    void say_waiting() {
        for (const ImportedLetter& l : m_waiting) {
            count(l);
            m_events.letter(l);
        }
        m_waiting.clear();
    }

    void count(const ImportedLetter& l) {
        const IntakeResult& r = l.result;
        if (!l.error.empty()) {
            ++m_report.failed;
        } else if (r.already) {
            ++m_report.already;
        } else {
            ++m_report.registered;
            m_report.changed.push_back(m_mailbox.case_path(r.c.id));
            for (const Attachment& a : r.c.attachments) {
                if (!a.kept.empty()) {
                    m_report.changed.push_back(a.kept);
                }
            }
            for (const std::string& id : r.c.group) {
                m_report.changed.push_back(m_mailbox.case_path(id));
            }
        }
    }

    Intake& m_intake;
    const Mailbox& m_mailbox;
    const Context& m_ctx;
    const ImportEvents& m_events;
    ImportReport m_report;
    std::vector<ImportedLetter> m_waiting; // done, not yet written
};

} // namespace

ImportReport import_files(Intake& intake, const Mailbox& mailbox, const Context& ctx,
                          const std::vector<std::string>& files, const std::string& encoding,
                          const ImportEvents& events) {
    intake.hold_writes();
    Import run(intake, mailbox, ctx, events);
    for (const std::string& file : files) {
        run.file(file, encoding);
    }
    return run.done();
}

} // namespace mailbox
