/* Private: choosing the protocol from what the server answers. */
#ifndef ODOO_SELECT_H
#define ODOO_SELECT_H

#include "odoo/sys/protocol.h"

/* Probe opts->url once (GET /web/version, then POST
 * /web/webclient/version_info, then XML-RPC common.version), choose a
 * protocol from the version, the credentials and opts->prefer, and open
 * it. The reason is kept in the connection (odoo_protocol_reason). */
int odoo__select_and_open(odoo_protocol **out, const odoo_options *opts, odoo_rpc_error *err);

/* The choice alone, for a known server major version (0: unknown) and
 * which probe answered; exposed for tests. *reason is static text
 * completed by the caller. */
odoo_protocol_kind odoo__choose(int major, int has_key, int has_password, odoo_preference prefer,
                                int only_xmlrpc, const char **rule);

#endif
