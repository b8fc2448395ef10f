"""The actors' access tokens through the Python module: made once, checked,
listed without their secrets, revoked; bad input refused naming the field,
an embedded NUL refused, never cut."""

import unittest

import backoffice as bo
from bo_support import BookTestCase


class TokenTest(BookTestCase):
    def test_create_check_revoke(self):
        s = self.book.security
        tid, token = s.actor_token_create("alice", "live view")
        self.assertGreater(tid, 0)
        self.assertEqual(len(token), bo.ACTOR_TOKEN_LEN)
        self.assertTrue(token.startswith("bot_"))
        self.assertEqual(s.actor_token_check(token), (tid, "alice"))
        rows = s.actor_tokens().fetchall()
        self.assertEqual([(r["id"], r["actor"], r["label"], r["revoked_at"]) for r in rows],
                         [(tid, "alice", "live view", None)])
        self.assertNotIn(token, repr(rows))
        s.actor_token_revoke(tid)
        with self.assertRaises(bo.DeniedError):
            s.actor_token_check(token)
        with self.assertRaises(bo.StateError):
            s.actor_token_revoke(tid)

    def test_bad_input(self):
        s = self.book.security
        with self.assertRaises(bo.NotFoundError) as cm:
            s.actor_token_create("nobody", "x")
        self.assertIn("actor", str(cm.exception))
        with self.assertRaises(bo.InvalidError) as cm:
            s.actor_token_create("alice", "")
        self.assertIn("label", str(cm.exception))
        with self.assertRaises(bo.InvalidError):
            s.actor_token_create("alice", "a\x00b")
        with self.assertRaises(bo.InvalidError) as cm:
            s.actor_token_check("bot_" + "0" * 63)
        self.assertIn("token", str(cm.exception))
        with self.assertRaises(bo.InvalidError):
            s.actor_token_check("bot_" + "0" * 64 + "\x00")
        with self.assertRaises(bo.NotFoundError):
            s.actor_token_revoke(99)
        self.assertEqual(s.actor_tokens().fetchall(), [])


if __name__ == "__main__":
    unittest.main()
