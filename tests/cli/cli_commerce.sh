# Tax rates, tax categories and parties from the command line.
. "$(dirname "$0")/lib.sh"

expect 1 "$BO" tax-rate-add ST "State tax" 6.25 2000
err_has "not a percentage"
expect 1 "$BO" tax-rate-add ST "State tax" 6.25% 2000 --compound maybe
err_has "--compound: expected yes or no"
expect 1 "$BO" party-add X Name boss
err_has "roles: expected customer, vendor"

new_book
ok "$BO" tax-rate-add ST "State tax" 6.25% 2000
ok "$BO" tax-rate-add CT "City tax" 1% 2000 --compound yes
ok "$BO" tax-category-add standard Standard ST CT
ok "$BO" tax-category-add exempt Exempt
ok "$BO" --format csv tax-rates
out_is "code,name,rate_ppm,sales_account,purchase_account,compound
CT,City tax,10000,2000,2000,1
ST,State tax,62500,2000,2000,0"
ok "$BO" --format csv tax-categories
out_has "standard,Standard,ST CT"
out_has "exempt,Exempt,"
# 100.00 + 6.25 + 1 % of 106.25 (1.0625 -> 1.06).
ok "$BO" --format csv tax standard 100.00
out_is "category,net,tax,gross,currency
standard,100.00,7.31,107.31,USD"
ok "$BO" --format json tax standard 107.31 --inclusive yes
out_has '"net": 10000'
expect 2 "$BO" tax nope 1.00
err_has "tax category 'nope' not found"
expect 2 "$BO" tax-rate-add ST Again 1% 2000
err_has "already exists"

ok "$BO" party-add ACME "Acme Wholesale" vendor
ok "$BO" party-add C1 "Cafe" customer,vendor --currency EUR
ok "$BO" party-set ACME terms_days 45
ok "$BO" party-set ACME email orders@acme.example
ok "$BO" party-set ACME email
ok "$BO" --format csv parties --roles customer
out_is "code,name,roles,currency,terms_days,active
C1,Cafe,3,EUR,30,1"
ok "$BO" --format json party ACME
out_has '"terms_days": 45'
out_has '"email": null'
expect 2 "$BO" party-set ACME salary 1
err_has "not a party field"
expect 2 "$BO" party NOPE
err_has 'party "NOPE" not found'
echo "cli_commerce: ok"
