"""Module functions: money, dates, errors; exact int64 through the ledger."""

import unittest

import backoffice as bo
from bo_support import INT64_MAX, INT64_MIN, BookTestCase, make_entry

TWO53 = 2**53


class MoneyTest(unittest.TestCase):
    def test_int64_exact(self):
        self.assertEqual(bo.money_add(TWO53, 1), TWO53 + 1)
        self.assertEqual(bo.money_add(INT64_MAX, 0), INT64_MAX)
        self.assertEqual(bo.money_sub(INT64_MIN + 1, 1), INT64_MIN)
        self.assertEqual(bo.money_neg(-INT64_MAX), INT64_MAX)
        self.assertIsInstance(bo.money_add(1, 2), int)

    def test_overflow_raises(self):
        with self.assertRaises(bo.AmountOverflowError) as cm:
            bo.money_add(INT64_MAX, 1)
        self.assertEqual(cm.exception.code, bo.EOVERFLOW)
        self.assertIsInstance(cm.exception, OverflowError)
        with self.assertRaises(bo.AmountOverflowError):
            bo.money_neg(INT64_MIN)
        with self.assertRaises(bo.AmountOverflowError):
            bo.money_muldiv(INT64_MAX, 2, 1, bo.ROUND_HALF_EVEN)

    def test_out_of_range_argument_raises(self):
        with self.assertRaises(bo.AmountOverflowError):
            bo.money_add(2**63, 0)
        with self.assertRaises(bo.AmountOverflowError):
            bo.money_add(0, INT64_MIN - 1)
        with self.assertRaises(TypeError):
            bo.money_add(1.0, 2)

    def test_split_sums_to_the_whole(self):
        self.assertEqual(bo.money_split(100, [1, 1, 1]), [34, 33, 33])
        self.assertEqual(bo.money_split(-100, (1, 1, 1)), [-34, -33, -33])
        parts = bo.money_split(1001, [5, 3, 2])
        self.assertEqual(sum(parts), 1001)
        self.assertEqual(len(parts), 3)
        self.assertEqual(bo.money_split(INT64_MAX, [1, 1]), [INT64_MAX // 2 + 1, INT64_MAX // 2])
        with self.assertRaises(bo.InvalidError):
            bo.money_split(100, [])
        with self.assertRaises(bo.InvalidError):
            bo.money_split(100, [0, 0])
        with self.assertRaises(bo.InvalidError):
            bo.money_split(100, [1, -1])
        with self.assertRaises(TypeError):
            bo.money_split(100, 3)

    def test_muldiv_and_rescale_round(self):
        self.assertEqual(bo.money_muldiv(1005, 1, 10, bo.ROUND_HALF_EVEN), 100)
        self.assertEqual(bo.money_muldiv(1005, 1, 10, bo.ROUND_HALF_UP), 101)
        self.assertEqual(bo.money_rescale(125, 2, 1, bo.ROUND_HALF_EVEN), 12)
        self.assertEqual(bo.money_rescale(12, 0, 2, bo.ROUND_HALF_EVEN), 1200)
        with self.assertRaises(bo.InvalidError):
            bo.money_muldiv(1, 1, 0, bo.ROUND_HALF_EVEN)

    def test_parse_and_format(self):
        self.assertEqual(bo.money_parse("-1234.50", "USD"), -123450)
        self.assertEqual(bo.money_parse("12", "JPY"), 12)
        self.assertEqual(bo.money_format(-123450, "USD"), "-1234.50")
        self.assertEqual(bo.money_format(INT64_MAX, "USD"), "92233720368547758.07")
        with self.assertRaises(bo.InvalidError) as cm:
            bo.money_parse("1.234", "USD")
        self.assertIn("1.234", str(cm.exception))
        with self.assertRaises(bo.CurrencyError):
            bo.money_format(1, "XXXX9")

    def test_currencies(self):
        self.assertEqual(bo.currency_exponent("USD"), 2)
        self.assertEqual(bo.currency_exponent("JPY"), 0)
        bo.currency_register("PTS", 3)
        self.assertEqual(bo.currency_exponent("PTS"), 3)
        with self.assertRaises(bo.CurrencyError) as cm:
            bo.currency_exponent("??")
        self.assertEqual(cm.exception.code, bo.ECURRENCY)


class DateFunctionTest(unittest.TestCase):
    def test_parse_format_and_arithmetic(self):
        day = bo.date_parse("2026-01-31")
        self.assertIsInstance(day, int)
        self.assertEqual(bo.date_parse("1970-01-01"), 0)
        self.assertEqual(bo.date_format(day), "2026-01-31")
        self.assertEqual(bo.date_format("2026-01-31"), "2026-01-31")
        self.assertEqual(bo.date_to_ymd(day), (2026, 1, 31))
        self.assertEqual(bo.date_format(bo.date_add_months(day, 1)), "2026-02-28")
        self.assertEqual(bo.date_from_ymd(1, 1, 1), bo.DATE_MIN)
        self.assertEqual(bo.date_from_ymd(9999, 12, 31), bo.DATE_MAX)
        self.assertIsInstance(bo.date_today(), int)

    def test_bad_dates_raise(self):
        with self.assertRaises(bo.InvalidError):
            bo.date_parse("2026-13-01")
        with self.assertRaises(bo.InvalidError):
            bo.date_from_ymd(2026, 2, 29)
        with self.assertRaises(bo.InvalidError):
            bo.date_format(bo.DATE_MAX + 1)
        with self.assertRaises(bo.InvalidError):
            bo.date_format(2**40)


class ErrorTest(unittest.TestCase):
    def test_every_code_has_a_class(self):
        for code in range(bo.ERROR, bo.EUNIT - 1, -1):
            classes = [getattr(bo, n) for n in dir(bo)
                       if isinstance(getattr(bo, n), type)
                       and issubclass(getattr(bo, n), bo.Error)
                       and getattr(bo, n) is not bo.Error
                       and getattr(bo, n).code == code]
            self.assertEqual(len(classes), 1, "code %d" % code)
            self.assertEqual(classes[0].name, bo.error_name(code))

    def test_error_names(self):
        self.assertEqual(bo.error_name(bo.OK), bo.error_name(0))
        self.assertTrue(bo.error_name(bo.EUNBALANCED))
        self.assertEqual(bo.account_type_parse("income"), bo.ACCOUNT_INCOME)
        self.assertEqual(bo.account_type_name(bo.ACCOUNT_ASSET), "asset")
        self.assertIsNone(bo.account_type_name(99))
        with self.assertRaises(bo.InvalidError):
            bo.account_type_parse("gizmo")
        self.assertEqual(bo.error_code_last(), bo.EINVAL)


class LedgerInt64Test(BookTestCase):
    def test_balances_are_exact(self):
        self.sale(TWO53 + 1)
        self.assertEqual(self.book.balance("1000", "2026-12-31"), TWO53 + 1)
        self.assertEqual(self.book.balance("4000", "2026-12-31"), -(TWO53 + 1))
        rows = {r["code"]: r for r in self.book.trial_balance("2026-12-31")}
        self.assertEqual(rows["1000"]["debit"], TWO53 + 1)

    def test_int64_max_balance_and_overflow(self):
        self.book.post(make_entry("2026-01-15", [("1100", INT64_MAX), ("3000", -INT64_MAX)]))
        self.assertEqual(self.book.balance("1100", "2026-12-31"), INT64_MAX)
        self.assertEqual(self.book.balance("3000", "2026-12-31"), -INT64_MAX)
        # One more unit: the library refuses it when posting or when summing,
        # never wraps.
        try:
            self.book.post(make_entry("2026-01-16", [("1100", 1), ("3000", -1)]))
        except bo.AmountOverflowError as err:
            self.assertEqual(err.code, bo.EOVERFLOW)
            self.assertEqual(self.book.balance("1100", "2026-12-31"), INT64_MAX)
        else:
            with self.assertRaises(bo.AmountOverflowError):
                self.book.balance("1100", "2026-12-31")

    def test_entry_amount_out_of_range_raises(self):
        entry = bo.Entry("2026-01-15")
        with self.assertRaises(bo.AmountOverflowError):
            entry.add("1000", 2**63)
        self.assertEqual(entry.count(), 0)


if __name__ == "__main__":
    unittest.main()
