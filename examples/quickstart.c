/* Quick start: connect, log in, print a search_read.
 *
 *   quickstart URL DB LOGIN PASSWORD [PROTOCOL]
 *
 * PROTOCOL is auto (default), xmlrpc, jsonrpc, jsonrpc-stateless or json2
 * (json2 takes the API key in place of PASSWORD). */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>
#include <odoo.h>

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: %s URL DB LOGIN PASSWORD [PROTOCOL]\n", argv[0]);
        return 2;
    }
    odoo_protocol_kind kind = ODOO_PROTOCOL_AUTO;
    if (argc > 5 && odoo_protocol_kind_from_name(&kind, argv[5]) != 0) {
        fprintf(stderr, "unknown protocol %s\n", argv[5]);
        return 2;
    }

    odoo_options opts = ODOO_OPTIONS_INIT;
    opts.url = argv[1];
    opts.db = argv[2];
    opts.login = argv[3];
    if (kind == ODOO_PROTOCOL_JSON2)
        opts.api_key = argv[4];
    else
        opts.password = argv[4];

    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    odoo_protocol *odoo = NULL;
    json_object *partners = NULL;
    const char *fields[] = { "name", "email", "country_id", NULL };
    json_object *domain = json_tokener_parse("[[\"is_company\", \"=\", true]]");

    if (odoo_connect(&odoo, kind, &opts, &err) != 0 ||
        odoo_search_read(&partners, odoo, "res.partner",
                         &(odoo_search_options){ .version = ODOO_SEARCH_OPTIONS_VERSION, .domain = domain,
                                                 .fields = fields, .limit = 5, .order = "name asc" },
                         &err) != 0) {
        fprintf(stderr, "error (%s): %s\n", odoo_error_kind_name(err.kind), err.message);
        odoo_rpc_error_clear(&err);
        json_object_put(domain);
        odoo_close(odoo);
        return 1;
    }
    printf("protocol: %s (uid %lld)\n", odoo_protocol_name(odoo), (long long)odoo_uid(odoo));
    printf("%s\n", json_object_to_json_string_ext(partners, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(partners);
    json_object_put(domain);
    odoo_close(odoo);
    return 0;
}
