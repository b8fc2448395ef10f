#!/usr/bin/env python3
"""The ABI check of libbackoffice: compare a built libbackoffice.so and the
public headers with the baseline kept in tests/abi/ (rules: README.md).

    abi_check.py check        --lib LIB --root SRC --work DIR [--cc CC]
    abi_check.py generate     --lib LIB --root SRC --work DIR [--cc CC]
    abi_check.py selftest     --lib LIB --root SRC --work DIR [--cc CC]
    abi_check.py expect-break --lib LIB --root SRC --work DIR --removed NAME
                              [--pretend-version X.Y.Z]

check     exits 1 on an incompatible change unless the ABI version changed
          (the major version; before 1.0, major.minor).
generate  rewrites the baseline from LIB and the headers (make abi-baseline).
selftest  doctors baselines taken from LIB itself and shows that each kind
          of break fails (a function removed, a struct member removed, a
          type changed, an error code renumbered, a constant removed) and
          that compatible changes pass (a member appended to a versioned
          struct, a new function).
expect-break  LIB is a copy of the library with one export (NAME)
          suppressed: passes only when the check fails and names NAME;
          with --pretend-version (a later major) only when it passes.

The three parts of the check:
 1. abidiff (abigail-tools) between libbackoffice.abi (abidw) and the
    library: no exported function or variable removed, or changed in its
    signature or in a type it reaches. Opaque handles and versioned structs
    are suppressed there (their contents are private, resp. part 2's).
 2. Struct layouts of the public headers, compiled and printed (offset,
    size and declared type of every member): a versioned struct (first
    member `version`) may only grow at the end; any other must not change.
 3. Constants of the public headers (enumerators, integer macros) and
    typedefs: each keeps its value or declaration; *_VERSION macros may
    grow; BO_VERSION_* are the version itself.
Headers under include/backoffice/sys/ (driver and plugin contracts) may
change when the minor version changes; everything else only when the ABI
version changes: the major version, and before 1.0 (major, minor), as the
SONAME says (libbackoffice.so.1, libbackoffice.so.0.3).
"""
import argparse
import os
import re
import shutil
import subprocess
import sys

ABI_FILE = "libbackoffice.abi"
HEADERS_FILE = "headers.txt"
VERSION_FILE = "baseline.version"
SELF_VERSION = {"BO_VERSION_MAJOR", "BO_VERSION_MINOR", "BO_VERSION_PATCH",
                "BO_VERSION_NUMBER"}
TYPE_WORDS = {"int", "char", "short", "long", "unsigned", "signed", "float",
              "double", "void", "_Bool", "const", "volatile", "struct", "enum"}


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def die(msg):
    print("abi: " + msg)
    sys.exit(1)


# ---- versions and the library -----------------------------------------------

def header_version(root):
    text = open(os.path.join(root, "include/backoffice/common.h")).read()
    out = []
    for p in ("MAJOR", "MINOR", "PATCH"):
        m = re.search(r"#define BO_VERSION_%s (\d+)" % p, text)
        if not m:
            die("cannot read BO_VERSION_%s from include/backoffice/common.h" % p)
        out.append(int(m.group(1)))
    return tuple(out)


def parse_version(s):
    parts = s.strip().split(".")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        die("bad version '%s'" % s.strip())
    return tuple(int(p) for p in parts)


def abi_version(v):
    """The part of version v that names the ABI (and the SONAME): the major
    version, and before 1.0 the major and the minor (0.3 may break 0.2)."""
    return (v[0],) if v[0] >= 1 else (v[0], v[1])


def soname_of(v):
    return "libbackoffice.so." + ".".join(str(n) for n in abi_version(v))


def vstr(v):
    return "%d.%d.%d" % v


def soname(lib):
    m = re.search(r"Library soname: \[([^\]]+)\]", run(["readelf", "-d", lib]).stdout)
    return m.group(1) if m else None


def has_debug_info(lib):
    return ".debug_info" in run(["readelf", "-S", "-W", lib]).stdout


# ---- the public headers -------------------------------------------------------

