#include "intake/intake.hpp"
#include "intake/intake_edit.hpp"
#include "store/cache/letter_index.hpp"
#include "test_util.hpp"

#include <catch2/catch.hpp>

using namespace mailbox;
using namespace mailbox::test;

namespace {

// 噪音扰民 from 张三 by web, received 2026-11-30 09:12, registered at 10:00.
struct Fixture : TempMailbox {
    Case c;
    Fixture() {
        Letter l;
        l.subject = "噪音扰民";
        l.sender = {"张三", "zs@example.com", "13800000000"};
        l.received = at("2026-11-30T09:12:00+08:00");
        l.body = "工地每天夜里施工到两点。";
        c = register_letter(*m, at_time("2026-11-30T10:00:00+08:00"), l, false);
    }
    Corrected edit(const Corrections& given,
                   const std::string& when = "2026-12-01T08:00:00+08:00") {
        return edit_registration(*m, at_time(when), c.id, given);
    }
};

Corrections flag(const std::string& field, const std::string& text) {
    return {{field, {text, "--" + field}}};
}

std::string usage_error(const std::function<void()>& f) {
    try {
        f();
    } catch (const UsageError& e) {
        return e.what();
    }
    return "(no error)";
}

} // namespace

TEST_CASE("an edit corrects the fields given and notes each as it was and is") {
    Fixture f;
    Corrections given{{"subject", {"夜间施工噪音扰民", "--subject"}},
                      {"received", {"2026-11-29 21:40", "--received"}}};
    Corrected r = f.edit(given);
    CHECK(r.c.subject == "夜间施工噪音扰民");
    CHECK(r.c.received.iso() == "2026-11-29T21:40:00+08:00");
    REQUIRE(r.changes.size() == 2);
    CHECK(r.changes[0].field == "subject");
    CHECK(r.changes[1].field == "received");
    REQUIRE(r.c.history.size() == f.c.history.size() + 1);
    const HistoryEntry& h = r.c.history.back();
    CHECK(h.action == Action::edit);
    CHECK(h.by == "李明");
    CHECK(h.at.iso() == "2026-12-01T08:00:00+08:00");
    CHECK(h.note ==
          "subject: 噪音扰民 → 夜间施工噪音扰民; received: 2026-11-30 09:12 → 2026-11-29 21:40");
    // What was not given stays, the letter's identity too.
    CHECK(r.c.sender.name == "张三");
    CHECK(r.c.body == f.c.body);
    CHECK(r.c.content_hash == f.c.content_hash);
    CHECK(r.c.group == f.c.group);
}

TEST_CASE("the sender's contact is tidied as at registration, and an empty one clears it") {
    Fixture f;
    Corrections given{{"from", {"  李\t四 ", "--from"}},
                      {"email", {" ls@example.com\n", "--email"}},
                      {"phone", {"", "--phone"}}};
    Corrected r = f.edit(given);
    CHECK(r.c.sender.name == "李 四");
    CHECK(r.c.sender.email == "ls@example.com");
    CHECK(r.c.sender.phone.empty());
    CHECK(
        r.c.history.back().note ==
        "from: 张三 → 李 四; email: zs@example.com → ls@example.com; phone: 13800000000 → (none)");
    CHECK(usage_error([&] { f.edit(flag("from", " \t")); }) ==
          "a letter needs a sender's name (--from; 匿名 when unknown)");
    CHECK(usage_error([&] { f.edit(flag("subject", "")); }) == "a letter needs a subject");
    CHECK(usage_error([&] {
              f.edit(flag("email", std::string(300, 'a')));
          }).starts_with("an e-mail address holds at most 254 bytes"));
}

TEST_CASE("a name too long is cut, and the edit's note says so") {
    Fixture f;
    Corrected r = f.edit(flag("from", std::string(300, 'x')));
    CHECK(r.c.sender.name.size() == k_limits.name);
    CHECK(r.c.history.back().note.ends_with(
        "; the sender's name was 300 bytes; only the first 256 are kept"));
}

