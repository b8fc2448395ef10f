# Document records from the command line: add, get, search, verify, dispose,
# the key from the environment or a file, names that are never paths, and
# a refusal.
. "$(dirname "$0")/lib.sh"

expect 1 "$BO" document
err_has "subcommands:"
ok "$BO" document help
out_has "add FILE"
expect 1 "$BO" document nope
err_has 'unknown subcommand "nope"'
# The key is never taken from the command line.
expect 1 "$BO" document add x --key 00
err_has "unknown option --key"

new_book
# Metadata fields are the type's: undeclared ones are refused, naming them.
printf 'Invoice 4711 from Acme\nblue widgets x 40\n' >"$WORK/scan.txt"
expect 2 "$BO" document add "$WORK/scan.txt" --type invoice --meta supplier=Acme
err_has "supplier: not a field of type 'invoice'"
ok "$BO" --format csv document count
out_is "count
0"
ok "$BO" document field-add invoice supplier text
ok "$BO" document field-add invoice number int
printf 'ACME INVOICE 4711 total 125.00' >"$WORK/ocr.txt"
ok "$BO" --format csv document add "$WORK/scan.txt" --type invoice --title "Invoice 4711" \
    --date 2015-03-01 --meta supplier=Acme --meta number=4711 --tag supplier --tag scan \
    --text "$WORK/ocr.txt"
out_is "id,version
1,1"
ok "$BO" --format csv document get 1
out_has "1,invoice,Invoice 4711,2015-03-01,internal,admin"
ok "$BO" --format csv document meta 1
out_has "number,4711"
out_has "tag,scan"
ok "$BO" --format csv document new-version 1 "$WORK/ocr.txt"
out_is "id,version
1,2"
ok "$BO" --format csv document versions 1
out_has "1,"
ok "$BO" document export 1 "$WORK/out.txt" --version 1
cmp -s "$WORK/scan.txt" "$WORK/out.txt" || fail "export differs from the original"

# Search and count, with filters; the link filter.
expect 2 "$BO" document link 1 purchase_order 7
err_has "ref: no purchase_order 7"
expect 2 "$BO" document link 1 party ACME
err_has 'ref: no party "ACME"'
ok "$BO" party-add ACME "Acme Wholesale" vendor
ok "$BO" document link 1 party ACME
ok "$BO" --format csv document search --text "acme total"
out_has "1,invoice,Invoice 4711"
ok "$BO" --format csv document count --type invoice --tag scan --from 2015-01-01 --to 2015-12-31
out_is "count
1"
ok "$BO" --format csv document count --link party:ACME
out_is "count
1"
ok "$BO" --format csv document count --text "nothing matches this"
out_is "count
0"
ok "$BO" --format csv document linked party ACME
out_has "1,invoice"
expect 1 "$BO" document count --link nocolon
err_has "--link: expected KIND:REF"

