/* odoo_error_to_json: every member, null where absent, secrets masked (the
 * error is redacted when filled); odoo_error_is_business; the heap error. */
#include <string.h>

#include <criterion/criterion.h>
#include <json-c/json.h>
#include <odoo.h>
#include <odoo/error_json.h>

#include "fixtures.h"
#include "replay_server.h"

static json_object *as_json(const odoo_rpc_error *e)
{
    char *text = odoo_error_to_json(e);
    cr_assert_not_null(text);
    json_object *doc = json_parse(text);
    cr_assert_not_null(doc, "not JSON: %s", text);
    odoo_free(text);
    return doc;
}

static const char *str(json_object *doc, const char *key)
{
    json_object *v = NULL;
    cr_assert(json_object_object_get_ex(doc, key, &v), "no %s", key);
    return v ? json_object_get_string(v) : NULL;
}

Test(error_json, every_member)
{
    odoo_rpc_error e = ODOO_RPC_ERROR_INIT;
    e.kind = ODOO_ERR_VALIDATION;
    e.code = 2;
    e.http_status = 200;
    e.error_class = strdup("odoo.exceptions.ValidationError");
    e.message = strdup("You cannot create recursive \"Partner\" hierarchies.\n");
    e.debug = strdup("Traceback ...");
    e.model = strdup("res.partner");
    e.method = strdup("write");
    e.retry_after = 3;
    json_object *doc = as_json(&e);
    json_object *want = json_parse(
        "{\"kind\":\"validation\",\"kind_code\":-13,\"class\":\"odoo.exceptions.ValidationError\","
        "\"message\":\"You cannot create recursive \\\"Partner\\\" hierarchies.\\n\",\"http_status\":200,\"code\":2,"
        "\"model\":\"res.partner\",\"method\":\"write\",\"retry_after\":3,\"debug\":\"Traceback ...\","
        "\"business\":true,\"transient\":false}");
    cr_assert(json_object_equal(doc, want), "%s", json_object_to_json_string(doc));
    json_object_put(doc);
    json_object_put(want);
    odoo_rpc_error_clear(&e);
}

Test(error_json, absent_members_are_null)
{
    odoo_rpc_error e = ODOO_RPC_ERROR_INIT;
    e.kind = ODOO_ERR_TIMEOUT; /* no message: the kind's text */
    json_object *doc = as_json(&e);
    cr_assert_str_eq(str(doc, "kind"), "timeout");
    cr_assert_str_eq(str(doc, "message"), odoo_strerror(ODOO_ERR_TIMEOUT));
    cr_assert_null(str(doc, "class"));
    cr_assert_null(str(doc, "http_status"));
    cr_assert_null(str(doc, "retry_after"));
    cr_assert_null(str(doc, "debug"));
    cr_assert_str_eq(str(doc, "transient"), "true");
    json_object_put(doc);
    doc = as_json(NULL);
    cr_assert_str_eq(str(doc, "kind"), "ok");
    cr_assert_null(str(doc, "message"));
    json_object_put(doc);
}

Test(error_json, business_kinds)
{
    for (int k = 0; k >= ODOO_ERROR_KIND_MIN; k--) {
        int want = k == ODOO_ERR_USER || k == ODOO_ERR_VALIDATION || k == ODOO_ERR_MISSING || k == ODOO_ERR_ACCESS;
        cr_assert_eq(!!odoo_error_is_business((odoo_error_kind)k), want, "%s", odoo_error_kind_name(k));
    }
}

Test(error_json, heap_error_for_bindings)
{
    odoo_rpc_error *e = odoo_rpc_error_new();
    cr_assert_not_null(e);
    cr_assert_eq(odoo_rpc_error_kind(e), ODOO_OK);
    cr_assert_eq(e->retry_after, -1);
    odoo_options o = ODOO_OPTIONS_INIT; /* no URL */
    cr_assert_eq(odoo_connect(NULL, ODOO_PROTOCOL_XMLRPC, &o, e), ODOO_ERR_INVALID_ARGUMENT);
    cr_assert_eq(odoo_rpc_error_kind(e), ODOO_ERR_INVALID_ARGUMENT);
    odoo_rpc_error_free(e);
    odoo_rpc_error_free(NULL);
    cr_assert_eq(odoo_rpc_error_kind(NULL), ODOO_OK);
}

/* A server that echoes the password in its error: the JSON carries the
 * masked text only. */
Test(error_json, secrets_never_in_it)
{
    replay_server *srv = replay_start(NULL, NULL);
    static const char secret[] = "s3cr\"et-P@ss";
    replay_expect_raw(srv, 403, "application/json; charset=utf-8",
                      "{\"name\":\"odoo.exceptions.AccessError\",\"message\":\"bad key s3cr\\\"et-P@ss\","
                      "\"arguments\":[],\"context\":{},\"debug\":\"key=s3cr\\\"et-P@ss\"}", NULL);
    odoo_options o = ODOO_OPTIONS_INIT;
    o.url = replay_url(srv);
    o.db = "odoo";
    o.api_key = secret;
    odoo_protocol *p = NULL;
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    cr_assert_eq(odoo_connect(&p, ODOO_PROTOCOL_JSON2, &o, &err), 0, "%s", err.message);
    cr_assert_eq(odoo_execute_kw(NULL, p, "res.partner", "search_count", NULL, NULL, NULL, &err), ODOO_ERR_ACCESS,
                 "%s", err.message);
    cr_assert(strstr(err.message, "bad key"), "%s", err.message);
    char *text = odoo_error_to_json(&err);
    cr_assert_not_null(text);
    cr_assert_null(strstr(text, "s3cr"), "secret in %s", text);
    cr_assert(strstr(text, "***"), "%s", text);
    odoo_free(text);
    odoo_rpc_error_clear(&err);
    odoo_close(p);
    replay_stop(srv);
}
