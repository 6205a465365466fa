/* Session JSON-RPC end to end through the public API against recorded
 * Odoo 18 and 19 exchanges. */
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <odoo.h>

#include "replay_server.h"

static replay_server *srv;
static odoo_protocol *conn;
static odoo_rpc_error err = ODOO_RPC_ERROR_INIT;

static void open_conn(const char *db, const char *password, const char *api_key)
{
    odoo_options o = ODOO_OPTIONS_INIT;
    o.url = replay_url(srv);
    o.db = db;
    o.login = "admin";
    o.password = password;
    o.api_key = api_key;
    cr_assert_eq(odoo_connect(&conn, ODOO_PROTOCOL_JSONRPC, &o, &err), 0, "%s", err.message);
}

static void setup(void)
{
    srv = replay_start(NULL, NULL);
    cr_assert_not_null(srv);
    open_conn("odoo19", "admin", NULL);
}

static void teardown(void)
{
    odoo_close(conn);
    conn = NULL;
    replay_stop(srv);
    odoo_rpc_error_clear(&err);
}

TestSuite(jsonrpc, .init = setup, .fini = teardown);

#define S19 "odoo19/jsonrpc-session/"

Test(jsonrpc, version_info_needs_no_login)
{
    replay_expect(srv, S19 "01-version_info.json");
    json_object *info = NULL;
    cr_assert_eq(odoo_version_info(&info, conn, &err), 0, "%s", err.message);
    EXPECT_SENT(srv, 0, S19 "01-version_info.json");
    cr_expect_eq(odoo_server_version(conn), 19);
    json_object_put(info);
}

Test(jsonrpc, login_then_calls_carry_the_session_cookie)
{
    replay_expect(srv, S19 "05-authenticate-ok.json");
    int64_t uid = 0;
    cr_assert_eq(odoo_authenticate(&uid, conn, &err), 0, "%s", err.message);
    cr_expect_eq(uid, 2);
    cr_expect_eq(odoo_server_version(conn), 19, "learned from session_info");
    EXPECT_SENT(srv, 0, S19 "05-authenticate-ok.json");

    json_object *domain = json_parse("[[\"is_company\", \"=\", true]]"), *out = NULL;
    const char *fields[] = { "name", "country_id", "is_company", "email", NULL };
    replay_expect(srv, S19 "07-call_kw-search_read.json");
    cr_assert_eq(odoo_search_read(&out, conn, "res.partner", &(odoo_search_options){ .version = ODOO_SEARCH_OPTIONS_VERSION, .domain = domain, .fields = fields, .limit = 3, .order = "name asc" }, &err), 0);
    EXPECT_SENT(srv, 1, S19 "07-call_kw-search_read.json");
    json_object *fx = fixture_load(S19 "07-call_kw-search_read.json");
    cr_expect_str_eq(replay_sent_header(srv, 1, "cookie"), fixture_header(fx, "request", "Cookie"));
    json_object *doc = json_parse(fixture_str(fx, "response", "body")), *want;
    json_object_object_get_ex(doc, "result", &want);
    cr_expect(json_equal(out, want));
    json_object_put(doc);
    json_object_put(fx);
    json_object_put(out);
    json_object_put(domain);
}

Test(jsonrpc, first_call_logs_in_by_itself)
{
    replay_expect(srv, S19 "05-authenticate-ok.json");
    replay_expect(srv, S19 "11-call_kw-search_count.json");
    int64_t n = 0;
    json_object *domain = json_parse("[[\"is_company\", \"=\", true]]");
    cr_assert_eq(odoo_search_count(&n, conn, "res.partner", &(odoo_search_options){ .version = ODOO_SEARCH_OPTIONS_VERSION, .domain = domain }, &err), 0, "%s", err.message);
    cr_expect_eq(n, 10);
    EXPECT_SENT(srv, 0, S19 "05-authenticate-ok.json");
    EXPECT_SENT(srv, 1, S19 "11-call_kw-search_count.json");
    json_object_put(domain);
}

