#include "atomic_file.hpp"

#include "error.hpp"

#include <cerrno>
#include <cstdio>
#include <fcntl.h>
#include <memory>
#include <set>
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

namespace {

// A rename is durable only once its folder is synced.
void sync_folder(const std::filesystem::path& folder) {
    int dir = open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY);
    if (dir >= 0) {
        fsync(dir);
        close(dir);
    }
}

} // namespace

void AtomicFile::sync() {
    if (m_fd < 0) {
        return;
    }
    if (fsync(m_fd) != 0) {
        throw_errno("can't sync '" + m_temp.string() + "'");
    }
    int fd = m_fd;
    m_fd = -1;
    if (close(fd) != 0) {
        throw_errno("can't close '" + m_temp.string() + "'");
    }
}

void AtomicFile::commit(bool sync_folder_too) {
    sync();
    if (rename(m_temp.c_str(), m_target.c_str()) != 0) {
        throw_errno("can't rename '" + m_temp.string() + "' to '" + m_target.string() + "'");
    }
    m_temp.clear();
    if (sync_folder_too) {
        sync_folder(m_target.parent_path());
    }
}

void AtomicFile::create(bool sync_folder_too) {
    sync();
    if (renameat2(AT_FDCWD, m_temp.c_str(), AT_FDCWD, m_target.c_str(), RENAME_NOREPLACE) != 0) {
        if (errno == EEXIST) {
            throw FileExists("'" + m_target.string() + "' already exists: not replaced");
        }
        if (errno != EINVAL && errno != ENOSYS) {
            throw_errno("can't rename '" + m_temp.string() + "' to '" + m_target.string() + "'");
        }
        // A file system without RENAME_NOREPLACE: link() never replaces.
        if (link(m_temp.c_str(), m_target.c_str()) != 0) {
            if (errno == EEXIST) {
                throw FileExists("'" + m_target.string() + "' already exists: not replaced");
            }
            throw_errno("can't link '" + m_temp.string() + "' to '" + m_target.string() + "'");
        }
        unlink(m_temp.c_str());
    }
    m_temp.clear();
    if (sync_folder_too) {
        sync_folder(m_target.parent_path());
    }
}

void write_file_atomically(const std::filesystem::path& target, std::string_view data) {
    AtomicFile file(target);
    file.write(data);
    file.commit();
}

void write_files_atomically(const std::vector<FileWrite>& files) {
    std::vector<std::unique_ptr<AtomicFile>> temps;
    for (const FileWrite& f : files) {
        temps.push_back(std::make_unique<AtomicFile>(f.target));
        temps.back()->write(f.data);
        temps.back()->sync();
    }
    std::set<std::filesystem::path> folders;
    for (std::size_t i = 0; i < temps.size(); ++i) {
        if (files[i].create) {
            temps[i]->create(false);
        } else {
            temps[i]->commit(false);
        }
        folders.insert(files[i].target.parent_path());
    }
    for (const auto& folder : folders) {
        sync_folder(folder);
    }
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