def public_headers(root):
    inc = os.path.join(root, "include")
    out = []
    for d, _, files in os.walk(inc):
        out += [os.path.relpath(os.path.join(d, f), inc) for f in files if f.endswith(".h")]
    return sorted(out)


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def squash(s):
    s = re.sub(r"\s+", " ", s).strip()
    return re.sub(r"\s*([*(),\[\]])\s*", r"\1", s)


def drop_param_names(params):
    """'const char *text, size_t len' -> 'const char*,size_t'."""
    out = []
    for p in params.split(","):
        toks = re.findall(r"[A-Za-z_]\w*|\*+|\[[^\]]*\]|\.\.\.", p)
        if len(toks) >= 2 and re.match(r"[A-Za-z_]\w*$", toks[-1]) and \
                toks[-1] not in TYPE_WORDS and not (
                    len(toks) == 2 and toks[0] in ("struct", "enum")):
            toks = toks[:-1]
        out.append(squash(" ".join(toks)))
    return ",".join(out)


def declaration_type(decl, name):
    """The type of a declaration with its own name and parameter names taken
    out: 'int (*open)(const bo_driver *d, int x)' -> 'int(*)(const bo_driver*,int)'."""
    decl = squash(decl)
    fp = re.match(r"(.*?)\(\*%s\)\((.*)\)$" % re.escape(name), decl)
    if fp:
        return "%s(*)(%s)" % (squash(fp.group(1)), drop_param_names(fp.group(2)))
    return squash(re.sub(r"\b%s\b" % re.escape(name), " ", decl, count=1))


def split_members(body):
    """Member declarations of a struct body (no nested structs here)."""
    out, depth, cur = [], 0, ""
    for ch in body:
        if ch == ";" and depth == 0:
            if cur.strip():
                out.append(cur.strip())
            cur = ""
            continue
        depth += ch in "({"
        depth -= ch in ")}"
        cur += ch
    return out


def member_name(decl):
    fp = re.search(r"\(\s*\*\s*(\w+)\s*\)", decl)
    if fp:
        return fp.group(1)
    return re.findall(r"(\w+)\s*(?:\[[^\]]*\])?\s*$", decl)[0]


def parse_headers(root):
    """Constants, struct bodies, opaque structs and typedefs of the headers."""
    consts, structs, typedefs, declared = [], {}, {}, {}
    for h in public_headers(root):
        text = strip_comments(open(os.path.join(root, "include", h)).read())
        for body in re.findall(r"\benum\b[^{;]*\{(.*?)\}", text, flags=re.S):
            for item in body.split(","):
                m = re.match(r"\s*([A-Za-z_]\w*)", item)
                if m:
                    consts.append((m.group(1), h))
        for m in re.finditer(r"^\s*#\s*define\s+(BO_\w+)[ \t]+(.+?)\s*$", text,
                             flags=re.M):
            if not re.search(r'[{}"]|\\$', m.group(2)):
                consts.append((m.group(1), h))
        for m in re.finditer(r"\bstruct\s+(bo_\w+)\s*\{(.*?)\}", text, flags=re.S):
            members = []
            for decl in split_members(m.group(2)):
                n = member_name(decl)
                members.append((n, declaration_type(decl, n)))
            structs[m.group(1)] = (h, members)
        for m in re.finditer(r"\btypedef\s+struct\s+(bo_\w+)\s+(bo_\w+)\s*;", text):
            declared[m.group(1)] = h
        for m in re.finditer(r"\btypedef\b([^;{]*?)\(\s*\*\s*(bo_\w+)\s*\)\s*\(([^;]*)\)\s*;",
                             text, flags=re.S):
            typedefs[m.group(2)] = ("%s(*)(%s)" % (squash(m.group(1)),
                                                  drop_param_names(m.group(3))), h)
        for m in re.finditer(r"\btypedef\s+((?:unsigned\s+|signed\s+)?\w+)\s+(bo_\w+)\s*;",
                             text):
            if m.group(1) != "struct":
                typedefs[m.group(2)] = (squash(m.group(1)), h)
    seen, uniq = set(), []
    for n, h in consts:
        if n not in seen:
            seen.add(n)
            uniq.append((n, h))
    opaque = sorted(set(declared) - set(structs))
    return uniq, structs, opaque, typedefs


