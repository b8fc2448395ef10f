#!/usr/bin/env python3
"""The layers of src/ run one way (docs/architecture.md, "Layers").

    util -> store -> core -> domains -> book        (cli: the public API only)

A file may include, call or name only what its own layer or a lower one
defines. Among the domains the order is the one below: a domain reaches
only the domains before it (billing uses the ledger and commerce; a till
sale in inventory makes its invoice through billing; never the other way
round).

Two things are read from every .c and .h file under src/:
  - its #include "..." lines, resolved to a file of src/ (or include/, the
    public API every layer may use);
  - the bo__ names it uses: every function, variable and type named bo__*
    is defined in one folder (a function with a body, a variable with an
    initializer or without extern, a typedef); any other file that names it
    (a call, a reference, a declaration) uses it.

Fails, listing each, when a file includes a header of a higher layer or
uses a bo__ name defined in a higher layer.

usage: check_layers.py SOURCE_DIR [--edges]
  --edges   also print every use across folders (how the layers touch)
"""
import os
import re
import sys

# Lowest first. A folder not listed (below a listed one) takes the rank of
# its nearest listed parent: src/store/sqlite is store.
ORDER = [
    ("util", 0),
    ("store", 1),
    ("core", 2),
    ("ledger", 3),
    ("commerce", 4),
    ("billing", 5),
    ("inventory", 6),
    ("payroll", 7),
    ("documents", 8),
    ("people", 9),
    ("approvals", 9),
    ("sync", 9),
    ("reports", 10),
    ("book", 11),
]
RANK = dict(ORDER)
DOMAINS = {"ledger", "commerce", "inventory", "billing", "payroll", "documents",
           "people", "approvals", "sync"}
# The command line sees only include/ (the public API): no header of src/
# outside its own folder, no bo__ name.
CLI = "cli"

IDENT = re.compile(r"\bbo__\w+")
INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"', re.M)


