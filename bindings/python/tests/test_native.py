"""The module feels like Python (issue 14, item 10): one object per domain on
the book, enumerations by name, optional arguments, docstrings from the C
headers, repr, exception classes by code, a type stub checked by mypy."""

import os
import re
import unittest
import warnings

import backoffice as bo
from bo_support import BookTestCase, make_entry

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))


class EnumNameTest(BookTestCase):
    """native_enum_names: every enumeration takes its name or its constant."""

    def test_native_enum_names(self):
        b = self.book
        b.party_add("C1", "Customer", "customer")
        b.party_add("V1", "Vendor", bo.PARTY_VENDOR)
        b.party_add("B1", "Both", "customer|vendor")
        b.party_add("B2", "Both too", "vendor, customer")
        self.assertEqual(b.party_get("B1").fetchall()[0]["roles"],
                         bo.PARTY_CUSTOMER | bo.PARTY_VENDOR)
        self.assertEqual([r["code"] for r in b.parties("vendor")], ["B1", "B2", "V1"])
        b.inv_item_add("AVG", "Averaged", 0, "average")
        b.inv_item_add("FIFO", "First in", 0, bo.INVENTORY_FIFO)
        methods = {r["sku"]: r["method"] for r in b.inv_items()}
        self.assertEqual(set(methods), {"AVG", "FIFO"})
        self.assertNotEqual(methods["AVG"], methods["FIFO"])
        b.account_add("2100", "Tax payable", "liability")
        b.tax_rate_add("GST", "GST", 50000, "2100")
        b.tax_rate_add("QST", "QST", 99750, "2100", None, "compound")
        inv = bo.Invoice("sales", "C1", "2026-01-15")
        self.assertEqual(inv.line_count(), 0)
        bo.Invoice("purchase_credit", "V1", "2026-01-15")
        bo.Payment("received", "C1", "2026-01-15", 100, None, "1100")
        self.assertEqual(b.aging("receivable", "2026-01-31").fetchall(), [])
        self.assertEqual(b.aging(bo.BILLING_PAYABLE, "2026-01-31").fetchall(), [])
        with bo.Book(self.uri, actor="alice", sync="off") as other:
            self.assertEqual(other.actor(), "alice")
        b.pay_employee_add("E1", "Erin", "2026-01-01")
        b.pay_terms_set("E1", "2026-01-01", "salary", 300000, "monthly")
        b.pay_terms_set("E1", "2026-02-01", "salary", 310000, "semi-monthly")
        self.assertEqual(bo.money_muldiv(10, 1, 4, "half_up"), 3)
        self.assertEqual(bo.money_muldiv(10, 1, 4, bo.ROUND_HALF_EVEN), 2)
        self.assertEqual(bo.money_rescale(-125, 2, 1, "floor"), -13)

    def test_native_enum_bad_name(self):
        cases = [
            (lambda: self.book.party_add("C9", "x", "client"), "roles",
             ["customer", "vendor"]),
            (lambda: self.book.inv_item_add("S9", "x", 0, "lifo"), "method",
             ["fifo", "average"]),
            (lambda: bo.Invoice("received", "C1", "2026-01-15"), "kind",
             ["sales", "purchase", "sales_credit", "purchase_credit"]),
            (lambda: bo.Payment("sales", "C1", "2026-01-15", 1, None, "1100"), "kind",
             ["received", "made"]),
            (lambda: self.book.aging("owed", "2026-01-31"), "side",
             ["receivable", "payable"]),
            (lambda: bo.Book(self.uri, sync="sometimes"), "sync",
             ["full", "normal", "off"]),
            (lambda: self.book.pay_terms_set("E1", "2026-01-01", "salary", 1, "daily"),
             "schedule", ["monthly", "weekly"]),
            (lambda: bo.money_muldiv(10, 1, 4, "nearest"), "mode",
             ["half_even", "half_up", "half_down", "down", "up", "floor", "ceiling"]),
        ]
        for call, param, names in cases:
            with self.subTest(param=param):
                with self.assertRaises(bo.InvalidError) as cm:
                    call()
                self.assertEqual(cm.exception.code, bo.EINVAL)
                self.assertTrue(cm.exception.message.startswith(param + ": unknown name"),
                                cm.exception.message)
                for name in names:
                    self.assertIn(name, cm.exception.message)
        self.assertEqual(self.book.parties().fetchall(), [])


