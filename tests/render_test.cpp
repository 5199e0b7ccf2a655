#include "error.hpp"
#include "render.hpp"
#include "test_util.hpp"

#include <catch2/catch.hpp>

using namespace mailbox;
using namespace mailbox::test;

TEST_CASE("plain text is rendered as written: no HTML escaping of a citizen's words") {
    TempMailbox f;
    TemplateData d;
    d.set("subject", "<b>路灯</b> & \"积水\"");
    write_text(f.m->root() / "templates" / "probe.mustache", "主题：{{subject}}\n");
    CHECK(render(*f.m, "probe", d) == "主题：<b>路灯</b> & \"积水\"\n");
}

TEST_CASE("a mailbox's own template replaces the default of that name") {
    TempMailbox f;
    TemplateData d;
    d.set("salutation", "张三同志");
    CHECK(render(*f.m, "reply-subject", d).find("关于您来信") == 0);
    write_text(f.m->root() / "templates" / "reply-subject.mustache", "答复：{{subject}}");
    d.set("subject", "路灯");
    CHECK(render(*f.m, "reply-subject", d) == "答复：路灯");
}

TEST_CASE("a template that does not parse names its file") {
    TempMailbox f;
    write_text(f.m->root() / "templates" / "reply.mustache", "{{#open}} never closed");
    CHECK_THROWS_AS(render(*f.m, "reply", TemplateData{}), DataError);
    CHECK_THROWS_WITH(render(*f.m, "nosuch", TemplateData{}), "no template 'nosuch'");
}

TEST_CASE("dates as letters write them") {
    CHECK(date_cn(day(2026, 11, 5)) == "2026年11月5日");
}

TEST_CASE("a template saved in GBK is refused by name, not rendered into mail") {
    TempMailbox f;
    write_text(f.m->root() / "templates" / "reply-subject.mustache",
               "{{subject}}\xb0\xa1\xb0\xa1"); // 啊啊 in GBK
    TemplateData d;
    d.set("subject", "路灯");
    CHECK_THROWS_WITH(render(*f.m, "reply-subject", d),
                      "templates/reply-subject.mustache: the rendered text is not UTF-8 (byte 7); "
                      "save the template as UTF-8");
}
