/* The mixed stream and the parent's model of the book (see mix.h). */
#include "mix.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

/* Sub-steps reported beside the mix_op values. */
enum {
    OPX_OPEN = 100,  /* open (create) the book and complete the chart */
    OPX_BEGIN,       /* a group's begin; n is the group */
    OPX_COMMIT,      /* a group's commit; n is the group */
    OPX_ROLLBACK,    /* a group rolled back by the host; n is the group */
    OPX_CLOSE,       /* close account X<n> */
    OPX_PCLOSE,      /* close period P<n> */
    OPX_GRANT        /* grant role<n> to act<n> */
};

/* One pipe message, smaller than PIPE_BUF so that every write lands whole. */
typedef struct mmsg {
    int32_t type;
    int32_t op;
    int64_t n;   /* key number, or group number for group steps */
    int64_t v;   /* id on success, error code on failure */
    int64_t g;   /* group of a post inside a group, else 0 */
} mmsg;

enum { T_READY = 'R', T_TRY = 'T', T_OK = 'K', T_FAIL = 'F', T_NOMSG = 'M' };

#define PERIODS_PER_ROUND 16
#define GROUP_MAX 4

/* ================================================================ child === */

typedef struct child {
    const mix_cfg *cfg;
    const mix_plan *plan;
    int fd;
    bo_book *book;
    int64_t j;       /* next key number in this round: iter * MIX_SPAN + j */
    int periods;
    st_rng r;
} child;

