"""Tax rates, categories and parties through the Python module."""

import unittest

import backoffice as bo
from bo_support import BookTestCase


class CommerceTest(BookTestCase):
    def setUp(self):
        super().setUp()
        self.book.account_add("2100", "Tax payable", "liability")
        self.book.tax_rate_add("VAT20", "VAT 20%", 200000, "2100")
        self.book.tax_rate_add("GST", "GST", 50000, "2100")
        self.book.tax_rate_add("QST", "QST", 99750, "2100", None, bo.TAX_COMPOUND)
        self.book.tax_category_add("vat", "VAT", "VAT20")
        self.book.tax_category_add("quebec", "GST then QST", "GST QST")
        self.book.tax_category_add("exempt", "Exempt")

    def test_compute(self):
        # 10.00 including 20 %: 8.33 + 1.67.
        self.assertEqual(self.book.tax_compute("vat", 1000, 1), (833, 167))
        # 100.00 + GST 5.00 + QST 9.975 % of 105.00 (10.47).
        self.assertEqual(self.book.tax_compute("quebec", 10000), (10000, 1547))
        self.assertEqual(self.book.tax_compute("exempt", 10000), (10000, 0))

    def test_rate_parse(self):
        self.assertEqual(bo.tax_rate_parse("6.25%"), 62500)
        with self.assertRaises(bo.InvalidError):
            bo.tax_rate_parse("6.25")

    def test_lists(self):
        rates = self.book.tax_rates().fetchall()
        self.assertEqual([r["code"] for r in rates], ["GST", "QST", "VAT20"])
        self.assertEqual(rates[1]["compound"], 1)
        cats = {c["code"]: c["rates"] for c in self.book.tax_categories()}
        self.assertEqual(cats, {"exempt": "", "quebec": "GST QST", "vat": "VAT20"})

    def test_errors(self):
        with self.assertRaises(bo.NotFoundError):
            self.book.tax_compute("nope", 1)
        with self.assertRaises(bo.AmountOverflowError):
            self.book.tax_compute("vat", 2**63 - 1)
        with self.assertRaises(bo.ExistsError):
            self.book.tax_rate_add("GST", "again", 1, "2100")
        with self.assertRaises(bo.NotFoundError):
            self.book.tax_category_add("x", "x", "GST NOPE")

    def test_parties(self):
        self.book.party_add("ACME", "Acme", bo.PARTY_VENDOR)
        self.book.party_add("C1", "Cafe", bo.PARTY_CUSTOMER, "EUR")
        self.book.party_update("ACME", terms_days=45)
        self.book.party_update("ACME", payable_account="2000")
        row = self.book.party_get("ACME").fetchall()[0]
        self.assertEqual(row["terms_days"], 45)
        self.assertEqual(row["payable_account"], "2000")
        self.assertIsNone(row["tax_id"])
        self.assertEqual([p["code"] for p in self.book.parties(bo.PARTY_CUSTOMER)], ["C1"])
        self.assertEqual(len(self.book.parties().fetchall()), 2)
        with self.assertRaises(bo.ExistsError):
            self.book.party_add("ACME", "x", bo.PARTY_VENDOR)
        with self.assertRaises(bo.InvalidError):
            self.book.party_update("ACME")                 # nothing to change
        with self.assertRaises(TypeError):
            self.book.party_update("ACME", salary="1")     # no such field
        with self.assertRaises(bo.NotFoundError):
            self.book.party_get("NOPE")

    def test_access(self):
        self.book.role_define("none", "audit.read")
        self.book.role_grant("eve", "none")
        with self.open("eve") as eve:
            for call in (lambda: eve.tax_rates(), lambda: eve.tax_categories(),
                         lambda: eve.tax_compute("vat", 1),
                         lambda: eve.tax_rate_add("X", "x", 1, "2100"),
                         lambda: eve.tax_category_add("x", "x"),
                         lambda: eve.party_add("X", "x", 1),
                         lambda: eve.party_update("X", name="x"),
                         lambda: eve.party_get("X"), lambda: eve.parties()):
                with self.assertRaises(bo.DeniedError):
                    call()


class BuilderCloseTest(BookTestCase):
    """Sale, Invoice and Payment release their C object on close()."""

    def test_close(self):
        builders = [bo.Sale("2026-01-05"),
                    bo.Invoice(bo.INVOICE_SALES, "C1", "2026-01-05"),
                    bo.Payment(bo.PAYMENT_RECEIVED, "C1", "2026-01-05", 100,
                               None, "1000")]
        for b in builders:
            self.assertEqual(b.line_count() if hasattr(b, "line_count") else 0, 0)
            b.close()
            b.close()  # twice is fine
            with self.assertRaises(bo.Error):
                b.set_key("k") if isinstance(b, bo.Sale) else b.set_memo("x")


if __name__ == "__main__":
    unittest.main()
