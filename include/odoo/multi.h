/*
 * libodoo — many calls in flight at once, on libcurl's multi interface.
 *
 *     odoo_multi *m = NULL;
 *     odoo_multi_new(&m, NULL, &err);
 *     for (i = 0; i < n; i++)
 *         odoo_multi_add(m, conns[i % nconns], "res.partner", "search_count", NULL, args, NULL,
 *                        NULL, on_done, &slots[i], &err);
 *     odoo_multi_perform(m, -1, &err);        // until every callback ran
 *     odoo_multi_free(m);
 *
 * Every call runs the sequence a blocking call runs (odoo_call_with):
 * PREPARE, the implicit login with the API key before the password, one
 * re-login of an expired web session, the retries of reads with backoff
 * and Retry-After, its own timeout and cancel flag.
 *
 * Order and parallelism: a connection runs one exchange at a time (its
 * transport is one libcurl easy handle, and its adapter keeps the request
 * being encoded in its state), so the calls added on one connection run
 * one after another, in the order added: a web session logs in before its
 * calls go out, inside the first of them. Calls on different connections
 * run in parallel; open as many connections as calls should be in flight
 * (a connection per worker). max_host_connections caps the TCP
 * connections to one host (CURLMOPT_MAX_HOST_CONNECTIONS): the transfers
 * past it wait in libcurl's queue. HTTP/2 multiplexing is libcurl's
 * default where the server offers it.
 *
 * Two ways to drive it: odoo_multi_perform() blocks until the calls are
 * done (or a timeout); an event loop instead registers a socket and a
 * timer callback (as CURLMOPT_SOCKETFUNCTION / CURLMOPT_TIMERFUNCTION do)
 * and calls odoo_multi_socket_action() when a socket is ready or the
 * timer expires. Use one way per multi. The header-only adapters in
 * <odoo/adapters/libuv.h> and <odoo/adapters/libevent.h> do that for
 * libuv and libevent.
 *
 * Threads: a multi and the connections with calls in it are used by one
 * thread at a time (callbacks run in the thread that drives the multi).
 * A connection with calls in a multi takes no other call (blocking or in
 * another multi: ODOO_ERR_INVALID_ARGUMENT) until they are done, and must
 * stay open until then (or until the multi is freed).
 */
#ifndef ODOO_MULTI_H
#define ODOO_MULTI_H

#include "common.h"
#include "errors.h"
#include "client.h"
#include "helpers.h"

ODOO_BEGIN_DECLS

typedef struct odoo_multi odoo_multi;

#define ODOO_MULTI_OPTIONS_VERSION 1
/** The default cap on TCP connections to one host. */
#define ODOO_MULTI_HOST_CONNECTIONS 8

/** A multi's settings. Zero means the default; members are appended in
 *  later versions, never reordered. */
typedef struct odoo_multi_options {
    unsigned int version;          /* ODOO_MULTI_OPTIONS_VERSION */
    long max_host_connections;     /* TCP connections (so transfers in flight) to one host at once:
                                      0 ODOO_MULTI_HOST_CONNECTIONS, < 0 no cap */
    long max_total_connections;    /* to every host together: 0 no cap */
} odoo_multi_options;

#ifdef __cplusplus
static inline odoo_multi_options odoo_multi_options_init_value_(void)
{
    odoo_multi_options o = {};
    o.version = ODOO_MULTI_OPTIONS_VERSION;
    return o;
}
#  define ODOO_MULTI_OPTIONS_INIT odoo_multi_options_init_value_()
#else
#  define ODOO_MULTI_OPTIONS_INIT { .version = ODOO_MULTI_OPTIONS_VERSION }
#endif

/** What a call gives when it finished: result is a new reference the
 *  callback owns (release it with json_object_put; NULL for Python None
 *  and on failure); err is NULL on success, else the call's error
 *  (borrowed until the callback returns). Called exactly once per added
 *  call, from odoo_multi_perform, odoo_multi_socket_action or
 *  odoo_multi_free (ODOO_ERR_CANCELLED). It may add calls, and it may
 *  free the multi: odoo_multi_free() inside a callback waits until the
 *  perform or socket action that runs it returns (no other call is
 *  called back before that but with ODOO_ERR_CANCELLED, from the free);
 *  m is not to be used after the free, not even by that callback. */
typedef void (*odoo_multi_callback)(json_object *result, const odoo_rpc_error *err, void *userdata);

/** A new multi; opts may be NULL (the defaults). *out is released with
 *  odoo_multi_free(). An unknown opts->version is ODOO_ERR_INVALID_ARGUMENT. */
ODOO_EXTERN(int) odoo_multi_new(odoo_multi **out, const odoo_multi_options *opts, odoo_rpc_error *err);

