// One lock per mailbox, taken by every command that writes: flock(2) on the
// mailbox folder itself, which no cache wipe can remove. The kernel releases
// it when the holder dies, so a crash never leaves a stale lock; the holder's
// pid is written to .mailbox/lock for the message, and "released" when it
// lets go: a lock taken after a holder that did not (killed) sweeps away the
// temporary files a killed writer leaves.
#pragma once

#include <chrono>
#include <filesystem>

namespace mailbox {

// Whether the last writer of the mailbox at `root` let go of the lock in
// good order: if not (killed, or no note in .mailbox/), the next writer
// sweeps the temporary files a killed write leaves.
bool last_writer_released(const std::filesystem::path& root);

class MailboxLock {
  public:
    // Waits up to `wait`, then throws LockError naming the holder's pid.
    MailboxLock(const std::filesystem::path& root, std::chrono::milliseconds wait);
    ~MailboxLock();
    MailboxLock(const MailboxLock&) = delete;
    MailboxLock& operator=(const MailboxLock&) = delete;

  private:
    int m_fd = -1;
    std::filesystem::path m_holder; // .mailbox/lock
};

} // namespace mailbox