TEST_CASE("an edit that changes nothing adds no history") {
    Fixture f;
    Corrections same{{"subject", {" 噪音扰民 ", "--subject"}},
                     {"received", {"2026-11-30 09:12", "--received"}},
                     {"channel", {"web", "--channel"}}};
    Corrected r = f.edit(same);
    CHECK(r.changes.empty());
    CHECK(r.c.history.size() == f.c.history.size());
    // The same moment in another offset is no correction either.
    CHECK(f.edit(flag("received", "2026-11-30T01:12:00Z")).changes.empty());
    CHECK(f.edit({}).changes.empty());
}

TEST_CASE("received goes through the date parser and is not after the registration") {
    Fixture f;
    CHECK(usage_error([&] { f.edit(flag("received", "2026-02-30")); }) ==
          "--received '2026-02-30': no such day: 2026-02 has 28 days");
    CHECK(
        usage_error([&] { f.edit(flag("received", "昨天")); }).starts_with("--received '昨天': "));
    // Registered at 10:00: a few minutes after are two clocks disagreeing.
    CHECK(usage_error([&] { f.edit(flag("received", "2026-11-30 10:30")); }) ==
          "--received '2026-11-30 10:30': after it was registered (2026-11-30T10:00:00+08:00); a "
          "letter comes before it is registered");
    CHECK(f.edit(flag("received", "2026-11-30 10:05")).c.received.iso() ==
          "2026-11-30T10:05:00+08:00");
    CHECK(usage_error([&] { f.edit(flag("received", "1999-12-31")); })
              .ends_with("a letter is received in 2000 to 2099, as its case id holds two digits "
                         "of the year"));
}

TEST_CASE("the channel must be one the toolkit knows") {
    Fixture f;
    CHECK(usage_error([&] { f.edit(flag("channel", "fax")); }) ==
          "--channel 'fax': expected " + channel_list_but_last() + " or hotline");
    Corrected r = f.edit(flag("channel", "letter"));
    CHECK(r.c.channel == Channel::letter);
    CHECK(r.c.history.back().note == "channel: web → letter");
}

TEST_CASE("an edit dated before the case's last change is refused") {
    Fixture f;
    CHECK(usage_error([&] { f.edit(flag("subject", "改"), "2026-11-30T09:59:00+08:00"); }) ==
          "case " + f.c.id +
              " last changed at 2026-11-30T10:00:00+08:00; acting at 2026-11-30T09:59:00+08:00 "
              "would put its history out of order");
}

TEST_CASE("a case already answered and closed may still be corrected") {
    Fixture f;
    Case closed = f.m->load(f.c.id);
    closed.status = Status::closed;
    closed.handler = "cgj";
    append_history(closed, at("2026-12-05T09:00:00+08:00"), "李明", Action::close);
    f.m->save(closed);
    Corrected r = f.edit(flag("subject", "夜间施工噪音"), "2026-12-06T09:00:00+08:00");
    CHECK(r.c.status == Status::closed);
    CHECK(r.c.history.back().action == Action::edit);
}

TEST_CASE("the letter index follows an edited case once it is saved") {
    Fixture f;
    {
        LetterIndex letters(*f.m); // as it was: written by intake
        REQUIRE(letters.find(f.c.id));
        CHECK(letters.find(f.c.id)->received.iso() == "2026-11-30T09:12:00+08:00");
    }
    Corrections given{{"email", {"new@example.com", "--email"}},
                      {"received", {"2026-11-29 21:40", "--received"}}};
    f.m->save(f.edit(given).c);
    LetterIndex letters(*f.m);
    REQUIRE(letters.find(f.c.id));
    CHECK(letters.find(f.c.id)->received.iso() == "2026-11-29T21:40:00+08:00");
    CHECK(letters.sender_case_ids({"", "new@example.com", ""}) == std::vector<std::string>{f.c.id});
    CHECK(letters.sender_case_ids({"", "zs@example.com", ""}).empty());
}

