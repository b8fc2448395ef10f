/* After-commit events: subscriptions and the queue of pending events. */
#include "core/book.h"

#include <string.h>

int bo__event_queue(bo_book *b, const char *event, int64_t id)
{
    if (b->nsubs == 0)
        return 0; /* nobody listens: nothing to remember */
    if (b->npending == b->pending_cap) {
        size_t cap = b->pending_cap ? b->pending_cap * 2 : 16;
        bo__pending *p = bo__realloc(b->pending, cap * sizeof *p);
        if (!p)
            return BO_ENOMEM;
        b->pending = p;
        b->pending_cap = cap;
    }
    b->pending[b->npending++] = (bo__pending){ event, id };
    return 0;
}

void bo__events_drop(bo_book *b, size_t keep)
{
    if (keep < b->npending)
        b->npending = keep;
}

void bo__events_deliver(bo_book *b)
{
    /* Callbacks may read through the book (and even queue more events in a
     * later transaction): deliver from a detached queue. */
    bo__pending *queue = b->pending;
    size_t n = b->npending;
    b->pending = NULL;
    b->npending = b->pending_cap = 0;
    /* The call delivering these events has committed and returns success:
     * a callback (which cannot fail it: it returns nothing) must not leave
     * the failure of a call it made as this thread's last error either. */
    if (n && b->nsubs) { /* nothing to save when no callback runs */
        bo__error_state es;
        bo__error_save(&es);
        for (size_t i = 0; i < n; i++) {
            for (int k = 0; k < b->nsubs; k++) {
                bo__sub *s = &b->subs[k];
                if (s->fn && (strcmp(s->event, "*") == 0 ||
                              strcmp(s->event, queue[i].event) == 0))
                    s->fn(queue[i].event, queue[i].id, s->user);
            }
        }
        bo__error_restore(&es);
    }
    if (!b->pending) { /* keep the buffer for next time */
        b->pending = queue;
        b->pending_cap = n ? n : 0;
        if (!n) {
            bo__free(queue);
            b->pending = NULL;
        }
    } else {
        bo__free(queue);
    }
}

void bo__events_free(bo_book *b)
{
    for (int i = 0; i < b->nsubs; i++) {
        if (b->subs[i].free_user)
            b->subs[i].free_user(b->subs[i].user);
        bo__free(b->subs[i].event);
    }
    bo__free(b->subs);
    bo__free(b->pending);
    b->subs = NULL;
    b->pending = NULL;
    b->nsubs = 0;
    b->npending = 0;
}

int bo_event_subscribe(bo_book *b, const char *event, bo_event_fn fn,
                       void *user, bo_free_fn free_user, int *id)
{
    bo__error_clear();
    int rc = 0;
    if (!b || !fn)
        rc = bo__error_set(BO_EINVAL, "book/fn: NULL");
    else
        rc = bo__name_check("event", event, BO_NAME_MAX);
    char *copy = NULL;
    if (!rc && !(copy = bo__strdup(event)))
        rc = BO_ENOMEM;
    if (!rc && b->nsubs == b->subs_cap) {
        int cap = b->subs_cap ? b->subs_cap * 2 : 4;
        bo__sub *s = bo__realloc(b->subs, (size_t)cap * sizeof *s);
        if (!s)
            rc = BO_ENOMEM;
        else {
            b->subs = s;
            b->subs_cap = cap;
        }
    }
    if (rc) {
        bo__free(copy);
        if (free_user)
            free_user(user);
        return rc;
    }
    int sid = ++b->next_sub;
    b->subs[b->nsubs++] = (bo__sub){ sid, copy, fn, user, free_user };
    if (id)
        *id = sid;
    return 0;
}

int bo_event_unsubscribe(bo_book *b, int id)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    for (int i = 0; i < b->nsubs; i++) {
        if (b->subs[i].id == id) {
            bo__sub s = b->subs[i];
            memmove(&b->subs[i], &b->subs[i + 1],
                    (size_t)(b->nsubs - i - 1) * sizeof s);
            b->nsubs--;
            bo__free(s.event);
            if (s.free_user)
                s.free_user(s.user);
            return 0;
        }
    }
    return bo__error_set(BO_ENOTFOUND, "subscription %d: not found", id);
}
