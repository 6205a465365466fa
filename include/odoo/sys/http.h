/*
 * libodoo — the HTTP exchange types, and the transport handle.
 *
 * An adapter describes a request (odoo_http_request) and reads an answer
 * (odoo_http_response); the core sends it on the connection's transport:
 * one libcurl easy handle per connection, reused across calls (keep-alive),
 * with the connection's timeouts, TLS settings, in-memory cookie store and
 * response size cap. Adapters never call odoo_http_send(): it is here for
 * tools that need a bare transport with the same settings (odoo-bridge,
 * tests).
 */
#ifndef ODOO_SYS_HTTP_H
#define ODOO_SYS_HTTP_H

#include "../common.h"
#include "../errors.h"
#include "../options.h"

ODOO_BEGIN_DECLS

typedef struct odoo_http odoo_http;

typedef struct odoo_http_request {
    const char *method;          /* "POST" or "GET" (nothing else); NULL means "POST" */
    const char *path;            /* appended to the base URL; starts with '/', no space, '#' or control byte */
    const char *content_type;    /* e.g. "application/json", or NULL; no control byte */
    const char *const *headers;  /* extra "Name: value" lines, NULL-terminated, or NULL; no CR, LF or
                                    other control byte (one line each) */
    const char *body;            /* request body (NULL only when body_len is 0) */
    size_t body_len;
} odoo_http_request;

typedef struct odoo_http_response {
    long status;                 /* HTTP status */
    const char *content_type;    /* borrowed, or NULL */
    char *body;                  /* NUL-terminated; borrowed from the handle, valid until its next send */
    size_t body_len;
    long retry_after;            /* seconds from Retry-After (a delay or an HTTP date), clamped to
                                    0..ODOO_RETRY_AFTER_MAX; -1 when absent or unreadable */
} odoo_http_response;

/** A new handle for base_url configured from opts (timeouts, TLS, limits,
 *  user agent, trace). *out is released with odoo_http_free(). Refused
 *  with ODOO_ERR_INVALID_ARGUMENT: a URL that is not http(s)://, has a
 *  query (?) or fragment (#), a space or control byte; a user agent with
 *  a control byte; a tls_min_version other than 0, 12 or 13. TLS is never
 *  spoken below 1.2, whatever the system's OpenSSL policy allows. */
ODOO_EXTERN(int) odoo_http_new(odoo_http **out, const char *base_url,
                               const odoo_options *opts, odoo_rpc_error *err);
ODOO_EXTERN(void) odoo_http_free(odoo_http *h);

/** Send req and wait for the whole answer. Any 1xx, 2xx, 4xx or 5xx
 *  status is a success here (the adapter decides what a 4xx means);
 *  failures are transport errors: connect, DNS, timeout, TLS, network, too
 *  large, and ODOO_ERR_PROTOCOL for an answer that is not HTTP or has
 *  oversized headers. A 3xx is ODOO_ERR_PROTOCOL too, for every protocol:
 *  no redirect is followed; the message names the Location (credentials
 *  stripped), resp->status is set and odoo_http_redirect_location() gives
 *  it. A request breaking the rules of odoo_http_request, or a NULL h, req
 *  or resp, is ODOO_ERR_INVALID_ARGUMENT, before any I/O. */
ODOO_EXTERN(int) odoo_http_send(odoo_http *h, const odoo_http_request *req,
                                odoo_http_response *resp, odoo_rpc_error *err);

/** Strings that must never leave the library (passwords, keys): the trace
 *  masks them. The handle copies them. */
ODOO_EXTERN(int) odoo_http_add_secret(odoo_http *h, const char *secret);

/* The accessors below accept a NULL handle (they answer NULL, 0 or -1). */

/** The base URL, without a trailing slash. Borrowed. */
ODOO_EXTERN(const char *) odoo_http_base_url(const odoo_http *h);

/** 1 when certificates are verified, 0 when the insecure switch is on. */
ODOO_EXTERN(int) odoo_http_tls_verified(const odoo_http *h);

/** Turn on the in-memory cookie store (off by default: only a protocol
 *  with a server-side session needs it, and it costs every request a
 *  cookie lookup). */
ODOO_EXTERN(int) odoo_http_enable_cookies(odoo_http *h);

/** Value of the cookie called name for the base URL's host, copied into a
 *  new string the caller frees with free(); NULL when there is none. */
ODOO_EXTERN(char *) odoo_http_cookie(odoo_http *h, const char *name);

/** Forget every cookie. */
ODOO_EXTERN(void) odoo_http_clear_cookies(odoo_http *h);

/** Seconds of the last answer's Retry-After header, -1 when it had none. */
ODOO_EXTERN(long) odoo_http_retry_after(const odoo_http *h);

/** Where the last answer redirected to, when it was a (refused) 3xx:
 *  absolute, credentials replaced by ***, at most 300 characters;
 *  borrowed until the next send. NULL otherwise. */
ODOO_EXTERN(const char *) odoo_http_redirect_location(const odoo_http *h);

/** Number of TCP connections opened so far (keep-alive makes it stay at 1). */
ODOO_EXTERN(long) odoo_http_connections(odoo_http *h);

/** Traffic counters since the handle was made, as they went on the wire
 *  (headers included, compressed bodies counted compressed). */
typedef struct odoo_http_stats {
    long requests;
    long connections;
    unsigned long long bytes_sent;
    unsigned long long bytes_received;
} odoo_http_stats;
ODOO_EXTERN(void) odoo_http_get_stats(odoo_http *h, odoo_http_stats *out);

ODOO_END_DECLS

#endif
