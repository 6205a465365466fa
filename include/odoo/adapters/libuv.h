/*
 * libodoo — drive an odoo_multi from a libuv loop. Header-only: include it
 * in one or more files of a program that links libuv (pkg-config libuv);
 * libodoo itself does not depend on libuv.
 *
 *     odoo_multi_new(&m, NULL, &err);
 *     odoo_uv_attach(m, loop, &err);
 *     odoo_multi_add(m, conn, …, on_done, data, &err);   // before or after attaching
 *     uv_run(loop, UV_RUN_DEFAULT);                       // returns when every call is done
 *     odoo_multi_free(m);                                 // or odoo_uv_detach(m), then free
 *     uv_run(loop, UV_RUN_DEFAULT);                       // the adapter's handles close
 *     uv_loop_close(loop);                                // 0
 *
 * What it does: a uv_timer_t for the multi's timer, and a uv_poll_t per
 * socket, created when libcurl first asks to watch the socket and closed
 * on ODOO_POLL_REMOVE. The loop holds no active handle once no call
 * is running, so uv_run returns.
 *
 * Ownership and lifetime:
 * - The adapter's state belongs to the multi it is attached to (stored with
 *   odoo_multi_set_adapter). It is released by odoo_uv_detach(m) or by
 *   odoo_multi_free(m), whichever comes first; the caller never frees it.
 * - Releasing closes the handles with uv_close; the memory goes in their
 *   close callbacks, in a later iteration of the loop. So run the loop once
 *   more after detaching or freeing the multi, before uv_loop_close (which
 *   says UV_EBUSY until then). Detach, or free the multi, before the loop is
 *   closed.
 * - A second attach of the same multi (to any loop, by any adapter) is
 *   refused with ODOO_ERR_INVALID_ARGUMENT; detach first.
 * - The multi may be freed from a call's callback (that is, from inside the
 *   adapter's own poll or timer callback): the free waits until the socket
 *   action returns, and the adapter touches neither the multi nor a handle's
 *   memory after it. Its handles close as above.
 * - Detaching while calls run leaves them where they are: libcurl does not
 *   announce again the sockets it watches, so attaching again would not see
 *   them. Finish such calls with odoo_multi_perform, or free the multi.
 * - odoo_multi_socket_action's errors (libcurl's own, out of memory) have no
 *   caller to go to here: the last one is kept in odoo_uv_last_error(m).
 * - Like the multi, one thread: the loop's.
 *
 * uv.h itself wants POSIX: under a strict -std=c11 (not gnu11), define
 * _POSIX_C_SOURCE (200112L or later) before the first system header.
 */
#ifndef ODOO_ADAPTERS_LIBUV_H
#define ODOO_ADAPTERS_LIBUV_H

#include <stdlib.h>

#include <uv.h>

#include "../multi.h"
#include "../sys/errors.h"

ODOO_BEGIN_DECLS

typedef struct odoo_uv__state odoo_uv__state;

#define ODOO_UV__TAG 0x6f647576u    /* "oduv": the multi's adapter is this one */

/* One watched socket. */
typedef struct odoo_uv__socket {
    uv_poll_t poll;                 /* first: the handle's address is the struct's */
    odoo_uv__state *st;
    struct odoo_uv__socket *prev, *next;
    int fd;
} odoo_uv__socket;

struct odoo_uv__state {
    unsigned int tag;               /* ODOO_UV__TAG */
    odoo_multi *m;                  /* NULL once detached */
    uv_loop_t *loop;
    uv_timer_t timer;
    odoo_uv__socket *sockets;       /* watched, so that detach can close them */
    int open_handles;               /* closes still to come before the state is freed */
    odoo_rpc_error last_error;      /* the last failed socket action */
};

static inline void odoo_uv__closed(uv_handle_t *h)
{
    odoo_uv__state *st;
    if (h->type == UV_POLL) {
        odoo_uv__socket *s = (odoo_uv__socket *)h->data;
        st = s->st;
        free(s);
    } else {
        st = (odoo_uv__state *)h->data;
    }
    if (--st->open_handles == 0 && !st->m) {
        odoo_rpc_error_clear(&st->last_error);
        free(st);
    }
}

static inline void odoo_uv__action(odoo_uv__state *st, int fd, int events)
{
    odoo_rpc_error e = ODOO_RPC_ERROR_INIT;
    /* A callback may free the multi inside: m is gone then, st not (it
     * goes in its handles' close callbacks, later). */
    if (odoo_multi_socket_action(NULL, st->m, fd, events, &e) != 0) {
        odoo_rpc_error_clear(&st->last_error);
        st->last_error = e;
    }
}

static inline void odoo_uv__on_poll(uv_poll_t *h, int status, int events)
{
    odoo_uv__socket *s = (odoo_uv__socket *)h->data;
    int ev = 0;
    if (status < 0)
        ev = ODOO_CSELECT_ERR;
    if (events & UV_READABLE)
        ev |= ODOO_CSELECT_IN;
    if (events & UV_WRITABLE)
        ev |= ODOO_CSELECT_OUT;
    if (s->st->m)
        odoo_uv__action(s->st, s->fd, ev);
}

static inline void odoo_uv__on_timer(uv_timer_t *t)
{
    odoo_uv__state *st = (odoo_uv__state *)t->data;
    if (st->m)
        odoo_uv__action(st, ODOO_MULTI_SOCKET_TIMEOUT, 0);
}