class ReprTest(BookTestCase):
    """native_repr: Book, Entry, Cursor and the builders say what they are."""

    def test_native_repr(self):
        b = self.book
        self.assertEqual(repr(b), "<backoffice.Book uri=%r actor='alice'>" % self.uri)
        b.set_name("Shop")
        self.assertIn("name='Shop'", repr(b))
        e = make_entry("2026-01-15", [("1000", 5), ("4000", -5)], memo="till")
        self.assertEqual(repr(e), "<backoffice.Entry date='2026-01-15', memo='till', lines=2>")
        self.assertEqual(repr(b.periods()), "<backoffice.Cursor columns=%r>"
                         % b.periods().columns())
        s = bo.Sale("2026-01-15")
        self.assertEqual(repr(s), "<backoffice.Sale date='2026-01-15', lines=0>")
        self.assertEqual(repr(bo.Invoice("sales", "C1", "2026-01-15")),
                         "<backoffice.Invoice kind='sales', party='C1', date='2026-01-15', "
                         "lines=0>")
        self.assertIn("amount=100", repr(bo.Payment("made", "V", "2026-01-15", 100, None,
                                                    "1100")))
        self.assertIn("title='Lease'", repr(bo.Doc("contract", "Lease", "2026-01-15")))
        with b.transaction():
            self.assertIn("depth=1", repr(b))
        e.close()
        self.assertEqual(repr(e), "<backoffice.Entry (closed)>")
        b.close()
        self.assertEqual(repr(b), "<backoffice.Book (closed)>")


class ErrorClassTest(BookTestCase):
    """native_error_classes: one documented class per code, found by code."""

    def test_native_error_classes(self):
        codes = [v for k, v in vars(bo).items()
                 if re.fullmatch(r"E[A-Z0-9]+", k) and isinstance(v, int)]
        self.assertGreater(len(codes), 30)
        for code in codes + [bo.ERROR]:
            cls = bo.Error.for_code(code)
            with self.subTest(code=bo.error_name(code)):
                self.assertTrue(issubclass(cls, bo.Error))
                self.assertIsNot(cls, bo.Error)
                self.assertEqual(cls.code, code)
                self.assertTrue(cls.__doc__ and len(cls.__doc__) > 10, cls)
                self.assertIn("code %d" % code, cls.__doc__)
        self.assertIs(bo.Error.for_code(-999), bo.Error)
        self.assertIs(bo.Error.for_code(bo.ENOTFOUND), bo.NotFoundError)
        self.assertIs(bo.Error.for_code(bo.EKEYREUSE), bo.KeyReuseError)
        self.assertTrue(issubclass(bo.InvalidError, ValueError))
        self.assertTrue(issubclass(bo.AmountOverflowError, OverflowError))
        # Raised with .code and .message by real failures.
        failures = [
            (lambda: self.book.ledger.account_close("9999"), bo.NotFoundError),
            (lambda: self.book.ledger.post(make_entry("2026-01-15", [("1000", 5), ("4000", -4)])),
             bo.UnbalancedError),
            (lambda: self.book.ledger.account_add("1000", "Again", "asset"), bo.ExistsError),
        ]
        for call, cls in failures:
            with self.assertRaises(bo.Error) as cm:
                call()
            self.assertIs(type(cm.exception), cls)
            self.assertIs(bo.Error.for_code(cm.exception.code), cls)
            self.assertEqual(str(cm.exception), cm.exception.message)
            self.assertTrue(cm.exception.message)


