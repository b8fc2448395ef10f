/*
 * Per-command argument parsing: "--name VALUE", "--name=VALUE", "--" and
 * positional arguments in any order. Single-dash arguments other than -h are
 * positional, so a negative amount or "-" never looks like an option.
 */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cli_synopsis(const cli *c, const cli_command *cmd, int alias, char *buf,
                  size_t size)
{
    const char *domain = alias || c->domain == NULL ? "" : c->domain->name;
    snprintf(buf, size, "%s%s%s%s%s", domain, domain[0] ? " " : "", cmd->name,
             cmd->synopsis[0] ? " " : "", cmd->synopsis);
}

void cli_print_help(const cli *c, FILE *fp, const cli_command *cmd)
{
    char syn[1024];
    cli_synopsis(c, cmd, c->via_alias, syn, sizeof syn);
    fprintf(fp, "usage: backoffice [GLOBAL OPTIONS] %s\n", syn);
    if (c->domain != NULL && c->domain->aliases == CLI_ALIASES) {
        cli_synopsis(c, cmd, !c->via_alias, syn, sizeof syn);
        fprintf(fp, "   or: backoffice [GLOBAL OPTIONS] %s\n", syn);
    }
    fprintf(fp, "\n%s", cmd->help);
}

/* How the verb was named: "DOMAIN VERB", or "VERB" by its alias. */
static void invoked(const cli *c, const cli_command *cmd, char *buf, size_t size)
{
    if (c->via_alias || c->domain == NULL)
        snprintf(buf, size, "%s", cmd->name);
    else
        snprintf(buf, size, "%s %s", c->domain->name, cmd->name);
}

int cli_global_opt(cli *c, const char *name, const char *value)
{
    if (strcmp(name, "book") == 0) {
        c->book_uri = value;
        return 1;
    }
    if (strcmp(name, "actor") == 0) {
        c->actor = value[0] != '\0' ? value : NULL;
        return 1;
    }
    if (strcmp(name, "format") == 0) {
        if (strcmp(value, "table") == 0)
            c->format = CLI_FORMAT_TABLE;
        else if (strcmp(value, "csv") == 0)
            c->format = CLI_FORMAT_CSV;
        else if (strcmp(value, "json") == 0)
            c->format = CLI_FORMAT_JSON;
        else {
            cli_usage_error("--format must be table, csv or json, not \"%s\"",
                            value);
            return -1;
        }
        return 1;
    }
    return 0;
}

/* 1 for an option taking a value, 2 for a flag ("+name" in names), 0 for
 * neither. */
static int allowed(const char *const *names, const char *name, size_t len)
{
    for (size_t i = 0; names != NULL && names[i] != NULL; i++) {
        const char *n = names[i] + (names[i][0] == '+');
        if (strlen(n) == len && strncmp(n, name, len) == 0)
            return names[i][0] == '+' ? 2 : 1;
    }
    return 0;
}

static int set_opt(cli_args *args, const char *name, size_t len,
                   const char *value)
{
    for (int i = 0; i < args->nopts; i++) {
        if (strlen(args->opts[i].name) == len &&
            strncmp(args->opts[i].name, name, len) == 0) {
            args->opts[i].value = value; /* the last one wins */
            return 0;
        }
    }
    return -1;
}

int cli_parse(cli *c, const cli_command *cmd, int argc, char **argv,
              const char *const *names, int min_pos, int max_pos,
              cli_args *args)
{
    memset(args, 0, sizeof *args);
    args->pos = calloc((size_t)argc + 1, sizeof *args->pos);
    if (args->pos == NULL)
        return cli_usage_error("out of memory");
    for (int i = 0; names != NULL && names[i] != NULL && i < CLI_MAX_OPTS; i++)
        args->opts[args->nopts++].name = names[i] + (names[i][0] == '+');

    int only_pos = 0;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (only_pos || arg[0] != '-' || strcmp(arg, "-") == 0 ||
            (arg[1] != '-' && strcmp(arg, "-h") != 0)) {
            args->pos[args->npos++] = arg;
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            only_pos = 1;
            continue;
        }
        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            cli_print_help(c, stdout, cmd);
            args->help = 1;
            return 0;
        }
        const char *name = arg + 2;
        const char *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        if (allowed(names, name, len) == 2) { /* a flag takes no value */
            if (eq)
                return cli_usage_error("%s: option --%.*s takes no value", cmd->name,
                                       (int)len, name);
            set_opt(args, name, len, "yes");
            continue;
        }
        const char *value = eq ? eq + 1 : (i + 1 < argc ? argv[i + 1] : NULL);
        if (value == NULL)
            return cli_usage_error("%s: option --%.*s needs a value", cmd->name,
                                   (int)len, name);
        if (!eq)
            i++;
        if (allowed(names, name, len)) {
            set_opt(args, name, len, value);
            continue;
        }
        char gname[16];
        if (len < sizeof gname) {
            memcpy(gname, name, len);
            gname[len] = '\0';
            int g = cli_global_opt(c, gname, value);
            if (g < 0)
                return CLI_EXIT_USAGE;
            if (g > 0)
                continue;
        }
        char how[128];
        invoked(c, cmd, how, sizeof how);
        return cli_usage_error("%s: unknown option --%.*s (see `backoffice %s --help`)",
                               cmd->name, (int)len, name, how);
    }
    if (args->npos < min_pos || (max_pos >= 0 && args->npos > max_pos)) {
        char syn[1024];
        cli_synopsis(c, cmd, c->via_alias, syn, sizeof syn);
        return cli_usage_error("%s: %s arguments\nusage: backoffice %s", cmd->name,
                               args->npos < min_pos ? "missing" : "too many", syn);
    }
    return 0;
}

