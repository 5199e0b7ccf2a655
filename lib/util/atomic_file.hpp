// The only way anything under a mailbox gets written: a temporary file in the
// same folder, written and synced, renamed over the target, and the folder
// synced. Until the rename the target is untouched, and a failure at any step
// puts back what was there, so an error means nothing changed unless it names
// a file it could not put back (as ccache's core/atomicfile, with the undo a
// database keeps in its journal).
#pragma once

#include <atomic>
#include <cerrno>
#include <filesystem>
#include <string>
#include <string_view>
#include <sys/stat.h>
#include <utility>
#include <vector>

namespace mailbox {

// A temporary file beside its target, removed unless write_files_atomically
// puts it in place: a failure half way leaves the target whole.
class AtomicFile {
  public:
    explicit AtomicFile(std::filesystem::path target);
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    void write(std::string_view data);
    // fsync and close: after this only the rename is left to do.
    void sync();
    // Close without fsync (write_file_unsynced).
    void finish();
    // Renames it over the target or, with `create`, to a target that must
    // not exist yet (FileExists if it does: a new case file never replaces
    // another, even when two writers drew one id). The folder is not synced.
    void place(bool create);

    const std::filesystem::path& target() const { return m_target; }
    // The temporary file, and its descriptor until sync() or finish(), for
    // a writer that fills it through a library of its own (SQLite).
    const std::filesystem::path& temp() const { return m_temp; }
    int fd() const { return m_fd; }

  private:
    std::filesystem::path m_target;
    std::filesystem::path m_temp;
    int m_fd = -1;
};

void write_file_atomically(const std::filesystem::path& target, std::string_view data);

// The same without waiting for the disk, neither for the file nor for its
// folder: a killed process leaves the old text or the new, but a machine
// that loses power may come back with the old one, or none. Only for a file
// whose loss costs an order and never a record (.mailbox/last-id).
void write_file_unsynced(const std::filesystem::path& target, std::string_view data);

// Several files as one change: every temporary file is written and synced
// before the first rename (past a few files, by one syncfs of their file
// system rather than an fsync each), so running out of space or a write
// error changes none of them; a rename or folder sync that fails later puts back the files
// already renamed (their old versions are kept under a second name until the
// folders are synced). They are renamed in order: what the others refer to
// goes first, in case the process is killed half way.
// A target may come twice (a new file, then its later version): the
// first must not exist, the second replaces it.
struct FileWrite {
    std::filesystem::path target;
    std::string data;
    bool create = false; // a new file: FileExists rather than replace one
};
void write_files_atomically(const std::vector<FileWrite>& files);

// The names of the temporary files in `dir` (the target's name, ".tmp." and
// six letters or digits, as AtomicFile and mkstemp make them), sorted; what
// a killed writer left, or a live writer's work in progress. One its writer
// holds a flock(2) on (a cache filled over seconds) is in progress: not
// listed.
std::vector<std::string> temp_names(const std::filesystem::path& dir);
// Removes them: only for a caller that knows no one else is writing there.
void remove_temp_files(const std::filesystem::path& dir);

// Reads a whole file; throws SystemError naming the path. `opened`, when
// given, is the file's stat as opened, before any of it was read.
std::string read_file(const std::filesystem::path& path, struct stat* opened = nullptr);

// For tests, as ninja's swap their DiskInterface: the fail_at-th call that
// writes a file here (creating the temporary file, write, fsync, close,
// keeping the old version, rename or link, syncing the folder) fails with
// `error`, as a full or failing disk makes it. Only a test sets it, through
// ScopedFileFaults; no flag or variable can.
struct FileFaults {
    int fail_at = 0; // from 1; 0: none fails
    int error = EIO;
    std::atomic<int> calls = 0; // counted so far, on any thread (an import writes on two)
    std::string failed;         // the file whose call failed, once one has
    // The process ends at that call instead (_exit with crash_status), as
    // kill -9 ends it: nothing is undone, temporary files stay. For a test
    // that forks.
    bool crash = false;
    static constexpr int crash_status = 86;
};

class ScopedFileFaults {
  public:
    explicit ScopedFileFaults(FileFaults& faults);
    ~ScopedFileFaults();
    ScopedFileFaults(const ScopedFileFaults&) = delete;
    ScopedFileFaults& operator=(const ScopedFileFaults&) = delete;

  private:
    FileFaults* m_outer;
};

} // namespace mailbox