def domain_table():
    """[(C functions, domain, method, flat)] from bindings/domains.txt."""
    rows = []
    with open(os.path.join(ROOT, "bindings", "domains.txt"), encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].split()
            if line:
                funcs = [] if line[0] == "-" else line[0].split(",")
                rows.append((funcs, line[1], line[2], line[3]))
    return rows


def header_comment(function):
    """The Doxygen comment right before @function's declaration, as words."""
    import glob
    for path in glob.glob(os.path.join(ROOT, "include", "backoffice", "*.h")):
        with open(path, encoding="utf-8") as f:
            src = f.read()
        m = re.search(r"/\*\*((?:(?!\*/).)*?)\*/\s*BO_EXTERN\([^)]*\)\s*%s\s*\("
                      % re.escape(function), src, re.S)
        if m:
            text = m.group(1).rsplit("/**", 1)[-1]
            text = re.sub(r"\n\s*\*(?!/) ?", "\n", text)  # the comment's leaders
            return " ".join(text.split())
    return None


class DomainTest(BookTestCase):
    """native_domains: book.<domain>.<method> for every line of the table."""

    def test_native_domains_reach_every_method(self):
        rows = domain_table()
        self.assertEqual(bo.DOMAINS, ("ledger", "commerce", "inventory", "billing",
                                      "payroll", "documents", "people", "approvals", "reports",
                                      "feed", "sync", "audit", "security"))
        seen = set()
        for funcs, domain, method, flat in rows:
            with self.subTest(method="%s.%s" % (domain, method)):
                obj = getattr(self.book, domain)
                self.assertIsInstance(obj, getattr(bo, type(obj).__name__))
                self.assertIs(obj.book, self.book)
                fn = getattr(obj, method)
                self.assertTrue(callable(fn))
                impl = getattr(bo.Book, flat).__wrapped__
                self.assertEqual(inspect_signature(getattr(type(obj), method)),
                                 inspect_signature(impl))
                seen.add(domain)
        self.assertEqual(seen, set(bo.DOMAINS))
        self.assertGreater(len(rows), 170)
        self.assertIn("Ledger", repr(self.book.ledger))

    def test_native_domains_call_the_library(self):
        b = self.book
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no domain call warns
            entry = b.ledger.post(make_entry("2026-01-15", [("1000", 7), ("4000", -7)]))
            self.assertEqual(b.ledger.balance("1000", "2026-01-31"), 7)
            self.assertEqual(b.ledger.entry(entry).fetchall()[0]["entry"], entry)
            b.commerce.party_add("C1", "Customer", "customer")
            self.assertEqual(b.commerce.party_get("C1").fetchall()[0]["code"], "C1")
            b.inventory.location_add("S1", "Store")
            self.assertEqual([r["code"] for r in b.inventory.locations()], ["S1"])
            b.billing.series_add("INV", "INV-")
            self.assertEqual(len(b.billing.series().fetchall()), 1)
            b.payroll.employee_add("E1", "Erin", "2026-01-01")
            self.assertEqual(b.payroll.employee_get("E1").fetchall()[0]["number"], "E1")
            b.documents.type_add("memo")
            self.assertIn("memo", [r["name"] for r in b.documents.types()])
            seq, digest = b.audit.head()
            self.assertGreater(seq, 0)
            self.assertEqual(len(digest), 64)
            b.security.role_define("clerk", "ledger.read")
            self.assertTrue(b.security.actor_can("ledger.post"))
            with self.assertRaises(bo.NotFoundError):
                b.ledger.account_close("9999")

    def test_native_flat_names_are_deprecated(self):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            self.assertEqual(self.book.accounts().columns(),
                             self.book.ledger.accounts().columns())
            self.book.inv_locations().fetchall()
        self.assertEqual(len(caught), 2)
        self.assertIs(caught[0].category, DeprecationWarning)
        self.assertIn("book.ledger.accounts()", str(caught[0].message))
        self.assertIn("book.inventory.locations()", str(caught[1].message))
        self.assertEqual(caught[0].filename, __file__)  # points at the caller
        # Book-level calls are not deprecated.
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with self.book.transaction():
                self.book.set_name("Shop")
            self.assertEqual(self.book.name(), "Shop")


