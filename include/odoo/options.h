/*
 * libodoo — connection options.
 *
 *     odoo_options opts = ODOO_OPTIONS_INIT;
 *     opts.url = "https://erp.example.com";
 *     opts.db = "prod"; opts.login = "admin"; opts.api_key = key;
 *
 * Zero means "the default" for every numeric member, so a zeroed struct
 * with the version set is valid. Strings are borrowed: odoo_connect()
 * copies what it keeps, the caller may free them afterwards.
 */
#ifndef ODOO_OPTIONS_H
#define ODOO_OPTIONS_H

#include "common.h"

ODOO_BEGIN_DECLS

/** Which protocol a connection speaks. */
typedef enum odoo_protocol_kind {
    ODOO_PROTOCOL_AUTO = 0,            /* probe the server and choose (see odoo_connect) */
    ODOO_PROTOCOL_XMLRPC,              /* /xmlrpc/2/common and /xmlrpc/2/object (Odoo 8-19) */
    ODOO_PROTOCOL_JSONRPC,             /* web session: /web/session/authenticate + /web/dataset/call_kw */
    ODOO_PROTOCOL_JSONRPC_STATELESS,   /* /jsonrpc with service common/object/db (Odoo 8-19) */
    ODOO_PROTOCOL_JSON2,               /* /json/2/<model>/<method> with a bearer API key (Odoo 19+) */
    ODOO_PROTOCOL_ODXPROXY             /* the ODXProxy gateway (JSON-RPC 2.0 behind x-api-key) */
} odoo_protocol_kind;

/** What ODOO_PROTOCOL_AUTO optimises for. */
typedef enum odoo_preference {
    ODOO_PREFER_COMPAT = 0,     /* the protocol the server version recommends */
    ODOO_PREFER_THROUGHPUT      /* the cheapest per call: a web session when a password allows it */
} odoo_preference;

/** A line of protocol trace (one HTTP exchange step), secrets masked. */
typedef void (*odoo_trace_cb)(const char *line, void *payload);

/** Minimum TLS versions for options.tls_min_version. */
#define ODOO_TLS_1_2 12
#define ODOO_TLS_1_3 13

/* 2 added tls_min_version; a version-1 struct is still accepted (the new
 * members then take their defaults). */
#define ODOO_OPTIONS_VERSION 3

typedef struct odoo_options {
    unsigned int version;          /* ODOO_OPTIONS_VERSION */

    const char *url;               /* Odoo base URL, e.g. "https://erp.example.com" (no trailing path;
                                      a query or fragment is refused) */
    const char *db;                /* database name; may be NULL for JSON-2 on a single-db server */
    const char *login;             /* user login (XML-RPC, JSON-RPC) */
    const char *password;          /* user password; never appears in errors or traces */
    const char *api_key;           /* Odoo API key; never appears in errors or traces */

    long connect_timeout_ms;       /* 0: 10 s */
    long timeout_ms;               /* whole exchange; 0: 120 s; negative: none */
    int tls_insecure;              /* 1 disables certificate and host verification (explicit opt-in) */
    const char *ca_file;           /* PEM bundle to verify the server with, or NULL for the system store */
    const char *ca_path;           /* directory of hashed CA certificates, or NULL */
    size_t max_response_bytes;     /* 0: 64 MiB; a bigger answer fails with ODOO_ERR_TOO_LARGE */
    const char *user_agent;        /* NULL: "libodoo/<version>"; control characters (CR, LF) are refused */

    json_object *context;          /* base context under every call's context (call keys win); borrowed */
    odoo_preference prefer;        /* for ODOO_PROTOCOL_AUTO */

    /* ODXProxy gateway */
    const char *proxy_url;         /* gateway base URL, e.g. "https://gateway.odxproxy.io" */
    const char *proxy_api_key;     /* the proxy's x-api-key (never the Odoo key) */
    int64_t user_id;               /* Odoo uid sent to the gateway (v1); 0: resolve by login */
    int proxy_api;                 /* 0: choose from the Odoo version; 1: /api/odoo; 2: /v2/odoo */
    int proxy_retries;             /* retries of an idempotent read (search, read, ...) after a transient
                                      failure (network, timeout, 429, 502-504, the gateway's timeout or
                                      unreachable), on every protocol; the name is older than that.
                                      0: none */
    long proxy_retry_backoff_ms;   /* first retry delay, doubled each time (capped at 10 s; a longer
                                      Retry-After is waited, up to 10 s); 0: 200 ms */

    odoo_trace_cb trace;           /* optional: each HTTP exchange, secrets masked */
    void *trace_payload;

    /* version 2 */
    int tls_min_version;           /* 0: TLS 1.2, the floor; ODOO_TLS_1_3 raises it. Lower values are refused */

    /* version 3 */
    const char *cert_file;         /* PEM client certificate, for a server or reverse proxy that requires
                                      one (TLS client authentication); NULL: none */
    const char *key_file;          /* its private key (PEM, not encrypted); NULL: in cert_file */
} odoo_options;

#ifdef __cplusplus
/* C++ (11 to 20): a value-initialised struct with the version set, which
 * g++ -Wextra accepts (a partial brace list, designated or not, warns for
 * every member left out). */
static inline odoo_options odoo_options_init_value_(void)
{
    odoo_options o = {};
    o.version = ODOO_OPTIONS_VERSION;
    return o;
}
#  define ODOO_OPTIONS_INIT odoo_options_init_value_()
#else
#  define ODOO_OPTIONS_INIT { .version = ODOO_OPTIONS_VERSION }
#endif

/** Fill opts with the defaults (same as ODOO_OPTIONS_INIT). Returns 0, or
 *  ODOO_ERR_INVALID_ARGUMENT for an unknown version. */
ODOO_EXTERN(int) odoo_options_init(odoo_options *opts, unsigned int version);

/** Stable lower-case name of a protocol kind ("xmlrpc", "jsonrpc",
 *  "jsonrpc-stateless", "json2", "odxproxy", "auto"). Static storage. */
ODOO_EXTERN(const char *) odoo_protocol_kind_name(odoo_protocol_kind kind);

/** Parse a name given by odoo_protocol_kind_name(). Returns 0 or
 *  ODOO_ERR_INVALID_ARGUMENT (also for a NULL name); out may be NULL to
 *  only check the name. */
ODOO_EXTERN(int) odoo_protocol_kind_from_name(odoo_protocol_kind *out, const char *name);

ODOO_END_DECLS

#endif
