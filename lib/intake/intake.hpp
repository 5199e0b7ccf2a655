// Registering letters: one new case file per letter, with a suggested
// category and unit, linked to the same letter sent before (一稿多投), and
// registered only once however often the same message or row is imported.
#pragma once

#include "intake/dedupe.hpp"
#include "model/case.hpp"
#include "model/context.hpp"
#include "model/record_language.hpp"
#include "model/routing.hpp"
#include "store/cache/learned.hpp"
#include "store/cache/letter_index.hpp"
#include "store/mailbox.hpp"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace mailbox {

struct Letter {
    std::string subject;
    Sender sender;
    Channel channel = Channel::web;
    std::optional<Timestamp> received; // default: now
    std::string body;
    std::string message_id;   // of a letter that came by e-mail
    std::string content_hash; // else what tells a re-import apart
    std::vector<Attachment> attachments;
    std::vector<Note> notes;             // for the clerk, kept in the history
    std::optional<std::string> category; // chosen by hand instead of suggested
    bool restricted = false;             // an accusation (举报): kept out of others' sight
    std::optional<std::string> accused;  // the unit it accuses, by id
    // Bytes to keep with the letter (an e-mail whose text could not be
    // decoded whole): written to originals/ and listed as an attachment.
    std::string original;
};

struct MailLetter;

// The letter a message read by read_mail_file holds; one without a Date is
// received `now`.
Letter mail_letter(MailLetter m, const Timestamp& now);

// Where a letter's original message is kept: named by its content, so two
// clones keeping the same message agree and no two messages collide.
std::string original_path(std::string_view original);

// What one field of a letter may hold, in bytes (mailbox.5, LIMITS): a
// letter beyond them is cut, and its history says so; an address or a phone
// number beyond them is refused, as a cut one would reach no one.
struct LetterLimits {
    std::size_t subject = 1024;
    std::size_t name = 256;
    std::size_t email = 254; // RFC 5321's longest path
    std::size_t phone = 64;
    std::size_t body = 256 * 1024;
};
inline constexpr LetterLimits k_limits{};

// Builds the case for a letter (with its id, if `id` is given) after checking
// and tidying the text: valid UTF-8, one-line subject and name, LF line ends.
Case make_case(Letter letter, const Context& ctx, std::string id);

// The checks make_case gives the fields of a registration, one at a time,
// for a correction of them (intake_edit) to pass the same ones. A subject or
// name too long is cut, and `notes` says so; UsageError for what cannot be
// kept: text that is not UTF-8, an empty subject or name, an address or
// number too long to cut.
std::string letter_subject(std::string_view subject, std::vector<Note>& notes);
Sender letter_sender(const Sender& sender, std::vector<Note>& notes);

// Why a letter cannot have been received then, when it was registered at
// `registered` (a few minutes after are two clocks disagreeing); none when
// it can. The caller says it, in a message of its own.
enum class NotReceived {
    none,
    out_of_years,     // not in 2000 to 2099: the case id holds two digits of the year
    after_registered, // after `registered`
};
NotReceived why_not_received(const Timestamp& received, const Timestamp& registered);

struct IntakeResult {
    Case c;
    std::optional<std::string> already; // the case that holds this letter already
    std::optional<DedupeHit> link;      // the same letter, received before
    std::vector<std::string> group;     // the other cases of the group it joined, all of them
};

class Intake {
  public:
    // Reads the letter index once for the whole run, not every case. The
    // caller holds the lock.
    Intake(const Mailbox& mailbox, const Context& ctx, bool dry_run, bool link);
    ~Intake();

    // Registers one letter; its case is stored in the cache as it is written.
    IntakeResult add(Letter letter);

    // From now on add() holds what it would write, for flush() to write
    // together: an import's letters then share the disk's syncs and the
    // cache's commits, and a case that many copies of one letter join is
    // written once, not once a copy.
    void hold_writes() { m_hold = true; }
    // How many cases are held (new ones, and those their links changed),
    // how many of them are new, and about how many bytes they take.
    std::size_t held() const { return m_new.size() + m_changed.size(); }
    std::size_t held_letters() const { return m_new.size(); }
    std::size_t held_bytes() const { return m_held_bytes; }
    // Writes what is held, as one change (Mailbox::save_new): all of it, or
    // none, with the error. After an error this Intake is not to be used
    // again: its letters were matched against cases that are not written.
    void flush();
    // flush() in two halves, so that the next letters are matched while the
    // disk writes: start_flush() finishes the write before, then writes what
    // is held on a thread of its own; finish_flush() waits for that write
    // and stores its cases in the cache. The write's error is thrown by
    // finish_flush(), and what was held since is dropped, unwritten.
    void start_flush();
    void finish_flush();

  private:
    std::vector<Case> link_group(Case& c, const DedupeHit& hit);
    std::vector<std::string> whole_group(const Case& c);
    // The case as this run left it: held, or as its file holds it.
    Case current(const std::string& id) const;
    void hold(const Case& c, std::vector<Case> changed);
    void drop_held();
    void keep_original(const std::string& original) const;
    std::optional<Suggestion> learned_suggestion_for(const Case& c);

    const Mailbox& m_mailbox;
    const Context& m_ctx;
    bool m_dry_run;
    bool m_link;
    LetterIndex m_letters;
    LetterMatcher m_matcher;
    Router m_router;
    // What the decided cases teach: read at the first letter no keyword routes.
    std::unique_ptr<LearnedSuggestions> m_learned;
    std::size_t m_learned_cases = 0;
    bool m_learned_tried = false;
    bool m_hold = false;
    std::vector<Case> m_new; // as registered, in order
    std::unordered_map<std::string, std::size_t> m_new_at;
    std::map<std::string, Case> m_changed; // later versions, by id
    std::size_t m_held_bytes = 0;
    struct Writing; // what start_flush() writes, and its write
    std::unique_ptr<Writing> m_writing;
    // The groups, read from the cache at the first link of the run, and
    // this run's links: what a new case joined, whole, without reading the
    // files of a campaign's hundred copies.
    std::optional<Groups> m_groups;
};

// One letter in a run of its own: the new case (or, when it was imported
// before, the empty case with no id).
Case register_letter(const Mailbox& mailbox, const Context& ctx, Letter letter, bool dry_run);

} // namespace mailbox
