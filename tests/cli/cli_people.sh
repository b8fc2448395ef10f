# People from the command line: a shift type, a night shift and the next
# day's, punches and attendance, a rule refused, leave with its balance,
# and refusals of bad input.
. "$(dirname "$0")/lib.sh"

ok "$BO" people help
out_has "shift-type-add CODE"
expect 1 "$BO" people nope
err_has 'unknown subcommand "nope"'

new_book
ok "$BO" payroll employee-add E1 "Ann Lee" --start 2024-01-01
ok "$BO" people shift-type-add NIGHT 18:00 07:00 --break 60 --grace-late 5
ok "$BO" people shift-type-add DAY 09:00 17:00 --punch-mode direction
expect 1 "$BO" people shift-type-add BAD 09:00 17:00 --punch-mode sideways
err_has "punch-mode"
expect 2 "$BO" people shift-type-add BAD 9:00 17:00
err_has "start: expected HH:MM"
ok "$BO" --format csv people shift-types
out_has "NIGHT,1080,420,720,60,5,0,1"
ok "$BO" people assign E1 2024-01-08 NIGHT S1 cashier
ok "$BO" people assign E1 2024-01-09 DAY S1 cashier
ok "$BO" people limit rest 660
ok "$BO" --format csv people check E1 2024-01-10 DAY S1
out_has "none"
ok "$BO" people limit rest 0
# EARLY 06:00 the day after the night shift overlaps it.
ok "$BO" people shift-type-add EARLY 06:00 14:00
expect 2 "$BO" people assign E1 2024-01-09 EARLY S1 cashier
err_has "overlap:"
ok "$BO" --format csv people publish S1 --from 2024-01-01 --to 2024-01-31
out_is "count
2"
ok "$BO" people punch E1 2024-01-08T17:58 in --key p1
ok "$BO" people punch E1 2024-01-09T07:05 --key p2
ok "$BO" people punch E1 2024-01-09T08:55 in --key p3
ok "$BO" people punch E1 2024-01-09T17:00 out --key p4
expect 2 "$BO" people punch E1 2024-01-09T17:00 out
err_has "key"
ok "$BO" --format csv people attendance-run --from 2024-01-08 --to 2024-01-09 --now 2024-01-10T00:00
out_is "count
2"
ok "$BO" --format csv people attendance E1 --from 2024-01-08 --to 2024-01-09
out_has "2024-01-08,E1,present"
out_has "2024-01-09,E1,present"
ok "$BO" people leave-policy-add ANNUAL yearly 12 --cap 24 --carry 6 --carry-months 3
ok "$BO" people leave-entitle E1 ANNUAL 2024-01-01
ok "$BO" --format csv people leave-request E1 ANNUAL 2024-02-05 2024-02-06 --key l1
out_is "request
1"
ok "$BO" people leave-approve 1
expect 2 "$BO" people leave-reject 1
err_has "not pending"
ok "$BO" --format csv people leave-balance E1 ANNUAL 2024-12-31
out_is "days,expired_days
1000,0"
ok "$BO" --format csv people leave-requests E1
out_has "approved"
expect 1 "$BO" people leave-policy-add X yearly 1.555

