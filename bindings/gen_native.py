#!/usr/bin/env python3
"""Generate what makes the scripting modules feel native.

  gen_native.py native --table domains.txt --headers DIR --out native.i
      The SWIG fragment %include'd at the end of backoffice.i: for Python,
      the domain table with each method's docstring taken from the Doxygen
      comment of its C function, the error classes' and domains' docstrings;
      for Lua, the domain tables. backoffice.i turns them into book.ledger,
      book.inventory, ... and the deprecated flat aliases.

  gen_native.py stub --module-dir DIR --table domains.txt --sources DIR...
                     --out backoffice.pyi
      The type stub of the built Python module: every class, method and
      function with Python types for their parameters (read from the C types
      SWIG annotates them with) and results (read from the C prototypes:
      output arguments become the return value).
"""

import argparse
import glob
import keyword
import os
import re
import sys

DOMAINS = [
    ("ledger", "Ledger", "Accounts, journal entries, fiscal periods and reports "
     "(backoffice/ledger.h)."),
    ("commerce", "Commerce", "Tax rates, tax categories and parties "
     "(backoffice/commerce.h)."),
    ("inventory", "Inventory", "Items, locations, stock movements, sales, "
     "purchase orders, shipments and counts (backoffice/inventory.h)."),
    ("billing", "Billing", "Invoices, payments, exchange rates, bank "
     "reconciliation and recurring documents (backoffice/billing.h)."),
    ("payroll", "Payroll", "Rule packs, employees, time, pay runs and "
     "payslips (backoffice/payroll.h)."),
    ("documents", "Documents", "Document records, versions, links, search and "
     "retention (backoffice/documents.h)."),
    ("people", "People", "Shift types, rosters and their rules, attendance from "
     "punches, holidays and the leave ledger (backoffice/people.h)."),
    ("approvals", "Approvals", "Approval rules, pending commands, decisions "
     "and conflicting roles (backoffice/approvals.h)."),
    ("reports", "Reports", "Sales metrics and the shop's dashboard "
     "(backoffice/report.h)."),
    ("feed", "Feed", "The change feed: events in commit order, consumers "
     "and the wake-up (backoffice/feed.h)."),
    ("sync", "Sync", "Offline terminals: the outbox, its sync with a central "
     "book, quarantine and the stock.negative report (backoffice/sync.h)."),
    ("audit", "Audit", "The audit chain: its head, its records and its "
     "verification (backoffice/audit.h)."),
    ("security", "Security", "Roles, grants and permission checks "
     "(backoffice/security.h)."),
]


# ---------------------------------------------------------------------------
# Inputs

def read_table(path):
    """[(c_functions, domain, method, flat)] from the domain table."""
    rows = []
    known = {d for d, _, _ in DOMAINS}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            parts = line.split()
            if len(parts) != 4 or parts[1] not in known:
                raise SystemExit("%s:%d: expected 'C-functions domain method flat'"
                                 % (path, n))
            funcs = [] if parts[0] == "-" else parts[0].split(",")
            rows.append((funcs, parts[1], parts[2], parts[3]))
    return rows


COMMENT_THEN_DECL = re.compile(
    r"/\*\*(?P<doc>(?:(?!\*/).)*?)\*/\s*BO_EXTERN\((?P<ret>[^)]*)\)\s*(?P<name>bo_\w+)\s*\(",
    re.S)
ENUM_ITEM = re.compile(r"\b(BO_E[A-Z0-9]+|BO_ERROR)\s*=\s*(-\d+),?\s*/\*\*<(.*?)\*/", re.S)


