#include "store/lock.hpp"

#include "store/mailbox.hpp"
#include "util/atomic_file.hpp"
#include "util/error.hpp"
#include "util/i18n.hpp"

#include <cerrno>
#include <fcntl.h>
#include <filesystem>
#include <string>
#include <string_view>
#include <sys/file.h>
#include <thread>
#include <unistd.h>

namespace mailbox {

namespace {

// What .mailbox/lock says: the holder's pid, or that the last holder let
// go; empty when it is gone (a cache anyone may delete).
std::string holder_text(const std::filesystem::path& file) {
    std::string text;
    if (int fd = open(file.c_str(), O_RDONLY | O_CLOEXEC); fd >= 0) {
        char buf[32] = {};
        ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
        text.assign(buf, n > 0 ? static_cast<size_t>(n) : 0);
        close(fd);
    }
    return text;
}

// Who holds the lock, for the message only; "" when it does not say.
std::string holder_pid(const std::filesystem::path& file) {
    std::string pid = holder_text(file);
    while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) {
        pid.pop_back();
    }
    return pid;
}

// What .mailbox/lock says once its holder let go of the lock in good order.
constexpr std::string_view k_released = "released\n";

// Writes the holder file; `durably` syncs it first, so that no temporary
// file a writer makes is on disk before the note that a writer is at work.
void note_holder(const std::filesystem::path& file, std::string_view text, bool durably) {
    std::error_code ec;
    std::filesystem::create_directories(file.parent_path(), ec);
    int fd = open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd >= 0) {
        if (write(fd, text.data(), text.size()) < 0 || (durably && fdatasync(fd) < 0)) {
            // Lost, the note only makes the next writer sweep when it need not.
        }
        close(fd);
    }
}

} // namespace

bool last_writer_released(const std::filesystem::path& root) {
    return holder_text(root / ".mailbox" / "lock") == k_released;
}

// The lock is the mailbox folder itself, not a file in .mailbox/: that
// folder is a cache anyone may delete, and deleting it with a lock file
// inside would let a second writer in beside the first.
MailboxLock::MailboxLock(const std::filesystem::path& root, std::chrono::milliseconds wait) {
    std::filesystem::path holder = root / ".mailbox" / "lock";
    m_fd = open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (m_fd < 0) {
        throw_errno(tr("can't open the mailbox folder '{}' to lock it", root.string()));
    }
    auto step = std::chrono::milliseconds(50);
    for (auto waited = std::chrono::milliseconds(0);; waited += step) {
        if (flock(m_fd, LOCK_EX | LOCK_NB) == 0) {
            break;
        }
        if (errno != EWOULDBLOCK && errno != EINTR) {
            close(m_fd);
            throw_errno(tr("can't lock the mailbox folder '{}'", root.string()));
        }
        if (waited >= wait) {
            close(m_fd);
            std::string pid = holder_pid(holder);
            throw LockError(pid.empty() ? _("the mailbox is locked by process unknown (see "
                                            ".mailbox/lock); try again when it is done")
                                        : tr("the mailbox is locked by process {} (see "
                                             ".mailbox/lock); try again when it is done",
                                             pid));
        }
        std::this_thread::sleep_for(step);
    }
    // A writer killed between a temporary file and its rename left a copy
    // of a case (perhaps of a citizen's letter) beside it. Only a writer
    // that did not let go in good order can have: then every folder the
    // tools write in is swept, now that no one else is writing. Listing the
    // year folders at every write cost 10 ms a write at 100,000 cases.
    bool in_order = last_writer_released(root);
    m_holder = holder;
    note_holder(holder, std::to_string(getpid()) + "\n", true);
    if (!in_order) {
        for (const std::string& path : temp_files_in(root)) {
            unlink((root / path).c_str());
        }
    } else {
        // A cache written without the lock that loses its temporary file
        // here only fails to save, which a cache may.
        remove_temp_files(root / ".mailbox");
    }
}

MailboxLock::~MailboxLock() {
    if (m_fd >= 0) {
        // Not reached when killed: the next writer then sweeps.
        note_holder(m_holder, k_released, false);
        close(m_fd); // releases the flock
    }
}

} // namespace mailbox
