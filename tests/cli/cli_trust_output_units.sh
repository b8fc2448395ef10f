# Issue 12 item 8, money in one unit on screen: a known book with rows in
# every domain (a yen and a dinar account, a euro invoice, a euro bank
# statement, quantities at scale 3, a pay run, documents), then EVERY
# listing and report the command offers, found in its own help, in table,
# CSV and JSON. Each integer column must be classified below (money in the
# row's currency, money in the base currency, a quantity, or a plain
# number): money shows as decimals of its currency and quantities at their
# scale in tables and CSV, formatted here independently; JSON keeps the
# integers beside their currency and scale. A command the walk does not
# know fails the test, so a new listing cannot be forgotten.
. "$(dirname "$0")/lib.sh"
DATA="$SRC/../data/billing"
PACK="$SRC/../../data/payroll/generic.yaml"

new_book
for a in "1200 Receivables asset" "1210 Inventory asset" "1310 EurBank asset --currency EUR" \
         "1500 Dinar asset --currency KWD" "2050 GRNI liability" "2100 TaxPayable liability" \
         "2210 IncomeTax liability" "2220 Pension liability" "4500 DinarSales income --currency KWD" \
         "5100 Wages expense" "5200 PensionCost expense" "5300 COGS expense" \
         "5400 Shrinkage expense" "6950 BankFees expense"; do
    # shellcheck disable=SC2086
    ok "$BO" account-add $a
done
ok "$BO" period-add 2026-03 2026-03-01 2026-03-31
# A closed year with nothing to move (before every date below, which it
# would refuse): one row in year-closings.
ok "$BO" year-close 2023-12-31 --retained 3000
# Entries 1-3: yen (no decimals), dinar (three), euro.
ok "$BO" post --date 2026-03-01 --memo "Yen sale" 1400=5000 4400=-5000
ok "$BO" post --date 2026-03-01 --memo "Dinar sale" 1500=1.250 4500=-1.250
ok "$BO" post --date 2026-03-01 --memo "Euro sale" 1300=12.34 4300=-12.34
ok "$BO" recurring-add --date 2026-03-01 --period month --count 3 --memo Rent 1300=1.00 4300=-1.00

# Commerce and billing: a USD invoice paid in part, a euro invoice.
ok "$BO" tax-rate-add VAT20 "VAT 20%" 20% 2100
ok "$BO" tax-category-add standard Standard VAT20
ok "$BO" party-add C1 "Mrs Smith" customer
ok "$BO" party-add C2 "Herr Euro" customer --currency EUR
ok "$BO" party-add V1 Acme vendor
ok "$BO" billing setting receivable_account 1200
ok "$BO" billing setting payable_account 2000
ok "$BO" billing rate EUR 2026-03-01 1.10
ok "$BO" billing invoice C1 4000 100.00 --tax standard --date 2026-03-01
ok "$BO" billing invoice C2 4300 50.00 --currency EUR --date 2026-03-01
ok "$BO" billing pay C1 20.00 1100 --invoice 1 --key p1 --date 2026-03-02
ok "$BO" --format csv billing bank-import 1100 "$DATA/statement.csv" --mapping "$DATA/statement.yaml"
out_has "1,1100,USD,100.00,215.50,2,1,2,0"
ok "$BO" --format csv billing bank-import 1310 "$DATA/statement.csv" --mapping "$DATA/statement.yaml"
out_has "2,1310,EUR,100.00,215.50,2,1,2,0"
ok "$BO" --format json billing bank-import 1310 "$DATA/statement.csv" --mapping "$DATA/statement.yaml"
out_has '"opening": 10000, "closing": 21550'

# Inventory: A in pieces, B in grams (scale 3).
for kv in account.inventory=1210 account.cogs=5300 account.grni=2050 \
          account.adjustments=5400 account.revenue=4000 payment.cash=1000 payment.card=1100; do
    ok "$BO" inventory setting-set "${kv%%=*}" "${kv#*=}"
