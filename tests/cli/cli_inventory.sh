# The inventory subcommands: setup, receive, sell (replayed), return, holds,
# transfer, purchase order, count, shipment, reports, and refusals with
# their exit statuses.
. "$(dirname "$0")/lib.sh"

ok "$BO" inventory help
out_has "receive SKU LOCATION QTY COST"
expect 1 "$BO" inventory
expect 1 "$BO" inventory frobnicate
err_has "unknown subcommand"
ok "$BO" inventory receive --help
out_has "usage: backoffice [GLOBAL OPTIONS] inventory receive"

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
ok "$BO" inventory location-add WH "Warehouse" --kind warehouse
ok "$BO" inventory item-add A Widget
ok "$BO" inventory item-add B Beans --scale 3 --method average
ok "$BO" --format csv inventory receive B WH 2.500 25.00 --date 2026-01-02 --key r1
out_has "movement"
ok "$BO" inventory receive A S1 10 40.00 --date 2026-01-02 --key r2
expect 2 "$BO" inventory receive B WH 0.0005 1.00 --date 2026-01-02 --key r3
err_has "finer than the item's scale 0.001"
expect 2 "$BO" inventory receive NOPE S1 1 1.00 --date 2026-01-02 --key r4
err_has "not found"
expect 1 "$BO" inventory receive A S1 1 1.00 --key r5
err_has "--date"
# A receipt without an idempotency key is refused and records nothing.
expect 2 "$BO" inventory receive A S1 1 1.00 --date 2026-01-02
err_has "key: a receipt needs an idempotency key"

# A sale, sent three times: one sale.
for i in 1 2 3; do
    ok "$BO" --format csv inventory sell --date 2026-01-03 --key till-1 "A@S1=2x5.00" pay:cash=20.00
    out_is "sale
1"
done
ok "$BO" --format csv inventory stock --sku A
out_has "A,S1,8,0,8,"
ok "$BO" --format csv balance 1000 --as-of 2026-12-31
out_has "10.00"
expect 2 "$BO" inventory sell --date 2026-01-03 --key till-2 "A@S1=1x5.00" pay:card=4.00
err_has "payments"
expect 2 "$BO" inventory sell --date 2026-01-03 --key till-3 "A@S1=20x5.00" pay:card=100.00
err_has "available"
expect 1 "$BO" inventory sell --date 2026-01-03 --key till-4 "A-S1"
# A sale without a key is refused: a terminal's retry must not sell twice.
expect 2 "$BO" inventory sell --date 2026-01-03 "A@S1=1x5.00" pay:cash=5.00
err_has "key: a sale needs an idempotency key"
ok "$BO" inventory sale 1
out_has "A"
expect 1 "$BO" inventory return 1 9 1 --date 2026-01-04 --key ret-x
err_has "inventory return: sale 1 has no line 9"
ok "$BO" --format csv inventory return 1 1 1 --date 2026-01-04 --method cash --key ret-1
out_has "return"