def clean_doc(text):
    """Doxygen comment text -> plain docstring text."""
    lines = []
    for line in text.splitlines():
        line = re.sub(r"^\s*\*? ?", "", line.rstrip())
        lines.append(line)
    text = "\n".join(lines).strip()
    text = re.sub(r"@p\s+(\w+)", r"\1", text)
    text = re.sub(r"@(?:ref|c)\s+(\w+)", r"\1", text)
    text = re.sub(r"#(bo_\w+|BO_\w+)", r"\1", text)
    text = re.sub(r"^@param\s+(\w+)\s*", r"  \1: ", text, flags=re.M)
    text = re.sub(r"^@return\s*", "Returns (C): ", text, flags=re.M)
    text = re.sub(r"@return\s*", "Returns (C): ", text)
    text = re.sub(r"@param\s+(\w+)\s*", r"\1: ", text)
    text = re.sub(r"^@(note|warning)\s*", r"\1: ", text, flags=re.M)
    return text


def header_docs(folder):
    """{C function: docstring} from the public headers."""
    docs = {}
    for path in sorted(glob.glob(os.path.join(folder, "*.h"))):
        with open(path, encoding="utf-8") as f:
            src = f.read()
        for m in COMMENT_THEN_DECL.finditer(src):
            # The comment must be the one right before the declaration.
            doc = m.group("doc")
            if "/**" in doc:
                doc = doc.rsplit("/**", 1)[1]
            docs[m.group("name")] = clean_doc(doc)
    return docs


def error_docs(folder):
    with open(os.path.join(folder, "errors.h"), encoding="utf-8") as f:
        src = f.read()
    return {int(m.group(2)): (m.group(1), " ".join(m.group(3).split()))
            for m in ENUM_ITEM.finditer(src)}


# ---------------------------------------------------------------------------
# native.i

def lua_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_native(args):
    rows = read_table(args.table)
    docs = header_docs(args.headers)
    errors = error_docs(args.headers)
    missing = [f for funcs, _, _, _ in rows for f in funcs[:1] if f not in docs]
    if missing:
        raise SystemExit("gen_native: no Doxygen comment for %s" % ", ".join(missing))
    out = []
    out.append("/* Generated by bindings/gen_native.py from bindings/domains.txt and")
    out.append(" * the Doxygen comments of include/backoffice/*.h: do not edit. */")
    out.append("#ifdef SWIGPYTHON")
    out.append("%pythoncode %{")
    out.append("# (domain, class, docstring)")
    out.append("_DOMAIN_CLASSES = (")
    for d, cls, doc in DOMAINS:
        out.append("    (%r, %r, %r)," % (d, cls, doc))
    out.append(")")
    out.append("# (domain, method, Book method of 0.2, C function, docstring)")
    out.append("_DOMAIN_TABLE = (")
    for funcs, d, m, flat in rows:
        c = funcs[0] if funcs else None
        out.append("    (%r, %r, %r, %r, %r)," % (d, m, flat, c, docs.get(c)))
    out.append(")")
    out.append("# C function -> its Doxygen comment (the classes' methods and the")
    out.append("# module functions take their docstrings from here)")
    out.append("_C_DOCS = {")
    for name in sorted(docs):
        out.append("    %r: %r," % (name, docs[name]))
    out.append("}")
    out.append("# error code -> (C name, what it means), from backoffice/errors.h")
    out.append("_ERROR_DOCS = {")
    for code in sorted(errors, reverse=True):
        out.append("    %d: %r," % (code, errors[code]))
    out.append("}")
    out.append("%}")
    out.append("#endif")
    out.append("#ifdef SWIGLUA")
    out.append("%luacode {")
    out.append("local bo = package.loaded[\"backoffice\"]")
    out.append("-- domain -> {method -> Book method}")
    out.append("bo._DOMAIN_TABLE = {")
    for d, cls, _ in DOMAINS:
        out.append("    %s = {" % d)
        for funcs, dd, m, flat in rows:
            if dd == d:
                out.append("        %s = %s," % (m, lua_string(flat)))
        out.append("    },")
    out.append("}")
    out.append("bo._DOMAIN_CLASSES = {")
    for d, cls, _ in DOMAINS:
        out.append("    %s = %s," % (d, lua_string(cls)))
    out.append("}")
    out.append("}")
    out.append("#endif")
    text = "\n".join(out) + "\n"
    if "%}" in text.split("%pythoncode %{", 1)[1].split("\n%}\n", 1)[0]:
        raise SystemExit("gen_native: a docstring holds '%}'")
    write_if_changed(args.out, text)


