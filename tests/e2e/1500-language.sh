#!/usr/bin/env bash
# The tools speak the clerk's language: Chinese under LANG=zh_CN.UTF-8
# (the catalogue po/zh_CN.po), English under LANG=C; what scripts read
# (json keys and values) stays the same in both. The case record speaks the
# mailbox's language, whoever writes it.
. "$(dirname "$0")/lib.sh"

# The locale must exist for the C library to take it: CI makes it
# (localedef -i zh_CN -f UTF-8 zh_CN.UTF-8).
if ! locale -a 2>/dev/null | grep -qix 'zh_CN\.utf-\?8'; then
    printf '%s: skipped: no zh_CN.UTF-8 locale (localedef -i zh_CN -f UTF-8 zh_CN.UTF-8)\n' "$SCRIPT_NAME"
    exit 77
fi

new_mailbox
register "建设路路灯不亮" 张三 "$NOW" >/dev/null

run 0 env LANG=zh_CN.UTF-8 mailbox-report -C mb list --now "$NOW"
header=$(printf '%s\n' "$out" | head -1)
contains "a Chinese table header" "编号" "$header"
contains "the unit column" "承办单位" "$header"
contains "the status in Chinese" "已登记" "$out"
# Aligned by display width: the header's columns begin where the row's do.
row=$(printf '%s\n' "$out" | sed -n 2p)
same "the status column begins where its header does" \
    "$(printf '%s' "$header" | sed 's/状态.*//' | LC_ALL=zh_CN.UTF-8 wc -L)" \
    "$(printf '%s' "$row" | sed 's/已登记.*//' | LC_ALL=zh_CN.UTF-8 wc -L)"

run 0 env LANG=C mailbox-report -C mb list --now "$NOW"
contains "an English header under LANG=C" "STATUS" "$(printf '%s\n' "$out" | head -1)"
contains "an English status under LANG=C" "received" "$out"

run 0 env LANG=zh_CN.UTF-8 mailbox-report -C mb list --now "$NOW" --format json
contains "json keeps its keys and values" '"status": "received"' "$out"

run 0 env LANG=zh_CN.UTF-8 mailbox-report --help
contains "help in Chinese" "用法" "$out"
contains "the help flag in Chinese" "显示本帮助并退出" "$out"
run 0 env LANG=C mailbox-report --help
contains "help in English" "Usage" "$out"

# A subcommand's help: its options under one heading, their descriptions in
# one column though 必填 (REQUIRED) is wider than its bytes say.
run 0 env LANG=zh_CN.UTF-8 mailbox-intake new --help
contains "a subcommand's help in Chinese" "来信标题" "$out"
same "one heading for the options" 1 "$(printf '%s\n' "$out" | grep -c '^选项:')"
same "no English heading left" 0 "$(printf '%s\n' "$out" | grep -c '^Options:')"
subject=$(printf '%s\n' "$out" | grep -- '--subject')
email=$(printf '%s\n' "$out" | grep -- '--email')
same "descriptions begin in one column" \
    "$(printf '%s' "$email" | sed 's/来信人电子邮件.*//' | LC_ALL=zh_CN.UTF-8 wc -L)" \
    "$(printf '%s' "$subject" | sed 's/来信标题.*//' | LC_ALL=zh_CN.UTF-8 wc -L)"

run 2 env LANG=zh_CN.UTF-8 mailbox-report -C mb lst
contains "a usage error's pointer to --help in Chinese" "参见 'mailbox-report --help'" "$err"
run 2 env LANG=C mailbox-report -C mb lst
contains "the same in English" "(see 'mailbox-report --help')" "$err"

run 0 env LANG=zh_CN.UTF-8 mailbox-report -C mb check
same "check's summary in Chinese, its count too" "正常：1 件和 mailbox.toml，没有问题" "$out"
run 0 env LANG=C mailbox-report -C mb check
same "and in English" "ok: 1 case and mailbox.toml, no problems" "$out"

