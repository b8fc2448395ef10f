/*
 * Tamper evidence over the tables: the registry of what covers each table
 * (src/core/verify.h), the states a transaction records before it commits,
 * and the verification that recomputes them from today's rows.
 *
 * Recording. Every audit record names the kind and key of what it changed
 * (its action and object, mapped by the domains' bo__vaction lists); calls
 * that change a record their audit record does not name touch it
 * (bo__audit_touch). Before the outermost commit, the state of each touched
 * record is computed from its rows (a SHA-256 per table of the kind, over
 * the canonical form of its rows in a fixed order; "-" when it has no rows
 * left) and stored in audit_states with the seq of the transaction's last
 * audit record; that record's extra gets the digest of those rows and its
 * hash is computed again (nothing chains from it yet). A transaction that
 * appended no record gets one ("audit.state").
 *
 * Verifying. The chain is walked as before (every record re-hashed, extra
 * included), and each record's states are re-hashed from audit_states. Then,
 * for every kind, the rows of its tables are read in key order alongside
 * the last recorded state of each key, and compared: a key with rows but no
 * state was inserted, a state without rows was deleted, a different digest
 * names the table whose rows differ. Checks recompute the tables derived
 * from others. Every table is read once, in chunks of rows ordered by key
 * (constant memory, no statement open over a whole table), and no query is
 * made per row.
 *
 * The SQL of each table's part is generated once from the schema's list of
 * columns into a static arena (no allocation: it outlives every book and
 * every allocator a host installs), so a column added to a table is part of
 * the state unless a part leaves it out by name.
 */
#include "core/domain.h"
#include "core/verify.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What each domain declares for the full verification, the core's first:
 * the verify member of its descriptor (src/core/domain.h). */
static const bo__vdomain no_coverage;
static const bo__vdomain *vdomain(int d)
{
    const bo__domain *dom = bo__domain_at(d);
    return dom && dom->verify ? dom->verify : &no_coverage;
}

static const char ZERO_HASH[] =
    "0000000000000000000000000000000000000000000000000000000000000000";

/* A part's digest as a state stores it since schema 25: SHA-256's 32 bytes
 * in base64url without padding (PART_B64 characters), "-" for a part
 * without rows. States recorded before hold 64 hex digits a part, the
 * digest of no bytes (e3b0c442...b855) for a part without rows; both forms are
 * read, part by part (part_same), and the chain hashes a state's text as
 * stored, so records written before verify as they did. Not libsodium's
 * encoder (src/core/crypt.c): it is constant-time, for secrets, and cost
 * about 2,300 instructions a digest, 18,600 a sale (docs/performance.md);
 * a digest is no secret. */
#define PART_B64 43
static size_t part_b64(const unsigned char d[32], char *out)
{
    static const char a[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    size_t o = 0;
    for (int i = 0; i < 30; i += 3) {
        uint32_t v = (uint32_t)d[i] << 16 | (uint32_t)d[i + 1] << 8 | d[i + 2];
        out[o++] = a[v >> 18];
        out[o++] = a[v >> 12 & 63];
        out[o++] = a[v >> 6 & 63];
        out[o++] = a[v & 63];
    }
    uint32_t v = (uint32_t)d[30] << 8 | d[31];
    out[o++] = a[v >> 10];
    out[o++] = a[v >> 4 & 63];
    out[o++] = a[(v & 15) << 2];
    out[o] = '\0';
    return o;
}

/* Whether a part's recorded digest w (wl characters, either form) is the
 * digest d of rows rows: 1 yes, 0 no, -1 a form neither writes. */
static int part_same(const char *w, size_t wl, const unsigned char d[32], int rows)
{
    char t[65];
    if (wl == 1 && w[0] == '-')
        return rows == 0;
    if (wl == PART_B64) {
        part_b64(d, t);
        return rows > 0 && memcmp(w, t, PART_B64) == 0;
    }
    if (wl == 64) {
        bo__hex(d, 32, t);
        return memcmp(w, t, 64) == 0;
    }
    return -1;
}

/* ---- the registry ---------------------------------------------------------- */

#define MAX_KINDS 256
#define MAX_PARTS 512
#define MAX_ACTIONS 1024
#define MAX_ALIASES 256
#define MAX_COLS 40
/* Keys a statement when the states of touched records are read together. */
#define STATES_PER_READ 64

typedef struct rpart {
    const bo__vpart *p;
    const bo__table *table;
    const char *one, *first, *next;
    const char *many;   /* the rows of STATES_PER_READ keys, key first */
    int ncols;          /* state columns */
    const char *types;  /* their types, 'i' or 't' */
    char keytypes[8];   /* the key, then the order columns */
    int nkey;
} rpart;

typedef struct rkind {
    const bo__vkind *k;
    rpart *parts;
    const char *first, *next; /* its states: the last per key */
    int ord;                  /* its place in R.kind_list (states in one pass) */
} rkind;

static struct {
    pthread_once_t once;
    int rc;
    char err[256];
    char arena[128 * 1024]; /* about 30 KiB used by the 61 parts of schema 10,
                               twice that with the statements of many keys */
    size_t used;
    rkind kinds[MAX_KINDS];
    int nkinds;
    const rkind *by_name[MAX_KINDS];
    rpart parts[MAX_PARTS];
    int nparts;
    const bo__vaction *actions[MAX_ACTIONS];
    int nactions;
    const bo__valias *aliases[MAX_ALIASES]; /* by old name */
    int naliases;
    const char *kind_list; /* ",kind,kind,...," in the verification's order */
} R = { .once = PTHREAD_ONCE_INIT };

static int reg_fail(const char *fmt, ...) BO__PRINTF(1, 2);
static int reg_fail(const char *fmt, ...)
{
    if (!R.rc) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(R.err, sizeof R.err, fmt, ap);
        va_end(ap);
        R.rc = BO_ERROR;
    }
    return R.rc;
}

/* A string built in the arena: begin, append pieces, end. */
static char *sb_at;
static void sb_begin(void)
{
    sb_at = R.arena + R.used;
}
static void sb_put(const char *s, size_t n)
{
    if (R.rc)
        return;
    if (R.used + n + 1 > sizeof R.arena) {
        reg_fail("verify: the registry's SQL does not fit in its arena");
        return;
    }
    memcpy(R.arena + R.used, s, n);
    R.used += n;
}
static void sb_puts(const char *s)
{
    sb_put(s, strlen(s));
}
/* A state read's tail: " AND (where)" when the part has one, then
 * " ORDER BY [first, ]order". */
static void sb_where_order(const char *where, const char *first, const char *order)
{
    if (where) {
        sb_puts(" AND (");
        sb_puts(where);
        sb_puts(")");
    }
    sb_puts(" ORDER BY ");
    if (first) {
        sb_puts(first);
        sb_puts(", ");
    }
    sb_puts(order);
}
static const char *sb_end(void)
{
    if (R.rc)
        return "";
    R.arena[R.used++] = '\0';
    return sb_at;
}

/* Split "a, b, c" (or "a b c" for lists of names) into up to max items
 * (pointers into a copy kept in buf). */
static int split(const char *list, char sep, char *buf, size_t size,
                 const char **items, int max)
{
    int n = 0;
    if (!list)
        return 0;
    snprintf(buf, size, "%s", list);
    char *p = buf;
    while (*p && n < max) {
        while (*p == ' ' || *p == sep)
            p++;
        if (!*p)
            break;
        items[n++] = p;
        while (*p && *p != sep)
            p++;
        char *end = p;
        while (end > items[n - 1] && end[-1] == ' ')
            end--;
        if (*p)
            p++;
        *end = '\0';
    }
    return n;
}

static const bo__table *schema_table(const char *name)
{
    const bo__table *t;
    for (int i = 0; (t = bo__schema_table(i)); i++)
        if (strcmp(t->name, name) == 0)
            return t;
    return NULL;
}

/* The expression a part reads column col through ("col=expr;..."), or NULL. */
static const char *subst_of(const char *subst, const char *col, size_t *len)
{
    size_t n = strlen(col);
    for (const char *p = subst; p && *p;) {
        const char *eq = strchr(p, '='), *end = strchr(p, ';');
        if (!eq)
            break;
        if (!end)
            end = p + strlen(p);
        if ((size_t)(eq - p) == n && strncmp(p, col, n) == 0) {
            *len = (size_t)(end - eq - 1);
            return eq + 1;
        }
        p = *end ? end + 1 : end;
    }
    return NULL;
}

static int in_list(const char *const *items, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(items[i], name) == 0)
            return 1;
    return 0;
}