done
ok "$BO" inventory location-add S1 Store
ok "$BO" inventory location-add WH Warehouse --kind warehouse
ok "$BO" inventory item-add A Widget
ok "$BO" inventory item-add B Beans --scale 3 --method average
ok "$BO" inventory item-set A supplier V1
ok "$BO" inventory receive B WH 2.500 25.00 --date 2026-03-02 --key rb
ok "$BO" inventory receive A S1 10 40.00 --date 2026-03-02 --key ra
ok "$BO" inventory sell --date 2026-03-03 --key s1 "A@S1=2x5.00" "B@WH=1.250x8.00" pay:cash=20.00
ok "$BO" inventory hold B WH 0.250 --key h1
ok "$BO" inventory reorder-set A S1 20 50
ok "$BO" inventory po-add PO-1 V1 --date 2026-03-04
ok "$BO" inventory po-line 1 B WH 3.000 2.50 --expected 2026-03-20
ok "$BO" inventory po-receive 1 1 1.500 --date 2026-03-05 --key pr1
ok "$BO" inventory count-start WH --date 2026-03-06 --key c1
ok "$BO" inventory count-set 1 B 2.600
ok "$BO" inventory count-post 1 --key c1p
ok "$BO" inventory ship 1 --carrier DHL --key sh1
ok "$BO" inventory ship-status 1 shipped
# units, a price list and a promotion: a sale by the 100 g at the list's price
ok "$BO" inventory item-add C Coffee --scale 3
ok "$BO" inventory item-set C unit kg
ok "$BO" inventory receive C S1 2.000 30.00 --date 2026-03-02 --key rc
ok "$BO" inventory unit-set C 100g 1 10 --price 0.90
ok "$BO" inventory pricelist-add RETAIL --from 2026-01-01 --to 2026-12-31
ok "$BO" inventory pricelist-price RETAIL C 5.000 0.80 --unit 100g
ok "$BO" inventory promotion-set B2G1 buy_get --sku C --buy 2 --get 1
ok "$BO" inventory promotion-set TEN percent --sku C --value 1000
ok "$BO" inventory sell --date 2026-03-07 --key s2 "C@S1=6/100g" pay:cash=2.88
ok "$BO" inventory item-add MILK Milk
ok "$BO" inventory track MILK lot
ok "$BO" inventory receive-picked MILK S1 5 4.50 L1 --expiry 2026-03-08 --date 2026-03-02 --key rm
ok "$BO" inventory item-add PHONE Phone
ok "$BO" inventory track PHONE serial
ok "$BO" inventory receive-picked PHONE S1 1 300.00 SN1 --date 2026-03-02 --key rp
ok "$BO" inventory sell --date 2026-03-03 --key s3 --picks "1=L1:2" "MILK@S1=2x1.50" pay:cash=3.00

# Payroll: one posted run.
ok "$BO" payroll pack-load "$PACK"
ok "$BO" payroll employee-add E1 "Ann Lee" --start 2024-01-01
ok "$BO" payroll terms-set E1 salary 2500.00 --effective 2024-01-01
ok "$BO" payroll hours E1 2024-01-05 regular 7.5 --key hr1
ok "$BO" payroll run-create 2024-01 generic --from 2024-01-01 --to 2024-01-31
ok "$BO" payroll run-calculate 1
ok "$BO" payroll run-approve 1
ok "$BO" payroll run-post 1
# People: a shift type, a night shift with its punches and attendance, a
# holiday, a leave policy with a request.
ok "$BO" people shift-type-add NIGHT 18:00 07:00 --break 60
ok "$BO" people assign E1 2024-01-08 NIGHT S1 cashier
ok "$BO" people punch E1 2024-01-08T17:58 in --key pu1
ok "$BO" people punch E1 2024-01-09T07:03 out --key pu2
ok "$BO" people attendance-run --from 2024-01-08 --to 2024-01-08 --now 2024-01-10T00:00
ok "$BO" people holiday-add default 2024-01-01 "New Year"
ok "$BO" people leave-policy-add ANNUAL yearly 12 --cap 24 --carry 6 --carry-months 3
ok "$BO" people leave-entitle E1 ANNUAL 2024-01-01
ok "$BO" people leave-request E1 ANNUAL 2024-02-05 2024-02-06

