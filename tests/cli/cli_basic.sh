# init, post, balance, entry, reverse, reports in table, CSV and JSON.
. "$(dirname "$0")/lib.sh"

ok "$BO" version
out_has "library"
ok "$BO" --help
out_has "trial-balance"
ok "$BO" post --help
out_has "ACCOUNT=AMOUNT"

new_book
out_has "CLI test shop"

ok "$BO" accounts
out_has "Online sales"
ok "$BO" --format json accounts
"$PYTHON" -m json.tool "$OUT" >/dev/null || fail "accounts: invalid JSON"

# Sales in USD, EUR and JPY (no decimals): each amount is read in its
# account's currency.
ok "$BO" post --date 2026-01-02 --memo "Opening capital" 1100=5000.00 3000=-5000.00
out_has "entry"
ok "$BO" post --date 2026-01-03 --memo "Cash sale" --key sale-1 1000=19.99 4000=-19.99
sale=$(post_id post --date 2026-01-03 --memo "Cash sale" --key sale-1 1000=19.99 4000=-19.99)
ok "$BO" post --date 2026-01-04 --memo "Web order" 1100=5.01 4010=-5.01
ok "$BO" post --date 2026-01-05 --memo "Euro sale" 1300=10.50 4300=-10.50
ok "$BO" post --date 2026-01-05 --memo "Yen sale" 1400=1500 4400=-1500
ok "$BO" post --date 2026-01-06 --memo "Explicit currency" 1300=2.25:EUR 4300=-2.25:EUR

# The replayed key returned the same entry and recorded nothing.
ok "$BO" --format csv balance 1000
out_has "19.99"
ok "$BO" balance 1000
out_has "19.99"
out_has "USD"
ok "$BO" balance 1400
out_has "1500"
ok "$BO" --format json balance 1400
"$PYTHON" - "$OUT" <<'PY' || fail "balance 1400 JSON"
import json, sys
b = json.load(open(sys.argv[1]))
assert b["balance"] == 1500 and b["currency"] == "JPY", b
PY
ok "$BO" balance 4000
out_has "-25.00"
ok "$BO" balance 4000 --as-of 2026-01-03
out_has "-19.99"
ok "$BO" balance 1300
out_has "12.75"

ok "$BO" entry "$sale"
out_has "Cash sale"
out_has "sale-1"
out_has "19.99"

# Reverse the web order, then the sales account holds the cash sale only.
web=$(post_id post --date 2026-01-07 --memo "Refund me" 1100=1.00 4010=-1.00)
ok "$BO" reverse "$web" --date 2026-01-08 --key rev-1
ok "$BO" balance 4010
out_has "-5.01"
expect 2 "$BO" reverse "$web" --date 2026-01-08
err_has "backoffice: "

# Trial balance: table, CSV (debits equal credits per currency), JSON.
ok "$BO" trial-balance
out_has "code"
out_has "debit"
out_has "5000.00"
out_has "1500"
ok "$BO" --format csv trial-balance
"$PYTHON" - "$OUT" <<'PY' || fail "trial balance CSV does not balance"
import csv, sys
from decimal import Decimal
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
assert rows, "no rows"
tot = {}
for r in rows:
    d, c = tot.get(r["currency"], (Decimal(0), Decimal(0)))
    tot[r["currency"]] = (d + Decimal(r["debit"] or 0), c + Decimal(r["credit"] or 0))
assert set(tot) == {"USD", "EUR", "JPY"}, tot
for ccy, (d, c) in tot.items():
    assert d == c, (ccy, d, c)
assert tot["JPY"][0] == 1500, tot
PY
ok "$BO" --format json trial-balance
"$PYTHON" -m json.tool "$OUT" >/dev/null || fail "trial balance: invalid JSON"
"$PYTHON" - "$OUT" <<'PY' || fail "trial balance JSON"
import json, sys
rows = json.load(open(sys.argv[1]))
assert isinstance(rows, list) and rows
usd = [r for r in rows if r["currency"] == "USD"]
assert sum(r["debit"] for r in usd) == sum(r["credit"] for r in usd)
assert all(isinstance(r["debit"], int) for r in rows)
cash = [r for r in rows if r["code"] == "1000"][0]
assert cash["debit"] == 1999, cash
PY
ok "$BO" trial-balance --as-of 2026-01-02 --format csv
out_has "1100"
grep -q "^1000," "$OUT" && fail "trial balance at 2026-01-02 shows later postings"

ok "$BO" journal --account 4000
out_has "Cash sale"
out_has "Web order"
ok "$BO" --format json journal --from 2026-01-05 --to 2026-01-05
"$PYTHON" - "$OUT" <<'PY' || fail "journal JSON"
import json, sys
rows = json.load(open(sys.argv[1]))
assert len(rows) == 4, rows
assert {r["date"] for r in rows} == {"2026-01-05"}
PY
ok "$BO" balance-sheet --as-of 2026-01-31
out_has "current earnings"
ok "$BO" income-statement --from 2026-01-01 --to 2026-01-31
out_has "net income"
ok "$BO" --format json income-statement --from 2026-01-01 --to 2026-01-31
"$PYTHON" -m json.tool "$OUT" >/dev/null || fail "income statement: invalid JSON"

# Periods and accounts from the command line.
ok "$BO" account-add 6000 "Rent & rates" expense
ok "$BO" account-add 6010 "Shop rent" expense --parent 6000
ok "$BO" --format csv accounts
out_has '6010,Shop rent,expense,6000,USD,0'
ok "$BO" period-add 2026-02 2026-02-01 2026-02-28
ok "$BO" --format csv periods
out_has "2026-02,2026-02-01,2026-02-28,0"
echo "cli_basic: ok"
