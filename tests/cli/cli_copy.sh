# copy: a whole book into another store, verified; refusals.
. "$2/lib.sh"

expect 0 "$BO" init "$SRC/book.yaml"
expect 0 "$BO" post --date 2026-01-05 --key a 1000=12.50 4000=-12.50
expect 0 "$BO" post --date 2026-01-06 --memo "'); DROP TABLE entries;--" 1000=1.25 4000=-1.25
expect 0 "$BO" copy "sqlite:$WORK/copy.db"
grep -q "audit chain head match" "$OUT" || fail "copy not verified"

# The copy answers like the original.
expect 0 "$BO" --format csv trial-balance
cp "$OUT" "$WORK/tb1"
expect 0 "$BO" --book "sqlite:$WORK/copy.db" --format csv trial-balance
cmp -s "$OUT" "$WORK/tb1" || fail "trial balances differ"
expect 0 "$BO" --book "sqlite:$WORK/copy.db" audit head
cp "$OUT" "$WORK/h2"
expect 0 "$BO" audit head
cmp -s "$OUT" "$WORK/h2" || fail "audit heads differ"

# No progress text when stderr is not a terminal; refusals.
expect 2 "$BO" copy "sqlite:$WORK/copy.db"
grep -q "already holds a book" "$ERR" || fail "copy over a book"
expect 1 "$BO" copy
BACKOFFICE_ACTOR=nobody expect 2 "$BO" copy "sqlite:$WORK/other.db"
grep -q "permission denied" "$ERR" || fail "copy without permission"
# trust_copy_denial_names_permission: the denial names what is missing.
grep -q "actor 'nobody' lacks ledger.read and audit.read and book.admin" "$ERR" ||
    fail "the copy denial does not name the permissions"
[ ! -e "$WORK/other.db" ] || fail "a denied copy made a store"
echo "cli_copy: ok"
