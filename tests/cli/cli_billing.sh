# The billing subcommands: invoice, pay, reports, rates, a bank statement
# imported, matched, completed and closed; bad input refused.
. "$(dirname "$0")/lib.sh"
DATA="$SRC/../data/billing"

expect 1 "$BO" billing
err_has "subcommands:"
ok "$BO" billing help
out_has "  bank-import ACCOUNT FILE"
expect 1 "$BO" billing nope
err_has "unknown subcommand"
ok "$BO" billing invoice --help
out_has "usage: backoffice [GLOBAL OPTIONS] billing invoice"

new_book
ok "$BO" account-add 1200 Receivables asset
ok "$BO" account-add 2100 "Tax payable" liability
ok "$BO" account-add 6950 "Bank fees" expense
ok "$BO" tax-rate-add VAT20 "VAT 20%" 20% 2100
ok "$BO" tax-category-add standard Standard VAT20
ok "$BO" party-add C1 "Mrs Smith" customer
ok "$BO" billing setting receivable_account 1200
ok "$BO" billing setting payable_account 2000
expect 2 "$BO" billing setting colour red
err_has "unknown billing setting"

ok "$BO" --format csv billing invoice C1 4000 100.00 --tax standard --date 2026-03-01
out_is "invoice,entry
1,1"
ok "$BO" --format csv billing invoices C1
out_has "INV-1"
out_has "120.00"
expect 2 "$BO" billing pay C1 120.00 1100 --invoice 1
err_has "key: a payment needs an idempotency key"
ok "$BO" billing pay C1 120.00 1100 --invoice 1 --key web-1001 --date 2026-03-02
ok "$BO" --format json billing aging --as-of 2026-03-01
out_has '"total": 12000'
ok "$BO" --format json billing aging --as-of 2026-03-02
out_is "[]"
ok "$BO" --format csv billing statement C1 --from 2026-03-01 --to 2026-03-31
out_has "opening"
ok "$BO" --format csv billing tax-report --from 2026-03-01 --to 2026-03-31
out_has "VAT20"
ok "$BO" --format csv billing cash-flow --from 2026-03-01 --to 2026-03-31
out_has "operating"

# Exchange rates: missing, then set.
expect 2 "$BO" billing invoice C1 4000 10.00 --currency EUR --date 2026-03-01
err_has "no exchange rate"
expect 2 "$BO" billing rate QQQ 2026-03-01 1.1
err_has "QQQ"
ok "$BO" billing rate EUR 2026-03-01 1.10
ok "$BO" --format csv billing revalue 2026-03-31
out_is "entry
0"

# The bank: a malformed line is named, nothing imported.
expect 2 "$BO" billing bank-import 1100 "$DATA/bad_line.csv" --mapping "$DATA/statement.yaml"
err_has "line 3"
ok "$BO" --format csv billing bank-import 1100 "$DATA/statement.csv" --mapping "$DATA/statement.yaml"
out_has "1,1100,USD,100.00,215.50,2,1,2,0"
ok "$BO" --format csv billing bank-match 1
out_is "matched
1"
expect 2 "$BO" billing bank-close 1
err_has "line 4 is not matched"
ok "$BO" billing bank-create 2 6950 --memo "account fee"
ok "$BO" billing bank-close 1
ok "$BO" --format csv billing bank-lines 1
out_has "created"
# The same statement as camt.053: every line a duplicate.
ok "$BO" --format csv billing bank-import 1100 "$DATA/statement.camt053.xml" --format camt053
out_has "2,1100,USD,100.00,215.50,0,2,0,0"
# A vendor-bill payment batch (pain.001): the open bill of V1 at its IBAN;
# the command's refusals name the field and write nothing.
ok "$BO" party-add V1 "Paper Ltd" vendor
ok "$BO" billing setting iban.V1 GB82WEST12345698765432
ok "$BO" --format csv billing invoice V1 5000 40.00 --kind purchase --date 2026-03-03
expect 1 "$BO" billing pain001
err_has "--out FILE is required"
expect 2 "$BO" billing pain001 --out "$WORK/pain-bad.xml" --debtor-iban DE89370400440532013001
err_has "debtor_iban"
[ ! -e "$WORK/pain-bad.xml" ] || fail "a refused pain.001 batch wrote a file"
expect 2 "$BO" billing pain001 --out "$WORK/pain-bad.xml" --party NOPE \
    --debtor-iban DE89370400440532013000
[ ! -e "$WORK/pain-bad.xml" ] || fail "a refused pain.001 batch wrote a file"
ok "$BO" --format csv billing pain001 --out "$WORK/pain.xml" --date 2026-03-10 \
    --debtor-iban DE89370400440532013000 --debtor-bic COBADEFFXXX
out_is "file,transactions
$WORK/pain.xml,1"
grep -q "<IBAN>GB82WEST12345698765432</IBAN>" "$WORK/pain.xml" || fail "pain.001: vendor IBAN"
grep -q "<CtrlSum>40.00</CtrlSum>" "$WORK/pain.xml" || fail "pain.001: control sum"
grep -q "<ReqdExctnDt>2026-03-10</ReqdExctnDt>" "$WORK/pain.xml" || fail "pain.001: date"
