# Issue 12 item 9, untrusted text reaches spreadsheets and terminals:
# names and memos that a spreadsheet would run as formulas are neutralised
# in CSV (a leading single quote, the cell quoted) while the numbers the
# program formats, negative ones included, stay numbers; tables, records,
# printed documents and error messages escape ESC sequences, line breaks
# that would forge rows, other control characters and bidirectional
# overrides. JSON keeps every string exactly.
. "$(dirname "$0")/lib.sh"
PACK="$SRC/../../data/payroll/generic.yaml"

new_book
ESC=$(printf '\033')
RLO=$(printf '\342\200\256')
ok "$BO" account-add 7001 "=cmd|' /C calc'!A0" expense
ok "$BO" account-add 7002 "Esc ${ESC}[31mred${ESC}[0m" expense
ok "$BO" account-add 7003 "two
7999  Forged  expense  USD  0" expense
ok "$BO" account-add 7004 "rtl ${RLO}evil" expense
ok "$BO" party-add P1 "@SUM(1)" customer
ok "$BO" party-add P2 "$(printf '\tTab')" customer
ok "$BO" party-add P3 "$(printf '\rCR')" customer
ok "$BO" party-add P4 "-2+3" customer
ok "$BO" party-add P5 "+1" customer
ok "$BO" post --date 2026-03-01 --memo "=HYPERLINK(\"http://x\")" 7001=12.50 1000=-12.50
ok "$BO" post --date 2026-03-01 --memo "${ESC}]0;owned${ESC}\\ title" 7002=1.00 1000=-1.00

# CSV: every hostile cell neutralised and quoted; our numbers untouched.
ok "$BO" --format csv accounts
out_has "7001,\"'=cmd|' /C calc'!A0\",expense"
ok "$BO" --format csv parties
for cell in "\"'@SUM(1)\"" "\"'-2+3\"" "\"'+1\"" "\"'	Tab\""; do
    out_has "$cell"
done
ok "$BO" --format csv journal --account 1000
out_has ",-12.50,USD,-12.50"
out_has ",-1.00,USD,-13.50"
out_has "\"'=HYPERLINK(\"\"http://x\"\")\""
"$PYTHON" - "$BO" <<'PY' || fail "CSV cells do not decode to the neutralised text"
import csv, io, subprocess, sys
def rows(*args):
    out = subprocess.run([sys.argv[1], "--format", "csv", *args], check=True,
                         capture_output=True).stdout.decode()
    return list(csv.DictReader(io.StringIO(out, newline="")))
names = {r["code"]: r["name"] for r in rows("parties")}
assert names == {"P1": "'@SUM(1)", "P2": "'\tTab", "P3": "'\rCR", "P4": "'-2+3",
                 "P5": "'+1"}, names
accounts = {r["code"]: r["name"] for r in rows("accounts")}
assert accounts["7001"] == "'=cmd|' /C calc'!A0", accounts
assert accounts["7003"].startswith("two\n"), accounts  # quoted, not a row
assert "7999" not in accounts, accounts
for r in rows("journal", "--account", "1000"):
    assert r["amount"].startswith("-") and r["balance"].startswith("-"), r
PY

# JSON: exactly what was stored.
ok "$BO" --format json parties
"$PYTHON" - "$OUT" <<'PY' || fail "JSON changed a string"
import json, sys
names = {r["code"]: r["name"] for r in json.load(open(sys.argv[1]))}
assert names == {"P1": "@SUM(1)", "P2": "\tTab", "P3": "\rCR", "P4": "-2+3",
                 "P5": "+1"}, names
PY

# Tables: no ESC byte, no forged row, escapes shown.
no_raw_controls() {
    "$PYTHON" - "$OUT" <<'PY' || fail "raw control characters in a table"
import sys
data = open(sys.argv[1], "rb").read()
bad = [b for b in data if b < 0x20 and b != 0x0A]
assert not bad and b"\x7f" not in data, bad
text = data.decode("utf-8")
assert not any(0x80 <= ord(c) <= 0x9f or 0x202a <= ord(c) <= 0x202e or
               0x2066 <= ord(c) <= 0x2069 for c in text), text
PY
}
ok "$BO" accounts
no_raw_controls
out_has 'Esc \x1b[31mred\x1b[0m'
out_has 'two\n7999  Forged  expense  USD  0'
out_has 'rtl \u202eevil'
n=$(grep -c . "$OUT")
ok "$BO" --format csv accounts
rows=$(grep -c '^[0-9][0-9]*,' "$OUT")
[ "$n" -eq $((rows + 2)) ] || fail "a name forged a table row ($n lines, $rows accounts)"
ok "$BO" parties
no_raw_controls
out_has '\tTab'
out_has '\rCR'
ok "$BO" journal --account 7002
no_raw_controls
out_has '\x1b]0;owned\x1b\ title'
ok "$BO" entry 2
no_raw_controls
[ "$(wc -l <"$OUT")" -eq 4 ] || fail "the entry table has more lines than postings"
# A single record: the field shown escaped too.
ok "$BO" balance 7002
no_raw_controls
# An error message quoting the text is escaped as well.
expect 2 "$BO" balance "x${ESC}[2Jy"
"$PYTHON" - "$ERR" <<'PY' || fail "an error message carried an ESC"
import sys
data = open(sys.argv[1], "rb").read()
assert b"\x1b" not in data and b"x\\x1b[2Jy" in data, data
PY

# A printed document (payslip) and the export: the name escaped on
# screen, neutralised in the export's CSV.
for a in "2100 NetPay liability" "2210 IncomeTax liability" "2220 Pension liability" \
         "5100 Wages expense" "5200 PensionCost expense"; do
    # shellcheck disable=SC2086
    ok "$BO" account-add $a
done
ok "$BO" payroll pack-load "$PACK"
ok "$BO" payroll employee-add E1 "=cmd ${RLO}x${ESC}[2J" --start 2024-01-01
ok "$BO" payroll terms-set E1 salary 2500.00 --effective 2024-01-01
ok "$BO" payroll run-create 2024-01 generic --from 2024-01-01 --to 2024-01-31
ok "$BO" payroll run-calculate 1
ok "$BO" payroll payslip 1 E1
no_raw_controls
out_has "Net pay"
ok "$BO" payroll export 1
out_has "\"'=cmd "
out_has ",2500.00,"
echo "cli_trust_output_hostile_text: ok"