Test(jsonrpc, every_helper_sends_the_recorded_request)
{
    replay_expect(srv, S19 "05-authenticate-ok.json");
    cr_assert_eq(odoo_authenticate(NULL, conn, &err), 0);

    json_object *domain = json_parse("[[\"is_company\", \"=\", true]]"), *out = NULL;
    int64_t ids89[] = { 8, 9 }, id144 = 144;
    json_object *ids = odoo_ids_new(ids89, 2), *one = odoo_ids_new(&id144, 1);
    const char *read_fields[] = { "name", "country_id", "is_company", "write_date", NULL };
    const char *allfields[] = { "name", "country_id", "is_company", "partner_latitude", "image_128", "create_date",
                                "type", NULL };
    const char *attrs[] = { "string", "type", "required", "readonly", "relation", "selection", NULL };

    replay_expect(srv, S19 "09-call_kw-search.json");
    cr_assert_eq(odoo_search(&out, conn, "res.partner", &(odoo_search_options){ .version = ODOO_SEARCH_OPTIONS_VERSION, .domain = domain, .offset = 1, .limit = 5, .order = "id asc" }, &err), 0, "%s", err.message);
    EXPECT_SENT(srv, 1, S19 "09-call_kw-search.json");
    json_object_put(out);

    replay_expect(srv, S19 "10-call_kw-read.json");
    cr_assert_eq(odoo_read(&out, conn, "res.partner", ids, read_fields, NULL, &err), 0, "%s", err.message);
    EXPECT_SENT(srv, 2, S19 "10-call_kw-read.json");
    json_object_put(out);

    replay_expect(srv, S19 "12-call_kw-fields_get.json");
    cr_assert_eq(odoo_fields_get(&out, conn, "res.partner", allfields, attrs, NULL, &err), 0, "%s", err.message);
    EXPECT_SENT(srv, 3, S19 "12-call_kw-fields_get.json");
    json_object_put(out);

    replay_expect(srv, S19 "13-call_kw-name_search.json");
    cr_assert_eq(odoo_name_search(&out, conn, "res.partner", "Az", NULL, NULL, 5, NULL, &err), 0, "%s", err.message);
    EXPECT_SENT(srv, 4, S19 "13-call_kw-name_search.json");
    json_object_put(out);

    json_object *vals = json_parse("{\"name\":\"Wire Test Ünïcödé — 日本語 € <&>\",\"country_id\":20,"
                                   "\"partner_latitude\":50.8503396,\"image_1920\":\"iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB"
                                   "CAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==\"}");
    replay_expect(srv, S19 "14-call_kw-create.json");
    cr_assert_eq(odoo_create(&out, conn, "res.partner", vals, NULL, &err), 0, "%s", err.message);
    EXPECT_SENT(srv, 5, S19 "14-call_kw-create.json");
    cr_expect_eq(json_object_get_int(out), 144);
    json_object_put(out);
    json_object_put(vals);

    vals = json_parse("{\"phone\":\"+32 2 555 12 12\"}");
    replay_expect(srv, S19 "16-call_kw-write.json");
    cr_assert_eq(odoo_write(conn, "res.partner", one, vals, NULL, &err), 0, "%s", err.message);
    EXPECT_SENT(srv, 6, S19 "16-call_kw-write.json");
    json_object_put(vals);

    replay_expect(srv, S19 "18-call_kw-returns-none.json");
    cr_assert_eq(odoo_call(&out, conn, "res.partner", "action_archive", one, NULL, NULL, NULL, &err), 0);
    cr_expect_null(out);
    EXPECT_SENT(srv, 7, S19 "18-call_kw-returns-none.json");

    replay_expect(srv, S19 "21-call_kw-unlink.json");
    cr_assert_eq(odoo_unlink(conn, "res.partner", one, NULL, &err), 0, "%s", err.message);
    EXPECT_SENT(srv, 8, S19 "21-call_kw-unlink.json");

    json_object_put(domain);
    json_object_put(ids);
    json_object_put(one);
}

