/* The thread-local last error: a code and a message naming the field. */
#include "util/util.h"

#include <stdio.h>
#include <string.h>

#define BO__MSG_MAX 1024
_Static_assert(BO__MSG_MAX == sizeof(((bo__error_state *)0)->msg), "sizes");

static _Thread_local int last_code;
static _Thread_local char last_msg[BO__MSG_MAX];

void bo__error_clear(void)
{
    last_code = BO_OK;
    last_msg[0] = '\0';
}

int bo__error_set(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_msg, sizeof last_msg, fmt, ap);
    va_end(ap);
    if (last_msg[0] == '\0')
        snprintf(last_msg, sizeof last_msg, "%s", bo_error_name(code));
    last_code = code;
    return code;
}

int bo__error_prefix(const char *fmt, ...)
{
    char prefix[BO__MSG_MAX], old[BO__MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    memcpy(old, last_msg, sizeof old);
    /* Truncation is fine: the message stays NUL-terminated. */
    size_t p = strlen(prefix), o = strlen(old);
    if (p > sizeof last_msg - 1)
        p = sizeof last_msg - 1;
    if (o > sizeof last_msg - 1 - p)
        o = sizeof last_msg - 1 - p;
    memcpy(last_msg, prefix, p);
    memcpy(last_msg + p, old, o);
    last_msg[p + o] = '\0';
    return last_code;
}

const char *bo_error_message(void)
{
    return last_msg;
}

int bo_error_code_last(void)
{
    return last_code;
}

const char *bo_error_name(int code)
{
    switch (code) {
    case BO_OK: return "ok";
    case BO_ITEROVER: return "no more rows";
    case BO_ERROR: return "internal error";
    case BO_ENOMEM: return "out of memory";
    case BO_EINVAL: return "invalid argument";
    case BO_ENOTFOUND: return "not found";
    case BO_EEXISTS: return "already exists";
    case BO_EOVERFLOW: return "overflow";
    case BO_EUNBALANCED: return "unbalanced entry";
    case BO_ECLOSED: return "account closed";
    case BO_EPERIOD: return "period closed";
    case BO_ECURRENCY: return "currency error";
    case BO_EUTF8: return "invalid UTF-8";
    case BO_ETOOLONG: return "too long";
    case BO_EDENIED: return "permission denied";
    case BO_EBUSY: return "store busy";
    case BO_ECONSTRAINT: return "constraint violated";
    case BO_EIO: return "I/O error";
    case BO_EFULL: return "store full";
    case BO_ESCHEMA: return "schema version not supported";
    case BO_ECORRUPT: return "integrity check failed";
    case BO_ECONFIG: return "invalid configuration";
    case BO_ELIMIT: return "limit exceeded";
    case BO_ESTATE: return "invalid state";
    case BO_EDRIVER: return "driver error";
    case BO_ECONFLICT: return "serialization conflict";
    case BO_EKEYREUSE: return "idempotency key reused";
    case BO_ENOTSUP: return "not supported";
    case BO_ESTOCK: return "not enough stock";
    case BO_EPAYMENT: return "payment does not match";
    case BO_ENORATE: return "no exchange rate";
    case BO_ESEQUENCE: return "numbering gap";
    case BO_EEVAL: return "rule evaluation failed";
    case BO_EKEY: return "missing or wrong key";
    case BO_ELOCKED: return "checked out by another actor";
    case BO_ERETAINED: return "retained";
    case BO_EDATE: return "date before its record";
    case BO_EPENDING: return "waiting for approval";
    case BO_EEXPIRED: return "expired";
    case BO_ECHECKDIGIT: return "wrong check digit";
    case BO_ECLONE: return "terminal cloned";
    case BO_ESERIAL: return "serial number not there";
    case BO_EBARCODE: return "malformed barcode";
    case BO_EUNIT: return "unit conversion refused";
    default: return "unknown error";
    }
}

void bo__error_save(bo__error_state *st)
{
    st->code = last_code;
    memcpy(st->msg, last_msg, sizeof st->msg);
}

int bo__error_restore(const bo__error_state *st)
{
    last_code = st->code;
    memcpy(last_msg, st->msg, sizeof last_msg);
    return st->code;
}
