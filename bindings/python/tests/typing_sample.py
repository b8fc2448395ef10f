"""A program using the module the way the type stub describes it: mypy
--strict must accept it (see test_native.py and the ctest
bindings.python.mypy). Also runs: it is a working example."""

import datetime
from typing import Dict, List, Optional

import backoffice as bo


def totals(book: bo.Book, as_of: datetime.date) -> Dict[str, int]:
    out: Dict[str, int] = {}
    for row in book.ledger.trial_balance(as_of):
        out[str(row["code"])] = int(row["debit"]) - int(row["credit"])
    return out


def main(uri: str = "sqlite::memory:") -> List[str]:
    with bo.Book(uri, actor="owner", create=True, sync="off") as book:
        book.ledger.account_add("1000", "Cash", "asset")
        book.ledger.account_add("4000", "Sales", bo.ACCOUNT_INCOME)
        sale = bo.Entry("2026-03-14", "receipt 0001")
        sale.add("1000", 1250)
        sale.add("4000", -1250)
        sale.set_key("till-1/0001")
        entry_id: int = book.ledger.post(sale)
        balance: int = book.ledger.balance("1000", "2026-03-14")
        seq, digest = book.audit.head()
        can: bool = book.security.actor_can("ledger.post")
        book.commerce.party_add("C1", "Customer", "customer")
        parties: List[Dict[str, object]] = book.commerce.parties("customer").fetchall()
        rows = book.ledger.journal()
        columns: List[str] = rows.columns()
        name: Optional[str] = book.name()
        try:
            book.ledger.account_close("9999")
        except bo.NotFoundError as e:
            code: int = e.code
            message: str = e.message
            assert bo.Error.for_code(code) is bo.NotFoundError, message
        assert totals(book, datetime.date(2026, 3, 14))["1000"] == balance
        return [str(entry_id), str(seq), digest, str(can), str(len(parties)),
                ",".join(columns), str(name)]


if __name__ == "__main__":
    print(" ".join(main()))
