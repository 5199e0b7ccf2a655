#include "intake/import.hpp"

#include "format/mail.hpp"
#include "intake/csv_import.hpp"
#include "util/atomic_file.hpp"
#include "util/i18n.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <optional>
#include <set>

namespace mailbox {

namespace {

class Import {
  public:
    Import(Intake& intake, const Mailbox& mailbox, const Context& ctx, const ImportEvents& events,
           const ImportBatch& batch)
        : m_intake(intake), m_mailbox(mailbox), m_ctx(ctx), m_events(events), m_batch(batch) {}

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
    // Letters done and warnings given, in order, to be said once written.
    struct Waiting {
        std::optional<ImportedLetter> letter;
        std::string warning;
    };

    void csv(const std::string& file, const std::string& encoding) {
        std::vector<DataError> warnings;
        std::vector<CsvLetter> rows =
            read_csv_letters(read_file(file), file, encoding, m_mailbox.config(), &warnings);
        for (const DataError& w : warnings) {
            warn(w.what());
        }
        for (CsvLetter& row : rows) {
            if (!m_report.stopped.empty()) {
                return;
            }
            std::string source = fmt::format("{}:{}", file, row.line);
            if (!row.error.empty()) {
                fail(source, tr("{}; row skipped", row.error));
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
            for (const Note& note : item.letter->notes) {
                warn(fmt::format("{}: {}", item.where, note.in(m_ctx.record)));
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
        m_waiting.push_back({std::move(done), {}});
        said();
    }

    void fail(const std::string& source, const std::string& why) {
        m_waiting.push_back({ImportedLetter{source, {}, why}, {}});
        said();
    }

    void warn(std::string warning) {
        m_waiting.push_back({std::nullopt, std::move(warning)});
        said();
    }

    // Says what waits when nothing is held or being written; has it written
    // once enough is held, while the next letters are matched.
    void said() {
        if (m_intake.held_letters() >= m_batch.letters || m_intake.held_bytes() >= m_batch.bytes ||
            m_waiting.size() >= m_batch.letters) {
            if (!finish()) {
                return;
            }
            try {
                m_intake.start_flush();
            } catch (const Error& e) {
                not_written(e.what());
                say(m_waiting);
                return;
            }
            m_writing = std::move(m_waiting);
            m_waiting.clear();
        } else if (m_intake.held() == 0 && m_writing.empty()) {
            say(m_waiting);
        }
    }

    // Waits for the batch being written and says what became of it. When
    // it could not be written, none of it was, so its letters failed, and
    // so did those matched after them, against cases that are not there:
    // the import stops.
    bool finish() {
        try {
            m_intake.finish_flush();
        } catch (const Error& e) {
            m_waiting.insert(m_waiting.begin(), std::make_move_iterator(m_writing.begin()),
                             std::make_move_iterator(m_writing.end()));
            m_writing.clear();
            not_written(e.what());
            say(m_waiting);
            return false;
        }
        say(m_writing);
        return true;
    }

    // Writes what the intake holds, after the batch being written.
    void flush() {
        if (!finish()) {
            return;
        }
        try {
            m_intake.flush();
        } catch (const Error& e) {
            not_written(e.what());
        }
        say(m_waiting);
    }

    void not_written(const std::string& why) {
        std::set<std::string> batch; // the ids it drew, now taken by no case
        for (const Waiting& w : m_waiting) {
            if (w.letter && w.letter->error.empty() && !w.letter->result.already) {
                batch.insert(w.letter->result.c.id);
            }
        }
        for (Waiting& w : m_waiting) {
            if (!w.letter || !w.letter->error.empty()) {
                continue;
            }
            const std::optional<std::string>& already = w.letter->result.already;
            if (!already || batch.count(*already)) {
                w.letter->result = {};
                w.letter->error = tr("not written: {}", why);
            }
        }
        for (auto w = m_waiting.rbegin(); w != m_waiting.rend() && m_report.stopped.empty(); ++w) {
            if (w->letter) {
                m_report.stopped = w->letter->source; // the last one read
            }
        }
    }

    // What became of each letter, in the order read, once it is written.
    void say(std::vector<Waiting>& said) {
        for (const Waiting& w : said) {
            if (w.letter) {
                count(*w.letter);
                m_events.letter(*w.letter);
            } else {
                m_events.warning(w.warning);
            }
        }
        said.clear();
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
    const ImportBatch& m_batch;
    ImportReport m_report;
    std::vector<Waiting> m_waiting;
    std::vector<Waiting> m_writing; // a batch's, said once written
};

} // namespace

ImportReport import_files(Intake& intake, const Mailbox& mailbox, const Context& ctx,
                          const std::vector<std::string>& files, const std::string& encoding,
                          const ImportEvents& events, const ImportBatch& batch) {
    intake.hold_writes();
    Import run(intake, mailbox, ctx, events, batch);
    for (const std::string& file : files) {
        run.file(file, encoding);
    }
    return run.done();
}

} // namespace mailbox
