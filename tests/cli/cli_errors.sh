# Refusals: exit 1 for usage errors, 2 with the library's message otherwise.
. "$(dirname "$0")/lib.sh"

new_book

# Usage errors.
expect 1 "$BO"
expect 1 "$BO" frobnicate
err_has "unknown command"
expect 1 "$BO" --format yaml accounts
expect 1 "$BO" post 1000=1.00 4000=-1.00
err_has "--date"
expect 1 "$BO" post --date 2026-01-01 1000
err_has "ACCOUNT=AMOUNT"
expect 1 "$BO" accounts --bogus 1
err_has "unknown option --bogus"
expect 1 "$BO" entry abc
expect 1 "$BO" balance
err_has "missing arguments"
expect 1 "$BO" audit frob
expect 1 "$BO" income-statement --from 2026-01-01
expect 1 env -u BACKOFFICE_BOOK "$BO" accounts
err_has "no book"
# Output that cannot be written is an error, not a silent truncation.
expect 3 sh -c '"$0" accounts >/dev/full' "$BO"
err_has "cannot write output"

# Library refusals, each with "backoffice: <name>: <message>".
expect 2 "$BO" post --date 2026-01-10 --memo "Lopsided" 1000=10.00 4000=-9.99
err_has "backoffice: unbalanced entry: "
expect 2 "$BO" post --date 2026-01-10 1000=10.00 9999=-10.00
err_has "backoffice: "
err_has "9999"
expect 2 "$BO" post --date 2026-02-30 1000=1.00 4000=-1.00
err_has "2026-02-30"
expect 2 "$BO" post --date 2026-01-10 1000=1.001 4000=-1.001
err_has "1.001"
expect 2 "$BO" post --date 2026-01-10 1000=abc 4000=-1.00
err_has "abc"
expect 2 "$BO" post --date 2026-01-10 1400=1.5 4400=-1.5
expect 2 "$BO" post --date 2026-01-10 1300=1.00:XYZ 4300=-1.00:XYZ
expect 2 "$BO" entry 424242
expect 2 "$BO" balance 9999
expect 2 "$BO" account-add 1000 Duplicate asset
expect 2 "$BO" account-add 7000 Whatever nonsense
expect 2 "$BO" --book "sqlite:$WORK/missing.db" accounts
expect 2 "$BO" init "$SRC/book.yaml"

# Nothing of the above reached the journal.
ok "$BO" --format json journal
out_is "[]"

# A closed period refuses entries dated inside it.
ok "$BO" period-add 2026-01 2026-01-01 2026-01-31
ok "$BO" post --date 2026-01-15 1000=5.00 4000=-5.00
ok "$BO" period-close 2026-01
expect 2 "$BO" post --date 2026-01-20 1000=5.00 4000=-5.00
err_has "2026-01"
expect 2 "$BO" period-close 2026-01
ok "$BO" post --date 2026-02-01 1000=5.00 4000=-5.00
ok "$BO" --format csv periods
out_has "2026-01,2026-01-01,2026-01-31,1"

# Permissions: an actor without roles is denied; a granted role allows.
expect 2 "$BO" --actor clerk accounts
err_has "backoffice: "
ok "$BO" role-define reader ledger.read
ok "$BO" grant clerk reader
ok "$BO" --actor clerk accounts
expect 2 "$BO" --actor clerk post --date 2026-02-02 1000=1.00 4000=-1.00
ok "$BO" --format csv roles
out_has "clerk,reader"
ok "$BO" revoke clerk reader
expect 2 "$BO" --actor clerk accounts
echo "cli_errors: ok"
