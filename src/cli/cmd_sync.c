/*
 * backoffice sync VERB: an offline terminal (a local book that keeps an
 * outbox of its sales) and its synchronisation with the central book:
 * setting a book up as a terminal, its status and outbox, the sync itself,
 * resubmitting a quarantined command, and on the central book what was
 * received and the stock.negative report.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static int setup(cli *c, const cli_args *a)
{
    OPEN(c);
    int rc = bo_terminal_setup(c->book, a->pos[0], a->pos[1]);
    if (rc >= 0 && (cli_opt_get(a, "max-queued") || cli_opt_get(a, "max-value") ||
                    cli_opt_get(a, "max-offline-hours"))) {
        int64_t q = 0, v = 0, h = 0;
        int st;
        if ((cli_opt_get(a, "max-queued") &&
             (st = cli_int64("--max-queued", cli_opt_get(a, "max-queued"), &q)) != 0) ||
            (cli_opt_get(a, "max-value") &&
             (st = cli_int64("--max-value", cli_opt_get(a, "max-value"), &v)) != 0) ||
            (cli_opt_get(a, "max-offline-hours") &&
             (st = cli_int64("--max-offline-hours", cli_opt_get(a, "max-offline-hours"),
                             &h)) != 0))
            return st;
        rc = bo_terminal_limits(c->book, q, v, h);
    }
    return cli_check(c, rc);
}

static int status(cli *c, const cli_args *a)
{
    (void)a;
    OPEN(c);
    bo_terminal_status s = BO_TERMINAL_STATUS_INIT;
    int rc = bo_terminal_status_get(c->book, &s);
    if (rc < 0)
        return cli_lib_error(c, rc);
    cli_field f[] = {
        {"queued", BO_TYPE_INT, s.queued, NULL},
        {"queued_value", BO_TYPE_INT, s.queued_value, NULL},
        {"quarantined", BO_TYPE_INT, s.quarantined, NULL},
        {"synced", BO_TYPE_INT, s.synced, NULL},
        {"next_seq", BO_TYPE_INT, s.next_seq, NULL},
        {"next_receipt", BO_TYPE_INT, s.next_receipt, NULL},
        {"server_offset", BO_TYPE_INT, s.server_offset, NULL},
        {"offline_seconds", BO_TYPE_INT, s.offline_seconds, NULL},
        {"warnings", BO_TYPE_INT, s.warnings, NULL},
    };
    return cli_render_record(c, f, 9, NULL);
}

static int run(cli *c, const cli_args *a)
{
    bo_sync_options o = BO_SYNC_OPTIONS_INIT;
    const char *batch = cli_opt_get(a, "batch");
    if (batch) {
        int64_t b;
        int st = cli_int64("--batch", batch, &b);
        if (st)
            return st;
        if (b < 1 || b > 100000)
            return cli_usage_error("--batch: expected 1 to 100000, not \"%s\"", batch);
        o.batch = (int)b;
    }
    OPEN(c);
    bo_book *central = NULL;
    const char *uri = cli_opt_get(a, "central");
    if (uri) {
        bo_book_options bo = BO_BOOK_OPTIONS_INIT;
        bo.actor = c->actor;
        int rc = bo_book_open(&central, uri, &bo);
        if (rc < 0)
            return cli_lib_error(c, rc);
    }
    bo_sync_report r = BO_SYNC_REPORT_INIT;
    int rc = bo_sync_run(c->book, central, &o, &r);
    bo_book_free(central);
    if (rc < 0)
        return cli_lib_error(c, rc);
    cli_field f[] = {
        {"pushed", BO_TYPE_INT, r.pushed, NULL},
        {"replayed", BO_TYPE_INT, r.replayed, NULL},
        {"quarantined", BO_TYPE_INT, r.quarantined, NULL},
        {"negative", BO_TYPE_INT, r.negative, NULL},
        {"skewed", BO_TYPE_INT, r.skewed, NULL},
        {"batches", BO_TYPE_INT, r.batches, NULL},
        {"pulled", BO_TYPE_INT, r.pulled, NULL},
    };
    return cli_render_record(c, f, 7, NULL);
}

static int listing(cli *c, const cli_args *a)
{
    const char *n = c->cmd->name;
    bo_cursor *cur = NULL;
    int rc;
    OPEN(c);
    if (!strcmp(n, "outbox"))
        rc = bo_terminal_outbox(c->book, cli_opt_get(a, "state"), &cur);
    else if (!strcmp(n, "inbox"))
        rc = bo_sync_inbox(c->book, cli_opt_get(a, "terminal"), &cur);
    else
        rc = bo_sync_negative(c->book, &cur);
    return cli_show(c, rc, cur);
}

static int resubmit(cli *c, const cli_args *a)
{
    int64_t seq;
    int st = cli_int64("SEQ", a->pos[0], &seq);
    if (st)
        return st;
    OPEN(c);
    return cli_check(c, bo_terminal_resubmit(c->book, seq));
}

static int cash(cli *c, const cli_args *a)
{
    bo_date d;
    int64_t amount, entry = 0;
    int st;
    if ((st = cli_opt_date(a, "date", 0, &d)) != 0)
        return st;
    if (!cli_opt_get(a, "date") || !cli_opt_get(a, "key"))
        return cli_usage_error("sync cash: --date and --key are required");
    OPEN(c);
    int rc = bo_money_parse(a->pos[0], bo_book_base_currency(c->book), &amount);
    if (rc < 0)
        return cli_lib_error(c, rc);
    rc = bo_terminal_cash(c->book, d, amount, a->pos[1], cli_opt_get(a, "memo"),
                              cli_opt_get(a, "key"), &entry);
    if (rc < 0)
        return cli_lib_error(c, rc);
    cli_field f[] = {{"entry", BO_TYPE_INT, entry, NULL}};
    return cli_render_record(c, f, 1, NULL);
}

static int close_check(cli *c, const cli_args *a)
{
    (void)a;
    OPEN(c);
    return cli_check(c, bo_terminal_close_check(c->book));
}

static const cli_sub verbs[] = {
    {{"setup", "TERMINAL CENTRAL_URI [--max-queued N] [--max-value MINOR]"
      " [--max-offline-hours H]",
      "Make this book terminal TERMINAL of the central book at CENTRAL_URI: from\n"
      "now on every sale also writes an outbox row in its own transaction.\n",
      NULL}, {"max-queued", "max-value", "max-offline-hours"}, 2, 2, setup},
    {{"status", "", "What the terminal holds: queued, quarantined and synced\n"
      "commands, the next receipt number, the clock offset, limit warnings.\n", NULL},
     {0}, 0, 0, status},
    {{"run", "[--central URI] [--batch N]",
      "Push the queued commands to the central book (the terminal's own, or\n"
      "URI), each exactly once, and pull items, tax rates, stock and parties.\n"
      "A command the central book refuses is quarantined; the rest go on.\n",
      NULL}, {"central", "batch"}, 0, 0, run},
    {{"outbox", "[--state queued|synced|quarantined]",
      "The terminal's commands in sequence order, with the reason of a refusal.\n",
      NULL}, {"state"}, 0, 0, listing},
    {{"resubmit", "SEQ", "Queue quarantined command SEQ again.\n", NULL}, {0}, 1, 1,
     resubmit},
    {{"cash", "AMOUNT ACCOUNT --date YYYY-MM-DD --key KEY [--memo TEXT]",
      "Cash into the drawer (AMOUNT > 0, in the base currency: 50.00) or out of\n"
      "it (< 0) against\n"
      "ACCOUNT: an entry and its outbox row, posted centrally when synced.\n",
      NULL}, {"date", "key", "memo"}, 2, 2, cash},
    {{"close-check", "", "Fail while commands are neither synced nor quarantined.\n",
      NULL}, {0}, 0, 0, close_check},
    {{"inbox", "[--terminal T]", "On the central book: the commands received.\n", NULL},
     {"terminal"}, 0, 0, listing},
    {{"negative", "", "On the central book: synced sales that took stock below zero.\n",
      NULL}, {0}, 0, 0, listing},
};

const cli_domain cli_sync_domain = {
    "sync", NULL, "offline terminals: outbox, sync with the central book, quarantine",
    verbs, sizeof verbs / sizeof *verbs, NULL, 0,
};