static void build_part(const bo__vkind *k, const bo__vpart *p, rpart *rp)
{
    char cbuf[1024], tbuf[256], obuf[256], ombuf[512];
    const char *cols[MAX_COLS], *order[8], *omit[MAX_COLS];
    rp->p = p;
    rp->table = schema_table(p->table);
    if (!rp->table) {
        reg_fail("verify: kind '%s' names table '%s', which the schema does "
                 "not list", k->name, p->table);
        return;
    }
    const bo__table *t = rp->table;
    int nc = split(t->columns, ',', cbuf, sizeof cbuf, cols, MAX_COLS);
    snprintf(tbuf, sizeof tbuf, "%s", t->types);
    if ((int)strlen(tbuf) != nc) {
        reg_fail("verify: table '%s': its column list and types disagree",
                 t->name);
        return;
    }
    int no = split(p->order ? p->order : t->order_by, ',', obuf, sizeof obuf,
                   order, 7);
    int nm = split(p->omit, ' ', ombuf, sizeof ombuf, omit, MAX_COLS);
    for (int i = 0; i < nm; i++)
        if (!in_list(cols, nc, omit[i]))
            reg_fail("verify: table '%s' has no column '%s' to leave out",
                     t->name, omit[i]);
    const char *key = p->key ? p->key : "t.id";

    /* The key's and the order columns' types. */
    rp->keytypes[0] = k->text ? 't' : 'i';
    for (int i = 0; i < no; i++) {
        int c = -1;
        for (int j = 0; j < nc; j++)
            if (strcmp(cols[j], order[i]) == 0)
                c = j;
        if (c < 0 || (tbuf[c] != 'i' && tbuf[c] != 't')) {
            reg_fail("verify: table '%s': order column '%s' is not an integer "
                     "or text column", t->name, order[i]);
            return;
        }
        rp->keytypes[i + 1] = tbuf[c];
    }
    rp->keytypes[no + 1] = '\0';
    rp->nkey = no + 1;

    /* The state columns and their types. */
    sb_begin();
    int n = 0;
    for (int j = 0; j < nc; j++) {
        if (in_list(omit, nm, cols[j]))
            continue;
        if (tbuf[j] != 'i' && tbuf[j] != 't') {
            reg_fail("verify: table '%s': column '%s' holds bytes; leave it "
                     "out and check it another way", t->name, cols[j]);
            return;
        }
        sb_put(&tbuf[j], 1);
        n++;
    }
    if (p->also) {
        const char *at = p->also_types ? p->also_types : "";
        for (const char *q = at; *q; q++)
            if (*q != 'i' && *q != 't')
                reg_fail("verify: table '%s': joined column type '%s'", t->name, at);
        sb_puts(at);
        n += (int)strlen(at);
    }
    rp->types = sb_end();
    rp->ncols = n;

    /* "t.a, expr, t.c" */
    char sel[2048];
    size_t sl = 0;
    sel[0] = '\0';
    for (int j = 0; j < nc; j++) {
        if (in_list(omit, nm, cols[j]))
            continue;
        size_t elen = 0;
        const char *e = subst_of(p->subst, cols[j], &elen);
        int w = e ? snprintf(sel + sl, sizeof sel - sl, "%s%.*s", sl ? ", " : "",
                             (int)elen, e)
                  : snprintf(sel + sl, sizeof sel - sl, "%st.%s", sl ? ", " : "",
                             cols[j]);
        if (w < 0 || (size_t)w >= sizeof sel - sl) {
            reg_fail("verify: table '%s': select list too long", t->name);
            return;
        }
        sl += (size_t)w;
    }
    if (p->also) {
        int w = snprintf(sel + sl, sizeof sel - sl, "%s%s", sl ? ", " : "", p->also);
        if (w < 0 || (size_t)w >= sizeof sel - sl) {
            reg_fail("verify: table '%s': select list too long", t->name);
            return;
        }
        sl += (size_t)w;
    }
    char ord[256] = "", params[64] = "?";
    size_t ol = 0;
    for (int i = 0; i < no; i++) {
        ol += (size_t)snprintf(ord + ol, sizeof ord - ol, "%st.%s", i ? ", " : "",
                               order[i]);
        strcat(params, ", ?");
    }
    char from[256];
    if (p->from)
        snprintf(from, sizeof from, "%s", p->from);
    else
        snprintf(from, sizeof from, "%s t", t->name);

    sb_begin();
    sb_puts("SELECT ");
    sb_puts(sel);
    sb_puts(" FROM ");
    sb_puts(from);
    sb_puts(" WHERE ");
    sb_puts(key);
    sb_puts(" = ?");
    sb_where_order(p->where, NULL, ord);
    rp->one = sb_end();

    sb_begin();
    sb_puts("SELECT ");
    sb_puts(key);
    sb_puts(", ");
    sb_puts(sel);
    sb_puts(" FROM ");
    sb_puts(from);
    sb_puts(" WHERE ");
    sb_puts(key);
    sb_puts(" IN (?");
    for (int i = 1; i < STATES_PER_READ; i++)
        sb_puts(", ?");
    sb_puts(")");
    sb_where_order(p->where, key, ord);
    rp->many = sb_end();

    for (int pass = 0; pass < 2; pass++) {
        sb_begin();
        sb_puts("SELECT ");
        sb_puts(key);
        sb_puts(", ");
        sb_puts(ord);
        sb_puts(", ");
        sb_puts(sel);
        sb_puts(" FROM ");
        sb_puts(from);
        if (pass) {
            sb_puts(" WHERE (");
            sb_puts(key);
            sb_puts(", ");
            sb_puts(ord);
            sb_puts(") > (");
            sb_puts(params);
            sb_puts(")");
        }
        if (p->where) {
            sb_puts(pass ? " AND (" : " WHERE (");
            sb_puts(p->where);
            sb_puts(")");
        }
        sb_puts(" ORDER BY ");
        sb_puts(key);
        sb_puts(", ");
        sb_puts(ord);
        sb_puts(" LIMIT 512");
        if (pass)
            rp->next = sb_end();
        else
            rp->first = sb_end();
    }
}

/* The last recorded state of every key of a kind, in key order, in chunks
 * of keys, each key's through the index by record (PostgreSQL). */
static const char SQL_STATES_INT[] =
    "SELECT s.id, s.seq, s.digest FROM audit_states s WHERE s.kind = ?"
    " AND s.name = '' AND s.seq = (SELECT MAX(x.seq) FROM audit_states x"
    " WHERE x.kind = s.kind AND x.id = s.id AND x.name = s.name)"
    " ORDER BY s.id LIMIT 512";
static const char SQL_STATES_INT_NEXT[] =
    "SELECT s.id, s.seq, s.digest FROM audit_states s WHERE s.kind = ?"
    " AND s.name = '' AND s.id > ? AND s.seq = (SELECT MAX(x.seq) FROM"
    " audit_states x WHERE x.kind = s.kind AND x.id = s.id AND x.name = s.name)"
    " ORDER BY s.id LIMIT 512";
static const char SQL_STATES_TEXT[] =
    "SELECT s.name, s.seq, s.digest FROM audit_states s WHERE s.kind = ?"
    " AND s.id = 0 AND s.seq = (SELECT MAX(x.seq) FROM audit_states x"
    " WHERE x.kind = s.kind AND x.id = s.id AND x.name = s.name)"
    " ORDER BY s.name LIMIT 512";
static const char SQL_STATES_TEXT_NEXT[] =
    "SELECT s.name, s.seq, s.digest FROM audit_states s WHERE s.kind = ?"
    " AND s.id = 0 AND s.name > ? AND s.seq = (SELECT MAX(x.seq) FROM"
    " audit_states x WHERE x.kind = s.kind AND x.id = s.id AND x.name = s.name)"
    " ORDER BY s.name LIMIT 512";

/* The states in one pass (SQLite, where audit_states has no index by
 * record since schema version 20: src/core/schema_core.c): every state
 * row, sorted once by the kind's place in the verification (its offset in
 * R.kind_list, bound; 0 for a kind no domain declares, passed over), key
 * and record, so a key's last state is the last of its rows. SQLite's
 * sorter keeps a bounded part in memory (the page cache's size) and
 * spills the rest to temporary files, so memory stays flat as the book
 * grows; but with temp_store=MEMORY, the connection's setting (the driver's:
 * savepoints' journals stay in memory), it holds the whole sort in memory.
 * The sort is begun under temp_store=FILE, set back once it is done. */
static const char SQL_STATES_ALL[] =
    "SELECT instr(?, ',' || kind || ','), id, name, seq, digest FROM audit_states"
    " ORDER BY 1, id, name, seq";
static const char SQL_SORT_ON_FILE[] = "PRAGMA temp_store=FILE";
static const char SQL_SORT_IN_MEMORY[] = "PRAGMA temp_store=MEMORY";

static int by_name_cmp(const void *a, const void *b)
{
    return strcmp((*(const rkind *const *)a)->k->name,
                  (*(const rkind *const *)b)->k->name);
}

static int action_cmp(const void *a, const void *b)
{
    const bo__vaction *x = *(const bo__vaction *const *)a,
                      *y = *(const bo__vaction *const *)b;
    int c = strcmp(x->action, y->action);
    return c ? c : (x < y ? -1 : x > y);
}

static int alias_cmp(const void *a, const void *b)
{
    return strcmp((*(const bo__valias *const *)a)->old,
                  (*(const bo__valias *const *)b)->old);
}

static size_t action_first(const char *action);
static const bo__valias *alias_find(const char *old);

/* Every alias names a declared action and is not itself one, once. */
static void check_aliases(void)
{
    qsort(R.aliases, (size_t)R.naliases, sizeof R.aliases[0], alias_cmp);
    for (int i = 0; i < R.naliases; i++) {
        const bo__valias *al = R.aliases[i];
        if (i && !strcmp(al->old, R.aliases[i - 1]->old))
            reg_fail("verify: alias '%s' is declared twice", al->old);
        else if (action_first(al->old) != (size_t)R.nactions)
            reg_fail("verify: alias '%s' is also an action", al->old);
        else if (action_first(al->action) == (size_t)R.nactions)
            reg_fail("verify: alias '%s' names action '%s', which is not declared",
                     al->old, al->action);
    }
}

static void build_registry(void)
{
    for (int d = 0; bo__domain_at(d); d++) {
        const bo__vdomain *dom = vdomain(d);
        for (int i = 0; i < dom->nkinds; i++) {
            const bo__vkind *k = &dom->kinds[i];
            if (R.nkinds == MAX_KINDS || R.nparts + k->nparts > MAX_PARTS) {
                reg_fail("verify: too many kinds or parts (at '%s')", k->name);
                return;
            }
            rkind *rk = &R.kinds[R.nkinds++];
            rk->k = k;
            rk->parts = &R.parts[R.nparts];
            rk->first = k->text ? SQL_STATES_TEXT : SQL_STATES_INT;
            rk->next = k->text ? SQL_STATES_TEXT_NEXT : SQL_STATES_INT_NEXT;
            for (int j = 0; j < k->nparts; j++)
                build_part(k, &k->parts[j], &R.parts[R.nparts++]);
        }
        for (int i = 0; i < dom->nactions; i++) {
            if (R.nactions == MAX_ACTIONS) {
                reg_fail("verify: too many actions");
                return;
            }
            R.actions[R.nactions++] = &dom->actions[i];
        }
        for (int i = 0; i < dom->naliases; i++) {
            if (R.naliases == MAX_ALIASES) {
                reg_fail("verify: too many aliases");
                return;
            }
            R.aliases[R.naliases++] = &dom->aliases[i];
        }
    }
    /* The kinds in the verification's order, for the states in one pass. */
    sb_begin();
    sb_puts(",");
    for (int i = 0; i < R.nkinds; i++) {
        R.kinds[i].ord = (int)(R.arena + R.used - sb_at); /* instr()'s, 1-based */
        sb_puts(R.kinds[i].k->name);
        sb_puts(",");
    }
    R.kind_list = sb_end();
    for (int i = 0; i < R.nkinds; i++)
        R.by_name[i] = &R.kinds[i];
    qsort(R.by_name, (size_t)R.nkinds, sizeof R.by_name[0], by_name_cmp);
    for (int i = 1; i < R.nkinds; i++)
        if (strcmp(R.by_name[i]->k->name, R.by_name[i - 1]->k->name) == 0)
            reg_fail("verify: kind '%s' is declared twice", R.by_name[i]->k->name);
    qsort(R.actions, (size_t)R.nactions, sizeof R.actions[0], action_cmp);
    check_aliases();
}

static void build_once(void)
{
    build_registry();
}

static int registry(void)
{
    pthread_once(&R.once, build_once);
    return R.rc ? bo__error_set(R.rc, "%s", R.err) : 0;
}

