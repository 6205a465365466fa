/*
 * libodoo — Odoo's call convention, for adapter authors.
 *
 * Positional (XML-RPC, both JSON-RPC flavours, ODXProxy v1): execute_kw's
 * args array with the record ids first, and its kwargs object with the
 * context inside. Named (JSON-2, ODXProxy v2): one object of named
 * arguments with "ids" and "context" as members; positional args of the
 * common ORM methods are named by one built-in table.
 */
#ifndef ODOO_SYS_CALLCONV_H
#define ODOO_SYS_CALLCONV_H

#include "../common.h"
#include "../errors.h"
#include "buf.h"
#include "protocol.h"

ODOO_BEGIN_DECLS

/** The number of execute_kw positional args of call, and the i-th of them
 *  (borrowed; NULL past the end): the record ids first when the call has
 *  them, then the call's args. */
ODOO_EXTERN(size_t) odoo_call_nargs(const odoo_call_spec *call);
ODOO_EXTERN(json_object *) odoo_call_arg(const odoo_call_spec *call, size_t i);
/** Call fn for each member of execute_kw's kwargs: the call's kwargs, then
 *  "context" when the call has one. Stops at and returns fn's first
 *  nonzero answer; 0 otherwise. */
ODOO_EXTERN(int) odoo_call_kwargs_foreach(const odoo_call_spec *call,
                                          int (*fn)(const char *key, json_object *value, void *payload),
                                          void *payload);

/** Write execute_kw's args array (ids first) as JSON text. */
ODOO_EXTERN(void) odoo_buf_call_args(odoo_buf *b, const odoo_call_spec *call);
/** Write execute_kw's kwargs object (context inside) as JSON text. */
ODOO_EXTERN(void) odoo_buf_call_kwargs(odoo_buf *b, const odoo_call_spec *call);
/** Nonzero when that kwargs object is not empty (Python clients leave an
 *  empty one out, and Odoo accepts both). */
ODOO_EXTERN(int) odoo_call_has_kwargs(const odoo_call_spec *call);

/** A new object of named arguments for call (ids and context included);
 *  *first_id is set when the result must be unwrapped (create of one
 *  record answers [id] by name, id positionally). A method outside the
 *  table with positional args is ODOO_ERR_INVALID_ARGUMENT, never a guess.
 *  The caller releases *out with json_object_put(). */
ODOO_EXTERN(int) odoo_call_named_args(json_object **out, const odoo_call_spec *call, int *first_id,
                                      odoo_rpc_error *err);

/** What common.authenticate answered (result borrowed), as XML-RPC and
 *  stateless /jsonrpc carry it: a uid (*uid > 0), or False when the
 *  secret was refused (*uid = 0, return 0: the core then tries the next
 *  secret or reports ODOO_ERR_AUTH). Anything else is ODOO_ERR_PROTOCOL. */
ODOO_EXTERN(int) odoo_authenticate_uid(int64_t *uid, json_object *result, odoo_rpc_error *err);

ODOO_END_DECLS

#endif
