// The case: one citizen letter and everything the office does with it.
#pragma once

#include "timestamp.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mailbox {

enum class Status { received, assigned, replied, tracking, closed };
enum class Channel { web, email, letter, visit, phone };
enum class Outcome { resolved, explained, planned, in_progress, recurring };

std::string_view to_string(Status s);
std::string_view to_string(Channel c);
std::string_view to_string(Outcome o);
std::optional<Status> parse_status(std::string_view s);
std::optional<Channel> parse_channel(std::string_view s);
std::optional<Outcome> parse_outcome(std::string_view s);

struct Sender {
    std::string name;
    std::string email; // empty when unknown
    std::string phone;
};

struct Attachment {
    std::string name;
    std::int64_t size = 0;
};

// An approved extension of the reply limit (延期).
struct Extension {
    int days = 0;            // counted as the limit is: natural or working days
    std::string approved_by; // a leader id
    Timestamp at;
    std::string reason;
};

// One change to a case. History is append-only; every entry carries its own
// id so that a merge driver can take the union of two clones' entries.
struct HistoryEntry {
    std::string id;
    Timestamp at;
    std::string by;
    std::string action;
    std::string note;
};

struct Case {
    std::string id;
    Status status = Status::received;
    Timestamp received;
    Channel channel = Channel::web;
    std::string subject;
    Sender sender;
    std::optional<std::string> category;
    std::optional<std::string> suggested_category;
    std::optional<std::string> suggested_unit;
    std::optional<std::string> handler; // the lead unit
    std::vector<std::string> co_units;
    std::optional<std::string> leader; // the leader who leads the handling
    std::optional<std::string> instruction;
    std::optional<Timestamp> assigned;    // the first assignment: a re-assignment keeps it
    std::vector<std::string> returned_by; // the units that handed it back (退单), in order
    std::optional<Day> due;               // kept only once closed; open cases derive it
    std::vector<Extension> extensions;
    std::optional<Timestamp> replied;
    std::optional<Timestamp> closed;
    std::optional<Outcome> outcome;
    std::optional<bool> satisfied;
    bool solved_on_site = false;    // by a visit (现场督查)
    std::vector<std::string> group; // the other cases holding the same letter
    std::optional<std::string> message_id;
    std::optional<std::string> content_hash;
    std::vector<Attachment> attachments;
    std::string body;
    std::vector<HistoryEntry> history;

    bool is_open() const { return status == Status::received || status == Status::assigned; }
    // Handed back by a unit and not assigned again yet.
    bool is_returned() const { return status == Status::received && !returned_by.empty(); }
};

// A short id for a history entry, derived from its content so that the same
// entry gets the same id in every clone and output stays reproducible.
std::string history_entry_id(const std::string& case_id, const HistoryEntry& entry,
                             std::size_t index);

void append_history(Case& c, Timestamp at, std::string by, std::string action,
                    std::string note = {});

// How the office recognises one sender across letters: by e-mail, by phone
// digits (+86 or not), and, only when neither is known, by a name that is not
// a placeholder such as 匿名. Two letters share a sender when they share a key.
// Empty when the sender cannot be told apart from others.
std::vector<std::string> sender_keys(const Sender& s);
bool same_sender(const Sender& a, const Sender& b);
// A shared e-mail or phone: what may lower the duplicate threshold (a name
// alone is not enough, many people share one).
bool shares_contact(const Sender& a, const Sender& b);

} // namespace mailbox
