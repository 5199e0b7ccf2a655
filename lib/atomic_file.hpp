// The only way anything under a mailbox gets written: a temporary file in the
// same folder, fsync, then rename over the target in commit(). Until commit()
// the target is untouched, and the destructor never commits, so a failure half
// way leaves the old file whole (as ccache's core/atomicfile).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mailbox {

class AtomicFile {
  public:
    explicit AtomicFile(std::filesystem::path target);
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    void write(std::string_view data);
    // fsync and close: after this only the rename is left to do.
    void sync();
    // sync(), rename over the target, and sync the folder; with
    // sync_folder false the caller syncs it (once for many files).
    void commit(bool sync_folder = true);
    // As commit(), but the target must not exist yet: a new case file never
    // replaces another, even when two writers drew one id. FileExists if it
    // does, and the target is left as it was.
    void create(bool sync_folder = true);

  private:
    std::filesystem::path m_target;
    std::filesystem::path m_temp;
    int m_fd = -1;
};

void write_file_atomically(const std::filesystem::path& target, std::string_view data);

// Several files as one change, as far as a file system allows: every
// temporary file is written and synced before the first rename, so running
// out of space or a write error changes none of them. They are renamed in
// order: what the others refer to goes first.
struct FileWrite {
    std::filesystem::path target;
    std::string data;
    bool create = false; // a new file: FileExists rather than replace one
};
void write_files_atomically(const std::vector<FileWrite>& files);

// Reads a whole file; throws SystemError naming the path.
std::string read_file(const std::filesystem::path& path);

} // namespace mailbox
