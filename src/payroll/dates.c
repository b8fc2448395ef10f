/* Dates of pay data: their text, and whether they lie in a closed period. */
#include "payroll/payroll.h"
#include "ledger/ledger.h"

int bo__pay_date_text(bo_date d, char out[11])
{
    bo__date_iso(d, out);
    if (!out[0])
        return bo__error_set(BO_EINVAL, "date: out of range");
    return 0;
}

int bo__pay_period_check(bo_book *book, bo_date date, const char *what)
{
    char iso[11];
    const char *closed;
    int rc = bo__pay_date_text(date, iso);
    if (!rc)
        rc = bo__ledger_period_closed(book, iso, &closed);
    if (!rc && closed)
        rc = bo__error_set(BO_EPERIOD, "%s: %s lies in closed period '%s'", what,
                           iso, closed);
    return rc;
}
