/* The README's quick start, verbatim: built so that it keeps compiling. */
#include <stdio.h>
#include <stdlib.h>
#include <odoo.h>

int main(void)
{
    odoo_options opts = ODOO_OPTIONS_INIT;
    opts.url = "https://erp.example.com";
    opts.db = "prod";
    opts.login = "admin";
    opts.api_key = getenv("ODOO_API_KEY");          /* or opts.password */

    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    odoo_protocol *odoo = NULL;
    json_object *rows = NULL;
    const char *fields[] = { "name", "email", NULL };
    odoo_search_options search = ODOO_SEARCH_OPTIONS_INIT;
    search.fields = fields;
    search.limit = 5;

    if (odoo_domain_parse(&search.domain, "[('is_company', '=', True)]", &err) == 0 &&
        odoo_connect(&odoo, ODOO_PROTOCOL_AUTO, &opts, &err) == 0 &&
        odoo_search_read(&rows, odoo, "res.partner", &search, &err) == 0)
        printf("%s via %s\n", json_object_to_json_string(rows), odoo_protocol_name(odoo));
    else
        fprintf(stderr, "%s: %s\n", odoo_error_kind_name(err.kind), err.message);

    json_object_put(rows);
    json_object_put(search.domain);
    odoo_rpc_error_clear(&err);
    odoo_close(odoo);
    return 0;
}
