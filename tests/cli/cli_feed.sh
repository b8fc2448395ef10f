# The change feed from the command line: read in positions matching the
# audit chain, consumers' positions, retention with the expiry error,
# bad input named, and the wait.
. "$(dirname "$0")/lib.sh"

command -v sqlite3 >/dev/null 2>&1 ||
    fail "the sqlite3 shell is missing (package sqlite3: make test-deps)"

new_book
ok "$BO" post --date 2026-01-02 --memo "one" 1000=1.00 4000=-1.00
ok "$BO" post --date 2026-01-03 --memo "two" 1000=2.00 4000=-2.00

ok "$BO" --format json feed head
"$PYTHON" - "$OUT" <<'PY' || fail "feed head JSON"
import json, sys
h = json.load(open(sys.argv[1]))
assert h["first"] == 1 and h["last"] >= 3, h
PY
last=$("$PYTHON" -c 'import json,sys; print(json.load(open(sys.argv[1]))["last"])' "$OUT")

# Replay from 0 is the audit chain, record by record.
ok "$BO" --format json feed read --after 0 --limit 10000
cp "$OUT" "$WORK/feed.json"
ok "$BO" --format json audit list
"$PYTHON" - "$WORK/feed.json" "$OUT" <<'PY' || fail "feed read against audit list"
import json, sys
feed = json.load(open(sys.argv[1]))
audit = json.load(open(sys.argv[2]))
assert [r["position"] for r in feed] == list(range(1, len(feed) + 1)), feed
assert [(r["event_id"], r["kind"], r["object"]) for r in feed] == \
       [(r["seq"], r["action"], r["object"]) for r in audit]
assert feed[-1]["kind"] == "ledger.entry.post"
PY

# Consumers.
ok "$BO" feed save shop 2
ok "$BO" --format json feed position shop
out_has '"position": 2'
expect 2 "$BO" feed save shop 1
err_has "consumer 'shop' saved, 2"
expect 2 "$BO" feed save "shop;x" 3
err_has "consumer: byte 0x3b"
expect 2 "$BO" feed read --after -1
err_has "after: position -1 is negative"
ok "$BO" --format json feed position shop
out_has '"position": 2'

# Retention: events older than it are pruned; reading from before them is
# an error naming the position, never a silent skip.
ok "$BO" feed retention 3
out_has "3"
# (on SQLite the feed is read from audit_log: an event's time is its record's)
sqlite3 "$BOOK" "UPDATE audit_log SET at = '2000-01-01T00:00:00.000Z' WHERE seq IN (SELECT event_id FROM feed_events WHERE position <= 2)"
ok "$BO" --format json feed prune
out_has '"removed": 2'
expect 2 "$BO" feed read --after 0
err_has "after: position 0 is past the feed's retention"
ok "$BO" --format json feed read --after 2
"$PYTHON" - "$OUT" "$last" <<'PY' || fail "feed read after the pruned events"
import json, sys
rows = json.load(open(sys.argv[1]))
# the retention setting is one more event
assert [r["position"] for r in rows] == list(range(3, int(sys.argv[2]) + 2)), rows
assert rows[-1]["kind"] == "feed.retention.set", rows
PY

# Wait: returns at the timeout with nothing new.
last=$((last + 1))
ok "$BO" --format json feed wait --after "$last" --timeout 50
out_has "\"last\": $last"
out_has '"woken": 0'
