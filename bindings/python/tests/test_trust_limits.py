"""The limits of the input readers through the Python module: a rule pack
nested too deep, a 100,000-level one, a bank statement nested 100,000 deep
and a CSV mapping nested too deep raise LimitError naming the position,
and change nothing."""

import backoffice as bo
from bo_support import BookTestCase

HEAD = 'pack: t\ncurrency: USD\naccounts:\n  net_pay: "2100"\n'


def pack(expr):
    """A one-component pack whose expression is on line 9 from column 12."""
    return (HEAD + 'components:\n  - name: x\n    kind: earning\n'
            '    account: "5000"\n    expr: "%s"\n' % expr)


def nested(levels, inner="base_salary"):
    return "(" * levels + inner + ")" * levels


class TrustLimitsTest(BookTestCase):
    def test_deep_pack_check(self):
        with self.assertRaises(bo.LimitError) as cm:
            bo.pay_pack_check(pack(nested(bo.PAYROLL_EXPR_DEPTH_MAX + 1)), "t.yaml")
        self.assertIn("t.yaml:9:%d: component 'x': the expression nests deeper "
                      "than 64 levels" % (12 + bo.PAYROLL_EXPR_DEPTH_MAX),
                      str(cm.exception))
        self.assertEqual(cm.exception.code, bo.ELIMIT)
        with self.assertRaises(bo.LimitError) as cm:
            bo.pay_pack_check(pack("-" * 30000 + "1"), "t.yaml")
        self.assertIn("t.yaml:9:12: component 'x': the expression is 30001 bytes",
                      str(cm.exception))
        bo.pay_pack_check(pack(nested(bo.PAYROLL_EXPR_DEPTH_MAX)), "t.yaml")

    def test_deep_pack_load_changes_nothing(self):
        b = self.book
        b.pay_pack_load(pack("base_salary * 2"), "t.yaml")
        before = b.pay_packs().fetchall()
        for expr in (nested(bo.PAYROLL_EXPR_DEPTH_MAX + 1), nested(100000),
                     "1" + " + 1" * 200000):
            with self.assertRaises(bo.LimitError) as cm:
                b.pay_pack_load(pack(expr), "t.yaml")
            self.assertIn("t.yaml:9:", str(cm.exception))
            self.assertEqual(b.pay_packs().fetchall(), before)
        self.assertEqual(b.pay_pack_eval("t", "base_salary=10", "x"), 20)

    def test_deep_statements(self):
        b = self.book
        with self.assertRaises(bo.LimitError) as cm:
            b.bank_import("1100", "camt053", "<a>\n" * 100000 + "</a>\n" * 100000)
        self.assertIn("line 33, column 1: elements nested deeper than 32 levels",
                      str(cm.exception))
        with self.assertRaises(bo.LimitError) as cm:
            b.bank_import("1100", "csv", "2026-03-02,1.00\n",
                          "[" * 100000 + "]" * 100000)
        self.assertIn("mapping:1:65: nesting deeper than 64 levels", str(cm.exception))
        self.assertEqual(b.bank_statements("1100").fetchall(), [])


if __name__ == "__main__":
    import unittest
    unittest.main()
