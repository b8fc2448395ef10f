"""Book, Entry and Cursor through the Python module."""

import datetime
import os
import unittest

import backoffice as bo
from bo_support import BookTestCase, make_entry

YAML = """\
book:
  name: Corner shop
  base_currency: EUR
accounts:
  - {code: "1000", name: Cash, type: asset}
  - {code: "4000", name: Sales, type: income}
"""


class OpenTest(BookTestCase):
    def test_reopen_sees_the_chart(self):
        with self.open("alice") as again:
            codes = [row["code"] for row in again.accounts()]
            self.assertEqual(codes, ["1000", "1100", "2000", "3000", "4000", "5000"])
            self.assertEqual(again.base_currency(), "USD")
            self.assertEqual(again.actor(), "alice")
            self.assertEqual(again.uri(), self.uri)
            self.assertEqual(again.depth(), 0)

    def test_missing_book_without_create_raises_not_found(self):
        uri = "sqlite:" + os.path.join(self.dir, "none.db")
        with self.assertRaises(bo.NotFoundError) as cm:
            bo.Book(uri, actor="alice", sync=bo.SYNC_OFF)
        self.assertEqual(cm.exception.code, bo.ENOTFOUND)
        self.assertTrue(str(cm.exception))

    def test_unknown_scheme_raises_driver_error(self):
        with self.assertRaises(bo.DriverError) as cm:
            bo.Book("nosuchscheme:x", actor="alice")
        self.assertEqual(cm.exception.code, bo.EDRIVER)

    def test_closed_book_raises_state_error(self):
        book = self.open("alice")
        book.close()
        with self.assertRaises(bo.StateError) as cm:
            book.balance("1000", "2026-12-31")
        self.assertEqual(cm.exception.code, bo.ESTATE)
        book.close()  # twice is fine

    def test_with_closes(self):
        with self.open("alice") as book:
            pass
        with self.assertRaises(bo.StateError):
            book.depth()

    def test_name_round_trip(self):
        self.book.set_name("Corner shop")
        self.assertEqual(self.book.name(), "Corner shop")

    def test_schema_and_version(self):
        self.assertGreater(bo.schema_version(), 0)
        self.assertEqual(bo.version_number(), bo.VERSION_NUMBER)
        self.assertEqual(bo.version(), "%d.%d.%d" % (bo.VERSION_MAJOR, bo.VERSION_MINOR,
                                                     bo.VERSION_PATCH))


class ChartTest(BookTestCase):
    def test_accounts_cursor_columns_and_values(self):
        rows = list(self.book.accounts())
        self.assertEqual(len(rows), 6)
        cash = rows[0]
        self.assertEqual(set(cash), {"code", "name", "type", "parent", "currency", "closed"})
        self.assertEqual(cash["code"], "1000")
        self.assertEqual(cash["type"], "asset")
        self.assertIsNone(cash["parent"])
        self.assertEqual(cash["currency"], "USD")
        self.assertEqual(cash["closed"], 0)

    def test_sub_account_and_duplicate(self):
        self.book.account_add("4010", "Online sales", "income", parent="4000")
        parents = {r["code"]: r["parent"] for r in self.book.accounts()}
        self.assertEqual(parents["4010"], "4000")
        with self.assertRaises(bo.ExistsError) as cm:
            self.book.account_add("1000", "Cash again", "asset")
        self.assertEqual(cm.exception.code, bo.EEXISTS)

    def test_bad_type_name_raises_invalid(self):
        with self.assertRaises(bo.InvalidError) as cm:
            self.book.account_add("9000", "Odd", "gizmo")
        self.assertEqual(cm.exception.code, bo.EINVAL)
        self.assertIsInstance(cm.exception, ValueError)

    def test_closed_account_refuses_postings(self):
        self.book.account_close("1100")
        with self.assertRaises(bo.ClosedError) as cm:
            self.book.post(make_entry("2026-01-15", [("1100", 5), ("4000", -5)]))
        self.assertEqual(cm.exception.code, bo.ECLOSED)


class PostManyTest(BookTestCase):
    def test_post_many_from_tuples_and_dicts(self):
        ids = self.book.ledger.post_many([
            ("2026-01-15", [("1000", 100), ("4000", -100)]),
            ("2026-01-16", "memo", [("1000", 20, "USD", "coins"), ("5000", -20)]),
            ("2026-01-17", "memo", "bulk-3", [("1000", 3), ("4000", -3)]),
            {"date": "2026-01-18", "key": "bulk-4",
             "postings": [{"account": "1000", "amount": 4},
                          {"account": "4000", "amount": -4, "memo": "m"}]},
            ("2026-01-17", "memo", "bulk-3", [("1000", 3), ("4000", -3)]),  # replay
        ])
        self.assertEqual(len(ids), 5)
        self.assertTrue(all(isinstance(i, int) and i > 0 for i in ids))
        self.assertEqual(ids[1], ids[0] + 1)
        self.assertEqual(ids[4], ids[2])
        self.assertEqual(self.book.ledger.balance("1000", "2026-12-31"), 127)
        self.assertEqual(self.book.ledger.post_many([]), [])

    def test_post_many_refusal_posts_nothing(self):
        with self.assertRaises(bo.NotFoundError) as cm:
            self.book.ledger.post_many([
                ("2026-01-15", [("1000", 100), ("4000", -100)]),
                ("2026-01-15", [("1000", 100), ("9999", -100)]),
            ])
        self.assertIn("entry 2: posting 2: account '9999'", cm.exception.message)
        with self.assertRaises(bo.InvalidError) as cm:
            self.book.ledger.post_many([("2026-01-15", [("1000", 0), ("4000", 0)])])
        self.assertIn("entry 1: posting 1: amount", cm.exception.message)
        with self.assertRaises(TypeError):
            self.book.ledger.post_many([("2026-01-15",)])
        with self.assertRaises(TypeError):
            self.book.ledger.post_many([("2026-01-15", [("1000",)])])
        with self.assertRaises(TypeError):
            self.book.ledger.post_many([("2026-01-15", [("1000", 1.5), ("4000", -1.5)])])
        self.assertEqual(self.book.ledger.balance("1000", "2026-12-31"), 0)


