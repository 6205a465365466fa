/* odoo_multi: many calls in flight, each one the core's call sequence (an
 * odoo__task, task.c) whose exchanges go through one libcurl multi
 * handle instead of curl_easy_perform. A connection has one easy handle
 * and its adapter one request being encoded, so it runs one call at a
 * time: the calls on it wait in the order added (p->busy names the one
 * running); connections run in parallel.
 *
 * odoo_multi_perform drives libcurl by socket actions, as an event loop
 * would: the multi keeps the sockets libcurl wants watched (its socket
 * callback, installed for the multi's life, fills m->fds), polls them
 * itself and acts only on the ready ones. curl_multi_perform would visit
 * every transfer on every wake, a poll of its socket each: O(n) a wake
 * with n in flight. Measured with bench/callgrind-parallel.sh full (16 in
 * flight): perform and curl_multi_poll cost 5 to 11 k instructions a call
 * more than these socket actions, on every protocol. Against a blocking
 * call, a call in the multi costs some 6 k more on libcurl 7.88 (the
 * socket table it keeps after every step of a transfer in socket-action
 * mode; this file's own work is about 1 k) and 5 to 6 k less on libcurl
 * 8.14, where a blocking call costs 10 to 15 k more and a call in the
 * multi about the same (scripts/libcurl8.sh counts on 8.14). */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <json-c/json.h>

#include "odoo/multi.h"
#include "../errors/error_internal.h"
#include "base.h"
#include "global.h"
#include "rows.h"
#include "secret.h"
#include "task.h"
#include "value.h"

#define CANCEL_POLL_MS 50L   /* how often a cancel flag is looked at when nothing else wakes us */
#define IDLE_POLL_MS 1000L   /* the longest wait when libcurl names no timeout */

enum {
    M_QUEUED, M_SENDING, M_WAITING,
    /* a pulled read (odoo_rows) whose consumer has records to take first: */
    M_DRAIN_BODY,   /* the transfer ended, its CURLcode held until the cursor's last records are taken */
    M_DRAIN_PAGE    /* a page decoded whole, its records in the stream's dom cursor */
};

/* A streamed read (odoo_multi_add_rows, odoo_rows): its pages, one call
 * task each, on the call's connection until the read is complete. */
typedef struct mrows {
    odoo__stream s;
    odoo__pages g;
    odoo__rows_out out;             /* pushed: on_row, for the caller's row */
    odoo_row_cb row;                /* NULL: pulled */
    odoo_multi *m;
    json_object *domain, *context;  /* own references */
    char **fields;                  /* a copy of opts->fields */
    int held;                       /* M_DRAIN_BODY: the transfer's CURLcode */
} mrows;

typedef struct mcall {
    struct mcall *next, *prev;
    odoo_protocol *p;
    int state;                      /* M_*: waiting for its connection, a transfer, or the task's wake_ms */
    char *model, *method;           /* copies, in the call's own block (call_new) */
    json_object *ids, *args, *kwargs, *context;  /* own references */
    odoo__prepared_call pc;
    odoo__limits lim;
    long long added_ms;
    odoo__task task;
    odoo_rpc_error own_err;
    odoo_rpc_error *err;            /* &own_err, or odoo_call_many's slot */
    odoo_multi_callback cb;
    void *userdata;
    mrows *rows;                    /* a streamed read, or NULL */
    struct mcall *ready_next;       /* in m->ready: its connection was freed for it */
    int ready;
} mcall;

struct odoo_multi {
    CURLM *cm;
    mcall *head, *tail;             /* unfinished calls, in the order added */
    size_t count;
    odoo_multi_socket_callback socket_cb;
    void *socket_data;
    odoo_multi_timer_callback timer_cb;
    void *timer_data;
    long long reported_at;          /* what the timer callback was told last (absolute); -2: nothing */
    void *adapter;                  /* an event-loop adapter's state, and its hook for odoo_multi_free */
    odoo_multi_adapter_free adapter_free;
    int socket_fd;                  /* the fd the socket callback runs for; -1: none runs */
    void *socket_ctx;               /* its odoo_multi_assign data */
    int depth;                      /* perform / socket actions running (callbacks inside them) */
    int free_pending;               /* odoo_multi_free was called inside one: free when it returns */
    int freeing;
    struct pollfd *fds, *polled;    /* the sockets libcurl watches, and their copy that poll() fills */
    size_t nfds, capfds;
    int fds_lost;                   /* the table could not grow: perform falls back to curl_multi_perform */
    int dirty;                      /* a call was added or set a wake: sweep now */
    mcall *ready;                   /* calls whose connection a finished call freed: start them, no sweep */
    long long due;                  /* else the next sweep's time (absolute); -1: none */
};

static void rows_free(mrows *r)
{
    if (!r)
        return;
    odoo__stream_release(&r->s);
    odoo__pages_release(&r->g);
    json_object_put(r->domain);
    json_object_put(r->context);
    for (char **f = r->fields; f && *f; f++)
        free(*f);
    free(r->fields);
    free(r);
}

/* A zeroed call with copies of model and method (either may be NULL) in
 * the same block: one allocation a call, not three. NULL: no memory. */
