/*
 * backoffice ledger VERB: the chart of accounts, journal entries, periods
 * and year-end closes, reports (accounts, periods, year-closings and the
 * reports that only list a cursor are table entries in cmd_query.c). Each
 * verb is also a top-level command, as in 0.2.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static int account_add(cli *c, const cli_args *a)
{
    int type = bo_account_type_parse(a->pos[2]);
    if (type < 0)
        return cli_lib_error(c, type);
    int status = cli_open(c);
    if (status != 0)
        return status;
    return cli_check(c, bo_ledger_account_add(c->book, a->pos[0], a->pos[1],
                                              type, cli_opt_get(a, "parent"),
                                              cli_opt_get(a, "currency")));
}

/* One ACCOUNT=AMOUNT[:CUR] argument, split in place into a copy. */
typedef struct posting {
    char *buf;            /* owned copy of the argument */
    const char *account;  /* into buf */
    const char *amount;   /* into buf */
    const char *currency; /* into buf, or NULL: the account's */
    char *account_currency; /* owned, from the chart; NULL if not found */
} posting;

static int split_posting(const char *arg, posting *p)
{
    p->buf = strdup(arg);
    if (p->buf == NULL)
        return -1;
    /* The last '=' splits: an amount never holds one, a code might. */
    char *eq = strrchr(p->buf, '=');
    if (eq == NULL || eq == p->buf || eq[1] == '\0')
        return -1;
    *eq = '\0';
    p->account = p->buf;
    p->amount = eq + 1;
    char *colon = strchr(eq + 1, ':');
    if (colon != NULL) {
        *colon = '\0';
        if (colon[1] == '\0')
            return -1;
        p->currency = colon + 1;
    }
    return 0;
}

/* Find each posting's account currency in one pass over the chart, so
 * amounts are read with the right number of decimals. Accounts that are
 * not found are left for bo_ledger_post() to reject by name. */
static int lookup_currencies(cli *c, posting *p, int n)
{
    bo_cursor *cur = NULL;
    int rc = bo_ledger_accounts(c->book, &cur);
    if (rc == BO_EDENIED)
        return 0; /* a poster may lack ledger.read: fall back to the base */
    if (rc < 0)
        return rc;
    int code_col = bo_cursor_column_index(cur, "code");
    int cur_col = bo_cursor_column_index(cur, "currency");
    while ((rc = bo_cursor_next(cur)) == 0) {
        const char *code = bo_cursor_text(cur, code_col);
        const char *ccy = bo_cursor_text(cur, cur_col);
        if (code == NULL || ccy == NULL)
            continue;
        for (int i = 0; i < n; i++) {
            if (p[i].account_currency == NULL && strcmp(p[i].account, code) == 0) {
                p[i].account_currency = strdup(ccy);
                if (p[i].account_currency == NULL) {
                    bo_cursor_free(cur);
                    return BO_ENOMEM;
                }
            }
        }
    }
    bo_cursor_free(cur);
    return rc == BO_ITEROVER ? 0 : rc;
}

/* The id of the entry written (a year-end close: 0 when nothing moved). */
static int print_entry_id(cli *c, int64_t id)
{
    cli_field f[] = {{"entry", BO_TYPE_INT, id, NULL}};
    return cli_render_record(c, f, 1, NULL);
}

/* The entry of --date, --memo, --key and the ACCOUNT=AMOUNT[:CUR]
 * arguments, the book opened: 0 and *out, or the exit status. */
