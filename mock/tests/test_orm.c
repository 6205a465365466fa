/* odoo-mock tests — model behaviour through the protocols: CRUD and value
 * types, constraints and errors, access rights, read_group, sessions,
 * API keys and the web login cooldown. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

static odoo_mock *M;

static void start19(void)
{
    M = ts_start(19, 50);
    cr_assert_not_null(M);
}

static void stop(void)
{
    odoo_mock_stop(M);
    M = NULL;
}

TestSuite(orm, .init = start19, .fini = stop, .timeout = 60);

#define ADMIN 2, "admin"

static json_object *ok(json_object *env)
{
    cr_assert_not_null(env);
    json_object *r = ts_result(env);
    cr_assert(json_object_object_get_ex(env, "result", NULL), "error: %s",
              json_object_to_json_string(env));
    return r;
}

Test(orm, create_read_all_field_types)
{
    json_object *e = ts_execute(M, ADMIN, "res.partner", "create",
                                "[{\"name\": \"Types \\u00e9\", \"is_company\": true, \"color\": 7, "
                                "\"partner_latitude\": 1.25, \"date\": \"2024-02-29\", "
                                "\"x_notes\": \"line1\\nline2\", \"country_id\": 20, "
                                "\"image_1920\": \"AAEC/w==\", \"comment\": \"<p>x</p>\", "
                                "\"child_ids\": [[0, 0, {\"name\": \"Kid\"}]]}]",
                                NULL);
    json_object *id = ok(e);
    cr_assert_eq(json_object_get_type(id), json_type_int);
    char args[64];
    snprintf(args, sizeof args, "[[%d]]", json_object_get_int(id));
    json_object_put(e);
    e = ts_execute(M, ADMIN, "res.partner", "read", args,
                   "{\"fields\": [\"name\", \"is_company\", \"color\", \"partner_latitude\", \"date\", "
                   "\"x_notes\", \"country_id\", \"image_128\", \"comment\", \"child_ids\", \"create_date\", "
                   "\"parent_id\", \"phone\", \"display_name\", \"company_type\"]}");
    json_object *rec = json_object_array_get_idx(ok(e), 0);
    json_object *v;
    json_object_object_get_ex(rec, "name", &v);
    cr_expect_str_eq(json_object_get_string(v), "Types \xc3\xa9");
    json_object_object_get_ex(rec, "is_company", &v);
    cr_expect_eq(json_object_get_type(v), json_type_boolean);
    json_object_object_get_ex(rec, "color", &v);
    cr_expect_eq(json_object_get_int(v), 7);
    json_object_object_get_ex(rec, "partner_latitude", &v);
    cr_expect_eq(json_object_get_type(v), json_type_double);
    json_object_object_get_ex(rec, "date", &v);
    cr_expect_str_eq(json_object_get_string(v), "2024-02-29");
    json_object_object_get_ex(rec, "x_notes", &v);
    cr_expect_str_eq(json_object_get_string(v), "line1\nline2");
    json_object_object_get_ex(rec, "country_id", &v);
    cr_expect_str_eq(json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN), "[20,\"Belgium\"]");
    json_object_object_get_ex(rec, "image_128", &v);
    cr_expect_str_eq(json_object_get_string(v), "AAEC/w==");
    json_object_object_get_ex(rec, "child_ids", &v);
    cr_expect_eq(json_object_array_length(v), 1);
    json_object_object_get_ex(rec, "create_date", &v);
    cr_expect_eq(strlen(json_object_get_string(v)), 19);
    json_object_object_get_ex(rec, "parent_id", &v);
    cr_expect_eq(json_object_get_type(v), json_type_boolean);
    json_object_object_get_ex(rec, "phone", &v);
    cr_expect_eq(json_object_get_type(v), json_type_boolean);
    json_object_object_get_ex(rec, "company_type", &v);
    cr_expect_str_eq(json_object_get_string(v), "company");
    json_object_put(e);
}

Test(orm, create_list_write_unlink_missing)
{
    json_object *e = ts_execute(M, ADMIN, "res.partner", "create", "[[{\"name\": \"A\"}, {\"name\": \"B\"}]]", NULL);
    json_object *ids = ok(e);
    cr_assert_eq(json_object_array_length(ids), 2);
    int a = json_object_get_int(json_object_array_get_idx(ids, 0));
    json_object_put(e);
    char args[128];
    snprintf(args, sizeof args, "[[%d], {\"phone\": \"+32 2\", \"name\": \"A2\"}]", a);
    e = ts_execute(M, ADMIN, "res.partner", "write", args, NULL);
    cr_expect(json_object_get_boolean(ok(e)));
    json_object_put(e);
    snprintf(args, sizeof args, "[[%d], {\"phone\": null}]", a);
    json_object_put(ts_execute(M, ADMIN, "res.partner", "write", args, NULL));
    snprintf(args, sizeof args, "[[%d]]", a);
    e = ts_execute(M, ADMIN, "res.partner", "read", args, "{\"fields\": [\"name\", \"phone\"]}");
    json_object *rec = json_object_array_get_idx(ok(e), 0);
    cr_expect_str_eq(json_object_get_string(json_object_object_get(rec, "name")), "A2");
    cr_expect_eq(json_object_get_type(json_object_object_get(rec, "phone")), json_type_boolean);
    json_object_put(e);
    e = ts_execute(M, ADMIN, "res.partner", "unlink", args, NULL);
    ok(e);
    json_object_put(e);
    e = ts_execute(M, ADMIN, "res.partner", "read", args, NULL);
    cr_expect_eq(json_object_array_length(ok(e)), 0);
    json_object_put(e);
    snprintf(args, sizeof args, "[[%d], {\"name\": \"x\"}]", a);
    e = ts_execute(M, ADMIN, "res.partner", "write", args, NULL);
    cr_expect_str_eq(ts_error_name(e), "odoo.exceptions.MissingError");
    json_object_put(e);
}

Test(orm, constraints_and_errors)
{
    json_object *e = ts_execute(M, ADMIN, "res.partner", "write", "[[3], {\"parent_id\": 3}]", NULL);
    cr_expect_str_eq(ts_error_name(e), "odoo.exceptions.ValidationError");
    json_object_put(e);
    /* indirect cycle: 1 is the parent of 3 */
    e = ts_execute(M, ADMIN, "res.partner", "write", "[[1], {\"parent_id\": 3}]", NULL);
    cr_expect_str_eq(ts_error_name(e), "odoo.exceptions.ValidationError");
    json_object_put(e);
    e = ts_execute(M, ADMIN, "res.users", "unlink", "[[2]]", NULL);
    cr_expect_str_eq(ts_error_name(e), "odoo.exceptions.UserError");
    json_object_put(e);
    e = ts_execute(M, ADMIN, "res.partner", "create", "[{\"nope\": 1}]", NULL);
    cr_expect_str_eq(ts_error_name(e), "builtins.ValueError");
    json_object_put(e);
    e = ts_execute(M, ADMIN, "res.partner", "create", "[{\"type\": \"bogus\", \"name\": \"x\"}]", NULL);
    cr_expect_str_eq(ts_error_name(e), "builtins.ValueError");
    json_object_put(e);
    e = ts_execute(M, ADMIN, "res.partner", "create", "[{\"color\": 1}]", NULL);
    cr_expect_str_eq(ts_error_name(e), "odoo.exceptions.ValidationError"); /* contacts need a name */
    json_object_put(e);
    e = ts_execute(M, ADMIN, "res.partner", "search", "[[[\"name\", \"=\"]]]", NULL);
    cr_expect_str_eq(ts_error_name(e), "builtins.ValueError");
    json_object_put(e);
    e = ts_execute(M, ADMIN, "res.partner", "search", "[[]]", "{\"order\": \"nope desc\"}");
    cr_expect_str_eq(ts_error_name(e), "builtins.ValueError");
    json_object_put(e);
    e = ts_execute(M, ADMIN, "res.partner", "write", "[[3]]", NULL);
    cr_expect_str_eq(ts_error_name(e), "builtins.TypeError");
    json_object_put(e);
    e = ts_execute(M, ADMIN, "res.partner", "search", "[[]]", "{\"domain\": []}");
    cr_expect_str_eq(ts_error_name(e), "builtins.TypeError"); /* multiple values */
    json_object_put(e);
    e = ts_execute(M, ADMIN, "no.model", "search", "[[]]", NULL);
    cr_expect_str_eq(ts_error_name(e), "odoo.exceptions.UserError");
    json_object_put(e);
    e = ts_execute(M, ADMIN, "res.partner", "_private", "[[]]", NULL);
    cr_expect_str_eq(ts_error_name(e), "odoo.exceptions.AccessError");
    json_object_put(e);
    e = ts_execute(M, 2, "wrong", "res.partner", "search", "[[]]", NULL);
    cr_expect_str_eq(ts_error_name(e), "odoo.exceptions.AccessDenied");
    json_object_put(e);
}