# Documents.
printf 'hello' >"$WORK/f.txt"
ok "$BO" document field-add invoice supplier text
ok "$BO" document add "$WORK/f.txt" --type invoice --title "Scan" --date 2026-03-01 --meta supplier=Acme
ok "$BO" document link 1 entry 1
ok "$BO" document type-add memo --years 3
# The book as an offline terminal (its outbox, status).
ok "$BO" sync setup T1 "$WORK/central.db"

"$PYTHON" - "$BO" <<'PY' || fail "the walk over every listing failed (see above)"
import csv, io, json, re, subprocess, sys

BO = sys.argv[1]
BASE = "USD"
EXPONENT = {"USD": 2, "EUR": 2, "JPY": 0, "KWD": 3}

# Every listing and report, with the invocations that give it rows.
LISTINGS = {
    "accounts": [[]], "periods": [[]], "year-closings": [[]], "roles": [[]], "tokens": [[]],
    "trial-balance": [[]],
    "balance-sheet": [[]], "journal": [[]], "tax-rates": [[]], "tax-categories": [[]],
    "parties": [[]], "version": [[]],
    "entry": [["1"], ["2"], ["3"], ["5"]],
    "balance": [["1400"], ["1500"], ["1300"], ["1000"]],
    "income-statement": [["--from", "2026-01-01", "--to", "2026-12-31"]],
    "audit": [["list"], ["head"], ["verify"]],
    "tax": [["standard", "10.00"]],
    "party": [["C2"]],
    "inventory locations": [[]], "inventory item": [["B"]], "inventory items": [[]],
    "recurring-list": [[]], "inventory settings": [[]], "inventory stock": [[]], "inventory history": [[]],
    "inventory valuation": [[]], "inventory layers": [["A", "S1"]],
    "inventory sale": [["1"], ["2"], ["3"]], "inventory holds": [[]], "inventory reorder": [[]],
    "inventory stock-row": [["1"]], "inventory po-lines": [["1"]],
    "inventory count-lines": [["1"]], "inventory ship-history": [["1"]],
    "inventory units": [[]], "inventory pricelists": [[]], "inventory promotions": [[]],
    "inventory unit-convert": [["C", "2.500", "--from", "100g"]],
    "inventory lots": [["MILK"]], "inventory recall": [["MILK", "L1"]],
    "inventory expiring": [["--date", "2026-03-03", "--days", "7"]],
    "inventory serials": [["PHONE"]], "inventory serial": [["PHONE", "SN1"]],
    "inventory gs1": [["(01)09506000134352(17)261200(10)L1"]],
    "billing invoices": [[]], "billing aging": [["--as-of", "2026-06-30"]],
    "billing statement": [["C1", "--from", "2026-03-01", "--to", "2026-03-31"]],
    "billing tax-report": [["--from", "2026-03-01", "--to", "2026-03-31"]],
    "billing cash-flow": [["--from", "2026-03-01", "--to", "2026-03-31"]],
    "billing bank-lines": [["1"], ["2"]],
    "payroll packs": [[]], "payroll pack-eval": [["generic", "salary", "base_salary=250000"]],
    "payroll employee-get": [["E1"]], "payroll employees": [[]],
    "payroll search": [["Ann"]], "payroll terms": [["E1"]], "payroll time": [["E1"]],
    "payroll runs": [[]], "payroll run-state": [["1"]],
    "payroll payslip-lines": [["1", "E1"]], "payroll register": [["1"]],
    "payroll ytd": [["E1", "2024"]],
    "document get": [["1"]], "document meta": [["1"]], "document versions": [["1"]],
    "document links": [["1"]], "document linked": [["entry", "1"]],
    "document search": [[]], "document count": [[]], "document verify": [[]],
    "document types": [[]], "document limit": [[]],
    "people shift-types": [[]], "people holidays": [["default", "--from", "2024-01-01",
                                                     "--to", "2024-12-31"]],
    "people shifts": [["--from", "2024-01-01", "--to", "2024-01-31"]],
    "people attendance": [["E1", "--from", "2024-01-01", "--to", "2024-01-31"]],
    "people leave-requests": [[]], "people leave-balance": [["E1", "ANNUAL", "2024-12-31"]],
    "people check": [["E1", "2024-01-08", "NIGHT", "S1"]],
    "report metrics": [["--from", "2026-01-01", "--to", "2026-12-31", "--by", g]
                       for g in ("total", "day", "item", "payment")],
    "report cash-flow": [["--from", "2026-01-01", "--to", "2026-12-31"]],
    "people unavailability": [["--from", "2024-01-01", "--to", "2024-01-31"]],
    "people understaffed": [["S1", "--from", "2024-01-01", "--to", "2024-01-02"]],
    "people open-shifts": [["--from", "2024-01-01", "--to", "2024-01-31"]],
    "people swaps": [["--from", "2024-01-01", "--to", "2024-01-31"]],
    "people stages": [[]], "people openings": [[]], "people applicants": [[]],
    "sync status": [[]], "sync outbox": [[]], "sync inbox": [[]], "sync negative": [[]],
}
# Documents printed as they are (checked below on their own).
DOCUMENTS = {"payroll payslip", "payroll export", "payroll form-1721a1",
             "payroll withholding"}
