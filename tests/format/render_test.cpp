#include "format/render.hpp"
#include "store/templates.hpp"
#include "test_util.hpp"
#include "util/error.hpp"

#include <catch2/catch.hpp>

using namespace mailbox;
using namespace mailbox::test;

TEST_CASE("plain text is rendered as written: no HTML escaping of a citizen's words") {
    TempMailbox f;
    TemplateData d;
    d.set("subject", "<b>路灯</b> & \"积水\"");
    write_text(f.m->root() / "templates" / "probe.mustache", "主题：{{subject}}\n");
    CHECK(render(load_template(*f.m, "probe"), d) == "主题：<b>路灯</b> & \"积水\"\n");
}

TEST_CASE("a mailbox's own template replaces the default of that name") {
    TempMailbox f;
    TemplateData d;
    d.set("subject", "路灯");
    CHECK(render(load_template(*f.m, "reply-subject"), d) == "关于您来信“路灯”的答复\n");
    write_text(f.m->root() / "templates" / "reply-subject.mustache", "答复：{{subject}}");
    CHECK(render(load_template(*f.m, "reply-subject"), d) == "答复：路灯");
}

TEST_CASE("a template that does not parse names its file") {
    TempMailbox f;
    write_text(f.m->root() / "templates" / "reply.mustache", "{{#open}} never closed");
    CHECK_THROWS_AS(render(load_template(*f.m, "reply"), TemplateData{}), DataError);
    CHECK_THROWS_WITH(render(load_template(*f.m, "nosuch"), TemplateData{}),
                      "no template 'nosuch'");
}

namespace {

// The notice data a chase template sees, cut down: a unit and its cases.
TemplateData notice(std::size_t cases) {
    TemplateData d;
    d.set("office", "示范市委办公室");
    d.set("unit_name", "市民政局");
    d.set("has_overdue", false);
    TemplateData list{TemplateData::type::list};
    for (std::size_t i = 0; i < cases; ++i) {
        TemplateData c;
        c.set("id", "20261130-ABC" + std::to_string(i));
        c.set("subject", "路灯不亮");
        c.set("has_leader", i == 0);
        if (i == 0) {
            c.set("leader", "王副书记"); // only some items hold a name: any will do
        }
        list.push_back(c);
    }
    d.set("cases", list);
    return d;
}

std::string render_error(const Mailbox& m, const std::string& name, const std::string& text,
                         const TemplateData& d, const ListItemKeys& keys = {}) {
    write_text(m.root() / "templates" / (name + ".mustache"), text);
    try {
        render(load_template(m, name), d, Escape::none, keys);
    } catch (const DataError& e) {
        return e.what();
    }
    return "rendered";
}

} // namespace

TEST_CASE("a syntax error in a template is told by its line and column") {
    TempMailbox f;
    const Mailbox& m = *f.m;
    TemplateData d = notice(1);
    CHECK(render_error(m, "x", "{{office}}\n\n{{#cases}}\n  {{id}}\n", d) ==
          "templates/x.mustache:3:1: unclosed section 'cases'");
    CHECK(render_error(m, "x", "{{office}}\n第二行：{{unit_name\n", d) ==
          "templates/x.mustache:2:5: unclosed tag: no '}}' after '{{'");
    CHECK(render_error(m, "x", "{{#cases}}\n{{id}}{{/case}}\n", d) ==
          "templates/x.mustache:2:7: '{{/case}}' does not close the open section 'cases' "
          "(opened at 1:1)");
    CHECK(render_error(m, "x", "{{office}}{{/cases}}", d) ==
          "templates/x.mustache:1:11: '{{/cases}}' closes no open section");
    CHECK(render_error(m, "x", "{{=<% %>=}}<%office%>\n<%#cases%>", d) ==
          "templates/x.mustache:2:1: unclosed section 'cases'");
    CHECK(render_error(m, "x", "{{= <% =}}", d) ==
          "templates/x.mustache:1:1: invalid set-delimiter tag '{{= <% =}}'");
}

