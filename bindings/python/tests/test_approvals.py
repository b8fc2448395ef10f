"""Approvals through the Python module: rules, pending commands, decisions,
and the access matrix of every approvable command x maker x approver."""

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


class AccessMatrixTest(Fixture):
    """Every approvable command x maker x approver: nothing executes without
    its approval, nobody approves their own command."""

    def make(self, handle, command, n):
        if command == "ledger.entry.post":
            handle.ledger.post(make_entry("2026-01-05", [("1000", 7), ("3000", -7)],
                                   key="m%d" % n))
        else:
            handle.security.role_grant("new%d" % n, "extra")

    def executed(self, command, n):
        if command == "ledger.entry.post":
            rows = self.book.approvals.requests()
            return any(r["key"] == "m%d" % n and r["status"] == "executed" for r in rows) \
                and self.balance() == 7 * self.posted
        return any(r["actor"] == "new%d" % n for r in self.book.security.role_list())

    def test_matrix(self):
        n = 0
        self.posted = 0
        for command in ("ledger.entry.post", "role.grant"):
            self.book.approvals.rule_set(command, "manager")
            for maker in ("carl", "mia"):
                for approver in ("carl", "cleo", "mia", "mike", "vic", "stranger"):
                    n += 1
                    with self.open(maker) as m, self.open(approver) as a:
                        with self.assertRaises(bo.PendingError):
                            self.make(m, command, n)
                        rid = m.approvals.last()
                        self.assertFalse(self.executed(command, n))
                        allowed = approver != maker and ACTORS.get(approver) == "manager"
                        if allowed:
                            a.approvals.approve(rid)
                            self.posted += command == "ledger.entry.post"
                            self.assertTrue(self.executed(command, n), (command, maker, approver))
                        else:
                            with self.assertRaises(bo.DeniedError):
                                a.approvals.approve(rid)
                            self.assertFalse(self.executed(command, n))


if __name__ == "__main__":
    unittest.main()
