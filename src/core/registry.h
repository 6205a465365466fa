/* Private: the adapter registry (odoo_adapter_register and friends). */
#ifndef ODOO_REGISTRY_H
#define ODOO_REGISTRY_H

#include "odoo/sys/protocol.h"

/* The registered adapter for a built-in kind, or NULL. */
const odoo_adapter *odoo__adapter_for_kind(odoo_protocol_kind kind);

/* Open through a registered adapter (its descriptor is recorded). */
int odoo__open_adapter(odoo_protocol **out, const odoo_adapter *a, const odoo_options *opts, odoo_rpc_error *err);

/* Run the PREPARE exchange once. */
int odoo__ensure_prepared(odoo_protocol *p, odoo_rpc_error *err);

/* The call sequence: prepare, login, run, renew, retry. */
int odoo__run_call(odoo_protocol *p, const odoo_call_spec *spec, json_object **out, odoo_rpc_error *err);

/* The built-in adapters, in the order they register (src/adapters/builtin.c). */
const odoo_adapter *const *odoo__builtin_adapters(size_t *n);

#endif