static mcall *call_new(const char *model, const char *method)
{
    size_t lm = model ? strlen(model) + 1 : 0, lf = method ? strlen(method) + 1 : 0;
    if (lm > SIZE_MAX - sizeof(mcall) - lf)
        return NULL;
    mcall *mc = calloc(1, sizeof(*mc) + lm + lf);
    if (!mc)
        return NULL;
    char *tail = (char *)(mc + 1);
    if (model)
        mc->model = memcpy(tail, model, lm);
    if (method)
        mc->method = memcpy(tail + lm, method, lf);
    mc->own_err = (odoo_rpc_error)ODOO_RPC_ERROR_INIT;
    return mc;
}

static void call_free(mcall *mc)
{
    rows_free(mc->rows);
    odoo__call_release(&mc->pc);
    json_object_put(mc->ids);
    json_object_put(mc->args);
    json_object_put(mc->kwargs);
    json_object_put(mc->context);
    odoo_rpc_error_clear(&mc->own_err);
    free(mc);
}

static void unready(odoo_multi *m, mcall *mc)
{
    if (!mc->ready)
        return;
    mcall **at = &m->ready; /* as long as the connections that freed at once */
    while (*at != mc)
        at = &(*at)->ready_next;
    *at = mc->ready_next;
    mc->ready = 0;
}

/* A call held p and ended: the next call added on p is the one that may
 * start now (a connection runs its calls in the order added, so it comes
 * after mc): it goes to m->ready, not a sweep of every call. */
static void hand_over(odoo_multi *m, const mcall *mc)
{
    for (mcall *x = mc->next; x; x = x->next)
        if (x->p == mc->p) {
            if (x->state == M_QUEUED && !x->ready) {
                x->ready = 1;
                x->ready_next = m->ready;
                m->ready = x;
            }
            return;
        }
}

static void unlink_call(odoo_multi *m, mcall *mc)
{
    unready(m, mc);
    if (mc->prev)
        mc->prev->next = mc->next;
    else
        m->head = mc->next;
    if (mc->next)
        mc->next->prev = mc->prev;
    else
        m->tail = mc->prev;
    m->count--;
}

/* The call ended with rc: free its connection, call back, forget it. */
static void finish(odoo_multi *m, mcall *mc, int rc)
{
    if (mc->state != M_QUEUED) {
        odoo__limits_end(mc->p);
        mc->p->busy = NULL;
    }
    json_object *result = rc == 0 ? mc->task.result : NULL;
    if (rc == 0 && mc->rows) /* a read's result: how many records it gave */
        result = json_object_new_int64((int64_t)mc->rows->s.total);
    if (rc != 0)
        odoo__finish_error(mc->p, mc->err, mc->model, mc->method);
    if (mc->state != M_QUEUED)
        hand_over(m, mc);
    unlink_call(m, mc);
    mc->cb(result, rc != 0 ? mc->err : NULL, mc->userdata);
    call_free(mc);
}

static void rows_page_done(odoo_multi *m, mcall *mc, int rc);

/* Step the task until it waits for a transfer or a wake, or is done. */
static void advance(odoo_multi *m, mcall *mc)
{
    for (;;) {
        int what = odoo__task_step(&mc->task);
        if (what == ODOO__TASK_SEND) {
            odoo_http *h = mc->p->http;
            const odoo_http_request *req = &mc->task.x->request;
            odoo_http_response resp;
            int rc = odoo__http_begin(h, req, &resp, mc->err);
            if (rc == 0) {
                CURL *e = odoo__http_easy(h);
                curl_easy_setopt(e, CURLOPT_PRIVATE, (void *)mc);
                /* Over TLS, wait for a connection being set up to the same
                 * host rather than open another: ALPN may make it h2, and
                 * then it multiplexes. Plain HTTP is 1.1: never wait. */
                if (strncmp(odoo_http_base_url(h), "https:", 6) == 0)
                    curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
                if (curl_multi_add_handle(m->cm, e) == CURLM_OK) {
                    mc->state = M_SENDING;
                    if (mc->lim.cancel) /* its flag is polled */
                        m->dirty = 1;
                    return;
                }
                rc = odoo__http_finish(h, req, CURLE_OUT_OF_MEMORY, &resp, mc->err);
            }
            odoo__task_answer(&mc->task, rc, &resp);
        } else if (what == ODOO__TASK_WAIT) {
            mc->state = M_WAITING;
            m->dirty = 1; /* a new wake_ms */
            return;
        } else if (mc->rows) {
            rows_page_done(m, mc, mc->task.rc);
            return;
        } else {
            finish(m, mc, mc->task.rc);
            return;
        }
    }
}

/* A streamed read's next page, or its end. */
static void rows_page(odoo_multi *m, mcall *mc)
{
    mrows *r = mc->rows;
    int rc = odoo__pages_next(&r->g, &r->s, mc->err);
    if (rc != 1) {
        finish(m, mc, rc);
        return;
    }
    odoo__task_init(&mc->task, mc->p, ODOO__TASK_CALL, mc->err);
    mc->task.spec = &r->g.pc.spec;
    mc->task.stream = r->g.streamed ? &r->s : NULL;
    advance(m, mc);
}

/* A page's call ended with rc: its records out (a page decoded whole:
 * pushed now, or left for the consumer), then the next page. */