def write_if_changed(path, text):
    try:
        with open(path, encoding="utf-8") as f:
            if f.read() == text:
                return
    except OSError:
        pass
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(path + ".tmp", path)


# ---------------------------------------------------------------------------
# backoffice.pyi

PROTO = re.compile(r"(?P<ret>(?:const\s+)?(?:struct\s+)?\w+(?:\s*\*+)?)\s*(?P<name>\w+)\s*"
                   r"\((?P<params>[^()]*)\)\s*[{;]")
OUT_TYPES = {"int64_t *": "int", "int *": "int", "bo_date *": "int",
             "bo_cursor **": "Cursor", "size_t *": None}
VALUE_RESULTS = {"version_number", "schema_version", "account_type_parse", "depth",
                 "count", "column_count", "type", "line_count", "pay_schedule_parse",
                 "doc_class_parse", "error_code_last", "column_index"}
BOOL_RESULTS = {"next", "actor_can"}
ENUM_PARAMS = {"sync", "roles", "flags", "method", "kind", "side", "schedule", "type",
               "cls", "mode"}
FLAG_PARAMS = {"create", "inclusive", "in_transit", "negative_stock", "on", "include",
               "chain_only"}
CLASSES = {"bo_book": "Book", "bo_entry": "Entry", "bo_cursor": "Cursor",
           "bo_sale": "Sale", "bo_invoice": "Invoice", "bo_payment": "Payment",
           "bo_document": "Doc", "bo_document_query": "DocQuery", "bo_document_writer": "DocWriter",
           "bo_document_reader": "DocReader"}
SPECIAL_RESULTS = {
    "Book.doc_set_key": "None", "Book.doc_add_bytes": "int",
    "Book.doc_writer": "DocWriter", "Book.doc_reader": "DocReader",
    "Book.doc_read": "bytes", "Cursor.__next__": "Dict[str, Any]",
    "Cursor.row": "Dict[str, Any]", "DocReader.read": "bytes",
    "money_split": "List[int]", "Book.from_yaml": "Book",
    "Book.from_yaml_string": "Book", "Book.copy": "None",
    "Cursor.int": "int", "schema_version": "int", "Book.transaction": "Any",
}


def split_params(text):
    params = []
    for part in text.split(","):
        part = part.strip()
        if not part or part == "void":
            continue
        has_default = "=" in part
        part = part.split("=")[0].strip()
        m = re.match(r"(.*?)(\w+)$", part)
        ctype = " ".join(m.group(1).replace("*", " * ").split()).replace("* *", "**")
        params.append((ctype, m.group(2), has_default))
    return params


def prototypes(sources):
    """{python name: (C return type, [(C type, name)])}: Class.method for
    %extend blocks, name for module functions (headers and %inline)."""
    protos = {}
    for folder in sources:
        for path in sorted(glob.glob(os.path.join(folder, "*.h"))):
            with open(path, encoding="utf-8") as f:
                src = f.read()
            for m in re.finditer(r"BO_EXTERN\(([^)]*)\)\s*bo_(\w+)\s*\(([^()]*)\)", src):
                protos.setdefault(m.group(2), (m.group(1).strip(), split_params(m.group(3))))
        for path in sorted(glob.glob(os.path.join(folder, "*.i"))):
            with open(path, encoding="utf-8") as f:
                src = f.read()
            src = re.sub(r"%pythoncode %\{.*?%\}", "", src, flags=re.S)
            for m in re.finditer(r"%extend (\w+) \{", src):
                cls = CLASSES.get(m.group(1))
                depth, i = 1, m.end()
                start = i
                while depth:
                    depth += {"{": 1, "}": -1}.get(src[i], 0)
                    i += 1
                body = src[start:i - 1]
                # only the declarations at the block's own level
                flat, depth = [], 0
                for ch in body:
                    if depth == 0:
                        flat.append(ch)
                    if ch == "{":
                        depth += 1
                    elif ch == "}":
                        depth -= 1
                        if depth == 0:
                            flat.append("}")
                for p in PROTO.finditer("".join(flat)):
                    if cls:
                        name = p.group("name")
                        protos[cls + "." + name] = (p.group("ret"),
                                                    split_params(p.group("params")))
            for m in re.finditer(r"%inline %\{(.*?)%\}", src, re.S):
                for p in PROTO.finditer(m.group(1)):
                    protos[p.group("name")] = (p.group("ret").replace("static ", ""),
                                               split_params(p.group("params")))
    return protos