class PostTest(BookTestCase):
    def test_post_returns_id_and_moves_balances(self):
        entry_id = self.sale(1250)
        self.assertIsInstance(entry_id, int)
        self.assertGreater(entry_id, 0)
        self.assertEqual(self.book.balance("1000", "2026-12-31"), 1250)
        self.assertEqual(self.book.balance("4000", "2026-12-31"), -1250)

    def test_idempotent_replay_returns_same_id(self):
        entry = make_entry("2026-01-15", [("1000", 700), ("4000", -700)], key="till-1/0001")
        first = self.book.post(entry)
        again = self.book.post(entry)
        self.assertEqual(first, again)
        self.assertEqual(self.book.balance("1000", "2026-12-31"), 700)

    def test_key_reused_for_other_content_raises(self):
        self.sale(700, key="till-1/0002")
        with self.assertRaises(bo.KeyReuseError) as cm:
            self.sale(800, key="till-1/0002")
        self.assertEqual(cm.exception.code, bo.EKEYREUSE)

    def test_unbalanced_raises_with_code_and_message(self):
        entry = make_entry("2026-01-15", [("1000", 100), ("4000", -99)])
        with self.assertRaises(bo.UnbalancedError) as cm:
            self.book.post(entry)
        err = cm.exception
        self.assertIsInstance(err, bo.Error)
        self.assertEqual(err.code, bo.EUNBALANCED)
        self.assertEqual(err.code, -7)
        self.assertEqual(err.name, bo.error_name(-7))
        self.assertTrue(err.message)
        self.assertEqual(str(err), err.message)
        self.assertIn("USD", err.message)
        self.assertEqual(self.book.balance("1000", "2026-12-31"), 0)

    def test_unknown_account_raises_not_found(self):
        with self.assertRaises(bo.NotFoundError):
            self.book.post(make_entry("2026-01-15", [("1999", 1), ("4000", -1)]))

    def test_entry_builder(self):
        entry = bo.Entry("2026-01-15", "two lines")
        self.assertEqual(len(entry), 0)
        entry.add("1000", 5, memo="coins")
        entry.add("4000", -5, currency="USD")
        self.assertEqual(entry.count(), 2)
        with self.assertRaises(bo.InvalidError):
            entry.add("1000", 0)
        with self.assertRaises(bo.InvalidError):
            entry.set_key("")
        entry.close()
        with self.assertRaises(bo.StateError):
            entry.add("1000", 1)
        with self.assertRaises(bo.InvalidError):
            self.book.post(entry)
        with self.assertRaises(bo.InvalidError):
            self.book.post(None)
        with self.assertRaises(bo.TooLongError) as cm:
            bo.Entry("2026-01-15", "m" * (bo.TEXT_MAX + 1))
        self.assertEqual(cm.exception.code, bo.ETOOLONG)

    def test_reverse_and_entry_listing(self):
        entry_id = self.sale(300)
        reversal = self.book.reverse(entry_id, "2026-01-20", key="rev-1")
        self.assertNotEqual(reversal, entry_id)
        self.assertEqual(self.book.balance("1000", "2026-12-31"), 0)
        self.assertEqual(self.book.balance("1000", "2026-01-19"), 300)
        lines = list(self.book.entry(reversal))
        self.assertEqual(len(lines), 2)
        self.assertEqual({r["reverses"] for r in lines}, {entry_id})
        self.assertEqual(sorted(r["amount"] for r in lines), [-300, 300])
        with self.assertRaises(bo.ExistsError):
            self.book.reverse(entry_id, "2026-01-21")


