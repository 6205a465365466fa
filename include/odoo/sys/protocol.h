/*
 * libodoo — the protocol vtable and the adapter registry, for adapter authors.
 *
 * An adapter translates; it never sends. For each operation the core asks
 * it to *encode* one HTTP exchange (fill an odoo_http_request) and then to
 * *decode* the answer (an odoo_http_response) into a result or an
 * odoo_rpc_error. The core owns everything around that: the transport,
 * the order of exchanges (a login before the first call, the API key
 * before the password, one re-login when a web session expired, the
 * adapter's PREPARE exchange once per connection, the logout on close
 * with a short timeout), the retry policy for idempotent reads, context
 * merging, validation of names and ids, and error finishing (model and
 * method recorded, secrets masked).
 *
 *     typedef struct { my_buf body; } mine;          // adapter state
 *     static int my_encode(odoo_protocol *p, odoo_exchange *x, odoo_rpc_error *err);
 *     static int my_decode(odoo_protocol *p, odoo_exchange *x,
 *                          const odoo_http_response *resp, odoo_rpc_error *err);
 *     static const odoo_protocol_ops my_ops = {
 *         ODOO_PROTOCOL_OPS_VERSION, "mine", ODOO_CAP_NEEDS_LOGIN, sizeof(mine),
 *         NULL, NULL, my_encode, my_decode, NULL };
 *     static const odoo_adapter my_adapter = { ODOO_ADAPTER_VERSION, "mine", &my_ops };
 *     odoo_adapter_register(&my_adapter, &err);
 *     odoo_connect_name(&conn, "mine", &opts, &err);
 *
 * examples/echo_adapter.c is a complete adapter in one file, built from
 * the installed headers only. Stability: docs/api-stability.md; the table
 * only grows at its end, and the core reads a table by its version.
 */
#ifndef ODOO_SYS_PROTOCOL_H
#define ODOO_SYS_PROTOCOL_H

#include "../common.h"
#include "../errors.h"
#include "../options.h"
#include "../memory.h"
#include "../cursor.h"
#include "http.h"

ODOO_BEGIN_DECLS

/** One call, in Odoo's own split. All members are borrowed. */
typedef struct odoo_call_spec {
    const char *model;     /* validated: letters, digits, '_' and '.' */
    const char *method;    /* validated: a Python identifier */
    json_object *ids;      /* record ids (array of int64) or NULL: when set, the method runs on these records */
    json_object *args;     /* positional arguments after the ids (array) or NULL */
    json_object *kwargs;   /* named arguments (object) without "context", or NULL */
    json_object *context;  /* the merged context (object) or NULL when empty */
} odoo_call_spec;

/** What an exchange is for. */
typedef enum odoo_op {
    ODOO_OP_PREPARE = 1,   /* once per connection before its first login or call, when the adapter has
                              ODOO_CAP_PREPARE (e.g. a gateway's API negotiation) */
    ODOO_OP_LOGIN,         /* check x->secret and learn the uid */
    ODOO_OP_CALL,          /* run x->call */
    ODOO_OP_VERSION,       /* the server's version dictionary (server_version, server_version_info) */
    ODOO_OP_LOGOUT,        /* on close, when the adapter has ODOO_CAP_LOGOUT and a login succeeded */
    ODOO_OP_CUSTOM         /* the adapter's own exchange (x->custom), run by odoo_protocol_run() */
} odoo_op;

/** Which secret a login tries. */
typedef enum odoo_secret_kind {
    ODOO_SECRET_API_KEY = 1,
    ODOO_SECRET_PASSWORD
} odoo_secret_kind;

/* Returns of encode and decode besides 0 and a negative odoo_error_kind. */
#define ODOO_EXCHANGE_DONE  1   /* encode: the operation is complete without an exchange (x->result set) */
#define ODOO_EXCHANGE_AGAIN 2   /* decode: encode again (x->step grows by one): the operation needs
                                   another exchange, e.g. a method description before the call */
#define ODOO_EXCHANGE_MAX_STEPS 8

/** One operation in progress. The core fills the inputs and zeroes the
 *  rest; encode fills request (its strings must stay valid until decode
 *  returns: keep them in the adapter's state); decode fills the outputs. */
