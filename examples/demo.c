/*
 * demo: one month in the life of a small shop, recorded with libbackoffice.
 *
 *   demo [BOOK.db [SHOP.yaml]]
 *
 * Creates a fresh SQLite book (in a temporary folder that is removed at the
 * end, or at BOOK.db, which is kept) from the shop's YAML description, posts
 * January's activity, shows what the library refuses and why, closes the
 * month and prints the reports and the audit chain.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "demo_parts.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef BO_EXAMPLES_DIR
#define BO_EXAMPLES_DIR "."
#endif

#define YEAR 2026

/* The accounts the demo posts to, found in the chart by type and name. */
typedef struct role_account {
    const char *label;     /* what the demo calls it */
    int type;              /* bo_account_type */
    const char *words[3];  /* lower-case name fragments that identify it */
    const char *code;      /* code to create it with when the chart lacks it */
    const char *name;
    char found[BO_CODE_MAX + 1];
} role_account;

enum { CASH, BANK, INVENTORY, PAYABLES, EQUITY, SALES, COGS, RENT, UTILITIES,
       N_ROLES };

static role_account roles[N_ROLES] = {
    {"cash", BO_ACCOUNT_ASSET, {"cash", NULL, NULL}, "1000", "Cash", ""},
    {"bank", BO_ACCOUNT_ASSET, {"bank", "checking", NULL}, "1010", "Bank", ""},
    {"inventory", BO_ACCOUNT_ASSET, {"inventor", "stock", NULL}, "1200",
     "Inventory", ""},
    {"payables", BO_ACCOUNT_LIABILITY, {"payable", NULL, NULL}, "2000",
     "Accounts payable", ""},
    {"equity", BO_ACCOUNT_EQUITY, {"capital", "owner", "equity"}, "3000",
     "Owner's equity", ""},
    {"sales", BO_ACCOUNT_INCOME, {"sales", "revenue", NULL}, "4000", "Sales", ""},
    {"cost of goods sold", BO_ACCOUNT_EXPENSE,
     {"cost of goods", "cogs", "cost of sales"}, "5000", "Cost of goods sold", ""},
    {"rent", BO_ACCOUNT_EXPENSE, {"rent", NULL, NULL}, "6100", "Rent", ""},
    {"utilities", BO_ACCOUNT_EXPENSE, {"utilit", NULL, NULL}, "6200",
     "Utilities", ""},
};

static bo_book *book;
static const char *ccy; /* the book's base currency */
static int ccy_exp;     /* its number of decimals */

/* ---- small helpers ------------------------------------------------------- */

static void die(const char *what, int rc)
{
    fprintf(stderr, "demo: %s: %s: %s\n", what, bo_error_name(rc),
            bo_error_message());
    exit(1);
}

static void check(int rc, const char *what)
{
    if (rc < 0)
        die(what, rc);
}

/* Amounts in this file are written in cents; the book may use another
 * number of decimals (JPY has none, KWD three). */
static int64_t cents(int64_t c)
{
    int64_t out;
    check(bo_money_rescale(c, 2, ccy_exp, BO_ROUND_HALF_EVEN, &out), "amount");
    return out;
}

static const char *fmt(int64_t amount, char *buf, size_t size)
{
    check(bo_money_format(amount, ccy, buf, size), "format");
    return buf;
}

static bo_date day(int month, int d)
{
    bo_date out;
    check(bo_date_from_ymd(YEAR, month, d, &out), "date");
    return out;
}

static int64_t balance(int role, bo_date as_of)
{
    int64_t out;
    check(bo_ledger_balance(book, roles[role].found, as_of, NULL, &out),
          "balance");
    return out;
}

/* One posting line: an account role and an amount (positive debit). */
typedef struct line {
    int role;
    int64_t amount;
} line;

/* Build and post an entry; returns the library's code (the id in *id). */
static int post(bo_date date, const char *memo, const char *key,
                const line *lines, int n, int64_t *id)
{
    bo_entry *e = NULL;
    int rc = bo_entry_new(&e, date, memo);
    if (rc == 0 && key != NULL)
        rc = bo_entry_set_key(e, key);
    for (int i = 0; rc == 0 && i < n; i++)
        rc = bo_entry_add(e, roles[lines[i].role].found, lines[i].amount, NULL,
                          NULL);
    if (rc == 0)
        rc = bo_ledger_post(book, e, id);
    bo_entry_free(e);
    return rc;
}

