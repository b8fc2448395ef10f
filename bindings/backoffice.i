/*
 * backoffice.i - the one SWIG interface of the Python 3 and Lua 5.4 modules.
 *
 * Only the public headers (include/backoffice/*.h) are fed to SWIG. The
 * handles become classes (Book, Entry, Cursor); every function whose first
 * argument is a bo_book * is a Book method named without its prefix
 * (bo_ledger_post -> Book.post, bo_role_grant -> Book.role_grant); the rest
 * are module functions named without "bo_" (money_add, date_parse, ...), and
 * the constants lose "BO_" (EUNBALANCED, ACCOUNT_ASSET, SYNC_OFF, ...).
 *
 * Conventions shared by both languages:
 * - every negative status raises at the call that failed: Python raises
 *   backoffice.Error (a subclass per code, with .code, .name, .message);
 *   Lua raises a table {code=, name=, message=} whose metatable is
 *   backoffice.Error and whose tostring() is the message;
 * - status-only calls return nothing; output arguments become return values
 *   (a tuple in Python, several results in Lua);
 * - a bo_date argument takes a day number or a "YYYY-MM-DD" string (Python
 *   also takes a datetime.date); a bad string raises InvalidError;
 * - int64 amounts are exact: Python ints, Lua integers (never floats);
 *   Python bool is not an int here (except for yes/no parameters);
 * - text is refused, never cut: one typemap per language converts every
 *   const char * parameter and raises InvalidError (EINVAL), naming the
 *   parameter, for a string holding a NUL; bytes (document content, keys)
 *   keep every byte;
 * - an event callback runs after the commit and cannot make the call that
 *   delivered the event fail: that call returns its result, and what the
 *   callback raised goes to the book's handler (book.on_callback_error;
 *   default: Python's sys.unraisablehook, stderr in Lua) and to
 *   book.callback_errors().
 *
 * A callback that references its own book (directly or through a closure)
 * forms a cycle the garbage collector cannot see through the C library:
 * call book.close() (or use "with Book(...) as book", or Lua's
 * "local book <close> = ...") to release it.
 */
%module(docstring="libbackoffice: the back office of a business (ledger, audit, events).") backoffice

%{
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "backoffice.h"

/* Status of the last handle-making body (Book(), Entry(), Book.from_yaml):
 * the out typemap of the handle raises it when the handle is NULL. */
static _Thread_local int bo_swig_rc;

/* How many errors of its event callbacks a book keeps for
 * callback_errors(); the oldest are dropped first. */
#define BO_SWIG_CALLBACK_ERRORS_KEPT 100

/* Enumerations by name: every int parameter below takes its constant
 * (PARTY_CUSTOMER) or its name as a string ("customer"); flags combine
 * names with "|" or "," ("customer|vendor"). One table per parameter name; "kind"
 * is the invoice's or the payment's, told apart by the function. */
typedef struct bo_swig_name {
    const char *name;
    int value;
} bo_swig_name;

typedef struct bo_swig_enum {
    const char *param;    /* the C parameter's name */
    const char *fn_part;  /* NULL, or a part of the function's name */
    int flags;            /* names combine with | */
    const bo_swig_name *names;
} bo_swig_enum;

static const bo_swig_name bo_swig_sync_names[] = {
    { "full", BO_SYNC_FULL }, { "normal", BO_SYNC_NORMAL }, { "off", BO_SYNC_OFF },
    { NULL, 0 } };
static const bo_swig_name bo_swig_roles_names[] = {
    { "customer", BO_PARTY_CUSTOMER }, { "vendor", BO_PARTY_VENDOR }, { NULL, 0 } };
static const bo_swig_name bo_swig_tax_flags_names[] = {
    { "compound", BO_TAX_COMPOUND }, { NULL, 0 } };
static const bo_swig_name bo_swig_method_names[] = {
    { "fifo", BO_INV_FIFO }, { "average", BO_INV_AVERAGE }, { NULL, 0 } };
static const bo_swig_name bo_swig_invoice_kind_names[] = {
    { "sales", BO_INVOICE_SALES }, { "purchase", BO_INVOICE_PURCHASE },
    { "sales_credit", BO_INVOICE_SALES_CREDIT },
    { "purchase_credit", BO_INVOICE_PURCHASE_CREDIT }, { NULL, 0 } };
static const bo_swig_name bo_swig_payment_kind_names[] = {
    { "received", BO_PAYMENT_RECEIVED }, { "made", BO_PAYMENT_MADE }, { NULL, 0 } };
static const bo_swig_name bo_swig_side_names[] = {
    { "receivable", BO_BILL_RECEIVABLE }, { "payable", BO_BILL_PAYABLE }, { NULL, 0 } };
static const bo_swig_name bo_swig_schedule_names[] = {
    { "monthly", BO_PAY_MONTHLY }, { "semi_monthly", BO_PAY_SEMI_MONTHLY },
    { "semi-monthly", BO_PAY_SEMI_MONTHLY }, { "bi_weekly", BO_PAY_BI_WEEKLY },
    { "bi-weekly", BO_PAY_BI_WEEKLY }, { "weekly", BO_PAY_WEEKLY }, { NULL, 0 } };

static const bo_swig_enum bo_swig_enums[] = {
    { "sync", NULL, 0, bo_swig_sync_names },
    { "roles", NULL, 1, bo_swig_roles_names },
    { "flags", "tax", 1, bo_swig_tax_flags_names },
    { "method", NULL, 0, bo_swig_method_names },
    { "kind", "ayment", 0, bo_swig_payment_kind_names },
    { "kind", "nvoice", 0, bo_swig_invoice_kind_names },
    { "side", NULL, 0, bo_swig_side_names },
    { "schedule", NULL, 0, bo_swig_schedule_names },
};

/* The value of @text for parameter @param of function @fn: 0, or
 * BO_EINVAL with @msg naming the parameter and the names it takes. */
static int bo_swig_enum_parse(const char *fn, const char *param, const char *text,
                              int *out, char *msg, size_t size)
{
    const bo_swig_enum *e = NULL;
    size_t i, used;
    int value = 0;
    const char *p = text;

    for (i = 0; i < sizeof bo_swig_enums / sizeof bo_swig_enums[0]; i++) {
        if (strcmp(bo_swig_enums[i].param, param) == 0
            && (!bo_swig_enums[i].fn_part || strstr(fn, bo_swig_enums[i].fn_part))) {
            e = &bo_swig_enums[i];
            break;
        }
    }
    if (!e) {
        snprintf(msg, size, "%s: a number expected (%s)", param, fn);
        return BO_EINVAL;
    }
    for (;;) {
        const char *end = e->flags ? strpbrk(p, "|,") : NULL;
        size_t len = end ? (size_t)(end - p) : strlen(p);
        const bo_swig_name *n;
        while (len && *p == ' ') {
            p++;
            len--;
        }
        while (len && p[len - 1] == ' ')
            len--;
        for (n = e->names; n->name; n++)
            if (strlen(n->name) == len && strncmp(n->name, p, len) == 0)
                break;
        if (!n->name || !len) {
            used = (size_t)snprintf(msg, size, "%s: unknown name '%s'; one of", param, text);
            for (n = e->names; n->name && used < size; n++)
                used += (size_t)snprintf(msg + used, size - used, "%s %s",
                                         n == e->names ? "" : ",", n->name);
            if (used < size)
                snprintf(msg + used, size - used, "%s (%s)",
                         e->flags ? " (combined with | or ,)" : "", fn);
            return BO_EINVAL;
        }
        value |= n->value;
        if (!end)
            break;
        p = end + 1;
    }
    *out = value;
    return 0;
}
%}

%include <stdint.i>

#ifdef SWIGPYTHON
%feature("autodoc", "1");
%feature("kwargs");
/* Parameters carry their C type as an annotation ("char const *",
 * "int64_t", "bo_date", ...): inspect.signature() shows what each takes. */
%feature("python:annotations", "c");
#endif

/* ------------------------------------------------------------------------
 * Names: strip the prefixes; bind each handle's functions as methods only.
 * ------------------------------------------------------------------------ */
%rename("%(strip:[bo_])s") "";
%rename("%(strip:[BO_])s", %$isconstant) "";
%rename("%(strip:[BO_])s", %$isenumitem) "";

/* Functions that become methods of Book, Entry or Cursor (declared in the
 * %extend blocks below). A new header function with one of these prefixes is
 * not bound until it gets a method: tests/bindings/check_exports.py fails
 * until then. */
%rename("$ignore", regextarget=1) "^bo_book_";
%rename("$ignore", regextarget=1) "^bo_ledger_";
%rename("$ignore", regextarget=1) "^bo_role_";
%rename("$ignore", regextarget=1) "^bo_actor_";
%rename("$ignore", regextarget=1) "^bo_audit_";
%rename("$ignore", regextarget=1) "^bo_event_";
%rename("$ignore", regextarget=1) "^bo_entry_";
%rename("$ignore", regextarget=1) "^bo_cursor_";
%rename(schema_version) bo_book_schema_version;
%rename(Book) bo_book;
%rename(Entry) bo_entry;
%rename(Cursor) bo_cursor;

#ifdef SWIGPYTHON
/* The builders remember what they were made with, for repr(). */
%feature("pythonappend") bo_entry::bo_entry %{
    self.__dict__["_made_with"] = (("date", date), ("memo", memo))
%}
%feature("pythonappend") bo_sale::bo_sale %{
    self.__dict__["_made_with"] = (("date", date), ("memo", memo))
%}
%feature("pythonappend") bo_invoice::bo_invoice %{
    self.__dict__["_made_with"] = (("kind", kind), ("party", party), ("date", date))
%}
%feature("pythonappend") bo_payment::bo_payment %{
    self.__dict__["_made_with"] = (("kind", kind), ("party", party), ("date", date),
                                   ("amount", amount), ("currency", currency))
%}
%feature("pythonappend") bo_doc::bo_doc %{
    self.__dict__["_made_with"] = (("type", type), ("title", title), ("date", date))
%}
#endif

/* C-only (see tests/bindings/check_exports.py for the reasons). */
%ignore bo_free;
%ignore bo_set_allocator;
%ignore bo_allocator;
%ignore BO_ALLOCATOR_VERSION;
%ignore BO_BOOK_OPTIONS_INIT;
%ignore BO_BOOK_OPTIONS_VERSION;
/* The verification options become keyword arguments of
 * Book.audit_verify_full and Book.audit_verify_list. */
%ignore bo_audit_verify_options;
%ignore BO_AUDIT_VERIFY_OPTIONS_INIT;
%ignore BO_AUDIT_VERIFY_OPTIONS_VERSION;

/* ------------------------------------------------------------------------
 * Python runtime helpers
 * ------------------------------------------------------------------------ */
