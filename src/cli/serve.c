/*
 * backoffice serve: the shop's dashboard as a live, read-only web page
 * (libmicrohttpd).
 *
 * GET / (or /dashboard.html) answers with exactly the bytes `backoffice
 * report dashboard` writes to a file for the same options: each request
 * renders the dashboard through bo_report_dashboard() into a private
 * directory and sends that file. The page refreshes itself through a
 * "Refresh" header, so the body stays the file's. Who asks is told by an
 * access token of the book (bo_actor_token_check): "Authorization: Bearer
 * TOKEN", or HTTP Basic with the actor as user and the token as password;
 * the dashboard is then rendered as that actor, so it needs the report's
 * permissions (inventory.read, ledger.read, billing.read). Without a valid
 * token: 401. The strong ETag is the body's SHA-256; a matching
 * If-None-Match gets 304. Only GET and HEAD (else 405). The server listens
 * on 127.0.0.1 unless told otherwise, serves at most --max-connections
 * connections at once (more are closed as they arrive) and calls nothing
 * that writes to the book. SIGINT and SIGTERM stop it cleanly, as does
 * --max-requests N after N answered requests.
 *
 * Built only with libmicrohttpd (BO_CLI_SERVE); without it the command says
 * so and exits 2.
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef BO_CLI_SERVE

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdatomic.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define SERVE_REALM "backoffice"
#define SERVE_MAX_BODY ((size_t)256 << 20)

typedef struct server {
    cli *c;
    bo_report_options opts;
    char dir[64];   /* the private directory the dashboard is rendered in */
    char file[96];  /* dir + "/dashboard.html" */
    int refresh;    /* seconds; 0: no Refresh header */
    long max_requests;
    atomic_long answered;
    /* The last body rendered, for which actor and at which head of the
     * audit chain: served again while nothing was recorded since (every
     * change to the book appends a record) and the same actor asks. An
     * actor without audit.read cannot read the head: its page is rendered
     * on every request. Only the server's one thread touches these. */
    char cached_actor[BO_NAME_MAX + 1];
    int64_t cached_head;
    char *cached;
    size_t cached_len;
    long rendered;
} server;

/* A small text response with a status. */
static enum MHD_Result say(struct MHD_Connection *conn, unsigned status, const char *text,
                           int unauthorized)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_MUST_COPY);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain; charset=utf-8");
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    if (unauthorized) {
        MHD_add_response_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
                                "Bearer realm=\"" SERVE_REALM "\"");
        MHD_add_response_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
                                "Basic realm=\"" SERVE_REALM "\", charset=\"UTF-8\"");
    }
    if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
        MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
    enum MHD_Result ret = MHD_queue_response(conn, status, r);
    MHD_destroy_response(r);
    return ret;
}

/* The actor a request's credentials name, into actor (0), or -1. A Basic
 * user must be the token's actor. */
static int authenticate(server *s, struct MHD_Connection *conn, char *actor, size_t size)
{
    const char *h = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                MHD_HTTP_HEADER_AUTHORIZATION);
    if (!h)
        return -1;
    bo_book *b = s->c->book;
    if (strncasecmp(h, "Bearer ", 7) == 0) {
        const char *t = h + 7;
        while (*t == ' ')
            t++;
        return bo_actor_token_check(b, t, NULL, actor, size) == 0 ? 0 : -1;
    }
    char *pass = NULL;
    char *user = MHD_basic_auth_get_username_password(conn, &pass);
    int ok = -1;
    if (user && pass && bo_actor_token_check(b, pass, NULL, actor, size) == 0 &&
        strcmp(user, actor) == 0)
        ok = 0;
    if (pass) {
        sodium_memzero(pass, strlen(pass));
        MHD_free(pass);
    }
    if (user)
        MHD_free(user);
    return ok;
}

/* Whether If-None-Match lists etag (or is "*"). Weak tags compare weakly,
 * as RFC 9110 asks of If-None-Match. */
