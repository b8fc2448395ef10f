/*
 * backoffice: the command-line face of libbackoffice.
 *
 * Global options, the command table, dispatch, and error reporting. The
 * commands themselves live in cmd_*.c and use the public API only.
 */
#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const cli_command commands[] = {
    {"init", "init CONFIG.yaml [--book URI]",
     "Create a new book from a YAML description of the business. The book is\n"
     "stored at --book (or BACKOFFICE_BOOK), or where the file's \"storage\"\n"
     "key says. The actor (default \"admin\") becomes the book's owner.\n",
     cmd_init},
    {"copy", "copy TO_URI",
     "Copy the whole book (--book) into the empty store TO_URI, which may use\n"
     "another backend (SQLite to PostgreSQL and back). The copy is verified:\n"
     "same trial balance, same audit chain head. Progress is shown on a\n"
     "terminal. Needs book.admin and audit.read.\n",
     cmd_copy},
    {"accounts", "accounts",
     "List the chart of accounts: code, name, type, parent, currency, closed.\n",
     cmd_query},
    {"account-add", "account-add CODE NAME TYPE [--parent P] [--currency C]",
     "Add an account. TYPE is asset, liability, equity, income or expense;\n"
     "a sub-account (--parent) has its parent's type. The currency defaults\n"
     "to the book's base currency.\n",
     cmd_account_add},
    {"post", "post --date YYYY-MM-DD [--memo M] [--key K] ACCOUNT=AMOUNT[:CUR] ...",
     "Post a balanced journal entry. AMOUNT is a decimal in the account's\n"
     "currency (or CUR): positive for a debit, negative for a credit. The\n"
     "postings must sum to zero in every currency. With --key, posting the\n"
     "same key again records nothing and prints the original entry's id.\n"
     "Prints the entry id.\n"
     "Example: post --date 2026-01-05 --memo \"Cash sale\" 1000=25.00 4000=-25.00\n",
     cmd_post},
    {"reverse", "reverse ENTRY_ID --date YYYY-MM-DD [--key K]",
     "Post the exact opposite of an entry, dated --date. Prints the id of the\n"
     "reversing entry. An entry can be reversed once.\n",
     cmd_reverse},
    {"entry", "entry ENTRY_ID",
     "Show the postings of one entry.\n",
     cmd_entry},
    {"balance", "balance ACCOUNT [--as-of YYYY-MM-DD] [--currency C]",
     "Balance of an account (sub-accounts included) at the end of --as-of\n"
     "(default: every date), debits minus credits.\n",
     cmd_balance},
    {"trial-balance", "trial-balance [--as-of YYYY-MM-DD]",
     "Trial balance: debit and credit per account and currency.\n",
     cmd_query},
    {"journal", "journal [--account A] [--from YYYY-MM-DD] [--to YYYY-MM-DD]",
     "General-ledger listing with running balances, for one account and its\n"
     "sub-accounts or for all accounts.\n",
     cmd_journal},
    {"balance-sheet", "balance-sheet [--as-of YYYY-MM-DD]",
     "Balance sheet: assets, liabilities and equity with their natural signs,\n"
     "plus current earnings.\n",
     cmd_query},
    {"income-statement", "income-statement --from YYYY-MM-DD --to YYYY-MM-DD",
     "Income statement for a date range, ending with net income.\n",
     cmd_query},
    {"periods", "periods",
     "List the fiscal periods: name, start, end, closed.\n",
     cmd_query},
    {"period-add", "period-add NAME START END",
     "Add a fiscal period covering START..END (inclusive, YYYY-MM-DD).\n",
     cmd_period_add},
    {"period-close", "period-close NAME",
     "Close a fiscal period: entries dated inside it are refused from now on.\n"
     "Closing is final.\n",
     cmd_period_close},
    {"year-close", "year-close YEAR_END --retained ACCOUNT [--key K]",
     "Close the fiscal year ending YEAR_END (YYYY-MM-DD): one entry moves every\n"
     "income and expense balance to the equity account --retained, so the\n"
     "balance sheet shows the year's result in retained earnings. The income\n"
     "statement leaves the closing entry out. Prints the entry id (0: nothing\n"
     "to move).\n",
     cmd_year_close},
    {"year-reopen", "year-reopen YEAR_END [--key K]",
     "Reopen the latest closed year: its closing entry is reversed. Prints the\n"
     "reversal's id.\n",
     cmd_year_reopen},
    {"year-closings", "year-closings",
     "List the year-end closes: year_end, retained, entry, reopened_by, actor.\n",
     cmd_query},
    {"roles", "roles",
     "List who holds which role, with the role's permissions.\n",
     cmd_query},
    {"role-define", "role-define ROLE PERMISSION ...",
     "Define or redefine a role with a list of permissions (ledger.read,\n"
     "ledger.post, ledger.admin, audit.read, book.admin, *).\n",
     cmd_role_define},
    {"grant", "grant ACTOR ROLE",
     "Grant a role to an actor.\n",
     cmd_grant},
    {"revoke", "revoke ACTOR ROLE",
     "Take a role from an actor.\n",
     cmd_revoke},
    {"audit", "audit verify [--chain-only] [--anchor SEQ:HASH] [--list] | audit head |"
     " audit list [--from SEQ]",
     "verify  check the audit chain and every table of the book against it\n"
     "        (entries and postings, sales, stock, invoices, payments, pay\n"
     "        runs, documents, grants ...; day totals and stock on hand\n"
     "        against their source rows); fails naming the first problem:\n"
     "        the table, the record and what differs\n"
     "        --chain-only  the chain alone (fast)\n"
     "        --anchor SEQ:HASH  a head kept outside the book (\"audit head\"):\n"
     "                      fails when the chain no longer reaches it\n"
     "        --list        print every problem found (up to 1000)\n"
     "head    the last record's sequence number and hash (anchor it elsewhere)\n"
     "list    the audit records from sequence number --from (default 1)\n",
     cmd_audit},
    {"tax-rates", "tax-rates",
     "List the tax rates: code, name, rate in millionths, accounts, compound.\n",
     cmd_query},
    {"tax-rate-add", "tax-rate-add CODE NAME PERCENT ACCOUNT [--purchase-account A] [--compound yes]",
     "Define a tax rate (\"6.25%\"): tax on sales is credited to ACCOUNT, tax\n"
     "on purchases debited to --purchase-account (default ACCOUNT). A compound\n"
     "rate is charged on the net plus the taxes listed before it.\n",
     cmd_tax_rate_add},
    {"tax-categories", "tax-categories",
     "List the tax categories and their rates, in the order they apply.\n",
     cmd_query},
    {"tax-category-add", "tax-category-add CODE NAME [RATE...]",
     "Define a tax category charging the listed rates, in order (none: exempt).\n",
     cmd_tax_category_add},
    {"tax", "tax CATEGORY AMOUNT [--inclusive yes]",
     "The tax on AMOUNT (base currency) in CATEGORY: net, tax and gross. With\n"
     "--inclusive yes, AMOUNT includes the tax.\n",
     cmd_tax},
    {"parties", "parties [--roles customer|vendor]",
     "List customers and vendors.\n",
     cmd_parties},
    {"party", "party CODE",
     "Show one party with every field.\n",
     cmd_party},
    {"party-add", "party-add CODE NAME ROLES [--currency C]",
     "Add a party. ROLES: customer, vendor or customer,vendor.\n",
     cmd_party_add},
    {"party-set", "party-set CODE FIELD [VALUE]",
     "Set a field of a party (name, roles, currency, tax_id, email, phone,\n"
     "address, terms_days, receivable_account, payable_account,\n"
     "revenue_account, expense_account, active); no VALUE clears it.\n",
     cmd_party_set},
    {"inventory", "inventory SUBCOMMAND [ARGS...]",
     "Items, locations, stock, movements, reservations, sales and returns,\n"
     "purchase orders, shipments, stock counts, valuation. `backoffice\n"
     "inventory help` lists the subcommands.\n",
     cmd_inventory},
    {"billing", "billing SUBCOMMAND [ARGS...]",
     "Tax rates, parties, invoices, bills, credit notes, payments, aging,\n"
     "statements, bank reconciliation, exchange rates. `backoffice billing\n"
     "help` lists the subcommands.\n",
     cmd_billing},
    {"payroll", "payroll SUBCOMMAND [ARGS...]",
     "Employees, pay terms, time, rule packs, pay runs, payslips.\n"
     "`backoffice payroll help` lists the subcommands.\n",
     cmd_payroll},
    {"document", "document SUBCOMMAND [ARGS...]",
     "Document records: add, get, versions, link, search, verify, hold,\n"
     "dispose. `backoffice document help` lists the subcommands.\n",
     cmd_document},
    {"version", "version",
     "Show the versions of the program, the library and the book schema.\n",
     cmd_version},
};

