/* odoo_ref through ir.model.data on every protocol of odoo-mock; odoo_db_list
 * on /jsonrpc, its /web/database/list fallback and the list_db = False
 * refusal (recorded shapes, served by the replay server). */
#include <string.h>

#include <criterion/criterion.h>
#include <json-c/json.h>
#include <odoo.h>
#include <odoo/extra.h>
#include <odoo/sys/http.h>

#include "fixtures.h"
#include "replay_server.h"

static odoo_rpc_error err = ODOO_RPC_ERROR_INIT;

static void fini(void)
{
    odoo_rpc_error_clear(&err);
}

TestSuite(ref, .fini = fini);

static odoo_protocol *open_at(const char *url, odoo_protocol_kind kind, const char *key)
{
    odoo_options o = ODOO_OPTIONS_INIT;
    o.url = url;
    o.db = "odoo";
    o.login = "admin";
    o.password = key ? NULL : "admin";
    o.api_key = key;
    odoo_protocol *p = NULL;
    cr_assert_eq(odoo_connect(&p, kind, &o, &err), 0, "%s", err.message);
    return p;
}

Test(ref, bad_arguments_before_any_io)
{
    int64_t id = 5;
    cr_assert_eq(odoo_ref(&id, NULL, "base.main_company", &err), ODOO_ERR_INVALID_ARGUMENT);
    cr_assert_eq(id, 0);
    replay_server *srv = replay_start(NULL, NULL);
    odoo_protocol *p = open_at(replay_url(srv), ODOO_PROTOCOL_JSON2, "k");
    static const char *const bad[] = {"main_company", ".x", "base.", NULL};
    for (int i = 0; bad[i]; i++) {
        cr_assert_eq(odoo_ref(&id, p, bad[i], &err), ODOO_ERR_INVALID_ARGUMENT, "%s", bad[i]);
        cr_assert(strstr(err.message, "module.name"), "%s", err.message);
    }
    cr_assert_eq(odoo_ref(&id, p, NULL, &err), ODOO_ERR_INVALID_ARGUMENT);
    cr_assert_eq(replay_count(srv), 0, "a request went out");
    cr_assert_eq(odoo_db_list(NULL, NULL, &err), ODOO_ERR_INVALID_ARGUMENT);
    odoo_close(p);
    replay_stop(srv);
}

/* /jsonrpc is gone (404): /web/database/list answers. */
Test(ref, db_list_falls_back_to_the_web_route)
{
    replay_server *srv = replay_start(NULL, NULL);
    odoo_protocol *p = open_at(replay_url(srv), ODOO_PROTOCOL_JSON2, "k");
    replay_expect_raw(srv, 404, "text/html; charset=utf-8", "<!doctype html><title>404 Not Found</title>", NULL);
    replay_expect_raw(srv, 200, "application/json", "{\"jsonrpc\": \"2.0\", \"id\": 2, \"result\": [\"a\", \"b\"]}",
                      NULL);
    json_object *dbs = NULL;
    cr_assert_eq(odoo_db_list(&dbs, p, &err), 0, "%s", err.message);
    cr_assert_str_eq(json_object_to_json_string_ext(dbs, JSON_C_TO_STRING_PLAIN), "[\"a\",\"b\"]");
    cr_assert_eq(replay_count(srv), 2);
    cr_assert_str_eq(replay_request_at(srv, 0)->path, "/jsonrpc");
    cr_assert_str_eq(replay_request_at(srv, 1)->path, "/web/database/list");
    json_object_put(dbs);
    odoo_close(p);
    replay_stop(srv);
}

/* list_db = False: exp_list raises AccessDenied. */
Test(ref, db_list_disabled_says_so)
{
    replay_server *srv = replay_start(NULL, NULL);
    odoo_protocol *p = open_at(replay_url(srv), ODOO_PROTOCOL_JSONRPC_STATELESS, NULL);
    replay_expect_raw(srv, 200, "application/json",
                      "{\"jsonrpc\": \"2.0\", \"id\": 1, \"error\": {\"code\": 200, \"message\": \"Odoo Server Error\","
                      " \"data\": {\"name\": \"odoo.exceptions.AccessDenied\", \"message\": \"Access Denied\","
                      " \"arguments\": [\"Access Denied\"], \"context\": {}, \"debug\": \"Traceback\"}}}",
                      NULL);
    json_object *dbs = (json_object *)1;
    cr_assert_eq(odoo_db_list(&dbs, p, &err), ODOO_ERR_ACCESS, "%s", err.message);
    cr_assert_null(dbs);
    cr_assert(strstr(err.message, "list_db = False"), "%s", err.message);
    cr_assert_str_eq(err.error_class, "odoo.exceptions.AccessDenied");
    /* an answer that is not a list of names */
    replay_expect_raw(srv, 200, "application/json", "{\"jsonrpc\": \"2.0\", \"id\": 2, \"result\": [1]}", NULL);
    cr_assert_eq(odoo_db_list(&dbs, p, &err), ODOO_ERR_PROTOCOL, "%s", err.message);
    odoo_close(p);
    replay_stop(srv);
}