Test(jsonrpc, expired_session_is_renewed_once)
{
    replay_expect(srv, S19 "05-authenticate-ok.json");
    cr_assert_eq(odoo_authenticate(NULL, conn, &err), 0);
    /* refused as expired -> login again -> the call is repeated */
    replay_expect(srv, S19 "41-call_kw-no-cookie.json");
    replay_expect(srv, S19 "05-authenticate-ok.json");
    replay_expect(srv, S19 "11-call_kw-search_count.json");
    int64_t n = 0;
    json_object *domain = json_parse("[[\"is_company\", \"=\", true]]");
    cr_assert_eq(odoo_search_count(&n, conn, "res.partner", &(odoo_search_options){ .version = ODOO_SEARCH_OPTIONS_VERSION, .domain = domain }, &err), 0, "%s", err.message);
    json_object_put(domain);
    cr_expect_eq(n, 10);
    cr_expect_eq(replay_count(srv), 4);
    EXPECT_SENT(srv, 2, S19 "05-authenticate-ok.json");

    /* a second refusal after the new login is reported */
    replay_expect(srv, S19 "41-call_kw-no-cookie.json");
    replay_expect(srv, S19 "05-authenticate-ok.json");
    replay_expect(srv, S19 "48-call_kw-session-invalidated.json");
    cr_expect_eq(odoo_search_count(&n, conn, "res.partner", NULL, &err), ODOO_ERR_SESSION_EXPIRED);
    cr_expect_str_eq(err.error_class, "odoo.http.SessionExpiredException");
    cr_expect_eq(err.code, 100);
    cr_expect_eq(replay_count(srv), 7);
}

Test(jsonrpc, close_destroys_the_session)
{
    replay_expect(srv, S19 "05-authenticate-ok.json");
    cr_assert_eq(odoo_authenticate(NULL, conn, &err), 0);
    replay_expect(srv, S19 "49-destroy.json");
    odoo_close(conn);
    conn = NULL;
    cr_expect_eq(replay_count(srv), 2);
    cr_expect_str_eq(replay_request_at(srv, 1)->path, "/web/session/destroy");
}

Test(jsonrpc, api_key_only_is_refused_clearly)
{
    odoo_close(conn);
    open_conn("odoo19", NULL, "279b0d4fbaf43e4f19028842fdc2fdf831bfaa39");
    int rc = odoo_authenticate(NULL, conn, &err);
    cr_expect_eq(rc, ODOO_ERR_AUTH);
    cr_expect(strstr(err.message, "refuses API keys") != NULL, "%s", err.message);
    cr_expect(strstr(err.message, "json2") != NULL);
    cr_expect(strstr(err.message, "279b0d4f") == NULL);
    cr_expect_eq(replay_count(srv), 0);
}

Test(jsonrpc, bad_password_never_shows_the_password)
{
    odoo_close(conn);
    open_conn("odoo19", "s3cr3t-Passw0rd", NULL);
    replay_expect(srv, S19 "02-authenticate-bad-password.json");
    cr_expect_eq(odoo_authenticate(NULL, conn, &err), ODOO_ERR_AUTH);
    cr_expect_str_eq(err.error_class, "odoo.exceptions.AccessDenied");
    cr_expect_str_eq(err.message, "Access Denied");
    cr_expect(strstr(err.message, "s3cr3t") == NULL && (!err.debug || strstr(err.debug, "s3cr3t") == NULL));
}

