"""Shared fixtures of the Python binding tests: a fresh book in a temporary
folder with a small chart of accounts."""

import os
import tempfile
import unittest

import backoffice as bo

CHART = [
    ("1000", "Cash", "asset"),
    ("1100", "Bank", bo.ACCOUNT_ASSET),
    ("2000", "Payables", "liability"),
    ("3000", "Owner equity", "equity"),
    ("4000", "Sales", bo.ACCOUNT_INCOME),
    ("5000", "Expenses", "expense"),
]

INT64_MAX = 2**63 - 1
INT64_MIN = -(2**63)


def make_entry(date, lines, memo=None, key=None):
    """An Entry from (account, amount) pairs."""
    entry = bo.Entry(date, memo)
    for account, amount in lines:
        entry.add(account, amount)
    if key is not None:
        entry.set_key(key)
    return entry


class BookTestCase(unittest.TestCase):
    """Each test gets self.book (actor "alice", owner) at self.uri."""

    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="bo-py-")
        self.dir = self._tmp.name
        self.uri = "sqlite:" + os.path.join(self.dir, "book.db")
        self.book = bo.Book(self.uri, actor="alice", create=True,
                            base_currency="USD", sync=bo.SYNC_OFF)
        for code, name, kind in CHART:
            self.book.account_add(code, name, kind)

    def tearDown(self):
        self.book.close()
        self._tmp.cleanup()

    def open(self, actor):
        """Another handle on the same book."""
        return bo.Book(self.uri, actor=actor, sync=bo.SYNC_OFF)

    def sale(self, amount, date="2026-01-15", key=None):
        """Post a cash sale; returns its id."""
        return self.book.post(make_entry(date, [("1000", amount), ("4000", -amount)],
                                         memo="sale", key=key))
