/* ODXProxy: the client side of the gateway's wire contract (notes section
 * 5), against canned gateway answers on the loopback server. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <odoo.h>

#include "replay_server.h"

#define PROXY_KEY "proxy-key-0123456789"
#define ODOO_KEY "279b0d4fbaf43e4f19028842fdc2fdf831bfaa39"

static replay_server *srv;
static odoo_protocol *conn;
static odoo_rpc_error err = ODOO_RPC_ERROR_INIT;

static void open_with(int api, long timeout_ms, int retries)
{
    char gateway[128];
    snprintf(gateway, sizeof(gateway), "%s/", replay_url(srv)); /* a trailing slash is trimmed */
    odoo_options o = ODOO_OPTIONS_INIT;
    o.url = "https://erp.example.com";
    o.db = "prod";
    o.api_key = ODOO_KEY;
    o.proxy_url = gateway;
    o.proxy_api_key = PROXY_KEY;
    o.user_id = 2;
    o.proxy_api = api;
    o.timeout_ms = timeout_ms;
    o.proxy_retries = retries;
    o.proxy_retry_backoff_ms = 10;
    cr_assert_eq(odoo_connect(&conn, ODOO_PROTOCOL_ODXPROXY, &o, &err), 0, "%s", err.message);
}

static void setup(void)
{
    srv = replay_start(NULL, NULL);
    open_with(1, 0, 0);
}

static void teardown(void)
{
    odoo_close(conn);
    replay_stop(srv);
    odoo_rpc_error_clear(&err);
}

static json_object *sent_body(size_t i)
{
    return json_parse(replay_request_at(srv, i)->body);
}

/* The id the i-th request carried, so an answer can echo it. */
static void answer(int status, const char *fmt_with_id)
{
    /* ids are unknown before the call: answers use "id": null, which the
     * gateway also sends on its own errors. */
    replay_expect_raw(srv, status, "application/json", fmt_with_id, NULL);
}