#ifdef SWIGPYTHON
%{
/* One exception class per error code, created in %init. Some also derive
 * from the matching built-in so generic handlers keep working. */
#define BO_PY_NCODES 64
static PyObject *bo_py_error_base;
static PyObject *bo_py_error_class[BO_PY_NCODES];

typedef struct bo_py_error_def {
    int code;
    const char *name;
    PyObject **builtin;
} bo_py_error_def;

static const bo_py_error_def bo_py_error_defs[] = {
    { BO_ERROR, "InternalError", NULL },
    { BO_ENOMEM, "NoMemoryError", &PyExc_MemoryError },
    { BO_EINVAL, "InvalidError", &PyExc_ValueError },
    { BO_ENOTFOUND, "NotFoundError", NULL },
    { BO_EEXISTS, "ExistsError", NULL },
    { BO_EOVERFLOW, "AmountOverflowError", &PyExc_OverflowError },
    { BO_EUNBALANCED, "UnbalancedError", NULL },
    { BO_ECLOSED, "ClosedError", NULL },
    { BO_EPERIOD, "PeriodError", NULL },
    { BO_ECURRENCY, "CurrencyError", NULL },
    { BO_EUTF8, "UTF8Error", NULL },
    { BO_ETOOLONG, "TooLongError", NULL },
    { BO_EDENIED, "DeniedError", NULL },
    { BO_EBUSY, "BusyError", NULL },
    { BO_ECONSTRAINT, "ConstraintError", NULL },
    { BO_EIO, "StoreIOError", NULL },
    { BO_EFULL, "FullError", NULL },
    { BO_ESCHEMA, "SchemaError", NULL },
    { BO_ECORRUPT, "CorruptError", NULL },
    { BO_ECONFIG, "ConfigError", NULL },
    { BO_ELIMIT, "LimitError", NULL },
    { BO_ESTATE, "StateError", NULL },
    { BO_EDRIVER, "DriverError", NULL },
    { BO_ECONFLICT, "ConflictError", NULL },
    { BO_EKEYREUSE, "KeyReuseError", NULL },
    { BO_ENOTSUP, "NotSupportedError", NULL },
    { BO_ESTOCK, "StockError", NULL },
    { BO_EPAYMENT, "PaymentError", NULL },
    { BO_ENORATE, "NoRateError", NULL },
    { BO_ESEQUENCE, "SequenceError", NULL },
    { BO_EEVAL, "EvalError", NULL },
    { BO_EKEY, "EncryptionKeyError", NULL },
    { BO_ELOCKED, "LockedError", NULL },
    { BO_ERETAINED, "RetainedError", NULL },
    { BO_EDATE, "DateOrderError", NULL },
};

/* Raise the exception of @code with @message (UTF-8; bad bytes replaced). */
static void bo_py_raise(int code, const char *message)
{
    PyObject *cls = bo_py_error_base, *msg, *exc, *val;

    if (code < 0 && -code < BO_PY_NCODES && bo_py_error_class[-code])
        cls = bo_py_error_class[-code];
    /* Decode the message before any other library call can replace it. */
    msg = PyUnicode_DecodeUTF8(message, (Py_ssize_t)strlen(message), "replace");
    if (!msg)
        return;
    if (PyUnicode_GetLength(msg) == 0) {
        Py_DECREF(msg);
        msg = PyUnicode_FromString(bo_error_name(code));
        if (!msg)
            return;
    }
    exc = PyObject_CallOneArg(cls, msg);
    if (exc) {
        val = PyLong_FromLong(code);
        if (val && PyObject_SetAttrString(exc, "code", val) == 0) {
            Py_DECREF(val);
            val = PyUnicode_FromString(bo_error_name(code));
            if (val && PyObject_SetAttrString(exc, "name", val) == 0
                && PyObject_SetAttrString(exc, "message", msg) == 0)
                PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
        }
        Py_XDECREF(val);
        Py_DECREF(exc);
    }
    Py_DECREF(msg);
}

/* Raise @code with the thread's last library message. */
static void bo_py_raise_last(int code)
{
    bo_py_raise(code, bo_error_message());
}

/* After a library call: 0, or -1 with the call's failure raised. An event
 * callback never makes a call fail (see bo_py_event_call). */
static int bo_py_check(int rc)
{
    if (rc < 0) {
        bo_py_raise_last(rc);
        return -1;
    }
    return 0;
}

/* A subscription: the callable and the book's error sink (a
 * _CallbackSink; NULL when subscribe was called without one). */
typedef struct bo_py_callback {
    PyObject *fn;
    PyObject *sink;
} bo_py_callback;

/* The callback raised (the exception is set): the committed call that
 * delivered the event must still return its result, so the exception goes
 * to the book's channel instead: recorded by the sink (book.callback_errors())
 * and handed to the book's handler (book.on_callback_error()), or to
 * sys.unraisablehook when the book has none. A raising handler goes to
 * sys.unraisablehook too. Returns with no exception set. */
static void bo_py_callback_failed(bo_py_callback *cb, const char *event, int64_t id)
{
    PyObject *type, *value, *tb, *handler = NULL, *r;

    PyErr_Fetch(&type, &value, &tb);
    PyErr_NormalizeException(&type, &value, &tb);
    if (!value) {
        Py_XDECREF(type);
        Py_XDECREF(tb);
        return;
    }
    if (tb)
        PyException_SetTraceback(value, tb);
    if (cb->sink) {
        handler = PyObject_CallMethod(cb->sink, "_record", "sLO", event,
                                      (long long)id, value);
        if (!handler)
            PyErr_WriteUnraisable(cb->sink);
    }
    if (handler && handler != Py_None) {
        r = PyObject_CallFunction(handler, "sLO", event, (long long)id, value);
        if (r)
            Py_DECREF(r);
        else
            PyErr_WriteUnraisable(handler);
        Py_XDECREF(type);
        Py_DECREF(value);
        Py_XDECREF(tb);
    } else {
        PyErr_Restore(type, value, tb);
        PyErr_WriteUnraisable(cb->fn);
    }
    Py_XDECREF(handler);
}

static void bo_py_event_call(const char *event, int64_t id, void *user)
{
    bo_py_callback *cb = (bo_py_callback *)user;
    PyGILState_STATE gil = PyGILState_Ensure();
    PyObject *r = PyObject_CallFunction(cb->fn, "sL", event, (long long)id);

    if (r)
        Py_DECREF(r);
    else
        bo_py_callback_failed(cb, event, id);
    PyGILState_Release(gil);
}

static void bo_py_event_free(void *user)
{
    bo_py_callback *cb = (bo_py_callback *)user;
    PyGILState_STATE gil = PyGILState_Ensure();
    Py_DECREF(cb->fn);
    Py_XDECREF(cb->sink);
    PyGILState_Release(gil);
    free(cb);
}

/* Append an output value: None -> obj; x -> (x, obj); (..) -> (.., obj).
 * Steals both references; NULL on failure. */
static PyObject *bo_py_append(PyObject *result, PyObject *obj)
{
    PyObject *t;
    Py_ssize_t i, n;

    if (!obj) {
        Py_XDECREF(result);
        return NULL;
    }
    if (!result || result == Py_None) {
        Py_XDECREF(result);
        return obj;
    }
    if (!PyTuple_Check(result)) {
        t = PyTuple_Pack(2, result, obj);
    } else {
        n = PyTuple_GET_SIZE(result);
        t = PyTuple_New(n + 1);
        if (t) {
            for (i = 0; i < n; i++) {
                Py_INCREF(PyTuple_GET_ITEM(result, i));
                PyTuple_SET_ITEM(t, i, PyTuple_GET_ITEM(result, i));
            }
            Py_INCREF(obj);
            PyTuple_SET_ITEM(t, n, obj);
        }
    }
    Py_DECREF(result);
    Py_DECREF(obj);
    return t;
}

/* Raise InvalidError for a text argument holding a NUL character. */
static void bo_py_raise_nul(const char *fn, const char *name)
{
    char msg[160];
    snprintf(msg, sizeof msg, "%s: contains a NUL character; text is refused, "
             "not cut at it (%s)", name, fn);
    bo_py_raise(BO_EINVAL, msg);
}

/* A text argument: a str (its UTF-8, which lives as long as the str: the
 * whole call) or, when @none_ok, None (NULL). A NUL character anywhere
 * raises InvalidError naming the parameter: C would see only the text
 * before it, so "till\0A" and "till\0B" would be the same key. 0, or -1
 * with an exception set. */
static int bo_py_text(PyObject *o, const char *fn, const char *name, int none_ok,
                      const char **out)
{
    Py_ssize_t len = 0;
    const char *s;

    if (o == Py_None && none_ok) {
        *out = NULL;
        return 0;
    }
    if (!PyUnicode_Check(o)) {
        PyErr_Format(PyExc_TypeError, "in method '%s', argument %s of type "
                     "'char const *': a str expected, not %.60s", fn, name,
                     Py_TYPE(o)->tp_name);
        return -1;
    }
    s = PyUnicode_AsUTF8AndSize(o, &len);
    if (!s)
        return -1;
    if (memchr(s, '\0', (size_t)len)) {
        bo_py_raise_nul(fn, name);
        return -1;
    }
    *out = s;
    return 0;
}

/* An exact int64 from a Python int: -1 with an exception set on failure.
 * bool is refused (True is not an amount, an id or a quantity), as is every
 * float (1.5 would be cut). */
static int bo_py_int64(PyObject *o, const char *fn, const char *name, int64_t *out)
{
    int overflow = 0;
    long long v;
    char msg[160];

    if (!PyLong_Check(o) || PyBool_Check(o)) {
        PyErr_Format(PyExc_TypeError, "in method '%s', argument %s must be an "
                     "int, not %.60s", fn, name, Py_TYPE(o)->tp_name);
        return -1;
    }
    v = PyLong_AsLongLongAndOverflow(o, &overflow);
    if (overflow) {
        snprintf(msg, sizeof msg, "%s: does not fit a signed 64-bit integer (%s)",
                 name, fn);
        bo_py_raise(BO_EOVERFLOW, msg);
        return -1;
    }
    if (v == -1 && PyErr_Occurred())
        return -1;
    *out = (int64_t)v;
    return 0;
}

/* A C int from a Python int (bool refused unless @flag: a yes/no parameter
 * such as create or inclusive takes True/False as well as 0/1). */
static int bo_py_int(PyObject *o, const char *fn, const char *name, int flag, int *out)
{
    int64_t v;
    char msg[160];

    if (flag && PyBool_Check(o)) {
        *out = o == Py_True;
        return 0;
    }
    if (bo_py_int64(o, fn, name, &v) < 0)
        return -1;
    if (v < INT_MIN || v > INT_MAX) {
        snprintf(msg, sizeof msg, "%s: out of range (%s)", name, fn);
        bo_py_raise(BO_EOVERFLOW, msg);
        return -1;
    }
    *out = (int)v;
    return 0;
}

/* A date from a day number, a "YYYY-MM-DD" str or a datetime.date. */
static int bo_py_date(PyObject *o, const char *fn, const char *name, bo_date *out)
{
    char msg[160];
    long v;
    int overflow = 0, rc;

    if (PyUnicode_Check(o)) {
        const char *s;
        if (bo_py_text(o, fn, name, 0, &s) < 0)
            return -1;
        rc = bo_date_parse(s, out);
        if (rc < 0) {
            bo_py_raise_last(rc);
            return -1;
        }
        return 0;
    }
    if (PyLong_Check(o) && !PyBool_Check(o)) {
        v = PyLong_AsLongAndOverflow(o, &overflow);
        if (v == -1 && PyErr_Occurred())
            return -1;
        if (overflow || v < INT32_MIN || v > INT32_MAX) {
            snprintf(msg, sizeof msg, "%s: day number out of range (%s)", name, fn);
            bo_py_raise(BO_EINVAL, msg);
            return -1;
        }
        *out = (bo_date)v;
        return 0;
    }
    if (!PyBool_Check(o) && PyObject_HasAttrString(o, "toordinal")
        && PyObject_HasAttrString(o, "isoformat")) {
        /* datetime.date: proleptic Gregorian ordinal, 1970-01-01 = 719163 */
        PyObject *ord = PyObject_CallMethod(o, "toordinal", NULL);
        if (!ord)
            return -1;
        v = PyLong_AsLong(ord);
        Py_DECREF(ord);
        if (v == -1 && PyErr_Occurred())
            return -1;
        *out = (bo_date)(v - 719163L);
        return 0;
    }
    PyErr_Format(PyExc_TypeError,
                 "in method '%s', argument %s must be a day number, a "
                 "'YYYY-MM-DD' str or a datetime.date, not %.60s", fn, name,
                 Py_TYPE(o)->tp_name);
    return -1;
}

/* A number given as a name (an account type, a classification) or an int:
 * @parse maps the name. */
static int bo_py_named_int(PyObject *o, const char *fn, const char *name,
                           int (*parse)(const char *), int *out)
{
    if (PyUnicode_Check(o)) {
        const char *s;
        int v;
        if (bo_py_text(o, fn, name, 0, &s) < 0)
            return -1;
        v = parse(s);
        if (v < 0) {
            bo_py_raise_last(v);
            return -1;
        }
        *out = v;
        return 0;
    }
    return bo_py_int(o, fn, name, 0, out);
}

/* An enumeration: its number (a constant such as PARTY_CUSTOMER) or its
 * name as a str ("customer"); a bad name raises InvalidError naming the
 * parameter and the names it takes. */
static int bo_py_enum(PyObject *o, const char *fn, const char *name, int *out)
{
    if (PyUnicode_Check(o)) {
        const char *s;
        char msg[256];
        if (bo_py_text(o, fn, name, 0, &s) < 0)
            return -1;
        if (bo_swig_enum_parse(fn, name, s, out, msg, sizeof msg) < 0) {
            bo_py_raise(BO_EINVAL, msg);
            return -1;
        }
        return 0;
    }
    return bo_py_int(o, fn, name, 0, out);
}

/* The current row of @cursor as a dict column -> int, str or None. */
static PyObject *bo_py_row(bo_cursor *cursor)
{
    int i, n = bo_cursor_column_count(cursor);
    PyObject *row = PyDict_New(), *v;
    const char *name, *text;

    if (!row)
        return NULL;
    for (i = 0; i < n; i++) {
        switch (bo_cursor_type(cursor, i)) {
        case BO_TYPE_INT:
            v = PyLong_FromLongLong((long long)bo_cursor_int(cursor, i));
            break;
        case BO_TYPE_TEXT:
            text = bo_cursor_text(cursor, i);
            v = text ? PyUnicode_DecodeUTF8(text, (Py_ssize_t)strlen(text),
                                            "surrogateescape")
                     : (Py_INCREF(Py_None), Py_None);
            break;
        default:
            Py_INCREF(Py_None);
            v = Py_None;
            break;
        }
        name = bo_cursor_column_name(cursor, i);
        if (!v || PyDict_SetItemString(row, name ? name : "?", v) < 0) {
            Py_XDECREF(v);
            Py_DECREF(row);
            return NULL;
        }
        Py_DECREF(v);
    }
    return row;
}

/* _release(handle): free a Book, Entry, Cursor or documents handle now;
 * later calls on the proxy raise StateError. Safe to call twice. */
static PyObject *bo_py_release(PyObject *self, PyObject *args)
{
    PyObject *obj;
    SwigPyObject *sobj;

    (void)self;
    if (!PyArg_ParseTuple(args, "O:_release", &obj))
        return NULL;
    sobj = SWIG_Python_GetSwigThis(obj);
    if (sobj && sobj->ptr) {
        if (sobj->own) {
            if (sobj->ty == SWIGTYPE_p_bo_book)
                bo_book_free((bo_book *)sobj->ptr);
            else if (sobj->ty == SWIGTYPE_p_bo_cursor)
                bo_cursor_free((bo_cursor *)sobj->ptr);
            else if (sobj->ty == SWIGTYPE_p_bo_entry)
                bo_entry_free((bo_entry *)sobj->ptr);
            else if (sobj->ty == SWIGTYPE_p_bo_sale)
                bo_sale_free((bo_sale *)sobj->ptr);
            else if (sobj->ty == SWIGTYPE_p_bo_invoice)
                bo_invoice_free((bo_invoice *)sobj->ptr);
            else if (sobj->ty == SWIGTYPE_p_bo_payment)
                bo_payment_free((bo_payment *)sobj->ptr);
            else if (sobj->ty == SWIGTYPE_p_bo_doc)
                bo_doc_free((bo_doc *)sobj->ptr);
            else if (sobj->ty == SWIGTYPE_p_bo_doc_query)
                bo_doc_query_free((bo_doc_query *)sobj->ptr);
            else if (sobj->ty == SWIGTYPE_p_bo_doc_writer)
                bo_doc_writer_free((bo_doc_writer *)sobj->ptr);
            else if (sobj->ty == SWIGTYPE_p_bo_doc_reader)
                bo_doc_reader_free((bo_doc_reader *)sobj->ptr);
        }
        sobj->ptr = NULL;
        sobj->own = 0;
    }
    Py_RETURN_NONE;
}
%}
%native(_release) PyObject *bo_py_release(PyObject *self, PyObject *args);

