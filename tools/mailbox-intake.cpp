// mailbox-intake: make a mailbox; register letters from flags and stdin, or
// import them from .eml, mbox and web-form CSV files.
#include "common.hpp"
#include "intake/import.hpp"
#include "intake/intake.hpp"
#include "intake/intake_edit.hpp"
#include "merge/renumber.hpp"
#include "model/calendar.hpp"
#include "store/git.hpp"
#include "store/init.hpp"
#include "store/lock.hpp"
#include "util/atomic_file.hpp"

#include <cmath>
#include <fmt/format.h>
#include <iostream>
#include <iterator>

using namespace mailbox;
using namespace mailbox::tools;

namespace {

struct NewOptions {
    std::string subject, from, email, phone, channel = "web";
    std::optional<std::string> received, body_file, category;
    bool no_link = false;
    bool restricted = false;
    std::optional<std::string> accused;
};

std::string read_body(const NewOptions& o) {
    if (o.body_file) {
        try {
            return read_file(*o.body_file);
        } catch (const SystemError& e) {
            throw UsageError(std::string("--body-file: ") + e.what());
        }
    }
    if (isatty(STDIN_FILENO)) {
        std::cerr << "mailbox-intake: "
                  << _("reading the letter's body from standard input; end with Ctrl-D") << '\n';
    }
    return std::string(std::istreambuf_iterator<char>(std::cin), {});
}

// Two decimals, as the clerk is told: more would claim a precision the
// score does not have.
double rounded(double score) {
    return std::round(score * 100) / 100;
}

// Where a new case's suggestion came from: the keywords, what the decided
// cases teach, or the category given.
Value suggested_by(const Case& c) {
    if (!c.suggested_category) {
        return Value();
    }
    return Value(c.suggested_by ? *c.suggested_by : c.category ? "given" : "keywords");
}

Value result_record(const std::string& source, const IntakeResult& r, const std::string& error) {
    std::string status = !error.empty() ? "error" : r.already ? "already" : "registered";
    return Value(Value::Object{
        {"source", source},
        {"status", status},
        {"id", r.already        ? Value(*r.already)
               : r.c.id.empty() ? Value()
                                : Value(r.c.id)},
        {"subject", r.c.subject.empty() ? Value() : Value(r.c.subject)},
        {"suggested_category", r.c.suggested_category},
        {"suggested_unit", r.c.suggested_unit},
        {"suggested_by", r.already ? Value() : suggested_by(r.c)},
        {"group", Value::texts(r.group)},
        {"similarity", r.link ? Value(rounded(r.link->similarity.score)) : Value()},
        {"error", error.empty() ? Value() : Value(error)},
    });
}

// What a clerk reads on stderr about one letter, beside its id on stdout.
void say(const std::string& source, const IntakeResult& r) {
    std::cout.flush();
    if (r.already) {
        std::cerr << "mailbox-intake: " << tr("{}: already registered as {}", source, *r.already)
                  << '\n';
        return;
    }
    if (r.link) {
        std::cerr << "mailbox-intake: "
                  << (r.link->same_sender ? tr("{}: linked to {} (similarity {:.2f}, same sender)",
                                               source, r.link->id, r.link->similarity.score)
                                          : tr("{}: linked to {} (similarity {:.2f})", source,
                                               r.link->id, r.link->similarity.score))
                  << '\n';
    }
}

void new_letter(const CommonOptions& common, const NewOptions& o) {
    Session s = open_session(common);
    Letter letter;
    letter.subject = o.subject;
    letter.sender = {o.from, o.email, o.phone};
    letter.category = o.category;
    letter.restricted = o.restricted;
    if (o.accused) {
        const Unit* u = s.mailbox->config().unit_named(*o.accused);
        if (!u) {
            throw UsageError("--accused: " + s.mailbox->config().unknown_unit(*o.accused));
        }
        letter.accused = u->id;
    }
    auto channel = parse_channel(o.channel);
    if (!channel) {
        throw UsageError(tr("--channel '{}': expected {} or {}", o.channel, channel_list_but_last(),
                            last_channel()));
    }
    letter.channel = *channel;
    if (o.received) {
        letter.received = moment_flag("--received", *o.received, s.mailbox->config().zone);
    }
    letter.body = read_body(o);
    check_commit_possible(common, s.ctx.root);
    MailboxLock lock(by_checked(s), std::chrono::seconds(5));
    Intake intake(*s.mailbox, s.ctx, common.dry_run, !o.no_link);
    IntakeResult r = intake.add(std::move(letter));
    std::vector<std::string> changed;
    if (!r.already) {
        changed.push_back(s.mailbox->case_path(r.c.id));
        for (const std::string& id : r.c.group) {
            changed.push_back(s.mailbox->case_path(id));
        }
    }
    commit_if_asked(
        common, s.ctx.root, s.ctx.record, changed,
        say(s.ctx.record, {"Register case {}: {}.", "登记{}：{}。"}, r.c.id, r.c.subject),
        "registered");
    // Registering by hand is deliberate: a letter already there is only
    // pointed to, and nothing changes.
    std::string id = r.already.value_or(r.c.id);
    if (output_format(common) == Format::json) {
        std::cout << to_json(Value(Value::Object{
            {"id", id},
            {"already", r.already.has_value()},
            {"suggested_category", r.c.suggested_category},
            {"suggested_unit", r.c.suggested_unit},
            {"suggested_by", r.already ? Value() : suggested_by(r.c)},
            {"group", Value::texts(r.group)},
            {"similarity", r.link ? Value(rounded(r.link->similarity.score)) : Value()}}));
    } else {
        std::cout << id << '\n';
    }
    say("new", r);
    if (r.already) {
        return;
    }
    if (std::optional<Day> due = due_day(r.c, s.mailbox->config())) {
        for (const UncoveredYear& y :
             uncovered_years({{r.c.id, *due}}, s.mailbox->config().deadline)) {
            warn(uncovered_year_warning(y));
        }
    }
    if (common.dry_run) {
        std::cerr << "mailbox-intake: "
                  << tr("dry run: would write {}", s.mailbox->case_path(r.c.id)) << '\n';
    }
}

void import_command(const CommonOptions& common, const std::vector<std::string>& files,
                    const std::string& encoding, bool no_link) {
    Session s = open_session(common);
    check_commit_possible(common, s.ctx.root);
    MailboxLock lock(by_checked(s), std::chrono::seconds(5));
    Intake intake(*s.mailbox, s.ctx, common.dry_run, !no_link);
    Format format = output_format(common);
    std::vector<Value> records;
    ImportEvents events;
    events.letter = [&](const ImportedLetter& l) {
        records.push_back(result_record(l.source, l.result, l.error));
        if (!l.error.empty()) {
            std::cout.flush();
            std::cerr << fmt::format("mailbox-intake: {}: {}\n", l.source, l.error);
            return;
        }
        say(l.source, l.result);
        if (format == Format::table && !l.result.already) {
            std::cout << fmt::format("{}  {}\n", l.result.c.id, l.source);
        }
    };
    events.warning = [](const std::string& w) { warn(w); };
    ImportReport run = import_files(intake, *s.mailbox, s.ctx, files, encoding, events);
    // Also with nothing new: a retry takes in what a failed commit left.
    commit_if_asked(
        common, s.ctx.root, s.ctx.record, run.changed,
        run.registered == 1
            ? say(s.ctx.record, {"Import 1 letter.", "导入1件来信。"})
            : say(s.ctx.record, {"Import {} letters.", "导入{}件来信。"}, run.registered),
        "registered");
    if (format != Format::table) {
        print_records(std::cout, format, records, {});
    }
    std::cout.flush();
    std::cerr << "mailbox-intake: "
              << (common.dry_run ? tr("{} registered, {} already registered, {} failed (dry run: "
                                      "nothing written)",
                                      run.registered, run.already, run.failed)
                                 : tr("{} registered, {} already registered, {} failed",
                                      run.registered, run.already, run.failed))
              << '\n';
    if (!run.stopped.empty()) {
        std::cerr << "mailbox-intake: "
                  << tr("stopped after {}: the letters after it were not read; import again to "
                        "register them (those registered are known and skipped)",
                        run.stopped)
                  << '\n';
    }
    if (run.failed > 0) {
        throw DataError(tr("{} of the letters could not be registered", run.failed));
    }
}

void init_command(const CommonOptions& common, const std::string& dir, bool git) {
    if (!git && common.commit && !common.dry_run) {
        // The folder may be new inside an existing clone: ask git about it.
        std::filesystem::create_directories(dir);
        check_commit_possible(common, dir);
    }
    std::vector<std::string> files = init_mailbox(dir, git, common.dry_run, tools_dir());
    if (common.dry_run) {
        for (const std::string& f : files) {
            std::cerr << "mailbox-intake: " << tr("dry run: would write {}/{}", dir, f) << '\n';
        }
        return;
    }
    Language l = common.commit ? Mailbox(dir).config().office.language : Language::en;
    commit_if_asked(common, dir, l, files, say(l, {"Start the mailbox.", "建立信箱。"}), "written");
    std::cout << tr("new mailbox in {}: edit mailbox.toml, then register letters with "
                    "'mailbox-intake new'",
                    dir)
              << '\n';
}

void renumber(const CommonOptions& common, const std::string& typed) {
    if (common.commit) {
        throw UsageError(_("renumber stages what it writes for the merge under way: finish it "
                           "with 'git commit' (or 'git rebase --continue'), not --commit"));
    }
    Writing w(common);
    std::string id = w.s.mailbox->resolve_id(typed);
    Renumbering r = renumber_collision(*w.s.mailbox, id, w.s.ctx);
    finish(common, w.s, r.changed, "");
    if (common.dry_run) {
        return;
    }
    std::vector<std::string> add{"add", "--"};
    for (const Case& c : r.changed) {
        add.push_back(w.s.mailbox->case_path(c.id));
    }
    if (GitResult g = run_git(w.s.ctx.root, add); g.status != 0) {
        throw SystemError(tr("git add failed: {}", g.out));
    }
    std::cerr << "mailbox-intake: "
              << tr("{} stays with the letter registered first; the other is now {}. Finish the "
                    "merge with 'git commit' (or 'git rebase --continue')",
                    r.id, r.new_id)
              << '\n';
}

struct EditOptions {
    std::optional<std::string> subject, from, email, phone, received, channel;
};

Corrections flag_corrections(const EditOptions& o) {
    Corrections given;
    auto flag = [&](const std::string& field, const std::optional<std::string>& value) {
        if (value) {
            given[field] = {*value, "--" + field};
        }
    };
    flag("subject", o.subject);
    flag("from", o.from);
    flag("email", o.email);
    flag("phone", o.phone);
    flag("received", o.received);
    flag("channel", o.channel);
    return given;
}

// The form filled in in $EDITOR while no lock is held (others keep working
// meanwhile), and the case's last change when it was opened; nullopt when
// the form came back unchanged.
std::optional<Corrections> corrections_in_editor(const CommonOptions& common,
                                                 const std::string& typed,
                                                 std::optional<Timestamp>& seen) {
    if (!editor_available()) {
        throw UsageError(_("nothing to correct: give --subject, --from, --email, --phone, "
                           "--received or --channel, or run it on a terminal with $EDITOR set"));
    }
    Session s = open_session(common);
    Case c = s.mailbox->load(s.mailbox->resolve_id(typed));
    seen = c.last_change();
    std::string name = c.id + ".txt";
    std::string opened = registration_form(c, s.mailbox->config().zone);
    auto given = read_registration_form(edit_text(opened, name), opened, name);
    if (!given) {
        std::cerr << "mailbox-intake: "
                  << tr("case {}: the form is unchanged; nothing written", c.id) << '\n';
    }
    return given;
}

void edit_command(const CommonOptions& common, const std::string& typed, const EditOptions& o) {
    Corrections given = flag_corrections(o);
    bool editor = given.empty();
    std::optional<Timestamp> seen;
    if (editor) {
        std::optional<Corrections> edited = corrections_in_editor(common, typed, seen);
        if (!edited) {
            return;
        }
        given = std::move(*edited);
    }
    Writing w(common);
    std::string id = w.s.mailbox->resolve_id(typed);
    if (editor && w.s.mailbox->load(id).last_change() != seen) {
        throw LockError(
            tr("case {} changed while the form was edited; nothing written; edit it again", id));
    }
    Corrected r = edit_registration(*w.s.mailbox, w.s.ctx, id, given);
    if (r.changes.empty()) {
        std::cerr << "mailbox-intake: " << tr("case {}: nothing to correct; nothing written", id)
                  << '\n';
        return;
    }
    finish(common, w.s, {r.c},
           say(w.s.ctx.record, {"Correct the registration of case {}.", "更正{}的登记信息。"}, id));
    std::cerr << fmt::format("mailbox-intake: case {}: {}\n", id, r.c.history.back().note);
}

} // namespace

