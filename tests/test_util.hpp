// Helpers shared by the unit tests: temporary mailboxes and fixed moments.
#pragma once

#include "model/case.hpp"
#include "model/config.hpp"
#include "model/context.hpp"
#include "store/mailbox.hpp"
#include "util/timestamp.hpp"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace mailbox::test {

// A fresh folder under the system temp dir, removed when the test ends.
class TempDir {
  public:
    TempDir();
    ~TempDir();
    const std::filesystem::path& path() const { return m_path; }

  private:
    std::filesystem::path m_path;
};

// A fresh mailbox with the sample mailbox.toml in a temporary folder.
struct TempMailbox {
    TempDir t;
    std::unique_ptr<Mailbox> m;
    TempMailbox();
    // 李明 acting at that moment.
    Context at_time(const std::string& iso) const;
    // A letter received then, as a case that is not saved yet: subject
    // "来信 ID", sender 王磊, body 正文, and its `received` history entry.
    Case letter(const std::string& id, const std::string& received) const;
    // Saves a letter received then, assigned to `unit` a day later (none:
    // not assigned), in `status`.
    void add_assigned(const std::string& id, const std::string& received, const std::string& unit,
                      Status status = Status::assigned) const;
};

// The ids of cases, in order.
template <typename Items>
std::vector<std::string> ids_of(const Items& items) {
    std::vector<std::string> out;
    for (const auto& i : items) {
        out.push_back(i.c.id);
    }
    return out;
}

const date::time_zone* shanghai();
Timestamp at(const std::string& iso); // parse_timestamp in Asia/Shanghai
Day day(int y, unsigned m, unsigned d);

// A case with every field set, for round trips.
Case full_case();

// The sample config of templates/mailbox.toml.
Config sample_config();

std::string source_dir(); // the repository, for sample-data/

void write_text(const std::filesystem::path& p, const std::string& text);

} // namespace mailbox::test
