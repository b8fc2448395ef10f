"""Idempotency keys through the Python module: the commands a terminal
retries refuse to run without a key (InvalidError naming "key", nothing
recorded), a replayed key answers the first id, and a key reused with other
content raises KeyReuseError. Keys are keyword arguments (key=...) or a
builder's set_key()."""

import os
import unittest

import backoffice as bo
from bo_support import BookTestCase

PACK = os.path.join(os.path.dirname(__file__), "..", "..", "..", "data",
                    "payroll", "generic.yaml")


class KeysTest(BookTestCase):
    def setUp(self):
        super().setUp()
        b = self.book
        for code, name, kind in [("1200", "Inventory", "asset"), ("1300", "Receivables", "asset"),
                                 ("2100", "Net pay", "liability"), ("2210", "Tax", "liability"),
                                 ("2220", "Pension", "liability"), ("2300", "GRNI", "liability"),
                                 ("5100", "Wages", "expense"), ("5200", "Employer", "expense"),
                                 ("5300", "COGS", "expense"), ("5400", "Shrinkage", "expense")]:
            b.account_add(code, name, kind)
        for key, value in [("account.inventory", "1200"), ("account.cogs", "5300"),
                           ("account.grni", "2300"), ("account.adjustments", "5400"),
                           ("account.revenue", "4000"), ("payment.cash", "1000")]:
            b.inv_setting_set(key, value)
        b.inv_location_add("S1", "Store")
        b.inv_item_add("A", "Widget")
        b.inv_receive("A", "S1", 10, 1000, "2025-03-01", key="init")
        b.party_add("C1", "Customer", bo.PARTY_CUSTOMER)
        b.bill_setting_set("receivable_account", "1300")
        with open(PACK, "rb") as f:
            b.pay_pack_load(f.read(), "generic.yaml")
        b.pay_employee_add("E1", "Ann", "2023-01-01")

    def audit_seq(self):
        return self.book.audit_head()[0]

    def sale(self, key, qty=1):
        sale = bo.Sale("2025-03-02")
        if key is not None:
            sale.set_key(key)
        sale.line("A", "S1", qty, 500)
        sale.payment("cash", 1000)
        return self.book.inv_sale_post(sale)

    def test_sale_needs_a_key(self):
        seq = self.audit_seq()
        for _ in range(2):  # the terminal's retry
            with self.assertRaises(bo.InvalidError) as cm:
                self.sale(None)
            self.assertEqual(cm.exception.message, "key: a sale needs an idempotency key")
        self.assertEqual(self.audit_seq(), seq)
        self.assertEqual(self.book.inv_stock("A", "S1"), 10)
        first = self.sale("till-1/7")
        self.assertEqual([self.sale("till-1/7") for _ in range(2)], [first, first])
        with self.assertRaises(bo.KeyReuseError) as cm:
            self.sale("till-1/7", qty=2)
        self.assertEqual(cm.exception.message,
                         'key: "till-1/7" was used for a different sale (id %d)' % first)
        self.assertEqual(self.book.inv_stock("A", "S1"), 9)

    def test_time_records(self):
        b = self.book
        seq = self.audit_seq()
        with self.assertRaises(bo.InvalidError) as cm:
            b.pay_clock("E1", "2024-01-05", "08:00", "16:00")
        self.assertIn("key: a clock event needs an idempotency key", cm.exception.message)
        with self.assertRaises(bo.InvalidError) as cm:
            b.pay_hours_add("E1", "2024-01-05", "regular", 60)
        self.assertIn("key: a timesheet entry needs an idempotency key", cm.exception.message)
        self.assertEqual(self.audit_seq(), seq)
        clock = b.pay_clock("E1", "2024-01-05", "08:00", "16:00", key="clock-1")
        self.assertEqual(b.pay_clock("E1", "2024-01-05", "08:00", "16:00", key="clock-1"), clock)
        hours = b.pay_hours_add("E1", "2024-01-08", "regular", 60, key="h-1")
        self.assertEqual(b.pay_hours_add("E1", "2024-01-08", "regular", 60, key="h-1"), hours)
        with self.assertRaises(bo.KeyReuseError):
            b.pay_hours_add("E1", "2024-01-08", "regular", 90, key="h-1")
        leave = b.pay_leave_add("E1", "2024-01-15", "2024-01-16", "paid", key="l-1")
        self.assertEqual(b.pay_leave_add("E1", "2024-01-15", "2024-01-16", "paid", key="l-1"),
                         leave)
        self.assertGreater(b.pay_leave_add("E1", "2024-01-22", "2024-01-22", "unpaid"), leave)
        minutes = sum(r["minutes"] for r in b.pay_time("E1", "2024-01-01", "2024-01-31")
                      if r["type"] in ("attendance", "regular"))
        self.assertEqual(minutes, 8 * 60 + 60)

    def test_counts_and_shipments(self):
        b = self.book
        with self.assertRaises(bo.InvalidError):
            b.inv_count_start("S1", "2025-03-05")
        c = b.inv_count_start("S1", "2025-03-05", key="count-1")
        self.assertEqual(b.inv_count_start("S1", "2025-03-05", key="count-1"), c)
        b.inv_count_set(c, "A", 8)
        with self.assertRaises(bo.InvalidError):
            b.inv_count_post(c)
        b.inv_count_post(c, key="count-1-post")
        b.inv_count_post(c, key="count-1-post")
        self.assertEqual(b.inv_stock("A", "S1"), 8)
        sid = self.sale("till-2")
        with self.assertRaises(bo.InvalidError):
            b.inv_shipment_add(sid, "DHL")
        ship = b.inv_shipment_add(sid, "DHL", key="ship-1")
        self.assertEqual(b.inv_shipment_add(sid, "DHL", key="ship-1"), ship)
        with self.assertRaises(bo.KeyReuseError):
            b.inv_shipment_add(sid, "UPS", key="ship-1")

    def test_billing_builders(self):
        b = self.book
        inv = bo.Invoice(bo.INVOICE_SALES, "C1", "2025-03-09")
        inv.set_key("inv-1")
        inv.line("4000", "goods", 1000, 1000)
        first = b.invoice_save(inv)
        self.assertEqual(b.invoice_save(inv), first)
        pay = bo.Payment(bo.PAYMENT_RECEIVED, "C1", "2025-03-10", 500, None, "1100")
        with self.assertRaises(bo.InvalidError) as cm:
            b.payment_post(pay)
        self.assertEqual(cm.exception.message, "key: a payment needs an idempotency key")
        pay.set_key("pay-1")
        pid = b.payment_post(pay)
        self.assertEqual(b.payment_post(pay), pid)


if __name__ == "__main__":
    unittest.main()