def strip(text):
    """Code without comments, string and character literals (kept as
    empty quotes), and without preprocessor lines other than #define
    bodies (a macro's body uses names like code does)."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append("\n" * text.count("\n", i, j))
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif c == '"' or c == "'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(c + c)
            i = j + 1
        else:
            out.append(c)
            i += 1
    code = "".join(out)
    lines = []
    for line in code.split("\n"):
        s = line.lstrip()
        if s.startswith("#") and not re.match(r"#\s*define\b", s):
            lines.append("")
        else:
            lines.append(line)
    return "\n".join(lines)


def folder_of(src, path):
    """The layer folder of a file of src/ ("core", "store", ...)."""
    rel = os.path.relpath(path, src).split(os.sep)
    return rel[0] if len(rel) > 1 else ""


def definitions(code):
    """bo__ names this file defines: functions with a body, variables
    (not extern), typedefs."""
    found = set()
    depth = 0
    i, n = 0, len(code)
    # Functions and variables: at brace depth 0.
    tokens = re.finditer(r"[{}]|\bbo__\w+", code)
    for m in tokens:
        t = m.group(0)
        if t == "{":
            depth += 1
            continue
        if t == "}":
            depth -= 1
            continue
        if depth != 0:
            continue
        rest = code[m.end():]
        stmt_start = max(code.rfind(";", 0, m.start()), code.rfind("}", 0, m.start()),
                         code.rfind("{", 0, m.start()))
        before = code[stmt_start + 1:m.start()]
        if re.search(r"\bextern\b", before) or re.search(r"#\s*define\b", before):
            continue
        if re.search(r"\btypedef\b", before):
            continue  # handled below
        r = rest.lstrip()
        if r.startswith("("):
            # a function: its parameter list is followed by a body
            d, k = 0, 0
            for k, ch in enumerate(r):
                if ch == "(":
                    d += 1
                elif ch == ")":
                    d -= 1
                    if d == 0:
                        break
            after = r[k + 1:].lstrip()
            if after.startswith("{"):
                found.add(t)
        elif re.match(r"(\[[^\]]*\]\s*)*(=|;)", r):
            # a variable; "name;" or "name[]" only when something precedes
            # it in the statement (a type), not a bare expression
            if before.strip():
                found.add(t)
    for m in re.finditer(r"\btypedef\b[^;{]*?(?:\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\})?[^;]*?"
                         r"\b(bo__\w+)\s*(?:\)\s*\([^;]*)?;", code):
        found.add(m.group(1))
    for m in re.finditer(r"\(\s*\*\s*(bo__\w+)\s*\)\s*\(", code):
        # typedef int (*bo__x_fn)(...);
        start = code.rfind(";", 0, m.start())
        if re.search(r"\btypedef\b", code[start + 1:m.start()]):
            found.add(m.group(1))
    return found


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    edges = "--edges" in sys.argv
    if len(args) != 1:
        print(__doc__)
        return 2
    root = os.path.abspath(args[0])
    src = os.path.join(root, "src")
    include = os.path.join(root, "include")

    files = []
    for d, _, names in os.walk(src):
        for name in sorted(names):
            if name.endswith((".c", ".h")):
                files.append(os.path.join(d, name))
    files.sort()

    text = {f: open(f, encoding="utf-8", errors="replace").read() for f in files}
    code = {f: strip(text[f]) for f in files}
    folder = {f: folder_of(src, f) for f in files}
    unknown = sorted({folder[f] for f in files} - set(RANK) - {CLI, ""})
    problems = []
    if unknown:
        problems.append("folders with no place in the layers: " + ", ".join(unknown))

    # Where every bo__ name is defined (the lowest folder when several).
    defined = {}
    for f in files:
        if folder[f] not in RANK:
            continue
        for name in definitions(code[f]):
            old = defined.get(name)
            if old is None or RANK[folder[f]] < RANK[old[0]]:
                defined[name] = (folder[f], f)

    seen_edges = set()
    for f in files:
        here = folder[f]
        rel = os.path.relpath(f, root)
        # includes
        for lineno, line in enumerate(text[f].split("\n"), 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            target = m.group(1)
            cands = [os.path.join(os.path.dirname(f), target), os.path.join(src, target),
                     os.path.join(include, target)]
            path = next((c for c in cands if os.path.isfile(c)), None)
            if path is None or not path.startswith(src + os.sep):
                continue  # the public API, or a system header
            there = folder_of(src, path)
            if here == CLI:
                if there != CLI:
                    problems.append(f"{rel}:{lineno}: includes {target}: the command "
                                    "line uses the public API only")
                continue
            if here in RANK and there in RANK and RANK[there] > RANK[here]:
                problems.append(f"{rel}:{lineno}: includes {target} ({there} is above {here})")
            if there != here:
                seen_edges.add((here, there, "include " + target))
        # names
        for lineno, line in enumerate(code[f].split("\n"), 1):
            for m in IDENT.finditer(line):
                name = m.group(0)
                d = defined.get(name)
                if d is None or d[0] == here:
                    continue
                there = d[0]
                if here == CLI:
                    problems.append(f"{rel}:{lineno}: uses {name}: the command line "
                                    "uses the public API only")
                    continue
                if here in RANK and RANK[there] > RANK[here]:
                    problems.append(f"{rel}:{lineno}: uses {name}, defined in "
                                    f"{os.path.relpath(d[1], root)} ({there} is above {here})")
                seen_edges.add((here, there, name))

    if edges:
        for e in sorted(seen_edges, key=lambda e: (RANK.get(e[0], 99), RANK.get(e[1], 99), e[2])):
            print(f"{e[0]} -> {e[1]}: {e[2]}")
    if problems:
        print(f"{len(problems)} upward use(s) across the layers "
              "(util -> store -> core -> ledger, commerce, billing, inventory, "
              "payroll, documents -> book):")
        for p in problems:
            print("  " + p)
        return 1
    print(f"layers: {len(files)} files, {len(defined)} bo__ names; "
          "nothing includes or uses a higher layer")
    return 0


if __name__ == "__main__":
    sys.exit(main())
