/* JSON-2 end to end through the public API against recorded Odoo 19
 * exchanges: the request we send must match the recorded one, the
 * recorded answer must decode to the same values or error. */
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>
#include <odoo.h>

#include "replay_server.h"

#define KEY "279b0d4fbaf43e4f19028842fdc2fdf831bfaa39" /* the key recorded in the fixtures */
#define DIR19 "odoo19/json2/"

static replay_server *srv;
static odoo_protocol *conn;
static odoo_rpc_error err = ODOO_RPC_ERROR_INIT;

static void setup(void)
{
    srv = replay_start(NULL, NULL);
    cr_assert_not_null(srv);
    odoo_options o = ODOO_OPTIONS_INIT;
    o.url = replay_url(srv);
    o.db = "odoo19";
    o.api_key = KEY;
    cr_assert_eq(odoo_connect(&conn, ODOO_PROTOCOL_JSON2, &o, &err), 0, "%s", err.message);
}

static void teardown(void)
{
    odoo_close(conn);
    replay_stop(srv);
    odoo_rpc_error_clear(&err);
}

static json_object *recorded_result(const char *fixture)
{
    json_object *fx = fixture_load(fixture);
    json_object *r = json_parse(fixture_str(fx, "response", "body"));
    json_object_put(fx);
    return r;
}

TestSuite(json2, .init = setup, .fini = teardown);

Test(json2, headers_carry_bearer_key_and_database)
{
    replay_expect(srv, DIR19 "06-search_count.json");
    int64_t n = 0;
    json_object *domain = json_parse("[[\"is_company\", \"=\", true]]");
    cr_assert_eq(odoo_search_count(&n, conn, "res.partner", &(odoo_search_options){ .version = ODOO_SEARCH_OPTIONS_VERSION, .domain = domain }, &err), 0, "%s", err.message);
    cr_expect_eq(n, 10);
    const replay_request *r = replay_request_at(srv, 0);
    json_object *v;
    cr_assert(json_object_object_get_ex(r->headers, "authorization", &v));
    cr_expect_str_eq(json_object_get_string(v), "bearer " KEY);
    cr_assert(json_object_object_get_ex(r->headers, "x-odoo-database", &v));
    cr_expect_str_eq(json_object_get_string(v), "odoo19");
    cr_assert(json_object_object_get_ex(r->headers, "content-type", &v));
    cr_expect_str_eq(json_object_get_string(v), "application/json");
    cr_assert(json_object_object_get_ex(r->headers, "user-agent", &v));
    cr_expect(strncmp(json_object_get_string(v), "libodoo/", 8) == 0);
    EXPECT_SENT(srv, 0, DIR19 "06-search_count.json");
    json_object_put(domain);
}

Test(json2, version_info_from_web_version)
{
    replay_expect(srv, DIR19 "01-web-version-get.json");
    json_object *info = NULL;
    cr_assert_eq(odoo_version_info(&info, conn, &err), 0, "%s", err.message);
    json_object *v;
    cr_assert(json_object_object_get_ex(info, "server_version", &v));
    cr_expect_str_eq(json_object_get_string(v), "19.0");
    cr_expect_eq(odoo_server_version(conn), 19);
    cr_expect_str_eq(replay_request_at(srv, 0)->method, "GET");
    json_object_put(info);
}

