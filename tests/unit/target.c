/* Where a test runs: connection options for odoo-mock, directly or
 * through what is in front of it (scenario.h). No Criterion here: the
 * thread checks (tests/threads) build it into a plain program. */
#include "scenario.h"

void test_target_options(const test_target *t, odoo_protocol_kind kind, odoo_options *o, const char *login,
                         const char *password, const char *api_key, int64_t uid)
{
    const char *url = t->url ? t->url : odoo_mock_url(t->mock);
    o->url = url;
    o->db = odoo_mock_db(t->mock);
    o->login = login;
    o->password = password;
    o->api_key = api_key;
    o->ca_file = t->ca_file;
    o->cert_file = t->cert_file;
    o->key_file = t->key_file;
    if (kind == ODOO_PROTOCOL_ODXPROXY) {
        /* The mock is its own gateway; the Odoo behind it is the URL the
         * gateway reaches (the mock itself), not the one in front. */
        o->url = odoo_mock_url(t->mock);
        o->proxy_url = url;
        o->proxy_api_key = ODOO_MOCK_PROXY_KEY;
        o->user_id = uid;
        o->proxy_api = t->gateway_api;
    }
}