# Hostile names are titles and file names only, never paths.
mkdir "$WORK/store"
ok "$BO" document store files "$WORK/store"
printf 'evil' >"$WORK/evil.bin"
ok "$BO" --format csv document add "$WORK/evil.bin" --title "../../x" --type other
out_is "id,version
2,1"
ok "$BO" --format csv document add "$WORK/evil.bin" --title "/etc/passwd"
[ ! -e "$WORK/x" ] && [ ! -e "$WORK/store/../x" ] || fail "a title became a path"
for f in $(cd "$WORK/store" && find . -type f); do
    case "$f" in
    ./[0-9a-f][0-9a-f]/[0-9a-f][0-9a-f]/*) ;;
    *) fail "unexpected file in the store: $f" ;;
    esac
done
# A symlink planted in the store is refused; nothing is written outside.
mkdir "$WORK/outside"
rm -rf "$WORK/store/tmp"
ln -s "$WORK/outside" "$WORK/store/tmp"
printf 'new content' >"$WORK/new.bin"
expect 2 "$BO" document add "$WORK/new.bin" --title planted
[ -z "$(ls -A "$WORK/outside")" ] || fail "written through a planted symlink"
rm "$WORK/store/tmp"

# Confidential content: the key from the environment or a file.
expect 2 "$BO" document add "$WORK/scan.txt" --class confidential --title "Supplier terms"
err_has "key"
KEYHEX=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
BACKOFFICE_DOC_KEY=$KEYHEX ok "$BO" --format csv document add "$WORK/scan.txt" \
    --class confidential --type contract --title "Supplier terms" --date 2024-01-01
out_has "id,version"
CONF=$(tail -n 1 "$OUT" | cut -d, -f1)
printf '%s\n' "$KEYHEX" >"$WORK/key"
ok "$BO" document export "$CONF" "$WORK/conf.txt" --key-file "$WORK/key"
cmp -s "$WORK/scan.txt" "$WORK/conf.txt" || fail "decrypted export differs"
BACKOFFICE_DOC_KEY=1111111111111111111111111111111111111111111111111111111111111111 \
    expect 2 "$BO" document export "$CONF" "$WORK/bad.txt"
err_has "missing or wrong key"
[ ! -e "$WORK/bad.txt" ] || fail "a failed export left a file"
BACKOFFICE_DOC_KEY=zz expect 1 "$BO" document export "$CONF" "$WORK/bad.txt"
err_has "BACKOFFICE_DOC_KEY: expected 64 hex digits"

# trust_doc_confidential_text_hidden: the text given for search of a
# confidential document is never in the book file; found with the key only.
printf 'Zanzibarian clause, Xylophonic annex\n' >"$WORK/secret.txt"
expect 2 "$BO" document add "$WORK/scan.txt" --class confidential --type contract \
    --title "Secret terms" --text "$WORK/secret.txt"
err_has "key"
BACKOFFICE_DOC_KEY=$KEYHEX ok "$BO" --format csv document add "$WORK/scan.txt" \
    --class confidential --type contract --title "Secret terms" --text "$WORK/secret.txt"
SECRET=$(tail -n 1 "$OUT" | cut -d, -f1)
BACKOFFICE_DOC_KEY=$KEYHEX ok "$BO" --format csv document search --text "zanzibarian XYLOPHONIC"
out_has "$SECRET,contract,Secret terms"
ok "$BO" --format csv document count --text zanzibarian
out_is "count
0"
for f in "$BOOK" "$BOOK-wal"; do
    if [ -e "$f" ] && grep -aqi -e zanzibarian -e xylophonic "$f"; then
        fail "the confidential text is in $f"
    fi
done
grep -aq "Invoice 4711" "$BOOK" || fail "the check cannot see the book's text"

# trust_doc_version_limit: a version larger than the book's limit is refused
# and nothing of it kept; a file that never ends is not read to its end.
ok "$BO" --format csv document limit
out_is "max_version_bytes
268435456"
expect 2 "$BO" --actor alice document limit 5
err_has "lacks documents.admin"
ok "$BO" --format csv document limit 100000
out_is "max_version_bytes
100000"
ok "$BO" --format csv document count
BEFORE=$(cat "$OUT")
STORED=$(find "$WORK/store" -type f | wc -l)
expect 2 timeout 60 "$BO" document add /dev/zero --title zeros
err_has "at most 100000 bytes (the book's max_version_bytes)"
expect 2 timeout 60 "$BO" document new-version 2 /dev/zero
err_has "max_version_bytes"
ok "$BO" --format csv document count
[ "$(cat "$OUT")" = "$BEFORE" ] || fail "a refused document was recorded"
ok "$BO" --format csv document versions 2
[ "$(wc -l <"$OUT")" -eq 2 ] || fail "a refused version was recorded"
[ "$(find "$WORK/store" -type f | wc -l)" -eq "$STORED" ] || fail "a refused version left a file"
expect 1 "$BO" document limit many
ok "$BO" document limit 268435456

# Integrity: all good, then one changed byte is named.
ok "$BO" --format csv document verify
out_has ",ok"
victim=$(cd "$WORK/store" && find . -type f -path './??/??/*' | head -n 1)
# Change the second byte to one it is not (an encrypted file's bytes are
# random: its second byte may already be the one written).
[ "$(od -An -tx1 -j1 -N1 "$WORK/store/$victim" | tr -d ' ')" = 58 ] && byte=Y || byte=X
printf '%s' "$byte" | dd of="$WORK/store/$victim" bs=1 seek=1 conv=notrunc 2>/dev/null
expect 2 "$BO" document verify
err_has "version 1"

# Retention and holds: refused before the end and under a hold, then allowed.
expect 2 "$BO" document dispose 1 --today 2020-01-01
err_has "2025-03-01"
ok "$BO" document hold 1 on
expect 2 "$BO" document dispose 1 --today 2026-01-01
ok "$BO" document hold 1 off
ok "$BO" document hold --type invoice on
expect 2 "$BO" document dispose 1 --today 2026-01-01
ok "$BO" document hold --type invoice off
ok "$BO" document dispose 1 --today 2026-01-01
ok "$BO" --format csv document get 1
out_has "Invoice 4711"
expect 2 "$BO" document export 1 "$WORK/gone.txt"
ok "$BO" --format csv audit list
out_has "documents.document.dispose"

# Types, retention rules, check-out.
ok "$BO" document type-add memo --years 3
ok "$BO" document field-add memo amount money
ok "$BO" document retention memo 7
ok "$BO" --format csv document types
out_has "memo,7,0,amount:money,0"
ok "$BO" document open-fields memo on
ok "$BO" --format csv document types
out_has "memo,7,0,amount:money,1"
ok "$BO" --format csv document add "$WORK/scan.txt" --type memo --meta anything=goes
expect 1 "$BO" document open-fields memo maybe
ok "$BO" document checkout 2
ok "$BO" document checkin 2

# A denied call: an actor without documents permissions sees nothing.
expect 2 "$BO" --actor alice document search
err_has "lacks documents.read"
expect 2 "$BO" --actor alice document get 2
expect 2 "$BO" --actor alice document add "$WORK/scan.txt"
echo "cli_documents: ok"
