#include "report/check.hpp"

#include "model/calendar.hpp"
#include "model/case_id.hpp"
#include "model/config.hpp"
#include "model/group.hpp"
#include "store/cache/case_index.hpp"
#include "store/cache/letter_index.hpp"
#include "store/casefile.hpp"
#include "store/config_file.hpp"
#include "store/field_reader.hpp"
#include "store/git.hpp"
#include "store/lock.hpp"
#include "store/lost_history.hpp"
#include "store/mailbox.hpp"
#include "store/merge_setup.hpp"
#include "store/unmerged.hpp"
#include "util/atomic_file.hpp"
#include "util/edit_distance.hpp"
#include "util/i18n.hpp"

#include <algorithm>
#include <deque>
#include <map>
#include <set>

namespace mailbox {

namespace {

// Checks each case as a scan passes it, holding only what a later case may
// need: the ids and paths of all, and whole only the cases in a group. What
// a case's own fields show is found at once, what needs its group's other
// members at finish(), and everything is said in path order, as before the
// cases were streamed.
class CaseChecker {
  public:
    CaseChecker(const Mailbox& mailbox, bool config_ok, std::vector<DataError>& problems,
                std::vector<std::string>& warnings)
        : m_mailbox(mailbox), m_config(mailbox.config()), m_config_ok(config_ok),
          m_problems(problems), m_warnings(warnings) {}

    void take(IndexEntry& e) {
        // A file's own problems come first, all files' before any check's.
        m_problems.insert(m_problems.end(), e.problems.begin(), e.problems.end());
        Passed p{e.path, {}, std::nullopt};
        if (e.summary) {
            const CaseSummary& c = *e.summary;
            m_by_id[c.id].push_back(m_passed.size());
            if (c.is_open()) {
                if (std::optional<Day> due = due_day(c, m_config)) {
                    m_open_due.emplace_back(c.id, *due);
                }
            }
            if (c.group.empty()) {
                check_own(e, p.found);
            } else {
                m_groups.link(c.id, c.group);
                p.grouped = m_grouped.size();
                m_grouped.push_back(std::move(e));
            }
        }
        m_passed.push_back(std::move(p));
    }

    void finish() {
        for (const auto& [id, files] : m_by_id) {
            for (std::size_t i = 1; i < files.size(); ++i) {
                m_problems.emplace_back(
                    Position{m_passed[files[i]].path, 1, 1},
                    tr("duplicate case id '{}' (also in {})", id, m_passed[files[0]].path));
            }
        }
        for (Passed& p : m_passed) {
            if (p.grouped) {
                check_own(m_grouped[*p.grouped], p.found);
            }
            m_problems.insert(m_problems.end(), p.found.problems.begin(), p.found.problems.end());
            m_warnings.insert(m_warnings.end(), p.found.warnings.begin(), p.found.warnings.end());
        }
    }

    // The due day of every open case, for the calendar's years.
    const std::vector<std::pair<std::string, Day>>& open_due_days() const { return m_open_due; }

  private:
    struct Found {
        std::vector<DataError> problems;
        std::vector<std::string> warnings;
    };
    struct Passed {
        std::string path;
        Found found;
        std::optional<std::size_t> grouped; // in m_grouped
    };

    void check_own(const IndexEntry& e, Found& found) {
        m_into = &found;
        check_folder(e);
        check_links(e);
        check_group_in_step(e);
        check_reply_state(e);
        if (m_config_ok) {
            check_references(e);
        }
    }

    // The case a group names, by its id's first file: held when it is in a
    // group itself, else read again (a one-sided link, which is rare).
    const IndexEntry* member(const std::string& id) {
        auto it = m_by_id.find(id);
        if (it == m_by_id.end()) {
            return nullptr;
        }
        const Passed& p = m_passed[it->second.front()];
        if (p.grouped) {
            return &m_grouped[*p.grouped];
        }
        auto [read, added] = m_read.try_emplace(p.path);
        if (added) {
            try {
                Case c = parse_case(read_file(m_mailbox.absolute(p.path)), p.path);
                read->second = IndexEntry{p.path, c.id, summarize(c), {}, 0};
            } catch (const Error&) {
                read->second = IndexEntry{}; // changed since: as if it had no group
            }
        }
        return read->second.summary ? &read->second : nullptr;
    }

  private:
    void at(const IndexEntry& e, const std::string& key, std::string message) {
        m_into->problems.emplace_back(locate_key(m_mailbox, e.path, key), std::move(message));
    }

    void check_folder(const IndexEntry& e) {
        std::string want = m_mailbox.case_path(e.summary->id);
        if (want != e.path) {
            at(e, "id", tr("case '{}' belongs in '{}'", e.summary->id, want));
        }
    }