# Holds, transfers, purchasing, counts, shipments.
ok "$BO" --format csv inventory hold A S1 3 --expires 600
ok "$BO" --format csv inventory stock --sku A --location S1
out_has "A,S1,9,3,6,"
ok "$BO" inventory release 1
expect 2 "$BO" inventory release 1
ok "$BO" inventory holds
ok "$BO" inventory expire
ok "$BO" --format csv inventory transfer B WH S1 1.000 --date 2026-01-05 --in-transit 1 --key t1
ok "$BO" inventory arrive 1 --date 2026-01-06
ok "$BO" party-add ACME "Acme" vendor
ok "$BO" inventory item-set A supplier ACME
ok "$BO" inventory barcode-add A 4006381
ok "$BO" inventory item 4006381
out_has "Widget"
ok "$BO" inventory reorder-set A S1 20 50
ok "$BO" --format csv inventory reorder
out_has "ACME,A,S1"
ok "$BO" --format csv inventory po-add PO-1 ACME --date 2026-01-07
ok "$BO" --format csv inventory po-line 1 A S1 50 3.50 --expected 2026-01-10
expect 1 "$BO" inventory po-receive 1 9 20 --date 2026-01-10 --key grn-x
err_has "inventory po-receive: order 1 has no line 9"
ok "$BO" inventory po-receive 1 1 20 --date 2026-01-10 --key grn-1
ok "$BO" inventory landed-cost 1 7.00 2000 --date 2026-01-11
ok "$BO" --format csv inventory po-lines 1
out_has "1,A,S1,50,20"
ok "$BO" inventory issue A S1 1 --date 2026-01-12 --reason damaged --key i1
ok "$BO" inventory adjust A S1 -1 --date 2026-01-12 --reason lost --key a1
expect 2 "$BO" inventory count-start S1 --date 2026-01-13
err_has "key: a stock count needs an idempotency key"
ok "$BO" inventory count-start S1 --date 2026-01-13 --key c1
ok "$BO" inventory count-set 1 A 25
expect 2 "$BO" inventory count-post 1
err_has "key: a count posting needs an idempotency key"
ok "$BO" inventory count-post 1 --key c1-post
ok "$BO" inventory count-post 1 --key c1-post
ok "$BO" --format csv inventory count-lines 1
out_has "A,25,"
expect 2 "$BO" inventory ship 1 --carrier DHL --tracking JD1
err_has "key: a shipment needs an idempotency key"
for i in 1 2; do
    ok "$BO" --format csv inventory ship 1 --carrier DHL --tracking JD1 --key s1
    out_is "shipment
1"
done
ok "$BO" inventory ship-status 1 shipped --note "picked up"
ok "$BO" --format csv inventory ship-history 1
out_has "shipped"
ok "$BO" inventory history --sku A
ok "$BO" inventory layers A S1
ok "$BO" inventory valuation
ok "$BO" inventory items
ok "$BO" inventory locations
ok "$BO" inventory settings
ok "$BO" inventory location-set S1 name "Main store"
expect 2 "$BO" inventory stock-row 999

# Units, price lists, promotions: tea kept to 100 g, sold by the 250 g.
ok "$BO" inventory item-add TEA Tea --scale 1
ok "$BO" inventory item-set TEA unit kg
ok "$BO" inventory receive TEA S1 5.0 20.00 --date 2026-01-02 --key rt
ok "$BO" inventory unit-set TEA 250g 1 4 --price 3.00
ok "$BO" inventory receive TEA S1 4 3.00 --unit 250g --date 2026-01-02 --key rt2
ok "$BO" --format csv inventory stock --sku TEA
out_has "6.0"
expect 2 "$BO" inventory receive TEA S1 1 1.00 --unit 250g --date 2026-01-02 --key rt3
err_has "not a whole number"
ok "$BO" --format csv inventory unit-convert TEA 2 --from 250g
out_has "0.5"
expect 2 "$BO" inventory unit-convert TEA 1 --from 250g
err_has "not a whole number"
expect 2 "$BO" inventory unit-convert TEA 1 --from lb
err_has "unit: item 'TEA' has no unit 'lb'"
expect 2 "$BO" inventory sell --date 2026-01-03 --key u1 "TEA@S1=1/250g" pay:cash=3.00
err_has "line 1: qty"
ok "$BO" inventory sell --date 2026-01-03 --key u2 "TEA@S1=2/250g" pay:cash=6.00
ok "$BO" inventory pricelist-add P1 --from 2026-01-01 --to 2026-12-31
expect 2 "$BO" inventory pricelist-add P2 --from 2026-06-01
err_has "from: price list 'P2'"
ok "$BO" inventory promotion-set OFF amount --value 0.50 --coupon SAVE --to 2026-01-31
expect 2 "$BO" inventory sell --date 2026-02-03 --key u3 --coupon SAVE "TEA@S1=2/250g" pay:cash=6.00
err_has "coupon: 'SAVE' expired on 2026-01-31"
expect 2 "$BO" inventory sell --date 2026-01-03 --key u4 --coupon NOPE "TEA@S1=2/250g" pay:cash=6.00
err_has "coupon: 'NOPE'"
ok "$BO" inventory units
ok "$BO" inventory pricelists
ok "$BO" inventory promotions
echo "cli_inventory: ok"
