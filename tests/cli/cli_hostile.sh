# Hostile strings in memos, keys and names are stored and printed back byte
# for byte, and never run as SQL.
. "$(dirname "$0")/lib.sh"

new_book

check_memo() {
    memo=$1
    id=$(post_id post --date 2026-03-01 --memo "$memo" 1000=1.00 4000=-1.00)
    [ -n "$id" ] || fail "no entry id for memo"
    # JSON: decoded memo equals the argument exactly.
    ok "$BO" --format json entry "$id"
    "$PYTHON" - "$OUT" "$memo" <<'PY' || fail "memo changed on the way (JSON)"
import json, os, sys
rows = json.load(open(sys.argv[1], encoding="utf-8"))
want = os.fsencode(sys.argv[2]).decode("utf-8")
assert rows and all(r["memo"] == want for r in rows), (rows, want)
PY
    # CSV: the RFC 4180 field decodes to the same bytes.
    ok "$BO" --format csv entry "$id"
    "$PYTHON" - "$OUT" "$memo" <<'PY' || fail "memo changed on the way (CSV)"
import csv, os, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
want = os.fsencode(sys.argv[2]).decode("utf-8")
assert rows and all(r["memo"] == want for r in rows), (rows, want)
PY
    # Table: the memo appears verbatim, its control characters escaped
    # (a tab as \t, a line feed as \n): one line per posting, no more.
    ok "$BO" entry "$id"
    shown=$(printf '%s' "$memo" | "$PYTHON" -c 'import sys; sys.stdout.write(sys.stdin.read().replace("\t", "\\t").replace("\n", "\\n"))')
    grep -qF -- "$shown" "$OUT" || fail "memo not shown in the table"
    [ "$(wc -l <"$OUT")" -eq 4 ] || fail "the memo changed the table's lines"
}

check_memo "'); DROP TABLE accounts;--"
check_memo "Robert'); DROP TABLE entries; --"
check_memo 'He said "hello", then left'
check_memo "it's a \"quoted\", comma'd memo"
check_memo '%s%n%x \\ back\slash $(id) `id`'
check_memo "$(printf 'Caf\303\251 \342\202\254 \360\237\233\222 na\303\257ve')"
check_memo "tab	inside"
check_memo "line one
line two"

# The schema survived: the chart is still there and the books balance.
ok "$BO" --format csv accounts
out_has "1000,Cash"
ok "$BO" balance 1000
out_has "8.00"

# Hostile keys and account names round-trip too.
id=$(post_id post --date 2026-03-02 --key "k'); DROP TABLE audit_log;--" 1000=2.00 4000=-2.00)
id2=$(post_id post --date 2026-03-02 --key "k'); DROP TABLE audit_log;--" 1000=2.00 4000=-2.00)
[ "$id" = "$id2" ] || fail "hostile key: replay gave $id2, first post $id"
ok "$BO" account-add 7777 "Robert'); DROP TABLE accounts;-- \"x\"" expense
ok "$BO" --format json accounts
"$PYTHON" - "$OUT" <<'PY' || fail "hostile account name"
import json, sys
rows = json.load(open(sys.argv[1]))
names = {r["code"]: r["name"] for r in rows}
assert names["7777"] == "Robert'); DROP TABLE accounts;-- \"x\"", names
PY
ok "$BO" audit verify
echo "cli_hostile: ok"
