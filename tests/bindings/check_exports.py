#!/usr/bin/env python3
"""Every function exported by libbackoffice is reachable from each binding.

Lists the exported ``bo_`` functions of the shared library (``nm -D
--defined-only``) and checks that each one is called from the SWIG-generated
wrapper source of every module (Python and Lua). Functions that cannot be
bound are listed in C_ONLY with the reason; the check fails when a function
is unbound, and also when a C_ONLY entry is stale (no longer exported, or
bound after all), so the list stays true.

With --table (bindings/domains.txt) and --headers, it also checks the
domain objects: every public function taking a book (first parameter
bo_book *) is a method of a domain object (book.ledger, book.inventory, ...)
unless it is a call of the book itself (bo_book_*, bo_event_*) or C-only;
every C function the table names is exported; and, given --python-module
and --lua (with --lua-module), each domain method of the table exists in
the built module and is callable.

usage: check_exports.py --library libbackoffice.so \
           --wrapper python=DIR_OR_FILE --wrapper lua=DIR_OR_FILE \
           [--table domains.txt --headers include/backoffice] \
           [--python-module DIR] [--lua LUA --lua-module DIR]
"""

import argparse
import glob
import os
import re
import subprocess
import sys

# Exported functions that the scripting modules deliberately do not bind.
C_ONLY = {
    "bo_free": "no bound function hands library-owned memory to a script; "
               "the modules copy strings and free handles themselves",
    "bo_set_allocator": "process-wide C allocator hook (function pointers), "
                        "to install before any book is opened; the "
                        "interpreters manage their own memory",
    "bo_driver_register": "registers a C struct of function pointers "
                          "(sys/driver.h, for driver and plugin authors in C)",
    "bo_driver_find": "returns the C driver struct of a scheme (sys/driver.h); "
                      "meaningless without the C driver contract",
    "bo_payroll_function_register": "registers a C function pointer that rule "
                                "packs may call (for plugins in C, like "
                                "bo_driver_register); scripts evaluate packs, "
                                "they do not extend the language",
    "bo_carrier_register": "registers a C struct of function pointers, a "
                           "carrier's tracking API (sys/plugin.h, for plugin "
                           "authors in C, like bo_driver_register)",
    "bo_carrier_find": "returns the C carrier struct of a name (sys/plugin.h); "
                       "meaningless without the C carrier contract",
}

CALL = re.compile(r"\b(bo_[a-z0-9][a-z0-9_]*)\s*\(")


def exported_functions(library):
    """The names of the defined, exported bo_ functions of @library."""
    out = subprocess.run(["nm", "-D", "--defined-only", library],
                         check=True, capture_output=True, text=True).stdout
    names = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[1] in ("T", "W", "i") \
                and parts[2].startswith("bo_"):
            names.add(parts[2].split("@")[0])
    return names


def wrapper_calls(path):
    """The bo_ identifiers called in the wrapper source(s) at @path."""
    if os.path.isdir(path):
        files = sorted(glob.glob(os.path.join(path, "*_wrap.c")))
    else:
        files = [path]
    if not files:
        raise SystemExit("check_exports: no SWIG wrapper source in %s" % path)
    calls = set()
    for name in files:
        with open(name, encoding="utf-8", errors="replace") as f:
            calls.update(CALL.findall(f.read()))
    return calls


# Calls of the book itself: methods of Book, not of a domain object.
BOOK_LEVEL = re.compile(r"^bo_(book|event)_")
BOOK_FIRST = re.compile(r"BO_EXTERN\([^)]*\)\s*(bo_\w+)\s*\(\s*(?:const\s+)?bo_book\s*\*")


def read_table(path):
    """[(C functions, domain, method, flat)] of the domain table."""
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split("#", 1)[0].split()
            if parts:
                funcs = [] if parts[0] == "-" else parts[0].split(",")
                rows.append((funcs, parts[1], parts[2], parts[3]))
    return rows


