#include "test_util.hpp"

#include "store/config_file.hpp"
#include "store/init.hpp"
#include "util/atomic_file.hpp"

#include <fstream>
#include <random>

namespace mailbox::test {

TempDir::TempDir() {
    std::random_device rd;
    m_path = std::filesystem::temp_directory_path() / ("mailbox-test-" + std::to_string(rd()));
    std::filesystem::create_directories(m_path);
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
}

TempMailbox::TempMailbox() {
    init_mailbox(t.path(), false);
    m = std::make_unique<Mailbox>(t.path());
}

Context TempMailbox::at_time(const std::string& iso) const {
    Timestamp now = at(iso);
    return Context{t.path(), "李明", now, now.day()};
}

Case TempMailbox::letter(const std::string& id, const std::string& received) const {
    Case c;
    c.id = id;
    c.subject = "来信 " + id;
    c.sender = {"王磊", "", ""};
    c.received = at(received);
    c.body = "正文\n";
    append_history(c, c.received, "李明", Action::received, "");
    return c;
}

void TempMailbox::add_assigned(const std::string& id, const std::string& received,
                               const std::string& unit, Status status) const {
    Case c = letter(id, received);
    c.status = status;
    if (!unit.empty()) {
        c.handler = unit;
        c.assigned = c.received;
        c.assigned->local += date::days{1};
        append_history(c, *c.assigned, "李明", Action::assign, "to " + unit);
    }
    m->save(c);
}

const date::time_zone* shanghai() {
    return date::locate_zone("Asia/Shanghai");
}

Timestamp at(const std::string& iso) {
    return parse_timestamp(iso, shanghai()).value();
}

Day day(int y, unsigned m, unsigned d) {
    return Day{date::year{y}, date::month{m}, date::day{d}};
}

Case full_case() {
    Case c;
    c.id = "261125-8K2QM7";
    c.status = Status::tracking;
    c.received = at("2026-11-25T09:30:00+08:00");
    c.channel = Channel::email;
    c.subject = "建设路\"坑洼\" \\ 问题";
    c.sender = {"张三", "zhangsan@example.com", "+86 138 0000 0000"};
    c.category = "city";
    c.suggested_category = "city";
    c.suggested_unit = "cgj";
    c.suggested_by = "learned";
    c.kind = "complaint";
    c.handler = "cgj";
    c.co_units = {"zjj", "qsz"};
    c.leader = "wang";
    c.instruction = "请尽快处理";
    c.assigned = at("2026-11-25T15:00:00+08:00");
    c.returned_by = {"mzj"};
    c.due = day(2026, 12, 7);
    c.extensions = {{5, "wang", at("2026-12-02T10:00:00+08:00"), "需协调 \"三个\" 部门"}};
    c.replied = at("2026-12-01T10:00:00+08:00");
    c.closed = at("2026-12-20T10:00:00+08:00");
    c.outcome = Outcome::in_progress;
    c.on_time = false;
    c.late = "very-overdue";
    c.feedback = Feedback::unsatisfied;
    c.reopened = at("2026-12-21T09:00:00+08:00");
    c.reopened_for = Reopening::review;
    c.exemplary = "处理迅速";
    c.rejections = {"cgj", "cgj"};
    Draft d;
    d.text = "经调查，\n已于 12 月 1 日修复 \"\"\" 路灯。";
    d.outcome = Outcome::planned;
    d.basis = "《城市照明管理规定》";
    d.steps = "一、排查\n二、更换";
    d.target_date = day(2027, 3, 1);
    d.unit = "cgj";
    d.by = "王五";
    d.at = at("2026-11-30T10:00:00+08:00");
    d.state = DraftState::approved;
    d.rounds = 3;
    d.report = "cases/2026/261125-0000AB.report.pdf";
    d.reviewer = "李明";
    c.draft = d;
    c.replies = {{ReplyVia::email, "zhangsan@example.com", at("2026-12-01T10:00:00+08:00"),
                  "reply.261125-0000AB@example.gov.cn"},
                 {ReplyVia::sms, "13800000000", at("2026-12-01T10:00:00+08:00"), ""}};
    c.solved_on_site = true;
    c.restricted = true;
    c.accused = "mzj";
    c.group = {"261126-0000AB"};
    c.message_id = "<abc@example.com>";
    c.content_hash = "0123456789abcdef";
    c.attachments = {{"照片.jpg", 123456, {}}, {"a \"b\".pdf", 7, {}}};
    c.body = "第一段，\t有制表符。\n\n第二段 \"\"\" 三个引号，反斜杠 \\ 和 \r 回车。\n结尾引号\"";
    append_history(c, c.received, "李明", Action::received, "registered from email");
    append_history(c, *c.assigned, "李明", Action::assign, "交办\n第二行");
    return c;
}

std::string source_dir() {
    return MAILBOX_SOURCE_DIR;
}

Config sample_config() {
    return parse_config(read_file(source_dir() + "/templates/mailbox.toml"), "mailbox.toml");
}

void write_text(const std::filesystem::path& p, const std::string& text) {
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
}

} // namespace mailbox::test
