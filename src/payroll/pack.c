/*
 * Rule packs: the YAML is read with the configuration's bounded parser
 * (positions kept), every expression is compiled, names are resolved, the
 * component graph is sorted topologically (a cycle is refused naming its
 * members) and tables are checked for order. Evaluation then follows the
 * sorted order, so a component only reads values already computed.
 */
#include "payroll/payroll.h"
#include "core/config_check.h"

#include <stdio.h>
#include <string.h>

const char *bo__pay_kind_name(int kind)
{
    switch (kind) {
    case BO__PAY_EARNING: return "earning";
    case BO__PAY_DEDUCTION: return "deduction";
    case BO__PAY_EMPLOYER: return "employer";
    case BO__PAY_CALC: return "calc";
    case BO__PAY_FIGURE: return "figure";
    }
    return "?";
}

int bo__pay_comp_index(const bo__pay_pack *p, const char *name)
{
    for (int i = 0; i < p->ncomps; i++)
        if (strcmp(p->comps[i].name, name) == 0)
            return i;
    return -1;
}

int bo__pay_iname(bo__pay_pack *p, const char *name, int *index)
{
    for (int i = 0; i < p->ninames; i++)
        if (strcmp(p->inames[i], name) == 0) {
            *index = i;
            return 0;
        }
    if (p->ninames == 64)
        return BO_ELIMIT;
    if (!p->inames && !(p->inames = bo__calloc(64, sizeof *p->inames)))
        return BO_ENOMEM;
    if (!(p->inames[p->ninames] = bo__strdup(name)))
        return BO_ENOMEM;
    *index = p->ninames++;
    return 0;
}

void bo__pay_pack_free(bo__pay_pack *p)
{
    if (!p)
        return;
    for (int i = 0; i < p->ncomps; i++) {
        bo__free(p->comps[i].name);
        bo__free(p->comps[i].account);
        bo__free(p->comps[i].expense_account);
    }
    for (int i = 0; i < p->ntables; i++) {
        bo__pay_table *t = &p->tables[i];
        bo__free(t->name);
        bo__free(t->bound);
        bo__free(t->value);
        if (t->keys)
            for (int k = 0; k < t->n; k++)
                bo__free(t->keys[k]);
        bo__free(t->keys);
    }
    bo__pay_nodes_free(p);
    for (int i = 0; i < p->ninames; i++)
        bo__free(p->inames[i]);
    bo__free(p->inames);
    bo__free(p->comps);
    bo__free(p->tables);
    bo__free(p->order);
    bo__free(p->name);
    bo__free(p->file);
    bo__free(p->net_account);
    bo__free(p);
}

/* An exact decimal scalar ("0.0225", "12000000", "-3") as value x SCALE. */
static int decimal(const bo__cfg_doc *d, const bo__cfg_node *v, const char *field,
                   int64_t *out)
{
    if (v->kind != BO__CFG_SCALAR || (v->type != BO__CFG_INT && v->type != BO__CFG_FLOAT))
        return bo__cfg_error(d, v, BO_ECONFIG, "%s: expected a number, got %s",
                             field, bo__cfg_kind_name(v));
    const char *s = v->text;
    int neg = *s == '-', frac = -1;
    if (*s == '-' || *s == '+')
        s++;
    __int128 x = 0;
    for (; *s; s++) {
        if (*s == '.' && frac < 0) {
            frac = 0;
            continue;
        }
        if (*s < '0' || *s > '9')
            return bo__cfg_error(d, v, BO_ECONFIG, "%s: not a plain decimal "
                                 "number (digits and one '.')", field);
        if (frac >= 0 && ++frac > 6)
            return bo__cfg_error(d, v, BO_ECONFIG, "%s: more than 6 decimal "
                                 "places", field);
        x = x * 10 + (*s - '0');
        if (x > (__int128)INT64_MAX)
            break;
    }
    for (int k = frac < 0 ? 0 : frac; k < 6; k++)
        x *= 10;
    if (x > (__int128)INT64_MAX)
        return bo__cfg_error(d, v, BO_ECONFIG, "%s: the number is too large", field);
    *out = neg ? -(int64_t)x : (int64_t)x;
    return 0;
}