# What a command says as it works, in Chinese; what scripts read (the id on
# standard output) the same.
echo "正文" >body.txt
run 0 env LANG=zh_CN.UTF-8 mailbox-intake -C mb new --subject 路灯 --from 张三 \
    --body-file body.txt --now "$NOW" --dry-run
contains "a dry run's note in Chinese" "试运行：将写入 cases/" "$err"
case $out in [0-9][0-9][0-9][0-9][0-9][0-9]-??????) ok=yes ;; *) ok=no ;; esac
same "the id alone on standard output" yes "$ok"

# The case record (history notes, commit messages) is in the mailbox's
# language, [office] language, whatever the clerk's locale: a new mailbox
# writes Chinese, one that says "en" English.
mailbox-intake init --git --commit zh >/dev/null || fail "init zh"
mkdir -p zh/.mailbox && echo AB >zh/.mailbox/station
contains "a new mailbox's record is Chinese" 'language = "zh_CN"' "$(cat zh/mailbox.toml)"
run 0 sh -c "echo 正文 | LANG=C mailbox-intake -C zh new --subject 路灯 --from 张三 --now $NOW --commit"
id=$out
file=zh/cases/2026/$id.toml
contains "registered: a Chinese note under LANG=C" 'note = "登记（网站留言）"' "$(cat "$file")"
same "the commit message in Chinese" "登记$id：路灯。" "$(git -C zh log -1 --format=%s)"
run 0 env LANG=C mailbox-assign -C zh "$id" --to cgj --now "$NOW" --commit
contains "assigned: a Chinese note" 'note = "交cgj办理"' "$(cat "$file")"
contains "the action stays an ASCII key" 'action = "assign"' "$(cat "$file")"
same "the assignment's commit in Chinese" "交办$id，交cgj办理。" "$(git -C zh log -1 --format=%s)"
run 0 env LANG=C mailbox-assign -C zh extend "$id" --days 5 --reason 需协调 --approved-by wang \
    --now "$NOW" --commit
contains "extended: a Chinese note" 'note = "延期5天，wang批准：需协调"' "$(cat "$file")"
run 0 env LANG=C mailbox-report -C zh show "$id" --format json --now "$NOW"
contains "json gives the note as recorded" '"note": "交cgj办理"' "$out"
contains "json keeps the action key" '"action": "assign"' "$out"
echo "正文" | env LANG=zh_CN.UTF-8 mailbox-intake -C mb new --subject 噪音 --from 李四 \
    --now "$NOW" >/dev/null || fail "register in mb"
contains "an English mailbox writes English under a Chinese locale" \
    'note = "registered from web"' "$(cat mb/cases/2026/*.toml)"

# show: its labels, the due date's steps and the history's actions in the
# clerk's language; the notes as recorded.
run 0 env LANG=zh_CN.UTF-8 mailbox-report -C zh show "$id" --now "$NOW"
contains "show's labels in Chinese" "答复期限：" "$out"
contains "the history's heading" "办理记录：" "$out"
contains "an action named in Chinese" "  交办  " "$out"
contains "the note as recorded" "交cgj办理" "$out"
same "no English label left" 0 "$(printf '%s\n' "$out" | grep -c '^[A-Z][a-z-]*: ')"
run 0 env LANG=C mailbox-report -C zh show "$id" --now "$NOW"
contains "show's labels in English under LANG=C" "Due:" "$out"
contains "the action's key under LANG=C" "  assign  " "$out"

# A round's table says how long is left in the clerk's language; its JSON
# keeps the English words scripts may match.
later=2026-11-27T09:00:00+08:00
run 0 env LANG=zh_CN.UTF-8 mailbox-assign -C zh chase --dry-run --now "$later"
contains "the chase table's urgency in Chinese" "还剩17天" "$out"
contains "the chase table's header" "剩余期限" "$out"
run 0 env LANG=zh_CN.UTF-8 mailbox-assign -C zh chase --dry-run --now "$later" --format json
contains "json's urgency in English" '"urgency": "17 days left"' "$out"