static void rows_page_done(odoo_multi *m, mcall *mc, int rc)
{
    mrows *r = mc->rows;
    if (rc == 0 && !r->g.streamed)
        rc = odoo__stream_deliver_dom(&r->s, mc->task.result, mc->err);
    json_object_put(mc->task.result);
    mc->task.result = NULL;
    if (rc || r->s.stop)
        finish(m, mc, rc);
    else if (r->s.dom)
        mc->state = M_DRAIN_PAGE;
    else
        rows_page(m, mc);
}

/* The exchange's second half, the handle out of the multi. */
static void transfer_end(odoo_multi *m, mcall *mc, int code)
{
    (void)m;
    odoo_http *h = mc->p->http;
    mc->state = M_WAITING;
    odoo_http_response resp;
    int rc = odoo__http_finish(h, &mc->task.x->request, code, &resp, mc->err);
    odoo__task_answer(&mc->task, rc, &resp);
}

/* A pulled read's transfer that ended well while its cursor still holds
 * records: the exchange ends once the consumer took them (drained). */
static int rows_hold(mcall *mc, int code)
{
    mrows *r = mc->rows;
    if (!r || !r->s.pull || code != CURLE_OK || !r->s.cur || r->s.failed || r->s.stop ||
        mc->task.x->op != ODOO_OP_CALL)
        return 0;
    odoo_cursor_finish(r->s.cur);
    r->s.body_done = 1;
    r->held = code;
    mc->state = M_DRAIN_BODY;
    return 1;
}

/* A pulled read's paused transfer that ends now: resumed first, what curl
 * held going nowhere, so that no pause outlives it on the handle. */
static void rows_unpause(mcall *mc)
{
    mrows *r = mc->rows;
    if (r && r->s.paused) {
        r->s.paused = 0;
        r->s.discard = 1;
        curl_easy_pause(odoo__http_easy(mc->p->http), CURLPAUSE_CONT);
    }
}

/* The transfer ended with code (a CURLcode): the exchange's second half. */
static void transfer_done(odoo_multi *m, mcall *mc, int code)
{
    rows_unpause(mc); /* a cancel flag ends a paused one */
    curl_multi_remove_handle(m->cm, odoo__http_easy(mc->p->http));
    if (rows_hold(mc, code))
        return;
    transfer_end(m, mc, code);
    advance(m, mc);
}

/* End a read's transfer before its body did (the consumer closed, or met
 * an error in what it read): the exchange ends as a stopped one does. */
static void rows_cut(odoo_multi *m, mcall *mc)
{
    mrows *r = mc->rows;
    if (mc->state == M_SENDING) {
        rows_unpause(mc);
        curl_multi_remove_handle(m->cm, odoo__http_easy(mc->p->http));
        transfer_end(m, mc, CURLE_ABORTED_BY_CALLBACK);
    } else if (mc->state == M_DRAIN_BODY) {
        transfer_end(m, mc, r->held);
    }
}

static void activate(odoo_multi *m, mcall *mc)
{
    odoo_protocol *p = mc->p;
    unready(m, mc);
    p->busy = mc;
    mc->state = M_WAITING;
    odoo__limits_begin_at(p, &mc->lim, mc->added_ms);
    if (mc->rows) {
        rows_page(m, mc);
        return;
    }
    odoo__task_init(&mc->task, p, ODOO__TASK_CALL, mc->err);
    mc->task.spec = &mc->pc.spec;
    advance(m, mc);
}

static long long deadline_of(const mcall *mc)
{
    return mc->lim.timeout_ms > 0 ? mc->added_ms + mc->lim.timeout_ms : 0;
}

static int read_messages(odoo_multi *m)
{
    int changed = 0, left;
    CURLMsg *msg;
    while (!m->free_pending && (msg = curl_multi_info_read(m->cm, &left))) {
        if (msg->msg != CURLMSG_DONE)
            continue;
        CURLcode code = msg->data.result; /* msg dies with the handle's removal */
        char *priv = NULL;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &priv);
        if (priv) {
            transfer_done(m, (mcall *)(void *)priv, (int)code);
            changed = 1;
        }
    }
    return changed;
}

/* The earliest time a call needs a sweep, absolute; -1: none. */
static long long sweep_due(const odoo_multi *m, long long now)
{
    long long at = -1;
    for (const mcall *mc = m->head; mc; mc = mc->next) {
        long long t = -1;
        if (mc->state == M_QUEUED)
            t = !mc->p->busy ? now : deadline_of(mc) ? deadline_of(mc) : -1;
        else if (mc->state == M_WAITING)
            t = mc->task.wake_ms;
        if (mc->lim.cancel && (t < 0 || t > now + CANCEL_POLL_MS))
            t = now + CANCEL_POLL_MS;
        if (t >= 0 && (at < 0 || t < at))
            at = t;
    }
    return at;
}

/* A queued call's cancel flag or timeout ended it: rc; else 0. */
static int queued_expired(mcall *mc)
{
    if (!mc->lim.cancel && !deadline_of(mc))
        return 0;
    return odoo__limits_expired(mc->lim.cancel, deadline_of(mc), mc->lim.timeout_ms, mc->err);
}

/* Start the calls whose connection was handed over (m->ready). */
static void start_ready(odoo_multi *m)
{
    mcall *mc;
    while (!m->free_pending && (mc = m->ready)) {
        unready(m, mc);
        int rc = queued_expired(mc);
        if (rc) {
            hand_over(m, mc); /* it ends in the queue: the connection goes on to the next */
            finish(m, mc, rc);
        } else if (!mc->p->busy)
            activate(m, mc);
    }
}

