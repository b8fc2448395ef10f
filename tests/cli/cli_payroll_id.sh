# The Indonesian outputs from the command line: example 2 of PMK 168/2023
# (Tuan B joins in September, over-withheld in December) through four
# posted runs, then form 1721-A1 (text and HTML, the HTML well formed),
# the month's withholding CSV and a payslip in Indonesian.
. "$(dirname "$0")/lib.sh"
PACK="$SRC/../../data/payroll/id-2024.yaml"

cat >"$WORK/id.yaml" <<'YAML'
book:
  name: PT Contoh
  base_currency: IDR
accounts:
  - {code: "2100", name: Net pay, type: liability}
  - {code: "2210", name: PPh 21, type: liability}
  - {code: "2220", name: BPJS Kesehatan, type: liability}
  - {code: "2230", name: BPJS TK, type: liability}
  - {code: "2240", name: Zakat, type: liability}
  - {code: "5100", name: Wages, type: expense}
  - {code: "5200", name: Employer contributions, type: expense}
YAML
ok "$BO" init "$WORK/id.yaml"
ok "$BO" payroll pack-load "$PACK"
ok "$BO" payroll employee-add B "Tuan <B> & Co" --start 2024-09-01
ok "$BO" payroll employee-set B tax_status TK/0
export BACKOFFICE_DOC_KEY=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
ok "$BO" payroll employee-set B tax_id 3171012345678901
ok "$BO" payroll terms-set B salary 15500000 --effective 2024-09-01
ok "$BO" payroll input-add B pension 100000 --from 2024-09-01 --to 2024-12-31
for m in 09-30 10-31 11-30 12-31; do
    ok "$BO" --format csv payroll run-create "id-$m" id-2024 --from "2024-${m%-*}-01" --to "2024-$m"
    run=$(tail -n 1 "$OUT")
    ok "$BO" payroll run-calculate "$run"
    ok "$BO" payroll run-approve "$run"
    ok "$BO" payroll run-post "$run"
done

ok "$BO" payroll form-1721a1 B 2024
out_has "FORMULIR 1721-A1"
out_has "NPWP/NIK                     3171012345678901"
out_has "Kode objek pajak             21-100-01"
out_has "Masa perolehan penghasilan   09 - 12"
grep -q '^ 8\. Jumlah penghasilan bruto (1 s\.d\. 7) .* 62\.000\.000$' "$OUT" || fail "line 8"
grep -q '^17\. .* 5\.600\.000$' "$OUT" || fail "line 17"
grep -q '^20\. PPh Pasal 21 terutang .* 280\.000$' "$OUT" || fail "line 20"
grep -q '^21\. .* 3\.255\.000$' "$OUT" || fail "line 21"
grep -q '^22\. .* (2\.975\.000)$' "$OUT" || fail "line 22"
ok "$BO" payroll form-1721a1 B 2024 --html 1
cp "$OUT" "$WORK/form.html"
# well formed as XML (stricter than HTML), and as HTML
xmllint --noout "$WORK/form.html" || fail "form 1721-A1 HTML is not well formed"
xmllint --html --noout "$WORK/form.html" || fail "form 1721-A1 HTML does not parse"
out_has "Tuan &lt;B&gt; &amp; Co"
out_has 'id="line-22">(2.975.000)<'
# without the key the tax id stays closed
BACKOFFICE_DOC_KEY= expect 2 "$BO" payroll form-1721a1 B 2024
err_has "tax_id"

ok "$BO" payroll withholding 2024 9
out_has "period,number,tax_id,name,ptkp_status,tax_object_code,bruto,pph21,ter_category,ter_rate_percent,method,currency"
out_has '2024-09,"B","3171012345678901","Tuan <B> & Co","TK/0",21-100-01,15500000.00,1085000.00,A,7,ter,IDR'
ok "$BO" payroll withholding 2024 12
out_has ',15500000.00,-2975000.00,,,annual,IDR'

ok "$BO" payroll payslip "$run" B --lang id
out_has "SLIP GAJI"
out_has "Gaji pokok"
out_has "Rp 15.500.000"
out_has "Kelebihan PPh 21 dikembalikan"
ok "$BO" payroll payslip "$run" B --lang id --html 1
cp "$OUT" "$WORK/slip.html"
xmllint --noout "$WORK/slip.html" || fail "payslip HTML is not well formed"

# bad input
expect 1 "$BO" payroll withholding 2024 13
err_has "MONTH must be a number 1..12"
expect 1 "$BO" payroll form-1721a1 B year
err_has "YEAR must be"
expect 1 "$BO" payroll payslip "$run" B --lang fr
err_has "--lang is en or id"
expect 2 "$BO" payroll form-1721a1 B 2023
err_has "no posted last period in 2023"
echo "cli_payroll_id: ok"