def book_functions(folder):
    """The public functions whose first parameter is a bo_book *."""
    names = set()
    for path in sorted(glob.glob(os.path.join(folder, "*.h"))):
        with open(path, encoding="utf-8") as f:
            names.update(BOOK_FIRST.findall(f.read()))
    return names


def check_domains(args, exported, failures):
    rows = read_table(args.table)
    listed = {f for funcs, _, _, _ in rows for f in funcs}
    for name in sorted(book_functions(args.headers) & exported):
        if name in listed or name in C_ONLY or BOOK_LEVEL.match(name):
            continue
        failures.append("domains: %s takes a book but is no domain method "
                        "(add it to %s)" % (name, args.table))
    for name in sorted(listed - exported):
        failures.append("domains: the table names %s, which the library does not "
                        "export" % name)
    seen = set()
    for funcs, domain, method, flat in rows:
        if (domain, method) in seen:
            failures.append("domains: %s.%s is listed twice" % (domain, method))
        seen.add((domain, method))
    if args.python_module:
        sys.path.insert(0, args.python_module)
        import backoffice as bo
        for funcs, domain, method, flat in rows:
            cls = type(getattr(bo.Book, domain).fget(None)) \
                if hasattr(bo.Book, domain) else None
            if cls is None or not callable(getattr(cls, method, None)):
                failures.append("python: book.%s.%s is missing" % (domain, method))
        print("python: %d domain methods on %d domain objects"
              % (len(rows), len({d for _, d, _, _ in rows})))
    if args.lua:
        script = "\n".join(
            ["local bo = require('backoffice')", "local missing = {}"]
            + ["if type(bo.%s and bo.%s.%s) ~= 'function' then missing[#missing+1] = '%s.%s' end"
               % (cls, cls, method, domain, method)
               for funcs, domain, method, flat in rows
               for cls in [domain.capitalize()]]
            + ["print(table.concat(missing, ' '))"])
        env = dict(os.environ, LUA_CPATH=os.path.join(args.lua_module, "?.so") + ";;")
        out = subprocess.run([args.lua, "-e", script], capture_output=True, text=True,
                             env=env)
        if out.returncode != 0:
            failures.append("lua: the module did not load: %s" % out.stderr.strip())
        for name in out.stdout.split():
            failures.append("lua: book.%s is missing" % name)
        print("lua: %d domain methods checked" % len(rows))


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--library", required=True)
    parser.add_argument("--wrapper", action="append", required=True,
                        metavar="LANG=PATH")
    parser.add_argument("--table")
    parser.add_argument("--headers")
    parser.add_argument("--python-module")
    parser.add_argument("--lua")
    parser.add_argument("--lua-module")
    args = parser.parse_args(argv)

    exported = exported_functions(args.library)
    if not exported:
        print("check_exports: %s exports no bo_ function" % args.library)
        return 1

    failures = []
    for stale in sorted(set(C_ONLY) - exported):
        failures.append("C_ONLY lists %s, which the library does not export"
                        % stale)
    for spec in args.wrapper:
        lang, _, path = spec.partition("=")
        calls = wrapper_calls(path)
        unbound = sorted(exported - calls - set(C_ONLY))
        for name in unbound:
            failures.append("%s: %s is not bound" % (lang, name))
        for name in sorted(set(C_ONLY) & calls):
            failures.append("%s: %s is listed as C-only but is called "
                            "from the wrapper" % (lang, name))
        print("%s: %d of %d exported functions bound, %d C-only"
              % (lang, len(exported & calls), len(exported),
                 len(set(C_ONLY) & exported)))

    if args.table:
        check_domains(args, exported, failures)

    if failures:
        print("check_exports: FAILED")
        for line in failures:
            print("  " + line)
        return 1
    for name in sorted(C_ONLY):
        print("C-only %s: %s" % (name, C_ONLY[name]))
    print("check_exports: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