static int build_entry(cli *c, const cli_args *a, const char *verb, bo_entry **out)
{
    posting *p = NULL;
    bo_entry *entry = NULL;
    int rc, status;
    *out = NULL;
    const char *date_text = cli_opt_get(a, "date");
    if (date_text == NULL)
        return cli_usage_error("%s: --date YYYY-MM-DD is required", verb);
    bo_date date;
    if ((status = cli_date("--date", date_text, &date)) != 0)
        return status;
    p = calloc((size_t)a->npos, sizeof *p);
    if (p == NULL)
        return cli_usage_error("out of memory");
    int need_lookup = 0;
    for (int i = 0; i < a->npos; i++) {
        if (split_posting(a->pos[i], &p[i]) != 0) {
            status = cli_usage_error("%s: \"%s\" is not ACCOUNT=AMOUNT[:CURRENCY]", verb,
                                     a->pos[i]);
            goto done;
        }
        if (p[i].currency == NULL)
            need_lookup = 1;
    }
    if ((status = cli_open(c)) != 0)
        goto done;
    if (need_lookup && (rc = lookup_currencies(c, p, a->npos)) < 0) {
        status = cli_lib_error(c, rc);
        goto done;
    }
    if ((rc = bo_entry_new(&entry, date, cli_opt_get(a, "memo"))) < 0 ||
        (cli_opt_get(a, "key") != NULL &&
         (rc = bo_entry_set_key(entry, cli_opt_get(a, "key"))) < 0)) {
        status = cli_lib_error(c, rc);
        goto done;
    }
    for (int i = 0; i < a->npos; i++) {
        const char *ccy = p[i].currency ? p[i].currency : p[i].account_currency;
        if (ccy == NULL)
            ccy = bo_book_base_currency(c->book);
        int64_t minor;
        if ((rc = bo_money_parse(p[i].amount, ccy, &minor)) < 0 ||
            (rc = bo_entry_add(entry, p[i].account, minor, p[i].currency,
                               NULL)) < 0) {
            status = cli_lib_error(c, rc);
            goto done;
        }
    }
    *out = entry;
    entry = NULL;
done:
    for (int i = 0; i < a->npos; i++) {
        free(p[i].buf);
        free(p[i].account_currency);
    }
    free(p);
    bo_entry_free(entry);
    return status;
}

static int post(cli *c, const cli_args *a)
{
    bo_entry *entry;
    int status = build_entry(c, a, "post", &entry), rc;
    if (status != 0)
        return status;
    int64_t id = 0;
    if ((rc = bo_ledger_post(c->book, entry, &id)) < 0)
        status = cli_lib_error(c, rc);
    else
        status = print_entry_id(c, id);
    bo_entry_free(entry);
    return status;
}

/* ---- recurring entries ------------------------------------------------------ */

static const char *const recur_periods[] = { "day", "week", "month", "month-end", "year" };

static int recurring_add(cli *c, const cli_args *a)
{
    const char *period = cli_opt_get(a, "period");
    int pk = 0;
    for (int i = 0; period && i < 5; i++)
        if (strcmp(period, recur_periods[i]) == 0)
            pk = i + 1;
    if (pk == 0)
        return cli_usage_error("recurring-add: --period day, week, month, month-end or year "
                               "is required");
    const char *every = cli_opt_get(a, "every"), *count = cli_opt_get(a, "count");
    const char *enabled = cli_opt_get(a, "enabled");
    bo_date end = BO_DATE_MAX;
    int status;
    if (cli_opt_get(a, "end") && (status = cli_date("--end", cli_opt_get(a, "end"), &end)) != 0)
        return status;
    bo_entry *entry;
    if ((status = build_entry(c, a, "recurring-add", &entry)) != 0)
        return status;
    int64_t id = 0;
    int rc = bo_ledger_recurring_add(c->book, entry, pk, every ? atoi(every) : 1, end,
                                     count ? atoi(count) : 0,
                                     enabled && strcmp(enabled, "no") == 0 ? 0 : 1, &id);
    bo_entry_free(entry);
    if (rc < 0)
        return cli_lib_error(c, rc);
    cli_field f[] = {{"recurring", BO_TYPE_INT, id, NULL}};
    return cli_render_record(c, f, 1, NULL);
}

