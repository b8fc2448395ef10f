"""Offline terminals through the Python module: a terminal book's outbox,
receipts, the sync with a central book (exactly once, quarantine, stock
as facts), limits, and errors raised as exceptions."""

import os
import unittest

import backoffice as bo
from bo_support import BookTestCase, CHART


def shop(b, negative):
    for code, name, kind in [("1200", "Inventory", "asset"), ("2100", "GRNI", "liability"),
                             ("2200", "VAT", "liability"), ("5100", "COGS", "expense")]:
        b.account_add(code, name, kind)
    b.tax_rate_add("VAT20", "VAT", 200000, "2200")
    b.tax_category_add("standard", "Standard", "VAT20")
    for key, value in [("account.inventory", "1200"), ("account.cogs", "5100"),
                       ("account.grni", "2100"), ("account.revenue", "4000"),
                       ("payment.cash", "1000")]:
        b.inv_setting_set(key, value)
    b.inv_location_add("S1", "Store", "store", negative)
    b.inv_item_add("A", "Widget", 0, bo.INVENTORY_FIFO, "standard")


class SyncTest(BookTestCase):
    def setUp(self):
        super().setUp()
        shop(self.book, 0)  # the central book
        self.turi = "sqlite:" + os.path.join(self.dir, "till.db")
        self.till = bo.Book(self.turi, actor="alice", create=True, base_currency="USD",
                            sync=bo.SYNC_OFF)
        for code, name, kind in CHART:
            self.till.account_add(code, name, kind)
        shop(self.till, 1)
        self.till.sync.terminal_setup("T1", self.uri)

    def tearDown(self):
        self.till.close()
        super().tearDown()

    def sell(self, key, qty=1, price=1200, sku="A"):
        sale = bo.Sale("2026-02-01", "till")
        sale.set_key(key)
        sale.line(sku, "S1", qty, price)
        sale.payment("cash", qty * price)
        return self.till.inv_sale_post(sale)

    def test_outbox_receipts_and_exactly_once(self):
        ids = [self.sell("k%d" % i) for i in range(3)]
        self.assertEqual([self.till.sync.terminal_receipt(i) for i in ids], [1, 2, 3])
        queued, value, quarantined, synced, next_receipt, warnings = \
            self.till.sync.terminal_status()
        self.assertEqual((queued, value, quarantined, synced, next_receipt), (3, 3600, 0, 0, 4))
        rows = list(self.till.sync.terminal_outbox("queued"))
        self.assertEqual([r["seq"] for r in rows], [1, 2, 3])
        with self.assertRaises(bo.StateError):
            self.till.sync.terminal_close_check()
        self.book.inv_receive("A", "S1", 2, 200, "2026-01-02", key="r1")
        pushed, replayed, quarantined, negative = self.till.sync.run(self.book)
        self.assertEqual((pushed, replayed, quarantined, negative), (3, 0, 0, 1))
        self.assertEqual(self.book.inv_stock("A", "S1"), -1)
        self.assertEqual(len(list(self.book.sync.inbox("T1"))), 3)
        neg = list(self.book.sync.negative())
        self.assertEqual((neg[0]["sku"], neg[0]["on_hand"]), ("A", -1))
        # the central URI from the terminal's settings
        self.assertEqual(self.till.sync.run(), (0, 0, 0, 0))
        self.till.sync.terminal_close_check()

    def test_quarantine_and_resubmit(self):
        self.till.inv_item_add("LOCAL", "Here only", 0, bo.INVENTORY_FIFO)
        self.sell("a")
        self.sell("b", sku="LOCAL")
        self.sell("c")
        self.assertEqual(self.till.sync.run(self.book)[:3], (2, 0, 1))
        bad = list(self.till.sync.terminal_outbox("quarantined"))
        self.assertEqual(bad[0]["seq"], 2)
        self.assertEqual(bad[0]["code"], bo.ENOTFOUND)
        self.assertIn("LOCAL", bad[0]["reason"])
        self.book.inv_item_add("LOCAL", "Known now", 0, bo.INVENTORY_FIFO)
        self.till.sync.terminal_resubmit(2)
        self.assertEqual(self.till.sync.run(self.book)[0], 1)
        with self.assertRaises(bo.NotFoundError):
            self.till.sync.terminal_resubmit(99)

    def test_cash_movement(self):
        e = self.till.sync.terminal_cash("2026-02-01", 5000, "3000", "c1", "float")
        self.assertEqual(self.till.sync.terminal_cash("2026-02-01", 5000, "3000", "c1", "float"), e)
        with self.assertRaises(bo.InvalidError):
            self.till.sync.terminal_cash("2026-02-01", 0, "3000", "c2")
        self.assertEqual(self.till.sync.run(self.book)[0], 1)
        self.assertEqual(self.book.balance("1000", "2026-12-31"), 5000)

    def test_limits_and_errors(self):
        self.till.sync.terminal_limits(5, 0, 0)
        for key in "wxyz":
            self.sell(key)
        self.assertEqual(self.till.sync.terminal_status()[5] & bo.TERMINAL_WARN_COUNT,
                         bo.TERMINAL_WARN_COUNT)
        self.sell("y2")
        with self.assertRaises(bo.LimitError) as cm:
            self.sell("z2")
        self.assertIn("max_queued", str(cm.exception))
        with self.assertRaises(bo.InvalidError):
            self.till.sync.terminal_outbox("lost")
        with self.assertRaises(bo.StateError):
            self.till.sync.terminal_setup("T2", self.uri)
        with self.assertRaises(bo.InvalidError):
            self.till.sync.terminal_setup("T\x00", self.uri)


if __name__ == "__main__":
    unittest.main()
