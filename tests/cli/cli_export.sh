# export / import: the lossless round trip through the command, refusals.
. "$2/lib.sh"

expect 0 "$BO" init "$SRC/book.yaml"
expect 0 "$BO" post --date 2026-01-05 --key a 1000=12.50 4000=-12.50
expect 0 "$BO" post --date 2026-01-06 --memo "'); DROP TABLE entries;--" 1000=1.25 4000=-1.25
expect 0 "$BO" book export "$WORK/a.zip"
grep -q "audit_head" "$OUT" || fail "no audit head shown"
expect 0 "$BO" export "$WORK/a2.zip"
cmp -s "$WORK/a.zip" "$WORK/a2.zip" || fail "two exports of one book differ"

# Import into an empty store, export again: the same bytes.
expect 0 "$BO" --book "sqlite:$WORK/copy.db" import "$WORK/a.zip"
grep -q "full verification passed" "$OUT" || fail "import not verified"
expect 0 "$BO" --book "sqlite:$WORK/copy.db" book export "$WORK/b.zip"
cmp -s "$WORK/a.zip" "$WORK/b.zip" || fail "export -> import -> export differs"
expect 0 "$BO" --book "sqlite:$WORK/copy.db" audit head
cp "$OUT" "$WORK/h2"
expect 0 "$BO" audit head
cmp -s "$OUT" "$WORK/h2" || fail "audit heads differ"

# Refusals: a store holding a book, a truncated file, a missing argument.
expect 2 "$BO" --book "sqlite:$WORK/copy.db" import "$WORK/a.zip"
grep -q "already holds a book" "$ERR" || fail "import over a book"
head -c 2000 "$WORK/a.zip" >"$WORK/short.zip"
expect 2 "$BO" --book "sqlite:$WORK/short.db" import "$WORK/short.zip"
grep -q "short.zip: not a readable export" "$ERR" || fail "truncated file not named"
expect 2 "$BO" --book "sqlite:$WORK/short.db" audit head
expect 1 "$BO" export
BACKOFFICE_ACTOR=nobody expect 2 "$BO" export "$WORK/denied.zip"
grep -q "permission denied" "$ERR" || fail "export without permission"
[ ! -e "$WORK/denied.zip" ] || fail "a denied export wrote a file"
# SAF-T Financial: validates against the published schema; the company is
# required; a bad grouping line is named; nothing written on refusal.
XSD="$SRC/../data/saft/Norwegian_SAF-T_Financial_Schema_v_1.30.xsd"
printf '1000 1920\n' >"$WORK/grouping.txt"
expect 0 "$BO" book export "$WORK/saft.xml" --format saf-t --registration 999999999 \
    --company "Corner shop" --from 2026-01-01 --to 2026-01-31 --grouping "$WORK/grouping.txt"
