"""Event callbacks through the Python module."""

import gc
import unittest
import weakref

import backoffice as bo
from bo_support import BookTestCase, make_entry


class Recorder(object):
    """A callable object (not a function) that records what it receives."""

    def __init__(self):
        self.events = []

    def __call__(self, event, entry_id):
        self.events.append((event, entry_id))


class EventTest(BookTestCase):
    def test_callback_receives_entry_posted_with_the_id(self):
        got = []
        sub = self.book.subscribe("entry.posted", lambda ev, i: got.append((ev, i)))
        self.assertIsInstance(sub, int)
        entry_id = self.sale(100)
        self.assertEqual(got, [("entry.posted", entry_id)])

    def test_events_wait_for_commit_and_vanish_on_rollback(self):
        rec = Recorder()
        self.book.subscribe("entry.posted", rec)
        with self.book.transaction():
            first = self.sale(1)
            self.assertEqual(rec.events, [])
        self.assertEqual(rec.events, [("entry.posted", first)])
        with self.assertRaises(RuntimeError):
            with self.book.transaction():
                self.sale(2)
                raise RuntimeError("abandon")
        self.assertEqual(rec.events, [("entry.posted", first)])

    def test_wildcard_sees_reversals(self):
        rec = Recorder()
        self.book.subscribe("*", rec)
        entry_id = self.sale(5)
        reversal = self.book.reverse(entry_id, "2026-01-16")
        self.assertIn(("entry.posted", entry_id), rec.events)
        self.assertIn(("entry.reversed", reversal), rec.events)

    def test_raising_callback_does_not_fail_the_post(self):
        class Refused(Exception):
            pass

        boom = Refused("from the callback")

        def callback(event, entry_id):
            raise boom

        self.book.subscribe("entry.posted", callback)
        got = []
        self.book.on_callback_error(lambda event, i, exc: got.append((event, i, exc)))
        # The entry is committed before the event: post returns its id.
        entry_id = self.sale(100)
        self.assertEqual(got, [("entry.posted", entry_id, boom)])
        self.assertEqual(self.book.balance("1000", "2026-12-31"), 100)
        self.assertEqual(self.book.depth(), 0)

    def test_raising_callback_does_not_fail_the_commit(self):
        def callback(event, entry_id):
            raise LookupError(entry_id)

        self.book.subscribe("entry.posted", callback)
        self.book.on_callback_error(lambda *args: None)
        with self.book.transaction():
            entry_id = self.sale(7)
        self.assertEqual(self.book.depth(), 0)
        self.assertEqual(self.book.balance("1000", "2026-12-31"), 7)
        errors = self.book.callback_errors()
        self.assertEqual([(e.event, e.id) for e in errors], [("entry.posted", entry_id)])
        self.assertIsInstance(errors[0].exception, LookupError)

    def test_unsubscribe_stops_delivery_and_releases_the_callable(self):
        rec = Recorder()
        ref = weakref.ref(rec)
        sub = self.book.subscribe("entry.posted", rec)
        self.sale(1)
        self.book.unsubscribe(sub)
        self.sale(2)
        self.assertEqual(len(rec.events), 1)
        del rec
        gc.collect()
        self.assertIsNone(ref())
        with self.assertRaises(bo.NotFoundError):
            self.book.unsubscribe(sub)

    def test_close_releases_callbacks_that_reference_the_book(self):
        book = self.open("alice")
        rec = Recorder()
        rec.book = book  # a cycle through the C library
        ref = weakref.ref(rec)
        book.subscribe("*", rec)
        del rec
        gc.collect()
        self.assertIsNotNone(ref())
        book.close()
        gc.collect()
        self.assertIsNone(ref())

    def test_callback_may_read_the_book(self):
        seen = []
        self.book.subscribe("entry.posted",
                            lambda ev, i: seen.append(self.book.balance("1000", "2026-12-31")))
        self.sale(40)
        self.assertEqual(seen, [40])

    def test_refused_subscription_releases_the_callable(self):
        rec = Recorder()
        ref = weakref.ref(rec)
        with self.assertRaises(bo.InvalidError):
            self.book.subscribe("", rec)
        del rec
        gc.collect()
        self.assertIsNone(ref())

    def test_not_callable_raises_type_error(self):
        with self.assertRaises(TypeError):
            self.book.subscribe("entry.posted", 42)


if __name__ == "__main__":
    unittest.main()
