/*
 * Internal core services shared by every layer: errors, allocation, text
 * validation, hashing, and (fixed.h) checked arithmetic on amounts. Never
 * installed; names with a double underscore are never exported.
 */
#ifndef BO_UTIL_UTIL_H
#define BO_UTIL_UTIL_H

#include "backoffice.h"
#include "util/fixed.h" /* checked arithmetic on amounts and fixed point */

#include <stdarg.h>
#include <stdbool.h>

#if defined(__GNUC__)
#define BO__PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define BO__PRINTF(f, a)
#endif

/* ---- errors (error.c) ---------------------------------------------------
 * Every public function that can fail starts with bo__error_clear() and
 * returns bo__error_set(code, ...) on failure, so the message is never stale
 * and never missing. */
void bo__error_clear(void);
int bo__error_set(int code, const char *fmt, ...) BO__PRINTF(2, 3);
/* Prefix the current message: "posting 2: <old message>". Returns the
 * current code. */
int bo__error_prefix(const char *fmt, ...) BO__PRINTF(1, 2);

/* Keep an error across cleanup calls that may overwrite it. */
typedef struct bo__error_state {
    int code;
    char msg[1024];
} bo__error_state;
void bo__error_save(bo__error_state *st);
int bo__error_restore(const bo__error_state *st); /* returns st->code */

/* ---- allocation (alloc.c) -----------------------------------------------
 * Everything the library allocates goes through these. bo__malloc never
 * returns memory for size 0 requests: it allocates 1 byte. On failure they
 * return NULL and set BO_ENOMEM. */
void *bo__malloc(size_t size);
void *bo__calloc(size_t n, size_t size);
void *bo__realloc(void *ptr, size_t size);
void bo__free(void *ptr);
char *bo__strdup(const char *s);
char *bo__strndup(const char *s, size_t n);
/* Replace *slot by a copy of s (NULL: by NULL), freeing what it held.
 * 0, or BO_ENOMEM with *slot unchanged. */
int bo__strdup_into(char **slot, const char *s);
/* Make room in the array *p (of *cap elements of @p size bytes) for element
 * @p n: when n >= *cap, doubles *cap (64 the first time) until it is more
 * than n, and zeroes the new elements. 0 or BO_ENOMEM (the array untouched). */
int bo__grow(void **p, size_t *cap, size_t n, size_t size);
/* Number of books open in the process (bo_set_allocator refuses while > 0). */
void bo__books_opened(int delta);
/* Make sure SQLite uses our allocator and is initialised. */
int bo__sqlite_init(void);

/* ---- text (text.c) ------------------------------------------------------ */
/* ---- options structs (options.c) ------------------------------------------
 * A public options or changes struct starts with its version. check: 0, or
 * BO_EINVAL "options: NULL" / "options: version N is not M". init: copy
 * @defaults (its _INIT) into @opts when @version is @want. */
int bo__opts_check(const void *opts, unsigned int want);
int bo__opts_init(void *opts, unsigned int version, unsigned int want,
                  const void *defaults, size_t size);

/* Check a text field: not NULL (unless allow_null), valid UTF-8, no NUL
 * inside, at most max bytes, and not empty unless allow_empty. On failure
 * sets BO_EINVAL / BO_EUTF8 / BO_ETOOLONG naming field. */
int bo__text_check(const char *field, const char *s, size_t max,
                   bool allow_null, bool allow_empty);
/* An optional text field of a struct being built: bo__text_check(field, s,
 * max, NULL allowed, not empty), then bo__strdup_into(slot, s). On failure
 * *slot is unchanged. */
int bo__text_set(char **slot, const char *field, const char *s, size_t max);
bool bo__utf8_valid(const char *s, size_t len);
/* Quote untrusted text for an error message: the first max bytes, anything
 * outside printable ASCII (and quotes, backslashes) as \xNN, "..." when
 * cut. out needs 4 * max + 8 bytes; a smaller one truncates safely. */
void bo__quote(const char *text, size_t max, char *out, size_t size);
/* A name (actor, role, permission, code): printable ASCII/UTF-8 without
 * control characters or spaces. */
int bo__name_check(const char *field, const char *s, size_t max);

/* ---- growable byte buffer (buf.c) --------------------------------------- */
typedef struct bo__buf {
    char *ptr;
    size_t len, cap;
    int failed; /* an append failed: the buffer is incomplete */
} bo__buf;
#define BO__BUF_INIT { NULL, 0, 0, 0 }
int bo__buf_put(bo__buf *b, const void *data, size_t len);
int bo__buf_puts(bo__buf *b, const char *s);
int bo__buf_printf(bo__buf *b, const char *fmt, ...) BO__PRINTF(2, 3);
/* Append a length-prefixed field ("5:hello") so concatenations are
 * unambiguous (used for hashing canonical records). NULL -> "-". */
int bo__buf_field(bo__buf *b, const char *s);
int bo__buf_field_int(bo__buf *b, int64_t v);
/* The decimal digits of v, ending at out[23] ('\0'); returns the first. */
char *bo__digits(uint64_t v, char out[24]);
/* "<prefix><id>" (an object's name, "sale:12"), without snprintf's format
 * reading (about 700 instructions a call); prefix at most 24 bytes. */
void bo__id_name(char out[48], const char *prefix, int64_t id);
void bo__buf_free(bo__buf *b);

