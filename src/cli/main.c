/*
 * backoffice: the command-line face of libbackoffice.
 *
 * Global options, the list of domains, dispatch, help and error reporting.
 * Every command is `backoffice DOMAIN VERB`; each domain's verbs are its
 * cli_domain's table (cmd_<domain>.c), and dispatch and every help text
 * read those tables only. The top-level commands of 0.2 are the verbs of
 * the domains marked CLI_ALIASES, found by their own name; the domains that
 * were commands of 0.2 answer to that name too ("document").
 */
#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* The domains, in the order help lists them. */
static const cli_domain *const domains[] = {
    &cli_book_domain,      &cli_ledger_domain,    &cli_commerce_domain,
    &cli_inventory_domain, &cli_billing_domain,   &cli_payroll_domain,
    &cli_documents_domain, &cli_people_domain,    &cli_audit_domain,
    &cli_security_domain,  &cli_approval_domain,  &cli_label_domain,
    &cli_report_domain,    &cli_feed_domain,      &cli_sync_domain,
};

#define N_DOMAINS (sizeof domains / sizeof domains[0])

static const cli_domain *find_domain(const char *name)
{
    for (size_t i = 0; i < N_DOMAINS; i++)
        if (strcmp(domains[i]->name, name) == 0 ||
            (domains[i]->v02 != NULL && strcmp(domains[i]->v02, name) == 0))
            return domains[i];
    return NULL;
}

static const cli_sub *find_verb(const cli_domain *d, const char *name)
{
    for (size_t i = 0; i < d->nverbs; i++)
        if (strcmp(d->verbs[i].cmd.name, name) == 0)
            return &d->verbs[i];
    return NULL;
}

/* A top-level alias: a verb of a CLI_ALIASES domain, by its own name. */
static const cli_sub *find_alias(const char *name, const cli_domain **domain)
{
    for (size_t i = 0; i < N_DOMAINS; i++) {
        const cli_sub *v = domains[i]->aliases == CLI_ALIASES ? find_verb(domains[i], name)
                                                              : NULL;
        if (v != NULL) {
            *domain = domains[i];
            return v;
        }
    }
    return NULL;
}

static void print_usage(FILE *fp)
{
    fputs("usage: backoffice [GLOBAL OPTIONS] DOMAIN VERB [ARGS...]\n\n"
          "domains:\n", fp);
    for (size_t i = 0; i < N_DOMAINS; i++)
        fprintf(fp, "  %-10s %s\n", domains[i]->name, domains[i]->summary);
    fputs("\n"
          "`backoffice help DOMAIN` lists a domain's verbs; `backoffice DOMAIN VERB\n"
          "--help` describes one.\n\n"
          "The commands of 0.2 keep working: each one below is an alias of the\n"
          "tree form after its =, or a domain.\n\n"
          "commands:\n", fp);
    for (size_t i = 0; i < N_DOMAINS; i++) {
        const cli_domain *d = domains[i];
        if (d->v02 != NULL && strcmp(d->v02, d->name) == 0)
            fprintf(fp, "  %-18s the domain, as in 0.2\n", d->v02);
        else if (d->v02 != NULL)
            fprintf(fp, "  %-18s = %s\n", d->v02, d->name);
        for (size_t k = 0; d->aliases == CLI_ALIASES && k < d->nverbs; k++)
            fprintf(fp, "  %-18s = %s %s\n", d->verbs[k].cmd.name, d->name,
                    d->verbs[k].cmd.name);
    }
    fputs("\n"
          "global options:\n"
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
          "  --version        the versions of the program, the library and the book\n"
          "                   schema (`backoffice book version`)\n"
          "  --help           this text\n\n"
          "exit status: 0 success, 1 usage error (an unknown domain, verb or option\n"
          "among them), 2 the library refused or failed, 3 output could not be\n"
          "written.\n", fp);
}

/* A domain's verbs: on stdout when asked for, on stderr (exit 1) when the
 * verb is missing. */
static int domain_help(const cli_domain *d, int asked)
{
    FILE *fp = asked ? stdout : stderr;
    fprintf(fp, "usage: backoffice [GLOBAL OPTIONS] %s VERB [ARGS...]\n\n%s: %s\n\n"
            "subcommands:\n", d->name, d->name, d->summary);
    for (size_t i = 0; i < d->nverbs; i++) {
        const cli_command *v = &d->verbs[i].cmd;
        fprintf(fp, "  %s%s%s\n", v->name, v->synopsis[0] ? " " : "", v->synopsis);
    }
    if (d->notes != NULL)
        fprintf(fp, "\n%s", d->notes);
    if (d->aliases == CLI_ALIASES)
        fprintf(fp, "\nEach verb is also a top-level command, as in 0.2: `backoffice %s`\n"
                "is `backoffice %s %s`.\n", d->verbs[0].cmd.name, d->name,
                d->verbs[0].cmd.name);
    if (d->v02 != NULL && strcmp(d->v02, d->name) != 0)
        fprintf(fp, "\n`backoffice %s VERB`, the name of 0.2, is the same.\n", d->v02);
    return asked ? CLI_EXIT_OK : CLI_EXIT_USAGE;
}