def py_param_type(ctype, name, default):
    ctype = ctype.strip("'\"")
    if name.lstrip("_") in ENUM_PARAMS and ctype in ("int", "bo_rounding"):
        t = "Union[int, str]"
    elif name in FLAG_PARAMS:
        t = "Union[bool, int]"
    elif ctype in ("char const *", "char *"):
        t = "str"
        if name == "yaml":
            t = "Union[str, bytes]"
    elif ctype in ("int64_t", "int", "bo_rounding", "void *"):
        t = "int"
    elif ctype == "bo_date":
        t = "DateLike"
    elif ctype == "bo_opt_date":
        t = "Optional[DateLike]"
    elif ctype in ("PyObject *", "void const *"):
        t = "Union[bytes, bytearray, memoryview, str]"
    elif ctype == "int64_t const *":
        t = "Sequence[int]"
    elif ctype in ("bo_event_fn", "callable"):
        t = "Callable[[str, int], Any]"
    elif ctype in CLASSES.values():
        t = ctype
    else:
        t = "Any"
    if default is None and (t.startswith(("str", "Union[str", "Union[bytes"))
                            or t in CLASSES.values()):
        t = "Optional[%s]" % t
    return t


def py_result(qual, protos):
    if qual in SPECIAL_RESULTS:
        return SPECIAL_RESULTS[qual]
    short = qual.split(".")[-1]
    proto = protos.get(qual) or protos.get(short)
    if proto is None:
        return "Any"
    ret, params = proto
    outs = []
    names = [n for _, n, _ in params]
    for ctype, name, _ in params:
        if name in ("buf", "hex") and "size" in names:
            outs.append("str")
        elif OUT_TYPES.get(ctype):
            outs.append(OUT_TYPES[ctype])
    value = None
    if ret == "int":
        if short in VALUE_RESULTS:
            value = "int"
        elif short in BOOL_RESULTS:
            value = "bool"
    elif ret in ("const char *", "const char*", "char const *"):
        value = "Optional[str]"
    elif ret in ("int64_t", "bo_date", "size_t", "uint32_t", "int32_t"):
        value = "int"
    elif ret.endswith("*") and ret.rstrip(" *").replace("struct ", "") in CLASSES:
        value = CLASSES[ret.rstrip(" *").replace("struct ", "")]
    results = ([value] if value else []) + outs
    if not results:
        return "None"
    if len(results) == 1:
        return results[0]
    return "Tuple[%s]" % ", ".join(results)