/* ---- files written out (outfile.c) ----------------------------------------
 * What the library writes out (SAF-T, FEC, payment batches, labels) is
 * written whole into a temporary file beside its target (TARGET.tagXXXXXX,
 * mode 0600: such files carry personal data) and renamed over the target
 * only when complete: a reader never sees half a file, and a failure leaves
 * the target as it was and no temporary file behind. */
typedef struct bo__outfile {
    char *tmp;          /* the temporary file's path (owned) */
    const char *target; /* the caller's path (not owned) */
    int fd;             /* open after bo__outfile_open, -1 once closed */
} bo__outfile;
/* Make the temporary file beside target; of->fd stays open for writing
 * (bo__outfile_close_fd() first when a writer opens of->tmp by name).
 * 0, BO_ENOMEM or BO_EIO naming the target. */
int bo__outfile_open(bo__outfile *of, const char *target, const char *tag);
/* Close of->fd (if open): 0 or BO_EIO naming the target. */
int bo__outfile_close_fd(bo__outfile *of);
/* Finish: with rc == 0 close and rename the temporary file over the target
 * (BO_EIO naming it on failure), otherwise remove it. Frees what open made
 * and returns the final code. Safe on a zeroed or failed-open struct. */
int bo__outfile_end(bo__outfile *of, int rc);

/* ---- hashing (hash.c, OpenSSL libcrypto) --------------------------------- */
/* FNV-1a of the n bytes at p, its offset basis xor-ed with seed (0: plain
 * FNV-1a): the one hash of the in-memory tables (not for digests). */
uint64_t bo__hash_bytes(const void *p, size_t n, uint64_t seed);
#define BO__SHA256_BYTES 32
void bo__sha256(const void *data, size_t len, unsigned char out[32]);
void bo__hex(const unsigned char *bytes, size_t n, char *out /* 2n+1 */);
/* The SHA-256 (hex) of a canonical form built in b, which is then freed:
 * BO_ENOMEM when building it failed. Digests of entries, invoices,
 * payments, documents and audit records all end this way. */
int bo__buf_digest(bo__buf *b, char out[65]);
/* The same digest of b, which is kept (its text goes to the audit log). */
int bo__buf_hash(const bo__buf *b, char out[65]);
/* Incremental SHA-256 for long canonical forms (whole tables when a book is
 * verified): the state lives in the caller's struct, nothing is allocated.
 * bo__sha_field/_int hash exactly what bo__buf_field/_int append. */
typedef struct bo__sha {
    _Alignas(16) unsigned char state[128];
    unsigned char buf[512]; /* small puts gathered: one update per block */
    size_t len;
} bo__sha;
void bo__sha_init(bo__sha *h);
void bo__sha_put(bo__sha *h, const void *data, size_t len);
void bo__sha_field(bo__sha *h, const char *s, size_t len); /* s NULL: "-;" */
void bo__sha_field_int(bo__sha *h, int64_t v);
void bo__sha_hex(bo__sha *h, char out[65]); /* finishes h */
void bo__sha_final(bo__sha *h, unsigned char out[32]); /* finishes h: the bytes */

/* ---- amounts for messages (money.c) ---------------------------------------- */
/* Format an amount for a message ("12.50 USD"); never fails (an unknown
 * currency gives "1250 minor units XXX"). */
void bo__amount_str(int64_t amount, const char *currency, char out[48]);

/* ---- time zones (tzone.c) ---------------------------------------------------- */
#define BO__TZ_NAME_MAX 64
/* A zone: a fixed offset (n == 0: minutes east of UTC), or the transitions
 * of a tz database zone (at[i] UTC seconds from 1970, off[i] minutes east
 * from then on; minutes before the first). */
typedef struct bo__tz {
    int minutes;
    size_t n;
    int64_t *at;
    int *off;
} bo__tz;
/* Parse UTC, WIB, WITA, WIT, +HH:MM / -HH:MM or an IANA name (len bytes of
 * text, read from TZDIR or /usr/share/zoneinfo); BO_EINVAL naming field. */
int bo__tz_parse(const char *field, const char *text, size_t len, bo__tz *out);
/* Read a TZif file's bytes (RFC 8536), bounded; BO_EINVAL "zone: ...". */
int bo__tz_tzif(const unsigned char *data, size_t len, bo__tz *out);
/* Minutes east of UTC at utc (seconds from 1970-01-01T00:00:00Z). */
int bo__tz_offset(const bo__tz *z, int64_t utc);
void bo__tz_free(bo__tz *z);

/* ---- dates (date.c) ------------------------------------------------------ */
/* Format into a caller buffer of at least 11 bytes; out-of-range -> "". */
void bo__date_iso(bo_date d, char out[11]);
/* A schedule's occurrences: anchor + k * mult periods, k = 0, 1, ...;
 * period 1 day, 2 week, 3 month (the anchor's day, clamped to the month's
 * end), 4 month end (each month's last day), 5 year (Feb 29 clamped): the
 * values of bo_recur_period (backoffice/ledger.h). *out: the first
 * occurrence after `after` (the first one when after precedes it).
 * BO_EINVAL for a bad period or multiplier, or past 9999-12-31. */
int bo__date_next_occurrence(bo_date anchor, int period, int mult, bo_date after,
                             bo_date *out);

#endif