typedef struct odoo_exchange {
    /* inputs */
    odoo_op op;
    unsigned int step;              /* 0, then one more after each ODOO_EXCHANGE_AGAIN */
    const odoo_call_spec *call;     /* ODOO_OP_CALL; NULL otherwise */
    odoo_secret_kind secret_kind;   /* ODOO_OP_LOGIN */
    const char *secret;             /* ODOO_OP_LOGIN: the key or password to try (borrowed, never empty) */
    int custom;                     /* ODOO_OP_CUSTOM: the adapter's own code */
    const void *custom_arg;         /* ODOO_OP_CUSTOM: borrowed */
    /* encode */
    odoo_http_request request;
    /* decode */
    json_object *result;            /* CALL, VERSION, CUSTOM: a new reference, NULL for None; the core
                                       releases it when the caller does not take it */
    int64_t uid;                    /* LOGIN: > 0 accepted, 0 refused (Odoo answered False) */
} odoo_exchange;

/* Capability bits: each one changes what the core does. */
#define ODOO_CAP_NEEDS_LOGIN  (1u << 0)  /* calls need a uid: the core logs in before the first call */
#define ODOO_CAP_SESSION      (1u << 1)  /* a server-side session in a cookie: the core keeps cookies
                                            and logs in again once when a call says the session expired */
#define ODOO_CAP_API_KEY      (1u << 2)  /* the login takes an API key (tried first) */
#define ODOO_CAP_PASSWORD     (1u << 3)  /* the login takes a password (tried when the key is refused) */
#define ODOO_CAP_PREPARE      (1u << 4)  /* run ODOO_OP_PREPARE once before the first login or call */
#define ODOO_CAP_LOGOUT       (1u << 5)  /* run ODOO_OP_LOGOUT on close after a login, bounded by a short
                                            timeout; its failure is ignored */
#define ODOO_CAP_GATEWAY      (1u << 6)  /* exchanges go to options.proxy_url, not options.url */
/* A search_read CALL is one exchange whose 2xx JSON (or XML) answer holds the
 * records in the odoo_cursor shape of ODOO_CAP_ROWS_SHAPE (cursor.h):
 * odoo_search_read_rows and odoo_search_read_each may read the records as
 * they arrive instead of buffering the body and calling decode on it. The
 * core then feeds the body to a cursor and calls decode itself, once, with
 * the same answer minus its records ("[]" in their place: decode checks
 * the envelope and id and releases its request state as usual). An answer
 * whose records never began (an error envelope) or that the transport
 * buffered (any non-2xx answer, or neither JSON nor XML) goes to decode whole, as
 * without the cap; a stop or a failure inside the body goes to failed.
 * With ODOO_CURSOR_JSONRPC the answer's id must be the one
 * odoo_protocol_next_id gave the request (the cursor checks it before the
 * first record); ODOO_CURSOR_XMLRPC's envelope is an XML-RPC answer
 * of an empty list. Without the cap the records are decoded per page by
 * decode, as for odoo_search_read. */
#define ODOO_CAP_STREAM_ROWS  (1u << 7)
#define ODOO_CAP_ROWS_SHAPE(shape) ((unsigned)(shape) << 8)  /* bits 8-10: an odoo_cursor_shape, with the cap */
#define ODOO_CAP_ROWS_SHAPE_OF(caps) ((odoo_cursor_shape)(((caps) >> 8) & 7u))

#define ODOO_PROTOCOL_OPS_VERSION 2

