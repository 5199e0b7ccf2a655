#include "store/lock.hpp"

#include "util/atomic_file.hpp"
#include "util/error.hpp"

#include <cerrno>
#include <fcntl.h>
#include <filesystem>
#include <string>
#include <sys/file.h>
#include <thread>
#include <unistd.h>

namespace mailbox {

namespace {

// Who holds the lock, for the message only: .mailbox/lock may be gone.
std::string holder_pid(const std::filesystem::path& file) {
    std::string pid;
    if (int fd = open(file.c_str(), O_RDONLY | O_CLOEXEC); fd >= 0) {
        char buf[32] = {};
        ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
        pid.assign(buf, n > 0 ? static_cast<size_t>(n) : 0);
        close(fd);
    }
    while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) {
        pid.pop_back();
    }
    return pid.empty() ? "unknown" : pid;
}

void note_holder(const std::filesystem::path& file) {
    std::error_code ec;
    std::filesystem::create_directories(file.parent_path(), ec);
    int fd = open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd >= 0) {
        std::string pid = std::to_string(getpid()) + "\n";
        if (write(fd, pid.data(), pid.size()) < 0) {
            // The pid is only for the message; the lock itself holds.
        }
        close(fd);
    }
}

} // namespace

// The lock is the mailbox folder itself, not a file in .mailbox/: that
// folder is a cache anyone may delete, and deleting it with a lock file
// inside would let a second writer in beside the first.
MailboxLock::MailboxLock(const std::filesystem::path& root, std::chrono::milliseconds wait) {
    std::filesystem::path holder = root / ".mailbox" / "lock";
    m_fd = open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (m_fd < 0) {
        throw_errno("can't open the mailbox folder '" + root.string() + "' to lock it");
    }
    auto step = std::chrono::milliseconds(50);
    for (auto waited = std::chrono::milliseconds(0);; waited += step) {
        if (flock(m_fd, LOCK_EX | LOCK_NB) == 0) {
            break;
        }
        if (errno != EWOULDBLOCK && errno != EINTR) {
            close(m_fd);
            throw_errno("can't lock the mailbox folder '" + root.string() + "'");
        }
        if (waited >= wait) {
            close(m_fd);
            throw LockError("the mailbox is locked by process " + holder_pid(holder) +
                            " (see .mailbox/lock); try again when it is done");
        }
        std::this_thread::sleep_for(step);
    }
    note_holder(holder);
    // The caches' leftovers: a cache written without the lock that loses its
    // temporary file here only fails to save, which a cache may.
    remove_temp_files(root / ".mailbox");
    remove_temp_files(root / ".mailbox" / "bigrams");
}

MailboxLock::~MailboxLock() {
    if (m_fd >= 0) {
        close(m_fd); // releases the flock
    }
}

} // namespace mailbox
