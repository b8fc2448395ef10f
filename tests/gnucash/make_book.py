#!/usr/bin/python3
"""Make a GnuCash book with GnuCash itself (Debian's python3-gnucash), for
the import tests: USD, EUR and JPY (scale 0), an account tree with a
placeholder and a hidden account, random multi-split transactions with
exact rational values, a voided transaction, reconcile states, a price;
customers, a vendor, a tax table, invoices, a bill and payments, a credit
note applied to an invoice (GnuCash's lot link), a credit note refunded
in part, an invoice in EUR posted at an exact rate with its part payment in
EUR, and an invoice owned by a job.

usage: make_book.py OUT.gnucash SEED [xml|sqlite3]

Writes OUT.gnucash (gzip XML, or with sqlite3 GnuCash's SQLite book: made
empty, closed and reopened before anything is added, as GnuCash 4.13 needs)
and OUT.balances: one line per account,
"CODE CURRENCY MINOR" with GnuCash's own Account.GetBalance() in minor
units of the account's currency, and the number of transactions, of
voided ones and of lot links on the last line ("# N VOIDED LINKS"); and OUT.invoices: one line
per document, "ID TOTAL TAX LOT SIGN CURRENCY RATE" with GnuCash's own
total and tax in minor units of the document's currency, the balance of
its lot, the sign that makes that balance what is still open (-1 for
bills and customers' credit notes), and the rate it was posted at (book
currency per unit of its currency, "num/den"; "-" in the book currency).
"""
import random
import sys
from fractions import Fraction

import datetime

from gnucash import (Account, GncCommodity, GncNumeric, GncPrice, Session,
                     SessionOpenMode, Split, Transaction)
from gnucash.gnucash_business import (Bill, Customer, Entry, Invoice, Job, TaxTable,
                                      TaxTableEntry, Vendor)
import gnucash.gnucash_core_c as T

out, seed = sys.argv[1], int(sys.argv[2])
backend = sys.argv[3] if len(sys.argv) > 3 else "xml"
rnd = random.Random(seed)
if backend == "sqlite3":
    session = Session("sqlite3://" + out, SessionOpenMode.SESSION_NEW_STORE)
    session.end()
    session.destroy()
    session = Session("sqlite3://" + out, SessionOpenMode.SESSION_NORMAL_OPEN)
else:
    session = Session("xml://" + out, SessionOpenMode.SESSION_NEW_STORE)
book = session.book
table = book.get_table()
USD, EUR, JPY = (table.lookup("CURRENCY", c) for c in ("USD", "EUR", "JPY"))
SCALE = {"USD": 2, "EUR": 2, "JPY": 0}
root = book.get_root_account()


def account(name, kind, cur, parent, code, placeholder=False, hidden=False):
    a = Account(book)
    a.BeginEdit()
    a.SetName(name)
    a.SetType(kind)
    a.SetCommodity(cur)
    if code:
        a.SetCode(code)
    a.SetPlaceholder(placeholder)
    a.SetHidden(hidden)
    parent.append_child(a)
    a.CommitEdit()
    return a


assets = account("Assets", T.ACCT_TYPE_ASSET, USD, root, "1000", placeholder=True)
checking = account("Checking & <savings>", T.ACCT_TYPE_BANK, USD, assets, "1100")
euro = account("Euro bank", T.ACCT_TYPE_BANK, EUR, assets, "1110")
yen = account("Yen cash", T.ACCT_TYPE_CASH, JPY, assets, None)  # code from its id
income = account("Income", T.ACCT_TYPE_INCOME, USD, root, "4000", placeholder=True)
sales = account("Sales", T.ACCT_TYPE_INCOME, USD, income, "4100")
sales_eur = account("Sales EU", T.ACCT_TYPE_INCOME, EUR, income, "4110")
expenses = account("Expenses", T.ACCT_TYPE_EXPENSE, USD, root, "5000")
travel = account("Travel", T.ACCT_TYPE_EXPENSE, USD, expenses, "5100", hidden=True)
equity = account("Opening", T.ACCT_TYPE_EQUITY, USD, root, "3000")
ACCOUNTS = [checking, euro, yen, sales, sales_eur, travel, equity]
CUR = {checking: "USD", euro: "EUR", yen: "JPY", sales: "USD", sales_eur: "EUR",
       travel: "USD", equity: "USD"}
