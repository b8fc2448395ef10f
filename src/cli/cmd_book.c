/*
 * backoffice book VERB: the book as a whole: init, copy, export, import,
 * version (each also
 * a top-level command, as in 0.2; `backoffice --version` is version).
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int init(cli *c, const cli_args *a)
{
    int st = cli_plugins(c);
    if (st)
        return st;
    bo_book_options opts = BO_BOOK_OPTIONS_INIT;
    opts.actor = c->actor; /* NULL: the library's default owner, "admin" */
    opts.create = 1;
    const char *uri = c->book_uri != NULL && c->book_uri[0] != '\0' ? c->book_uri
                                                                    : NULL;
    int rc = bo_book_create_from_yaml(&c->book, a->pos[0], uri, &opts);
    if (rc < 0) {
        c->book = NULL;
        return cli_lib_error(c, rc);
    }
    const char *actor = bo_book_actor(c->book);
    cli_field f[] = {
        {"book", BO_TYPE_TEXT, 0, bo_book_name(c->book)},
        {"uri", BO_TYPE_TEXT, 0, bo_book_uri(c->book)},
        {"currency", BO_TYPE_TEXT, 0, bo_book_base_currency(c->book)},
        {"owner", actor != NULL ? BO_TYPE_TEXT : BO_TYPE_NULL, 0, actor},
        {"schema", BO_TYPE_INT, bo_book_schema_version(), NULL},
    };
    return cli_render_record(c, f, (int)(sizeof f / sizeof f[0]), NULL);
}

/* Progress on stderr, only for a person watching a terminal; user: the
 * verb ("copying"). */
static void show_progress(const char *stage, int64_t done, int64_t total, void *user)
{
    fprintf(stderr, "\r%s %-13s %10lld / %-10lld", user ? (const char *)user : "copying",
            stage, (long long)done, (long long)total);
    if (done == total)
        fputc('\n', stderr);
    fflush(stderr);
}

static int copy(cli *c, const cli_args *a)
{
    if (c->book_uri == NULL || c->book_uri[0] == '\0')
        return cli_usage_error("copy: no source book: use --book URI or set "
                               "BACKOFFICE_BOOK");
    int st = cli_plugins(c);
    if (st)
        return st;
    bo_book_options opts = BO_BOOK_OPTIONS_INIT;
    opts.actor = c->actor;
    int rc = bo_book_copy(c->book_uri, a->pos[0], &opts,
                          isatty(STDERR_FILENO) ? show_progress : NULL, NULL);
    if (rc < 0)
        return cli_lib_error(c, rc);
    cli_field f[] = {
        {"from", BO_TYPE_TEXT, 0, c->book_uri},
        {"to", BO_TYPE_TEXT, 0, a->pos[0]},
        {"verified", BO_TYPE_TEXT, 0, "trial balance and audit chain head match"},
    };
    return cli_render_record(c, f, (int)(sizeof f / sizeof f[0]), NULL);
}

static int export_saft(cli *c, const cli_args *a);
static int export_saft_cr(cli *c, const cli_args *a);

/* export FILE --format hledger|ledger: the chart and journal as a
 * plain-text journal both programs read. */
static int export_journal(cli *c, const cli_args *a, int dialect)
{
    int st = cli_open(c);
    if (st)
        return st;
    bo_journal_options o = BO_JOURNAL_OPTIONS_INIT;
    o.dialect = dialect;
    int rc = bo_book_export_journal(c->book, a->pos[0], &o);
    if (rc < 0)
        return cli_lib_error(c, rc);
    cli_field f[] = {
        {"book", BO_TYPE_TEXT, 0, bo_book_uri(c->book)},
        {"file", BO_TYPE_TEXT, 0, a->pos[0]},
        {"format", BO_TYPE_TEXT, 0, cli_opt_get(a, "format")},
    };
    return cli_render_record(c, f, (int)(sizeof f / sizeof f[0]), NULL);
}

/* export FILE --format fec [--from DATE] [--to DATE]: France's FEC. */
static int export_fec(cli *c, const cli_args *a)
{
    bo_date from = BO_DATE_MIN, to = BO_DATE_MAX;
    int st = cli_opt_date(a, "from", BO_DATE_MIN, &from);
    if (!st)
        st = cli_opt_date(a, "to", BO_DATE_MAX, &to);
    if (!st)
        st = cli_open(c);
    if (st)
        return st;
    int rc = bo_book_export_fec(c->book, a->pos[0], from, to);
    if (rc < 0)
        return cli_lib_error(c, rc);
    cli_field f[] = {
        {"book", BO_TYPE_TEXT, 0, bo_book_uri(c->book)},
        {"file", BO_TYPE_TEXT, 0, a->pos[0]},
        {"format", BO_TYPE_TEXT, 0, "fec"},
    };
    return cli_render_record(c, f, (int)(sizeof f / sizeof f[0]), NULL);
}