def stub_signature(func, qual, protos, skip_self, drop_first=False):
    import inspect
    sig = inspect.signature(func)
    parts = []
    params = list(sig.parameters.values())
    if any(p.kind == p.VAR_POSITIONAL for p in params):
        return proto_signature(qual, protos, skip_self)
    for i, p in enumerate(params):
        if p.name == "self":
            parts.append("self")
            continue
        if p.kind == p.VAR_POSITIONAL:
            parts.append("*" + p.name)
            continue
        if p.kind == p.VAR_KEYWORD:
            parts.append("**" + p.name)
            continue
        default = p.default
        if isinstance(p.annotation, str):
            t = py_param_type(p.annotation, p.name,
                              default if default is not p.empty else ...)
        elif p.annotation is not p.empty:
            t = getattr(p.annotation, "__name__", "Any")
        else:
            t = "Any"
        if default is p.empty:
            parts.append("%s: %s" % (p.name, t))
        else:
            parts.append("%s: %s = ..." % (p.name, t))
    return "(%s) -> %s" % (", ".join(parts), py_result(qual, protos))


def proto_signature(qual, protos, skip_self):
    """The signature of a call SWIG shows as (*args, **kwargs) (a C string
    default), from its prototype in the interface."""
    proto = protos.get(qual) or protos.get(qual.split(".")[-1])
    parts = ["self"] if skip_self else []
    if proto is None:
        return "(%s) -> Any" % ", ".join(parts + ["*args: Any", "**kwargs: Any"])
    names = [n for _, n, _ in proto[1]]
    for ctype, name, has_default in proto[1]:
        if ctype in OUT_TYPES or (name in ("buf", "hex") and "size" in names):
            continue
        if ctype == "size_t" and name in ("len", "size", "cap"):
            continue
        ctype = ctype.replace("const char *", "char const *")
        t = py_param_type(ctype, name, ... if not has_default else None)
        if keyword.iskeyword(name):
            name = "_" + name  # as SWIG names it
        parts.append("%s: %s%s" % (name, t, " = ..." if has_default else ""))
    return "(%s) -> %s" % (", ".join(parts), py_result(qual, protos))