# Commands that change the book and print at most ids (bank-import prints
# the statements listing; it is checked where the book is built).
ACTIONS = {
    "init", "copy", "export", "import", "account-add", "post", "reverse", "period-add", "period-close",
    "year-close", "year-reopen", "recurring-add", "recurring-run",
    "role-define", "grant", "revoke", "grant-location", "tax-rate-add", "tax-category-add", "party-add",
    "party-set", "token-create", "token-revoke", "serve",
    *("inventory " + s for s in (
        "location-add location-set item-add item-set barcode-add setting-set receive issue "
        "adjust transfer arrive sell return hold release expire reorder-set po-add po-line "
        "po-receive landed-cost count-start count-set count-post ship ship-status "
        "unit-set group-set pricelist-add pricelist-price promotion-set "
        "track receive-picked issue-picked transfer-picked adjust-picked").split()),
    *("billing " + s for s in (
        "setting rate revalue invoice pay bank-import bank-match bank-create "
        "bank-close pain001").split()),
    *("payroll " + s for s in (
        "pack-check pack-load employee-add employee-set terms-set input-add previous-add "
        "clock hours leave "
        "run-create run-calculate run-approve run-post run-pay run-reverse").split()),
    *("document " + s for s in (
        "add new-version export link unlink checkout checkin hold retention dispose "
        "type-add field-add store open-fields").split()),
    *("people " + s for s in (
        "shift-type-add limit holiday-add assign repeat publish punch attendance-run "
        "attendance-post leave-policy-add leave-entitle leave-request leave-approve "
        "leave-reject leave-collective unavailable headcount open-shift-add "
        "open-shift-claim swap-propose swap-accept swap-decline swap-approve swap-refuse "
        "holidays-import holidays-export roster-export stage-set opening-add opening-close "
        "applicant-add applicant-move applicant-reject applicant-withdraw applicant-hire "
        "applicant-export applicant-erase applicant-retention applicant-purge "
        "review-cycle-add review-criterion-add review-open review-score review-result "
        "review-scores").split()),
    "report dashboard", "report statement", "report payslip", "report payroll-register",
    *("sync " + s for s in "setup run resubmit close-check cash".split()),
}

