"""People through the Python module: every method of book.people, the
night shift whose check-out belongs to its first day, the leave ledger,
and the access matrix."""

import unittest

import backoffice as bo
from bo_support import BookTestCase


class PeopleTest(BookTestCase):
    def setUp(self):
        super().setUp()
        b = self.book
        b.payroll.employee_add("E1", "Ayu", "2020-01-01")
        b.payroll.employee_add("E2", "Budi", "2020-01-01")
        p = b.people
        p.shift_type_add("NIGHT", "18:00", "07:00", break_minutes=60, grace_late=5)
        p.shift_type_add("DAY", "09:00", "17:00", 0, 5, 5)

    def test_night_shift_and_attendance(self):
        p = self.book.people
        night = p.shift_assign("E1", "2026-03-02", "NIGHT", "S1", "cashier")
        self.assertGreater(night, 0)
        self.assertEqual(p.shift_repeat("E1", "DAY", "S1", "cashier", "2026-03-03",
                                        "2026-03-03", 0x7f, 1), 1)
        self.assertEqual(p.roster_publish("S1", "2026-03-01", "2026-03-31"), 2)
        self.assertEqual(len(p.shifts("S1", "2026-03-01", "2026-03-31").fetchall()), 2)
        for i, at in enumerate(["2026-03-02T17:55", "2026-03-03T07:05",
                                "2026-03-03T08:55", "2026-03-03T17:02"]):
            self.assertGreater(p.punch("E1", at, bo.PEOPLE_PUNCH_ANY, "py-%d" % i), 0)
        self.assertEqual(p.attendance_run("2026-03-02", "2026-03-03", "2026-03-04T00:00"), 2)
        rows = p.attendance("E1", "2026-03-02", "2026-03-03").fetchall()
        self.assertEqual([r["status"] for r in rows], ["present", "present"])
        self.assertEqual(rows[0]["check_out"], rows[0]["check_in"] + 13 * 60 + 10)
        self.assertEqual(p.attendance_post("2026-03-01", "2026-03-31"), 2)
        hours = self.book.payroll.time("E1", "2026-03-01", "2026-03-31").fetchall()
        self.assertEqual(sum(r["minutes"] for r in hours if r["type"] == "overtime"), 17)

    def test_rules_and_holidays(self):
        p = self.book.people
        p.limit_set("rest", 660)
        p.holiday_add("default", "2026-03-19", "Nyepi")
        self.assertEqual(len(p.holidays("default", "2026-01-01", "2026-12-31").fetchall()), 1)
        self.assertEqual(p.shift_check("E1", "2026-03-19", "DAY", "S1"), bo.PEOPLE_RULE_HOLIDAY)
        p.shift_assign("E1", "2026-03-02", "NIGHT", "S1", "cashier")
        with self.assertRaises(bo.StateError) as cm:
            p.shift_assign("E1", "2026-03-03", "DAY", "S1", "cashier")
        self.assertTrue(str(cm.exception).startswith("rest:"))
        self.assertEqual(len(p.shift_types().fetchall()), 2)

    def test_leave(self):
        p = self.book.people
        p.leave_policy_add("P12", bo.PEOPLE_ACCRUE_YEARLY, 1200, 0, 1200, 3)
        p.leave_entitle("E1", "P12", "2024-01-01")
        p.leave_decide(p.leave_request("E1", "P12", "2024-06-03", "2024-06-03"))
        p.leave_decide(p.leave_request("E1", "P12", "2025-01-06", "2025-01-17", 0, "py-leave"))
        self.assertEqual(p.leave_balance("E1", "P12", "2025-04-01"), 1100)
        self.assertEqual(p.leave_expired("E1", "P12", "2025-04-01"), 0)
        p.leave_collective("P12", "2025-12-24", 100)
        self.assertEqual(p.leave_balance("E1", "P12", "2025-12-31"), 1000)
        self.assertEqual(len(p.leave_requests("E1").fetchall()), 2)
        with self.assertRaises(bo.InvalidError):
            p.leave_request("E1", "P12", "2025-02-02", "2025-02-03", 1)
        with self.assertRaises(bo.InvalidError):
            p.punch("E1", "2025-02-02T09:00", 0, "a\0b")

    def test_access_matrix(self):
        b = self.book
        b.role_define("cashier", "ledger.read sales.post payroll.read")
        b.role_grant("cashier", "cashier")
        calls = [
            lambda h: h.people.shift_types(),
            lambda h: h.people.shifts(None, "2026-01-01", "2026-01-31"),
            lambda h: h.people.attendance(None, "2026-01-01", "2026-01-31"),
            lambda h: h.people.holidays("default", "2026-01-01", "2026-01-31"),
            lambda h: h.people.leave_requests(),
            lambda h: h.people.shift_check("E1", "2026-01-05", "DAY", "S1"),
            lambda h: h.people.shift_assign("E1", "2026-01-05", "DAY", "S1", "x"),
            lambda h: h.people.punch("E1", "2026-01-05T09:00", 0, "k"),
            lambda h: h.people.attendance_run("2026-01-01", "2026-01-31"),
            lambda h: h.people.limit_set("rest", 600),
        ]
        for actor in ("cashier", "nobody"):
            h = self.open(actor)
            try:
                for i, call in enumerate(calls):
                    with self.assertRaises(bo.DeniedError, msg="%s %d" % (actor, i)) as cm:
                        call(h)
                    self.assertNotIn("Ayu", str(cm.exception))
            finally:
                h.close()


if __name__ == "__main__":
    unittest.main()
