"""Invoices, payments, exchange rates and bank reconciliation through the
Python module."""

import os
import unittest

import backoffice as bo
from bo_support import BookTestCase


class BillingTest(BookTestCase):
    def setUp(self):
        super().setUp()
        b = self.book
        b.account_add("1110", "Bank EUR", "asset", None, "EUR")
        b.account_add("1200", "Receivables", "asset")
        b.account_add("1210", "Receivables EUR", "asset", None, "EUR")
        b.account_add("1290", "FX revaluation", "asset")
        b.account_add("2100", "Tax payable", "liability")
        b.account_add("6900", "Write-offs", "expense")
        b.account_add("7000", "FX gains", "income")
        b.account_add("7100", "FX losses", "expense")
        b.account_add("7200", "Unrealized FX", "income")
        b.tax_rate_add("VAT20", "VAT 20%", 200000, "2100")
        b.tax_category_add("standard", "Standard", "VAT20")
        b.party_add("C1", "Customer", bo.PARTY_CUSTOMER)
        b.party_add("C2", "Kunde", bo.PARTY_CUSTOMER, "EUR")
        b.party_update("C2", receivable_account="1210")
        for key, value in [("receivable_account", "1200"), ("payable_account", "2000"),
                           ("write_off_account", "6900"), ("write_off_limit", "1.00"),
                           ("fx_gain_account", "7000"), ("fx_loss_account", "7100"),
                           ("fx_unrealized_account", "7200"),
                           ("fx_revaluation_account", "1290")]:
            b.bill_setting_set(key, value)

    def invoice(self, party, date, price, tax=None, currency=None):
        inv = bo.Invoice(bo.INVOICE_SALES, party, date, currency)
        inv.line("4000", "goods", 1000, price, 0, tax)
        self.assertEqual(inv.line_count(), 1)
        doc = self.book.invoice_save(inv)
        self.book.invoice_post(doc, date)
        return doc

    def test_typed_setters(self):
        inv = bo.Invoice(bo.INVOICE_SALES, "C1", "2026-03-01")
        inv.set_series("INV")
        inv.set_due("2026-03-31")
        inv.set_memo("memo")
        inv.set_reference("PO-1")
        inv.set_inclusive(1)
        inv.set_account("1200")
        inv.set_number(1)
        inv.set_credits(0)
        with self.assertRaises(bo.InvalidError):
            inv.set_inclusive(2)
        inv.line("4000", "goods", 1000, 1200, 0, "standard")
        doc = self.book.invoice_save(inv)
        self.assertGreater(doc, 0)
        pay = bo.Payment(bo.PAYMENT_RECEIVED, "C1", "2026-03-20", 100, None, "1100")
        pay.set_memo("memo")
        pay.set_reference("TRX-1")

    def test_invoice_and_payment_with_write_off(self):
        b = self.book
        ids = [self.invoice("C1", "2026-03-01", p, "standard") for p in (10000, 20000, 5000)]
        self.assertEqual(b.balance("1200", "2026-03-31"), 42000)
        pay = bo.Payment(bo.PAYMENT_RECEIVED, "C1", "2026-03-20", 41950, None, "1100")
        pay.set_key("py-1")
        pay.allocate(ids[0], 12000)
        pay.allocate(ids[1], 24000)
        pay.allocate(ids[2], 5950, 50)
        pid = b.payment_post(pay)
        self.assertEqual(b.payment_post(pay), pid)
        self.assertEqual(b.balance("1200", "2026-03-31"), 0)
        self.assertEqual(b.balance("6900", "2026-03-31"), 50)
        self.assertEqual(b.invoice_open(ids[2], "2026-03-19"), 6000)
        self.assertEqual([r["total"] for r in b.aging(bo.BILLING_RECEIVABLE, "2026-03-10")],
                         [42000])
        doc = b.invoice_get(ids[0]).fetchall()[0]
        self.assertEqual(doc["doc_number"], "INV-1")
        self.assertEqual(len(b.invoice_lines(ids[0]).fetchall()), 1)
        self.assertEqual(len(b.invoices("C1").fetchall()), 3)
        self.assertEqual(b.payments("C1").fetchall()[0]["unapplied"], 0)
        rows = b.statement("C1", "2026-03-01", "2026-03-31").fetchall()
        self.assertEqual(rows[-1]["balance"], 0)
        tax = b.tax_report("2026-03-01", "2026-03-31").fetchall()
        self.assertEqual(tax[0]["sales_tax"], 7000)
        self.assertTrue(b.cash_flow("2026-03-01", "2026-03-31").fetchall())
        with self.assertRaises(bo.PaymentError):
            p2 = bo.Payment(bo.PAYMENT_RECEIVED, "C1", "2026-03-21", 100, None, "1100")
            p2.set_key("py-2")
            p2.allocate(ids[0], 100)
            b.payment_post(p2)

    def test_credit_apply_and_reverse(self):
        b = self.book
        a = self.invoice("C1", "2026-03-01", 1000)
        pay = bo.Payment(bo.PAYMENT_RECEIVED, "C1", "2026-03-02", 3000, None, "1100")
        pay.set_key("over")
        pid = b.payment_post(pay)
        b.credit_apply(pid, a, 1000, "2026-03-03")
        self.assertEqual(b.invoice_open(a, "2026-03-03"), 0)
        c = self.invoice("C1", "2026-03-04", 700)
        self.assertGreater(b.invoice_reverse(c, "2026-03-05"), 0)
        with self.assertRaises(bo.StateError):
            b.invoice_reverse(c, "2026-03-05")

    def test_numbering(self):
        b = self.book
        b.bill_series_add("S", "S-", 100)
        b.bill_series_set_next("S", 200)
        self.assertEqual(b.bill_series().fetchall()[0]["next"], 200)
        self.assertEqual(len(b.bill_settings().fetchall()), 8)
        self.invoice("C1", "2026-03-01", 100)
        with self.assertRaises(bo.SequenceError):
            b.bill_series_set_next("INV", 7)

    def test_currency(self):
        b = self.book
        with self.assertRaises(bo.NoRateError):
            b.convert(100, "EUR", "2026-01-01")
        b.rate_set("EUR", "2026-01-01", "1.10")
        b.rate_set("EUR", "2026-01-31", "1.12")
        self.assertEqual(b.convert(10000, "EUR", "2026-01-15"), 11000)
        self.assertEqual(len(b.rates("EUR").fetchall()), 2)
        self.invoice("C2", "2026-01-15", 20000)
        entry = b.revalue("2026-01-31")
        self.assertGreater(entry, 0)
        self.assertEqual(b.balance("1290", "2026-01-31"), 400)
        self.assertEqual(b.balance("1290", "2026-02-01"), 0)
        with self.assertRaises(bo.CurrencyError):
            bo.Invoice(bo.INVOICE_SALES, "C1", "2026-01-01", "QQQ")
        e = bo.Entry("2026-01-20", "manual")
        e.add_base("1110", 1000, "EUR", 1100)
        e.add("1100", -1100)
        self.assertGreater(b.post(e), 0)

    def test_bank(self):
        b = self.book
        e = bo.Entry("2026-03-01", "sale")
        e.add("1100", 1250)
        e.add("4000", -1250)
        b.post(e)
        csv = "date,amount,ref\n2026-03-02,12.50,R1\n2026-03-03,-1.00,FEE\n"
        st = b.bank_import("1100", "csv", csv, "date: 1\namount: 2\nreference: 3\n")
        self.assertEqual(b.bank_match(st, 3), 1)
        lines = b.bank_lines(st).fetchall()
        fee = [l for l in lines if l["status"] == "unmatched"][0]
        b.bank_create(fee["id"], "6900", "fee")
        b.bank_close(st)
        self.assertEqual(b.bank_reconciled("1100"), 1150)
        self.assertEqual(b.bank_statements("1100").fetchall()[0]["closed"], 1)
        with self.assertRaises(bo.InvalidError) as cm:
            b.bank_import("1100", "csv", "d,a\n2026-03-01,x\n", "date: 1\namount: 2\n")
        self.assertIn("line 2", str(cm.exception))
        with self.assertRaises(bo.NotFoundError):
            b.bank_accept(9999, 1)

    def test_recurring(self):
        b = self.book
        a = self.invoice("C1", "2026-01-10", 1000)
        b.recurring_add(a, 1, "2026-02-10")
        self.assertEqual(b.recurring_run("2026-03-31"), 2)


    def test_pain001(self):
        """book.billing.pain001(path, execution, party, debtor_iban,
        debtor_bic) -> the number of transactions."""
        b = self.book
        b.account_add("5100", "Supplies", "expense")
        b.party_add("V1", "Vendor", bo.PARTY_VENDOR)
        inv = bo.Invoice(bo.INVOICE_PURCHASE, "V1", "2026-03-01")
        inv.line("5100", "paper", 1000, 4321, 0, None)
        b.invoice_post(b.invoice_save(inv), "2026-03-01")
        b.bill_setting_set("iban.V1", "GB82WEST12345698765432")
        path = os.path.join(self.dir, "pain.xml")
        self.assertEqual(b.billing.pain001(path, "2026-03-10",
                                           debtor_iban="DE89370400440532013000"), 1)
        with open(path) as f:
            x = f.read()
        self.assertIn("<CtrlSum>43.21</CtrlSum>", x)
        self.assertEqual(os.stat(path).st_mode & 0o777, 0o600)
        with self.assertRaises(bo.InvalidError) as cm:
            b.billing.pain001(path, "2026-03-10", debtor_iban="DE89370400440532013001")
        self.assertIn("debtor_iban", str(cm.exception))

if __name__ == "__main__":
    unittest.main()