    // A status typed by hand must still make sense: an answered case says
    // when and how it was answered, or nothing shows whether it was late.
    void check_reply_state(const IndexEntry& e) {
        const CaseSummary& c = *e.summary;
        bool answered = c.status == Status::replied || c.status == Status::tracking;
        if (answered && !c.replied) {
            at(e, "status",
               tr("case is '{}' but has no 'replied' time; record a reply with "
                  "'mailbox-reply send'",
                  to_string(c.status)));
        }
        if (answered && !c.outcome) {
            at(e, "status", tr("case is '{}' but has no 'outcome'", to_string(c.status)));
        }
        if (c.is_open() && c.replied) {
            at(e, "replied",
               tr("case is '{}' but has a 'replied' time; a reopened case has none until its new "
                  "answer goes",
                  to_string(c.status)));
        }
        if (c.status == Status::closed && !c.closed) {
            at(e, "status", _("case is 'closed' but has no 'closed' time"));
        }
        if (c.draft && c.draft->state == DraftState::approved && c.draft->reviewer.empty()) {
            at(e, "draft.state", _("draft is 'approved' but names no reviewer"));
        }
    }

    void check_links(const IndexEntry& e) {
        const CaseSummary& c = *e.summary;
        for (std::size_t i = 0; i < c.group.size(); ++i) {
            std::string key = fmt::format("group[{}]", i);
            if (!m_by_id.count(c.group[i])) {
                at(e, key, tr("group links to missing case '{}'", c.group[i]));
                continue;
            }
            const IndexEntry* other = member(c.group[i]);
            const std::vector<std::string> none;
            const auto& back = other ? other->summary->group : none;
            if (std::find(back.begin(), back.end(), c.id) == back.end()) {
                at(e, key,
                   tr("one-sided link: case '{}' does not list '{}' in its group", c.group[i],
                      c.id));
            }
        }
    }

    // The actions a group takes together: one command appends each to every
    // member, with one time. A member without one that another has since
    // the group took its shape was cut off: a write killed between its
    // renames (which also leaves temporary files, reported as problems), or
    // a change made in another clone before the link. A warning: the
    // members' handling differs, which the office may mean.
    static std::optional<Action> group_action(Action action) {
        switch (action) {
        // A member assigned (or answered) before gets the group's action as
        // a re-assignment (a redraft).
        case Action::reassign:
            return Action::assign;
        case Action::redraft:
            return Action::draft;
        case Action::assign:
        case Action::returned:
        case Action::extend:
        case Action::draft:
        case Action::approve:
        case Action::reject:
        case Action::withdraw:
        case Action::exemplary:
            return action;
        default:
            return std::nullopt;
        }
    }

    static bool answered_by(const std::vector<HistoryEntry>& history, const Timestamp& t) {
        bool answered = false;
        for (const HistoryEntry& h : history) {
            if (h.at <= t && (h.action == Action::reply || h.action == Action::close)) {
                answered = true;
            } else if (h.at <= t && h.action == Action::reopen) {
                answered = false;
            }
        }
        return answered;
    }

    // A case linked with another is in a group; the group is checked once,
    // from the first of its members that names a link (the others come
    // after it, or link nothing themselves).
    void check_group_in_step(const IndexEntry& e) {
        const CaseSummary& c = *e.summary;
        if (c.group.empty()) {
            return;
        }
        std::vector<std::string> group = m_groups.others(c.id);
        for (const std::string& id : group) {
            auto it = m_by_id.find(id);
            if (id < c.id && it != m_by_id.end() && m_passed[it->second.front()].grouped) {
                return;
            }
        }
        std::vector<const IndexEntry*> members{&e};
        for (const std::string& id : group) {
            const IndexEntry* m = member(id);
            if (!m) {
                return; // reported as a missing case
            }
            members.push_back(m);
        }
        Timestamp since = c.received;
        for (const IndexEntry* m : members) {
            for (const HistoryEntry& h : m->summary->history) {
                if (h.action == Action::link || h.action == Action::unlink ||
                    h.action == Action::received) {
                    since = std::max(since, h.at);
                }
            }
        }
        // A letter that joins a group already assigned takes over its
        // handling with an `assign` of its own: no action of the group.
        std::optional<Timestamp> first_assigned;
        for (const IndexEntry* m : members) {
            for (const HistoryEntry& h : m->summary->history) {
                if (group_action(h.action) == Action::assign &&
                    (!first_assigned || h.at < *first_assigned)) {
                    first_assigned = h.at;
                }
            }
        }
        auto joins = [&](const HistoryEntry& h) {
            return h.action == Action::assign && first_assigned && *first_assigned < h.at;
        };
        // Each group action since then, and the member that has it.
        std::map<std::pair<Timestamp, Action>, std::string> done;
        for (const IndexEntry* m : members) {
            for (const HistoryEntry& h : m->summary->history) {
                if (std::optional<Action> action = group_action(h.action);
                    h.at > since && action && !joins(h)) {
                    done.emplace(std::pair{h.at, *action}, m->summary->id);
                }
            }
        }
        for (const IndexEntry* m : members) {
            for (const auto& entry : done) {
                // Named, not a structured binding: clang 14's lambdas cannot capture those.
                const auto& what = entry.first;
                const std::string& who = entry.second;
                const auto& history = m->summary->history;
                if (answered_by(history, what.first)) {
                    continue; // an answered member keeps its handling
                }
                bool has = std::any_of(history.begin(), history.end(), [&](const HistoryEntry& h) {
                    return h.at == what.first && group_action(h.action) == what.second;
                });
                if (!has) {
                    m_into->warnings.push_back(
                        DataError(locate_key(m_mailbox, m->path, "group"),
                                  tr("out of step with its group: case '{}' has '{}' of {} and "
                                     "this case has not (a write killed half way, or a change "
                                     "made in another clone before the link)",
                                     who, to_string(what.second), what.first.iso()))
                            .what());
                    break;
                }
            }
        }
    }

