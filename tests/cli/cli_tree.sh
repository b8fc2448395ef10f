# The command tree (issue 14, item 8): every verb of every domain answers
# as `backoffice DOMAIN VERB`; `backoffice help DOMAIN` lists them; the
# top-level commands of 0.2 stay as aliases, each printing exactly what its
# tree form prints; `--version` and `version` print the program's and the
# library's version; an unknown domain or verb is a usage error (exit 1)
# naming it. The domains, verbs and aliases are read from the program's own
# help, and compared with the lists written out here, so a dropped or an
# unlisted one fails.
. "$(dirname "$0")/lib.sh"

DOMAINS="book ledger commerce inventory billing payroll documents people audit security approval label report feed sync"
# The top-level commands of 0.2 that are aliases now, with their tree form.
ALIASES="init=book copy=book export=book import=book version=book serve=book
accounts=ledger account-add=ledger post=ledger reverse=ledger entry=ledger
balance=ledger trial-balance=ledger journal=ledger balance-sheet=ledger
income-statement=ledger periods=ledger period-add=ledger period-close=ledger
year-close=ledger year-reopen=ledger year-closings=ledger
recurring-add=ledger recurring-run=ledger recurring-list=ledger
tax-rates=commerce tax-rate-add=commerce tax-categories=commerce
tax-category-add=commerce tax=commerce parties=commerce party=commerce
party-add=commerce party-set=commerce
roles=security role-define=security grant=security revoke=security
grant-location=security token-create=security token-revoke=security
tokens=security"
# The domains that were top-level commands of 0.2, under that name.
V02_DOMAINS="inventory=inventory billing=billing payroll=payroll document=documents audit=audit"

# ---- the help lists the domains, and each domain its verbs ----------------
ok "$BO" --help
cp "$OUT" "$WORK/usage"
ok "$BO" help
cmp -s "$OUT" "$WORK/usage" || fail "help differs from --help"
sed -n '/^domains:$/,/^$/p' "$WORK/usage" | awk 'NF {print $1}' | sed 1d >"$WORK/domains"
printf '%s\n' $DOMAINS >"$WORK/want"
cmp -s "$WORK/want" "$WORK/domains" || fail "--help lists the domains $(tr '\n' ' ' <"$WORK/domains")"

nverbs=0
for d in $DOMAINS; do
    ok "$BO" help "$d"
    cp "$OUT" "$WORK/help.$d"
    out_has "usage: backoffice [GLOBAL OPTIONS] $d VERB"
    for how in "$d help" "$d --help" "$d -h"; do
        # shellcheck disable=SC2086
        ok "$BO" $how
        cmp -s "$OUT" "$WORK/help.$d" || fail "\"$how\" differs from \"help $d\""
    done
    # No verb: the same list on stderr, exit 1.
    expect 1 "$BO" "$d"
    [ ! -s "$OUT" ] || fail "\"$d\" alone printed on stdout"
    cmp -s "$ERR" "$WORK/help.$d" || fail "\"$d\" alone did not list its verbs on stderr"
    sed -n '/^subcommands:$/,/^$/p' "$WORK/help.$d" | awk 'NF {print $1}' | sed 1d \
        >"$WORK/verbs.$d"
    [ -s "$WORK/verbs.$d" ] || fail "help $d lists no verb"
    # Every verb is reached through the tree: its own help, under its name.
    while read -r v; do
        ok "$BO" "$d" "$v" --help
        out_has "usage: backoffice [GLOBAL OPTIONS] $d $v"
        cp "$OUT" "$WORK/vhelp"
        ok "$BO" help "$d" "$v"
        cmp -s "$OUT" "$WORK/vhelp" || fail "\"help $d $v\" differs from \"$d $v --help\""
        ok "$BO" "$d" help "$v"
        cmp -s "$OUT" "$WORK/vhelp" || fail "\"$d help $v\" differs from \"$d $v --help\""
        nverbs=$((nverbs + 1))
    done <"$WORK/verbs.$d"
done
[ "$nverbs" -ge 130 ] || fail "only $nverbs verbs in the tree"

# ---- the aliases: listed, and each one its tree form ------------------------
# "  post               = ledger post": the alias is the verb's own name.
sed -n '/^commands:$/,/^$/p' "$WORK/usage" |
    awk '$2 == "=" && NF == 4 {print ($1 == $4 ? $1 "=" $3 : "renamed:" $1)}' >"$WORK/aliases"
printf '%s\n' $ALIASES >"$WORK/want"
cmp -s "$WORK/want" "$WORK/aliases" ||
    fail "--help lists the aliases $(tr '\n' ' ' <"$WORK/aliases")"
for pair in $V02_DOMAINS; do
    name=${pair%%=*}
    grep -q "^  $name " "$WORK/usage" || fail "--help does not list \"$name\" (0.2)"
    ok "$BO" "$name" help
    cmp -s "$OUT" "$WORK/help.${pair#*=}" || fail "\"$name help\" is not the ${pair#*=} domain"