/** Free m. Calls not finished end now: their callbacks run with
 *  ODOO_ERR_CANCELLED (a transfer in flight is aborted); then an attached
 *  adapter's hook runs (odoo_multi_set_adapter). NULL is fine. Inside a
 *  call's callback the free is deferred (see odoo_multi_callback). */
ODOO_EXTERN(void) odoo_multi_free(odoo_multi *m);

/** Add model.browse(ids).method(*args, **kwargs) on connection p, as
 *  odoo_call_with() runs it (opts may be NULL; its timeout counts from
 *  now, queueing included). Nothing is sent yet: the call starts in the
 *  next odoo_multi_perform or odoo_multi_socket_action. The multi takes
 *  its own references to ids, args, kwargs and opts->context (do not
 *  change them until the callback ran) and copies model and method.
 *  A call refused here (invalid names or arguments, unknown opts
 *  version, NULL m, p or cb) returns its error and never calls back. */
ODOO_EXTERN(int) odoo_multi_add(odoo_multi *m, odoo_protocol *p, const char *model, const char *method,
                                json_object *ids, json_object *args, json_object *kwargs,
                                const odoo_call_options *opts, odoo_multi_callback cb, void *userdata,
                                odoo_rpc_error *err);

/** Add a streamed read on connection p: every record of model matching
 *  opts (NULL: every record), paged and checked as odoo_search_read_rows
 *  pages them (keyset pages by id; opts->offset, opts->limit, page_size;
 *  order NULL, "id" or "id asc"; opts->timeout_ms counts from now, over
 *  every page, and opts->cancel is watched), each record handed to row as
 *  it arrives, from inside odoo_multi_perform or odoo_multi_socket_action
 *  (row's cursor is valid during that call only; userdata is its
 *  payload). Reads on different connections stream at once. row's
 *  nonzero return stops the read (its transfer is aborted, the
 *  connection then reopened by its next call): that is no error. Then
 *  done runs once, as an odoo_multi_add call's callback: result a new
 *  integer, the number of records handed to row (NULL on failure), or
 *  err (a failure after records were handed out is an error, never a
 *  short success; retries only while no record of the page was handed
 *  out). The multi copies model and opts->fields and takes
 *  references to opts->domain and opts->context (do not change them
 *  until done ran). A read refused here (invalid options or model, NULL
 *  m, p, row or done) returns its error and never calls back. */
ODOO_EXTERN(int) odoo_multi_add_rows(odoo_multi *m, odoo_protocol *p, const char *model,
                                     const odoo_search_options *opts, odoo_row_cb row, odoo_multi_callback done,
                                     void *userdata, odoo_rpc_error *err);

/** Run the calls until every one finished (0), or until timeout_ms
 *  passed (< 0: no limit; 0: one pass without waiting) with calls still
 *  running: ODOO_ERR_TIMEOUT, and perform again to go on. A call's own
 *  failure goes to its callback, not here. */
ODOO_EXTERN(int) odoo_multi_perform(odoo_multi *m, long timeout_ms, odoo_rpc_error *err);

/** Calls added and not finished yet. */
ODOO_EXTERN(size_t) odoo_multi_running(const odoo_multi *m);

/* ----- socket-action mode, for event loops ---------------------------- */

/** What a socket callback asks to watch (libcurl's CURL_POLL_* values). */
#define ODOO_POLL_IN     1
#define ODOO_POLL_OUT    2
#define ODOO_POLL_INOUT  3
#define ODOO_POLL_REMOVE 4   /* stop watching fd */
/** What odoo_multi_socket_action is told happened (CURL_CSELECT_*). */
#define ODOO_CSELECT_IN  1
#define ODOO_CSELECT_OUT 2
#define ODOO_CSELECT_ERR 4
/** The fd to pass when the timer expired. */
#define ODOO_MULTI_SOCKET_TIMEOUT (-1)

/** Watch fd for what (ODOO_POLL_*), or stop (ODOO_POLL_REMOVE). */
typedef void (*odoo_multi_socket_callback)(int fd, int what, void *userdata);
/** Call odoo_multi_socket_action(…, ODOO_MULTI_SOCKET_TIMEOUT, …) in
 *  timeout_ms (0: as soon as possible), replacing the timer set before;
 *  -1: no timer. */
typedef void (*odoo_multi_timer_callback)(long timeout_ms, void *userdata);

/** Register the callbacks of socket-action mode (NULL cb: none). */
ODOO_EXTERN(int) odoo_multi_set_socket_callback(odoo_multi *m, odoo_multi_socket_callback cb, void *userdata,
                                                odoo_rpc_error *err);
ODOO_EXTERN(int) odoo_multi_set_timer_callback(odoo_multi *m, odoo_multi_timer_callback cb, void *userdata,
                                               odoo_rpc_error *err);

