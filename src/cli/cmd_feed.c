/*
 * backoffice feed VERB: the change feed: read, head, wait, consumers'
 * positions, retention and pruning.
 */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

/* An integer option (0 and negatives pass: the library judges them), or
 * dflt when it was not given. */
static int int_opt(const cli_args *a, const char *name, int64_t dflt, int64_t *out)
{
    const char *text = cli_opt_get(a, name);
    *out = dflt;
    if (!text)
        return 0;
    char *end = NULL;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0')
        return cli_usage_error("--%s must be an integer, not \"%s\"", name, text);
    *out = (int64_t)v;
    return 0;
}

static int int_arg(const char *field, const char *text, int64_t *out)
{
    char *end = NULL;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0')
        return cli_usage_error("%s must be an integer, not \"%s\"", field, text);
    *out = (int64_t)v;
    return 0;
}

static int read_(cli *c, const cli_args *a)
{
    int64_t after, limit;
    int status;
    if ((status = int_opt(a, "after", 0, &after)) != 0 ||
        (status = int_opt(a, "limit", 1000, &limit)) != 0)
        return status;
    if (limit < -1 || limit > BO_FEED_READ_MAX)
        limit = -1; /* the library names it */
    if ((status = cli_open(c)) != 0)
        return status;
    bo_cursor *cur = NULL;
    int rc = bo_feed_read(c->book, after, (int)limit, &cur);
    return cli_show(c, rc, cur);
}

static int show_head(cli *c, int64_t first, int64_t last)
{
    cli_field f[] = {
        {"first", BO_TYPE_INT, first, NULL},
        {"last", BO_TYPE_INT, last, NULL},
    };
    return cli_render_record(c, f, 2, NULL);
}

static int head(cli *c, const cli_args *a)
{
    (void)a;
    int status = cli_open(c);
    if (status != 0)
        return status;
    int64_t first = 0, last = 0;
    int rc = bo_feed_head(c->book, &first, &last);
    return rc < 0 ? cli_lib_error(c, rc) : show_head(c, first, last);
}

static int wait_(cli *c, const cli_args *a)
{
    int64_t after, timeout;
    int status;
    if ((status = int_opt(a, "after", 0, &after)) != 0 ||
        (status = int_opt(a, "timeout", 30000, &timeout)) != 0)
        return status;
    if (timeout > 86400000 || timeout < -1)
        timeout = -1; /* the library names it */
    if ((status = cli_open(c)) != 0)
        return status;
    int64_t last = 0;
    int rc = bo_feed_wait(c->book, after, (int)timeout, &last);
    if (rc < 0)
        return cli_lib_error(c, rc);
    cli_field f[] = {
        {"last", BO_TYPE_INT, last, NULL},
        {"woken", BO_TYPE_INT, last > after, NULL},
    };
    return cli_render_record(c, f, 2, NULL);
}

static int position(cli *c, const cli_args *a)
{
    int status = cli_open(c);
    if (status != 0)
        return status;
    int64_t pos = 0;
    int rc = bo_feed_position(c->book, a->pos[0], &pos);
    if (rc < 0)
        return cli_lib_error(c, rc);
    cli_field f[] = {
        {"consumer", BO_TYPE_TEXT, 0, a->pos[0]},
        {"position", BO_TYPE_INT, pos, NULL},
    };
    return cli_render_record(c, f, 2, NULL);
}

static int save(cli *c, const cli_args *a)
{
    int64_t pos;
    int status = int_arg("POSITION", a->pos[1], &pos);
    if (status != 0 || (status = cli_open(c)) != 0)
        return status;
    return cli_check(c, bo_feed_save(c->book, a->pos[0], pos));
}

static int retention(cli *c, const cli_args *a)
{
    int status = cli_open(c);
    if (status != 0)
        return status;
    int rc;
    if (a->npos == 1) {
        int64_t days;
        if ((status = int_arg("DAYS", a->pos[0], &days)) != 0)
            return status;
        if (days < -1 || days > 100000)
            days = -1; /* the library names it */
        if ((rc = bo_feed_retention_set(c->book, (int)days)) < 0)
            return cli_lib_error(c, rc);
    }
    int days = 0;
    if ((rc = bo_feed_retention(c->book, &days)) < 0)
        return cli_lib_error(c, rc);
    cli_field f[] = { {"retention_days", BO_TYPE_INT, days, NULL} };
    return cli_render_record(c, f, 1, NULL);
}

static int prune(cli *c, const cli_args *a)
{
    (void)a;
    int status = cli_open(c);
    if (status != 0)
        return status;
    int64_t removed = 0;
    int rc = bo_feed_prune(c->book, &removed);
    if (rc < 0)
        return cli_lib_error(c, rc);
    cli_field f[] = { {"removed", BO_TYPE_INT, removed, NULL} };
    return cli_render_record(c, f, 1, NULL);
}

static const cli_sub verbs[] = {
    {{"read", "[--after POSITION] [--limit N]",
      "The events after --after (default 0: from the start), at most --limit\n"
      "(default 1000): position, event_id, at, kind, object. A position older\n"
      "than the retention fails (EEXPIRED), never skips.\n", NULL},
     {"after", "limit"}, 0, 0, read_},
    {{"head", "", "The oldest position kept and the last.\n", NULL}, {0}, 0, 0, head},
    {{"wait", "[--after POSITION] [--timeout MS]",
      "Wait until an event after --after commits or --timeout (default 30000)\n"
      "passes; prints the last position.\n", NULL},
     {"after", "timeout"}, 0, 0, wait_},
    {{"position", "CONSUMER", "The position consumer CONSUMER saved (0: none).\n", NULL},
     {0}, 1, 1, position},
    {{"save", "CONSUMER POSITION",
      "Save POSITION as CONSUMER's position (after the saved one).\n", NULL},
     {0}, 2, 2, save},
    {{"retention", "[DAYS]",
      "Show the retention in days, or set it to DAYS (1 to 3660).\n", NULL},
     {0}, 0, 1, retention},
    {{"prune", "", "Remove the events older than the retention now.\n", NULL},
     {0}, 0, 0, prune},
};

const cli_domain cli_feed_domain = {
    "feed", NULL, "the change feed: events in commit order, consumers, retention",
    verbs, sizeof verbs / sizeof *verbs, NULL, 0,
};
