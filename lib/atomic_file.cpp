#include "atomic_file.hpp"

#include "error.hpp"

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mailbox {

AtomicFile::AtomicFile(std::filesystem::path target) : m_target(std::move(target)) {
    std::string pattern = m_target.string() + ".tmp.XXXXXX";
    m_fd = mkstemp(pattern.data());
    if (m_fd < 0) {
        throw_errno("can't create a temporary file beside '" + m_target.string() + "'");
    }
    m_temp = pattern;
    // mkstemp makes 0600; case files are shared through git like any file.
    fchmod(m_fd, 0644);
}

AtomicFile::~AtomicFile() {
    if (m_fd >= 0) {
        close(m_fd);
    }
    if (!m_temp.empty()) {
        unlink(m_temp.c_str());
    }
}

void AtomicFile::write(std::string_view data) {
    while (!data.empty()) {
        ssize_t n = ::write(m_fd, data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            throw_errno("can't write '" + m_temp.string() + "'");
        }
        data.remove_prefix(static_cast<size_t>(n));
    }
}

void AtomicFile::commit() {
    if (fsync(m_fd) != 0) {
        throw_errno("can't sync '" + m_temp.string() + "'");
    }
    if (close(m_fd) != 0) {
        m_fd = -1;
        throw_errno("can't close '" + m_temp.string() + "'");
    }
    m_fd = -1;
    if (rename(m_temp.c_str(), m_target.c_str()) != 0) {
        throw_errno("can't rename '" + m_temp.string() + "' to '" + m_target.string() + "'");
    }
    m_temp.clear();
    // The rename is durable only once the folder itself is synced.
    int dir = open(m_target.parent_path().empty() ? "." : m_target.parent_path().c_str(),
                   O_RDONLY | O_DIRECTORY);
    if (dir >= 0) {
        fsync(dir);
        close(dir);
    }
}

void write_file_atomically(const std::filesystem::path& target, std::string_view data) {
    AtomicFile file(target);
    file.write(data);
    file.commit();
}

std::string read_file(const std::filesystem::path& path) {
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        throw_errno("can't read '" + path.string() + "'");
    }
    std::string data;
    struct stat st {};
    if (fstat(fd, &st) == 0 && st.st_size > 0) {
        data.reserve(static_cast<size_t>(st.st_size));
    }
    char buf[65536];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            int saved = errno;
            close(fd);
            errno = saved;
            throw_errno("can't read '" + path.string() + "'");
        }
        if (n == 0) {
            break;
        }
        data.append(buf, static_cast<size_t>(n));
    }
    close(fd);
    return data;
}

} // namespace mailbox
