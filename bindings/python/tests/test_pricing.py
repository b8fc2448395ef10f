"""Units of measure, price lists and promotions through the Python module:
coffee kept in kg, bought by the bag, sold by the 100 g; a remainder and a
unit the item lacks refused (UnitError); a price list with a quantity break
stacked with buy-two-get-one and 10% off; coupons; the sale's lines show
what priced them."""

import unittest

import backoffice as bo
from bo_support import BookTestCase


class PricingTest(BookTestCase):
    def setUp(self):
        super().setUp()
        b = self.book
        for code, name, kind in [("1200", "Inventory", "asset"), ("2100", "GRNI", "liability"),
                                 ("5100", "COGS", "expense")]:
            b.account_add(code, name, kind)
        for key, value in [("account.inventory", "1200"), ("account.cogs", "5100"),
                           ("account.grni", "2100"), ("account.adjustments", "5100"),
                           ("account.revenue", "4000"), ("payment.cash", "1000")]:
            b.inv_setting_set(key, value)
        b.inv_location_add("S1", "Store", "store")
        b.inv_item_add("COFFEE", "Coffee", 3, bo.INVENTORY_FIFO)
        b.inv_item_update("COFFEE", unit="kg")
        b.inventory.unit_set("COFFEE", "bag", 1, 1)
        b.inv_unit_set("COFFEE", "100g", 1, 10, 450)
        b.inventory.receive_unit("COFFEE", "S1", 2000, "bag", 3000, "2026-03-01", key="r1")
        self.assertEqual(b.inv_stock("COFFEE", "S1"), 2000)

    def test_units(self):
        b = self.book
        self.assertEqual(b.inv_unit_convert("COFFEE", "100g", None, 2500), 250)
        self.assertEqual(b.inventory.unit_convert("COFFEE", None, "100g", 250), 2500)
        self.assertEqual([(r["unit"], r["num"], r["den"], r["price"])
                          for r in b.inv_units("COFFEE")],
                         [("100g", 1, 10, 450), ("bag", 1, 1, None)])
        with self.assertRaises(bo.UnitError) as cm:
            b.inv_unit_convert("COFFEE", "lb", None, 1000)
        self.assertEqual(cm.exception.code, bo.EUNIT)
        self.assertIn("unit: item 'COFFEE' has no unit 'lb'", str(cm.exception))
        with self.assertRaises(bo.UnitError):
            b.inv_unit_convert("COFFEE", "100g", None, 1)  # 0.0001 kg: a remainder

    def test_list_and_promotions(self):
        b = self.book
        b.inv_pricelist_add("RETAIL", None, None, "2026-01-01", "2026-12-31")
        b.inv_pricelist_price("RETAIL", "COFFEE", "100g", 0, 420)
        b.inventory.pricelist_price("RETAIL", "COFFEE", "100g", 5000, 400)
        with self.assertRaises(bo.ExistsError):
            b.inv_pricelist_add("OTHER", None, None, "2026-06-01", "2027-01-01")
        b.party_add("BOB", "Bob", bo.PARTY_CUSTOMER)
        b.inv_customer_group_set("BOB", "vip")
        b.inv_promotion_set("B2G1", "buy_get", "COFFEE", buy=2, get=1)
        b.inventory.promotion_set("TEN", "percent", "COFFEE", value=1000)
        b.inv_promotion_set("OLD", "amount", value=100, coupon="HELLO",
                            to="2026-06-30")
        self.assertEqual([(r["code"], r["version"]) for r in b.inv_promotions()],
                         [("B2G1", 1), ("OLD", 1), ("TEN", 1)])
        self.assertEqual(len(list(b.inv_pricelists())), 2)
        sale = bo.Sale("2026-12-06")
        sale.set_key("t/1")
        sale.line_unit("COFFEE", "S1", 6000, "100g")
        sale.set_coupon("HELLO")
        sale.payment("cash", 1440)
        with self.assertRaises(bo.ExpiredError) as cm:
            b.inv_sale_post(sale)
        self.assertIn("coupon", str(cm.exception))
        sale.set_coupon(None)
        sid = b.inv_sale_post(sale)
        line = list(b.inv_sale_lines(sid))[0]
        self.assertEqual((line["qty"], line["net"], line["price_list"],
                          line["price_list_version"], line["promotions"]),
                         (600, 1440, "RETAIL", 3, "B2G1@v1:-800;TEN@v1:-160"))
        self.assertEqual(bo.SALE_PRICE_AUTO, -1)

    def test_model_random_sales(self):
        """A model in a few lines of Python (half to even with Decimal) and
        the library agree to the cent on 60 seeded sales: RETAIL's break at
        5 x 100 g, buy two get one, then 10% off."""
        import random
        from decimal import Decimal, ROUND_HALF_EVEN
        b = self.book
        b.inv_receive("COFFEE", "S1", 1000000, 1500000, "2026-03-01", key="r-big")
        b.inv_pricelist_add("RETAIL", None, None, "2026-01-01", "2026-12-31")
        b.inv_pricelist_price("RETAIL", "COFFEE", "100g", 0, 423)
        b.inv_pricelist_price("RETAIL", "COFFEE", "100g", 5000, 397)
        b.inv_promotion_set("B2G1", "buy_get", "COFFEE", buy=2, get=1)
        b.inv_promotion_set("TEN", "percent", "COFFEE", value=1250)

        def even(x):
            return int(Decimal(x).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))

        rng = random.Random(21)
        for i in range(60):
            q = rng.randrange(1, 2000) * 10  # thousandths of 100 g, whole grams
            price = 397 if q >= 5000 else 423
            amount = even(Decimal(price * q) / 1000)
            d1 = min(price * (q // 1000 // 3), amount)
            d2 = even(Decimal((amount - d1) * 1250) / 10000)
            net = amount - d1 - d2
            sale = bo.Sale("2026-12-06")
            sale.set_key(f"m/{i}")
            sale.line_unit("COFFEE", "S1", q, "100g")
            if net:
                sale.payment("cash", net)
            sid = b.inv_sale_post(sale)
            line = list(b.inv_sale_lines(sid))[0]
            self.assertEqual((line["qty"], line["net"]), (q // 10, net), (q, price))


if __name__ == "__main__":
    unittest.main()
