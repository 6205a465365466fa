/* vals builders, x2many commands in Odoo's Command shapes, binary fields
 * through base64 both ways; and a create/write/read through odoo-mock. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <json-c/json.h>
#include <odoo.h>
#include <odoo/values.h>

#include "fixtures.h"
#include "xmlrpc_samples.h"

static void is(json_object *got, const char *want)
{
    json_object *exp = json_parse(want);
    cr_assert(json_identical(got, exp), "gave %s\nwant %s", json_object_to_json_string(got),
              json_object_to_json_string(exp));
    json_object_put(exp);
}

Test(vals, scalars)
{
    json_object *v = odoo_vals_new();
    cr_assert_eq(odoo_vals_set_string(v, "name", "Caf\xc3\xa9 \"A\""), 0);
    cr_assert_eq(odoo_vals_set_string(v, "email", NULL), 0);
    cr_assert_eq(odoo_vals_set_int(v, "color", 9007199254740993LL), 0);
    cr_assert_eq(odoo_vals_set_float(v, "credit_limit", 12.5), 0);
    cr_assert_eq(odoo_vals_set_bool(v, "is_company", 7), 0);
    cr_assert_eq(odoo_vals_set_null(v, "comment"), 0);
    cr_assert_eq(odoo_vals_set_many2one(v, "country_id", 21), 0);
    cr_assert_eq(odoo_vals_set_many2one(v, "parent_id", 0), 0);
    int64_t ids[] = {3, 1, 2};
    cr_assert_eq(odoo_vals_set_ids(v, "x_ids", ids, 3), 0);
    cr_assert_eq(odoo_vals_set_ids(v, "y_ids", NULL, 0), 0);
    json_object *ctx = json_parse("{\"a\":[1]}");
    cr_assert_eq(odoo_vals_set_value(v, "x_json", ctx), 0);
    json_object_put(ctx); /* the vals keep their own reference */
    is(v, "{\"name\":\"Caf\\u00e9 \\\"A\\\"\",\"email\":false,\"color\":9007199254740993,\"credit_limit\":12.5,"
          "\"is_company\":true,\"comment\":null,\"country_id\":21,\"parent_id\":false,\"x_ids\":[3,1,2],"
          "\"y_ids\":[],\"x_json\":{\"a\":[1]}}");
    /* a second set replaces */
    cr_assert_eq(odoo_vals_set_string(v, "name", "B"), 0);
    json_object *name = NULL;
    cr_assert(json_object_object_get_ex(v, "name", &name));
    cr_assert_str_eq(json_object_get_string(name), "B");
    json_object_put(v);
}

Test(vals, bad_arguments)
{
    json_object *v = odoo_vals_new(), *arr = json_object_new_array();
    cr_assert_eq(odoo_vals_set_int(NULL, "a", 1), ODOO_ERR_INVALID_ARGUMENT);
    cr_assert_eq(odoo_vals_set_int(v, NULL, 1), ODOO_ERR_INVALID_ARGUMENT);
    cr_assert_eq(odoo_vals_set_int(v, "", 1), ODOO_ERR_INVALID_ARGUMENT);
    cr_assert_eq(odoo_vals_set_int(arr, "a", 1), ODOO_ERR_INVALID_ARGUMENT);
    cr_assert_eq(odoo_vals_set_string(v, "a", "caf\xe9"), ODOO_ERR_INVALID_ARGUMENT);
    cr_assert_eq(odoo_vals_set_float(v, "a", 1.0 / 0.0), ODOO_ERR_INVALID_ARGUMENT);
    cr_assert_eq(odoo_vals_set_many2one(v, "a", -1), ODOO_ERR_INVALID_ARGUMENT);
    int64_t bad[] = {1, 0};
    cr_assert_eq(odoo_vals_set_ids(v, "a", bad, 2), ODOO_ERR_INVALID_ARGUMENT);
    cr_assert_eq(odoo_vals_set_ids(v, "a", NULL, 2), ODOO_ERR_INVALID_ARGUMENT);
    cr_assert_eq(odoo_vals_set_binary(v, "a", NULL, 3), ODOO_ERR_INVALID_ARGUMENT);
    cr_assert_eq(json_object_object_length(v), 0, "a refused set left %s", json_object_to_json_string(v));
    json_object_put(v);
    json_object_put(arr);
}