static void send_msg(child *c, int type, int op, int64_t n, int64_t v, int64_t g)
{
    mmsg m = { type, op, n, v, g };
    if (getenv("MIX_TRACE"))
        fprintf(stderr, "mix: %c op %d n %" PRId64 " v %" PRId64 " g %" PRId64 "\n",
                type, op, n, v, g);
    const char *p = (const char *)&m;
    size_t left = sizeof m;
    while (left > 0) {
        ssize_t w = write(c->fd, p, left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            _exit(20);
        p += w;
        left -= (size_t)w;
    }
}

static void result(child *c, int op, int64_t n, int rc, int64_t id, int64_t g)
{
    if (rc == 0) {
        send_msg(c, T_OK, op, n, id, g);
        return;
    }
    send_msg(c, T_FAIL, op, n, rc, g);
    if (rc > 0 || !bo_error_message()[0])
        send_msg(c, T_NOMSG, op, n, rc, g);
}

static int64_t next_key(child *c)
{
    return (int64_t)c->plan->iter * MIX_SPAN + c->j++;
}

static int child_open(child *c)
{
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "owner";
    o.create = 1;
    o.sync = c->cfg->sync;
    send_msg(c, T_TRY, OPX_OPEN, 0, 0, 0);
    int rc = bo_book_open(&c->book, c->cfg->path, &o);
    if (rc == 0 && (rc = st_chart_ensure(c->book)) != 0) {
        bo_book_free(c->book);
        c->book = NULL;
    }
    result(c, OPX_OPEN, 0, rc, 0, 0);
    if (rc == 0)
        send_msg(c, T_READY, 0, 0, 0, 0);
    return rc;
}

static int post_key(child *c, int64_t n, int64_t *id)
{
    st_entry e;
    char key[32];
    bo_entry *b = NULL;
    st_entry_gen(c->cfg->seed, (uint64_t)n, &e);
    snprintf(key, sizeof key, "k%" PRId64, n);
    int rc = st_entry_build(&e, key, &b);
    if (rc == 0)
        rc = bo_ledger_post(c->book, b, id);
    bo_entry_free(b);
    return rc;
}

static int single(child *c, int64_t n, int64_t *id)
{
    send_msg(c, T_TRY, MX_POST, n, 0, 0);
    int rc = post_key(c, n, id);
    result(c, MX_POST, n, rc, *id, 0);
    return rc;
}

/* A read a host might do in the middle of a transaction (and whose failure
 * it might ignore). */
static void read_some(child *c)
{
    int64_t v;
    bo_ledger_balance(c->book, "1000", BO_DATE_MAX, NULL, &v);
    bo_cursor *cur = NULL;
    if (bo_ledger_trial_balance(c->book, BO_DATE_MAX, &cur) == 0)
        while (bo_cursor_next(cur) == 0) {
        }
    bo_cursor_free(cur);
}

static void op_group(child *c, int naive)
{
    int64_t g = next_key(c);
    send_msg(c, T_TRY, OPX_BEGIN, g, 0, 0);
    int rc = bo_book_begin(c->book);
    result(c, OPX_BEGIN, g, rc, 0, 0);
    if (rc)
        return;
    int np = 2 + (int)st_rng_below(&c->r, GROUP_MAX - 1), failed = 0;
    for (int i = 0; i < np; i++) {
        int64_t n = next_key(c), id = 0;
        send_msg(c, T_TRY, MX_POST, n, 0, g);
        rc = post_key(c, n, &id);
        result(c, MX_POST, n, rc, id, g);
        if (rc && !naive) {
            failed = 1;
            break;
        }
        if (i == 0)
            read_some(c);
    }
    if (failed) {
        send_msg(c, T_TRY, OPX_ROLLBACK, g, 0, 0);
        rc = bo_book_rollback(c->book);
        result(c, OPX_ROLLBACK, g, rc, 0, 0);
    } else {
        send_msg(c, T_TRY, OPX_COMMIT, g, 0, 0);
        rc = bo_book_commit(c->book);
        result(c, OPX_COMMIT, g, rc, 0, 0);
    }
    /* Whatever happened, the host goes on outside any transaction. */
    while (bo_book_depth(c->book) > 0)
        bo_book_rollback(c->book);
}

static void op_reverse(child *c)
{
    int64_t n = next_key(c), id = 0, rid = 0;
    if (single(c, n, &id))
        return;
    st_entry e;
    char key[32];
    st_entry_gen(c->cfg->seed, (uint64_t)n, &e);
    snprintf(key, sizeof key, "r%" PRId64, n);
    send_msg(c, T_TRY, MX_REVERSE, n, 0, 0);
    int rc = bo_ledger_reverse(c->book, id, e.date, key, &rid);
    result(c, MX_REVERSE, n, rc, rid, 0);
}

static void op_account(child *c)
{
    int64_t n = next_key(c);
    char code[32], name[48];
    snprintf(code, sizeof code, "X%" PRId64, n);
    snprintf(name, sizeof name, "Extra %" PRId64, n);
    send_msg(c, T_TRY, MX_ACCOUNT, n, 0, 0);
    int rc = bo_ledger_account_add(c->book, code, name, BO_ACCOUNT_EXPENSE, NULL, "USD");
    result(c, MX_ACCOUNT, n, rc, 0, 0);
    if (rc)
        return;
    send_msg(c, T_TRY, OPX_CLOSE, n, 0, 0);
    rc = bo_ledger_account_close(c->book, code);
    result(c, OPX_CLOSE, n, rc, 0, 0);
}

static void op_period(child *c)
{
    if (c->periods >= PERIODS_PER_ROUND) {
        int64_t id = 0;
        single(c, next_key(c), &id);
        return;
    }
    int64_t n = next_key(c);
    bo_date day;
    bo_date_from_ymd(2040, 1, 1, &day);
    day += (bo_date)((int64_t)c->plan->iter * PERIODS_PER_ROUND + c->periods++);
    char name[32];
    snprintf(name, sizeof name, "P%" PRId64, n);
    send_msg(c, T_TRY, MX_PERIOD, n, 0, 0);
    int rc = bo_ledger_period_add(c->book, name, day, day);
    result(c, MX_PERIOD, n, rc, 0, 0);
    if (rc)
        return;
    send_msg(c, T_TRY, OPX_PCLOSE, n, 0, 0);
    rc = bo_ledger_period_close(c->book, name);
    result(c, OPX_PCLOSE, n, rc, 0, 0);
}

static void op_role(child *c)
{
    int64_t n = next_key(c);
    char role[32], actor[32];
    snprintf(role, sizeof role, "role%" PRId64, n);
    snprintf(actor, sizeof actor, "act%" PRId64, n);
    send_msg(c, T_TRY, MX_ROLE, n, 0, 0);
    int rc = bo_role_define(c->book, role, "ledger.read audit.read");
    result(c, MX_ROLE, n, rc, 0, 0);
    if (rc)
        return;
    send_msg(c, T_TRY, OPX_GRANT, n, 0, 0);
    rc = bo_role_grant(c->book, actor, role);
    result(c, OPX_GRANT, n, rc, 0, 0);
}

static void op_name(child *c)
{
    int64_t n = next_key(c);
    char name[48];
    snprintf(name, sizeof name, "name %" PRId64, n);
    send_msg(c, T_TRY, MX_NAME, n, 0, 0);
    int rc = bo_book_set_name(c->book, name);
    result(c, MX_NAME, n, rc, 0, 0);
}

static void run_op(child *c, mix_op op)
{
    if (!c->book && op != MX_REOPEN && child_open(c) != 0)
        return;
    int64_t id = 0;
    switch (op) {
    case MX_POST: single(c, next_key(c), &id); break;
    case MX_GROUP: op_group(c, 0); break;
    case MX_GROUP_NAIVE: op_group(c, 1); break;
    case MX_REVERSE: op_reverse(c); break;
    case MX_ACCOUNT: op_account(c); break;
    case MX_PERIOD: op_period(c); break;
    case MX_ROLE: op_role(c); break;
    case MX_NAME: op_name(c); break;
    case MX_READ: read_some(c); break;
    case MX_REOPEN:
        bo_book_free(c->book);
        c->book = NULL;
        child_open(c);
        break;
    default: break;
    }
}

static mix_op random_op(st_rng *r)
{
    unsigned x = (unsigned)st_rng_below(r, 100);
    return x < 34 ? MX_POST : x < 48 ? MX_GROUP : x < 54 ? MX_GROUP_NAIVE
         : x < 64 ? MX_REVERSE : x < 71 ? MX_ACCOUNT : x < 77 ? MX_PERIOD
         : x < 83 ? MX_ROLE : x < 88 ? MX_NAME : x < 95 ? MX_READ : MX_REOPEN;
}

void mix_child(const mix_cfg *cfg, const mix_plan *plan, int fd)
{
    child c;
    memset(&c, 0, sizeof c);
    c.cfg = cfg;
    c.plan = plan;
    c.fd = fd;
    c.j = 1; /* key number 0 would read as "no group" */
    st_rng_seed(&c.r, cfg->seed ^ st_mix((uint64_t)plan->iter * 7919 + 1));
    if (child_open(&c) == 0 && cfg->child_created)
        cfg->child_created();
    int64_t id = 0;
    for (size_t i = 0; i < plan->nretry && c.book; i++)
        single(&c, plan->retry[i], &id);
    for (size_t i = 0; i < plan->nreplay && c.book; i++)
        single(&c, plan->replay[i], &id);
    if (cfg->script) {
        for (int i = 0; i < cfg->nscript; i++)
            run_op(&c, cfg->script[i]);
        bo_book_free(c.book);
        return;
    }
    while (c.j < MIX_SPAN - 64)
        run_op(&c, random_op(&c.r));
    bo_book_free(c.book);
}

/* =============================================================== parent === */

typedef struct i64vec {
    int64_t *v;
    size_t len, cap;
} i64vec;

static void vec_push(i64vec *a, int64_t x)
{
    if (a->len == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 64;
        a->v = realloc(a->v, a->cap * sizeof *a->v);
        if (!a->v) {
            fprintf(stderr, "out of memory\n");
            exit(99);
        }
    }
    a->v[a->len++] = x;
}

typedef struct mgroup {
    int64_t g;
    int np;
    int64_t n[GROUP_MAX];
    int st[GROUP_MAX];    /* 0 no answer, 1 accepted, -1 refused */
    int commit_tried;
    int committed;        /* 1 acknowledged, -1 failed or rolled back, 0 unknown */
} mgroup;

struct mix_model {
    mix_cfg cfg;
    mix_stats s;
    char what[96];     /* the check being made, for messages */
    int quiet;         /* count failures without printing them */
    /* entries */
    st_map attempted;  /* n -> 1: k<n> tried */
    st_map acked;      /* n -> acknowledged id of k<n> */
    st_map known;      /* n -> id of k<n> found in the book */
    st_map ids;        /* entry id -> 1 for every entry found */
    st_map parked;     /* n -> id of a post accepted inside a group, until
                          the commit says whether it counts */
    st_map rev_tried, rev_acked, rev_known; /* n -> id, for r<n> */
    i64vec acked_list, pending, round;
    int64_t expected[16];
    /* other records */
    st_map acct_tried, acct_acked, close_tried, close_acked;
    st_map per_tried, per_acked, pclose_tried, pclose_acked;
    st_map grant_tried, grant_acked;
    int64_t name_acked;   /* -1: none */
    st_map name_after;    /* names tried since the last acknowledged one */
    int book_acked;
    /* groups of the current round */
    mgroup *groups;
    size_t ngroups, groups_cap;
};

#define FAIL(m, ...) do { \
    if (!(m)->quiet) { \
        fprintf(stderr, "FAIL %s: ", (m)->what); \
        fprintf(stderr, __VA_ARGS__); \
        fputc('\n', stderr); \
    } \
    (m)->s.failures++; \
} while (0)

