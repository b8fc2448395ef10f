# The report subcommands: the metrics of a small shop, and its dashboard
# opened in a real headless Chromium. The page must parse as XML, reference
# nothing outside itself, have one bar per day whose data-value is that
# day's net sales read from the ledger (the movement of the sales account),
# bar heights proportional within half a pixel, a screenshot that is not
# blank, and the figures in the text of its PDF print. The same book gives
# the same bytes twice.
. "$(dirname "$0")/lib.sh"

ok "$BO" report help
out_has "dashboard OUT --from D --to D"

new_book
ok "$BO" account-add 1200 Inventory asset
ok "$BO" account-add 2100 GRNI liability
ok "$BO" account-add 5100 COGS expense
ok "$BO" account-add 5200 Shrinkage expense
for kv in account.inventory=1200 account.cogs=5100 account.grni=2100 \
          account.adjustments=5200 account.revenue=4000 payment.cash=1000 payment.card=1100; do
    ok "$BO" inventory setting-set "${kv%%=*}" "${kv#*=}"
done
ok "$BO" inventory location-add S1 "Store one"
ok "$BO" inventory item-add A Widget
ok "$BO" inventory item-add B Beans --scale 3 --method average
ok "$BO" inventory receive A S1 100 100.00 --date 2026-01-01 --key r1
ok "$BO" inventory receive B S1 10.000 50.00 --date 2026-01-01 --key r2
# Net sales: 01-05 10.00 + 7.50, 01-06 nothing, 01-07 25.00, 01-08 5.00
# less the return of one A of the first sale (5.00) on 01-08.
ok "$BO" inventory sell --date 2026-01-05 --key s1 "A@S1=2x5.00" pay:cash=10.00
ok "$BO" inventory sell --date 2026-01-05 --key s2 "B@S1=1.500x5.00" pay:card=7.50
ok "$BO" inventory sell --date 2026-01-07 --key s3 "A@S1=5x5.00" pay:card=25.00
ok "$BO" inventory sell --date 2026-01-08 --key s4 "A@S1=1x5.00" pay:cash=5.00
ok "$BO" inventory return 1 1 1 --date 2026-01-08 --method cash --key ret1 2>/dev/null ||
    ok "$BO" inventory return 1 --line 1 --qty 1 --date 2026-01-08 --method cash --key ret1

ok "$BO" --format csv report metrics --from 2026-01-05 --to 2026-01-08 --by total
out_has "total,4,4,"
out_has ",47.50,0.00,5.00,42.50,"
ok "$BO" --format csv report metrics --from 2026-01-05 --to 2026-01-08 --by payment
out_has "cash,2,"
expect 1 "$BO" report metrics --from 2026-01-05 --to 2026-01-08 --by moon
err_has "--by"
expect 2 "$BO" report metrics --from 2026-01-05 --to 2026-01-08 --zones S1=Mars
err_has "zones"

ok "$BO" report dashboard "$WORK/d.html" --from 2026-01-05 --to 2026-01-08
ok "$BO" report dashboard "$WORK/d2.html" --from 2026-01-05 --to 2026-01-08
cmp -s "$WORK/d.html" "$WORK/d2.html" || fail "two dashboards of one book differ"
expect 2 "$BO" report dashboard "$WORK/bad.html" --from 2026-01-08 --to 2026-01-05
[ ! -e "$WORK/bad.html" ] || fail "a refused dashboard was written"

command -v xmllint >/dev/null || fail "xmllint is missing: install the Debian package libxml2-utils"
xmllint --noout "$WORK/d.html" 2>"$ERR" || fail "the dashboard is not well-formed XML"
xmllint --html --noout "$WORK/d.html" 2>"$ERR" || fail "the dashboard does not parse as HTML"

