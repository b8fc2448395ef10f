/*
 * backoffice documents VERB ... (or document, its name in 0.2): document records, their versions,
 * links, search, check-out, retention and the integrity check.
 *
 * The encryption key of confidential and restricted content never comes
 * from the command line (it would show in process listings and shell
 * history): it is read from the environment variable BACKOFFICE_DOC_KEY
 * (64 hex digits, by cli_open() for every command) or from --key-file PATH
 * (32 raw bytes or 64 hex digits).
 * File arguments are host paths given by the user; the names a document
 * carries (titles, file names) are only ever displayed.
 */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Most --meta and --tag options one `add` takes. */
#define MAX_REPEAT 64

/* The repeated options of `add` (cli_parse keeps one value per option). */
static struct {
    const char *meta[MAX_REPEAT];
    const char *tag[MAX_REPEAT];
    int nmeta, ntag;
} rep;

static int show(cli *c, int rc, bo_cursor *cur)
{
    return rc < 0 ? cli_lib_error(c, rc) : cli_render_cursor(c, cur, NULL);
}

/* Open the book (which takes BACKOFFICE_DOC_KEY, see cli_open()) and give
 * it the key of --key-file when one is given. */
static int open_with_key(cli *c, const cli_args *a)
{
    unsigned char key[BO_DOCUMENT_ENCRYPTION_KEY_BYTES];
    const char *file = cli_opt_get(a, "key-file");
    if (file) {
        unsigned char buf[2 * BO_DOCUMENT_ENCRYPTION_KEY_BYTES + 8];
        FILE *fp = fopen(file, "rb");
        if (!fp)
            return cli_usage_error("--key-file: cannot open the file: %s", strerror(errno));
        size_t n = fread(buf, 1, sizeof buf, fp);
        fclose(fp);
        int bad = 0;
        if (n == BO_DOCUMENT_ENCRYPTION_KEY_BYTES)
            memcpy(key, buf, BO_DOCUMENT_ENCRYPTION_KEY_BYTES);
        else
            bad = cli_parse_key((const char *)buf, n, key) != 0;
        memset(buf, 0, sizeof buf);
        if (bad)
            return cli_usage_error("--key-file: expected 32 bytes or 64 hex digits");
    }
    OPEN(c);
    int rc = file ? bo_document_set_encryption_key(c->book, key, sizeof key) : 0;
    memset(key, 0, sizeof key);
    return rc < 0 ? cli_lib_error(c, rc) : 0;
}

#define OPEN_KEY(c, a) do { int st_ = open_with_key(c, a); if (st_) return st_; } while (0)

static int doc_id(const char *text, int64_t *id)
{
    return cli_int64("ID", text, id);
}

static int on_off(const char *text, int *on)
{
    if (!strcmp(text, "on") || !strcmp(text, "yes")) {
        *on = 1;
        return 0;
    }
    if (!strcmp(text, "off") || !strcmp(text, "no")) {
        *on = 0;
        return 0;
    }
    return cli_usage_error("expected on or off, not \"%s\"", text);
}

static int show_ids(cli *c, int64_t id, int64_t version)
{
    cli_field f[] = {{"id", BO_TYPE_INT, id, NULL}, {"version", BO_TYPE_INT, version, NULL}};
    return cli_render_record(c, f, version ? 2 : 1, NULL);
}

/* Build the record of `add` from its options. */
static int build(const cli_args *a, const char *file, bo_document **out)
{
    const char *type = cli_opt_get(a, "type"), *title = cli_opt_get(a, "title");
    const char *cls = cli_opt_get(a, "class");
    bo_date date = bo_date_today();
    int status = cli_opt_date(a, "date", date, &date);
    if (status)
        return status;
    if (!title) { /* the file's own name, for display */
        const char *slash = strrchr(file, '/');
        title = slash ? slash + 1 : file;
    }
    bo_document *d = NULL;
    int rc = bo_document_new(&d, type ? type : "other", title, date);
    if (!rc && cls) {
        rc = bo_document_class_parse(cls);
        rc = rc < 0 ? rc : bo_document_set_class(d, rc);
    }
    for (int i = 0; !rc && i < rep.nmeta; i++) {
        const char *eq = strchr(rep.meta[i], '=');
        char name[BO_DOCUMENT_NAME_MAX + 1];
        if (!eq || eq == rep.meta[i] || (size_t)(eq - rep.meta[i]) > BO_DOCUMENT_NAME_MAX) {
            bo_document_free(d);
            return cli_usage_error("--meta: expected FIELD=VALUE");
        }
        memcpy(name, rep.meta[i], (size_t)(eq - rep.meta[i]));
        name[eq - rep.meta[i]] = '\0';
        rc = bo_document_set_meta(d, name, eq + 1);
    }
    for (int i = 0; !rc && i < rep.ntag; i++)
        rc = bo_document_add_tag(d, rep.tag[i]);
    const char *text = cli_opt_get(a, "text");
    if (!rc && text) {
        char *body = NULL;
        if ((status = cli_read_text(text, BO_DOCUMENT_BODY_MAX, &body))) {
            bo_document_free(d);
            return status;
        }
        rc = bo_document_set_body(d, body);
        free(body);
    }
    if (rc < 0) {
        bo_document_free(d);
        return cli_usage_error("add: %s", bo_error_message());
    }
    *out = d;
    return 0;
}

