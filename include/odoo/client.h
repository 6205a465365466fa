/*
 * libodoo — connections and raw calls.
 *
 * Convention: the single output comes first (named out), the connection
 * next, the error last; every function returns 0 or a negative
 * odoo_error_kind and fills err (when not NULL) on failure.
 *
 * NULL out, in every function of the library that has one: the result is
 * discarded, the call still runs and its error is still reported
 * (odoo_connect with NULL out connects, then closes again). A NULL
 * connection, model or method is ODOO_ERR_INVALID_ARGUMENT, never a crash.
 */
#ifndef ODOO_CLIENT_H
#define ODOO_CLIENT_H

#include "common.h"
#include "errors.h"
#include "options.h"

ODOO_BEGIN_DECLS

/** Open a connection. Nothing is sent except for ODOO_PROTOCOL_AUTO, which
 *  probes the server once and picks a protocol (odoo_protocol_reason() says
 *  why). Logging in happens on the first call that needs it, or explicitly
 *  with odoo_authenticate().
 *  *out receives a connection the caller releases with odoo_close(). */
ODOO_EXTERN(int) odoo_connect(odoo_protocol **out, odoo_protocol_kind kind,
                              const odoo_options *opts, odoo_rpc_error *err);

/** Ask the server at opts->url which protocols it answers, without
 *  logging in: *out receives {"url": ..., "server_version": "19.0",
 *  "protocols": {"json2": {"available": true, "server_version": "19.0"},
 *  "jsonrpc": {...}, "jsonrpc-stateless": {...}, "xmlrpc": {...}}}, an
 *  unavailable protocol carrying {"available": false, "error": {"kind",
 *  "message", "http_status"}}. Fails only when nothing answers at all
 *  (connect, DNS, TLS errors). Release *out with json_object_put. */
ODOO_EXTERN(int) odoo_probe(json_object **out, const odoo_options *opts, odoo_rpc_error *err);

/** Log in now and return the uid in *uid (may be NULL). Calling it again
 *  logs in again (a new session for JSON-RPC). */
ODOO_EXTERN(int) odoo_authenticate(int64_t *uid, odoo_protocol *p, odoo_rpc_error *err);

/** Odoo's execute_kw: model.method(*args, **kwargs), exactly as XML-RPC takes
 *  it, on every protocol (JSON-2 translates positional args of the common
 *  ORM methods to their names). args: array or NULL; kwargs: object or NULL
 *  (kwargs.context is merged with the connection's base context); context:
 *  extra context or NULL (its keys win). All borrowed.
 *  *out receives the result (NULL for Python None); release with json_object_put. */
ODOO_EXTERN(int) odoo_execute_kw(json_object **out, odoo_protocol *p,
                                 const char *model, const char *method,
                                 json_object *args, json_object *kwargs,
                                 json_object *context, odoo_rpc_error *err);

/** A call with the record ids and the context kept apart from the
 *  arguments (Odoo's own split): model.browse(ids).with_context(ctx).method(*args, **kwargs).
 *  ids: array of integers or NULL for a model method. Borrowed. */
ODOO_EXTERN(int) odoo_call(json_object **out, odoo_protocol *p,
                           const char *model, const char *method,
                           json_object *ids, json_object *args, json_object *kwargs,
                           json_object *context, odoo_rpc_error *err);

/** A call's own limits, for odoo_call_with() (the search helpers take the
 *  same two members in odoo_search_options). Zero or NULL means the
 *  default; members are appended in later versions, never reordered. */
#define ODOO_CALL_OPTIONS_VERSION 1

typedef struct odoo_call_options {
    unsigned int version;          /* ODOO_CALL_OPTIONS_VERSION */
    json_object *context;          /* merged over the connection's base context; NULL: none */
    long timeout_ms;               /* the whole call, its login and retries included: 0 the connection's
                                      timeout per exchange, < 0 none; on expiry ODOO_ERR_TIMEOUT */
    const volatile int *cancel;    /* when *cancel becomes nonzero (another thread, a signal handler) the
                                      call stops at once, mid-transfer or between retries, with
                                      ODOO_ERR_CANCELLED; NULL: none */
} odoo_call_options;

#ifdef __cplusplus
static inline odoo_call_options odoo_call_options_init_value_(void)
{
    odoo_call_options o = {};
    o.version = ODOO_CALL_OPTIONS_VERSION;
    return o;
}
#  define ODOO_CALL_OPTIONS_INIT odoo_call_options_init_value_()
#else
#  define ODOO_CALL_OPTIONS_INIT { .version = ODOO_CALL_OPTIONS_VERSION }
#endif

/** odoo_call() with a timeout and a cancel flag of its own. opts may be
 *  NULL (= odoo_call without a context); an unknown opts->version is
 *  ODOO_ERR_INVALID_ARGUMENT before anything is sent. */
ODOO_EXTERN(int) odoo_call_with(json_object **out, odoo_protocol *p,
                                const char *model, const char *method,
                                json_object *ids, json_object *args, json_object *kwargs,
                                const odoo_call_options *opts, odoo_rpc_error *err);

/** The server's version dictionary: {"server_version": "19.0",
 *  "server_version_info": [19, 0, 0, "final", 0, ""], ...}. No login needed. */
ODOO_EXTERN(int) odoo_version_info(json_object **out, odoo_protocol *p, odoo_rpc_error *err);

/** Close the connection: ends a web session on the server when there is
 *  one, then frees everything. NULL is fine. */
ODOO_EXTERN(void) odoo_close(odoo_protocol *p);

/** The protocol a connection speaks ("json2", "xmlrpc", ...). Static storage. */
ODOO_EXTERN(const char *) odoo_protocol_name(const odoo_protocol *p);

/** The kind of protocol a connection speaks. */
ODOO_EXTERN(odoo_protocol_kind) odoo_protocol_kind_of(const odoo_protocol *p);

/** Why this protocol was chosen (one line), or "" when it was given explicitly.
 *  Borrowed, valid until odoo_close(). */
ODOO_EXTERN(const char *) odoo_protocol_reason(const odoo_protocol *p);

/** The uid of the logged-in user, or 0 when not logged in yet. */
ODOO_EXTERN(int64_t) odoo_uid(const odoo_protocol *p);

/** The server's major version once learned (login or version_info), else 0. */
ODOO_EXTERN(int) odoo_server_version(const odoo_protocol *p);

/** 1 when TLS certificates are verified on this connection, 0 when the
 *  insecure switch turned verification off. */
ODOO_EXTERN(int) odoo_tls_verified(const odoo_protocol *p);

/** What a connection sent and received so far, as it went on the wire
 *  (headers included, compressed bodies counted compressed). */
typedef struct odoo_stats {
    long requests;                     /* HTTP exchanges */
    long connections;                  /* TCP connections opened (keep-alive keeps it at 1) */
    unsigned long long bytes_sent;
    unsigned long long bytes_received;
} odoo_stats;

/** Fill *out with p's counters. Returns 0, or ODOO_ERR_INVALID_ARGUMENT
 *  for a NULL argument. */
ODOO_EXTERN(int) odoo_stats_get(odoo_stats *out, const odoo_protocol *p);

ODOO_END_DECLS

#endif