#define N_COMMANDS (sizeof commands / sizeof commands[0])

static void print_usage(FILE *fp)
{
    fputs("usage: backoffice [--book URI] [--actor NAME] [--format table|csv|json]\n"
          "                  [--plugin PATH]... COMMAND [ARGS...]\n\n"
          "commands:\n", fp);
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(fp, "  %s\n", commands[i].synopsis);
    fputs("\n"
          "options:\n"
          "  --book URI       the book: \"sqlite:PATH\", a plain path, or another\n"
          "                   driver's URI (default: $BACKOFFICE_BOOK)\n"
          "  --actor NAME     who acts (default: $BACKOFFICE_ACTOR)\n"
          "  --format F       table (default), csv (RFC 4180 quoting) or json\n"
          "                   (listings are arrays of objects, single results one\n"
          "                   object; amounts are integers in minor units, next to\n"
          "                   their currency, quantities next to their scale;\n"
          "                   tables and CSV show both as decimals; a CSV text\n"
          "                   cell that would start a formula gets a leading ')\n"
          "  --plugin PATH    load a plugin (a shared object adding a driver) before\n"
          "                   opening the book; repeatable. $BACKOFFICE_PLUGINS names\n"
          "                   a folder whose *.so plugins are all loaded (hidden\n"
          "                   files skipped). A plugin is trusted code: the file and\n"
          "                   its folder must belong to root or you and be writable\n"
          "                   by the owner only; symbolic links are refused\n"
          "  --help           this text; COMMAND --help for one command\n\n"
          "exit status: 0 success, 1 usage error, 2 the library refused or failed,\n"
          "3 output could not be written.\n", fp);
}

