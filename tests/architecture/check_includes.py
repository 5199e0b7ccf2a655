#!/usr/bin/env python3
"""Fails on an #include in lib/ that breaks the layering ARCHITECTURE.md
describes, naming the file, the line and the rule.

    util  <-  model  <-  format  <-  store  <-  intake, assign, reply, report, merge

A folder includes its own headers and those of the layers below it; the
tool folders never include one another. Includes spell the folder ("store/casefile.hpp"). Only format/mail
includes GMime; no lib file includes CLI11. And lib/ never reads the clock,
the environment or the terminal: tools pass those down in a Context.
"""
import os
import re
import sys

RANK = {"util": 0, "model": 1, "format": 2, "store": 3,
        "intake": 4, "assign": 4, "reply": 4, "report": 4, "merge": 4}
LOCAL = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
SYSTEM = re.compile(r'^\s*#\s*include\s+<([^>]+)>')
OUTSIDE = re.compile(r'\b(getenv|secure_getenv|isatty)\s*\(|\b(system_clock|steady_clock)::now\b|\btime\s*\(\s*(nullptr|NULL|0)\s*\)')


def folder_of(path):
    """The layer folder of a path relative to lib/ ("store/cache/x.hpp" -> "store")."""
    return path.split("/", 1)[0] if "/" in path else None


def allowed(src, dst):
    if src == dst:
        return True
    return RANK[dst] < RANK[src]


def check_file(lib, rel):
    problems = []
    src = folder_of(rel)
    if src not in RANK:
        return [f"lib/{rel}:1: not in a layer folder ({', '.join(RANK)})"]
    with open(os.path.join(lib, rel), encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            m = LOCAL.match(line)
            if m:
                target = m.group(1)
                dst = folder_of(target)
                if not os.path.exists(os.path.join(lib, target)) or dst not in RANK:
                    problems.append(f'lib/{rel}:{n}: "{target}" is not a header under lib/ '
                                    f'spelled with its folder')
                elif not allowed(src, dst):
                    problems.append(f'lib/{rel}:{n}: {src}/ may not include "{target}" '
                                    f'({dst}/ is not below {src}/)')
                continue
            m = OUTSIDE.search(line.split("//", 1)[0])
            if m:
                problems.append(f"lib/{rel}:{n}: lib/ does not read the clock, the environment "
                                f"or the terminal ('{m.group(0).strip()}'): take it from the Context")
            m = SYSTEM.match(line)
            if m:
                header = m.group(1)
                if header.startswith("CLI/"):
                    problems.append(f"lib/{rel}:{n}: CLI11 belongs in tools/, not lib/")
                if header.startswith("gmime/") and rel != "format/mail.cpp":
                    problems.append(f"lib/{rel}:{n}: only format/mail.cpp includes GMime")
    return problems


def main():
    lib = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "lib")
    problems = []
    for dirpath, _, names in os.walk(lib):
        for name in sorted(names):
            if name.endswith((".cpp", ".hpp")):
                rel = os.path.relpath(os.path.join(dirpath, name), lib).replace(os.sep, "/")
                problems += check_file(lib, rel)
    for p in sorted(problems):
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
