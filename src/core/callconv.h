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

/* New references to the wire args (array) and kwargs (object) of call;
 * read-only: they may be the call's own values. */
int odoo__call_positional(const odoo_call_spec *call, json_object **args, json_object **kwargs,
                          odoo_rpc_error *err);

/* The same two values written as JSON text, without building them:
 * odoo_buf_call_args, odoo_buf_call_kwargs and odoo_call_has_kwargs of
 * odoo/sys/callconv.h. */
#include "odoo/sys/callconv.h"
#define odoo__jb_call_args odoo_buf_call_args
#define odoo__jb_call_kwargs odoo_buf_call_kwargs
#define odoo__call_has_kwargs odoo_call_has_kwargs

/* How a named call's result must be reshaped to match execute_kw. */
typedef enum { ODOO_RESULT_AS_IS = 0, ODOO_RESULT_FIRST_ID } odoo_result_shape;

/* A new object of named arguments for call (ids and context included),
 * and the reshaping its result needs. A method outside the table that
 * has positional args is ODOO_ERR_INVALID_ARGUMENT: never a guess. */
int odoo__call_named(const odoo_call_spec *call, json_object **named, odoo_result_shape *shape,
                     odoo_rpc_error *err);

/* Nonzero when call has positional args for a method outside the table:
 * naming them needs the server's description (apidoc.h). */
int odoo__call_needs_doc(const odoo_call_spec *call);

/* odoo__call_named, with doc (borrowed; NULL = none) naming the
 * positional args of a method outside the table as Python binds them:
 * in declaration order, the ids first for a record method (no "model" in
 * its api) unless call->ids has them, no more than its positional
 * parameters (JSON-2 cannot carry *args), each parameter once, every
 * parameter without a default given. */
struct odoo__doc_method;
int odoo__call_named_doc(const odoo_call_spec *call, const struct odoo__doc_method *doc, json_object **named,
                         odoo_result_shape *shape, odoo_rpc_error *err);

/* For tests: the i-th entry of the built-in table (NULL past the end),
 * whether it is a record method, and its parameter names (borrowed). */
const char *odoo__call_table(size_t i, int *record, const char *const **params, size_t *nparams);

/* The advice of every refusal to name positional args; a printf format
 * taking the model and the method. */
#define ODOO__NAMED_ADVICE_FMT                                                                          \
    "pass the arguments by name (kwargs) and the record ids apart: odoo_call(), or "                    \
    "odoo-rpc call --ids 1,2 %s %s '[]' '{\"param\": value}'"

/* Apply shape to *result (in place). Returns 0, or a protocol error after
 * releasing *result and setting it to NULL. */
int odoo__reshape_result(json_object **result, odoo_result_shape shape, odoo_rpc_error *err);

#endif
