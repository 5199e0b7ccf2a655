#include "intake/import.hpp"

#include "format/mail.hpp"
#include "intake/csv_import.hpp"
#include "util/atomic_file.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace mailbox {

namespace {

class Import {
  public:
    Import(Intake& intake, const Mailbox& mailbox, const Context& ctx, const ImportEvents& events)
        : m_intake(intake), m_mailbox(mailbox), m_ctx(ctx), m_events(events) {}

    void file(const std::string& file, const std::string& encoding) {
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
        } catch (const Error& e) {
            fail(source, e.what()); // this letter only; the rest go on
            return;
        }
        const IntakeResult& r = done.result;
        if (r.already) {
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
        m_events.letter(done);
    }

    void fail(const std::string& source, const std::string& why) {
        ++m_report.failed;
        m_events.letter({source, {}, why});
    }

    Intake& m_intake;
    const Mailbox& m_mailbox;
    const Context& m_ctx;
    const ImportEvents& m_events;
    ImportReport m_report;
};

} // namespace

ImportReport import_files(Intake& intake, const Mailbox& mailbox, const Context& ctx,
                          const std::vector<std::string>& files, const std::string& encoding,
                          const ImportEvents& events) {
    Import run(intake, mailbox, ctx, events);
    for (const std::string& file : files) {
        run.file(file, encoding);
    }
    return run.done();
}

} // namespace mailbox