static int etag_matches(const char *header, const char *etag)
{
    if (!header)
        return 0;
    size_t n = strlen(etag);
    for (const char *p = header; *p;) {
        while (*p == ' ' || *p == ',' || *p == '\t')
            p++;
        if (*p == '*')
            return 1;
        if (strncmp(p, "W/", 2) == 0)
            p += 2;
        size_t len = strcspn(p, ",");
        while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
            len--;
        if (len == n && strncmp(p, etag, n) == 0)
            return 1;
        p += strcspn(p, ",");
    }
    return 0;
}

/* Render the dashboard as actor: its bytes into *body (the caller frees
 * them). 0, or the HTTP status to answer. The page of the book as it was
 * at the last render comes from the cache (server.cached). */
static unsigned render(server *s, const char *actor, char **body, size_t *len)
{
    bo_book *b = s->c->book;
    *body = NULL;
    unsigned status = 0;
    if (bo_book_set_actor(b, actor) != 0)
        return MHD_HTTP_INTERNAL_SERVER_ERROR;
    int64_t head = -1;
    char hex[BO_HASH_HEX_SIZE];
    if (bo_audit_head(b, &head, hex, sizeof hex) != 0)
        head = -1; /* no audit.read: no cache */
    if (head >= 0 && s->cached && head == s->cached_head &&
        strcmp(actor, s->cached_actor) == 0) {
        if ((*body = malloc(s->cached_len ? s->cached_len : 1)) == NULL) {
            status = MHD_HTTP_INTERNAL_SERVER_ERROR;
        } else {
            memcpy(*body, s->cached, s->cached_len);
            *len = s->cached_len;
        }
        bo_book_set_actor(b, NULL);
        return status;
    }
    int rc = bo_report_dashboard(b, &s->opts, s->file);
    if (rc == BO_EDENIED) {
        status = MHD_HTTP_FORBIDDEN;
    } else if (rc != 0) {
        fprintf(stderr, "backoffice: serve: the dashboard: %s\n", bo_error_message());
        status = MHD_HTTP_INTERNAL_SERVER_ERROR;
    } else if (cli_read_file(s->file, SERVE_MAX_BODY, body, len) != 0) {
        status = MHD_HTTP_INTERNAL_SERVER_ERROR;
    }
    unlink(s->file);
    bo_book_set_actor(b, NULL);
    if (status)
        return status;
    s->rendered++;
    free(s->cached);
    s->cached = NULL;
    if (head >= 0 && (s->cached = malloc(*len ? *len : 1)) != NULL) {
        memcpy(s->cached, *body, *len);
        s->cached_len = *len;
        s->cached_head = head;
        snprintf(s->cached_actor, sizeof s->cached_actor, "%s", actor);
    }
    return 0;
}

