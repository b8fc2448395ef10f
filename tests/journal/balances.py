#!/usr/bin/env python3
"""The balances a plain-text accounting program itself reports for a
journal, one line per account and commodity: ACCOUNT<TAB>COMMODITY<TAB>AMOUNT,
sub-accounts included (as bo_ledger_balance() reports them), "$" written
USD. Used by tests/unit/test_journal.c and the binding tests.

    balances.py hledger|ledger|beancount FILE
"""
import csv
import io
import subprocess
import sys
from decimal import Decimal

SYMBOLS = {"$": "USD", "\u20ac": "EUR", "\u00a3": "GBP"}


def run(args):
    r = subprocess.run(args, capture_output=True, text=True)
    if r.returncode:
        sys.exit("%s failed: %s" % (" ".join(args), r.stderr.strip()))
    return r.stdout


def own_hledger(path):
    out = run(["hledger", "-f", path, "balance", "--flat", "--no-total", "-O", "csv",
               "--layout=bare", "--empty"])
    rows = list(csv.reader(io.StringIO(out)))
    for account, commodity, amount in rows[1:]:
        yield account, commodity.strip('"'), Decimal(amount.replace(",", ""))


def own_ledger(path):
    out = run(["ledger", "-f", path, "register", "--format",
               "%(account)\t%(quantity(amount))\t%(commodity(amount))\n"])
    for line in out.splitlines():
        account, qty, commodity = line.split("\t")
        yield account, commodity.strip('"'), Decimal(qty.replace(",", ""))


def own_beancount(path):
    out = run(["bean-query", "-f", "csv", path,
               "SELECT account, currency, sum(number) GROUP BY account, currency"])
    rows = list(csv.reader(io.StringIO(out)))
    for account, commodity, amount in rows[1:]:
        yield account.strip(), commodity.strip(), Decimal(amount.strip())


def main():
    tool, path = sys.argv[1], sys.argv[2]
    own = {"hledger": own_hledger, "ledger": own_ledger, "beancount": own_beancount}[tool]
    total = {}
    for account, commodity, amount in own(path):
        commodity = SYMBOLS.get(commodity, commodity)
        parts = account.split(":")
        for i in range(1, len(parts) + 1):
            key = (":".join(parts[:i]), commodity)
            total[key] = total.get(key, Decimal(0)) + amount
    for (account, commodity), amount in sorted(total.items()):
        print("%s\t%s\t%s" % (account, commodity, format(amount.normalize(), "f")))


if __name__ == "__main__":
    main()
