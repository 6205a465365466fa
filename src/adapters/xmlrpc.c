/* XML-RPC adapter: placeholder. */
#include "../errors/error_internal.h"
#include "adapters.h"

static int unsupported(odoo_rpc_error *err)
{
    return odoo__error_set(err, ODOO_ERR_UNSUPPORTED, "the XML-RPC adapter is not available in this build");
}
static int px_auth(odoo_protocol *p, odoo_rpc_error *err) { (void)p; return unsupported(err); }
static int px_exec(odoo_protocol *p, const odoo_call_spec *c, json_object **o, odoo_rpc_error *err)
{ (void)p; (void)c; (void)o; return unsupported(err); }
static int px_version(odoo_protocol *p, json_object **o, odoo_rpc_error *err) { (void)p; (void)o; return unsupported(err); }

const odoo_protocol_ops odoo__xmlrpc_ops = {
    ODOO_PROTOCOL_OPS_VERSION, "xmlrpc", ODOO_PROTOCOL_XMLRPC, 0, sizeof(odoo_protocol),
    NULL, px_auth, px_exec, px_version, NULL,
};
