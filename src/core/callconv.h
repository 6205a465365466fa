/* Private: Odoo's call convention, in the two shapes the wire needs.
 *
 * Positional (XML-RPC, both JSON-RPC flavours, ODXProxy v1): the record
 * ids go first in args and the context inside kwargs.
 * Named (JSON-2, ODXProxy v2): one object of named arguments, with "ids"
 * and "context" as members; positional args of the common ORM methods
 * are translated by one table. */
#ifndef ODOO_CALLCONV_H
#define ODOO_CALLCONV_H

#include "odoo/sys/protocol.h"
#include "jsonbuf.h"

/* New references to the wire args (array) and kwargs (object) of call. */
int odoo__call_positional(const odoo_call_spec *call, json_object **args, json_object **kwargs,
                          odoo_rpc_error *err);

/* The same two values written as JSON text, without building them: the
 * args array (ids first) and the kwargs object (context inside). */
void odoo__jb_call_args(odoo_jsonbuf *b, const odoo_call_spec *call);
void odoo__jb_call_kwargs(odoo_jsonbuf *b, const odoo_call_spec *call);
/* Nonzero when the kwargs object of call is not empty. */
int odoo__call_has_kwargs(const odoo_call_spec *call);

/* How a named call's result must be reshaped to match execute_kw. */
typedef enum { ODOO_RESULT_AS_IS = 0, ODOO_RESULT_FIRST_ID } odoo_result_shape;

/* A new object of named arguments for call (ids and context included),
 * and the reshaping its result needs. A method outside the table that
 * has positional args is ODOO_ERR_INVALID_ARGUMENT: never a guess. */
int odoo__call_named(const odoo_call_spec *call, json_object **named, odoo_result_shape *shape,
                     odoo_rpc_error *err);

/* Apply shape to *result (in place). Returns 0, or a protocol error after
 * releasing *result and setting it to NULL. */
int odoo__reshape_result(json_object **result, odoo_result_shape shape, odoo_rpc_error *err);

#endif
