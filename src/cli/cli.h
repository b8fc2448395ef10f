/*
 * The `backoffice` command: shared declarations of its parts.
 *
 * Every command is `backoffice DOMAIN VERB [ARGS...]`. Each domain file
 * (cmd_<domain>.c) exports one cli_domain: its name, its verbs (cli_sub
 * entries) and their help; main.c lists the domains once, and both dispatch
 * and every help text are made from that list, so they cannot drift. The
 * top-level commands of 0.2 ("post", "accounts" ...) are the verbs of the
 * domains marked CLI_ALIASES: also reachable by their own name.
 *
 * main.c parses the global options and dispatches, args.c parses each
 * verb's own options (cli_run() parses, then calls the verb's body),
 * output.c renders results, and the domain files do the work through the
 * public API only. cmd_query.c serves, from one table, the verbs that only
 * call one function returning a cursor.
 */
#ifndef BO_CLI_H
#define BO_CLI_H

#include <backoffice.h>

#include <stddef.h>
#include <stdio.h>

/* Exit statuses: distinct so scripts can tell a typo from a refusal. */
#define CLI_EXIT_OK 0
#define CLI_EXIT_USAGE 1
#define CLI_EXIT_LIBRARY 2
#define CLI_EXIT_OUTPUT 3

/* Output formats. */
enum cli_format { CLI_FORMAT_TABLE = 0, CLI_FORMAT_CSV = 1, CLI_FORMAT_JSON = 2 };

/* Most --plugin options. */
#define CLI_MAX_PLUGINS 16

/* Most options a command accepts. */
#define CLI_MAX_OPTS 10

struct cli_command;
struct cli_domain;

/* The state shared by every command. */
typedef struct cli {
    const char *book_uri; /* --book, or BACKOFFICE_BOOK, or NULL */
    const char *actor;    /* --actor, or BACKOFFICE_ACTOR, or NULL */
    int format;           /* a cli_format */
    bo_book *book;        /* opened on demand by cli_open() */
    const struct cli_command *cmd; /* the command cli_run() is running */
    const struct cli_domain *domain; /* the domain of the verb being run */
    int via_alias; /* the verb was named by its top-level alias */
    /* --plugin paths and $BACKOFFICE_PLUGINS, loaded by cli_plugins() only
     * when a command opens a book. */
    const char *plugin_paths[CLI_MAX_PLUGINS];
    int nplugin_paths;
    const char *plugin_dir;
    int plugins_loaded;
} cli;

/* One command option: "--name VALUE" or "--name=VALUE". */
typedef struct cli_opt {
    const char *name;  /* without the dashes */
    const char *value; /* NULL unless given */
} cli_opt;

/* A command's arguments after parsing. */
typedef struct cli_args {
    int npos;
    const char **pos; /* npos pointers into argv; free with cli_args_free() */
    int nopts;
    cli_opt opts[CLI_MAX_OPTS];
    int help; /* --help was given */
} cli_args;

/* A verb: its name, the synopsis of its arguments (without the domain and
 * verb names, which help texts add: "" when it takes none), longer help, and
 * a handler when the verb parses its own arguments (it calls cli_run()); with
 * none, the verb's cli_sub entry says how. */
typedef struct cli_command {
    const char *name;
    const char *synopsis;
    const char *help;
    int (*run)(cli *c, const struct cli_command *cmd, int argc, char **argv);
} cli_command;

/* ---- args.c: "set CODE FIELD [VALUE]" verbs ------------------------------- */

/* A member of a library changes struct (bo_party_changes...) that a set
 * verb names: its name, its offset, and its kind: 't' text (no VALUE
 * clears it), 'f' a flag (1/0), 'i' a whole number. */
typedef struct cli_member {
    const char *name;
    size_t off;
    char kind;
} cli_member;

/* Set the member named @p field of @p changes (initialised by the caller,
 * every member unchanged) from @p value. Returns 0 or an exit status
 * (reported like a library EINVAL): an unknown field is "field: 'F' is
 * not WHAT field". */
int cli_change(void *changes, const cli_member *members, size_t n, const char *what,
               const char *field, const char *value);

/* ---- main.c -------------------------------------------------------------- */

