#include "merge/driver.hpp"

#include "store/git.hpp"
#include "util/atomic_file.hpp"
#include "util/error.hpp"
#include "util/i18n.hpp"

#include <fmt/format.h>

namespace mailbox {

namespace {

// git's own line merge, with the labels and marker size git asked for; in a
// criss-cross's inner merge, conflicts resolve to ours rather than to markers
// that would make the outer merge's base unreadable.
MergeDriverResult line_merge(const MergeDriverArgs& a) {
    std::vector<std::string> args{"merge-file", "-q",
                                  fmt::format("--marker-size={}", a.options.marker_size)};
    if (a.options.recursive) {
        args.push_back("--ours");
    }
    for (const std::string& label :
         {a.options.ours_label, std::string("base"), a.options.theirs_label}) {
        args.insert(args.end(), {"-L", label});
    }
    for (const auto* p : {&a.ours, &a.base, &a.theirs}) {
        args.push_back(std::filesystem::absolute(*p).string());
    }
    GitResult r = run_git(std::filesystem::current_path(), args);
    if (r.status < 0) {
        throw SystemError(_("can't run 'git merge-file' for the line merge"));
    }
    MergeDriverResult out;
    out.fell_back = true;
    out.status = r.status;
    out.notes.push_back(
        r.status ? trn("not a clean case file on every side (a parse error or conflict markers): "
                       "merged line by line, {} conflict",
                       "not a clean case file on every side (a parse error or conflict markers): "
                       "merged line by line, {} conflicts",
                       static_cast<unsigned long>(r.status), r.status)
                 : _("not a clean case file on every side (a parse error or conflict markers): "
                     "merged line by line"));
    return out;
}

} // namespace

MergeDriverResult run_merge_driver(const MergeDriverArgs& a) {
    std::string base = read_file(a.base);
    std::string ours = read_file(a.ours);
    std::string theirs = read_file(a.theirs);
    std::optional<CaseMerge> m = merge_case_files(base, ours, theirs, a.options);
    if (!m) {
        return line_merge(a);
    }
    if (m->text != ours) {
        write_file_atomically(a.ours, m->text);
    }
    MergeDriverResult out;
    out.status = m->conflicts > 0 || m->collision ? 1 : 0;
    out.notes = std::move(m->notes);
    return out;
}

} // namespace mailbox