static int add(cli *c, const cli_args *a)
{
    bo_document *d = NULL;
    int status = build(a, a->pos[0], &d);
    if (status)
        return status;
    if ((status = open_with_key(c, a))) {
        bo_document_free(d);
        return status;
    }
    int64_t id = 0, version = 0;
    /* Record and content together: both or neither. */
    int rc = bo_book_begin(c->book);
    if (!rc)
        rc = bo_document_create(c->book, d, &id);
    bo_document_free(d);
    if (!rc)
        rc = bo_document_add_file(c->book, id, a->pos[0], &version);
    if (!rc)
        rc = bo_book_commit(c->book);
    if (rc < 0) {
        int st = cli_lib_error(c, rc);
        if (bo_book_depth(c->book) > 0)
            bo_book_rollback(c->book);
        return st;
    }
    return show_ids(c, id, version);
}

static int new_version(cli *c, const cli_args *a)
{
    int64_t id, version = 0;
    int status = doc_id(a->pos[0], &id);
    if (status)
        return status;
    OPEN_KEY(c, a);
    int rc = bo_document_add_file(c->book, id, a->pos[1], &version);
    return rc < 0 ? cli_lib_error(c, rc) : show_ids(c, id, version);
}

static int export_(cli *c, const cli_args *a)
{
    int64_t id, version = 0;
    int status = doc_id(a->pos[0], &id);
    const char *v = cli_opt_get(a, "version");
    if (!status && v)
        status = cli_int64("--version", v, &version);
    if (status)
        return status;
    OPEN_KEY(c, a);
    return cli_check(c, bo_document_export_file(c->book, id, version, a->pos[1]));
}

/* get, meta, versions, links: one document's rows. */
static int about(cli *c, const cli_args *a)
{
    const char *n = c->cmd->name;
    int64_t id;
    int status = doc_id(a->pos[0], &id);
    if (status)
        return status;
    OPEN(c);
    bo_cursor *cur = NULL;
    int rc = !strcmp(n, "get")        ? bo_document_get(c->book, id, &cur)
           : !strcmp(n, "meta")       ? bo_document_meta(c->book, id, &cur)
           : !strcmp(n, "versions")   ? bo_document_versions(c->book, id, &cur)
                                      : bo_document_links(c->book, id, &cur);
    return show(c, rc, cur);
}

static int verify(cli *c, const cli_args *a)
{
    int64_t checked = 0;
    OPEN_KEY(c, a);
    int rc = bo_document_verify(c->book, &checked);
    if (rc < 0)
        return cli_lib_error(c, rc);
    cli_field f[] = {{"checked", BO_TYPE_INT, checked, NULL}, {"status", BO_TYPE_TEXT, 0, "ok"}};
    return cli_render_record(c, f, 2, NULL);
}

static int link_(cli *c, const cli_args *a)
{
    int64_t id;
    int status = doc_id(a->pos[0], &id);
    if (status)
        return status;
    OPEN(c);
    int rc = !strcmp(c->cmd->name, "link") ? bo_document_link(c->book, id, a->pos[1], a->pos[2])
                                           : bo_document_unlink(c->book, id, a->pos[1], a->pos[2]);
    return cli_check(c, rc);
}

static int linked(cli *c, const cli_args *a)
{
    OPEN(c);
    bo_cursor *cur = NULL;
    int rc = bo_document_linked(c->book, a->pos[0], a->pos[1], &cur);
    return show(c, rc, cur);
}