mix_model *mix_model_new(const mix_cfg *cfg)
{
    mix_model *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->cfg = *cfg;
    m->name_acked = -1;
    return m;
}

static void free_maps(mix_model *m)
{
    st_map *maps[] = { &m->attempted, &m->acked, &m->known, &m->ids, &m->rev_tried,
                       &m->rev_acked, &m->rev_known, &m->acct_tried, &m->acct_acked,
                       &m->close_tried, &m->close_acked, &m->per_tried, &m->per_acked,
                       &m->pclose_tried, &m->pclose_acked, &m->grant_tried,
                       &m->grant_acked, &m->name_after, &m->parked };
    for (size_t i = 0; i < sizeof maps / sizeof maps[0]; i++)
        st_map_free(maps[i]);
}

void mix_model_free(mix_model *m)
{
    if (!m)
        return;
    free_maps(m);
    free(m->acked_list.v);
    free(m->pending.v);
    free(m->round.v);
    free(m->groups);
    free(m);
}

void mix_model_quiet(mix_model *m, int quiet)
{
    m->quiet = quiet;
}

const mix_stats *mix_model_stats(const mix_model *m)
{
    return &m->s;
}

static mgroup *group_of(mix_model *m, int64_t g)
{
    for (size_t i = 0; i < m->ngroups; i++)
        if (m->groups[i].g == g)
            return &m->groups[i];
    return NULL;
}

static void ack_post(mix_model *m, int64_t n, int64_t id)
{
    int64_t old;
    if (st_map_get(&m->acked, n, &old)) {
        m->s.replays++;
        if (old != id)
            FAIL(m, "replay of key k%" PRId64 " returned id %" PRId64
                 ", first acknowledged as %" PRId64, n, id, old);
        return;
    }
    st_map_put(&m->acked, n, id);
    vec_push(&m->acked_list, n);
    m->s.acked_entries++;
}

