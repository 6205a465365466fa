/* Private: the JSON-RPC 2.0 envelope Odoo speaks on /web/... and /jsonrpc. */
#ifndef ODOO_ENVELOPE_H
#define ODOO_ENVELOPE_H

#include "odoo/sys/protocol.h"
#include "jsonbuf.h"

/* Start a request body in b: {"jsonrpc":"2.0","method":"call","params":
 * — the caller then writes the params object. */
void odoo__jsonrpc_begin(odoo_jsonbuf *b);

/* Close the body with the next request id, POST it to path and decode the
 * answer (as odoo__jsonrpc_call). b is emptied and wiped afterwards (it
 * may hold a password). */
int odoo__jsonrpc_send(odoo_protocol *p, odoo_jsonbuf *b, const char *path, json_object **out,
                       odoo_rpc_error *err);

/* POST {"jsonrpc":"2.0","method":"call","params":params,"id":N} to path
 * and decode the answer: the result (a new reference; NULL when Odoo
 * omitted it because the method returned None) or the error envelope
 * parsed into err. params is borrowed. */
int odoo__jsonrpc_call(odoo_protocol *p, const char *path, json_object *params,
                       json_object **out, odoo_rpc_error *err);

/* Decode one JSON-RPC response body (exposed for decoder tests).
 * expected_id < 0 skips the id check. */
int odoo__jsonrpc_decode(const char *body, size_t len, long http_status, const char *content_type,
                         long expected_id, json_object **out, odoo_rpc_error *err);

#endif
