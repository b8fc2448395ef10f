/* The documents domain (backoffice/documents.h) in Python and Lua: included
 * by backoffice.i after the Book, Entry and Cursor classes.
 *
 * - Book methods named doc_<verb> (bo_document_get -> Book.doc_get); output
 *   arguments come back as return values (ids, versions, counts, cursors).
 * - Classes for the handles: Doc (a record being built), DocQuery (a
 *   search), DocWriter and DocReader (content streamed in and out, made by
 *   Book.doc_writer / Book.doc_reader). Python: close() (and "with");
 *   Lua: close() and <close>.
 * - Content is bytes: Python bytes (or any buffer), Lua strings.
 * - A classification is its number (DOC_CONFIDENTIAL) or its name
 *   ("confidential").
 * - A writer or reader that outlives its book fails with StateError; it
 *   never touches the freed book.
 */
%rename("$ignore", regextarget=1, %$isfunction) "^bo_document_";
%rename(Doc) bo_document;
%rename(DocQuery) bo_document_query;
%rename(DocWriter) bo_document_writer;
%rename(DocReader) bo_document_reader;
%nodefaultctor bo_document;
%nodefaultdtor bo_document;
%nodefaultctor bo_document_query;
%nodefaultdtor bo_document_query;
%nodefaultctor bo_document_writer;
%nodefaultdtor bo_document_writer;
%nodefaultctor bo_document_reader;
%nodefaultdtor bo_document_reader;

%{
/* The largest read a script may ask for at once (a buffer of that size is
 * made for it). */
#define BO_DOC_SCRIPT_READ_MAX ((int64_t)64 * 1024 * 1024)
%}

/* ------------------------------------------------------------------------
 * Typemaps
 * ------------------------------------------------------------------------ */
#ifdef SWIGPYTHON
%typemap(out) bo_document *, bo_document_query *, struct bo_document *, struct bo_document_query * {
    if (!$1) {
        bo_py_raise_last(bo_swig_rc ? bo_swig_rc : BO_ERROR);
        SWIG_fail;
    }
    $result = SWIG_NewPointerObj(SWIG_as_voidptr($1), $descriptor, $owner | %newpointer_flags);
}
%typemap(check) struct bo_document *self, struct bo_document_query *self,
                struct bo_document_writer *self, struct bo_document_reader *self {
    if (!$1) {
        bo_py_raise(BO_ESTATE, "the handle is closed");
        SWIG_fail;
    }
}
%typemap(check) const bo_document *doc {
    if (!$1) {
        bo_py_raise(BO_EINVAL, "doc: None or a closed Doc");
        SWIG_fail;
    }
}

/* Bytes in: bytes, bytearray, memoryview or str (UTF-8); None: no bytes. */
%typemap(in) (const void *data, size_t len) (Py_buffer view, int have_view = 0) {
    if ($input == Py_None) {
        $1 = NULL;
        $2 = 0;
    } else if (PyUnicode_Check($input)) {
        Py_ssize_t n = 0;
        $1 = (void *)PyUnicode_AsUTF8AndSize($input, &n);
        if (!$1)
            SWIG_fail;
        $2 = (size_t)n;
    } else {
        if (PyObject_GetBuffer($input, &view, PyBUF_SIMPLE) < 0)
            SWIG_fail;
        have_view = 1;
        $1 = view.buf;
        $2 = (size_t)view.len;
    }
}
%typemap(freearg) (const void *data, size_t len) {
    if (have_view$argnum)
        PyBuffer_Release(&view$argnum);
}

/* Bytes out: read(n) -> bytes (b"" at the end). */
%typemap(in) (void *buf, size_t cap, size_t *got) (PyObject *bytes = NULL, size_t got_temp = 0) {
    int64_t n;
    if (bo_py_int64($input, "$symname", "$1_name", &n) < 0)
        SWIG_fail;
    if (n < 0 || n > BO_DOC_SCRIPT_READ_MAX) {
        bo_py_raise(BO_EINVAL, "read: size must be 0..67108864");
        SWIG_fail;
    }
    bytes = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)n);
    if (!bytes)
        SWIG_fail;
    $1 = PyBytes_AS_STRING(bytes);
    $2 = (size_t)n;
    $3 = &got_temp;
}
%typemap(argout) (void *buf, size_t cap, size_t *got) {
    if (_PyBytes_Resize(&bytes$argnum, (Py_ssize_t)*$3) < 0)
        SWIG_fail;
    $result = bo_py_append($result, bytes$argnum);
    bytes$argnum = NULL;
    if (!$result)
        SWIG_fail;
}
%typemap(freearg) (void *buf, size_t cap, size_t *got) "Py_XDECREF(bytes$argnum);"