static enum MHD_Result answer(void *cls, struct MHD_Connection *conn, const char *url,
                              const char *method, const char *version,
                              const char *upload_data, size_t *upload_size, void **con_cls)
{
    (void)version;
    (void)upload_data;
    server *s = cls;
    /* Nothing is read from a request body: answering at its first call
     * closes the connection on a request that sends one. */
    (void)con_cls;
    if (upload_size && *upload_size)
        *upload_size = 0;
    int head = strcmp(method, MHD_HTTP_METHOD_HEAD) == 0;
    if (!head && strcmp(method, MHD_HTTP_METHOD_GET) != 0)
        return say(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET and HEAD\n", 0);
    if (strcmp(url, "/") != 0 && strcmp(url, "/dashboard.html") != 0)
        return say(conn, MHD_HTTP_NOT_FOUND, "not found: the dashboard is at /\n", 0);
    char actor[BO_NAME_MAX + 1];
    if (authenticate(s, conn, actor, sizeof actor) != 0)
        return say(conn, MHD_HTTP_UNAUTHORIZED,
                   "an access token of the book is needed (backoffice token-create)\n", 1);
    char *body = NULL;
    size_t len = 0;
    unsigned status = render(s, actor, &body, &len);
    if (status == MHD_HTTP_FORBIDDEN)
        return say(conn, status, "the token's actor may not read the dashboard (it needs "
                   "inventory.read, ledger.read and billing.read)\n", 0);
    if (status)
        return say(conn, status, "the dashboard could not be made\n", 0);
    unsigned char d[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(d, (const unsigned char *)body, len);
    char etag[2 * sizeof d + 3];
    etag[0] = '"';
    sodium_bin2hex(etag + 1, 2 * sizeof d + 1, d, sizeof d);
    strcat(etag, "\"");
    const char *inm = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                  MHD_HTTP_HEADER_IF_NONE_MATCH);
    int fresh = etag_matches(inm, etag);
    struct MHD_Response *r;
    if (fresh) {
        free(body);
        r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    } else {
        r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
    }
    if (!r) {
        if (!fresh)
            free(body);
        return MHD_NO;
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, etag);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache, private");
    MHD_add_response_header(r, MHD_HTTP_HEADER_VARY, "Authorization");
    if (s->refresh > 0) {
        char rf[16];
        snprintf(rf, sizeof rf, "%d", s->refresh);
        MHD_add_response_header(r, "Refresh", rf);
    }
    if (!fresh) {
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/html; charset=utf-8");
        /* The page has no script and no outside reference: keep it so. */
        MHD_add_response_header(r, "Content-Security-Policy",
                                "default-src 'none'; style-src 'unsafe-inline'; "
                                "img-src data:");
        MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    }
    enum MHD_Result ret =
        MHD_queue_response(conn, fresh ? MHD_HTTP_NOT_MODIFIED : MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return ret;
}

/* A request is counted once its answer has gone (or its connection
 * ended), so --max-requests never cuts an answer short. */
static void completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
    (void)conn;
    (void)con_cls;
    (void)toe;
    server *s = cls;
    atomic_fetch_add(&s->answered, 1);
}

/* A whole number in lo..hi (0 allowed, unlike cli_int64). */
static int whole(const char *text, int64_t lo, int64_t hi, int64_t *out)
{
    if (!text || !*text || strlen(text) > 10 || strspn(text, "0123456789") != strlen(text))
        return -1;
    *out = (int64_t)strtoll(text, NULL, 10);
    return *out < lo || *out > hi ? -1 : 0;
}

/* "ADDR:PORT", "[ADDR6]:PORT" or "ADDR" (port from --port, else 8080). */
static int parse_listen(const char *text, const char *port_opt,
                        struct sockaddr_storage *sa, socklen_t *salen, char *shown,
                        size_t shown_size)
{
    char host[128] = "127.0.0.1";
    const char *port = NULL;
    if (text) {
        const char *colon;
        size_t hl;
        if (text[0] == '[') {
            const char *end = strchr(text, ']');
            if (!end)
                return cli_usage_error("--listen: '%s' lacks its ']'", text);
            hl = (size_t)(end - text - 1);
            text++;
            colon = end[1] == ':' ? end + 1 : NULL;
            if (!colon && end[1])
                return cli_usage_error("--listen: ADDR:PORT or [ADDR6]:PORT");
        } else {
            colon = strrchr(text, ':');
            hl = colon ? (size_t)(colon - text) : strlen(text);
        }
        if (hl == 0 || hl >= sizeof host)
            return cli_usage_error("--listen: no address");
        memcpy(host, text, hl);
        host[hl] = '\0';
        if (colon)
            port = colon + 1;
    }
    if (port_opt)
        port = port_opt;
    int64_t p = 8080;
    if (port && whole(port, 0, 65535, &p) != 0)
        return cli_usage_error("--port: '%s' is not a port (0..65535; 0 any free one)",
                               port);
    memset(sa, 0, sizeof *sa);
    struct sockaddr_in *v4 = (struct sockaddr_in *)sa;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)sa;
    if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)p);
        *salen = sizeof *v4;
    } else if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)p);
        *salen = sizeof *v6;
    } else {
        return cli_usage_error("--listen: '%s' is not an IPv4 or IPv6 address", host);
    }
    snprintf(shown, shown_size, strchr(host, ':') ? "[%s]" : "%s", host);
    return 0;
}

static int count_opt(const cli_args *a, const char *name, int64_t dflt, int64_t lo,
                     int64_t hi, int64_t *out)
{
    const char *v = cli_opt_get(a, name);
    *out = dflt;
    if (v && whole(v, lo, hi, out) != 0)
        return cli_usage_error("--%s: '%s' is not a number in %lld..%lld", name, v,
                               (long long)lo, (long long)hi);
    return 0;
}

