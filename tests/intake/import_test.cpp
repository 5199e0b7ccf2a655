#include "intake/import.hpp"
#include "store/cache/letter_index.hpp"
#include "test_util.hpp"
#include "util/atomic_file.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

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
    // The disk fails at each write call in turn, until none is left to fail;
    // in one batch, and in batches written while the next is matched.
    for (std::size_t letters : {std::size_t{2000}, std::size_t{1}, std::size_t{2}})
        for (int n = 1;; ++n) {
            INFO("batches of " << letters << ", failing call " << n);
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
                r = import_files(intake, *f.m, ctx, {csv}, "utf-8", events,
                                 {letters, std::size_t{8} << 20});
            }
            CHECK(r.registered + r.failed == static_cast<int>(seen.size()));
            for (const ImportedLetter& l : seen) {
                INFO(l.source << ": " << l.error);
                // A letter that failed names no case (its id was not kept).
                CHECK((l.error.empty() ? f.m->exists(l.result.c.id) : l.result.c.id.empty()));
            }
            if (faults.failed.empty()) {
                CHECK(n > 10); // or the writes are not where the faults are
                CHECK(r.registered == 4);
                CHECK(r.stopped.empty());
                break;
            }
            INFO("the call that failed wrote " << faults.failed);
            if (faults.failed.ends_with("mailbox.db")) {
                // The cache (the learned suggestions' first look at it): a
                // cache that cannot be written is done without.
                CHECK(r.registered == 4);
                CHECK(r.stopped.empty());
                continue;
            }
            CHECK(r.failed > 0);
            REQUIRE_FALSE(seen.empty());
            CHECK(r.stopped == seen.back().source); // no letter after it was read
            CHECK(f.m->temp_files().empty());
        }
}

TEST_CASE("an import in small batches writes and says what one batch does") {
    // Copies of one letter across batches, a row twice, a bad row between.
    std::string rows = "留言用户,留言主题,留言时间,留言详情,电子邮箱,联系电话\n";
    const char* bridge = "东湖村村口的石桥去年汛期被冲坏一角，至今只用几根木头拦着，"
                         "学生每天骑车经过，晚上没有灯，非常危险，恳请尽快修复。";
    for (int i = 0; i < 7; ++i) {
        rows += fmt::format("村民{},石桥{},2026/11/2{} 9:00,{},,\n", i, i, i, bridge);
        if (i == 2) {
            rows += "李四,坏时间,明天,正文,,\n";
        }
        if (i == 4) {
            rows += fmt::format("村民{},石桥{},2026/11/2{} 9:00,{},,\n", 1, 1, 1, bridge);
        }
    }
    auto run = [&](TempMailbox& f, const ImportBatch& batch) {
        std::filesystem::create_directories(f.t.path() / ".mailbox");
        write_file_atomically(f.t.path() / ".mailbox" / "station", "AB\n");
        std::string csv = (f.t.path() / "web.csv").string();
        write_file_atomically(csv, rows);
        Context ctx = f.at_time("2026-11-28T09:00:00+08:00");
        std::vector<std::string> said;
        ImportEvents events;
        events.letter = [&](const ImportedLetter& l) {
            said.push_back(fmt::format("{} {} {} {}", l.source.substr(csv.size()), l.result.c.id,
                                       l.result.already.value_or(""), l.error));
        };
        events.warning = [](const std::string&) {};
        Intake intake(*f.m, ctx, false, true);
        ImportReport r = import_files(intake, *f.m, ctx, {csv}, "utf-8", events, batch);
        CHECK(r.registered == 7);
        CHECK(r.already == 1);
        CHECK(r.failed == 1);
        return said;
    };
    TempMailbox small, whole;
    std::vector<std::string> in_threes = run(small, {3, std::size_t{8} << 20});
    std::vector<std::string> at_once = run(whole, {});
    CHECK(in_threes == at_once);
    std::vector<std::string> ids = whole.m->case_ids_in("2026");
    REQUIRE(ids.size() == 7);
    CHECK(small.m->case_ids_in("2026") == ids);
    for (const std::string& id : ids) {
        INFO(id);
        CHECK(read_file(small.m->absolute(small.m->case_path(id))) ==
              read_file(whole.m->absolute(whole.m->case_path(id))));
    }
    // One group, across the batches (a copy or two may be too short a
    // letter to link: the same in both).
    std::size_t grouped = 0;
    for (const std::string& id : ids) {
        grouped += whole.m->load(id).group.empty() ? 0 : 1;
    }
    CHECK(grouped >= 5);
    CHECK(LetterIndex(*whole.m).group_of(whole.m->load(ids.back())).size() == grouped - 1);
}
