/* The suites' odoo-mock fixture (scenario.h): the mock started and
 * stopped, and a connection to it per protocol, written once for the
 * suites that run against the mock in-process. */
#include <criterion/criterion.h>

#include "scenario.h"

odoo_mock *test_mock_start(int version, int partners)
{
    odoo_mock_config cfg = { 0 };
    cfg.quiet = 1;
    cfg.odoo_version = version;
    cfg.partners = partners;
    odoo_mock *m = NULL;
    cr_assert_eq(odoo_mock_start(&m, &cfg), 0, "odoo-mock did not start");
    return m;
}

void test_mock_stop(odoo_mock **m, odoo_rpc_error *err)
{
    odoo_mock_stop(*m);
    *m = NULL;
    odoo_rpc_error_clear(err);
}

odoo_protocol *test_proto_connect(odoo_mock *m, const test_proto *pr, int retries, long backoff_ms,
                                  odoo_rpc_error *err)
{
    odoo_options o = ODOO_OPTIONS_INIT;
    test_proto_options(m, pr, &o);
    o.proxy_retries = retries;
    o.proxy_retry_backoff_ms = backoff_ms;
    odoo_protocol *p = NULL;
    cr_assert_eq(odoo_connect(&p, pr->kind, &o, err), 0, "%s: %s", pr->name, err->message);
    return p;
}
