"""Document records through the Python module: builders, bytes in and out,
versions, integrity, keys, retention, search and the access matrix."""

import os
import unittest

import backoffice as bo
from bo_support import BookTestCase

KEY = bytes(range(32))
OTHER_KEY = bytes(32)


class DocumentsTestCase(BookTestCase):

    def setUp(self):
        super().setUp()
        # Metadata fields are the type's: the "party" field of new_doc.
        for doc_type in ("contract", "invoice"):
            self.book.doc_type_field_add(doc_type, "party", "text")

    def new_doc(self, title, cls="internal", doc_type="contract", date="2020-01-10",
                book=None):
        with bo.Doc(doc_type, title, date) as d:
            d.set_class(cls)
            d.set_meta("party", "Acme")
            d.add_tag("supplier")
            return (book or self.book).doc_create(d)


class TestRecords(DocumentsTestCase):

    def test_bytes_round_trip_and_versions(self):
        doc_id = self.new_doc("Widget contract")
        data = bytes(range(256)) * 1000 + b"\x00tail"
        self.assertEqual(self.book.doc_add_bytes(doc_id, data, "contract.pdf"), 1)
        self.assertEqual(self.book.doc_add_bytes(doc_id, b"second"), 2)
        self.assertEqual(self.book.doc_read(doc_id, 1), data)
        self.assertEqual(self.book.doc_read(doc_id), b"second")
        with self.book.doc_reader(doc_id, 1) as r:
            self.assertEqual(r.size(), len(data))
            first = r.read(10)
            self.assertIsInstance(first, bytes)
            self.assertEqual(first, data[:10])
            self.assertEqual(first + r.readall(), data)
            self.assertEqual(r.read(10), b"")
        versions = self.book.doc_versions(doc_id).fetchall()
        self.assertEqual([v["version"] for v in versions], [1, 2])
        self.assertEqual(versions[0]["size"], len(data))
        self.assertEqual(versions[0]["filename"], "contract.pdf")
        row = self.book.doc_get(doc_id).fetchall()[0]
        self.assertEqual((row["title"], row["versions"], row["classification"]),
                         ("Widget contract", 2, "internal"))
        meta = [(m["name"], m["value"]) for m in self.book.doc_meta(doc_id)]
        self.assertEqual(meta, [("party", "Acme"), ("tag", "supplier")])

    def test_writer_streams_and_discards(self):
        doc_id = self.new_doc("Streamed")
        with self.book.doc_writer(doc_id, "big.bin") as w:
            for i in range(5):
                w.write(bytes([i]) * 300000)
            w.write(bytearray(b"end"))
            self.assertEqual(w.finish(), 1)
            with self.assertRaises(bo.StateError):
                w.write(b"more")
        got = self.book.doc_read(doc_id)
        self.assertEqual(len(got), 1500003)
        self.assertEqual(got[-3:], b"end")
        # An unfinished writer records nothing.
        w = self.book.doc_writer(doc_id)
        w.write(b"abandoned")
        w.close()
        self.assertEqual(len(self.book.doc_versions(doc_id).fetchall()), 1)
        with self.assertRaises(bo.StateError):
            w.write(b"x")

    def test_handle_outliving_its_book(self):
        doc_id = self.new_doc("Outlived")
        self.book.doc_add_bytes(doc_id, b"abc")
        other = self.open("alice")
        r = other.doc_reader(doc_id)
        w = other.doc_writer(doc_id)
        other.close()
        with self.assertRaises(bo.StateError):
            r.read(3)
        with self.assertRaises(bo.StateError):
            w.write(b"x")
        r.close()
        w.close()

    def test_export_and_file(self):
        doc_id = self.new_doc("Exported")
        src = os.path.join(self.dir, "in.bin")
        with open(src, "wb") as f:
            f.write(b"file content\n")
        self.assertEqual(self.book.doc_add_file(doc_id, src), 1)
        out = os.path.join(self.dir, "out.bin")
        self.book.doc_export(doc_id, out)
        with open(out, "rb") as f:
            self.assertEqual(f.read(), b"file content\n")
        with self.assertRaises(bo.StoreIOError):
            self.book.doc_add_file(doc_id, os.path.join(self.dir, "missing"))

    def test_verify_and_corruption_in_file_store(self):
        root = os.path.join(self.dir, "store")
        os.mkdir(root)
        self.book.doc_set_store("files", root)
        doc_id = self.new_doc("Scan")
        self.book.doc_add_bytes(doc_id, b"original scan bytes")
        self.assertEqual(self.book.doc_verify(), 1)
        stored = [os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs
                  if not d.endswith("tmp")]
        self.assertEqual(len(stored), 1)
        with open(stored[0], "r+b") as f:
            f.seek(3)
            f.write(b"X")
        with self.assertRaises(bo.CorruptError) as cm:
            self.book.doc_verify()
        self.assertIn("document %d version 1" % doc_id, str(cm.exception))
        with self.assertRaises(bo.CorruptError):
            self.book.doc_read(doc_id)

    def test_encryption_keys(self):
        with self.assertRaises(bo.InvalidError):
            self.book.doc_set_key(b"short")
        self.book.doc_set_key(KEY)
        doc_id = self.new_doc("Salaries", cls=bo.DOCUMENT_CONFIDENTIAL)
        self.book.doc_add_bytes(doc_id, b"secret figures")
        self.assertEqual(self.book.doc_read(doc_id), b"secret figures")
        self.assertEqual(self.book.doc_versions(doc_id).fetchall()[0]["encrypted"], 1)
        self.book.doc_set_key(OTHER_KEY)
        with self.assertRaises(bo.EncryptionKeyError) as cm:
            self.book.doc_read(doc_id)
        self.assertEqual(cm.exception.code, bo.EKEY)
        self.book.doc_set_key(None)
        with self.assertRaises(bo.EncryptionKeyError):
            self.book.doc_reader(doc_id)
        # The integrity check needs no key.
        self.assertEqual(self.book.doc_verify(), 1)

    def test_retention_hold_and_disposal(self):
        doc_id = self.new_doc("Old invoice", doc_type="invoice", date="2010-03-01")
        self.book.doc_add_bytes(doc_id, b"scan")
        with self.assertRaises(bo.RetainedError) as cm:
            self.book.doc_dispose(doc_id, "2019-12-31")
        self.assertIn("2020-03-01", str(cm.exception))
        self.book.doc_hold(doc_id)
        with self.assertRaises(bo.RetainedError):
            self.book.doc_dispose(doc_id, "2026-01-01")
        self.book.doc_hold(doc_id, 0)
        self.book.doc_type_hold("invoice")
        with self.assertRaises(bo.RetainedError):
            self.book.doc_dispose(doc_id, "2026-01-01")
        self.book.doc_type_hold("invoice", 0)
        self.book.doc_dispose(doc_id, "2026-01-01")
        row = self.book.doc_get(doc_id).fetchall()[0]
        self.assertIsNotNone(row["disposed"])
        self.assertEqual(row["title"], "Old invoice")
        with self.assertRaises(bo.StateError):
            self.book.doc_read(doc_id)
        with self.assertRaises(bo.StateError):
            self.book.doc_dispose(doc_id, "2026-01-01")
        actions = [a["action"] for a in self.book.audit_list()]
        self.assertIn("documents.document.dispose", actions)

    def test_types_links_search_checkout(self):
        self.book.doc_type_add("memo", 3)
        self.book.doc_type_field_add("memo", "amount", "money")
        with self.assertRaises(bo.ExistsError):
            self.book.doc_type_add("memo")
        self.book.doc_type_retention("memo", 5)
        types = {t["name"]: t for t in self.book.doc_types()}
        self.assertEqual(types["memo"]["retention_years"], 5)
        self.assertEqual(types["memo"]["fields"], "amount:money")
        with bo.Doc("memo", "Bad amount", "2026-01-02") as d:
            d.set_meta("amount", "12.50")
            with self.assertRaises(bo.InvalidError):
                self.book.doc_create(d)
        with bo.Doc("memo", "Widgets from Acme", "2026-01-02") as d:
            d.set_meta("amount", "1250")
            d.set_body("Invoice total for blue widgets")
            d.set_key("memo-1")
            memo = self.book.doc_create(d)
            self.assertEqual(self.book.doc_create(d), memo)
        other = self.new_doc("Lease", date="2025-06-01")
        e1, e2 = str(self.sale(1250)), str(self.sale(900))
        self.book.doc_link(memo, "entry", e1)
        self.book.doc_link(memo, "entry", e1)
        self.book.doc_link(other, "entry", e2)
        self.assertEqual([(l["kind"], l["ref"]) for l in self.book.doc_links(memo)],
                         [("entry", e1)])
        self.assertEqual([r["id"] for r in self.book.doc_linked("entry", e1)], [memo])
        with self.assertRaises(bo.InvalidError):
            self.book.doc_link(memo, "spaceship", "1")
        # Links name records that exist (issue 12, item 13).
        with self.assertRaises(bo.NotFoundError) as cm:
            self.book.doc_link(memo, "entry", "999")
        self.assertIn("no entry 999", str(cm.exception))
        with self.assertRaises(bo.NotFoundError):
            self.book.doc_link(memo, "employee", "E-404")
        with self.assertRaises(bo.InvalidError):
            self.book.doc_link(memo, "sale", "007")
        self.book.doc_tag(memo, "urgent")
        self.book.doc_body(other, "monthly rent of the shop")
        with bo.DocQuery() as q:
            q.text("blue widgets")
            self.assertEqual([r["id"] for r in self.book.doc_search(q)], [memo])
            q.text(None)
            q.tag("urgent")
            self.assertEqual(self.book.doc_count(q), 1)
            q.tag(None)
            q.dates("2025-01-01", "2025-12-31")
            self.assertEqual([r["id"] for r in self.book.doc_search(q)], [other])
            q.dates(0, 0)
            q.link("entry", e2)
            self.assertEqual(self.book.doc_count(q), 1)
            q.link(None)
            q.type("memo")
            self.assertEqual(self.book.doc_count(q), 1)
            q.type(None)
            q.page(1, 1)
            self.assertEqual(len(self.book.doc_search(q).fetchall()), 1)
            with self.assertRaises(bo.InvalidError):
                q.dates("2026-02-01", "2026-01-01")
        self.assertEqual(self.book.doc_count(), 2)
        self.book.doc_unlink(memo, "entry", e1)
        with self.assertRaises(bo.NotFoundError):
            self.book.doc_unlink(memo, "entry", e1)
        # Check-out locks the document for another actor.
        self.book.role_define("writer", "documents.read documents.write")
        self.book.role_grant("wes", "writer")
        self.book.doc_checkout(memo)
        with self.open("wes") as wes:
            with self.assertRaises(bo.LockedError):
                wes.doc_add_bytes(memo, b"edit")
            with self.assertRaises(bo.LockedError):
                wes.doc_checkin(memo)
        self.book.doc_checkin(memo)
        with self.assertRaises(bo.StateError):
            self.book.doc_checkin(memo)

    def test_trust_limits_fields_and_hidden_text(self):
        # The largest version (issue 12, item 12).
        self.assertEqual(self.book.doc_version_limit(), 256 * 1024 * 1024)
        self.book.doc_set_version_limit(1000)
        self.assertEqual(self.book.doc_version_limit(), 1000)
        with self.assertRaises(bo.InvalidError):
            self.book.doc_set_version_limit(0)
        doc_id = self.new_doc("Limited")
        with self.assertRaises(bo.LimitError) as cm:
            self.book.doc_add_bytes(doc_id, b"x" * 1001)
        self.assertIn("max_version_bytes", str(cm.exception))
        self.assertEqual(self.book.doc_versions(doc_id).fetchall(), [])
        self.assertEqual(self.book.doc_add_bytes(doc_id, b"x" * 1000), 1)
        # Undeclared metadata fields (item 13).
        with bo.Doc("receipt", "Taxi", "2026-01-02") as d:
            d.set_meta("tip", "500")
            with self.assertRaises(bo.InvalidError) as cm:
                self.book.doc_create(d)
            self.assertIn("tip: not a field of type 'receipt'", str(cm.exception))
            self.book.doc_type_open_fields("receipt")
            self.assertGreater(self.book.doc_create(d), 0)
            types = {t["name"]: t for t in self.book.doc_types()}
            self.assertEqual(types["receipt"]["open_fields"], 1)
            self.book.doc_type_open_fields("receipt", 0)
            d.set_key("again")
            with self.assertRaises(bo.InvalidError):
                self.book.doc_create(d)
        # Confidential text is found with the key only (item 11).
        self.book.doc_set_key(KEY)
        with bo.Doc("contract", "Secret", "2026-01-02") as d:
            d.set_class("confidential")
            d.set_body("zanzibarian clause")
            secret = self.book.doc_create(d)
        with bo.DocQuery() as q:
            q.text("Zanzibarian")
            self.assertEqual([r["id"] for r in self.book.doc_search(q)], [secret])
            self.book.doc_set_key(None)
            self.assertEqual(self.book.doc_count(q), 0)
            with self.assertRaises(bo.EncryptionKeyError):
                self.book.doc_body(secret, "more words")

    def test_class_names_and_closed_handles(self):
        self.assertEqual(bo.doc_class_parse("restricted"), bo.DOCUMENT_RESTRICTED)
        self.assertEqual(bo.doc_class_name(bo.DOCUMENT_PUBLIC), "public")
        self.assertIsNone(bo.doc_class_name(9))
        with self.assertRaises(bo.InvalidError):
            bo.doc_class_parse("secret")
        d = bo.Doc("other", "x", "2026-01-01")
        with self.assertRaises(bo.InvalidError):
            d.set_class("secret")
        d.close()
        d.close()
        with self.assertRaises(bo.StateError):
            d.add_tag("x")
        with self.assertRaises(bo.InvalidError):
            self.book.doc_create(d)
        with self.assertRaises(bo.InvalidError):
            bo.Doc("other", "", "2026-01-01")


