/* The README's streaming example, verbatim: built so that it keeps compiling. */
#include <stdio.h>
#include <stdlib.h>
#include <odoo.h>

static int row(const odoo_cursor *c, void *payload)
{
    const char *name, *country;
    size_t len, clen;
    int64_t country_id;
    (void)payload;
    if (odoo_cursor_string(c, odoo_cursor_field_index(c, "name"), &name, &len) == ODOO_FIELD_OK)
        printf("%.*s", (int)len, name);            /* a view into the cursor: valid until the next row */
    if (odoo_cursor_many2one(c, odoo_cursor_field_index(c, "country_id"), &country_id, &country, &clen) ==
        ODOO_FIELD_OK)                             /* ODOO_FIELD_UNSET: Odoo's false, no country */
        printf(" (%.*s)", (int)clen, country);
    putchar('\n');
    return 0;                                      /* nonzero stops the read */
}

int main(void)
{
    odoo_options opts = ODOO_OPTIONS_INIT;
    opts.url = "https://erp.example.com";
    opts.db = "prod";
    opts.api_key = getenv("ODOO_API_KEY");
    const char *fields[] = { "name", "country_id", NULL };
    odoo_search_options search = ODOO_SEARCH_OPTIONS_INIT;
    search.fields = fields;

    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    odoo_protocol *odoo = NULL;
    int rc = odoo_connect(&odoo, ODOO_PROTOCOL_AUTO, &opts, &err);
    if (rc == 0)                                   /* every partner, one record in memory at a time */
        rc = odoo_search_read_rows(odoo, "res.partner", &search, row, NULL, &err);
    if (rc < 0)
        fprintf(stderr, "%s: %s\n", odoo_error_kind_name(err.kind), err.message);
    odoo_rpc_error_clear(&err);
    odoo_close(odoo);
    return rc != 0;
}