static int is_uuid_v4(const char *s)
{
    if (!s || strlen(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' || s[14] != '4')
        return 0;
    if (!strchr("89ab", s[19]))
        return 0;
    for (int i = 0; i < 36; i++)
        if (s[i] != '-' && !isxdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

TestSuite(odxproxy, .init = setup, .fini = teardown);

Test(odxproxy, v1_request_shape_headers_and_id)
{
    answer(200, "{\"jsonrpc\": \"2.0\", \"id\": null, \"result\": [10, 20, 30]}");
    json_object *out = NULL, *domain = json_parse("[[\"is_company\", \"=\", true]]");
    cr_assert_eq(odoo_search(&out, conn, "res.partner", &(odoo_search_options){ .version = ODOO_SEARCH_OPTIONS_VERSION, .domain = domain, .limit = 5 }, &err), 0, "%s", err.message);
    cr_expect_eq(json_object_array_length(out), 3);
    const replay_request *r = replay_request_at(srv, 0);
    cr_expect_str_eq(r->method, "POST");
    cr_expect_str_eq(r->path, "/api/odoo/execute");
    cr_expect_str_eq(replay_sent_header(srv, 0, "x-api-key"), PROXY_KEY);
    cr_expect_str_eq(replay_sent_header(srv, 0, "content-type"), "application/json");
    cr_expect_null(replay_sent_header(srv, 0, "x-request-timeout"), "no timeout set, no header");
    json_object *body = sent_body(0), *want = json_parse(
        "{\"action\": \"search\", \"model_id\": \"res.partner\", \"params\": [[[\"is_company\", \"=\", true]]], "
        "\"keyword\": {\"limit\": 5}, \"odoo_instance\": {\"url\": \"https://erp.example.com\", \"db\": \"prod\", "
        "\"user_id\": 2, \"api_key\": \"" ODOO_KEY "\"}}"), *id;
    cr_assert(json_object_object_get_ex(body, "id", &id));
    cr_expect(is_uuid_v4(json_object_get_string(id)), "id %s", json_object_get_string(id));
    json_object_object_del(body, "id");
    cr_expect(json_equal(body, want), "%s", json_object_to_json_string(body));
    cr_expect(!json_object_object_get_ex(body, "fn_name", NULL), "fn_name only for call_method");
    json_object_put(body);
    json_object_put(want);
    json_object_put(out);

    /* a fresh id per call */
    answer(200, "{\"jsonrpc\": \"2.0\", \"id\": null, \"result\": 3}");
    int64_t n;
    cr_assert_eq(odoo_search_count(&n, conn, "res.partner", &(odoo_search_options){ .version = ODOO_SEARCH_OPTIONS_VERSION, .domain = domain }, &err), 0);
    json_object *b0 = sent_body(0), *b1 = sent_body(1), *i0, *i1;
    json_object_object_get_ex(b0, "id", &i0);
    json_object_object_get_ex(b1, "id", &i1);
    cr_expect_str_neq(json_object_get_string(i0), json_object_get_string(i1));
    json_object_put(b0);
    json_object_put(b1);
    json_object_put(domain);
}

Test(odxproxy, other_methods_go_through_call_method)
{
    answer(200, "{\"jsonrpc\": \"2.0\", \"id\": null, \"result\": {\"name\": false}}");
    json_object *out = NULL, *args = json_parse("[[\"name\", \"email\"]]");
    cr_assert_eq(odoo_execute_kw(&out, conn, "res.partner", "default_get", args, NULL, NULL, &err), 0);
    json_object *body = sent_body(0), *v;
    cr_assert(json_object_object_get_ex(body, "action", &v));
    cr_expect_str_eq(json_object_get_string(v), "call_method");
    cr_assert(json_object_object_get_ex(body, "fn_name", &v));
    cr_expect_str_eq(json_object_get_string(v), "default_get");
    json_object_put(body);
    json_object_put(out);
    json_object_put(args);

    answer(200, "{\"jsonrpc\": \"2.0\", \"id\": null, \"result\": {}}");
    cr_assert_eq(odoo_fields_get(&out, conn, "res.partner", NULL, NULL, NULL, &err), 0);
    body = sent_body(1);
    json_object_object_get_ex(body, "params", &v);
    cr_expect_eq(json_object_array_length(v), 0, "fields_get sends params []");
    json_object_object_get_ex(body, "keyword", &v);
    cr_expect(json_object_is_type(v, json_type_object), "keyword always an object");
    json_object_put(body);
    json_object_put(out);
}

Test(odxproxy, timeout_header_in_whole_seconds)
{
    odoo_close(conn);
    open_with(1, 15500, 0);
    answer(200, "{\"jsonrpc\": \"2.0\", \"id\": null, \"result\": 1}");
    int64_t n;
    cr_assert_eq(odoo_search_count(&n, conn, "res.partner", NULL, &err), 0);
    cr_expect_str_eq(replay_sent_header(srv, 0, "x-request-timeout"), "15");
}

Test(odxproxy, echoed_id_is_checked)
{
    answer(200, "{\"jsonrpc\": \"2.0\", \"id\": \"not-ours\", \"result\": 1}");
    int64_t n;
    cr_expect_eq(odoo_search_count(&n, conn, "res.partner", NULL, &err), ODOO_ERR_PROTOCOL);
}

static const struct {
    int status;
    const char *body;
    odoo_error_kind kind;
    int code;
} table[] = {
    { 401, "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32000,\"message\":\"Unauthorized\"}}", ODOO_ERR_PROXY_AUTH, -32000 },
    { 400, "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32001,\"message\":\"Invalid action\"}}", ODOO_ERR_PROXY, -32001 },
    { 400, "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32002,\"message\":\"fn_name required\"}}", ODOO_ERR_PROXY, -32002 },
    { 504, "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32003,\"message\":\"Upstream timeout\"}}", ODOO_ERR_PROXY_TIMEOUT, -32003 },
    { 502, "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32004,\"message\":\"Upstream unreachable\"}}", ODOO_ERR_PROXY_UNREACHABLE, -32004 },
    { 500, "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32005,\"message\":\"Internal\"}}", ODOO_ERR_PROXY, -32005 },
    { 403, "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":0,\"message\":\"License expired\"}}", ODOO_ERR_PROXY_LICENSE, 0 },
    { 200, "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32006,\"message\":\"JSON-2 unavailable\"}}", ODOO_ERR_PROXY, -32006 },
    { 400, "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32007,\"message\":\"Invalid request\"}}", ODOO_ERR_PROXY, -32007 },
    /* Odoo's own errors, passed through on 200 */
    { 200, "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":0,\"message\":\"Odoo Server Error\",\"data\":"
           "{\"name\":\"odoo.exceptions.ValidationError\",\"message\":\"You cannot create recursive Partner hierarchies.\","
           "\"arguments\":[],\"context\":{},\"debug\":\"tb\"}}}", ODOO_ERR_VALIDATION, 0 },
    { 200, "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":200,\"message\":\"Odoo Server Error\",\"data\":"
           "{\"name\":\"odoo.exceptions.AccessError\",\"message\":\"no\"}}}", ODOO_ERR_ACCESS, 200 },
    { 200, "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":401,\"message\":\"Invalid apikey\"}}", ODOO_ERR_AUTH, 401 },
    { 200, "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":404,\"message\":\"Not found\",\"data\":"
           "{\"name\":\"werkzeug.exceptions.NotFound\",\"message\":\"the model 'x' does not exist\"}}}", ODOO_ERR_NOT_FOUND, 404 },
    { 200, "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":409,\"message\":\"Conflict\"}}", ODOO_ERR_CONFLICT, 409 },
};

Test(odxproxy, error_table)
{
    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
        answer(table[i].status, table[i].body);
        int64_t n;
        int rc = odoo_search_count(&n, conn, "res.partner", NULL, &err);
        cr_expect_eq(rc, (int)table[i].kind, "row %zu: %s (%s)", i, odoo_error_kind_name((odoo_error_kind)rc), err.message);
        cr_expect_eq(err.code, table[i].code, "row %zu", i);
        cr_expect_eq(err.http_status, table[i].status, "row %zu", i);
        cr_expect(strstr(err.message, PROXY_KEY) == NULL && strstr(err.message, ODOO_KEY) == NULL);
    }
    cr_expect_str_eq(odoo_error_kind_name(ODOO_ERR_PROXY_AUTH), "proxy_auth");
}

Test(odxproxy, odoo_error_keeps_class_and_message)
{
    answer(200, table[9].body);
    int64_t n;
    cr_expect_eq(odoo_search_count(&n, conn, "res.partner", NULL, &err), ODOO_ERR_VALIDATION);
    cr_expect_str_eq(err.error_class, "odoo.exceptions.ValidationError");
    cr_expect_str_eq(err.message, "You cannot create recursive Partner hierarchies.");
    cr_expect_str_eq(err.debug, "tb");
}

Test(odxproxy, non_json_body_keeps_status_and_text)
{
    replay_expect_raw(srv, 422, "text/plain", "Failed to deserialize the JSON body", NULL);
    int64_t n;
    cr_expect_eq(odoo_search_count(&n, conn, "res.partner", NULL, &err), ODOO_ERR_PROTOCOL);
    cr_expect_eq(err.http_status, 422);
    cr_expect(strstr(err.message, "Failed to deserialize") != NULL, "%s", err.message);
    cr_expect_str_eq(err.debug, "Failed to deserialize the JSON body");
}

Test(odxproxy, no_retries_by_default)
{
    answer(502, table[4].body);
    int64_t n;
    cr_expect_eq(odoo_search_count(&n, conn, "res.partner", NULL, &err), ODOO_ERR_PROXY_UNREACHABLE);
    cr_expect_eq(replay_count(srv), 1);
}

Test(odxproxy, opt_in_retries_for_reads_only)
{
    odoo_close(conn);
    open_with(1, 0, 2);
    answer(502, table[4].body);
    answer(504, table[3].body);
    answer(200, "{\"jsonrpc\": \"2.0\", \"id\": null, \"result\": 4}");
    int64_t n = 0;
    cr_expect_eq(odoo_search_count(&n, conn, "res.partner", NULL, &err), 0, "%s", err.message);
    cr_expect_eq(n, 4);
    cr_expect_eq(replay_count(srv), 3);
    /* a write is not repeated: it may have run upstream */
    answer(504, table[3].body);
    int64_t id = 1;
    json_object *ids = odoo_ids_new(&id, 1), *vals = json_parse("{\"name\": \"x\"}");
    cr_expect_eq(odoo_write(conn, "res.partner", ids, vals, NULL, &err), ODOO_ERR_PROXY_TIMEOUT);
    cr_expect_eq(replay_count(srv), 4);
    /* bounded: two retries, then the error */
    for (int i = 0; i < 3; i++)
        answer(502, table[4].body);
    cr_expect_eq(odoo_search_count(&n, conn, "res.partner", NULL, &err), ODOO_ERR_PROXY_UNREACHABLE);
    cr_expect_eq(replay_count(srv), 7);
    json_object_put(ids);
    json_object_put(vals);
}

Test(odxproxy, v2_request_shape)
{
    odoo_close(conn);
    open_with(2, 0, 0);
    answer(200, "{\"jsonrpc\": \"2.0\", \"id\": null, \"result\": [42]}");
    json_object *out = NULL, *vals = json_parse("{\"name\": \"x\"}"), *ctx = json_parse("{\"tz\": \"UTC\"}");
    cr_assert_eq(odoo_create(&out, conn, "res.partner", vals, ctx, &err), 0, "%s", err.message);
    json_object_put(ctx);
    cr_expect_eq(json_object_get_int(out), 42, "one dict in, one id out");
    cr_expect_str_eq(replay_request_at(srv, 0)->path, "/v2/odoo/execute");
    json_object *body = sent_body(0), *want = json_parse(
        "{\"model_id\": \"res.partner\", \"method\": \"create\", \"kwargs\": {\"vals_list\": [{\"name\": \"x\"}], "
        "\"context\": {\"tz\": \"UTC\"}}, \"odoo_instance\": {\"url\": \"https://erp.example.com\", \"db\": \"prod\", "
        "\"api_key\": \"" ODOO_KEY "\"}}");
    json_object_object_del(body, "id");
    cr_expect(json_equal(body, want), "%s", json_object_to_json_string(body));
    json_object_put(body);
    json_object_put(want);
    json_object_put(out);
    json_object_put(vals);
}

Test(odxproxy, auto_api_from_the_odoo_version)
{
    odoo_close(conn);
    open_with(0, 0, 0);
    answer(200, "{\"jsonrpc\":\"2.0\",\"id\":null,\"result\":{\"server_version\":\"19.0\","
                "\"server_version_info\":[19,0,0,\"final\",0,\"\"]}}");
    answer(200, "{\"jsonrpc\":\"2.0\",\"id\":null,\"result\":{\"version\":\"19.0\",\"version_info\":[19,0,0,\"final\",0,\"\"]}}");
    answer(200, "{\"jsonrpc\":\"2.0\",\"id\":null,\"result\":5}");
    int64_t n;
    cr_assert_eq(odoo_search_count(&n, conn, "res.partner", NULL, &err), 0, "%s", err.message);
    cr_expect_str_eq(replay_request_at(srv, 0)->path, "/api/odoo/version");
    json_object *vb = sent_body(0), *v;
    cr_expect(json_object_object_get_ex(vb, "url", &v));
    cr_expect(!json_object_object_get_ex(vb, "odoo_instance", NULL), "no Odoo credentials on version");
    json_object_put(vb);
    cr_expect_str_eq(replay_request_at(srv, 1)->path, "/v2/odoo/version");
    cr_expect_str_eq(replay_request_at(srv, 2)->path, "/v2/odoo/execute");
    cr_expect_eq(odoo_odxproxy_api(conn, &err), 2);
}

Test(odxproxy, auto_api_falls_back_to_v1)
{
    odoo_close(conn);
    open_with(0, 0, 0);
    answer(200, "{\"jsonrpc\":\"2.0\",\"id\":null,\"result\":{\"server_version\":\"18.0\","
                "\"server_version_info\":[18,0,0,\"final\",0,\"\"]}}");
    answer(200, "{\"jsonrpc\":\"2.0\",\"id\":null,\"result\":5}");
    int64_t n;
    cr_assert_eq(odoo_search_count(&n, conn, "res.partner", NULL, &err), 0, "%s", err.message);
    cr_expect_str_eq(replay_request_at(srv, 1)->path, "/api/odoo/execute");
    cr_expect_eq(odoo_odxproxy_api(conn, &err), 1);
}

Test(odxproxy, ops_endpoints)
{
    json_object *out = NULL, *v;
    answer(200, "{\"jsonrpc\":\"2.0\",\"id\":null,\"result\":{\"build\":\"abc\",\"version\":\"0.9.0\"}}");
    cr_assert_eq(odoo_odxproxy_about(&out, conn, &err), 0, "%s", err.message);
    cr_expect(json_object_object_get_ex(out, "version", &v));
    cr_expect_str_eq(replay_request_at(srv, 0)->path, "/_/about");
    cr_expect_str_eq(replay_request_at(srv, 0)->method, "GET");
    json_object_put(out);
    answer(200, "{\"build\":\"abc\",\"version\":\"0.9.0\"}");
    cr_assert_eq(odoo_odxproxy_about(&out, conn, &err), 0);
    cr_expect(json_object_object_get_ex(out, "build", &v), "flat shape too");
    json_object_put(out);
    answer(200, "{\"licensee\":\"ACME\",\"valid_until\":\"2027-01-01\",\"is_valid\":true}");
    cr_assert_eq(odoo_odxproxy_license(&out, conn, &err), 0);
    cr_expect(json_object_object_get_ex(out, "is_valid", &v) && json_object_get_boolean(v));
    json_object_put(out);
    replay_expect_raw(srv, 200, "text/plain; version=0.0.4", "# TYPE odoo_success_response counter\nodoo_success_response 3\n", NULL);
    char *text = NULL;
    cr_assert_eq(odoo_odxproxy_metrics(&text, conn, &err), 0);
    cr_expect(strstr(text, "odoo_success_response 3") != NULL);
    free(text);
    replay_expect_raw(srv, 503, "text/plain", "down", NULL);
    cr_expect_eq(odoo_odxproxy_license(&out, conn, &err), ODOO_ERR_UNAVAILABLE);
    cr_expect_eq(err.code, 503);
}

Test(odxproxy, v1_needs_the_user_id)
{
    odoo_close(conn);
    char gateway[128];
    snprintf(gateway, sizeof(gateway), "%s", replay_url(srv));
    odoo_options o = ODOO_OPTIONS_INIT;
    o.url = "https://erp.example.com";
    o.db = "prod";
    o.api_key = ODOO_KEY;
    o.proxy_url = gateway;
    o.proxy_api_key = PROXY_KEY;
    o.proxy_api = 1;
    cr_assert_eq(odoo_connect(&conn, ODOO_PROTOCOL_ODXPROXY, &o, &err), 0);
    int64_t n;
    cr_expect_eq(odoo_search_count(&n, conn, "res.partner", NULL, &err), ODOO_ERR_INVALID_ARGUMENT);
    cr_expect_eq(replay_count(srv), 0);
    o.proxy_api_key = NULL;
    odoo_protocol *q = NULL;
    cr_expect_eq(odoo_connect(&q, ODOO_PROTOCOL_ODXPROXY, &o, &err), ODOO_ERR_INVALID_ARGUMENT);
}
