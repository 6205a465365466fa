/* A user's program built against the installed Debian packages (see
 * scripts/debian.sh): it starts an odoo-mock in its own process
 * (libodoo_mock, from the odoo-mock package) and asks it, through libodoo
 * (libodoo-dev / libodoo0.2), how many partners it has, on two protocols.
 * Exit 0 only when both answer the same non-zero count and the library
 * that runs is the one the headers describe. */
#include <stdio.h>
#include <string.h>
#include <odoo.h>
#include <odoo_mock.h>

static int count_partners(const char *url, odoo_protocol_kind kind, int64_t *n)
{
    odoo_options o = ODOO_OPTIONS_INIT;
    odoo_rpc_error e = ODOO_RPC_ERROR_INIT;
    odoo_protocol *p = NULL;
    o.url = url;
    o.db = "odoo";
    o.login = ODOO_MOCK_ADMIN_LOGIN;
    o.password = ODOO_MOCK_ADMIN_PASSWORD;
    o.api_key = ODOO_MOCK_ADMIN_API_KEY;
    int rc = odoo_connect(&p, kind, &o, &e);
    if (rc == 0)
        rc = odoo_search_count(n, p, "res.partner", NULL, &e);
    if (rc != 0)
        fprintf(stderr, "consumer: %s: %s\n", odoo_error_kind_name(e.kind), e.message);
    else
        printf("%lld partners via %s\n", (long long)*n, odoo_protocol_name(p));
    odoo_rpc_error_clear(&e);
    odoo_close(p);
    return rc;
}

int main(void)
{
    odoo_mock_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.quiet = 1;
    cfg.partners = 20;
    odoo_mock *m;
    if (odoo_mock_start(&m, &cfg) != 0) {
        fprintf(stderr, "consumer: odoo_mock_start failed\n");
        return 1;
    }
    printf("libodoo %s (headers %s), odoo-mock at %s\n", odoo_version_string(), ODOO_VERSION_STRING,
           odoo_mock_url(m));
    int64_t a = 0, b = 0;
    int rc = count_partners(odoo_mock_url(m), ODOO_PROTOCOL_JSON2, &a) ||
             count_partners(odoo_mock_url(m), ODOO_PROTOCOL_XMLRPC, &b);
    odoo_mock_stop(m);
    if (rc || a <= 0 || a != b || strcmp(odoo_version_string(), ODOO_VERSION_STRING) != 0)
        return 1;
    return 0;
}