static int export_book(cli *c, const cli_args *a)
{
    const char *format = cli_opt_get(a, "format");
    if (format && !strcmp(format, "saf-t"))
        return export_saft(c, a);
    if (format && !strcmp(format, "saft-cr"))
        return export_saft_cr(c, a);
    if (format && !strcmp(format, "fec"))
        return export_fec(c, a);
    if (format && !strcmp(format, "hledger"))
        return export_journal(c, a, BO_JOURNAL_HLEDGER);
    if (format && !strcmp(format, "ledger"))
        return export_journal(c, a, BO_JOURNAL_LEDGER);
    if (format && !strcmp(format, "beancount"))
        return export_journal(c, a, BO_JOURNAL_BEANCOUNT);
    if (format && strcmp(format, "zip"))
        return cli_usage_error("export: --format %s: expected zip, saf-t, saft-cr, fec, "
                               "hledger, ledger or beancount", format);
    int st = cli_open(c);
    if (st)
        return st;
    bo_transfer_options t = BO_TRANSFER_OPTIONS_INIT;
    if (isatty(STDERR_FILENO)) {
        t.progress = show_progress;
        t.user = "exporting";
    }
    int rc = bo_book_export(c->book, a->pos[0], &t);
    if (rc < 0)
        return cli_lib_error(c, rc);
    int64_t seq = 0;
    char head[BO_HASH_HEX_SIZE] = "";
    if ((rc = bo_audit_head(c->book, &seq, head, sizeof head)) < 0)
        return cli_lib_error(c, rc);
    cli_field f[] = {
        {"book", BO_TYPE_TEXT, 0, bo_book_uri(c->book)},
        {"file", BO_TYPE_TEXT, 0, a->pos[0]},
        {"format", BO_TYPE_INT, BO_EXPORT_FORMAT_VERSION, NULL},
        {"audit_seq", BO_TYPE_INT, seq, NULL},
        {"audit_head", BO_TYPE_TEXT, 0, head},
    };
    return cli_render_record(c, f, (int)(sizeof f / sizeof f[0]), NULL);
}

/* export FILE --format saf-t: the SAF-T Financial file (Norwegian 1.30);
 * --format saft-cr [--location CODE]: the point-of-sale journal as a SAF-T
 * Cash Register file (Norwegian 1.00), which takes no --grouping. */
static int export_saft_file(cli *c, const cli_args *a, int cr)
{
    bo_saft_options o = BO_SAFT_OPTIONS_INIT;
    char *grouping = NULL, *taxcodes = NULL;
    int st = 0;
    if (cli_opt_get(a, "from"))
        st = cli_opt_date(a, "from", BO_DATE_MIN, &o.from);
    if (!st && cli_opt_get(a, "to"))
        st = cli_opt_date(a, "to", BO_DATE_MAX, &o.to);
    if (!st && cli_opt_get(a, "grouping"))
        st = cr ? cli_usage_error("export: --grouping: not used by --format saft-cr")
                : cli_read_text(cli_opt_get(a, "grouping"), 1u << 20, &grouping);
    if (!st && cli_opt_get(a, "tax-codes"))
        st = cli_read_text(cli_opt_get(a, "tax-codes"), 1u << 20, &taxcodes);
    if (!st)
        st = cli_open(c);
    if (!st) {
        o.registration_number = cli_opt_get(a, "registration");
        o.company_name = cli_opt_get(a, "company");
        o.vat_number = cli_opt_get(a, "vat");
        o.grouping = grouping;
        o.tax_codes = taxcodes;
        int rc = cr ? bo_book_export_saft_cr(c->book, a->pos[0], &o, cli_opt_get(a, "location"))
                    : bo_book_export_saft(c->book, a->pos[0], &o);
        st = rc < 0 ? cli_lib_error(c, rc) : 0;
    }
    free(grouping);
    free(taxcodes);
    if (st)
        return st;
    cli_field f[] = {
        {"book", BO_TYPE_TEXT, 0, bo_book_uri(c->book)},
        {"file", BO_TYPE_TEXT, 0, a->pos[0]},
        {"format", BO_TYPE_TEXT, 0, cr ? "saft-cr" : "saf-t"},
    };
    return cli_render_record(c, f, (int)(sizeof f / sizeof f[0]), NULL);
}

