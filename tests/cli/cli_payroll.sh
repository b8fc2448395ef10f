# Payroll from the command line: a rule pack, employees, time, one month's
# run through every state, payslips, register, export, and refusals.
. "$(dirname "$0")/lib.sh"
PACK="$SRC/../../data/payroll/generic.yaml"

ok "$BO" payroll help
out_has "run-create KEY PACK"
expect 1 "$BO" payroll
expect 1 "$BO" payroll nope
err_has 'unknown subcommand "nope"'
ok "$BO" payroll pack-check "$PACK"
printf 'pack: bad\ncurrency: USD\naccounts: {net_pay: "2100"}\ncomponents:\n  - {name: a, kind: earning, account: "5100", expr: b}\n  - {name: b, kind: earning, account: "5100", expr: a}\n' >"$WORK/bad.yaml"
expect 2 "$BO" payroll pack-check "$WORK/bad.yaml"
err_has "bad.yaml:"
err_has "cycle"

new_book
for a in "2100 NetPay liability" "2210 IncomeTax liability" "2220 Pension liability" \
         "5100 Wages expense" "5200 PensionCost expense"; do
    # shellcheck disable=SC2086
    ok "$BO" account-add $a
done
ok "$BO" payroll pack-load "$PACK"
ok "$BO" --format csv payroll packs
out_has "generic,USD,"
ok "$BO" payroll employee-add E1 "Ann Lee" --start 2024-01-01
ok "$BO" payroll employee-set E1 cost_center SHOP
# Tax, social security and bank identifiers are sealed with the host's key.
expect 2 "$BO" payroll employee-set E1 tax_id TAX-SECRET-9
err_has "tax_id: employee identifiers are stored encrypted"
export BACKOFFICE_DOC_KEY=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
ok "$BO" payroll employee-set E1 tax_id TAX-SECRET-9
ok "$BO" payroll terms-set E1 salary 2500.00 --effective 2024-01-01
ok "$BO" payroll employee-add E2 "Bob Hill" --start 2024-01-01
ok "$BO" payroll terms-set E2 hourly 20.00 --effective 2024-01-01 --schedule monthly
ok "$BO" payroll hours E2 2024-01-05 regular 7.5 --key h1
ok "$BO" payroll hours E2 2024-01-08 regular 7:30 --key h2
# Hours sent again under their key are recorded once; without a key, refused.
ok "$BO" --format csv payroll hours E2 2024-01-08 regular 7:30 --key h2
out_is "time
2"
expect 2 "$BO" payroll hours E2 2024-01-08 regular 7:30
err_has "key: a timesheet entry needs an idempotency key"
# 08:00-18:30 is 10.5 hours: 8 regular, 2.5 overtime.
ok "$BO" payroll clock E2 2024-01-06 08:00 18:30 --key c1
ok "$BO" payroll clock E2 2024-01-06 08:00 18:30 --key c1
expect 2 "$BO" payroll clock E2 2024-01-06 08:00 18:30
err_has "key: a clock event needs an idempotency key"
ok "$BO" payroll leave E1 2024-01-10 2024-01-11 paid
ok "$BO" --format csv payroll time E2 --from 2024-01-01 --to 2024-01-31
out_has "2024-01-06,attendance,630"
ok "$BO" --format csv payroll employees
out_has "E2,Bob Hill,"
ok "$BO" --format csv payroll search Lee
out_is "number,name,department,cost_center,pay_group,start_date,end_date
E1,Ann Lee,,SHOP,,2024-01-01,"
ok "$BO" --format json payroll employee-get E1
out_has '"tax_id": "TAX-SECRET-9"'
BACKOFFICE_DOC_KEY= expect 2 "$BO" --format json payroll employee-get E1
err_has "tax_id: stored encrypted, and this handle has no key"
if grep -aq "TAX-SECRET-9" "$BOOK" "$BOOK-wal" 2>/dev/null; then
    fail "the tax identifier is in the book file"
fi
ok "$BO" --format csv payroll terms E2
out_has "2024-01-01,hourly,20.00,monthly"

