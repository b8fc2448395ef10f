#!/usr/bin/env python3
"""A day at a small shop, through the Python module.

Creates a book in a temporary folder, sets up a chart of accounts, records
a few sales and a supplier bill (one of them retried by a flaky terminal),
then prints the trial balance and the balance sheet and verifies the audit
chain. Run it with the module on PYTHONPATH.
"""

import os
import sys
import tempfile

import backoffice as bo


def money(amount, currency="USD"):
    return bo.money_format(amount, currency)


def main():
    with tempfile.TemporaryDirectory(prefix="shop-") as folder:
        uri = "sqlite:" + os.path.join(folder, "shop.db")
        with bo.Book(uri, actor="owner", create=True, base_currency="USD") as book:
            for code, name, kind in [("1000", "Cash", "asset"),
                                     ("1200", "Inventory", "asset"),
                                     ("2000", "Payables", "liability"),
                                     ("3000", "Owner equity", "equity"),
                                     ("4000", "Sales", "income"),
                                     ("5000", "Cost of goods", "expense")]:
                book.ledger.account_add(code, name, kind)

            posted = []
            book.subscribe("entry.posted", lambda event, entry_id: posted.append(entry_id))

            # Opening capital and a supplier bill, as one unit of work.
            with book.transaction():
                capital = bo.Entry("2026-03-01", "opening capital")
                capital.add("1000", bo.money_parse("500.00", "USD"))
                capital.add("3000", -bo.money_parse("500.00", "USD"))
                book.ledger.post(capital)
                bill = bo.Entry("2026-03-01", "stock from the wholesaler")
                bill.add("1200", 18000)
                bill.add("2000", -18000)
                book.ledger.post(bill)

            # Till receipts; the terminal retries receipt 2 after a timeout.
            receipts = [("0001", "12.50"), ("0002", "7.25"), ("0002", "7.25"), ("0003", "40.00")]
            ids = {}
            for number, total in receipts:
                amount = bo.money_parse(total, "USD")
                sale = bo.Entry("2026-03-14", "receipt " + number)
                sale.add("1000", amount)
                sale.add("4000", -amount)
                sale.set_key("till-1/" + number)
                ids.setdefault(number, set()).add(book.ledger.post(sale))
            if any(len(v) != 1 for v in ids.values()):
                raise SystemExit("a retried receipt was recorded twice")

            # Cost of the goods sold: 40% of sales, split over the three receipts.
            cost = bo.money_muldiv(bo.money_parse("59.75", "USD"), 40, 100, bo.ROUND_HALF_EVEN)
            shares = bo.money_split(cost, [1250, 725, 4000])
            cogs = bo.Entry("2026-03-14", "cost of goods sold")
            for share in shares:
                cogs.add("5000", share)
            cogs.add("1200", -cost)
            book.ledger.post(cogs)

            # A bad entry is refused with a specific error and changes nothing.
            try:
                bad = bo.Entry("2026-03-14", "typo")
                bad.add("1000", 100)
                bad.add("4000", -10)
                book.ledger.post(bad)
                raise SystemExit("an unbalanced entry was accepted")
            except bo.UnbalancedError as err:
                print("refused (%s, code %d): %s" % (err.name, err.code, err))

            print("\nTrial balance at 2026-03-14")
            debit = credit = 0
            for row in book.ledger.trial_balance("2026-03-14"):
                print("  %-6s %-16s %12s %12s" % (row["code"], row["name"],
                                                  money(row["debit"]), money(row["credit"])))
                debit += row["debit"]
                credit += row["credit"]
            print("  %-23s %12s %12s" % ("total", money(debit), money(credit)))
            if debit != credit:
                raise SystemExit("the trial balance does not balance")

            print("\nBalance sheet at 2026-03-14")
            for row in book.ledger.balance_sheet("2026-03-14"):
                print("  %-10s %-18s %12s" % (row["section"], row["name"], money(row["amount"])))

            cash = book.ledger.balance("1000", "2026-03-14")
            if cash != 50000 + 1250 + 725 + 4000:
                raise SystemExit("unexpected cash balance %d" % cash)
            print("\ncash: %s USD; %d entries posted" % (money(cash), len(posted)))

            book.audit.verify()
            seq, digest = book.audit.head()
            print("audit chain intact: %d records, head %s" % (seq, digest[:16]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