static int recurring_run(cli *c, const cli_args *a)
{
    bo_date as_of;
    int status;
    if ((status = cli_date("AS_OF", a->pos[0], &as_of)) != 0 || (status = cli_open(c)) != 0)
        return status;
    int64_t n = 0;
    int rc = bo_ledger_recurring_run(c->book, as_of, &n);
    if (rc < 0)
        return cli_lib_error(c, rc);
    cli_field f[] = {{"posted", BO_TYPE_INT, n, NULL}};
    return cli_render_record(c, f, 1, NULL);
}

static int reverse(cli *c, const cli_args *a)
{
    int64_t entry_id;
    bo_date date;
    const char *date_text = cli_opt_get(a, "date");
    if (date_text == NULL)
        return cli_usage_error("reverse: --date YYYY-MM-DD is required");
    int status;
    if ((status = cli_int64("ENTRY_ID", a->pos[0], &entry_id)) != 0 ||
        (status = cli_date("--date", date_text, &date)) != 0 ||
        (status = cli_open(c)) != 0)
        return status;
    int64_t id = 0;
    int rc = bo_ledger_reverse(c->book, entry_id, date, cli_opt_get(a, "key"),
                               &id);
    return rc < 0 ? cli_lib_error(c, rc) : print_entry_id(c, id);
}

static int entry(cli *c, const cli_args *a)
{
    int64_t entry_id;
    int status;
    if ((status = cli_int64("ENTRY_ID", a->pos[0], &entry_id)) != 0 ||
        (status = cli_open(c)) != 0)
        return status;
    bo_cursor *cur = NULL;
    int rc = bo_ledger_entry(c->book, entry_id, &cur);
    return cli_show(c, rc, cur);
}

/* ---- periods and years ---------------------------------------------------- */

static int period_add(cli *c, const cli_args *a)
{
    bo_date start, end;
    int status;
    if ((status = cli_date("START", a->pos[1], &start)) != 0 ||
        (status = cli_date("END", a->pos[2], &end)) != 0 ||
        (status = cli_open(c)) != 0)
        return status;
    return cli_check(c, bo_ledger_period_add(c->book, a->pos[0], start, end));
}

static int period_close(cli *c, const cli_args *a)
{
    int status = cli_open(c);
    if (status != 0)
        return status;
    return cli_check(c, bo_ledger_period_close(c->book, a->pos[0]));
}

static int year_close(cli *c, const cli_args *a)
{
    bo_date end;
    const char *retained = cli_opt_get(a, "retained");
    if (retained == NULL)
        return cli_usage_error("year-close: --retained ACCOUNT is required");
    int status;
    if ((status = cli_date("YEAR_END", a->pos[0], &end)) != 0 ||
        (status = cli_open(c)) != 0)
        return status;
    int64_t id = 0;
    int rc = bo_ledger_year_close(c->book, end, retained, cli_opt_get(a, "key"), &id);
    return rc < 0 ? cli_lib_error(c, rc) : print_entry_id(c, id);
}

static int year_reopen(cli *c, const cli_args *a)
{
    bo_date end;
    int status;
    if ((status = cli_date("YEAR_END", a->pos[0], &end)) != 0 ||
        (status = cli_open(c)) != 0)
        return status;
    int64_t id = 0;
    int rc = bo_ledger_year_reopen(c->book, end, cli_opt_get(a, "key"), &id);
    return rc < 0 ? cli_lib_error(c, rc) : print_entry_id(c, id);
}

/* ---- reports with options of their own (dates default to the whole history) */

/* The currency of account @p code from the chart, copied into @p buf, or ""
 * when it cannot be read (the balance call then names the problem). */