/* The last failure's message, copied: the next library call clears it. */
static char last_msg[1024];

static int post_keep_msg(bo_date date, const char *memo, const char *key,
                         const line *lines, int n, int64_t *id)
{
    int rc = post(date, memo, key, lines, n, id);
    snprintf(last_msg, sizeof last_msg, "%s", rc < 0 ? bo_error_message() : "");
    return rc;
}

static int64_t post_ok(bo_date date, const char *memo, const char *key,
                       const line *lines, int n)
{
    int64_t id = 0;
    check(post(date, memo, key, lines, n, &id), memo);
    return id;
}

static void heading(const char *title)
{
    printf("\n== %s ", title);
    for (size_t i = strlen(title); i < 66; i++)
        putchar('=');
    printf("\n\n");
}

/* ---- a small aligned-table printer --------------------------------------- */

#define MAX_ROWS 256
#define MAX_COLS 8
#define CELL 96

/* Print the columns @p show of @p cur (freed here) as an aligned table under
 * @p title. Money columns are formatted in the row's currency and
 * right-aligned; names are indented by the row's depth. With @p totals, a
 * last line sums the money columns (all rows are in the base currency). */
static void print_table(bo_cursor *cur, const char *const *show, int totals)
{
    static char cells[MAX_ROWS + 2][MAX_COLS][CELL];
    int col[MAX_COLS], money[MAX_COLS], ncols = 0;
    int64_t sum[MAX_COLS] = {0};
    size_t width[MAX_COLS] = {0};
    int cur_col = bo_cursor_column_index(cur, "currency");
    int depth_col = bo_cursor_column_index(cur, "depth");

    for (; show[ncols] != NULL && ncols < MAX_COLS; ncols++) {
        col[ncols] = bo_cursor_column_index(cur, show[ncols]);
        money[ncols] = strcmp(show[ncols], "amount") == 0 ||
                       strcmp(show[ncols], "debit") == 0 ||
                       strcmp(show[ncols], "credit") == 0;
        snprintf(cells[0][ncols], CELL, "%s", show[ncols]);
    }
    int rows = 1, rc;
    while ((rc = bo_cursor_next(cur)) == 0 && rows <= MAX_ROWS) {
        int depth = depth_col >= 0 ? (int)bo_cursor_int(cur, depth_col) : 0;
        const char *row_ccy = cur_col >= 0 ? bo_cursor_text(cur, cur_col) : ccy;
        for (int i = 0; i < ncols; i++) {
            char *cell = cells[rows][i];
            if (col[i] < 0 || bo_cursor_type(cur, col[i]) == BO_TYPE_NULL) {
                cell[0] = '\0';
            } else if (money[i]) {
                int64_t v = bo_cursor_int(cur, col[i]);
                check(bo_money_add(sum[i], v, &sum[i]), "total");
                check(bo_money_format(v, row_ccy ? row_ccy : ccy, cell, CELL),
                      "format");
                if (v == 0 && strcmp(show[i], "amount") != 0)
                    cell[0] = '\0'; /* a trial balance leaves zeros blank */
            } else if (bo_cursor_type(cur, col[i]) == BO_TYPE_INT) {
                snprintf(cell, CELL, "%lld", (long long)bo_cursor_int(cur, col[i]));
            } else {
                int indent = strcmp(show[i], "name") == 0 && depth > 0 ? 2 * depth : 0;
                snprintf(cell, CELL, "%*s%s", indent, "", bo_cursor_text(cur, col[i]));
            }
        }
        rows++;
    }
    if (rc < 0)
        die("report", rc);
    bo_cursor_free(cur);
    if (totals) {
        for (int i = 0; i < ncols; i++) {
            if (money[i])
                fmt(sum[i], cells[rows][i], CELL);
            else
                snprintf(cells[rows][i], CELL, "%s", i == 0 ? "total" : "");
        }
    }
    int all = rows + (totals ? 1 : 0);
    for (int r = 0; r < all; r++)
        for (int i = 0; i < ncols; i++)
            if (strlen(cells[r][i]) > width[i])
                width[i] = strlen(cells[r][i]);
    for (int r = 0; r < all; r++) {
        if (r == 1 || (totals && r == rows)) {
            printf("  ");
            for (int i = 0; i < ncols; i++)
                printf("%s%.*s", i ? "  " : "", (int)width[i],
                       "------------------------------------------------------------");
            printf("\n");
        }
        printf("  ");
        for (int i = 0; i < ncols; i++) {
            int w = (int)width[i];
            if (money[i])
                printf("%s%*s", i ? "  " : "", w, cells[r][i]);
            else
                printf("%s%-*s", i ? "  " : "", i == ncols - 1 ? 0 : w, cells[r][i]);
        }
        printf("\n");
    }
}