Test(orm, limited_user_reads_but_cannot_write)
{
    int uid = odoo_mock_limited_uid(M);
    json_object *e = ts_execute(M, uid, "limited", "res.partner", "search_count", "[[]]", NULL);
    cr_expect_gt(json_object_get_int(ok(e)), 50);
    json_object_put(e);
    e = ts_execute(M, uid, ODOO_MOCK_LIMITED_API_KEY, "res.partner", "write", "[[9], {\"name\": \"x\"}]", NULL);
    cr_expect_str_eq(ts_error_name(e), "odoo.exceptions.AccessError");
    json_object_put(e);
    e = ts_execute(M, uid, "limited", "res.partner", "create", "[{\"name\": \"x\"}]", NULL);
    cr_expect_str_eq(ts_error_name(e), "odoo.exceptions.AccessError");
    json_object_put(e);
    e = ts_execute(M, uid, "limited", "ir.config_parameter", "search_read", "[[]]", NULL);
    cr_expect_str_eq(ts_error_name(e), "odoo.exceptions.AccessError");
    json_object_put(e);
    /* the admin key does not authenticate the limited uid */
    e = ts_execute(M, uid, ODOO_MOCK_ADMIN_API_KEY, "res.partner", "search_count", "[[]]", NULL);
    cr_expect_str_eq(ts_error_name(e), "odoo.exceptions.AccessDenied");
    json_object_put(e);
}

