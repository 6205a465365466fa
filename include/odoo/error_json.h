/*
 * libodoo — errors for portable code and for bindings.
 *
 * A binding (Python's ctypes, a C++ wrapper, any FFI) need not mirror the
 * layout of odoo_rpc_error: it allocates one with odoo_rpc_error_new(),
 * passes the pointer to every call as an opaque handle, and reads what
 * went wrong as JSON text with odoo_error_to_json().
 */
#ifndef ODOO_ERROR_JSON_H
#define ODOO_ERROR_JSON_H

#include "common.h"
#include "errors.h"
#include "memory.h"

ODOO_BEGIN_DECLS

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