/* Every recorded JSON-RPC error of Odoo 18 and 19 through the public API. */
static const struct {
    const char *fixture;
    const char *model, *method;
    odoo_error_kind kind;
} errors[] = {
    { "19-call_kw-validation-error.json", "res.partner", "write", ODOO_ERR_VALIDATION },
    { "20-call_kw-user-error.json", "res.users", "unlink", ODOO_ERR_USER },
    { "23-call_kw-missing-error.json", "res.partner", "write", ODOO_ERR_MISSING },
    { "24-call_kw-unknown-model.json", "no.such.model", "search", ODOO_ERR_NOT_FOUND },
    { "25-call_kw-unknown-method.json", "res.partner", "no_such_method", ODOO_ERR_NOT_FOUND },
    { "26-call_kw-private-method.json", "res.partner", "_compute_display_name", ODOO_ERR_ACCESS },
    { "27-call_kw-wrong-arg-count.json", "res.partner", "read", ODOO_ERR_INVALID_ARGUMENT },
    { "34-call_kw-context-invalid-lang.json", "res.country", "search_read", ODOO_ERR_USER },
    { "46-call_kw-access-error.json", "ir.config_parameter", "search_read", ODOO_ERR_ACCESS },
    { "44-route-unknown.json", "res.partner", "search", ODOO_ERR_PROTOCOL },
    { "38-text-plain-content-type.json", "res.partner", "search", ODOO_ERR_PROTOCOL },
};

static void run_errors(const char *version)
{
    char dir[64];
    snprintf(dir, sizeof(dir), "odoo%s/jsonrpc-session/", version);
    replay_expect(srv, strcmp(version, "19") == 0 ? S19 "05-authenticate-ok.json"
                                                  : "odoo18/jsonrpc-session/05-authenticate-ok.json");
    cr_assert_eq(odoo_authenticate(NULL, conn, &err), 0);
    for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
        char rel[256];
        snprintf(rel, sizeof(rel), "%s%s", dir, errors[i].fixture);
        json_object *fx = fixture_load(rel), *out = NULL, *data = NULL, *v;
        json_object *doc = json_parse(fixture_str(fx, "response", "body"));
        replay_expect(srv, rel);
        int rc = odoo_execute_kw(&out, conn, errors[i].model, errors[i].method, NULL, NULL, NULL, &err);
        cr_expect_eq(rc, (int)errors[i].kind, "%s: %s (%s)", rel, odoo_error_kind_name((odoo_error_kind)rc), err.message);
        cr_expect_str_eq(err.model, errors[i].model);
        cr_expect_str_eq(err.method, errors[i].method);
        if (doc && json_object_object_get_ex(doc, "error", &v) && json_object_object_get_ex(v, "data", &data)) {
            json_object_object_get_ex(data, "name", &v);
            cr_expect_str_eq(err.error_class, json_object_get_string(v), "%s", rel);
            json_object_object_get_ex(data, "message", &v);
            cr_expect_str_eq(err.message, json_object_get_string(v), "%s", rel);
        } else {
            cr_expect_eq(err.http_status, fixture_status(fx), "%s", rel);
        }
        json_object_put(doc);
        json_object_put(fx);
    }
}

Test(jsonrpc, every_recorded_error_odoo19)
{
    run_errors("19");
}

Test(jsonrpc, every_recorded_error_odoo18)
{
    odoo_close(conn);
    open_conn("odoo18", "admin", NULL);
    run_errors("18");
}

Test(jsonrpc, login_cooldown_is_rate_limited)
{
    replay_expect(srv, S19 "62-cooldown-good-password-refused.json");
    cr_expect_eq(odoo_authenticate(NULL, conn, &err), ODOO_ERR_RATE_LIMITED);
    cr_expect_str_eq(err.error_class, "odoo.exceptions.AccessDenied");
    cr_expect(strstr(err.message, "Too many login failures") != NULL);
}

Test(jsonrpc, bad_database_is_an_access_error)
{
    replay_expect(srv, S19 "03-authenticate-bad-db.json");
    cr_expect_eq(odoo_authenticate(NULL, conn, &err), ODOO_ERR_ACCESS);
    cr_expect_str_eq(err.message, "Database not found.");
}
