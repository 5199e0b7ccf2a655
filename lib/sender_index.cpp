#include "sender_index.hpp"

#include "atomic_file.hpp"

#include <algorithm>
#include <fcntl.h>
#include <unistd.h>

namespace mailbox {

namespace {

std::filesystem::path index_path(const Mailbox& m) {
    return state_dir(m.root()) / "senders";
}

std::string clean_key(std::string key) {
    std::replace_if(
        key.begin(), key.end(), [](char ch) { return ch == '\t' || ch == '\n'; }, ' ');
    return key;
}

} // namespace

void write_sender_index(const Mailbox& mailbox, const std::vector<IndexEntry>& entries) {
    std::string data;
    for (const IndexEntry& e : entries) {
        if (!e.summary) {
            continue;
        }
        for (const std::string& key : sender_keys(e.summary->sender)) {
            data += clean_key(key) + "\t" + e.summary->id + "\n";
        }
    }
    std::error_code ec;
    std::filesystem::create_directories(state_dir(mailbox.root()), ec);
    try {
        write_file_atomically(index_path(mailbox), data);
    } catch (const Error&) {
        // Only a cache: a read-only mailbox still reports.
    }
}

void refresh_sender_index(const Mailbox& mailbox, const std::vector<IndexEntry>& entries,
                          const IndexStats& stats) {
    std::error_code ec;
    if (stats.rewritten || !std::filesystem::exists(index_path(mailbox), ec)) {
        write_sender_index(mailbox, entries);
    }
}

void add_to_sender_index(const Mailbox& mailbox, const Case& c) {
    std::string line;
    for (const std::string& key : sender_keys(c.sender)) {
        line += clean_key(key) + "\t" + c.id + "\n";
    }
    if (line.empty()) {
        return;
    }
    int fd = open(index_path(mailbox).c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd >= 0) {
        // One write of one short line under the mailbox lock.
        if (write(fd, line.data(), line.size()) < 0) {
        }
        close(fd);
    }
}

std::vector<SenderCase> sender_cases(const Mailbox& mailbox, const Case& c) {
    std::vector<SenderCase> out;
    std::vector<std::string> keys = sender_keys(c.sender);
    std::string data;
    try {
        data = keys.empty() ? "" : read_file(index_path(mailbox));
    } catch (const Error&) {
        return out;
    }
    std::vector<std::string> ids;
    for (const std::string& key : keys) {
        std::string prefix = clean_key(key) + "\t";
        for (std::size_t pos = 0; (pos = data.find(prefix, pos)) != std::string::npos;) {
            bool line_start = pos == 0 || data[pos - 1] == '\n';
            std::size_t end = data.find('\n', pos);
            if (line_start) {
                ids.push_back(data.substr(pos + prefix.size(), end - pos - prefix.size()));
            }
            pos = end == std::string::npos ? data.size() : end;
        }
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    for (const std::string& id : ids) {
        if (id == c.id) {
            continue;
        }
        try {
            Case other = mailbox.load(id);
            // The index may be older than a hand edit of that file.
            if (same_sender(other.sender, c.sender)) {
                out.push_back({other.id, other.received, other.subject, other.status});
            }
        } catch (const Error&) {
            // Gone or broken: check reports it; show carries on.
        }
    }
    return out;
}

} // namespace mailbox