static const rkind *kind_find(const char *name)
{
    size_t lo = 0, hi = (size_t)R.nkinds;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(name, R.by_name[mid]->k->name);
        if (c == 0)
            return R.by_name[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

/* ---- touched records --------------------------------------------------------- */

struct bo__touch {
    const rkind *k;
    int64_t id;
    char *name;
    char *digest;  /* given (bo__audit_touch_state) or captured, or NULL */
    int captured;  /* digest is a capture (bo__vcap_end): a later touch drops it */
    size_t ord;    /* the order touched */
};

void bo__verify_forget(bo_book *b)
{
    for (size_t i = 0; i < b->ntouched; i++) {
        bo__free(b->touched[i].name);
        bo__free(b->touched[i].digest);
    }
    b->ntouched = 0;
    b->tx_last_seq = 0;
    b->held_seq = 0; /* a held record goes with its transaction (audit.c) */
    if (b->depth == 0 && b->touched_cap > 64) {
        /* A large transaction's list is not kept for the next one. */
        bo__free(b->touched);
        b->touched = NULL;
        b->touched_cap = 0;
    }
}

void bo__verify_free(bo_book *b)
{
    bo__verify_forget(b);
    bo__buf_free(&b->last_text);
    bo__buf_free(&b->held_detail);
    bo__free(b->touched);
    b->touched = NULL;
    b->touched_cap = 0;
}

static int touch(bo_book *b, const rkind *k, int64_t id, const char *name)
{
    if (b->ntouched) {
        /* The same record again (a call touching it twice): cheap to skip. */
        struct bo__touch *l = &b->touched[b->ntouched - 1];
        if (l->k == k && l->id == id && (!name || strcmp(l->name, name) == 0)) {
            if (l->captured) { /* written again since: read it back */
                bo__free(l->digest);
                l->digest = NULL;
                l->captured = 0;
            }
            return 0;
        }
    }
    if (b->ntouched == b->touched_cap) {
        size_t cap = b->touched_cap ? b->touched_cap * 2 : 16;
        struct bo__touch *t = bo__realloc(b->touched, cap * sizeof *t);
        if (!t)
            return BO_ENOMEM;
        b->touched = t;
        b->touched_cap = cap;
    }
    struct bo__touch *t = &b->touched[b->ntouched];
    t->k = k;
    t->id = k->k->text ? 0 : id;
    t->digest = NULL;
    t->captured = 0;
    t->ord = b->ntouched;
    t->name = bo__strdup(k->k->text ? (name ? name : "") : "");
    if (!t->name)
        return BO_ENOMEM;
    b->ntouched++;
    return 0;
}

static int touch_kind(bo_book *b, const char *kind, int64_t id, const char *name)
{
    int rc = registry();
    if (rc)
        return rc;
    const rkind *k = kind_find(kind);
    if (!k)
        return bo__error_set(BO_ERROR, "verify: no kind '%s' is registered", kind);
    if (!k->k->text != !name)
        return bo__error_set(BO_ERROR, "verify: kind '%s' has %s keys", kind,
                             k->k->text ? "text" : "integer");
    return touch(b, k, id, name);
}

int bo__audit_touch_state(bo_book *b, const char *kind, const char *name,
                          const char *digest)
{
    int rc = touch_kind(b, kind, 0, name);
    if (rc)
        return rc;
    /* The last touched record is this one (just added, or touched last). */
    struct bo__touch *t = &b->touched[b->ntouched - 1];
    bo__free(t->digest);
    return (t->digest = bo__strdup(digest)) ? 0 : BO_ENOMEM;
}

void bo__verify_uncapture(bo_book *b)
{
    for (size_t i = 0; i < b->ntouched; i++) {
        struct bo__touch *t = &b->touched[i];
        if (t->captured) {
            bo__free(t->digest);
            t->digest = NULL;
            t->captured = 0;
        }
    }
}

int bo__audit_touch(bo_book *b, const char *kind, int64_t id)
{
    return touch_kind(b, kind, id, NULL);
}

int bo__audit_touch_name(bo_book *b, const char *kind, const char *name)
{
    return touch_kind(b, kind, 0, name ? name : "");
}

/* ---- states captured at the write ----------------------------------------------- */

/* A record's state: a digest per part (8 at most), space-separated. */
#define BO__VSTATE_MAX (8 * 65 + 1)
static void part_digest(char *out, size_t *used, bo__sha *h, int rows);

void bo__vcap_begin(bo_book *b, bo__vcap *c, const char *kind, int64_t id)
{
    c->kind = NULL;
    c->name = kind;
    c->id = id;
    c->nparts = 0;
    if (!bo__store_is_sqlite(b->store) || registry())
        return;
    const rkind *k = kind_find(kind);
    if (!k || k->k->text || k->k->nparts > (int)BO__VN(c->h))
        return;
    c->kind = k;
    c->nparts = k->k->nparts;
    for (int i = 0; i < c->nparts; i++) {
        c->rows[i] = 0;
        bo__sha_init(&c->h[i]);
    }
}

int bo__vcap_row_(bo__vcap *c, const char *table, const char *fmt, int nargs, ...)
{
    const rkind *k = c->kind;
    if (!k)
        return 0;
    int i = 0;
    while (i < c->nparts && strcmp(k->parts[i].table->name, table) != 0)
        i++;
    const rpart *p = i < c->nparts ? &k->parts[i] : NULL;
    /* The row's letters and arguments against the part's state columns: a
     * writer that falls out of step with the registry fails loudly here
     * rather than storing a state the full verification would not find. */
    int ok = p != NULL, col = 0, args = 0;
    for (const char *f = fmt; ok && *f; f++) {
        if (*f == '?') {
            args++;
            continue;
        }
        ok = col < p->ncols && (*f == 't' || *f == 'i' || *f == 'I') &&
             (*f == 't') == (p->types[col] == 't');
        col++;
        args++;
    }
    if (!ok || col != p->ncols || args != nargs) {
        c->kind = NULL;
        return bo__error_set(BO_ERROR, "verify: kind '%s': a row of table '%s' "
                             "captured in a shape that is not its state's",
                             k->k->name, table);
    }
    bo__sha *h = &c->h[i];
    va_list ap;
    va_start(ap, nargs);
    int null = 0;
    for (const char *f = fmt; *f; f++) {
        bo__arg v = va_arg(ap, bo__arg);
        int want = *f == 't' ? BO__ARG_PTR : BO__ARG_INT;
        if (v.kind != want) {
            va_end(ap);
            c->kind = NULL;
            return bo__error_set(BO_ERROR, "verify: kind '%s': a row of table '%s' "
                                 "captured with a value of the wrong kind for '%c'",
                                 k->k->name, table, *f);
        }
        if (*f == '?') {
            null = v.i == 0;
            continue;
        }
        if (*f == 't') {
            const char *t = null ? NULL : v.p;
            bo__sha_field(h, t, t ? strlen(t) : 0);
        } else if (null || (*f == 'I' && v.i == 0)) {
            bo__sha_field(h, NULL, 0);
        } else {
            bo__sha_field_int(h, v.i);
        }
        null = 0;
    }
    va_end(ap);
    c->rows[i]++;
    return 0;
}

int bo__vcap_end(bo_book *b, bo__vcap *c)
{
    const rkind *k = c->kind;
    if (!k)
        return bo__audit_touch(b, c->name, c->id);
    char out[BO__VSTATE_MAX];
    size_t used = 0;
    int any = 0;
    for (int i = 0; i < c->nparts; i++) {
        part_digest(out, &used, &c->h[i], c->rows[i]);
        any |= c->rows[i] > 0;
    }
    if (!any)
        strcpy(out, "-");
    c->kind = NULL;
    int rc = touch(b, k, c->id, NULL);
    if (rc)
        return rc;
    /* The last touched record is this one (just added, or touched last). */
    struct bo__touch *t = &b->touched[b->ntouched - 1];
    if (t->digest && !t->captured)
        return 0; /* a state given wins */
    bo__free(t->digest);
    if (!(t->digest = bo__strdup(out)))
        return BO_ENOMEM;
    t->captured = 1;
    return 0;
}

static int parse_id(const char *s, int64_t *out)
{
    if (!*s)
        return -1;
    char *end;
    long long v = strtoll(s, &end, 10);
    if (*end)
        return -1;
    *out = v;
    return 0;
}

/* The first entry of action in the sorted list (R.nactions: none). */
static size_t action_first(const char *action)
{
    size_t lo = 0, hi = (size_t)R.nactions;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (strcmp(R.actions[mid]->action, action) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < (size_t)R.nactions && !strcmp(R.actions[lo]->action, action)
         ? lo : (size_t)R.nactions;
}

/* The alias old (NULL: none). */
static const bo__valias *alias_find(const char *old)
{
    size_t lo = 0, hi = (size_t)R.naliases;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(R.aliases[mid]->old, old);
        if (!c)
            return R.aliases[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* The first entry of action, an old name read as its action (*alias: the
 * alias used, or NULL); R.nactions: none. */
static size_t action_resolve(const char **action, const bo__valias **alias)
{
    size_t lo = action_first(*action);
    *alias = NULL;
    if (lo == (size_t)R.nactions && (*alias = alias_find(*action))) {
        *action = (*alias)->action;
        lo = action_first(*action);
    }
    return lo;
}

int bo__verify_touch_action(bo_book *b, const char *action, const char *object)
{
    int rc = registry();
    if (rc)
        return rc;
    const bo__valias *alias;
    size_t lo = action_resolve(&action, &alias);
    for (size_t i = lo; i < (size_t)R.nactions && !strcmp(R.actions[i]->action, action); i++) {
        const bo__vaction *a = R.actions[i];
        if (!a->kind)
            continue;
        const rkind *k = kind_find(a->kind);
        if (!k)
            return bo__error_set(BO_ERROR, "verify: action '%s' names kind '%s', "
                                 "which is not registered", action, a->kind);
        const char *key = object ? object : "";
        if (alias && alias->prefix && a->prefix &&
            !strncmp(key, alias->prefix, strlen(alias->prefix))) {
            key += strlen(alias->prefix); /* the old spelling */
        } else if (a->prefix) {
            size_t n = strlen(a->prefix);
            if (strncmp(key, a->prefix, n) != 0)
                return bo__error_set(BO_ERROR, "verify: action '%s': object '%s' "
                                     "does not start with '%s'", action, key, a->prefix);
            key += n;
        }
        if (a->resolve) {
            bo__stmt *s;
            if ((rc = bo__stmt_get(b->store, a->resolve, &s)))
                return rc;
            if (!(rc = bo__stmt_bind(s, "t", key))) {
                while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
                    if (k->k->text) {
                        const char *v = bo__stmt_col_text(s, 0);
                        rc = touch(b, k, 0, v ? v : "");
                    } else {
                        rc = touch(b, k, bo__stmt_col_int(s, 0), NULL);
                    }
                    if (rc)
                        break;
                }
                rc = rc < 0 ? rc : 0;
            }
            bo__stmt_done(s);
            if (rc)
                return rc;
            continue;
        }
        int64_t id = 0;
        if (!k->k->text && parse_id(key, &id))
            return bo__error_set(BO_ERROR, "verify: action '%s': object '%s' has "
                                 "no integer key", action, object ? object : "");
        if ((rc = touch(b, k, id, k->k->text ? key : NULL)))
            return rc;
    }
    return 0;
}

/* ---- canonical forms and states ------------------------------------------------ */

/* Hash the state columns of the current row of s, from column first on. */
static void hash_row(bo__sha *h, bo__stmt *s, int first, const char *types, int n)
{
    for (int i = 0; i < n; i++) {
        int c = first + i;
        if (types[i] == 'i') {
            if (bo__stmt_is_null(s, c))
                bo__sha_field(h, NULL, 0);
            else
                bo__sha_field_int(h, bo__stmt_col_int(s, c));
        } else {
            size_t len;
            const char *t = bo__stmt_col_text_len(s, c, &len);
            bo__sha_field(h, t, len);
        }
    }
}

static int bind_key(bo__stmt *s, int idx, const rkind *k, int64_t id, const char *name)
{
    return bo__stmt_bind_at(s, idx, k->k->text ? "_it" : "i_t", id, name);
}

/* Append a part's digest (d, of rows rows) to a state being written at
 * out + *used, in the form of schema 25 (part_b64). */
static void part_put(char *out, size_t *used, const unsigned char d[32], int rows)
{
    if (*used)
        out[(*used)++] = ' ';
    if (rows) {
        *used += part_b64(d, out + *used);
    } else {
        out[(*used)++] = '-';
        out[*used] = '\0';
    }
}

/* The same, from the part's hash (a part without rows hashes nothing: its
 * digest is not computed). */
static void part_digest(char *out, size_t *used, bo__sha *h, int rows)
{
    unsigned char d[32];
    if (rows)
        bo__sha_final(h, d);
    part_put(out, used, d, rows);
}

/* The state of one record: a digest per part, space-separated, or "-" when
 * it has no rows. out holds BO__VSTATE_MAX bytes. */
static int state_of(bo_book *b, const rkind *k, int64_t id, const char *name,
                    char *out)
{
    int any = 0, rc = 0;
    size_t used = 0;
    out[0] = '\0';
    for (int i = 0; i < k->k->nparts && !rc; i++) {
        const rpart *p = &k->parts[i];
        bo__stmt *s;
        if ((rc = bo__stmt_get(b->store, p->one, &s)))
            break;
        bo__stmt_borrow(s); /* the key outlives the statement's use */
        bo__sha h;
        int rows = 0;
        bo__sha_init(&h);
        if (!(rc = bind_key(s, 1, k, id, name))) {
            while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
                hash_row(&h, s, 0, p->types, p->ncols);
                rows++;
            }
            rc = rc < 0 ? rc : 0;
        }
        bo__stmt_done(s);
        part_digest(out, &used, &h, rows);
        any |= rows > 0;
    }
    if (!rc && !any)
        strcpy(out, "-");
    return rc;
}

/* The row's key (column 0) among the sorted keys t[0..n): its index, or -1. */
static int key_index(bo__stmt *s, const rkind *k, struct bo__touch *const *t, int n)
{
    int64_t id = 0;
    const char *name = NULL;
    if (k->k->text) {
        name = bo__stmt_col_text(s, 0);
        if (!name)
            return -1;
    } else {
        id = bo__stmt_col_int(s, 0);
    }
    int lo = 0, hi = n;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        int c = name ? strcmp(t[mid]->name, name)
                     : (t[mid]->id > id) - (t[mid]->id < id);
        if (!c)
            return mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* The states of up to STATES_PER_READ records of one kind, sorted by key
 * and none read yet, as state_of writes them one at a time: one statement
 * a part (the keys left over bound again to the first key), so a round
 * trip a part rather than one a part and a record. */
static int states_of(bo_book *b, const rkind *k, struct bo__touch *const *t, int n)
{
    struct {
        char out[STATES_PER_READ][BO__VSTATE_MAX];
        bo__sha h[STATES_PER_READ];
    } *w = bo__malloc(sizeof *w);
    if (!w)
        return BO_ENOMEM;
    char (*out)[BO__VSTATE_MAX] = w->out;
    bo__sha *h = w->h;
    size_t used[STATES_PER_READ] = { 0 };
    int any[STATES_PER_READ] = { 0 }, rows[STATES_PER_READ];
    int rc = 0;
    for (int i = 0; i < k->k->nparts && !rc; i++) {
        const rpart *p = &k->parts[i];
        bo__stmt *s;
        if ((rc = bo__stmt_get(b->store, p->many, &s)))
            break;
        bo__stmt_borrow(s); /* the keys outlive the statement's use */
        for (int j = 0; j < n; j++) {
            bo__sha_init(&h[j]);
            rows[j] = 0;
        }
        for (int j = 0; j < STATES_PER_READ && !rc; j++) {
            const struct bo__touch *x = t[j < n ? j : 0];
            rc = bind_key(s, j + 1, k, x->id, x->name);
        }
        if (!rc) {
            while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
                int j = key_index(s, k, t, n);
                if (j < 0) {
                    rc = bo__error_set(BO_ERROR, "verify: kind '%s': a row of table '%s' "
                                       "has a key that was not asked for", k->k->name,
                                       p->table->name);
                    break;
                }
                hash_row(&h[j], s, 1, p->types, p->ncols);
                rows[j]++;
            }
            rc = rc < 0 ? rc : 0;
        }
        bo__stmt_done(s);
        for (int j = 0; j < n && !rc; j++) {
            part_digest(out[j], &used[j], &h[j], rows[j]);
            any[j] |= rows[j] > 0;
        }
    }
    for (int j = 0; j < n && !rc; j++) {
        if (!any[j])
            strcpy(out[j], "-");
        if (!(t[j]->digest = bo__strdup(out[j])))
            rc = BO_ENOMEM;
    }
    bo__free(w);
    return rc;
}

static int touch_cmp(const void *a, const void *b)
{
    const struct bo__touch *x = a, *y = b;
    int c = strcmp(x->k->k->name, y->k->k->name);
    if (c)
        return c;
    if (x->id != y->id)
        return x->id < y->id ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* By record, then in the order touched. */
static int touch_order_cmp(const void *a, const void *b)
{
    int c = touch_cmp(a, b);
    if (c)
        return c;
    const struct bo__touch *x = a, *y = b;
    return (x->ord > y->ord) - (x->ord < y->ord);
}

static void hash_state_row(bo__sha *h, const char *kind, int64_t id,
                           const char *name, size_t nlen, const char *digest)
{
    bo__sha_field(h, kind, strlen(kind));
    bo__sha_field_int(h, id);
    bo__sha_field(h, name, nlen);
    bo__sha_field(h, digest, strlen(digest));
}

static const char SQL_RECORD[] =
    "SELECT at, actor, action, object, detail, prev_hash, extra, lane FROM audit_log"
    " WHERE seq = ?";
static const char SQL_REHASH[] =
    "UPDATE audit_log SET extra = ?, hash = ? WHERE seq = ?";
/* Up to eight states a statement: running a statement costs about as much
 * as the row it writes. */
#define STATE_COLS "INSERT INTO audit_states (seq, kind, id, name, digest)" \
    " VALUES (?, ?, ?, ?, ?)"
#define STATE_ROW ", (?, ?, ?, ?, ?)"
static const char *const SQL_STATES_ADD[] = {
    STATE_COLS,
    STATE_COLS STATE_ROW,
    STATE_COLS STATE_ROW STATE_ROW,
    STATE_COLS STATE_ROW STATE_ROW STATE_ROW,
    STATE_COLS STATE_ROW STATE_ROW STATE_ROW STATE_ROW,
    STATE_COLS STATE_ROW STATE_ROW STATE_ROW STATE_ROW STATE_ROW,
    STATE_COLS STATE_ROW STATE_ROW STATE_ROW STATE_ROW STATE_ROW STATE_ROW,
    STATE_COLS STATE_ROW STATE_ROW STATE_ROW STATE_ROW STATE_ROW STATE_ROW STATE_ROW,
};
#define STATES_PER_INSERT 8

/* Bind the states digest to the chain: in the extra of record seq (the
 * transaction's last) when append is 0, else in a new record. The last
 * record is, after a command committed alone, still held (audit.c, "held
 * record"): it is hashed with the states and written once; else (several
 * commands in one transaction) it is hashed again and its row updated. */
static int carry_states(bo_book *b, int64_t *seq, int append, const char *action,
                        const char *detail, const char *states)
{
    bo__buf extra = BO__BUF_INIT;
    int rc;
    if (append) {
        bo__buf_field(&extra, "states");
        bo__buf_field(&extra, states);
        if (extra.failed) {
            bo__buf_free(&extra);
            return BO_ENOMEM;
        }
        rc = bo__audit_append_extra(b, action, "book", detail, NULL, extra.ptr);
        bo__buf_free(&extra);
        *seq = b->audit_seq;
        return rc;
    }
    char hash[BO_HASH_HEX_SIZE];
    bo__stmt *s;
    if (b->last_seq == *seq && b->last_seq > 0) {
        /* The record as this handle appended it. */
        const char *action_ = b->last_text.ptr;
        const char *object = action_ + strlen(action_) + 1;
        const char *actor = object + strlen(object) + 1;
        if (b->last_has_extra)
            bo__buf_puts(&extra, actor + strlen(actor) + 1);
        bo__buf_field(&extra, "states");
        bo__buf_field(&extra, states);
        rc = extra.failed ? BO_ENOMEM
           : bo__audit_hash_lane(b->last_prev, *seq, b->last_at,
                                 b->last_actor_null ? NULL : actor, action_, object, NULL,
                                 b->last_dd, extra.ptr, b->audit_lane, hash);
        if (!rc && b->held_seq == *seq) {
            rc = bo__audit_held_write(b, extra.ptr, hash);
            goto written;
        }
        goto write;
    }
    if ((rc = bo__stmt_get(b->store, SQL_RECORD, &s)))
        return rc;
    if (!(rc = bo__stmt_bind(s, "i", *seq))) {
        rc = bo__stmt_step(s);
        if (rc == BO_DRIVER_ROW) {
            const char *old = bo__stmt_col_text(s, 6);
            if (old)
                bo__buf_puts(&extra, old);
            bo__buf_field(&extra, "states");
            bo__buf_field(&extra, states);
            rc = extra.failed ? BO_ENOMEM
               : bo__audit_hash_lane(bo__stmt_col_text(s, 5), *seq,
                                     bo__stmt_col_text(s, 0), bo__stmt_col_text(s, 1),
                                     bo__stmt_col_text(s, 2), bo__stmt_col_text(s, 3),
                                     bo__stmt_col_text(s, 4), NULL, extra.ptr,
                                     (int)bo__stmt_col_int(s, 7), hash);
        } else if (rc >= 0) {
            rc = bo__error_set(BO_ERROR, "audit: record %" PRId64 " vanished", *seq);
        }
    }
    bo__stmt_done(s);
write:
    if (!rc && !(rc = bo__stmt_get(b->store, SQL_REHASH, &s))) {
        if (!(rc = bo__stmt_bind(s, "tti", extra.ptr, hash, *seq)))
            rc = bo__stmt_run(s);
        bo__stmt_done(s);
    }
written:
    bo__buf_free(&extra);
    if (!rc)
        bo__audit_head_set(b, *seq, hash);
    return rc;
}

static int state_add(bo_book *b, int64_t seq, const char *kind, int64_t id,
                     const char *name, const char *digest)
{
    int rc = bo__store_run(b->store, SQL_STATES_ADD[0], "ititt", seq, kind, id, name, digest);
    return rc;
}

/* The touched records' states, stored with record seq. */
static int states_add(bo_book *b, int64_t seq, const struct bo__touch *t, size_t n)
{
    int rc = 0;
    for (size_t first = 0; first < n && !rc; first += STATES_PER_INSERT) {
        size_t rows = n - first < STATES_PER_INSERT ? n - first : STATES_PER_INSERT;
        bo__stmt *s;
        if ((rc = bo__stmt_get(b->store, SQL_STATES_ADD[rows - 1], &s)))
            break;
        /* kinds, keys and digests outlive the statement's use: not copied */
        bo__stmt_borrow(s);
        for (size_t r = 0; r < rows && !rc; r++) {
            const struct bo__touch *x = &t[first + r];
            rc = bo__stmt_bind_at(s, (int)r * 5 + 1, "ititt", seq, x->k->k->name, x->id,
                                  x->name, x->digest);
        }
        if (!rc)
            rc = bo__stmt_run(s);
        bo__stmt_done(s);
    }
    return rc;
}

/* The states of the touched records t[0..n) (sorted) that have none yet,
 * read together a kind at a time where a statement costs a round trip (on
 * SQLite a statement a record is cheaper; state_of reads those). */
static int states_read(bo_book *b, struct bo__touch *t, size_t n)
{
    if (bo__store_is_sqlite(b->store))
        return 0;
    struct bo__touch *batch[STATES_PER_READ];
    for (size_t i = 0; i < n;) {
        const rkind *k = t[i].k;
        int m = 0, rc;
        for (; i < n && t[i].k == k && m < STATES_PER_READ; i++)
            if (!t[i].digest)
                batch[m++] = &t[i];
        if (m > 1 && (rc = states_of(b, k, batch, m)))
            return rc;
    }
    return 0;
}

int bo__verify_flush(bo_book *b)
{
    if (b->ntouched == 0)
        return bo__audit_spill(b);
    int rc;
    qsort(b->touched, b->ntouched, sizeof *b->touched, touch_order_cmp);
    size_t n = 0;
    for (size_t i = 0; i < b->ntouched; i++) {
        if (n && touch_cmp(&b->touched[n - 1], &b->touched[i]) == 0) {
            /* A state given (bo__audit_touch_state) wins over a touch; a
             * capture holds only when no touch without one came after it. */
            struct bo__touch *keep = &b->touched[n - 1], *dup = &b->touched[i];
            if (!keep->digest || (keep->captured && !(dup->digest && !dup->captured))) {
                bo__free(keep->digest);
                keep->digest = dup->digest;
                keep->captured = dup->captured;
                dup->digest = NULL;
            }
            bo__free(dup->name);
            bo__free(dup->digest);
            continue;
        }
        b->touched[n++] = b->touched[i];
    }
    b->ntouched = n;
    if ((rc = states_read(b, b->touched, n)))
        return rc;
    bo__sha h;
    bo__sha_init(&h);
    char state[BO__VSTATE_MAX];
    for (size_t i = 0; i < n; i++) {
        struct bo__touch *t = &b->touched[i];
        if (!t->digest) {
            if ((rc = state_of(b, t->k, t->id, t->name, state)))
                return rc;
            if (!(t->digest = bo__strdup(state)))
                return BO_ENOMEM;
        }
        hash_state_row(&h, t->k->k->name, t->id, t->name, strlen(t->name), t->digest);
    }
    char states[65];
    bo__sha_hex(&h, states);
    int64_t head = b->held_seq; /* held: the head, its hash not needed here */
    char hash[BO_HASH_HEX_SIZE];
    if (!head && (rc = bo__audit_head_read(b, &head, hash)))
        return rc;
    int64_t seq = head;
    int append = !(b->tx_last_seq > 0 && b->tx_last_seq == head);
    if ((rc = carry_states(b, &seq, append, "audit.state", "", states)) ||
        (rc = bo__audit_spill(b))) /* held, not the one the states joined */
        return rc;
    return states_add(b, seq, b->touched, n);
}

/* ---- chunked streams -------------------------------------------------------------- */

void bo__vstream_init(bo__vstream *st, bo__store *store, const char *first,
                      const char *next, const char *keytypes)
{
    memset(st, 0, sizeof *st);
    st->store = store;
    st->first = first;
    st->next = next;
    st->keytypes = keytypes;
    st->nkey = (int)strlen(keytypes);
}

static void keep_key(bo__vstream *st)
{
    for (int i = 0; i < st->nkey; i++) {
        if (st->keytypes[i] == 'i') {
            st->kint[i] = bo__stmt_col_int(st->s, i);
        } else {
            const char *t = bo__stmt_col_text(st->s, i);
            bo__free(st->ktext[i]);
            st->ktext[i] = bo__strdup(t ? t : "");
        }
    }
}

/* The letters for one integer argument and one text argument of which
 * letter (0: neither) is bound: "i_t", "_it" or "_i_t". */
static char *stream_letters(char *f, int on, char letter)
{
    if (!on || letter != 'i')
        *f++ = '_';
    *f++ = 'i';
    if (!on || letter != 't')
        *f++ = '_';
    *f++ = 't';
    *f = 0;
    return f;
}

int bo__vstream_next(bo__vstream *st)
{
    int rc;
    if (st->eof)
        return BO_DRIVER_DONE;
    for (;;) {
        if (!st->s) {
            int cont = st->rows > 0;
            if ((rc = bo__stmt_get(st->store, cont ? st->next : st->first, &st->s)))
                return rc;
            /* The leading parameter and the last key (after the first
             * chunk), by a format built for them: '_' skips what the
             * statement has no parameter for. */
            char fmt[24], *f = fmt;
            f = stream_letters(f, st->nbind == 1, st->bind_text ? 't' : 'i');
            for (int i = 0; i < 4; i++) {
                int on = cont && i < st->nkey;
                if (on && st->keytypes[i] != 'i' && !st->ktext[i])
                    rc = BO_ENOMEM;
                f = stream_letters(f, on, on ? st->keytypes[i] : 0);
            }
            if (!rc)
                rc = bo__stmt_bind(st->s, fmt, st->bind_int, st->bind_text, st->kint[0],
                                   st->ktext[0], st->kint[1], st->ktext[1], st->kint[2],
                                   st->ktext[2], st->kint[3], st->ktext[3]);
            if (rc) {
                bo__stmt_done(st->s);
                st->s = NULL;
                return rc;
            }
            st->rows = 0;
        }
        rc = bo__stmt_step(st->s);
        if (rc == BO_DRIVER_ROW) {
            if (++st->rows == BO__VCHUNK)
                keep_key(st);
            return rc;
        }
        bo__stmt_done(st->s);
        st->s = NULL;
        if (rc < 0)
            return rc;
        if (st->rows < BO__VCHUNK) {
            st->eof = 1;
            return BO_DRIVER_DONE;
        }
        /* st->rows == BO__VCHUNK: the next chunk starts after the last key. */
    }
}

void bo__vstream_close(bo__vstream *st)
{
    if (st->s)
        bo__stmt_done(st->s);
    st->s = NULL;
    for (int i = 0; i < 4; i++) {
        bo__free(st->ktext[i]);
        st->ktext[i] = NULL;
    }
}

/* ---- canonical fields --------------------------------------------------------------- */

int bo__field_next(const char **pp, const char *end, int *kind, const char **s,
                   size_t *len, int64_t *v)
{
    const char *p = *pp;
    if (p >= end)
        return -1;
    if (*p == '-') {
        if (p + 1 >= end || p[1] != ';')
            return -1;
        *kind = 'n';
        *s = NULL;
        *len = 0;
        *pp = p + 2;
        return 0;
    }
    if (*p == 'i') {
        p++;
        int neg = 0;
        if (p < end && *p == '-') {
            neg = 1;
            p++;
        }
        uint64_t u = 0;
        const char *d = p;
        while (p < end && *p >= '0' && *p <= '9') {
            if (u > (UINT64_MAX - (uint64_t)(*p - '0')) / 10)
                return -1;
            u = u * 10 + (uint64_t)(*p - '0');
            p++;
        }
        if (p == d || p >= end || *p != ';')
            return -1;
        if ((!neg && u > (uint64_t)INT64_MAX) || (neg && u > (uint64_t)INT64_MAX + 1))
            return -1;
        *v = neg ? (int64_t)(0 - u) : (int64_t)u;
        *kind = 'i';
        *pp = p + 1;
        return 0;
    }
    size_t n = 0;
    const char *d = p;
    while (p < end && *p >= '0' && *p <= '9') {
        if (n > (SIZE_MAX - 9) / 10)
            return -1;
        n = n * 10 + (size_t)(*p - '0');
        p++;
    }
    if (p == d || p >= end || *p != ':' || (size_t)(end - p - 1) < n + 1 ||
        p[1 + n] != ';')
        return -1;
    *kind = 't';
    *s = p + 1;
    *len = n;
    *pp = p + 2 + n;
    return 0;
}

/* The value of field `name` in an extra (name, value pairs), or NULL. */
static const char *extra_get(const char *extra, const char *name, size_t *len)
{
    if (!extra)
        return NULL;
    const char *p = extra, *end = extra + strlen(extra), *s, *vs;
    size_t n, vn;
    int64_t v;
    int k, vk;
    while (p < end) {
        if (bo__field_next(&p, end, &k, &s, &n, &v) ||
            bo__field_next(&p, end, &vk, &vs, &vn, &v))
            return NULL;
        if (k == 't' && n == strlen(name) && memcmp(s, name, n) == 0 && vk == 't') {
            *len = vn;
            return vs;
        }
    }
    return NULL;
}

const char *bo__verify_extra(const char *extra, const char *name, size_t *len)
{
    return extra_get(extra, name, len);
}

/* ---- the verification ------------------------------------------------------------------ */

struct bo__verify {
    bo_book *b;
    int mode;
    int64_t anchor_seq;
    const char *anchor_hash;
    int max;         /* stop after this many findings */
    int found;
    int64_t first_seq;
    bo__error_state first; /* the first finding, as the error to return */
    bo__cell *cells; /* up to max rows of 4 cells */
    size_t nrows;
    int keep;        /* collect rows for a cursor */
    bo__stmt *all;   /* the states in one pass (SQL_STATES_ALL), or NULL */
    int all_row;     /* its last step: BO_DRIVER_ROW with a row not yet taken */
};

bo_book *bo__verify_book(bo__verify *v)
{
    return v->b;
}

static char *dup_or_empty(const char *s)
{
    return bo__strdup(s ? s : "");
}

int bo__verify_found(bo__verify *v, int64_t seq, const char *table,
                     const char *record, const char *fmt, ...)
{
    char problem[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(problem, sizeof problem, fmt, ap);
    va_end(ap);
    if (v->found == 0) {
        v->first_seq = seq;
        if (!strcmp(table, "audit_log") && !record)
            bo__error_set(BO_ECORRUPT, "audit: %s", problem); /* as it always was */
        else if (record && record[0])
            bo__error_set(BO_ECORRUPT, "%s: %s: %s", table, record, problem);
        else
            bo__error_set(BO_ECORRUPT, "%s: %s", table, problem);
        bo__error_save(&v->first);
        bo__error_clear();
    }
    v->found++;
    if (v->keep && v->nrows < (size_t)v->max) {
        bo__cell *c = &v->cells[v->nrows * 4];
        c[0].type = BO_TYPE_INT;
        c[0].i = seq;
        c[1].type = c[2].type = c[3].type = BO_TYPE_TEXT;
        c[1].text = dup_or_empty(table);
        c[2].text = dup_or_empty(record);
        c[3].text = dup_or_empty(problem);
        v->nrows++; /* freed with the others even when incomplete */
        if (!c[1].text || !c[2].text || !c[3].text)
            return BO_ENOMEM;
    }
    return v->found >= v->max ? BO_ITEROVER : 0;
}

/* Findings end a step with BO_ITEROVER once there are enough of them. */
#define FOUND(...)                                                  \
    do {                                                            \
        int found_rc_ = bo__verify_found(__VA_ARGS__);              \
        if (found_rc_)                                              \
            return found_rc_;                                       \
    } while (0)

/* ---- the chain ---- */

static const char SQL_CHAIN[] =
    "SELECT seq, at, actor, action, object, detail, prev_hash, hash, extra, lane"
    " FROM audit_log ORDER BY seq LIMIT 512";
static const char SQL_CHAIN_NEXT[] =
    "SELECT seq, at, actor, action, object, detail, prev_hash, hash, extra, lane"
    " FROM audit_log WHERE seq > ? ORDER BY seq LIMIT 512";
static const char SQL_SEQ_STATES[] =
    "SELECT seq, kind, id, name, digest FROM audit_states"
    " ORDER BY seq, kind, id, name LIMIT 512";
static const char SQL_SEQ_STATES_NEXT[] =
    "SELECT seq, kind, id, name, digest FROM audit_states"
    " WHERE (seq, kind, id, name) > (?, ?, ?, ?) ORDER BY seq, kind, id, name LIMIT 512";

static int chain_states(bo__verify *v, bo__vstream *st, int *srow, int64_t seq,
                        const char *want, size_t wlen)
{
    bo__sha h;
    bo__sha_init(&h);
    int rc, any = 0;
    while (*srow == BO_DRIVER_ROW) {
        int64_t s = bo__stmt_col_int(st->s, 0);
        if (s > seq)
            break;
        if (s < seq || !want) {
            char rec[48];
            snprintf(rec, sizeof rec, "record %" PRId64, s);
            FOUND(v, s, "audit_states", rec, "states recorded for an audit record "
                  "that carries none (inserted)");
        } else {
            size_t nlen;
            const char *kind = bo__stmt_col_text(st->s, 1);
            const char *name = bo__stmt_col_text_len(st->s, 3, &nlen);
            const char *dg = bo__stmt_col_text(st->s, 4);
            hash_state_row(&h, kind ? kind : "", bo__stmt_col_int(st->s, 2),
                           name ? name : "", nlen, dg ? dg : "");
            any = 1;
        }
        if ((rc = bo__vstream_next(st)) < 0)
            return rc;
        *srow = rc;
    }
    if (want) {
        char got[65];
        bo__sha_hex(&h, got);
        if (wlen != 64 || memcmp(got, want, 64) != 0) {
            char rec[48];
            snprintf(rec, sizeof rec, "record %" PRId64, seq);
            FOUND(v, seq, "audit_states", rec, any ? "the states recorded with it "
                  "were altered, inserted or deleted" : "the states recorded with it "
                  "were deleted");
        }
    }
    return 0;
}

/* Records are read in the order of their numbers, each lane chaining from
 * its own last record (docs/architecture.md, "Lanes of the audit chain").
 * Where one writer at a time numbers the records they follow one another
 * without a gap, and a gap is reported where it is. Once records of other
 * lanes appear, numbers come from a sequence and a transaction rolled back
 * leaves a gap, so a gap is reported only when the next record of a lane
 * does not chain: a record deleted from the middle of a lane is named as
 * missing, as it is on one chain. */
static int chain(bo__verify *v)
{
    bo_book *b = v->b;
    bo__vstream L, S;
    bo__vstream_init(&L, b->store, SQL_CHAIN, SQL_CHAIN_NEXT, "i");
    bo__vstream_init(&S, b->store, SQL_SEQ_STATES, SQL_SEQ_STATES_NEXT, "itit");
    int full = v->mode == BO_AUDIT_VERIFY_FULL;
    static _Thread_local char prev[BO_DRIVER_LANES][BO_HASH_HEX_SIZE];
    static _Thread_local char at_anchor[BO_DRIVER_LANES][BO_HASH_HEX_SIZE];
    int64_t gap[BO_DRIVER_LANES] = { 0 }, anchor_seqs[BO_DRIVER_LANES] = { 0 };
    char calc[BO_HASH_HEX_SIZE];
    for (int l = 0; l < BO_DRIVER_LANES; l++)
        memcpy(prev[l], ZERO_HASH, BO_HASH_HEX_SIZE);
    int64_t expect = 1, last = 0;
    int rc, srow = full ? bo__vstream_next(&S) : BO_DRIVER_DONE, anchored = 0;
    int lanes = 0, anchor_ok = 0;
    if (srow < 0) {
        rc = srow;
        goto out;
    }
    while ((rc = bo__vstream_next(&L)) == BO_DRIVER_ROW) {
        bo__stmt *s = L.s;
        int64_t seq = bo__stmt_col_int(s, 0);
        const char *ph = bo__stmt_col_text(s, 6), *h = bo__stmt_col_text(s, 7);
        const char *extra = bo__stmt_col_text(s, 8);
        int64_t lane64 = bo__stmt_col_int(s, 9);
        int lane = lane64 >= 0 && lane64 < BO_DRIVER_LANES ? (int)lane64 : 0;
        last = seq;
        if (lane > 0)
            lanes = 1;
        if (lane64 != lane) {
            if ((rc = bo__verify_found(v, seq, "audit_log", NULL, "record %" PRId64 " has "
                                       "been altered (lane %" PRId64 " does not exist)",
                                       seq, lane64)))
                goto out;
        }
        if (seq != expect) {
            int64_t bad = seq < expect ? seq : expect;
            if (seq < expect || !lanes) {
                if ((rc = bo__verify_found(v, bad, "audit_log", NULL, "record %" PRId64
                                           " %s", bad, seq < expect
                                               ? "is out of order or duplicated"
                                               : "is missing (a gap in the sequence)")))
                    goto out;
            } else {
                for (int l = 0; l < BO_DRIVER_LANES; l++)
                    if (!gap[l])
                        gap[l] = expect;
            }
            expect = seq;
        }
        if (!ph || strcmp(ph, prev[lane]) != 0) {
            if (gap[lane] ? (rc = bo__verify_found(v, gap[lane], "audit_log", NULL, "record %"
                                                   PRId64 " is missing (deleted from lane "
                                                   "%d)", gap[lane], lane))
                          : (rc = bo__verify_found(v, seq, "audit_log", NULL, "record %"
                                                   PRId64 " does not chain to the previous "
                                                   "record (inserted, deleted or reordered "
                                                   "records)", seq)))
                goto out;
        }
        gap[lane] = 0;
        if ((rc = bo__audit_hash_lane(ph ? ph : "", seq, bo__stmt_col_text(s, 1),
                                      bo__stmt_col_text(s, 2), bo__stmt_col_text(s, 3),
                                      bo__stmt_col_text(s, 4), bo__stmt_col_text(s, 5),
                                      NULL, extra, lane, calc)))
            goto out;
        if (!h || strcmp(h, calc) != 0) {
            if ((rc = bo__verify_found(v, seq, "audit_log", NULL, "record %" PRId64 " has "
                                       "been altered (its hash does not match its "
                                       "content)", seq)))
                goto out;
        }
        /* An action no domain declares: whatever it changed, no state was
         * recorded for it, so the verification cannot vouch for it. */
        const char *action = bo__stmt_col_text(s, 3);
        const char *known = action ? action : "";
        const bo__valias *alias;
        if (full && action_resolve(&known, &alias) == (size_t)R.nactions) {
            char rec[48], q[100];
            snprintf(rec, sizeof rec, "record %" PRId64, seq);
            bo__quote(action ? action : "", 40, q, sizeof q);
            if ((rc = bo__verify_found(v, seq, "audit_log", rec, "action %s is not "
                                       "known to the verification (what it changed "
                                       "cannot be checked)", q)))
                goto out;
        }
        if (v->anchor_seq > 0 && seq <= v->anchor_seq) {
            anchor_seqs[lane] = seq;
            snprintf(at_anchor[lane], BO_HASH_HEX_SIZE, "%s", h ? h : "");
        }
        if (v->anchor_seq == seq) {
            anchored = 1;
            anchor_ok = h && strcmp(h, v->anchor_hash) == 0;
            /* With several lanes the anchor may be their digest: checked
             * once every lane's records up to it are read. */
            if (!anchor_ok && !lanes &&
                (rc = bo__verify_found(v, seq, "audit_log", NULL, "record %" PRId64
                                       " differs from the anchor kept outside the "
                                       "book (the chain was rewritten)", seq)))
                goto out;
            if (!lanes)
                anchor_ok = 1; /* reported */
        }
        if (full) {
            size_t wlen = 0;
            const char *want = extra_get(extra, "states", &wlen);
            if ((rc = chain_states(v, &S, &srow, seq, want, wlen)))
                goto out;
        }
        /* The next record chains to this one as stored: an altered record
         * is reported once, not with every record after it. */
        snprintf(prev[lane], BO_HASH_HEX_SIZE, "%s", h ? h : "");
        expect = seq + 1;
    }
    if (rc < 0)
        goto out;
    rc = 0;
    if (full && (rc = chain_states(v, &S, &srow, INT64_MAX, NULL, 0)))
        goto out;
    if (v->anchor_seq > 0 && !anchored) {
        rc = bo__verify_found(v, v->anchor_seq, "audit_log", NULL, "record %" PRId64
                              " is missing: the chain ends at record %" PRId64
                              ", before the anchor kept outside the book (records "
                              "were removed from its end)", v->anchor_seq, last);
    } else if (v->anchor_seq > 0 && !anchor_ok) {
        int64_t hs;
        if ((rc = bo__audit_lanes_head(anchor_seqs, at_anchor, &hs, calc)))
            goto out;
        if (hs != v->anchor_seq || strcmp(calc, v->anchor_hash) != 0)
            rc = bo__verify_found(v, v->anchor_seq, "audit_log", NULL, "record %" PRId64
                                  " differs from the anchor kept outside the book (the "
                                  "chain was rewritten, or records were removed from the "
                                  "end of a lane)", v->anchor_seq);
    }
out:
    bo__vstream_close(&L);
    bo__vstream_close(&S);
    return rc;
}

/* ---- the kinds ---- */

/* One part's rows, read in key order. */
typedef struct pstream {
    bo__vstream st;
    int row; /* BO_DRIVER_ROW when st.s holds the next row */
} pstream;

static int key_cmp(const rkind *k, int64_t ai, const char *as, int64_t bi,
                   const char *bs)
{
    if (k->k->text)
        return strcmp(as, bs);
    return ai < bi ? -1 : ai > bi;
}

/* The key at the head of stream st (its first column), "" for a NULL text. */
static void head_of(const rkind *k, bo__vstream *st, int64_t *id, const char **name)
{
    *id = k->k->text ? 0 : bo__stmt_col_int(st->s, 0);
    *name = NULL;
    if (k->k->text) {
        const char *t = bo__stmt_col_text(st->s, 0);
        *name = t ? t : "";
    }
}

/* The recorded states of a kind, key by key, each key's last: read in
 * chunks of keys (bo__vstream over k->first and k->next) or taken from
 * the states in one pass (v->all). The head is copied out of the row. */
typedef struct sstates {
    const rkind *k;
    bo__verify *v;
    bo__vstream S;   /* in chunks, when v->all is NULL */
    int64_t id;      /* the head: its key */
    char *name;      /* a text key, else NULL */
    int64_t seq;     /* the record that recorded it */
    char digest[BO__VSTATE_MAX];
} sstates;

static void sstates_open(sstates *H, bo__verify *v, const rkind *k)
{
    memset(H, 0, sizeof *H);
    H->k = k;
    H->v = v;
    bo__vstream_init(&H->S, v->b->store, k->first, k->next, k->k->text ? "t" : "i");
    H->S.nbind = 1;
    H->S.bind_text = k->k->name;
}

static void sstates_close(sstates *H)
{
    bo__vstream_close(&H->S);
    bo__free(H->name);
    H->name = NULL;
}

static int sstates_head(sstates *H, int64_t id, const char *name, int64_t seq,
                        const char *digest)
{
    H->id = id;
    bo__free(H->name);
    H->name = NULL;
    if (H->k->k->text && !(H->name = bo__strdup(name ? name : "")))
        return BO_ENOMEM;
    H->seq = seq;
    snprintf(H->digest, sizeof H->digest, "%s", digest ? digest : "");
    return BO_DRIVER_ROW;
}

/* The next key's state: BO_DRIVER_ROW with it in the head, BO_DRIVER_DONE
 * after the kind's last, or a negative error. */
static int sstates_next(sstates *H)
{
    bo__verify *v = H->v;
    int text = H->k->k->text;
    if (!v->all) {
        int rc = bo__vstream_next(&H->S);
        if (rc != BO_DRIVER_ROW)
            return rc;
        int64_t id;
        const char *name;
        head_of(H->k, &H->S, &id, &name);
        return sstates_head(H, id, name, bo__stmt_col_int(H->S.s, 1),
                            bo__stmt_col_text(H->S.s, 2));
    }
    bo__stmt *s = v->all;
    int found = 0;
    while (v->all_row == BO_DRIVER_ROW) {
        int ord = (int)bo__stmt_col_int(s, 0);
        if (ord > H->k->ord)
            break; /* the next kind's: left for it */
        int64_t id = bo__stmt_col_int(s, 1);
        const char *name = bo__stmt_col_text(s, 2);
        if (!name)
            name = "";
        /* A kind not declared, or one verified before; a key of the other
         * form (as the chunked reads pass it over). */
        int skip = ord < H->k->ord || (text ? id != 0 : name[0] != '\0');
        if (!skip) {
            if (found && (text ? strcmp(name, H->name) != 0 : id != H->id))
                break; /* the next key: its rows stay for the next call */
            int rc = sstates_head(H, id, name, bo__stmt_col_int(s, 3),
                                  bo__stmt_col_text(s, 4));
            if (rc < 0)
                return rc;
            found = 1;
        }
        v->all_row = bo__stmt_step(s);
    }
    if (v->all_row < 0)
        return v->all_row;
    return found ? BO_DRIVER_ROW : BO_DRIVER_DONE;
}

/* The smallest key at the head of the parts and of S (NULL: no states),
 * copied into *cur for a text key. 0 with *have 0 at the end of them all. */
static int next_key(const rkind *k, pstream *P, int np, const sstates *S, int srow,
                    int64_t *id, const char **name, char **cur, int *have)
{
    *have = 0;
    *id = 0;
    *name = NULL;
    for (int i = 0; i <= np; i++) {
        if (i < np ? P[i].row != BO_DRIVER_ROW : (!S || srow != BO_DRIVER_ROW))
            continue;
        int64_t x;
        const char *t;
        if (i < np) {
            head_of(k, &P[i].st, &x, &t);
        } else {
            x = S->id;
            t = S->name;
        }
        if (!*have || key_cmp(k, x, t, *id, *name) < 0) {
            *id = x;
            *name = t;
            *have = 1;
        }
    }
    bo__free(*cur);
    *cur = NULL;
    if (*have && k->k->text) {
        if (!(*cur = bo__strdup(*name)))
            return BO_ENOMEM;
        *name = *cur;
    }
    return 0;
}

/* Read every part's rows of key (id, name): a digest and a row count per
 * part, *any when one has rows. */
static int part_digests(const rkind *k, pstream *P, int np, int64_t id,
                        const char *name, unsigned char got[][32], int rows[], int *any)
{
    int rc = 0;
    *any = 0;
    for (int i = 0; i < np; i++) {
        bo__sha h;
        bo__sha_init(&h);
        rows[i] = 0;
        while (!rc && P[i].row == BO_DRIVER_ROW) {
            int64_t x;
            const char *t;
            head_of(k, &P[i].st, &x, &t);
            if (key_cmp(k, x, t, id, name) != 0)
                break;
            hash_row(&h, P[i].st.s, k->parts[i].nkey, k->parts[i].types,
                     k->parts[i].ncols);
            rows[i]++;
            *any = 1;
            if ((P[i].row = bo__vstream_next(&P[i].st)) < 0)
                rc = P[i].row;
        }
        bo__sha_final(&h, got[i]);
    }
    return rc;
}

/* Open the streams of k's parts and read their first rows. */
static int parts_open(bo_book *b, const rkind *k, pstream *P)
{
    int rc = 0;
    memset(P, 0, sizeof *P * (size_t)k->k->nparts);
    for (int i = 0; i < k->k->nparts; i++) {
        bo__vstream_init(&P[i].st, b->store, k->parts[i].first, k->parts[i].next,
                         k->parts[i].keytypes);
        if ((P[i].row = bo__vstream_next(&P[i].st)) < 0 && !rc)
            rc = P[i].row;
    }
    return rc;
}

static void parts_close(const rkind *k, pstream *P)
{
    for (int i = 0; i < k->k->nparts; i++)
        bo__vstream_close(&P[i].st);
}

static int verify_kind(bo__verify *v, const rkind *k)
{
    bo_book *b = v->b;
    int np = k->k->nparts, rc;
    pstream P[8];
    sstates S;
    sstates_open(&S, v, k);
    int srow = sstates_next(&S);
    rc = parts_open(b, k, P);
    if (!rc && srow < 0)
        rc = srow;
    if (rc)
        goto out;
    char *cur = NULL; /* the current text key */
    for (;;) {
        int have;
        int64_t id;
        const char *name;
        if ((rc = next_key(k, P, np, &S, srow, &id, &name, &cur, &have)) || !have)
            break;
        unsigned char got[8][32];
        int rows[8], any;
        rc = part_digests(k, P, np, id, name, got, rows, &any);
        if (rc)
            break;
        /* The recorded state of this key. */
        int64_t seq = 0;
        char want[BO__VSTATE_MAX] = "";
        int recorded = 0;
        int64_t sid = 0;
        const char *sname = NULL;
        if (srow == BO_DRIVER_ROW) {
            sid = S.id;
            sname = S.name;
        }
        if (srow == BO_DRIVER_ROW && key_cmp(k, sid, sname, id, name) == 0) {
            recorded = 1;
            seq = S.seq;
            snprintf(want, sizeof want, "%s", S.digest);
            if ((srow = sstates_next(&S)) < 0) {
                rc = srow;
                break;
            }
        }
        char rec[256];
        rec[0] = '\0';
#define KIND_REC()                                                      \
        do {                                                            \
            if (k->k->text) {                                           \
                char q_[200];                                           \
                bo__quote(name, 48, q_, sizeof q_);                     \
                snprintf(rec, sizeof rec, "%s %s", k->k->name, q_);     \
            } else {                                                    \
                snprintf(rec, sizeof rec, "%s %" PRId64, k->k->name, id); \
            }                                                           \
        } while (0)
        int first_rows = 0;
        for (int i = 0; i < np; i++)
            if (rows[i]) {
                first_rows = i;
                break;
            }
        if (!recorded) {
            if (any)
                KIND_REC();
            if (any && (rc = bo__verify_found(v, 0, k->parts[first_rows].p->table, rec,
                                              "no audit record wrote it (inserted, or "
                                              "renumbered)")))
                break;
            continue;
        }
        if (strcmp(want, "-") == 0) {
            if (any)
                KIND_REC();
            if (any && (rc = bo__verify_found(v, seq, k->parts[first_rows].p->table, rec,
                                              "deleted by audit record %" PRId64
                                              ", yet present (inserted)", seq)))
                break;
            continue;
        }
        if (!any) {
            KIND_REC();
            if ((rc = bo__verify_found(v, seq, k->parts[0].p->table, rec,
                                       "missing: deleted or renumbered (its state "
                                       "was recorded by audit record %" PRId64 ")", seq)))
                break;
            continue;
        }
        /* Compare part by part: a digest a part, space-separated (part_same:
         * either form). */
        const char *w = want;
        for (int i = 0; i < np; i++) {
            size_t wl = strcspn(w, " ");
            int same = part_same(w, wl, got[i], rows[i]);
            if (same != 1) {
                const char *what = !rows[i] ? "rows missing (deleted)"
                                 : "rows differ (altered, inserted or deleted)";
                if (same < 0)
                    what = "state recorded in another form (a newer kind?)";
                KIND_REC();
                if ((rc = bo__verify_found(v, seq, k->parts[i].p->table, rec,
                                           "%s: not the state recorded by audit record %"
                                           PRId64, what, seq)))
                    goto out_loop;
                break;
            }
            w += wl;
            if (*w == ' ')
                w++;
        }
    }
out_loop:
    bo__free(cur);
    /* Rows a join hides: they belong to no record at all. */
    for (int i = 0; i < np && !rc; i++) {
        const bo__vpart *p = k->parts[i].p;
        if (!p->orphan)
            continue;
        bo__stmt *s;
        if ((rc = bo__stmt_get(b->store, p->orphan, &s)))
            break;
        rc = bo__stmt_step(s);
        char rec[96] = "";
        if (rc == BO_DRIVER_ROW) {
            const char *r = bo__stmt_col_text(s, 0);
            snprintf(rec, sizeof rec, "%s", r ? r : "");
        }
        bo__stmt_done(s);
        if (rc == BO_DRIVER_ROW)
            rc = bo__verify_found(v, 0, p->table, rec, "belongs to no %s (inserted)",
                                  k->k->name);
        else if (rc == BO_DRIVER_DONE)
            rc = 0;
    }
out:
    sstates_close(&S);
    parts_close(k, P);
    return rc;
}

/* ---- coverage ---- */

static int claimed(const char *table)
{
    if (!strcmp(table, "audit_log") || !strcmp(table, "audit_states"))
        return 1;
    for (int i = 0; i < R.nparts; i++)
        if (!strcmp(R.parts[i].p->table, table))
            return 1;
    size_t n = strlen(table);
    for (int d = 0; bo__domain_at(d); d++)
        for (int c = 0; c < vdomain(d)->nchecks; c++)
            for (const char *p = vdomain(d)->checks[c].tables; p && *p;) {
                while (*p == ' ')
                    p++;
                size_t l = strcspn(p, " ");
                if (l == n && strncmp(p, table, n) == 0)
                    return 1;
                p += l;
            }
    return 0;
}

static int coverage(bo__verify *v)
{
    const bo__table *t;
    for (int i = 0; (t = bo__schema_table(i)); i++)
        if (!claimed(t->name))
            FOUND(v, 0, t->name, NULL, "no verification covers this table");
    return 0;
}

/* ---- running it ---- */

static int kinds_and_checks(bo__verify *v);

static int run(bo__verify *v)
{
    int rc = chain(v);
    if (rc || v->mode != BO_AUDIT_VERIFY_FULL)
        return rc;
    if ((rc = coverage(v)))
        return rc;
    if (bo__store_is_sqlite(v->b->store)) {
        /* The states in one pass (SQL_STATES_ALL), kept open over the kinds,
         * sorted on file where the engine lets the setting change (not
         * where a temporary table is open in a transaction: then the sort
         * stays in memory, and the verification is the same). */
        if ((rc = bo__stmt_get(v->b->store, SQL_STATES_ALL, &v->all)))
            return rc;
        if ((rc = bo__stmt_bind(v->all, "t", R.kind_list))) {
            bo__stmt_done(v->all);
            v->all = NULL;
            return rc;
        }
        int on_file = bo__store_exec(v->b->store, SQL_SORT_ON_FILE) == 0;
        if (!on_file)
            bo__error_clear();
        v->all_row = bo__stmt_step(v->all); /* sorts */
        if (on_file) {
            bo__error_state es;
            bo__error_save(&es);
            if (bo__store_exec(v->b->store, SQL_SORT_IN_MEMORY) && v->all_row >= 0) {
                bo__stmt_done(v->all);
                v->all = NULL;
                return bo__error_prefix("verify: the states' sort: ");
            }
            bo__error_restore(&es);
        }
        if (v->all_row < 0) {
            rc = v->all_row;
            bo__stmt_done(v->all);
            v->all = NULL;
            return rc;
        }
    }
    rc = kinds_and_checks(v);
    if (v->all) {
        bo__stmt_done(v->all);
        v->all = NULL;
    }
    return rc;
}

static int kinds_and_checks(bo__verify *v)
{
    int rc;
    for (int d = 0; bo__domain_at(d); d++) {
        /* Records first: a changed row is named in its own table before a
         * total derived from it is found to differ. */
        const bo__vdomain *dom = vdomain(d);
        for (int i = 0; i < dom->nkinds; i++) {
            const rkind *k = kind_find(dom->kinds[i].name);
            if ((rc = verify_kind(v, k)))
                return rc;
        }
        for (int i = 0; i < dom->nchecks; i++)
            if ((rc = dom->checks[i].run(v)))
                return rc;
    }
    return 0;
}

int bo_audit_verify_options_init(bo_audit_verify_options *opts, unsigned int version)
{
    bo__error_clear();
    if (!opts || version != BO_AUDIT_VERIFY_OPTIONS_VERSION)
        return bo__error_set(BO_EINVAL, "options: version %u is not %d", version,
                             BO_AUDIT_VERIFY_OPTIONS_VERSION);
    bo_audit_verify_options init = BO_AUDIT_VERIFY_OPTIONS_INIT;
    *opts = init;
    return 0;
}

static int hex64(const char *s)
{
    if (!s || strlen(s) != 64)
        return 0;
    for (int i = 0; i < 64; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

/* Check the arguments and run the verification in one read snapshot. */
static int verify(bo_book *b, const bo_audit_verify_options *opts, int keep,
                  bo__verify *v)
{
    memset(v, 0, sizeof *v);
    bo_audit_verify_options o = BO_AUDIT_VERIFY_OPTIONS_INIT;
    if (opts) {
        if (opts->version != BO_AUDIT_VERIFY_OPTIONS_VERSION)
            return bo__error_set(BO_EINVAL, "options: version %u is not %d",
                                 opts->version, BO_AUDIT_VERIFY_OPTIONS_VERSION);
        o = *opts;
    }
    if (o.mode != BO_AUDIT_VERIFY_FULL && o.mode != BO_AUDIT_VERIFY_CHAIN)
        return bo__error_set(BO_EINVAL, "mode: %d is not a bo_audit_mode", o.mode);
    if (o.anchor_seq < 0)
        return bo__error_set(BO_EINVAL, "anchor_seq: %" PRId64 " is negative",
                             o.anchor_seq);
    if (o.anchor_seq > 0 && !hex64(o.anchor_hash))
        return bo__error_set(BO_EINVAL, "anchor_hash: not 64 lowercase hex digits "
                             "(as bo_audit_head gives)");
    if (keep && (o.max_findings < 1 || o.max_findings > 100000))
        return bo__error_set(BO_EINVAL, "max_findings: %d is not 1..100000",
                             o.max_findings);
    int rc = bo__require(b, BO__P_AUDIT_READ);
    if (rc || (rc = registry()))
        return rc;
    v->b = b;
    v->mode = o.mode;
    v->anchor_seq = o.anchor_seq;
    v->anchor_hash = o.anchor_hash;
    v->keep = keep;
    v->max = keep ? o.max_findings : 1;
    if (keep && !(v->cells = bo__calloc((size_t)v->max * 4, sizeof *v->cells)))
        return BO_ENOMEM;
    int own = b->depth == 0;
    if (own && (rc = bo__store_begin(b->store, 0)))
        return rc;
    rc = run(v);
    if (rc == BO_ITEROVER)
        rc = 0;
    if (own) {
        bo__error_state es;
        bo__error_save(&es);
        bo__store_rollback(b->store); /* a read-only snapshot */
        bo__error_restore(&es);
    }
    return rc;
}

int bo_audit_verify(bo_book *b, int64_t *bad_seq)
{
    bo__error_clear();
    if (bad_seq)
        *bad_seq = 0;
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    bo_audit_verify_options o = BO_AUDIT_VERIFY_OPTIONS_INIT;
    o.mode = BO_AUDIT_VERIFY_CHAIN;
    return bo_audit_verify_full(b, &o, bad_seq);
}

int bo_audit_verify_full(bo_book *b, const bo_audit_verify_options *opts,
                         int64_t *bad_seq)
{
    bo__error_clear();
    if (bad_seq)
        *bad_seq = 0;
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    bo__verify v;
    int rc = verify(b, opts, 0, &v);
    if (rc)
        return rc;
    if (!v.found)
        return 0;
    if (bad_seq)
        *bad_seq = v.first_seq;
    return bo__error_restore(&v.first);
}

static const bo__col finding_cols[] = {
    { "seq", BO_TYPE_INT }, { "table", BO_TYPE_TEXT },
    { "record", BO_TYPE_TEXT }, { "problem", BO_TYPE_TEXT },
};

int bo_audit_verify_list(bo_book *b, const bo_audit_verify_options *opts,
                         bo_cursor **out)
{
    bo__error_clear();
    if (out)
        *out = NULL;
    if (!b || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    bo__verify v;
    int rc = verify(b, opts, 1, &v);
    if (rc) {
        bo__cells_free(v.cells, v.nrows * 4);
        return rc;
    }
    return bo__cursor_rows(finding_cols, 4, v.cells, v.nrows, out);
}

/* ---- the upgrade ---- */

static const char SQL_STATES_OF[] =
    "SELECT seq, kind, id, name, digest FROM audit_states WHERE seq = ?"
    " ORDER BY kind, id, name LIMIT 512";
static const char SQL_STATES_OF_NEXT[] =
    "SELECT seq, kind, id, name, digest FROM audit_states WHERE seq = ?"
    " AND (seq, kind, id, name) > (?, ?, ?, ?) ORDER BY kind, id, name LIMIT 512";

/* Record the state of every existing record of kind k with seq. */
static int backfill_kind(bo_book *b, const rkind *k, int64_t seq)
{
    int np = k->k->nparts;
    pstream P[8];
    int rc = parts_open(b, k, P);
    char *cur = NULL;
    while (!rc) {
        int have, rows[8], any;
        int64_t id;
        const char *name;
        unsigned char got[8][32];
        if ((rc = next_key(k, P, np, NULL, 0, &id, &name, &cur, &have)) || !have ||
            (rc = part_digests(k, P, np, id, name, got, rows, &any)))
            break;
        char state[BO__VSTATE_MAX];
        size_t used = 0;
        for (int i = 0; i < np; i++)
            part_put(state, &used, got[i], rows[i]);
        rc = state_add(b, seq, k->k->name, id, k->k->text ? name : "", state);
    }
    bo__free(cur);
    parts_close(k, P);
    return rc;
}

/* The book's own keys (kind "book": bo_meta but its generation), as a
 * verification reads them, with the schema version the book had before. */
static const char SQL_BOOK_ROWS[] =
    "SELECT key, value FROM bo_meta WHERE key <> 'generation' ORDER BY key";
static const char SQL_BOOK_STATE[] =
    "SELECT digest FROM audit_states WHERE kind = 'book' AND id = 0 AND name = 'book'"
    " ORDER BY seq DESC LIMIT 1";

int bo__verify_carry_book(bo_book *b, int from_version)
{
    char was[BO__VSTATE_MAX] = "", num[16];
    unsigned char before[32];
    int found = 0, rc;
    if ((rc = bo__store_row(b->store, SQL_BOOK_STATE, &found, ">t", was, sizeof was)))
        return rc;
    bo__stmt *s;
    if ((rc = bo__stmt_get(b->store, SQL_BOOK_ROWS, &s)))
        return rc;
    snprintf(num, sizeof num, "%d", from_version);
    bo__sha h;
    bo__sha_init(&h);
    while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
        size_t klen, vlen;
        const char *k = bo__stmt_col_text_len(s, 0, &klen);
        const char *v = bo__stmt_col_text_len(s, 1, &vlen);
        bo__sha_field(&h, k, klen);
        if (k && strcmp(k, "schema_version") == 0)
            bo__sha_field(&h, num, strlen(num));
        else
            bo__sha_field(&h, v, vlen);
    }
    bo__stmt_done(s);
    if (rc < 0)
        return rc;
    bo__sha_final(&h, before);
    /* As recorded before the upgrade (in either form): its new state is
     * recorded; otherwise the former state stays, so the verification
     * finds the edit. */
    if (!found || part_same(was, strlen(was), before, 1) == 1)
        return bo__audit_touch_name(b, "book", "book");
    return bo__audit_touch_state(b, "book", "book", was);
}

int bo__verify_backfill(bo_book *b, int from_version)
{
    int rc = registry();
    if (rc)
        return rc;
    int64_t head;
    char hash[BO_HASH_HEX_SIZE];
    if ((rc = bo__audit_head_read(b, &head, hash)))
        return rc;
    int64_t seq = head + 1;
    for (int i = 0; i < R.nkinds && !rc; i++)
        rc = backfill_kind(b, &R.kinds[i], seq);
    if (rc)
        return rc;
    /* The digest of what was just written, read back in the chain's order. */
    bo__sha h;
    bo__sha_init(&h);
    bo__vstream st;
    bo__vstream_init(&st, b->store, SQL_STATES_OF, SQL_STATES_OF_NEXT, "itit");
    st.nbind = 1;
    st.bind_int = seq;
    while ((rc = bo__vstream_next(&st)) == BO_DRIVER_ROW) {
        size_t nlen;
        const char *kind = bo__stmt_col_text(st.s, 1);
        const char *name = bo__stmt_col_text_len(st.s, 3, &nlen);
        const char *dg = bo__stmt_col_text(st.s, 4);
        hash_state_row(&h, kind ? kind : "", bo__stmt_col_int(st.s, 2),
                       name ? name : "", nlen, dg ? dg : "");
    }
    bo__vstream_close(&st);
    if (rc < 0)
        return rc;
    char states[65], detail[96];
    bo__sha_hex(&h, states);
    snprintf(detail, sizeof detail, "schema %d to %d: the state of every record "
             "as found", from_version, BO__SCHEMA_VERSION);
    int64_t got = 0;
    if ((rc = carry_states(b, &got, 1, "audit.upgrade", detail, states)))
        return rc;
    if (got != seq)
        return bo__error_set(BO_ERROR, "audit: the upgrade record is %" PRId64
                             ", not %" PRId64, got, seq);
    return 0;
}