done
for pair in $ALIASES; do
    a=${pair%%=*}
    d=${pair#*=}
    grep -qx "$a" "$WORK/verbs.$d" || fail "alias $a: no verb $a in help $d"
    ok "$BO" "$a" --help
    out_has "usage: backoffice [GLOBAL OPTIONS] $a"
    out_has "   or: backoffice [GLOBAL OPTIONS] $d $a"
    ok "$BO" help "$a"
    out_has "usage: backoffice [GLOBAL OPTIONS] $a"
    grep -q "^Each verb is also a top-level command" "$WORK/help.$d" ||
        fail "help $d does not say its verbs are top-level commands too"
done

# The same commands, by alias in one book and by tree form in another: the
# same exit status and the same output, write by write (relative book
# paths, so the printed URIs are the same too).
#   both [--OPTION VALUE] ALIAS ARGS...
mkdir "$WORK/a" "$WORK/b"
: >"$WORK/used"
both() {
    g=
    case $1 in --*) g="$1 $2"; shift 2 ;; esac
    alias=$1
    shift
    tree=$(printf '%s\n' $ALIASES | awk -F= -v a="$alias" '$1 == a {print $2}')
    [ -n "$tree" ] || fail "test script: $alias is not an alias"
    echo "$alias" >>"$WORK/used"
    sa=0
    sb=0
    # shellcheck disable=SC2086
    (cd "$WORK/a" && BACKOFFICE_BOOK=sqlite:book.db "$BO" $g "$alias" "$@") \
        >"$WORK/a.out" 2>"$WORK/a.err" || sa=$?
    # shellcheck disable=SC2086
    (cd "$WORK/b" && BACKOFFICE_BOOK=sqlite:book.db "$BO" $g $tree "$alias" "$@") \
        >"$WORK/b.out" 2>"$WORK/b.err" || sb=$?
    [ "$sa" -eq "$sb" ] || fail "\"$alias $*\" exited $sa, \"$tree $alias\" $sb"
    [ "$sa" -eq "$want_status" ] || fail "\"$alias $*\" exited $sa, expected $want_status
$(cat "$WORK/a.err")"
    cmp -s "$WORK/a.out" "$WORK/b.out" ||
        fail "\"$alias $*\" and \"$tree $alias $*\" print different things:
$(diff "$WORK/a.out" "$WORK/b.out")"
    [ -s "$WORK/a.out" ] || [ "$sa" -ne 0 ] || [ "$want_empty" = 1 ] ||
        fail "\"$alias $*\" printed nothing"
    if [ "$sa" -eq 2 ]; then # the library's refusal: the same message too
        cmp -s "$WORK/a.err" "$WORK/b.err" || fail "\"$alias $*\": other message by the tree"
    fi
}
# refused STATUS ARGS...: both, expecting STATUS.
refused() {
    want_status=$1
    shift
    both "$@"
    want_status=0
}
want_status=0
want_empty=0
both version
both init "$SRC/book.yaml"
both accounts
want_empty=1 # commands that change the book and print nothing
both account-add 1500 "Petty cash" asset --currency USD
both period-add 2026-01 2026-01-01 2026-01-31
both tax-rate-add VAT20 "VAT 20%" 20% 2000
both tax-category-add standard Standard VAT20
both party-add C1 "Mrs Smith" customer
both party-set C1 email smith@example.com
both role-define reader ledger.read
both grant clerk reader
want_empty=0
both --format csv periods
both post --date 2026-01-05 --memo "Cash sale" --key k1 1000=25.00 4000=-25.00
both --format json post --date 2026-01-05 --memo "Cash sale" --key k1 1000=25.00 4000=-25.00
both post --date 2026-01-06 1300=2.25:EUR 4300=-2.25:EUR
both reverse 2 --date 2026-01-07
both entry 1
both --format json entry 3
both balance 1000
both balance 1300 --as-of 2026-01-06
both trial-balance
both --format csv journal --account 1000
both balance-sheet --as-of 2026-01-31
both income-statement --from 2026-01-01 --to 2026-12-31
want_empty=1
both period-close 2026-01
want_empty=0
both year-close 2025-12-31 --retained 3000
both year-closings
both year-reopen 2025-12-31
both recurring-add --date 2026-02-01 --period month --count 2 --memo Rent 4000=-10.00 1000=10.00
both recurring-run 2026-12-31
both --format csv recurring-list
both --format json tax-rates
both tax-categories
both tax standard 10.00 --inclusive yes
both --format csv parties --roles customer
both party C1
both --format csv roles
want_empty=1
both revoke clerk reader
both grant-location clerk reader S1
both revoke clerk reader
want_empty=0
both copy sqlite:copy.db
[ -s "$WORK/b/copy.db" ] || fail "book copy made no copy"
# export prints the book's own audit head (the two books differ in their
# timestamps): compared on a refusal; import of one file into each folder.
refused 2 export "$WORK/no/such/folder/x.zip"
(cd "$WORK/a" && BACKOFFICE_BOOK=sqlite:book.db "$BO" book export "$WORK/tree.zip" >/dev/null) ||
    fail "book export"
