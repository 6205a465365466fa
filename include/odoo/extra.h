/*
 * libodoo — external IDs and the database list.
 */
#ifndef ODOO_EXTRA_H
#define ODOO_EXTRA_H

#include "common.h"
#include "errors.h"

ODOO_BEGIN_DECLS

/** The record id behind an external ID ("module.name", e.g.
 *  "base.main_company"), like env.ref() in Odoo code. Looked up with a
 *  search_read on ir.model.data (module and name), which every Odoo
 *  version and protocol answers the same way (the private
 *  _xmlid_lookup/xmlid_to_res_id methods differ by version and cannot be
 *  called remotely). model (may be NULL) receives the record's model, a
 *  new string the caller frees with odoo_free(). An unknown external ID is
 *  ODOO_ERR_MISSING ("External ID not found in the system: base.x"); an
 *  xmlid without a '.' is ODOO_ERR_INVALID_ARGUMENT. Like Odoo's
 *  ir.model.data, it does not check that the record still exists. */
ODOO_EXTERN(int) odoo_ref(int64_t *out, odoo_protocol *p, const char *xmlid, odoo_rpc_error *err);
ODOO_EXTERN(int) odoo_ref_model(int64_t *out, char **model, odoo_protocol *p, const char *xmlid,
                                odoo_rpc_error *err);

/** The names of the server's databases (*out: an array of strings, released
 *  with json_object_put), without logging in: the db service's list on
 *  /jsonrpc, or /web/database/list where /jsonrpc is gone (JSON-2-only
 *  servers). A server started with list_db = False refuses: that is
 *  ODOO_ERR_ACCESS with a message saying so (give the database name
 *  instead). Over ODXProxy it is ODOO_ERR_UNSUPPORTED (the gateway lists
 *  nothing). */
ODOO_EXTERN(int) odoo_db_list(json_object **out, odoo_protocol *p, odoo_rpc_error *err);

ODOO_END_DECLS

#endif