# What each integer column means, declared here independently of the CLI.
MONEY = set("""amount debit credit balance net tax gross total value cost open opening closing
    current d1_30 d31_60 d61_90 over_90 inflow outflow sales_base sales_tax purchase_base
    purchase_tax unit_cost ytd_amount deductions_total employer_cost discounts returns margin
    basket prev_net prev_margin prev_basket queued_value price unit_price
    promotion_discount""".split())
BASE_MONEY = {"base_amount", "sales_tax_book", "purchase_tax_book", "other_book"}
QTY = set("""qty quantity on_hand reserved available remaining returned received counted
    expected variance reorder_point reorder_qty unit_qty min_qty""".split())
PLAIN = set("""id entry line closed depth seq rate_ppm compound roles terms_days active scale
    negative_stock lines duplicates unmatched components minutes employees payment run
    count checked hold versions version size encrypted retention_years reverses sale
    schema reopened_by open_fields max_version_bytes start_min end_min break_minutes
    grace_late grace_early punch_mode flags published start_at end_at shift_id check_in
    check_out worked regular late early overtime_before overtime_after posted days
    expired_days sales prev_sales receipt device_time central_id code received_at skew
    skewed result queued quarantined synced next_seq next_receipt server_offset
    offline_seconds warnings num den buy get basis_points price_list_version every times_left
    enabled""".split())

errors = []

def run(args):
    p = subprocess.run([BO] + args, capture_output=True)
    if p.returncode != 0 or p.stderr:
        errors.append(f"{' '.join(args)}: exit {p.returncode}, stderr {p.stderr!r}")
        return None
    return p.stdout.decode("utf-8")

def commands():
    out = run(["--help"])
    found = []
    top = out.split("\ncommands:\n", 1)[1].split("\n\n", 1)[0]
    for line in top.splitlines():
        name = line.split()[0]
        if name in ("inventory", "billing", "payroll", "document", "people"):
            sub = run([name, "help"])
            for s in sub.split("\nsubcommands:\n", 1)[1].split("\n\n", 1)[0].splitlines():
                if s.strip():
                    found.append(name + " " + s.split()[0])
        else:
            found.append(name)
    # Domains new in 0.3 have no 0.2 command: walked by their tree name.
    for name in ("people", "report", "sync"):
        sub = run([name, "help"])
        for s in sub.split("\nsubcommands:\n", 1)[1].split("\n\n", 1)[0].splitlines():
            if s.strip():
                found.append(name + " " + s.split()[0])
    return found

def decimal(v, e):
    """v / 10^e written with e decimals: an independent formatter."""
    digits = str(abs(v)).rjust(e + 1, "0")
    text = digits if e == 0 else digits[:-e] + "." + digits[-e:]
    return ("-" if v < 0 else "") + text

CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")
def escaped(s):
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
    def one(m):
        c = m.group(0)
        if c in named:
            return named[c]
        return "\\x%02x" % ord(c) if ord(c) < 0x80 else "\\u%04x" % ord(c)
    return CONTROL.sub(one, s)

# Columns that count seconds up to now: they move between the three runs.
CLOCK = {"offline_seconds"}

def expected_cell(where, row, key, v):
    """The text a table or CSV cell must show for JSON value v."""
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    if key in MONEY:
        cur = row.get("currency")
        if cur not in EXPONENT:
            errors.append(f"{where}: money column {key} without a known currency ({cur!r})")
            return None
        return decimal(v, EXPONENT[cur])
    if key in BASE_MONEY:
        if row.get("base_currency") != BASE:
            errors.append(f"{where}: {key} without base_currency in JSON")
        return decimal(v, EXPONENT[BASE])
    if key in QTY:
        scale = row.get("scale")
        if not isinstance(scale, int):
            errors.append(f"{where}: quantity column {key} without a scale in JSON")
            return None
        return decimal(v, scale)
    if key in PLAIN:
        return str(v)
    errors.append(f"{where}: integer column {key!r} is not classified: money, "
                  "quantity or plain? (add it to this test)")
    return None

