/*
 * libodoo — drive an odoo_multi from a libevent (2.x) event_base.
 * Header-only: include it in a program that links libevent (pkg-config
 * libevent); libodoo itself does not depend on libevent.
 *
 *     odoo_multi_new(&m, NULL, &err);
 *     odoo_event_attach(m, base, &err);
 *     odoo_multi_add(m, conn, …, on_done, data, &err);   // before or after attaching
 *     event_base_dispatch(base);                          // returns 1 when every call is done
 *     odoo_multi_free(m);                                 // or odoo_event_detach(m), then free
 *     event_base_free(base);
 *
 * What it does: a timer event for the multi's timer, and a persistent
 * event per socket, created when libcurl first asks to watch the socket
 * and freed on ODOO_POLL_REMOVE. Nothing stays pending once no call is
 * running, so the dispatch returns.
 *
 * Ownership and lifetime:
 * - The adapter's state belongs to the multi it is attached to (stored with
 *   odoo_multi_set_adapter). It is released by odoo_event_detach(m) or by
 *   odoo_multi_free(m), whichever comes first; the caller never frees it.
 * - Released outside the adapter's callbacks, everything goes at once.
 *   Inside them (the multi freed or detached from a call's callback, a
 *   socket removed while another's event runs) the events are deleted at
 *   once and freed when the adapter's callback returns: no event is freed
 *   while its callback runs, and the adapter touches neither the multi nor
 *   freed memory after a socket action.
 * - Detach, or free the multi, before event_base_free(base).
 * - A second attach of the same multi (to any loop, by any adapter) is
 *   refused with ODOO_ERR_INVALID_ARGUMENT; detach first.
 * - Detaching while calls run leaves them where they are: libcurl does not
 *   announce again the sockets it watches, so attaching again would not see
 *   them. Finish such calls with odoo_multi_perform, or free the multi.
 * - odoo_multi_socket_action's errors (libcurl's own, out of memory) have no
 *   caller to go to here: the last one is kept in odoo_event_last_error(m).
 * - Like the multi, one thread: the base's.
 */
#ifndef ODOO_ADAPTERS_LIBEVENT_H
#define ODOO_ADAPTERS_LIBEVENT_H

#include <stdlib.h>

#include <event2/event.h>

#include "../multi.h"
#include "../sys/errors.h"

ODOO_BEGIN_DECLS

typedef struct odoo_event__state odoo_event__state;

#define ODOO_EVENT__TAG 0x6f646576u /* "odev": the multi's adapter is this one */

/* One watched socket. */
typedef struct odoo_event__socket {
    struct event *ev;
    odoo_event__state *st;
    struct odoo_event__socket *prev, *next; /* watched; a removed one waits in st->dead */
    int fd;
} odoo_event__socket;

struct odoo_event__state {
    unsigned int tag;               /* ODOO_EVENT__TAG */
    odoo_multi *m;                  /* NULL once detached */
    struct event_base *base;
    struct event *timer;
    odoo_event__socket *sockets;    /* watched, so that detach can free them */
    odoo_event__socket *dead;       /* deleted, to free when no callback of ours runs */
    int depth;                      /* our callbacks running (a socket action inside them) */
    odoo_rpc_error last_error;      /* the last failed socket action */
};

static inline void odoo_event__socket_free(odoo_event__socket *s)
{
    event_free(s->ev);
    free(s);
}

/* No callback of ours runs: free what waited for that. */
static inline void odoo_event__reap(odoo_event__state *st)
{
    while (st->dead) {
        odoo_event__socket *s = st->dead;
        st->dead = s->next;
        odoo_event__socket_free(s);
    }
    if (!st->m) {
        event_free(st->timer);
        odoo_rpc_error_clear(&st->last_error);
        free(st);
    }
}

static inline void odoo_event__action(odoo_event__state *st, int fd, int events)
{
    odoo_rpc_error e = ODOO_RPC_ERROR_INIT;
    st->depth++;
    /* A callback may free the multi inside (st->m is NULL after): st waits
     * for the reap below. */
    if (odoo_multi_socket_action(NULL, st->m, fd, events, &e) != 0) {
        odoo_rpc_error_clear(&st->last_error);
        st->last_error = e;
    }
    if (--st->depth == 0)
        odoo_event__reap(st);
}

static inline void odoo_event__on_socket(evutil_socket_t fd, short what, void *arg)
{
    odoo_event__socket *s = (odoo_event__socket *)arg;
    int ev = ((what & EV_READ) ? ODOO_CSELECT_IN : 0) | ((what & EV_WRITE) ? ODOO_CSELECT_OUT : 0);
    if (s->st->m)
        odoo_event__action(s->st, (int)fd, ev);
}

static inline void odoo_event__on_timer(evutil_socket_t fd, short what, void *arg)
{
    odoo_event__state *st = (odoo_event__state *)arg;
    (void)fd;
    (void)what;
    if (st->m)
        odoo_event__action(st, ODOO_MULTI_SOCKET_TIMEOUT, 0);
}