Test(orm, search_read_order_offset_limit)
{
    json_object *e = ts_execute(M, ADMIN, "res.partner", "search_read", "[[[\"is_company\", \"=\", true]]]",
                                "{\"fields\": [\"name\"], \"order\": \"name desc\", \"offset\": 1, \"limit\": 3}");
    json_object *l = ok(e);
    cr_assert_eq(json_object_array_length(l), 3);
    const char *n0 = json_object_get_string(json_object_object_get(json_object_array_get_idx(l, 0), "name"));
    const char *n1 = json_object_get_string(json_object_object_get(json_object_array_get_idx(l, 1), "name"));
    cr_expect_geq(strcmp(n0, n1), 0, "%s then %s", n0, n1);
    cr_expect_eq(json_object_object_length(json_object_array_get_idx(l, 0)), 2); /* id + name */
    json_object_put(e);
    e = ts_execute(M, ADMIN, "res.partner", "search", "[[]]", "{\"limit\": 5, \"order\": \"id desc\"}");
    l = ok(e);
    cr_expect_gt(json_object_get_int(json_object_array_get_idx(l, 0)), json_object_get_int(json_object_array_get_idx(l, 1)));
    json_object_put(e);
    e = ts_execute(M, ADMIN, "res.partner", "name_search", "[]", "{\"name\": \"azure\", \"limit\": 2}");
    l = ok(e);
    cr_expect_eq(json_object_array_length(l), 2);
    json_object_put(e);
    e = ts_execute(M, ADMIN, "res.users", "search_count", "[[]]", "{\"context\": {\"active_test\": false}}");
    cr_expect_eq(json_object_get_int(ok(e)), 7);
    json_object_put(e);
    e = ts_execute(M, ADMIN, "res.users", "context_get", "[]", NULL);
    cr_expect_eq(json_object_get_int(json_object_object_get(ok(e), "uid")), 2);
    json_object_put(e);
    e = ts_execute(M, ADMIN, "res.partner", "fields_get", "[]", "{\"attributes\": [\"type\"]}");
    l = ok(e);
    cr_expect_str_eq(json_object_get_string(json_object_object_get(json_object_object_get(l, "x_notes"), "type")), "text");
    cr_expect_str_eq(json_object_get_string(json_object_object_get(json_object_object_get(l, "child_ids"), "type")), "one2many");
    json_object_put(e);
}

