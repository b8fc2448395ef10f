/*
 * backoffice audit VERB: the audit chain: verify, head, list.
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

static int audit_head(cli *c, const char *result)
{
    int64_t seq = 0;
    char hex[BO_HASH_HEX_SIZE];
    int rc = bo_audit_head(c->book, &seq, hex, sizeof hex);
    if (rc < 0)
        return cli_lib_error(c, rc);
    cli_field f[] = {
        {"result", BO_TYPE_TEXT, 0, result},
        {"seq", BO_TYPE_INT, seq, NULL},
        {"hash", BO_TYPE_TEXT, 0, hex},
    };
    /* "audit head" has no verdict to report. */
    return result != NULL ? cli_render_record(c, f, 3, NULL)
                          : cli_render_record(c, f + 1, 2, NULL);
}

/* "SEQ:HASH" (as audit head prints them) into the options. */
static int anchor_arg(const char *text, bo_audit_verify_options *o)
{
    const char *colon = text ? strchr(text, ':') : NULL;
    if (!colon || strlen(colon + 1) != 64)
        return cli_usage_error("--anchor: expected SEQ:HASH (the seq and the 64 hex "
                               "digits of \"audit head\"), not \"%s\"", text);
    char seq[32];
    size_t n = (size_t)(colon - text);
    if (n == 0 || n >= sizeof seq)
        return cli_usage_error("--anchor: bad sequence number");
    memcpy(seq, text, n);
    seq[n] = '\0';
    int status = cli_int64("--anchor", seq, &o->anchor_seq);
    if (status != 0)
        return status;
    o->anchor_hash = colon + 1;
    return 0;
}

static int verify(cli *c, const cli_args *a)
{
    bo_audit_verify_options o;
    int rc = bo_audit_verify_options_init(&o, BO_AUDIT_VERIFY_OPTIONS_VERSION);
    if (rc < 0)
        return cli_lib_error(c, rc);
    if (cli_opt_get(a, "chain-only"))
        o.mode = BO_AUDIT_VERIFY_CHAIN;
    int status;
    const char *anchor = cli_opt_get(a, "anchor");
    if (anchor && (status = anchor_arg(anchor, &o)) != 0)
        return status;
    if ((status = cli_open(c)) != 0)
        return status;
    int64_t bad = 0;
    rc = bo_audit_verify_full(c->book, &o, &bad);
    if (rc == BO_ECORRUPT && cli_opt_get(a, "list")) {
        /* Every problem, then the first one as the error. */
        char first[1024];
        snprintf(first, sizeof first, "%s", bo_error_message());
        bo_cursor *cur = NULL;
        o.max_findings = 1000;
        rc = bo_audit_verify_list(c->book, &o, &cur);
        status = cli_show(c, rc, cur);
        if (status != 0)
            return status;
        fprintf(stderr, "backoffice: %s: %s\n", bo_error_name(BO_ECORRUPT), first);
        return CLI_EXIT_LIBRARY;
    }
    return rc < 0 ? cli_lib_error(c, rc) : audit_head(c, "intact");
}

static int head(cli *c, const cli_args *a)
{
    (void)a;
    int status = cli_open(c);
    return status ? status : audit_head(c, NULL);
}

static int list(cli *c, const cli_args *a)
{
    const char *from_text = cli_opt_get(a, "from");
    int64_t from = 1;
    int status;
    if (from_text != NULL && (status = cli_int64("--from", from_text, &from)) != 0)
        return status;
    if ((status = cli_open(c)) != 0)
        return status;
    bo_cursor *cur = NULL;
    int rc = bo_audit_list(c->book, from, &cur);
    return cli_show(c, rc, cur);
}

static const cli_sub verbs[] = {
    {{"verify", "[--chain-only] [--anchor SEQ:HASH] [--list]",
      "Check the audit chain and every table of the book against it (entries\n"
      "and postings, sales, stock, invoices, payments, pay runs, documents,\n"
      "grants ...; day totals and stock on hand against their source rows);\n"
      "fails naming the first problem: the table, the record and what differs.\n"
      "  --chain-only       the chain alone (fast)\n"
      "  --anchor SEQ:HASH  a head kept outside the book (\"audit head\"): fails\n"
      "                     when the chain no longer reaches it\n"
      "  --list             print every problem found (up to 1000)\n", NULL},
     {"anchor", "+chain-only", "+list"}, 0, 0, verify},
    {{"head", "", "The last record's sequence number and hash (anchor it elsewhere).\n",
      NULL}, {0}, 0, 0, head},
    {{"list", "[--from SEQ]", "The audit records from sequence number --from (default 1).\n",
      NULL}, {"from"}, 0, 0, list},
};

const cli_domain cli_audit_domain = {
    "audit", "audit", "the audit chain: verify it, its head, its records",
    verbs, sizeof verbs / sizeof *verbs, NULL, 0,
};