/* Print "backoffice: MESSAGE" on stderr and return CLI_EXIT_USAGE. */
int cli_usage_error(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* Report the library's last error ("backoffice: NAME: MESSAGE") for @p rc
 * and return CLI_EXIT_LIBRARY. */
int cli_lib_error(cli *c, int rc);

/* Load the plugins named by --plugin and $BACKOFFICE_PLUGINS (once): for
 * the commands that open or create a book only, so --help, version and the
 * like run no plugin code. Returns 0 or an exit status (already reported). */
int cli_plugins(cli *c);

/* Open c->book (once) from c->book_uri with c->actor, after cli_plugins(),
 * and give it the host's key from BACKOFFICE_DOC_KEY when that is set (the
 * key of confidential documents and employee identifiers). Returns 0 or an
 * exit status (already reported). */
int cli_open(cli *c);

/* 64 hex digits (surrounding white space ignored) into a key. 0 or -1. */
int cli_parse_key(const char *text, size_t len, unsigned char key[BO_DOCUMENT_ENCRYPTION_KEY_BYTES]);

/* The exit status of a library call that printed nothing: 0 when @p rc is
 * not negative, else cli_lib_error(c, rc). */
int cli_check(cli *c, int rc);

/* The exit status of a library call that returned @p cursor: on failure
 * (@p rc < 0) the error is reported, else the cursor is rendered (and
 * freed) by cli_render_cursor(). */
int cli_show(cli *c, int rc, bo_cursor *cursor);

/* ---- args.c -------------------------------------------------------------- */

/* Parse argv[1..argc-1] of command @p cmd: options named in @p names (a
 * NULL-terminated list, without dashes) take one value each, except flags,
 * named with a leading '+' ("+chain-only"), which take none (their value
 * reads "yes"); the global
 * options --book, --actor and --format are accepted anywhere and stored in
 * @p c; "--" ends the options. @p min_pos/@p max_pos bound the positional
 * arguments (max_pos < 0: no limit). Returns 0 or an exit status (already
 * reported); with --help it prints the command's help and sets args->help.
 * Call cli_args_free() in every case. */
int cli_parse(cli *c, const cli_command *cmd, int argc, char **argv,
              const char *const *names, int min_pos, int max_pos,
              cli_args *args);

/* Release what cli_parse() allocated. */
void cli_args_free(cli_args *args);

/* What a command does once its arguments are parsed: returns 0 or an exit
 * status (already reported). c->cmd is the command. */
typedef int (*cli_body)(cli *c, const cli_args *args);

/* Run a command: set c->cmd, parse argv as cli_parse() does, call @p body
 * unless parsing failed or --help was given, and free the arguments.
 * Returns the exit status. */
int cli_run(cli *c, const cli_command *cmd, int argc, char **argv,
            const char *const *names, int min_pos, int max_pos, cli_body body);

/* The value of option @p name, or NULL when it was not given. */
const char *cli_opt_get(const cli_args *args, const char *name);

/* Apply a global option (name without dashes) to @p c. Returns 1 if
 * @p name is a global option and was applied, 0 if it is not a global
 * option, -1 for a bad value (already reported). */
int cli_global_opt(cli *c, const char *name, const char *value);

/* A verb of a domain ("backoffice inventory receive ..."): its name,
 * synopsis and help, its options (NULL-terminated; none: {0}), its
 * positional argument bounds and what it does (cli_run() with these), unless
 * cmd.run is set: then cmd.run is called with the verb's arguments. */
typedef struct cli_sub {
    cli_command cmd;
    const char *opts[CLI_MAX_OPTS];
    int min, max;
    cli_body body;
} cli_sub;

/* A domain of the command tree: `backoffice NAME VERB [ARGS...]`. */
typedef struct cli_domain {
    const char *name;    /* "documents" */
    const char *v02;     /* its top-level command in 0.2 ("document"), still
                            accepted as its name; NULL: it had none */
    const char *summary; /* one line for `backoffice --help` */
    const cli_sub *verbs;
    size_t nverbs;
    const char *notes; /* printed after the list of verbs, or NULL */
    int aliases; /* CLI_ALIASES: each verb is also a top-level command */
} cli_domain;

/* cli_domain.aliases: `backoffice VERB` is `backoffice DOMAIN VERB`, for
 * each verb of the domain. The domains whose verbs were the top-level
 * commands of 0.2 (book, ledger, commerce, security) keep them so. A verb
 * added to one of them gets a top-level name too, unless a domain has that
 * name (domains are looked up first). */
#define CLI_ALIASES 1

/* The domains, one per file (main.c lists them, in this order). */
extern const cli_domain cli_book_domain;
extern const cli_domain cli_ledger_domain;
extern const cli_domain cli_commerce_domain;
extern const cli_domain cli_inventory_domain;
extern const cli_domain cli_billing_domain;
extern const cli_domain cli_payroll_domain;
extern const cli_domain cli_documents_domain;
extern const cli_domain cli_people_domain;
extern const cli_domain cli_audit_domain;
extern const cli_domain cli_security_domain;
extern const cli_domain cli_approval_domain;
extern const cli_domain cli_label_domain;
extern const cli_domain cli_report_domain;
extern const cli_domain cli_feed_domain;
extern const cli_domain cli_sync_domain;

/* serve.c: `backoffice serve`, the dashboard over HTTP (a verb of the book
 * domain; without libmicrohttpd it says it was not built). */
int cli_serve(cli *c, const cli_args *a);

/* In a verb's body: open the book, or return the exit status. */
#define OPEN(c) do { int st_ = cli_open(c); if (st_) return st_; } while (0)
/* In a verb's body: return the library's error of expr as an exit status. */
#define CHECK(c, expr) do { int rc_ = (expr); if (rc_ < 0) return cli_lib_error(c, rc_); } while (0)

/* cmd_inventory.c: the item's scale, to read its quantities (0, or the
 * library's error); an amount typed in the book's currency. */
int cli_inv_item_scale(cli *c, const char *sku, int *scale);
int cli_inv_money(cli *c, const char *text, int64_t *out);
/* cmd_inventory_pricing.c: the verbs of units, price lists and promotions
 * (listed in cmd_inventory.c's table). */
int cli_inv_unit_set(cli *c, const cli_args *a);
int cli_inv_unit_convert(cli *c, const cli_args *a);
int cli_inv_pricing_listing(cli *c, const cli_args *a);
int cli_inv_group_set(cli *c, const cli_args *a);
int cli_inv_pricelist_add(cli *c, const cli_args *a);
int cli_inv_pricelist_price(cli *c, const cli_args *a);
int cli_inv_promotion_set(cli *c, const cli_args *a);

/* Parse a date argument. Returns 0 or an exit status (already reported:
 * the library's own message, which quotes the text). */
int cli_date(const char *field, const char *text, bo_date *out);

/* Parse the date option @p name (without dashes), or set @p dflt when it
 * was not given. Returns 0 or an exit status (already reported). */
int cli_opt_date(const cli_args *args, const char *name, bo_date dflt,
                 bo_date *out);

/* Read the text file path (at most max bytes) into *out, NUL-terminated
 * (free() it). Returns 0 or an exit status (already reported). */
int cli_read_text(const char *path, size_t max, char **out);
/* The same, with the number of bytes read in *size (a file may hold NUL
 * bytes): the one file reader of the commands. */
int cli_read_file(const char *path, size_t max, char **out, size_t *size);

/* Parse a positive int64 (entry ids, sequence numbers). Returns 0 or an exit
 * status (already reported). */
int cli_int64(const char *field, const char *text, int64_t *out);

/* Print the help text of verb @p cmd of c->domain on @p fp: its usage as
 * invoked (by its alias when c->via_alias), then the other form, then its
 * help. */
void cli_print_help(const cli *c, FILE *fp, const cli_command *cmd);

/* Write into @p buf how verb @p cmd of c->domain is invoked with its
 * arguments: "DOMAIN VERB SYNOPSIS", or "VERB SYNOPSIS" with @p alias. */
void cli_synopsis(const cli *c, const cli_command *cmd, int alias, char *buf,
                  size_t size);

/* ---- output.c ------------------------------------------------------------ */

/* A field of a single-record result (post, balance, audit head ...). */
typedef struct cli_field {
    const char *name;
    int type;         /* BO_TYPE_INT, BO_TYPE_TEXT or BO_TYPE_NULL */
    int64_t i;        /* for BO_TYPE_INT */
    const char *text; /* for BO_TYPE_TEXT */
} cli_field;

/* Render every row of @p cursor in c->format on stdout and free the cursor.
 * Which integer columns are money and which are quantities is declared once,
 * by column name, in output.c: tables and CSV show money as decimals of the
 * row's "currency" column (or @p default_currency; NULL: the open book's
 * base currency) and quantities at the row's "scale"; JSON keeps integers,
 * next to their currency and scale. CSV cells of text that would start a
 * spreadsheet formula are neutralised; tables escape control characters.
 * Nothing is printed unless the whole cursor was read without error (the
 * error is then reported alone).
 * Returns 0 or an exit status (already reported). */
int cli_render_cursor(cli *c, bo_cursor *cursor, const char *default_currency);

/* Render one record of @p n fields (a JSON object rather than an array).
 * Money columns as for cli_render_cursor(). */
int cli_render_record(cli *c, const cli_field *fields, int n,
                      const char *default_currency);
/* A record of one integer field (the id a verb made, a count). */
int cli_render_int(cli *c, const char *name, int64_t v);

/* Write @p text to @p fp with control characters escaped as in tables
 * (messages that may quote stored text). */
void cli_fputs_escaped(const char *text, FILE *fp);

/* A one-row "document" cursor (a payslip, an export): with table output the
 * text of its first column is printed as it is, except control characters
 * other than line breaks and tabs, which are escaped; other formats render
 * the cursor. Frees the cursor. Returns 0 or an exit status. */
int cli_render_document(cli *c, bo_cursor *cursor);

/* ---- cmd_query.c ---------------------------------------------------------- */

/* The body of the read-only verbs that call one library function returning
 * a cursor (accounts, periods, year-closings, roles, tax-rates,
 * tax-categories, trial-balance, balance-sheet, income-statement):
 * cmd_query.c's table says which function, by the verb's name (c->cmd). */
int cli_query(cli *c, const cli_args *a);

#endif
