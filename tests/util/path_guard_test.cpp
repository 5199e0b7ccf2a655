#include "test_util.hpp"
#include "util/error.hpp"
#include "util/path_guard.hpp"

#include <catch2/catch.hpp>

using namespace mailbox;
namespace fs = std::filesystem;

namespace {

// A mailbox folder and, beside it, a folder that is not part of it.
struct Folders {
    test::TempDir t;
    fs::path box = t.path() / "mb";
    fs::path outside = t.path() / "elsewhere";
    Folders() {
        fs::create_directories(box / "templates");
        fs::create_directories(outside);
    }
};

std::string refusal(const fs::path& root, const fs::path& relative) {
    try {
        check_inside_mailbox(root, relative);
    } catch (const DataError& e) {
        return e.what();
    }
    return "";
}

} // namespace

TEST_CASE("plain paths, existing or not, stay inside") {
    Folders f;
    CHECK(refusal(f.box, "templates/chase-notice.mustache").empty());
    CHECK(refusal(f.box, "out/notices/2026-11-10").empty());
}

TEST_CASE("a template linking outside is refused by its name") {
    Folders f;
    fs::create_symlink("/etc/hostname", f.box / "templates/chase-notice.mustache");
    std::string e = refusal(f.box, "templates/chase-notice.mustache");
    CHECK_THAT(e, Catch::StartsWith("templates/chase-notice.mustache: a symbolic link leading "
                                    "outside the mailbox"));
}

TEST_CASE("a folder linking outside is refused, at any depth") {
    Folders f;
    fs::create_symlink(f.outside, f.box / "out");
    CHECK_THAT(refusal(f.box, "out/notices/2026-11-10"), Catch::StartsWith("out: "));
    fs::remove(f.box / "out");
    fs::create_directories(f.box / "out");
    fs::create_symlink("../../elsewhere", f.box / "out/replies");
    CHECK_THAT(refusal(f.box, "out/replies"), Catch::StartsWith("out/replies: "));
}

TEST_CASE("a link to a folder outside that does not exist yet is refused") {
    Folders f;
    fs::create_directories(f.box / "out");
    fs::create_symlink(f.outside / "later", f.box / "out/notices");
    CHECK_THAT(refusal(f.box, "out/notices/2026-11-10"), Catch::StartsWith("out/notices: "));
}

TEST_CASE("links that stay inside the mailbox are fine") {
    Folders f;
    fs::create_directories(f.box / "office/notices");
    fs::create_directories(f.box / "out");
    fs::create_symlink("../office/notices", f.box / "out/notices");
    fs::create_symlink("office", f.box / "shared");
    CHECK(refusal(f.box, "out/notices/2026-11-10").empty());
    CHECK(refusal(f.box, "shared/notices").empty());
}

TEST_CASE("the mailbox reached through a link is judged where it is") {
    Folders f;
    fs::create_symlink(f.box, f.t.path() / "alias");
    fs::create_symlink("../templates", f.box / "templates/again");
    CHECK(refusal(f.t.path() / "alias", "templates/again").empty());
    CHECK(refusal(f.t.path() / "alias/", "templates").empty());
}

TEST_CASE("a name beside the mailbox is not inside it") {
    Folders f;
    fs::create_directories(f.t.path() / "mb2");
    fs::create_symlink("../mb2", f.box / "out");
    CHECK_THAT(refusal(f.box, "out"), Catch::StartsWith("out: "));
}