/* A classification: a number or a name. */
%typemap(in) int cls {
    if (bo_py_named_int($input, "$symname", "$1_name", bo_document_class_parse, &$1) < 0)
        SWIG_fail;
}
#endif /* SWIGPYTHON */

#ifdef SWIGLUA
%typemap(out) bo_document *, bo_document_query *, struct bo_document *, struct bo_document_query * {
    if (!$1) {
        bo_lua_push_error(L, bo_swig_rc ? bo_swig_rc : BO_ERROR, bo_error_message());
        SWIG_fail;
    }
    SWIG_NewPointerObj(L, $1, $descriptor, $owner);
    SWIG_arg++;
}
%typemap(check) struct bo_document *self, struct bo_document_query *self,
                struct bo_document_writer *self, struct bo_document_reader *self {
    if (!$1) {
        bo_lua_push_error(L, BO_ESTATE, "the handle is closed");
        SWIG_fail;
    }
}
%typemap(check) const bo_document *doc {
    if (!$1) {
        bo_lua_push_error(L, BO_EINVAL, "doc: nil or a closed Doc");
        SWIG_fail;
    }
}
/* Bytes in: a string (any bytes, NUL included); nil: no bytes. */
%typemap(in, checkfn="bo_lua_isbytes") (const void *data, size_t len) {
    if (lua_isnil(L, $input) || lua_isnone(L, $input)) {
        $1 = NULL;
        $2 = 0;
    } else if (lua_type(L, $input) == LUA_TSTRING) {
        size_t n = 0;
        $1 = (void *)lua_tolstring(L, $input, &n);
        $2 = n;
    } else {
        lua_pushfstring(L, "$symname: argument %d: a string expected, got %s", $argnum,
                        luaL_typename(L, $input));
        SWIG_fail;
    }
}

/* Bytes out: read(n) -> string ("" at the end). The buffer is a userdata,
 * so raising never leaks it. */
%typemap(in, checkfn="lua_isnumber") (void *buf, size_t cap, size_t *got) (size_t got_temp = 0) {
    lua_Integer n;
    if (!bo_lua_integer(L, $input, "$symname", $argnum, 0, BO_DOC_SCRIPT_READ_MAX, &n))
        SWIG_fail;
    $1 = lua_newuserdatauv(L, (size_t)(n ? n : 1), 0);
    $2 = (size_t)n;
    $3 = &got_temp;
}
%typemap(argout) (void *buf, size_t cap, size_t *got) "lua_pushlstring(L, (const char *)$1, *$3); SWIG_arg++;"

/* A classification: a number or a name. */
%typemap(in, checkfn="lua_isstring") int cls {
    if (!bo_lua_named_int(L, $input, "$symname", $argnum, "$1_name",
                          bo_document_class_parse, &$1))
        SWIG_fail;
}
#endif /* SWIGLUA */

%apply int BO_VALUE { int doc_class_parse };

%include "backoffice/documents.h"

/* ------------------------------------------------------------------------
 * Module functions
 * ------------------------------------------------------------------------ */
%inline %{
/* The number of a classification name ("confidential" -> 2). */
static int doc_class_parse(const char *name) {
    return bo_document_class_parse(name);
}
/* The name of a classification number (None/nil for none). */
static const char *doc_class_name(int cls) {
    return bo_document_class_name(cls);
}
%}

/* ------------------------------------------------------------------------
 * Classes
 * ------------------------------------------------------------------------ */
