/*
 * backoffice label VERB: shipping labels (backoffice/label.h), made from
 * FIELD=VALUE arguments; no book is opened.
 *
 *   backoffice label write OUT FIELD=VALUE ... [--size S] [--dpi D] [--type T]
 *   backoffice label sscc DIGITS
 */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *const size_names[] = { NULL, "4x6", "100x150", "a6", "100x100" };
static const char *const type_names[] = { NULL, "pdf", "png", "svg", "zpl" };

static int name_index(const char *const *names, int n, const char *text)
{
    for (int i = 1; i < n; i++)
        if (strcmp(names[i], text) == 0)
            return i;
    return 0;
}

/* The output type from --type, else from the file name's extension. */
static int out_type(const char *path, const char *type)
{
    if (type == NULL) {
        const char *dot = strrchr(path, '.');
        type = dot ? dot + 1 : "";
    }
    return name_index(type_names, 5, type);
}

/* "\n" written as two characters becomes a line break (addresses). */
static char *unescape(const char *v)
{
    char *s = malloc(strlen(v) + 1), *o = s;
    if (s == NULL)
        return NULL;
    for (; *v; v++) {
        if (v[0] == '\\' && v[1] == 'n') {
            *o++ = '\n';
            v++;
        } else {
            *o++ = *v;
        }
    }
    *o = '\0';
    return s;
}

/* One FIELD=VALUE: weight=GRAMS, package=N/M, cod=CUR:AMOUNT, else a text
 * field of the label. */
static int set_field(cli *c, bo_label *l, const char *arg)
{
    const char *eq = strchr(arg, '=');
    if (eq == NULL || eq == arg)
        return cli_usage_error("label field \"%s\": FIELD=VALUE expected", arg);
    size_t n = (size_t)(eq - arg);
    const char *v = eq + 1;
    char *end = NULL;
    if (n == 6 && !strncmp(arg, "weight", n)) {
        errno = 0;
        long long g = strtoll(v, &end, 10);
        if (errno || end == v || *end)
            return cli_usage_error("weight: grams expected, got \"%s\"", v);
        return cli_check(c, bo_label_set_weight(l, g));
    }
    if (n == 7 && !strncmp(arg, "package", n)) {
        int pn = 0, of = 0;
        char tail;
        if (sscanf(v, "%d/%d%c", &pn, &of, &tail) != 2)
            return cli_usage_error("package: N/M expected, got \"%s\"", v);
        return cli_check(c, bo_label_set_package(l, pn, of));
    }
    if (n == 3 && !strncmp(arg, "cod", n)) {
        const char *colon = strchr(v, ':');
        char cur[16];
        if (colon == NULL || colon == v || (size_t)(colon - v) >= sizeof cur)
            return cli_usage_error("cod: CURRENCY:AMOUNT expected, got \"%s\"", v);
        memcpy(cur, v, (size_t)(colon - v));
        cur[colon - v] = '\0';
        int64_t amount = 0;
        int rc = bo_money_parse(colon + 1, cur, &amount);
        if (rc == 0)
            rc = bo_label_set_cod(l, amount, cur);
        return cli_check(c, rc);
    }
    char *field = malloc(n + 1), *value = unescape(v);
    if (field == NULL || value == NULL) {
        free(field);
        free(value);
        return cli_usage_error("out of memory");
    }
    memcpy(field, arg, n);
    field[n] = '\0';
    int status = cli_check(c, bo_label_set(l, field, value));
    free(field);
    free(value);
    return status;
}

static int label_write(cli *c, const cli_args *a)
{
    const char *size_s = cli_opt_get(a, "size"), *dpi_s = cli_opt_get(a, "dpi");
    int size = size_s ? name_index(size_names, 5, size_s) : BO_LABEL_4X6;
    if (size == 0)
        return cli_usage_error("--size: 4x6, 100x150, a6 or 100x100, not \"%s\"", size_s);
    int dpi = dpi_s ? atoi(dpi_s) : 203;
    int type = out_type(a->pos[0], cli_opt_get(a, "type"));
    if (type == 0)
        return cli_usage_error("%s: the type (pdf, png, svg, zpl) comes from --type or the "
                               "file name's extension", a->pos[0]);
    bo_label *l = NULL;
    int status = cli_check(c, bo_label_new(&l, size, dpi));
    for (int i = 1; status == 0 && i < a->npos; i++)
        status = set_field(c, l, a->pos[i]);
    if (status == 0)
        status = cli_check(c, bo_label_write(l, type, a->pos[0]));
    bo_label_free(l);
    return status;
}

static int label_sscc(cli *c, const cli_args *a)
{
    int digit = 0;
    int status = cli_check(c, bo_label_sscc_check_digit(a->pos[0], &digit));
    if (status == 0)
        printf("%s%d\n", a->pos[0], digit);
    return status;
}

static const cli_sub verbs[] = {
    {{"write", "OUT FIELD=VALUE ...",
      "Write a shipping label to OUT (PDF, PNG, SVG or ZPL, from the file\n"
      "name's extension or --type). Fields: tracking, order, carrier, service,\n"
      "sender_name, sender_phone, sender_address, recipient_name,\n"
      "recipient_phone, recipient_address (lines separated by \\n), sscc\n"
      "(18 digits, check digit verified), weight=GRAMS, package=N/M,\n"
      "cod=CURRENCY:AMOUNT. --size 4x6 (default), 100x150, a6, 100x100;\n"
      "--dpi 203 (default) or 300. Nothing is written when a field is\n"
      "refused or does not fit.\n", NULL},
     {"size", "dpi", "type", NULL}, 2, -1, label_write},
    {{"sscc", "DIGITS", "Print the SSCC of 17 digits with its GS1 check digit.\n", NULL},
     {0}, 1, 1, label_sscc},
};

const cli_domain cli_label_domain = {
    "label", NULL, "shipping labels (PDF, PNG, SVG, ZPL)",
    verbs, sizeof verbs / sizeof *verbs, NULL, 0,
};