%init %{
    {
        size_t i;
        PyObject *names = PyList_New(0), *dict, *bases, *cls;

        bo_py_error_base = PyErr_NewExceptionWithDoc("backoffice.Error",
            "A libbackoffice call failed: .code (negative int), .name, .message.",
            NULL, NULL);
        if (bo_py_error_base) {
            PyObject *code = PyLong_FromLong(BO_ERROR);
            PyObject *name = PyUnicode_FromString(bo_error_name(BO_ERROR));
            if (code && name) {
                PyObject_SetAttrString(bo_py_error_base, "code", code);
                PyObject_SetAttrString(bo_py_error_base, "name", name);
            }
            Py_XDECREF(code);
            Py_XDECREF(name);
            PyDict_SetItemString(d, "Error", bo_py_error_base);
        }
        for (i = 0; names && bo_py_error_base
                    && i < sizeof bo_py_error_defs / sizeof bo_py_error_defs[0]; i++) {
            const bo_py_error_def *def = &bo_py_error_defs[i];
            char qual[96];
            snprintf(qual, sizeof qual, "backoffice.%s", def->name);
            dict = Py_BuildValue("{s:i,s:s}", "code", def->code, "name",
                                 bo_error_name(def->code));
            bases = def->builtin ? PyTuple_Pack(2, bo_py_error_base, *def->builtin)
                                 : PyTuple_Pack(1, bo_py_error_base);
            cls = (dict && bases) ? PyErr_NewException(qual, bases, dict) : NULL;
            Py_XDECREF(dict);
            Py_XDECREF(bases);
            if (!cls)
                continue;
            bo_py_error_class[-def->code] = cls; /* keeps the reference */
            PyDict_SetItemString(d, def->name, cls);
            PyObject *n = PyUnicode_FromString(def->name);
            if (n) {
                PyList_Append(names, n);
                Py_DECREF(n);
            }
        }
        if (names) {
            PyDict_SetItemString(d, "_error_classes", names);
            Py_DECREF(names);
        }
    }
%}
#endif /* SWIGPYTHON */

/* ------------------------------------------------------------------------
 * Lua runtime helpers
 * ------------------------------------------------------------------------ */