def write_stub(args):
    import inspect
    sys.path.insert(0, args.module_dir)
    import backoffice as bo  # noqa: E402 (the module just built)
    protos = prototypes(args.sources)
    rows = read_table(args.table)
    out = ['"""Type stub of the backoffice module (generated by bindings/gen_native.py)."""',
           "import datetime",
           "from typing import (Any, Callable, Dict, Iterator, List, Optional, Sequence,",
           "                    Tuple, Type, Union)",
           "",
           "DateLike = Union[int, str, datetime.date]",
           "_int = int",
           ""]
    # constants
    for name, value in sorted(vars(bo).items()):
        if name.startswith("_"):
            continue
        if isinstance(value, bool):
            continue
        if isinstance(value, int):
            out.append("%s: int" % name)
        elif isinstance(value, str):
            out.append("%s: str" % name)
    out.append("")
    # errors
    out.append("class Error(Exception):")
    out.append("    code: int")
    out.append("    name: str")
    out.append("    message: str")
    out.append("    @staticmethod")
    out.append("    def for_code(code: int) -> Type['Error']: ...")
    out.append("")
    for name in sorted(bo._backoffice._error_classes):
        cls = getattr(bo, name)
        bases = ["Error"] + [b.__name__ for b in cls.__bases__ if b is not bo.Error]
        out.append("class %s(%s): ..." % (name, ", ".join(bases)))
    out.append("")
    out.append("class CallbackError(Tuple[str, int, BaseException]):")
    out.append("    event: str")
    out.append("    id: int")
    out.append("    exception: BaseException")
    out.append("")
    # domain classes
    domain_methods = {}
    for funcs, d, m, flat in rows:
        domain_methods.setdefault(d, []).append((m, flat))
    flats = {flat for _, _, _, flat in rows}
    for d, cls, _ in DOMAINS:
        out.append("class %s:" % cls)
        out.append("    def __init__(self, book: 'Book') -> None: ...")
        for m, flat in domain_methods.get(d, []):
            impl = getattr(bo.Book, flat)
            impl = getattr(impl, "__wrapped__", impl)
            out.append("    def %s%s: ..." % (m, stub_signature(impl, "Book." + flat, protos,
                                                              True)))
        out.append("")
    # SWIG classes
    for cname in ["Book", "Entry", "Cursor", "Sale", "Invoice", "Payment", "Doc",
                  "DocQuery", "DocWriter", "DocReader"]:
        cls = getattr(bo, cname)
        out.append("class %s:" % cname)
        if cname == "Book":
            for d, dcls, _ in DOMAINS:
                out.append("    @property")
                out.append("    def %s(self) -> %s: ..." % (d, dcls))
        for mname, attr in sorted(vars(cls).items()):
            if mname.startswith("_") and mname not in ("__init__", "__next__", "__enter__",
                                                       "__len__"):
                continue
            qual = cname + "." + mname
            if mname == "__enter__":
                out.append("    def __enter__(self) -> '%s': ..." % cname)
                out.append("    def __exit__(self, *exc: Any) -> None: ...")
                continue
            if mname == "__len__":
                out.append("    def __len__(self) -> int: ...")
                continue
            if isinstance(attr, staticmethod):
                out.append("    @staticmethod")
                out.append("    def %s%s: ..." % (mname, stub_signature(attr.__func__, qual,
                                                                     protos, False)))
                continue
            if not inspect.isfunction(attr):
                continue
            func = getattr(attr, "__wrapped__", attr)
            if mname == "__init__":
                if func.__doc__ is None:
                    continue
                sig = stub_signature(func, qual, protos, True)
                out.append("    def __init__%s: ..." % sig.rsplit(" -> ", 1)[0] + "")
                out[-1] = out[-1].replace(": ...", " -> None: ...")
                continue
            if mname in flats:
                out.append("    # deprecated: use the domain object (book.<domain>.<method>)")
            if qual == "Book.transaction":
                out.append("    def transaction(self) -> Any: ...")
                continue
            if qual == "Book.on_callback_error":
                out.append("    def on_callback_error(self, handler: Optional[Callable[[str, "
                           "int, BaseException], Any]]) -> Optional[Callable[..., Any]]: ...")
                continue
            if qual == "Book.callback_errors":
                out.append("    def callback_errors(self) -> List[CallbackError]: ...")
                continue
            if qual in ("Cursor.columns",):
                out.append("    def columns(self) -> List[str]: ...")
                continue
            if qual == "Cursor.fetchall":
                out.append("    def fetchall(self) -> List[Dict[str, Any]]: ...")
                continue
            if qual == "DocReader.readall":
                out.append("    def readall(self) -> bytes: ...")
                continue
            if mname == "close":
                out.append("    def close(self) -> None: ...")
                continue
            out.append("    def %s%s: ..." % (mname, stub_signature(func, qual, protos, True)))
        if cname == "Cursor":
            out.append("    def __iter__(self) -> Iterator[Dict[str, Any]]: ...")
            # Cursor.int shadows the builtin inside the class body.
            first = max(i for i, line in enumerate(out) if line == "class Cursor:")
            for i in range(first + 1, len(out)):
                out[i] = re.sub(r"(?<=[:>] )int\b", "_int", out[i])
                out[i] = re.sub(r"(?<=\[)int\b", "_int", out[i])
        out.append("")
    # module functions
    for name, obj in sorted(vars(bo).items()):
        if name.startswith("_") or not inspect.isfunction(obj) \
                or obj.__module__ != "backoffice":
            continue
        out.append("def %s%s: ..." % (name, stub_signature(obj, name, protos, False)))
    write_if_changed(args.out, "\n".join(out) + "\n")


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    n = sub.add_parser("native")
    n.add_argument("--table", required=True)
    n.add_argument("--headers", required=True)
    n.add_argument("--out", required=True)
    s = sub.add_parser("stub")
    s.add_argument("--module-dir", required=True)
    s.add_argument("--table", required=True)
    s.add_argument("--sources", nargs="+", required=True)
    s.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    if args.cmd == "native":
        write_native(args)
    else:
        write_stub(args)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