Test(orm, read_group_and_archive)
{
    json_object *e = ts_execute(M, ADMIN, "res.partner", "read_group",
                                "[[[\"is_company\", \"=\", true]], [\"color:sum\"], [\"country_id\"]]", NULL);
    json_object *l = ok(e);
    cr_assert_gt(json_object_array_length(l), 1);
    json_object *g = json_object_array_get_idx(l, 0);
    cr_expect(json_object_object_get_ex(g, "country_id_count", NULL));
    cr_expect(json_object_object_get_ex(g, "__domain", NULL));
    json_object_put(e);
    e = ts_execute(M, ADMIN, "res.partner", "formatted_read_group", "[[]]",
                   "{\"groupby\": [\"is_company\"], \"aggregates\": [\"__count\", \"color:max\"]}");
    l = ok(e);
    cr_expect_eq(json_object_array_length(l), 2);
    json_object_put(e);
    e = ts_execute(M, ADMIN, "res.partner", "action_archive", "[[9]]", NULL);
    cr_expect(!json_object_object_get_ex(e, "result", NULL) && !json_object_object_get_ex(e, "error", NULL));
    json_object_put(e);
    e = ts_execute(M, ADMIN, "res.partner", "search", "[[[\"id\", \"=\", 9]]]", NULL);
    cr_expect_eq(json_object_array_length(ok(e)), 0);
    json_object_put(e);
    e = ts_execute(M, ADMIN, "res.partner", "search", "[[[\"id\", \"=\", 9]]]", "{\"context\": {\"active_test\": false}}");
    cr_expect_eq(json_object_array_length(ok(e)), 1);
    json_object_put(e);
}

Test(orm, web_session_lifecycle)
{
    json_object *env = NULL;
    char *sid = ts_web_login(M, "admin", "admin", &env);
    cr_assert_not_null(sid);
    cr_expect_eq(strlen(sid), 84);
    json_object_put(env);
    json_object *e = ts_call_kw(M, sid, "res.partner", "search_count", "[[]]", NULL);
    cr_expect_gt(json_object_get_int(ok(e)), 0);
    json_object_put(e);
    /* an API key is not a web password */
    char *none = ts_web_login(M, "admin", ODOO_MOCK_ADMIN_API_KEY, &env);
    cr_expect_null(none);
    cr_expect_str_eq(ts_error_name(env), "odoo.exceptions.AccessDenied");
    json_object_put(env);
    /* changing the password invalidates the session */
    e = ts_call_kw(M, sid, "res.users", "write", "[[2], {\"password\": \"admin\"}]", NULL);
    ok(e);
    json_object_put(e);
    e = ts_call_kw(M, sid, "res.partner", "search_count", "[[]]", NULL);
    json_object *err = json_object_object_get(e, "error");
    cr_expect_eq(json_object_get_int(json_object_object_get(err, "code")), 100);
    json_object_put(e);
    free(sid);
}

Test(orm, session_expiry_fault)
{
    cr_assert_eq(odoo_mock_inject(M, "session_expiry:calls=2"), 0);
    char *sid = ts_web_login(M, "admin", "admin", NULL);
    cr_assert_not_null(sid);
    for (int i = 0; i < 3; i++) {
        json_object *e = ts_call_kw(M, sid, "res.partner", "search_count", "[[]]", NULL);
        if (i < 2)
            ok(e);
        else
            cr_expect_eq(json_object_get_int(json_object_object_get(json_object_object_get(e, "error"), "code")), 100);
        json_object_put(e);
    }
    free(sid);
}

Test(orm, login_cooldown_web_only)
{
    for (int i = 0; i < 10; i++) {
        json_object *env = NULL;
        char *sid = ts_web_login(M, "admin", "bad", &env);
        cr_assert_null(sid);
        cr_expect_str_eq(json_object_get_string(json_object_object_get(
                             json_object_object_get(json_object_object_get(env, "error"), "data"), "message")),
                         "Access Denied");
        json_object_put(env);
    }
    json_object *env = NULL;
    char *sid = ts_web_login(M, "admin", "admin", &env);
    cr_expect_null(sid);
    cr_expect_str_eq(json_object_get_string(json_object_object_get(
                         json_object_object_get(json_object_object_get(env, "error"), "data"), "message")),
                     "Too many login failures, please wait a bit before trying again.");
    json_object_put(env);
    /* XML-RPC / jsonrpc logins are not rate limited */
    json_object *e = ts_jsonrpc(M, "common", "authenticate", "[\"odoo\", \"admin\", \"admin\", {}]");
    cr_expect_eq(json_object_get_int(ts_result(e)), 2);
    json_object_put(e);
    /* reset clears the cooldown */
    odoo_mock_reset(M);
    sid = ts_web_login(M, "admin", "admin", NULL);
    cr_expect_not_null(sid);
    free(sid);
}