/* Start what may start, wake what is due, end what its limits end: when
 * something changed or is due, not on every wake (a walk of every call).
 * A connection freed by a finished call alone needs no walk: its next
 * call is in m->ready, and m->due stays a bound (what it counted ended
 * or started). */
static int sweep(odoo_multi *m)
{
    /* A callback freed the multi: nothing may start, and what is in
     * m->ready stays there for multi_free_now (which cancels it); saying
     * "changed" here would spin pump() forever. */
    if (m->free_pending)
        return 0;
    int changed = 0;
    long long now = odoo__now_ms();
    if (!m->dirty && (m->due < 0 || now < m->due)) {
        if (!m->ready)
            return 0;
        start_ready(m);
        return 1;
    }
    m->dirty = 0;
    mcall *next;
    for (mcall *mc = m->head; mc && !m->free_pending; mc = next) {
        next = mc->next; /* mc may end here; calls added meanwhile go to the tail */
        if (mc->state == M_QUEUED) {
            int rc = queued_expired(mc);
            if (rc) {
                finish(m, mc, rc);
                changed = 1;
            } else if (!mc->p->busy) {
                activate(m, mc);
                changed = 1;
            }
        } else if (mc->state == M_WAITING && now >= mc->task.wake_ms) {
            advance(m, mc);
            changed = 1;
        } else if (mc->state == M_SENDING && mc->lim.cancel && *mc->lim.cancel) {
            /* as the transport's progress callback would, without waiting for it */
            transfer_done(m, mc, CURLE_ABORTED_BY_CALLBACK);
            changed = 1;
        }
    }
    m->due = sweep_due(m, now);
    return changed;
}

/* The earliest time a call needs the multi again (libcurl's own timer
 * aside), absolute; -1: none. */
static long long next_event(const odoo_multi *m, long long now)
{
    return m->dirty || m->ready ? now : m->due;
}

static void pump(odoo_multi *m)
{
    while (read_messages(m) | sweep(m))
        ;
}

static long long wake_at(const odoo_multi *m, long long now)
{
    if (!m->count) /* no transfer either: whatever libcurl's timer says is stale */
        return -1;
    long long at = next_event(m, now);
    /* Asked, not remembered from its timer callback: a handle removed
     * between two actions takes its timeout along without a word. */
    long curl_ms = -1;
    curl_multi_timeout(m->cm, &curl_ms);
    if (curl_ms >= 0 && (at < 0 || now + curl_ms < at))
        at = now + curl_ms;
    return at;
}

static void report_timer(odoo_multi *m)
{
    if (!m->timer_cb || m->free_pending || m->freeing)
        return;
    long long now = odoo__now_ms();
    long long at = wake_at(m, now);
    if (at == m->reported_at && at > now)
        return;
    m->reported_at = at;
    m->timer_cb(at < 0 ? -1L : at <= now ? 0L : (long)(at - now), m->timer_data);
}

/* Record what libcurl wants of s in m->fds; 0, or -1 out of memory. */
static int track_socket(odoo_multi *m, curl_socket_t s, int what)
{
    size_t i = 0;
    while (i < m->nfds && m->fds[i].fd != (int)s)
        i++;
    if (what == CURL_POLL_REMOVE) {
        if (i < m->nfds)
            m->fds[i] = m->fds[--m->nfds];
        return 0;
    }
    if (i == m->nfds) {
        if (m->nfds == m->capfds) {
            size_t cap = m->capfds ? 2 * m->capfds : 16;
            struct pollfd *f = realloc(m->fds, cap * sizeof(*f));
            if (!f)
                return -1;
            m->fds = f;
            if (!(f = realloc(m->polled, cap * sizeof(*f))))
                return -1;
            m->polled = f;
            m->capfds = cap;
        }
        m->fds[m->nfds++] = (struct pollfd){ .fd = (int)s };
    }
    m->fds[i].events = (short)(((what & CURL_POLL_IN) ? POLLIN : 0) | ((what & CURL_POLL_OUT) ? POLLOUT : 0));
    return 0;
}

/* Installed for the multi's life: perform's table first, then the
 * event loop's socket callback, if any. */
static int on_socket(CURL *e, curl_socket_t s, int what, void *userp, void *socketp)
{
    odoo_multi *m = userp;
    (void)e;
    if (!m->fds_lost && track_socket(m, s, what) != 0)
        m->fds_lost = 1; /* not -1 to libcurl: that kills the whole multi */
    if (m->socket_cb) {
        m->socket_fd = (int)s;
        m->socket_ctx = socketp;
        m->socket_cb((int)s, what, m->socket_data);
        m->socket_fd = -1;
        m->socket_ctx = NULL;
    }
    return 0;
}

static int multi_error(CURLMcode c, odoo_rpc_error *err)
{
    if (c == CURLM_OUT_OF_MEMORY)
        return odoo__error_nomem(err);
    return odoo__error_set(err, c == CURLM_BAD_SOCKET ? ODOO_ERR_INVALID_ARGUMENT : ODOO_ERR_NETWORK,
                           "libcurl's multi interface failed: %s", curl_multi_strerror(c));
}