# The roster's gaps, iCalendar, recruitment and reviews.
ok "$BO" payroll employee-add E2 "Bo Lee" --start 2024-01-01
ok "$BO" people unavailable E2 2024-01-10T08:00 2024-01-10T12:00
expect 2 "$BO" people assign E2 2024-01-10 DAY S1 cashier
err_has "unavailable:"
ok "$BO" --format csv people check E2 2024-01-10 DAY S1
out_has "unavailable"
ok "$BO" people headcount S1 cashier 09:00 11:00 2 --weekdays 31
ok "$BO" --format csv people understaffed S1 --from 2024-01-11 --to 2024-01-11
out_has "2024-01-11,09:00,cashier,2,0,2"
ok "$BO" --format csv people open-shift-add 2024-01-11 DAY S1 cashier
out_is "open_shift
1"
ok "$BO" --format csv people open-shift-claim 1 E2
ok "$BO" --format csv people swap-propose 3 E1
out_is "swap
1"
ok "$BO" people swap-accept 1
ok "$BO" people swap-approve 1
ok "$BO" --format csv people swaps --from 2024-01-01 --to 2024-01-31
out_has "approved"
ok "$BO" people roster-export E1 "$WORK/e1.ics" --from 2024-01-01 --to 2024-01-31
grep -q "SUMMARY:DAY at S1 (cashier)" "$WORK/e1.ics" || fail "roster-export: no shift event"
ok "$BO" people holiday-add default 2024-03-11 Nyepi
ok "$BO" people holidays-export default "$WORK/h.ics" --from 2024-01-01 --to 2024-12-31
ok "$BO" --format csv people holidays-import COPY "$WORK/h.ics"
out_is "count
1"
ok "$BO" people stage-set screen Screening 10
ok "$BO" people opening-add CASHIER "Cashier" S1 cashier 2024-01-02
ok "$BO" --format csv people applicant-add CASHIER "Sekar Wulandari" sekar@example.org --consent "I agree" --applied 2024-01-03
out_is "applicant
1"
expect 1 "$BO" people applicant-add CASHIER "X" x@example.org --applied 2024-01-03
err_has "consent"
ok "$BO" people applicant-export 1 "$WORK/a.json"
grep -q "sekar@example.org" "$WORK/a.json" || fail "applicant-export: no e-mail"
ok "$BO" people applicant-reject 1 2024-01-05
ok "$BO" people applicant-retention 30
ok "$BO" --format csv people applicant-purge 2024-12-31
out_is "erased
1"
ok "$BO" --format csv people applicants
out_has "erased"
ok "$BO" people review-cycle-add H1 "First half" 2024-01-01 2024-06-30
ok "$BO" people review-criterion-add H1 service Service 2
ok "$BO" people review-criterion-add H1 speed Speed 1
ok "$BO" --format csv people review-open H1 E1
ok "$BO" people review-score 1 service manager 400 --note "friendly"
ok "$BO" people review-score 1 speed manager 300
ok "$BO" --format csv people review-result 1 manager
out_is "score
367"
# A store manager: a role granted at S1 only sees S1, and S2 is refused
# naming it.
ok "$BO" security role-define manager people.read people.write people.approve
ok "$BO" security grant-location mara manager S1
expect 2 "$BO" security grant-location mara manager "S 1"
err_has "location"
ok "$BO" people assign E1 2024-01-15 DAY S2 cashier
ok "$BO" --actor mara --format csv people shifts --from 2024-01-15 --to 2024-01-15
out_is "id,date,employee,shift,location,role,start_at,end_at,published"
expect 2 "$BO" --actor mara people shifts S2 --from 2024-01-15 --to 2024-01-15
err_has "at location \"S2\""
expect 2 "$BO" --actor mara people assign E1 2024-01-16 DAY S2 cashier
err_has "S2"
ok "$BO" --actor mara people assign E1 2024-01-16 DAY S1 cashier
# Keys of roster commands: the same key again answers the first id; other
# content under it is refused naming the key.
ok "$BO" --format csv people unavailable E1 2024-02-01T08:00 2024-02-01T12:00 --key u1
cp "$OUT" "$WORK/u1"
ok "$BO" --format csv people unavailable E1 2024-02-01T08:00 2024-02-01T12:00 --key u1
cmp -s "$OUT" "$WORK/u1" || fail "unavailable --key: another id on a replay"
expect 2 "$BO" people unavailable E1 2024-02-01T08:00 2024-02-01T13:00 --key u1
err_has "key: \"u1\""
ok "$BO" --format csv people open-shift-add 2024-02-02 DAY S1 cashier --key o1
cp "$OUT" "$WORK/o1"
ok "$BO" --format csv people open-shift-add 2024-02-02 DAY S1 cashier --key o1
cmp -s "$OUT" "$WORK/o1" || fail "open-shift-add --key: another id on a replay"
expect 2 "$BO" people open-shift-add 2024-02-02 DAY S2 cashier --key o1
err_has "key"
