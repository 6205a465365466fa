/* Private: choosing the protocol from what the server answers. */
#ifndef ODOO_SELECT_H
#define ODOO_SELECT_H

#include "odoo/sys/protocol.h"

/* Probe opts->url with the registered adapters' version exchanges, in
 * their probe_order, on one transport, until one answers; choose the
 * protocol from the version, the credentials and opts->prefer (the
 * adapters' ranks), and open it on that same transport. The reason is
 * kept in the connection (odoo_protocol_reason). */
int odoo__select_and_open(odoo_protocol **out, const odoo_options *opts, odoo_rpc_error *err);

/* The choice alone (the highest rank among the registered adapters, or
 * facts->answered when it is a sole answer; NULL when none ranks), for
 * what AUTO found; exposed for tests and odoo-bridge. *rule is the
 * chosen adapter's reason (static text). */
const odoo_adapter *odoo__choose(const odoo_server_facts *facts, const char **rule);

#endif