static void take_try(mix_model *m, const mmsg *x)
{
    switch (x->op) {
    case MX_POST:
        if (!st_map_get(&m->attempted, x->n, NULL))
            vec_push(&m->round, x->n);
        st_map_put(&m->attempted, x->n, 1);
        if (x->g) {
            mgroup *gr = group_of(m, x->g);
            if (gr && gr->np < GROUP_MAX)
                gr->n[gr->np++] = x->n;
        }
        break;
    case MX_REVERSE: st_map_put(&m->rev_tried, x->n, 1); break;
    case MX_ACCOUNT: st_map_put(&m->acct_tried, x->n, 1); break;
    case OPX_CLOSE: st_map_put(&m->close_tried, x->n, 1); break;
    case MX_PERIOD: st_map_put(&m->per_tried, x->n, 1); break;
    case OPX_PCLOSE: st_map_put(&m->pclose_tried, x->n, 1); break;
    case OPX_GRANT: st_map_put(&m->grant_tried, x->n, 1); break;
    case MX_NAME: st_map_put(&m->name_after, x->n, 1); break;
    case OPX_BEGIN:
        if (m->ngroups == m->groups_cap) {
            m->groups_cap = m->groups_cap ? m->groups_cap * 2 : 16;
            m->groups = realloc(m->groups, m->groups_cap * sizeof *m->groups);
            if (!m->groups) {
                fprintf(stderr, "out of memory\n");
                exit(99);
            }
        }
        memset(&m->groups[m->ngroups], 0, sizeof *m->groups);
        m->groups[m->ngroups++].g = x->n;
        break;
    case OPX_COMMIT: {
        mgroup *gr = group_of(m, x->n);
        if (gr)
            gr->commit_tried = 1;
        break;
    }
    default: break;
    }
}

static void take_answer(mix_model *m, const mmsg *x)
{
    int ok = x->type == T_OK;
    if (!ok) {
        m->s.failed_calls++;
        if (x->v == BO_ESTATE)
            m->s.refused_estate++;
    }
    else if (x->op == OPX_COMMIT)
        m->s.op_acked[MX_GROUP]++;
    else if (x->op == OPX_GRANT)
        m->s.op_acked[MX_ROLE]++;
    else if (x->op > 0 && x->op < MX_NOPS && x->op != MX_ROLE)
        m->s.op_acked[x->op]++;
    mgroup *gr = NULL;
    switch (x->op) {
    case MX_POST:
        if (x->g) {
            gr = group_of(m, x->g);
            for (int i = 0; gr && i < gr->np; i++)
                if (gr->n[i] == x->n)
                    gr->st[i] = ok ? 1 : -1;
            if (ok)
                st_map_put(&m->parked, x->n, x->v);
        } else if (ok) {
            ack_post(m, x->n, x->v);
            m->s.acked_commits++;
        }
        break;
    case OPX_COMMIT:
    case OPX_ROLLBACK:
        gr = group_of(m, x->n);
        if (!gr)
            break;
        gr->committed = ok && x->op == OPX_COMMIT ? 1 : -1;
        if (gr->committed == 1) {
            m->s.acked_commits++;
            for (int i = 0; i < gr->np; i++) {
                int64_t id = 0;
                if (gr->st[i] == 1 && st_map_get(&m->parked, gr->n[i], &id))
                    ack_post(m, gr->n[i], id);
            }
        }
        break;
    case MX_REVERSE:
        if (ok) {
            st_map_put(&m->rev_acked, x->n, x->v);
            m->s.acked_commits++;
        }
        break;
    case OPX_OPEN:
        if (ok)
            m->book_acked = 1;
        break;
    case MX_ACCOUNT: if (ok) { st_map_put(&m->acct_acked, x->n, 1); m->s.acked_commits++; } break;
    case OPX_CLOSE: if (ok) { st_map_put(&m->close_acked, x->n, 1); m->s.acked_commits++; } break;
    case MX_PERIOD: if (ok) { st_map_put(&m->per_acked, x->n, 1); m->s.acked_commits++; } break;
    case OPX_PCLOSE: if (ok) { st_map_put(&m->pclose_acked, x->n, 1); m->s.acked_commits++; } break;
    case OPX_GRANT: if (ok) { st_map_put(&m->grant_acked, x->n, 1); m->s.acked_commits++; } break;
    case MX_NAME:
        if (ok) {
            m->name_acked = x->n;
            st_map_free(&m->name_after);
            m->s.acked_commits++;
        }
        break;
    default: break;
    }
}

static void take(mix_model *m, const mmsg *x, int *ready)
{
    switch (x->type) {
    case T_READY: *ready = 1; break;
    case T_TRY: take_try(m, x); break;
    case T_OK: case T_FAIL: take_answer(m, x); break;
    case T_NOMSG:
        FAIL(m, "call %d (key %" PRId64 ") failed with %" PRId64 " and no message",
             x->op, x->n, x->v);
        break;
    default: FAIL(m, "bad message type %d from the child", x->type);
    }
}

/* Read what the pipe holds; wait at most timeout_ms (-1: until EOF).
 * Returns 1 at EOF. */
static int drain(mix_model *m, int fd, int timeout_ms, char *buf, size_t *have,
                 int *ready)
{
    struct pollfd p = { fd, POLLIN, 0 };
    if (poll(&p, 1, timeout_ms) <= 0)
        return 0;
    for (;;) {
        ssize_t r = read(fd, buf + *have, sizeof(mmsg) * 256 - *have);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return 1;
        *have += (size_t)r;
        size_t whole = *have / sizeof(mmsg);
        for (size_t i = 0; i < whole; i++) {
            mmsg x;
            memcpy(&x, buf + i * sizeof x, sizeof x);
            take(m, &x, ready);
        }
        memmove(buf, buf + whole * sizeof(mmsg), *have - whole * sizeof(mmsg));
        *have -= whole * sizeof(mmsg);
        if (timeout_ms >= 0)
            return 0;
    }
}