int odoo_multi_new(odoo_multi **out, const odoo_multi_options *opts, odoo_rpc_error *err)
{
    if (!out)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "out is NULL");
    *out = NULL;
    odoo__error_reset(err);
    if (opts && opts->version != ODOO_MULTI_OPTIONS_VERSION)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT,
                               "odoo_multi_options.version is unknown (start from ODOO_MULTI_OPTIONS_INIT)");
    if (odoo__global_init() != 0)
        return odoo__error_set(err, ODOO_ERR_NOMEM, "libcurl could not be initialised");
    odoo_multi *m = calloc(1, sizeof(*m));
    if (!m || !(m->cm = curl_multi_init())) {
        free(m);
        return odoo__error_nomem(err);
    }
    m->reported_at = -2;
    m->socket_fd = -1;
    m->due = -1;
    long host = opts && opts->max_host_connections ? opts->max_host_connections : ODOO_MULTI_HOST_CONNECTIONS;
    long total = opts && opts->max_total_connections > 0 ? opts->max_total_connections : 0;
    curl_multi_setopt(m->cm, CURLMOPT_MAX_HOST_CONNECTIONS, host > 0 ? host : 0L);
    curl_multi_setopt(m->cm, CURLMOPT_MAX_TOTAL_CONNECTIONS, total);
    /* Keep the idle connections the next calls will want: libcurl's
     * default pool is four per transfer still attached, which shrinks as
     * a batch ends and closes connections the next batch reopens. */
    curl_multi_setopt(m->cm, CURLMOPT_MAXCONNECTS, total > 0 ? total : host > 0 ? 4 * host : 64L);
    /* HTTP/2 where the server offers it (through TLS, by ALPN): the calls
     * to one host share one connection. */
    curl_multi_setopt(m->cm, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
    curl_multi_setopt(m->cm, CURLMOPT_SOCKETFUNCTION, on_socket);
    curl_multi_setopt(m->cm, CURLMOPT_SOCKETDATA, (void *)m);
    *out = m;
    return 0;
}

static void multi_free_now(odoo_multi *m)
{
    m->freeing = 1;
    while (m->head) { /* a callback may add calls: they end here too */
        mcall *mc = m->head;
        if (mc->rows) { /* its adapter releases the request as for a stop */
            mc->rows->s.stop = 1;
            rows_cut(m, mc);
        } else if (mc->state == M_SENDING) {
            odoo_http *h = mc->p->http;
            odoo_rpc_error scratch = ODOO_RPC_ERROR_INIT;
            odoo_http_response resp;
            curl_multi_remove_handle(m->cm, odoo__http_easy(h));
            odoo__http_finish(h, &mc->task.x->request, CURLE_ABORTED_BY_CALLBACK, &resp, &scratch);
            odoo_rpc_error_clear(&scratch);
        }
        finish(m, mc, odoo__error_set(mc->err, ODOO_ERR_CANCELLED,
                                      "the odoo_multi was freed before the call finished"));
    }
    if (m->adapter_free) /* its sockets are still open: it unwatches them and detaches */
        m->adapter_free(m, m->adapter);
    curl_multi_cleanup(m->cm); /* its sockets' REMOVE still come to on_socket */
    free(m->fds);
    free(m->polled);
    free(m);
}

void odoo_multi_free(odoo_multi *m)
{
    if (!m || m->freeing)
        return;
    if (m->depth > 0) { /* inside a callback: its caller still walks m */
        m->free_pending = 1;
        return;
    }
    multi_free_now(m);
}

/* The end of a perform or socket action: rc, or m freed by a callback. */
static int leave(odoo_multi *m, int rc)
{
    if (--m->depth == 0 && m->free_pending)
        multi_free_now(m);
    return rc;
}

static void store_result(json_object *result, const odoo_rpc_error *err, void *userdata)
{
    (void)err;
    if (userdata)
        *(json_object **)userdata = result;
    else
        json_object_put(result);
}

/* The end of every add: mc, filled, queued at the tail on p (a connection
 * runs its calls in the order added), its limits counting from now. */
static void enqueue(odoo_multi *m, mcall *mc, odoo_protocol *p, odoo_rpc_error *report, long timeout_ms,
                    const volatile int *cancel, odoo_multi_callback cb, void *userdata)
{
    mc->p = p;
    mc->err = report ? report : &mc->own_err;
    odoo__error_reset(mc->err);
    mc->lim.timeout_ms = timeout_ms;
    mc->lim.cancel = cancel;
    mc->added_ms = odoo__now_ms();
    mc->cb = cb;
    mc->userdata = userdata;
    mc->state = M_QUEUED;
    mc->prev = m->tail;
    if (m->tail)
        m->tail->next = mc;
    else
        m->head = mc;
    m->tail = mc;
    m->count++;
    m->dirty = 1;
    report_timer(m);
}