int cli_usage_error(const char *fmt, ...)
{
    va_list ap;
    fputs("backoffice: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\n", stderr);
    return CLI_EXIT_USAGE;
}

int cli_lib_error(cli *c, int rc)
{
    /* The message may quote stored text: escaped, like a table cell. */
    const char *msg = bo_error_message();
    fprintf(stderr, "backoffice: %s", bo_error_name(rc));
    if (msg[0] != '\0') {
        fputs(": ", stderr);
        cli_fputs_escaped(msg, stderr);
    }
    fputc('\n', stderr);
    if (rc == BO_EDENIED && (c == NULL || c->actor == NULL))
        fputs("backoffice: hint: no actor given; use --actor NAME or set "
              "BACKOFFICE_ACTOR\n", stderr);
    return CLI_EXIT_LIBRARY;
}

int cli_plugins(cli *c)
{
    if (c->plugins_loaded)
        return 0;
    c->plugins_loaded = 1;
    for (int i = 0; i < c->nplugin_paths; i++) {
        int rc = bo_plugin_load(c->plugin_paths[i]);
        if (rc < 0)
            return cli_lib_error(c, rc);
    }
    if (c->plugin_dir != NULL && c->plugin_dir[0] != '\0') {
        int rc = bo_plugin_load_dir(c->plugin_dir, NULL);
        if (rc < 0)
            return cli_lib_error(c, rc);
    }
    return 0;
}