static void account_currency(cli *c, const char *code, char *buf, size_t size)
{
    buf[0] = '\0';
    bo_cursor *cur = NULL;
    if (bo_ledger_accounts(c->book, &cur) < 0)
        return;
    int code_col = bo_cursor_column_index(cur, "code");
    int cur_col = bo_cursor_column_index(cur, "currency");
    while (bo_cursor_next(cur) == 0) {
        const char *k = bo_cursor_text(cur, code_col);
        const char *v = bo_cursor_text(cur, cur_col);
        if (k != NULL && v != NULL && strcmp(k, code) == 0) {
            snprintf(buf, size, "%s", v);
            break;
        }
    }
    bo_cursor_free(cur);
}

static int balance(cli *c, const cli_args *a)
{
    bo_date as_of;
    int status;
    if ((status = cli_opt_date(a, "as-of", BO_DATE_MAX, &as_of)) != 0 ||
        (status = cli_open(c)) != 0)
        return status;
    const char *currency = cli_opt_get(a, "currency");
    int64_t balance = 0;
    int rc = bo_ledger_balance(c->book, a->pos[0], as_of, currency, &balance);
    if (rc < 0)
        return cli_lib_error(c, rc);
    char ccy[BO_CURRENCY_MAX + 1];
    if (currency == NULL) {
        account_currency(c, a->pos[0], ccy, sizeof ccy);
        currency = ccy[0] != '\0' ? ccy : NULL;
    }
    /* No --as-of: the balance of every posting, shown as a null date. */
    const char *date = cli_opt_get(a, "as-of");
    cli_field f[] = {
        {"account", BO_TYPE_TEXT, 0, a->pos[0]},
        {"as_of", date ? BO_TYPE_TEXT : BO_TYPE_NULL, 0, date},
        {"currency", currency ? BO_TYPE_TEXT : BO_TYPE_NULL, 0, currency},
        {"balance", BO_TYPE_INT, balance, NULL},
    };
    return cli_render_record(c, f, (int)(sizeof f / sizeof f[0]), NULL);
}

static int journal(cli *c, const cli_args *a)
{
    bo_date from, to;
    int status;
    if ((status = cli_opt_date(a, "from", BO_DATE_MIN, &from)) != 0 ||
        (status = cli_opt_date(a, "to", BO_DATE_MAX, &to)) != 0 ||
        (status = cli_open(c)) != 0)
        return status;
    bo_cursor *cur = NULL;
    int rc = bo_ledger_journal(c->book, cli_opt_get(a, "account"), from, to,
                               &cur);
    return cli_show(c, rc, cur);
}