class TransactionTest(BookTestCase):
    def test_commit_on_success(self):
        with self.book.transaction() as book:
            self.assertIs(book, self.book)
            self.sale(100)
            self.sale(200)
            self.assertEqual(self.book.depth(), 1)
        self.assertEqual(self.book.depth(), 0)
        self.assertEqual(self.book.balance("1000", "2026-12-31"), 300)

    def test_rollback_on_exception_leaves_nothing(self):
        class Boom(Exception):
            pass

        with self.assertRaises(Boom):
            with self.book.transaction():
                self.sale(100)
                self.book.account_add("6000", "Rent", "expense")
                raise Boom()
        self.assertEqual(self.book.depth(), 0)
        self.assertEqual(self.book.balance("1000", "2026-12-31"), 0)
        self.assertNotIn("6000", [r["code"] for r in self.book.accounts()])
        self.assertEqual(list(self.book.trial_balance("2026-12-31")), [])

    def test_library_error_rolls_back_too(self):
        with self.assertRaises(bo.UnbalancedError):
            with self.book.transaction():
                self.sale(100)
                self.book.post(make_entry("2026-01-15", [("1000", 1), ("4000", -2)]))
        self.assertEqual(self.book.balance("1000", "2026-12-31"), 0)

    def test_nested_transaction_is_a_savepoint(self):
        with self.book.transaction():
            self.sale(100)
            try:
                with self.book.transaction():
                    self.sale(50)
                    self.assertEqual(self.book.depth(), 2)
                    raise KeyError("inner")
            except KeyError:
                pass
            self.assertEqual(self.book.depth(), 1)
        self.assertEqual(self.book.balance("1000", "2026-12-31"), 100)

    def test_explicit_begin_commit_rollback(self):
        self.book.begin()
        self.sale(10)
        self.book.rollback()
        self.book.begin()
        self.sale(20)
        self.book.commit()
        self.assertEqual(self.book.balance("1000", "2026-12-31"), 20)
        with self.assertRaises(bo.StateError):
            self.book.commit()


class CursorTest(BookTestCase):
    def setUp(self):
        super().setUp()
        self.sale(1250, "2026-01-15")
        self.sale(750, "2026-02-03")
        self.book.post(make_entry("2026-02-10", [("5000", 400), ("1000", -400)], memo="rent"))

    def test_iterate_trial_balance(self):
        rows = list(self.book.trial_balance("2026-12-31"))
        self.assertEqual([r["code"] for r in rows], ["1000", "4000", "5000"])
        for r in rows:
            self.assertEqual(set(r), {"code", "name", "type", "currency", "debit", "credit"})
            self.assertIsInstance(r["debit"], int)
            self.assertIsInstance(r["name"], str)
        self.assertEqual(sum(r["debit"] for r in rows), sum(r["credit"] for r in rows))
        self.assertEqual(rows[0]["debit"], 1600)

    def test_cursor_step_api(self):
        cur = self.book.trial_balance("2026-12-31")
        self.assertEqual(cur.columns(), ["code", "name", "type", "currency", "debit", "credit"])
        self.assertEqual(cur.column_index("debit"), 4)
        self.assertEqual(cur.column_index("nope"), -1)
        self.assertTrue(cur.next())
        self.assertEqual(cur.type(0), bo.TYPE_TEXT)
        self.assertEqual(cur.type(4), bo.TYPE_INT)
        self.assertEqual(cur.text(0), "1000")
        self.assertEqual(cur.int(4), 1600)
        self.assertEqual(cur.row()["code"], "1000")
        self.assertEqual(len(cur.fetchall()), 2)
        self.assertFalse(cur.next())
        self.assertEqual(list(cur), [])
        cur.close()
        with self.assertRaises(bo.StateError):
            cur.next()

    def test_cursor_outlives_its_book(self):
        book = self.open("alice")
        cur = book.journal(None, "2026-01-01", "2026-12-31")
        book.close()
        rows = list(cur)
        self.assertEqual(len(rows), 6)
        self.assertEqual(sum(r["amount"] for r in rows), 0)

    def test_journal_running_balance(self):
        rows = list(self.book.journal("1000", "2026-01-01", "2026-12-31"))
        self.assertEqual([r["amount"] for r in rows], [1250, 750, -400])
        self.assertEqual([r["balance"] for r in rows], [1250, 2000, 1600])

    def test_statements(self):
        sheet = list(self.book.balance_sheet("2026-12-31"))
        earnings = [r for r in sheet if r["code"] is None]
        self.assertEqual(len(earnings), 1)
        self.assertEqual(earnings[0]["section"], "equity")
        self.assertEqual(earnings[0]["amount"], 1600)
        income = list(self.book.income_statement("2026-01-01", "2026-12-31"))
        self.assertEqual(income[-1]["section"], "total")
        self.assertEqual(income[-1]["amount"], 1600)