/* ---- the story ----------------------------------------------------------- */

static int contains(const char *haystack, const char *needle)
{
    char low[BO_TEXT_MAX + 1];
    size_t i = 0;
    for (; haystack[i] != '\0' && i < BO_TEXT_MAX; i++)
        low[i] = (char)(haystack[i] >= 'A' && haystack[i] <= 'Z'
                            ? haystack[i] - 'A' + 'a' : haystack[i]);
    low[i] = '\0';
    return strstr(low, needle) != NULL;
}

/* Match the demo's account roles to the book's chart; add what is missing. */
static void find_accounts(void)
{
    bo_cursor *cur = NULL;
    check(bo_ledger_accounts(book, &cur), "accounts");
    int code_col = bo_cursor_column_index(cur, "code");
    int name_col = bo_cursor_column_index(cur, "name");
    int type_col = bo_cursor_column_index(cur, "type");
    int rc;
    while ((rc = bo_cursor_next(cur)) == 0) {
        const char *code = bo_cursor_text(cur, code_col);
        const char *name = bo_cursor_text(cur, name_col);
        int type = bo_account_type_parse(bo_cursor_text(cur, type_col));
        for (int r = 0; r < N_ROLES; r++) {
            if (roles[r].found[0] != '\0' || roles[r].type != type)
                continue;
            for (int w = 0; w < 3 && roles[r].words[w] != NULL; w++) {
                if (contains(name, roles[r].words[w])) {
                    snprintf(roles[r].found, sizeof roles[r].found, "%s", code);
                    break;
                }
            }
        }
    }
    if (rc < 0)
        die("accounts", rc);
    bo_cursor_free(cur);
    for (int r = 0; r < N_ROLES; r++) {
        if (roles[r].found[0] != '\0')
            continue;
        char code[BO_CODE_MAX + 1];
        snprintf(code, sizeof code, "%s", roles[r].code);
        rc = bo_ledger_account_add(book, code, roles[r].name, roles[r].type,
                                   NULL, NULL);
        if (rc == BO_EEXISTS) { /* the code is taken by another account */
            snprintf(code, sizeof code, "%s9", roles[r].code);
            rc = bo_ledger_account_add(book, code, roles[r].name, roles[r].type,
                                       NULL, NULL);
        }
        check(rc, "add account");
        snprintf(roles[r].found, sizeof roles[r].found, "%s", code);
        printf("  (added %s %s: the chart had no %s account)\n", code,
               roles[r].name, roles[r].label);
    }
}

static void open_book(const char *uri, const char *yaml)
{
    bo_book_options opts = BO_BOOK_OPTIONS_INIT;
    opts.actor = "admin";
    opts.sync = BO_SYNC_NORMAL; /* a demo need not survive power loss */
    int rc = bo_book_create_from_yaml(&book, yaml, uri, &opts);
    if (rc == BO_ENOTFOUND || rc == BO_EIO) {
        /* No shop description to load: start an empty book instead. */
        printf("  (cannot load %s: %s; starting from an empty chart)\n", yaml,
               bo_error_message());
        opts.create = 1;
        rc = bo_book_open(&book, uri, &opts);
    }
    check(rc, "create the book");
    ccy = bo_book_base_currency(book);
    check(bo_currency_exponent(ccy, &ccy_exp), "currency");
    printf("Book \"%s\" at %s, base currency %s, acting as %s.\n",
           bo_book_name(book), bo_book_uri(book), ccy, bo_book_actor(book));
    find_accounts();
    printf("Accounts used:");
    for (int r = 0; r < N_ROLES; r++)
        printf("%s %s=%s", r ? "," : "", roles[r].label, roles[r].found);
    printf("\n");
}

