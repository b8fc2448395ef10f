"""The roster's gaps through the Python module: unavailability refused with
its own rule, the understaffing report, an open shift claimed, a swap
accepted by the colleague and approved by a manager."""

import os
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

    def test_store_manager_sees_only_her_store(self):
        """A role granted at S1 only: S1's shifts listed, S2's refused
        naming the store."""
        b = self.book
        b.people.shift_assign("E1", "2026-03-05", "DAY", "S1", "cashier")
        b.people.shift_assign("E2", "2026-03-05", "DAY", "S2", "cashier")
        b.security.role_define("manager", "people.read people.write people.approve")
        b.security.role_grant_location("mara", "manager", "S1")
        self.assertEqual([r["location"] for r in b.security.role_list()
                          if r["actor"] == "mara"], ["S1"])
        with self.assertRaises(bo.InvalidError):
            b.security.role_grant_location("mara", "manager", "S\x001")
        with self.open("mara") as mara:
            p = mara.people
            rows = p.shifts(None, "2026-03-01", "2026-03-31").fetchall()
            self.assertEqual([r["location"] for r in rows], ["S1"])
            with self.assertRaises(bo.DeniedError) as cm:
                p.shifts("S2", "2026-03-01", "2026-03-31")
            self.assertIn("S2", str(cm.exception))
            with self.assertRaises(bo.DeniedError):
                p.shift_assign("E1", "2026-03-06", "DAY", "S2", "cashier")
            p.shift_assign("E1", "2026-03-06", "DAY", "S1", "cashier")
        self.assertEqual(len(b.people.shifts("S2", "2026-03-01", "2026-03-31").fetchall()), 1)

    def test_keys_answer_the_first(self):
        """The same key again answers the first id; other content under it
        is refused naming the key."""
        p = self.book.people
        u = p.unavailable_add("E1", "2026-03-03T08:00", "2026-03-03T12:00", key="u-1")
        self.assertEqual(p.unavailable_add("E1", "2026-03-03T08:00", "2026-03-03T12:00",
                                           key="u-1"), u)
        with self.assertRaises(bo.Error) as cm:
            p.unavailable_add("E2", "2026-03-03T08:00", "2026-03-03T12:00", key="u-1")
        self.assertEqual(cm.exception.code, bo.EKEYREUSE)
        self.assertIn("u-1", str(cm.exception))
        self.assertEqual(len(p.unavailability(None, "2026-03-01", "2026-03-31").fetchall()), 1)
        o = p.open_shift_add("2026-03-05", "DAY", "S1", "cashier", key="o-1")
        self.assertEqual(p.open_shift_add("2026-03-05", "DAY", "S1", "cashier", key="o-1"), o)
        with self.assertRaises(bo.Error) as cm:
            p.open_shift_add("2026-03-05", "DAY", "S2", "cashier", key="o-1")
        self.assertEqual(cm.exception.code, bo.EKEYREUSE)
        sid = p.open_shift_claim(o, "E1")
        w = p.swap_propose(sid, "E2", key="w-1")
        self.assertEqual(p.swap_propose(sid, "E2", key="w-1"), w)
        self.assertEqual(len(p.swaps("2026-03-01", "2026-03-31").fetchall()), 1)
        with self.assertRaises(bo.Error):
            p.swap_propose(sid, "E2", key="w\x00")

    def test_access_matrix(self):
        """Every roster call refused to a cashier and to an actor with no
        role, naming no employee."""
        b = self.book
        b.security.role_define("cashier", "ledger.read sales.post payroll.read")
        b.security.role_grant("cashier", "cashier")
        calls = [
            lambda p: p.unavailable_add("E1", "2026-03-03T08:00", "2026-03-03T12:00"),
            lambda p: p.unavailable_add("E1", "2026-03-03T08:00", "2026-03-03T12:00", key="k"),
            lambda p: p.unavailability(None, "2026-03-01", "2026-03-31"),
            lambda p: p.headcount_set("S1", "cashier", 1, "08:00", "09:00", 1),
            lambda p: p.understaffed("S1", "2026-03-01", "2026-03-31"),
            lambda p: p.open_shift_add("2026-03-05", "DAY", "S1", "cashier"),
            lambda p: p.open_shift_add("2026-03-05", "DAY", "S1", "cashier", key="k"),
            lambda p: p.open_shift_claim(1, "E1"),
            lambda p: p.open_shifts(None, "2026-03-01", "2026-03-31"),
            lambda p: p.swap_propose(1, "E2"),
            lambda p: p.swap_propose(1, "E2", key="k"),
            lambda p: p.swap_accept(1),
            lambda p: p.swap_decide(1),
            lambda p: p.swaps("2026-03-01", "2026-03-31"),
        ]
        for actor in ("cashier", "nobody"):
            with self.open(actor) as h:
                for i, call in enumerate(calls):
                    with self.assertRaises(bo.DeniedError, msg="%s %d" % (actor, i)) as cm:
                        call(h.people)
                    self.assertNotIn("Ayu", str(cm.exception))
                with self.assertRaises(bo.DeniedError):
                    h.security.role_grant_location(actor, "cashier", "S1")

    def test_icalendar(self):
        """The roster exported as .ics, read back with plain line parsing."""
        p = self.book.people
        p.shift_type_add("NIGHT", "18:00", "07:00")
        p.shift_assign("E1", "2026-03-02", "NIGHT", "S1", "cashier")
        p.roster_publish("S1", "2026-03-01", "2026-03-31")
        out = os.path.join(self.dir, "roster.ics")
        p.roster_export_ics("E1", "2026-03-01", "2026-03-31", out)
        with open(out, encoding="utf-8") as f:
            lines = f.read().replace("\r\n ", "").splitlines()
        events = [i for i, line in enumerate(lines) if line == "BEGIN:VEVENT"]
        self.assertEqual(len(events), 1)
        props = dict(line.split(":", 1) for line in lines[events[0] + 1:]
                     if ":" in line and not line.startswith("END"))
        self.assertEqual(props["DTSTART"], "20260302T180000")
        self.assertEqual(props["DTEND"], "20260303T070000")
        self.assertEqual(props["SUMMARY"], "NIGHT at S1 (cashier)")
        self.assertEqual(props["STATUS"], "CONFIRMED")
        p.holiday_add("default", "2026-03-19", "Nyepi")
        hol = os.path.join(self.dir, "holidays.ics")
        p.holidays_export_ics("default", "2026-01-01", "2026-12-31", hol)
        self.assertEqual(p.holidays_import_ics("COPY", hol), 1)
        self.assertEqual(p.holidays("COPY", "2026-01-01", "2026-12-31").fetchall()[0]["name"],
                         "Nyepi")
        with self.assertRaises(bo.InvalidError):
            p.holidays_import_ics("COPY", out + "\0x")


if __name__ == "__main__":
    unittest.main()
