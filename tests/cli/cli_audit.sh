# The audit chain: verify passes, then a byte changed in the SQLite file
# with the sqlite3 shell makes verify fail naming the record.
. "$(dirname "$0")/lib.sh"

command -v sqlite3 >/dev/null 2>&1 ||
    fail "the sqlite3 shell is missing (package sqlite3: make test-deps)"

new_book
ok "$BO" post --date 2026-01-02 --memo "one" 1000=1.00 4000=-1.00
ok "$BO" post --date 2026-01-03 --memo "two" 1000=2.00 4000=-2.00
ok "$BO" post --date 2026-01-04 --memo "three" 1000=3.00 4000=-3.00

ok "$BO" audit verify
out_has "intact"
ok "$BO" --format json audit head
"$PYTHON" - "$OUT" <<'PY' || fail "audit head JSON"
import json, sys
h = json.load(open(sys.argv[1]))
assert h["seq"] >= 4 and len(h["hash"]) == 64, h
PY
head_before=$(cat "$OUT")
ok "$BO" --format json audit list --from 2
"$PYTHON" - "$OUT" <<'PY' || fail "audit list JSON"
import json, sys
rows = json.load(open(sys.argv[1]))
assert rows and rows[0]["seq"] == 2, rows
assert [r["seq"] for r in rows] == sorted(r["seq"] for r in rows)
PY
ok "$BO" --format json audit head
[ "$(cat "$OUT")" = "$head_before" ] || fail "reading changed the audit head"

# Pick a record in the middle of the chain and change its detail.
seq=$(sqlite3 "$BOOK" "SELECT seq FROM audit_log ORDER BY seq LIMIT 1 OFFSET 2")
[ -n "$seq" ] || fail "no audit record to tamper with"
sqlite3 "$BOOK" "UPDATE audit_log SET detail = detail || ' ' WHERE seq = $seq"
expect 2 "$BO" audit verify
err_has "backoffice: "
grep -qE -- "(record|seq)[^0-9]*$seq([^0-9]|\$)" "$ERR" ||
    fail "verify does not name record $seq"

# Put it back: the chain is whole again.
sqlite3 "$BOOK" "UPDATE audit_log SET detail = substr(detail, 1, length(detail) - 1) WHERE seq = $seq"
ok "$BO" audit verify

# The books themselves: a posting's amount changed leaves the chain whole
# (--chain-only passes) but the full verification, the default, names it.
entry=$(sqlite3 "$BOOK" "SELECT MAX(entry_id) FROM postings")
sqlite3 "$BOOK" "UPDATE postings SET amount = amount + 1 WHERE entry_id = $entry AND line = 2"
ok "$BO" audit verify --chain-only
out_has "intact"
expect 2 "$BO" audit verify
err_has "postings: entry $entry line 2: amount differs from audit record"
expect 2 "$BO" --format json audit verify --list
"$PYTHON" - "$OUT" "$entry" <<'PY' || fail "audit verify --list JSON"
import json, sys
rows = json.load(open(sys.argv[1]))
assert rows[0]["table"] == "postings", rows
assert rows[0]["record"] == "entry %s line 2" % sys.argv[2], rows
assert any(r["table"] == "account_days" for r in rows), rows
PY
expect 1 "$BO" audit verify --chain-only=yes
expect 1 "$BO" audit head --list
sqlite3 "$BOOK" "UPDATE postings SET amount = amount - 1 WHERE entry_id = $entry AND line = 2"
ok "$BO" audit verify

# A head kept outside the book finds its end cut off.
ok "$BO" --format json audit head
anchor=$("$PYTHON" -c 'import json, sys; h = json.load(open(sys.argv[1])); print("%d:%s" % (h["seq"], h["hash"]))' "$OUT")
ok "$BO" audit verify --anchor "$anchor"
expect 1 "$BO" audit verify --anchor "12:nothex"
last=$(sqlite3 "$BOOK" "SELECT MAX(seq) FROM audit_log")
sqlite3 "$BOOK" "DELETE FROM audit_log WHERE seq = $last"
ok "$BO" audit verify --chain-only
expect 2 "$BO" audit verify --chain-only --anchor "$anchor"
err_has "before the anchor"

# Then delete a record in the middle.
sqlite3 "$BOOK" "DELETE FROM audit_log WHERE seq = $seq"
expect 2 "$BO" audit verify
err_has "backoffice: "
echo "cli_audit: ok"