COM = {"USD": USD, "EUR": EUR, "JPY": JPY}


def num(fr, scale):
    """A Fraction at the currency's scale as a GncNumeric (exact)."""
    den = 10 ** scale
    v = fr * den
    assert v.denominator == 1
    return GncNumeric(int(v), den)


def tx(day, currency, desc, splits, reconcile="n"):
    t = Transaction(book)
    t.BeginEdit()
    t.SetCurrency(COM[currency])
    t.SetDescription(desc)
    t.SetDate(day, 1 + rnd.randrange(12), 2025)
    for acc, value, quantity in splits:
        s = Split(book)
        s.SetParent(t)
        s.SetAccount(acc)
        s.SetValue(num(value, SCALE[currency]))
        s.SetAmount(num(quantity, SCALE[CUR[acc]]))
        s.SetReconcile(reconcile)
    t.CommitEdit()
    return t


count = 0
tx(1, "USD", "opening", [(checking, Fraction(100000), Fraction(100000)),
                         (equity, Fraction(-100000), Fraction(-100000))], "y")
count += 1
for i in range(60):
    kind = rnd.randrange(3)
    if kind == 0:
        # USD sale received partly in euros and yen: values in USD, the
        # foreign quantities at an exact rate
        a = Fraction(rnd.randrange(100, 500000), 100)
        b = Fraction(rnd.randrange(100, 500000), 100)
        c = Fraction(rnd.randrange(100, 90000), 100)
        eur_q = Fraction(round(b * Fraction(92, 100) * 100), 100)
        jpy_q = Fraction(round(c * 150))
        tx(1 + i % 28, "USD", "sale %d" % i,
           [(checking, a, a), (euro, b, eur_q), (yen, c, jpy_q),
            (sales, -(a + b + c), -(a + b + c))], rnd.choice("ncy"))
    elif kind == 1:
        # a euro sale between euro accounts
        v = Fraction(rnd.randrange(1, 10 ** 7), 100)
        tx(1 + i % 28, "EUR", "EU sale %d" % i, [(euro, v, v), (sales_eur, -v, -v)])
    else:
        v = Fraction(rnd.randrange(1, 10 ** 6), 100)
        tx(1 + i % 28, "USD", "travel %d" % i, [(travel, v, v), (checking, -v, -v)], "c")
    count += 1
voided = tx(15, "USD", "mistake", [(travel, Fraction(999), Fraction(999)),
                                   (checking, Fraction(-999), Fraction(-999))])
voided.Void("entered twice")
count += 1
# business: receivable, payable and tax accounts, a tax table of 10 % and
# 5 %, two customers and a vendor, two invoices with taxed and untaxed
# lines, a bill, a partial payment of the first invoice
receivable = account("Receivable", T.ACCT_TYPE_RECEIVABLE, USD, assets, "1200")
payable = account("Payable", T.ACCT_TYPE_PAYABLE, USD, root, "2100")
vat = account("VAT", T.ACCT_TYPE_LIABILITY, USD, root, "2200")
levy = account("Levy", T.ACCT_TYPE_LIABILITY, USD, root, "2210")
ACCOUNTS += [receivable, payable, vat, levy]
CUR.update({receivable: "USD", payable: "USD", vat: "USD", levy: "USD"})
taxes = TaxTable(book, "VAT+levy", TaxTableEntry(vat, True, GncNumeric(10, 1)))
taxes.AddEntry(TaxTableEntry(levy, True, GncNumeric(5, 1)))
c1 = Customer(book, "C001", USD, "Acme & Sons")
c2 = Customer(book, "C002", USD, "Globex")
v1 = Vendor(book, "V001", USD, "Initech")


def cents10():
    """A price in whole dimes, so that 10 % and 5 % of a whole quantity
    are exact cents (GnuCash rounds each line; these do not round)."""
    return GncNumeric(rnd.randrange(10, 50000) * 10, 100)