/* odoo_multi_add, the call reporting into report (NULL: its own). */
static int add_call(odoo_multi *m, odoo_protocol *p, const char *model, const char *method, json_object *ids,
                    json_object *args, json_object *kwargs, const odoo_call_options *opts,
                    odoo_multi_callback cb, void *userdata, odoo_rpc_error *report, odoo_rpc_error *err)
{
    odoo__error_reset(err);
    if (!m || !p || !cb)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "multi, connection or callback is NULL");
    if (!(opts = odoo__call_options(opts, err))) {
        odoo__finish_error(p, err, model, method);
        return ODOO_ERR_INVALID_ARGUMENT;
    }
    mcall *mc = call_new(model, method);
    if (!mc)
        return odoo__error_nomem(err);
    mc->ids = json_object_get(ids);
    mc->args = json_object_get(args);
    mc->kwargs = json_object_get(kwargs);
    mc->context = json_object_get(opts->context);
    int rc = odoo__call_prepare(&mc->pc, p, mc->model, mc->method, mc->ids, mc->args, mc->kwargs, mc->context, err);
    if (rc) {
        call_free(mc);
        return rc;
    }
    enqueue(m, mc, p, report, opts->timeout_ms, opts->cancel, cb, userdata);
    return 0;
}

int odoo_multi_add(odoo_multi *m, odoo_protocol *p, const char *model, const char *method, json_object *ids,
                   json_object *args, json_object *kwargs, const odoo_call_options *opts,
                   odoo_multi_callback cb, void *userdata, odoo_rpc_error *err)
{
    return add_call(m, p, model, method, ids, args, kwargs, opts, cb, userdata, NULL, err);
}

/* A pushed read's records: to the caller's callback while the multi is
 * not being freed. */
static int on_row(const odoo_cursor *row, void *payload)
{
    mcall *mc = payload;
    if (mc->rows->m->free_pending)
        return 1;
    return mc->rows->row(row, mc->userdata);
}

/* The read's own copies of what opts points to, into r->g's options. */
static int rows_own(mrows *r, const odoo_search_options *o)
{
    odoo_search_options *c = &r->g.o;
    r->domain = json_object_get(o->domain);
    r->context = json_object_get(o->context);
    c->domain = r->domain;
    c->context = r->context;
    c->fields = NULL;
    c->order = NULL; /* checked: NULL or empty; the pages order by id */
    if (o->fields) {
        size_t n = 0;
        while (o->fields[n])
            n++;
        if (!(r->fields = calloc(n + 1, sizeof(*r->fields))))
            return -1;
        for (size_t i = 0; i < n; i++)
            if (!(r->fields[i] = odoo__strdup(o->fields[i])))
                return -1;
        c->fields = (const char *const *)r->fields;
    }
    return 0;
}

/* odoo_multi_add_rows and odoo__multi_add_pull: row NULL is pulled. */
static int add_rows(void **call, odoo_multi *m, odoo_protocol *p, const char *model,
                    const odoo_search_options *opts, odoo_row_cb row, odoo_multi_callback done, void *userdata,
                    odoo_rpc_error *report, odoo_rpc_error *err)
{
    odoo__error_reset(err);
    if (!m || !p || !done)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "multi, connection or callback is NULL");
    odoo_search_options o;
    int rc = odoo__rows_options(p, model, opts, &o, err);
    if (rc)
        return rc;
    if (!odoo__valid_model_name(model)) {
        odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "invalid model name");
        odoo__finish_error(p, err, model, "search_read");
        return ODOO_ERR_INVALID_ARGUMENT;
    }
    mcall *mc = call_new(model, "search_read");
    mrows *r = mc ? calloc(1, sizeof(*r)) : NULL;
    if (!r) {
        free(mc);
        return odoo__error_nomem(err);
    }
    mc->rows = r;
    r->m = m;
    r->row = row;
    r->out.row = on_row;
    r->out.payload = mc;
    odoo__stream_init(&r->s, p, row ? &r->out : NULL);
    odoo__pages_init(&r->g, p, NULL, &o);
    if (rows_own(r, &o)) {
        call_free(mc);
        return odoo__error_nomem(err);
    }
    r->g.model = mc->model;
    enqueue(m, mc, p, report, o.timeout_ms, o.cancel, done, userdata);
    if (call)
        *call = mc;
    return 0;
}

int odoo_multi_add_rows(odoo_multi *m, odoo_protocol *p, const char *model, const odoo_search_options *opts,
                        odoo_row_cb row, odoo_multi_callback done, void *userdata, odoo_rpc_error *err)
{
    if (!row)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "no row callback given");
    return add_rows(NULL, m, p, model, opts, row, done, userdata, NULL, err);
}

int odoo__multi_add_pull(void **call, odoo_multi *m, odoo_protocol *p, const char *model,
                         const odoo_search_options *opts, odoo_multi_callback done, void *userdata,
                         odoo_rpc_error *report, odoo_rpc_error *err)
{
    return add_rows(call, m, p, model, opts, NULL, done, userdata, report, err);
}

size_t odoo_multi_running(const odoo_multi *m)
{
    return m ? m->count : 0;
}

/* How long perform may wait for a socket: libcurl's timer, the calls'
 * own events, the perform's end (end < 0: none), at most IDLE_POLL_MS. */
static long perform_wait(odoo_multi *m, long long now, long long end)
{
    long wait = -1;
    curl_multi_timeout(m->cm, &wait);
    if (wait < 0 || wait > IDLE_POLL_MS)
        wait = IDLE_POLL_MS;
    long long at = next_event(m, now);
    if (at >= 0 && at - now < wait)
        wait = at > now ? (long)(at - now) : 0;
    if (end >= 0 && end - now < wait)
        wait = end > now ? (long)(end - now) : 0;
    return wait;
}

/* Wait up to wait ms for the watched sockets, then act on the ready ones
 * and on libcurl's timer if it expired. */
