"""The change feed through the Python module: reading, positions, the
consumer helper and its exactly-once saving, bad input."""

import sqlite3
import unittest

import backoffice as bo
from bo_support import BookTestCase, make_entry


class FeedTest(BookTestCase):
    def test_feed_read_in_positions(self):
        first, last = self.book.feed.head()
        self.assertEqual(first, 1)
        entry_id = self.sale(100)
        first2, last2 = self.book.feed.head()
        self.assertEqual(last2, last + 1)
        rows = list(self.book.feed.read(last))
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0]["position"], last + 1)
        self.assertEqual(rows[0]["kind"], "ledger.entry.post")
        self.assertEqual(rows[0]["object"], "entry:%d" % entry_id)
        everything = [r["position"] for r in self.book.feed.read(0, 10000)]
        self.assertEqual(everything, list(range(1, last2 + 1)))
        # replay from 0 is the audit chain, record by record
        audit = [(r["seq"], r["action"]) for r in self.book.audit.list()]
        feed = [(r["event_id"], r["kind"]) for r in self.book.feed.read(0, 10000)]
        self.assertEqual(audit, feed)

    def test_feed_consume_saves_with_the_handler_writes(self):
        _, last = self.book.feed.head()
        seen = []

        def handler(position, event_id, at, kind, obj):
            seen.append(position)
            self.book.post(make_entry("2026-02-01", [("5000", 1), ("1000", -1)]))

        n = self.book.feed.consume("mirror", last, handler)
        self.assertEqual(n, last)
        self.assertEqual(seen, list(range(1, last + 1)))
        self.assertEqual(self.book.feed.position("mirror"), last)
        self.assertEqual(self.book.balance("5000", "2026-12-31"), last)

        class Stop(Exception):
            pass

        def failing(position, *rest):
            self.book.post(make_entry("2026-02-02", [("5000", 7), ("1000", -7)]))
            raise Stop("at %d" % position)

        with self.assertRaises(Stop):
            self.book.feed.consume("mirror", 5, failing)
        # the failed event's write is gone and the position did not move
        self.assertEqual(self.book.feed.position("mirror"), last)
        self.assertEqual(self.book.balance("5000", "2026-12-31"), last)

    def test_feed_save_in_the_callers_transaction(self):
        with self.book.transaction():
            self.sale(5)
            self.book.feed.save("shop", 2)
        self.assertEqual(self.book.feed.position("shop"), 2)
        with self.assertRaises(RuntimeError):
            with self.book.transaction():
                self.book.feed.save("shop", 3)
                raise RuntimeError("abandon")
        self.assertEqual(self.book.feed.position("shop"), 2)
        with self.assertRaises(bo.SequenceError):
            self.book.feed.save("shop", 1)

    def test_feed_bad_input(self):
        with self.assertRaises(bo.InvalidError) as e:
            self.book.feed.read(-1)
        self.assertIn("after", str(e.exception))
        with self.assertRaises(bo.InvalidError) as e:
            self.book.feed.save("bad name", 1)
        self.assertIn("consumer", str(e.exception))
        with self.assertRaises(bo.InvalidError):
            self.book.feed.save("shop\0x", 1)
        with self.assertRaises(bo.InvalidError) as e:
            self.book.feed.save("shop", -1)
        self.assertIn("position", str(e.exception))
        with self.assertRaises(bo.InvalidError):
            self.book.feed.retention_set(0)
        self.assertEqual(self.book.feed.retention(), 30)
        self.assertEqual(self.book.feed.position("shop"), 0)

    def test_feed_retention_and_wait(self):
        self.book.feed.retention_set(5)
        self.assertEqual(self.book.feed.retention(), 5)
        self.assertEqual(self.book.feed.prune(), 0)
        _, last = self.book.feed.head()
        self.assertEqual(self.book.feed.wait(last, 20), last)
        self.sale(1)
        self.assertEqual(self.book.feed.wait(last, 20), last + 1)
        db = sqlite3.connect(self.uri[len("sqlite:"):])
        # On SQLite the feed is read from audit_log: an event's time is
        # its record's.
        db.execute("UPDATE audit_log SET at = '2000-01-01T00:00:00.000Z'"
                   " WHERE seq IN (SELECT event_id FROM feed_events WHERE position <= 3)")
        db.commit()
        db.close()
        self.assertEqual(self.book.feed.prune(), 3)
        with self.assertRaises(bo.ExpiredError) as e:
            self.book.feed.read(0)
        self.assertIn("position 0", str(e.exception))
        self.assertEqual([r["position"] for r in self.book.feed.read(3, 2)], [4, 5])


if __name__ == "__main__":
    unittest.main()
