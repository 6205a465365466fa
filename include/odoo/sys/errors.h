/*
 * libodoo — setting errors, for adapter authors.
 *
 * An adapter's encode and decode end with `return odoo_error_set(err, ...)`
 * on failure. err may be NULL (the caller does not want the details); the
 * kind is returned either way. The core adds the model, the method and
 * masks every secret afterwards: adapters never quote secrets anyway.
 */
#ifndef ODOO_SYS_ERRORS_H
#define ODOO_SYS_ERRORS_H

#include <stddef.h>
#include "../common.h"
#include "../errors.h"

ODOO_BEGIN_DECLS

#if defined(__GNUC__) || defined(__clang__)
#  define ODOO_SYS_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#  define ODOO_SYS_PRINTF(f, a)
#endif

/** Reset err and set kind and a formatted message. Returns kind. */
ODOO_EXTERN(int) odoo_error_set(odoo_rpc_error *err, odoo_error_kind kind, const char *fmt, ...)
    ODOO_SYS_PRINTF(3, 4);
/** Out of memory (no allocation needed). Returns ODOO_ERR_NOMEM. */
ODOO_EXTERN(int) odoo_error_nomem(odoo_rpc_error *err);

/** An answer that is not what the protocol sends (an HTML page, a proxy's
 *  error, truncated text): keeps the status and the first bytes of the
 *  body (an HTML page's <title>); the kind follows the status (401/403
 *  auth, 429 rate_limited, 502/503/504 unavailable, otherwise protocol).
 *  what names the expectation ("a JSON-RPC response"). Returns the kind. */
ODOO_EXTERN(int) odoo_error_from_http(odoo_rpc_error *err, long http_status, const char *content_type,
                                      const char *body, size_t len, const char *what);
/** Odoo's serialised exception {name, message, arguments, context, debug}
 *  (JSON-RPC error.data, a JSON-2 error body). Returns the kind. */
ODOO_EXTERN(int) odoo_error_from_exception(odoo_rpc_error *err, json_object *exception, long http_status,
                                           int code);

ODOO_END_DECLS

#endif