#ifdef SWIGLUA
%{
#define BO_LUA_ERROR_MT "backoffice.Error"

/* Push the error object {code=, name=, message=} (metatable
 * backoffice.Error, tostring = message). */
static void bo_lua_push_error(lua_State *L, int code, const char *message)
{
    lua_createtable(L, 0, 3);
    /* The message first: bo_error_name() must not be able to replace it. */
    lua_pushstring(L, message && *message ? message : bo_error_name(code));
    lua_setfield(L, -2, "message");
    lua_pushinteger(L, code);
    lua_setfield(L, -2, "code");
    lua_pushstring(L, bo_error_name(code));
    lua_setfield(L, -2, "name");
    luaL_setmetatable(L, BO_LUA_ERROR_MT);
}

static int bo_lua_error_tostring(lua_State *L)
{
    if (lua_getfield(L, 1, "message") != LUA_TSTRING) {
        lua_pop(L, 1);
        lua_pushstring(L, "backoffice error");
    }
    return 1;
}

/* The Lua thread that made the current Book call: callbacks run on it. */
static _Thread_local lua_State *bo_lua_active;

/* After a library call: 1, or 0 with the call's failure pushed. An event
 * callback never makes a call fail (see bo_lua_event_call). */
static int bo_lua_check(lua_State *L, int rc)
{
    if (rc < 0) {
        bo_lua_push_error(L, rc, bo_error_message());
        return 0;
    }
    return 1;
}

/* Raise after a failed library call (does not return). */
static int bo_lua_raise(lua_State *L, int rc)
{
    bo_lua_check(L, rc);
    return lua_error(L);
}

/* A text argument: a string (or a number, as Lua converts it), or nil for
 * NULL. A NUL byte anywhere raises EINVAL naming the parameter: C would see
 * only the text before it, so "till\0A" and "till\0B" would be the same key.
 * 1, or 0 with the error pushed. */
static int bo_lua_text(lua_State *L, int idx, const char *fn, const char *name,
                       const char **out)
{
    size_t len = 0;
    const char *s;
    char msg[160];

    if (lua_isnoneornil(L, idx)) {
        *out = NULL;
        return 1;
    }
    if (!lua_isstring(L, idx)) {
        lua_pushfstring(L, "%s: %s: a string expected, got %s", fn, name,
                        luaL_typename(L, idx));
        return 0;
    }
    s = lua_tolstring(L, idx, &len);
    if (memchr(s, '\0', len)) {
        snprintf(msg, sizeof msg, "%s: contains a NUL character; text is refused, "
                 "not cut at it (%s)", name, fn);
        bo_lua_push_error(L, BO_EINVAL, msg);
        return 0;
    }
    *out = s;
    return 1;
}

/* Argument checks (checkfn) of the typemaps below: a yes/no parameter takes
 * a boolean, nil or a number; bytes are a string or nil. */
static int bo_lua_isflag(lua_State *L, int idx)
{
    return lua_isnoneornil(L, idx) || lua_isboolean(L, idx) || lua_isnumber(L, idx);
}

static int bo_lua_isbytes(lua_State *L, int idx)
{
    return lua_isnoneornil(L, idx) || lua_type(L, idx) == LUA_TSTRING;
}

static int bo_lua_callable(lua_State *L, int idx)
{
    if (lua_isfunction(L, idx))
        return 1;
    if (luaL_getmetafield(L, idx, "__call") != LUA_TNIL) {
        lua_pop(L, 1);
        return 1;
    }
    return 0;
}

typedef struct bo_lua_callback {
    lua_State *L; /* the main thread of the state that subscribed */
    int ref;      /* the callable, in the registry */
    int sink;     /* the book's error sink table, in the registry (or LUA_NOREF) */
} bo_lua_callback;

/* Push the error sink of the Book userdata at @idx, a table
 * {handler = <callable or nil>, errors = {{event=, id=, error=}, ...}} kept
 * as the userdata's user value (made on first use). */
static void bo_lua_push_sink(lua_State *L, int idx)
{
    idx = lua_absindex(L, idx);
    if (lua_getiuservalue(L, idx, 1) == LUA_TTABLE)
        return;
    lua_pop(L, 1);
    lua_createtable(L, 0, 2);
    lua_newtable(L);
    lua_setfield(L, -2, "errors");
    lua_pushvalue(L, -1);
    lua_setiuservalue(L, idx, 1);
}

/* Write what happened to stderr (the default channel), with the error
 * value at @err through tostring(). */
static void bo_lua_warn(lua_State *L, const char *what, const char *event,
                        lua_Integer id, int err)
{
    const char *msg = luaL_tolstring(L, err, NULL);
    fprintf(stderr, "backoffice: %s (%s %lld): %s\n", what, event, (long long)id, msg);
    fflush(stderr);
    lua_pop(L, 1);
}

/* Run in protected mode by bo_lua_event_call: (callback, event, id). Calls
 * the callable; its error is recorded in the book's sink and handed to the
 * book's handler, or written to stderr when the book has none. */
static int bo_lua_deliver(lua_State *L)
{
    bo_lua_callback *cb = (bo_lua_callback *)lua_touserdata(L, 1);
    const char *event = (const char *)lua_touserdata(L, 2);
    lua_Integer id = lua_tointeger(L, 3), n, i;
    int err, sink;

    lua_rawgeti(L, LUA_REGISTRYINDEX, cb->ref);
    lua_pushstring(L, event);
    lua_pushinteger(L, id);
    if (lua_pcall(L, 2, 0, 0) == LUA_OK)
        return 0;
    err = lua_gettop(L);
    if (cb->sink == LUA_NOREF) {
        bo_lua_warn(L, "an event callback failed", event, id, err);
        return 0;
    }
    lua_rawgeti(L, LUA_REGISTRYINDEX, cb->sink);
    sink = lua_gettop(L);
    if (lua_getfield(L, sink, "errors") == LUA_TTABLE) {
        n = (lua_Integer)lua_rawlen(L, -1);
        if (n >= BO_SWIG_CALLBACK_ERRORS_KEPT) { /* drop the oldest */
            for (i = 1; i < n; i++) {
                lua_rawgeti(L, -1, i + 1);
                lua_rawseti(L, -2, i);
            }
            lua_pushnil(L);
            lua_rawseti(L, -2, n);
            n--;
        }
        lua_createtable(L, 0, 3);
        lua_pushstring(L, event);
        lua_setfield(L, -2, "event");
        lua_pushinteger(L, id);
        lua_setfield(L, -2, "id");
        lua_pushvalue(L, err);
        lua_setfield(L, -2, "error");
        lua_rawseti(L, -2, n + 1);
    }
    lua_pop(L, 1);
    if (lua_getfield(L, sink, "handler") == LUA_TNIL) {
        bo_lua_warn(L, "an event callback failed", event, id, err);
        return 0;
    }
    lua_pushstring(L, event);
    lua_pushinteger(L, id);
    lua_pushvalue(L, err);
    if (lua_pcall(L, 3, 0, 0) != LUA_OK)
        bo_lua_warn(L, "the callback error handler failed", event, id, lua_gettop(L));
    return 0;
}

/* The C side of every subscription. The call that delivers the event has
 * committed: it must return its result whatever the callback does, so
 * nothing here may raise through the library (all that can fail, memory
 * included, runs under lua_pcall). */
static void bo_lua_event_call(const char *event, int64_t id, void *user)
{
    bo_lua_callback *cb = (bo_lua_callback *)user;
    lua_State *L = bo_lua_active ? bo_lua_active : cb->L;

    if (!lua_checkstack(L, 8)) {
        fprintf(stderr, "backoffice: no Lua stack left to deliver %s %lld\n", event,
                (long long)id);
        return;
    }
    lua_pushcfunction(L, bo_lua_deliver);
    lua_pushlightuserdata(L, cb);
    lua_pushlightuserdata(L, (void *)event);
    lua_pushinteger(L, (lua_Integer)id);
    if (lua_pcall(L, 3, 0, 0) != LUA_OK) {
        fprintf(stderr, "backoffice: the error of an event callback (%s %lld) could "
                "not be reported: %s\n", event, (long long)id,
                lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "(not a string)");
        lua_pop(L, 1);
    }
}

static void bo_lua_event_free(void *user)
{
    bo_lua_callback *cb = (bo_lua_callback *)user;
    luaL_unref(cb->L, LUA_REGISTRYINDEX, cb->ref);
    luaL_unref(cb->L, LUA_REGISTRYINDEX, cb->sink);
    free(cb);
}

/* An integer argument in [lo, hi]: integers, integral floats and numeric
 * strings; 0 with an error pushed otherwise. */
static int bo_lua_integer(lua_State *L, int idx, const char *fn, int argnum,
                          lua_Integer lo, lua_Integer hi, lua_Integer *out)
{
    int ok = 0;
    lua_Integer v = lua_tointegerx(L, idx, &ok);
    char msg[160];

    if (!ok) {
        if (lua_type(L, idx) == LUA_TNUMBER) {
            snprintf(msg, sizeof msg, "%s: argument %d is not an integer "
                     "(or does not fit 64 bits)", fn, argnum);
            bo_lua_push_error(L, BO_EINVAL, msg);
        } else {
            lua_pushfstring(L, "%s: argument %d: integer expected, got %s", fn,
                            argnum, luaL_typename(L, idx));
        }
        return 0;
    }
    if (v < lo || v > hi) {
        snprintf(msg, sizeof msg, "%s: argument %d is out of range", fn, argnum);
        bo_lua_push_error(L, BO_EINVAL, msg);
        return 0;
    }
    *out = v;
    return 1;
}

/* A date argument: a day number or a "YYYY-MM-DD" string. */
static int bo_lua_date(lua_State *L, int idx, const char *fn, int argnum,
                       const char *name, bo_date *out)
{
    lua_Integer v;
    const char *s;
    int rc;

    if (lua_type(L, idx) == LUA_TSTRING) {
        if (!bo_lua_text(L, idx, fn, name, &s))
            return 0;
        rc = bo_date_parse(s, out);
        if (rc < 0) {
            bo_lua_push_error(L, rc, bo_error_message());
            return 0;
        }
        return 1;
    }
    if (!bo_lua_integer(L, idx, fn, argnum, INT32_MIN, INT32_MAX, &v))
        return 0;
    *out = (bo_date)v;
    return 1;
}

/* A number given as a name (an account type, a classification) or an
 * integer: @parse maps the name. */
static int bo_lua_named_int(lua_State *L, int idx, const char *fn, int argnum,
                            const char *name, int (*parse)(const char *), int *out)
{
    lua_Integer v;
    const char *s;

    if (lua_type(L, idx) == LUA_TSTRING) {
        if (!bo_lua_text(L, idx, fn, name, &s))
            return 0;
        *out = parse(s);
        if (*out < 0) {
            bo_lua_push_error(L, *out, bo_error_message());
            return 0;
        }
        return 1;
    }
    if (!bo_lua_integer(L, idx, fn, argnum, INT_MIN, INT_MAX, &v))
        return 0;
    *out = (int)v;
    return 1;
}

/* An enumeration: its number or its name as a string; a bad name raises
 * EINVAL naming the parameter and the names it takes. */
static int bo_lua_enum(lua_State *L, int idx, const char *fn, int argnum,
                       const char *name, int *out)
{
    lua_Integer v;
    const char *s;

    if (lua_type(L, idx) == LUA_TSTRING) {
        char msg[256];
        if (!bo_lua_text(L, idx, fn, name, &s))
            return 0;
        if (bo_swig_enum_parse(fn, name, s, out, msg, sizeof msg) < 0) {
            bo_lua_push_error(L, BO_EINVAL, msg);
            return 0;
        }
        return 1;
    }
    if (!bo_lua_integer(L, idx, fn, argnum, INT_MIN, INT_MAX, &v))
        return 0;
    *out = (int)v;
    return 1;
}

/* Push the current row of @cursor as a table column -> integer or string
 * (NULL columns are absent). */
static void bo_lua_push_row(lua_State *L, bo_cursor *cursor)
{
    int i, n = bo_cursor_column_count(cursor);
    const char *name;

    lua_createtable(L, 0, n);
    for (i = 0; i < n; i++) {
        name = bo_cursor_column_name(cursor, i);
        switch (bo_cursor_type(cursor, i)) {
        case BO_TYPE_INT:
            lua_pushinteger(L, (lua_Integer)bo_cursor_int(cursor, i));
            break;
        case BO_TYPE_TEXT:
            lua_pushstring(L, bo_cursor_text(cursor, i));
            break;
        default:
            continue;
        }
        lua_setfield(L, -2, name ? name : "?");
    }
}

/* The handle in argument @idx, or an error (closed handles included). */
static void *bo_lua_handle(lua_State *L, int idx, swig_type_info *type,
                           const char *what)
{
    void *p = NULL;
    if (!SWIG_IsOK(SWIG_ConvertPtr(L, idx, &p, type, 0)) || !lua_isuserdata(L, idx))
        luaL_error(L, "%s expected", what);
    if (!p) {
        bo_lua_push_error(L, BO_ESTATE, "the handle is closed");
        lua_error(L);
    }
    return p;
}

/* book:on_callback_error(handler): handler(event, id, err) hears of the
 * errors of this book's callbacks (nil: the default, stderr); returns the
 * previous handler. */
static int bo_lua_on_callback_error(lua_State *L)
{
    bo_lua_handle(L, 1, SWIGTYPE_p_bo_book, "Book");
    if (!lua_isnoneornil(L, 2) && !bo_lua_callable(L, 2))
        return luaL_error(L, "on_callback_error: a function or nil expected");
    lua_settop(L, 2);
    bo_lua_push_sink(L, 1);
    lua_getfield(L, 3, "handler");
    lua_pushvalue(L, 2);
    lua_setfield(L, 3, "handler");
    return 1;
}

/* book:callback_errors(): the errors of this book's callbacks since the
 * last call, oldest first, as {event=, id=, error=} tables; forgets them. */
static int bo_lua_callback_errors(lua_State *L)
{
    bo_lua_handle(L, 1, SWIGTYPE_p_bo_book, "Book");
    lua_settop(L, 1);
    bo_lua_push_sink(L, 1);
    if (lua_getfield(L, 2, "errors") != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_newtable(L);
    }
    lua_newtable(L);
    lua_setfield(L, 2, "errors");
    return 1;
}

/* obj:close() and <close>: free the handle now; later calls raise. */
static int bo_lua_close(lua_State *L)
{
    swig_lua_userdata *ud = (swig_lua_userdata *)lua_touserdata(L, 1);
    void *p = NULL;

    if (!ud || lua_islightuserdata(L, 1))
        return luaL_error(L, "close: a Book, Entry or Cursor expected");
    if (ud->ptr && ud->own) {
        if (SWIG_IsOK(SWIG_ConvertPtr(L, 1, &p, SWIGTYPE_p_bo_book, 0)))
            bo_book_free((bo_book *)p);
        else if (SWIG_IsOK(SWIG_ConvertPtr(L, 1, &p, SWIGTYPE_p_bo_cursor, 0)))
            bo_cursor_free((bo_cursor *)p);
        else if (SWIG_IsOK(SWIG_ConvertPtr(L, 1, &p, SWIGTYPE_p_bo_entry, 0)))
            bo_entry_free((bo_entry *)p);
        else if (SWIG_IsOK(SWIG_ConvertPtr(L, 1, &p, SWIGTYPE_p_bo_doc, 0)))
            bo_doc_free((bo_doc *)p);
        else if (SWIG_IsOK(SWIG_ConvertPtr(L, 1, &p, SWIGTYPE_p_bo_doc_query, 0)))
            bo_doc_query_free((bo_doc_query *)p);
        else if (SWIG_IsOK(SWIG_ConvertPtr(L, 1, &p, SWIGTYPE_p_bo_doc_writer, 0)))
            bo_doc_writer_free((bo_doc_writer *)p);
        else if (SWIG_IsOK(SWIG_ConvertPtr(L, 1, &p, SWIGTYPE_p_bo_doc_reader, 0)))
            bo_doc_reader_free((bo_doc_reader *)p);
        else
            return luaL_error(L, "close: a Book, Entry or Cursor expected");
    }
    ud->ptr = NULL;
    ud->own = 0;
    return 0;
}

/* book:transaction(fn): begin; fn(book); commit and return fn's results, or
 * roll back and re-raise fn's error unchanged. */
static int bo_lua_transaction(lua_State *L)
{
    bo_book *book = (bo_book *)bo_lua_handle(L, 1, SWIGTYPE_p_bo_book, "Book");
    int rc, depth, base;

    if (!bo_lua_callable(L, 2))
        return luaL_error(L, "transaction: a function expected");
    lua_settop(L, 2);
    bo_lua_active = L;
    depth = bo_book_depth(book);
    rc = bo_book_begin(book);
    if (rc < 0)
        return bo_lua_raise(L, rc);
    base = lua_gettop(L);
    lua_pushvalue(L, 2);
    lua_pushvalue(L, 1);
    if (lua_pcall(L, 1, LUA_MULTRET, 0) != LUA_OK) {
        bo_lua_active = L;
        if (bo_book_depth(book) > depth)
            bo_book_rollback(book);
        return lua_error(L); /* the original error value */
    }
    bo_lua_active = L;
    rc = bo_book_commit(book);
    if (rc < 0) {
        bo_lua_check(L, rc);
        if (bo_book_depth(book) > depth)
            bo_book_rollback(book);
        return lua_error(L);
    }
    return lua_gettop(L) - base;
}

static int bo_lua_rows_step(lua_State *L)
{
    bo_cursor *c = (bo_cursor *)bo_lua_handle(L, lua_upvalueindex(1),
                                              SWIGTYPE_p_bo_cursor, "Cursor");
    int rc = bo_cursor_next(c);
    if (rc == BO_ITEROVER) {
        lua_pushnil(L);
        return 1;
    }
    if (rc < 0)
        return bo_lua_raise(L, rc);
    bo_lua_push_row(L, c);
    return 1;
}

/* for row in cursor:rows() do ... end: one table per row; the cursor is
 * closed when the loop ends (break and errors included). */
static int bo_lua_rows(lua_State *L)
{
    bo_lua_handle(L, 1, SWIGTYPE_p_bo_cursor, "Cursor");
    lua_pushvalue(L, 1);
    lua_pushcclosure(L, bo_lua_rows_step, 1);
    lua_pushnil(L);
    lua_pushnil(L);
    lua_pushvalue(L, 1); /* to-be-closed value of the generic for */
    return 4;
}

/* for row in cursor do ... end: cursor(...) returns the next row or nil. */
static int bo_lua_cursor_call(lua_State *L)
{
    bo_cursor *c = (bo_cursor *)bo_lua_handle(L, 1, SWIGTYPE_p_bo_cursor, "Cursor");
    int rc = bo_cursor_next(c);
    if (rc == BO_ITEROVER) {
        lua_pushnil(L);
        return 1;
    }
    if (rc < 0)
        return bo_lua_raise(L, rc);
    bo_lua_push_row(L, c);
    return 1;
}

/* cursor:row(): the current row as a table. */
static int bo_lua_cursor_row(lua_State *L)
{
    bo_lua_push_row(L, (bo_cursor *)bo_lua_handle(L, 1, SWIGTYPE_p_bo_cursor, "Cursor"));
    return 1;
}

/* cursor:columns(): the column names as a sequence. */
static int bo_lua_cursor_columns(lua_State *L)
{
    bo_cursor *c = (bo_cursor *)bo_lua_handle(L, 1, SWIGTYPE_p_bo_cursor, "Cursor");
    int i, n = bo_cursor_column_count(c);

    lua_createtable(L, n, 0);
    for (i = 0; i < n; i++) {
        lua_pushstring(L, bo_cursor_column_name(c, i));
        lua_rawseti(L, -2, i + 1);
    }
    return 1;
}

/* Add C functions to a SWIG class: @methods to its method table, @meta to
 * the instances' metatable. */
static void bo_lua_extend_class(lua_State *L, const char *cls,
                                const luaL_Reg *methods, const luaL_Reg *meta)
{
    SWIG_Lua_get_class_metatable(L, cls);
    if (!lua_istable(L, -1)) {
        lua_pop(L, 1);
        return;
    }
    if (methods) {
        lua_pushstring(L, ".fn");
        lua_rawget(L, -2);
        if (lua_istable(L, -1))
            luaL_setfuncs(L, methods, 0);
        lua_pop(L, 1);
    }
    if (meta)
        luaL_setfuncs(L, meta, 0);
    lua_pop(L, 1);
}
%}

