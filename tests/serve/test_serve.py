"""`backoffice serve`: the dashboard over HTTP, from outside.

A small shop's book (the CLI tests' book.yaml and a few sales) is served on
a free port of 127.0.0.1. The server must answer 200 with exactly the bytes
`backoffice report dashboard` writes to a file, a strong ETag that is the
body's SHA-256 and a Refresh header; 304 to a matching If-None-Match; 401
without credentials, with a wrong or a revoked token, and with Basic
credentials naming another actor; 403 to an actor without the report's
permissions; 405 to a POST. With --max-connections 2, a third connection
while two are open gets no answer; once they close, requests are answered
again. SIGTERM stops it with status 0, and the book's file is unchanged.
The page is rendered once while the book does not change, and again after a
sale another process makes while it serves.

usage: test_serve.py BACKOFFICE SOURCE_DIR
"""
import base64
import hashlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time

BO, SRC = sys.argv[1], sys.argv[2]
WORK = tempfile.mkdtemp(prefix="bo-serve.")
BOOK = os.path.join(WORK, "book.db")
ENV = dict(os.environ, BACKOFFICE_BOOK="sqlite:" + BOOK, BACKOFFICE_ACTOR="admin")
FROM, TO = "2026-01-05", "2026-01-08"


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def bo(*args, actor=None):
    env = dict(ENV)
    if actor:
        env["BACKOFFICE_ACTOR"] = actor
    p = subprocess.run([BO, *args], env=env, capture_output=True, text=True)
    if p.returncode != 0:
        fail("backoffice %s: exit %d: %s" % (" ".join(args), p.returncode, p.stderr))
    return p.stdout


def make_book():
    bo("init", os.path.join(SRC, "cli", "book.yaml"))
    for a in (("1200", "Inventory", "asset"), ("2100", "GRNI", "liability"),
              ("5100", "COGS", "expense"), ("5200", "Shrinkage", "expense")):
        bo("account-add", *a)
    for k, v in (("account.inventory", "1200"), ("account.cogs", "5100"),
                 ("account.grni", "2100"), ("account.adjustments", "5200"),
                 ("account.revenue", "4000"), ("payment.cash", "1000"),
                 ("payment.card", "1100")):
        bo("inventory", "setting-set", k, v)
    bo("inventory", "location-add", "S1", "Store one")
    bo("inventory", "item-add", "A", "Widget")
    bo("inventory", "receive", "A", "S1", "100", "100.00", "--date", "2026-01-01",
       "--key", "r1")
    bo("inventory", "sell", "--date", "2026-01-05", "--key", "s1", "A@S1=2x5.00",
       "pay:cash=10.00")
    bo("inventory", "sell", "--date", "2026-01-07", "--key", "s2", "A@S1=5x5.00",
       "pay:card=25.00")