/* A deterministic pseudo-random sequence, so every run prints the same. */
static uint32_t seed = 20260101u;
static int64_t between(int64_t lo, int64_t hi)
{
    seed = seed * 1664525u + 1013904223u;
    return lo + (int64_t)((seed >> 8) % (uint32_t)(hi - lo + 1));
}

static int weekday(bo_date d) /* 0 = Sunday; 1970-01-01 was a Thursday */
{
    return (int)(((d % 7) + 7 + 4) % 7);
}

static int entries_posted;

/* One trading day: the day's sales and their cost, one transaction. */
static void trading_day(int d)
{
    bo_date date = day(1, d);
    int64_t cash = cents(between(150, 450) * 100 + between(0, 99));
    int64_t card = cents(between(300, 900) * 100 + between(0, 99));
    int64_t sales = cash + card, cost;
    check(bo_money_muldiv(sales, 40, 100, BO_ROUND_HALF_EVEN, &cost), "cost");
    char key[32], key2[32], memo[64];
    snprintf(key, sizeof key, "z-%d-01-%02d", YEAR, d);
    snprintf(key2, sizeof key2, "cogs-%d-01-%02d", YEAR, d);
    snprintf(memo, sizeof memo, "Sales of %d-01-%02d (Z report)", YEAR, d);

    check(bo_book_begin(book), "begin");
    line sale[] = {{CASH, cash}, {BANK, card}, {SALES, -sales}};
    line cogs[] = {{COGS, cost}, {INVENTORY, -cost}};
    post_ok(date, memo, key, sale, 3);
    post_ok(date, "Cost of the day's sales", key2, cogs, 2);
    check(bo_book_commit(book), "commit");
    entries_posted += 2;
}

static void january(void)
{
    heading("January: posting the month");
    line capital[] = {{BANK, cents(2500000)}, {EQUITY, -cents(2500000)}};
    line rent[] = {{RENT, cents(180000)}, {BANK, -cents(180000)}};
    line stock1[] = {{INVENTORY, cents(960000)}, {PAYABLES, -cents(960000)}};
    line stock2[] = {{INVENTORY, cents(480000)}, {PAYABLES, -cents(480000)}};
    line pay[] = {{PAYABLES, cents(960000)}, {BANK, -cents(960000)}};
    line power[] = {{UTILITIES, cents(31247)}, {BANK, -cents(31247)}};

    post_ok(day(1, 1), "Owner invests in the shop", "capital-1", capital, 2);
    post_ok(day(1, 1), "January rent", "rent-2026-01", rent, 2);
    post_ok(day(1, 2), "Stock bought on credit (PO 1001)", "po-1001", stock1, 2);
    entries_posted += 3;
    int days = 0;
    for (int d = 2; d <= 31; d++) {
        if (d == 15) {
            post_ok(day(1, 15), "Restock on credit (PO 1002)", "po-1002", stock2, 2);
            entries_posted++;
        }
        if (d == 20) {
            post_ok(day(1, 20), "Pay supplier for PO 1001", "pay-po-1001", pay, 2);
            entries_posted++;
        }
        if (d == 28) {
            post_ok(day(1, 28), "Electricity and water", "utilities-2026-01",
                    power, 2);
            entries_posted++;
        }
        if (weekday(day(1, d)) == 0)
            continue; /* closed on Sundays */
        trading_day(d);
        days++;
    }
    /* Bank the cash, keeping a float of 200 in the till. */
    int64_t till = balance(CASH, day(1, 31)), deposit;
    check(bo_money_sub(till, cents(20000), &deposit), "deposit");
    line bank_it[] = {{BANK, deposit}, {CASH, -deposit}};
    post_ok(day(1, 31), "Cash deposited at the bank", "deposit-2026-01-31",
            bank_it, 2);
    entries_posted++;
    char b1[32], b2[32];
    printf("Posted %d entries: capital, rent, two purchases, a supplier payment,\n"
           "utilities, %d trading days (sales and cost of sales, one transaction\n"
           "a day) and a cash deposit of %s. Cash in the till: %s.\n",
           entries_posted, days, fmt(deposit, b1, sizeof b1),
           fmt(balance(CASH, day(1, 31)), b2, sizeof b2));
}