def table_rows(text, ncols):
    lines = text.split("\n")
    assert lines[-1] == "", "table does not end with a newline"
    lines = lines[:-1]
    spans = [(m.start(), m.end()) for m in re.finditer(r"-+", lines[1])]
    assert len(spans) == ncols, (lines[1], ncols)
    def cells(line):
        out = []
        for i, (a, b) in enumerate(spans):
            out.append((line[a:] if i == ncols - 1 else line[a:b]).strip())
        return out
    return cells(lines[0]), [cells(l) for l in lines[2:]]

def record_rows(text, keys):
    width = max(len(k) for k in keys)
    lines = text.split("\n")[:-1]
    assert len(lines) == len(keys), (lines, keys)
    return {k: l[width + 2:] for k, l in zip(keys, lines)}

def check(cmd, extra):
    args = cmd.split() + extra
    where = " ".join(args)
    js, cs, tb = (run(["--format", f] + args) for f in ("json", "csv", "table"))
    if js is None or cs is None or tb is None:
        return None
    data = json.loads(js)
    single = isinstance(data, dict)
    rows = [data] if single else data
    reader = list(csv.reader(io.StringIO(cs, newline="")))
    header, body = reader[0], reader[1:]
    if len(body) != len(rows):
        errors.append(f"{where}: {len(body)} CSV rows, {len(rows)} JSON rows")
        return None
    for row in rows:
        extra_keys = [k for k in row if k not in header]
        if not set(extra_keys) <= {"currency", "base_currency"}:
            errors.append(f"{where}: JSON keys {extra_keys} not in CSV")
    if single:
        shown = record_rows(tb, header)
        tbody = [[shown[k] for k in header]]
    else:
        theader, tbody = table_rows(tb, len(header))
        if theader != header:
            errors.append(f"{where}: table header {theader} != CSV header {header}")
        if len(tbody) != len(rows):
            errors.append(f"{where}: {len(tbody)} table rows, {len(rows)} JSON rows")
            return None
    for row, crow, trow in zip(rows, body, tbody):
        for key, ccell, tcell in zip(header, crow, trow):
            v = row[key]
            if key in CLOCK and isinstance(v, int):
                # seconds since a moment, read by three runs a second or
                # two apart: the same figure within the seconds between them
                for name, cell in (("CSV", ccell), ("table", tcell)):
                    if not re.fullmatch(r"-?[0-9]+", cell) or abs(int(cell) - v) > 5:
                        errors.append(f"{where}: {name} {key} = {cell!r}, JSON {v}")
                continue
            want = expected_cell(where, row, key, v)
            if want is None:
                continue
            wcsv = want
            if isinstance(v, str) and want[:1] in ("=", "+", "-", "@", "\t", "\r"):
                wcsv = "'" + want
            if ccell != wcsv:
                errors.append(f"{where}: CSV {key} = {ccell!r}, expected {wcsv!r}")
            if tcell != escaped(want).strip():
                errors.append(f"{where}: table {key} = {tcell!r}, expected {escaped(want)!r}")
    return cs

found = commands()
known = set(LISTINGS) | DOCUMENTS | ACTIONS
for name in found:
    if name not in known:
        errors.append(f"command {name!r} is in --help but not in this walk: a listing "
                      "(add its invocations) or an action?")
for name in known:
    if name not in found:
        errors.append(f"command {name!r} is in this walk but not in --help")

csv_of = {}
for cmd in sorted(LISTINGS):
    for extra in LISTINGS[cmd]:
        csv_of[" ".join(cmd.split() + extra)] = check(cmd, extra)

