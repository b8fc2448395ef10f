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

# Put it back: the chain is whole again. Then delete a record.
sqlite3 "$BOOK" "UPDATE audit_log SET detail = substr(detail, 1, length(detail) - 1) WHERE seq = $seq"
ok "$BO" audit verify
sqlite3 "$BOOK" "DELETE FROM audit_log WHERE seq = $seq"
expect 2 "$BO" audit verify
err_has "backoffice: "
echo "cli_audit: ok"
