/* The README's concurrency example, verbatim: built so that it keeps compiling. */
#include <stdio.h>
#include <stdlib.h>
#include <odoo.h>

static void on_count(json_object *result, const odoo_rpc_error *err, void *model)
{
    if (err)
        fprintf(stderr, "%s: %s\n", (const char *)model, err->message);
    else
        printf("%s: %s records\n", (const char *)model, json_object_to_json_string(result));
    json_object_put(result);   /* the callback owns the result */
}

int main(void)
{
    static const char *models[] = { "res.partner", "res.users", "res.company", "res.country" };
    odoo_options opts = ODOO_OPTIONS_INIT;
    opts.url = "https://erp.example.com";
    opts.db = "prod";
    opts.login = "admin";
    opts.api_key = getenv("ODOO_API_KEY");

    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    odoo_multi *m = NULL;
    odoo_protocol *conn[4] = { NULL };
    json_object *all = NULL;                              /* the args of search_count([]) */
    int rc = odoo_literal_parse(&all, "[[]]", &err);
    if (rc == 0)
        rc = odoo_multi_new(&m, NULL, &err);
    for (int i = 0; rc == 0 && i < 4; i++)                /* a connection per call in flight */
        if ((rc = odoo_connect(&conn[i], ODOO_PROTOCOL_AUTO, &opts, &err)) == 0)
            rc = odoo_multi_add(m, conn[i], models[i], "search_count", NULL, all, NULL, NULL,
                                on_count, (void *)models[i], &err);
    if (rc == 0)
        rc = odoo_multi_perform(m, 30000, &err);          /* the four at once; 30 s at most */
    if (rc != 0)
        fprintf(stderr, "%s: %s\n", odoo_error_kind_name(err.kind), err.message);

    odoo_multi_free(m);
    for (int i = 0; i < 4; i++)
        odoo_close(conn[i]);
    json_object_put(all);
    odoo_rpc_error_clear(&err);
    return rc != 0;
}
