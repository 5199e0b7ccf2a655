// The only way anything under a mailbox gets written: a temporary file in the
// same folder, fsync, then rename over the target in commit(). Until commit()
// the target is untouched, and the destructor never commits, so a failure half
// way leaves the old file whole (as ccache's core/atomicfile).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace mailbox {

class AtomicFile {
  public:
    explicit AtomicFile(std::filesystem::path target);
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    void write(std::string_view data);
    void commit();

  private:
    std::filesystem::path m_target;
    std::filesystem::path m_temp;
    int m_fd = -1;
};

void write_file_atomically(const std::filesystem::path& target, std::string_view data);

// Reads a whole file; throws SystemError naming the path.
std::string read_file(const std::filesystem::path& path);

} // namespace mailbox
