/* The change feed (backoffice/feed.h) in Python and Lua: methods of the
 * book named feed_<verb>, reached as book.feed.<verb>. A consumer's
 * handler is any callable(position, event_id, at, kind, object); its
 * writes through the book join the transaction the consumer's position is
 * saved in, and an error it raises rolls that event back and comes out of
 * consume as it was raised. Included by backoffice.i before the Book class, whose
 * methods its typemaps must see. */
%rename("$ignore", %$isfunction, regextarget=1) "^bo_feed_";
%ignore bo_feed_event;
%include "backoffice/feed.h"

#ifdef SWIGPYTHON
%{
/* The exception a handler raised, kept until consume returns. */
static _Thread_local PyObject *bo_py_feed_exc[3];

static int bo_py_feed_call(bo_book *book, const bo_feed_event *ev, void *user)
{
    PyGILState_STATE gil = PyGILState_Ensure();
    PyObject *r = PyObject_CallFunction((PyObject *)user, "LLsss", (long long)ev->position,
                                        (long long)ev->event_id, ev->at, ev->kind,
                                        ev->object);
    int rc = 0;
    (void)book;
    if (r) {
        Py_DECREF(r);
    } else {
        PyErr_Fetch(&bo_py_feed_exc[0], &bo_py_feed_exc[1], &bo_py_feed_exc[2]);
        rc = BO_ERROR;
    }
    PyGILState_Release(gil);
    return rc;
}
%}
%typemap(in) (bo_feed_handler handler, void *user) {
    if (!PyCallable_Check($input))
        SWIG_exception_fail(SWIG_TypeError, "the handler must be callable");
    $1 = bo_py_feed_call;
    $2 = $input;
}
%exception bo_book::feed_consume {
    $action
    if (bo_py_feed_exc[0]) {
        PyErr_Restore(bo_py_feed_exc[0], bo_py_feed_exc[1], bo_py_feed_exc[2]);
        bo_py_feed_exc[0] = bo_py_feed_exc[1] = bo_py_feed_exc[2] = NULL;
        SWIG_fail;
    }
}
#endif

#ifdef SWIGLUA
%{
/* The handler at stack index idx of the consume call; its error is kept
 * in the registry (ref) until consume returns. */
typedef struct bo_lua_feed {
    lua_State *L;
    int idx;
    int ref;
} bo_lua_feed;

static int bo_lua_feed_call(bo_book *book, const bo_feed_event *ev, void *user)
{
    bo_lua_feed *f = (bo_lua_feed *)user;
    lua_State *L = f->L;
    (void)book;
    lua_pushvalue(L, f->idx);
    lua_pushinteger(L, (lua_Integer)ev->position);
    lua_pushinteger(L, (lua_Integer)ev->event_id);
    lua_pushstring(L, ev->at);
    lua_pushstring(L, ev->kind);
    lua_pushstring(L, ev->object);
    if (lua_pcall(L, 5, 0, 0) == LUA_OK)
        return 0;
    f->ref = luaL_ref(L, LUA_REGISTRYINDEX);
    return BO_ERROR;
}
%}
%typemap(in, checkfn="bo_lua_callable") (bo_feed_handler handler, void *user)
    (bo_lua_feed feed) {
    feed.L = L;
    feed.idx = $input;
    feed.ref = LUA_NOREF;
    $1 = bo_lua_feed_call;
    $2 = &feed;
}
%exception bo_book::feed_consume {
    $action
    if (feed5.ref != LUA_NOREF) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, feed5.ref);
        luaL_unref(L, LUA_REGISTRYINDEX, feed5.ref);
        return lua_error(L);
    }
}
#endif

%extend bo_book {
    /* Rows position, event_id, at, kind, object after position after. */
    int feed_read(bo_cursor **out, int64_t after = 0, int limit = 1000) {
        return bo_feed_read(self, after, limit, out);
    }
    /* Returns (first, last): the oldest position kept and the last. */
    int feed_head(int64_t *first, int64_t *last) {
        return bo_feed_head(self, first, last);
    }
    /* Returns the last position once it passes after, or at the timeout. */
    int feed_wait(int64_t *last, int64_t after, int timeout_ms) {
        return bo_feed_wait(self, after, timeout_ms, last);
    }
    int feed_retention_set(int days) {
        return bo_feed_retention_set(self, days);
    }
    /* Returns the retention in days. */
    int feed_retention(int *days) {
        return bo_feed_retention(self, days);
    }
    /* Returns how many events were removed. */
    int feed_prune(int64_t *removed) {
        return bo_feed_prune(self, removed);
    }
    /* Returns the consumer's saved position (0: none). */
    int feed_position(int64_t *position, const char *consumer) {
        return bo_feed_position(self, consumer, position);
    }
    int feed_save(const char *consumer, int64_t position) {
        return bo_feed_save(self, consumer, position);
    }
    /* Returns how many events handler(position, event_id, at, kind,
     * object) handled. */
    int feed_consume(int *consumed, const char *consumer, int max_events,
                     bo_feed_handler handler, void *user) {
        return bo_feed_consume(self, consumer, max_events, handler, user, consumed);
    }
}