def probe(root, work, cc):
    """Compile and run a program printing every constant and struct layout;
    returns the lines of headers.txt."""
    consts, structs, _, typedefs = parse_headers(root)
    os.makedirs(work, exist_ok=True)
    src, exe = os.path.join(work, "abi_probe.c"), os.path.join(work, "abi_probe")
    with open(src, "w") as f:
        f.write("#include <stddef.h>\n#include <stdio.h>\n")
        for h in public_headers(root):
            f.write("#include <%s>\n" % h)
        f.write("int main(void)\n{\n")
        for n, h in consts:
            f.write('    printf("const %%s %%lld %%s\\n", "%s", (long long)(%s), "%s");\n'
                    % (n, n, h))
        for s, (h, members) in sorted(structs.items()):
            f.write('    printf("struct %%s %%zu %%s\\n", "%s", sizeof(struct %s), "%s");\n'
                    % (s, s, h))
            for i, (m, t) in enumerate(members):
                f.write('    printf("member %s %d %s %%zu %%zu %s\\n", offsetof(struct %s, %s),'
                        ' sizeof(((struct %s *)0)->%s));\n' % (s, i + 1, m, t, s, m, s, m))
        f.write("    return 0;\n}\n")
    r = run([cc, "-std=c11", "-I", os.path.join(root, "include"), src, "-o", exe])
    if r.returncode != 0:
        die("cannot compile the header probe:\n" + r.stderr)
    lines = run([exe]).stdout.splitlines()
    for n, (t, h) in sorted(typedefs.items()):
        lines.append("typedef %s %s %s" % (n, h, t))
    return lines


class Headers:
    """headers.txt: 'const NAME VALUE HEADER', 'struct NAME SIZE HEADER',
    'member STRUCT N NAME OFFSET SIZE TYPE', 'typedef NAME HEADER TYPE'."""

    def __init__(self, lines):
        self.consts, self.structs, self.typedefs = {}, {}, {}
        for line in lines:
            if not line.strip() or line.startswith("#"):
                continue
            kind, rest = line.split(" ", 1)
            if kind == "const":
                n, v, h = rest.split()
                self.consts[n] = (int(v), h)
            elif kind == "struct":
                n, size, h = rest.split()
                self.structs[n] = {"size": int(size), "header": h, "members": []}
            elif kind == "member":
                s, _, n, off, size, t = rest.split(" ", 5)
                self.structs[s]["members"].append((n, int(off), int(size), t))
            elif kind == "typedef":
                n, h, t = rest.split(" ", 2)
                self.typedefs[n] = (t, h)

    def versioned(self):
        return sorted(n for n, s in self.structs.items()
                      if s["members"] and s["members"][0][0] == "version")


def is_sys(header):
    return header.startswith("backoffice/sys/")


def compare_headers(base, cur, sys_may_change):
    problems = []

    def flag(header, msg):
        if is_sys(header) and sys_may_change:
            print("abi: allowed (driver/plugin contract, minor version changed): " + msg)
        else:
            problems.append(msg)

    for n, (v, h) in sorted(base.consts.items()):
        if n in SELF_VERSION:
            continue
        if n not in cur.consts:
            flag(h, "constant %s (%s) was removed" % (n, h))
        elif n.endswith("_VERSION") and cur.consts[n][0] >= v:
            continue
        elif cur.consts[n][0] != v:
            flag(h, "constant %s (%s) changed from %d to %d" % (n, h, v, cur.consts[n][0]))
    for n in sorted(set(cur.consts) - set(base.consts)):
        print("abi: compatible: constant %s added" % n)

    for n, s in sorted(base.structs.items()):
        h = s["header"]
        if n not in cur.structs:
            flag(h, "struct %s (%s) was removed" % (n, h))
            continue
        c = cur.structs[n]
        old, new = s["members"], c["members"]
        versioned = old and old[0][0] == "version"
        for i, m in enumerate(old):
            if i >= len(new) or new[i] != m:
                got = "%s at byte %d, %d bytes, %s" % new[i] if i < len(new) else "nothing"
                flag(h, "struct %s: member %d was %s at byte %d, %d bytes, %s; now %s"
                     % ((n, i + 1) + m + (got,)))
                break
        else:
            if versioned:
                for m in new[len(old):]:
                    print("abi: compatible: struct %s: member %s appended" % (n, m[0]))
            elif len(new) != len(old) or c["size"] != s["size"]:
                flag(h, "struct %s (not versioned) changed size from %d to %d bytes"
                     % (n, s["size"], c["size"]))

    for n, (t, h) in sorted(base.typedefs.items()):
        if n not in cur.typedefs:
            flag(h, "typedef %s (%s) was removed" % (n, h))
        elif cur.typedefs[n][0] != t:
            flag(h, "typedef %s changed from %s to %s" % (n, t, cur.typedefs[n][0]))
    return problems


