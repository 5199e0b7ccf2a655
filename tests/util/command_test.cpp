#include "util/command.hpp"
#include "util/error.hpp"

#include <catch2/catch.hpp>

using namespace mailbox;

TEST_CASE("a command line splits into words as a shell would, with nothing expanded") {
    using V = std::vector<std::string>;
    CHECK(split_command_line("sendmail -i") == V{"sendmail", "-i"});
    CHECK(split_command_line("  msmtp  -a 'office account' ") ==
          V{"msmtp", "-a", "office account"});
    CHECK(split_command_line(R"(a "b \"c\" d" e\ f)") == V{"a", "b \"c\" d", "e f"});
    CHECK(split_command_line("echo $HOME `id` ;rm") == V{"echo", "$HOME", "`id`", ";rm"});
    CHECK(split_command_line("x ''") == V{"x", ""});
    CHECK_THROWS_WITH(split_command_line("a 'b"), "unterminated ' in command 'a 'b'");
    CHECK_THROWS_AS(split_command_line("   "), UsageError);
}

TEST_CASE("a command gets its input and its output and status come back") {
    CommandResult r = run_with_input({"sh", "-c", "cat; echo oops >&2; exit 3"}, "hello\n");
    CHECK(r.status == 3);
    CHECK(r.output == "hello\noops\n");
}

TEST_CASE("a command that does not read its input, or does not exist, is no crash") {
    std::string big(1 << 20, 'x');
    CHECK(run_with_input({"true"}, big).status == 0);
    CommandResult missing = run_with_input({"/nonexistent/sendmail"}, "x");
    CHECK(missing.status == 127);
    CHECK(missing.output.find("can't run '/nonexistent/sendmail'") != std::string::npos);
}
