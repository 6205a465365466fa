/* Where a test runs: connection options for odoo-mock, directly or
 * through what is in front of it (scenario.h). No Criterion here: the
 * thread checks (tests/threads) build it into a plain program. */
#include <time.h>

#include "scenario.h"

const test_proto test_protos[TEST_NPROTOS] = {
    { "xmlrpc", ODOO_PROTOCOL_XMLRPC, 0, "/xmlrpc/2/object" },
    { "jsonrpc", ODOO_PROTOCOL_JSONRPC, 0, "/web/dataset/call_kw" },
    { "jsonrpc-stateless", ODOO_PROTOCOL_JSONRPC_STATELESS, 0, "/jsonrpc" },
    { "json2", ODOO_PROTOCOL_JSON2, 0, "/json/2/" },
    { "odxproxy v1", ODOO_PROTOCOL_ODXPROXY, 1, "/api/odoo/execute" },
    { "odxproxy v2", ODOO_PROTOCOL_ODXPROXY, 2, "/v2/odoo/execute" },
};

long test_now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long)t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

void test_proto_options(odoo_mock *m, const test_proto *pr, odoo_options *o)
{
    test_target t = { m, NULL, NULL, pr->gateway_api, NULL, NULL };
    test_target_options(&t, pr->kind, o, ODOO_MOCK_ADMIN_LOGIN, ODOO_MOCK_ADMIN_PASSWORD, ODOO_MOCK_ADMIN_API_KEY,
                        ODOO_MOCK_ADMIN_UID);
}

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