TEST_CASE("an unknown name in a template is an error at its line, with a suggestion") {
    TempMailbox f;
    const Mailbox& m = *f.m;
    TemplateData d = notice(2);
    CHECK(render_error(m, "chase-notice", "{{office}}\n\n  致：{{unti_name}}\n", d) ==
          "templates/chase-notice.mustache:3:5: unknown variable 'unti_name'; did you mean "
          "'unit_name'?");
    // Inside a section: the item's names, then the outer ones; not the
    // item's outside it.
    CHECK(render_error(m, "x", "{{#cases}}{{id}}{{office}}{{leader}}{{/cases}}", d) == "rendered");
    CHECK(render_error(m, "x", "{{#cases}}{{id}}{{/cases}}{{subject}}", d) ==
          "templates/x.mustache:1:27: unknown variable 'subject'");
    CHECK(render_error(m, "x", "{{#cases}}\n{{subjet}}\n{{/cases}}", d) ==
          "templates/x.mustache:2:1: unknown variable 'subjet'; did you mean 'subject'?");
    CHECK(render_error(m, "x", "{{#cass}}{{/cass}}", d) ==
          "templates/x.mustache:1:1: unknown section 'cass'; did you mean 'cases'?");
    CHECK(render_error(m, "x", "{{{offce}}}{{&office}}", d) ==
          "templates/x.mustache:1:1: unknown variable 'offce'; did you mean 'office'?");
    CHECK(render_error(m, "x", "{{> header}}", d) ==
          "templates/x.mustache:1:1: unknown partial 'header' (a template cannot include "
          "another)");
    // Comments and {{.}} name nothing.
    CHECK(render_error(m, "x", "{{! {{nosuch}} }}{{#cases}}{{.}}{{/cases}}", d) == "rendered");
}

TEST_CASE("names in a section that does not render this time are checked too") {
    TempMailbox f;
    const Mailbox& m = *f.m;
    TemplateData d = notice(1);
    // has_overdue is false: the section renders nothing, but its typo would
    // on the first day a case is overdue.
    CHECK(render_error(m, "x", "{{#has_overdue}}{{overdue_cuont}}{{/has_overdue}}", d) ==
          "templates/x.mustache:1:17: unknown variable 'overdue_cuont'");
    CHECK(render_error(m, "x", "{{^has_overdue}}{{ofice}}{{/has_overdue}}", d) ==
          "templates/x.mustache:1:17: unknown variable 'ofice'; did you mean 'office'?");
    // An empty list has no item to judge by: its declared item keys are.
    TemplateData empty = notice(0);
    ListItemKeys keys{{"cases", {"id", "subject"}}};
    CHECK(render_error(m, "x", "{{#cases}}{{id}}{{office}}{{/cases}}", empty, keys) == "rendered");
    CHECK(render_error(m, "x", "{{#cases}}{{subjcet}}{{/cases}}", empty, keys) ==
          "templates/x.mustache:1:11: unknown variable 'subjcet'; did you mean 'subject'?");
    // With nothing declared, a name not found outside the list is let through.
    CHECK(render_error(m, "x", "{{#cases}}{{subjcet}}{{/cases}}", empty) == "rendered");
}

TEST_CASE("a built-in template's error names it as the default") {
    TempMailbox f;
    TemplateData d;
    d.set("salutation", "张三同志");
    CHECK_THROWS_WITH(render(load_template(*f.m, "reply-subject"), d),
                      "built-in template reply-subject:1:7: unknown variable 'subject'");
}

TEST_CASE("a template that fails its check exits as bad data") {
    TempMailbox f;
    write_text(f.m->root() / "templates" / "sms.mustache", "{{nosuch}}");
    try {
        render(load_template(*f.m, "sms"), TemplateData{});
        FAIL("rendered");
    } catch (const Error& e) {
        CHECK(e.exit_code() == Exit::data);
    }
}

TEST_CASE("the check leaves escaping alone") {
    TempMailbox f;
    TemplateData d;
    d.set("subject", "<b>路灯</b> & *积水*");
    write_text(f.m->root() / "templates" / "probe.mustache", "{{subject}}|{{{subject}}}");
    CHECK(render(load_template(*f.m, "probe"), d, Escape::html) ==
          "&lt;b&gt;路灯&lt;/b&gt; &amp; *积水*|<b>路灯</b> & *积水*");
    CHECK(render(load_template(*f.m, "probe"), d, Escape::markdown) ==
          "&lt;b&gt;路灯&lt;/b&gt; &amp; \\*积水\\*|<b>路灯</b> & *积水*");
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
    CHECK_THROWS_WITH(render(load_template(*f.m, "reply-subject"), d),
                      "templates/reply-subject.mustache: the rendered text is not UTF-8 (byte 7); "
                      "save the template as UTF-8");
}