def request(port, method="GET", path="/", headers=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    c.request(method, path, headers=headers or {})
    r = c.getresponse()
    body = r.read()
    c.close()
    return r.status, r, body


def bearer(tok):
    return {"Authorization": "Bearer " + tok}


def basic(user, tok):
    return {"Authorization": "Basic " +
            base64.b64encode((user + ":" + tok).encode()).decode()}


def book_bytes():
    h = hashlib.sha256()
    for suffix in ("", "-wal"):
        try:
            with open(BOOK + suffix, "rb") as f:
                h.update(f.read())
        except FileNotFoundError:
            h.update(b"-")
    return h.hexdigest()


make_book()
bo("security", "grant", "alice", "auditor")
file = os.path.join(WORK, "dashboard.html")
bo("report", "dashboard", file, "--from", FROM, "--to", TO)
with open(file, "rb") as f:
    want = f.read()
admin = bo("token-create", "--label", "live view").strip()
alice = bo("security", "token-create", "--label", "alice's", actor="alice").strip()
old = bo("token-create", "--label", "to revoke").strip()
ids = [line.split(",")[0] for line in bo("--format", "csv", "tokens").splitlines()[1:]]
if len(ids) != 3:
    fail("tokens lists %d tokens, not 3" % len(ids))
bo("token-revoke", ids[2])
if old in open(BOOK, "rb").read().decode("latin-1"):
    fail("the token is stored in the book")
before = book_bytes()

srv = subprocess.Popen([BO, "serve", "--port", "0", "--from", FROM, "--to", TO,
                        "--max-connections", "2", "--refresh", "30"],
                       env=dict(ENV, BACKOFFICE_ACTOR=""), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True)
try:
    line = srv.stdout.readline().strip()
    if not line.isdigit() or int(line) == 0:
        fail("serve printed %r, not its port" % line)
    port = int(line)

    # 200: the file's bytes, the ETag of them, the Refresh header
    st, r, body = request(port, headers=bearer(admin))
    if st != 200:
        fail("GET / with a token: %d %r" % (st, body[:200]))
    if body != want:
        fail("GET / is not the file `report dashboard` writes (%d vs %d bytes)"
             % (len(body), len(want)))
    etag = r.getheader("ETag")
    if etag != '"%s"' % hashlib.sha256(want).hexdigest():
        fail("ETag %r is not the body's SHA-256" % etag)
    if r.getheader("Refresh") != "30":
        fail("Refresh header %r" % r.getheader("Refresh"))
    if not r.getheader("Content-Type", "").startswith("text/html"):
        fail("Content-Type %r" % r.getheader("Content-Type"))
    st, r, body = request(port, path="/dashboard.html", headers=basic("admin", admin))
    if st != 200 or body != want:
        fail("GET /dashboard.html with Basic: %d" % st)
    st, r, body = request(port, method="HEAD", headers=bearer(admin))
    if st != 200 or body or r.getheader("ETag") != etag:
        fail("HEAD: %d, %d bytes, ETag %r" % (st, len(body), r.getheader("ETag")))

    # 304 on a matching ETag, 200 on another
    st, r, body = request(port, headers=dict(bearer(admin), **{"If-None-Match": etag}))
    if st != 304 or body or r.getheader("ETag") != etag:
        fail("If-None-Match with the ETag: %d, %d bytes" % (st, len(body)))
    st, _, body = request(port, headers=dict(bearer(admin),
                                             **{"If-None-Match": '"0000", ' + etag}))
    if st != 304:
        fail("If-None-Match listing the ETag second: %d" % st)
    st, _, body = request(port, headers=dict(bearer(admin), **{"If-None-Match": '"00"'}))
    if st != 200 or body != want:
        fail("If-None-Match with another tag: %d" % st)

    # 401 without, with wrong, revoked or mismatched credentials
    for what, h in (("no credentials", {}),
                    ("a revoked token", bearer(old)),
                    ("a wrong token", bearer(admin[:-1] + ("0" if admin[-1] != "0" else "1"))),
                    ("not a token", bearer("letmein")),
                    ("Basic naming another actor", basic("alice", admin)),
                    ("Basic with a revoked token", basic("admin", old))):
        st, r, body = request(port, headers=h)
        if st != 401:
            fail("%s: %d, not 401" % (what, st))
        if "Bearer" not in (r.getheader("WWW-Authenticate") or ""):
            fail("%s: no WWW-Authenticate" % what)
        if want[:200] in body:
            fail("%s: the dashboard was sent" % what)
    st, _, _ = request(port, headers=bearer(alice))
    if st != 403:
        fail("an actor without inventory.read: %d, not 403" % st)
    st, r, _ = request(port, method="POST", headers=bearer(admin))
    if st != 405 or "GET" not in (r.getheader("Allow") or ""):
        fail("POST: %d, Allow %r" % (st, r.getheader("Allow")))
    st, _, _ = request(port, path="/etc/passwd", headers=bearer(admin))
    if st != 404:
        fail("another path: %d" % st)

    # the connection limit: two held open, the third gets no answer
    held = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(2)]
    time.sleep(0.5)
    third = socket.create_connection(("127.0.0.1", port), timeout=5)
    try:
        third.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                      + admin.encode() + b"\r\n\r\n")
        got = third.recv(100)
    except (ConnectionResetError, BrokenPipeError):
        got = b""
    except socket.timeout:
        fail("the third connection was neither answered nor closed")
    if got:
        fail("a third connection beyond --max-connections 2 was answered: %r" % got[:40])
    third.close()
    for s in held:
        s.close()
    time.sleep(0.5)
    st, _, body = request(port, headers=bearer(admin))
    if st != 200 or body != want:
        fail("after the held connections closed: %d" % st)

    srv.send_signal(signal.SIGTERM)
    try:
        rc = srv.wait(timeout=10)
    except subprocess.TimeoutExpired:
        fail("serve did not stop on SIGTERM")
    err = srv.stderr.read()
    if rc != 0:
        fail("serve exited %d on SIGTERM: %s" % (rc, err))
    if "stopped" not in err:
        fail("serve did not say it stopped: %s" % err)
    # nothing was written while it ran: one render, every other answer
    # from it
    if "(the page rendered 1 times)" not in err:
        fail("serve rendered the unchanged book's page more than once: %s" % err)
finally:
    if srv.poll() is None:
        srv.kill()
        srv.wait()

if book_bytes() != before:
    fail("serving changed the book's file")

# --max-requests: ends by itself after N answered requests. A sale made
# by another process while it serves reaches the next answer: the page is
# rendered again (the book's audit head moved), then served from that.
srv = subprocess.Popen([BO, "serve", "--listen", "127.0.0.1:0", "--from", FROM, "--to", TO,
                        "--max-requests", "4"], env=ENV, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True)
port = int(srv.stdout.readline())
for _ in range(2):
    st, _, body = request(port, headers=bearer(admin))
    if st != 200 or body != want:
        fail("--max-requests: %d" % st)
bo("inventory", "sell", "--date", "2026-01-06", "--key", "s3", "A@S1=1x5.00",
   "pay:cash=5.00")
bo("report", "dashboard", file, "--from", FROM, "--to", TO)
with open(file, "rb") as f:
    after = f.read()
if after == want:
    fail("the sale of 2026-01-06 did not change the dashboard's file")
for _ in range(2):
    st, r, body = request(port, headers=bearer(admin))
    if st != 200 or body != after:
        fail("after a sale made meanwhile: %d, %s the new file" %
             (st, "not" if body != after else "is"))
    if r.getheader("ETag") != '"%s"' % hashlib.sha256(after).hexdigest():
        fail("after a sale made meanwhile: the ETag is not the new body's")
try:
    if srv.wait(timeout=10) != 0:
        fail("--max-requests 4: exit %d" % srv.returncode)
except subprocess.TimeoutExpired:
    srv.kill()
    fail("--max-requests 4 did not stop after four requests")
err = srv.stderr.read()
if "(the page rendered 2 times)" not in err:
    fail("a sale made meanwhile: not rendered once before and once after it: %s" % err)
print("serve: 200 byte-identical, ETag/304, 401 x6, 403, 405, 404, limit 2, clean stop, "
      "rendered again only after a change")
