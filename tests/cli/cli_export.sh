# export / import: the lossless round trip through the command, refusals.
. "$2/lib.sh"

expect 0 "$BO" init "$SRC/book.yaml"
expect 0 "$BO" post --date 2026-01-05 --key a 1000=12.50 4000=-12.50
expect 0 "$BO" post --date 2026-01-06 --memo "'); DROP TABLE entries;--" 1000=1.25 4000=-1.25
expect 0 "$BO" book export "$WORK/a.zip"
grep -q "audit_head" "$OUT" || fail "no audit head shown"
expect 0 "$BO" export "$WORK/a2.zip"
cmp -s "$WORK/a.zip" "$WORK/a2.zip" || fail "two exports of one book differ"

# Import into an empty store, export again: the same bytes.
expect 0 "$BO" --book "sqlite:$WORK/copy.db" import "$WORK/a.zip"
grep -q "full verification passed" "$OUT" || fail "import not verified"
expect 0 "$BO" --book "sqlite:$WORK/copy.db" book export "$WORK/b.zip"
cmp -s "$WORK/a.zip" "$WORK/b.zip" || fail "export -> import -> export differs"
expect 0 "$BO" --book "sqlite:$WORK/copy.db" audit head
cp "$OUT" "$WORK/h2"
expect 0 "$BO" audit head
cmp -s "$OUT" "$WORK/h2" || fail "audit heads differ"

# Refusals: a store holding a book, a truncated file, a missing argument.
expect 2 "$BO" --book "sqlite:$WORK/copy.db" import "$WORK/a.zip"
grep -q "already holds a book" "$ERR" || fail "import over a book"
head -c 2000 "$WORK/a.zip" >"$WORK/short.zip"
expect 2 "$BO" --book "sqlite:$WORK/short.db" import "$WORK/short.zip"
grep -q "short.zip: not a readable export" "$ERR" || fail "truncated file not named"
expect 2 "$BO" --book "sqlite:$WORK/short.db" audit head
expect 1 "$BO" export
BACKOFFICE_ACTOR=nobody expect 2 "$BO" export "$WORK/denied.zip"
grep -q "permission denied" "$ERR" || fail "export without permission"
[ ! -e "$WORK/denied.zip" ] || fail "a denied export wrote a file"
echo "cli_export: ok"
