"""Recruitment and reviews through the Python module: every new method of
book.people, the JSON export read back with the json module, the purge
after which the applicant's name is nowhere in the book's file, the exact
weighted review score, and the access matrix (a store manager never sees
an applicant)."""

import base64
import json
import os
import unittest

import backoffice as bo
from bo_support import BookTestCase

NAME = "Sekar Wulandari"
EMAIL = "sekar.wulandari@example.org"


class RecruitTest(BookTestCase):
    def setUp(self):
        super().setUp()
        p = self.book.people
        p.stage_set("screen", "Screening", 10)
        p.stage_set("interview", "Interview", 20)
        p.opening_add("CASHIER", "Cashier", "S1", "cashier", "2026-02-01")

    def apply(self, name=NAME, email=EMAIL, key=None):
        return self.book.people.applicant_add("CASHIER", name, email, "I agree",
                                              "2026-02-10", "+62 361 1", 0, key)

    def attach(self, applicant, text, filename):
        with bo.Doc("application_form", "CV", "2026-02-10") as d:
            doc = self.book.doc_create(d)
        self.book.doc_add_bytes(doc, text, filename)
        self.book.doc_link(doc, "applicant", str(applicant))
        return doc

    def test_hire_and_stages(self):
        p = self.book.people
        a = self.apply(key="py-1")
        self.assertEqual(self.apply(key="py-1"), a)
        self.assertEqual([r["code"] for r in p.stages().fetchall()], ["screen", "interview"])
        p.applicant_move(a, "interview", "2026-02-12")
        p.applicant_hire(a, "E9", "2026-03-01")
        rows = p.applicants("CASHIER").fetchall()
        self.assertEqual((rows[0]["status"], rows[0]["employee"]), ("hired", "E9"))
        self.assertEqual(p.openings().fetchall()[0]["applicants"], 1)
        p.opening_close("CASHIER")
        with self.assertRaises(bo.StateError):
            self.apply()

    def test_export_erase_and_purge(self):
        p = self.book.people
        a = self.apply()
        self.attach(a, NAME.encode() + b" CV", "sekar_cv.txt")
        out = os.path.join(self.dir, "export.json")
        p.applicant_export(a, out)
        with open(out, encoding="utf-8") as f:
            data = json.load(f)
        self.assertEqual(data["applicant"]["email"], EMAIL)
        self.assertEqual(data["history"][0]["stage"], "screen")
        self.assertEqual(base64.b64decode(data["documents"][0]["content"]),
                         NAME.encode() + b" CV")
        p.applicant_retention_set(10)
        p.applicant_close(a, bo.PEOPLE_REJECTED, "2026-02-20")
        self.assertEqual(p.applicant_purge("2026-03-01"), 0)
        self.assertEqual(p.applicant_purge("2026-03-03"), 1)
        path = self.uri[len("sqlite:"):]
        for f in (path, path + "-wal"):
            if os.path.exists(f):
                with open(f, "rb") as fh:
                    blob = fh.read()
                self.assertNotIn(NAME.encode(), blob)
                self.assertNotIn(EMAIL.encode(), blob)
        b = self.apply("Kadek", "kadek@example.org")
        p.applicant_erase(b)
        self.assertEqual(p.applicants().fetchall()[1]["status"], "erased")
        with self.assertRaises(bo.StateError):
            p.applicant_erase(b)

    def test_review_score(self):
        p = self.book.people
        self.book.payroll.employee_add("E1", "Ayu", "2020-01-01")
        p.review_cycle_add("H1", "First half", "2026-01-01", "2026-06-30")
        for code in ("service", "speed", "teamwork"):
            p.review_criterion_add("H1", code, code.title(), 1)
        r = p.review_open("H1", "E1")
        for code, score in (("service", 400), ("speed", 400), ("teamwork", 500)):
            p.review_score(r, code, bo.PEOPLE_MANAGER, score)
        self.assertEqual(p.review_result(r, bo.PEOPLE_MANAGER), 433)
        p.review_score(r, "service", bo.PEOPLE_SELF, 500, "good month")
        with self.assertRaises(bo.StateError):
            p.review_result(r, bo.PEOPLE_SELF)
        rows = p.review_scores(r).fetchall()
        self.assertEqual(rows[0]["self_note"], "good month")
        with self.assertRaises(bo.InvalidError):
            p.review_score(r, "service", bo.PEOPLE_SELF, 501)
        with self.assertRaises(bo.InvalidError):
            p.review_score(r, "service", bo.PEOPLE_SELF, 300, "a\0b")

    def test_access_matrix(self):
        a = self.apply()
        b = self.book
        b.role_define("manager", "people.read people.write people.approve")
        b.role_grant("maria", "manager")
        calls = [
            lambda h: h.people.applicants(),
            lambda h: h.people.applicant_add("CASHIER", "X", "x@example.org", "yes",
                                             "2026-02-11"),
            lambda h: h.people.applicant_move(a, "interview", "2026-02-12"),
            lambda h: h.people.applicant_export(a, os.path.join(self.dir, "x.json")),
            lambda h: h.people.applicant_erase(a),
            lambda h: h.people.applicant_purge("2026-01-01"),
            lambda h: h.people.opening_add("X", "t", "S1", "r", "2026-01-01"),
            lambda h: h.people.stage_set("x", "X", 1),
            lambda h: h.people.review_cycle_add("H9", "x", "2026-01-01", "2026-02-01"),
        ]
        h = self.open("maria")
        try:
            self.assertEqual(len(h.people.stages().fetchall()), 2)
            for i, call in enumerate(calls):
                with self.assertRaises(bo.DeniedError, msg=str(i)) as cm:
                    call(h)
                self.assertNotIn("Sekar", str(cm.exception))
        finally:
            h.close()


if __name__ == "__main__":
    unittest.main()
