"""Trust (issue 12) through the Python module.

- A str with an embedded NUL is refused (InvalidError, naming the parameter)
  by every function, method and constructor of the module, never cut at the
  NUL; binary content (bytes) keeps every byte.
- bool is not an int: True is neither an amount, an id nor a date.
- An event callback that raises does not make the committed call look
  failed: the call returns its result, the exception goes to the book's
  callback error channel.
"""

import inspect
import os
import re
import sys
import unittest

import backoffice as bo
from bo_support import BookTestCase, make_entry

# C types (the annotations of the generated functions) whose values are
# bytes: an embedded NUL is content there, not an end.
BINARY = {"PyObject *", "void const *"}
# C types of text parameters: a NUL must raise InvalidError.
TEXT = {"char const *", "char *"}
# What every non-binary parameter is given in turn: each must be refused,
# whatever the parameter's type, and none may act on what precedes the NUL.
NUL_VALUES = ["x\0y", "2026-01-15\0junk", "asset\0", "1\0"]

# The autodoc line SWIG writes when a default value cannot be written in
# Python (the proxy then takes *args).
AUTODOC = re.compile(r"^\s*\w+\((.*)\)\s*->")


def c_parameters(func):
    """[(name, C type)] of a function of the module (self excluded), or None
    when it says nothing about its parameters' types."""
    params = [p for p in inspect.signature(func).parameters.values()
              if p.name != "self"]
    if any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in params):
        m = AUTODOC.match((func.__doc__ or "").strip().splitlines()[0])
        if not m:
            return None
        out = []
        for part in m.group(1).split(", "):
            ctype, name = part.split("=")[0].rsplit(" ", 1)
            if name != "self":
                out.append((name, ctype.strip()))
        return out
    if not all(isinstance(p.annotation, str) for p in params):
        return None
    return [(p.name, p.annotation) for p in params]


