# Four eyes from the command line: a rule, a posting that waits, the maker
# refused, a manager approving as the maker's command, a rejection, the
# owner's override, conflicting roles refused at grant time.
. "$(dirname "$0")/lib.sh"

new_book
ok "$BO" role-define clerk ledger.read ledger.post approval.read
ok "$BO" role-define manager ledger.read ledger.post approval.read
ok "$BO" grant carl clerk
ok "$BO" grant mia manager
ok "$BO" approval commands
out_has "ledger.entry.post"
ok "$BO" approval rule-set ledger.entry.post --roles manager --min 100000
ok "$BO" approval rules
out_has "ledger.entry.post"
expect 1 "$BO" approval rule-set ledger.entry.post --min 1
err_has "--roles"
expect 2 "$BO" approval rule-set ledger.entry.burn --roles manager --min 1
err_has "unknown command 'ledger.entry.burn'"
expect 2 "$BO" approval rule-set ledger.entry.post --roles boss
err_has "unknown role 'boss'"

# Below the minimum: posts. At it: waits, changes nothing.
BACKOFFICE_ACTOR=carl ok "$BO" post --date 2026-01-02 1000=999.99 3000=-999.99
BACKOFFICE_ACTOR=carl expect 2 "$BO" post --date 2026-01-02 --key big 1000=1000.00 3000=-1000.00
err_has "waiting for approval"
err_has "approval 1:"
ok "$BO" balance 1000
out_has "999.99"
ok "$BO" --format csv approval requests --status pending
out_has "1,ledger.entry.post,pending,carl,big"

# The maker cannot approve; the manager can: the entry is carl's.
BACKOFFICE_ACTOR=carl expect 2 "$BO" approval approve 1
err_has "separation of duties"
BACKOFFICE_ACTOR=mia ok "$BO" --format csv approval approve 1
out_has "result"
ok "$BO" balance 1000
out_has "1999.99"
ok "$BO" --format csv audit list
out_has "carl,ledger.entry.post"
out_has "mia,approval.approve"
ok "$BO" --format csv approval decisions 1
out_has "mia,manager,approve"

# A rejection, then the owner's override of another request.
BACKOFFICE_ACTOR=carl expect 2 "$BO" post --date 2026-01-03 1000=2000.00 3000=-2000.00
BACKOFFICE_ACTOR=mia ok "$BO" approval reject 2 --reason "too much"
ok "$BO" --format csv approval requests --status rejected
out_has "2,ledger.entry.post,rejected"
BACKOFFICE_ACTOR=carl expect 2 "$BO" post --date 2026-01-03 1000=3000.00 3000=-3000.00
expect 2 "$BO" approval override 3
err_has "reason"
ok "$BO" approval override 3 --reason "quarter end"
ok "$BO" --format csv audit list
out_has "admin,approval.override"
ok "$BO" approval expire

# Conflicting roles: refused at grant time, earlier grants reported.
ok "$BO" grant mia clerk
ok "$BO" approval conflict-add clerk manager
ok "$BO" --format csv approval conflicts
out_has "mia,clerk,manager"
expect 2 "$BO" grant carl manager
err_has "conflicts with role 'clerk'"
ok "$BO" approval rule-remove ledger.entry.post
ok "$BO" audit verify
out_has "intact"