Test(vals, x2many_commands_in_odoo_command_shapes)
{
    json_object *v = odoo_vals_new(), *line = odoo_vals_new();
    odoo_vals_set_string(line, "name", "Line");
    int64_t ids[] = {7, 8};
    cr_assert_eq(odoo_vals_x2many_create(v, "child_ids", line), 0);
    cr_assert_eq(odoo_vals_x2many_update(v, "child_ids", 5, line), 0);
    cr_assert_eq(odoo_vals_x2many_delete(v, "child_ids", 6), 0);
    cr_assert_eq(odoo_vals_x2many_unlink(v, "child_ids", 7), 0);
    cr_assert_eq(odoo_vals_x2many_link(v, "child_ids", 8), 0);
    cr_assert_eq(odoo_vals_x2many_clear(v, "child_ids"), 0);
    cr_assert_eq(odoo_vals_x2many_set(v, "child_ids", ids, 2), 0);
    cr_assert_eq(odoo_vals_x2many_set(v, "tag_ids", NULL, 0), 0);
    json_object_put(line); /* borrowed: the commands hold their own reference */
    is(v, "{\"child_ids\":[[0,0,{\"name\":\"Line\"}],[1,5,{\"name\":\"Line\"}],[2,6,0],[3,7,0],[4,8,0],[5,0,0],"
          "[6,0,[7,8]]],\"tag_ids\":[[6,0,[]]]}");
    /* refused: a field that holds something else, bad ids, a non-object sub-vals */
    odoo_vals_set_int(v, "n", 1);
    cr_assert_eq(odoo_vals_x2many_link(v, "n", 1), ODOO_ERR_INVALID_ARGUMENT);
    cr_assert_eq(odoo_vals_x2many_link(v, "child_ids", 0), ODOO_ERR_INVALID_ARGUMENT);
    cr_assert_eq(odoo_vals_x2many_create(v, "child_ids", NULL), ODOO_ERR_INVALID_ARGUMENT);
    cr_assert_eq(odoo_vals_x2many_clear(NULL, "child_ids"), ODOO_ERR_INVALID_ARGUMENT);
    json_object_put(v);
}

Test(vals, binary_round_trip)
{
    /* lengths 0..5 cover every padding; 4 MiB crosses the encoder's chunks */
    static const char *const want[] = {NULL, "AA==", "AAE=", "AAEC", "AAECAw==", "AAECAwQ="};
    unsigned char bytes[5] = {0, 1, 2, 3, 4};
    for (size_t n = 0; n <= 5; n++) {
        json_object *v = odoo_vals_new(), *f = NULL;
        cr_assert_eq(odoo_vals_set_binary(v, "datas", bytes, n), 0);
        cr_assert(json_object_object_get_ex(v, "datas", &f));
        if (!n)
            cr_assert(json_object_is_type(f, json_type_boolean) && !json_object_get_boolean(f));
        else
            cr_assert_str_eq(json_object_get_string(f), want[n]);
        void *back = NULL;
        size_t len = 99;
        cr_assert_eq(odoo_binary_decode(&back, &len, f), 0);
        cr_assert_eq(len, n);
        if (n)
            cr_assert_eq(memcmp(back, bytes, n), 0);
        odoo_free(back);
        json_object_put(v);
    }
    size_t big = 4u << 20;
    unsigned char *data = malloc(big);
    for (size_t i = 0; i < big; i++)
        data[i] = (unsigned char)(i * 7 + (i >> 9));
    json_object *v = odoo_vals_new(), *f = NULL;
    cr_assert_eq(odoo_vals_set_binary(v, "datas", data, big), 0);
    json_object_object_get_ex(v, "datas", &f);
    cr_assert_eq((size_t)json_object_get_string_len(f), (big + 2) / 3 * 4);
    void *back = NULL;
    size_t len = 0;
    cr_assert_eq(odoo_binary_decode(&back, &len, f), 0);
    cr_assert_eq(len, big);
    cr_assert_eq(memcmp(back, data, big), 0);
    odoo_free(back);
    free(data);
    json_object_put(v);
}

