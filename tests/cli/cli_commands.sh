# The shared command layer: each command accepts exactly its own options
# and arguments, --help prints its own text, option values are checked
# before the book is opened, and each table entry calls its own function.
. "$(dirname "$0")/lib.sh"

# No book yet: argument mistakes are reported first, as usage errors.
for cmd in accounts periods roles trial-balance balance-sheet journal version; do
    expect 1 "$BO" $cmd extra
    err_has "$cmd: too many arguments"
    ok "$BO" $cmd --help
    out_has "usage: backoffice [GLOBAL OPTIONS] $cmd"
done
for cmd in accounts periods roles; do
    expect 1 "$BO" $cmd --as-of 2026-01-01
    err_has "$cmd: unknown option --as-of"
done
for cmd in trial-balance balance-sheet; do
    expect 1 "$BO" $cmd --from 2026-01-01
    err_has "$cmd: unknown option --from"
    expect 2 "$BO" $cmd --as-of 2026-02-30
    err_has "--as-of: "
    err_has "2026-02-30"
done
expect 1 "$BO" income-statement --as-of 2026-01-01
err_has "income-statement: unknown option --as-of"
expect 1 "$BO" income-statement --to 2026-01-31
err_has "income-statement: --from and --to are required"
expect 2 "$BO" income-statement --from 2026-01-01 --to nope
err_has "--to: "
expect 2 "$BO" journal --from nope
err_has "--from: "
expect 1 "$BO" audit list --from 0
err_has "--from must be a positive integer"
# Valid arguments, then the missing book.
expect 2 "$BO" trial-balance --as-of 2026-01-31
err_has "hint: create a book"

new_book
ok "$BO" period-add 2026-01 2026-01-01 2026-01-31
ok "$BO" post --date 2026-01-05 1000=25.00 4000=-25.00
ok "$BO" post --date 2026-02-05 1000=5.00 4010=-5.00

ok "$BO" --format csv accounts
out_has "4010,Online sales,income,4000,USD,0"
ok "$BO" --format csv periods
out_is "name,start,end,closed
2026-01,2026-01-01,2026-01-31,0"
ok "$BO" --format csv trial-balance --as-of 2026-01-31
out_is "code,name,type,currency,debit,credit
1000,Cash,asset,USD,25.00,0.00
4000,Sales,income,USD,0.00,25.00"
ok "$BO" --format csv balance-sheet --as-of 2026-01-31
out_has "asset,1000,Cash,0,USD,25.00"
ok "$BO" --format csv income-statement --from 2026-02-01 --to 2026-02-28
out_has "income,4010,Online sales,1,USD,5.00"
out_has "total,,net income,0,USD,5.00"
ok "$BO" --format csv journal --account 1000 --from 2026-02-01
out_has "5.00"
if grep -q "25.00" "$OUT"; then fail "journal --from 2026-02-01 shows January"; fi

# grant and revoke share one handler: each must do its own thing.
ok "$BO" grant bob auditor
ok "$BO" --format csv roles
out_has "bob,auditor"
ok "$BO" revoke bob auditor
ok "$BO" --format csv roles
if grep -q "bob" "$OUT"; then fail "revoke left bob's role"; fi
expect 1 "$BO" grant bob
err_has "grant: missing arguments"

ok "$BO" period-close 2026-01
expect 2 "$BO" post --date 2026-01-06 1000=1.00 4000=-1.00
echo "cli_commands: ok"
