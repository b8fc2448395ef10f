/*
 * Per-command argument parsing: "--name VALUE", "--name=VALUE", "--" and
 * positional arguments in any order. Single-dash arguments other than -h are
 * positional, so a negative amount or "-" never looks like an option.
 */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void cli_print_help(FILE *fp, const cli_command *cmd)
{
    fprintf(fp, "usage: backoffice [GLOBAL OPTIONS] %s\n\n%s", cmd->synopsis,
            cmd->help);
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
            cli_print_help(stdout, cmd);
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
        return cli_usage_error("%s: unknown option --%.*s (see %s --help)",
                               cmd->name, (int)len, name, cmd->name);
    }
    if (args->npos < min_pos)
        return cli_usage_error("%s: missing arguments\nusage: backoffice %s",
                               cmd->name, cmd->synopsis);
    if (max_pos >= 0 && args->npos > max_pos)
        return cli_usage_error("%s: too many arguments\nusage: backoffice %s",
                               cmd->name, cmd->synopsis);
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

int cli_dispatch(cli *c, const cli_command *cmd, int argc, char **argv,
                 const cli_sub *subs, size_t n, const char *extra_help)
{
    size_t len = strlen(cmd->name);
    if (argc < 2 || !strcmp(argv[1], "help") || !strcmp(argv[1], "--help")) {
        FILE *fp = argc < 2 ? stderr : stdout;
        fprintf(fp, "usage: backoffice %s\n\nsubcommands:\n", cmd->synopsis);
        for (size_t i = 0; i < n; i++) {
            const char *syn = subs[i].cmd.synopsis;
            if (!strncmp(syn, cmd->name, len) && syn[len] == ' ')
                syn += len + 1;
            fprintf(fp, "  %s\n", syn);
        }
        if (extra_help)
            fprintf(fp, "\n%s", extra_help);
        return argc < 2 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
    }
    for (size_t i = 0; i < n; i++)
        if (!strcmp(argv[1], subs[i].cmd.name))
            return cli_run(c, &subs[i].cmd, argc - 1, argv + 1, subs[i].opts,
                           subs[i].min, subs[i].max, subs[i].body);
    return cli_usage_error("%s: unknown subcommand \"%s\" (see `backoffice %s help`)",
                           cmd->name, argv[1], cmd->name);
}
