# The label subcommands: a label written as ZPL and PDF from FIELD=VALUE
# arguments, the SSCC check digit, and refusals that write nothing.
. "$(dirname "$0")/lib.sh"

ok "$BO" label help
out_has "write OUT FIELD=VALUE"

ok "$BO" label sscc 10614141123456789
out_is "106141411234567897"
expect 2 "$BO" label sscc 123
err_has "17 digits"

set -- tracking=JD0146000062 order=WEB-1042 carrier=JNE service=REG \
    sender_name="Toko Kopi Nusantara" 'sender_address=Jl. Sabang 12\nJakarta Pusat 10340' \
    recipient_name="Siti Rahmawati" recipient_phone="+62 812 3456 7890" \
    'recipient_address=Jl. Malioboro 56\nYogyakarta 55271' \
    weight=1250 package=1/2 cod=IDR:150000.00 sscc=106141411234567897

ok "$BO" label write "$WORK/l.zpl" "$@"
grep -qF '^PW812' "$WORK/l.zpl" || fail "no ^PW812"
grep -qF '^FD>;>800106141411234567897^FS' "$WORK/l.zpl" || fail "no GS1-128"
grep -qF 'COD 150000.00 IDR' "$WORK/l.zpl" || fail "no COD"
grep -qF '^FDYogyakarta 55271^FS' "$WORK/l.zpl" || fail "address lines not split"

ok "$BO" label write "$WORK/l.pdf" "$@" --size 100x150 --dpi 300
command -v pdfinfo >/dev/null || fail "pdfinfo is missing: install the Debian package poppler-utils"
pdfinfo "$WORK/l.pdf" | grep -qF "Page size:       283.465 x 425.197 pts" || fail "page size"

# Refusals: a wrong check digit, a line too long, an unknown field; no file.
expect 2 "$BO" label write "$WORK/bad.zpl" "$@" sscc=106141411234567890
err_has "sscc: check digit"
expect 2 "$BO" label write "$WORK/bad.zpl" "$@" --size 100x100 \
    recipient_name="Raden Ayu Siti Rahmawati Kusumaningrum Hadiningrat Prawirodirjo"
err_has "recipient_name"
expect 2 "$BO" label write "$WORK/bad.zpl" "$@" colour=red
err_has "not a label field"
[ ! -e "$WORK/bad.zpl" ] || fail "a refused label was written"
expect 1 "$BO" label write "$WORK/bad.txt" "$@"
err_has "--type"
expect 1 "$BO" label write "$WORK/bad.zpl" "$@" --size 5x5
expect 1 "$BO" label write "$WORK/bad.zpl" "$@" weight=heavy
[ ! -e "$WORK/bad.zpl" ] || fail "a refused label was written"
echo "cli_label: ok"