static int unknown_command(const char *name)
{
    return cli_usage_error("unknown command \"%s\": neither a domain nor a command "
                           "(see `backoffice --help`)", name);
}

static int unknown_verb(const cli_domain *d, const char *name)
{
    return cli_usage_error("%s: unknown subcommand \"%s\" (see `backoffice help %s`)",
                           d->name, name, d->name);
}

/* Run verb @p v of @p d with argv[0] its name. */
static int run_verb(cli *c, const cli_domain *d, const cli_sub *v, int via_alias,
                    int argc, char **argv)
{
    c->domain = d;
    c->via_alias = via_alias;
    if (v->cmd.run != NULL)
        return v->cmd.run(c, &v->cmd, argc, argv);
    return cli_run(c, &v->cmd, argc, argv, v->opts, v->min, v->max, v->body);
}

/* `backoffice help [DOMAIN [VERB] | ALIAS]`: argv[0] is "help". */
static int help(cli *c, int argc, char **argv)
{
    if (argc < 2) {
        print_usage(stdout);
        return CLI_EXIT_OK;
    }
    const cli_domain *d = find_domain(argv[1]);
    const cli_sub *v = NULL;
    if (d == NULL) {
        if ((v = find_alias(argv[1], &d)) == NULL)
            return unknown_command(argv[1]);
        c->via_alias = 1;
    } else if (argc < 3) {
        return domain_help(d, 1);
    } else if ((v = find_verb(d, argv[2])) == NULL) {
        return unknown_verb(d, argv[2]);
    }
    if (argc > (c->via_alias ? 2 : 3))
        return cli_usage_error("help: too many arguments");
    c->domain = d;
    cli_print_help(c, stdout, &v->cmd);
    return CLI_EXIT_OK;
}

/* argv[0] is a domain's name, an alias or neither. */
static int dispatch(cli *c, int argc, char **argv)
{
    const cli_domain *d = find_domain(argv[0]);
    if (d == NULL) {
        const cli_sub *v = find_alias(argv[0], &d);
        return v != NULL ? run_verb(c, d, v, 1, argc, argv) : unknown_command(argv[0]);
    }
    if (argc < 2)
        return domain_help(d, 0);
    if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 ||
        strcmp(argv[1], "-h") == 0) {
        if (argc < 3)
            return domain_help(d, 1);
        argv[1] = argv[0]; /* "help DOMAIN VERB" */
        return help(c, argc, argv);
    }
    const cli_sub *v = find_verb(d, argv[1]);
    if (v == NULL)
        return unknown_verb(d, argv[1]);
    return run_verb(c, d, v, 0, argc - 1, argv + 1);
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

int cli_parse_key(const char *text, size_t len, unsigned char key[BO_DOCUMENT_ENCRYPTION_KEY_BYTES])
{
    while (len && isspace((unsigned char)text[len - 1]))
        len--;
    while (len && isspace((unsigned char)*text)) {
        text++;
        len--;
    }
    if (len != 2 * BO_DOCUMENT_ENCRYPTION_KEY_BYTES)
        return -1;
    for (size_t i = 0; i < BO_DOCUMENT_ENCRYPTION_KEY_BYTES; i++) {
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
    unsigned char key[BO_DOCUMENT_ENCRYPTION_KEY_BYTES];
    if (cli_parse_key(env, strlen(env), key) != 0)
        return cli_usage_error("BACKOFFICE_DOC_KEY: expected 64 hex digits");
    int rc = bo_document_set_encryption_key(c->book, key, sizeof key);
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

    int i = 1, version = 0;
    while (i < argc && strncmp(argv[i], "--", 2) == 0 && argv[i][2] != '\0') {
        const char *arg = argv[i] + 2;
        if (strcmp(arg, "help") == 0) {
            print_usage(stdout);
            return finish_output(CLI_EXIT_OK);
        }
        if (strcmp(arg, "version") == 0) { /* once the other options are read */
            version = 1;
            i++;
            continue;
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
    int status;
    if (version) {
        if (i < argc)
            return cli_usage_error("--version takes no command (\"%s\" given)", argv[i]);
        char name[] = "version";
        char *vargv[] = {name, NULL};
        status = run_verb(&c, &cli_book_domain, find_verb(&cli_book_domain, name), 0, 1,
                          vargv);
    } else if (i >= argc) {
        print_usage(stderr);
        return CLI_EXIT_USAGE;
    } else if (strcmp(argv[i], "help") == 0 || strcmp(argv[i], "-h") == 0) {
        status = help(&c, argc - i, argv + i);
    } else {
        status = dispatch(&c, argc - i, argv + i);
    }
    bo_book_free(c.book);
    return finish_output(status);
}
