#!/usr/bin/python3
"""Make a GnuCash SQLite book with scheduled transactions, with GnuCash
itself: the accounts through Debian's python3-gnucash, the scheduled
transactions (which its Python bindings do not wrap) through GnuCash's own
engine functions called with ctypes (xaccSchedXactionMalloc, recurrenceSet,
gnc_sx_set_schedule, template splits with their "sx-account" and
"sx-debit-formula"/"sx-credit-formula" properties), saved by GnuCash's SQL
backend.

usage: make_sx_book.py OUT.gnucash AS_OF [bad|xml]

Writes OUT.gnucash (GnuCash's SQLite book; with "xml" its gzip XML file)
and OUT.sx: per scheduled transaction, a line
"NAME N D1 D2 ..." with the dates GnuCash's recurrenceListNextInstance()
gives from its start up to AS_OF (YYYY-MM-DD), within its end date and
number of occurrences. With "bad", one template split's formula uses a
variable ("rate * 2"), which the import must refuse.
"""
import ctypes
import datetime
import sys

from gnucash import Account, Session, SessionOpenMode
import gnucash.gnucash_core_c as T

out, as_of = sys.argv[1], datetime.date.fromisoformat(sys.argv[2])
bad = len(sys.argv) > 3 and sys.argv[3] == "bad"
if len(sys.argv) > 3 and sys.argv[3] == "xml":
    session = Session("xml://" + out, SessionOpenMode.SESSION_NEW_STORE)
else:
    # made empty, closed and reopened before anything is added, as GnuCash
    # 4.13 needs
    session = Session("sqlite3://" + out, SessionOpenMode.SESSION_NEW_STORE)
    session.end()
    session.destroy()
    session = Session("sqlite3://" + out, SessionOpenMode.SESSION_NORMAL_OPEN)
book = session.book
USD = book.get_table().lookup("CURRENCY", "USD")
root = book.get_root_account()


def account(name, kind, code):
    a = Account(book)
    a.BeginEdit()
    a.SetName(name)
    a.SetType(kind)
    a.SetCommodity(USD)
    a.SetCode(code)
    root.append_child(a)
    a.CommitEdit()
    return a


bank = account("Checking", T.ACCT_TYPE_BANK, "1000")
rent = account("Rent", T.ACCT_TYPE_EXPENSE, "6000")
fees = account("Fees", T.ACCT_TYPE_EXPENSE, "6100")
sales = account("Sales", T.ACCT_TYPE_INCOME, "4000")

eng = ctypes.CDLL("libgnc-engine.so")
glib = ctypes.CDLL("libglib-2.0.so.0")
P = ctypes.c_void_p
for f in ("xaccSchedXactionMalloc", "gnc_book_get_schedxactions", "g_list_append",
          "xaccMallocTransaction", "xaccMallocSplit", "qof_instance_get_guid",
          ):
    lib = glib if f.startswith("g_list") else eng
    getattr(lib, f).restype = P
glib.g_date_new_dmy.restype = P
bp = P(int(book.instance))
usd = P(int(USD.instance))
keep = []


def gdate(d):
    return P(glib.g_date_new_dmy(d.day, d.month, d.year))


# GnuCash's PeriodType: 1 day, 2 week, 3 month, 4 end of month, 7 year
def sx(name, period, mult, start, splits, end=None, num=0, enabled=True):
    s = P(eng.xaccSchedXactionMalloc(bp))
    eng.xaccSchedXactionSetName(s, name.encode())
    eng.xaccSchedXactionSetStartDate(s, gdate(start))
    if end:
        eng.xaccSchedXactionSetEndDate(s, gdate(end))
    if num:
        eng.xaccSchedXactionSetNumOccur(s, num)
        eng.xaccSchedXactionSetRemOccur(s, num)
    eng.xaccSchedXactionSetEnabled(s, 1 if enabled else 0)
    r = ctypes.create_string_buffer(64)
    keep.append(r)
    eng.recurrenceSet(r, ctypes.c_uint16(mult), period, gdate(start), 0)
    sched = P(glib.g_list_append(None, r))
    eng.gnc_sx_set_schedule(s, sched)
    tmpl = P()
    eng.qof_instance_get(s, b"template-account", ctypes.byref(tmpl), None)
    t = P(eng.xaccMallocTransaction(bp))
    eng.xaccTransBeginEdit(t)
    eng.xaccTransSetCurrency(t, usd)
    eng.xaccTransSetDescription(t, name.encode())
    for acct, debit, credit, memo in splits:
        sp = P(eng.xaccMallocSplit(bp))
        eng.xaccSplitSetParent(sp, t)
        eng.xaccSplitSetAccount(sp, tmpl)
        eng.xaccSplitSetMemo(sp, memo.encode())
        guid = P(eng.qof_instance_get_guid(P(int(acct.instance))))
        eng.qof_instance_set(sp, b"sx-account", guid, b"sx-debit-formula", debit.encode(),
                             b"sx-credit-formula", credit.encode(), None)
    eng.xaccTransCommitEdit(t)
    eng.gnc_sxes_add_sx(P(eng.gnc_book_get_schedxactions(bp)), s)
    # the expected dates: GnuCash's own recurrence arithmetic
    dates, ref = [], gdate(start - datetime.timedelta(days=1))
    nxt = P(glib.g_date_new_dmy(1, 1, 2000))
    glib.g_date_get_julian.restype = ctypes.c_uint32
    while True:
        eng.recurrenceListNextInstance(sched, ref, nxt)
        j = glib.g_date_get_julian(nxt)
        d = datetime.date.fromordinal(j)
        if d > as_of or (end and d > end) or (num and len(dates) >= num):
            break
        dates.append(d)
        ref = P(glib.g_date_new_dmy(d.day, d.month, d.year))
    return name, dates


made = [
    sx("Rent", 3, 1, datetime.date(2025, 1, 31),
       [(rent, "1234.56", "", "rent"), (bank, "", "1234.56", "")]),
    sx("Fees", 2, 2, datetime.date(2025, 1, 6),
       [(fees, "100/4", "", "fee"), (bank, "", "25", "")], num=5),
    sx("Close", 4, 1, datetime.date(2025, 2, 28),
       [(bank, "10.5", "", ""), (sales, "", "rate * 2" if bad else "10.50", "sale")],
       end=datetime.date(2025, 9, 30)),
    sx("Yearly", 7, 1, datetime.date(2024, 2, 29),
       [(fees, "7", "", ""), (bank, "", "7", "")], enabled=False),
]
session.save()
session.end()
with open(out + ".sx", "w") as f:
    for name, dates in made:
        f.write("%s %d %s\n" % (name, len(dates), " ".join(d.isoformat() for d in dates)))
