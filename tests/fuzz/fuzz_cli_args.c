/*
 * The `backoffice` command's argument parser (src/cli/args.c) on hostile
 * argument vectors: the input split at NUL bytes is argv. Each vector is
 * parsed as several commands (no options, two options, several bounds).
 * Properties:
 *  - the parser never reads or writes out of bounds and frees what it
 *    allocates;
 *  - on success, every positional argument is an argv element (never
 *    argv[0]) in order, the count respects the bounds, every option value
 *    points into argv, global options land in the cli state;
 *  - the number parsers accept exactly the positive decimal int64 values.
 */
#include "fuzz_util.h"
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* main.c's reporter, without the output: format the message anyway so the
 * format strings meet the hostile text. */
int cli_usage_error(const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return CLI_EXIT_USAGE;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    /* --help prints the command's help on stdout. */
    if (!freopen("/dev/null", "w", stdout))
        abort();
    return 0;
}

static const cli_command cmd = {"post", "post [options] ARGS", "help text\n", NULL};

static bool in_argv(const char *p, int argc, char **argv, int from)
{
    for (int i = from; i < argc; i++)
        if (p >= argv[i] && p <= argv[i] + strlen(argv[i]))
            return true;
    return false;
}

static void check_parse(int argc, char **argv, const char *const *names,
                        int min_pos, int max_pos)
{
    cli c = {0};
    cli_args a;
    int status = cli_parse(&c, &cmd, argc, argv, names, min_pos, max_pos, &a);
    FZ_ASSERT(status == 0 || status == CLI_EXIT_USAGE, "status %d", status);
    if (status == 0 && !a.help) {
        FZ_ASSERT(a.npos >= min_pos && (max_pos < 0 || a.npos <= max_pos),
                  "%d positional arguments outside %d..%d", a.npos, min_pos,
                  max_pos);
        int last = 0;
        for (int i = 0; i < a.npos; i++) {
            int at = -1;
            for (int k = last + 1; k < argc && at < 0; k++)
                if (a.pos[i] == argv[k])
                    at = k;
            FZ_ASSERT(at > last, "positional %d is not a later argv element", i);
            last = at;
        }
        for (int i = 0; i < a.nopts; i++) {
            FZ_ASSERT(a.opts[i].name == names[i], "option %d name", i);
            const char *v = cli_opt_get(&a, names[i]);
            FZ_ASSERT(v == a.opts[i].value, "cli_opt_get(%s)", names[i]);
            FZ_ASSERT(!v || in_argv(v, argc, argv, 1), "option value outside argv");
        }
        FZ_ASSERT(!c.book_uri || in_argv(c.book_uri, argc, argv, 1), "--book");
        FZ_ASSERT(!c.actor || in_argv(c.actor, argc, argv, 1), "--actor");
        FZ_ASSERT(c.format >= CLI_FORMAT_TABLE && c.format <= CLI_FORMAT_JSON,
                  "format %d", c.format);
    }
    cli_args_free(&a);
}

static void check_int64(const char *text)
{
    int64_t v = -7;
    int status = cli_int64("id", text, &v);
    /* Reference: optional sign, decimal digits only, positive, fits. */
    const char *p = text;
    while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
        p++; /* strtoll skips leading white space; so does the parser */
    bool neg = false;
    if (*p == '+' || *p == '-')
        neg = *p++ == '-';
    bool digits = *p >= '0' && *p <= '9';
    unsigned long long mag = 0;
    bool big = false;
    for (; *p >= '0' && *p <= '9'; p++) {
        if (mag > (unsigned long long)INT64_MAX / 10 ||
            mag * 10 + (unsigned)(*p - '0') > (unsigned long long)INT64_MAX)
            big = true;
        else
            mag = mag * 10 + (unsigned)(*p - '0');
    }
    bool ok = digits && *p == '\0' && !neg && !big && mag > 0;
    FZ_ASSERT((status == 0) == ok, "cli_int64(\"%s\") = %d", text, status);
    if (ok)
        FZ_ASSERT((unsigned long long)v == mag, "cli_int64 value");
    else
        FZ_ASSERT(v == -7 && status == CLI_EXIT_USAGE, "refused, output written");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    enum { MAXARG = 48 };
    if (size > 4096)
        return 0;
    char *f[MAXARG], *buf;
    int n = fz_split(data, size, f, MAXARG, &buf);
    char *argv[MAXARG + 2];
    argv[0] = (char *)"post";
    for (int i = 0; i < n; i++)
        argv[i + 1] = f[i];
    int argc = n + 1;
    argv[argc] = NULL;

    static const char *const two[] = {"date", "memo", NULL};
    static const char *const eight[] = {"a", "b", "c", "d", "e", "f", "g", "key",
                                        NULL};
    check_parse(argc, argv, NULL, 0, 0);
    check_parse(argc, argv, NULL, 0, -1);
    check_parse(argc, argv, two, 1, -1);
    check_parse(argc, argv, eight, 2, 3);
    for (int i = 1; i < argc && i < 8; i++) {
        check_int64(argv[i]);
        /* cli_date reports refusals on stderr: only valid dates here (the
         * date target covers the parser itself). */
        bo_date d, want;
        if (bo_date_parse(argv[i], &want) == 0)
            FZ_ASSERT(cli_date("date", argv[i], &d) == 0 && d == want, "cli_date");
        cli c = {0};
        int g = cli_global_opt(&c, "format", argv[i]);
        FZ_ASSERT(g == 1 || g == -1, "--format: %d", g);
    }
    free(buf);
    return 0;
}