%init %{
    {
        static const luaL_Reg book_methods[] = {
            { "close", bo_lua_close }, { "transaction", bo_lua_transaction },
            { "on_callback_error", bo_lua_on_callback_error },
            { "callback_errors", bo_lua_callback_errors }, { NULL, NULL } };
        static const luaL_Reg handle_meta[] = {
            { "__close", bo_lua_close }, { NULL, NULL } };
        static const luaL_Reg entry_methods[] = {
            { "close", bo_lua_close }, { NULL, NULL } };
        static const luaL_Reg cursor_methods[] = {
            { "close", bo_lua_close }, { "rows", bo_lua_rows },
            { "row", bo_lua_cursor_row }, { "columns", bo_lua_cursor_columns },
            { NULL, NULL } };
        static const luaL_Reg cursor_meta[] = {
            { "__close", bo_lua_close }, { "__call", bo_lua_cursor_call },
            { NULL, NULL } };
        int module = lua_gettop(L);

        bo_lua_extend_class(L, "Book", book_methods, handle_meta);
        bo_lua_extend_class(L, "Entry", entry_methods, handle_meta);
        bo_lua_extend_class(L, "Cursor", cursor_methods, cursor_meta);

        if (luaL_newmetatable(L, BO_LUA_ERROR_MT)) {
            lua_pushcfunction(L, bo_lua_error_tostring);
            lua_setfield(L, -2, "__tostring");
        }
        lua_setfield(L, module, "Error");

        /* The Book class metatable, for the domain objects (book.ledger)
         * installed by the Lua code below. */
        SWIG_Lua_get_class_metatable(L, "Book");
        lua_setfield(L, module, "_Book_mt");

        /* Make the module reachable from the Lua code below. */
        luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
        lua_pushvalue(L, module);
        lua_setfield(L, -2, "backoffice");
        lua_pop(L, 1);
    }
%}

%luacode {
local bo = package.loaded["backoffice"]

--- backoffice.open(uri, {actor=, create=, base_currency=, sync=, busy_timeout_ms=})
function bo.open(uri, opts)
    opts = opts or {}
    return bo.Book(uri, opts.actor, opts.create and 1 or 0, opts.base_currency,
                   opts.sync or bo.SYNC_FULL, opts.busy_timeout_ms or 5000)
end

--- true when v is an error raised by the module (optionally with that code).
function bo.is_error(v, code)
    return getmetatable(v) == bo.Error and (code == nil or v.code == code)
end
}


#endif /* SWIGLUA */

/* ------------------------------------------------------------------------
 * Typemaps (before any declaration they apply to)
 * ------------------------------------------------------------------------ */

/* Status returns: raise when negative, return nothing otherwise. Value
 * returns (BO_VALUE): raise when negative, return the int. BO_NEXT and
 * BO_CAN return booleans. BO_PLAIN: a plain int, never an error. */
#ifdef SWIGPYTHON
%typemap(out) int {
    if (bo_py_check($1) < 0)
        SWIG_fail;
    $result = SWIG_Py_Void();
}
%typemap(out) int BO_VALUE {
    if (bo_py_check($1) < 0)
        SWIG_fail;
    $result = PyLong_FromLong((long)$1);
}
%typemap(out) int BO_NEXT {
    if (bo_py_check($1) < 0)
        SWIG_fail;
    $result = PyBool_FromLong($1 == 0);
}
%typemap(out) int BO_CAN {
    if (bo_py_check($1) < 0)
        SWIG_fail;
    $result = PyBool_FromLong($1 != 0);
}
%typemap(out) int BO_PLAIN "$result = PyLong_FromLong((long)$1);"
%typemap(out) bo_date "$result = PyLong_FromLong((long)$1);"
%typemap(out) int64_t "$result = PyLong_FromLongLong((long long)$1);"

/* Text in: one typemap for every const char * parameter of every function,
 * method and constructor (the domain files included). A str with a NUL
 * character raises InvalidError naming the parameter; None is NULL. */
%typemap(in) const char *, char * {
    const char *text = NULL;
    if (bo_py_text($input, "$symname", "$1_name", 1, &text) < 0)
        SWIG_fail;
    $1 = ($1_ltype)text;
}
%typemap(freearg) const char *, char * ""

/* Integers in: exact; bool and float refused. Yes/no parameters take
 * True/False as well. */
%typemap(in) int64_t {
    if (bo_py_int64($input, "$symname", "$1_name", &$1) < 0)
        SWIG_fail;
}
%typemap(in) int {
    if (bo_py_int($input, "$symname", "$1_name", 0, &$1) < 0)
        SWIG_fail;
}
%typemap(in) int create, int inclusive, int in_transit, int negative_stock, int on,
             int include, int chain_only {
    if (bo_py_int($input, "$symname", "$1_name", 1, &$1) < 0)
        SWIG_fail;
}
%typemap(in) enum SWIGTYPE {
    int v;
    if (bo_py_int($input, "$symname", "$1_name", 0, &v) < 0)
        SWIG_fail;
    $1 = ($1_ltype)v;
}
%typemap(in) bo_date {
    if (bo_py_date($input, "$symname", "$1_name", &$1) < 0)
        SWIG_fail;
}
/* An account type: a bo_account_type value or its name ("asset"). */
%typemap(in) int type {
    if (bo_py_named_int($input, "$symname", "$1_name", bo_account_type_parse, &$1) < 0)
        SWIG_fail;
}

/* Enumerations: a constant or its name ("customer", "fifo", ...). */
%typemap(in) int sync, int roles, int flags, int method, int kind, int side,
             int schedule {
    if (bo_py_enum($input, "$symname", "$1_name", &$1) < 0)
        SWIG_fail;
}

/* Outputs */
%typemap(in, numinputs=0) int64_t * (int64_t temp = 0) "$1 = &temp;"
%typemap(argout) int64_t * {
    $result = bo_py_append($result, PyLong_FromLongLong((long long)*$1));
    if (!$result)
        SWIG_fail;
}
%typemap(in, numinputs=0) int * (int temp = 0) "$1 = &temp;"
%typemap(argout) int * {
    $result = bo_py_append($result, PyLong_FromLong((long)*$1));
    if (!$result)
        SWIG_fail;
}
%typemap(in, numinputs=0) bo_date * (bo_date temp = 0) "$1 = &temp;"
%typemap(argout) bo_date * {
    $result = bo_py_append($result, PyLong_FromLong((long)*$1));
    if (!$result)
        SWIG_fail;
}
%typemap(in, numinputs=0) bo_cursor ** (bo_cursor *temp = NULL) "$1 = &temp;"
%typemap(argout) bo_cursor ** {
    $result = bo_py_append($result, SWIG_NewPointerObj(*$1, SWIGTYPE_p_bo_cursor, SWIG_POINTER_OWN));
    if (!$result)
        SWIG_fail;
}
%typemap(in, numinputs=0) (char *buf, size_t size) (char temp[64]),
                          (char *hex, size_t size) (char temp[128]) {
    temp[0] = '\0';
    $1 = temp;
    $2 = sizeof temp;
}
%typemap(argout) (char *buf, size_t size), (char *hex, size_t size) {
    $result = bo_py_append($result, PyUnicode_FromString($1));
    if (!$result)
        SWIG_fail;
}

/* money_split(total, weights) -> list of parts */
%typemap(in) (const int64_t *weights, size_t n, int64_t *parts) (PyObject *seq = NULL) {
    Py_ssize_t i, count;
    $1 = NULL;
    $3 = NULL;
    seq = PySequence_Fast($input, "weights must be a sequence of ints");
    if (!seq)
        SWIG_fail;
    count = PySequence_Fast_GET_SIZE(seq);
    $1 = (int64_t *)malloc(sizeof(int64_t) * (size_t)(count ? count : 1));
    $3 = (int64_t *)calloc((size_t)(count ? count : 1), sizeof(int64_t));
    if (!$1 || !$3) {
        PyErr_NoMemory();
        SWIG_fail;
    }
    for (i = 0; i < count; i++)
        if (bo_py_int64(PySequence_Fast_GET_ITEM(seq, i), "$symname", "$1_name", &$1[i]) < 0)
            SWIG_fail;
    $2 = (size_t)count;
}
%typemap(argout) (const int64_t *weights, size_t n, int64_t *parts) {
    PyObject *list = PyList_New((Py_ssize_t)$2);
    size_t i;
    for (i = 0; list && i < $2; i++) {
        PyObject *v = PyLong_FromLongLong((long long)$3[i]);
        if (!v) {
            Py_CLEAR(list);
            break;
        }
        PyList_SET_ITEM(list, (Py_ssize_t)i, v);
    }
    $result = bo_py_append($result, list);
    if (!$result)
        SWIG_fail;
}
%typemap(freearg) (const int64_t *weights, size_t n, int64_t *parts) {
    free($1);
    free($3);
    Py_XDECREF(seq$argnum);
}

/* YAML text: str (UTF-8) or bytes; a NUL character is refused like in any
 * other text (YAML allows none). */
%typemap(in) (const char *yaml, size_t len) {
    Py_ssize_t len = 0;
    if (PyUnicode_Check($input)) {
        $1 = ($1_ltype)PyUnicode_AsUTF8AndSize($input, &len);
        if (!$1)
            SWIG_fail;
    } else if (PyBytes_Check($input)) {
        char *p = NULL;
        if (PyBytes_AsStringAndSize($input, &p, &len) < 0)
            SWIG_fail;
        $1 = ($1_ltype)p;
    } else {
        SWIG_exception_fail(SWIG_TypeError, "YAML text must be str or bytes");
    }
    if (memchr($1, '\0', (size_t)len)) {
        bo_py_raise_nul("$symname", "$1_name");
        SWIG_fail;
    }
    $2 = (size_t)len;
}

/* Event callbacks: any Python callable(event, id). Book.subscribe passes
 * (callable, the book's _CallbackSink); a bare callable has no sink (its
 * errors go to sys.unraisablehook). */