typedef struct odoo_protocol_ops {
    unsigned int version;      /* ODOO_PROTOCOL_OPS_VERSION */
    const char *name;          /* "json2", ... (static storage) */
    unsigned int caps;         /* ODOO_CAP_* */
    size_t state_size;         /* bytes of adapter state the core allocates zeroed (odoo_protocol_state) */

    /* After the base is ready (options checked and copied, transport made):
     * check the adapter's options, set up its state. May be NULL. */
    int  (*open)(odoo_protocol *p, odoo_rpc_error *err);
    /* Release what the state points to (the core frees the state itself).
     * Called once, also after a failed open. May be NULL. */
    void (*close)(odoo_protocol *p);
    /* Describe the next exchange of x->op in x->request: 0, ODOO_EXCHANGE_DONE
     * or an error (nothing is sent). An op the adapter has no exchange for
     * is ODOO_ERR_UNSUPPORTED. */
    int  (*encode)(odoo_protocol *p, odoo_exchange *x, odoo_rpc_error *err);
    /* Read the answer to the request encode described (any HTTP status:
     * the adapter decides what it means): 0, ODOO_EXCHANGE_AGAIN or an error. */
    int  (*decode)(odoo_protocol *p, odoo_exchange *x, const odoo_http_response *resp, odoo_rpc_error *err);
    /* When the transport failed the exchange (err says how): refine err
     * with what the adapter knows (a redirect to a login page means the
     * endpoint is not served) and return the kind to report. May be NULL. */
    int  (*failed)(odoo_protocol *p, odoo_exchange *x, int kind, odoo_rpc_error *err);
} odoo_protocol_ops;

/* ----- The base: what the core keeps for every connection ------------- */

/** The options the connection was opened with: a copy whose strings the
 *  core owns (valid until odoo_close). Secrets are in it: never print them. */
ODOO_EXTERN(const odoo_options *) odoo_protocol_options(const odoo_protocol *p);

/** The adapter's state: state_size zeroed bytes, aligned for any type. */
ODOO_EXTERN(void *) odoo_protocol_state(const odoo_protocol *p);

/** The Odoo base URL without a trailing slash (also behind a gateway). Borrowed. */
ODOO_EXTERN(const char *) odoo_protocol_url(const odoo_protocol *p);
/** options.db, options.login: borrowed, "" when not given. */
ODOO_EXTERN(const char *) odoo_protocol_db(const odoo_protocol *p);
ODOO_EXTERN(const char *) odoo_protocol_login(const odoo_protocol *p);
/** The secret a login accepted (the key or the password: what later calls
 *  must send), or NULL before a login. Borrowed. */
ODOO_EXTERN(const char *) odoo_protocol_login_secret(const odoo_protocol *p);
/** The base context (an object) or NULL. Borrowed. */
ODOO_EXTERN(json_object *) odoo_protocol_context(const odoo_protocol *p);

/** The uid a login learned (0 before). */
ODOO_EXTERN(int64_t) odoo_protocol_uid(const odoo_protocol *p);
/** The server's major version, 0 while unknown; set it when an answer tells it. */
ODOO_EXTERN(int) odoo_protocol_server_major(const odoo_protocol *p);
ODOO_EXTERN(void) odoo_protocol_set_server_major(odoo_protocol *p, int major);
/** Record the server version from a version dictionary (server_version_info
 *  or server_version) or a session_info; does nothing when it has neither. */
ODOO_EXTERN(void) odoo_protocol_learn_version(odoo_protocol *p, json_object *info);

/** A new JSON-RPC request id for this connection (1, 2, ...). */
ODOO_EXTERN(long) odoo_protocol_next_id(odoo_protocol *p);

/** Mask this string in traces and errors from now on (a session cookie, a
 *  token the server handed out). Copied. Returns 0 or ODOO_ERR_NOMEM. */
ODOO_EXTERN(int) odoo_protocol_add_secret(odoo_protocol *p, const char *secret);
/** The session token a login got (a session cookie): masked like a secret
 *  until the next call replaces it (NULL forgets it). Copied. Returns 0 or
 *  ODOO_ERR_NOMEM. */
ODOO_EXTERN(int) odoo_protocol_set_session_secret(odoo_protocol *p, const char *token);
/** The value of the cookie called name, in a new string the caller frees
 *  with odoo_free() (which wipes it); NULL when there is none. */
ODOO_EXTERN(char *) odoo_protocol_cookie(odoo_protocol *p, const char *name);
/** Where the last answer redirected to when the transport refused a 3xx
 *  (credentials masked), or NULL. Borrowed until the next exchange. */
ODOO_EXTERN(const char *) odoo_protocol_redirect_location(const odoo_protocol *p);
/** The caller's timeout for the exchange being encoded, in ms: what is
 *  left of the call's own timeout, or options.timeout_ms; 0 when the
 *  caller set none (the library's default applies). An adapter whose
 *  server enforces a timeout of its own (a gateway) passes it on. */