static int drive(odoo_multi *m, long wait, odoo_rpc_error *err)
{
    int still = 0;
    CURLMcode c = CURLM_OK;
    if (m->fds_lost) { /* no table: libcurl's own wait and a visit of every transfer */
        if (wait > 0) /* wait 0 (a timer due) performs at once: skipping it spun without progress */
            c = curl_multi_poll(m->cm, NULL, 0, (int)wait, NULL);
        if (c == CURLM_OK)
            c = curl_multi_perform(m->cm, &still);
        return c == CURLM_OK ? 0 : multi_error(c, err);
    }
    size_t n = m->nfds; /* the actions change m->fds: walk what was polled */
    int ready = 0;
    if (n || wait > 0) {
        if (n)
            memcpy(m->polled, m->fds, n * sizeof(*m->polled));
        ready = poll(m->polled, (nfds_t)n, (int)wait);
        if (ready < 0 && errno != EINTR)
            return odoo__error_set(err, ODOO_ERR_NETWORK, "poll() failed: %s", strerror(errno));
    }
    for (size_t i = 0; ready > 0 && i < n; i++) {
        short re = m->polled[i].revents;
        if (!re)
            continue;
        ready--;
        int ev = ((re & (POLLIN | POLLHUP)) ? CURL_CSELECT_IN : 0) | ((re & POLLOUT) ? CURL_CSELECT_OUT : 0) |
                 ((re & (POLLERR | POLLNVAL)) ? CURL_CSELECT_ERR : 0);
        if ((c = curl_multi_socket_action(m->cm, (curl_socket_t)m->polled[i].fd, ev, &still)) != CURLM_OK)
            return multi_error(c, err);
    }
    long ms = -1;
    curl_multi_timeout(m->cm, &ms);
    if (ms == 0 && (c = curl_multi_socket_action(m->cm, CURL_SOCKET_TIMEOUT, 0, &still)) != CURLM_OK)
        return multi_error(c, err);
    return 0;
}

int odoo_multi_perform(odoo_multi *m, long timeout_ms, odoo_rpc_error *err)
{
    if (!m)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "multi is NULL");
    odoo__error_reset(err);
    long long end = timeout_ms >= 0 ? odoo__now_ms() + timeout_ms : -1;
    m->depth++;
    pump(m); /* start what may start: its transfers are due at once */
    for (;;) {
        if (!m->count || m->free_pending)
            return leave(m, 0);
        int rc = drive(m, perform_wait(m, odoo__now_ms(), end), err);
        if (rc != 0)
            return leave(m, rc);
        pump(m);
        if (!m->count || m->free_pending)
            return leave(m, 0);
        if (end >= 0 && odoo__now_ms() >= end)
            return leave(m, odoo__error_set(err, ODOO_ERR_TIMEOUT, "%zu call%s still running after %ld ms",
                                            m->count, m->count == 1 ? "" : "s", timeout_ms));
    }
}

/* A pulled read's cursor failed (or its limits ended it): the transfer
 * ends with that error, as the stream's error (the task may retry when no
 * record was taken yet, as when its write callback fails). */
static void rows_fail(odoo_multi *m, mcall *mc)
{
    mrows *r = mc->rows;
    if (mc->state == M_DRAIN_PAGE) {
        odoo_rpc_error_clear(mc->err);
        *mc->err = r->s.cerr;
        r->s.cerr = (odoo_rpc_error)ODOO_RPC_ERROR_INIT;
        finish(m, mc, r->s.failed);
        return;
    }
    rows_cut(m, mc);
    advance(m, mc);
}

int odoo__multi_pull(odoo_multi *m, void *const *call, const odoo_cursor **row, odoo_rpc_error *err)
{
    m->depth++; /* err: reset by the caller (once a record, odoo_rows_next) */
    for (;;) {
        mcall *mc = *call;
        if (!mc || m->free_pending)
            return leave(m, 0);
        mrows *r = mc->rows;
        int st = mc->state;
        /* the stream is read only while its own exchange is: not in a
         * login's, nor in a failed attempt's backoff */
        if (st == M_DRAIN_BODY || st == M_DRAIN_PAGE ||
            (st == M_SENDING && mc->task.stream && mc->task.x->op == ODOO_OP_CALL)) {
            int rc = mc->lim.cancel && *mc->lim.cancel ? odoo__limits_expired(mc->lim.cancel, 0, 0, &r->s.cerr)
                                                       : odoo__stream_pull(&r->s, row);
            if (rc == ODOO_CURSOR_ROW)
                return leave(m, rc);
            if (rc == 0 && st == M_SENDING)
                rc = odoo__limits_expired(NULL, deadline_of(mc), mc->lim.timeout_ms, &r->s.cerr);
            if (rc < 0) {
                r->s.failed = rc;
                rows_fail(m, mc);
                continue;
            }
            if (st == M_DRAIN_BODY) { /* every record taken: the exchange ends */
                transfer_end(m, mc, r->held);
                advance(m, mc);
                continue;
            }
            if (st == M_DRAIN_PAGE) {
                rows_page(m, mc);
                continue;
            }
            if (r->s.paused) { /* curl holds the next chunk: it comes now, or with the next action */
                r->s.paused = 0;
                curl_easy_pause(odoo__http_easy(mc->p->http), CURLPAUSE_CONT);
                continue;
            }
        }
        if ((st == M_QUEUED && !mc->p->busy) || m->dirty) { /* a queued read starts here; what is due runs */
            pump(m);
            continue;
        }
        int rc = drive(m, perform_wait(m, odoo__now_ms(), -1), err);
        if (rc != 0)
            return leave(m, rc);
        pump(m);
    }
}