%typemap(in) (bo_event_fn fn, void *user, bo_free_fn free_user) {
    PyObject *fn = $input, *sink = NULL;
    bo_py_callback *cb;
    if (PyTuple_Check($input) && PyTuple_GET_SIZE($input) == 2) {
        fn = PyTuple_GET_ITEM($input, 0);
        sink = PyTuple_GET_ITEM($input, 1);
    }
    if (!PyCallable_Check(fn))
        SWIG_exception_fail(SWIG_TypeError, "the callback must be callable");
    cb = (bo_py_callback *)malloc(sizeof *cb);
    if (!cb) {
        PyErr_NoMemory();
        SWIG_fail;
    }
    Py_INCREF(fn);
    Py_XINCREF(sink);
    cb->fn = fn;
    cb->sink = sink;
    $1 = bo_py_event_call;
    $2 = cb;
    $3 = bo_py_event_free;
}

/* Handles made by constructors and factories: raise when NULL. */
%typemap(out) bo_book *, bo_entry *, struct bo_book *, struct bo_entry * {
    if (!$1) {
        bo_py_raise_last(bo_swig_rc ? bo_swig_rc : BO_ERROR);
        SWIG_fail;
    }
    $result = SWIG_NewPointerObj(SWIG_as_voidptr($1), $descriptor, $owner | %newpointer_flags);
}

/* A closed (released) handle raises StateError instead of crashing. */
%typemap(check) struct bo_book *self, struct bo_entry *self, struct bo_cursor *self {
    if (!$1) {
        bo_py_raise(BO_ESTATE, "the handle is closed");
        SWIG_fail;
    }
}
%typemap(check) const bo_entry *entry {
    if (!$1) {
        bo_py_raise(BO_EINVAL, "entry: None or a closed Entry");
        SWIG_fail;
    }
}
#endif /* SWIGPYTHON */

#ifdef SWIGLUA
%typemap(out) int {
    if (!bo_lua_check(L, $1))
        SWIG_fail;
}
%typemap(out) int BO_VALUE {
    if (!bo_lua_check(L, $1))
        SWIG_fail;
    lua_pushinteger(L, (lua_Integer)$1);
    SWIG_arg++;
}
%typemap(out) int BO_NEXT {
    if (!bo_lua_check(L, $1))
        SWIG_fail;
    lua_pushboolean(L, $1 == 0);
    SWIG_arg++;
}
%typemap(out) int BO_CAN {
    if (!bo_lua_check(L, $1))
        SWIG_fail;
    lua_pushboolean(L, $1 != 0);
    SWIG_arg++;
}
%typemap(out) int BO_PLAIN, bo_date, int64_t, enum SWIGTYPE %{
    lua_pushinteger(L, (lua_Integer)$1);
    SWIG_arg++;
%}

/* Integers in: exact (Lua integers, or floats with an integral value). */
%typemap(in, checkfn="lua_isnumber") int, enum SWIGTYPE {
    lua_Integer v;
    if (!bo_lua_integer(L, $input, "$symname", $argnum, INT_MIN, INT_MAX, &v))
        SWIG_fail;
    $1 = ($ltype)v;
}
%typemap(in, checkfn="lua_isnumber") int64_t {
    lua_Integer v;
    if (!bo_lua_integer(L, $input, "$symname", $argnum, LUA_MININTEGER, LUA_MAXINTEGER, &v))
        SWIG_fail;
    $1 = (int64_t)v;
}
/* Yes/no parameters: a boolean, nil (false) or a number. */
%typemap(in, checkfn="bo_lua_isflag") int create, int inclusive, int in_transit,
                                      int negative_stock, int on, int include,
                                      int chain_only {
    if (lua_isboolean(L, $input) || lua_isnoneornil(L, $input)) {
        $1 = lua_toboolean(L, $input);
    } else {
        lua_Integer v;
        if (!bo_lua_integer(L, $input, "$symname", $argnum, INT_MIN, INT_MAX, &v))
            SWIG_fail;
        $1 = (int)v;
    }
}
%typemap(in, checkfn="lua_isstring") bo_date {
    if (!bo_lua_date(L, $input, "$symname", $argnum, "$1_name", &$1))
        SWIG_fail;
}
/* An account type: a bo_account_type value or its name ("asset"). */
%typemap(in, checkfn="lua_isstring") int type {
    if (!bo_lua_named_int(L, $input, "$symname", $argnum, "$1_name",
                          bo_account_type_parse, &$1))
        SWIG_fail;
}

/* Enumerations: a constant or its name ("customer", "fifo", ...). */
%typemap(in, checkfn="lua_isstring") int sync, int roles, int flags, int method,
                                     int kind, int side, int schedule {
    if (!bo_lua_enum(L, $input, "$symname", $argnum, "$1_name", &$1))
        SWIG_fail;
}

/* Text in: one typemap for every const char * parameter of every function,
 * method and constructor (the domain files included). A string with a NUL
 * byte raises EINVAL naming the parameter; nil is NULL. */
%typemap(in, checkfn="SWIG_lua_isnilstring", fragment="SWIG_lua_isnilstring")
    const char *, char * {
    const char *text = NULL;
    if (!bo_lua_text(L, $input, "$symname", "$1_name", &text))
        SWIG_fail;
    $1 = ($1_ltype)text;
}

/* Outputs */
%typemap(in, numinputs=0) int64_t * (int64_t temp = 0) "$1 = &temp;"
%typemap(argout) int64_t * "lua_pushinteger(L, (lua_Integer)*$1); SWIG_arg++;"
%typemap(in, numinputs=0) int * (int temp = 0) "$1 = &temp;"
%typemap(argout) int * "lua_pushinteger(L, (lua_Integer)*$1); SWIG_arg++;"
%typemap(in, numinputs=0) bo_date * (bo_date temp = 0) "$1 = &temp;"
%typemap(argout) bo_date * "lua_pushinteger(L, (lua_Integer)*$1); SWIG_arg++;"
%typemap(in, numinputs=0) bo_cursor ** (bo_cursor *temp = NULL) "$1 = &temp;"
%typemap(argout) bo_cursor ** "SWIG_NewPointerObj(L, *$1, SWIGTYPE_p_bo_cursor, 1); SWIG_arg++;"
%typemap(in, numinputs=0) (char *buf, size_t size) (char temp[64]),
                          (char *hex, size_t size) (char temp[128]) {
    temp[0] = '\0';
    $1 = temp;
    $2 = sizeof temp;
}
%typemap(argout) (char *buf, size_t size), (char *hex, size_t size)
    "lua_pushstring(L, $1); SWIG_arg++;"

/* money_split(total, weights) -> sequence of parts. The arrays live in a
 * userdata so that raising never leaks them. */
