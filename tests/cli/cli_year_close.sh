# The year-end close from the command line: a two-year book whose balance
# sheet shows the first year's result in retained earnings, reopening, and
# a refusal that changes nothing.
. "$2/lib.sh"

new_book
ok "$BO" account-add 3200 "Retained earnings" equity
post_id post --date 2025-03-01 1000=100.00 4000=-100.00 >/dev/null
post_id post --date 2025-12-20 5000=30.00 1000=-30.00 >/dev/null
post_id post --date 2026-02-01 1000=50.00 4000=-50.00 >/dev/null

# A retained earnings account that is not equity: refused, nothing kept.
expect 2 "$BO" year-close 2025-12-31 --retained 1000
err_has "retained"
ok "$BO" --format csv year-closings
out_is "year_end,retained,entry,reopened_by,actor"
expect 1 "$BO" year-close 2025-12-31
err_has "--retained"

entry=$(post_id year-close 2025-12-31 --retained 3200 --key close-2025)
again=$(post_id year-close 2025-12-31 --retained 3200 --key close-2025)
[ "$entry" = "$again" ] || fail "year-close replay gave $again, first $entry"

ok "$BO" --format csv balance-sheet --as-of 2026-12-31
out_has "equity,3200,Retained earnings,0,USD,70.00"
out_has "equity,,current earnings,0,USD,50.00"
ok "$BO" --format csv income-statement --from 2025-01-01 --to 2025-12-31
out_has "total,,net income,0,USD,70.00"
# The closing entry is reversed only by reopening the year.
expect 2 "$BO" reverse "$entry" --date 2025-12-31
err_has "reopening"

rev=$(post_id year-reopen 2025-12-31)
[ "$rev" -gt "$entry" ] || fail "reopen gave $rev"
ok "$BO" --format csv balance-sheet --as-of 2026-12-31
out_has "equity,,current earnings,0,USD,120.00"
ok "$BO" --format csv year-closings
out_has "2025-12-31,3200,$entry,$rev,admin"
ok "$BO" audit verify