static void refusals(void)
{
    heading("What the library refuses");
    char b1[32], b2[32];
    int64_t head_before = 0, head_after = 0, id = 0;
    char hex[BO_HASH_HEX_SIZE];
    int64_t cash_before = balance(CASH, day(1, 31));

    /* 1. A terminal retries a sale it already sent: same key, same content. */
    bo_date d5 = day(1, 5);
    bo_cursor *cur = NULL;
    int64_t original = 0;
    check(bo_audit_head(book, &head_before, hex, sizeof hex), "audit head");
    /* Rebuild the 5th's sale exactly from the journal, then send it again. */
    check(bo_ledger_journal(book, roles[SALES].found, d5, d5, &cur), "journal");
    int64_t sales = 0;
    if (bo_cursor_next(cur) == 0) {
        original = bo_cursor_int(cur, bo_cursor_column_index(cur, "entry"));
        sales = bo_cursor_int(cur, bo_cursor_column_index(cur, "amount"));
    }
    bo_cursor_free(cur);
    check(bo_ledger_entry(book, original, &cur), "entry");
    line again[3];
    char memo[BO_TEXT_MAX + 1] = "";
    int n = 0, rc;
    while ((rc = bo_cursor_next(cur)) == 0 && n < 3) {
        snprintf(memo, sizeof memo, "%s",
                 bo_cursor_text(cur, bo_cursor_column_index(cur, "memo")));
        const char *acct = bo_cursor_text(cur, bo_cursor_column_index(cur, "account"));
        for (int r = 0; r < N_ROLES; r++)
            if (strcmp(roles[r].found, acct) == 0)
                again[n].role = r;
        again[n++].amount = bo_cursor_int(cur, bo_cursor_column_index(cur, "amount"));
    }
    bo_cursor_free(cur);
    char key[32];
    snprintf(key, sizeof key, "z-%d-01-05", YEAR);
    check(post(d5, memo, key, again, n, &id), "replay");
    check(bo_audit_head(book, &head_after, hex, sizeof hex), "audit head");
    printf("Replay: the sales of %d-01-05 (%s) sent again with key \"%s\"\n"
           "  -> entry #%lld returned again (the original was #%lld); audit log still\n"
           "     ends at record %lld; cash still %s.\n",
           YEAR, fmt(-sales, b1, sizeof b1), key, (long long)id,
           (long long)original, (long long)head_after,
           fmt(balance(CASH, day(1, 31)), b2, sizeof b2));
    if (id != original || head_after != head_before ||
        balance(CASH, day(1, 31)) != cash_before) {
        fprintf(stderr, "demo: the replay recorded something new\n");
        exit(1);
    }

    /* 2. The same key for a different sale is not a retry: refused. */
    again[0].amount += cents(100);
    again[n - 1].amount -= cents(100);
    rc = post_keep_msg(d5, memo, key, again, n, &id);
    printf("\nSame key, different amounts: refused, %s:\n  %s\n",
           bo_error_name(rc), last_msg);
    if (rc != BO_EKEYREUSE)
        die("key reuse was not refused", rc);

    /* 3. An entry that does not balance. */
    line bad[] = {{CASH, cents(10000)}, {SALES, -cents(9999)}};
    rc = post_keep_msg(day(1, 30), "Miskeyed sale", "z-bad", bad, 2, &id);
    printf("\nUnbalanced entry (debit %s, credit %s): refused, %s:\n  %s\n",
           fmt(cents(10000), b1, sizeof b1), fmt(cents(9999), b2, sizeof b2),
           bo_error_name(rc), last_msg);
    if (rc != BO_EUNBALANCED)
        die("the unbalanced entry was not refused", rc);
}

