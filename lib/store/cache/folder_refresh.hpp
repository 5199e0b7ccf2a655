// What a command that looks up a few cases needs of the cache: the rows of
// the year folders that changed since they were last listed brought up to
// date, without a stat of the files in the other folders.
#pragma once

#include "store/cache/database.hpp"
#include "store/mailbox.hpp"

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

namespace mailbox {

// Brings the rows of the year folders that changed since they were last
// listed up to date (new and changed files read, vanished ones dropped).
// A file rewritten in place, which leaves its folder's time alone, is seen
// by the next load_case_index. Returns how many folders it listed.
std::size_t refresh_changed_folders(Database& db, const Mailbox& mailbox);

// The cache for a command that looks up a few cases, brought up to date by
// refresh_changed_folders. A damaged cache is made again; one that cannot
// be written (a full disk) is made in memory for this run; one busy past
// the timeout is used as it is, and *fresh is false. *listed (if given):
// how many year folders were listed.
std::unique_ptr<Database> open_refreshed(const Mailbox& mailbox, bool* fresh,
                                         std::size_t* listed = nullptr);

// open_refreshed into `db`, then `update` of what is kept beside the rows
// (the full-text index, the learned classifiers): a cache found damaged
// only when update read a page is made again, and updated once more.
void open_updated(std::unique_ptr<Database>& db, const Mailbox& mailbox,
                  const std::function<void()>& update);

// After a command that found the year folder listed (refresh_changed_folders)
// wrote in it: the folder's new time is what this command did, so the next
// command need not list it again. A change another program made in the
// same folder in between is seen at the next whole-mailbox command.
void note_own_write(Database& db, const Mailbox& mailbox, const std::string& year);

} // namespace mailbox
