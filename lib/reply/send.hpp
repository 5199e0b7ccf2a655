// Sending the approved answer: one reply per sender of the group (分别答复).
// A sender with an e-mail address gets a message; one without gets a
// printable letter, and one with a phone number an SMS as well. Planning
// renders everything and writes nothing; the tool delivers each message
// and records each sender as it is done, so a failure leaves only that
// sender for the next run.
#pragma once

#include "format/output.hpp"
#include "model/case.hpp"
#include "model/context.hpp"
#include "store/mailbox.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace mailbox {

struct OutgoingReply {
    ReplyVia via = ReplyVia::email;
    std::string to;         // e-mail address, phone number, or the name on a letter
    std::string file;       // the file name it is written to, without a folder
    std::string text;       // RFC 5322 for e-mail, plain text else
    std::string message_id; // e-mail only
    int sms_characters = 0;
    int sms_segments = 0;
    bool no_contact = false; // a letter to a sender who left no way to reach them
};

// One sender's replies. `also`: the sender's other letters in the group
// (the same person wrote twice): answered by the same messages.
struct SenderReplies {
    Case c;
    std::vector<OutgoingReply> messages;
    std::vector<Case> also;
};

// Everything to send for the case's group: the members not yet answered,
// each with its messages rendered from the reply, reply-letter and sms
// templates. GateRefused when the answer is not approved (nothing is
// rendered then); empty when every member has been answered.
// `left`, when given, gets a sentence for each member not answered by this
// send (not assigned, no approved answer) and each address mail cannot go
// to (that sender gets a letter).
std::vector<SenderReplies> plan_replies(const Mailbox& m, const Context& ctx, const std::string& id,
                                        std::vector<std::string>* left = nullptr);

// Records that the sender's replies went: the reply time, whether it was
// on time and how late, the outcome and the status it leads to (tracking
// for planned, in-progress and recurring; else replied).
void record_replies(Case& c, const Config& config, const Context& ctx,
                    const std::vector<OutgoingReply>& sent);

struct Delivery {
    std::filesystem::path out_dir;     // where files go: out/replies/ by default
    std::vector<std::string> sendmail; // e-mail through this command, else to a file
    std::vector<std::string> sms;      // SMS through this command, else to a file
    bool dry_run = false;
};

// What happened to one message.
struct Delivered {
    std::string case_id;
    OutgoingReply reply;
    std::string done;  // "sent", "written", "failed", or "would send" / "would write"
    std::string where; // the file written, or the command
    std::string error; // what the command said when it failed
};

// Delivers each sender's messages: to the command (the recipient added as
// its last argument, the message on its standard input) or to a file in
// out_dir. A sender whose messages all went is recorded and saved at once,
// so a failure later loses nothing; a failed one stays for the next run.
// Returns what happened to each message and the cases saved.
std::vector<Delivered> deliver_replies(const Mailbox& m, const Context& ctx,
                                       std::vector<SenderReplies> plan, const Delivery& how,
                                       std::vector<std::string>* saved = nullptr);

// What `send` prints of each message; `where` named from the mailbox root
// when inside it, as every tool names files.
Value delivered_record(const Delivered& d, const std::filesystem::path& root);
const std::vector<Column>& send_columns(Format format);
std::string mailbox_path(const std::string& where, const std::filesystem::path& root);
// Senders whose every message went (one who wrote twice counts once).
std::size_t senders_answered(const std::vector<Delivered>& done);

// SMS length: one message holds 70 characters of Chinese; a longer text
// goes in segments of 67.
int sms_segments(int characters);

// Lines of at most `columns` display columns (CJK counts two), for a
// letter printed on A4: closing punctuation never starts a line (禁则) and
// may hang one character past the margin; Latin words and numbers are not
// split where a space allows.
std::string wrap_text(std::string_view text, int columns);

// A phone number an SMS can go to: digits, with '+', '-' or spaces.
bool sms_number(std::string_view phone);

} // namespace mailbox
