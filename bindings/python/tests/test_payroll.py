"""Payroll through the Python module: a run's life and the access matrix."""

import os
import unittest

import backoffice as bo
from bo_support import BookTestCase

PACK = os.path.join(os.path.dirname(__file__), "..", "..", "..", "data",
                    "payroll", "generic.yaml")


class PayrollTest(BookTestCase):
    def setUp(self):
        super().setUp()
        b = self.book
        for code, name, kind in [("2100", "Net pay", "liability"),
                                 ("2210", "Tax", "liability"),
                                 ("2220", "Pension", "liability"),
                                 ("5100", "Wages", "expense"),
                                 ("5200", "Employer", "expense")]:
            b.account_add(code, name, kind)
        with open(PACK, "rb") as f:
            b.pay_pack_load(f.read(), "generic.yaml")
        b.pay_employee_add("SECRET-1", "Ann", "2023-01-01")
        b.pay_employee_set("SECRET-1", "cost_center", "SHOP")
        b.pay_terms_set("SECRET-1", "2024-01-01", "salary", 987654, bo.PAYROLL_MONTHLY)
        self.run = b.pay_run_create("jan", "generic", bo.PAYROLL_MONTHLY,
                                    "2024-01-01", "2024-01-31", "2024-01-31")
        b.pay_run_calculate(self.run)

    def test_life(self):
        b = self.book
        b.pay_run_approve(self.run)
        entry = b.pay_run_post(self.run)
        self.assertGreater(entry, 0)
        slip = {r["component"]: r["amount"] for r in b.pay_payslip(self.run, "SECRET-1")}
        self.assertEqual(slip["salary"], 987654)
        reg = b.pay_register(self.run).fetchall()
        self.assertEqual(reg[0]["net"], reg[0]["gross"] - reg[0]["deductions_total"])
        b.pay_run_pay(self.run, "1100", "2024-01-31")
        self.assertEqual(b.pay_run_state(self.run), bo.PAYROLL_PAID)
        b.pay_run_reverse(self.run, "2024-02-01")
        self.assertEqual(b.balance("5100", "2024-12-31"), 0)
        html = b.pay_payslip_render(self.run, "SECRET-1", "html").fetchall()[0]["document"]
        self.assertIn("<td>salary</td>", html)
        self.assertEqual(bo.pay_schedule_parse("weekly"), bo.PAYROLL_WEEKLY)
        with self.assertRaises(bo.ConfigError):
            bo.pay_pack_check("pack: x\ncurrency: USD\naccounts: {net_pay: '1'}\n"
                              "components:\n  - {name: a, kind: calc, expr: b}\n", "x.yaml")

    def test_access_matrix(self):
        b = self.book
        b.role_define("cashier", "ledger.read ledger.post sales.post")
        b.role_define("clerk", "payroll.write payroll.run")
        b.role_grant("cashier", "cashier")
        b.role_grant("clerk", "clerk")
        calls = [
            lambda h: h.pay_employees(),
            lambda h: h.pay_employee_get("SECRET-1"),
            lambda h: h.pay_employee_search("SEC"),
            lambda h: h.pay_terms("SECRET-1"),
            lambda h: h.pay_time("SECRET-1", "2024-01-01", "2024-12-31"),
            lambda h: h.pay_payslip(self.run, "SECRET-1"),
            lambda h: h.pay_payslip_render(self.run, "SECRET-1", "html"),
            lambda h: h.pay_register(self.run),
            lambda h: h.pay_ytd("SECRET-1", 2024),
            lambda h: h.pay_export(self.run, "json"),
            lambda h: h.pay_withholding_export(2024, 1),
            lambda h: h.pay_runs(),
            lambda h: h.pay_packs(),
            lambda h: h.pay_run_state(self.run),
            lambda h: h.pay_pack_eval("generic", "base_salary=987654", "salary"),
        ]
        for actor in ("cashier", "clerk", "nobody"):
            h = self.open(actor)
            try:
                for i, call in enumerate(calls):
                    with self.assertRaises(bo.DeniedError, msg="%s %d" % (actor, i)) as cm:
                        call(h)
                    text = str(cm.exception)
                    for secret in ("SECRET", "987654", "9876.54", "Ann"):
                        self.assertNotIn(secret, text)
            finally:
                h.close()
        for call in calls:      # the owner may read
            call(b)
        h = self.open("cashier")
        try:                    # checked before the employee is looked up
            with self.assertRaises(bo.DeniedError):
                h.payroll.form_1721a1("SECRET-1", 2024)
        finally:
            h.close()


ID_PACK = os.path.join(os.path.dirname(__file__), "..", "..", "..", "data",
                       "payroll", "id-2024.yaml")