# Who may do what: the calls of the matrix, each (needs, about one document).
# needs: r read, w write, a admin, c create (write, + confidential for
# protected classes).
CALLS = [
    ("get", "r", True, lambda b, i, w: b.doc_get(i).fetchall()),
    ("meta", "r", True, lambda b, i, w: b.doc_meta(i).fetchall()),
    ("versions", "r", True, lambda b, i, w: b.doc_versions(i).fetchall()),
    ("links", "r", True, lambda b, i, w: b.doc_links(i).fetchall()),
    ("read", "r", True, lambda b, i, w: b.doc_read(i)),
    ("export", "r", True, lambda b, i, w: b.doc_export(i, w["out"])),
    ("writer", "w", True, lambda b, i, w: b.doc_writer(i).close()),
    ("add_bytes", "w", True, lambda b, i, w: b.doc_add_bytes(i, b"content")),
    ("tag", "w", True, lambda b, i, w: b.doc_tag(i, "seen")),
    ("body", "w", True, lambda b, i, w: b.doc_body(i, "text")),
    ("link", "w", True, lambda b, i, w: b.doc_link(i, "document", str(w["public"]))),
    ("checkout", "w", True, lambda b, i, w: (b.doc_checkout(i), b.doc_checkin(i))),
    ("hold", "a", True, lambda b, i, w: b.doc_hold(i, 0)),
    ("dispose", "a", True, lambda b, i, w: w["retained"](b, i)),
    ("unlink", "w", True, lambda b, i, w: w["unlink"](b, i)),
    ("verify", "a", False, lambda b, i, w: b.doc_verify()),
    ("types", "r", False, lambda b, i, w: b.doc_types().fetchall()),
    ("type_add", "a", False, lambda b, i, w: w["exists_ok"](lambda: b.doc_type_add("memo"))),
    ("type_field", "a", False,
     lambda b, i, w: w["exists_ok"](lambda: b.doc_type_field_add("receipt", "t", "money"))),
    ("retention", "a", False, lambda b, i, w: b.doc_type_retention("receipt", 10)),
    ("type_hold", "a", False, lambda b, i, w: b.doc_type_hold("receipt", 0)),
    ("set_store", "a", False, lambda b, i, w: b.doc_set_store("database")),
    ("create", "c", False, lambda b, i, w: w["create"](b)),
    ("search", "r", True, lambda b, i, w: w["found"](i, [r["id"] for r in b.doc_search()])),
    ("count", "r", False, lambda b, i, w: b.doc_count()),
    ("linked", "r", True, lambda b, i, w: w["found"](i, [r["id"] for r in b.doc_linked("document", str(i))])),
]