# ---- abidw / abidiff ----------------------------------------------------------

def abidw(lib, root, out):
    """The ABI of lib as abidw XML, without locations or absolute paths."""
    if not shutil.which("abidw"):
        die("abidw not found: install abigail-tools (make test-deps)")
    r = run(["abidw", "--drop-private-types",
             "--headers-dir", os.path.join(root, "include/backoffice"),
             "--header-file", os.path.join(root, "include/backoffice.h"),
             "--exported-interfaces-only", "--no-show-locs",
             "--no-corpus-path", "--no-comp-dir-path", lib])
    if r.returncode != 0:
        die("abidw failed on %s:\n%s" % (lib, r.stderr))
    text = r.stdout
    for prefix in (os.path.realpath(root), os.path.abspath(root)):
        text = text.replace(prefix.rstrip("/") + "/", "")
    with open(out, "w") as f:
        f.write(text)


SUMMARY = re.compile(r"^(Functions|Variables|Function symbols|Variable symbols)"
                     r" changes summary: (\d+) Removed, (?:(\d+) Changed.*?, )?"
                     r"(\d+) Added", re.M)


def abidiff(base_xml, cur_xml, work, suppressed):
    if not shutil.which("abidiff"):
        die("abidiff not found: install abigail-tools (make test-deps)")
    suppr = os.path.join(work, "abi.suppr")
    with open(suppr, "w") as f:
        f.write("# Opaque handles (private contents) and versioned structs\n"
                "# (checked member by member from the headers).\n"
                "[suppress_type]\n  name_regexp = ^(%s)$\n" % "|".join(suppressed))
    r = run(["abidiff", "--no-show-locs", "--suppr", suppr, base_xml, cur_xml])
    if r.returncode & 3:
        die("abidiff could not compare (exit %d):\n%s%s"
            % (r.returncode, r.stdout, r.stderr))
    removed = changed = added = 0
    for m in SUMMARY.finditer(r.stdout):
        removed += int(m.group(2))
        changed += int(m.group(3) or 0)
        added += int(m.group(4))
    return removed, changed, added, r.stdout, r.returncode


def exported(xml_path):
    return set(re.findall(r"<elf-symbol name='([^']+)'", open(xml_path).read()))


# ---- check and generate ---------------------------------------------------------

