#include "store/lost_history.hpp"

#include <catch2/catch.hpp>

using namespace mailbox;

TEST_CASE("a diff's removed and added history entry ids, by file") {
    EntryDiff d = parse_entry_diff(
        "diff --git a/cases/2026/261125-AAAAAA.toml b/cases/2026/261125-AAAAAA.toml\n"
        "index 1..2 100644\n"
        "--- a/cases/2026/261125-AAAAAA.toml\n"
        "+++ b/cases/2026/261125-AAAAAA.toml\n"
        "@@ -40,0 +41,3 @@\n"
        "-id = \"5Q48QD\"\n"
        "-id = \"VMCJBH\"\n"
        "+id = \"VMCJBH\"\n"
        "-id = \"261125-AAAAAA\"\n"
        "--- a/not/a/header\n"
        "-id = \"R13TDW\"\n"
        "diff --git a/cases/2026/261125-BBBBBB.toml b/cases/2026/261125-BBBBBB.toml\n"
        "deleted file mode 100644\n"
        "--- a/cases/2026/261125-BBBBBB.toml\n"
        "+++ /dev/null\n"
        "@@ -1,3 +0,0 @@\n"
        "-id = \"3K5BTQ\"\n"
        "diff --git a/cases/2026/261125-CCCCCC.toml b/cases/2026/261125-CCCCCC.toml\n"
        "new file mode 100644\n"
        "--- /dev/null\n"
        "+++ b/cases/2026/261125-CCCCCC.toml\n"
        "@@ -0,0 +1,3 @@\n"
        "+id = \"5Q48QD\"\n");
    using Removed = std::vector<std::pair<std::string, std::string>>;
    // A case's own id is not an entry's; a deleted case is deliberate; a
    // body line that looks like a header is a body line.
    CHECK(d.removed == Removed{{"cases/2026/261125-AAAAAA.toml", "5Q48QD"},
                               {"cases/2026/261125-AAAAAA.toml", "VMCJBH"},
                               {"cases/2026/261125-AAAAAA.toml", "R13TDW"}});
    CHECK(d.added == std::set<std::string>{"VMCJBH", "5Q48QD"});
}