class SecurityTest(BookTestCase):
    def test_denied_actor_raises_denied_error(self):
        self.book.role_define("clerk", "ledger.read")
        self.book.role_grant("bob", "clerk")
        grants = [(r["actor"], r["role"]) for r in self.book.role_list()]
        self.assertIn(("bob", "clerk"), grants)
        with self.open("bob") as bob:
            self.assertTrue(bob.actor_can("ledger.read"))
            self.assertFalse(bob.actor_can("ledger.post"))
            self.assertEqual(bob.balance("1000", "2026-12-31"), 0)
            with self.assertRaises(bo.DeniedError) as cm:
                bob.post(make_entry("2026-01-15", [("1000", 1), ("4000", -1)]))
            self.assertEqual(cm.exception.code, bo.EDENIED)
            self.assertEqual(bob.balance("1000", "2026-12-31"), 0)
            with self.assertRaises(bo.DeniedError):
                bob.role_grant("bob", "owner")
        self.book.role_revoke("bob", "clerk")
        with self.open("bob") as bob:
            with self.assertRaises(bo.DeniedError):
                bob.balance("1000", "2026-12-31")

    def test_nobody_is_denied_everything(self):
        with bo.Book(self.uri, sync=bo.SYNC_OFF) as nobody:
            self.assertIsNone(nobody.actor())
            with self.assertRaises(bo.DeniedError):
                list(nobody.accounts())
            nobody.set_actor("alice")
            self.assertEqual(len(list(nobody.accounts())), 6)

    def test_audit_chain(self):
        self.sale(100)
        self.assertEqual(self.book.audit_verify(), 0)
        seq, digest = self.book.audit_head()
        self.assertGreater(seq, 0)
        self.assertRegex(digest, "^[0-9a-f]{64}$")
        records = list(self.book.audit_list())
        self.assertEqual(records[-1]["seq"], seq)
        self.assertEqual(records[-1]["hash"], digest)
        self.assertEqual(len(list(self.book.audit_list(seq))), 1)

    def test_audit_verify_full(self):
        self.sale(100)
        self.sale(250)
        self.assertEqual(self.book.audit_verify_full(), 0)
        self.assertEqual(self.book.audit_verify_full(chain_only=True), 0)
        self.assertEqual(list(self.book.audit_verify_list()), [])
        seq, digest = self.book.audit_head()
        self.assertEqual(self.book.audit_verify_full(anchor_seq=seq, anchor_hash=digest), 0)
        with self.assertRaises(bo.InvalidError):
            self.book.audit_verify_full(anchor_seq=seq, anchor_hash="not hex")
        with self.assertRaises(bo.InvalidError):
            list(self.book.audit_verify_list(max_findings=0))
        # A posting's amount changed outside the library: the chain alone
        # still holds, the full verification names the posting.
        import sqlite3
        db = sqlite3.connect(self.uri[len("sqlite:"):])
        db.execute("UPDATE postings SET amount = amount + 1"
                   " WHERE entry_id = 2 AND line = 2")
        db.commit()
        db.close()
        self.assertEqual(self.book.audit_verify_full(chain_only=True), 0)
        with self.assertRaises(bo.CorruptError) as cm:
            self.book.audit_verify_full()
        self.assertTrue(cm.exception.message.startswith(
            "postings: entry 2 line 2: amount differs from audit record"),
            cm.exception.message)
        rows = list(self.book.audit_verify_list())
        self.assertEqual(rows[0]["table"], "postings")
        self.assertEqual(rows[0]["record"], "entry 2 line 2")
        self.assertGreater(rows[0]["seq"], 0)
        with self.open("bob") as bob:
            with self.assertRaises(bo.DeniedError):
                bob.audit_verify_full()


class DateTest(BookTestCase):
    def test_date_as_string_int_or_date(self):
        day = bo.date_parse("2026-01-15")
        self.assertEqual(day, bo.date_from_ymd(2026, 1, 15))
        self.sale(100, "2026-01-15")
        self.sale(10, day)
        self.sale(1, datetime.date(2026, 1, 15))
        self.assertEqual(self.book.balance("1000", "2026-01-15"), 111)
        self.assertEqual(self.book.balance("1000", day), 111)
        self.assertEqual(self.book.balance("1000", day - 1), 0)
        self.assertEqual(self.book.balance("1000", datetime.date(2026, 1, 14)), 0)
        dates = {r["date"] for r in self.book.journal(None, day, "2026-01-15")}
        self.assertEqual(dates, {"2026-01-15"})

    def test_bad_date_string_raises(self):
        with self.assertRaises(bo.InvalidError) as cm:
            bo.Entry("2026-02-30")
        self.assertEqual(cm.exception.code, bo.EINVAL)
        self.assertIn("2026-02-30", str(cm.exception))
        with self.assertRaises(bo.InvalidError):
            self.book.balance("1000", "yesterday")
        with self.assertRaises(TypeError):
            self.book.balance("1000", 3.5)

    def test_periods(self):
        self.book.period_add("2026-01", "2026-01-01", "2026-01-31")
        self.book.period_add("2026-02", bo.date_parse("2026-02-01"), "2026-02-28")
        self.book.period_close("2026-01")
        periods = list(self.book.periods())
        self.assertEqual([(p["name"], p["closed"]) for p in periods],
                         [("2026-01", 1), ("2026-02", 0)])
        with self.assertRaises(bo.PeriodError) as cm:
            self.sale(5, "2026-01-20")
        self.assertEqual(cm.exception.code, bo.EPERIOD)
        self.sale(5, "2026-02-20")

    def test_recurring_entries(self):
        entry = bo.Entry("2026-01-31", "rent")
        entry.add("5000", 1500, memo="month")
        entry.add("1000", -1500)
        rid = self.book.ledger.recurring_add(entry, bo.RECUR_MONTH, count=3)
        self.assertGreater(rid, 0)
        self.assertEqual(self.book.ledger.recurring_run("2026-12-31"), 3)
        self.assertEqual(self.book.ledger.recurring_run("2026-12-31"), 0)
        rows = list(self.book.ledger.recurring_list())
        self.assertEqual([(r["period"], r["last"], r["next"], r["times_left"]) for r in rows],
                         [("month", "2026-03-31", None, 0)])
        lines = list(self.book.ledger.recurring_postings(rid))
        self.assertEqual([(p["account"], p["amount"]) for p in lines],
                         [("5000", 1500), ("1000", -1500)])
        with self.assertRaises(bo.InvalidError):
            self.book.ledger.recurring_add(entry, 9)
        with self.assertRaises(bo.NotFoundError):
            list(self.book.ledger.recurring_postings(rid + 1))

    def test_year_close_and_reopen(self):
        self.book.account_add("3200", "Retained earnings", "equity")
        self.sale(700, "2026-03-01")
        entry = self.book.year_close("2026-12-31", "3200", key="close-2026")
        self.assertGreater(entry, 0)
        self.assertEqual(self.book.year_close("2026-12-31", "3200", key="close-2026"), entry)
        self.assertEqual(self.book.balance("3200", "2026-12-31"), -700)
        sheet = {r["name"]: r["amount"] for r in self.book.balance_sheet("2026-12-31")}
        self.assertEqual(sheet["current earnings"], 0)
        self.assertEqual(sheet["Retained earnings"], 700)
        with self.assertRaises(bo.PeriodError) as cm:  # the closed year takes no posting
            self.sale(5, "2026-06-01")
        self.assertEqual(cm.exception.code, bo.EPERIOD)
        self.assertIn("fiscal year ending 2026-12-31", str(cm.exception))
        with self.assertRaises(bo.InvalidError) as cm:
            self.book.year_close("2027-12-31", "1000")
        self.assertIn("retained", str(cm.exception))
        reversal = self.book.year_reopen("2026-12-31")
        self.assertGreater(reversal, entry)
        self.assertEqual(self.book.balance("3200", "2026-12-31"), 0)
        rows = list(self.book.year_closings())
        self.assertEqual([(r["year_end"], r["entry"], r["reopened_by"]) for r in rows],
                         [("2026-12-31", entry, reversal)])