xmllint --noout --schema "$XSD" "$WORK/saft.xml" 2>"$WORK/lint" || { cat "$WORK/lint"; fail "SAF-T file does not validate"; }
grep -q "<NumberOfEntries>2</NumberOfEntries>" "$WORK/saft.xml" || fail "SAF-T: entry count"
grep -q "<TotalDebit>13.75</TotalDebit>" "$WORK/saft.xml" || fail "SAF-T: total debit"
grep -q "<GroupingCode>1920</GroupingCode>" "$WORK/saft.xml" || fail "SAF-T: grouping code"
expect 2 "$BO" book export "$WORK/saft2.xml" --format saf-t
grep -q "registration_number" "$ERR" || fail "SAF-T without a registration"
printf '1000\n' >"$WORK/bad.txt"
expect 2 "$BO" book export "$WORK/saft2.xml" --format saf-t --registration 1 --grouping "$WORK/bad.txt"
grep -q "grouping: line 1" "$ERR" || fail "SAF-T: bad grouping line not named"
[ ! -e "$WORK/saft2.xml" ] || fail "a refused SAF-T export wrote a file"
expect 1 "$BO" book export "$WORK/x" --format csv
# GnuCash in: a book made by GnuCash itself, its balances GnuCash's own.
if /usr/bin/python3 -c "import gnucash" 2>/dev/null; then
    /usr/bin/python3 "$SRC/../gnucash/make_book.py" "$WORK/gc.gnucash" 3 >/dev/null 2>&1 ||
        fail "GnuCash could not make its book"
    expect 0 "$BO" --book "sqlite:$WORK/gc.db" import "$WORK/gc.gnucash" --from gnucash --currency USD
    while read -r code cur minor; do
        [ "$code" = "#" ] && continue
        expect 0 "$BO" --book "sqlite:$WORK/gc.db" --format json balance "$code" --as-of 2030-12-31
        grep -q -e ": $minor[,}]" -e ": $minor$" "$OUT" || { cat "$OUT"; fail "GnuCash account $code: not $minor"; }
    done <"$WORK/gc.gnucash.balances"
    # the same book again adds nothing
    expect 0 "$BO" --book "sqlite:$WORK/gc.db" import "$WORK/gc.gnucash" --from gnucash
    expect 1 "$BO" --book "sqlite:$WORK/gc2.db" import "$WORK/gc.gnucash" --from quicken
    # the same book saved by GnuCash as SQLite
    /usr/bin/python3 "$SRC/../gnucash/make_book.py" "$WORK/gc.sqlite" 3 sqlite3 >/dev/null 2>&1 ||
        fail "GnuCash could not make its SQLite book"
    expect 0 "$BO" --book "sqlite:$WORK/gcs.db" import "$WORK/gc.sqlite" --from gnucash --currency USD
    while read -r code cur minor; do
        [ "$code" = "#" ] && continue
        expect 0 "$BO" --book "sqlite:$WORK/gcs.db" --format json balance "$code" --as-of 2030-12-31
        grep -q -e ": $minor[,}]" -e ": $minor$" "$OUT" || { cat "$OUT"; fail "GnuCash SQLite account $code: not $minor"; }
    done <"$WORK/gc.sqlite.balances"
    # another GnuCash book into a store with accounts: refused
    expect 2 "$BO" --book "sqlite:$WORK/gc.db" import "$WORK/gc.sqlite" --from gnucash
    grep -q "already has accounts" "$ERR" || fail "another GnuCash book into a book with accounts"
    # the SQLite book with one transaction more: refused, then written with
    # --write-added, then nothing to add
    cp "$WORK/gc.sqlite" "$WORK/gc-added.sqlite"
    sqlite3 "$WORK/gc-added.sqlite" "INSERT INTO transactions (guid, currency_guid, num,
        post_date, enter_date, description) SELECT '00000000000000000000000000c0ffee',
        currency_guid, num, post_date, enter_date, 'added later' FROM transactions WHERE rowid = 2;
        INSERT INTO splits (guid, tx_guid, account_guid, memo, action, reconcile_state,
        reconcile_date, value_num, value_denom, quantity_num, quantity_denom, lot_guid)
        SELECT substr(guid, 1, 26) || 'c0ffee', '00000000000000000000000000c0ffee', account_guid,
        memo, action, reconcile_state, reconcile_date, value_num, value_denom, quantity_num,
        quantity_denom, lot_guid FROM splits
        WHERE tx_guid = (SELECT guid FROM transactions WHERE rowid = 2)" || fail "sqlite3 edit"
    expect 0 "$BO" --book "sqlite:$WORK/gcs.db" audit head
    cp "$OUT" "$WORK/gcs-head"
    expect 2 "$BO" --book "sqlite:$WORK/gcs.db" import "$WORK/gc-added.sqlite" --from gnucash
    grep -q "1 added, 0 changed, 0 missing" "$ERR" || fail "GnuCash: the added transaction not reported"
    expect 0 "$BO" --book "sqlite:$WORK/gcs.db" audit head
    cmp -s "$OUT" "$WORK/gcs-head" || fail "a refused GnuCash re-import wrote something"
    expect 0 "$BO" --book "sqlite:$WORK/gcs.db" import "$WORK/gc-added.sqlite" --from gnucash --write-added
    expect 0 "$BO" --book "sqlite:$WORK/gcs.db" audit head
    cmp -s "$OUT" "$WORK/gcs-head" && fail "--write-added wrote nothing"
    cp "$OUT" "$WORK/gcs-head"
    expect 0 "$BO" --book "sqlite:$WORK/gcs.db" import "$WORK/gc-added.sqlite" --from gnucash --write-added
    expect 0 "$BO" --book "sqlite:$WORK/gcs.db" audit head
    cmp -s "$OUT" "$WORK/gcs-head" || fail "a second --write-added import wrote something"