def inspect_signature(fn):
    import inspect
    return [(p.name, p.default) for p in inspect.signature(fn).parameters.values()]


class DocstringTest(unittest.TestCase):
    """native_docstrings: each domain method's docstring is its C function's
    Doxygen comment, not a C signature."""

    def test_native_docstrings_from_headers(self):
        checked = 0
        for funcs, domain, method, flat in domain_table():
            if not funcs:
                continue
            cls = getattr(bo, dict((d, c) for d, c, _ in bo._DOMAIN_CLASSES)[domain])
            doc = getattr(cls, method).__doc__
            comment = header_comment(funcs[0])
            with self.subTest(function=funcs[0]):
                self.assertIsNotNone(comment, "no comment found for " + funcs[0])
                self.assertIn("C: %s()" % funcs[0], doc)
                # The first words of the header comment, Doxygen markup removed.
                words = re.sub(r"@p |@ref |#", "", comment).split("@")[0].split()[:6]
                self.assertIn(" ".join(words), " ".join(doc.split()))
                self.assertNotIn("@param", doc)
                self.assertNotIn("@p ", doc)
                checked += 1
        self.assertGreater(checked, 170)
        self.assertIn("Post entry to the journal", bo.Ledger.post.__doc__)
        self.assertTrue(bo.Inventory.__doc__)

    def test_native_docstrings_of_classes_and_functions(self):
        """The builders' and handles' methods and the module functions carry
        their C function's comment too."""
        import inspect
        cases = [(bo.Entry.add, "bo_entry_add"), (bo.Entry.__init__, "bo_entry_new"),
                 (bo.Sale.line, "bo_sale_line"), (bo.Invoice.set_key, "bo_invoice_set_key"),
                 (bo.Cursor.next, "bo_cursor_next"), (bo.Book.begin, "bo_book_begin"),
                 (bo.DocQuery.text, "bo_document_query_text"),
                 (bo.Book.from_yaml, "bo_book_create_from_yaml")]
        for name, func in vars(bo).items():
            if inspect.isfunction(func) and func.__module__ == "backoffice" \
                    and not name.startswith("_"):
                c_name = re.sub(r"^(inv|pay|doc)_", lambda m: {"inv": "inventory_",
                                "pay": "payroll_", "doc": "document_"}[m.group(1)], name)
                cases.append((func, "bo_" + c_name if header_comment("bo_" + c_name)
                              else "bo_book_" + name))
        self.assertGreater(len(cases), 30)
        for func, c_function in cases:
            with self.subTest(function=c_function):
                comment = header_comment(c_function)
                self.assertIsNotNone(comment)
                words = re.sub(r"@p |@ref |#", "", comment).split("@")[0].split()[:5]
                self.assertIn(" ".join(words), " ".join(func.__doc__.split()))
                self.assertIn("C: %s()" % c_function, func.__doc__)
                self.assertNotIn(":rtype:", func.__doc__)


