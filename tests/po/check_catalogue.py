#!/usr/bin/env python3
"""Fails on a catalogue that is not whole: a message marked in lib/ or
tools/ (po/messages) that po/LANG.po does not translate, a translation
left fuzzy or untranslated (msgfmt --statistics), one msgfmt --check
refuses, or one whose {} placeholders are not the English's."""
import re
import subprocess
import sys
import tempfile
from pathlib import Path

source = Path(sys.argv[1])
failures = []


def entries(po_text):
    """(line, context, msgid, [msgstr...]) of each message but the header."""
    out = []
    current = {}
    field = None
    line_of = 0

    def flush():
        if current.get("msgid"):
            out.append((line_of, current.get("msgctxt", ""), current["msgid"],
                        [v for k, v in sorted(current.items()) if k.startswith("msgstr")]))

    for number, line in enumerate(po_text.splitlines(), 1):
        if not line.strip():
            flush()
            current, field = {}, None
            continue
        if line.startswith("#"):
            continue
        m = re.match(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) "(.*)"$', line)
        if m:
            field = m.group(1)
            if field == "msgid":
                line_of = number
            current[field] = m.group(2)
        elif line.startswith('"') and field:
            current[field] += line[1:-1]
    flush()
    return out


def placeholders(text):
    """The argument each {} of a fmt string names, automatic ones numbered."""
    text = text.replace("{{", "").replace("}}", "")
    names, auto = [], 0
    for field in re.findall(r"\{([^{}]*)\}", text):
        index = field.split(":")[0]
        if index == "":
            names.append(str(auto))
            auto += 1
        else:
            names.append(index)
    return sorted(names)


with tempfile.NamedTemporaryFile("w+", suffix=".pot") as template:
    subprocess.run([str(source / "po" / "messages")], stdout=template, check=True)
    template.flush()
    for po in sorted((source / "po").glob("*.po")):
        cmp = subprocess.run(["msgcmp", str(po), template.name], capture_output=True, text=True)
        if cmp.returncode != 0:
            failures.append(f"{po.name}: not every marked message is translated:\n{cmp.stderr}")
        fmt = subprocess.run(["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],
                             capture_output=True, text=True)
        if fmt.returncode != 0 or "warning" in fmt.stderr:
            failures.append(f"{po.name}: msgfmt --check:\n{fmt.stderr}")
        if "untranslated" in fmt.stderr or "fuzzy" in fmt.stderr:
            failures.append(f"{po.name}: {fmt.stderr.strip()}")
        for line, context, msgid, msgstrs in entries(po.read_text(encoding="utf-8")):
            want = placeholders(msgid)
            for msgstr in msgstrs:
                if msgstr and placeholders(msgstr) != want:
                    failures.append(f"{po.name}:{line}: the placeholders of \"{msgstr}\" are not "
                                    f"those of \"{msgid}\"")

for f in failures:
    print(f, file=sys.stderr)
sys.exit(1 if failures else 0)
