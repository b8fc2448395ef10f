"""Lots, expiry and serial numbers, and GS1 barcodes through the Python
module: milk received by lot and sold first expired first out, an expired
lot refused, what expires and a recall; a phone sold by serial, a second
sale of it refused; a GS1 string parsed, a malformed one refused."""

import unittest

import backoffice as bo
from bo_support import BookTestCase


class LotsTest(BookTestCase):
    def setUp(self):
        super().setUp()
        b = self.book
        for code, name, kind in [("1200", "Inventory", "asset"), ("2100", "GRNI", "liability"),
                                 ("5100", "COGS", "expense"), ("5200", "Shrinkage", "expense")]:
            b.account_add(code, name, kind)
        for key, value in [("account.inventory", "1200"), ("account.cogs", "5100"),
                           ("account.grni", "2100"), ("account.adjustments", "5200"),
                           ("account.revenue", "4000"), ("payment.cash", "1000")]:
            b.inv_setting_set(key, value)
        b.inv_location_add("S1", "Store", "store")
        b.inv_location_add("WH", "Warehouse", "warehouse")
        b.party_add("ANNA", "Anna Berg", bo.PARTY_CUSTOMER)
        inv = b.inventory
        inv.item_add("MILK", "Milk 1 l", 0, bo.INVENTORY_FIFO)
        inv.track_set("MILK", bo.INVENTORY_TRACK_LOT)
        inv.item_add("PHONE", "Phone", 0, bo.INVENTORY_FIFO)
        inv.track_set("PHONE", bo.INVENTORY_TRACK_SERIAL)

    def sell(self, sku, qty, date, key, picks=None, customer=None):
        sale = bo.Sale(date, "till")
        sale.set_key(key)
        if customer:
            sale.set_customer(customer)
        sale.line(sku, "S1", qty, 100)
        sale.payment("cash", 100 * qty)
        return self.book.inventory.sale_post_picked(sale, picks)

    def test_milk_by_lot(self):
        inv = self.book.inventory
        self.assertEqual(inv.track_get("MILK"), bo.INVENTORY_TRACK_LOT)
        inv.receive_picked("MILK", "S1", 10, 1000, "2026-02-20", "A", "2026-03-10", key="r1")
        inv.receive_picked("MILK", "S1", 5, 500, "2026-02-21", "B", "2026-03-05", key="r2")
        inv.receive_picked("MILK", "S1", 3, 300, "2026-02-18", "D", "2026-03-01", key="r3")
        sale = self.sell("MILK", 7, "2026-03-03", "s1", customer="ANNA")
        self.assertEqual(inv.lot_stock("MILK", "B", "S1"), 0)
        self.assertEqual(inv.lot_stock("MILK", "A", "S1"), 8)
        self.assertEqual(inv.lot_stock("MILK", "D", "S1"), 3)
        with self.assertRaises(bo.ExpiredError) as cm:
            self.sell("MILK", 1, "2026-03-03", "s2", "1=D")
        self.assertIn("lot: D of MILK expired on 2026-03-01", str(cm.exception))
        self.assertEqual(inv.lot_stock("MILK", "D", "S1"), 3)
        self.assertEqual([r["lot"] for r in inv.lots("MILK")], ["D", "A"])
        soon = list(inv.expiring(bo.date_parse("2026-03-03"), 7))
        self.assertEqual([(r["lot"], r["qty"]) for r in soon], [("D", 3), ("A", 8)])
        self.assertEqual(inv.expiring_value(bo.date_parse("2026-03-03"), 7), 1100)
        recall = list(inv.lot_recall("MILK", "A"))
        self.assertEqual([(r["sale"], r["customer"], r["qty"]) for r in recall],
                         [(sale, "ANNA", 2)])
        inv.transfer_picked("MILK", "S1", "WH", 2, "2026-03-03", "A", key="t1")
        self.assertEqual(inv.lot_stock("MILK", "A", "WH"), 2)
        inv.issue_picked("MILK", "S1", 3, "2026-03-04", "expired", "D", key="i1")
        inv.adjust_picked("MILK", "WH", -1, 0, "2026-03-04", "broken", None, key="a1")
        self.assertEqual(inv.lot_stock("MILK", "A", "WH"), 1)
        with self.assertRaises(bo.InvalidError):
            self.book.inv_receive("MILK", "S1", 1, 100, "2026-03-04", key="r9")

    def test_phone_by_serial(self):
        inv = self.book.inventory
        inv.receive_picked("PHONE", "S1", 2, 80000, "2026-03-01", "SN1,SN2", key="r1")
        self.sell("PHONE", 1, "2026-03-02", "s1", "1=SN1")
        with self.assertRaises(bo.SerialError) as cm:
            self.sell("PHONE", 1, "2026-03-03", "s2", "1=SN1")
        self.assertIn("SN1 of PHONE is not in stock", str(cm.exception))
        self.assertEqual(inv.stock("PHONE", "S1"), 1)
        where = {r["serial"]: (r["status"], r["location"]) for r in inv.serials("PHONE")}
        self.assertEqual(where, {"SN1": ("sold", None), "SN2": ("stock", "S1")})
        self.assertEqual([r["kind"] for r in inv.serial_history("PHONE", "SN1")],
                         ["receive", "sale"])

    def test_purchase_order_by_lot_and_case(self):
        b = self.book
        inv = b.inventory
        b.party_add("DAIRY", "Dairy Co", bo.PARTY_VENDOR)
        inv.unit_set("MILK", "case", 12, 1)
        po = inv.po_add("P1", "DAIRY", "2026-03-01")
        self.assertEqual(inv.po_line_unit(po, "MILK", "S1", 3, "case", 1200, "2026-03-02"), 1)
        with self.assertRaises(bo.UnitError):
            inv.po_line_unit(po, "MILK", "S1", 1, "crate", 100, "2026-03-02")
        with self.assertRaises(bo.InvalidError):
            inv.po_receive(po, 1, 1, "2026-03-02", key="g0")
        inv.po_receive_picked(po, 1, 2, "2026-03-02", "A:18,B:6", "2026-03-10", key="g1")
        self.assertEqual(inv.lot_stock("MILK", "A", "S1"), 18)
        self.assertEqual(inv.lot_stock("MILK", "B", "S1"), 6)
        self.assertEqual(inv.value("MILK", "S1"), 2400)
        line = list(inv.po_lines(po))[0]
        self.assertEqual((line["received"], line["unit"]), (2, "case"))
        with self.assertRaises(bo.InvalidError):
            inv.po_receive_picked(po, 1, 1, "2026-03-03", "C:10", key="g2")
        self.assertEqual(inv.stock("MILK", "S1"), 24)

    def test_hold_of_a_lot(self):
        inv = self.book.inventory
        inv.receive_picked("MILK", "S1", 10, 1000, "2026-10-02", "A", "2099-01-10", key="r1")
        inv.receive_picked("MILK", "S1", 10, 1000, "2026-10-03", "B", "2099-01-20", key="r2")
        h = inv.hold_lot("MILK", "S1", 4, "900", key="h1")
        self.assertEqual([r["lot"] for r in inv.holds("MILK")], ["A"])
        with self.assertRaises(bo.StockError):
            inv.hold_lot("MILK", "S1", 7, "900", "A")
        with self.assertRaises(bo.StockError):
            self.sell("MILK", 7, "2026-12-20", "s1", "1=A")
        self.assertEqual(inv.lot_stock("MILK", "A", "S1"), 10)
        inv.hold_release(h)
        self.sell("MILK", 7, "2026-12-20", "s2", "1=A")
        self.assertEqual(inv.lot_stock("MILK", "A", "S1"), 3)

    def test_gs1(self):
        raw = "]C1" "0109506000134352" "17261200" "10LOT42" "\x1d" "21SN7"
        self.assertEqual(bo.gs1_normalize(raw), "(01)09506000134352(17)261200(10)LOT42(21)SN7")
        self.assertEqual(bo.gs1_get(raw, "10"), "LOT42")
        self.assertEqual(bo.gs1_expiry(raw), bo.date_parse("2026-12-31"))
        self.assertEqual(bo.gs1_net_weight("(3103)001250"), (1250, 3))
        with self.assertRaises(bo.BarcodeError) as cm:
            bo.gs1_normalize("(01)09506000134352(17)2612")
        self.assertIn("AI (17)", str(cm.exception))
        with self.assertRaises(bo.CheckDigitError):
            bo.gs1_get("(01)09506000134353", "01")
        self.assertEqual(bo.gs1_variable_measure("2012345012509", None), ("2012345", 1250))
        with self.assertRaises(bo.InvalidError):
            bo.gs1_get("(10)A\0B", "10")


if __name__ == "__main__":
    unittest.main()
