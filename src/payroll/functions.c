/*
 * Functions that rule packs may call beyond the built-ins, registered by
 * hosts and plugins. Process-wide, behind a mutex: a slot is never removed
 * (a replaced function keeps its index), so compiled packs hold indices.
 */
#include "payroll/payroll.h"

#include <pthread.h>
#include <string.h>

#define FUNCS_MAX 64

typedef struct func {
    char name[33];
    int arity;
    bo_payroll_function fn;
    void *user;
    bo_payroll_free_fn free_user;
} func;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static func funcs[FUNCS_MAX];
static int nfuncs;

static const char *const reserved[] = {
    "if", "min", "max", "clamp", "round", "floor", "ceil", "bracket",
    "lookup", "major", "abs", "and", "or", "not", "gross"
};

static int name_ok(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > 32 || !((*s >= 'a' && *s <= 'z') || *s == '_'))
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return 0;
    return 1;
}

static int put(const char *name, int arity, bo_payroll_function fn, void *user,
               bo_payroll_free_fn free_user)
{
    if (!name_ok(name))
        return bo__error_set(BO_EINVAL, "name: a function name is [a-z_][a-z0-9_]*, "
                             "up to 32 bytes");
    if (arity < 0 || arity > BO_PAYROLL_ARGS_MAX)
        return bo__error_set(BO_EINVAL, "arity: %d is outside 0..%d", arity,
                             BO_PAYROLL_ARGS_MAX);
    if (!fn)
        return bo__error_set(BO_EINVAL, "fn: NULL");
    for (size_t k = 0; k < sizeof reserved / sizeof reserved[0]; k++)
        if (strcmp(reserved[k], name) == 0)
            return bo__error_set(BO_EEXISTS, "name: '%s' is built in", name);
    void *old_user = NULL;
    bo_payroll_free_fn old_free = NULL;
    int rc = 0;
    pthread_mutex_lock(&lock);
    int i;
    for (i = 0; i < nfuncs; i++)
        if (strcmp(funcs[i].name, name) == 0)
            break;
    if (i == nfuncs && nfuncs == FUNCS_MAX) {
        rc = bo__error_set(BO_ELIMIT, "functions: %d already registered", FUNCS_MAX);
    } else {
        if (i < nfuncs) {
            old_user = funcs[i].user;
            old_free = funcs[i].free_user;
        } else {
            nfuncs++;
        }
        strcpy(funcs[i].name, name);
        funcs[i].arity = arity;
        funcs[i].fn = fn;
        funcs[i].user = user;
        funcs[i].free_user = free_user;
    }
    pthread_mutex_unlock(&lock);
    if (old_free && old_user != user)
        old_free(old_user);
    return rc;
}

/* The internal form: plain functions without user data. */

int bo__pay_function_register(const char *name, int arity, bo_payroll_function fn)
{
    return put(name, arity, fn, NULL, NULL);
}

int bo_payroll_function_register(const char *name, int arity, bo_payroll_function fn,
                             void *user, bo_payroll_free_fn free_user)
{
    bo__error_clear();
    return put(name, arity, fn, user, free_user);
}

int bo__pay_function_find(const char *name, int *arity)
{
    int idx = -1;
    pthread_mutex_lock(&lock);
    for (int i = 0; i < nfuncs; i++)
        if (strcmp(funcs[i].name, name) == 0) {
            idx = i;
            *arity = funcs[i].arity;
        }
    pthread_mutex_unlock(&lock);
    return idx;
}

int bo__pay_function_call(int idx, const int64_t *args, int nargs, int64_t *out)
{
    pthread_mutex_lock(&lock);
    bo_payroll_function fn = funcs[idx].fn;
    void *user = funcs[idx].user;
    int arity = funcs[idx].arity;
    pthread_mutex_unlock(&lock);
    if (arity != nargs)
        return BO_EEVAL;
    return fn(args, nargs, out, user);
}