ok "$BO" --format csv payroll run-create 2024-01 generic --from 2024-01-01 --to 2024-01-31
out_is "run
1"
# Replaying the key answers the same run.
ok "$BO" --format csv payroll run-create 2024-01 generic --from 2024-01-01 --to 2024-01-31
out_is "run
1"
ok "$BO" payroll run-calculate 1
# Ann: 2500 + tax 10 % of 1500 = 150, pension 5 % = 125. Bob: 23 h x 20
# + 2.5 h x 20 x 1.5 = 535; no tax; pension 26.75.
ok "$BO" --format csv payroll register 1
out_is "number,name,cost_center,gross,deductions_total,net,employer_cost
E1,Ann Lee,SHOP,2500.00,275.00,2225.00,125.00
E2,Bob Hill,,535.00,26.75,508.25,26.75"
ok "$BO" payroll payslip 1 E2
out_has "PAYSLIP"
out_has "overtime"
out_has "508.25"
ok "$BO" payroll payslip 1 E1 --html 1
out_has "<html"
ok "$BO" --format csv payroll payslip-lines 1 E1
out_has "3,income_tax,deduction,150.00,150.00,"
expect 2 "$BO" payroll run-post 1
err_has "invalid state"
ok "$BO" payroll run-approve 1
ok "$BO" --format csv payroll run-post 1
out_is "entry
1"
ok "$BO" --format csv payroll run-pay 1 1100 --date 2024-01-31
out_is "entry
2"
ok "$BO" --format csv payroll run-state 1
out_is "run,state
1,paid"
ok "$BO" --format csv payroll runs
out_has "1,2024-01,generic,,monthly,2024-01-01,2024-01-31,2024-01-31,paid,1,2,2"
ok "$BO" --format csv payroll ytd E1 2024
out_has "salary,earning,2500.00"
ok "$BO" payroll export 1
out_has '"E1","Ann Lee","SHOP",2500.00,275.00,2225.00,125.00,USD'
ok "$BO" payroll export 1 json
out_has '"net": 222500'
out_has '"currency": "USD"'
ok "$BO" --format csv trial-balance
out_has "5100,Wages,expense,USD,3035.00,0.00"
out_has "1100,Bank,asset,USD,0.00,2733.25"
ok "$BO" payroll run-reverse 1 --date 2024-02-01
ok "$BO" --format csv payroll run-state 1
out_has "1,reversed"
ok "$BO" --format csv payroll ytd E1 2024
out_is "component,kind,amount"

# Refusals: alice (auditor) reads no pay data, and the message names none.
expect 2 "$BO" --actor alice payroll employees
err_has "permission denied"
expect 2 "$BO" --actor alice payroll employee-get E1
err_has "permission denied"
if grep -q "Ann\|TAX-SECRET\|2500" "$ERR"; then fail "a denial leaked pay data"; fi
expect 2 "$BO" --actor alice payroll register 1
err_has "permission denied"

# Bad input, each refused with its own message.
expect 1 "$BO" payroll hours E2 2024-01-09 regular 7.33 --key h3
err_has "whole minutes"
expect 1 "$BO" payroll terms-set E1 salary 1.00 --effective 2024-02-01 --schedule yearly
err_has "--schedule: expected"
expect 1 "$BO" payroll run-create K generic --to 2024-01-31
err_has "--from YYYY-MM-DD is required"
expect 1 "$BO" payroll register x
err_has "RUN must be a positive integer"
expect 1 "$BO" payroll export 1 xml
err_has "csv or json"
expect 2 "$BO" payroll employee-add E1 "Again" --start 2024-01-01
err_has "already exists"

# Pay inputs and a previous employer's slip: recorded, and refused with
# their own messages (a slip outside its tax year; an input name).
ok "$BO" payroll input-add E1 bonus 100.00 --from 2024-03-01 --to 2024-03-31
ok "$BO" payroll employee-add E3 "Cy Dee" --start 2024-06-01
ok "$BO" payroll previous-add E3 2024 1000.00 900.00 50.00 --from 2024-01-01 --to 2024-01-31
expect 2 "$BO" payroll previous-add E3 2024 1000.00 900.00 50.00 --from 2023-01-01 --to 2023-01-31
err_has "is not in tax year 2024"
expect 2 "$BO" payroll input-add E1 Bad-Name 1.00 --from 2024-03-01 --to 2024-03-31
err_has "an input name is"
expect 1 "$BO" payroll previous-add E3 year 1 1 1 --from 2024-01-01 --to 2024-01-31
err_has "YEAR: expected a year"
expect 2 "$BO" payroll employee-set E9 name X
err_has "not found"
expect 2 "$BO" payroll clock E2 2024-01-09 18:00 08:00 --key c2
err_has "invalid argument"
expect 2 "$BO" payroll run-calculate 1
err_has "invalid state"
expect 1 "$BO" payroll pack-load "$WORK/missing.yaml"
err_has "cannot open"
echo "cli_payroll: ok"