ACTORS = [  # actor, role, permissions as letters
    ("nobody", None, ""),
    ("ledger", "led", ""),
    ("rita", "dr", "r"),
    ("wes", "dw", "rw"),
    ("cora", "dc", "rwc"),
    ("adam", "da", "rwa"),
    ("alma", "dac", "rwac"),
    ("alice", None, "rwac"),  # the book's owner, who owns the documents
]


class Filtered(Exception):
    """A search result or count left the document out."""


class TestAccessMatrix(DocumentsTestCase):

    def test_matrix(self):
        b = self.book
        b.doc_set_key(KEY)
        ids = {}
        for cls in ("public", "confidential", "restricted"):
            ids[cls] = self.new_doc(cls + " paper", cls=cls)
            b.doc_add_bytes(ids[cls], b"content")
            b.doc_link(ids[cls], "document", str(ids[cls]))
        b.role_define("dr", "documents.read")
        b.role_define("dw", "documents.read documents.write")
        b.role_define("dc", "documents.read documents.write documents.confidential")
        b.role_define("da", "documents.read documents.write documents.admin")
        b.role_define("dac", "documents.read documents.write documents.admin "
                      "documents.confidential")
        b.role_define("led", "ledger.read ledger.post")
        for actor, role, _ in ACTORS:
            if role:
                b.role_grant(actor, role)

        def found(i, seq):
            if i not in list(seq):
                raise Filtered()

        def exists_ok(fn):
            try:
                fn()
            except bo.ExistsError:
                pass

        def retained(book, i):
            try:
                book.doc_dispose(i, "2021-01-01")
            except bo.RetainedError:
                pass

        def unlink(book, i):
            try:
                book.doc_unlink(i, "entry", "nope")
            except bo.NotFoundError as e:
                if "not linked" not in str(e):
                    raise

        tools = {"out": os.path.join(self.dir, "export.bin"), "found": found,
                 "exists_ok": exists_ok, "retained": retained, "unlink": unlink,
                 "public": ids["public"]}
        denied = allowed = 0
        for actor, _, perms in ACTORS:
            with self.open(actor) as h:
                h.doc_set_key(KEY)
                for which, i in ids.items():
                    def create(book, which=which):
                        with bo.Doc("other", "new", "2026-01-01") as d:
                            d.set_class("public" if which == "public" else "confidential")
                            book.doc_create(d)
                    tools["create"] = create
                    for name, need, about_one, call in CALLS:
                        expect = need in perms if need != "c" else "w" in perms and (
                            which == "public" or "c" in perms)
                        if about_one and expect:
                            expect = (which == "public" or actor == "alice"
                                      or (which == "confidential" and "c" in perms)
                                      or ("c" in perms and "a" in perms))
                        try:
                            call(h, i, tools)
                            got = True
                        except (bo.DeniedError, bo.NotFoundError, Filtered) as e:
                            got = False
                            if not isinstance(e, Filtered):
                                self.assertNotIn("confidential paper", str(e))
                                self.assertNotIn("restricted paper", str(e))
                        self.assertEqual(got, expect, "%s %s %s" % (actor, name, which))
                        denied += not got
                        allowed += got
                # Counts never include what the actor may not see.
                if "r" in perms:
                    visible = sum(1 for w2 in ids if w2 == "public" or actor == "alice"
                                  or (w2 == "confidential" and "c" in perms)
                                  or ("c" in perms and "a" in perms))
                    with bo.DocQuery() as q:
                        q.tag("supplier")
                        self.assertEqual(h.doc_count(q), visible, actor)
                        self.assertEqual(len(h.doc_search(q).fetchall()), visible)
        self.assertGreater(denied, 150)
        self.assertGreater(allowed, 150)


if __name__ == "__main__":
    unittest.main()
