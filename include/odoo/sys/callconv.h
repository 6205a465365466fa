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

ODOO_END_DECLS

#endif