int main(int argc, char** argv) {
    std::optional<std::string> init_dir;
    bool git = false;
    NewOptions no;
    std::vector<std::string> files;
    std::string encoding = "utf-8";
    std::string id;
    EditOptions eo;
    return run_tool(argc, argv, [&](CommonOptions& common) {
        Tool tool{"mailbox-intake", _("Register citizens' letters as cases."), {}, {}};
        tool.commands = {
            {"init", _("make a new mailbox in DIR"), true,
             [&](CLI::App& c) {
                 c.add_option("dir", init_dir, _("where (default: -C, else the current folder)"));
                 c.add_flag("--git", git, _("also run git init and set up the merge driver"));
             },
             [&] { init_command(common, init_dir.value_or(common.dir.value_or(".")), git); }},
            {"new", _("register one letter (body on stdin)"), true,
             [&](CLI::App& c) {
                 c.add_option("--subject", no.subject, _("the letter's subject"))->required();
                 c.add_option("--from", no.from, _("the sender's name"))->required();
                 c.add_option("--email", no.email, _("the sender's e-mail address"));
                 c.add_option("--phone", no.phone, _("the sender's phone number"));
                 c.add_option("--channel", no.channel,
                              tr("{} or {}", channel_list_but_last(), last_channel()));
                 c.add_option("--received", no.received, _("when the letter came (default: now)"));
                 c.add_option("--body-file", no.body_file, _("read the body from F, not stdin"))
                     ->type_name("F");
                 c.add_option("--category", no.category,
                              _("set the category instead of suggesting"));
                 c.add_flag("--no-link", no.no_link,
                            _("do not link it to the same letter sent before"));
                 c.add_flag("--restricted", no.restricted,
                            _("an accusation (举报): kept out of bulletins, digests and notices"));
                 c.add_option("--accused", no.accused,
                              _("the unit it accuses: never handed to it (implies --restricted)"))
                     ->type_name("UNIT");
             },
             [&] { new_letter(common, no); }},
            {"import", _("register letters from .eml, mbox and .csv files"), true,
             [&](CLI::App& c) {
                 c.add_option("files", files, _("the files"))->required();
                 c.add_option("--encoding", encoding, _("of a CSV file: utf-8 or gb18030"))
                     ->check(CLI::IsMember({"utf-8", "gb18030"}));
                 c.add_flag("--no-link", no.no_link,
                            _("do not link letters to the same letter sent before"));
             },
             [&] { import_command(common, files, encoding, no.no_link); }},
            {"renumber", _("give one of two letters that got one id in two clones its own"), true,
             [&](CLI::App& c) {
                 c.add_option("id", id, _("the id git left unmerged"))->required();
             },
             [&] { renumber(common, id); }},
            {"edit", _("correct a registration mistake (in $EDITOR without flags)"), true,
             [&](CLI::App& c) {
                 c.add_option("id", id, _("the case (an id or a unique prefix)"))->required();
                 c.add_option("--subject", eo.subject, _("the letter's subject"));
                 c.add_option("--from", eo.from, _("the sender's name"));
                 c.add_option("--email", eo.email, _("the sender's e-mail address ('' clears it)"));
                 c.add_option("--phone", eo.phone, _("the sender's phone number ('' clears it)"));
                 c.add_option("--received", eo.received, _("when the letter came"));
                 c.add_option(
                     "--channel", eo.channel,
                     tr("how the letter came: {} or {}", channel_list_but_last(), last_channel()));
             },
             [&] { edit_command(common, id, eo); }},
        };
        return tool;
    });
}