both --book sqlite:imported.db import "$WORK/tree.zip"
[ -s "$WORK/b/imported.db" ] || fail "book import made no book"
# Refusals: the same status, and for the library's the same message.
refused 2 post --date 2026-01-10 1000=25.00 4000=-25.00
refused 2 post --date 2026-02-30 1000=1.00 4000=-1.00
refused 2 post --date 2026-02-01 1000=1.00 9999=-1.00
refused 1 balance
refused 2 entry 424242
refused 2 account-add 1000 Duplicate asset
refused 2 party-add C1 Again customer
refused 2 --actor clerk accounts
refused 1 --format yaml accounts
# Tokens are random: their refusals and their empty list compared; serve
# refused before it runs (an unknown option: the same with or without
# libmicrohttpd).
refused 1 token-create
refused 2 token-create --label x --for nobody
refused 2 token-revoke 99
both --format csv tokens
refused 1 serve --no-such-option
sort -u "$WORK/used" >"$WORK/used.sorted"
printf '%s\n' $ALIASES | sed 's/=.*//' | sort >"$WORK/want"
cmp -s "$WORK/want" "$WORK/used.sorted" ||
    fail "aliases not compared with their tree form: $(comm -23 "$WORK/want" "$WORK/used.sorted" | tr '\n' ' ')"

# The domains that were commands of 0.2 answer by both names.
cd "$WORK/a"
export BACKOFFICE_BOOK=sqlite:book.db
ok "$BO" audit verify
out_has "intact"
ok "$BO" --format csv document types
cp "$OUT" "$WORK/types"
ok "$BO" --format csv documents types
cmp -s "$OUT" "$WORK/types" || fail "document types and documents types differ"
ok "$BO" inventory location-add S1 Store
ok "$BO" --format csv inventory locations
out_has "S1,Store"
ok "$BO" --format csv billing invoices
ok "$BO" --format csv payroll packs
ok "$BO" --format csv commerce parties
out_has "C1,Mrs Smith"
ok "$BO" --format csv security roles
out_has "alice,auditor"
ok "$BO" --format csv book version
cd "$WORK"

# ---- --version ----------------------------------------------------------------
H="$SRC/../../include/backoffice/common.h"
v() { awk -v m="BO_VERSION_$1" '$1 == "#define" && $2 == m {print $3}' "$H"; }
want_version="$(v MAJOR).$(v MINOR).$(v PATCH)"
[ "$want_version" != ".." ] || fail "no version in $H"
ok env -u BACKOFFICE_BOOK "$BO" --version
cp "$OUT" "$WORK/version"
grep -qx "program  $want_version" "$OUT" || fail "--version: program is not $want_version"
grep -qx "library  $want_version" "$OUT" || fail "--version: library is not $want_version"
for how in "version" "book version"; do
    # shellcheck disable=SC2086
    ok "$BO" $how
    cmp -s "$OUT" "$WORK/version" || fail "\"$how\" differs from --version"
done
ok "$BO" --format json --version
cp "$OUT" "$WORK/version.json"
ok "$BO" --version --format=json
cmp -s "$OUT" "$WORK/version.json" || fail "--version read the options after it"
"$PYTHON" - "$OUT" "$want_version" <<'PY' || fail "--version JSON"
import json, sys
v = json.load(open(sys.argv[1]))
assert v["program"] == sys.argv[2] and v["library"] == sys.argv[2], v
assert isinstance(v["schema"], int) and v["schema"] > 0, v
PY
expect 1 "$BO" --version accounts
err_has "--version takes no command"

# ---- unknown domains and verbs: exit 1, named, and nothing opened -------------
nobook="$WORK/never.db"
expect 1 "$BO" --book "sqlite:$nobook" frobnicate
err_has 'unknown command "frobnicate"'
expect 1 "$BO" --book "sqlite:$nobook" ledger frobnicate
err_has 'ledger: unknown subcommand "frobnicate"'
err_has "backoffice help ledger"
expect 1 "$BO" --book "sqlite:$nobook" document frobnicate
err_has 'documents: unknown subcommand "frobnicate"'
expect 1 "$BO" --book "sqlite:$nobook" inventory post
err_has 'inventory: unknown subcommand "post"'
expect 1 "$BO" help frobnicate
err_has 'unknown command "frobnicate"'
expect 1 "$BO" help ledger frobnicate
err_has 'ledger: unknown subcommand "frobnicate"'
expect 1 "$BO" help ledger post extra
expect 1 "$BO" --book "sqlite:$nobook" ledger accounts --bogus 1
err_has "accounts: unknown option --bogus (see \`backoffice ledger accounts --help\`)"
expect 1 "$BO" --book "sqlite:$nobook" ledger balance
err_has "balance: missing arguments"
err_has "usage: backoffice ledger balance ACCOUNT"
expect 1 "$BO" --book "sqlite:$nobook" balance
err_has "usage: backoffice balance ACCOUNT"
[ ! -e "$nobook" ] || fail "an unknown command created the book"
echo "cli_tree: ok ($nverbs verbs)"
