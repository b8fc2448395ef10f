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
        self.assertEqual(b.party_get("B1").fetchall()[0]["roles"],
                         bo.PARTY_CUSTOMER | bo.PARTY_VENDOR)
        self.assertEqual([r["code"] for r in b.parties("vendor")], ["B1", "V1"])
        b.inv_item_add("AVG", "Averaged", 0, "average")
        b.inv_item_add("FIFO", "First in", 0, bo.INV_FIFO)
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
        self.assertEqual(b.aging(bo.BILL_PAYABLE, "2026-01-31").fetchall(), [])
        with bo.Book(self.uri, actor="alice", sync="off") as other:
            self.assertEqual(other.actor(), "alice")
        b.pay_employee_add("E1", "Erin", "2026-01-01")
        b.pay_terms_set("E1", "2026-01-01", "salary", 300000, "monthly")
        b.pay_terms_set("E1", "2026-02-01", "salary", 310000, "semi-monthly")

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
                pass  # DOCCHECK
        self.assertIs(bo.Error.for_code(-999), bo.Error)
        self.assertIs(bo.Error.for_code(bo.ENOTFOUND), bo.NotFoundError)
        self.assertIs(bo.Error.for_code(bo.EKEYREUSE), bo.KeyReuseError)
        self.assertTrue(issubclass(bo.InvalidError, ValueError))
        self.assertTrue(issubclass(bo.AmountOverflowError, OverflowError))
        # Raised with .code and .message by real failures.
        failures = [
            (lambda: self.book.account_close("9999"), bo.NotFoundError),
            (lambda: self.book.post(make_entry("2026-01-15", [("1000", 5), ("4000", -4)])),
             bo.UnbalancedError),
            (lambda: self.book.account_add("1000", "Again", "asset"), bo.ExistsError),
        ]
        for call, cls in failures:
            with self.assertRaises(bo.Error) as cm:
                call()
            self.assertIs(type(cm.exception), cls)
            self.assertIs(bo.Error.for_code(cm.exception.code), cls)
            self.assertEqual(str(cm.exception), cm.exception.message)
            self.assertTrue(cm.exception.message)
