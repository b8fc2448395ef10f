# Inputs beyond the readers' limits from the command line: a rule pack
# nested too deep and 100,000 deep, a camt.053 statement nested 100,000
# deep. Each is refused (exit 2) with the limit and the position, and
# nothing is stored.
. "$(dirname "$0")/lib.sh"

# pack FILE EXPR: a one-component pack whose expression is on line 9 from
# column 12.
pack() {
    printf 'pack: t\ncurrency: USD\naccounts:\n  net_pay: "2100"\ncomponents:\n  - name: x\n    kind: earning\n    account: "5000"\n    expr: "%s"\n' "$2" >"$1"
}
rep() { # rep TEXT N
    "$PYTHON" -c 'import sys; sys.stdout.write(sys.argv[1] * int(sys.argv[2]))' "$1" "$2"
}

pack "$WORK/ok.yaml" "$(rep '(' 64)1$(rep ')' 64)"
ok "$BO" payroll pack-check "$WORK/ok.yaml"
pack "$WORK/deep.yaml" "$(rep '(' 65)1$(rep ')' 65)"
expect 2 "$BO" payroll pack-check "$WORK/deep.yaml"
err_has "limit exceeded"
err_has "deep.yaml:9:76: component 'x': the expression nests deeper than 64 levels"
pack "$WORK/huge.yaml" "$(rep '(' 100000)1$(rep ')' 100000)"
expect 2 "$BO" payroll pack-check "$WORK/huge.yaml"
err_has "huge.yaml:9:12: component 'x': the expression is 200001 bytes"
pack "$WORK/sum.yaml" "1$(rep ' + 1' 200000)"
expect 2 "$BO" payroll pack-check "$WORK/sum.yaml"
err_has "sum.yaml:9:12: component 'x': the expression is 800001 bytes"

new_book
expect 2 "$BO" payroll pack-load "$WORK/deep.yaml"
err_has "deep.yaml:9:76:"
ok "$BO" --format csv payroll packs
! grep -q '^t,' "$OUT" || fail "a refused pack was stored"

{ rep '<a>
' 100000; rep '</a>
' 100000; } >"$WORK/deep.xml"
expect 2 "$BO" billing bank-import 1100 "$WORK/deep.xml" --format camt053
err_has "line 33, column 1: elements nested deeper than 32 levels"
# The next statement imported is the first one stored.
ok "$BO" --format csv billing bank-import 1100 "$SRC/../data/billing/statement.camt053.xml" --format camt053
out_has "1,1100,USD"
