/* Private: the JSON-RPC 2.0 envelope (odoo/sys/jsonrpc.h) under its
 * library names. */
#ifndef ODOO_ENVELOPE_H
#define ODOO_ENVELOPE_H

#include "odoo/sys/jsonrpc.h"
#include "jsonbuf.h"

#define odoo__jsonrpc_begin odoo_jsonrpc_begin

/* Decode one JSON-RPC response body of Odoo's (for decoder tests and the
 * fuzz harness). expected_id < 0 skips the id check. */
int odoo__jsonrpc_decode(const char *body, size_t len, long http_status, const char *content_type,
                         long expected_id, json_object **out, odoo_rpc_error *err);

/* POST params (borrowed; NULL is {}) in an envelope to path on p's
 * transport and decode the answer: for the core's own requests (the db
 * service), never an adapter's. */
int odoo__jsonrpc_call(odoo_protocol *p, const char *path, json_object *params, json_object **out,
                       odoo_rpc_error *err);

#endif