Test(json2, helpers_send_the_recorded_requests)
{
    const char *fields[] = { "name", "country_id", "is_company", "email", NULL };
    const char *read_fields[] = { "name", "country_id", "is_company", "write_date", NULL };
    const char *allfields[] = { "name", "country_id", "is_company", "partner_latitude", "image_128", "create_date",
                                "type", NULL };
    const char *attrs[] = { "string", "type", "required", "readonly", "relation", "selection", NULL };
    json_object *domain = json_parse("[[\"is_company\", \"=\", true]]"), *out = NULL, *want;
    int64_t ids[] = { 8, 9 };
    json_object *idarr = odoo_ids_new(ids, 2);

    replay_expect(srv, DIR19 "03-search_read.json");
    cr_assert_eq(odoo_search_read(&out, conn, "res.partner", &(odoo_search_options){ .version = ODOO_SEARCH_OPTIONS_VERSION, .domain = domain, .fields = fields, .limit = 3, .order = "name asc" }, &err), 0);
    EXPECT_SENT(srv, 0, DIR19 "03-search_read.json");
    want = recorded_result(DIR19 "03-search_read.json");
    cr_expect(json_equal(out, want));
    json_object_put(want);
    json_object_put(out);

    replay_expect(srv, DIR19 "04-search.json");
    cr_assert_eq(odoo_search(&out, conn, "res.partner", &(odoo_search_options){ .version = ODOO_SEARCH_OPTIONS_VERSION, .domain = domain, .offset = 1, .limit = 5, .order = "id asc" }, &err), 0);
    EXPECT_SENT(srv, 1, DIR19 "04-search.json");
    cr_expect_eq(json_object_array_length(out), 5);
    json_object_put(out);

    replay_expect(srv, DIR19 "05-read.json");
    cr_assert_eq(odoo_read(&out, conn, "res.partner", idarr, read_fields, NULL, &err), 0);
    EXPECT_SENT(srv, 2, DIR19 "05-read.json");
    cr_expect_eq(json_object_array_length(out), 2);
    json_object_put(out);

    replay_expect(srv, DIR19 "07-fields_get.json");
    cr_assert_eq(odoo_fields_get(&out, conn, "res.partner", allfields, attrs, NULL, &err), 0);
    EXPECT_SENT(srv, 3, DIR19 "07-fields_get.json");
    cr_expect(json_object_object_get_ex(out, "image_128", NULL));
    json_object_put(out);

    replay_expect(srv, DIR19 "08-name_search.json");
    cr_assert_eq(odoo_name_search(&out, conn, "res.partner", "Az", NULL, NULL, 5, NULL, &err), 0);
    EXPECT_SENT(srv, 4, DIR19 "08-name_search.json");
    cr_expect_eq(json_object_array_length(out), 4);
    json_object_put(out);

    json_object_put(domain);
    json_object_put(idarr);
}

Test(json2, create_write_unlink_and_none)
{
    json_object *vals = json_parse("{\"name\":\"Wire Test Ünïcödé — 日本語 € <&>\",\"country_id\":20,"
                                   "\"partner_latitude\":50.8503396,\"image_1920\":\"iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB"
                                   "CAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==\"}");
    json_object *out = NULL;
    replay_expect(srv, DIR19 "11-create.json");
    cr_assert_eq(odoo_create(&out, conn, "res.partner", vals, NULL, &err), 0, "%s", err.message);
    EXPECT_SENT(srv, 0, DIR19 "11-create.json");
    /* One dict in, one id out: the same shape XML-RPC returns. */
    cr_assert(json_object_is_type(out, json_type_int));
    cr_expect_eq(json_object_get_int(out), 152);
    json_object_put(out);

    int64_t id = 152;
    json_object *ids = odoo_ids_new(&id, 1), *phone = json_parse("{\"phone\":\"+32 2 555 12 12\"}");
    replay_expect(srv, DIR19 "14-write.json");
    cr_assert_eq(odoo_write(conn, "res.partner", ids, phone, NULL, &err), 0, "%s", err.message);
    EXPECT_SENT(srv, 1, DIR19 "14-write.json");

    replay_expect(srv, DIR19 "15-returns-none.json");
    out = (json_object *)1;
    cr_assert_eq(odoo_call(&out, conn, "res.partner", "action_archive", ids, NULL, NULL, NULL, &err), 0);
    cr_expect_null(out, "None arrives as NULL");
    EXPECT_SENT(srv, 2, DIR19 "15-returns-none.json");

    replay_expect(srv, DIR19 "19-unlink.json");
    cr_assert_eq(odoo_unlink(conn, "res.partner", ids, NULL, &err), 0, "%s", err.message);
    EXPECT_SENT(srv, 3, DIR19 "19-unlink.json");

    json_object_put(ids);
    json_object_put(phone);
    json_object_put(vals);
}