/* The filters of search and count. */
static int query(const cli_args *a, bo_document_query **out)
{
    bo_date from = 0, to = 0;
    int status;
    if ((status = cli_opt_date(a, "from", 0, &from)) || (status = cli_opt_date(a, "to", 0, &to)))
        return status;
    bo_document_query *q = NULL;
    int rc = bo_document_query_new(&q);
    const char *v;
    if (!rc && (v = cli_opt_get(a, "text")))
        rc = bo_document_query_text(q, v);
    if (!rc && (v = cli_opt_get(a, "type")))
        rc = bo_document_query_type(q, v);
    if (!rc && (v = cli_opt_get(a, "tag")))
        rc = bo_document_query_tag(q, v);
    if (!rc && (from || to))
        rc = bo_document_query_dates(q, from, to);
    if (!rc && (v = cli_opt_get(a, "link"))) {
        const char *colon = strchr(v, ':');
        char kind[BO_DOCUMENT_NAME_MAX + 1];
        if (!colon || (size_t)(colon - v) > BO_DOCUMENT_NAME_MAX) {
            bo_document_query_free(q);
            return cli_usage_error("--link: expected KIND:REF");
        }
        memcpy(kind, v, (size_t)(colon - v));
        kind[colon - v] = '\0';
        rc = bo_document_query_link(q, kind, colon + 1);
    }
    if (!rc && (v = cli_opt_get(a, "disposed")))
        rc = bo_document_query_disposed(q, !strcmp(v, "yes"));
    if (!rc && (v = cli_opt_get(a, "limit"))) {
        int64_t limit;
        if ((status = cli_int64("--limit", v, &limit))) {
            bo_document_query_free(q);
            return status;
        }
        rc = bo_document_query_page(q, limit, 0);
    }
    if (rc < 0) {
        bo_document_query_free(q);
        return cli_usage_error("search: %s", bo_error_message());
    }
    *out = q;
    return 0;
}

static int search(cli *c, const cli_args *a)
{
    bo_document_query *q = NULL;
    int status = query(a, &q);
    if (status)
        return status;
    if ((status = cli_open(c))) {
        bo_document_query_free(q);
        return status;
    }
    bo_cursor *cur = NULL;
    int64_t n = 0;
    int counting = !strcmp(c->cmd->name, "count");
    int rc = counting ? bo_document_count(c->book, q, &n) : bo_document_search(c->book, q, &cur);
    bo_document_query_free(q);
    if (!counting)
        return show(c, rc, cur);
    if (rc < 0)
        return cli_lib_error(c, rc);
    cli_field f[] = {{"count", BO_TYPE_INT, n, NULL}};
    return cli_render_record(c, f, 1, NULL);
}

static int checkout(cli *c, const cli_args *a)
{
    int64_t id;
    int status = doc_id(a->pos[0], &id);
    if (status)
        return status;
    OPEN(c);
    return cli_check(c, !strcmp(c->cmd->name, "checkout") ? bo_document_checkout(c->book, id)
                                                           : bo_document_checkin(c->book, id));
}

/* hold ID on|off, or hold --type TYPE on|off */
static int hold(cli *c, const cli_args *a)
{
    const char *type = cli_opt_get(a, "type");
    int on = 0, status;
    int64_t id = 0;
    if (type ? a->npos != 1 : a->npos != 2)
    {
        char syn[1024];
        cli_synopsis(c, c->cmd, 0, syn, sizeof syn);
        return cli_usage_error("usage: backoffice %s", syn);
    }
    if ((status = on_off(a->pos[a->npos - 1], &on)) ||
        (!type && (status = doc_id(a->pos[0], &id))))
        return status;
    OPEN(c);
    return cli_check(c, type ? bo_document_type_hold(c->book, type, on) : bo_document_hold(c->book, id, on));
}

static int retention(cli *c, const cli_args *a)
{
    int64_t years;
    int status;
    if (!strcmp(a->pos[1], "none"))
        years = 0;
    else if ((status = cli_int64("YEARS", a->pos[1], &years)))
        return status;
    if (years > 200)
        return cli_usage_error("YEARS: 1..200, or none");
    OPEN(c);
    return cli_check(c, bo_document_type_retention(c->book, a->pos[0], (int)years));
}

static int dispose(cli *c, const cli_args *a)
{
    int64_t id;
    bo_date today;
    int status = doc_id(a->pos[0], &id);
    if (status || (status = cli_opt_date(a, "today", 0, &today)))
        return status;
    OPEN(c);
    return cli_check(c, bo_document_dispose(c->book, id, today));
}

