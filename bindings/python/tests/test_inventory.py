"""The inventory domain through the Python module: items, stock, FIFO cost,
a sale with tax and change, replay, return, holds, purchasing, counts,
shipments, and errors raised as exceptions."""

import unittest

import backoffice as bo
from bo_support import BookTestCase


class InventoryTest(BookTestCase):
    def setUp(self):
        super().setUp()
        b = self.book
        for code, name, kind in [("1200", "Inventory", "asset"), ("2100", "GRNI", "liability"),
                                 ("2200", "VAT", "liability"), ("5100", "COGS", "expense"),
                                 ("5200", "Shrinkage", "expense")]:
            b.account_add(code, name, kind)
        b.tax_rate_add("VAT20", "VAT", 200000, "2200")
        b.tax_category_add("standard", "Standard", "VAT20")
        for key, value in [("account.inventory", "1200"), ("account.cogs", "5100"),
                           ("account.grni", "2100"), ("account.adjustments", "5200"),
                           ("account.revenue", "4000"), ("payment.cash", "1000"),
                           ("payment.card", "1100")]:
            b.inv_setting_set(key, value)
        b.inv_location_add("S1", "Store", "store")
        b.inv_location_add("WH", "Warehouse", "warehouse", 0)
        b.inv_item_add("A", "Widget", 0, bo.INVENTORY_FIFO, "standard")
        b.inv_item_add("B", "Beans", 3, bo.INVENTORY_AVERAGE)

    def balance(self, account):
        return self.book.balance(account, "9999-12-31")

    def test_receive_fifo_and_stock(self):
        b = self.book
        b.inv_receive("A", "S1", 10, 1000, "2025-03-01", key="k0")
        b.inv_receive("A", "S1", 5, 600, "2025-03-01", "PO-1", "k1")
        self.assertEqual(b.inv_receive("A", "S1", 5, 600, "2025-03-01", "PO-1", "k1") > 0, True)
        b.inv_issue("A", "S1", 12, "2025-03-02", "damaged", key="i1")
        self.assertEqual(b.inv_stock("A", "S1"), 3)
        self.assertEqual(b.inv_available("A", "S1"), 3)
        self.assertEqual(b.inv_value("A", "S1"), 360)
        self.assertEqual(self.balance("5100"), 1240)
        layers = list(b.inv_layers("A", "S1"))
        self.assertEqual([(r["remaining"], r["cost"]) for r in layers], [(3, 360)])
        self.assertEqual(sum(r["value"] for r in b.inv_valuation()), self.balance("1200"))
        hist = list(b.inv_history("A", "S1", "2025-01-01", "2025-12-31"))
        self.assertEqual([r["kind"] for r in hist], ["receive", "receive", "issue"])
        self.assertEqual(len(list(b.inv_stock_list())), 1)

    def test_sale_replay_return(self):
        b = self.book
        b.inv_receive("A", "S1", 10, 4000, "2025-03-01", key="k0")
        ids = []
        for _ in range(3):
            sale = bo.Sale("2025-03-02", "till")
            sale.set_key("till-1")
            sale.line("A", "S1", 3, 1200)
            sale.payment("cash", 4000)
            self.assertEqual(sale.line_count(), 1)
            ids.append(b.inv_sale_post(sale))
        self.assertEqual(len(set(ids)), 1)
        self.assertEqual(b.inv_stock("A", "S1"), 7)
        self.assertEqual(self.balance("1000"), 3600)
        self.assertEqual(self.balance("2200"), -600)
        lines = list(b.inv_sale_lines(ids[0]))
        self.assertEqual(lines[0]["net"], 3000)
        b.inv_return(ids[0], 1, 3, "2025-03-03", "cash", "ret-1")
        self.assertEqual(self.balance("4000"), 0)
        self.assertEqual(self.balance("5100"), 0)
        self.assertEqual(b.inv_stock("A", "S1"), 10)

    def test_errors(self):
        b = self.book
        b.inv_receive("A", "S1", 2, 200, "2025-03-01", key="k0")
        with self.assertRaises(bo.NotFoundError):
            b.inv_receive("NOPE", "S1", 1, 1, "2025-03-01", key="k1")
        with self.assertRaises(bo.InvalidError):
            b.inv_receive("A", "S1", 0, 1, "2025-03-01", key="k2")
        with self.assertRaises(bo.StockError):
            b.inv_issue("A", "S1", 3, "2025-03-01", "x", key="i1")
        sale = bo.Sale("2025-03-02")
        sale.set_key("till-1/0001")
        sale.line("A", "S1", 1, 1000)
        sale.payment("card", 999)
        with self.assertRaises(bo.PaymentError) as cm:
            b.inv_sale_post(sale)
        self.assertIn("payments", cm.exception.message)
        with self.assertRaises(bo.InvalidError):
            bo.inv_qty_parse("0.0005", 3)
        self.assertEqual(bo.inv_qty_parse("1.25", 3), 1250)
        self.assertEqual(bo.inv_qty_format(1250, 3), "1.250")

    def test_holds(self):
        b = self.book
        b.inv_receive("A", "S1", 5, 500, "2025-03-01", key="k0")
        h = b.inv_hold("A", "S1", 4, "900", "cart-1")
        self.assertEqual(b.inv_available("A", "S1"), 1)
        with self.assertRaises(bo.StockError):
            b.inv_hold("A", "S1", 2, "900")
        sale = bo.Sale("2025-03-02")
        sale.set_key("web-1")
        sale.line_hold(h, 100)
        sale.payment("cash", 400)
        b.inv_sale_post(sale)
        h2 = b.inv_hold("A", "S1", 1, "900")
        b.inv_hold_release(h2)
        with self.assertRaises(bo.StateError):
            b.inv_hold_release(h2)
        self.assertEqual(b.inv_holds_expire(), 0)
        self.assertEqual([r["status"] for r in b.inv_holds("A")], ["released", "sold"])

    def test_purchasing_counts_shipping(self):
        b = self.book
        b.party_add("ACME", "Acme", bo.PARTY_VENDOR)
        b.inv_item_update("A", supplier="ACME")
        b.inv_item_barcode_add("A", "400638")
        self.assertEqual(list(b.inv_item_get("400638"))[0]["sku"], "A")
        self.assertEqual(len(list(b.inv_items())), 2)
        self.assertEqual(len(list(b.inv_locations())), 2)
        self.assertEqual(len(list(b.inv_settings())), 7)
        b.inv_location_update("WH", name="Main warehouse")
        po = b.inv_po_add("PO-1", "ACME", "2025-03-01")
        self.assertEqual(b.inv_po_line(po, "A", "WH", 10, 100, "2025-03-05"), 1)
        b.inv_po_receive(po, 1, 6, "2025-03-05", key="grn-1")
        b.inv_landed_cost(po, 60, "2000", "2025-03-06")
        self.assertEqual(b.inv_value("A", "WH"), 660)
        self.assertEqual(list(b.inv_po_lines(po))[0]["received"], 6)
        t = b.inv_transfer("A", "WH", "S1", 2, "2025-03-07", 1, key="t-1")
        b.inv_transfer_arrive(t, "2025-03-08")
        b.inv_reorder_set("A", "WH", 5, 20)
        self.assertEqual([r["supplier"] for r in b.inv_reorder_suggest()], ["ACME"])
        for row in b.inv_stock_list("A", "WH"):
            self.assertEqual(row["available"], 4)
        b.inv_adjust("A", "WH", -1, -1, "2025-03-08", "broken", key="a-1")
        c = b.inv_count_start("WH", "2025-03-09", key="count-1")
        b.inv_count_set(c, "A", 2)
        b.inv_count_post(c, key="count-1-post")
        self.assertEqual([r["variance"] for r in b.inv_count_lines(c)], [-1])
        b.party_add("C-9", "A customer", bo.PARTY_CUSTOMER)
        sale = bo.Sale("2025-03-10")
        sale.set_inclusive(0)
        sale.set_customer("C-9")
        sale.set_key("web-2")
        sale.line("A", "S1", 1, 500)
        sale.payment("card", 600)
        sid = b.inv_sale_post(sale)
        ship = b.inv_shipment_add(sid, "DHL", "express", "JD1", key="ship-1")
        b.inv_shipment_status(ship, "shipped", "picked up")
        self.assertEqual([r["status"] for r in b.inv_shipment_history(ship)],
                         ["created", "shipped"])
        # The carrier's events: a duplicate records nothing.
        inv = b.inventory
        self.assertEqual(inv.shipment_track("DHL", "JD1", "2025-03-11T08:00:00Z", "PU",
                                            "in_transit", "picked up"), 1)
        self.assertEqual(inv.shipment_track("DHL", "JD1", "2025-03-11T08:00:00Z", "PU",
                                            "in_transit", "picked up"), 0)
        self.assertEqual(inv.shipment_track("DHL", "JD1", "2025-03-12T10:00:00Z", "OK",
                                            "delivered"), 1)
        self.assertEqual([(r["code"], r["status"]) for r in inv.shipment_tracking(ship)],
                         [("PU", "in_transit"), ("OK", "delivered")])
        self.assertEqual([r["status"] for r in b.inv_shipment_history(ship)][-1], "delivered")
        with self.assertRaises(bo.NotFoundError):
            inv.shipment_track("DHL", "NOPE", "2025-03-12T10:00:00Z", "OK", "delivered")
        with self.assertRaises(bo.InvalidError):
            inv.shipment_track("DHL", "JD1", "yesterday", "OK", "delivered")
        rows = list(b.inv_stock_list("A", "WH"))
        with self.assertRaises(bo.NotFoundError):
            b.inv_stock_row(999999)
        self.assertEqual(sum(r["value"] for r in b.inv_valuation()), self.balance("1200"))
        self.assertEqual(len(rows), 1)

    def test_backdated_receipt_revalues(self):
        # A receipt dated before a later issue takes its place in date order:
        # the issue of 14 takes 10 for 10.00 and 4 of the 5 for 6.11 x 4/5.
        b = self.book
        b.inv_receive("A", "S1", 10, 1000, "2025-03-01", key="k0")
        b.inv_receive("A", "S1", 10, 1300, "2025-03-10", key="k1")
        b.inv_issue("A", "S1", 14, "2025-03-12", "used", key="i1")
        self.assertEqual(self.balance("5100"), 1520)
        b.inv_receive("A", "S1", 5, 611, "2025-03-05", key="k2")
        self.assertEqual(self.balance("5100"), 1489)
        self.assertEqual(b.inv_value("A", "S1"), 1422)
        self.assertEqual(self.balance("1200"), 1422)
        # into a closed period: refused, nothing changed
        b.period_add("2025-03", "2025-03-01", "2025-03-31")
        b.period_add("2025-04", "2025-04-01", "2025-04-30")
        b.inv_issue("A", "S1", 1, "2025-04-02", "used", key="i2")
        b.period_close("2025-04")
        with self.assertRaises(bo.PeriodError) as cm:
            b.inv_receive("A", "S1", 1, 100, "2025-03-20", key="k3")
        self.assertEqual(cm.exception.code, bo.EPERIOD)
        self.assertIn("'2025-04'", str(cm.exception))
        self.assertEqual(b.inv_stock("A", "S1"), 10)


if __name__ == "__main__":
    unittest.main()
