/* TLS for real: a throwaway CA, the loopback server over HTTPS. */
#include <string.h>

#include <criterion/criterion.h>
#include <odoo.h>

#include "replay_server.h"
#include "tlscerts.h"

static tls_certs certs;
static replay_server *srv;
static odoo_rpc_error err = ODOO_RPC_ERROR_INIT;

static void setup(void)
{
    cr_assert_eq(tls_certs_make(&certs), 0, "openssl could not make test certificates");
    srv = replay_start(certs.cert, certs.key);
    cr_assert_not_null(srv, "HTTPS replay server did not start");
    cr_assert(strncmp(replay_url(srv), "https://", 8) == 0);
}

static void teardown(void)
{
    replay_stop(srv);
    tls_certs_remove(&certs);
    odoo_rpc_error_clear(&err);
}

static int version_over(const char *ca_file, int insecure, odoo_protocol **out)
{
    odoo_options o = ODOO_OPTIONS_INIT;
    o.url = replay_url(srv);
    o.ca_file = ca_file;
    o.tls_insecure = insecure;
    cr_assert_eq(odoo_connect(out, ODOO_PROTOCOL_JSONRPC, &o, &err), 0);
    replay_expect(srv, "odoo19/jsonrpc-session/01-version_info.json");
    json_object *info = NULL;
    int rc = odoo_version_info(&info, *out, &err);
    json_object_put(info);
    return rc;
}

TestSuite(tls, .init = setup, .fini = teardown, .timeout = 30);

Test(tls, unknown_ca_fails_with_verification_on_by_default)
{
    odoo_protocol *p = NULL;
    cr_expect_eq(version_over(NULL, 0, &p), ODOO_ERR_TLS, "%s", err.message);
    cr_expect_eq(odoo_tls_verified(p), 1);
    cr_expect_eq(replay_count(srv), 0, "no request got through");
    odoo_close(p);
}

Test(tls, ca_file_makes_it_work)
{
    odoo_protocol *p = NULL;
    cr_expect_eq(version_over(certs.ca, 0, &p), 0, "%s", err.message);
    cr_expect_eq(odoo_tls_verified(p), 1);
    cr_expect_eq(odoo_server_version(p), 19);
    odoo_close(p);
}

Test(tls, insecure_switch_works_and_shows)
{
    odoo_protocol *p = NULL;
    cr_expect_eq(version_over(NULL, 1, &p), 0, "%s", err.message);
    cr_expect_eq(odoo_tls_verified(p), 0, "the connection says verification is off");
    odoo_close(p);
}
