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
    ODOO_ERR_UNAVAILABLE = -26       /* HTTP 502/503/504: Odoo, or the reverse proxy in front of it, cannot
                                        answer now (restarting, overloaded); retry later */
} odoo_error_kind;

#define ODOO_ERROR_KIND_MIN ODOO_ERR_UNAVAILABLE

/** The largest Retry-After kept, in seconds (a bigger value or a date
 *  further ahead is clamped to it): a server cannot park a client for days. */
#define ODOO_RETRY_AFTER_MAX 3600

/** The details of a failure. Zero-initialise it (ODOO_RPC_ERROR_INIT), pass
 *  it to any call, and release its strings with odoo_rpc_error_clear().
 *  A call that fills it clears what it held first, so one struct can be
 *  reused across calls. All strings are owned by the struct. */
typedef struct odoo_rpc_error {
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

#define ODOO_RPC_ERROR_INIT { ODOO_OK, 0, 0, NULL, NULL, NULL, NULL, NULL, -1 }

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

ODOO_END_DECLS

#endif