Test(json2, execute_kw_positional_args_are_translated)
{
    /* Written for XML-RPC, runs unchanged on JSON-2: the migration story. */
    json_object *args = json_parse("[[[\"is_company\", \"=\", true]]]");
    json_object *kwargs = json_parse("{\"fields\": [\"name\", \"country_id\", \"is_company\", \"email\"], "
                                     "\"limit\": 3, \"order\": \"name asc\"}");
    json_object *out = NULL;
    replay_expect(srv, DIR19 "03-search_read.json");
    cr_assert_eq(odoo_execute_kw(&out, conn, "res.partner", "search_read", args, kwargs, NULL, &err), 0);
    EXPECT_SENT(srv, 0, DIR19 "03-search_read.json");
    json_object_put(out);
    json_object_put(args);
    json_object_put(kwargs);

    /* read(ids, fields) positionally: ids move to "ids". */
    args = json_parse("[[8, 9], [\"name\", \"country_id\", \"is_company\", \"write_date\"]]");
    replay_expect(srv, DIR19 "05-read.json");
    cr_assert_eq(odoo_execute_kw(&out, conn, "res.partner", "read", args, NULL, NULL, &err), 0);
    EXPECT_SENT(srv, 1, DIR19 "05-read.json");
    json_object_put(out);
    json_object_put(args);

    /* context in kwargs lands in the body's "context". */
    args = json_parse("[[]]");
    kwargs = json_parse("{\"context\": {\"active_test\": false}}");
    replay_expect(srv, DIR19 "09-context.json");
    cr_assert_eq(odoo_execute_kw(&out, conn, "res.users", "search_count", args, kwargs, NULL, &err), 0);
    EXPECT_SENT(srv, 2, DIR19 "09-context.json");
    cr_expect_eq(json_object_get_int(out), 7);
    json_object_put(out);
    json_object_put(args);
    json_object_put(kwargs);
}

/* Outside the table, positional args need the server's description
 * (test_json2_doc.c); refused when it cannot be had, never guessed. */
Test(json2, unknown_method_with_positional_args_is_refused_without_a_description)
{
    replay_expect(srv, "odoo19/json2-doc/08-doc-bearer-limited-user.json");
    json_object *args = json_parse("[1, 2]"), *out = NULL;
    int rc = odoo_execute_kw(&out, conn, "res.partner", "my_custom_method", args, NULL, NULL, &err);
    cr_expect_eq(rc, ODOO_ERR_INVALID_ARGUMENT);
    cr_expect(strstr(err.message, "by name (kwargs)") != NULL, "%s", err.message);
    cr_expect_str_eq(err.model, "res.partner");
    cr_expect_str_eq(err.method, "my_custom_method");
    cr_expect_eq(replay_count(srv), 1, "only the description was asked for");
    cr_expect_str_eq(replay_request_at(srv, 0)->path, "/doc-bearer/res.partner.json");
    json_object_put(args);
}

Test(json2, invalid_names_never_reach_the_url)
{
    json_object *out = NULL;
    cr_expect_eq(odoo_execute_kw(&out, conn, "res.partner/../web", "search", NULL, NULL, NULL, &err),
                 ODOO_ERR_INVALID_ARGUMENT);
    cr_expect_eq(odoo_execute_kw(&out, conn, "res.partner", "search\r\nX-Evil: 1", NULL, NULL, NULL, &err),
                 ODOO_ERR_INVALID_ARGUMENT);
    cr_expect_eq(odoo_execute_kw(&out, conn, "", "search", NULL, NULL, NULL, &err), ODOO_ERR_INVALID_ARGUMENT);
    cr_expect_eq(replay_count(srv), 0);
}

Test(json2, authenticate_resolves_the_uid_behind_the_key)
{
    replay_expect(srv, DIR19 "52-whoami-context_get.json");
    int64_t uid = 0;
    cr_assert_eq(odoo_authenticate(&uid, conn, &err), 0, "%s", err.message);
    cr_expect_eq(uid, 2);
    cr_expect_eq(odoo_uid(conn), 2);
    EXPECT_SENT(srv, 0, DIR19 "52-whoami-context_get.json");
}