int mix_round(mix_model *m, const mix_cfg *cfg, int iter, long kill_after_us,
              int from_fork, void (*setup)(void *ud), void *ud)
{
    int64_t replay[8];
    size_t nreplay = 0;
    st_rng r;
    st_rng_seed(&r, cfg->seed ^ st_mix((uint64_t)iter));
    for (; nreplay < (size_t)cfg->replays && nreplay < 8 && m->acked_list.len > 0; nreplay++)
        replay[nreplay] = m->acked_list.v[st_rng_below(&r, m->acked_list.len)];
    mix_plan plan = { iter, m->pending.v, m->pending.len, replay, nreplay };
    m->ngroups = 0;
    m->round.len = 0;

    int fds[2];
    if (pipe(fds) != 0) {
        perror("pipe");
        return -1;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        close(fds[0]);
        signal(SIGPIPE, SIG_IGN);
        if (setup)
            setup(ud);
        mix_child(cfg, &plan, fds[1]);
        if (cfg->child_end)
            cfg->child_end(ud);
        _exit(0);
    }
    close(fds[1]);
    char buf[sizeof(mmsg) * 256];
    size_t have = 0;
    int ready = 0, eof = 0;
    double t0 = st_now();
    if (kill_after_us >= 0) {
        while (!from_fork && !ready && !eof && st_now() - t0 < 30.0)
            eof = drain(m, fds[0], 50, buf, &have, &ready);
        double deadline = st_now() + kill_after_us / 1e6;
        while (!eof) {
            double left = deadline - st_now();
            if (left <= 0)
                break;
            eof = drain(m, fds[0], (int)(left * 1000), buf, &have, &ready);
        }
        kill(pid, SIGKILL);
    }
    int status = 0;
    while (!eof)
        eof = drain(m, fds[0], -1, buf, &have, &ready);
    waitpid(pid, &status, 0);
    close(fds[0]);
    if (have != 0)
        FAIL(m, "round %d: partial message in the pipe", iter);
    m->s.rounds++;

    /* Keys tried but not acknowledged are retried by the next round. */
    i64vec next = { 0 };
    for (size_t i = 0; i < m->pending.len; i++)
        if (!st_map_get(&m->acked, m->pending.v[i], NULL))
            vec_push(&next, m->pending.v[i]);
    for (size_t i = 0; i < m->round.len; i++)
        if (!st_map_get(&m->acked, m->round.v[i], NULL))
            vec_push(&next, m->round.v[i]);
    free(m->pending.v);
    m->pending = next;
    return status;
}

/* ---- verification ------------------------------------------------------------ */

int mix_integrity(const char *path)
{
    struct stat sb;
    if (stat(path, &sb) != 0)
        return -1;
    sqlite3 *db = NULL;
    int ok = 0;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, "unix") != SQLITE_OK) {
        fprintf(stderr, "integrity: open %s: %s\n", path, sqlite3_errmsg(db));
        sqlite3_close(db);
        return 0;
    }
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, NULL) != SQLITE_OK) {
        fprintf(stderr, "integrity: %s\n", sqlite3_errmsg(db));
    } else {
        int rows = 0, rc;
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
            const char *t = (const char *)sqlite3_column_text(s, 0);
            rows++;
            if (t && strcmp(t, "ok") == 0)
                ok = 1;
            else
                fprintf(stderr, "integrity_check: %s\n", t ? t : "(null)");
        }
        if (rc != SQLITE_DONE || rows != 1) {
            fprintf(stderr, "integrity_check: %s\n", sqlite3_errmsg(db));
            ok = 0;
        }
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
    return ok;
}

