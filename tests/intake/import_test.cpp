#include "intake/import.hpp"
#include "test_util.hpp"
#include "util/atomic_file.hpp"

#include <catch2/catch.hpp>

using namespace mailbox;
using namespace mailbox::test;

TEST_CASE("an import registers every letter it can, names each it cannot, and goes on") {
    TempMailbox f;
    Context ctx = f.at_time("2026-11-25T09:00:00+08:00");
    std::string csv = (f.t.path() / "web.csv").string();
    write_file_atomically(csv, "留言用户,留言主题,留言时间,留言详情,电子邮箱,联系电话\n"
                               "张三,路灯坏了,2026/11/20 9:00,建设路路灯坏了三盏,,\n"
                               "李四,坏时间,明天,正文,,\n"
                               "张三,路灯坏了,2026/11/20 9:00,建设路路灯坏了三盏,,\n"
                               "王五,水箱漏水,,幸福小区3栋楼顶水箱漏水,,\n");
    std::string missing = (f.t.path() / "gone.eml").string();
    std::vector<ImportedLetter> seen;
    ImportEvents events;
    events.letter = [&](const ImportedLetter& l) { seen.push_back(l); };
    events.warning = [](const std::string&) {};
    Intake intake(*f.m, ctx, false, true);
    ImportReport r = import_files(intake, *f.m, ctx, {csv, missing}, "utf-8", events);
    CHECK(r.registered == 2);
    CHECK(r.already == 1); // the same row twice: one case
    CHECK(r.failed == 2);  // the bad time, and the file that is not there
    REQUIRE(seen.size() == 5);
    CHECK(seen[0].source == csv + ":2");
    CHECK(seen[0].error.empty());
    CHECK(seen[1].source == csv + ":3");
    CHECK(seen[1].error.ends_with("; row skipped"));
    CHECK(seen[2].result.already == seen[0].result.c.id);
    CHECK(seen[3].result.c.received == ctx.now); // a row without a time came now
    CHECK(seen[4].source == missing);
    CHECK_FALSE(seen[4].error.empty());
    CHECK(r.changed == std::vector<std::string>{f.m->case_path(seen[0].result.c.id),
                                                f.m->case_path(seen[3].result.c.id)});
    CHECK(f.m->load(seen[3].result.c.id).subject == "水箱漏水");
}

TEST_CASE("an import the disk fails under reports what it wrote and stops") {
    // The disk fails at each write call in turn, until none is left to fail.
    for (int n = 1;; ++n) {
        INFO("failing call " << n);
        TempMailbox f;
        Context ctx = f.at_time("2026-11-25T09:00:00+08:00");
        std::string csv = (f.t.path() / "web.csv").string();
        write_file_atomically(csv, "留言用户,留言主题,留言时间,留言详情,电子邮箱,联系电话\n"
                                   "张三,路灯坏了,2026/11/20 9:00,建设路路灯坏了三盏,,\n"
                                   "王五,水箱漏水,2026/11/21 9:00,幸福小区3栋楼顶水箱漏水,,\n"
                                   "赵六,路灯坏了,2026/11/22 9:00,建设路路灯坏了三盏,,\n"
                                   "钱七,井盖丢了,2026/11/23 9:00,人民路井盖丢了,,\n");
        std::vector<ImportedLetter> seen;
        ImportEvents events;
        events.letter = [&](const ImportedLetter& l) { seen.push_back(l); };
        events.warning = [](const std::string&) {};
        Intake intake(*f.m, ctx, false, true);
        FileFaults faults;
        faults.fail_at = n;
        ImportReport r;
        {
            ScopedFileFaults scope(faults);
            r = import_files(intake, *f.m, ctx, {csv}, "utf-8", events);
        }
        CHECK(r.registered + r.failed == static_cast<int>(seen.size()));
        for (const ImportedLetter& l : seen) {
            INFO(l.source << ": " << l.error);
            CHECK((l.error.empty() ? f.m->exists(l.result.c.id)
                                   : l.result.c.id.empty() || !f.m->exists(l.result.c.id)));
        }
        if (faults.failed.empty()) {
            CHECK(n > 10); // or the writes are not where the faults are
            CHECK(r.registered == 4);
            CHECK(r.stopped.empty());
            break;
        }
        CHECK(r.failed > 0);
        REQUIRE_FALSE(seen.empty());
        CHECK(r.stopped == seen.back().source); // no letter after it was read
        CHECK(f.m->temp_files().empty());
    }
}