/* Every recorded error answer of JSON-2 maps to its kind, with class and message intact. */
static const struct {
    const char *fixture;
    odoo_error_kind kind;
} errors[] = {
    { "10-context-invalid-lang.json", ODOO_ERR_USER },
    { "16-validation-error.json", ODOO_ERR_VALIDATION },
    { "17-user-error.json", ODOO_ERR_USER },
    { "18-access-error.json", ODOO_ERR_ACCESS },
    { "21-missing-error.json", ODOO_ERR_MISSING },
    { "23-bad-field-500.json", ODOO_ERR_SERVER },
    { "24-bad-domain-500.json", ODOO_ERR_SERVER },
    { "25-unknown-model.json", ODOO_ERR_NOT_FOUND },
    { "26-unknown-method.json", ODOO_ERR_NOT_FOUND },
    { "27-private-method.json", ODOO_ERR_ACCESS },
    { "28-unexpected-param.json", ODOO_ERR_INVALID_ARGUMENT },
    { "29-missing-param.json", ODOO_ERR_INVALID_ARGUMENT },
    { "30-ids-on-model-method.json", ODOO_ERR_INVALID_ARGUMENT },
    { "34-empty-body.json", ODOO_ERR_INVALID_ARGUMENT },
    { "35-empty-object.json", ODOO_ERR_INVALID_ARGUMENT },
    { "36-wrong-key.json", ODOO_ERR_AUTH },
    { "37-expired-key.json", ODOO_ERR_AUTH },
    { "38-other-scope-key.json", ODOO_ERR_AUTH },
    { "40-no-authorization.json", ODOO_ERR_AUTH },
    { "41-basic-authorization.json", ODOO_ERR_AUTH },
    { "43-wrong-database-header.json", ODOO_ERR_NOT_FOUND },
    { "44-get-instead-of-post.json", ODOO_ERR_NOT_FOUND },
    { "45-text-plain.json", ODOO_ERR_PROTOCOL },
    { "46-invalid-json.json", ODOO_ERR_PROTOCOL },
    { "47-no-method-in-path.json", ODOO_ERR_NOT_FOUND },
    { "57-session-cookie-no-bearer.json", ODOO_ERR_AUTH },
    { "59-session-cookie-limited-bearer.json", ODOO_ERR_AUTH },
};

Test(json2, every_recorded_error)
{
    for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
        char rel[256];
        snprintf(rel, sizeof(rel), DIR19 "%s", errors[i].fixture);
        json_object *fx = fixture_load(rel), *out = NULL;
        json_object *recorded = json_parse(fixture_str(fx, "response", "body"));
        replay_expect(srv, rel);
        int rc = odoo_execute_kw(&out, conn, "res.partner", "search_count", NULL, NULL, NULL, &err);
        cr_expect_eq(rc, (int)errors[i].kind, "%s: got %s (%s)", rel, odoo_error_kind_name((odoo_error_kind)rc),
                     err.message);
        cr_expect_eq(err.http_status, fixture_status(fx), "%s", rel);
        cr_expect_str_eq(err.model, "res.partner");
        cr_expect_str_eq(err.method, "search_count");
        json_object *v;
        if (recorded && json_object_object_get_ex(recorded, "name", &v)) {
            cr_expect_str_eq(err.error_class, json_object_get_string(v), "%s", rel);
            json_object_object_get_ex(recorded, "message", &v);
            cr_expect_str_eq(err.message, json_object_get_string(v), "%s", rel);
        } else {
            cr_expect_not_null(err.debug, "%s: the page's first bytes are kept", rel);
        }
        cr_expect(strstr(err.message, KEY) == NULL && (!err.debug || strstr(err.debug, KEY) == NULL));
        json_object_put(recorded);
        json_object_put(fx);
        json_object_put(out);
    }
}

Test(json2, missing_key_is_refused_before_io)
{
    odoo_options o = ODOO_OPTIONS_INIT;
    o.url = replay_url(srv);
    o.password = "admin";
    odoo_protocol *p = NULL;
    cr_assert_eq(odoo_connect(&p, ODOO_PROTOCOL_JSON2, &o, &err), 0);
    json_object *out = NULL;
    cr_expect_eq(odoo_execute_kw(&out, p, "res.partner", "search_count", NULL, NULL, NULL, &err), ODOO_ERR_AUTH);
    cr_expect(strstr(err.message, "API key") != NULL);
    cr_expect_eq(replay_count(srv), 0);
    odoo_close(p);
}

Test(json2, odoo18_redirect_says_json2_is_missing)
{
    replay_expect(srv, "odoo18/json2/02-json2-on-18.json");
    json_object *out = NULL;
    cr_expect_eq(odoo_execute_kw(&out, conn, "res.partner", "search_count", NULL, NULL, NULL, &err),
                 ODOO_ERR_PROTOCOL);
    cr_expect_eq(err.http_status, 303);
    cr_expect(strstr(err.message, "JSON-2") != NULL, "%s", err.message);
}
