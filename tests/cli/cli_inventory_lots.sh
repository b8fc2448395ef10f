# Lots, expiry and serial numbers from the command line: milk received by
# lot and sold first expired first out, an expired lot refused, what
# expires, a recall; a phone by serial, a second sale of it refused; GS1
# strings read, a malformed one refused with the position.
. "$(dirname "$0")/lib.sh"

new_book
ok "$BO" account-add 1200 Inventory asset
ok "$BO" account-add 2100 GRNI liability
ok "$BO" account-add 5100 COGS expense
ok "$BO" account-add 5200 Shrinkage expense
for kv in account.inventory=1200 account.cogs=5100 account.grni=2100 \
          account.adjustments=5200 account.revenue=4000 payment.cash=1000; do
    ok "$BO" inventory setting-set "${kv%%=*}" "${kv#*=}"
done
ok "$BO" party-add ANNA "Anna Berg" customer
ok "$BO" inventory location-add S1 "Store one"
ok "$BO" inventory item-add MILK "Milk 1 l"
ok "$BO" inventory track MILK lot
ok "$BO" inventory item-add PHONE Phone
ok "$BO" inventory track PHONE serial
expect 1 "$BO" inventory track MILK batch
err_has "not lot, serial or none"

ok "$BO" inventory receive-picked MILK S1 10 10.00 A --expiry 2026-03-10 --date 2026-02-20 --key r1
ok "$BO" inventory receive-picked MILK S1 5 5.00 B --expiry 2026-03-05 --date 2026-02-21 --key r2
ok "$BO" inventory receive-picked MILK S1 3 3.00 D --expiry 2026-03-01 --date 2026-02-18 --key r3
# A receipt of a tracked item names its lot.
expect 2 "$BO" inventory receive MILK S1 1 1.00 --date 2026-02-20 --key r4
err_has "MILK is tracked by lot"
# First expired first out: D has expired, B goes first, then A.
ok "$BO" inventory sell --date 2026-03-03 --key s1 --customer ANNA "MILK@S1=7x1.00" pay:cash=7.00
ok "$BO" --format csv inventory lots MILK
out_has "D,2026-03-01,,S1,3"
out_has "A,2026-03-10,,S1,8"
expect 2 "$BO" inventory sell --date 2026-03-03 --key s2 --picks 1=D "MILK@S1=1x1.00" pay:cash=1.00
err_has "lot: D of MILK expired on 2026-03-01"
ok "$BO" --format csv inventory expiring --date 2026-03-03 --days 7
out_has "MILK,D,2026-03-01,S1,3"
ok "$BO" --format csv inventory recall MILK A
out_has "ANNA"
ok "$BO" inventory issue-picked MILK S1 3 D --date 2026-03-04 --reason expired --key i1

ok "$BO" inventory receive-picked PHONE S1 2 800.00 SN1,SN2 --date 2026-03-01 --key p1
ok "$BO" inventory sell --date 2026-03-02 --key s3 --picks 1=SN1 "PHONE@S1=1x500.00" pay:cash=500.00
expect 2 "$BO" inventory sell --date 2026-03-02 --key s4 --picks 1=SN1 "PHONE@S1=1x500.00" pay:cash=500.00
err_has "serial: SN1 of PHONE is not in stock"
ok "$BO" --format csv inventory serials PHONE
out_has "SN1,sold,"
out_has "SN2,stock,S1"
ok "$BO" --format csv inventory serial PHONE SN1
out_has "receive"
out_has "sale"

ok "$BO" inventory gs1 "(01)09506000134352(17)261200(10)LOT42(21)SN7"
out_has "2026-12-31"
out_has "LOT42"
expect 2 "$BO" inventory gs1 "(01)09506000134352(17)2612"
err_has "position 23: AI (17) needs 6 characters, has 4"
# A purchase order in cases of 12, received into lots: 2 cases = 24 pieces,
# A 18 and B 6, expiring 10 March; picks that do not add up, nothing changed.
ok "$BO" party-add DAIRY "Dairy Co" vendor
ok "$BO" inventory unit-set MILK case 12 1
ok "$BO" --format csv inventory po-add P1 DAIRY --date 2026-03-01
ok "$BO" --format csv inventory po-line 1 MILK S1 3 12.00 --expected 2026-03-02 --unit case
out_is "line
1"
expect 2 "$BO" inventory po-line 1 MILK S1 3 12.00 --unit crate
err_has "unit: item 'MILK' has no unit 'crate'"
expect 2 "$BO" inventory po-receive 1 1 1 --date 2026-03-02 --key g0
err_has "MILK is tracked by lot"
ok "$BO" inventory po-receive 1 1 2 --date 2026-03-02 --key g1 --picks A:18,E:6 --expiry 2026-03-10
ok "$BO" --format csv inventory lots MILK
out_has "E,2026-03-10,,S1,6"
out_has "A,2026-03-10,,S1,26"
expect 2 "$BO" inventory po-receive 1 1 1 --date 2026-03-03 --key g2 --picks F:10
err_has "picks: name 12 of MILK, not 10"
ok "$BO" --format csv inventory lots MILK
out_has "A,2026-03-10,,S1,26"
grep -q "^F," "$OUT" && fail "lot F was made"
ok "$BO" --format csv inventory po-lines 1
out_has "1,MILK,S1,3,2,12.00,2026-03-02,0,case"
echo "cli_inventory_lots: ok"
