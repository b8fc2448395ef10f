#!/usr/bin/env python3
"""docs/symbols-in-versions lists every public symbol of libbackoffice.

    check_symbols.py LIB ROOT            check (a ctest test)
    check_symbols.py LIB ROOT --add      append the missing ones with the
                                         current version (then review)

Public symbols: the functions the shared library exports (nm -D), and the
types, enumerators and macros the public headers declare (include/...).
Fails when one of them is missing from the file, when a listed symbol
without a "Last" version no longer exists, or when a version column is
later than the library's own version.
"""
import os
import re
import subprocess
import sys

FILE = "docs/symbols-in-versions"


def version(root):
    text = open(os.path.join(root, "include/backoffice/common.h")).read()
    return tuple(int(re.search(r"#define BO_VERSION_%s (\d+)" % p, text).group(1))
                 for p in ("MAJOR", "MINOR", "PATCH"))


def exported(lib):
    out = subprocess.run(["nm", "-D", "--defined-only", lib], check=True,
                         capture_output=True, text=True).stdout
    # A name carries its version node (bo_version@@LIBBACKOFFICE_0.3).
    return {l.split()[-1].split("@")[0] for l in out.splitlines()
            if len(l.split()) == 3 and l.split()[2].startswith("bo_")}


def header_symbols(root):
    """Types, enumerators and macros named bo_/BO_ in the public headers."""
    names = {}
    inc = os.path.join(root, "include")
    for d, _, files in os.walk(inc):
        for f in sorted(files):
            if not f.endswith(".h"):
                continue
            rel = os.path.relpath(os.path.join(d, f), inc)
            text = open(os.path.join(d, f)).read()
            text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
            text = re.sub(r"//[^\n]*", "", text)
            for m in re.finditer(r"^\s*#\s*define\s+(BO_\w+)", text, flags=re.M):
                names.setdefault(m.group(1), rel)
            for body in re.findall(r"\benum\b[^{;]*\{(.*?)\}", text, flags=re.S):
                for item in body.split(","):
                    m = re.match(r"\s*(BO_\w+)", item)
                    if m:
                        names.setdefault(m.group(1), rel)
            # typedef statements: the declared name is "(*name)" or the last
            # identifier before the closing ';' at brace depth 0.
            for m in re.finditer(r"\btypedef\b", text):
                depth, i = 0, m.end()
                while i < len(text) and not (text[i] == ";" and depth == 0):
                    depth += text[i] == "{"
                    depth -= text[i] == "}"
                    i += 1
                stmt = text[m.end():i]
                fp = re.search(r"\(\s*\*\s*(bo_\w+)\s*\)", stmt)
                last = re.findall(r"(bo_\w+)\s*$", stmt)
                name = fp.group(1) if fp else (last[0] if last else None)
                if name:
                    names.setdefault(name, rel)
    return names


def read_file(path):
    """name -> (introduced, deprecated, last) from the symbols file."""
    out = {}
    for n, line in enumerate(open(path), 1):
        if not line.strip() or line[0].isspace():
            continue  # blank lines and indented text are comments
        cols = line.split()
        if not 2 <= len(cols) <= 4:
            sys.exit("%s:%d: expected NAME INTRODUCED [DEPRECATED [LAST]]" % (path, n))
        for c in cols[1:]:
            if c != "-" and not re.fullmatch(r"\d+\.\d+\.\d+", c):
                sys.exit("%s:%d: bad version '%s'" % (path, n, c))
        if cols[0] in out:
            sys.exit("%s:%d: %s listed twice" % (path, n, cols[0]))
        out[cols[0]] = tuple(cols[1:]) + ("-",) * (4 - len(cols))
    return out


def vtuple(s):
    return tuple(int(x) for x in s.split("."))


def main():
    lib, root = sys.argv[1], sys.argv[2]
    path = os.path.join(root, FILE)
    funcs = exported(lib)
    public = dict(header_symbols(root))
    for f in funcs:
        public[f] = "exported function"
    listed = read_file(path)
    cur = version(root)
    missing = sorted(set(public) - set(listed))
    if len(sys.argv) > 3 and sys.argv[3] == "--add":
        # Keep the comment lines, merge the new entries in name order.
        lines = open(path).read().splitlines()
        head = [l for l in lines if not l or l[0].isspace()]
        body = [l for l in lines if l and not l[0].isspace()]
        body += ["%-39s %d.%d.%d" % ((n,) + cur) for n in missing]
        body.sort(key=lambda l: (l.split()[0].lower(), l.split()[0]))
        while head and not head[-1]:
            head.pop()
        with open(path, "w") as f:
            f.write("\n".join(head) + "\n\n" + "\n".join(body) + "\n")
        print("symbols-in-versions: added %d symbols as %d.%d.%d" % ((len(missing),) + cur))
        return 0
    problems = ["%s (%s) is not in %s" % (n, public[n], FILE) for n in missing]
    for n, (intro, depr, last) in sorted(listed.items()):
        if last == "-" and n not in public:
            problems.append("%s is listed without a 'Last' version but no longer "
                            "exists" % n)
        for v in (intro, depr, last):
            if v != "-" and vtuple(v) > cur:
                problems.append("%s: version %s is later than the library's "
                                "%d.%d.%d" % ((n, v) + cur))
    for p in problems:
        print("symbols-in-versions: " + p)
    print("symbols-in-versions: %d exported functions, %d header symbols, %d "
          "listed, %d problems" % (len(funcs), len(public) - len(funcs),
                                   len(listed), len(problems)))
    return 1 if problems or len(funcs) < 50 else 0


if __name__ == "__main__":
    sys.exit(main())
