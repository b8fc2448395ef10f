"""Approvals through the Python module: rules, pending commands, decisions,
and the access matrix of every approvable command x maker x approver."""

import os
import unittest

import backoffice as bo
from bo_support import BookTestCase, make_entry

ROLES = {
    "clerk": "ledger.read,ledger.post,book.admin,approval.read",
    "manager": "ledger.read,ledger.post,book.admin,approval.read",
    "viewer": "ledger.read,approval.read",
}
ACTORS = {"carl": "clerk", "cleo": "clerk", "mia": "manager", "mike": "manager",
          "vic": "viewer"}


class Fixture(BookTestCase):
    def setUp(self):
        super().setUp()
        for role, perms in ROLES.items():
            self.book.security.role_define(role, perms)
        for actor, role in ACTORS.items():
            self.book.security.role_grant(actor, role)
        self.book.security.role_define("extra", "ledger.read")

    def balance(self, account="1000"):
        return self.book.ledger.balance(account, bo.date_parse("2030-01-01"))


class ApprovalTest(Fixture):

    def test_entry_waits_then_executes_as_maker(self):
        self.book.approvals.rule_set("ledger.entry.post", "manager", min_amount=100000)
        with self.open("carl") as carl, self.open("mia") as mia:
            carl.ledger.post(make_entry("2026-01-05", [("1000", 10), ("3000", -10)]))
            with self.assertRaises(bo.PendingError) as cm:
                carl.ledger.post(make_entry("2026-01-05", [("1000", 100000), ("3000", -100000)],
                                            key="k"))
            self.assertEqual(cm.exception.code, bo.EPENDING)
            rid = carl.approvals.last()
            self.assertEqual(self.balance(), 10)
            with self.assertRaises(bo.DeniedError):
                carl.approvals.approve(rid)
            entry = mia.approvals.approve(rid)
            self.assertGreater(entry, 0)
            self.assertEqual(self.balance(), 100010)
            rows = list(self.book.approvals.requests("executed"))
            self.assertEqual(rows[0]["maker"], "carl")
            self.assertEqual(rows[0]["result"], entry)

    def test_bad_input(self):
        with self.assertRaises(bo.NotFoundError):
            self.book.approvals.rule_set("ledger.entry.burn", "manager")
        with self.assertRaises(bo.NotFoundError) as cm:
            self.book.approvals.rule_set("ledger.entry.post", "boss")
        self.assertIn("roles", str(cm.exception))
        self.assertEqual(list(self.book.approvals.rules()), [])
        with self.assertRaises(bo.InvalidError):
            self.book.approvals.rule_set("ledger.entry.post\0x", "manager")
        with self.assertRaises(bo.NotFoundError):
            self.book.approvals.last()

    def test_reject_override_expire_conflicts(self):
        self.book.approvals.rule_set("ledger.entry.post", "manager", min_amount=1)
        with self.open("carl") as carl, self.open("mia") as mia:
            for _ in range(2):
                with self.assertRaises(bo.PendingError):
                    carl.ledger.post(make_entry("2026-01-05", [("1000", 5), ("3000", -5)]))
            first, second = [r["id"] for r in self.book.approvals.requests("pending")]
            mia.approvals.reject(first, "no")
            self.assertEqual([d["decision"] for d in self.book.approvals.decisions(first)],
                             ["reject"])
            self.assertGreater(self.book.approvals.override(second, "urgent"), 0)
            self.assertEqual(self.balance(), 5)
        self.assertEqual(self.book.approvals.expire(), 0)
        self.assertGreaterEqual(len(list(self.book.approvals.commands())), 2)
        self.book.approvals.conflict_add("clerk", "viewer")
        with self.assertRaises(bo.DeniedError):
            self.book.security.role_grant("carl", "viewer")
        self.assertEqual(list(self.book.approvals.conflicts()), [])
        self.book.approvals.rule_remove("ledger.entry.post")


PACK = os.path.join(os.path.dirname(__file__), "..", "..", "..", "data",
                    "payroll", "generic.yaml")
KEY = bytes(range(32))


