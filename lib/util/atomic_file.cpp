#include "util/atomic_file.hpp"

#include "util/error.hpp"
#include "util/i18n.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <dirent.h>
#include <fcntl.h>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mailbox {

namespace fs = std::filesystem;

namespace {

FileFaults* g_faults = nullptr;

// True, with errno set, when a test asked this call on `file` to fail.
bool injected(const fs::path& file) {
    if (g_faults == nullptr) {
        return false;
    }
    if (++g_faults->calls != g_faults->fail_at) {
        return false;
    }
    if (g_faults->crash) {
        _exit(FileFaults::crash_status);
    }
    g_faults->failed = file.string();
    errno = g_faults->error;
    return true;
}

} // namespace

ScopedFileFaults::ScopedFileFaults(FileFaults& faults) : m_outer(g_faults) {
    g_faults = &faults;
}

ScopedFileFaults::~ScopedFileFaults() {
    g_faults = m_outer;
}

AtomicFile::AtomicFile(fs::path target) : m_target(std::move(target)) {
    std::string pattern = m_target.string() + ".tmp.XXXXXX";
    m_fd = injected(m_target) ? -1 : mkstemp(pattern.data());
    if (m_fd < 0) {
        throw_errno(tr("can't create a temporary file beside '{}'", m_target.string()));
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
        ssize_t n = injected(m_target) ? -1 : ::write(m_fd, data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            throw_errno(tr("can't write '{}'", m_target.string()));
        }
        data.remove_prefix(static_cast<size_t>(n));
    }
}

void AtomicFile::sync() {
    if (m_fd < 0) {
        return;
    }
    if (injected(m_target) || fsync(m_fd) != 0) {
        throw_errno(tr("can't sync '{}'", m_target.string()));
    }
    finish();
}

void AtomicFile::finish() {
    if (m_fd < 0) {
        return;
    }
    int fd = m_fd;
    m_fd = -1;
    // Some file systems (NFS) report a failed write only here.
    if (injected(m_target) || close(fd) != 0) {
        throw_errno(tr("can't close '{}'", m_target.string()));
    }
}

void AtomicFile::place(bool create) {
    sync();
    if (!create) {
        if (injected(m_target) || rename(m_temp.c_str(), m_target.c_str()) != 0) {
            throw_errno(tr("can't rename '{}' to '{}'", m_temp.string(), m_target.string()));
        }
        m_temp.clear();
        return;
    }
    if (injected(m_target) ||
        renameat2(AT_FDCWD, m_temp.c_str(), AT_FDCWD, m_target.c_str(), RENAME_NOREPLACE) != 0) {
        if (errno == EEXIST) {
            throw FileExists(tr("'{}' already exists: not replaced", m_target.string()));
        }
        if (errno != EINVAL && errno != ENOSYS) {
            throw_errno(tr("can't rename '{}' to '{}'", m_temp.string(), m_target.string()));
        }
        // A file system without RENAME_NOREPLACE: link() never replaces.
        if (injected(m_target) || link(m_temp.c_str(), m_target.c_str()) != 0) {
            if (errno == EEXIST) {
                throw FileExists(tr("'{}' already exists: not replaced", m_target.string()));
            }
            throw_errno(tr("can't link '{}' to '{}'", m_temp.string(), m_target.string()));
        }
        unlink(m_temp.c_str());
    }
    m_temp.clear();
}

namespace {

// A rename is durable only once its folder is synced; `file` is one renamed
// there, to name.
void sync_folder(const fs::path& folder, const fs::path& file) {
    int dir = open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0) {
        throw_errno(tr("can't open the folder '{}' to sync it", folder.string()));
    }
    // EINVAL: a file system that cannot sync a folder, and needs not.
    int rc = injected(file) ? -1 : fsync(dir);
    int saved = errno;
    close(dir);
    if (rc != 0 && saved != EINVAL) {
        errno = saved;
        throw_errno(
            tr("can't sync the folder '{}' after writing '{}'", folder.string(), file.string()));
    }
}

// A name as mkstemp makes them, so that what a killed writer leaves is swept
// and ignored like its temporary files.
fs::path spare_name(const fs::path& target) {
    static const char k_chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    thread_local std::mt19937 random{std::random_device{}()}; // an import writes on two threads
    std::string name = target.string() + ".tmp.";
    for (int i = 0; i < 6; ++i) {
        name += k_chars[random() % (sizeof k_chars - 1)];
    }
    return name;
}

