/*
 * libodoo — one error type for every protocol.
 *
 * Every fallible function returns 0 on success or a negative
 * odoo_error_kind, and fills the caller's odoo_rpc_error (when not NULL)
 * with the details: XML-RPC faults, JSON-RPC error envelopes, JSON-2 HTTP
 * error bodies, ODXProxy codes and transport failures all land here.
 *
 * Secrets never appear in an error: passwords, API keys and session
 * cookies of the connection are masked as "***" in every string.
 */
#ifndef ODOO_ERRORS_H
#define ODOO_ERRORS_H

#include "common.h"
#include "memory.h"

ODOO_BEGIN_DECLS

/** What went wrong. Values are stable (append-only). */
typedef enum odoo_error_kind {
    ODOO_OK = 0,
    /* the caller's side */
    ODOO_ERR_INVALID_ARGUMENT = -1,  /* bad argument, refused before any I/O */
    ODOO_ERR_NOMEM = -2,             /* out of memory */
    /* transport */
    ODOO_ERR_CONNECT = -3,           /* could not connect (refused, unreachable) */
    ODOO_ERR_DNS = -4,               /* host name could not be resolved */
    ODOO_ERR_TIMEOUT = -5,           /* connect or total timeout expired */
    ODOO_ERR_TLS = -6,               /* TLS handshake or certificate verification failed */
    ODOO_ERR_NETWORK = -7,           /* connection lost mid-exchange (reset, truncated body) */
    ODOO_ERR_TOO_LARGE = -8,         /* response larger than max_response_bytes */
    ODOO_ERR_PROTOCOL = -9,          /* unexpected or malformed answer (HTML page, bad JSON/XML) */
    /* Odoo's own errors */
    ODOO_ERR_AUTH = -10,             /* bad login, password or key (AccessDenied, 401) */
    ODOO_ERR_SESSION_EXPIRED = -11,  /* the web session is gone (SessionExpiredException) */
    ODOO_ERR_ACCESS = -12,           /* AccessError: not allowed (rights, private method) */
    ODOO_ERR_VALIDATION = -13,       /* ValidationError: a constraint refused the data */
    ODOO_ERR_USER = -14,             /* UserError: a business rule refused the operation */
    ODOO_ERR_MISSING = -15,          /* MissingError: record deleted or never existed */
    ODOO_ERR_NOT_FOUND = -16,        /* unknown model, method or route */
    ODOO_ERR_CONFLICT = -17,         /* LockError / HTTP 409: retry later */
    ODOO_ERR_RATE_LIMITED = -18,     /* 429 or login cooldown: wait and retry */
    ODOO_ERR_SERVER = -19,           /* any other server-side exception */
    ODOO_ERR_UNSUPPORTED = -20,      /* the protocol cannot carry this (XML-RPC None, >32-bit ints) */
    /* ODXProxy gateway */
    ODOO_ERR_PROXY = -21,            /* gateway refused the request (-32001/-32002/-32005/-32006/-32007) */
    ODOO_ERR_PROXY_AUTH = -22,       /* wrong or missing proxy key (-32000) */
    ODOO_ERR_PROXY_LICENSE = -23,    /* gateway licence expired or invalid (403, code 0) */
    ODOO_ERR_PROXY_TIMEOUT = -24,    /* gateway timed out waiting for Odoo (-32003) */
    ODOO_ERR_PROXY_UNREACHABLE = -25,/* gateway could not reach Odoo (-32004) */
    /* transport, appended */
    ODOO_ERR_UNAVAILABLE = -26,      /* HTTP 502/503/504: Odoo, or the reverse proxy in front of it, cannot
                                        answer now (restarting, overloaded); retry later */
    /* the caller's own, appended */
    ODOO_ERR_CANCELLED = -27         /* the call's cancel flag was raised (odoo_call_options.cancel) */
} odoo_error_kind;

#define ODOO_ERROR_KIND_MIN ODOO_ERR_CANCELLED

/** The largest Retry-After kept, in seconds (a bigger value or a date
 *  further ahead is clamped to it): a server cannot park a client for days. */
#define ODOO_RETRY_AFTER_MAX 3600

/** The layout of odoo_rpc_error: members are appended in later versions,
 *  never reordered. */
#define ODOO_RPC_ERROR_VERSION 1

/** The details of a failure. Start from ODOO_RPC_ERROR_INIT, pass it to any
 *  call, and release its strings with odoo_rpc_error_clear(). A call that
 *  fills it clears what it held first, so one struct can be reused across
 *  calls. All strings are owned by the struct.
 *
 *  version: the library never refuses an error struct (it could not report
 *  the refusal anywhere): 0 (a struct zeroed with = {0} or memset) is read
 *  as version 1, and a version newer than this library's gets the members
 *  it knows filled, the newer ones left at their _INIT values. The version
 *  survives every reset. Bindings that do not want to mirror the layout use
 *  odoo_rpc_error_new() and odoo_error_to_json() instead. */