def document(cls, id, owner, day, lines, post_to, cur=USD, credit=False):
    d = cls(book, id, cur, owner, datetime.date(2025, 3, day))
    if credit:
        d.SetIsCreditNote(True)
    for acc, taxed in lines:
        e = Entry(book, d, datetime.date(2025, 3, day))
        e.SetDescription("line of " + id)
        # a credit note keeps its quantities negative: the document's
        # quantity is their opposite
        e.SetDocQuantity(GncNumeric(rnd.randrange(1, 20), 1), credit)
        if cls is Bill:
            e.SetBillAccount(acc)
            e.SetBillPrice(cents10())
            e.SetBillTaxable(taxed)
            e.SetBillTaxIncluded(False)
            if taxed:
                e.SetBillTaxTable(taxes)
        else:
            e.SetInvAccount(acc)
            e.SetInvPrice(cents10())
            e.SetInvTaxable(taxed)
            e.SetInvTaxIncluded(False)
            if taxed:
                e.SetInvTaxTable(taxes)
    d.PostToAccount(post_to, datetime.date(2025, 3, day), datetime.date(2025, 4, day),
                    "posted " + id, True, False)
    return d


inv1 = document(Invoice, "000001", c1, 10, [(sales, True), (sales, False), (sales, True)],
                receivable)
inv2 = document(Invoice, "000002", c2, 12, [(sales, True)], receivable)
bill1 = document(Bill, "B00001", v1, 14, [(travel, True), (travel, False)], payable)
count += 3
total1 = inv1.GetTotal()
paid = Fraction(total1.num(), total1.denom()) * Fraction(rnd.randrange(20, 80), 100)
paid = Fraction(int(paid * 100), 100)
inv1.ApplyPayment(None, checking, num(paid, 2), GncNumeric(1, 1),
                  datetime.datetime(2025, 3, 20, 10, 59, tzinfo=datetime.timezone.utc),
                  "part payment", "")
count += 1

# a credit note to the second customer; an invoice in EUR to a customer in
# EUR, posted to a receivable account in EUR with its lines and taxes on
# the USD accounts at the exact rate of a price (0.92 EUR a dollar, as
# GnuCash's invoice dialog records it: 25/23 dollars a euro, which never
# falls on a half cent), paid in part from the euro bank; an invoice of a
# job of the first customer
receivable_eur = account("Receivable EUR", T.ACCT_TYPE_RECEIVABLE, EUR, assets, "1210")
ACCOUNTS += [receivable_eur]
CUR[receivable_eur] = "EUR"
c3 = Customer(book, "C003", EUR, "Euro GmbH")
job = Job(book, "J0001", c1, "Roof & walls")
cn1 = document(Invoice, "CN0001", c2, 18, [(sales, True), (sales, False)], receivable,
               credit=True)
fx_price = GncPrice(book)
fx_price.begin_edit()
fx_price.set_commodity(USD)
fx_price.set_currency(EUR)
fx_price.set_time64(datetime.datetime(2025, 3, 16, 12, 0, tzinfo=datetime.timezone.utc))
fx_price.set_value(GncNumeric(92, 100))
fx_price.set_source_string("user:invoice-post")
fx_price.commit_edit()
book.get_price_db().add_price(fx_price)
FX = "EUR1"


class FxInvoice(Invoice):
    def __init__(self, book, id, cur, owner, date):
        Invoice.__init__(self, book, id, cur, owner, date)
        self.AddPrice(fx_price)


inv3 = document(FxInvoice, FX, c3, 16, [(sales, True), (sales, False)], receivable_eur,
                cur=EUR)
inv4 = document(Invoice, "000003", job, 22, [(sales, True)], receivable)
count += 3
total3 = inv3.GetTotal()
paid3 = Fraction(total3.num(), total3.denom()) * Fraction(rnd.randrange(20, 80), 100)
paid3 = Fraction(int(paid3 * 100), 100)
inv3.ApplyPayment(None, euro, num(paid3, 2), GncNumeric(1, 1),
                  datetime.datetime(2025, 3, 25, 10, 59, tzinfo=datetime.timezone.utc),
                  "part payment in EUR", "")
count += 1

# a security with three decimals (fraction 1000) in a STOCK account: two
# buys, a sale, and the sale's realized gain as GnuCash writes it (a split
# of the stock account with quantity 0 and a value)
ACME = GncCommodity(book, "Acme Corp", "NASDAQ", "ACME", "", 1000)
table.insert(ACME)
COM["ACME"] = ACME
SCALE["ACME"] = 3
broker = account("Acme shares", T.ACCT_TYPE_STOCK, ACME, assets, "1500")
gains = account("Realized gains", T.ACCT_TYPE_INCOME, USD, income, "4200")
ACCOUNTS += [broker, gains]
CUR.update({broker: "ACME", gains: "USD"})
held = Fraction(0)
for day in (3, 9):
    shares = Fraction(rnd.randrange(1000, 50000), 1000)
    cost = Fraction(rnd.randrange(10000, 2000000), 100)
    tx(day, "USD", "buy ACME", [(broker, cost, shares), (checking, -cost, -cost)])
    held += shares
    count += 1
