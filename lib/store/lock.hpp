// One lock per mailbox, taken by every command that writes: flock(2) on the
// mailbox folder itself, which no cache wipe can remove. The kernel releases
// it when the holder dies, so a crash never leaves a stale lock; the holder's
// pid is written to .mailbox/lock for the message only.
#pragma once

#include <chrono>
#include <filesystem>

namespace mailbox {

class MailboxLock {
  public:
    // Waits up to `wait`, then throws LockError naming the holder's pid.
    MailboxLock(const std::filesystem::path& root, std::chrono::milliseconds wait);
    ~MailboxLock();
    MailboxLock(const MailboxLock&) = delete;
    MailboxLock& operator=(const MailboxLock&) = delete;

  private:
    int m_fd = -1;
};

} // namespace mailbox
