/*
 * libodoo — the protocol vtable, for adapter authors.
 *
 * An adapter is a versioned table of operations plus a struct that starts
 * with an odoo_protocol (the base) and holds the adapter's own state:
 *
 *     struct my_adapter { odoo_protocol base; int my_state; };
 *     static const odoo_protocol_ops my_ops = {
 *         ODOO_PROTOCOL_OPS_VERSION, "mine", ODOO_PROTOCOL_AUTO,
 *         ODOO_CAP_NEEDS_LOGIN, sizeof(struct my_adapter),
 *         my_open, my_authenticate, my_execute_kw, my_version_info, my_close };
 *     odoo_open(&p, &my_ops, &opts, &err);
 *
 * The base does what is the same for every protocol: it allocates the
 * struct, copies the options, owns the HTTP handle, merges contexts,
 * logs in before the first call when the adapter needs it, records the
 * model and method in errors and masks secrets. An adapter only
 * translates a call into bytes for odoo_http_send() and the answer back.
 */
#ifndef ODOO_SYS_PROTOCOL_H
#define ODOO_SYS_PROTOCOL_H

#include "../common.h"
#include "../errors.h"
#include "../options.h"
#include "http.h"

ODOO_BEGIN_DECLS

/** One call, in Odoo's own split. All members are borrowed. */
typedef struct odoo_call_spec {
    const char *model;
    const char *method;
    json_object *ids;      /* record ids (array) or NULL: when set, the method runs on these records */
    json_object *args;     /* positional arguments after the ids (array) or NULL */
    json_object *kwargs;   /* named arguments (object) without "context", or NULL */
    json_object *context;  /* the merged context (object) or NULL when empty */
} odoo_call_spec;

/* Capability bits: what a protocol can do, so code written once on the
 * base can adapt without probing for NULL operations. */
#define ODOO_CAP_NEEDS_LOGIN      (1u << 0)  /* calls need a uid: the base logs in first */
#define ODOO_CAP_SESSION          (1u << 1)  /* keeps a server-side session (cookie) */
#define ODOO_CAP_NAMED_ARGS_ONLY  (1u << 2)  /* positional args are translated to names */
#define ODOO_CAP_INT64            (1u << 3)  /* integers beyond 32 bits travel */
#define ODOO_CAP_NONE_VALUE       (1u << 4)  /* a None result travels (null) */
#define ODOO_CAP_DB_LIST          (1u << 5)  /* the db service is reachable */
#define ODOO_CAP_API_KEY          (1u << 6)  /* accepts an API key */
#define ODOO_CAP_PASSWORD         (1u << 7)  /* accepts a password */

#define ODOO_PROTOCOL_OPS_VERSION 1

typedef struct odoo_protocol_ops {
    unsigned int version;          /* ODOO_PROTOCOL_OPS_VERSION */
    const char *name;              /* "json2", ... (static storage) */
    odoo_protocol_kind kind;       /* ODOO_PROTOCOL_AUTO for third-party adapters */
    unsigned int caps;             /* ODOO_CAP_* */
    size_t size;                   /* sizeof the adapter struct (>= sizeof(odoo_protocol)) */

    /* Adapter-specific set-up after the base is ready; may be NULL. */
    int  (*open)(odoo_protocol *p, const odoo_options *opts, odoo_rpc_error *err);
    /* Log in; sets p->uid and p->logged_in. */
    int  (*authenticate)(odoo_protocol *p, odoo_rpc_error *err);
    /* Run one call; *out gets a new reference (NULL for None). */
    int  (*execute_kw)(odoo_protocol *p, const odoo_call_spec *call, json_object **out,
                       odoo_rpc_error *err);
    /* The server's version dictionary; *out gets a new reference. */
    int  (*version_info)(odoo_protocol *p, json_object **out, odoo_rpc_error *err);
    /* Release the adapter's own state (the base frees itself); may be NULL. */
    void (*close)(odoo_protocol *p);
} odoo_protocol_ops;

/** The base every adapter struct starts with. Adapters read these members;
 *  the base owns and frees them. */
struct odoo_protocol {
    const odoo_protocol_ops *ops;
    odoo_http *http;         /* the transport, for the Odoo URL (or the gateway) */
    char *url;               /* Odoo base URL, no trailing slash */
    char *db;
    char *login;
    char *password;
    char *api_key;
    char *proxy_url;
    char *proxy_api_key;
    int64_t proxy_user_id;
    int proxy_api;
    json_object *context;    /* base context (an object) or NULL */
    int64_t uid;             /* 0 until logged in */
    int logged_in;
    int server_major;        /* learned server major version, 0 when unknown */
    char *reason;            /* why AUTO chose this protocol, or NULL */
    long timeout_ms;         /* the total timeout asked for (0 default, <0 none) */
    long request_id;         /* last JSON-RPC request id used */
};

/** Open a connection through the adapter described by ops (see above). */
ODOO_EXTERN(int) odoo_open(odoo_protocol **out, const odoo_protocol_ops *ops,
                           const odoo_options *opts, odoo_rpc_error *err);

/** Record the server version from a version dictionary (server_version_info
 *  or server_version) or a session_info; does nothing when it has neither. */
ODOO_EXTERN(void) odoo_protocol_learn_version(odoo_protocol *p, json_object *info);

ODOO_END_DECLS

#endif
