/* Stored rule packs and the per-book cache of compiled ones (keyed by name
 * and the source's digest, so a pack reloaded by another handle is
 * recompiled, and a rolled-back load leaves nothing wrong behind). */
#include "payroll/payroll.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

typedef struct pay_cache {
    bo__pay_pack **packs;
    int n, cap;
} pay_cache;

static void cache_free(void *data)
{
    pay_cache *c = data;
    for (int i = 0; i < c->n; i++)
        bo__pay_pack_free(c->packs[i]);
    bo__free(c->packs);
    bo__free(c);
}

/* Payroll's cache on a handle: the packs read (src/core/domain.h). */
int bo__payroll_slot;
const bo__domain_cache bo__payroll_cache = { &bo__payroll_slot, NULL, NULL, cache_free,
                                             NULL };

static pay_cache *cache_get(bo_book *b)
{
    bo__ext *x = &b->ext[bo__payroll_slot];
    if (!x->data) {
        pay_cache *c = bo__calloc(1, sizeof *c);
        if (!c)
            return NULL;
        x->data = c;
    }
    return x->data;
}

static const char SQL_PACK_UPSERT[] =
    "INSERT INTO pay_packs (name, currency, source, digest, components, loaded_at)"
    " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET"
    " currency = excluded.currency, source = excluded.source,"
    " digest = excluded.digest, components = excluded.components,"
    " loaded_at = excluded.loaded_at";

struct load_ctx {
    const bo__pay_pack *p;
    const char *yaml;
};

static int load_tx(bo_book *b, void *v)
{
    struct load_ctx *c = v;
    char now[64];
    bo__now_iso(now);
    int rc = bo__store_run(b->store, SQL_PACK_UPSERT, "ttttit", c->p->name, c->p->currency, c->yaml,
                           c->p->digest, c->p->ncomps, now);
    if (rc)
        return rc;
    char object[100];
    snprintf(object, sizeof object, "pack:%s", c->p->name);
    return bo__audit_append(b, "payroll.pack.load", object, c->p->digest);
}

int bo_payroll_pack_load(bo_book *book, const char *yaml, size_t len, const char *file)
{
    bo__error_clear();
    if (!book || !yaml)
        return bo__error_set(BO_EINVAL, "book/yaml: NULL");
    int rc = bo__require(book, BO__P_PAYROLL_ADMIN);
    if (rc)
        return rc;
    if (memchr(yaml, '\0', len))
        return bo__error_set(BO_EINVAL, "yaml: contains NUL");
    bo__pay_pack *p;
    if ((rc = bo__pay_pack_compile(yaml, len, file, &p)))
        return rc;
    /* The source is stored as text: it needs its own terminated copy. */
    char *src = bo__strndup(yaml, len);
    if (!src) {
        bo__pay_pack_free(p);
        return BO_ENOMEM;
    }
    struct load_ctx c = { p, src };
    rc = bo__write(book, load_tx, &c);
    bo__free(src);
    bo__pay_pack_free(p);
    return rc;
}

static const char SQL_PACK_GET[] =
    "SELECT source, digest FROM pay_packs WHERE name = ?";

int bo__pay_pack_get(bo_book *book, const char *name, const bo__pay_pack **out)
{
    pay_cache *c = cache_get(book);
    if (!c)
        return BO_ENOMEM;
    bo__stmt *s;
    int rc = bo__stmt_get(book->store, SQL_PACK_GET, &s);
    if (rc)
        return rc;
    char digest[65] = "";
    char *source = NULL;
    if (!(rc = bo__stmt_bind(s, "t", name))) {
        rc = bo__stmt_step(s);
        if (rc == BO_DRIVER_ROW) {
            snprintf(digest, sizeof digest, "%s", bo__stmt_col_text(s, 1));
            int i;
            for (i = 0; i < c->n; i++)
                if (strcmp(c->packs[i]->name, name) == 0 &&
                    strcmp(c->packs[i]->digest, digest) == 0)
                    break;
            if (i < c->n) {
                *out = c->packs[i];
                bo__stmt_done(s);
                return 0;
            }
            if (!(source = bo__strdup(bo__stmt_col_text(s, 0))))
                rc = BO_ENOMEM;
            else
                rc = 0;
        } else if (rc >= 0) {
            char q[80];
            bo__quote(name, 64, q, sizeof q);
            rc = bo__error_set(BO_ENOTFOUND, "pack: no rule pack \"%s\"", q);
        }
    }
    bo__stmt_done(s);
    if (rc)
        return rc;
    bo__pay_pack *p;
    char file[80];
    snprintf(file, sizeof file, "%.64s.yaml", name);
    rc = bo__pay_pack_compile(source, strlen(source), file, &p);
    bo__free(source);
    if (rc)
        return rc;
    /* Drop an older version of the same pack. */
    for (int i = 0; i < c->n; i++)
        if (strcmp(c->packs[i]->name, name) == 0) {
            bo__pay_pack_free(c->packs[i]);
            c->packs[i] = c->packs[--c->n];
            break;
        }
    if (c->n == c->cap) {
        int cap = c->cap ? c->cap * 2 : 4;
        bo__pay_pack **np = bo__realloc(c->packs, (size_t)cap * sizeof *np);
        if (!np) {
            bo__pay_pack_free(p);
            return BO_ENOMEM;
        }
        c->packs = np;
        c->cap = cap;
    }
    c->packs[c->n++] = p;
    *out = p;
    return 0;
}

static const char SQL_PACKS[] =
    "SELECT name, currency, digest, loaded_at, components FROM pay_packs ORDER BY name";