class AccessMatrixTest(Fixture):
    """Every approvable command x maker x approver: nothing executes without
    its approval, nobody approves their own command."""

    COMMANDS = ("role.grant", "ledger.entry.post", "billing.payment.post",
                "billing.credit_note.post", "inventory.stock.adjust",
                "inventory.sale.return", "inventory.sale.discount", "payroll.run.post",
                "payroll.terms.set", "payroll.bank_account.set")

    def setUp(self):
        super().setUp()
        b = self.book
        for code, name, kind in (("1200", "Inventory", "asset"), ("1210", "Receivables", "asset"),
                                 ("2050", "GRNI", "liability"), ("5300", "COGS", "expense"),
                                 ("5400", "Shrinkage", "expense"), ("2100", "Net pay", "liability"),
                                 ("2210", "Tax", "liability"), ("2220", "Pension", "liability"),
                                 ("5100", "Wages", "expense"), ("5200", "Employer", "expense")):
            b.ledger.account_add(code, name, kind)
        for k, v in (("account.inventory", "1200"), ("account.cogs", "5300"),
                     ("account.grni", "2050"), ("account.adjustments", "5400"),
                     ("account.revenue", "4000"), ("payment.cash", "1000")):
            b.inventory.setting_set(k, v)
        b.inventory.location_add("S1", "Store")
        b.inventory.item_add("A", "Widget")
        b.inventory.receive("A", "S1", 100, 10000, "2026-01-02", key="r1")
        sale = bo.Sale("2026-01-03", "till")
        sale.set_key("s1")
        sale.line("A", "S1", 40, 500)
        sale.payment("cash", 20000)
        self.sale = b.inventory.sale_post(sale)
        b.commerce.party_add("V1", "Vendor", bo.PARTY_VENDOR)
        b.commerce.party_add("C1", "Customer", bo.PARTY_CUSTOMER)
        b.billing.setting_set("receivable_account", "1210")
        b.billing.setting_set("payable_account", "2000")
        b.documents.set_key(KEY)
        with open(PACK, "rb") as f:
            b.payroll.pack_load(f.read(), "generic.yaml")
        b.payroll.employee_add("E1", "Worker", "2023-01-01")
        b.payroll.terms_set("E1", "2024-01-01", "salary", 300000, bo.PAYROLL_MONTHLY)
        # Twelve approved runs, one a month of 2024, made before the rules.
        self.runs = []
        for m in range(12):
            start = "2024-%02d-01" % (m + 1)
            end = "2024-%02d-28" % (m + 1)
            run = b.payroll.run_create("run-%d" % m, "generic", bo.PAYROLL_MONTHLY,
                                       start, end, end)
            b.payroll.run_calculate(run)
            b.payroll.run_approve(run)
            self.runs.append(run)
        perms = ("ledger.read,ledger.post,book.admin,approval.read,inventory.read,"
                 "inventory.write,sales.post,billing.read,billing.post,payroll.read,"
                 "payroll.write,payroll.approve")
        b.security.role_define("clerk", perms)
        b.security.role_define("manager", perms)

    def make(self, handle, command, n):
        key = "m%d" % n
        if command == "role.grant":
            handle.security.role_grant("new%d" % n, "extra")
        elif command == "ledger.entry.post":
            handle.ledger.post(make_entry("2026-01-05", [("1000", 7), ("3000", -7)], key=key))
        elif command == "billing.payment.post":
            pay = bo.Payment(bo.PAYMENT_MADE, "V1", "2026-01-05", 700, None, "1100")
            pay.set_key(key)
            handle.billing.payment_post(pay)
        elif command == "billing.credit_note.post":
            note = bo.Invoice(bo.INVOICE_SALES_CREDIT, "C1", "2026-01-05")
            note.line("4000", "goods back", 1000, 1500, 0, None)
            handle.billing.invoice_post(handle.billing.invoice_save(note), "2026-01-06")
        elif command == "inventory.stock.adjust":
            handle.inventory.adjust("A", "S1", -1, -1, "2026-01-05", "breakage", key=key)
        elif command == "inventory.sale.return":
            handle.inventory.sale_return(self.sale, 1, 1, "2026-01-06", "cash", key=key)
        elif command == "inventory.sale.discount":
            sale = bo.Sale("2026-01-06", "till")
            sale.set_key(key)
            sale.line("A", "S1", 1, 500, 100)  # 20% off
            sale.payment("cash", 400)
            handle.inventory.sale_post(sale)
        elif command == "payroll.run.post":
            handle.payroll.run_post(self.runs[(n - 1) % 12])
        elif command == "payroll.terms.set":
            handle.payroll.terms_set("E1", "2025-01-01", "salary", 400000 + n,
                                     bo.PAYROLL_MONTHLY)
        else:
            handle.payroll.employee_set("E1", "bank_account", "ACC-%d" % n)

    def effect(self, command, n):
        """What the command changes, read back."""
        b = self.book
        if command == "role.grant":
            return sum(r["actor"] == "new%d" % n for r in b.security.role_list())
        if command == "ledger.entry.post":
            return self.balance("1000")
        if command == "billing.payment.post":
            return b.ledger.balance("1100", bo.date_parse("2030-01-01"))
        if command == "billing.credit_note.post":
            return b.ledger.balance("1210", bo.date_parse("2030-01-01"))
        if command == "payroll.run.post":
            return b.payroll.run_state(self.runs[(n - 1) % 12])
        if command == "payroll.terms.set":
            return len(list(b.payroll.terms("E1")))
        if command == "payroll.bank_account.set":
            return list(b.payroll.employee_get("E1"))[0]["bank_account"]
        return b.inventory.stock("A", "S1")

    def test_matrix(self):
        n = executed = 0
        for command in self.COMMANDS:
            self.book.approvals.rule_set(command, "manager")
            for maker in ("carl", "mia"):
                for approver in ("carl", "cleo", "mia", "mike", "vic", "stranger"):
                    n += 1
                    with self.open(maker) as m, self.open(approver) as a:
                        m.documents.set_key(KEY)
                        a.documents.set_key(KEY)
                        before = self.effect(command, n)
                        with self.assertRaises(bo.PendingError):
                            self.make(m, command, n)
                        rid = m.approvals.last()
                        self.assertEqual(self.effect(command, n), before)
                        allowed = approver != maker and ACTORS.get(approver) == "manager"
                        if allowed:
                            a.approvals.approve(rid)
                            self.assertNotEqual(self.effect(command, n), before,
                                                (command, maker, approver))
                            executed += 1
                        else:
                            with self.assertRaises(bo.DeniedError):
                                a.approvals.approve(rid)
                            self.assertEqual(self.effect(command, n), before)
            self.book.approvals.rule_remove(command)
        self.assertEqual(executed, 3 * len(self.COMMANDS))
        known = {r["command"] for r in self.book.approvals.commands()}
        self.assertEqual(known, set(self.COMMANDS))  # every approvable command


if __name__ == "__main__":
    unittest.main()