static int export_saft(cli *c, const cli_args *a)
{
    return export_saft_file(c, a, 0);
}

static int export_saft_cr(cli *c, const cli_args *a)
{
    return export_saft_file(c, a, 1);
}

static int onboard(cli *c, const cli_args *a);
static int onboard_kind(cli *c, const cli_args *a, const char *from);

static int import_book(cli *c, const cli_args *a)
{
    if (c->book_uri == NULL || c->book_uri[0] == '\0')
        return cli_usage_error("import: no destination: use --book URI or set "
                               "BACKOFFICE_BOOK");
    int st = cli_plugins(c);
    if (st)
        return st;
    bo_book_options opts = BO_BOOK_OPTIONS_INIT;
    opts.actor = c->actor;
    const char *from = cli_opt_get(a, "from");
    if (from && !strcmp(from, "opening-csv"))
        return onboard(c, a);
    if (from && (!strcmp(from, "parties-csv") || !strcmp(from, "items-csv") ||
                 !strcmp(from, "employees-csv")))
        return onboard_kind(c, a, from);
    if (from && !strcmp(from, "gnucash")) {
        bo_gnucash_options g = BO_GNUCASH_OPTIONS_INIT;
        g.base_currency = cli_opt_get(a, "currency");
        if (cli_opt_get(a, "utc-offset")) {
            char *end;
            long m = strtol(cli_opt_get(a, "utc-offset"), &end, 10);
            if (*end || end == cli_opt_get(a, "utc-offset"))
                return cli_usage_error("--utc-offset: expected minutes east of UTC "
                                       "(-300 for UTC-05:00)");
            g.has_utc_offset = 1;
            g.utc_offset_minutes = m < -100000 || m > 100000 ? 100000 : (int)m;
        }
        /* importing a book again: write what is new (nothing changed) */
        g.write_added = cli_opt_get(a, "write-added") != NULL;
        int rc = bo_book_import_gnucash(c->book_uri, a->pos[0], &opts, &g);
        if (rc < 0)
            return cli_lib_error(c, rc);
        cli_field f[] = {
            {"file", BO_TYPE_TEXT, 0, a->pos[0]},
            {"book", BO_TYPE_TEXT, 0, c->book_uri},
            {"from", BO_TYPE_TEXT, 0, "gnucash"},
        };
        return cli_render_record(c, f, (int)(sizeof f / sizeof f[0]), NULL);
    }
    if (from && (!strcmp(from, "ledger") || !strcmp(from, "hledger") ||
                 !strcmp(from, "beancount") || !strcmp(from, "journal"))) {
        bo_journal_options j = BO_JOURNAL_OPTIONS_INIT;
        j.dialect = !strcmp(from, "ledger")      ? BO_JOURNAL_LEDGER
                    : !strcmp(from, "hledger")   ? BO_JOURNAL_HLEDGER
                    : !strcmp(from, "beancount") ? BO_JOURNAL_BEANCOUNT
                                                 : BO_JOURNAL_AUTO;
        j.base_currency = cli_opt_get(a, "currency");
        j.dollar = cli_opt_get(a, "dollar");
        int rc = bo_book_import_journal(c->book_uri, a->pos[0], &opts, &j);
        if (rc < 0)
            return cli_lib_error(c, rc);
        cli_field f[] = {
            {"file", BO_TYPE_TEXT, 0, a->pos[0]},
            {"book", BO_TYPE_TEXT, 0, c->book_uri},
            {"from", BO_TYPE_TEXT, 0, from},
        };
        return cli_render_record(c, f, (int)(sizeof f / sizeof f[0]), NULL);
    }
    if (from && strcmp(from, "export"))
        return cli_usage_error("import: --from %s: expected export, gnucash, ledger, hledger, "
                               "beancount, journal, opening-csv, parties-csv, items-csv or "
                               "employees-csv", from);
    bo_transfer_options t = BO_TRANSFER_OPTIONS_INIT;
    if (isatty(STDERR_FILENO)) {
        t.progress = show_progress;
        t.user = "importing";
    }
    int rc = bo_book_import(c->book_uri, a->pos[0], &opts, &t);
    if (rc < 0)
        return cli_lib_error(c, rc);
    cli_field f[] = {
        {"file", BO_TYPE_TEXT, 0, a->pos[0]},
        {"book", BO_TYPE_TEXT, 0, c->book_uri},
        {"verified", BO_TYPE_TEXT, 0, "audit chain head matches, full verification passed"},
    };
    return cli_render_record(c, f, (int)(sizeof f / sizeof f[0]), NULL);
}

/* import FILE --from opening-csv [--date DATE] [--memo TEXT]: a chart and
 * its opening balances from CSV into the book. */
