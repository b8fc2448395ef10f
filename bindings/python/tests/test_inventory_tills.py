"""Till sessions through the Python module: a session opened with a float,
a cash sale with change, a bank drop, the close with 0.50 short posted to
the over/short account, the listing, and a second close refused; a
shipment whose carrier has no tracking API cannot be polled."""

import unittest

import backoffice as bo
from bo_support import BookTestCase


class TillsTest(BookTestCase):
    def setUp(self):
        super().setUp()
        b = self.book
        for code, name, kind in [("1200", "Inventory", "asset"), ("2100", "GRNI", "liability"),
                                 ("5100", "COGS", "expense"), ("6900", "Over/short", "expense")]:
            b.account_add(code, name, kind)
        for key, value in [("account.inventory", "1200"), ("account.cogs", "5100"),
                           ("account.grni", "2100"), ("account.revenue", "4000"),
                           ("payment.cash", "1000"), ("account.over_short", "6900")]:
            b.inv_setting_set(key, value)
        b.inv_location_add("S1", "Store", "store")
        b.inv_item_add("A", "Widget", 0, bo.INVENTORY_FIFO)
        b.inv_receive("A", "S1", 10, 1000, "2025-03-01", key="r1")

    def test_till_session(self):
        b = self.book
        inv = b.inventory
        till = inv.till_open("S1", "2025-03-02", 10000, "open-1")
        sale = bo.Sale("2025-03-02")
        sale.set_key("s1")
        sale.line("A", "S1", 1, 1500)
        sale.payment("cash", 2000)
        b.inv_sale_post(sale)
        inv.till_cash(till, "2025-03-02", -5000, "1100", "bank drop", "drop-1")
        # 100.00 + 15.00 - 50.00 = 65.00 expected; 64.50 counted
        self.assertEqual(inv.till_close(till, "2025-03-02", 6450, "close-1"), -50)
        self.assertEqual(b.balance("6900", "9999-12-31"), 50)
        rows = list(inv.tills("2025-03-01", "2025-03-31"))
        self.assertEqual([(r["cashier"], r["expected"], r["counted"], r["difference"])
                          for r in rows], [("alice", 6500, 6450, -50)])
        with self.assertRaises(bo.StateError):
            inv.till_close(till, "2025-03-02", 6450, "close-2")

    def test_shipment_poll_without_carrier_api(self):
        b = self.book
        sale = bo.Sale("2025-03-02")
        sale.set_key("s2")
        sale.line("A", "S1", 1, 1500)
        sale.payment("cash", 1500)
        sid = b.inv_sale_post(sale)
        ship = b.inv_shipment_add(sid, "NOPOST", "ground", "NP1", key="ship-1")
        with self.assertRaises(bo.NotFoundError):
            b.inventory.shipment_poll(ship)


if __name__ == "__main__":
    unittest.main()