class PayrollIndonesiaTest(BookTestCase):
    """Inputs and a previous employer's slip reach the last period's figures."""

    def test_inputs_and_previous_employer(self):
        b = self.book
        with open(ID_PACK, "rb") as f:
            b.payroll.pack_load(f.read(), "id-2024.yaml")
        b.payroll.employee_add("D", "Tuan D", "2024-09-01")
        b.payroll.employee_set("D", "tax_status", "TK/0")
        b.payroll.terms_set("D", "2024-09-01", "salary", 2250000000, bo.PAYROLL_MONTHLY)
        b.payroll.input_add("D", "pension", "2024-09-01", "2024-12-31", 10000000)
        b.pay_previous_add("D", 2024, "2024-01-01", "2024-08-31",
                           14000000000, 13520000000, 618000000)
        with self.assertRaises(bo.InvalidError) as cm:
            b.payroll.previous_add("D", 2024, "2023-01-01", "2023-08-31", 1, 1, 1)
        self.assertIn("not in tax year 2024", str(cm.exception))
        with self.assertRaises(bo.InvalidError):
            b.payroll.input_add("D", "Bad Name", "2024-01-01", "2024-01-31", 1)
        run = b.payroll.run_create("dec", "id-2024", bo.PAYROLL_MONTHLY,
                                   "2024-12-01", "2024-12-31", "2024-12-31")
        b.payroll.run_calculate(run)
        slip = {r["component"]: r for r in b.payroll.payslip(run, "D")}
        self.assertEqual(slip["neto_previous"]["amount"], 13520000000)
        self.assertEqual(slip["neto_previous"]["kind"], "figure")
        self.assertEqual(slip["pension"]["amount"], 10000000)
        self.assertEqual(slip["withheld"]["amount"], 618000000)

    def test_indonesian_outputs(self):
        """Form 1721-A1, the month's withholding CSV and an Indonesian
        payslip of example 2 (Tuan B joins in September): the figures
        against the slips, the HTML well formed and escaped."""
        from html.parser import HTMLParser

        class Balanced(HTMLParser):
            VOID = {"meta", "br"}

            def __init__(self):
                super().__init__(convert_charrefs=True)
                self.stack, self.errors, self.text = [], [], []

            def handle_starttag(self, tag, attrs):
                if tag not in self.VOID:
                    self.stack.append(tag)

            def handle_startendtag(self, tag, attrs):
                pass

            def handle_endtag(self, tag):
                if not self.stack or self.stack.pop() != tag:
                    self.errors.append(tag)

            def handle_data(self, data):
                self.text.append(data)

        b = self.book
        for code, kind in (("2100", "liability"), ("2210", "liability"),
                           ("2220", "liability"), ("2230", "liability"),
                           ("2240", "liability"), ("5100", "expense"),
                           ("5200", "expense")):
            b.ledger.account_add(code, "id " + code, kind, None, "IDR")
        with open(ID_PACK, "rb") as f:
            b.payroll.pack_load(f.read(), "id-2024.yaml")
        b.payroll.employee_add("B", "<i>Tuan & B</i>", "2024-09-01")
        b.payroll.employee_set("B", "tax_status", "TK/0")
        b.payroll.terms_set("B", "2024-09-01", "salary", 1550000000, bo.PAYROLL_MONTHLY)
        b.payroll.input_add("B", "pension", "2024-09-01", "2024-12-31", 10000000)
        runs = []
        for m, end in ((9, 30), (10, 31), (11, 30), (12, 31)):
            run = b.payroll.run_create("id-%d" % m, "id-2024", bo.PAYROLL_MONTHLY,
                                       "2024-%02d-01" % m, "2024-%02d-%02d" % (m, end),
                                       "2024-%02d-%02d" % (m, end))
            b.payroll.run_calculate(run)
            b.payroll.run_approve(run)
            b.payroll.run_post(run)
            runs.append(run)
        slip = {r["component"]: r["amount"] for r in b.payroll.payslip(runs[-1], "B")}
        text = b.payroll.form_1721a1("B", 2024).fetchall()[0]["document"]
        lines = {}
        for row in text.splitlines():
            head = row[:4].strip()
            if head.endswith(".") and head[:-1].isdigit():
                amount = row.split()[-1]
                sign = -1 if amount.startswith("(") else 1
                lines[int(head[:-1])] = sign * int(amount.strip("()").replace(".", "")) * 100
        self.assertEqual(lines[8], slip["bruto_year"])
        self.assertEqual(lines[8], 6200000000)
        self.assertEqual(lines[13], slip["neto"])
        self.assertEqual(lines[17], slip["pkp"])
        self.assertEqual(lines[20], slip["pph21_year"])
        self.assertEqual(lines[22], -slip["pph21_refund"])
        self.assertEqual(lines[22], -297500000)
        self.assertEqual(lines[19] + lines[21] + lines[22], lines[20])
        html = b.payroll.form_1721a1("B", 2024, "html").fetchall()[0]["document"]
        p = Balanced()
        p.feed(html)
        p.close()
        self.assertEqual((p.errors, p.stack), ([], []))
        self.assertIn("<i>Tuan & B</i>", "".join(p.text))
        self.assertNotIn("<i>", html)
        csv = b.payroll.withholding_export(2024, 9).fetchall()[0]["document"]
        rows = csv.split("\r\n")
        self.assertTrue(rows[0].startswith("period,number,tax_id,name,ptkp_status"))
        self.assertEqual(rows[1], '2024-09,"B","","<i>Tuan & B</i>","TK/0",21-100-01,'
                                  '15500000.00,1085000.00,A,7,ter,IDR')
        dec = b.payroll.withholding_export(2024, 12, "csv").fetchall()[0]["document"]
        self.assertIn(",-2975000.00,,,annual,IDR", dec)
        slip_id = b.payroll.payslip_render(runs[0], "B", "html-id").fetchall()[0]["document"]
        p = Balanced()
        p.feed(slip_id)
        p.close()
        self.assertEqual((p.errors, p.stack), ([], []))
        self.assertIn("Rp 15.500.000", slip_id)
        self.assertIn("Gaji pokok", slip_id)
        with self.assertRaises(bo.InvalidError):
            b.payroll.withholding_export(2024, 13)
        with self.assertRaises(bo.NotFoundError):
            b.payroll.form_1721a1("B", 2023)
        with self.assertRaises(bo.InvalidError):
            b.payroll.form_1721a1("B\0x", 2024)


if __name__ == "__main__":
    unittest.main()