static int hexval(int ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    ch = tolower(ch);
    return ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

int cli_parse_key(const char *text, size_t len, unsigned char key[BO_DOC_KEY_BYTES])
{
    while (len && isspace((unsigned char)text[len - 1]))
        len--;
    while (len && isspace((unsigned char)*text)) {
        text++;
        len--;
    }
    if (len != 2 * BO_DOC_KEY_BYTES)
        return -1;
    for (size_t i = 0; i < BO_DOC_KEY_BYTES; i++) {
        int hi = hexval((unsigned char)text[2 * i]), lo = hexval((unsigned char)text[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        key[i] = (unsigned char)(hi * 16 + lo);
    }
    return 0;
}

/* Give the open book the host's key from BACKOFFICE_DOC_KEY, if set. */
static int env_key(cli *c)
{
    const char *env = getenv("BACKOFFICE_DOC_KEY");
    if (env == NULL || env[0] == '\0')
        return 0;
    unsigned char key[BO_DOC_KEY_BYTES];
    if (cli_parse_key(env, strlen(env), key) != 0)
        return cli_usage_error("BACKOFFICE_DOC_KEY: expected 64 hex digits");
    int rc = bo_doc_set_key(c->book, key, sizeof key);
    memset(key, 0, sizeof key);
    return rc < 0 ? cli_lib_error(c, rc) : 0;
}

int cli_open(cli *c)
{
    if (c->book != NULL)
        return 0;
    if (c->book_uri == NULL || c->book_uri[0] == '\0')
        return cli_usage_error("no book: use --book URI or set BACKOFFICE_BOOK");
    int st = cli_plugins(c);
    if (st)
        return st;
    bo_book_options opts = BO_BOOK_OPTIONS_INIT;
    opts.actor = c->actor;
    int rc = bo_book_open(&c->book, c->book_uri, &opts);
    if (rc < 0) {
        c->book = NULL;
        int status = cli_lib_error(c, rc);
        if (rc == BO_ENOTFOUND)
            fputs("backoffice: hint: create a book with "
                  "`backoffice init CONFIG.yaml`\n", stderr);
        return status;
    }
    return env_key(c);
}

int cli_check(cli *c, int rc)
{
    return rc < 0 ? cli_lib_error(c, rc) : 0;
}

int cli_show(cli *c, int rc, bo_cursor *cursor)
{
    return rc < 0 ? cli_lib_error(c, rc) : cli_render_cursor(c, cursor, NULL);
}

static const cli_command *find_command(const char *name)
{
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

/* Flush stdout and turn a failed write (full disk, closed pipe) into an
 * error instead of a silent truncation. */
static int finish_output(int status)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "backoffice: cannot write output: %s\n", strerror(errno));
        return status == 0 ? CLI_EXIT_OUTPUT : status;
    }
    return status;
}

int main(int argc, char **argv)
{
    cli c = {0};
    c.book_uri = getenv("BACKOFFICE_BOOK");
    c.actor = getenv("BACKOFFICE_ACTOR");
    if (c.actor != NULL && c.actor[0] == '\0')
        c.actor = NULL;
    c.format = CLI_FORMAT_TABLE;
    c.plugin_dir = getenv("BACKOFFICE_PLUGINS");

    int i = 1;
    while (i < argc && strncmp(argv[i], "--", 2) == 0 && argv[i][2] != '\0') {
        const char *arg = argv[i] + 2;
        if (strcmp(arg, "help") == 0) {
            print_usage(stdout);
            return finish_output(CLI_EXIT_OK);
        }
        const char *eq = strchr(arg, '=');
        char name[32];
        size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
        if (len >= sizeof name)
            return cli_usage_error("unknown option --%s (see --help)", arg);
        memcpy(name, arg, len);
        name[len] = '\0';
        const char *value = eq ? eq + 1 : (i + 1 < argc ? argv[i + 1] : NULL);
        if (value == NULL)
            return cli_usage_error("option --%s needs a value", name);
        if (strcmp(name, "plugin") == 0) {
            if (c.nplugin_paths == CLI_MAX_PLUGINS)
                return cli_usage_error("--plugin: at most %d", CLI_MAX_PLUGINS);
            c.plugin_paths[c.nplugin_paths++] = value;
            i += eq ? 1 : 2;
            continue;
        }
        int g = cli_global_opt(&c, name, value);
        if (g < 0)
            return CLI_EXIT_USAGE;
        if (g == 0)
            return cli_usage_error("unknown option --%s (see --help)", name);
        i += eq ? 1 : 2;
    }
    if (i < argc && strcmp(argv[i], "--") == 0)
        i++;
    if (i >= argc) {
        print_usage(stderr);
        return CLI_EXIT_USAGE;
    }
    if (strcmp(argv[i], "help") == 0 || strcmp(argv[i], "-h") == 0) {
        const cli_command *cmd = i + 1 < argc ? find_command(argv[i + 1]) : NULL;
        if (cmd != NULL)
            cli_print_help(stdout, cmd);
        else
            print_usage(stdout);
        return finish_output(CLI_EXIT_OK);
    }
    const cli_command *cmd = find_command(argv[i]);
    if (cmd == NULL)
        return cli_usage_error("unknown command \"%s\" (see --help)", argv[i]);

    int status = cmd->run(&c, cmd, argc - i, argv + i);
    bo_book_free(c.book);
    return finish_output(status);
}
