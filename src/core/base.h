/* Private: what the base offers to the rest of the library. */
#ifndef ODOO_BASE_H
#define ODOO_BASE_H

#include "odoo/sys/protocol.h"

/* Validate a call, merge the contexts, log in when the adapter needs it,
 * run it through the vtable, renew an expired session once, and finish
 * the error (model, method, secrets masked). ids/args/kwargs/context are
 * borrowed; *out receives a new reference. */
int odoo__dispatch(odoo_protocol *p, const char *model, const char *method, json_object *ids,
                   json_object *args, json_object *kwargs, json_object *context,
                   json_object **out, odoo_rpc_error *err);

/* Log in when the adapter needs a uid and has none yet. */
int odoo__ensure_login(odoo_protocol *p, odoo_rpc_error *err);

/* Record model/method in err and mask the connection's secrets. */
void odoo__finish_error(odoo_protocol *p, odoo_rpc_error *err, const char *model, const char *method);

#endif