/* Stop watching s; it is freed now or at the reap. */
static inline void odoo_event__unwatch(odoo_event__state *st, odoo_event__socket *s)
{
    odoo_multi_assign(st->m, s->fd, NULL, NULL);
    event_del(s->ev);
    if (s->prev)
        s->prev->next = s->next;
    else
        st->sockets = s->next;
    if (s->next)
        s->next->prev = s->prev;
    if (st->depth > 0) {
        s->prev = NULL;
        s->next = st->dead;
        st->dead = s;
    } else {
        odoo_event__socket_free(s);
    }
}

static inline void odoo_event__socket_cb(int fd, int what, void *userdata)
{
    odoo_event__state *st = (odoo_event__state *)userdata;
    odoo_event__socket *s = (odoo_event__socket *)odoo_multi_socket_data(st->m);
    if (what == ODOO_POLL_REMOVE) {
        if (s)
            odoo_event__unwatch(st, s);
        return;
    }
    short events = (short)(((what & ODOO_POLL_IN) ? EV_READ : 0) | ((what & ODOO_POLL_OUT) ? EV_WRITE : 0) |
                           EV_PERSIST);
    if (!s) {
        s = (odoo_event__socket *)calloc(1, sizeof(*s));
        if (!s)
            return; /* unwatched: the transfer ends on libcurl's own timeout */
        if (!(s->ev = event_new(st->base, (evutil_socket_t)fd, events, odoo_event__on_socket, s))) {
            free(s);
            return;
        }
        s->st = st;
        s->fd = fd;
        s->next = st->sockets;
        if (st->sockets)
            st->sockets->prev = s;
        st->sockets = s;
        odoo_multi_assign(st->m, fd, s, NULL);
    } else {
        event_del(s->ev); /* event_assign wants it not pending */
        event_assign(s->ev, st->base, (evutil_socket_t)fd, events, odoo_event__on_socket, s);
    }
    event_add(s->ev, NULL);
}

static inline void odoo_event__timer_cb(long timeout_ms, void *userdata)
{
    odoo_event__state *st = (odoo_event__state *)userdata;
    if (timeout_ms < 0) {
        event_del(st->timer);
        return;
    }
    /* 0 fires in the base's next round, never from inside the multi */
    struct timeval tv;
    tv.tv_sec = timeout_ms / 1000;
    tv.tv_usec = (timeout_ms % 1000) * 1000;
    event_add(st->timer, &tv);
}

/** Stop driving m from its base and release the adapter (see above for
 *  when its memory goes). Nothing attached: nothing done. */
static inline void odoo_event_detach(odoo_multi *m)
{
    odoo_event__state *st = (odoo_event__state *)odoo_multi_adapter(m);
    if (!st || st->tag != ODOO_EVENT__TAG) /* none, or another loop's adapter */
        return;
    odoo_multi_set_socket_callback(m, NULL, NULL, NULL);
    odoo_multi_set_timer_callback(m, NULL, NULL, NULL);
    odoo_multi_set_adapter(m, NULL, NULL, NULL);
    while (st->sockets)
        odoo_event__unwatch(st, st->sockets);
    event_del(st->timer);
    st->m = NULL;
    if (st->depth == 0)
        odoo_event__reap(st);
}

static inline void odoo_event__multi_freed(odoo_multi *m, void *data)
{
    (void)data;
    odoo_event_detach(m);
}

/** Drive m from base (both borrowed: the base must outlive the
 *  attachment). ODOO_ERR_INVALID_ARGUMENT: NULL m or base, or m attached
 *  already (to any loop); ODOO_ERR_NOMEM. Calls added before attaching
 *  start from the base's next round. */
static inline int odoo_event_attach(odoo_multi *m, struct event_base *base, odoo_rpc_error *err)
{
    if (!m || !base)
        return odoo_error_set(err, ODOO_ERR_INVALID_ARGUMENT, "multi or event_base is NULL");
    if (odoo_multi_adapter(m))
        return odoo_error_set(err, ODOO_ERR_INVALID_ARGUMENT, "an event loop is attached to this multi already");
    odoo_event__state *st = (odoo_event__state *)calloc(1, sizeof(*st));
    if (!st)
        return odoo_error_nomem(err);
    st->tag = ODOO_EVENT__TAG;
    st->base = base;
    st->last_error = (odoo_rpc_error)ODOO_RPC_ERROR_INIT;
    if (!(st->timer = evtimer_new(base, odoo_event__on_timer, st))) {
        free(st);
        return odoo_error_nomem(err);
    }
    int rc = odoo_multi_set_adapter(m, st, odoo_event__multi_freed, err);
    if (rc != 0) {
        odoo_event__reap(st); /* st->m is NULL: frees it */
        return rc;
    }
    st->m = m;
    odoo_multi_set_socket_callback(m, odoo_event__socket_cb, st, NULL);
    odoo_multi_set_timer_callback(m, odoo_event__timer_cb, st, NULL); /* reports the calls waiting */
    return 0;
}

/** The last error of a socket action the base ran for m (borrowed, until
 *  the next one or the detach); NULL: none, or not attached. */
static inline const odoo_rpc_error *odoo_event_last_error(const odoo_multi *m)
{
    const odoo_event__state *st = (const odoo_event__state *)odoo_multi_adapter(m);
    return st && st->tag == ODOO_EVENT__TAG && st->last_error.kind != ODOO_OK ? &st->last_error : NULL;
}

ODOO_END_DECLS

#endif