class OptionalArgumentTest(BookTestCase):
    """native_optional_args: what the C API takes as NULL/"none" is optional."""

    def test_native_optional_arguments(self):
        b = self.book
        e1 = b.ledger.post(make_entry("2026-01-15", [("1000", 7), ("4000", -7)]))
        b.ledger.post(make_entry("2026-02-15", [("1100", 3), ("4000", -3)]))
        self.assertEqual(len(b.ledger.journal().fetchall()), 4)          # all accounts, dates
        self.assertEqual(len(b.ledger.journal("4000").fetchall()), 2)
        self.assertEqual(len(b.ledger.journal("4000", "2026-02-01").fetchall()), 1)
        self.assertEqual(len(b.ledger.journal(end="2026-01-31").fetchall()), 2)
        self.assertEqual(len(b.ledger.journal(None, None, "2026-01-31").fetchall()), 2)
        with self.assertRaises(TypeError):
            b.ledger.trial_balance(None)  # a required date is never None
        self.assertEqual(b.ledger.journal().fetchall()[0]["entry"], e1)
        inv = b.inventory
        b.ledger.account_add("1200", "Inventory", "asset")
        b.ledger.account_add("2100", "GRNI", "liability")
        for key, value in [("account.inventory", "1200"), ("account.grni", "2100")]:
            inv.setting_set(key, value)
        inv.location_add("S1", "Store")
        inv.item_add("A", "Widget")
        inv.item_add("B", "Bolt", 0, "average")
        inv.receive("A", "S1", 10, 1000, "2026-01-10", key="r1")
        inv.receive("B", "S1", 5, 500, "2026-02-10", key="r2")
        self.assertEqual(len(inv.history().fetchall()), 2)                 # no filters
        self.assertEqual(len(inv.history("A").fetchall()), 1)
        self.assertEqual(len(inv.history("A", "S1").fetchall()), 1)
        self.assertEqual(len(inv.history(_from="2026-02-01").fetchall()), 1)
        self.assertEqual(len(inv.history(None, "S1", to="2026-01-31").fetchall()), 1)
        inv.item_update("A", category="tools")
        inv.item_update("A", category="")                                   # clears
        inv.setting_set("account.grni")                                     # removes
        self.assertNotIn("account.grni", [r["key"] for r in inv.settings()])
        b.commerce.party_add("C1", "Customer", "customer")
        b.commerce.party_update("C1", email="c@example.com")
        b.commerce.party_update("C1", email="")
        self.assertIsNone(b.commerce.party_get("C1").fetchall()[0].get("email"))
        self.assertEqual(b.billing.statement("C1").columns()[:2], ["date", "kind"])
        b.payroll.employee_add("E1", "Erin", "2026-01-01")
        self.assertEqual(b.payroll.time("E1").fetchall(), [])


class TypeStubTest(unittest.TestCase):
    """native_type_stub: backoffice.pyi ships next to the module and mypy
    accepts a correct program and rejects wrong calls."""

    def mypy(self, source):
        import subprocess
        import sys
        import tempfile
        with tempfile.TemporaryDirectory(prefix="bo-mypy-") as tmp:
            path = os.path.join(tmp, "prog.py")
            with open(path, "w", encoding="utf-8") as f:
                f.write(source)
            env = dict(os.environ, MYPYPATH=os.path.dirname(bo.__file__))
            r = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental",
                                "--cache-dir", os.path.join(tmp, "cache"), path],
                               capture_output=True, text=True, env=env)
            return r.returncode, r.stdout + r.stderr

    def test_native_type_stub(self):
        stub = os.path.join(os.path.dirname(bo.__file__), "backoffice.pyi")
        self.assertTrue(os.path.exists(stub))
        with open(os.path.join(HERE, "typing_sample.py"), encoding="utf-8") as f:
            good = f.read()
        rc, out = self.mypy(good)
        self.assertEqual(rc, 0, out)
        bad = good + (
            "\n\ndef wrong(book: bo.Book) -> None:\n"
            "    book.ledger.post(\"not an entry\")\n"          # arg-type
            "    book.inventory.no_such_call()\n"                # attr-defined
            "    total: str = book.ledger.balance(\"1000\", 1)\n"  # assignment
            "    book.ledger.account_add(\"1\")\n")              # call-arg
        rc, out = self.mypy(bad)
        self.assertEqual(rc, 1, out)
        self.assertIn('Argument 1 to "post" of "Ledger" has incompatible type "str"', out)
        self.assertIn('"Inventory" has no attribute "no_such_call"', out)
        self.assertIn("Incompatible types in assignment", out)
        self.assertIn('Missing positional arguments "name", "type" in call to "account_add"',
                      out)


if __name__ == "__main__":
    unittest.main()
