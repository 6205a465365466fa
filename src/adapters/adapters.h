/* Private: the built-in adapters' descriptors (listed in builtin.c). */
#ifndef ODOO_ADAPTERS_H
#define ODOO_ADAPTERS_H

#include "odoo/sys/protocol.h"

extern const odoo_adapter odoo__xmlrpc_adapter;
extern const odoo_adapter odoo__jsonrpc_adapter;
extern const odoo_adapter odoo__jsonrpc_stateless_adapter;
extern const odoo_adapter odoo__json2_adapter;
extern const odoo_adapter odoo__odxproxy_adapter;

/* The ODXProxy envelope decoder on one answer (exposed for the fuzz
 * harness): result in *out (new reference) or the error in err. id NULL
 * skips the request id check. */
int odoo__odxproxy_decode(const char *body, size_t len, long status, const char *content_type, const char *id,
                          json_object **out, odoo_rpc_error *err);

#endif