%feature("docstring", "A document record being built: Doc(type, title, date);
then book.doc_create(doc) -> id.") bo_document;
%feature("docstring", "A search: DocQuery(); then book.doc_search(q) / book.doc_count(q).") bo_document_query;
%feature("docstring", "A new version being written: book.doc_writer(id, filename=None);
write(bytes) ..., then finish() -> version. close() without finish() discards it.") bo_document_writer;
%feature("docstring", "A version being read: book.doc_reader(id, version=0);
read(n) -> bytes (empty at the end; the last read checks the SHA-256).") bo_document_reader;

struct bo_document {};
struct bo_document_query {};
struct bo_document_writer {};
struct bo_document_reader {};

%extend bo_document {
    bo_document(const char *type, const char *title, bo_date date) {
        bo_document *d = NULL;
        bo_swig_rc = bo_document_new(&d, type, title, date);
        return d;
    }
    ~bo_document() {
        bo_document_free(self);
    }
    /* No bodies: these call bo_document_<name>(self, ...) directly. */
    int set_class(int cls);
    int set_meta(const char *field, const char *value);
    int add_tag(const char *tag);
    int set_body(const char *text);
    int set_key(const char *key);
#ifdef SWIGPYTHON
%pythoncode %{
    def close(self):
        """Release the builder now. Idempotent."""
        _backoffice._release(self)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False
%}
#endif
}

%extend bo_document_query {
    bo_document_query() {
        bo_document_query *q = NULL;
        bo_swig_rc = bo_document_query_new(&q);
        return q;
    }
    ~bo_document_query() {
        bo_document_query_free(self);
    }
    int text(const char *words);
    int type(const char *type);
    int tag(const char *tag);
    int dates(bo_date first, bo_date last);
    int link(const char *kind, const char *ref = NULL);
    int disposed(int include);
    int page(int64_t limit, int64_t offset = 0);
#ifdef SWIGPYTHON
%pythoncode %{
    def close(self):
        """Release the query now. Idempotent."""
        _backoffice._release(self)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False
%}
#endif
}

%extend bo_document_writer {
    ~bo_document_writer() {
        bo_document_writer_free(self);
    }
    int write(const void *data, size_t len);
    /* Returns the new version number. */
    int finish(int64_t *version);
#ifdef SWIGPYTHON
%pythoncode %{
    def close(self):
        """Release the writer now; an unfinished version is discarded."""
        _backoffice._release(self)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False
%}
#endif
}

%extend bo_document_reader {
    ~bo_document_reader() {
        bo_document_reader_free(self);
    }
    /* read(n) -> up to n bytes; empty at the end. */
    int read(void *buf, size_t cap, size_t *got);
    int64_t size();
#ifdef SWIGPYTHON
%pythoncode %{
    def readall(self):
        """The rest of the content as bytes (checked against its SHA-256)."""
        parts = []
        while True:
            chunk = self.read(1 << 20)
            if not chunk:
                return b"".join(parts)
            parts.append(chunk)

    def close(self):
        """Release the reader now. Idempotent."""
        _backoffice._release(self)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False
%}
#endif
}

%extend bo_book {
    /* types, retention, store, key */
    int doc_type_add(const char *name, int retention_years = 0) {
        return bo_document_type_add(self, name, retention_years);
    }
    int doc_type_field_add(const char *doc_type, const char *field, const char *kind) {
        return bo_document_type_field_add(self, doc_type, field, kind);
    }
    int doc_type_retention(const char *doc_type, int retention_years) {
        return bo_document_type_retention(self, doc_type, retention_years);
    }
    int doc_type_hold(const char *doc_type, int on = 1) {
        return bo_document_type_hold(self, doc_type, on);
    }
    int doc_type_open_fields(const char *doc_type, int on = 1) {
        return bo_document_type_open_fields(self, doc_type, on);
    }
    int doc_types(bo_cursor **out) {
        return bo_document_types(self, out);
    }
    int doc_set_store(const char *kind, const char *root = NULL) {
        return bo_document_set_store(self, kind, root);
    }
    int doc_set_version_limit(int64_t max_bytes) {
        return bo_document_set_version_limit(self, max_bytes);
    }
    int doc_version_limit(int64_t *max_bytes) {
        return bo_document_version_limit(self, max_bytes);
    }
    /* records */
    int doc_create(int64_t *id, const bo_document *doc) {
        return bo_document_create(self, doc, id);
    }
    int doc_get(bo_cursor **out, int64_t id) {
        return bo_document_get(self, id, out);
    }
    int doc_meta(bo_cursor **out, int64_t id) {
        return bo_document_meta(self, id, out);
    }
    int doc_tag(int64_t id, const char *tag) {
        return bo_document_tag(self, id, tag);
    }
    int doc_body(int64_t id, const char *text) {
        return bo_document_body(self, id, text);
    }

    /* content */
    int doc_add_file(int64_t *version, int64_t id, const char *path) {
        return bo_document_add_file(self, id, path, version);
    }
    int doc_export(int64_t id, const char *path, int64_t version = 0) {
        return bo_document_export_file(self, id, version, path);
    }
    int doc_versions(bo_cursor **out, int64_t id) {
        return bo_document_versions(self, id, out);
    }
    /* Returns how many versions were checked. */
    int doc_verify(int64_t *checked) {
        return bo_document_verify(self, checked);
    }

    /* links */
    int doc_link(int64_t id, const char *kind, const char *ref) {
        return bo_document_link(self, id, kind, ref);
    }
    int doc_unlink(int64_t id, const char *kind, const char *ref) {
        return bo_document_unlink(self, id, kind, ref);
    }
    int doc_links(bo_cursor **out, int64_t id) {
        return bo_document_links(self, id, out);
    }
    int doc_linked(bo_cursor **out, const char *kind, const char *ref) {
        return bo_document_linked(self, kind, ref, out);
    }

    /* search: no query (None / nil) matches every visible live document */
    int doc_search(bo_cursor **out, const bo_document_query *q = NULL) {
        bo_document_query *all = NULL;
        int rc;
        if (!q) {
            if ((rc = bo_document_query_new(&all)))
                return rc;
            q = all;
        }
        rc = bo_document_search(self, q, out);
        bo_document_query_free(all);
        return rc;
    }
    int doc_count(int64_t *count, const bo_document_query *q = NULL) {
        bo_document_query *all = NULL;
        int rc;
        if (!q) {
            if ((rc = bo_document_query_new(&all)))
                return rc;
            q = all;
        }
        rc = bo_document_count(self, q, count);
        bo_document_query_free(all);
        return rc;
    }

    /* check-out, retention */
    int doc_checkout(int64_t id) {
        return bo_document_checkout(self, id);
    }
    int doc_checkin(int64_t id) {
        return bo_document_checkin(self, id);
    }
    int doc_hold(int64_t id, int on = 1) {
        return bo_document_hold(self, id, on);
    }
    /* today: a date, or 0 for the current date. */
    int doc_dispose(int64_t id, bo_date today = 0) {
        return bo_document_dispose(self, id, today);
    }

#ifdef SWIGPYTHON
    /* Methods with bytes or handles in or out: Book's typemaps are fixed
     * before this file, and these bodies are emitted before this file's
     * helpers, so they convert by themselves, with bytes, bytearray,
     * memoryview or str (UTF-8) in (Lua: C functions added to Book below). */
    /* The 32-byte key (bytes); None forgets it. */
    PyObject *doc_set_key(PyObject *key) {
        Py_buffer view;
        int have = 0, rc;
        const void *p = NULL;
        size_t n = 0;
        if (key != Py_None) {
            if (PyUnicode_Check(key)) {
                Py_ssize_t len = 0;
                p = PyUnicode_AsUTF8AndSize(key, &len);
                if (!p)
                    return NULL;
                n = (size_t)len;
            } else {
                if (PyObject_GetBuffer(key, &view, PyBUF_SIMPLE) < 0)
                    return NULL;
                have = 1;
                p = view.buf;
                n = (size_t)view.len;
            }
        }
        rc = bo_document_set_encryption_key(self, p, n);
        if (have)
            PyBuffer_Release(&view);
        if (bo_py_check(rc) < 0)
            return NULL;
        Py_RETURN_NONE;
    }
    /* Add bytes as a new version; returns its number. */
    PyObject *doc_add_bytes(int64_t id, PyObject *data, const char *filename = NULL) {
        Py_buffer view;
        int have = 0, rc;
        const void *p = NULL;
        size_t n = 0;
        int64_t version = 0;
        if (data != Py_None) {
            if (PyUnicode_Check(data)) {
                Py_ssize_t len = 0;
                p = PyUnicode_AsUTF8AndSize(data, &len);
                if (!p)
                    return NULL;
                n = (size_t)len;
            } else {
                if (PyObject_GetBuffer(data, &view, PyBUF_SIMPLE) < 0)
                    return NULL;
                have = 1;
                p = view.buf;
                n = (size_t)view.len;
            }
        }
        rc = bo_document_add_bytes(self, id, p, n, filename, &version);
        if (have)
            PyBuffer_Release(&view);
        if (bo_py_check(rc) < 0)
            return NULL;
        return PyLong_FromLongLong((long long)version);
    }
    /* A DocWriter for a new version of document id. */
    PyObject *doc_writer(int64_t id, const char *filename = NULL) {
        bo_document_writer *w = NULL;
        if (bo_py_check(bo_document_writer_open(self, id, filename, &w)) < 0)
            return NULL;
        return SWIG_NewPointerObj(w, SWIGTYPE_p_bo_document_writer, SWIG_POINTER_OWN);
    }
    /* A DocReader over version (0: the latest) of document id. */
    PyObject *doc_reader(int64_t id, int64_t version = 0) {
        bo_document_reader *r = NULL;
        if (bo_py_check(bo_document_reader_open(self, id, version, &r)) < 0)
            return NULL;
        return SWIG_NewPointerObj(r, SWIGTYPE_p_bo_document_reader, SWIG_POINTER_OWN);
    }
%pythoncode %{
    def doc_read(self, id: "int64_t", version: "int64_t" = 0) -> "PyObject *":
        """The content of a version (0: the latest) as bytes."""
        with self.doc_reader(id, version) as r:
            return r.readall()
%}
#endif
}

#ifdef SWIGLUA
%{
/* reader:readall() / book:doc_read(id, version): the rest of the content
 * as one string. */
static int bo_lua_doc_readall(lua_State *L, bo_document_reader *r)
{
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (;;) {
        size_t got = 0;
        char *p = luaL_prepbuffsize(&b, 65536);
        int rc = bo_document_reader_read(r, p, 65536, &got);
        if (rc < 0)
            return bo_lua_raise(L, rc);
        if (got == 0)
            break;
        luaL_addsize(&b, got);
    }
    luaL_pushresult(&b);
    return 1;
}

static int bo_lua_reader_readall(lua_State *L)
{
    bo_document_reader *r = (bo_document_reader *)bo_lua_handle(L, 1, SWIGTYPE_p_bo_document_reader,
                                                      "DocReader");
    return bo_lua_doc_readall(L, r);
}

static int bo_lua_doc_read(lua_State *L)
{
    bo_book *book = (bo_book *)bo_lua_handle(L, 1, SWIGTYPE_p_bo_book, "Book");
    lua_Integer id, version = 0;
    bo_document_reader *r = NULL;
    int rc, n;

    if (!bo_lua_integer(L, 2, "doc_read", 2, LUA_MININTEGER, LUA_MAXINTEGER, &id))
        return lua_error(L);
    if (!lua_isnoneornil(L, 3)
        && !bo_lua_integer(L, 3, "doc_read", 3, LUA_MININTEGER, LUA_MAXINTEGER, &version))
        return lua_error(L);
    bo_lua_active = L;
    rc = bo_document_reader_open(book, (int64_t)id, (int64_t)version, &r);
    if (rc < 0)
        return bo_lua_raise(L, rc);
    /* Held by a userdata with __gc so that an error frees the reader. */
    SWIG_NewPointerObj(L, r, SWIGTYPE_p_bo_document_reader, 1);
    n = bo_lua_doc_readall(L, r);
    return n;
}

/* Bytes argument idx: a string, or nil for none. */
static const void *bo_lua_doc_bytes(lua_State *L, int idx, const char *fn, size_t *n)
{
    *n = 0;
    if (lua_isnoneornil(L, idx))
        return NULL;
    if (lua_type(L, idx) != LUA_TSTRING)
        luaL_error(L, "%s: argument %d: a string expected, got %s", fn, idx,
                   luaL_typename(L, idx));
    return lua_tolstring(L, idx, n);
}

/* book:doc_set_key(key): 32 bytes, or nil to forget. */
static int bo_lua_doc_set_key(lua_State *L)
{
    bo_book *book = (bo_book *)bo_lua_handle(L, 1, SWIGTYPE_p_bo_book, "Book");
    size_t n;
    const void *p = bo_lua_doc_bytes(L, 2, "doc_set_key", &n);
    int rc = bo_document_set_encryption_key(book, p, n);
    if (rc < 0)
        return bo_lua_raise(L, rc);
    return 0;
}

/* book:doc_add_bytes(id, data, filename) -> version */
static int bo_lua_doc_add_bytes(lua_State *L)
{
    bo_book *book = (bo_book *)bo_lua_handle(L, 1, SWIGTYPE_p_bo_book, "Book");
    lua_Integer id;
    size_t n;
    const void *p;
    const char *filename;
    int64_t version = 0;
    int rc;

    if (!bo_lua_integer(L, 2, "doc_add_bytes", 2, LUA_MININTEGER, LUA_MAXINTEGER, &id))
        return lua_error(L);
    p = bo_lua_doc_bytes(L, 3, "doc_add_bytes", &n);
    if (!bo_lua_text(L, 4, "doc_add_bytes", "filename", &filename))
        return lua_error(L);
    bo_lua_active = L;
    rc = bo_document_add_bytes(book, (int64_t)id, p, n, filename, &version);
    if (rc < 0)
        return bo_lua_raise(L, rc);
    lua_pushinteger(L, (lua_Integer)version);
    return 1;
}

/* book:doc_writer(id, filename) -> DocWriter */
static int bo_lua_doc_writer(lua_State *L)
{
    bo_book *book = (bo_book *)bo_lua_handle(L, 1, SWIGTYPE_p_bo_book, "Book");
    lua_Integer id;
    bo_document_writer *w = NULL;
    const char *filename;
    int rc;

    if (!bo_lua_integer(L, 2, "doc_writer", 2, LUA_MININTEGER, LUA_MAXINTEGER, &id))
        return lua_error(L);
    if (!bo_lua_text(L, 3, "doc_writer", "filename", &filename))
        return lua_error(L);
    bo_lua_active = L;
    rc = bo_document_writer_open(book, (int64_t)id, filename, &w);
    if (rc < 0)
        return bo_lua_raise(L, rc);
    SWIG_NewPointerObj(L, w, SWIGTYPE_p_bo_document_writer, 1);
    return 1;
}

/* book:doc_reader(id, version) -> DocReader */
static int bo_lua_doc_reader(lua_State *L)
{
    bo_book *book = (bo_book *)bo_lua_handle(L, 1, SWIGTYPE_p_bo_book, "Book");
    lua_Integer id, version = 0;
    bo_document_reader *r = NULL;
    int rc;

    if (!bo_lua_integer(L, 2, "doc_reader", 2, LUA_MININTEGER, LUA_MAXINTEGER, &id))
        return lua_error(L);
    if (!lua_isnoneornil(L, 3)
        && !bo_lua_integer(L, 3, "doc_reader", 3, LUA_MININTEGER, LUA_MAXINTEGER, &version))
        return lua_error(L);
    bo_lua_active = L;
    rc = bo_document_reader_open(book, (int64_t)id, (int64_t)version, &r);
    if (rc < 0)
        return bo_lua_raise(L, rc);
    SWIG_NewPointerObj(L, r, SWIGTYPE_p_bo_document_reader, 1);
    return 1;
}
%}

%init %{
    {
        static const luaL_Reg handle_methods[] = {
            { "close", bo_lua_close }, { NULL, NULL } };
        static const luaL_Reg reader_methods[] = {
            { "close", bo_lua_close }, { "readall", bo_lua_reader_readall },
            { NULL, NULL } };
        static const luaL_Reg book_methods[] = {
            { "doc_read", bo_lua_doc_read }, { "doc_set_key", bo_lua_doc_set_key },
            { "doc_add_bytes", bo_lua_doc_add_bytes }, { "doc_writer", bo_lua_doc_writer },
            { "doc_reader", bo_lua_doc_reader }, { NULL, NULL } };
        static const luaL_Reg handle_meta[] = {
            { "__close", bo_lua_close }, { NULL, NULL } };

        bo_lua_extend_class(L, "Doc", handle_methods, handle_meta);
        bo_lua_extend_class(L, "DocQuery", handle_methods, handle_meta);
        bo_lua_extend_class(L, "DocWriter", handle_methods, handle_meta);
        bo_lua_extend_class(L, "DocReader", reader_methods, handle_meta);
        bo_lua_extend_class(L, "Book", book_methods, NULL);
    }
%}
#endif /* SWIGLUA */