class YamlTest(BookTestCase):
    def test_from_yaml_string(self):
        uri = "sqlite:" + os.path.join(self.dir, "yaml.db")
        with bo.Book.from_yaml_string(YAML, uri=uri, actor="owner", sync=bo.SYNC_OFF) as book:
            self.assertEqual(book.base_currency(), "EUR")
            self.assertEqual(book.name(), "Corner shop")
            self.assertEqual([r["code"] for r in book.accounts()], ["1000", "4000"])
        with self.assertRaises(bo.ExistsError):
            bo.Book.from_yaml_string(YAML, uri=uri, actor="owner")

    def test_from_yaml_file(self):
        path = os.path.join(self.dir, "shop.yaml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(YAML)
        uri = "sqlite:" + os.path.join(self.dir, "file.db")
        with bo.Book.from_yaml(path, uri, "owner", bo.SYNC_OFF) as book:
            self.assertEqual(book.actor(), "owner")
            self.assertEqual(len(list(book.accounts())), 2)

    def test_bad_yaml_names_the_line(self):
        uri = "sqlite:" + os.path.join(self.dir, "bad.db")
        with self.assertRaises(bo.ConfigError) as cm:
            bo.Book.from_yaml_string(YAML + "bogus: 1\n", uri=uri)
        self.assertEqual(cm.exception.code, bo.ECONFIG)
        self.assertIn("<string>:", str(cm.exception))


class ExportTest(BookTestCase):
    """The lossless export: book.export(path), Book.import_book(uri, path)."""

    def test_export_import_export_is_byte_identical(self):
        self.sale(1250)
        self.sale(99)
        first = os.path.join(self.dir, "a.zip")
        again = os.path.join(self.dir, "b.zip")
        self.assertIsNone(self.book.export(first))
        uri = "sqlite:" + os.path.join(self.dir, "imported.db")
        self.assertIsNone(bo.Book.import_book(uri, first, actor="alice"))
        with bo.Book(uri, actor="alice", sync=bo.SYNC_OFF) as imported:
            self.assertEqual(imported.balance("1000", "2026-12-31"), 1349)
            imported.export(again)
            self.assertEqual(imported.audit_head(), self.book.audit_head())
        with open(first, "rb") as a, open(again, "rb") as b:
            self.assertEqual(a.read(), b.read())
        # a store that holds a book is refused, and so is a truncated file
        with self.assertRaises(bo.Error) as cm:
            bo.Book.import_book(uri, first, actor="alice")
        self.assertEqual(cm.exception.code, bo.EEXISTS)
        short = os.path.join(self.dir, "short.zip")
        with open(first, "rb") as a, open(short, "wb") as out:
            out.write(a.read()[:500])
        other = "sqlite:" + os.path.join(self.dir, "other.db")
        with self.assertRaises(bo.Error) as cm:
            bo.Book.import_book(other, short, actor="alice")
        self.assertEqual(cm.exception.code, bo.ECORRUPT)
        self.assertIn("short.zip", str(cm.exception))
        with self.assertRaises(bo.Error):
            self.book.export(os.path.join(self.dir, "x\0y.zip"))

    def test_export_and_import_progress(self):
        """book.export(path, progress=fn), Book.import_book(..., progress=fn):
        fn(stage, done, total) is called as records go; a raising fn does not
        stop the transfer."""
        self.sale(1250)
        path = os.path.join(self.dir, "p.zip")
        calls = []
        self.assertIsNone(self.book.export(path, progress=lambda s, d, t: calls.append((s, d, t))))
        self.assertTrue(calls)
        self.assertTrue(all(isinstance(s, str) and d >= 0 for s, d, _ in calls))
        self.assertTrue(any(d > 0 for _, d, _ in calls))
        seen = []
        uri = "sqlite:" + os.path.join(self.dir, "p.db")
        self.assertIsNone(bo.Book.import_book(uri, path, actor="alice",
                                              progress=lambda s, d, t: seen.append(s)))
        self.assertTrue(seen)

        def boom(stage, done, total):
            raise RuntimeError("no")
        import unittest.mock
        with unittest.mock.patch("sys.unraisablehook") as hook:
            self.assertIsNone(self.book.export(path, progress=boom))
        self.assertTrue(hook.called)
        with self.assertRaises(TypeError):
            self.book.export(path, progress=42)
        self.assertIsNone(self.book.export(path, progress=None))

    def test_export_saft(self):
        """book.export_saft(path, registration_number, ...): a SAF-T file
        the schema accepts, its control totals the book's."""
        import subprocess
        import xml.etree.ElementTree as ET
        self.sale(1250)
        self.sale(99, date="2026-02-01")
        path = os.path.join(self.dir, "saft.xml")
        self.assertIsNone(self.book.export_saft(path, "999999999", start="2026-01-01",
                                                end="2026-01-31", company_name="Fjord AS"))
        ns = {"s": "urn:StandardAuditFile-Taxation-Financial:NO"}
        root = ET.parse(path).getroot()
        gl = root.find("s:GeneralLedgerEntries", ns)
        self.assertEqual(gl.find("s:NumberOfEntries", ns).text, "1")
        self.assertEqual(gl.find("s:TotalDebit", ns).text, "12.50")
        self.assertEqual(gl.find("s:TotalCredit", ns).text, "12.50")
        xsd = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..",
                           "tests", "data", "saft",
                           "Norwegian_SAF-T_Financial_Schema_v_1.30.xsd")
        r = subprocess.run(["xmllint", "--noout", "--schema", xsd, path],
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        with self.assertRaises(bo.Error) as cm:
            self.book.export_saft(path, "")
        self.assertEqual(cm.exception.code, bo.EINVAL)
        self.assertIn("registration_number", str(cm.exception))
        with self.assertRaises(bo.Error):
            self.book.export_saft(path, "999\0999")

    def test_export_saft_cr(self):
        """book.export_saft_cr(path, registration_number, ..., location=...):
        the point-of-sale journal as a SAF-T Cash Register file the schema
        accepts; an unknown location is NotFound, nothing written."""
        import subprocess
        import xml.etree.ElementTree as ET
        b = self.book
        b.account_add("1200", "Inventory", "asset")
        b.account_add("5300", "COGS", "expense")
        for key, value in [("account.inventory", "1200"), ("account.cogs", "5300"),
                           ("account.grni", "2000"), ("account.revenue", "4000"),
                           ("payment.cash", "1000")]:
            b.inv_setting_set(key, value)
        b.inv_location_add("S1", "Store")
        b.inv_item_add("A", "Widget")
        b.inv_receive("A", "S1", 10, 1000, "2025-03-01", key="init")
        sale = bo.Sale("2025-03-02")
        sale.set_key("till-1/1")
        sale.line("A", "S1", 2, 500)
        sale.payment("cash", 1000)
        b.inv_sale_post(sale)
        path = os.path.join(self.dir, "cr.xml")
        self.assertIsNone(b.export_saft_cr(path, "999999999", company_name="Fjord AS",
                                           location="S1"))
        ns = {"c": "urn:StandardAuditFile-Taxation-CashRegister:NO"}
        root = ET.parse(path).getroot()
        t = root.findall(".//c:cashtransaction", ns)
        self.assertEqual(len(t), 1)
        self.assertEqual(t[0].find("c:transAmntIn", ns).text, "10.00")
        xsd = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..",
                           "tests", "data", "saft",
                           "Norwegian_SAF-T_Cash_Register_Schema_v_1.00.xsd")
        r = subprocess.run(["xmllint", "--noout", "--schema", xsd, path],
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        other = os.path.join(self.dir, "cr2.xml")
        with self.assertRaises(bo.Error) as cm:
            b.export_saft_cr(other, "999999999", location="NOPE")
        self.assertEqual(cm.exception.code, bo.ENOTFOUND)
        self.assertIn("location 'NOPE'", str(cm.exception))
        self.assertFalse(os.path.exists(other))
        with self.assertRaises(bo.Error):
            b.export_saft_cr(other, "999\0999")


class GnuCashTest(unittest.TestCase):
    """Book.import_gnucash(uri, path, ...): a book made by GnuCash itself
    (in a child /usr/bin/python3: the gnucash module is Debian's); every
    balance equals GnuCash's own."""

    def test_import_gnucash_balances(self):
        import subprocess
        import tempfile
        with tempfile.TemporaryDirectory(prefix="bo-py-gc-") as d:
            maker = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                 "..", "tests", "gnucash", "make_book.py")
            path = os.path.join(d, "g.gnucash")
            r = subprocess.run(["/usr/bin/python3", maker, path, "5"], capture_output=True,
                               text=True)
            if r.returncode and "No module named 'gnucash'" in r.stderr:
                self.skipTest("GnuCash's Python module is not installed")
            self.assertEqual(r.returncode, 0, r.stderr)
            uri = "sqlite:" + os.path.join(d, "g.db")
            self.assertIsNone(bo.Book.import_gnucash(uri, path, actor="alice",
                                                     base_currency="USD", sync=bo.SYNC_OFF))
            with bo.Book(uri, actor="alice", sync=bo.SYNC_OFF) as book, \
                    open(path + ".balances") as f:
                n = 0
                for line in f:
                    if line.startswith("#"):
                        continue
                    code, cur, minor = line.split()
                    self.assertEqual(book.balance(code, "2030-12-31", cur), int(minor), code)
                    n += 1
                self.assertEqual(n, 14)
            # the same book again adds nothing; its provenance and the
            # comparison with the file
            self.assertIsNone(bo.Book.import_gnucash(uri, path, actor="alice",
                                                     sync=bo.SYNC_OFF, write_added=1))
            with bo.Book(uri, actor="alice", sync=bo.SYNC_OFF) as book:
                rows = list(book.provenance("gnucash"))
                # accounts, transactions, the prices, parties, tax tables,
                # documents (invoices, a bill, 2 credit notes)
                self.assertEqual(len(rows), 17 + 77 + 2 + 4 + 2 + 7)
                self.assertEqual(sum(1 for r in rows if r["record"].startswith("account:")), 17)
                self.assertEqual(sum(1 for r in rows if r["record"].startswith("invoice:")), 7)
                self.assertEqual(len(list(book.provenance("gnucash", rows[0]["source"]))), 109)
                self.assertEqual(list(book.gnucash_diff(path)), [])
                with self.assertRaises(bo.Error) as cm:
                    book.provenance("")
                self.assertEqual(cm.exception.code, bo.EINVAL)
            # another GnuCash book into a store with accounts: refused
            other = os.path.join(d, "h.gnucash")
            r = subprocess.run(["/usr/bin/python3", maker, other, "6"], capture_output=True,
                               text=True)
            self.assertEqual(r.returncode, 0, r.stderr)
            with self.assertRaises(bo.Error) as cm:
                bo.Book.import_gnucash(uri, other, actor="alice")
            self.assertEqual(cm.exception.code, bo.EEXISTS)
            with self.assertRaises(bo.Error):
                bo.Book.import_gnucash(uri, path + "\0x", actor="alice")