static int scale_amount(const bo__cfg_doc *d, const bo__cfg_node *v, int major,
                        int exponent, int64_t *x)
{
    if (major && bo__fx_scale(*x, exponent, x))
        return bo__cfg_error(d, v, BO_ECONFIG, "the amount is too large");
    return 0;
}

static int load_table(bo__pay_pack *p, const bo__cfg_doc *d, const bo__cfg_node *key,
                      const bo__cfg_node *v, bo__pay_table *t)
{
    static const char *const names[] = { "type", "amounts", "rows", "source" };
    const bo__cfg_node *f[4];
    char where[160];
    snprintf(where, sizeof where, "tables.%.100s", key->text);
    int rc;
    if ((rc = bo__cfg_kind(d, v, BO__CFG_MAP, where)) ||
        (rc = bo__cfg_fields(d, v, where, names, f, 4)))
        return rc;
    if (!f[0])
        return bo__cfg_missing(d, v, where, "type");
    if (!f[2])
        return bo__cfg_missing(d, v, where, "rows");
    const char *type, *amounts = "minor";
    if ((rc = bo__cfg_text(d, f[0], "type", &type)) ||
        (f[1] && (rc = bo__cfg_text(d, f[1], "amounts", &amounts))))
        return rc;
    t->type = strcmp(type, "brackets") == 0 ? BO__TABLE_BRACKETS
            : strcmp(type, "flat") == 0 ? BO__TABLE_FLAT
            : strcmp(type, "map") == 0 ? BO__TABLE_MAP : 0;
    if (!t->type)
        return bo__cfg_error(d, f[0], BO_ECONFIG, "%s.type: expected brackets, "
                             "flat or map", where);
    int major = strcmp(amounts, "major") == 0;
    if (!major && strcmp(amounts, "minor") != 0)
        return bo__cfg_error(d, f[1], BO_ECONFIG, "%s.amounts: expected major "
                             "or minor", where);
    const bo__cfg_node *rows = f[2];
    if ((rc = bo__cfg_kind(d, rows, t->type == BO__TABLE_MAP ? BO__CFG_MAP : BO__CFG_SEQ,
                           "rows")))
        return rc;
    int n = (int)(t->type == BO__TABLE_MAP ? rows->n / 2 : rows->n);
    if (n == 0)
        return bo__cfg_error(d, rows, BO_ECONFIG, "%s.rows: no rows", where);
    t->n = n;
    t->bound = bo__calloc((size_t)n, sizeof *t->bound);
    t->value = bo__calloc((size_t)n, sizeof *t->value);
    if (t->type == BO__TABLE_MAP)
        t->keys = bo__calloc((size_t)n, sizeof *t->keys);
    if (!t->bound || !t->value || (t->type == BO__TABLE_MAP && !t->keys))
        return BO_ENOMEM;
    for (int i = 0; i < n; i++) {
        if (t->type == BO__TABLE_MAP) {
            const bo__cfg_node *k = bo__cfg_node_at(d, rows->kids[2 * i]);
            const bo__cfg_node *val = bo__cfg_node_at(d, rows->kids[2 * i + 1]);
            if (!(t->keys[i] = bo__strdup(k->text)))
                return BO_ENOMEM;
            if ((rc = decimal(d, val, "value", &t->value[i])))
                return rc;
            continue;
        }
        const bo__cfg_node *row = bo__cfg_node_at(d, rows->kids[i]);
        if (row->kind != BO__CFG_SEQ || row->n != 2)
            return bo__cfg_error(d, row, BO_ECONFIG, "%s.rows[%d]: expected "
                                 "[bound, rate]", where, i + 1);
        const bo__cfg_node *b = bo__cfg_node_at(d, row->kids[0]);
        const bo__cfg_node *r = bo__cfg_node_at(d, row->kids[1]);
        if (t->type == BO__TABLE_FLAT && i == n - 1 && b->kind == BO__CFG_SCALAR &&
            b->type == BO__CFG_NULL) {
            t->bound[i] = INT64_MAX; /* no upper bound */
        } else if ((rc = decimal(d, b, "bound", &t->bound[i])) ||
                   (rc = scale_amount(d, b, major, p->exponent, &t->bound[i]))) {
            return rc;
        }
        if ((rc = decimal(d, r, "rate", &t->value[i])))
            return rc;
        if (t->bound[i] < 0)
            return bo__cfg_error(d, b, BO_ECONFIG, "%s.rows[%d]: the bound is "
                                 "negative", where, i + 1);
        if (i > 0 && t->bound[i] <= t->bound[i - 1])
            return bo__cfg_error(d, b, BO_ECONFIG, "%s.rows[%d]: out of order: "
                                 "bounds must increase row by row", where, i + 1);
    }
    if (t->type == BO__TABLE_BRACKETS && t->bound[0] != 0)
        return bo__cfg_error(d, rows, BO_ECONFIG, "%s: the first bracket must "
                             "start at 0", where);
    return 0;
}

