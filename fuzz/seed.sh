#!/usr/bin/env bash
# seed.sh OUT: a seed corpus per fuzz target in OUT/NAME/, made from the
# sample data, the golden files and a few hostile inputs. Generated at run
# time, so no corpus of megabytes is kept in the tree.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
out=${1:?usage: seed.sh OUT}
for name in casefile config mail csv charset dates; do
    rm -rf "$out/$name" && mkdir -p "$out/$name"
done
# seed NAME: stdin as one seed of that target, named by its SHA-1 as
# libFuzzer names what it adds.
seed() {
    local tmp="$out/$1/.new"
    cat >"$tmp"
    mv "$tmp" "$out/$1/$(sha1sum <"$tmp" | cut -c1-40)"
}

# casefile: every sample case and the case intake writes in the golden test.
for f in "$src"/sample-data/cases/*/*.toml "$src"/tests/golden/0200-intake-new/case-file.out; do
    seed casefile <"$f"
done

# config: the sample mailbox.toml whole, and each of its tables alone, which
# are small enough to mutate quickly.
seed config <"$src/sample-data/mailbox.toml"
awk -v dir="$out/config" '/^\[/ { f = dir "/table-" ++t } f { print > f }' \
    "$src/sample-data/mailbox.toml"

# mail: the sample .eml and mbox, each message of the mbox alone, the mail the
# office sends, the HTML bulletin (for html_to_text), and hostile messages.
for f in "$src"/sample-data/import/*.eml "$src"/sample-data/import/*.mbox \
    "$src"/tests/golden/1200-reply/reply-email.out "$src"/tests/golden/1300-report/bulletin-html.out; do
    seed mail <"$f"
done
awk -v dir="$out/mail" '/^From / { f = dir "/mbox-" ++m } f { print > f }' \
    "$src"/sample-data/import/*.mbox
date='Date: Tue, 24 Nov 2026 10:00:00 +0800'
printf 'From: a@example.com\nSubject: truncated\n%s\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain; charset=utf-8\n\n只写了一半的信' "$date" | seed mail
printf 'From: b@example.com\nSubject: picture\n%s\nContent-Type: image/png; name="a.png"\nContent-Transfer-Encoding: base64\n\niVBORw0KGgo=\n' "$date" | seed mail
{ printf 'From: c@example.com\nSubject: no charset\n%s\nContent-Type: text/plain\n\n' "$date"; printf '没有声明字符集的信\n' | iconv -f UTF-8 -t GBK; } | seed mail
{ printf 'From: d@example.com\nSubject: =?big5?B?%s?=\n%s\nContent-Type: text/plain; charset=big5\nContent-Transfer-Encoding: quoted-printable\n\n' "$(printf '繁體' | iconv -f UTF-8 -t BIG5 | base64 -w0)" "$date"; printf '繁體中文的信=\n' | iconv -f UTF-8 -t BIG5; } | seed mail
printf 'From: =?UTF-8?B?%s?= <g@example.com>\nSubject: =?gb2312?Q?=D6=D0?= =?gb2312?B?zsQ=?=\n%s\nMessage-ID: <x@y>\n\n正文\n' "$(printf '张三\r\nBcc: x@example.com' | base64 -w0)" "$date" | seed mail
printf 'From: h@example.com\nSubject: html\n%s\nContent-Type: text/html; charset=utf-8\n\n<p>第一段&nbsp;a&amp;b</p><div>二<br>三&#x4E2D;</div>\n' "$date" | seed mail

# csv: the sample export, in UTF-8 and GB18030, the golden CSV outputs, and
# rows a form may send: a quote left open, a bad time, a short row.
for f in "$src"/sample-data/import/*.csv "$src"/tests/golden/0300-report-list/csv.out; do
    seed csv <"$f"
done
iconv -f UTF-8 -t GB18030 "$src"/sample-data/import/04-webform.csv | seed csv
header='留言用户,留言主题,留言时间,留言详情,电子邮箱,联系电话'
printf '%s\r\n李四,好,2026-11-20 10:00,"第一行\r\n第二行",,\r\n王五,坏时间,下午三点,正文,,\r\n' "$header" | seed csv
printf '%s\n,短行\n赵六,"未闭合,2026/2/28 11:25,x\n' "$header" | seed csv

# charset: Chinese text in each legacy charset, alone and after a first line
# naming a charset (as the target reads it).
text='市民来信：东湖村石桥被冲坏，镕堃䶮之类的字也要读对。'
for cs in GBK GB18030 BIG5 BIG5-HKSCS UTF-8 UTF-16LE; do
    printf '%s' "$text" | iconv -f UTF-8 -t "$cs" 2>/dev/null | seed charset || true
    { printf '%s\n' "$cs"; printf '%s' "$text" | iconv -f UTF-8 -t "$cs" 2>/dev/null || true; } | seed charset
done

# dates: the times in the sample cases and export, and the forms clerks type.
grep -ohE '[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}[+-][0-9:]{5}' "$src"/sample-data/cases/2026/*.toml |
    sort -u | awk 'NR <= 20' | while read -r t; do printf '%s' "$t" | seed dates; done
for t in 2026-11-25 '2026-11-25 09:30' 2026-11-25T09:30:00Z '2019/2/28 11:25' '2019/2/8 9:05:07' \
    2026-11-25T09:30:00-05:00 2026-02-29 2028-02-29T23:59:59+14:00 9999-12-31T23:59:59+08:00; do
    printf '%s' "$t" | seed dates
done
for name in casefile config mail csv charset dates; do
    printf '%s: %s seeds\n' "$name" "$(find "$out/$name" -type f | wc -l)"
done