static int serve(cli *c, const cli_args *a)
{
    server s;
    memset(&s, 0, sizeof s);
    s.c = c;
    bo_report_options_init(&s.opts, BO_REPORT_OPTIONS_VERSION);
    /* default: the 30 days up to today (UTC) */
    bo_date today = bo_date_today();
    int st = cli_opt_date(a, "to", today, &s.opts.to);
    if (st || (st = cli_opt_date(a, "from", s.opts.to - 29, &s.opts.from)))
        return st;
    s.opts.zones = cli_opt_get(a, "zones");
    s.opts.store = cli_opt_get(a, "store");
    int64_t maxconn, maxreq, refresh;
    if ((st = count_opt(a, "max-connections", 16, 1, 1024, &maxconn)) ||
        (st = count_opt(a, "max-requests", 0, 0, INT32_MAX, &maxreq)) ||
        (st = count_opt(a, "refresh", 60, 0, 86400, &refresh)))
        return st;
    s.refresh = (int)refresh;
    s.max_requests = (long)maxreq;
    struct sockaddr_storage sa;
    socklen_t salen = 0;
    char shown[140];
    if ((st = parse_listen(cli_opt_get(a, "listen"), cli_opt_get(a, "port"), &sa, &salen,
                           shown, sizeof shown)))
        return st;
    (void)salen;
    if (sodium_init() < 0)
        return cli_usage_error("serve: libsodium cannot start");
    if ((st = cli_open(c)))
        return st;
    /* The handle starts with no actor: each request sets its token's. */
    if ((st = cli_check(c, bo_book_set_actor(c->book, NULL))))
        return st;
    const char *tmp = getenv("TMPDIR");
    snprintf(s.dir, sizeof s.dir, "%s/bo-serve.XXXXXX",
             tmp && *tmp && strlen(tmp) < 40 ? tmp : "/tmp");
    if (!mkdtemp(s.dir))
        return cli_usage_error("serve: cannot make a private directory in %s: %s",
                               tmp ? tmp : "/tmp", strerror(errno));
    snprintf(s.file, sizeof s.file, "%s/dashboard.html", s.dir);

    /* SIGINT and SIGTERM are waited for by this thread only: blocked
     * before the server's thread starts, so it inherits the mask. */
    sigset_t sigs, old;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &sigs, &old);
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG |
            (sa.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0),
        0, NULL, NULL, answer, &s,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned int)maxconn,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)30,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)65536,
        MHD_OPTION_NOTIFY_COMPLETED, completed, &s,
        MHD_OPTION_END);
    if (!d) {
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        rmdir(s.dir);
        return cli_usage_error("serve: cannot listen on %s: %s", shown, strerror(errno));
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    unsigned port = info ? info->port : 0;
    printf("%u\n", port);
    fflush(stdout);
    fprintf(stderr, "backoffice: serving the dashboard at http://%s:%u/ (at most %lld "
            "connections; SIGINT or SIGTERM stops)\n", shown, port, (long long)maxconn);
    struct timespec tick = { 0, 100 * 1000 * 1000 };
    for (;;) {
        int sig = sigtimedwait(&sigs, NULL, &tick);
        if (sig == SIGINT || sig == SIGTERM)
            break;
        if (s.max_requests > 0 && atomic_load(&s.answered) >= s.max_requests)
            break;
    }
    MHD_stop_daemon(d);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    unlink(s.file);
    rmdir(s.dir);
    fprintf(stderr, "backoffice: serve: stopped after %ld requests (the page rendered %ld "
            "times)\n",
            atomic_load(&s.answered), s.rendered);
    free(s.cached);
    return 0;
}

#else /* !BO_CLI_SERVE */

static int serve(cli *c, const cli_args *a)
{
    (void)c;
    (void)a;
    fputs("backoffice: serve: this build has no web server (libmicrohttpd was not "
          "found when it was built)\n", stderr);
    return CLI_EXIT_LIBRARY;
}

#endif

int cli_serve(cli *c, const cli_args *a)
{
    return serve(c, a);
}