static int onboard(cli *c, const cli_args *a)
{
    bo_date d = 0;
    int st = cli_opt_date(a, "date", bo_date_today(), &d);
    if (!st)
        st = cli_open(c);
    if (st)
        return st;
    int rc = bo_book_import_opening_csv(c->book, a->pos[0], d, cli_opt_get(a, "memo"));
    if (rc < 0)
        return cli_lib_error(c, rc);
    char ds[16];
    bo_date_format(d, ds, sizeof ds);
    cli_field f[] = {
        {"book", BO_TYPE_TEXT, 0, bo_book_uri(c->book)},
        {"file", BO_TYPE_TEXT, 0, a->pos[0]},
        {"date", BO_TYPE_TEXT, 0, ds},
    };
    return cli_render_record(c, f, (int)(sizeof f / sizeof f[0]), NULL);
}

/* import FILE --from parties-csv|items-csv|employees-csv [--date DATE]:
 * parties, items with their stock, or employees from CSV into the book. */
static int onboard_kind(cli *c, const cli_args *a, const char *from)
{
    bo_date d = 0;
    int st = cli_opt_date(a, "date", bo_date_today(), &d);
    if (!st)
        st = cli_open(c);
    if (st)
        return st;
    char kind[16];
    snprintf(kind, sizeof kind, "%.*s", (int)(strlen(from) - 4), from);
    int rc = bo_book_import_csv(c->book, kind, a->pos[0], d);
    if (rc < 0)
        return cli_lib_error(c, rc);
    cli_field f[] = {
        {"book", BO_TYPE_TEXT, 0, bo_book_uri(c->book)},
        {"file", BO_TYPE_TEXT, 0, a->pos[0]},
        {"kind", BO_TYPE_TEXT, 0, kind},
        {"added", BO_TYPE_INT, rc, NULL},
    };
    return cli_render_record(c, f, (int)(sizeof f / sizeof f[0]), NULL);
}

static int version(cli *c, const cli_args *a)
{
    (void)a;
#define CLI_STR2(x) #x
#define CLI_STR(x) CLI_STR2(x)
    cli_field f[] = {
        {"program", BO_TYPE_TEXT, 0,
         CLI_STR(BO_VERSION_MAJOR) "." CLI_STR(BO_VERSION_MINOR) "."
         CLI_STR(BO_VERSION_PATCH)},
        {"library", BO_TYPE_TEXT, 0, bo_version()},
        {"schema", BO_TYPE_INT, bo_book_schema_version(), NULL},
    };
    return cli_render_record(c, f, (int)(sizeof f / sizeof f[0]), NULL);
}