Test(orm, api_keys)
{
    json_object *e = ts_jsonrpc(M, "common", "authenticate", "[\"odoo\", \"admin\", \"" ODOO_MOCK_ADMIN_API_KEY "\", {}]");
    cr_expect_eq(json_object_get_int(ts_result(e)), 2);
    json_object_put(e);
    e = ts_jsonrpc(M, "common", "authenticate", "[\"odoo\", \"admin\", \"" ODOO_MOCK_EXPIRED_API_KEY "\", {}]");
    cr_expect_eq(json_object_get_type(ts_result(e)), json_type_boolean);
    json_object_put(e);
    e = ts_jsonrpc(M, "common", "authenticate", "[\"odoo\", \"admin\", \"" ODOO_MOCK_OTHER_SCOPE_API_KEY "\", {}]");
    cr_expect_eq(json_object_get_type(ts_result(e)), json_type_boolean);
    json_object_put(e);
    int status;
    json_object *o = ts_json2(M, ODOO_MOCK_ADMIN_RPC_API_KEY, "res.partner", "search_count", "{\"domain\": []}", &status);
    cr_expect_eq(status, 200);
    json_object_put(o);
    o = ts_json2(M, ODOO_MOCK_EXPIRED_API_KEY, "res.partner", "search_count", "{\"domain\": []}", &status);
    cr_expect_eq(status, 401);
    json_object_put(o);
    o = ts_json2(M, ODOO_MOCK_LIMITED_API_KEY, "res.partner", "write", "{\"ids\": [9], \"vals\": {\"name\": \"x\"}}", &status);
    cr_expect_eq(status, 403);
    json_object_put(o);
    o = ts_json2(M, ODOO_MOCK_ADMIN_API_KEY, "res.partner", "create", "{\"vals_list\": {\"name\": \"J2\"}}", &status);
    cr_expect_eq(status, 200);
    cr_expect_eq(json_object_get_type(o), json_type_array);
    json_object_put(o);
    o = ts_json2(M, ODOO_MOCK_ADMIN_API_KEY, "res.partner", "search_read",
                 "{\"domain\": [[\"name\", \"=\", \"J2\"]], \"fields\": [\"name\"], \"context\": {\"lang\": \"en_US\"}}", &status);
    cr_expect_eq(status, 200);
    cr_expect_eq(json_object_array_length(o), 1);
    json_object_put(o);
}

/* 16-18 specifics */
Test(orm_versions, odoo18_differences, .timeout = 30)
{
    odoo_mock *m = ts_start(18, 20);
    cr_assert_not_null(m);
    json_object *e = ts_execute(m, 2, "admin", "res.partner", "formatted_read_group", "[[]]", NULL);
    cr_expect_str_eq(ts_error_name(e), "builtins.AttributeError");
    cr_expect_eq(json_object_get_int(json_object_object_get(json_object_object_get(e, "error"), "code")), 200);
    json_object_put(e);
    e = ts_execute(m, 2, "admin", "res.partner", "name_search", "[]", "{\"name\": \"a\", \"args\": []}");
    ok(e);
    json_object_put(e);
    e = ts_execute(m, 8, "limited", "res.users", "context_get", "[]", NULL);
    cr_expect_eq(json_object_get_int(json_object_object_get(ok(e), "uid")), 8);
    json_object_put(e);
    http_response r;
    const char *hdrs[] = {NULL};
    http_do(odoo_mock_port(m), "GET", "/web/version", hdrs, NULL, &r);
    cr_expect_eq(r.status, 404);
    http_response_free(&r);
    cr_expect_eq(ts_post(m, "/json/2/res.partner/search_count", "application/json", "{}", &r), 303);
    cr_expect_str_eq(http_get_header(&r, "Location"), "/web/login?redirect=%2Fjson%2F2%2Fres.partner%2Fsearch_count%3F");
    http_response_free(&r);
    odoo_mock_stop(m);
}