class JournalTest(unittest.TestCase):
    """Book.import_journal(uri, path, ...) and book.export_journal(path):
    the sample journals of each dialect give the balances the programs
    themselves report; the journal we write is read back the same."""

    DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..",
                        "tests", "data", "journal")

    def test_import_and_export_journal(self):
        import tempfile
        with tempfile.TemporaryDirectory(prefix="bo-py-jr-") as d:
            for name, dialect in (("sample.journal", bo.JOURNAL_AUTO),
                                  ("sample.ledger", bo.JOURNAL_LEDGER),
                                  ("sample.beancount", bo.JOURNAL_BEANCOUNT)):
                uri = "sqlite:" + os.path.join(d, name + ".db")
                self.assertIsNone(bo.Book.import_journal(uri, os.path.join(self.DATA, name),
                                                         actor="alice", dialect=dialect,
                                                         sync=bo.SYNC_OFF))
                with bo.Book(uri, actor="alice", sync=bo.SYNC_OFF) as book:
                    self.assertEqual(book.balance("Assets:Bank:Checking", "2030-12-31",
                                                  "USD"), 420313)
                    self.assertEqual(book.ledger.balance("Assets:Broker", "2030-12-31", "AAPL"), 13)
                    self.assertEqual(book.ledger.balance("Assets", "2030-12-31", "EUR"), 25000)
                    out = os.path.join(d, name + ".out.journal")
                    self.assertIsNone(book.export_journal(out))
                    with open(out) as f:
                        text = f.read()
                    self.assertIn("    Assets:Broker  3 AAPL @@ 560.00 USD\n", text)
                    bean = os.path.join(d, name + ".out.beancount")
                    self.assertIsNone(book.export_journal(bean, dialect=bo.JOURNAL_BEANCOUNT))
                    with open(bean) as f:
                        self.assertIn('option "operating_currency" "USD"', f.read())
            with self.assertRaises(bo.Error) as cm:
                bo.Book.import_journal("sqlite:" + os.path.join(d, "again.db"),
                                       os.path.join(d, "sample.journal.out.journal"),
                                       actor="alice", base_currency="EUR")
            self.assertEqual(cm.exception.code, bo.ENOTSUP)
            # importing again adds nothing; a changed journal is a diff
            uri = "sqlite:" + os.path.join(d, "sample.journal.db")
            src = os.path.join(self.DATA, "sample.journal")
            self.assertIsNone(bo.Book.import_journal(uri, src, actor="alice"))
            with bo.Book(uri, actor="alice", sync=bo.SYNC_OFF) as book:
                self.assertEqual(list(book.journal_diff(src)), [])
                os.mkdir(os.path.join(d, "v2"))
                changed = os.path.join(d, "v2", "sample.journal")
                with open(src) as f, open(changed, "w") as g:
                    g.write(f.read() + "\n2024-03-01 Coffee\n    Expenses:Food  $3.00\n"
                            "    Assets:Cash\n")
                self.assertEqual([(r["change"], r["kind"], r["object"], r["record"])
                                  for r in book.journal_diff(changed)],
                                 [("added", "transaction", "tx:2024-03-01#1", "")])
            with self.assertRaises(bo.Error) as cm:
                bo.Book.import_journal(uri, changed, actor="alice")
            self.assertEqual(cm.exception.code, bo.ECONFLICT)
            self.assertIn("1 added, 0 changed, 0 missing", str(cm.exception))
            bad = os.path.join(d, "bad.journal")
            with open(bad, "w") as f:
                f.write("2024-01-01 x\n    Assets:A  $1.005\n    Equity:B\n")
            with self.assertRaises(bo.Error) as cm:
                bo.Book.import_journal("sqlite:" + os.path.join(d, "bad.db"), bad,
                                       actor="alice")
            self.assertEqual(cm.exception.code, bo.EINVAL)
            self.assertIn(bad + ":2:15:", str(cm.exception))
            self.assertFalse(os.path.exists(os.path.join(d, "bad.db")))

    def test_import_opening_csv(self):
        import tempfile
        with tempfile.TemporaryDirectory(prefix="bo-py-csv-") as d:
            uri = "sqlite:" + os.path.join(d, "o.db")
            with bo.Book(uri, actor="alice", create=True, sync=bo.SYNC_OFF) as book:
                path = os.path.join(d, "o.csv")
                with open(path, "w") as f:
                    f.write("code,name,type,balance\n1000,Bank,asset,99.95\n"
                            "3000,Opening,equity,-99.95\n")
                self.assertIsNone(book.import_opening_csv(path, "2025-01-01"))
                self.assertEqual(book.ledger.balance("1000", "2030-12-31", "USD"), 9995)
                with open(path, "w") as f:
                    f.write("code,balance\n1000,0.001\n")
                with self.assertRaises(bo.Error) as cm:
                    book.import_opening_csv(path, "2025-01-01", memo="again")
                self.assertEqual(cm.exception.code, bo.EINVAL)
                self.assertIn(path + ":2: column 'balance'", str(cm.exception))

    def test_import_csv(self):
        import tempfile
        with tempfile.TemporaryDirectory(prefix="bo-py-csv-") as d:
            uri = "sqlite:" + os.path.join(d, "p.db")
            with bo.Book(uri, actor="alice", create=True, sync=bo.SYNC_OFF) as book:
                path = os.path.join(d, "p.csv")
                with open(path, "w") as f:
                    f.write("code,name,roles\nC-1,Acme,customer\nV-1,Supply,vendor\n")
                self.assertEqual(book.import_csv("parties", path, "2025-01-01"), 2)
                self.assertEqual(book.import_csv("parties", path, "2025-01-01"), 0)
                with open(path, "w") as f:
                    f.write("number,name,start_date\nE-1,Ann,2025-01-01\nE-2,Bob,2025-01-32\n")
                with self.assertRaises(bo.Error) as cm:
                    book.import_csv("employees", path, "2025-01-01")
                self.assertEqual(cm.exception.code, bo.EINVAL)
                self.assertIn(path + ":3: column 'start_date'", str(cm.exception))
                with open(path, "w") as f:
                    f.write("number,name,start_date\nE-1,Ann,2025-01-01\n")
                self.assertEqual(book.import_csv("employees", path, "2025-01-01"), 1)
                with self.assertRaises(ValueError):
                    book.import_csv("parties", path + "\0x", "2025-01-01")

    def test_export_fec(self):
        import tempfile
        with tempfile.TemporaryDirectory(prefix="bo-py-fec-") as d:
            uri = "sqlite:" + os.path.join(d, "f.db")
            with bo.Book(uri, actor="alice", create=True, sync=bo.SYNC_OFF) as book:
                book.account_add("512", "Banque", "asset")
                book.account_add("101", "Capital", "equity")
                book.post(make_entry("2026-01-02", [("512", 123456), ("101", -123456)], "Capital"))
                path = os.path.join(d, "fec.txt")
                self.assertIsNone(book.export_fec(path, "2026-01-01", "2026-12-31"))
                with open(path, encoding="utf-8") as f:
                    lines = [l.rstrip("\n").split("\t") for l in f]
                self.assertEqual(len(lines[0]), 18)
                self.assertEqual(lines[0][11:13], ["Debit", "Credit"])
                self.assertEqual([l[11] for l in lines[1:]], ["1234,56", "0,00"])
                self.assertEqual([l[12] for l in lines[1:]], ["0,00", "1234,56"])
                self.assertEqual(os.stat(path).st_mode & 0o777, 0o600)
                with self.assertRaises(bo.Error) as cm:
                    book.export_fec(path, "2026-12-31", "2026-01-01")
                self.assertEqual(cm.exception.code, bo.EINVAL)


if __name__ == "__main__":
    unittest.main()