class NulStringTest(BookTestCase):
    """The three reports of the issue, then every string parameter."""

    def setUp(self):
        super().setUp()
        b = self.book
        for code, name in [("1200", "Receivables"), ("2100", "Tax payable"),
                           ("6900", "Write-offs")]:
            b.account_add(code, name, "asset" if code == "1200" else "liability")
        b.party_add("C1", "Customer", bo.PARTY_CUSTOMER)
        b.bill_setting_set("receivable_account", "1200")
        with bo.Doc("contract", "Contract", "2026-01-10") as d:
            self.doc_id = b.doc_create(d)
        b.doc_add_bytes(self.doc_id, b"first")

    def head(self):
        return self.book.audit_head()

    def assert_nul_refused(self, cm, name):
        exc = cm.exception
        self.assertIsInstance(exc, bo.InvalidError)
        self.assertEqual(exc.code, bo.EINVAL)
        self.assertIn(name, exc.message)
        self.assertIn("NUL", exc.message)

    def test_trust_nul_key(self):
        """Keys "till\\0A" and "till\\0B" were both "till": the second,
        different sale was taken for a replay of the first."""
        before = self.head()
        for key in ("till\0A", "till\0B"):
            entry = make_entry("2026-01-15", [("1000", 100), ("4000", -100)])
            with self.assertRaises(bo.InvalidError) as cm:
                entry.set_key(key)
            self.assert_nul_refused(cm, "key")
            sale = bo.Sale("2026-01-15")
            with self.assertRaises(bo.InvalidError) as cm:
                sale.set_key(key)
            self.assert_nul_refused(cm, "key")
            with self.assertRaises(bo.InvalidError) as cm:
                self.book.reverse(1, "2026-01-16", key)
            self.assert_nul_refused(cm, "key")
        self.assertEqual(self.head(), before)
        self.assertEqual(self.book.balance("1000", "2026-12-31"), 0)
        # Two different keys without NUL stay two sales.
        first = self.sale(100, key="till-A")
        second = self.sale(250, key="till-B")
        self.assertNotEqual(first, second)
        self.assertEqual(self.book.balance("1000", "2026-12-31"), 350)

    def test_trust_nul_bank_statement(self):
        """A three-line statement with a NUL after the first line imported
        one line and said nothing."""
        before = self.head()
        data = ("date,amount\n2026-03-02,12.50\n\0"
                "2026-03-03,-1.00\n2026-03-04,7.25\n")
        with self.assertRaises(bo.InvalidError) as cm:
            self.book.bank_import("1100", "csv", data, "date: 1\namount: 2\n")
        self.assert_nul_refused(cm, "data")
        with self.assertRaises(bo.InvalidError) as cm:
            self.book.bank_import("1100", "csv", data.replace("\0", ""),
                                  "date: 1\0\namount: 2\n")
        self.assert_nul_refused(cm, "mapping")
        self.assertEqual(self.book.bank_statements("1100").fetchall(), [])
        self.assertEqual(self.head(), before)
        st = self.book.bank_import("1100", "csv", data.replace("\0", ""),
                                   "date: 1\namount: 2\n")
        self.assertEqual(len(self.book.bank_lines(st).fetchall()), 3)

    def test_trust_nul_actor(self):
        """actor="al\\0ice" acted as "al"."""
        self.book.role_grant("al", "owner")
        before = self.head()
        with self.assertRaises(bo.InvalidError) as cm:
            bo.Book(self.uri, actor="al\0ice")
        self.assert_nul_refused(cm, "actor")
        with self.assertRaises(bo.InvalidError) as cm:
            self.book.set_actor("al\0ice")
        self.assert_nul_refused(cm, "actor")
        self.assertEqual(self.book.actor(), "alice")
        with self.assertRaises(bo.InvalidError) as cm:
            self.book.role_grant("bob\0", "owner")
        self.assert_nul_refused(cm, "actor")
        with self.assertRaises(bo.InvalidError) as cm:
            bo.Book.copy(self.uri, os.path.join(self.dir, "copy.db"), "al\0ice")
        self.assert_nul_refused(cm, "actor")
        self.assertFalse(os.path.exists(os.path.join(self.dir, "copy.db")))
        self.assertEqual(self.head(), before)

    def test_trust_nul_yaml_dates_and_names(self):
        """Strings parsed into numbers (dates, account types, classes) and
        YAML text are refused the same way."""
        with self.assertRaises(bo.InvalidError) as cm:
            self.book.balance("1000", "2026-12-31\0 and more")
        self.assertIn("NUL", cm.exception.message)
        with self.assertRaises(bo.InvalidError) as cm:
            self.book.account_add("1300", "Other", "asset\0liability")
        self.assertIn("NUL", cm.exception.message)
        with bo.Doc("contract", "C", "2026-01-10") as d:
            with self.assertRaises(bo.InvalidError) as cm:
                d.set_class("public\0")
            self.assertIn("NUL", cm.exception.message)
        for text in ("base_currency: USD\n\0accounts: []\n",
                     b"base_currency: USD\n\0accounts: []\n"):
            with self.assertRaises(bo.InvalidError) as cm:
                bo.Book.from_yaml_string(text, "sqlite::memory:")
            self.assert_nul_refused(cm, "yaml")
            with self.assertRaises(bo.InvalidError) as cm:
                bo.pay_pack_check(text, "pack.yaml")
            self.assert_nul_refused(cm, "yaml")

    def test_trust_binary_content_keeps_nul(self):
        """Bytes APIs are not strings: every byte is kept, NUL included."""
        data = b"%PDF\0\0\x01binary\0tail\0"
        version = self.book.doc_add_bytes(self.doc_id, data, "scan.pdf")
        self.assertEqual(self.book.doc_read(self.doc_id, version), data)
        with self.book.doc_writer(self.doc_id, "second.bin") as w:
            w.write(b"\0" * 7)
            w.write(bytearray(b"a\0b"))
            second = w.finish()
        self.assertEqual(self.book.doc_read(self.doc_id, second), b"\0" * 7 + b"a\0b")
        with self.assertRaises(bo.InvalidError) as cm:
            self.book.doc_add_bytes(self.doc_id, data, "scan\0.pdf")
        self.assert_nul_refused(cm, "filename")
        self.assertEqual(len(self.book.doc_versions(self.doc_id).fetchall()), 3)

    # ------------------------------------------------------------------
    # Every function of the module.

    def instances(self):
        """One live object per class of the module."""
        b = self.book
        return {
            "Book": lambda: b,
            "Entry": lambda: bo.Entry("2026-01-15"),
            "Cursor": lambda: b.accounts(),
            "Sale": lambda: bo.Sale("2026-01-15"),
            "Invoice": lambda: bo.Invoice(bo.INVOICE_SALES, "C1", "2026-01-15"),
            "Payment": lambda: bo.Payment(bo.PAYMENT_RECEIVED, "C1", "2026-01-15",
                                          100, None, "1100"),
            "Doc": lambda: bo.Doc("contract", "t", "2026-01-15"),
            "DocQuery": lambda: bo.DocQuery(),
            "DocWriter": lambda: b.doc_writer(self.doc_id),
            "DocReader": lambda: b.doc_reader(self.doc_id),
            "Label": lambda: bo.Label(bo.LABEL_4X6, 203),
        }

    def filler(self, ctype):
        """A value of C type @ctype that converts without complaint."""
        make = self.instances()
        made = {
            "char const *": lambda: "x", "char *": lambda: "x", "int": lambda: 0,
            "int64_t": lambda: 1, "bo_date": lambda: "2026-01-15",
            "bo_opt_date": lambda: "2026-01-15",
            "int64_t const *": lambda: [1], "void *": lambda: 1,
            "PyObject *": lambda: b"x", "void const *": lambda: b"x",
            "bo_event_fn": lambda: (lambda event, id: None),
            "bo_feed_handler": lambda: (lambda *event: None),
            "callable": lambda: (lambda *a: None),
            "bo_rounding": lambda: bo.ROUND_HALF_EVEN,
            "bo_swig_progress *": lambda: (lambda *a: None),
        }
        made.update(make)  # a handle parameter is annotated with its class
        if ctype not in made:
            self.fail("no value to give a parameter of C type %r: add one" % ctype)
        return made[ctype]()

    @staticmethod
    def method(instance, name):
        """A function calling method @name of a fresh @instance()."""
        return lambda *args: getattr(instance(), name)(*args)

    def functions(self):
        """(qualified name, callable, [(parameter, C type)]) for every public
        function of the module, every method and constructor of its classes
        and every static method."""
        out = []
        classes = []
        for name, obj in sorted(vars(bo).items()):
            if name.startswith("_"):
                continue
            if inspect.isclass(obj) and hasattr(obj, "thisown"):
                classes.append((name, obj))
            elif inspect.isfunction(obj) and obj.__module__ == "backoffice":
                out.append((name, obj, obj))
        make = self.instances()
        for cname, cls in classes:
            self.assertIn(cname, make, "no instance of class %s: add one" % cname)
            for mname, attr in sorted(vars(cls).items()):
                if mname.startswith("_") and mname != "__init__":
                    continue
                qual = cname + "." + mname
                if isinstance(attr, staticmethod):
                    out.append((qual, getattr(cls, mname), attr.__func__))
                elif mname == "__init__":
                    if attr.__doc__ is None:
                        continue  # SWIG's "No constructor defined"
                    out.append((qual, cls, attr))
                elif inspect.isfunction(attr):
                    out.append((qual, self.method(make[cname], mname), attr))
        result = []
        for qual, call, func in out:
            params = c_parameters(func)
            if params is None:
                # Python helpers written in the interface must annotate
                # their parameters like the generated functions do.
                self.assertEqual(
                    [p for p in inspect.signature(func).parameters if p != "self"], [],
                    "%s: parameters without C types" % qual)
                params = []
            result.append((qual, call, params))
        return result

    def test_trust_nul_every_string_parameter(self):
        # Work in the book's folder: a path cut at its NUL must not land in
        # the source tree.
        cwd = os.getcwd()
        os.chdir(self.dir)
        self.addCleanup(os.chdir, cwd)
        files = sorted(os.listdir(self.dir))
        before = self.head()
        texts = 0
        others = 0
        for qual, call, params in self.functions():
            for i, (name, ctype) in enumerate(params):
                if ctype in BINARY:
                    continue
                for bad in NUL_VALUES:
                    args = [self.filler(t) for _, t in params]
                    args[i] = bad
                    with self.subTest(function=qual, parameter=name, value=bad):
                        try:
                            call(*args)
                        except (bo.Error, TypeError) as exc:
                            if ctype in TEXT:
                                self.assertIsInstance(exc, bo.InvalidError, str(exc))
                                # (a Python keyword gets a "_": from -> _from)
                                self.assertIn(name.lstrip("_") + ":", exc.message)
                                self.assertIn("NUL", exc.message)
                        else:
                            self.fail("%s accepted %r for %s" % (qual, bad, name))
                if ctype in TEXT:
                    texts += 1
                else:
                    others += 1
        # The walk reached the whole module, not a handful of functions.
        self.assertGreater(texts, 200)
        self.assertGreater(others, 100)
        self.assertEqual(self.head(), before)
        self.assertEqual(sorted(os.listdir(self.dir)), files)
        self.assertEqual(self.book.actor(), "alice")