fi
# Plain-text journals in (ledger, hledger, beancount) and out (hledger, ledger).
JD="$SRC/../data/journal"
for f in sample.journal:hledger sample.ledger:ledger sample.beancount:beancount; do
    file=${f%%:*} from=${f#*:}
    expect 0 "$BO" --book "sqlite:$WORK/j-$from.db" import "$JD/$file" --from $from
    expect 0 "$BO" --book "sqlite:$WORK/j-$from.db" --format json balance Assets:Bank:Checking --as-of 2030-12-31
    grep -q -e ": 420313[,}]" -e ": 420313$" "$OUT" || { cat "$OUT"; fail "$file: Assets:Bank:Checking"; }
    # again: nothing added; changed (one more line): refused, nothing written
    expect 0 "$BO" --book "sqlite:$WORK/j-$from.db" audit head
    cp "$OUT" "$WORK/j-head"
    expect 0 "$BO" --book "sqlite:$WORK/j-$from.db" import "$JD/$file" --from $from
    mkdir -p "$WORK/jv2"
    cp "$JD/$file" "$WORK/jv2/$file"
    if [ "$from" = beancount ]; then
        printf '\n2024-03-01 * "Coffee"\n  Expenses:Food  3.00 USD\n  Assets:Cash\n' >>"$WORK/jv2/$file"
    else
        printf '\n2024/03/01 Coffee\n    Expenses:Food  $3.00\n    Assets:Cash\n' >>"$WORK/jv2/$file"
    fi
    expect 2 "$BO" --book "sqlite:$WORK/j-$from.db" import "$WORK/jv2/$file" --from $from
    grep -q "1 added, 0 changed, 0 missing" "$ERR" || fail "$file: the changed journal not reported"
    expect 0 "$BO" --book "sqlite:$WORK/j-$from.db" audit head
    cmp -s "$OUT" "$WORK/j-head" || fail "$file: importing again wrote something"
done
expect 0 "$BO" --book "sqlite:$WORK/j-beancount.db" book export "$WORK/j.journal" --format hledger
hledger -f "$WORK/j.journal" bal Assets:Bank:Checking >"$WORK/j.bal" 2>&1 || fail "hledger refused our journal"
grep -q '4203.13' "$WORK/j.bal" || { cat "$WORK/j.bal"; fail "hledger's balance of our journal"; }
expect 0 "$BO" --book "sqlite:$WORK/j-beancount.db" book export "$WORK/j.ledger" --format ledger
ledger -f "$WORK/j.ledger" bal Assets:Bank:Checking >"$WORK/j.bal" 2>&1 || fail "ledger refused our journal"
grep -q '4203.13' "$WORK/j.bal" || { cat "$WORK/j.bal"; fail "ledger's balance of our journal"; }
expect 0 "$BO" --book "sqlite:$WORK/j-hledger.db" book export "$WORK/j.beancount" --format beancount
bean-check "$WORK/j.beancount" >"$WORK/j.bal" 2>&1 || { cat "$WORK/j.bal"; fail "bean-check refused our file"; }
printf '2024-01-01 x\n    Assets:A  $1.005\n    Equity:B\n' >"$WORK/bad.journal"
expect 2 "$BO" --book "sqlite:$WORK/j-bad.db" import "$WORK/bad.journal" --from journal
grep -q "bad.journal:2:15: amount" "$ERR" || { cat "$ERR"; fail "no file:line:column"; }
[ ! -e "$WORK/j-bad.db" ] || fail "a refused journal made a book"
expect 1 "$BO" --book "sqlite:$WORK/j-bad.db" import "$WORK/bad.journal" --from quickbooks
# CSV onboarding: a chart and opening balances into the book.
printf 'code,name,type,balance\n1900,Petty cash,asset,10.25\n3900,Opening,equity,-10.25\n' >"$WORK/open.csv"
expect 0 "$BO" import "$WORK/open.csv" --from opening-csv --date 2026-01-01
expect 0 "$BO" --format json balance 1900 --as-of 2030-12-31
grep -q -e ": 1025[,}]" -e ": 1025$" "$OUT" || { cat "$OUT"; fail "onboarded balance"; }
printf 'code,balance\n1900,0.001\n' >"$WORK/open2.csv"
expect 2 "$BO" import "$WORK/open2.csv" --from opening-csv
grep -q "open2.csv:2: column 'balance'" "$ERR" || { cat "$ERR"; fail "no line and column"; }
# CSV onboarding of parties and employees: added once, a bad line names
# its line and column and adds nothing.
printf 'code,name,roles\nC-9,Acme,customer\nV-9,Supply,vendor\n' >"$WORK/parties.csv"
expect 0 "$BO" --format json import "$WORK/parties.csv" --from parties-csv
grep -q '"added": 2' "$OUT" || { cat "$OUT"; fail "parties added"; }
expect 0 "$BO" --format json import "$WORK/parties.csv" --from parties-csv
grep -q '"added": 0' "$OUT" || { cat "$OUT"; fail "a second run added parties"; }
printf 'number,name,start_date\nE-9,Someone,2026-01-01\nE-10,Other,2026-02-30\n' \
    >"$WORK/staff.csv"
expect 2 "$BO" import "$WORK/staff.csv" --from employees-csv
grep -q "staff.csv:3: column 'start_date'" "$ERR" || { cat "$ERR"; fail "no line and column"; }
# France's FEC: the 18 columns, a line per posting, debits = credits.
expect 0 "$BO" export "$WORK/fec.txt" --format fec --from 2026-01-01 --to 2026-12-31
head -1 "$WORK/fec.txt" | awk -F'\t' 'NF != 18 || $1 != "JournalCode" || $18 != "Idevise" { exit 1 }' \
    || fail "FEC header"
awk -F'\t' 'NR > 1 { if (NF != 18 || $4 !~ /^2026[0-9][0-9][0-9][0-9]$/) bad = 1
    gsub(",", ".", $12); gsub(",", ".", $13); d += $12; c += $13 }
    END { exit bad || NR < 3 || sprintf("%.2f", d) != sprintf("%.2f", c) }' "$WORK/fec.txt" \
    || { cat "$WORK/fec.txt"; fail "FEC lines or totals"; }