    void unit_ref(const IndexEntry& e, const std::string& key, const std::string& id) {
        if (!m_config.find_unit(id)) {
            at(e, key, m_config.unknown_unit(id));
        }
    }

    void category_ref(const IndexEntry& e, const std::string& key, const std::string& id) {
        if (!m_config.find_category(id)) {
            at(e, key, m_config.unknown_category(id));
        }
    }

    void check_references(const IndexEntry& e) {
        const CaseSummary& c = *e.summary;
        if (c.handler) {
            unit_ref(e, "handler", *c.handler);
        }
        if (c.suggested_unit) {
            unit_ref(e, "suggested_unit", *c.suggested_unit);
        }
        for (std::size_t i = 0; i < c.co_units.size(); ++i) {
            unit_ref(e, fmt::format("co_units[{}]", i), c.co_units[i]);
        }
        if (c.category) {
            category_ref(e, "category", *c.category);
        }
        if (c.suggested_category) {
            category_ref(e, "suggested_category", *c.suggested_category);
        }
        if (c.suggested_by && *c.suggested_by != "learned") {
            at(e, "suggested_by",
               tr("unknown suggestion source '{}': only 'learned' is known", *c.suggested_by));
        }
        for (std::size_t i = 0; i < c.returned_by.size(); ++i) {
            unit_ref(e, fmt::format("returned_by[{}]", i), c.returned_by[i]);
        }
        if (c.leader) {
            leader_ref(e, "leader", *c.leader);
        }
        if (c.kind && !m_config.find_kind(*c.kind)) {
            at(e, "kind", m_config.unknown_kind(*c.kind));
        }
        for (std::size_t i = 0; i < c.extensions.size(); ++i) {
            leader_ref(e, fmt::format("extensions[{}].approved_by", i),
                       c.extensions[i].approved_by);
        }
        for (std::size_t i = 0; i < c.history.size(); ++i) {
            if (c.history[i].action == Action::unknown) {
                history_action(e, i, c.history[i].unknown_action);
            }
        }
        for (std::size_t i = 0; i < c.rejections.size(); ++i) {
            unit_ref(e, fmt::format("rejections[{}]", i), c.rejections[i]);
        }
        if (c.draft && !c.draft->unit.empty()) {
            unit_ref(e, "draft.unit", c.draft->unit);
        }
        if (c.accused) {
            unit_ref(e, "accused", *c.accused);
            check_accused(e);
        }
    }

    // An accusation handled by the unit it accuses: only `assign --force`
    // does that, so it is flagged, not refused.
    void check_accused(const IndexEntry& e) {
        const CaseSummary& c = *e.summary;
        if (c.handled_by_accused()) {
            m_into->warnings.push_back(
                DataError(
                    locate_key(m_mailbox, e.path, c.handler == c.accused ? "handler" : "co_units"),
                    tr("restricted case {} is handled by '{}', the unit it accuses", c.id,
                       *c.accused))
                    .what());
        }
    }

    // Kept as written by every command, but a hand edit's typo or a newer
    // clone's action counts in no report.
    void history_action(const IndexEntry& e, std::size_t i, const std::string& spelling) {
        std::vector<std::string> known;
        for (int a = 0; a < static_cast<int>(Action::unknown); ++a) {
            known.emplace_back(to_string(static_cast<Action>(a)));
        }
        std::string near = suggestions(spelling, known);
        at(e, fmt::format("history[{}].action", i),
           near.empty() ? tr("unknown history action '{}'", spelling)
                        : tr("unknown history action '{}'; did you mean {}?", spelling, near));
    }