/* Compare a newly found entry with what its key says it must be. */
static void check_new_entry(mix_model *m, bo_book *book, int64_t id)
{
    bo_cursor *c = NULL;
    int rc = bo_ledger_entry(book, id, &c);
    if (rc != 0) {
        FAIL(m, "entry %" PRId64 " is in the journal but cannot be read: %s", id,
             bo_error_message());
        return;
    }
    int c_key = st_col(c, "key"), c_acc = st_col(c, "account");
    int c_amt = st_col(c, "amount"), c_cur = st_col(c, "currency");
    int c_date = st_col(c, "date"), c_rev = st_col(c, "reverses");
    char key[64] = "", date[16] = "";
    int64_t reverses = 0;
    struct { char acc[BO_CODE_MAX + 1], cur[BO_CURRENCY_MAX + 1]; int64_t amt; } row[4];
    int lines = 0;
    while ((rc = bo_cursor_next(c)) == 0) {
        if (lines == 0) {
            const char *k = bo_cursor_text(c, c_key), *d = bo_cursor_text(c, c_date);
            snprintf(key, sizeof key, "%s", k ? k : "");
            snprintf(date, sizeof date, "%s", d ? d : "");
            reverses = bo_cursor_int(c, c_rev);
        }
        if (lines < 4) {
            const char *a = bo_cursor_text(c, c_acc), *cu = bo_cursor_text(c, c_cur);
            snprintf(row[lines].acc, sizeof row[lines].acc, "%s", a ? a : "");
            snprintf(row[lines].cur, sizeof row[lines].cur, "%s", cu ? cu : "");
            row[lines].amt = bo_cursor_int(c, c_amt);
        }
        lines++;
    }
    bo_cursor_free(c);
    if (rc < 0) {
        FAIL(m, "reading entry %" PRId64 ": %s", id, bo_error_message());
        return;
    }
    int rev = key[0] == 'r';
    if (key[0] != 'k' && !rev) {
        FAIL(m, "entry %" PRId64 " has key '%s'", id, key);
        return;
    }
    int64_t n = strtoll(key + 1, NULL, 10), other, orig = 0;
    if (!st_map_get(rev ? &m->rev_tried : &m->attempted, n, NULL)) {
        FAIL(m, "entry %" PRId64 " has key %s that no child tried", id, key);
        return;
    }
    st_map *known = rev ? &m->rev_known : &m->known;
    if (st_map_get(known, n, &other) && other != id) {
        FAIL(m, "key %s recorded twice: entries %" PRId64 " and %" PRId64, key, other, id);
        return;
    }
    if (rev && (!st_map_get(&m->known, n, &orig) || reverses != orig)) {
        FAIL(m, "reversal %" PRId64 " (key %s) reverses %" PRId64 ", not the entry "
             "of k%" PRId64, id, key, reverses, n);
        return;
    }
    st_entry e;
    char want_date[16];
    st_entry_gen(m->cfg.seed, (uint64_t)n, &e);
    bo_date_format(e.date, want_date, sizeof want_date);
    int64_t sign = rev ? -1 : 1;
    int same = lines == e.n && strcmp(date, want_date) == 0;
    for (int i = 0; same && i < e.n; i++) {
        const st_account *a = &st_chart[e.p[i].account];
        same = strcmp(row[i].acc, a->code) == 0 && strcmp(row[i].cur, a->currency) == 0
               && row[i].amt == sign * e.p[i].amount;
    }
    if (!same) {
        FAIL(m, "entry %" PRId64 " (key %s) differs from what was posted "
             "(%d postings, %d expected)", id, key, lines, e.n);
        return;
    }
    st_map_put(known, n, id);
    st_map_put(&m->ids, id, 1);
    m->s.entries_found++;
    for (int i = 0; i < e.n; i++)
        m->expected[e.p[i].account] += sign * e.p[i].amount;
}

static void check_journal(mix_model *m, bo_book *book)
{
    bo_date from, to;
    bo_date_from_ymd(2000, 1, 1, &from);
    bo_date_from_ymd(2100, 12, 31, &to);
    bo_cursor *c = NULL;
    if (bo_ledger_journal(book, NULL, from, to, &c) != 0) {
        FAIL(m, "journal: %s", bo_error_message());
        return;
    }
    int c_entry = st_col(c, "entry"), c_amt = st_col(c, "amount");
    int c_cur = st_col(c, "currency");
    st_map usd, eur, seen;
    st_map_init(&usd);
    st_map_init(&eur);
    st_map_init(&seen);
    i64vec order = { 0 };
    int rc;
    while ((rc = bo_cursor_next(c)) == 0) {
        int64_t id = bo_cursor_int(c, c_entry), amt = bo_cursor_int(c, c_amt), s = 0;
        const char *cur = bo_cursor_text(c, c_cur);
        st_map *mm = cur && strcmp(cur, "USD") == 0 ? &usd
                   : cur && strcmp(cur, "EUR") == 0 ? &eur : NULL;
        if (!mm) {
            FAIL(m, "entry %" PRId64 " has a posting in '%s'", id, cur ? cur : "(null)");
            continue;
        }
        if (!st_map_get(&seen, id, NULL)) {
            st_map_put(&seen, id, 1);
            vec_push(&order, id);
        }
        st_map_get(mm, id, &s);
        st_map_put(mm, id, s + amt);
    }
    bo_cursor_free(c);
    if (rc < 0)
        FAIL(m, "journal cursor: %s", bo_error_message());
    for (size_t i = 0; i < order.len; i++) {
        int64_t id = order.v[i], su = 0, se = 0;
        st_map_get(&usd, id, &su);
        st_map_get(&eur, id, &se);
        if (su != 0 || se != 0) {
            m->s.unbalanced++;
            FAIL(m, "entry %" PRId64 " unbalanced: USD %" PRId64 ", EUR %" PRId64, id, su, se);
        }
        if (!st_map_get(&m->ids, id, NULL))
            check_new_entry(m, book, id);
    }
    for (size_t i = 0; i < m->ids.cap; i++) {
        if (m->ids.used[i] && !st_map_get(&seen, m->ids.keys[i], NULL)) {
            m->s.lost++;
            FAIL(m, "entry %" PRId64 " was in the book and is gone", m->ids.keys[i]);
        }
    }
    for (size_t i = 0; i < m->acked_list.len; i++) {
        int64_t n = m->acked_list.v[i], id = 0, found = 0;
        st_map_get(&m->acked, n, &id);
        if (!st_map_get(&m->known, n, &found) || found != id) {
            m->s.lost++;
            FAIL(m, "acknowledged key k%" PRId64 " (id %" PRId64 ") not in the book", n, id);
        }
    }
    for (size_t i = 0; i < m->rev_acked.cap; i++) {
        if (!m->rev_acked.used[i])
            continue;
        int64_t n = m->rev_acked.keys[i], found = 0;
        if (!st_map_get(&m->rev_known, n, &found) || found != m->rev_acked.vals[i]) {
            m->s.lost++;
            FAIL(m, "acknowledged reversal r%" PRId64 " (id %" PRId64 ") not in the book",
                 n, m->rev_acked.vals[i]);
        }
    }
    st_map_free(&usd);
    st_map_free(&eur);
    st_map_free(&seen);
    free(order.v);
}

