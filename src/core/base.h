/* Private: the base every connection is, and what the core does with it.
 *
 * Adapters see none of this: they reach the base through the accessors
 * of odoo/sys/protocol.h. */
#ifndef ODOO_BASE_H
#define ODOO_BASE_H

#include "odoo/client.h"
#include "odoo/sys/protocol.h"

struct odoo_protocol {
    const odoo_protocol_ops *ops;
    const odoo_adapter *adapter;   /* the registered descriptor, or NULL (odoo_open) */
    void *state;                   /* ops->state_size bytes, the adapter's */
    odoo_options opts;             /* the caller's options; strings point to the copies below */
    odoo_http *http;               /* the transport, for the Odoo URL (or the gateway) */
    char *url;                     /* Odoo base URL, no trailing slash */
    char *db;
    char *login;
    char *password;
    char *api_key;
    char *proxy_url;
    char *proxy_api_key;
    char *user_agent, *ca_file, *ca_path, *cert_file, *key_file;
    json_object *context;          /* base context (an object) or NULL */
    int64_t uid;                   /* 0 until logged in */
    int logged_in;
    int prepared;                  /* ODOO_OP_PREPARE ran */
    const char *login_secret;      /* borrowed from above: what the login accepted */
    int server_major;              /* learned server major version, 0 when unknown */
    char *reason;                  /* why AUTO chose this protocol, or NULL */
    long request_id;               /* last JSON-RPC request id used */
    int retries;                   /* retries of idempotent reads on a transient failure */
    long backoff_ms;               /* first retry delay, doubled each time */
    /* the call in progress' own limits (odoo_call_options), cleared after it */
    const volatile int *cancel;    /* stop when *cancel becomes nonzero */
    long long deadline_ms;         /* CLOCK_MONOTONIC ms by which the call must end, 0: none */
    long call_timeout_ms;          /* what the deadline came from, for messages */
    long saved_timeout_ms;         /* the connection's own total timeout, restored after the call */
    int timeout_saved;             /* saved_timeout_ms holds it */
    int limits_depth;              /* nested odoo__limits_begin */
    void *busy;                    /* the odoo_multi call running on it (multi.c), or NULL */
};

/* A call's own limits: its total timeout (0: the connection's, < 0: none)
 * and its cancel flag (NULL: none). Set for the duration of one public
 * call, every exchange of it included (login, retries, pages). */
typedef struct odoo__limits {
    long timeout_ms;
    const volatile int *cancel;
} odoo__limits;
void odoo__limits_begin(odoo_protocol *p, const odoo__limits *lim);
/* The same for a call that began at started_ms (odoo__now_ms): a call
 * queued in an odoo_multi counts its time from odoo_multi_add. */
void odoo__limits_begin_at(odoo_protocol *p, const odoo__limits *lim, long long started_ms);
void odoo__limits_end(odoo_protocol *p);

/* CLOCK_MONOTONIC in ms. */
long long odoo__now_ms(void);

/* ODOO_ERR_CANCELLED when *cancel is set, ODOO_ERR_TIMEOUT when the
 * deadline (ms, 0: none) passed (timeout_ms for the message), else 0. */
int odoo__limits_expired(const volatile int *cancel, long long deadline_ms, long timeout_ms, odoo_rpc_error *err);

/* The same for p's call in progress, and the transport gets what is left
 * of its deadline: before each exchange and in a retry's backoff. */
int odoo__check_limits(odoo_protocol *p, odoo_rpc_error *err);

/* opts, or the defaults for NULL; NULL (err set: not finished) for an
 * unknown version. */
const odoo_call_options *odoo__call_options(const odoo_call_options *opts, odoo_rpc_error *err);

/* A validated call and what its spec points to that it owns. */
typedef struct odoo__prepared_call {
    odoo_call_spec spec;
    json_object *stripped;         /* kwargs without "context", or NULL */
    json_object *merged;           /* the merged context, or NULL */
} odoo__prepared_call;

/* Validate a call and merge the contexts (base < kwargs["context"] <
 * context) into c: 0, or the error (finished). model, method, ids, args,
 * kwargs and context are borrowed by c->spec until odoo__call_release. */
int odoo__call_prepare(odoo__prepared_call *c, odoo_protocol *p, const char *model, const char *method,
                       json_object *ids, json_object *args, json_object *kwargs, json_object *context,
                       odoo_rpc_error *err);
void odoo__call_release(odoo__prepared_call *c);

/* Bytes of an odoo_options struct of that version (each version appended
 * members); 0 for a version this library does not know. */
size_t odoo__options_size(unsigned int version);

/* Validate a call, merge the contexts, log in when the adapter needs it,
 * run it, renew an expired session once, retry an idempotent read on a
 * transient failure when asked, and finish the error (model, method,
 * secrets masked). ids/args/kwargs/context are borrowed; *out receives a
 * new reference. */
int odoo__dispatch(odoo_protocol *p, const char *model, const char *method, json_object *ids,
                   json_object *args, json_object *kwargs, json_object *context,
                   json_object **out, odoo_rpc_error *err);

/* PREPARE once, then log in when the adapter needs a uid and has none. */
int odoo__ensure_login(odoo_protocol *p, odoo_rpc_error *err);

/* Log in now: the API key first, the password when the key is refused. */
int odoo__login(odoo_protocol *p, odoo_rpc_error *err);

/* Run one operation's exchanges (encode, send, decode, again while the
 * adapter asks). No login, no retry: the sequences above add those. */
int odoo__exchange(odoo_protocol *p, odoo_exchange *x, odoo_rpc_error *err);

/* End the session on the server when the adapter has a logout. */
void odoo__logout(odoo_protocol *p);

/* Switch p to another adapter, keeping its transport (and so its TCP and
 * TLS connection): AUTO's probe connection becomes the chosen one. */
int odoo__rebind(odoo_protocol *p, const odoo_adapter *a, odoo_rpc_error *err);

/* Record model/method in err and mask the connection's secrets. */
void odoo__finish_error(odoo_protocol *p, odoo_rpc_error *err, const char *model, const char *method);

/* Whether a method only reads (safe to send again after a timeout). */
int odoo__method_is_read(const char *method);

#endif