int odoo_multi_set_socket_callback(odoo_multi *m, odoo_multi_socket_callback cb, void *userdata,
                                   odoo_rpc_error *err)
{
    if (!m)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "multi is NULL");
    m->socket_cb = cb; /* on_socket stays libcurl's: it forwards here */
    m->socket_data = userdata;
    return 0;
}

int odoo_multi_set_timer_callback(odoo_multi *m, odoo_multi_timer_callback cb, void *userdata,
                                  odoo_rpc_error *err)
{
    if (!m)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "multi is NULL");
    m->timer_cb = cb;
    m->timer_data = userdata;
    m->reported_at = -2;
    report_timer(m);
    return 0;
}

int odoo_multi_socket_action(size_t *running, odoo_multi *m, int fd, int events, odoo_rpc_error *err)
{
    if (!m)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "multi is NULL");
    odoo__error_reset(err);
    int still = 0;
    CURLMcode c = CURLM_OK;
    m->depth++;
    if (fd == ODOO_MULTI_SOCKET_TIMEOUT) {
        m->reported_at = -2; /* the timer fired: whatever comes next is news */
        pump(m);             /* start what waits, so that libcurl's timeout action takes it along */
        if (!m->free_pending)
            c = curl_multi_socket_action(m->cm, CURL_SOCKET_TIMEOUT, 0, &still);
    } else {
        c = curl_multi_socket_action(m->cm, (curl_socket_t)fd, events, &still);
    }
    if (c != CURLM_OK)
        return leave(m, multi_error(c, err));
    pump(m);
    report_timer(m);
    if (running)
        *running = m->free_pending ? 0 : m->count;
    return leave(m, 0);
}

int odoo_multi_set_adapter(odoo_multi *m, void *data, odoo_multi_adapter_free on_free, odoo_rpc_error *err)
{
    if (!m)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "multi is NULL");
    if (data && m->adapter)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "an event loop is attached to this multi already");
    m->adapter = data;
    m->adapter_free = data ? on_free : NULL;
    return 0;
}

void *odoo_multi_adapter(const odoo_multi *m)
{
    return m ? m->adapter : NULL;
}

int odoo_multi_assign(odoo_multi *m, int fd, void *data, odoo_rpc_error *err)
{
    if (!m)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "multi is NULL");
    CURLMcode c = curl_multi_assign(m->cm, (curl_socket_t)fd, data);
    if (c != CURLM_OK)
        return multi_error(c, err);
    if (fd == m->socket_fd)
        m->socket_ctx = data;
    return 0;
}

void *odoo_multi_socket_data(const odoo_multi *m)
{
    return m ? m->socket_ctx : NULL;
}

int odoo_multi_timeout(long *timeout_ms, odoo_multi *m, odoo_rpc_error *err)
{
    if (!timeout_ms || !m)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "timeout_ms or multi is NULL");
    long long now = odoo__now_ms();
    long long at = wake_at(m, now);
    *timeout_ms = at < 0 ? -1L : at <= now ? 0L : (long)(at - now);
    return 0;
}

int odoo_call_many(json_object **results, odoo_rpc_error *errors, const odoo_call_request *calls, size_t n,
                   const odoo_multi_options *opts, odoo_rpc_error *err)
{
    odoo__error_reset(err);
    if (n && !calls)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "calls is NULL");
    for (size_t i = 0; i < n; i++) {
        if (results)
            results[i] = NULL;
        if (calls[i].version != ODOO_CALL_REQUEST_VERSION)
            return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "calls[%zu].version is unknown (start from "
                                   "ODOO_CALL_REQUEST_INIT)", i);
    }
    odoo_rpc_error *e = errors;
    if (!e && n && !(e = calloc(n, sizeof(*e))))
        return odoo__error_nomem(err);
    for (size_t i = 0; i < n; i++)
        if (!errors)
            e[i] = (odoo_rpc_error)ODOO_RPC_ERROR_INIT;
    odoo_multi *m = NULL;
    int rc = odoo_multi_new(&m, opts, err);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const odoo_call_request *c = &calls[i];
        /* a refused call keeps its error in its slot; the others run */
        add_call(m, c->conn, c->model, c->method, c->ids, c->args, c->kwargs, c->opts, store_result,
                 results ? (void *)&results[i] : NULL, &e[i], &e[i]);
    }
    if (rc == 0)
        rc = odoo_multi_perform(m, -1, err);
    odoo_multi_free(m);
    if (rc == 0) {
        size_t failed = 0, first = 0;
        for (size_t i = n; i-- > 0;)
            if (e[i].kind != ODOO_OK) {
                failed++;
                first = i;
            }
        if (failed)
            rc = odoo__error_set(err, e[first].kind, "%zu of %zu calls failed; the first, call %zu: %s", failed, n,
                                 first, e[first].message ? e[first].message : "");
    }
    if (!errors) {
        for (size_t i = 0; i < n; i++)
            odoo_rpc_error_clear(&e[i]);
        free(e);
    }
    return rc;
}