/** fd is ready for events (ODOO_CSELECT_*; 0: unknown), or the timer
 *  expired (fd ODOO_MULTI_SOCKET_TIMEOUT): go on with what waits for it,
 *  calling back the calls that finish. *running (may be NULL) receives
 *  odoo_multi_running() (0 when a callback freed m: m is gone on return). */
ODOO_EXTERN(int) odoo_multi_socket_action(size_t *running, odoo_multi *m, int fd, int events,
                                          odoo_rpc_error *err);

/** How long an event loop may wait before calling
 *  odoo_multi_socket_action(…, ODOO_MULTI_SOCKET_TIMEOUT, …) at the
 *  latest, in ms: 0 now, -1 no timer needed (nothing to run). */
ODOO_EXTERN(int) odoo_multi_timeout(long *timeout_ms, odoo_multi *m, odoo_rpc_error *err);

/* ----- for event-loop adapters ----------------------------------------
 * What an adapter (include/odoo/adapters/) needs beyond the two callbacks:
 * a place on the multi for its state (so that a second attach is refused
 * and detach needs only m), a hook when the multi is freed while attached,
 * and a pointer per socket (libcurl's curl_multi_assign). */

/** The hook odoo_multi_free runs for an attached adapter, once: after the
 *  calls ended, before the multi's sockets close. It should detach
 *  (socket and timer callbacks to NULL, odoo_multi_set_adapter(m, NULL,
 *  NULL, …), each odoo_multi_assign back to NULL) and let its state go;
 *  m is valid during the hook only. */
typedef void (*odoo_multi_adapter_free)(odoo_multi *m, void *data);

/** Store an adapter's state on m, with the hook that odoo_multi_free runs
 *  for it (may be NULL). One per multi: data while another is stored is
 *  ODOO_ERR_INVALID_ARGUMENT; data NULL detaches (the hook is forgotten).
 *  The multi never frees data. */
ODOO_EXTERN(int) odoo_multi_set_adapter(odoo_multi *m, void *data, odoo_multi_adapter_free on_free,
                                        odoo_rpc_error *err);
/** What odoo_multi_set_adapter stored; NULL: nothing. */
ODOO_EXTERN(void *) odoo_multi_adapter(const odoo_multi *m);

/** Attach data (borrowed, may be NULL to forget) to fd, a socket the
 *  socket callback was asked to watch and not removed yet: the socket
 *  callback finds it with odoo_multi_socket_data() for that fd until
 *  ODOO_POLL_REMOVE. May be called from the socket callback. An fd
 *  libcurl does not watch: ODOO_ERR_INVALID_ARGUMENT. */
ODOO_EXTERN(int) odoo_multi_assign(odoo_multi *m, int fd, void *data, odoo_rpc_error *err);
/** Inside the socket callback: what odoo_multi_assign attached to its fd
 *  (NULL: nothing yet; also NULL outside the socket callback). */
ODOO_EXTERN(void *) odoo_multi_socket_data(const odoo_multi *m);

/* ----- N calls, N results --------------------------------------------- */

#define ODOO_CALL_REQUEST_VERSION 1

/** One call of odoo_call_many. All members borrowed. An array of this
 *  version's layout: a later version that grows it comes with a new
 *  function. */
typedef struct odoo_call_request {
    unsigned int version;          /* ODOO_CALL_REQUEST_VERSION */
    odoo_protocol *conn;
    const char *model;
    const char *method;
    json_object *ids;              /* array of integers or NULL */
    json_object *args;             /* array or NULL */
    json_object *kwargs;           /* object or NULL */
    const odoo_call_options *opts; /* NULL: none */
} odoo_call_request;

#ifdef __cplusplus
static inline odoo_call_request odoo_call_request_init_value_(void)
{
    odoo_call_request r = {};
    r.version = ODOO_CALL_REQUEST_VERSION;
    return r;
}
#  define ODOO_CALL_REQUEST_INIT odoo_call_request_init_value_()
#else
#  define ODOO_CALL_REQUEST_INIT { .version = ODOO_CALL_REQUEST_VERSION }
#endif

/** Run n calls at once in a multi of its own (opts may be NULL) and wait
 *  for all of them. results[i] receives call i's result (a new reference
 *  the caller releases, NULL for None or on failure); errors (may be NULL;
 *  else n structs started from ODOO_RPC_ERROR_INIT, cleared by the caller)
 *  receive each call's error, kind ODOO_OK for a success. Returns 0 when
 *  every call succeeded, else the kind of the first failed call, with err
 *  saying how many failed and why the first did. */
ODOO_EXTERN(int) odoo_call_many(json_object **results, odoo_rpc_error *errors, const odoo_call_request *calls,
                                size_t n, const odoo_multi_options *opts, odoo_rpc_error *err);

ODOO_END_DECLS

#endif