static int types(cli *c, const cli_args *a)
{
    (void)a;
    OPEN(c);
    bo_cursor *cur = NULL;
    int rc = bo_document_types(c->book, &cur);
    return show(c, rc, cur);
}

static int type_add(cli *c, const cli_args *a)
{
    int64_t years = 0;
    const char *y = cli_opt_get(a, "years");
    int status = y ? cli_int64("--years", y, &years) : 0;
    if (status)
        return status;
    if (years > 200)
        return cli_usage_error("--years: 1..200");
    OPEN(c);
    return cli_check(c, bo_document_type_add(c->book, a->pos[0], (int)years));
}

static int field_add(cli *c, const cli_args *a)
{
    OPEN(c);
    return cli_check(c, bo_document_type_field_add(c->book, a->pos[0], a->pos[1], a->pos[2]));
}

static int open_fields(cli *c, const cli_args *a)
{
    int on = 0, status = on_off(a->pos[1], &on);
    if (status)
        return status;
    OPEN(c);
    return cli_check(c, bo_document_type_open_fields(c->book, a->pos[0], on));
}

static int store(cli *c, const cli_args *a)
{
    OPEN(c);
    return cli_check(c, bo_document_set_store(c->book, a->pos[0], a->npos > 1 ? a->pos[1] : NULL));
}

/* limit [BYTES]: show or set the largest version. */
static int limit(cli *c, const cli_args *a)
{
    int64_t bytes = 0;
    int status = a->npos ? cli_int64("BYTES", a->pos[0], &bytes) : 0;
    if (status)
        return status;
    OPEN(c);
    int rc = a->npos ? bo_document_set_version_limit(c->book, bytes)
                     : bo_document_version_limit(c->book, &bytes);
    if (rc < 0)
        return cli_lib_error(c, rc);
    cli_field f[] = {{"max_version_bytes", BO_TYPE_INT, bytes, NULL}};
    return cli_render_record(c, f, 1, NULL);
}

#define FILTERS "text", "type", "tag", "from", "to", "link", "disposed", "limit"

static int add_run(cli *c, const cli_command *cmd, int argc, char **argv);