%typemap(in, checkfn="lua_istable") (const int64_t *weights, size_t n, int64_t *parts) {
    lua_Integer count = luaL_len(L, $input), i, v;
    int64_t *mem;
    if (count < 0 || (lua_Unsigned)count > ((size_t)-1) / (2 * sizeof(int64_t)))
        count = 0;
    mem = (int64_t *)lua_newuserdatauv(L, sizeof(int64_t) * 2 * (size_t)(count ? count : 1), 0);
    for (i = 0; i < count; i++) {
        lua_geti(L, $input, i + 1);
        if (!bo_lua_integer(L, -1, "$symname", $argnum, LUA_MININTEGER, LUA_MAXINTEGER, &v))
            SWIG_fail;
        lua_pop(L, 1);
        mem[i] = (int64_t)v;
        mem[count + i] = 0;
    }
    $1 = mem;
    $2 = (size_t)count;
    $3 = mem + count;
}
%typemap(argout) (const int64_t *weights, size_t n, int64_t *parts) {
    size_t i;
    lua_createtable(L, (int)$2, 0);
    for (i = 0; i < $2; i++) {
        lua_pushinteger(L, (lua_Integer)$3[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    SWIG_arg++;
}

/* YAML text: a NUL byte is refused like in any other text (YAML allows
 * none). */
%typemap(in, checkfn="lua_isstring") (const char *yaml, size_t len) {
    size_t len = 0;
    $1 = ($1_ltype)lua_tolstring(L, $input, &len);
    if (memchr($1, '\0', len)) {
        bo_lua_push_error(L, BO_EINVAL, "$1_name: contains a NUL character; text is "
                          "refused, not cut at it ($symname)");
        SWIG_fail;
    }
    $2 = len;
}

/* Event callbacks: a function or a callable table/userdata(event, id).
 * The subscription also holds the error sink of the Book it is made on
 * (argument 1), where the callable's errors go. */
%typemap(in, checkfn="bo_lua_callable") (bo_event_fn fn, void *user, bo_free_fn free_user) {
    bo_lua_callback *cb;
    void *book = NULL;
    int ref, sink = LUA_NOREF;
    if (!bo_lua_callable(L, $input)) {
        lua_pushfstring(L, "$symname: argument %d: a function expected", $argnum);
        SWIG_fail;
    }
    if (lua_isuserdata(L, 1)
        && SWIG_IsOK(SWIG_ConvertPtr(L, 1, &book, SWIGTYPE_p_bo_book, 0))) {
        bo_lua_push_sink(L, 1);
        sink = luaL_ref(L, LUA_REGISTRYINDEX);
    }
    lua_pushvalue(L, $input);
    ref = luaL_ref(L, LUA_REGISTRYINDEX);
    cb = (bo_lua_callback *)malloc(sizeof *cb);
    if (!cb) {
        luaL_unref(L, LUA_REGISTRYINDEX, ref);
        luaL_unref(L, LUA_REGISTRYINDEX, sink);
        bo_lua_push_error(L, BO_ENOMEM, "out of memory");
        SWIG_fail;
    }
    lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_MAINTHREAD);
    cb->L = lua_tothread(L, -1);
    lua_pop(L, 1);
    cb->ref = ref;
    cb->sink = sink;
    $1 = bo_lua_event_call;
    $2 = cb;
    $3 = bo_lua_event_free;
}

%typemap(out) bo_book *, bo_entry *, struct bo_book *, struct bo_entry * {
    if (!$1) {
        bo_lua_push_error(L, bo_swig_rc ? bo_swig_rc : BO_ERROR, bo_error_message());
        SWIG_fail;
    }
    SWIG_NewPointerObj(L, $1, $descriptor, $owner);
    SWIG_arg++;
}

/* Every Book call records the calling Lua thread (callbacks run on it); a
 * closed handle raises StateError. */
%typemap(check) struct bo_book *self {
    bo_lua_active = L;
    if (!$1) {
        bo_lua_push_error(L, BO_ESTATE, "the book is closed");
        SWIG_fail;
    }
}
%typemap(check) struct bo_entry *self, struct bo_cursor *self {
    if (!$1) {
        bo_lua_push_error(L, BO_ESTATE, "the handle is closed");
        SWIG_fail;
    }
}
%typemap(check) const bo_entry *entry {
    if (!$1) {
        bo_lua_push_error(L, BO_EINVAL, "entry: nil or a closed Entry");
        SWIG_fail;
    }
}
#endif /* SWIGLUA */

/* Which int results are values rather than statuses. */
%apply int BO_VALUE { int bo_version_number, int bo_book_schema_version,
                      int bo_account_type_parse, int depth, int count,
                      int column_count, int type };
%apply int BO_PLAIN { int bo_error_code_last, int column_index };
%apply int BO_NEXT { int next };
%apply int BO_CAN { int actor_can };

/* ------------------------------------------------------------------------
 * The public headers
 * ------------------------------------------------------------------------ */
%include "backoffice/common.h"
%include "backoffice/errors.h"
%include "backoffice/alloc.h"
%include "backoffice/money.h"
%include "backoffice/date.h"
%include "backoffice/book.h"
%include "backoffice/cursor.h"
%include "backoffice/security.h"
%include "backoffice/audit.h"
%include "backoffice/events.h"
%include "backoffice/ledger.h"
%include "backoffice/config.h"
%include "backoffice/plugin.h"

/* Cast expressions SWIG cannot evaluate by itself. */
%constant int DATE_MIN = BO_DATE_MIN;
%constant int DATE_MAX = BO_DATE_MAX;

/* ------------------------------------------------------------------------
 * Classes
 * ------------------------------------------------------------------------ */
%nodefaultctor bo_book;
%nodefaultdtor bo_book;
%nodefaultctor bo_entry;
%nodefaultdtor bo_entry;
%nodefaultctor bo_cursor;
%nodefaultdtor bo_cursor;
%rename(copy) bo_book::copy_book;
%newobject bo_book::from_yaml;
%newobject bo_book::from_yaml_string;

/* How many callback errors a book keeps for callback_errors() (the oldest
 * are dropped first). */
%constant int CALLBACK_ERRORS_KEPT = BO_SWIG_CALLBACK_ERRORS_KEPT;

#ifdef SWIGPYTHON
/* subscribe hands the C side the callable and the book's error sink. */
%feature("pythonprepend") bo_book::subscribe %{
    fn = (fn, self._callback_sink())
%}
%feature("docstring", "subscribe(event, fn) -> id: call fn(event, id) after each
commit that records an event named event (\"*\": every event). The call that
committed returns its result whatever fn does: an exception from fn goes to
the book's on_callback_error() handler (default: sys.unraisablehook) and is
kept for callback_errors().") bo_book::subscribe;
#endif

%feature("docstring", "An open book: one business's records in one store.

Book(uri, actor=None, create=False, base_currency=None, sync=SYNC_FULL,
     busy_timeout_ms=5000) opens (or with create=True creates) the book at
uri (\"sqlite:PATH\", \"sqlite::memory:\" or a plain path).") bo_book;

%feature("docstring", "A journal entry being built: Entry(date, memo=None).") bo_entry;

%feature("docstring", "Rows of a query. Python: iterate to get one dict per row.
Lua: for row in cursor:rows() do ... end (or: for row in cursor do).") bo_cursor;

struct bo_book {};
struct bo_entry {};
struct bo_cursor {};

%extend bo_book {
    bo_book(const char *uri, const char *actor = NULL, int create = 0,
            const char *base_currency = NULL, int sync = BO_SYNC_FULL,
            int busy_timeout_ms = 5000) {
        bo_book_options opts;
        bo_book *book = NULL;
        bo_swig_rc = bo_book_options_init(&opts, BO_BOOK_OPTIONS_VERSION);
        if (bo_swig_rc == 0) {
            opts.actor = actor;
            opts.create = create;
            opts.base_currency = base_currency;
            opts.sync = sync;
            opts.busy_timeout_ms = busy_timeout_ms;
            bo_swig_rc = bo_book_open(&book, uri, &opts);
        }
        return book;
    }
    ~bo_book() {
        bo_book_free(self);
    }

    /* Create a new book from a YAML description (file or text). */
    static bo_book *from_yaml(const char *path, const char *uri = NULL,
                              const char *actor = NULL, int sync = BO_SYNC_FULL) {
        bo_book_options opts;
        bo_book *book = NULL;
        bo_swig_rc = bo_book_options_init(&opts, BO_BOOK_OPTIONS_VERSION);
        if (bo_swig_rc == 0) {
            opts.actor = actor;
            opts.sync = sync;
            bo_swig_rc = bo_book_create_from_yaml(&book, path, uri, &opts);
        }
        return book;
    }
    static bo_book *from_yaml_string(const char *yaml, size_t len,
                                     const char *uri = NULL, const char *actor = NULL,
                                     int sync = BO_SYNC_FULL) {
        bo_book_options opts;
        bo_book *book = NULL;
        bo_swig_rc = bo_book_options_init(&opts, BO_BOOK_OPTIONS_VERSION);
        if (bo_swig_rc == 0) {
            opts.actor = actor;
            opts.sync = sync;
            bo_swig_rc = bo_book_create_from_yaml_string(&book, yaml, len, uri, &opts);
        }
        return book;
    }

    /* Copy a whole book into an empty store (any backend) and verify it:
     * Book.copy(from_uri, to_uri, actor=...). No progress callback here. */
    static int copy_book(const char *from_uri, const char *to_uri,
                         const char *actor = NULL, int sync = BO_SYNC_FULL) {
        bo_book_options opts;
        int rc = bo_book_options_init(&opts, BO_BOOK_OPTIONS_VERSION);
        if (rc == 0) {
            opts.actor = actor;
            opts.sync = sync;
            rc = bo_book_copy(from_uri, to_uri, &opts, NULL, NULL);
        }
        return rc;
    }

    /* book.h (these call bo_book_<name> directly) */
    int begin();
    int commit();
    int rollback();
    int depth();
    int set_actor(const char *actor);
    const char *actor();
    const char *base_currency();
    const char *name();
    int set_name(const char *name);
    const char *uri();

    /* security.h */
    int role_define(const char *role, const char *permissions) {
        return bo_role_define(self, role, permissions);
    }
    int role_grant(const char *actor, const char *role) {
        return bo_role_grant(self, actor, role);
    }
    int role_revoke(const char *actor, const char *role) {
        return bo_role_revoke(self, actor, role);
    }
    int actor_can(const char *permission) {
        return bo_actor_can(self, permission);
    }
    int role_list(bo_cursor **out) {
        return bo_role_list(self, out);
    }

    /* audit.h */
    int audit_verify(int64_t *bad_seq) {
        return bo_audit_verify(self, bad_seq);
    }
    int audit_head(int64_t *seq, char *hex, size_t size) {
        return bo_audit_head(self, seq, hex, size);
    }
    int audit_list(bo_cursor **out, int64_t from_seq = 0) {
        return bo_audit_list(self, from_seq, out);
    }
    /* The chain and every table (chain_only: the chain alone), against an
     * anchor (seq and hash of bo_audit_head kept outside) when given.
     * Returns 0; a problem raises CorruptError naming it. */
    int audit_verify_full(int64_t *bad_seq, int chain_only = 0, int64_t anchor_seq = 0,
                          const char *anchor_hash = NULL) {
        bo_audit_verify_options o;
        int rc = bo_audit_verify_options_init(&o, BO_AUDIT_VERIFY_OPTIONS_VERSION);
        if (rc == 0) {
            o.mode = chain_only ? BO_AUDIT_VERIFY_CHAIN : BO_AUDIT_VERIFY_FULL;
            o.anchor_seq = anchor_seq;
            o.anchor_hash = anchor_hash;
            rc = bo_audit_verify_full(self, &o, bad_seq);
        }
        return rc;
    }
    /* Every problem found (up to max_findings), as rows: seq, table, record,
     * problem; none for an intact book. */
    int audit_verify_list(bo_cursor **out, int chain_only = 0, int64_t anchor_seq = 0,
                          const char *anchor_hash = NULL, int max_findings = 100) {
        bo_audit_verify_options o;
        int rc = bo_audit_verify_options_init(&o, BO_AUDIT_VERIFY_OPTIONS_VERSION);
        if (rc == 0) {
            o.mode = chain_only ? BO_AUDIT_VERIFY_CHAIN : BO_AUDIT_VERIFY_FULL;
            o.anchor_seq = anchor_seq;
            o.anchor_hash = anchor_hash;
            o.max_findings = max_findings;
            rc = bo_audit_verify_list(self, &o, out);
        }
        return rc;
    }

    /* events.h */
    int subscribe(int *id, const char *event, bo_event_fn fn, void *user,
                  bo_free_fn free_user) {
        return bo_event_subscribe(self, event, fn, user, free_user, id);
    }
    int unsubscribe(int id) {
        return bo_event_unsubscribe(self, id);
    }

    /* ledger.h */
    int account_add(const char *code, const char *name, int type,
                    const char *parent = NULL, const char *currency = NULL) {
        return bo_ledger_account_add(self, code, name, type, parent, currency);
    }
    int account_close(const char *code) {
        return bo_ledger_account_close(self, code);
    }
    int accounts(bo_cursor **out) {
        return bo_ledger_accounts(self, out);
    }
    int post(int64_t *id, const bo_entry *entry) {
        return bo_ledger_post(self, entry, id);
    }
    int reverse(int64_t *id, int64_t entry_id, bo_date date, const char *key = NULL) {
        return bo_ledger_reverse(self, entry_id, date, key, id);
    }
    int entry(bo_cursor **out, int64_t entry_id) {
        return bo_ledger_entry(self, entry_id, out);
    }
    int balance(int64_t *out, const char *account, bo_date as_of,
                const char *currency = NULL) {
        return bo_ledger_balance(self, account, as_of, currency, out);
    }
    int trial_balance(bo_cursor **out, bo_date as_of) {
        return bo_ledger_trial_balance(self, as_of, out);
    }
    /* Every account and every date unless told. */
    int journal(bo_cursor **out, const char *account = NULL, bo_date start = BO_DATE_MIN,
                bo_date end = BO_DATE_MAX) {
        return bo_ledger_journal(self, account, start, end, out);
    }
    int balance_sheet(bo_cursor **out, bo_date as_of) {
        return bo_ledger_balance_sheet(self, as_of, out);
    }
    int income_statement(bo_cursor **out, bo_date start, bo_date end) {
        return bo_ledger_income_statement(self, start, end, out);
    }
    int period_add(const char *name, bo_date start, bo_date end) {
        return bo_ledger_period_add(self, name, start, end);
    }
    int period_close(const char *name) {
        return bo_ledger_period_close(self, name);
    }
    int periods(bo_cursor **out) {
        return bo_ledger_periods(self, out);
    }
    int year_close(int64_t *id, bo_date year_end, const char *retained,
                   const char *key = NULL) {
        return bo_ledger_year_close(self, year_end, retained, key, id);
    }
    int year_reopen(int64_t *id, bo_date year_end, const char *key = NULL) {
        return bo_ledger_year_reopen(self, year_end, key, id);
    }
    int year_closings(bo_cursor **out) {
        return bo_ledger_year_closings(self, out);
    }

#ifdef SWIGPYTHON
%pythoncode %{
    def close(self):
        """Close the book now (an open transaction is rolled back) and end
        its subscriptions. Later calls raise StateError. Idempotent."""
        _backoffice._release(self)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def transaction(self):
        """with book.transaction(): ... commits on success, rolls back and
        re-raises on any exception. Nested uses become savepoints."""
        return _Transaction(self)

    def _callback_sink(self):
        sink = self.__dict__.get("_callback_sink_")
        if sink is None:
            sink = self.__dict__["_callback_sink_"] = _CallbackSink()
        return sink

    def on_callback_error(self, handler: "callable") -> "callable":
        """Call handler(event, id, exception) when an event callback of this
        book raises; returns the previous handler. None restores the
        default, sys.unraisablehook (printed to stderr as "Exception ignored
        in: <callback>"). The handler runs where the callback ran, after the
        commit; what it raises goes to sys.unraisablehook. The call that
        delivered the event returns its result either way."""
        if handler is not None and not callable(handler):
            raise TypeError("the handler must be callable or None")
        sink = self._callback_sink()
        previous, sink.handler = sink.handler, handler
        return previous

    def callback_errors(self):
        """The exceptions raised by this book's event callbacks since the
        last call, oldest first, as CallbackError(event, id, exception);
        forgets them. At most CALLBACK_ERRORS_KEPT (the latest) are kept."""
        errors = self._callback_sink().errors
        out = list(errors)
        errors.clear()
        return out
%}
#endif
}

%extend bo_entry {
    bo_entry(bo_date date, const char *memo = NULL) {
        bo_entry *entry = NULL;
        bo_swig_rc = bo_entry_new(&entry, date, memo);
        return entry;
    }
    ~bo_entry() {
        bo_entry_free(self);
    }
    int add(const char *account, int64_t amount, const char *currency = NULL,
            const char *memo = NULL);
    int set_key(const char *key);
    int count();
#ifdef SWIGPYTHON
%pythoncode %{
    def __len__(self):
        return self.count()

    def close(self):
        """Release the builder now. Idempotent."""
        _backoffice._release(self)
%}
#endif
}

%rename("int") bo_cursor::get_int;
%extend bo_cursor {
    ~bo_cursor() {
        bo_cursor_free(self);
    }
    int next();
    int column_count();
    const char *column_name(int col);
    int column_index(const char *name);
    int type(int col);
    int64_t get_int(int col) {
        return bo_cursor_int(self, col);
    }
    const char *text(int col);
#ifdef SWIGPYTHON
    PyObject *__next__() {
        int rc = bo_cursor_next(self);
        if (rc == BO_ITEROVER) {
            PyErr_SetNone(PyExc_StopIteration);
            return NULL;
        }
        if (bo_py_check(rc) < 0)
            return NULL;
        return bo_py_row(self);
    }
    PyObject *row() {
        return bo_py_row(self);
    }
%pythoncode %{
    def __iter__(self):
        return self

    def columns(self):
        """The column names, in order."""
        return [self.column_name(i) for i in range(self.column_count())]

    def fetchall(self):
        """The remaining rows as a list of dicts."""
        return list(self)

    def close(self):
        """Release the cursor now. Idempotent."""
        _backoffice._release(self)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False
%}
#endif
}

/* ------------------------------------------------------------------------
 * The domains, one file each
 * ------------------------------------------------------------------------ */
%include "commerce.i"
%include "inventory.i"
%include "billing.i"
%include "payroll.i"
%include "documents.i"

/* The domain table and the docstrings, generated at build time from
 * domains.txt and the headers' Doxygen comments (gen_native.py). */
%include "native.i"

#ifdef SWIGPYTHON
%pythoncode %{
Error = _backoffice.Error
for _name in _backoffice._error_classes:
    globals()[_name] = getattr(_backoffice, _name)
del _name

_ERROR_CLASS_BY_CODE = {getattr(_backoffice, _n).code: getattr(_backoffice, _n)
                        for _n in _backoffice._error_classes}


def _error_class(code):
    """The exception class raised for the negative error code (Error for a
    code without its own class): Error.for_code(ENOTFOUND) is NotFoundError."""
    return _ERROR_CLASS_BY_CODE.get(code, Error)


Error.for_code = staticmethod(_error_class)

for _code, (_cname, _what) in _ERROR_DOCS.items():
    _cls = _ERROR_CLASS_BY_CODE.get(_code)
    if _cls is not None:
        _cls.__doc__ = "%s (%s, code %d): %s." % (_cls.__name__, _cname, _code, _what)
Error.__doc__ = ("A libbackoffice call failed. Attributes: code (the negative "
                 "error code), name (error_name(code)) and message (the library's "
                 "message, also str(e)). Each code has its subclass: "
                 "Error.for_code(code) returns it.")
del _code, _cname, _what, _cls

import functools as _functools
import inspect as _inspect
import warnings as _warnings


class _Domain(object):
    """One domain of a book (book.ledger, book.inventory, ...): its methods
    call the library on that book."""
    __slots__ = ("_book",)

    def __init__(self, book):
        self._book = book

    @property
    def book(self):
        """The book this domain belongs to."""
        return self._book

    def __repr__(self):
        return "<backoffice.%s of %r>" % (type(self).__name__, self._book)

    def __dir__(self):
        return sorted(set(object.__dir__(self)))


def _domain_method(impl, cls_name, name, c_function, doc):
    """A method of a domain class calling Book method impl."""
    def method(self, *args, **kwargs):
        return impl(self._book, *args, **kwargs)
    method.__name__ = name
    method.__qualname__ = "%s.%s" % (cls_name, name)
    method.__module__ = __name__
    if doc:
        method.__doc__ = "%s\n\nC: %s()" % (doc, c_function)
    else:
        method.__doc__ = impl.__doc__
    try:
        method.__signature__ = _inspect.signature(impl)
    except (TypeError, ValueError):
        pass
    return method


def _deprecated_alias(impl, flat, domain, name):
    """Book.<flat> of 0.2: still works, with a DeprecationWarning."""
    @_functools.wraps(impl)
    def alias(self, *args, **kwargs):
        _warnings.warn("Book.%s() is deprecated: use book.%s.%s()" % (flat, domain, name),
                       DeprecationWarning, stacklevel=2)
        return impl(self, *args, **kwargs)
    alias.__doc__ = "%s\n\nDeprecated: use book.%s.%s()." % (
        (impl.__doc__ or "").rstrip(), domain, name)
    return alias


def _make_domains():
    classes = {}
    for domain, cls_name, doc in _DOMAIN_CLASSES:
        classes[domain] = type(cls_name, (_Domain,), {"__doc__": doc, "__slots__": (),
                                                     "__module__": __name__})
    impls = {}
    for domain, name, flat, c_function, doc in _DOMAIN_TABLE:
        impl = impls.setdefault(flat, Book.__dict__[flat])
        setattr(classes[domain], name,
                _domain_method(impl, classes[domain].__name__, name, c_function, doc))
    for flat, impl in impls.items():
        domain, name = next((d, n) for d, n, f, _, _ in _DOMAIN_TABLE if f == flat)
        setattr(Book, flat, _deprecated_alias(impl, flat, domain, name))
    for domain, cls_name, doc in _DOMAIN_CLASSES:
        cls = classes[domain]
        globals()[cls_name] = cls
        setattr(Book, domain, property(cls, doc="%s (a %s)" % (doc, cls_name)))
    return tuple(d for d, _, _ in _DOMAIN_CLASSES)


DOMAINS = _make_domains()


def _c_docstrings():
    """Give the methods of the classes and the module functions the
    Doxygen comment of their C function instead of SWIG's C signature. A
    call whose signature SWIG cannot show (a C string default) keeps that
    line first: it is the only place its parameters are listed."""
    prefixes = {"Book": "bo_book_", "Entry": "bo_entry_", "Cursor": "bo_cursor_",
                "Sale": "bo_sale_", "Invoice": "bo_invoice_", "Payment": "bo_payment_",
                "Doc": "bo_doc_", "DocQuery": "bo_doc_query_",
                "DocWriter": "bo_doc_writer_", "DocReader": "bo_doc_reader_"}
    constructors = {"Book": "bo_book_open", "Entry": "bo_entry_new", "Sale": "bo_sale_new",
                    "Invoice": "bo_invoice_new", "Payment": "bo_payment_new",
                    "Doc": "bo_doc_new", "DocQuery": "bo_doc_query_new"}
    special = {"Cursor.int": "bo_cursor_int", "Book.copy": "bo_book_copy",
               "Book.from_yaml": "bo_book_create_from_yaml",
               "Book.from_yaml_string": "bo_book_create_from_yaml_string",
               "Book.unsubscribe": "bo_event_unsubscribe",
               "Book.schema_version": "bo_book_schema_version"}

    def document(func, c_function, name, always=False):
        doc = _C_DOCS.get(c_function)
        if not doc or func.__doc__ is None:
            return
        old = func.__doc__.strip()
        generated = always or old.startswith(name + "(") or ":rtype:" in old or not old
        if not generated:
            return  # written in the interface: keep it
        try:
            varargs = any(p.kind == p.VAR_POSITIONAL
                          for p in _inspect.signature(func).parameters.values())
        except (TypeError, ValueError):
            varargs = True
        first = old.splitlines()[0] + "\n\n" if varargs and old.startswith(name + "(") else ""
        func.__doc__ = "%s%s\n\nC: %s()" % (first, doc, c_function)

    for cls_name, prefix in prefixes.items():
        cls = globals()[cls_name]
        for name, attr in list(vars(cls).items()):
            if isinstance(attr, staticmethod):
                func = attr.__func__
            elif _inspect.isfunction(attr):
                func = attr
            else:
                continue
            if hasattr(func, "__wrapped__"):
                continue  # a deprecated alias: its domain method has the text
            if name == "__init__":
                document(func, constructors.get(cls_name), "__init__")
                continue
            if name.startswith("_"):
                continue
            c_function = special.get(cls_name + "." + name, prefix + name)
            document(func, c_function, name)
    for name, func in list(globals().items()):
        if _inspect.isfunction(func) and func.__module__ == __name__ \
                and not name.startswith("_"):
            c_function = "bo_" + name if "bo_" + name in _C_DOCS else "bo_book_" + name
            document(func, c_function, name, always=True)


_c_docstrings()


def _handle_repr(obj, describe):
    """<backoffice.Kind ...>, or <backoffice.Kind (closed)>."""
    name = "backoffice." + type(obj).__name__
    try:
        if not obj.this:
            raise StateError("the handle is closed")
        text = describe(obj)
    except (Error, AttributeError, TypeError):
        return "<%s (closed)>" % name
    return "<%s %s>" % (name, text) if text else "<%s>" % name


def _made_with(obj):
    return ", ".join("%s=%r" % (k, v) for k, v in obj.__dict__.get("_made_with", ())
                     if v is not None)


def _book_repr(self):
    def describe(b):
        parts = ["uri=%r" % b.uri()]
        if b.name():
            parts.insert(0, "name=%r" % b.name())
        parts.append("actor=%r" % b.actor())
        if b.depth():
            parts.append("depth=%d" % b.depth())
        return " ".join(parts)
    return _handle_repr(self, describe)


def _builder_repr(count):
    def __repr__(self):
        def describe(o):
            text = _made_with(o)
            if count is not None:
                n = getattr(o, count)()
                text = (text + ", " if text else "") + "lines=%d" % n
            return text
        return _handle_repr(self, describe)
    return __repr__


def _cursor_repr(self):
    return _handle_repr(self, lambda c: "columns=%r" % c.columns())


Book.__repr__ = _book_repr
Entry.__repr__ = _builder_repr("count")
Sale.__repr__ = _builder_repr("line_count")
Invoice.__repr__ = _builder_repr("line_count")
Payment.__repr__ = _builder_repr(None)
Doc.__repr__ = _builder_repr(None)
DocQuery.__repr__ = lambda self: _handle_repr(self, lambda q: "")
DocWriter.__repr__ = lambda self: _handle_repr(self, lambda w: "")
DocReader.__repr__ = lambda self: _handle_repr(self, lambda r: "size=%d" % r.size())
Cursor.__repr__ = _cursor_repr

import collections as _collections


class CallbackError(_collections.namedtuple("CallbackError", "event id exception")):
    """An exception an event callback raised: the event's name, the record's
    id and the exception (see Book.callback_errors())."""
    __slots__ = ()


class _CallbackSink(object):
    """A book's callback errors and the handler told of them."""
    __slots__ = ("handler", "errors")

    def __init__(self):
        self.handler = None
        self.errors = _collections.deque(maxlen=CALLBACK_ERRORS_KEPT)

    def _record(self, event, id, exception):
        """Keep the error; the handler to call (None: the default)."""
        self.errors.append(CallbackError(event, id, exception))
        return self.handler


class _Transaction(object):
    """Context manager returned by Book.transaction()."""

    def __init__(self, book):
        self._book = book

    def __enter__(self):
        self._depth = self._book.depth()
        self._book.begin()
        return self._book

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            if self._book.depth() > self._depth:
                self._book.rollback()
            return False
        try:
            self._book.commit()
        except BaseException:
            if self._book.depth() > self._depth:
                self._book.rollback()
            raise
        return False
%}
#endif

#ifdef SWIGLUA
%luacode {
local bo = package.loaded["backoffice"]

-- The domain objects: book.ledger:post(entry), book.inventory:receive(...).
-- Each is a small table {book = <Book>} whose methods call the Book method
-- of the same call (the flat names of 0.2 keep working).
local classes = {}
local names = {}
for domain, methods in pairs(bo._DOMAIN_TABLE) do
    local cls = { __name = "backoffice." .. bo._DOMAIN_CLASSES[domain] }
    cls.__index = cls
    cls.__tostring = function(self)
        return cls.__name .. " of " .. tostring(self.book)
    end
    for method, flat in pairs(methods) do
        cls[method] = function(self, ...)
            local book = self.book
            return book[flat](book, ...)
        end
    end
    classes[domain] = cls
    bo[bo._DOMAIN_CLASSES[domain]] = cls
    names[#names + 1] = domain
end
table.sort(names)
bo.DOMAINS = names
bo._DOMAIN_CLASSES = nil

local mt = bo._Book_mt
bo._Book_mt = nil
local base_index = mt.__index
mt.__index = function(self, key)
    local cls = classes[key]
    if cls then
        return setmetatable({ book = self }, cls)
    end
    return base_index(self, key)
end

-- tostring(book): backoffice.Book(uri=..., actor=...), or (closed).
mt.__tostring = function(self)
    local ok, uri = pcall(base_index(self, "uri"), self)
    if not ok then
        return "backoffice.Book (closed)"
    end
    local name = base_index(self, "name")(self)
    local actor = base_index(self, "actor")(self)
    return string.format("backoffice.Book(%suri=%q, actor=%q)",
                         name and string.format("name=%q, ", name) or "", uri,
                         actor or "")
end
}
#endif /* SWIGLUA */
