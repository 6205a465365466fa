/* Private: the built-in adapters. */
#ifndef ODOO_ADAPTERS_H
#define ODOO_ADAPTERS_H

#include "odoo/sys/protocol.h"

extern const odoo_protocol_ops odoo__xmlrpc_ops;
extern const odoo_protocol_ops odoo__jsonrpc_ops;
extern const odoo_protocol_ops odoo__jsonrpc_stateless_ops;
extern const odoo_protocol_ops odoo__json2_ops;
extern const odoo_protocol_ops odoo__odxproxy_ops;

/* The table for a kind, or NULL (AUTO and unknown kinds). */
const odoo_protocol_ops *odoo__adapter_ops(odoo_protocol_kind kind);

/* The ODXProxy envelope decoder on one answer (exposed for the fuzz
 * harness): result in *out (new reference) or the error in err. id NULL
 * skips the request id check. */
int odoo__odxproxy_decode(const char *body, size_t len, long status, const char *content_type, const char *id,
                          json_object **out, odoo_rpc_error *err);

#endif