# A case file that does not hold together is told of in the reader's
# language, though the cache was filled by a command run in another.
new_mailbox_in() { mailbox-intake init "$1" >/dev/null && mkdir -p "$1/cases/2026"; }
new_mailbox_in broken || fail "init broken"
sed 's/^subject = .*/subject = 5/' "$file" >"broken/cases/2026/$id.toml"
touch -d '2026-01-01 00:00' "broken/cases/2026/$id.toml" # old enough for the cache to trust
run 3 env LANG=zh_CN.UTF-8 mailbox-report -C broken list --now "$NOW"
contains "the problem in Chinese" "的类型错误：应为字符串，实为整数" "$err"
run 3 env LANG=C mailbox-report -C broken list --now "$NOW"
contains "then in English, from the same cache" \
    "wrong type for 'subject': expected a string, found an integer (left out" "$err"
printf 'subject = \n' >"broken/cases/2026/$id.toml"
run 3 env LANG=zh_CN.UTF-8 mailbox-report -C broken list --now "$NOW"
contains "toml++'s own words in Chinese" "$id.toml:1:11: 解析键值对时出错：应为值，实为" "$err"
run 3 env LANG=C mailbox-report -C broken list --now "$NOW"
contains "and as toml++ wrote them under LANG=C" \
    "$id.toml:1:11: Error while parsing key-value pair: expected value, saw" "$err"

# CLI11's complaints in the tools' words, in Chinese too.
run 2 env LANG=zh_CN.UTF-8 mailbox-report -C mb show
same "a missing argument" "mailbox-report: 缺少 id（参见 'mailbox-report --help'）" "$err"
run 2 env LANG=zh_CN.UTF-8 mailbox-report -C mb list --format xml
same "a value not among the choices" \
    "mailbox-report: --format：'xml' 不是可选值（table、json、csv、tsv、md、html、txt）之一（参见 'mailbox-report --help'）" "$err"
run 2 env LANG=zh_CN.UTF-8 mailbox-report -C mb search 路灯 --limit -3
same "our own check's message" "mailbox-report: --limit：应为非负整数，实际为 '-3'（参见 'mailbox-report --help'）" "$err"
run 2 env LANG=zh_CN.UTF-8 mailbox-report -C mb
contains "a missing command" "mailbox-report: 缺少子命令：list, search" "$err"

# The forms opened in $EDITOR: their comments in the clerk's language, the
# field names as they are read.
printf '#!/bin/sh\ncp "$1" "%s/kept.txt"\n' "$TEST_DIR" >keep
chmod +x keep
script -qec "LANG=zh_CN.UTF-8 EDITOR=$TEST_DIR/keep mailbox-intake -C zh edit $id --now $NOW" /dev/null >editor.out
contains "the registration form's comment in Chinese" "# 更正案件 $id 的登记信息" "$(cat kept.txt)"
contains "its field names as they are read" "subject: 路灯" "$(cat kept.txt)"
script -qec "LANG=zh_CN.UTF-8 EDITOR=$TEST_DIR/keep mailbox-reply -C zh draft $id --outcome resolved --now $NOW" /dev/null >editor.out
contains "the answer form's comment in Chinese" "# 请在上方撰写答复" "$(cat kept.txt)"
contains "the case's line" "# 案件 $id  来信日期 2026-" "$(cat kept.txt)"
contains "the letter's subject" "# 标题：路灯" "$(cat kept.txt)"
script -qec "LANG=C EDITOR=$TEST_DIR/keep mailbox-reply -C zh draft $id --outcome resolved --now $NOW" /dev/null >editor.out
contains "in English under LANG=C" "# Write the answer above." "$(cat kept.txt)"

# LANGUAGE, as gettext reads it, wins over LANG.
run 0 env LANG=zh_CN.UTF-8 LANGUAGE=en mailbox-report -C mb list --now "$NOW"
contains "LANGUAGE=en gives English" "STATUS" "$(printf '%s\n' "$out" | head -1)"

done_testing