static const cli_sub verbs[] = {
    {{"accounts", "",
      "List the chart of accounts: code, name, type, parent, currency, closed.\n",
      NULL}, {0}, 0, 0, cli_query},
    {{"account-add", "CODE NAME TYPE [--parent P] [--currency C]",
      "Add an account. TYPE is asset, liability, equity, income or expense;\n"
      "a sub-account (--parent) has its parent's type. The currency defaults\n"
      "to the book's base currency.\n",
      NULL}, {"parent", "currency"}, 3, 3, account_add},
    {{"post", "--date YYYY-MM-DD [--memo M] [--key K] ACCOUNT=AMOUNT[:CUR] ...",
      "Post a balanced journal entry. AMOUNT is a decimal in the account's\n"
      "currency (or CUR): positive for a debit, negative for a credit. The\n"
      "postings must sum to zero in every currency. With --key, posting the\n"
      "same key again records nothing and prints the original entry's id.\n"
      "Prints the entry id.\n"
      "Example: backoffice ledger post --date 2026-01-05 --memo \"Cash sale\" \\\n"
      "             1000=25.00 4000=-25.00\n",
      NULL}, {"date", "memo", "key"}, 1, -1, post},
    {{"reverse", "ENTRY_ID --date YYYY-MM-DD [--key K]",
      "Post the exact opposite of an entry, dated --date. Prints the id of the\n"
      "reversing entry. An entry can be reversed once.\n",
      NULL}, {"date", "key"}, 1, 1, reverse},
    {{"entry", "ENTRY_ID", "Show the postings of one entry.\n", NULL}, {0}, 1, 1, entry},
    {{"balance", "ACCOUNT [--as-of YYYY-MM-DD] [--currency C]",
      "Balance of an account (sub-accounts included) at the end of --as-of\n"
      "(default: every date), debits minus credits.\n",
      NULL}, {"as-of", "currency"}, 1, 1, balance},
    {{"trial-balance", "[--as-of YYYY-MM-DD]",
      "Trial balance: debit and credit per account and currency.\n",
      NULL}, {"as-of"}, 0, 0, cli_query},
    {{"journal", "[--account A] [--from YYYY-MM-DD] [--to YYYY-MM-DD]",
      "General-ledger listing with running balances, for one account and its\n"
      "sub-accounts or for all accounts.\n",
      NULL}, {"account", "from", "to"}, 0, 0, journal},
    {{"balance-sheet", "[--as-of YYYY-MM-DD]",
      "Balance sheet: assets, liabilities and equity with their natural signs,\n"
      "plus current earnings.\n",
      NULL}, {"as-of"}, 0, 0, cli_query},
    {{"income-statement", "--from YYYY-MM-DD --to YYYY-MM-DD",
      "Income statement for a date range, ending with net income.\n",
      NULL}, {"from", "to"}, 0, 0, cli_query},
    {{"periods", "", "List the fiscal periods: name, start, end, closed.\n", NULL}, {0},
     0, 0, cli_query},
    {{"period-add", "NAME START END",
      "Add a fiscal period covering START..END (inclusive, YYYY-MM-DD).\n",
      NULL}, {0}, 3, 3, period_add},
    {{"period-close", "NAME",
      "Close a fiscal period: entries dated inside it are refused from now on.\n"
      "Closing is final.\n",
      NULL}, {0}, 1, 1, period_close},
    {{"year-close", "YEAR_END --retained ACCOUNT [--key K]",
      "Close the fiscal year ending YEAR_END (YYYY-MM-DD): one entry moves every\n"
      "income and expense balance to the equity account --retained, so the\n"
      "balance sheet shows the year's result in retained earnings. The income\n"
      "statement leaves the closing entry out. Prints the entry id (0: nothing\n"
      "to move).\n",
      NULL}, {"retained", "key"}, 1, 1, year_close},
    {{"year-reopen", "YEAR_END [--key K]",
      "Reopen the latest closed year: its closing entry is reversed. Prints the\n"
      "reversal's id.\n",
      NULL}, {"key"}, 1, 1, year_reopen},
    {{"year-closings", "",
      "List the year-end closes: year_end, retained, entry, reopened_by, actor.\n",
      NULL}, {0}, 0, 0, cli_query},
    {{"recurring-add", "--date YYYY-MM-DD --period P [--every N] [--end YYYY-MM-DD] "
      "[--count N] [--enabled yes|no] [--memo M] ACCOUNT=AMOUNT[:CUR] ...",
      "Add a recurring entry: the postings (as for post) are its template, --date\n"
      "its first occurrence, then one every N (default 1) periods P: day, week,\n"
      "month, month-end or year; up to --end and at most --count times. Prints\n"
      "its id.\n",
      NULL}, {"date", "period", "every", "end", "count", "enabled", "memo"}, 2, -1,
     recurring_add},
    {{"recurring-run", "AS_OF",
      "Post every occurrence of the recurring entries due on or before AS_OF,\n"
      "each once (a second run posts nothing again). Prints how many.\n",
      NULL}, {0}, 1, 1, recurring_run},
    {{"recurring-list", "",
      "List the recurring entries: id, memo, period, every, start, end,\n"
      "times_left, last, next, enabled.\n",
      NULL}, {0}, 0, 0, cli_query},
};

const cli_domain cli_ledger_domain = {
    "ledger", NULL, "chart of accounts, journal entries, periods, year-end closes, reports",
    verbs, sizeof verbs / sizeof *verbs, NULL, CLI_ALIASES,
};