/* Whether the scalar at v starts with a quote in the source, and whether it
 * sits on one line, so that offsets inside it map to columns. */
static void scalar_shape(const char *yaml, size_t len, const bo__cfg_node *v,
                         int *oneline, int *quoted)
{
    *oneline = strchr(v->text, '\n') == NULL;
    *quoted = 0;
    size_t i = 0;
    for (uint32_t line = 1; line < v->line && i < len; i++)
        if (yaml[i] == '\n')
            line++;
    for (uint32_t col = 1; col < v->column && i < len; i++)
        if (((unsigned char)yaml[i] & 0xC0) != 0x80)
            col++;
    while (i < len && ((unsigned char)yaml[i] & 0xC0) == 0x80)
        i++;
    if (i < len) {
        *quoted = yaml[i] == '"' || yaml[i] == '\'';
        if (yaml[i] == '|' || yaml[i] == '>')
            *oneline = 0;
    }
}

static int load_component(bo__pay_pack *p, const bo__cfg_doc *d,
                          const bo__cfg_node *v, int i)
{
    static const char *const names[] = {
        "name", "kind", "account", "expense_account", "expr", "label", "shown"
    };
    const bo__cfg_node *f[7];
    char where[64];
    snprintf(where, sizeof where, "components[%d]", i + 1);
    int rc;
    if ((rc = bo__cfg_kind(d, v, BO__CFG_MAP, where)) ||
        (rc = bo__cfg_fields(d, v, where, names, f, 7)))
        return rc;
    static const char *const req[] = { "name", "kind", NULL, NULL, "expr" };
    for (int k = 0; k < 5; k++)
        if (req[k] && !f[k])
            return bo__cfg_missing(d, v, where, req[k]);
    bo__pay_comp *c = &p->comps[i];
    const char *name, *kind, *acc = NULL, *exp = NULL, *expr;
    if ((rc = bo__cfg_text(d, f[0], "name", &name)) ||
        (rc = bo__cfg_text(d, f[1], "kind", &kind)) ||
        (f[2] && (rc = bo__cfg_text(d, f[2], "account", &acc))) ||
        (f[3] && (rc = bo__cfg_text(d, f[3], "expense_account", &exp))) ||
        (rc = bo__cfg_text(d, f[4], "expr", &expr)))
        return rc;
    c->kind = strcmp(kind, "earning") == 0 ? BO__PAY_EARNING
            : strcmp(kind, "deduction") == 0 ? BO__PAY_DEDUCTION
            : strcmp(kind, "employer") == 0 ? BO__PAY_EMPLOYER
            : strcmp(kind, "calc") == 0 ? BO__PAY_CALC
            : strcmp(kind, "figure") == 0 ? BO__PAY_FIGURE : 0;
    if (!c->kind)
        return bo__cfg_error(d, f[1], BO_ECONFIG, "%s.kind: expected earning, "
                             "deduction, employer, calc or figure", where);
    if (f[6]) {
        const char *shown;
        if ((rc = bo__cfg_text(d, f[6], "shown", &shown)))
            return rc;
        c->last_only = strcmp(shown, "last") == 0 ? 1 : strcmp(shown, "nonzero") == 0 ? 2
                     : strcmp(shown, "always") == 0 ? 0 : -1;
        if (c->kind != BO__PAY_FIGURE || c->last_only < 0)
            return bo__cfg_error(d, f[6], BO_ECONFIG, "%s.shown: a figure's "
                                 "'always', 'last' (its last period only) or "
                                 "'nonzero'", where);
    }
    if (c->kind != BO__PAY_CALC && c->kind != BO__PAY_FIGURE && !acc)
        return bo__cfg_missing(d, v, where, "account");
    if (c->kind == BO__PAY_EMPLOYER && !exp)
        return bo__cfg_missing(d, v, where, "expense_account");
    const char *s = name;
    int ok = (*s >= 'a' && *s <= 'z') || *s == '_';
    for (; *s && ok; s++)
        ok = (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_';
    if (!ok || strlen(name) > 64 || strcmp(name, "gross") == 0)
        return bo__cfg_error(d, f[0], BO_ECONFIG, "%s.name: a component name is "
                             "[a-z_][a-z0-9_]* (up to 64 bytes), not 'gross'", where);
    for (int k = 0; k < BO__IN_COUNT; k++)
        if (strcmp(name, bo__pay_input_names[k]) == 0)
            return bo__cfg_error(d, f[0], BO_ECONFIG, "%s.name: '%s' is an input",
                                 where, name);
    if (bo__pay_comp_index(p, name) >= 0)
        return bo__cfg_error(d, f[0], BO_ECONFIG, "%s.name: component '%s' is "
                             "defined twice", where, name);
    if (!(c->name = bo__strdup(name)) || (acc && !(c->account = bo__strdup(acc))) ||
        (exp && !(c->expense_account = bo__strdup(exp))))
        return BO_ENOMEM;
    c->line = f[4]->line;
    c->column = f[4]->column;
    return 0;
}

typedef struct graph {
    int n;        /* ncomps + 1 (the gross total) */
    int *deg;     /* unresolved dependencies per node */
    int *edges;   /* n x n adjacency: edges[a * n + b] = a depends on b */
    int cur;
} graph;

static void add_dep(void *ctx, int index)
{
    graph *g = ctx;
    if (!g->edges[g->cur * g->n + index]) {
        g->edges[g->cur * g->n + index] = 1;
        g->deg[g->cur]++;
    }
}

/* Sort topologically; a cycle is reported at one of its members with the
 * path around it. */
static int sort_graph(bo__pay_pack *p, const bo__cfg_doc *d, graph *g)
{
    int n = g->n, done = 0;
    if (!(p->order = bo__malloc((size_t)n * sizeof *p->order)))
        return BO_ENOMEM;
    int *taken = bo__calloc((size_t)n, sizeof *taken);
    if (!taken)
        return BO_ENOMEM;
    while (done < n) {
        int pick = -1;
        for (int i = 0; i < n && pick < 0; i++)
            if (!taken[i] && g->deg[i] == 0)
                pick = i;
        if (pick < 0)
            break;
        taken[pick] = 1;
        p->order[done++] = pick == p->ncomps ? -1 : pick;
        for (int i = 0; i < n; i++)
            if (g->edges[i * n + pick])
                g->deg[i]--;
    }
    p->norder = done;
    if (done == n) {
        bo__free(taken);
        return 0;
    }
    /* Walk dependencies among the unsorted nodes until one repeats. */
    int start = -1;
    for (int i = 0; i < n && start < 0; i++)
        if (!taken[i])
            start = i;
    int *seen = bo__calloc((size_t)n, sizeof *seen), at = start, step = 1;
    if (!seen) {
        bo__free(taken);
        return BO_ENOMEM;
    }
    while (!seen[at]) {
        seen[at] = step++;
        int next = -1;
        for (int j = 0; j < n && next < 0; j++)
            if (!taken[j] && g->edges[at * n + j])
                next = j;
        at = next;
    }
    char path[512] = "";
    size_t len = 0;
    int first = at;
    do {
        const char *nm = at == p->ncomps ? "gross" : p->comps[at].name;
        len += (size_t)snprintf(path + len, len < sizeof path ? sizeof path - len : 0,
                                "%s -> ", nm);
        int next = -1;
        for (int j = 0; j < n && next < 0; j++)
            if (!taken[j] && seen[j] && g->edges[at * n + j])
                next = j;
        at = next;
    } while (at != first && at >= 0 && len < sizeof path);
    snprintf(path + (len < sizeof path ? len : sizeof path - 1),
             len < sizeof path ? sizeof path - len : 1, "%s",
             first == p->ncomps ? "gross" : p->comps[first].name);
    int c = first == p->ncomps ? 0 : first;
    for (int i = 0; first == p->ncomps && i < p->ncomps; i++)
        if (!taken[i]) {
            c = i;
            break;
        }
    bo__free(seen);
    bo__free(taken);
    bo__cfg_node at_node;
    memset(&at_node, 0, sizeof at_node);
    at_node.line = p->comps[c].line;
    at_node.column = p->comps[c].column;
    return bo__cfg_error(d, &at_node, BO_ECONFIG, "component '%s': the components "
                         "form a cycle: %s", p->comps[c].name, path);
}

/* The pack's name and currency, its net pay account, its working day. */
static int compile_header(bo__pay_pack *p, const bo__cfg_doc *d, const bo__cfg_node *const f[8])
{
    int rc;
    const char *name, *cur;
    if ((rc = bo__cfg_text(d, f[0], "pack", &name)) ||
        (rc = bo__cfg_text(d, f[1], "currency", &cur)))
        return rc;
    if ((rc = bo__cfg_checked(d, f[0], bo__name_check("pack", name, 64))))
        return rc;
    if (strlen(cur) > BO_CURRENCY_MAX || bo_currency_exponent(cur, &p->exponent))
        return bo__cfg_error(d, f[1], BO_ECONFIG, "currency: unknown currency");
    strcpy(p->currency, cur);
    if (!(p->name = bo__strdup(name)))
        return BO_ENOMEM;

    static const char *const acc_names[] = { "net_pay" };
    const bo__cfg_node *acc[1];
    const char *net;
    if ((rc = bo__cfg_kind(d, f[4], BO__CFG_MAP, "accounts")) ||
        (rc = bo__cfg_fields(d, f[4], "accounts", acc_names, acc, 1)))
        return rc;
    if (!acc[0])
        return bo__cfg_missing(d, f[4], "accounts", "net_pay");
    if ((rc = bo__cfg_text(d, acc[0], "accounts.net_pay", &net)))
        return rc;
    if (!(p->net_account = bo__strdup(net)))
        return BO_ENOMEM;

    if (f[5]) {
        static const char *const time_names[] = {
            "regular_hours_per_day", "overtime_max_per_day", "overtime_max_per_week",
            "work_days_per_week"
        };
        const bo__cfg_node *t[4];
        if ((rc = bo__cfg_kind(d, f[5], BO__CFG_MAP, "time")) ||
            (rc = bo__cfg_fields(d, f[5], "time", time_names, t, 4)))
            return rc;
        if (t[3] && (rc = bo__cfg_int(d, t[3], "time.work_days_per_week", 5, 6,
                                      &p->week_days)))
            return rc;
        int cap;
        if (t[1] && (rc = bo__cfg_int(d, t[1], "time.overtime_max_per_day", 1, 24, &cap)))
            return rc;
        p->ot_day_max = t[1] ? (int64_t)cap * 60 : 0;
        if (t[2] && (rc = bo__cfg_int(d, t[2], "time.overtime_max_per_week", 1, 168, &cap)))
            return rc;
        p->ot_week_max = t[2] ? (int64_t)cap * 60 : 0;
        if (t[0]) {
            int h;
            if ((rc = bo__cfg_int(d, t[0], "time.regular_hours_per_day", 1, 24, &h)))
                return rc;
            p->regular_minutes = h * 60;
        }
    }
    return 0;
}

/* The lookup tables (the "tables" map, when there is one). */
static int compile_tables(bo__pay_pack *p, const bo__cfg_doc *d, const bo__cfg_node *tables)
{
    int rc;
    if (!tables)
        return 0;
    if ((rc = bo__cfg_kind(d, tables, BO__CFG_MAP, "tables")))
        return rc;
    p->tables = bo__calloc(tables->n / 2 + 1, sizeof *p->tables);
    if (!p->tables)
        return BO_ENOMEM;
    for (uint32_t k = 0; k < tables->n; k += 2) {
        const bo__cfg_node *key = bo__cfg_node_at(d, tables->kids[k]);
        bo__pay_table *t = &p->tables[p->ntables++];
        if (!(t->name = bo__strdup(key->text)))
            return BO_ENOMEM;
        if ((rc = load_table(p, d, key, bo__cfg_node_at(d, tables->kids[k + 1]), t)))
            return rc;
    }
    return 0;
}

/* The components, each expression parsed; an error in an expression is
 * placed at its line and column in the YAML. */
static int compile_components(bo__pay_pack *p, const bo__cfg_doc *d,
                              const bo__cfg_node *comps, const char *yaml, size_t len)
{
    int rc;
    if ((rc = bo__cfg_kind(d, comps, BO__CFG_SEQ, "components")))
        return rc;
    if (comps->n == 0 || comps->n > 1000)
        return bo__cfg_error(d, comps, BO_ECONFIG, "components: 1 to 1000 needed");
    if (!(p->comps = bo__calloc(comps->n, sizeof *p->comps)))
        return BO_ENOMEM;
    const bo__cfg_node **exprs = bo__calloc(comps->n, sizeof *exprs);
    if (!exprs)
        return BO_ENOMEM;
    for (uint32_t i = 0; i < comps->n && !rc; i++) {
        const bo__cfg_node *v = bo__cfg_node_at(d, comps->kids[i]);
        rc = load_component(p, d, v, (int)i);
        p->ncomps = (int)i + 1;
        if (!rc) {
            /* the expression node: the value of key "expr" */
            for (uint32_t k = 0; k < v->n; k += 2)
                if (strcmp(bo__cfg_node_at(d, v->kids[k])->text, "expr") == 0)
                    exprs[i] = bo__cfg_node_at(d, v->kids[k + 1]);
        }
    }
    for (int i = 0; i < p->ncomps && !rc; i++) {
        bo__pay_comp *c = &p->comps[i];
        size_t off;
        scalar_shape(yaml, len, exprs[i], &c->oneline, &c->quoted);
        if ((rc = bo__pay_parse(p, i, exprs[i]->text, &c->root, &off))) {
            if (rc == BO_ENOMEM)
                break;
            bo__error_state es;
            bo__error_save(&es);
            bo__cfg_node at = *exprs[i];
            if (c->oneline)
                at.column += (uint32_t)off + (uint32_t)c->quoted;
            rc = bo__cfg_error(d, &at, rc, "component '%s': %s", c->name, es.msg);
        }
    }
    bo__free(exprs);
    return rc;
}

/* The order the components are computed in: every reference before its
 * user, the gross total (the extra node) after every earning; a cycle is an
 * error naming it. */
static int compile_order(bo__pay_pack *p, const bo__cfg_doc *d)
{
    graph g;
    g.n = p->ncomps + 1;
    g.deg = bo__calloc((size_t)g.n, sizeof *g.deg);
    g.edges = bo__calloc((size_t)g.n * (size_t)g.n, sizeof *g.edges);
    if (!g.deg || !g.edges) {
        bo__free(g.deg);
        bo__free(g.edges);
        return BO_ENOMEM;
    }
    for (int i = 0; i < p->ncomps; i++) {
        g.cur = i;
        bo__pay_refs(p, i, add_dep, &g);
        if (p->comps[i].kind == BO__PAY_EARNING) {
            g.cur = p->ncomps;
            add_dep(&g, i);
        }
    }
    int rc = sort_graph(p, d, &g);
    bo__free(g.deg);
    bo__free(g.edges);
    return rc;
}

static int compile(bo__pay_pack *p, const bo__cfg_doc *d, const char *yaml, size_t len)
{
    static const char *const names[] = {
        "pack", "currency", "description", "source", "accounts", "time",
        "tables", "components", "fixpoint"
    };
    const bo__cfg_node *f[9];
    const bo__cfg_node *root = bo__cfg_node_at(d, d->root);
    int rc;
    if (!root)
        return bo__cfg_error(d, NULL, BO_ECONFIG, "the rule pack is empty");
    if ((rc = bo__cfg_kind(d, root, BO__CFG_MAP, "rule pack")) ||
        (rc = bo__cfg_fields(d, root, "the rule pack", names, f, 9)))
        return rc;
    static const char *const req[] = { "pack", "currency", NULL, NULL, "accounts",
                                       NULL, NULL, "components", NULL };
    for (int k = 0; k < 8; k++)
        if (req[k] && !f[k])
            return bo__cfg_missing(d, root, "the rule pack", req[k]);
    if ((rc = compile_header(p, d, f)) || (rc = compile_tables(p, d, f[6])) ||
        (rc = compile_components(p, d, f[7], yaml, len)))
        return rc;
    p->fixpoint = -1;
    if (f[8]) {
        const char *fp;
        if ((rc = bo__cfg_text(d, f[8], "fixpoint", &fp)))
            return rc;
        if ((p->fixpoint = bo__pay_comp_index(p, fp)) < 0)
            return bo__cfg_error(d, f[8], BO_ECONFIG, "fixpoint: unknown component '%.100s'",
                                 fp);
    }
    return compile_order(p, d);
}

int bo__pay_pack_compile(const char *yaml, size_t len, const char *file,
                         bo__pay_pack **out)
{
    *out = NULL;
    if (!yaml)
        return bo__error_set(BO_EINVAL, "yaml: NULL");
    if (!file)
        file = "<pack>";
    if (len > BO_PAYROLL_PACK_MAX)
        return bo__error_set(BO_ELIMIT, "%s:1:1: the rule pack is %zu bytes, more "
                             "than the limit of %d", file, len, BO_PAYROLL_PACK_MAX);
    bo__pay_pack *p = bo__calloc(1, sizeof *p);
    if (!p || !(p->file = bo__strdup(file))) {
        bo__free(p);
        return BO_ENOMEM;
    }
    bo__cfg_doc doc;
    memset(&doc, 0, sizeof doc);
    int rc = bo__cfg_parse(&doc, file, yaml, len);
    if (!rc)
        rc = compile(p, &doc, yaml, len);
    bo__cfg_doc_free(&doc);
    if (rc) {
        bo__pay_pack_free(p);
        return rc;
    }
    unsigned char h[BO__SHA256_BYTES];
    bo__sha256(yaml, len, h);
    bo__hex(h, sizeof h, p->digest);
    *out = p;
    return 0;
}

static int eval_once(const bo__pay_pack *p, const bo__pay_input *in,
                     int64_t *values, int64_t *gross)
{
    int64_t g = 0, v;
    for (int i = 0; i < p->ncomps; i++)
        values[i] = 0;
    for (int k = 0; k < p->norder; k++) {
        int i = p->order[k];
        if (i < 0) {
            bo__fx_sum sum = BO__FX_SUM_INIT;
            for (int j = 0; j < p->ncomps; j++)
                if (p->comps[j].kind == BO__PAY_EARNING)
                    bo__fx_sum_add(&sum, values[j]);
            if (bo__fx_sum_get(&sum, &g))
                return bo__error_set(BO_EOVERFLOW, "%s: gross: the total overflows",
                                     p->file);
            continue;
        }
        int rc = bo__pay_eval_node(p, i, p->comps[i].root, in, values, g, &v);
        if (rc)
            return rc;
        /* A paid component's value is a whole number of minor units; a
         * calc keeps its 6 decimals (rates, categories). */
        if (p->comps[i].kind == BO__PAY_CALC)
            values[i] = v;
        else if (bo__pay_round(v, 0, 0, &values[i]))
            return bo__error_set(BO_EOVERFLOW, "%s: component '%s': overflows",
                                 p->file, p->comps[i].name);
    }
    /* Paid values are whole minor units (rounded above): exact divisions. */
    *gross = g / BO__PAY_SCALE;
    for (int i = 0; i < p->ncomps; i++)
        if (p->comps[i].kind != BO__PAY_CALC)
            values[i] /= BO__PAY_SCALE;
    return 0;
}

/* The pack's fixed point (key fixpoint: C): the least v >= 0 with
 * v = C(v), C evaluated with the input fixpoint = v. Iterating from 0
 * reaches it when C does not decrease as v grows (a tax borne by the
 * employer: the tax on the income it raises): v(k+1) = C(v(k)) climbs to
 * the least fixed point and stays there. The tax grows by less than the
 * income, so a few rounds suffice; more than BO__PAY_FIXPOINT_ROUNDS is
 * BO_EEVAL naming the component. */
#define BO__PAY_FIXPOINT_ROUNDS 64
int bo__pay_eval(const bo__pay_pack *p, const bo__pay_input *in,
                 int64_t *values, int64_t *gross)
{
    if (p->fixpoint < 0)
        return eval_once(p, in, values, gross);
    bo__pay_input at = *in;
    at.in[BO__IN_FIXPOINT] = 0;
    const bo__pay_comp *c = &p->comps[p->fixpoint];
    for (int round = 0; round < BO__PAY_FIXPOINT_ROUNDS; round++) {
        int rc = eval_once(p, &at, values, gross);
        if (rc)
            return rc;
        int64_t v = values[p->fixpoint];
        /* a paid or figure value is in minor units: scale it back */
        if (c->kind != BO__PAY_CALC && bo__fx_scale(v, BO__PAY_PLACES, &v))
            return bo__error_set(BO_EOVERFLOW, "%s: fixpoint: component '%s': overflows",
                                 p->file, c->name);
        if (v < 0)
            v = 0;
        if (v == at.in[BO__IN_FIXPOINT])
            return 0;
        if (v < at.in[BO__IN_FIXPOINT])
            return bo__error_set(BO_EEVAL, "%s: fixpoint: component '%s' decreases as "
                                 "fixpoint grows: no least fixed point", p->file, c->name);
        at.in[BO__IN_FIXPOINT] = v;
    }
    return bo__error_set(BO_EEVAL, "%s: fixpoint: component '%s' found no fixed point in "
                         "%d rounds", p->file, c->name, BO__PAY_FIXPOINT_ROUNDS);
}

int bo_payroll_pack_check(const char *yaml, size_t len, const char *file)
{
    bo__error_clear();
    bo__pay_pack *p;
    int rc = bo__pay_pack_compile(yaml, len, file, &p);
    bo__pay_pack_free(p);
    return rc;
}