/* Close January, adding the period if the shop's description has none. */
static void close_january(void)
{
    heading("Closing January");
    bo_date start = day(1, 1), end = day(1, 31);
    char name[64] = "";
    int rc = bo_ledger_period_add(book, "2026-01", start, end);
    if (rc == 0) {
        snprintf(name, sizeof name, "2026-01");
    } else if (rc == BO_EEXISTS) {
        /* The configuration already has periods: close the one holding
         * January 15th. */
        bo_cursor *cur = NULL;
        check(bo_ledger_periods(book, &cur), "periods");
        char mid[11];
        bo_date_format(day(1, 15), mid, sizeof mid);
        while (bo_cursor_next(cur) == 0) {
            const char *s = bo_cursor_text(cur, 1), *e = bo_cursor_text(cur, 2);
            if (strcmp(s, mid) <= 0 && strcmp(mid, e) <= 0)
                snprintf(name, sizeof name, "%s", bo_cursor_text(cur, 0));
        }
        bo_cursor_free(cur);
        if (name[0] == '\0')
            die("find the period of January", rc);
    } else {
        die("add period", rc);
    }
    check(bo_ledger_period_close(book, name), "close period");
    printf("Period \"%s\" closed.\n", name);

    line late[] = {{CASH, cents(4500)}, {SALES, -cents(4500)}};
    int64_t id = 0;
    rc = post_keep_msg(day(1, 31), "A late sale for January", "z-late", late, 2,
                       &id);
    printf("\nA sale dated %d-01-31, posted after the close: refused, %s:\n  %s\n",
           YEAR, bo_error_name(rc), last_msg);
    if (rc != BO_EPERIOD)
        die("the post into a closed period was not refused", rc);
}

static void reports(void)
{
    bo_cursor *cur = NULL;
    bo_date from = day(1, 1), to = day(1, 31);

    heading("Trial balance at 2026-01-31");
    static const char *const tb[] = {"code", "name", "debit", "credit", NULL};
    check(bo_ledger_trial_balance(book, to, &cur), "trial balance");
    print_table(cur, tb, 1);

    heading("Balance sheet at 2026-01-31");
    static const char *const bs[] = {"section", "code", "name", "amount", NULL};
    check(bo_ledger_balance_sheet(book, to, &cur), "balance sheet");
    print_table(cur, bs, 0);

    heading("Income statement, January 2026");
    check(bo_ledger_income_statement(book, from, to, &cur), "income statement");
    print_table(cur, bs, 0);

    heading("Audit chain");
    int64_t bad = 0, seq = 0;
    char hex[BO_HASH_HEX_SIZE];
    check(bo_audit_verify(book, &bad), "audit verify");
    check(bo_audit_head(book, &seq, hex, sizeof hex), "audit head");
    printf("Verified: intact, %lld records, every change hash-chained.\n"
           "Head (anchor it outside the database): %lld %s\n",
           (long long)seq, (long long)seq, hex);
}

int main(int argc, char **argv)
{
    char dir[4096];
    char path[4200];
    const char *yaml = argc > 2 ? argv[2] : BO_EXAMPLES_DIR "/shop.yaml";
    int temporary = argc < 2;

    if (temporary) {
        const char *tmp = getenv("TMPDIR");
        snprintf(dir, sizeof dir, "%s/bo-demo-XXXXXX",
                 tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
        if (mkdtemp(dir) == NULL) {
            perror("demo: mkdtemp");
            return 1;
        }
        snprintf(path, sizeof path, "%s/shop.db", dir);
    } else {
        struct stat st;
        if (stat(argv[1], &st) == 0) {
            fprintf(stderr, "demo: %s exists; remove it or name another file\n",
                    argv[1]);
            return 1;
        }
        snprintf(path, sizeof path, "%s", argv[1]);
    }
    char uri[4300];
    snprintf(uri, sizeof uri, "sqlite:%s", path);

    printf("libbackoffice %s demo: a month of a small shop\n\n", bo_version());
    open_book(uri, yaml);
    january();
    refusals();
    close_january();
    reports();
    demo_ctx ctx = { .book = book, .dir = temporary ? dir : "." };
    if (demo_inventory(&ctx) || demo_billing(&ctx) || demo_payroll(&ctx) ||
        demo_documents(&ctx) || demo_people(&ctx) || demo_approvals(&ctx) ||
        demo_reports(&ctx) || demo_pricing(&ctx) || demo_lots(&ctx) || demo_terminals(&ctx) ||
        demo_export(&ctx)) {
        bo_book_free(book);
        return 1;
    }
    bo_book_free(book);

    if (temporary) {
        static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
        for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
            char f[4300];
            snprintf(f, sizeof f, "%s%s", path, suffix[i]);
            unlink(f);
        }
        rmdir(dir);
    } else {
        printf("\nThe book is kept at %s. Explore it with:\n"
               "  backoffice --book %s --actor admin trial-balance\n", path, uri);
    }
    return 0;
}