Test(vals, binary_decode_refusals_and_line_breaks)
{
    void *out = NULL;
    size_t len = 0;
    json_object *s = json_object_new_string("aGVs\nbG8=\n"); /* base64.encodebytes puts line breaks */
    cr_assert_eq(odoo_binary_decode(&out, &len, s), 0);
    cr_assert_eq(len, 5);
    cr_assert_str_eq((char *)out, "hello");
    odoo_free(out);
    json_object_put(s);
    static const char *const bad[] = {"aGVsbG8", "aGVs*G8=", "aG=sbG8=", "a===", "aGVsbG8=="};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        s = json_object_new_string(bad[i]);
        cr_assert_eq(odoo_binary_decode(&out, &len, s), ODOO_ERR_INVALID_ARGUMENT, "%s accepted", bad[i]);
        cr_assert_null(out);
        json_object_put(s);
    }
    json_object *n = json_object_new_int(3), *f = json_object_new_boolean(0);
    cr_assert_eq(odoo_binary_decode(&out, &len, n), ODOO_ERR_INVALID_ARGUMENT);
    cr_assert_eq(odoo_binary_decode(&out, &len, f), 0);
    cr_assert_null(out);
    cr_assert_eq(odoo_binary_decode(&out, &len, NULL), 0);
    json_object_put(n);
    json_object_put(f);
}

#ifdef ODOO_HAVE_MOCK
#include <odoo_mock.h>

/* Built vals and a parsed domain go through a real exchange on every
 * direct protocol: create, search by the Python-form domain, read back. */
Test(vals, create_search_read_through_the_mock)
{
    odoo_mock *m = NULL;
    odoo_mock_config cfg = {0};
    cfg.quiet = 1;
    cr_assert_eq(odoo_mock_start(&m, &cfg), 0);
    odoo_protocol_kind kinds[] = {ODOO_PROTOCOL_XMLRPC, ODOO_PROTOCOL_JSONRPC, ODOO_PROTOCOL_JSONRPC_STATELESS,
                                  ODOO_PROTOCOL_JSON2};
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        odoo_options o = ODOO_OPTIONS_INIT;
        o.url = odoo_mock_url(m);
        o.db = odoo_mock_db(m);
        o.login = ODOO_MOCK_ADMIN_LOGIN;
        if (kinds[k] == ODOO_PROTOCOL_JSON2)
            o.api_key = ODOO_MOCK_ADMIN_API_KEY;
        else
            o.password = ODOO_MOCK_ADMIN_PASSWORD;
        odoo_protocol *p = NULL;
        cr_assert_eq(odoo_connect(&p, kinds[k], &o, &err), 0, "%s", err.message);
        char name[64];
        snprintf(name, sizeof name, "Vals O'Test %zu", k);
        json_object *v = odoo_vals_new(), *id = NULL, *dom = NULL, *rows = NULL;
        odoo_vals_set_string(v, "name", name);
        odoo_vals_set_bool(v, "is_company", 1);
        odoo_vals_set_many2one(v, "parent_id", 1);
        odoo_vals_set_binary(v, "image_1920", "\x89PNG", 4);
        cr_assert_eq(odoo_create(&id, p, "res.partner", v, NULL, &err), 0, "%s: %s",
                     odoo_protocol_name(p), err.message);
        char text[200];
        snprintf(text, sizeof text, "[('name', '=', \"%s\"), ('is_company', '=', True), ('active', '!=', False)]",
                 name);
        cr_assert_eq(odoo_domain_parse(&dom, text, &err), 0, "%s", err.message);
        const char *fields[] = {"name", "parent_id", NULL};
        cr_assert_eq(odoo_search_read(&rows, p, "res.partner", &(odoo_search_options){ .version = ODOO_SEARCH_OPTIONS_VERSION, .domain = dom, .fields = fields }, &err), 0, "%s",
                     err.message);
        cr_assert_eq(json_object_array_length(rows), 1, "%s: %s", odoo_protocol_name(p),
                     json_object_to_json_string(rows));
        json_object *row = json_object_array_get_idx(rows, 0), *rid = NULL, *parent = NULL;
        json_object_object_get_ex(row, "id", &rid);
        json_object_object_get_ex(row, "parent_id", &parent);
        cr_assert_eq(json_object_get_int64(rid), json_object_get_int64(id));
        cr_assert_eq(json_object_get_int64(json_object_array_get_idx(parent, 0)), 1);
        json_object_put(v);
        json_object_put(id);
        json_object_put(dom);
        json_object_put(rows);
        odoo_close(p);
    }
    odoo_rpc_error_clear(&err);
    odoo_mock_stop(m);
}
#endif
