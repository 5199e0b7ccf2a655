// The mailbox folder: finding it, its layout, and reading and writing one
// case at a time. Single-case operations never read other cases.
#pragma once

#include "model/case.hpp"
#include "model/config.hpp"
#include "model/context.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace mailbox {

// Like git finds a repository: the -C folder, else $MAILBOX_DIR, else the
// nearest parent of `cwd` holding mailbox.toml. Throws UsageError if none.
std::filesystem::path find_mailbox(const std::optional<std::filesystem::path>& dir_flag,
                                   const std::optional<std::string>& env_dir,
                                   const std::filesystem::path& cwd);

// A case file found on disk: its path relative to the root and its id (the
// file name's stem).
struct CaseFile {
    std::string path; // cases/2026/261125-8K2QM7.toml
    std::string id;
};

class Mailbox {
  public:
    // Reads and validates mailbox.toml (throws DataError).
    explicit Mailbox(std::filesystem::path root);
    // A mailbox with a config already read (check reads it itself, to report
    // every problem).
    Mailbox(std::filesystem::path root, Config config)
        : m_root(std::move(root)), m_config(std::move(config)) {}

    const std::filesystem::path& root() const { return m_root; }
    const Config& config() const { return m_config; }
    const std::vector<DataError>& config_unknown_keys() const { return m_unknown; }

    std::string case_path(const std::string& id) const; // relative
    std::filesystem::path absolute(const std::string& relative) const { return m_root / relative; }

    // A full id, a unique prefix of one, or of its part after the date
    // ("ADZG" of 261125-ADZGAB), typed by a person; throws
    // UsageError when nothing or more than one case matches.
    std::string resolve_id(std::string_view typed) const;

    Case load(const std::string& id) const; // throws DataError
    bool exists(const std::string& id) const;

    // Writes a case atomically. The caller holds the MailboxLock.
    void save(const Case& c) const;
    // Writes cases that change together (a group, a round): all or, when a
    // file cannot be written, none.
    void save_all(const std::vector<Case>& cases) const;
    // A new case and the cases it changes (a link), written together, the new
    // one first, so a failure half way leaves no link to a missing case. The
    // new case's file must not exist (FileExists): a letter never replaces
    // another, even when two writers drew one id.
    void save_new(const Case& c, const std::vector<Case>& changed = {}) const;
    // Many new cases and what they change, as one write: each new case as it
    // was registered, in order, then the final version of every case that
    // changed after (a new one among them, when a later letter joined it).
    // So a process killed half way leaves no link to a case not yet written.
    void save_new(const std::vector<Case>& fresh, const std::vector<Case>& changed) const;

    // How a fresh id is kept from the next command: by .mailbox/last-id
    // written at once, by keep_last_id() before the batch that holds it is
    // written (an import: a file a letter was a tenth of its time), or not
    // at all (a dry run: nothing under .mailbox/ is written).
    enum class Reserve { now, with_batch, no };
    // A fresh id for a letter registered at `now`. The caller holds the lock.
    std::string new_case_id(const Timestamp& now, Reserve reserve = Reserve::now) const;
    // Writes the last id drawn to .mailbox/last-id, unless it is there.
    void keep_last_id() const;

    // Every cases/YYYY/*.toml, sorted by path; a directory listing, no reads.
    std::vector<CaseFile> case_files() const;
    // The year folders under cases/, sorted, and the case ids in one of them.
    std::vector<std::string> case_years() const;
    std::vector<std::string> case_ids_in(const std::string& year) const;
    // Temporary files a killed writer left (copies of cases, reports,
    // notices, perhaps of citizens' letters) in any folder the tools write
    // in, relative to the root, sorted.
    std::vector<std::string> temp_files() const;

  private:
    std::string station(bool persist) const;

    std::filesystem::path m_root;
    Config m_config;
    std::vector<DataError> m_unknown;
    mutable std::string m_last_issued; // a dry run writes no last-id, yet ids must differ
    // Read once a command: it holds the lock, so no one else writes them, and
    // an import read both files for each letter.
    mutable std::string m_station;
    mutable std::string m_last_in_file;
    mutable bool m_last_id_read = false;
};

// Mailbox::temp_files() of the mailbox at `root`, for the lock, which sweeps
// them before a mailbox is opened.
std::vector<std::string> temp_files_in(const std::filesystem::path& root);

// What a command changed: the cases to save, together (save_all), or, in a
// dry run, to show.
using Changed = std::vector<Case>;

// Everything under .mailbox/ may be deleted at any time; it is rebuilt.
std::filesystem::path state_dir(const std::filesystem::path& root);

} // namespace mailbox
