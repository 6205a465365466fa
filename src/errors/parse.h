/* Private: turning what a server sent into an odoo_rpc_error.
 * Each parser resets err, fills it, and returns the (negative) kind. */
#ifndef ODOO_ERRORS_PARSE_H
#define ODOO_ERRORS_PARSE_H

#include <json-c/json_object.h>
#include "odoo/errors.h"

/* Odoo's serialised exception {name, message, arguments, context, debug}
 * (JSON-RPC error.data, a JSON-2 error body, ODXProxy error.data).
 * http_status and code are recorded as given. */
#include "odoo/sys/errors.h"
#define odoo__error_from_exception odoo_error_from_exception

/* A JSON-RPC "error" member {code, message, data}: Odoo 18 uses code 200,
 * 19 code 0, both 100 for an expired session and 404 for NotFound. */
int odoo__error_from_jsonrpc(odoo_rpc_error *err, json_object *error, long http_status);

/* An XML-RPC fault of /xmlrpc/2, the only endpoint libodoo calls: code 1
 * generic with a traceback, 2 UserError family, 3 AccessDenied, 4
 * AccessError. (The legacy /xmlrpc/<service> gives string codes; libodoo
 * never calls it, and xmlrpc_reply.c refuses a string code.) */
int odoo__error_from_fault(odoo_rpc_error *err, int code, const char *fault_string, long http_status);

/* A JSON-2 error: the HTTP status plus the bare exception object; any
 * other body (the HTML 404 of an unknown database, 415 pages) becomes a
 * protocol error keeping the status and the first bytes. */
int odoo__error_from_json2(odoo_rpc_error *err, long http_status, const char *content_type,
                           const char *body, size_t len);

/* An answer that is not what the protocol sends: keeps the status and the
 * first bytes of the body (the <title> of an HTML page in the message).
 * The kind is odoo__kind_for_status(status, 0): 401/403 auth, 429
 * rate_limited, 502/503/504 unavailable, everything else protocol.
 * what names the expectation, e.g. "a JSON-RPC response". */
#define odoo__error_from_http odoo_error_from_http

/* The exception class and message at the end of a Python traceback
 * ("...\nodoo.exceptions.UserError: text"), builtins prefixed like Odoo's
 * JSON serialiser does ("builtins.TypeError"). Returns 0 when found, with
 * *cls and *msg newly allocated. */
int odoo__traceback_tail(const char *tb, char **cls, char **msg);

/* An ODXProxy error envelope member {code, message, data} on HTTP status:
 * the gateway's own codes (-32000..-32007, and 0 with 403 for the licence)
 * become proxy kinds; anything else is Odoo's error passed through, with
 * data.name as the class (code 200 on Odoo 18, 0 on 19, or Odoo's HTTP
 * status on v2). */
int odoo__error_from_proxy(odoo_rpc_error *err, long http_status, json_object *error);

#endif