TEST_CASE("the form lists each field on the office's clock and reads back the changes") {
    Fixture f;
    std::string form = registration_form(f.c, shanghai());
    CHECK(form.ends_with("subject: 噪音扰民\n"
                         "from: 张三\n"
                         "email: zs@example.com\n"
                         "phone: 13800000000\n"
                         "received: 2026-11-30 09:12\n"
                         "channel: web\n"));
    CHECK_FALSE(read_registration_form(form, form, "x.txt"));
    std::string edited = form;
    edited.replace(edited.find("噪音扰民"), std::string("噪音扰民").size(), "夜间施工噪音扰民");
    edited.replace(edited.find("phone: 13800000000"), 18, "phone:");
    auto given = read_registration_form(edited, form, "x.txt");
    REQUIRE(given);
    REQUIRE(given->size() == 2);
    CHECK(given->at("subject").text == "夜间施工噪音扰民");
    CHECK(given->at("subject").where == "x.txt:5: subject");
    CHECK(given->at("phone").text.empty());
    Corrected r = f.edit(*given);
    CHECK(r.c.history.back().note ==
          "subject: 噪音扰民 → 夜间施工噪音扰民; phone: 13800000000 → (none)");
    // Only comments changed: corrections, but none.
    auto none = read_registration_form("# mine\n" + form, form, "x.txt");
    REQUIRE(none);
    CHECK(none->empty());
}

TEST_CASE("a bad value in the form names its line") {
    Fixture f;
    std::string form = registration_form(f.c, shanghai());
    std::string edited = form;
    edited.replace(edited.find("received: 2026-11-30"), 20, "received: 2026-11-31");
    auto given = read_registration_form(edited, form, "x.txt");
    REQUIRE(given);
    CHECK(usage_error([&] { f.edit(*given); }) ==
          "x.txt:9: received '2026-11-31 09:12': no such day: 2026-11 has 30 days");
    edited = form;
    edited.replace(edited.find("\nchannel: web"), 13, "\nchannel：fax");
    given = read_registration_form(edited, form, "x.txt");
    REQUIRE(given);
    CHECK(usage_error([&] { f.edit(*given); }) ==
          "x.txt:10: channel 'fax': expected " + channel_list_but_last() + " or hotline");
}

TEST_CASE("a form that cannot be read names the line") {
    Fixture f;
    std::string form = registration_form(f.c, shanghai());
    auto error_in = [&](const std::string& edited) {
        return usage_error([&] { read_registration_form(edited, form, "x.txt"); });
    };
    std::string body = form.substr(form.find("subject:"));
    CHECK(error_in("subjct: 改\n" + body.substr(body.find('\n') + 1)) ==
          "x.txt:1: unknown field 'subjct'; did you mean 'subject'?");
    CHECK(error_in(body + "噪音\n") == "x.txt:7: expected 'field: value', got '噪音'");
    CHECK(error_in(body + "subject: 又一个\n") == "x.txt:7: 'subject' again (first on line 1)");
    CHECK(error_in(body.substr(0, body.find("phone:"))) ==
          "x.txt: no 'phone' line; to clear a value, leave it empty after 'phone:'");
    CHECK(error_in(body + "# \xff\n") == "x.txt:7: not valid UTF-8; save the form as UTF-8");
}

TEST_CASE("a moment is shown on the office's clock, else with its own offset") {
    CHECK(moment_text(at("2026-11-30T09:12:00+08:00"), shanghai()) == "2026-11-30 09:12");
    CHECK(moment_text(at("2026-11-30T09:12:07+08:00"), shanghai()) == "2026-11-30 09:12:07");
    Timestamp utc = *parse_timestamp("2026-11-30T01:12:00Z", shanghai());
    CHECK(moment_text(utc, shanghai()) == utc.iso());
}