typedef struct odoo_rpc_error {
    unsigned int version;  /* ODOO_RPC_ERROR_VERSION */
    odoo_error_kind kind;  /* ODOO_OK when nothing failed */
    int code;              /* XML-RPC faultCode, JSON-RPC error.code, proxy code, or 0 */
    long http_status;      /* HTTP status of the answer, 0 when none arrived */
    char *error_class;     /* Odoo exception class, e.g. "odoo.exceptions.ValidationError", or NULL */
    char *message;         /* human-readable message, never NULL once kind != ODOO_OK */
    char *debug;           /* server traceback or first bytes of an unexpected body, or NULL */
    char *model;           /* the model being called, or NULL */
    char *method;          /* the method being called, or NULL */
    long retry_after;      /* seconds from a Retry-After header (delay or HTTP date), 0..ODOO_RETRY_AFTER_MAX,
                              -1 when absent */
} odoo_rpc_error;

#ifdef __cplusplus
/* C++ (11 to 20): value-initialised with the version and retry_after set
 * (a partial brace list warns under g++ -Wextra). */
static inline odoo_rpc_error odoo_rpc_error_init_value_(void)
{
    odoo_rpc_error e = {};
    e.version = ODOO_RPC_ERROR_VERSION;
    e.retry_after = -1;
    return e;
}
#  define ODOO_RPC_ERROR_INIT odoo_rpc_error_init_value_()
#else
#  define ODOO_RPC_ERROR_INIT { .version = ODOO_RPC_ERROR_VERSION, .kind = ODOO_OK, .retry_after = -1 }
#endif

/** Free the strings held by err and reset it to ODOO_RPC_ERROR_INIT. NULL is fine. */
ODOO_EXTERN(void) odoo_rpc_error_clear(odoo_rpc_error *err);

/** Stable lower-case name of a kind ("validation", "session_expired", ...),
 *  as used in CLI output and logs. Static storage; "unknown" for a bad value. */
ODOO_EXTERN(const char *) odoo_error_kind_name(odoo_error_kind kind);

/** A one-line English description of a kind. Static storage. */
ODOO_EXTERN(const char *) odoo_strerror(odoo_error_kind kind);

/** Kind for an Odoo exception class name ("odoo.exceptions.AccessError", or the
 *  short "AccessError"); message refines a few classes (unknown model or method,
 *  login cooldown) and may be NULL. Unknown classes are ODOO_ERR_SERVER. */
ODOO_EXTERN(odoo_error_kind) odoo_error_kind_for_class(const char *error_class, const char *message);

/** Nonzero when repeating the same call may succeed (timeouts, conflicts,
 *  rate limits, 502/503/504, unreachable upstream). Says nothing about
 *  idempotence. */
ODOO_EXTERN(int) odoo_error_is_transient(odoo_error_kind kind);

/* ---- for portable code and bindings (formerly <odoo/error_json.h>) ---- */

/** The error as one JSON object, in the shape of odoo-rpc's errors:
 *  {"kind": "validation", "kind_code": -13, "class": "odoo.exceptions.ValidationError",
 *   "message": "...", "http_status": 200, "code": 0, "model": "res.partner",
 *   "method": "write", "retry_after": null, "debug": "Traceback ...",
 *   "business": true, "transient": false}
 *  Members the error does not have are null ("class", "model", "method",
 *  "debug", "http_status" when no answer arrived, "retry_after" when the
 *  server gave none). Secrets are never in it: the library masks them in
 *  every error it fills. err NULL, or an error with kind ODOO_OK, gives
 *  {"kind": "ok", "kind_code": 0, ...} with a null message.
 *  Returns new text the caller frees with odoo_free(), or NULL when out of
 *  memory. */
ODOO_EXTERN(char *) odoo_error_to_json(const odoo_rpc_error *err);

/** Nonzero for the errors that are the business's answer, not a failure
 *  of the plumbing: ODOO_ERR_USER, ODOO_ERR_VALIDATION, ODOO_ERR_MISSING
 *  and ODOO_ERR_ACCESS. Portable code tests this rather than one kind:
 *  XML-RPC reports a ValidationError as a UserError (fault code 2 covers
 *  UserError and its subclasses), so the exact kind depends on the protocol. */
ODOO_EXTERN(int) odoo_error_is_business(odoo_error_kind kind);

/** A new error, initialised as ODOO_RPC_ERROR_INIT, for callers that keep
 *  it opaque; NULL when out of memory. Release with odoo_rpc_error_free(). */
ODOO_EXTERN(odoo_rpc_error *) odoo_rpc_error_new(void);

/** Clear and free an error from odoo_rpc_error_new(). NULL is fine. */
ODOO_EXTERN(void) odoo_rpc_error_free(odoo_rpc_error *err);

/** The kind held by err (ODOO_OK for NULL), for callers that keep it opaque. */
ODOO_EXTERN(odoo_error_kind) odoo_rpc_error_kind(const odoo_rpc_error *err);

ODOO_END_DECLS

#endif