class NotAnIntTest(BookTestCase):
    """bool is a subclass of int in Python; it is still not an amount."""

    def test_trust_bool_is_not_an_amount(self):
        before = self.book.audit_head()
        entry = bo.Entry("2026-01-15")
        for value in (True, False):
            with self.assertRaises(TypeError):
                entry.add("1000", value)
            with self.assertRaises(TypeError):
                bo.money_add(value, 1)
            with self.assertRaises(TypeError):
                bo.money_split(100, [1, value])
            with self.assertRaises(TypeError):
                self.book.balance("1000", value)
            with self.assertRaises(TypeError):
                self.book.entry(value)
            with self.assertRaises(TypeError):
                bo.Sale("2026-01-15").line("SKU", "MAIN", 1, value)
            with self.assertRaises(TypeError):
                self.book.audit_list(value)
            with self.assertRaises(TypeError):
                bo.inv_qty_format(1, value)
            with self.assertRaises(TypeError):
                self.book.account_add("1300", "Other", value)
        self.assertEqual(len(entry), 0)
        self.assertEqual(self.book.audit_head(), before)

    def test_trust_float_is_not_an_amount(self):
        entry = bo.Entry("2026-01-15")
        for value in (1.5, 2.0, float("nan")):
            with self.assertRaises(TypeError):
                entry.add("1000", value)
            with self.assertRaises(TypeError):
                bo.date_format(value)
            with self.assertRaises(TypeError):
                bo.inv_qty_format(1, value)
        self.assertEqual(len(entry), 0)

    def test_trust_flags_take_booleans(self):
        """Yes/no parameters (create, inclusive, on, include, ...) are the
        exception: they take True and False (and 0/1)."""
        book = bo.Book("sqlite::memory:", actor="a", create=True)
        book.close()
        bo.Sale("2026-01-15").set_inclusive(True)
        bo.DocQuery().disposed(False)
        self.book.inv_location_add("MAIN", "Main", "store", True)
        self.book.inv_location_add("BACK", "Back", negative_stock=False)
        self.assertEqual(len(self.book.inv_locations().fetchall()), 2)


