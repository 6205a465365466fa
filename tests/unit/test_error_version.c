/* issue 15 point 4: odoo_rpc_error is versioned; the library fills any
 * version and keeps it across resets. */
#include <string.h>

#include <criterion/criterion.h>
#include <odoo.h>

Test(error_version, init_sets_the_version_and_no_retry_after)
{
    odoo_rpc_error e = ODOO_RPC_ERROR_INIT;
    cr_expect_eq(e.version, ODOO_RPC_ERROR_VERSION);
    cr_expect_eq(e.kind, ODOO_OK);
    cr_expect_eq(e.retry_after, -1);
    cr_expect_null(e.message);
    odoo_rpc_error *h = odoo_rpc_error_new();
    cr_assert_not_null(h);
    cr_expect_eq(h->version, ODOO_RPC_ERROR_VERSION);
    cr_expect_eq(h->retry_after, -1);
    odoo_rpc_error_free(h);
}

static void fill(odoo_rpc_error *e)
{
    /* a call refused before any I/O fills the error */
    cr_expect_eq(odoo_connect(NULL, ODOO_PROTOCOL_XMLRPC, NULL, e), ODOO_ERR_INVALID_ARGUMENT);
}

Test(error_version, the_version_survives_filling_and_clearing)
{
    odoo_rpc_error e = ODOO_RPC_ERROR_INIT;
    fill(&e);
    cr_expect_eq(e.kind, ODOO_ERR_INVALID_ARGUMENT);
    cr_expect_not_null(e.message);
    cr_expect_eq(e.version, ODOO_RPC_ERROR_VERSION);
    odoo_rpc_error_clear(&e);
    cr_expect_eq(e.version, ODOO_RPC_ERROR_VERSION);
    cr_expect_eq(e.kind, ODOO_OK);
    cr_expect_eq(e.retry_after, -1);
}

Test(error_version, a_zeroed_struct_is_version_one_and_a_newer_one_is_kept)
{
    odoo_rpc_error z;
    memset(&z, 0, sizeof z);
    fill(&z);
    cr_expect_eq(z.kind, ODOO_ERR_INVALID_ARGUMENT);
    cr_expect_eq(z.version, 1, "0 reads as 1");
    cr_expect_eq(z.retry_after, -1);
    odoo_rpc_error_clear(&z);

    odoo_rpc_error n = ODOO_RPC_ERROR_INIT;
    n.version = ODOO_RPC_ERROR_VERSION + 1; /* from newer headers: filled, not refused */
    fill(&n);
    cr_expect_eq(n.kind, ODOO_ERR_INVALID_ARGUMENT);
    cr_expect_eq(n.version, ODOO_RPC_ERROR_VERSION + 1);
    char *json = odoo_error_to_json(&n);
    cr_expect(json && strstr(json, "\"invalid_argument\""), "%s", json ? json : "NULL");
    odoo_free(json);
    cr_expect(odoo_error_is_business(ODOO_ERR_VALIDATION));
    odoo_rpc_error_clear(&n);
}