def check(lib, root, work, cc, basedir, pretend=None):
    """Returns (ok, abidiff report)."""
    os.makedirs(work, exist_ok=True)
    cur_v = pretend or header_version(root)
    base_v = parse_version(open(os.path.join(basedir, VERSION_FILE)).read())
    so = soname(lib)
    if pretend is None and so != soname_of(cur_v):
        die("SONAME %s does not match the version %s (expected %s)"
            % (so, vstr(cur_v), soname_of(cur_v)))
    if not has_debug_info(lib):
        die("%s has no debug information: build with -g (the default and "
            "asan presets do) to compare types" % lib)
    major = abi_version(cur_v) != abi_version(base_v)
    sys_may_change = major or cur_v[1] != base_v[1]
    print("abi: baseline %s, library %s (%s)" % (vstr(base_v), vstr(cur_v), so))

    base_h = Headers(open(os.path.join(basedir, HEADERS_FILE)).read().splitlines())
    cur_h = Headers(probe(root, work, cc))
    _, _, opaque, _ = parse_headers(root)
    suppressed = sorted(set(opaque) | set(base_h.versioned()) | set(cur_h.versioned()))
    cur_xml = os.path.join(work, "current.abi")
    abidw(lib, root, cur_xml)
    removed, changed, added, report, status = abidiff(
        os.path.join(basedir, ABI_FILE), cur_xml, work, suppressed)
    if removed or changed or added:
        print(report.rstrip())
    problems = []
    if removed or changed:
        problems.append("abidiff: %d removed, %d changed function(s)/variable(s)"
                        % (removed, changed))
    problems += compare_headers(base_h, cur_h, sys_may_change)
    print("abi: abidiff exit %d: %d removed, %d changed, %d added; %d constants, "
          "%d structs, %d typedefs compared" % (status, removed, changed, added,
                                                len(base_h.consts), len(base_h.structs),
                                                len(base_h.typedefs)))
    if not problems:
        print("abi: compatible with the baseline")
        return True, report
    for p in problems:
        print("abi: INCOMPATIBLE: " + p)
    if major:
        print("abi: allowed: the ABI version changed (%s -> %s); regenerate "
              "the baseline with `make abi-baseline`"
              % (".".join(map(str, abi_version(base_v))),
                 ".".join(map(str, abi_version(cur_v)))))
        return True, report
    print("abi: FAILED: an incompatible change needs a new ABI version "
          "(the major version, before 1.0 the minor: the SONAME); a change judged compatible "
          "needs a new baseline (`make abi-baseline`)")
    return False, report


def generate(lib, root, work, cc, basedir):
    if not has_debug_info(lib):
        die("%s has no debug information: build with -g" % lib)
    v = header_version(root)
    if soname(lib) != soname_of(v):
        die("SONAME %s does not match the version %s (expected %s)"
            % (soname(lib), vstr(v), soname_of(v)))
    os.makedirs(basedir, exist_ok=True)
    lines = probe(root, work, cc)
    abidw(lib, root, os.path.join(basedir, ABI_FILE))
    with open(os.path.join(basedir, HEADERS_FILE), "w") as f:
        f.write("# Constants, struct layouts and typedefs of the public headers\n"
                "# (x86-64). Generated by tests/abi/abi_check.py (make abi-baseline).\n")
        f.write("\n".join(lines) + "\n")
    with open(os.path.join(basedir, VERSION_FILE), "w") as f:
        f.write(vstr(v) + "\n")
    h = Headers(lines)
    print("abi: baseline %s written to %s: %d exported functions, %d constants, "
          "%d structs, %d typedefs" % (vstr(v), basedir,
                                       len(exported(os.path.join(basedir, ABI_FILE))),
                                       len(h.consts), len(h.structs), len(h.typedefs)))


# ---- self-test -------------------------------------------------------------------

def doctor(path, fn):
    text = open(path).read()
    new = fn(text)
    if new == text:
        die("self-test: doctoring %s changed nothing" % path)
    open(path, "w").write(new)


def add_function(text):
    """The baseline exports bo_zzz_gone too: the library lost a function."""
    m = re.search(r" *<elf-symbol name='bo_version' [^>]*/>\n", text)
    text = text.replace(m.group(0), m.group(0) + m.group(0).replace(
        "bo_version", "bo_zzz_gone"), 1)
    m = re.search(r" *<function-decl name='bo_version' .*?</function-decl>\n",
                  text, flags=re.S)
    return text.replace(m.group(0), m.group(0) + m.group(0).replace(
        "bo_version", "bo_zzz_gone"), 1)


def drop_function(text):
    """The baseline lacks bo_version: the library added a function."""
    text = re.sub(r" *<elf-symbol name='bo_version' [^>]*/>\n", "", text)
    return re.sub(r" *<function-decl name='bo_version' .*?</function-decl>\n", "",
                  text, flags=re.S)


def last_member(text, struct):
    ms = re.findall(r"^member %s .*$" % struct, text, flags=re.M)
    if not ms:
        die("self-test: struct %s has no members" % struct)
    return ms[-1]