static const cli_sub subs[] = {
    {{"add", "FILE [--type T] [--title X] [--date D] [--class C] "
      "[--meta FIELD=VALUE]... [--tag T]... [--text FILE] [--key-file PATH]",
      "Record a document and store FILE as its version 1 (both or neither).\n"
      "Type: other unless given; title: the file's name; date: today; class:\n"
      "public, internal (default), confidential or restricted (encrypted: needs\n"
      "the key, from BACKOFFICE_DOC_KEY or --key-file). --text FILE is the text\n"
      "extracted from the content (OCR, PDF text), indexed for search.\n", add_run},
     {"type", "title", "date", "class", "text", "key-file"}, 1, 1, add},
    {{"new-version", "ID FILE [--key-file PATH]",
      "Store FILE as the next version of document ID.\n", NULL}, {"key-file"}, 2, 2,
     new_version},
    {{"get", "ID", "One document's record.\n", NULL}, {0}, 1, 1, about},
    {{"meta", "ID", "A document's metadata and tags.\n", NULL}, {0}, 1, 1, about},
    {{"export", "ID FILE [--version N] [--key-file PATH]",
      "Write a version's content (default: the latest) to FILE.\n", NULL},
     {"version", "key-file"}, 2, 2, export_},
    {{"versions", "ID", "A document's versions.\n", NULL}, {0}, 1, 1, about},
    {{"verify", "[--key-file PATH]",
      "Re-hash every stored content; exit 2 naming the first damaged document and\n"
      "version (documents.admin).\n", NULL}, {"key-file"}, 0, 0, verify},
    {{"link", "ID KIND REF",
      "Link a document to a record that exists: entry, invoice, payment,\n"
      "purchase_order, sale, stock_movement, pay_run or document by its id; item by\n"
      "its SKU, employee by its number, party by its code. Needs the read\n"
      "permission of the record's domain.\n", NULL}, {0}, 3, 3, link_},
    {{"unlink", "ID KIND REF", "Remove a link.\n", NULL}, {0}, 3, 3, link_},
    {{"links", "ID", "The records a document is linked to.\n", NULL}, {0}, 1, 1,
     about},
    {{"linked", "KIND REF", "The documents linked to a record.\n", NULL}, {0},
     2, 2, linked},
    {{"search", "[--text WORDS] [--type T] [--tag T] [--from D] [--to D] "
      "[--link KIND:REF] [--disposed yes] [--limit N]",
      "Documents you may see, newest first.\n", NULL}, {FILTERS}, 0, 0, search},
    {{"count", "[filters of search]", "How many documents match.\n", NULL},
     {FILTERS}, 0, 0, search},
    {{"checkout", "ID", "Lock a document for your edits.\n", NULL}, {0}, 1,
     1, checkout},
    {{"checkin", "ID", "Release a check-out.\n", NULL}, {0}, 1, 1, checkout},
    {{"hold", "(ID | --type TYPE) on|off",
      "Place or lift a legal hold on a document or a whole type.\n", NULL}, {"type"}, 1, 2,
     hold},
    {{"retention", "TYPE YEARS|none",
      "Keep documents of TYPE YEARS years after their date.\n", NULL}, {0}, 2, 2, retention},
    {{"dispose", "ID [--today D]",
      "Erase a document's content once retention has ended and no hold applies.\n", NULL},
     {"today"}, 1, 1, dispose},
    {{"types", "", "The document types.\n", NULL}, {0}, 0, 0, types},
    {{"type-add", "NAME [--years N]", "Add a document type.\n", NULL},
     {"years"}, 1, 1, type_add},
    {{"field-add", "TYPE FIELD text|date|int|money",
      "Declare a typed metadata field. Fields a type does not declare are\n"
      "refused unless its fields are open (open-fields).\n", NULL}, {0}, 3, 3, field_add},
    {{"open-fields", "TYPE on|off",
      "Accept (on) or refuse (off, the default) metadata fields TYPE does not\n"
      "declare.\n", NULL}, {0}, 2, 2, open_fields},
    {{"store", "database | files ROOT",
      "Where new content is stored (ROOT: an absolute path to a folder).\n", NULL}, {0}, 1, 2,
     store},
    {{"limit", "[BYTES]",
      "Show, or set (documents.admin), the largest version the book accepts, in\n"
      "bytes (default 268435456, 256 MiB). A larger file is refused and nothing\n"
      "of it is kept; at most BYTES + 1 bytes of it are read.\n", NULL}, {0}, 0, 1,
     limit},
};

/* Take the repeated --meta and --tag options of `add` out of argv. */
static int take_repeated(int *argc, char **argv)
{
    int out = 1;
    rep.nmeta = rep.ntag = 0;
    for (int i = 1; i < *argc; i++) {
        const char *arg = argv[i];
        int meta = !strncmp(arg, "--meta", 6) && (arg[6] == '\0' || arg[6] == '=');
        int tag = !strncmp(arg, "--tag", 5) && (arg[5] == '\0' || arg[5] == '=');
        if (!strcmp(arg, "--")) { /* the rest are positional */
            while (i < *argc)
                argv[out++] = argv[i++];
            break;
        }
        if (!meta && !tag) {
            argv[out++] = argv[i];
            continue;
        }
        const char *eq = strchr(arg, '=');
        const char *value = eq ? eq + 1 : (i + 1 < *argc ? argv[++i] : NULL);
        if (!value)
            return cli_usage_error("add: option %s needs a value", arg);
        if ((meta ? rep.nmeta : rep.ntag) >= MAX_REPEAT)
            return cli_usage_error("add: more than %d %s options", MAX_REPEAT, meta ? "--meta"
                                                                                   : "--tag");
        if (meta)
            rep.meta[rep.nmeta++] = value;
        else
            rep.tag[rep.ntag++] = value;
    }
    *argc = out;
    return 0;
}

/* add: its repeated --meta and --tag options out first, then as the table
 * says. */
static int add_run(cli *c, const cli_command *cmd, int argc, char **argv)
{
    const cli_sub *v = (const cli_sub *)cmd; /* cmd is an entry's first member */
    int status = take_repeated(&argc, argv);
    if (status)
        return status;
    return cli_run(c, cmd, argc, argv, v->opts, v->min, v->max, v->body);
}

const cli_domain cli_documents_domain = {
    "documents", "document",
    "document records: versions, links, search, legal holds, retention",
    subs, sizeof subs / sizeof *subs,
    "The encryption key: BACKOFFICE_DOC_KEY (64 hex digits) or --key-file PATH;\n"
    "never on the command line.\n", 0,
};
