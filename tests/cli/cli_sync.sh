# The sync subcommands: a terminal book set up, a sale offline, its
# status and outbox, the sync into a central book (once), the central
# inbox and stock.negative report, a quarantined sale resubmitted, and
# refusals with their exit statuses.
. "$(dirname "$0")/lib.sh"

ok "$BO" sync help
out_has "setup TERMINAL CENTRAL_URI"
expect 1 "$BO" sync frobnicate
err_has "unknown subcommand"

shop() {
    ok "$BO" account-add 1200 Inventory asset
    ok "$BO" account-add 2100 GRNI liability
    ok "$BO" account-add 5100 COGS expense
    for kv in account.inventory=1200 account.cogs=5100 account.grni=2100 \
              account.revenue=4000 payment.cash=1000; do
        ok "$BO" inventory setting-set "${kv%%=*}" "${kv#*=}"
    done
    ok "$BO" inventory location-add S1 "Store one" "$@"
    ok "$BO" inventory item-add A Widget
}

# The central book.
CENTRAL="$WORK/central.db"
new_book
shop
mv "$BOOK" "$CENTRAL"
# The terminal.
new_book
shop --negative-stock 1
ok "$BO" inventory item-add LOCAL "Only here"
expect 2 "$BO" sync status
err_has "not a terminal"
ok "$BO" sync setup T1 "sqlite:$CENTRAL" --max-queued 100
expect 2 "$BO" sync setup T2 "sqlite:$CENTRAL"
err_has "already terminal 'T1'"
ok "$BO" inventory sell --date 2026-03-03 --key s1 "A@S1=2x5.00" pay:cash=10.00
ok "$BO" inventory sell --date 2026-03-03 --key s2 "LOCAL@S1=1x5.00" pay:cash=5.00
ok "$BO" --format csv sync status
out_has "queued,queued_value,quarantined,synced,next_seq,next_receipt"
out_has "2,15.00,0,0,3,3"
expect 2 "$BO" sync close-check
err_has "2 commands are neither synced nor quarantined"
ok "$BO" --format csv sync outbox --state queued
out_has "1,sale,1,queued"
ok "$BO" --format csv sync run
out_has "1,0,1,1"
ok "$BO" --format csv sync outbox --state quarantined
out_has "LOCAL"
ok "$BO" sync close-check
ok "$BO" --format csv --book "sqlite:$CENTRAL" sync inbox --terminal T1
out_has "T1,1,sale,1"
ok "$BO" --format csv --book "sqlite:$CENTRAL" sync negative
out_has "T1,1,1,A,S1,-2"
# corrected centrally, resubmitted, synced
ok "$BO" --book "sqlite:$CENTRAL" inventory item-add LOCAL "Known now"
ok "$BO" sync resubmit 2
expect 2 "$BO" sync resubmit 2
err_has "is queued, not quarantined"
expect 1 "$BO" sync resubmit two
ok "$BO" --format csv sync run --central "sqlite:$CENTRAL" --batch 10
out_has "1,0,0,1"
expect 1 "$BO" sync run --batch 0
ok "$BO" --format csv sync cash 50.00 3000 --date 2026-03-04 --key c1 --memo float
out_has "entry"
expect 1 "$BO" sync cash 50.00 3000 --date 2026-03-04
expect 2 "$BO" sync cash 0.00 3000 --date 2026-03-04 --key c2
err_has "amount"
ok "$BO" --format csv sync run
out_has "1,0,0,0"
expect 2 "$BO" sync outbox --state lost
err_has "state"
echo "cli_sync: ok"
