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


if __name__ == "__main__":
    unittest.main()
