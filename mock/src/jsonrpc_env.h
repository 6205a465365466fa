/* odoo-mock — JSON-RPC 2.0 envelopes as Odoo's JsonRPCDispatcher writes
 * them: {"jsonrpc", "id", "result"} (result omitted for None) or
 * {"jsonrpc", "id", "error": {"code", "message", "data"}}. */
#ifndef MOCK_JSONRPC_ENV_H
#define MOCK_JSONRPC_ENV_H

#include <json-c/json.h>

#include "errors.h"
#include "mock_internal.h"

/* id and result are borrowed (NULL id = null, NULL result = omitted). */
void om_jsonrpc_reply(mock_resp *r, json_object *id, json_object *result);
void om_jsonrpc_reply_error(mock_resp *r, int version, json_object *id, const mock_err *e,
                         const char *where);

/* Parse the body of a JSON route. Returns the top-level object (new ref)
 * or NULL after filling r with Odoo's 400 answers ("Invalid JSON data",
 * "Invalid JSON-RPC data"). errmsg receives the decoder message. */
json_object *om_jsonrpc_parse(mock_req *q, mock_resp *r, int *decode_error, char *errmsg,
                           size_t errsize);

#endif