def add_member(text):
    """The baseline's bo_book_options has one more member: it was removed."""
    last = last_member(text, "bo_book_options")
    _, s, i, _, off, size, _ = last.split(" ", 6)
    extra = "member %s %d removed_later %d 8 const char*" % (s, int(i) + 1,
                                                            int(off) + int(size))
    return text.replace(last, last + "\n" + extra, 1)


def drop_member(text):
    """The baseline lacks bo_book_options' last member: it was appended."""
    return text.replace(last_member(text, "bo_book_options") + "\n", "", 1)


def retype_member(text):
    """A member of bo_allocator had another type in the baseline."""
    m = re.search(r"^(member bo_allocator 2 malloc_fn \d+ \d+ )(.*)$", text, flags=re.M)
    return text.replace(m.group(0), m.group(1) + "void*(*)(void*,unsigned int)", 1)


def selftest(lib, root, work, cc):
    base = os.path.join(work, "baseline")
    results = []

    def case(name, want_ok, fix_abi=None, fix_headers=None):
        generate(lib, root, os.path.join(work, "gen"), cc, base)
        if fix_abi:
            doctor(os.path.join(base, ABI_FILE), fix_abi)
        if fix_headers:
            doctor(os.path.join(base, HEADERS_FILE), fix_headers)
        print("---- self-test: %s (expect %s)" % (name, "pass" if want_ok else "failure"))
        ok, _ = check(lib, root, os.path.join(work, "case"), cc, base)
        results.append((name, ok == want_ok))

    case("the library against its own baseline", True)
    case("a function removed (the baseline has bo_zzz_gone)", False, fix_abi=add_function)
    case("a function added (the baseline lacks bo_version)", True, fix_abi=drop_function)
    case("a member removed from the end of bo_book_options", False, fix_headers=add_member)
    case("a member appended to bo_book_options", True, fix_headers=drop_member)
    case("a member of bo_allocator retyped", False, fix_headers=retype_member)
    case("an error code renumbered (BO_EDENIED)", False,
         fix_headers=lambda t: t.replace("const BO_EDENIED -13 ", "const BO_EDENIED -99 "))
    case("a constant removed (BO_EGONE)", False,
         fix_headers=lambda t: t + "const BO_EGONE -98 backoffice/errors.h\n")
    case("a callback type changed (bo_free_fn)", False,
         fix_headers=lambda t: re.sub(r"^typedef bo_free_fn .*$",
                                      "typedef bo_free_fn backoffice/events.h void(*)(void*,int)",
                                      t, flags=re.M))
    print("----")
    for name, good in results:
        print("abi self-test: %s: %s" % ("ok" if good else "WRONG", name))
    return all(g for _, g in results)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["check", "generate", "selftest", "expect-break"])
    ap.add_argument("--lib", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--cc", default="cc")
    ap.add_argument("--baseline", help="baseline folder (default ROOT/tests/abi)")
    ap.add_argument("--removed", help="expect-break: the function removed")
    ap.add_argument("--pretend-version", help="expect-break: act as this version")
    a = ap.parse_args()
    basedir = a.baseline or os.path.join(a.root, "tests/abi")
    if a.mode == "generate":
        generate(a.lib, a.root, a.work, a.cc, basedir)
        return 0
    if a.mode == "selftest":
        return 0 if selftest(a.lib, a.root, a.work, a.cc) else 1
    if a.mode == "check":
        return 0 if check(a.lib, a.root, a.work, a.cc, basedir)[0] else 1
    pretend = parse_version(a.pretend_version) if a.pretend_version else None
    ok, report = check(a.lib, a.root, a.work, a.cc, basedir, pretend)
    named = re.search(r"\[D\] 'function [^']*\b%s\(" % re.escape(a.removed), report)
    good = bool(named) and (ok if pretend else not ok)
    print("abi: %s: the check %s and %s %s%s" % (
        "ok" if good else "WRONG", "passed" if ok else "failed",
        "named" if named else "did not name", a.removed,
        " (version %s)" % a.pretend_version if pretend else ""))
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