// One target of a change and how to undo its rename.
struct Undo {
    enum class Before { none, kept, lost }; // no file, its version kept, a file not kept
    fs::path target;
    Before before = Before::none;
    fs::path old; // the old version's second name, while kept
    bool placed = false;
};

// A second name (a hard link: no data is written, so it works on a full
// disk) for the target's present version, to put back if the change fails.
void keep_old(Undo& u) {
    for (int attempt = 0; attempt < 100; ++attempt) {
        fs::path old = spare_name(u.target);
        if (!injected(u.target) && link(u.target.c_str(), old.c_str()) == 0) {
            u.before = Undo::Before::kept;
            u.old = old;
            return;
        }
        if (errno == EEXIST) {
            continue;
        }
        if (errno == ENOENT) {
            u.before = Undo::Before::none;
            return;
        }
        if (errno == EPERM || errno == EOPNOTSUPP || errno == ENOSYS) {
            // A file system without hard links: the rename cannot be undone.
            u.before = Undo::Before::lost;
            return;
        }
        throw_errno(tr("can't keep the present version of '{}'", u.target.string()));
    }
    throw SystemError(tr("can't find a free name beside '{}'", u.target.string()));
}

// Puts back what was there before each rename done; the first target that
// could not be, else nullptr. Its old version then stays under its second
// name, which check reports.
const Undo* put_back(std::vector<Undo>& undo, const std::map<fs::path, fs::path>& folders) {
    const Undo* lost = nullptr;
    for (auto u = undo.rbegin(); u != undo.rend(); ++u) {
        bool ok = true;
        if (u->placed && u->before == Undo::Before::kept) {
            ok = rename(u->old.c_str(), u->target.c_str()) == 0;
        } else if (u->placed && u->before == Undo::Before::none) {
            // Gone already when the change placed the file twice (a new
            // case, then its later version).
            ok = unlink(u->target.c_str()) == 0 || errno == ENOENT;
        } else if (u->placed) {
            ok = false;
        }
        if (!u->old.empty() && !u->placed) {
            unlink(u->old.c_str());
        }
        if (!ok && !lost) {
            lost = &*u;
        }
    }
    for (const auto& [folder, file] : folders) {
        try {
            sync_folder(folder, file);
        } catch (const Error&) {
            // As durable as the disk allows; the change it undoes was not either.
        }
    }
    return lost;
}

// Renames the synced temporary files over their targets, in order, and syncs
// their folders: all of them, or none when any step fails.
void place_all(const std::vector<std::unique_ptr<AtomicFile>>& files,
               const std::vector<bool>& create) {
    std::vector<Undo> undo;
    std::map<fs::path, fs::path> folders; // and the first file written there
    try {
        for (std::size_t i = 0; i < files.size(); ++i) {
            undo.emplace_back().target = files[i]->target();
            folders.emplace(files[i]->target().parent_path(), files[i]->target());
            if (!create[i]) {
                keep_old(undo.back());
            }
        }
        for (std::size_t i = 0; i < files.size(); ++i) {
            files[i]->place(create[i]);
            undo[i].placed = true;
        }
        for (const auto& [folder, file] : folders) {
            sync_folder(folder, file);
        }
    } catch (const FileExists&) {
        put_back(undo, folders);
        throw;
    } catch (const SystemError& e) {
        if (const Undo* lost = put_back(undo, folders)) {
            throw SystemError(
                lost->old.empty()
                    ? tr("{}; and '{}' could not be put back as it was", e.what(),
                         lost->target.string())
                    : tr("{}; and '{}' (its old version is '{}') could not be put back as it was",
                         e.what(), lost->target.string(), lost->old.string()));
        }
        throw;
    } catch (...) {
        put_back(undo, folders);
        throw;
    }
    for (const Undo& u : undo) {
        if (!u.old.empty()) {
            unlink(u.old.c_str());
        }
    }
}

// Past this many files, one syncfs() of their file system costs less than
// an fsync() of each: an import writes thousands.
constexpr std::size_t k_sync_each_up_to = 4;

