/* Kind -> adapter table. */
#include "adapters.h"

const odoo_protocol_ops *odoo__adapter_ops(odoo_protocol_kind kind)
{
    switch (kind) {
    case ODOO_PROTOCOL_XMLRPC: return &odoo__xmlrpc_ops;
    case ODOO_PROTOCOL_JSONRPC: return &odoo__jsonrpc_ops;
    case ODOO_PROTOCOL_JSONRPC_STATELESS: return &odoo__jsonrpc_stateless_ops;
    case ODOO_PROTOCOL_JSON2: return &odoo__json2_ops;
    case ODOO_PROTOCOL_ODXPROXY: return &odoo__odxproxy_ops;
    default: return NULL;
    }
}