    void leader_ref(const IndexEntry& e, const std::string& key, const std::string& id) {
        if (!m_config.find_leader(id)) {
            at(e, key, m_config.unknown_leader(id));
        }
    }

    const Mailbox& m_mailbox;
    const Config& m_config;
    bool m_config_ok;
    std::vector<DataError>& m_problems;
    std::vector<std::string>& m_warnings;
    std::vector<Passed> m_passed;                            // every file, in path order
    std::map<std::string, std::vector<std::size_t>> m_by_id; // in m_passed
    std::deque<IndexEntry> m_grouped;                        // the cases naming a link
    Groups m_groups;                                         // of those links
    std::map<std::string, IndexEntry> m_read;                // members read again, by path
    std::vector<std::pair<std::string, Day>> m_open_due;
    Found* m_into = nullptr; // where the case being checked has its findings go
};

// Case files a command wrote without --commit, or whose commit failed,
// reach no other clone until committed. A warning only: an office may
// commit by hand, or not keep the mailbox in git at all. In the middle of a
// merge they are the merge's, for its own commit.
std::string uncommitted_warning(const std::filesystem::path& root) {
    std::vector<std::string> left = uncommitted_case_files(root);
    if (left.empty() || !unfinished_git_operation(root).empty()) {
        return "";
    }
    constexpr std::size_t k_named = 3;
    std::size_t n = left.size();
    std::string named;
    for (std::size_t i = 0; i < std::min(n, k_named); ++i) {
        named += (i ? C_("list separator", ", ") : "") + left[i];
    }
    std::string command = commit_leftovers_command(root);
    if (n <= k_named) {
        return trn("{} case file is not committed ({}): the next command run with --commit takes "
                   "it in, or commit now with: {}",
                   "{} case files are not committed ({}): the next command run with --commit "
                   "takes them in, or commit now with: {}",
                   n, n, named, command);
    }
    // More than three: the singular is for languages that use it for 21 too.
    return trn("{} case file is not committed ({} and {} more): the next command run with "
               "--commit takes it in, or commit now with: {}",
               "{} case files are not committed ({} and {} more): the next command run with "
               "--commit takes them in, or commit now with: {}",
               n, n, named, n - k_named, command);
}

} // namespace

CheckReport check_mailbox(const std::filesystem::path& root, bool full) {
    CheckReport report;
    ConfigParse config;
    try {
        config = parse_config_text(read_file(root / "mailbox.toml"), "mailbox.toml");
    } catch (const Error& e) {
        config.problems.emplace_back(Position{"mailbox.toml", 0, 0}, e.what());
    }
    report.config_ok = config.problems.empty();
    report.problems = config.problems;
    report.problems.insert(report.problems.end(), config.unknown.begin(), config.unknown.end());

    Mailbox mailbox(root, config.config);
    CaseChecker checker(mailbox, report.config_ok, report.problems, report.warnings);
    CaseScan scan(mailbox, !full);
    scan.links_as_written(); // a one-sided link is for check to see
    scan.each([&](IndexEntry& e) { checker.take(e); });
    report.cases = scan.stats().files;
    checker.finish();
    if (report.config_ok) {
        // Open cases follow today's calendar: the due day of each tells
        // which years the holiday list must cover.
        for (const UncoveredYear& y :
             uncovered_years(checker.open_due_days(), config.config.deadline)) {
            report.warnings.push_back(uncovered_year_warning(y));
        }
    }
    // After a writer that was killed the next one sweeps them all; after
    // one that ended in good order only the caches' (these came otherwise).
    bool swept_next = !last_writer_released(root);
    for (const std::string& path : mailbox.temp_files()) {
        const char* what = nullptr;
        if (path.starts_with("cases/") || path.starts_with("originals/")) {
            what = swept_next ? _("a temporary file left by a write that was killed (a copy of a "
                                  "case): the next command that writes removes it")
                              : _("a temporary file left by a write that was killed (a copy of a "
                                  "case); remove it");
        } else if (path.starts_with(".mailbox/")) {
            what = _("a temporary file left by a write that was killed (a cache): the next "
                     "command that writes removes it");
        } else {
            what = swept_next ? _("a temporary file left by a write that was killed: the next "
                                  "command that writes removes it")
                              : _("a temporary file left by a write that was killed: nothing "
                                  "reads it; remove it");
        }
        report.problems.emplace_back(Position{path, 0, 0}, what);
    }
    for (auto& problems :
         {unmerged_problems(root), merge_driver_problems(root), lost_history_problems(root)}) {
        report.problems.insert(report.problems.end(), problems.begin(), problems.end());
    }
    if (std::string left = uncommitted_warning(root); !left.empty()) {
        report.warnings.push_back(left);
    }
    return report;
}

} // namespace mailbox