/* A group is all or nothing: the posts the library accepted are all there
 * or none is, a refused one never is, and nothing is there unless the commit
 * was at least tried (and all of it when the commit was acknowledged). */
static void check_groups(mix_model *m)
{
    for (size_t i = 0; i < m->ngroups; i++) {
        mgroup *g = &m->groups[i];
        int present = 0, accepted = 0, exact = 1;
        for (int k = 0; k < g->np; k++) {
            int in = st_map_get(&m->known, g->n[k], NULL);
            present += in;
            accepted += g->st[k] == 1;
            if (in != (g->st[k] == 1))
                exact = 0;
        }
        m->s.groups_checked++;
        int ok = g->committed == 1 ? exact : present == 0 || (exact && g->commit_tried);
        if (!ok) {
            m->s.broken_groups++;
            char list[256] = "";
            size_t used = 0;
            for (int k = 0; k < g->np && used < sizeof list - 40; k++)
                used += (size_t)snprintf(list + used, sizeof list - used,
                                         " k%" PRId64 ":%s/%s", g->n[k],
                                         g->st[k] == 1 ? "accepted" : g->st[k] ? "refused" : "?",
                                         st_map_get(&m->known, g->n[k], NULL) ? "present" : "absent");
            FAIL(m, "transaction %" PRId64 " (commit %s) is not all-or-nothing:%s",
                 g->g, g->committed == 1 ? "acknowledged" : g->commit_tried ? "failed"
                 : "never tried", list);
        } else if (g->committed != 1 && present > 0 && accepted > 0) {
            m->s.unacked_durable++;
        }
    }
}

static void check_trial(mix_model *m, bo_book *book)
{
    bo_cursor *c = NULL;
    if (bo_ledger_trial_balance(book, BO_DATE_MAX, &c) != 0) {
        FAIL(m, "trial balance: %s", bo_error_message());
        return;
    }
    int c_code = st_col(c, "code"), c_cur = st_col(c, "currency");
    int c_dr = st_col(c, "debit"), c_cr = st_col(c, "credit");
    int64_t got[16] = { 0 }, dr_usd = 0, cr_usd = 0, dr_eur = 0, cr_eur = 0;
    int rc;
    while ((rc = bo_cursor_next(c)) == 0) {
        const char *code = bo_cursor_text(c, c_code), *cur = bo_cursor_text(c, c_cur);
        int i = code ? st_chart_index(code) : -1;
        int64_t dr = bo_cursor_int(c, c_dr), cr = bo_cursor_int(c, c_cr);
        if (i < 0 || !cur || strcmp(cur, st_chart[i].currency) != 0) {
            FAIL(m, "trial balance row %s %s", code ? code : "(null)", cur ? cur : "(null)");
            continue;
        }
        got[i] += dr - cr;
        if (strcmp(cur, "USD") == 0) {
            dr_usd += dr;
            cr_usd += cr;
        } else {
            dr_eur += dr;
            cr_eur += cr;
        }
    }
    bo_cursor_free(c);
    if (rc < 0)
        FAIL(m, "trial balance cursor: %s", bo_error_message());
    if (dr_usd != cr_usd || dr_eur != cr_eur)
        FAIL(m, "trial balance not zero: USD %" PRId64 "/%" PRId64 ", EUR %" PRId64
             "/%" PRId64, dr_usd, cr_usd, dr_eur, cr_eur);
    for (size_t i = 0; i < st_chart_len; i++)
        if (got[i] != m->expected[i])
            FAIL(m, "account %s: balance %" PRId64 ", entries sum to %" PRId64,
                 st_chart[i].code, got[i], m->expected[i]);
}

/* Records named <prefix><n>: present only if tried, closed only if the close
 * was tried; every acknowledged one present (and closed). */
static void check_named(mix_model *m, const char *what, bo_cursor *c, int c_name,
                        int c_closed, char prefix, st_map *tried, st_map *acked,
                        st_map *close_tried, st_map *close_acked)
{
    st_map present, closed;
    st_map_init(&present);
    st_map_init(&closed);
    int rc;
    while ((rc = bo_cursor_next(c)) == 0) {
        const char *name = bo_cursor_text(c, c_name);
        int is_closed = c_closed >= 0 && bo_cursor_int(c, c_closed) != 0;
        if (!name || name[0] != prefix) {
            if (prefix == 'X' && (!name || st_chart_index(name) < 0 || is_closed))
                FAIL(m, "%s '%s' unexpected", what, name ? name : "(null)");
            continue;
        }
        int64_t n = strtoll(name + 1, NULL, 10);
        st_map_put(&present, n, 1);
        if (is_closed)
            st_map_put(&closed, n, 1);
        if (!st_map_get(tried, n, NULL))
            FAIL(m, "%s %s was never added", what, name);
        if (is_closed && !st_map_get(close_tried, n, NULL))
            FAIL(m, "%s %s is closed but was never closed", what, name);
    }
    if (rc < 0)
        FAIL(m, "%s cursor: %s", what, bo_error_message());
    for (size_t i = 0; i < acked->cap; i++)
        if (acked->used[i] && !st_map_get(&present, acked->keys[i], NULL)) {
            m->s.lost++;
            FAIL(m, "acknowledged %s %c%" PRId64 " is missing", what, prefix, acked->keys[i]);
        }
    for (size_t i = 0; i < close_acked->cap; i++)
        if (close_acked->used[i] && !st_map_get(&closed, close_acked->keys[i], NULL)) {
            m->s.lost++;
            FAIL(m, "acknowledged close of %s %c%" PRId64 " is missing", what, prefix,
                 close_acked->keys[i]);
        }
    st_map_free(&present);
    st_map_free(&closed);
}