ODOO_EXTERN(long) odoo_protocol_timeout_ms(const odoo_protocol *p);
/** The transport's base URL (options.url, or options.proxy_url for a
 *  gateway adapter), without a trailing slash. Borrowed. */
ODOO_EXTERN(const char *) odoo_protocol_transport_url(const odoo_protocol *p);

/** True when p was opened through ops (an adapter's public functions check
 *  that they were given one of their own connections). */
ODOO_EXTERN(int) odoo_protocol_is(const odoo_protocol *p, const odoo_protocol_ops *ops);

/** Run the exchanges of x->op on p now: what an adapter's own public
 *  functions use (ODOO_OP_CUSTOM, or ODOO_OP_PREPARE to have it done).
 *  PREPARE runs first for PREPARE, LOGIN and CALL; a login first for a CALL
 *  when the adapter needs one. The error is finished (secrets masked).
 *  x->result is the caller's afterwards (released on failure). */
ODOO_EXTERN(int) odoo_protocol_run(odoo_protocol *p, odoo_exchange *x, odoo_rpc_error *err);

/* ----- The registry --------------------------------------------------- */

/** What AUTO knows when it ranks the adapters. */
typedef struct odoo_server_facts {
    int server_major;            /* from the probe's version answer; 0 when unknown */
    int has_api_key;             /* options.api_key given */
    int has_password;            /* options.password given */
    odoo_preference prefer;      /* options.prefer */
    const struct odoo_adapter *answered;  /* the adapter whose probe answered */
} odoo_server_facts;

/* Adapter flags. */
#define ODOO_ADAPTER_GATEWAY      (1u << 0)  /* AUTO uses it, without a probe, when options.proxy_url is given */
#define ODOO_ADAPTER_SOLE_ANSWER  (1u << 1)  /* when its probe is the one that answered, AUTO uses it: the
                                                server speaks nothing else that was probed before it */

#define ODOO_ADAPTER_VERSION 1

/** How the library finds an adapter. Registered descriptors must stay
 *  valid (static storage) until the process ends. */
typedef struct odoo_adapter {
    unsigned int version;             /* ODOO_ADAPTER_VERSION */
    const char *name;                 /* unique: lower-case letters, digits, '-', at most 31 bytes */
    const odoo_protocol_ops *ops;
    odoo_protocol_kind kind;          /* the public enum value of a built-in; ODOO_PROTOCOL_AUTO otherwise */
    unsigned int flags;               /* ODOO_ADAPTER_* */
    int probe_order;                  /* > 0: AUTO asks for the version with this adapter, lowest first,
                                         until one answers; 0: never a probe */
    const char *probe_what;           /* the probe in words, for AUTO's messages ("GET /web/version") */
    /* How well the adapter suits the server AUTO found: the highest rank
     * wins, 0 (or a NULL rank) never chosen; *why is a sentence (static
     * storage) that AUTO's reason quotes. */
    int (*rank)(const odoo_server_facts *facts, const char **why);
} odoo_adapter;

/** Add an adapter (AUTO considers it from now on). Thread-safe. Refused
 *  with ODOO_ERR_INVALID_ARGUMENT: an unknown version, a bad or taken name,
 *  no encode or decode, a kind a built-in already has; at most 32 adapters. */
ODOO_EXTERN(int) odoo_adapter_register(const odoo_adapter *adapter, odoo_rpc_error *err);

/** The adapter called name, or NULL. */
ODOO_EXTERN(const odoo_adapter *) odoo_adapter_find(const char *name);

/** The i-th registered adapter (built-ins first, in registration order),
 *  NULL past the end: for listing them. */
ODOO_EXTERN(const odoo_adapter *) odoo_adapter_at(size_t i);

/** Open a connection through the adapter called name (see odoo_connect). */
ODOO_EXTERN(int) odoo_connect_name(odoo_protocol **out, const char *name, const odoo_options *opts,
                                   odoo_rpc_error *err);

/** Open a connection through ops directly, without registering it. */
ODOO_EXTERN(int) odoo_open(odoo_protocol **out, const odoo_protocol_ops *ops,
                           const odoo_options *opts, odoo_rpc_error *err);

ODOO_END_DECLS

#endif