[ "$(stat -c %a "$WORK/fec.txt")" = 600 ] || fail "FEC file mode"
expect 1 "$BO" export "$WORK/x.txt" --format fecx
# SAF-T Cash Register out: the point-of-sale journal validates against its
# schema; an unknown location and from after to are refused, nothing written.
CRXSD="$SRC/../data/saft/Norwegian_SAF-T_Cash_Register_Schema_v_1.00.xsd"
expect 0 "$BO" account-add 1200 Inventory asset
expect 0 "$BO" account-add 5100 COGS expense
for kv in account.inventory=1200 account.cogs=5100 account.grni=2000 \
          account.revenue=4000 payment.cash=1000 payment.card=1100; do
    expect 0 "$BO" inventory setting-set "${kv%%=*}" "${kv#*=}"
done
expect 0 "$BO" inventory location-add S1 "Store one"
expect 0 "$BO" inventory item-add A Widget
expect 0 "$BO" inventory receive A S1 10 40.00 --date 2026-01-02 --key cr-r1
expect 0 "$BO" inventory sell --date 2026-01-03 --key cr-till-1 "A@S1=2x5.00" pay:cash=20.00
expect 0 "$BO" inventory sell --date 2026-01-04 --key cr-till-2 "A@S1=1x5.00" pay:card=5.00
expect 0 "$BO" book export "$WORK/cr.xml" --format saft-cr --registration 999999999 \
    --company "Corner shop" --location S1
xmllint --noout --schema "$CRXSD" "$WORK/cr.xml" 2>"$WORK/lint" || { cat "$WORK/lint"; fail "SAF-T CR file does not validate"; }
[ "$(grep -c "<transType>CASHSAL</transType>" "$WORK/cr.xml")" = 2 ] || fail "SAF-T CR: sale count"
grep -q "<transAmntIn>10.00</transAmntIn>" "$WORK/cr.xml" || fail "SAF-T CR: sale total"
grep -q "<paidAmnt>-10.00</paidAmnt>" "$WORK/cr.xml" || fail "SAF-T CR: change given"
expect 2 "$BO" book export "$WORK/cr2.xml" --format saft-cr --registration 1 --location NOPE
grep -q "location 'NOPE'" "$ERR" || fail "SAF-T CR: unknown location not named"
expect 2 "$BO" book export "$WORK/cr2.xml" --format saft-cr --registration 1 \
    --from 2026-02-01 --to 2026-01-01
grep -q "from: after to" "$ERR" || fail "SAF-T CR: from after to not named"
[ ! -e "$WORK/cr2.xml" ] || fail "a refused SAF-T CR export wrote a file"
echo "cli_export: ok"
