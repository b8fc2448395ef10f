"""Plugins through the Python module: the example "log" driver."""

import os
import tempfile
import unittest

import backoffice as bo

PLUGIN_DIR = os.environ.get("BO_TEST_PLUGIN_DIR", "")


class PluginTest(unittest.TestCase):
    def test_load_errors(self):
        with self.assertRaises(bo.Error) as cm:
            bo.plugin_load("/nonexistent/plugin.so")
        self.assertEqual(cm.exception.code, bo.ENOTFOUND)
        self.assertIn("/nonexistent/plugin.so", str(cm.exception))
        with self.assertRaises(bo.Error) as cm:
            bo.plugin_load_dir("/nonexistent-dir")
        self.assertEqual(cm.exception.code, bo.ENOTFOUND)

    def test_book_through_the_log_driver(self):
        self.assertTrue(os.path.isdir(PLUGIN_DIR), PLUGIN_DIR)
        self.assertEqual(bo.plugin_load_dir(PLUGIN_DIR), 1)
        bo.plugin_load(os.path.join(PLUGIN_DIR, "bo_logdriver.so"))  # again: no-op
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "book.db")
            with bo.Book("log:sqlite:" + path, actor="ann", create=True) as book:
                book.account_add("1000", "Cash", "asset")
                book.account_add("4000", "Sales", "income")
                e = bo.Entry("2026-02-01", "via plugin")
                e.add("1000", 999)
                e.add("4000", -999)
                book.post(e)
            with bo.Book("sqlite:" + path, actor="ann") as book:
                self.assertEqual(book.balance("1000", "2026-12-31"), 999)


class CopyTest(unittest.TestCase):
    def test_copy_and_refusals(self):
        with tempfile.TemporaryDirectory() as folder:
            src = "sqlite:" + os.path.join(folder, "a.db")
            dst = "sqlite:" + os.path.join(folder, "b.db")
            with bo.Book(src, actor="ann", create=True) as book:
                book.account_add("1000", "Cash", "asset")
                book.account_add("4000", "Sales", "income")
                e = bo.Entry("2026-02-01", "sale")
                e.add("1000", 4321)
                e.add("4000", -4321)
                book.post(e)
            self.assertIsNone(bo.Book.copy(src, dst, actor="ann"))
            with bo.Book(dst, actor="ann") as book:
                self.assertEqual(book.balance("1000", "2026-12-31"), 4321)
            with self.assertRaises(bo.Error) as cm:
                bo.Book.copy(src, dst, actor="ann")
            self.assertEqual(cm.exception.code, bo.EEXISTS)


if __name__ == "__main__":
    unittest.main()