static void check_records(mix_model *m, bo_book *book)
{
    bo_cursor *c = NULL;
    if (bo_ledger_accounts(book, &c) == 0)
        check_named(m, "account", c, st_col(c, "code"), st_col(c, "closed"), 'X',
                    &m->acct_tried, &m->acct_acked, &m->close_tried, &m->close_acked);
    else
        FAIL(m, "accounts: %s", bo_error_message());
    bo_cursor_free(c);
    c = NULL;
    if (bo_ledger_periods(book, &c) == 0)
        check_named(m, "period", c, st_col(c, "name"), st_col(c, "closed"), 'P',
                    &m->per_tried, &m->per_acked, &m->pclose_tried, &m->pclose_acked);
    else
        FAIL(m, "periods: %s", bo_error_message());
    bo_cursor_free(c);
    c = NULL;
    /* Grants: act<n> holds role<n>; "owner" holds owner. */
    st_map present;
    st_map_init(&present);
    int owner = 0, rc;
    if (bo_role_list(book, &c) == 0) {
        int c_actor = st_col(c, "actor"), c_role = st_col(c, "role");
        while ((rc = bo_cursor_next(c)) == 0) {
            const char *a = bo_cursor_text(c, c_actor), *r = bo_cursor_text(c, c_role);
            if (a && r && strcmp(a, "owner") == 0 && strcmp(r, "owner") == 0) {
                owner = 1;
                continue;
            }
            int64_t n = a && strncmp(a, "act", 3) == 0 ? strtoll(a + 3, NULL, 10) : -1;
            if (n < 0 || !r || strncmp(r, "role", 4) != 0 || strtoll(r + 4, NULL, 10) != n ||
                !st_map_get(&m->grant_tried, n, NULL))
                FAIL(m, "grant %s -> %s was never made", a ? a : "(null)", r ? r : "(null)");
            else
                st_map_put(&present, n, 1);
        }
        if (rc < 0)
            FAIL(m, "grants cursor: %s", bo_error_message());
    } else {
        FAIL(m, "grants: %s", bo_error_message());
    }
    bo_cursor_free(c);
    if (!owner)
        FAIL(m, "the owner grant is missing");
    for (size_t i = 0; i < m->grant_acked.cap; i++)
        if (m->grant_acked.used[i] && !st_map_get(&present, m->grant_acked.keys[i], NULL)) {
            m->s.lost++;
            FAIL(m, "acknowledged grant role%" PRId64 " is missing", m->grant_acked.keys[i]);
        }
    st_map_free(&present);
    /* The name: the last acknowledged one, or one tried after it. */
    const char *name = bo_book_name(book);
    int64_t n = -1;
    if (strncmp(name, "name ", 5) == 0)
        n = strtoll(name + 5, NULL, 10);
    int ok = name[0] ? n >= 0 && (n == m->name_acked || st_map_get(&m->name_after, n, NULL))
                     : m->name_acked < 0;
    if (!ok) {
        m->s.lost++;
        FAIL(m, "book name '%s', last acknowledged %" PRId64, name, m->name_acked);
    }
}

long mix_verify(mix_model *m, const char *what)
{
    long before = m->s.failures;
    snprintf(m->what, sizeof m->what, "%s", what ? what : "");
    int integ = mix_integrity(m->cfg.path);
    if (integ == 0)
        FAIL(m, "integrity_check failed");
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "owner";
    bo_book *book = NULL;
    int rc = integ < 0 ? BO_ENOTFOUND : bo_book_open(&book, m->cfg.path, &o);
    if (rc != 0) {
        if (rc == BO_ENOTFOUND && !m->book_acked && m->acked_list.len == 0 &&
            m->ids.len == 0) {
            m->ngroups = 0;
            m->what[0] = '\0';
            return m->s.failures - before; /* the book was never created */
        }
        /* The store holds no book although its creation was acknowledged:
         * the creating commit itself was lost (and with it every later
         * one). */
        if (rc == BO_ENOTFOUND && m->book_acked)
            m->s.lost += 1 + (long)m->acked_list.len;
        FAIL(m, "reopening the book: %d %s", rc, bo_error_message());
        m->what[0] = '\0';
        return m->s.failures - before;
    }
    check_journal(m, book);
    check_groups(m);
    check_trial(m, book);
    check_records(m, book);
    int64_t bad = -1;
    /* The whole book against its chain, not the chain alone. */
    rc = bo_audit_verify_full(book, NULL, &bad);
    if (rc != 0 || bad != 0)
        FAIL(m, "audit verification failed at %" PRId64 ": %s", bad, bo_error_message());
    bo_book_free(book);
    m->ngroups = 0;
    m->what[0] = '\0';
    return m->s.failures - before;
}
