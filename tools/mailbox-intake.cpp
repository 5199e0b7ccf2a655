// mailbox-intake: register letters; make a new mailbox.
#include "atomic_file.hpp"
#include "common.hpp"
#include "init.hpp"
#include "intake.hpp"
#include "lock.hpp"

#include <fmt/format.h>
#include <iostream>
#include <iterator>

using namespace mailbox;
using namespace mailbox::tools;

namespace {

struct NewOptions {
    std::string subject, from, email, phone, channel = "web";
    std::optional<std::string> received, body_file;
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
        std::cerr << "mailbox-intake: reading the letter's body from standard input; end with "
                     "Ctrl-D\n";
    }
    return std::string(std::istreambuf_iterator<char>(std::cin), {});
}

void new_letter(const CommonOptions& common, const NewOptions& o) {
    Session s = open_session(common);
    Letter letter;
    letter.subject = o.subject;
    letter.sender = {o.from, o.email, o.phone};
    auto channel = parse_channel(o.channel);
    if (!channel) {
        throw UsageError(
            fmt::format("--channel '{}': expected web, email, letter, visit or phone", o.channel));
    }
    letter.channel = *channel;
    if (o.received) {
        letter.received = parse_timestamp(*o.received, s.mailbox->config().zone);
        if (!letter.received) {
            throw UsageError(fmt::format("--received '{}': expected a date-time such as "
                                         "2026-11-25T09:30 or 2026-11-25 09:30:00",
                                         *o.received));
        }
    }
    letter.body = read_body(o);
    check_commit_possible(common, s.ctx.root);
    MailboxLock lock(s.ctx.root, std::chrono::seconds(5));
    Case c = register_letter(*s.mailbox, s.ctx, std::move(letter), common.dry_run);
    commit_if_asked(common, s.ctx.root, {s.mailbox->case_path(c.id)},
                    fmt::format("Register case {}: {}.", c.id, c.subject));
    if (output_format(common) == Format::json) {
        std::cout << to_json(Value(Value::Object{{"id", c.id},
                                                 {"suggested_category", c.suggested_category},
                                                 {"suggested_unit", c.suggested_unit},
                                                 {"group", Value::texts(c.group)}}));
    } else {
        std::cout << c.id << '\n';
    }
    if (common.dry_run) {
        std::cerr << fmt::format("mailbox-intake: dry run: would write {}\n",
                                 s.mailbox->case_path(c.id));
    }
}

void init_command(const CommonOptions& common, const std::string& dir, bool git) {
    if (!git && common.commit && !common.dry_run) {
        // The folder may be new inside an existing clone: ask git about it.
        std::filesystem::create_directories(dir);
        check_commit_possible(common, dir);
    }
    std::vector<std::string> files = init_mailbox(dir, git, common.dry_run);
    if (common.dry_run) {
        for (const std::string& f : files) {
            std::cerr << fmt::format("mailbox-intake: dry run: would write {}/{}\n", dir, f);
        }
        return;
    }
    commit_if_asked(common, dir, files, "Start the mailbox.");
    std::cout << fmt::format("new mailbox in {}: edit mailbox.toml, then register letters with "
                             "'mailbox-intake new'\n",
                             dir);
}

} // namespace

int main(int argc, char** argv) {
    std::optional<std::string> init_dir;
    bool git = false;
    NewOptions no;
    return run_tool(
        "mailbox-intake", argc, argv, "Register citizens' letters as cases.", true,
        [&](CLI::App& app, CommonOptions& common) {
            CLI::App* init = add_subcommand(app, "init", "make a new mailbox in DIR");
            init->add_option("dir", init_dir, "where (default: -C, else the current folder)");
            init->add_flag("--git", git, "also run git init");
            init->callback(
                [&] { init_command(common, init_dir.value_or(common.dir.value_or(".")), git); });

            CLI::App* add = add_subcommand(app, "new", "register one letter (body on stdin)");
            add->add_option("--subject", no.subject, "the letter's subject")->required();
            add->add_option("--from", no.from, "the sender's name")->required();
            add->add_option("--email", no.email, "the sender's e-mail address");
            add->add_option("--phone", no.phone, "the sender's phone number");
            add->add_option("--channel", no.channel, "web, email, letter, visit or phone");
            add->add_option("--received", no.received, "when the letter came (default: now)");
            add->add_option("--body-file", no.body_file, "read the body from F, not stdin")
                ->type_name("F");
            add->callback([&] { new_letter(common, no); });
        });
}