// The file systems of the folders a write puts files in, opened before the
// files are written: syncfs(2) reports an error writing any file there
// since its folder was opened (Linux 5.8 and later), so a folder opened
// after the writes could miss one.
class FileSystems {
  public:
    explicit FileSystems(const std::vector<FileWrite>& files) {
        std::set<fs::path> folders;
        for (const FileWrite& f : files) {
            folders.insert(f.target.parent_path());
        }
        for (const fs::path& folder : folders) {
            int fd =
                open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            if (fd < 0) {
                throw_errno(tr("can't open the folder '{}' to sync it", folder.string()));
            }
            m_folders.emplace_back(folder, fd);
        }
    }
    ~FileSystems() {
        for (const auto& [folder, fd] : m_folders) {
            close(fd);
        }
    }
    FileSystems(const FileSystems&) = delete;
    FileSystems& operator=(const FileSystems&) = delete;

    // Waits for the disk to hold everything written there: one call each,
    // whatever the number of files.
    void sync() const {
        for (const auto& [folder, fd] : m_folders) {
            if (injected(folder) || syncfs(fd) != 0) {
                throw_errno(tr("can't sync the files written in '{}'", folder.string()));
            }
        }
    }

  private:
    std::vector<std::pair<fs::path, int>> m_folders;
};

} // namespace

void write_file_atomically(const fs::path& target, std::string_view data) {
    std::vector<std::unique_ptr<AtomicFile>> files;
    files.push_back(std::make_unique<AtomicFile>(target));
    files.back()->write(data);
    files.back()->sync();
    place_all(files, {false});
}

void write_file_unsynced(const fs::path& target, std::string_view data) {
    AtomicFile f(target);
    f.write(data);
    f.finish();
    f.place(false);
}

void write_files_atomically(const std::vector<FileWrite>& files) {
    std::vector<std::unique_ptr<AtomicFile>> temps;
    std::vector<bool> create;
    bool each = files.size() <= k_sync_each_up_to;
    std::optional<FileSystems> file_systems;
    if (!each) {
        file_systems.emplace(files);
    }
    for (const FileWrite& f : files) {
        temps.push_back(std::make_unique<AtomicFile>(f.target));
        temps.back()->write(f.data);
        if (each) {
            temps.back()->sync();
        } else {
            temps.back()->finish();
        }
        create.push_back(f.create);
    }
    if (file_systems) {
        file_systems->sync();
    }
    place_all(temps, create);
}

std::string read_file(const fs::path& path, struct stat* opened) {
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        throw_errno(tr("can't read '{}'", path.string()));
    }
    struct stat st {};
    if (fstat(fd, &st) != 0) {
        st = {};
    }
    if (opened) {
        *opened = st;
    }
    // Read where the text is kept, with a byte to spare: a file as long as
    // it was stat-ed ends with the second read, and nothing is copied.
    std::string data(static_cast<std::size_t>(std::max<off_t>(st.st_size, 0)) + 1, '\0');
    std::size_t used = 0;
    for (;;) {
        if (used == data.size()) {
            data.resize(data.size() * 2);
        }
        ssize_t n = ::read(fd, data.data() + used, data.size() - used);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            int saved = errno;
            close(fd);
            errno = saved;
            throw_errno(tr("can't read '{}'", path.string()));
        }
        if (n == 0) {
            break;
        }
        used += static_cast<std::size_t>(n);
    }
    close(fd);
    data.resize(used);
    return data;
}

namespace {

// AtomicFile's temporary name: its target's, then ".tmp." and six letters
// or digits, as mkstemp makes them.
bool is_temp_name(std::string_view name) {
    constexpr std::string_view tmp = ".tmp.";
    if (name.size() < tmp.size() + 7) {
        return false;
    }
    std::string_view tail = name.substr(name.size() - 6);
    return name.substr(name.size() - 6 - tmp.size(), tmp.size()) == tmp &&
           std::all_of(tail.begin(), tail.end(), [](char ch) { return std::isalnum(ch); });
}

// Whether a process holds a flock on `file`: its writer, still writing.
bool held(const fs::path& file) {
    int fd = open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return false;
    }
    bool locked = flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
    close(fd);
    return locked;
}

} // namespace

std::vector<std::string> temp_names(const fs::path& dir) {
    std::vector<std::string> names;
    if (DIR* d = opendir(dir.c_str())) {
        while (dirent* e = readdir(d)) {
            if (is_temp_name(e->d_name) && !held(dir / e->d_name)) {
                names.emplace_back(e->d_name);
            }
        }
        closedir(d);
    }
    std::sort(names.begin(), names.end());
    return names;
}

void remove_temp_files(const fs::path& dir) {
    for (const std::string& name : temp_names(dir)) {
        unlink((dir / name).c_str());
    }
}

} // namespace mailbox