void cli_args_free(cli_args *args)
{
    free(args->pos);
    args->pos = NULL;
    args->npos = 0;
}

int cli_run(cli *c, const cli_command *cmd, int argc, char **argv,
            const char *const *names, int min_pos, int max_pos, cli_body body)
{
    cli_args a;
    c->cmd = cmd;
    int status = cli_parse(c, cmd, argc, argv, names, min_pos, max_pos, &a);
    if (status == 0 && !a.help)
        status = body(c, &a);
    cli_args_free(&a);
    return status;
}

const char *cli_opt_get(const cli_args *args, const char *name)
{
    for (int i = 0; i < args->nopts; i++)
        if (strcmp(args->opts[i].name, name) == 0)
            return args->opts[i].value;
    return NULL;
}

int cli_opt_date(const cli_args *args, const char *name, bo_date dflt,
                 bo_date *out)
{
    const char *text = cli_opt_get(args, name);
    if (text == NULL) {
        *out = dflt;
        return 0;
    }
    char field[24];
    snprintf(field, sizeof field, "--%s", name);
    return cli_date(field, text, out);
}

int cli_date(const char *field, const char *text, bo_date *out)
{
    int rc = bo_date_parse(text, out);
    if (rc < 0) {
        fprintf(stderr, "backoffice: %s: %s: %s\n", bo_error_name(rc), field,
                bo_error_message());
        return CLI_EXIT_LIBRARY;
    }
    return 0;
}

int cli_int64(const char *field, const char *text, int64_t *out)
{
    char *end = NULL;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || v <= 0)
        return cli_usage_error("%s must be a positive integer, not \"%s\"",
                               field, text);
    *out = (int64_t)v;
    return 0;
}

/* A bad field or value of a set verb, reported as the library reports a
 * bad argument: "backoffice: EINVAL: MESSAGE", exit CLI_EXIT_LIBRARY. */
static int change_error(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

static int change_error(const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fprintf(stderr, "backoffice: %s: ", bo_error_name(BO_EINVAL));
    cli_fputs_escaped(msg, stderr);
    fputc('\n', stderr);
    return CLI_EXIT_LIBRARY;
}

int cli_change(void *changes, const cli_member *members, size_t n, const char *what,
               const char *field, const char *value)
{
    size_t i = 0;
    while (i < n && strcmp(members[i].name, field) != 0)
        i++;
    if (i == n)
        return change_error("field: '%.32s' is not %s field", field, what);
    void *p = (char *)changes + members[i].off;
    if (members[i].kind == 't') {
        *(const char **)p = value ? value : ""; /* "" clears */
        return 0;
    }
    if (!value)
        return change_error("%s: needs a value", field);
    if (members[i].kind == 'f' && (!strcmp(value, "true") || !strcmp(value, "yes")))
        value = "1";
    else if (members[i].kind == 'f' && (!strcmp(value, "false") || !strcmp(value, "no")))
        value = "0";
    char *end;
    errno = 0;
    long v = strtol(value, &end, 10);
    if (!*value || *end || errno || v < 0 || v > 1000000)
        return change_error("%s: '%.32s' is not %s", field, value,
                               members[i].kind == 'f' ? "1 or 0" : "a whole number");
    *(int *)p = (int)v;
    return 0;
}

int cli_read_text(const char *path, size_t max, char **out)
{
    return cli_read_file(path, max, out, NULL);
}

int cli_read_file(const char *path, size_t max, char **out, size_t *size)
{
    *out = NULL;
    if (size)
        *size = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return cli_usage_error("%s: cannot open", path);
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    for (size_t n; buf && (n = fread(buf + len, 1, cap - len - 1, f)) > 0;) {
        len += n;
        if (len > max) {
            free(buf);
            fclose(f);
            return cli_usage_error("%s: larger than %zu bytes", path, max);
        }
        if (len + 1 == cap) {
            char *p = realloc(buf, cap * 2);
            if (!p) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = p;
            cap *= 2;
        }
    }
    fclose(f);
    if (!buf)
        return cli_usage_error("%s: out of memory", path);
    buf[len] = '\0';
    *out = buf;
    if (size)
        *size = len;
    return 0;
}