sold = Fraction(int(held * 1000) // 2, 1000)
proceeds = Fraction(rnd.randrange(10000, 2000000), 100)
tx(20, "USD", "sell ACME", [(broker, -proceeds, -sold), (checking, proceeds, proceeds)])
gain = Fraction(rnd.randrange(-50000, 50000), 100)
tx(20, "USD", "realized gain ACME", [(broker, gain, Fraction(0)), (gains, -gain, -gain)])
count += 2

# the credit note applied to the second customer's invoice by GnuCash's own
# lot linking (gncOwnerAutoApplyPaymentsWithLots, called with ctypes: the
# bindings do not wrap its list of lots): one transaction with a split in
# each lot and none elsewhere; a second credit note, to the first customer,
# refunded in part from checking (a payment out of its lot)
import ctypes
eng = ctypes.CDLL("libgnc-engine.so")
glib = ctypes.CDLL("libglib-2.0.so.0")
P = ctypes.c_void_p
glib.g_list_append.restype = P
glib.g_list_append.argtypes = [P, P]
glib.g_list_free.argtypes = [P]
eng.gncOwnerNew.restype = P
eng.gncOwnerInitCustomer.argtypes = [P, P]
eng.gncOwnerAutoApplyPaymentsWithLots.argtypes = [P, P]
eng.gncOwnerFree.argtypes = [P]
owner2 = eng.gncOwnerNew()
eng.gncOwnerInitCustomer(owner2, P(int(c2.instance)))
lots = None
for d in (inv2, cn1):
    lots = glib.g_list_append(lots, P(int(d.GetPostedLot().instance)))
eng.gncOwnerAutoApplyPaymentsWithLots(owner2, lots)
glib.g_list_free(lots)
eng.gncOwnerFree(owner2)
cn2 = document(Invoice, "CN0002", c1, 24, [(sales, True)], receivable, credit=True)
count += 2
total_cn2 = cn2.GetTotal()
refund = Fraction(total_cn2.num(), total_cn2.denom()) * Fraction(rnd.randrange(20, 80), 100)
refund = Fraction(int(refund * 100), 100)
cn2.ApplyPayment(None, checking, num(-refund, 2), GncNumeric(1, 1),
                 datetime.datetime(2025, 3, 27, 10, 59, tzinfo=datetime.timezone.utc),
                 "refund", "")
count += 1

price = GncPrice(book)
price.begin_edit()
price.set_commodity(EUR)
price.set_currency(USD)
price.set_value(GncNumeric(10869, 10000))
price.set_source_string("user:price")
price.commit_edit()
book.get_price_db().add_price(price)
session.save()

with open(out + ".balances", "w") as f:
    for acc in ACCOUNTS:
        code = acc.GetCode() or "gc-" + acc.GetGUID().to_string()[:12]
        bal = acc.GetBalance()
        fr = Fraction(bal.num(), bal.denom()) * 10 ** SCALE[CUR[acc]]
        assert fr.denominator == 1
        f.write("%s %s %d\n" % (code, CUR[acc], int(fr)))
    f.write("# %d 1 1\n" % count)
with open(out + ".invoices", "w") as f:
    # ID TOTAL TAX LOT SIGN CURRENCY RATE: GnuCash's own totals and the
    # balance of each document's lot, in cents (a bill's and a credit
    # note's as GnuCash signs them: negative)
    for d, sign, rate in ((inv1, 1, "-"), (inv2, 1, "-"), (bill1, -1, "-"), (cn1, -1, "-"),
                          (inv3, 1, "25/23"), (inv4, 1, "-"), (cn2, -1, "-")):
        def cents(n):
            fr = Fraction(n.num(), n.denom()) * 100
            assert fr.denominator == 1
            return int(fr)
        lot = d.GetPostedLot()
        f.write("%s %d %d %d %d %s %s\n" % (d.GetID(), cents(d.GetTotal()),
                                           cents(d.GetTotalTax()), cents(lot.get_balance()),
                                           sign, d.GetCurrency().get_mnemonic(), rate))
session.end()
session.destroy()
