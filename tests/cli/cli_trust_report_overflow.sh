# Issue 12 item 3, the command's part: a report that overflows fails with
# the overflow code's own name (not "internal error"), and a command that
# fails prints no partial result: nothing on stdout, in every format, even
# when the failure comes after more output than is kept in memory. An
# account at INT64_MIN is shown to the last cent.
. "$(dirname "$0")/lib.sh"

command -v sqlite3 >/dev/null 2>&1 ||
    fail "the sqlite3 shell is missing (package sqlite3: make test-deps)"

# no_output STATUS CMD...: CMD exits STATUS with an empty stdout, in table,
# CSV and JSON.
no_output() {
    want=$1
    shift
    for f in table csv json; do
        expect "$want" "$BO" --format $f "$@"
        [ ! -s "$OUT" ] || fail "\"$*\" (--format $f) printed a partial result"
    done
}

new_book
# 4010 at INT64_MIN: -92,233,720,368,547,758.08.
ok "$BO" post --date 2026-01-01 1100=92233720368547758.07 4010=-92233720368547758.08 3000=0.01
ok "$BO" --format csv journal --account 4010
out_has "4010,,-92233720368547758.08,USD,-92233720368547758.08"
ok "$BO" --format json entry 1
out_has '"amount": -9223372036854775808'
ok "$BO" balance 4010
out_has "-92233720368547758.08"
# (Its natural sign in the income statement, +92,233,720,368,547,758.08,
# does not fit int64: that report is the library's to refuse.)

# One more cent of sales: 4000 with its sub-account leaves int64.
ok "$BO" post --date 2026-01-02 1000=0.01 4000=-0.01
for report in "income-statement --from 2026-01-01 --to 2026-12-31" balance-sheet "balance 4000"; do
    # shellcheck disable=SC2086
    no_output 2 $report
    err_has "backoffice: overflow: "
    if grep -q "internal error" "$ERR"; then fail "$report: overflow reported as internal error"; fi
done

# A listing larger than the memory spool (1 MiB) goes through a temporary
# file in $TMPDIR, removed at once: without a usable $TMPDIR it cannot be
# held back, and the command says so rather than print half of it.
python3_lines() {
    "$PYTHON" -c '
print("Date;Ref;Text;Amount;Balance")
for i in range(1, 20001):
    print("2026-03-02;R%d;Incoming transfer number %d from a customer;0.01;%d.%02d"
          % (i, i, i // 100, i % 100))'
}
python3_lines >"$WORK/big.csv"
printf 'header: true\ndelimiter: ";"\ndate: Date\nreference: Ref\nmemo: Text\namount: Amount\nbalance: Balance\n' >"$WORK/map.yaml"
ok "$BO" billing bank-import 1100 "$WORK/big.csv" --mapping "$WORK/map.yaml"
mkdir "$WORK/spill"
export TMPDIR="$WORK/spill"
for f in table csv json; do
    ok "$BO" --format $f billing bank-lines 1
    [ "$(wc -c <"$OUT")" -gt 1048576 ] || fail "bank-lines ($f) is smaller than the spool"
done
ok "$BO" --format csv billing bank-lines 1
[ "$(wc -l <"$OUT")" -eq 20001 ] || fail "bank-lines: not every line listed"
tail -n 1 "$OUT" | grep -q ",0.01,R20000,Incoming transfer number 20000" || fail "last line"
[ -z "$(ls -A "$WORK/spill")" ] || fail "a spool file was left behind"
expect 3 env TMPDIR="$WORK/nowhere" "$BO" --format csv billing bank-lines 1
[ ! -s "$OUT" ] || fail "an output that could not be held back was printed in part"
err_has "cannot hold the output"
# A small result never needs the file.
ok env TMPDIR="$WORK/nowhere" "$BO" --format csv billing invoices

# The same listing failing at its end (its last page damaged with a direct
# edit of the file): more than the spool was read, still nothing printed.
page=$(sqlite3 "$BOOK" "SELECT pageno FROM dbstat WHERE name = 'bill_statement_lines'
                        AND pagetype = 'leaf' ORDER BY path DESC LIMIT 1")
size=$(sqlite3 "$BOOK" "PRAGMA page_size")
[ -n "$page" ] && [ -n "$size" ] || fail "no page to damage"
"$PYTHON" - "$BOOK" "$page" "$size" <<'PY'
import sys
path, page, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(path, "r+b") as f:
    f.seek((page - 1) * size + 8)
    f.write(b"\xff" * (size - 8))
PY
no_output 2 billing bank-lines 1
err_has "backoffice: integrity check failed"
[ -z "$(ls -A "$WORK/spill")" ] || fail "a spool file was left behind after a failure"
echo "cli_trust_report_overflow: ok"
