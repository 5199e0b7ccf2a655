#!/usr/bin/env python3
"""Fails when two headers of lib/ or tools/ define a type of the same name
in namespace mailbox: two definitions of one name break the one-definition
rule, which no compiler reports and which corrupts memory at run time (a
vector of one is moved as the other). Types at namespace scope start at
column 0 in this code (namespace bodies are not indented).
"""
import os
import re
import sys

DEFINITION = re.compile(r'^(?:struct|class|enum class|enum|union)\s+(\w+)\s*(?:final\s*)?[:{]')


def main(root):
    seen = {}
    failures = 0
    for top in ("lib", "tools"):
        for folder, _, files in os.walk(os.path.join(root, top)):
            for name in sorted(files):
                if not name.endswith(".hpp"):
                    continue
                path = os.path.join(folder, name)
                with open(path, encoding="utf-8") as f:
                    for number, line in enumerate(f, 1):
                        m = DEFINITION.match(line)
                        if not m:
                            continue
                        where = f"{os.path.relpath(path, root)}:{number}"
                        if m.group(1) in seen:
                            print(f"{where}: type {m.group(1)} is defined again "
                                  f"(first at {seen[m.group(1)]}): rename one",
                                  file=sys.stderr)
                            failures += 1
                        else:
                            seen[m.group(1)] = where
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else
                  os.path.join(os.path.dirname(__file__), "..", "..")))