static inline void odoo_uv__unwatch(odoo_uv__state *st, odoo_uv__socket *s)
{
    if (s->prev)
        s->prev->next = s->next;
    else
        st->sockets = s->next;
    if (s->next)
        s->next->prev = s->prev;
    uv_close((uv_handle_t *)&s->poll, odoo_uv__closed);
}

static inline void odoo_uv__socket_cb(int fd, int what, void *userdata)
{
    odoo_uv__state *st = (odoo_uv__state *)userdata;
    odoo_uv__socket *s = (odoo_uv__socket *)odoo_multi_socket_data(st->m);
    if (what == ODOO_POLL_REMOVE) {
        if (s) {
            odoo_multi_assign(st->m, fd, NULL, NULL);
            odoo_uv__unwatch(st, s);
        }
        return;
    }
    if (!s) {
        s = (odoo_uv__socket *)calloc(1, sizeof(*s));
        if (!s)
            return; /* unwatched: the transfer ends on libcurl's own timeout */
        if (uv_poll_init_socket(st->loop, &s->poll, (uv_os_sock_t)fd) != 0) {
            free(s);
            return;
        }
        s->poll.data = s;
        s->st = st;
        s->fd = fd;
        s->next = st->sockets;
        if (st->sockets)
            st->sockets->prev = s;
        st->sockets = s;
        st->open_handles++;
        odoo_multi_assign(st->m, fd, s, NULL);
    }
    int events = ((what & ODOO_POLL_IN) ? UV_READABLE : 0) | ((what & ODOO_POLL_OUT) ? UV_WRITABLE : 0);
    uv_poll_start(&s->poll, events, odoo_uv__on_poll);
}

static inline void odoo_uv__timer_cb(long timeout_ms, void *userdata)
{
    odoo_uv__state *st = (odoo_uv__state *)userdata;
    if (timeout_ms < 0)
        uv_timer_stop(&st->timer);
    else /* 0 fires in the loop's next iteration, never from inside the multi */
        uv_timer_start(&st->timer, odoo_uv__on_timer, (uint64_t)timeout_ms, 0);
}

/** Stop driving m from its loop and release the adapter (its handles
 *  close in the loop's next iteration). Nothing attached: nothing done. */
static inline void odoo_uv_detach(odoo_multi *m)
{
    odoo_uv__state *st = (odoo_uv__state *)odoo_multi_adapter(m);
    if (!st || st->tag != ODOO_UV__TAG) /* none, or another loop's adapter */
        return;
    odoo_multi_set_socket_callback(m, NULL, NULL, NULL);
    odoo_multi_set_timer_callback(m, NULL, NULL, NULL);
    odoo_multi_set_adapter(m, NULL, NULL, NULL);
    while (st->sockets) {
        odoo_multi_assign(m, st->sockets->fd, NULL, NULL);
        odoo_uv__unwatch(st, st->sockets);
    }
    st->m = NULL;
    uv_timer_stop(&st->timer);
    uv_close((uv_handle_t *)&st->timer, odoo_uv__closed);
}

static inline void odoo_uv__multi_freed(odoo_multi *m, void *data)
{
    (void)data;
    odoo_uv_detach(m);
}

/** Drive m from loop (both borrowed: the loop must outlive the
 *  attachment). ODOO_ERR_INVALID_ARGUMENT: NULL m or loop, or m attached
 *  already (to any loop); ODOO_ERR_NOMEM. Calls added before attaching
 *  start from the loop's next iteration. */
static inline int odoo_uv_attach(odoo_multi *m, uv_loop_t *loop, odoo_rpc_error *err)
{
    if (!m || !loop)
        return odoo_error_set(err, ODOO_ERR_INVALID_ARGUMENT, "multi or loop is NULL");
    if (odoo_multi_adapter(m))
        return odoo_error_set(err, ODOO_ERR_INVALID_ARGUMENT, "an event loop is attached to this multi already");
    odoo_uv__state *st = (odoo_uv__state *)calloc(1, sizeof(*st));
    if (!st)
        return odoo_error_nomem(err);
    st->tag = ODOO_UV__TAG;
    st->loop = loop;
    st->last_error = (odoo_rpc_error)ODOO_RPC_ERROR_INIT;
    if (uv_timer_init(loop, &st->timer) != 0) {
        free(st);
        return odoo_error_nomem(err);
    }
    st->timer.data = st;
    st->open_handles = 1;
    int rc = odoo_multi_set_adapter(m, st, odoo_uv__multi_freed, err);
    if (rc != 0) {
        uv_close((uv_handle_t *)&st->timer, odoo_uv__closed); /* frees st: st->m is NULL */
        return rc;
    }
    st->m = m;
    odoo_multi_set_socket_callback(m, odoo_uv__socket_cb, st, NULL);
    odoo_multi_set_timer_callback(m, odoo_uv__timer_cb, st, NULL); /* reports the calls waiting */
    return 0;
}

/** The last error of a socket action the loop ran for m (borrowed, until
 *  the next one or the detach); NULL: none, or not attached. */
static inline const odoo_rpc_error *odoo_uv_last_error(const odoo_multi *m)
{
    const odoo_uv__state *st = (const odoo_uv__state *)odoo_multi_adapter(m);
    return st && st->tag == ODOO_UV__TAG && st->last_error.kind != ODOO_OK ? &st->last_error : NULL;
}

ODOO_END_DECLS

#endif