static const cli_sub verbs[] = {
    {{"init", "CONFIG.yaml [--book URI]",
      "Create a new book from a YAML description of the business. The book is\n"
      "stored at --book (or BACKOFFICE_BOOK), or where the file's \"storage\"\n"
      "key says. The actor (default \"admin\") becomes the book's owner.\n",
      NULL}, {0}, 1, 1, init},
    {{"copy", "TO_URI",
      "Copy the whole book (--book) into the empty store TO_URI, which may use\n"
      "another backend (SQLite to PostgreSQL and back). The copy is verified:\n"
      "same trial balance, same audit chain head. Progress is shown on a\n"
      "terminal. Needs book.admin and audit.read.\n",
      NULL}, {0}, 1, 1, copy},
    {{"export", "FILE [--format zip|saf-t|saft-cr|fec|hledger|ledger|beancount]"
      " [--registration ORGNR] [--company NAME]"
      " [--vat NUMBER] [--from DATE] [--to DATE] [--grouping FILE] [--tax-codes FILE]"
      " [--location CODE]",
      "Write the whole book (--book) to FILE in the lossless export format: a\n"
      "zip of a manifest and one JSON-lines file per record kind\n"
      "(docs/export-format.md). The same book always gives the same bytes.\n"
      "Progress is shown on a terminal. Needs every permission (\"*\").\n"
      "With --format saf-t: a SAF-T Financial file (Norwegian profile 1.30,\n"
      "docs/import-export.md) of the entries dated --from..--to (default: all),\n"
      "for the company --registration (required); --grouping maps accounts to\n"
      "standard grouping codes (lines \"ACCOUNT CODE\"), --tax-codes tax rates\n"
      "to standard tax codes (lines \"RATE CODE\").\n"
      "With --format saft-cr: the point-of-sale journal as a SAF-T Cash\n"
      "Register file (Norwegian 1.00): per stock location (or only --location)\n"
      "its till sessions, sales and returns dated --from..--to, for the company\n"
      "--registration (required). Needs ledger.read and inventory.read.\n"
      "With --format fec: France's Fichier des Ecritures Comptables of the\n"
      "entries dated --from..--to (default: all): 18 tab-separated columns,\n"
      "dates YYYYMMDD, amounts with a decimal comma; every entry balances.\n"
      "With --format hledger or ledger: the chart and journal as a plain-text\n"
      "journal both programs read; beancount: a file bean-check accepts\n"
      "(docs/import-export.md). Needs ledger.read.\n",
      NULL}, {"format", "registration", "company", "vat", "from", "to", "grouping",
              "tax-codes", "location"}, 1, 1, export_book},
    {{"import", "FILE [--from export|gnucash|ledger|hledger|beancount|journal|opening-csv|"
      "parties-csv|items-csv|employees-csv]"
      " [--currency CODE] [--utc-offset MINUTES] [--dollar CODE] [--date DATE] [--memo TEXT]"
      " [--write-added]",
      "Read an export into the empty store --book (any backend), in one\n"
      "transaction; exporting the new book gives the same bytes. A damaged or\n"
      "altered file is refused, naming the part and line, and nothing is\n"
      "imported. The new book is verified whole.\n"
      "With --from gnucash: a GnuCash book, XML or SQLite (docs/import-export.md), into a\n"
      "new book in --currency (default: the transactions' most common);\n"
      "--utc-offset dates transactions that have neither a date slot nor\n"
      "GnuCash's neutral 10:59 UTC time. The same GnuCash book imported again\n"
      "adds nothing; a changed one is refused, naming what changed by its\n"
      "GnuCash id, and nothing is written; with --write-added a book that only\n"
      "gained accounts and transactions has the new ones written.\n"
      "With --from ledger, hledger or beancount (journal: told by the file's\n"
      "name): a plain-text journal into a new book in --currency (default: the\n"
      "commodity costs are given in, else the most used); --dollar names the\n"
      "currency \"$\" stands for (default USD). Balance assertions are checked;\n"
      "a refusal names the file, line and column, and nothing is imported.\n"
      "The same journal imported again adds nothing; a changed one is refused\n"
      "with the counts of what was added, changed or went missing.\n"
      "With --from opening-csv: the chart of accounts and opening balances of a\n"
      "CSV file (columns code, name, type, parent, currency, balance) added to\n"
      "the existing book --book, the balances in one entry dated --date\n"
      "(default today); a refusal names the line and column, and nothing is\n"
      "written. Needs ledger.admin and ledger.post.\n"
      "With --from parties-csv, items-csv or employees-csv: parties, items\n"
      "with their stock and cost per location (received on --date), or\n"
      "employees, by the columns of docs/import-export.md; a record already in\n"
      "the book is kept, so a second run adds nothing; a refusal names the line\n"
      "and column, and nothing is written.\n",
      NULL}, {"from", "currency", "utc-offset", "dollar", "date", "memo", "+write-added"}, 1, 1,
     import_book},
    {{"version", "",
      "Show the versions of the program, the library and the book schema (the\n"
      "same as `backoffice --version`).\n",
      NULL}, {0}, 0, 0, version},
    {{"serve", "[--from D] [--to D] [--zones Z] [--store S] [--listen ADDR:PORT] [--port P]"
      " [--max-connections N] [--max-requests N] [--refresh S]",
      "Serve the shop's dashboard of D..D (default: the 30 days up to today)\n"
      "read-only over HTTP at / : the same bytes `report dashboard` writes,\n"
      "rendered for each request. It listens on 127.0.0.1:8080 unless --listen\n"
      "or --port say otherwise (--port 0: any free port); the port is printed\n"
      "on stdout. A request needs an access token of the book (token-create):\n"
      "\"Authorization: Bearer TOKEN\", or Basic with the actor and the token;\n"
      "without one, 401; the token's actor needs what the dashboard needs. The\n"
      "ETag is the page's SHA-256 (a matching If-None-Match: 304); the page asks\n"
      "to be reloaded every --refresh seconds (60; 0 never). At most\n"
      "--max-connections (16) at once: more are closed. SIGINT or SIGTERM stops\n"
      "it; so does --max-requests N after N requests.\n",
      NULL}, {"from", "to", "zones", "store", "listen", "port", "max-connections",
              "max-requests", "refresh"}, 0, 0, cli_serve},
};

const cli_domain cli_book_domain = {
    "book", NULL, "the book as a whole: create it from YAML, copy, export and import it, versions",
    verbs, sizeof verbs / sizeof *verbs, NULL, CLI_ALIASES,
};
