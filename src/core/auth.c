/* API key first, password as the fallback. */
#include "../errors/error_internal.h"
#include "auth.h"

int odoo__login_key_then_password(odoo_protocol *p, odoo_login_attempt attempt,
                                  const char **used_secret, odoo_rpc_error *err)
{
    *used_secret = NULL;
    p->logged_in = 0;
    if (!p->db || !*p->db)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "no database given (options.db)");
    if (!p->login || !*p->login)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "no login given (options.login)");
    const char *secrets[2] = { p->api_key, p->password };
    int tried = 0;
    for (int i = 0; i < 2; i++) {
        const char *s = secrets[i];
        if (!s || !*s)
            continue;
        tried |= 1 << i;
        long uid = 0;
        int rc = attempt(p, s, &uid, err);
        /* AccessDenied raised instead of False (some versions, 2FA): try the
         * next. A bare 401/403 is a proxy in front refusing us: say so. */
        if (rc == ODOO_ERR_AUTH && !(err && (err->http_status == 401 || err->http_status == 403)))
            continue;
        if (rc != 0)
            return rc;
        if (uid > 0) {
            odoo__error_reset(err);
            p->uid = uid;
            p->logged_in = 1;
            *used_secret = s;
            return 0;
        }
    }
    if (!tried)
        return odoo__error_set(err, ODOO_ERR_AUTH, "no password or API key given");
    return odoo__error_set(err, ODOO_ERR_AUTH,
                           "login refused for user '%s' on database '%s' (%s)", p->login, p->db,
                           tried == 3 ? "tried the API key, then the password"
                           : tried == 1 ? "with the API key: wrong, expired or not an RPC key"
                                        : "with the password");
}