# Known figures, written out by hand: a formatter that agreed with a wrong
# JSON would still be caught here.
KNOWN = {
    "entry 1": ["1,2026-03-01,Yen sale,,,1,1400,5000,JPY,,"],
    "entry 2": ["2,2026-03-01,Dinar sale,,,1,1500,1.250,KWD,,"],
    "balance 1500": ["1500,,KWD,1.250"],
    "balance 1400": ["1400,,JPY,5000"],
    "billing invoices": [",EUR,50.00,50.00", ",USD,120.00,100.00"],
    "billing aging --as-of 2026-06-30": ["C1,USD,0.00,0.00,0.00,0.00,100.00,100.00",
                                         "C2,EUR,0.00,0.00,0.00,0.00,50.00,50.00"],
    "billing tax-report --from 2026-03-01 --to 2026-03-31": ["VAT20,USD,100.00,20.00,0.00,0.00"],
    "billing bank-lines 1": ["2026-03-02,120.00,B1", "2026-03-05,-4.50,FEE", ",USD"],
    "billing bank-lines 2": [",EUR"],
    "inventory stock": ["A,S1,8,0,8,32.00,20,50,0", "B,WH,2.600,0.250,2.350,15.36,,,3"],
    "inventory valuation": ["B,WH,average,2.600,"],
    "inventory sale 1": ["2,B,WH,1.250,10.00,0.00,10.00,12.50,0.000,"],
    "inventory holds": [",B,WH,0.250,"],
    "inventory po-lines 1": ["1,B,WH,3.000,1.500,2.50,2026-03-20,3"],
    "inventory count-lines 1": ["B,2.600,2.750,-0.150,-0.89,3"],
    # 6 x 100 g at 0.80 = 4.80; 2 free -1.60; 10% of 3.20 -0.32: 2.88
    "inventory sale 2": ["1,C,S1,0.600,2.88,0.00,2.88,", ",100g,6.000,0.80,RETAIL,2,1.92,"
                         "B2G1@v1:-160;TEN@v1:-32"],
    "inventory pricelists": ["RETAIL,,,2026-01-01,2026-12-31,2,C,100g,5.000,0.80,3"],
    "inventory promotions": ["TEN,percent,C,,0,0,,1000,,0001-01-01,9999-12-31,1"],
    "inventory unit-convert C 2.500 --from 100g": ["0.250"],
    "payroll register 1": ["E1,Ann Lee,,2500.00,275.00,2225.00,125.00"],
    "payroll payslip-lines 1 E1": ["1,salary,earning,2500.00,2500.00,"],
    "payroll terms E1": ["2024-01-01,salary,2500.00,monthly,"],
    "income-statement --from 2026-01-01 --to 2026-12-31": [
        "income,4400,Yen sales,0,JPY,5000", "income,4500,DinarSales,0,KWD,1.250"],
}
for where, wants in KNOWN.items():
    text = csv_of.get(where)
    for w in wants:
        if text is None or w not in text:
            errors.append(f"{where}: CSV lacks {w!r}")

# The export and the payslip are documents: decimals there too.
exp = run(["payroll", "export", "1"])
if exp is not None and ('"E1","Ann Lee","",2500.00,275.00,2225.00,125.00,USD' not in exp
                        or "250000" in exp):
    errors.append(f"payroll export: {exp!r}")
slip = run(["payroll", "payslip", "1", "E1"])
if slip is not None and ("2500.00" not in slip or "250000" in slip):
    errors.append(f"payroll payslip: {slip!r}")
# The Indonesian documents (tests/cli/cli_payroll_id.sh checks their
# figures): the generic pack has no PPh 21 lines, so the month's CSV is its
# header, and no employee has a settled year.
wh = run(["payroll", "withholding", "2024", "1"])
if wh is not None and not wh.startswith("period,number,tax_id,name,ptkp_status"):
    errors.append(f"payroll withholding: {wh!r}")

for e in errors:
    print("FAIL:", e, file=sys.stderr)
print(f"walked {len(csv_of)} invocations of {len(LISTINGS)} listings; "
      f"{len(found)} commands in --help")
sys.exit(1 if errors else 0)
PY
echo "cli_trust_output_units: ok"