# The ledger's net sales per day: the sales account's movement.
: >"$WORK/ledger"
prev=0
for d in 2026-01-04 2026-01-05 2026-01-06 2026-01-07 2026-01-08; do
    "$BO" --format json balance 4000 --as-of "$d" >"$OUT" 2>"$ERR" || fail "balance"
    bal=$("$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)["balance"])' <"$OUT")
    [ "$d" = 2026-01-04 ] || echo "$d $((prev - bal))" >>"$WORK/ledger"
    prev=$bal
done

CHROME=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROME" ] || fail "chromium is missing: install the Debian package chromium"
run_chrome() {
    HOME="$WORK" timeout 120 "$CHROME" --headless --no-sandbox --disable-gpu \
        --no-first-run --disable-extensions --user-data-dir="$WORK/chrome" "$@" \
        2>>"$WORK/chrome.log"
}
run_chrome --dump-dom "file://$WORK/d.html" >"$WORK/dom.html" || fail "chromium --dump-dom"
run_chrome --screenshot="$WORK/shot.png" --window-size=1200,1600 "file://$WORK/d.html" \
    >/dev/null || fail "chromium --screenshot"
run_chrome --print-to-pdf="$WORK/d.pdf" --no-pdf-header-footer "file://$WORK/d.html" \
    >/dev/null || fail "chromium --print-to-pdf"
pdftotext -layout "$WORK/d.pdf" "$WORK/d.txt" || fail "pdftotext"

"$PYTHON" - "$WORK" <<'PY' || fail "the dashboard in Chromium (see above)"
import re, struct, sys, zlib
from html.parser import HTMLParser

work = sys.argv[1]
dom = open(f"{work}/dom.html", encoding="utf-8").read()
ledger = dict(line.split() for line in open(f"{work}/ledger"))
errors = []

class Bars(HTMLParser):
    def __init__(self):
        super().__init__()
        self.svg = None
        self.bars = []
        self.max = None
        self.urls = []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for k, v in attrs:
            if k in ("src", "href", "xlink:href", "action") or (v and "url(" in v):
                self.urls.append((tag, k, v))
        if tag == "svg":
            self.svg = a.get("id")
            if self.svg == "chart-days":
                self.max = int(a["data-max"])
        if tag == "rect" and self.svg == "chart-days":
            self.bars.append(a)
    def handle_endtag(self, tag):
        if tag == "svg":
            self.svg = None

p = Bars()
p.feed(dom)
if p.urls:
    errors.append(f"outside references: {p.urls}")
if re.search(r"https?:|<script|<link|<img|<iframe|@import", dom):
    errors.append("the page names an outside URL or runs a script")
if [b["data-key"] for b in p.bars] != list(ledger):
    errors.append(f"one bar per day: {[b['data-key'] for b in p.bars]} vs {list(ledger)}")
for b in p.bars:
    v = int(b["data-value"])
    if str(v) != ledger.get(b["data-key"]):
        errors.append(f"{b['data-key']}: bar {v}, ledger {ledger.get(b['data-key'])}")
    want = max(v, 0) * 200 / p.max if p.max else 0
    if abs(float(b["height"]) - want) > 0.5:
        errors.append(f"{b['data-key']}: height {b['height']} for {want:.2f}")
if len(p.bars) != 4 or ledger["2026-01-05"] != "1750":
    errors.append(f"the book is not the one described: {ledger}")

# The screenshot: a PNG whose pixels are not all one colour.
png = open(f"{work}/shot.png", "rb").read()
if png[:8] != b"\x89PNG\r\n\x1a\n":
    errors.append("the screenshot is not a PNG")
else:
    pos, idat, w = 8, b"", 0
    while pos < len(png):
        n, kind = struct.unpack(">I4s", png[pos:pos + 8])
        body = png[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    colours = len(set(raw[i:i + 3] for i in range(1, len(raw) - 3, 4 * 7)))
    if colours < 3:
        errors.append(f"the screenshot is blank ({colours} colours)")

text = open(f"{work}/d.txt", encoding="utf-8").read()
for figure in ("$42.50", "$17.50", "$25.00", "Net sales by day", "Receivables aging",
               "No cashier sessions"):
    if figure not in text:
        errors.append(f"the printed page lacks {figure!r}")

for e in errors:
    print("FAIL:", e)
sys.exit(1 if errors else 0)
PY
# ---- statements: HTML, PDF (pdftotext), CSV, XLSX (zipfile) ---------------
# 48 expense accounts of 1.00 each: the trial balance runs to a second page.
set --
i=1
while [ $i -le 48 ]; do
    n=$((6000 + i))
    ok "$BO" account-add $n "Expense $i" expense
    set -- "$@" "$n=1.00"
    i=$((i + 1))
done
ok "$BO" post --date 2026-01-06 --memo "many expenses" "$@" 1100=-48.00

ok "$BO" report statement income-statement "$WORK/is.pdf" --from 2026-01-05 --to 2026-01-08 \
    --compare period
ok "$BO" report statement income-statement "$WORK/is.csv" --from 2026-01-05 --to 2026-01-08
[ ! -s "$OUT" ] || fail "a statement written to a file printed something"
ok "$BO" report statement balance-sheet "$WORK/bs.html" --from 2026-01-08 --to 2026-01-08
ok "$BO" report statement trial-balance "$WORK/tb.pdf" --from 2026-01-08 --to 2026-01-08
ok "$BO" report statement trial-balance "$WORK/tb.xlsx" --from 2026-01-08 --to 2026-01-08
ok "$BO" report statement aging "$WORK/ag.csv" --from 2026-01-08 --to 2026-01-08
expect 2 "$BO" report statement cash-flow "$WORK/x.pdf" --from 2026-01-05 --to 2026-01-08 \
    --classes 1000=moon
err_has "classes: item 1"
expect 1 "$BO" report statement balance-sheet "$WORK/x.doc" --from 2026-01-05 --to 2026-01-08
[ ! -e "$WORK/x.pdf" ] && [ ! -e "$WORK/x.doc" ] || fail "a refused statement was written"

grep -qF ',4000,Sales,USD,42.50' "$WORK/is.csv" || fail "is.csv: sales"
grep -qF ',5100,COGS,USD,14.50' "$WORK/is.csv" || fail "is.csv: cost of goods"
grep -qF '<h2>Balance sheet</h2>' "$WORK/bs.html" || fail "bs.html: title"
grep -qF 'At the end of 2026-01-08' "$WORK/bs.html" || fail "bs.html: period"
xmllint --noout "$WORK/bs.html" 2>"$ERR" || fail "bs.html is not well-formed"

pdftotext -layout "$WORK/is.pdf" "$WORK/is.txt" || fail "pdftotext is.pdf"
grep -qF 'CLI test shop' "$WORK/is.txt" || fail "is.pdf: the book's name"
grep -qF 'Income statement' "$WORK/is.txt" || fail "is.pdf: the title"
grep -qF 'From 2026-01-05 to 2026-01-08; comparison 2026-01-01 to 2026-01-04' "$WORK/is.txt" ||
    fail "is.pdf: the period and its comparison"
grep -qF '$42.50' "$WORK/is.txt" || fail "is.pdf: sales"
# 42.50 - 14.50 - 48 x 1.00
grep -qF -- '-$20.00' "$WORK/is.txt" || fail "is.pdf: net income"
grep -qF 'Page 1 of 2' "$WORK/is.txt" || fail "is.pdf: page number"
pdftotext -layout "$WORK/tb.pdf" "$WORK/tb.txt" || fail "pdftotext tb.pdf"
grep -qF 'Page 1 of 2' "$WORK/tb.txt" || fail "tb.pdf: Page 1 of 2"
grep -qF 'Page 2 of 2' "$WORK/tb.txt" || fail "tb.pdf: Page 2 of 2"
grep -qF 'Expense 48' "$WORK/tb.txt" || fail "tb.pdf: the last account"
[ "$(pdfinfo "$WORK/tb.pdf" | awk '/^Pages:/ {print $2}')" = 2 ] || fail "tb.pdf: two pages"

"$PYTHON" - "$WORK/tb.xlsx" <<'PY' || fail "tb.xlsx (see above)"
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
strings = re.findall(r"<t[^>]*>([^<]*)</t>", z.read("xl/sharedStrings.xml").decode())
sheet = z.read("xl/worksheets/sheet1.xml").decode()
cells = {}
for ref, attrs, body in re.findall(r'<c r="([A-Z]+[0-9]+)"([^>]*)>(.*?)</c>', sheet):
    v = re.search(r"<v>([^<]*)</v>", body).group(1)
    cells[ref] = strings[int(v)] if 't="s"' in attrs else float(v)
errors = []
if cells.get("A1") != "CLI test shop" or cells.get("A2") != "Trial balance":
    errors.append(f"heading: {cells.get('A1')!r} {cells.get('A2')!r}")
rows = {r: c for r, c in cells.items()}
total = [r for r, v in cells.items() if v == "Total USD"]
if not total:
    errors.append("no total row")
else:
    n = re.sub(r"[A-Z]+", "", total[0])
    debit, credit = cells.get("E" + n), cells.get("F" + n)
    debits = sum(v for r, v in cells.items() if r[0] == "E" and isinstance(v, float)
                 and r != "E" + n)
    if debit != credit or abs(debits - debit) > 1e-9:
        errors.append(f"total debit {debit} credit {credit} sum {debits}")
acct = [r for r, v in cells.items() if v == "6048"]
if not acct or cells.get("E" + acct[0][1:]) != 1.0:
    errors.append("account 6048 does not show 1.00")
for e in errors:
    print("FAIL:", e)
sys.exit(1 if errors else 0)
PY

# ---- the cash-flow statement (indirect method) -----------------------------
# Independently: the change in cash is the movement of the till's payment
# accounts (1000 cash, 1100 card) in the ledger, net income the income
# statement's; the statement must explain one by the other.
ok "$BO" report statement cash-flow "$WORK/cf.pdf" --from 2026-01-01 --to 2026-01-08
ok "$BO" report statement cash-flow "$WORK/cf.html" --from 2026-01-01 --to 2026-01-08
ok "$BO" --format csv report cash-flow --from 2026-01-01 --to 2026-01-08
cp "$OUT" "$WORK/cf.csv"
ok "$BO" --format csv report cash-flow --from 2026-01-01 --to 2026-01-08 --classes 1200=investing
cp "$OUT" "$WORK/cf2.csv"
ok "$BO" --format csv report statement income-statement "$WORK/is2.csv" --from 2026-01-01 \
    --to 2026-01-08
cash=0
for a in 1000 1100; do
    for d in 2025-12-31 2026-01-08; do
        "$BO" --format json balance $a --as-of "$d" >"$OUT" 2>"$ERR" || fail "balance"
        bal=$("$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)["balance"])' <"$OUT")
        if [ $d = 2025-12-31 ]; then cash=$((cash - bal)); else cash=$((cash + bal)); fi
    done
done
echo "$cash" >"$WORK/cash"
run_chrome --dump-dom "file://$WORK/cf.html" >"$WORK/cfdom.html" || fail "chromium cf.html"
pdftotext -layout "$WORK/cf.pdf" "$WORK/cf.txt" || fail "pdftotext cf.pdf"
"$PYTHON" - "$WORK" <<'PY' || fail "the cash-flow statement (see above)"
import csv, re, sys
work = sys.argv[1]
cash = int(open(f"{work}/cash").read())
errors = []
def rows(name):
    with open(f"{work}/{name}", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))
def minor(text):
    return round(float(text) * 100)
cf = rows("cf.csv")
by = {r["name"]: minor(r["amount"]) for r in cf if r["amount"]}
net_income = [r for r in rows("is2.csv") if r["Account"] == "net income"]
if not net_income or by["Net income"] != minor(net_income[0]["Amount"]):
    errors.append(f"net income {by.get('Net income')} vs {net_income}")
if by["Net change in cash"] != cash:
    errors.append(f"net change in cash {by['Net change in cash']} vs the ledger's {cash}")
sections = sum(minor(r["amount"]) for r in cf if r["name"].startswith("Net cash from"))
if sections != cash:
    errors.append(f"the sections add up to {sections}, not {cash}")
if by["Cash at the end"] - by["Cash at the beginning"] != cash:
    errors.append("cash at the end - cash at the beginning")
# inventory bought is working capital by default, investing when told
inv = [r for r in cf if r["code"] == "1200"]
inv2 = [r for r in rows("cf2.csv") if r["code"] == "1200"]
if not inv or inv[0]["section"] != "operating" or not inv2 or inv2[0]["section"] != "investing":
    errors.append(f"the class of 1200: {inv} then {inv2}")
# the browser's DOM: the net change row carries the ledger's figure
dom = open(f"{work}/cfdom.html", encoding="utf-8").read()
m = re.search(r"Net change in cash</td><td>USD</td><td[^>]*data-value=\"(-?\d+)\"", dom)
if not m or int(m.group(1)) != cash:
    errors.append(f"the DOM's net change: {m and m.group(1)}")
text = open(f"{work}/cf.txt", encoding="utf-8").read()
money = ("-" if cash < 0 else "") + "${:,.2f}".format(abs(cash) / 100)
for want in ("CLI test shop", "Cash-flow statement", "From 2026-01-01 to 2026-01-08",
             "Net income", "Net cash from operating activities", "Page 1 of 1"):
    if want not in text:
        errors.append(f"cf.pdf: no {want!r}")
if not re.search(r"Net change in cash\s+USD\s+" + re.escape(money), text):
    errors.append(f"cf.pdf: the net change {money}")
for e in errors:
    print("FAIL:", e)
sys.exit(1 if errors else 0)
PY

# ---- payslips and the payroll register as PDF -------------------------------
new_book
for a in "2100 NetPay liability" "2210 IncomeTax liability" "2220 Pension liability" \
         "5100 Wages expense" "5200 PensionCost expense"; do
    # shellcheck disable=SC2086
    ok "$BO" account-add $a
done
ok "$BO" payroll pack-load "$SRC/../../data/payroll/generic.yaml"
ok "$BO" payroll employee-add E1 "Ann Lee" --start 2024-01-01
ok "$BO" payroll terms-set E1 salary 2500.00 --effective 2024-01-01
ok "$BO" payroll employee-add E2 "Bob Hill" --start 2024-01-01
ok "$BO" payroll terms-set E2 salary 4000.00 --effective 2024-01-01
ok "$BO" --format csv payroll run-create 2024-01 generic --from 2024-01-01 --to 2024-01-31
ok "$BO" payroll run-calculate 1
ok "$BO" --format csv payroll register 1
cp "$OUT" "$WORK/reg-run.csv"
ok "$BO" report payroll-register 1 "$WORK/reg.pdf"
ok "$BO" report payslip 1 E2 "$WORK/slip.pdf"
expect 2 "$BO" report payslip 1 E9 "$WORK/none.pdf"
err_has "number"
[ ! -e "$WORK/none.pdf" ] || fail "a refused payslip was written"
pdftotext -layout "$WORK/reg.pdf" "$WORK/reg.txt" || fail "pdftotext reg.pdf"
pdftotext -layout "$WORK/slip.pdf" "$WORK/slip.txt" || fail "pdftotext slip.pdf"
"$PYTHON" - "$WORK" <<'PY' || fail "the payroll documents (see above)"
import csv, sys
work = sys.argv[1]
errors = []
run = list(csv.DictReader(open(f"{work}/reg-run.csv", newline="", encoding="utf-8")))
reg = open(f"{work}/reg.txt", encoding="utf-8").read()
for r in run:
    if r["name"] not in reg:
        errors.append(f"reg.pdf: no {r['name']}")
def money(x):
    return "${:,.2f}".format(x)
# the PDF's total row equals the run's totals, column by column
total = [l for l in reg.splitlines() if "Total (2 employees)" in l]
want = [money(sum(float(r[c]) for r in run))
        for c in ("gross", "deductions_total", "net", "employer_cost")]
if not total or total[0].split()[-4:] != want:
    errors.append(f"reg.pdf: the total row {total} is not the run's {want}")
slip = open(f"{work}/slip.txt", encoding="utf-8").read()
bob = [r for r in run if r["number"] == "E2"][0]
for want in ("Payslip", "Employee E2: Bob Hill", "salary", "income_tax",
             money(float(bob["gross"])), money(float(bob["net"])), "Page 1 of 1"):
    if want not in slip:
        errors.append(f"slip.pdf: no {want!r}")
if "Ann Lee" in slip:
    errors.append("slip.pdf: another employee's name")
for e in errors:
    print("FAIL:", e)
sys.exit(1 if errors else 0)
PY

echo "cli_report: ok"
