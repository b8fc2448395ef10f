"""The roster's gaps through the Python module: unavailability refused with
its own rule, the understaffing report, an open shift claimed, a swap
accepted by the colleague and approved by a manager."""

import unittest

import backoffice as bo
from bo_support import BookTestCase


class RosterTest(BookTestCase):
    def setUp(self):
        super().setUp()
        b = self.book
        for number, name in (("E1", "Ayu"), ("E2", "Budi")):
            b.payroll.employee_add(number, name, "2020-01-01")
        b.people.shift_type_add("DAY", "09:00", "17:00")

    def test_unavailability_and_headcount(self):
        p = self.book.people
        self.assertGreater(p.unavailable_add("E1", "2026-03-03T08:00", "2026-03-03T12:00"), 0)
        with self.assertRaises(bo.StateError) as cm:
            p.shift_assign("E1", "2026-03-03", "DAY", "S1", "cashier")
        self.assertTrue(str(cm.exception).startswith("unavailable:"))
        self.assertEqual(p.shift_check("E1", "2026-03-03", "DAY", "S1"),
                         bo.PEOPLE_RULE_UNAVAILABLE)
        rows = p.unavailability("E1", "2026-03-01", "2026-03-31").fetchall()
        self.assertEqual(rows[0]["until"], "2026-03-03T12:00")
        p.headcount_set("S1", "cashier", 0x1f, "08:00", "18:00", 1)
        p.shift_assign("E2", "2026-03-03", "DAY", "S1", "cashier")
        short = p.understaffed("S1", "2026-03-03", "2026-03-03").fetchall()
        self.assertEqual([r["hour"] for r in short], ["08:00", "17:00"])
        self.assertEqual(short[0]["missing"], 1)

    def test_open_shift_and_swap(self):
        p = self.book.people
        o = p.open_shift_add("2026-03-05", "DAY", "S1", "cashier")
        sid = p.open_shift_claim(o, "E1")
        self.assertEqual(p.open_shifts("S1", "2026-03-01", "2026-03-31").fetchall()[0]
                         ["claimed_by"], "E1")
        w = p.swap_propose(sid, "E2")
        with self.assertRaises(bo.StateError):
            p.swap_decide(w)
        p.swap_accept(w)
        p.swap_decide(w)
        self.assertEqual(p.shifts("S1", "2026-03-05", "2026-03-05").fetchall()[0]["employee"],
                         "E2")
        self.assertEqual(p.swaps("2026-03-01", "2026-03-31").fetchall()[0]["status"],
                         "approved")


if __name__ == "__main__":
    unittest.main()
