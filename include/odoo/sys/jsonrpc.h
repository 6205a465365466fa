/*
 * libodoo — the JSON-RPC 2.0 envelope, for adapter authors.
 *
 * Odoo's /jsonrpc and /web/... routes and the ODXProxy gateway speak it:
 * {"jsonrpc":"2.0","method":"call","params":...,"id":...} out and
 * {"jsonrpc":"2.0","id":...,"result":...} or {...,"error":{code, message,
 * data}} back. Odoo's ids are integers, the gateway's UUID strings.
 */
#ifndef ODOO_SYS_JSONRPC_H
#define ODOO_SYS_JSONRPC_H

#include "../common.h"
#include "../errors.h"
#include "buf.h"
#include "http.h"

ODOO_BEGIN_DECLS

/** Start a request in b (emptied first): {"jsonrpc":"2.0","method":"call","params":
 *  — the caller then writes the params value and ends with odoo_jsonrpc_end(). */
ODOO_EXTERN(void) odoo_jsonrpc_begin(odoo_buf *b);
/** Close the request with an integer id. */
ODOO_EXTERN(void) odoo_jsonrpc_end(odoo_buf *b, long id);

/** How the answer's id is checked. */
typedef struct odoo_jsonrpc_id {
    int type;            /* 0: not checked; 1: the integer num; 2: the string str */
    long num;
    const char *str;
} odoo_jsonrpc_id;

/** Which error member reader applies. */
typedef enum odoo_jsonrpc_dialect {
    ODOO_JSONRPC_ODOO = 0,     /* Odoo's {code 200/0/100/404, message, data: exception} */
    ODOO_JSONRPC_GATEWAY       /* ODXProxy's codes -32000..-32007, Odoo's passed through */
} odoo_jsonrpc_dialect;

/** Decode one answer: 0 and *out the result (a new reference; NULL when
 *  the method returned None) or the error member read into err. A body
 *  that is not an envelope keeps the status and the first bytes. An id
 *  that does not match id is ODOO_ERR_PROTOCOL. */
ODOO_EXTERN(int) odoo_jsonrpc_decode(json_object **out, const odoo_http_response *resp, odoo_jsonrpc_dialect dialect,
                                     const odoo_jsonrpc_id *id, odoo_rpc_error *err);

ODOO_END_DECLS

#endif
