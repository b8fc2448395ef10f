"""Reports through the Python module: the sales metrics, the dashboard file
and money for people."""

import os
import unittest

import backoffice as bo
from bo_support import BookTestCase


class ReportTest(BookTestCase):
    def setUp(self):
        super().setUp()
        b = self.book
        for code, name, kind in [("1200", "Inventory", "asset"), ("2100", "GRNI", "liability"),
                                 ("5100", "COGS", "expense")]:
            b.account_add(code, name, kind)
        for key, value in [("account.inventory", "1200"), ("account.cogs", "5100"),
                           ("account.grni", "2100"), ("account.revenue", "4000"),
                           ("payment.cash", "1000")]:
            b.inv_setting_set(key, value)
        b.inv_location_add("S1", "Store", "store")
        b.inv_item_add("B", "Beans", 3, bo.INVENTORY_AVERAGE)
        b.inv_receive("B", "S1", 5000, 5000, "2021-03-01", key="r1")
        sale = bo.Sale("2021-03-01", "till")
        sale.set_key("s1")
        sale.line("B", "S1", 1500, 2000, 100)  # 1.5 kg at 20.00 less 1.00
        sale.payment("cash", 3000)
        b.inv_sale_post(sale)

    def test_metrics(self):
        b = self.book
        rows = list(b.reports.metrics("2021-03-01", "2021-03-02", bo.REPORT_TOTAL))
        self.assertEqual(len(rows), 1)
        r = rows[0]
        self.assertEqual((r["gross"], r["discounts"], r["net"], r["cost"], r["margin"]),
                         (3000, 100, 2900, 1500, 1400))
        days = list(b.report_metrics("2021-03-01", "2021-03-02", bo.REPORT_DAY,
                                     bo.REPORT_COMPARE_WEEK, "S1=WIB"))
        self.assertEqual([d["key"] for d in days], ["2021-03-01", "2021-03-02"])
        self.assertEqual([d["net"] for d in days], [2900, 0])
        items = list(b.reports.metrics("2021-03-01", "2021-03-01", bo.REPORT_ITEM))
        self.assertEqual((items[0]["key"], items[0]["qty"]), ("B", 1500))
        with self.assertRaises(bo.Error) as e:
            b.reports.metrics("2021-03-01", "2021-03-01", 42)
        self.assertEqual(e.exception.code, bo.EINVAL)
        with self.assertRaises(bo.Error) as e:
            b.reports.metrics("2021-03-01", "2021-03-01", bo.REPORT_DAY, 0, "S1=Mars")
        self.assertIn("zones", str(e.exception))
        with self.assertRaises(Exception):
            b.reports.metrics("2021-03-01", "2021-03-01", bo.REPORT_DAY, 0, "S1=WIB\0x")

    def test_store_zone(self):
        b = self.book
        # The sale was recorded now; dated 2021-03-01 it counts on its date.
        b.inv_setting_set("zone.S1", "Asia/Jakarta")
        rows = list(b.reports.metrics("2021-03-01", "2021-03-01", bo.REPORT_TOTAL))
        self.assertEqual(rows[0]["net"], 2900)
        with self.assertRaises(bo.Error) as e:
            b.inv_setting_set("zone.S1", "Mars/Olympus")
        self.assertEqual(e.exception.code, bo.EINVAL)
        self.assertIn("no time zone", str(e.exception))
        with self.assertRaises(bo.Error) as e:
            b.reports.metrics("2021-03-01", "2021-03-01", bo.REPORT_DAY, 0, "S1=../x")
        self.assertIn("zones: item 1", str(e.exception))
        settings = {r["key"]: r["value"] for r in b.inv_settings()}
        self.assertEqual(settings["zone.S1"], "Asia/Jakarta")

    def test_dashboard(self):
        path = os.path.join(self.dir, "dash.html")
        self.book.reports.dashboard(path, "2021-03-01", "2021-03-02")
        with open(path, encoding="utf-8") as f:
            html = f.read()
        self.assertIn('data-key="2021-03-01" data-value="2900"', html)
        self.assertIn("$29.00", html)
        self.assertNotIn("<script", html)
        with self.assertRaises(bo.Error):
            self.book.reports.dashboard(os.path.join(self.dir, "x.html"), "2021-03-02",
                                        "2021-03-01")
        self.assertFalse(os.path.exists(os.path.join(self.dir, "x.html")))

    def test_statements(self):
        b = self.book
        csv_path = os.path.join(self.dir, "is.csv")
        b.reports.statement(bo.REPORT_INCOME_STATEMENT, bo.REPORT_CSV, csv_path,
                            "2021-03-01", "2021-03-01", bo.REPORT_COMPARE_PERIOD)
        with open(csv_path, encoding="utf-8") as f:
            text = f.read()
        self.assertIn(",4000,Sales,USD,29.00,", text)
        xlsx = os.path.join(self.dir, "tb.xlsx")
        b.report_statement(bo.REPORT_TRIAL_BALANCE, bo.REPORT_XLSX, xlsx, "2021-03-01",
                           "2021-03-01")
        import zipfile
        with zipfile.ZipFile(xlsx) as z:
            self.assertIn(b"Trial balance", z.read("xl/sharedStrings.xml"))
        with self.assertRaises(bo.Error) as e:
            b.reports.statement(99, bo.REPORT_CSV, csv_path, "2021-03-01", "2021-03-01")
        self.assertEqual(e.exception.code, bo.EINVAL)

    def test_cash_flow(self):
        # The sale of 29.00 in cash less its cost 15.00: net income 14.00;
        # the stock received on GRNI (operating) and issued: operating 29.00.
        b = self.book
        rows = list(b.reports.cash_flow("2021-03-01", "2021-03-31"))
        by_name = {r["name"]: r["amount"] for r in rows}
        self.assertEqual(by_name["Net income"], 1400)
        self.assertEqual(by_name["Net cash from operating activities"], 2900)
        self.assertEqual(by_name["Cash at the end"], 2900)
        self.assertIsNone(rows[0]["amount"])
        moved = list(b.report_cash_flow("2021-03-01", "2021-03-31", "2100=financing"))
        self.assertIn(("financing", "2100", 5000),
                      [(r["section"], r["code"], r["amount"]) for r in moved])
        path = os.path.join(self.dir, "cf.csv")
        b.reports.cash_flow_write(bo.REPORT_CSV, path, "2021-03-01", "2021-03-31")
        with open(path, encoding="utf-8") as f:
            self.assertIn("cash,,Cash at the end,USD,29.00", f.read())
        with self.assertRaises(bo.Error) as e:
            b.reports.cash_flow("2021-03-01", "2021-03-31", "9999=cash")
        self.assertEqual(e.exception.code, bo.ENOTFOUND)
        self.assertIn("classes: item 1", str(e.exception))
        bad = os.path.join(self.dir, "bad.csv")
        with self.assertRaises(bo.Error):
            b.reports.cash_flow_write(bo.REPORT_CSV, bad, "2021-03-01", "2021-03-31",
                                      "1000=moon")
        self.assertFalse(os.path.exists(bad))
        with self.assertRaises(Exception):
            b.reports.cash_flow("2021-03-01", "2021-03-31", "1000=cash\0x")

    def test_payroll_documents(self):
        # The generic pack: 2,500.00 salary, tax 150.00, pension 125.00.
        b = self.book
        for code, name, kind in [("2210", "Tax", "liability"), ("2220", "Pension", "liability"),
                                 ("5200", "Employer", "expense")]:
            b.account_add(code, name, kind)
        pack = os.path.join(os.path.dirname(__file__), "..", "..", "..", "data", "payroll",
                            "generic.yaml")
        with open(pack, "rb") as f:
            b.pay_pack_load(f.read(), "generic.yaml")
        b.pay_employee_add("E1", "Ani Wijaya", "2023-01-01")
        b.pay_terms_set("E1", "2024-01-01", "salary", 250000, bo.PAYROLL_MONTHLY)
        run = b.pay_run_create("jan", "generic", bo.PAYROLL_MONTHLY, "2024-01-01",
                               "2024-01-31", "2024-01-31")
        b.pay_run_calculate(run)
        path = os.path.join(self.dir, "reg.csv")
        b.reports.payroll_register_write(run, bo.REPORT_CSV, path)
        with open(path, encoding="utf-8") as f:
            self.assertIn("E1,Ani Wijaya,,USD,2500.00,275.00,2225.00,125.00", f.read())
        slip = os.path.join(self.dir, "slip.html")
        b.reports.payslip_write(run, "E1", bo.REPORT_HTML, slip)
        with open(slip, encoding="utf-8") as f:
            self.assertIn('data-value="222500">$2,225.00', f.read())
        with self.assertRaises(bo.Error) as e:
            b.report_payslip_write(run, "E9", bo.REPORT_HTML, slip + "x")
        self.assertEqual(e.exception.code, bo.ENOTFOUND)
        self.assertIn("number", str(e.exception))
        with self.assertRaises(bo.Error) as e:
            b.report_payroll_register_write(run + 5, bo.REPORT_CSV, path + "x")
        self.assertEqual(e.exception.code, bo.ENOTFOUND)
        self.assertFalse(os.path.exists(path + "x"))
        with self.assertRaises(Exception):
            b.reports.payslip_write(run, "E1\0x", bo.REPORT_HTML, slip)

    def test_money(self):
        self.assertEqual(bo.report_money(1234500000, "IDR"), "Rp 12.345.000")
        self.assertEqual(bo.report_money(123450, "USD"), "$1,234.50")
        with self.assertRaises(bo.Error) as e:
            bo.report_money(1, "XX")
        self.assertEqual(e.exception.code, bo.ECURRENCY)


if __name__ == "__main__":
    unittest.main()
