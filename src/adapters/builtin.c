/* The built-in adapters, registered before any other (registry.c asks
 * for this list once). AUTO's probes follow each one's probe_order. */
#include "../core/registry.h"
#include "adapters.h"

const odoo_adapter *const *odoo__builtin_adapters(size_t *n)
{
    static const odoo_adapter *const list[] = {
        &odoo__json2_adapter, &odoo__jsonrpc_adapter, &odoo__jsonrpc_stateless_adapter,
        &odoo__xmlrpc_adapter, &odoo__odxproxy_adapter,
    };
    *n = sizeof(list) / sizeof(list[0]);
    return list;
}
