#!/usr/bin/env python3
"""The ledger's door (src/ledger/ledger.h) is the only way the other domains
reach the ledger.

Fails when a source file of a domain other than the ledger (every folder of
src/ but ledger/ and the layers under and above the domains: util, store,
core, book, cli):

- names one of the ledger's tables in an SQL string (after FROM, JOIN, INTO,
  UPDATE, TABLE): it reads them through the door's relations
  (BO__LEDGER_POSTINGS, ...) or functions instead. A foreign key
  (REFERENCES entries(id)) declares which entry a row belongs to and is
  allowed;
- uses a name declared below the line "Inside the ledger" of ledger.h (the
  ledger's cache, day totals, the entry builder's insides).

Usage: check_ledger_door.py [SOURCE_ROOT]
"""
import os
import re
import sys

LEDGER_TABLES = ("accounts", "periods", "entries", "reversals", "postings",
                 "account_days", "ledger_closings", "ledger_recurring",
                 "ledger_recurring_lines")
NOT_DOMAINS = {"ledger", "util", "store", "core", "book", "cli"}
SQL_USE = re.compile(r"\b(FROM|JOIN|INTO|UPDATE|TABLE)\s+(%s)\b" % "|".join(LEDGER_TABLES),
                     re.I)
LITERAL = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)


def strip_comments(text):
    # Keep line numbers: a comment becomes as many newlines as it held.
    return COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text)


def inside_names(header):
    text = strip_comments(open(header, encoding="utf-8").read())
    raw = open(header, encoding="utf-8").read()
    marker = raw.find("---- Inside the ledger")
    if marker < 0:
        return None
    # The same position in the comment-free text: count lines.
    line = raw.count("\n", 0, marker)
    below = "\n".join(text.split("\n")[line:])
    names = set(re.findall(r"\b(bo__\w+)\b", below))
    above = "\n".join(text.split("\n")[:line])
    return names - set(re.findall(r"\b(bo__\w+)\b", above))


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
    src = os.path.join(root, "src")
    hidden = inside_names(os.path.join(src, "ledger", "ledger.h"))
    problems = []
    if not hidden:
        problems.append("src/ledger/ledger.h: no names below a line '---- Inside the "
                        "ledger' (the door is what is above it)")
        hidden = set()
    for folder in sorted(os.listdir(src)):
        if folder in NOT_DOMAINS or not os.path.isdir(os.path.join(src, folder)):
            continue
        for dirpath, _, files in os.walk(os.path.join(src, folder)):
            for f in sorted(files):
                if not f.endswith((".c", ".h")):
                    continue
                p = os.path.join(dirpath, f)
                rel = os.path.relpath(p, root)
                text = strip_comments(open(p, encoding="utf-8").read())
                for m in LITERAL.finditer(text):
                    for u in SQL_USE.finditer(m.group(1)):
                        line = text.count("\n", 0, m.start()) + 1
                        problems.append(f"{rel}:{line}: SQL on the ledger's table "
                                        f"'{u.group(2)}' ({u.group(0)}): use the door "
                                        "(src/ledger/ledger.h)")
                code = LITERAL.sub('""', text)
                for m in re.finditer(r"\b(bo__\w+)\b", code):
                    if m.group(1) in hidden:
                        line = code.count("\n", 0, m.start()) + 1
                        problems.append(f"{rel}:{line}: '{m.group(1)}' is inside the "
                                        "ledger, not part of its door")
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} use(s) of the ledger outside its door")
        return 1
    print(f"ok: no domain reaches the ledger but through its door "
          f"({len(hidden)} names kept inside)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
