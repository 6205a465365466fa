/* Private: logging in with an API key or a password, shared by the
 * protocols whose login takes either (XML-RPC, stateless /jsonrpc). */
#ifndef ODOO_AUTH_H
#define ODOO_AUTH_H

#include "odoo/sys/protocol.h"

/* One login attempt with secret: 0 and *uid > 0 when accepted, 0 and
 * *uid == 0 when refused (Odoo answers False), negative on failure. */
typedef int (*odoo_login_attempt)(odoo_protocol *p, const char *secret, long *uid, odoo_rpc_error *err);

/* Try the API key first and fall back to the password when the key is
 * refused (REQ-02b-14). On success sets p->uid, p->logged_in and
 * *used_secret (borrowed from p: the secret later calls must send). */
int odoo__login_key_then_password(odoo_protocol *p, odoo_login_attempt attempt,
                                  const char **used_secret, odoo_rpc_error *err);

#endif