class CallbackErrorTest(BookTestCase):
    """A raising callback after the commit."""

    def setUp(self):
        super().setUp()
        self.unraisable = []
        self._hook = sys.unraisablehook
        sys.unraisablehook = self.unraisable.append

    def tearDown(self):
        sys.unraisablehook = self._hook
        super().tearDown()

    def test_trust_callback_raises(self):
        class Refused(Exception):
            pass

        boom = Refused("from the callback")

        def callback(event, entry_id):
            raise boom

        self.book.subscribe("entry.posted", callback)
        # The post returns its id: no retry, no second entry.
        entry_id = self.sale(100)
        self.assertIsInstance(entry_id, int)
        self.assertEqual(self.book.balance("1000", "2026-12-31"), 100)
        self.assertEqual(len(self.book.entry(entry_id).fetchall()), 2)
        self.assertEqual(self.book.depth(), 0)
        # Default channel: sys.unraisablehook, with the callback as object.
        self.assertEqual(len(self.unraisable), 1)
        self.assertIs(self.unraisable[0].exc_value, boom)
        self.assertIs(self.unraisable[0].object, callback)
        # Kept for the host to collect, then forgotten.
        errors = self.book.callback_errors()
        self.assertEqual(errors, [bo.CallbackError("entry.posted", entry_id, boom)])
        self.assertEqual((errors[0].event, errors[0].id, errors[0].exception),
                         ("entry.posted", entry_id, boom))
        self.assertEqual(self.book.callback_errors(), [])
        # The next call does not see it either.
        self.assertEqual(self.book.balance("1000", "2026-12-31"), 100)

        # A handler of the book's own replaces the default.
        got = []
        self.book.on_callback_error(lambda event, id, exc: got.append((event, id, exc)))
        second = self.sale(5)
        self.assertEqual(got, [("entry.posted", second, boom)])
        self.assertEqual(len(self.unraisable), 1)
        # Inside a transaction: commit returns normally, the block ends.
        with self.book.transaction():
            third = self.sale(7)
        self.assertEqual(got[-1], ("entry.posted", third, boom))
        self.assertEqual(self.book.depth(), 0)
        self.assertEqual(self.book.balance("1000", "2026-12-31"), 112)
        self.assertEqual([e.id for e in self.book.callback_errors()], [second, third])

        # A handler that raises goes to sys.unraisablehook; the call still
        # returns its result.
        def bad_handler(event, id, exc):
            raise KeyError("handler")

        self.book.on_callback_error(bad_handler)
        fourth = self.sale(1)
        self.assertEqual(self.book.balance("1000", "2026-12-31"), 113)
        self.assertIsInstance(self.unraisable[-1].exc_value, KeyError)
        self.assertEqual(self.book.callback_errors()[-1].id, fourth)
        # None restores the default.
        self.book.on_callback_error(None)
        self.sale(1)
        self.assertIs(self.unraisable[-1].exc_value, boom)

    def test_trust_callback_errors_are_bounded_and_other_callbacks_run(self):
        seen = []
        self.book.subscribe("entry.posted", lambda e, i: 1 / 0)
        self.book.subscribe("entry.posted", lambda e, i: seen.append(i))
        self.book.on_callback_error(lambda *a: None)
        ids = [self.sale(1) for _ in range(bo.CALLBACK_ERRORS_KEPT + 5)]
        self.assertEqual(seen, ids)
        errors = self.book.callback_errors()
        self.assertEqual(len(errors), bo.CALLBACK_ERRORS_KEPT)
        self.assertEqual(errors[-1].id, ids[-1])
        self.assertIsInstance(errors[0].exception, ZeroDivisionError)


if __name__ == "__main__":
    unittest.main()