static const bo__col PACK_COLS[] = {
    { "name", BO_TYPE_TEXT }, { "currency", BO_TYPE_TEXT }, { "digest", BO_TYPE_TEXT },
    { "loaded_at", BO_TYPE_TEXT }, { "components", BO_TYPE_INT },
};

int bo_payroll_packs(bo_book *book, bo_cursor **out)
{
    bo__error_clear();
    if (!book || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    *out = NULL;
    return bo__listing(book, BO__P_PAYROLL_READ, NULL, SQL_PACKS, PACK_COLS, 5, out, "");
}

/* "name=value" pairs separated by ';' or newlines into an input. Values of
 * attributes point into buf (a copy of text). */
static int parse_inputs(const bo__pay_pack *p, char *buf, bo__pay_input *in,
                        int64_t *ytd, int64_t *items)
{
    char *save = NULL;
    for (char *tok = strtok_r(buf, ";\n", &save); tok; tok = strtok_r(NULL, ";\n", &save)) {
        while (*tok == ' ')
            tok++;
        if (!*tok)
            continue;
        char *eq = strchr(tok, '=');
        if (!eq)
            return bo__error_set(BO_EINVAL, "inputs: expected name=value");
        *eq = '\0';
        char *name = tok, *value = eq + 1;
        for (char *e = eq - 1; e >= name && *e == ' '; e--)
            *e = '\0';
        while (*value == ' ')
            value++;
        if (strncmp(name, "employee.", 9) == 0) {
            int k;
            for (k = 0; k < BO__ATTR_COUNT; k++)
                if (strcmp(name + 9, bo__pay_attr_names[k]) == 0)
                    break;
            if (k == BO__ATTR_COUNT)
                return bo__error_set(BO_EINVAL, "inputs: unknown attribute");
            in->attr[k] = value;
            continue;
        }
        int64_t v;
        if (strncmp(name, "ytd.", 4) == 0 || strncmp(name, "mtd.", 4) == 0) {
            int c = bo__pay_comp_index(p, name + 4);
            if (c < 0)
                return bo__error_set(BO_EINVAL, "inputs: unknown component in %.3s", name);
            if (bo_money_parse(value, "XXX", &v) && sscanf(value, "%" SCNd64, &v) != 1)
                return bo__error_set(BO_EINVAL, "inputs: %.3s needs an integer", name);
            (name[0] == 'y' ? ytd : ytd + p->ncomps)[c] = v; /* mtd follows ytd */
            continue;
        }
        int k, item = -1;
        for (k = 0; k < BO__IN_COUNT; k++)
            if (strcmp(name, bo__pay_input_names[k]) == 0)
                break;
        if (k == BO__IN_COUNT && strncmp(name, "input.", 6) == 0) {
            for (item = 0; item < p->ninames; item++)
                if (strcmp(p->inames[item], name + 6) == 0)
                    break;
            if (item == p->ninames)
                continue; /* an input the pack does not read */
        } else if (k == BO__IN_COUNT) {
            return bo__error_set(BO_EINVAL, "inputs: unknown input name");
        }
        /* decimal with up to 6 places */
        __int128 x = 0;
        int frac = -1, neg = *value == '-';
        const char *s = value + neg;
        if (!*s)
            return bo__error_set(BO_EINVAL, "inputs: empty value");
        for (; *s; s++) {
            if (*s == '.' && frac < 0) {
                frac = 0;
                continue;
            }
            if (*s < '0' || *s > '9' || (frac >= 0 && ++frac > 6))
                return bo__error_set(BO_EINVAL, "inputs: not a decimal number");
            x = x * 10 + (*s - '0');
            if (x > INT64_MAX)
                return bo__error_set(BO_EOVERFLOW, "inputs: number too large");
        }
        for (int d = frac < 0 ? 0 : frac; d < 6; d++)
            x *= 10;
        if (x > INT64_MAX)
            return bo__error_set(BO_EOVERFLOW, "inputs: number too large");
        if (item >= 0)
            items[item] = neg ? -(int64_t)x : (int64_t)x;
        else
            in->in[k] = neg ? -(int64_t)x : (int64_t)x;
    }
    return 0;
}

int bo_payroll_pack_eval(bo_book *book, const char *pack, const char *inputs,
                     const char *component, int64_t *out)
{
    bo__error_clear();
    if (!book || !pack || !inputs || !component || !out)
        return bo__error_set(BO_EINVAL, "book/pack/inputs/component/out: NULL");
    const bo__pay_pack *p;
    int rc = bo__require(book, BO__P_PAYROLL_READ);
    if (rc || (rc = bo__pay_pack_get(book, pack, &p)))
        return rc;
    int c = strcmp(component, "gross") == 0 ? p->ncomps : bo__pay_comp_index(p, component);
    if (c < 0)
        return bo__error_set(BO_ENOTFOUND, "component: no such component in the pack");
    char *buf = bo__strdup(inputs);
    int64_t *vals = bo__calloc((size_t)p->ncomps * 3 + (size_t)p->ninames + 1,
                               sizeof *vals);
    if (!buf || !vals) {
        bo__free(buf);
        bo__free(vals);
        return BO_ENOMEM;
    }
    bo__pay_input in;
    memset(&in, 0, sizeof in);
    in.ytd = vals + p->ncomps;
    in.mtd = vals + 2 * p->ncomps;
    in.items = vals + 3 * p->ncomps;
    int64_t gross;
    if (!(rc = parse_inputs(p, buf, &in, vals + p->ncomps, vals + 3 * p->ncomps)) &&
        !(rc = bo__pay_eval(p, &in, vals, &gross)))
        *out = c == p->ncomps ? gross : vals[c];
    bo__free(buf);
    bo__free(vals);
    return rc;
}
