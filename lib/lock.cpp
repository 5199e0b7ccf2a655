#include "lock.hpp"

#include "error.hpp"

#include <cerrno>
#include <fcntl.h>
#include <string>
#include <sys/file.h>
#include <thread>
#include <unistd.h>

namespace mailbox {

namespace {

std::string holder_pid(int fd) {
    char buf[32] = {};
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    std::string pid(buf, n > 0 ? static_cast<size_t>(n) : 0);
    while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) {
        pid.pop_back();
    }
    return pid.empty() ? "unknown" : pid;
}

} // namespace

MailboxLock::MailboxLock(const std::filesystem::path& root, std::chrono::milliseconds wait) {
    std::filesystem::path dir = root / ".mailbox";
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    std::filesystem::path path = dir / "lock";
    m_fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (m_fd < 0) {
        throw_errno("can't open the lock '.mailbox/lock'");
    }
    auto step = std::chrono::milliseconds(50);
    for (auto waited = std::chrono::milliseconds(0);; waited += step) {
        if (flock(m_fd, LOCK_EX | LOCK_NB) == 0) {
            break;
        }
        if (errno != EWOULDBLOCK && errno != EINTR) {
            close(m_fd);
            throw_errno("can't lock '.mailbox/lock'");
        }
        if (waited >= wait) {
            std::string pid = holder_pid(m_fd);
            close(m_fd);
            throw LockError("the mailbox is locked by process " + pid +
                            " (.mailbox/lock); try again when it is done");
        }
        std::this_thread::sleep_for(step);
    }
    std::string pid = std::to_string(getpid()) + "\n";
    if (ftruncate(m_fd, 0) != 0 || pwrite(m_fd, pid.data(), pid.size(), 0) < 0) {
        // The pid is only for the message; the lock itself holds.
    }
}

MailboxLock::~MailboxLock() {
    if (m_fd >= 0) {
        close(m_fd); // releases the flock
    }
}

} // namespace mailbox