/* The recorded Odoo 19 answer of db.list. */
Test(ref, db_list_recorded)
{
    replay_server *srv = replay_start(NULL, NULL);
    odoo_protocol *p = open_at(replay_url(srv), ODOO_PROTOCOL_JSONRPC_STATELESS, NULL);
    replay_expect(srv, "odoo19/jsonrpc-service/07-db-list.json");
    json_object *dbs = NULL;
    cr_assert_eq(odoo_db_list(&dbs, p, &err), 0, "%s", err.message);
    cr_assert_str_eq(json_object_to_json_string_ext(dbs, JSON_C_TO_STRING_PLAIN), "[\"odoo19\"]");
    json_object_put(dbs);
    odoo_close(p);
    replay_stop(srv);
}

#ifdef ODOO_HAVE_MOCK
#include <odoo_mock.h>

Test(ref, through_every_protocol_of_the_mock)
{
    odoo_mock *m = NULL;
    odoo_mock_config cfg = {0};
    cfg.quiet = 1;
    cr_assert_eq(odoo_mock_start(&m, &cfg), 0);
    static const odoo_protocol_kind kinds[] = {ODOO_PROTOCOL_XMLRPC, ODOO_PROTOCOL_JSONRPC,
                                               ODOO_PROTOCOL_JSONRPC_STATELESS, ODOO_PROTOCOL_JSON2};
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        odoo_options o = ODOO_OPTIONS_INIT;
        o.url = odoo_mock_url(m);
        o.db = odoo_mock_db(m);
        o.login = ODOO_MOCK_ADMIN_LOGIN;
        o.password = kinds[k] == ODOO_PROTOCOL_JSON2 ? NULL : ODOO_MOCK_ADMIN_PASSWORD;
        o.api_key = kinds[k] == ODOO_PROTOCOL_JSON2 ? ODOO_MOCK_ADMIN_API_KEY : NULL;
        odoo_protocol *p = NULL;
        cr_assert_eq(odoo_connect(&p, kinds[k], &o, &err), 0, "%s", err.message);
        const char *name = odoo_protocol_name(p);
        int64_t id = 0;
        char *model = NULL;
        cr_assert_eq(odoo_ref(&id, p, "base.main_company", &err), 0, "%s: %s", name, err.message);
        cr_assert_eq(id, 1, "%s", name);
        cr_assert_eq(odoo_ref_model(&id, &model, p, "base.user_admin", &err), 0, "%s: %s", name, err.message);
        cr_assert_eq(id, ODOO_MOCK_ADMIN_UID);
        cr_assert_str_eq(model, "res.users");
        odoo_free(model);
        cr_assert_eq(odoo_ref_model(&id, &model, p, "base.be", &err), 0, "%s: %s", name, err.message);
        cr_assert_str_eq(model, "res.country");
        odoo_free(model);
        cr_assert_eq(odoo_ref(&id, p, "base.no_such_thing", &err), ODOO_ERR_MISSING, "%s", name);
        cr_assert_eq(id, 0);
        cr_assert_str_eq(err.message, "External ID not found in the system: base.no_such_thing");
        cr_assert_eq(odoo_ref(NULL, p, "base.main_partner", &err), 0, "%s: %s", name, err.message);
        json_object *dbs = NULL;
        cr_assert_eq(odoo_db_list(&dbs, p, &err), 0, "%s: %s", name, err.message);
        cr_assert_eq(json_object_array_length(dbs), 1);
        cr_assert_str_eq(json_object_get_string(json_object_array_get_idx(dbs, 0)), odoo_mock_db(m));
        json_object_put(dbs);
        odoo_close(p);
    }
    odoo_mock_stop(m);
}

/* The mock's /web/database/list (what JSON-2-only servers keep). */
Test(ref, mock_web_database_list)
{
    odoo_mock *m = NULL;
    odoo_mock_config cfg = {0};
    cfg.quiet = 1;
    cfg.db = "listed";
    cr_assert_eq(odoo_mock_start(&m, &cfg), 0);
    odoo_options o = ODOO_OPTIONS_INIT;
    o.url = odoo_mock_url(m);
    odoo_http *h = NULL;
    cr_assert_eq(odoo_http_new(&h, o.url, &o, &err), 0, "%s", err.message);
    static const char body[] = "{\"jsonrpc\":\"2.0\",\"method\":\"call\",\"params\":{},\"id\":3}";
    odoo_http_request req = {"POST", "/web/database/list", "application/json", NULL, body, sizeof body - 1};
    odoo_http_response resp;
    cr_assert_eq(odoo_http_send(h, &req, &resp, &err), 0, "%s", err.message);
    cr_assert_eq(resp.status, 200);
    json_object *doc = json_parse(resp.body), *res = NULL;
    cr_assert(json_object_object_get_ex(doc, "result", &res), "%s", resp.body);
    cr_assert_str_eq(json_object_to_json_string_ext(res, JSON_C_TO_STRING_PLAIN), "[\"listed\"]");
    json_object_put(doc);
    odoo_http_free(h);
    odoo_mock_stop(m);
}
#endif
