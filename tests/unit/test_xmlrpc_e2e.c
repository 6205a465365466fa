/* XML-RPC end to end through the public API against recorded Odoo 18 and
 * 19 exchanges: authentication (password, API key, key-then-password),
 * every helper, every recorded call and every recorded fault. Requests
 * are compared with the recorded ones as xmlrpc-c reads them (method and
 * params), not byte for byte. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <odoo.h>
#include <odoo/sys/protocol.h>

#include "adapters/xmlrpc_reply.h"
#include "replay_server.h"
#include "xmlrpc_oracle.h"

static replay_server *srv;
static odoo_protocol *conn;
static odoo_rpc_error err = ODOO_RPC_ERROR_INIT;

static void setup(void)
{
    srv = replay_start(NULL, NULL);
    cr_assert_not_null(srv);
}

static void teardown(void)
{
    odoo_close(conn);
    conn = NULL;
    replay_stop(srv);
    odoo_rpc_error_clear(&err);
}

TestSuite(xmlrpc_e2e, .init = setup, .fini = teardown);

#define X19 "odoo19/xmlrpc/"
#define X18 "odoo18/xmlrpc/"

static void open_conn(const char *db, const char *password, const char *api_key)
{
    odoo_close(conn);
    odoo_options o = ODOO_OPTIONS_INIT;
    o.url = replay_url(srv);
    o.db = db;
    o.login = "admin";
    o.password = password;
    o.api_key = api_key;
    cr_assert_eq(odoo_connect(&conn, ODOO_PROTOCOL_XMLRPC, &o, &err), 0, "%s", err.message);
}

static void parse_call(const char *xml, size_t len, char **method, json_object **params)
{
    char why[256];
    cr_assert_eq(xmlrpc_oracle_parse_call(xml, len, method, params, why, sizeof(why)), 0,
                 "xmlrpc-c cannot read the call: %s", why);
}

/* The i-th request received is the one recorded in fixture: a POST of
 * text/xml to the same path (when check_path), same method, same params. */
static void expect_sent_ex(size_t i, const char *fixture, int check_path)
{
    const replay_request *r = replay_request_at(srv, i);
    cr_assert_not_null(r, "request %zu (%s) was never sent", i, fixture);
    json_object *fx = fixture_load(fixture), *ctype;
    const char *body = fixture_str(fx, "request", "body");
    cr_expect_str_eq(r->method, "POST", "%s", fixture);
    if (check_path)
        cr_expect_str_eq(r->path, fixture_str(fx, "request", "path"), "%s", fixture);
    cr_expect(json_object_object_get_ex(r->headers, "content-type", &ctype) &&
              strcmp(json_object_get_string(ctype), "text/xml") == 0, "%s: Content-Type text/xml", fixture);
    char *want_method, *got_method;
    json_object *want, *got;
    parse_call(body, strlen(body), &want_method, &want);
    parse_call(r->body, r->body_len, &got_method, &got);
    cr_expect_str_eq(got_method, want_method, "%s", fixture);
    cr_expect(json_object_equal(got, want), "%s: request %zu differs:\n sent     %s\n recorded %s", fixture, i,
              json_object_to_json_string(got), json_object_to_json_string(want));
    free(want_method);
    free(got_method);
    json_object_put(want);
    json_object_put(got);
    json_object_put(fx);
}

static void expect_sent(size_t i, const char *fixture)
{
    expect_sent_ex(i, fixture, 1);
}

/* The recorded answer, decoded on its own (the codec tests check the
 * decoder against xmlrpc-c's); new reference. */
static json_object *recorded_result(const char *fixture)
{
    json_object *fx = fixture_load(fixture), *out = NULL;
    const char *body = fixture_str(fx, "response", "body");
    odoo_rpc_error e = ODOO_RPC_ERROR_INIT;
    cr_assert_eq(odoo__xmlrpc_decode_response(body, strlen(body), 200, "text/xml", &out, &e), 0, "%s: %s",
                 fixture, e.message);
    json_object_put(fx);
    return out;
}

static void expect_result(json_object *out, const char *fixture)
{
    json_object *want = recorded_result(fixture);
    cr_expect(json_object_equal(out, want), "%s: got %s\n want %s", fixture, json_object_to_json_string(out),
              json_object_to_json_string(want));
    json_object_put(want);
}

/* The error the codec makes of a recorded answer. */
static int recorded_error(const char *fixture, odoo_rpc_error *e)
{
    json_object *fx = fixture_load(fixture), *out = NULL;
    const char *body = fixture_str(fx, "response", "body");
    int rc = odoo__xmlrpc_decode_response(body, strlen(body), fixture_status(fx),
                                          fixture_header(fx, "response", "Content-Type"), &out, e);
    json_object_put(out);
    json_object_put(fx);
    return rc;
}

/* s with every secret replaced by "***", as the library masks errors. */
static char *masked(const char *s, const char *secret)
{
    if (!s)
        return NULL;
    size_t n = strlen(secret);
    char *out = malloc(strlen(s) * 3 + 1), *o = out;
    while (*s) {
        if (n && strncmp(s, secret, n) == 0) {
            memcpy(o, "***", 3);
            o += 3;
            s += n;
        } else {
            *o++ = *s++;
        }
    }
    *o = '\0';
    return out;
}

static void expect_str_or_null(const char *got, const char *want, const char *what, const char *fixture)
{
    if (!want)
        cr_expect_null(got, "%s: %s", fixture, what);
    else
        cr_expect(got && strcmp(got, want) == 0, "%s: %s\n got  %s\n want %s", fixture, what, got, want);
}

/* The core masks a secret everywhere in text of its own, and in Odoo's
 * exception text only from 8 characters on (so "the admin user" survives
 * a password "admin"): see odoo__error_redact(). */
static int masked_in(const odoo_rpc_error *e, const char *secret)
{
    return !e->error_class || strlen(secret) >= 8;
}

/* err is what the codec makes of the recorded answer (kind, code, class,
 * message, debug, status; the secret masked), plus the call's model and
 * method. */
static void expect_recorded_error(int rc, const char *fixture, const char *secret, const char *model,
                                  const char *method)
{
    odoo_rpc_error want = ODOO_RPC_ERROR_INIT;
    int kind = recorded_error(fixture, &want);
    cr_assert_neq(kind, 0, "%s is no error fixture", fixture);
    cr_expect_eq(rc, kind, "%s: %s, want %s", fixture, odoo_error_kind_name(rc), odoo_error_kind_name(kind));
    cr_expect_eq(err.kind, want.kind, "%s", fixture);
    cr_expect_eq(err.code, want.code, "%s", fixture);
    cr_expect_eq(err.http_status, want.http_status, "%s", fixture);
    const char *mask = masked_in(&want, secret) ? secret : "";
    char *msg = masked(want.message, mask), *dbg = masked(want.debug, mask);
    expect_str_or_null(err.error_class, want.error_class, "class", fixture);
    expect_str_or_null(err.message, msg, "message", fixture);
    expect_str_or_null(err.debug, dbg, "debug", fixture);
    expect_str_or_null(err.model, model, "model", fixture);
    expect_str_or_null(err.method, method, "method", fixture);
    free(msg);
    free(dbg);
    odoo_rpc_error_clear(&want);
}

/* Log in by answering authenticate with uid, whatever the credentials. */
static void login_as(long uid)
{
    char body[256];
    snprintf(body, sizeof(body), "<?xml version=\"1.0\"?>\n<methodResponse>\n<params>\n<param>\n"
             "<value><int>%ld</int></value>\n</param>\n</params>\n</methodResponse>\n", uid);
    replay_expect_raw(srv, 200, "text/xml; charset=utf-8", body, NULL);
    int64_t got = 0;
    cr_assert_eq(odoo_authenticate(&got, conn, &err), 0, "%s", err.message);
    cr_assert_eq(got, uid);
}

static void expect_no_secret(const odoo_rpc_error *e, const char *secret)
{
    const char *fields[] = { e->message, e->debug, e->error_class };
    for (size_t i = 0; i < 3; i++)
        cr_expect(!fields[i] || !strstr(fields[i], secret), "a secret leaked: %s", fields[i]);
}

/* ---------------------------------------------------------------------
 * Connection and login
 * ------------------------------------------------------------------ */

Test(xmlrpc_e2e, identity_and_capabilities)
{
    open_conn("odoo19", "admin", NULL);
    cr_expect_str_eq(odoo_protocol_name(conn), "xmlrpc");
    cr_expect_eq(odoo_protocol_kind_of(conn), ODOO_PROTOCOL_XMLRPC);
    const odoo_adapter *a = odoo_adapter_find("xmlrpc");
    cr_assert_not_null(a);
    cr_expect_eq(a->ops->caps, ODOO_CAP_NEEDS_LOGIN | ODOO_CAP_API_KEY | ODOO_CAP_PASSWORD | ODOO_CAP_STREAM_ROWS |
                                   ODOO_CAP_ROWS_SHAPE(ODOO_CURSOR_XMLRPC));
    cr_expect(a->flags & ODOO_ADAPTER_SOLE_ANSWER, "chosen by AUTO only when it alone answers");
    cr_expect_eq(replay_count(srv), 0, "nothing is sent on connect");
}

Test(xmlrpc_e2e, version_info_needs_no_login)
{
    open_conn("odoo19", "admin", NULL);
    replay_expect(srv, X19 "01-common-version.json");
    json_object *info = NULL;
    cr_assert_eq(odoo_version_info(&info, conn, &err), 0, "%s", err.message);
    expect_sent(0, X19 "01-common-version.json");
    expect_result(info, X19 "01-common-version.json");
    cr_expect_eq(odoo_server_version(conn), 19);
    cr_expect_eq(odoo_uid(conn), 0);
    json_object_put(info);
}

Test(xmlrpc_e2e, authenticate_with_the_password)
{
    open_conn("odoo19", "admin", NULL);
    replay_expect(srv, X19 "02-common-authenticate-ok.json");
    int64_t uid = 0;
    cr_assert_eq(odoo_authenticate(&uid, conn, &err), 0, "%s", err.message);
    cr_expect_eq(uid, 2);
    cr_expect_eq(odoo_uid(conn), 2);
    expect_sent(0, X19 "02-common-authenticate-ok.json");
}

Test(xmlrpc_e2e, a_wrong_password_is_an_auth_error)
{
    open_conn("odoo19", "wrong-password", NULL);
    replay_expect(srv, X19 "03-common-authenticate-bad-password.json");
    cr_expect_eq(odoo_authenticate(NULL, conn, &err), ODOO_ERR_AUTH);
    cr_expect_eq(err.kind, ODOO_ERR_AUTH);
    cr_expect_str_eq(err.method, "authenticate");
    expect_no_secret(&err, "wrong-password");
    cr_expect_eq(odoo_uid(conn), 0);
    expect_sent(0, X19 "03-common-authenticate-bad-password.json");
}

Test(xmlrpc_e2e, an_api_key_works_as_the_password)
{
    json_object *fx = fixture_load(X19 "04-common-authenticate-apikey.json");
    char *method;
    json_object *params;
    const char *body = fixture_str(fx, "request", "body");
    parse_call(body, strlen(body), &method, &params);
    const char *key = json_object_get_string(json_object_array_get_idx(params, 2));
    open_conn("odoo19", NULL, key);

    replay_expect(srv, X19 "04-common-authenticate-apikey.json");
    replay_expect(srv, X19 "41-execute_kw-apikey.json");
    int64_t n = 0;
    cr_assert_eq(odoo_search_count(&n, conn, "res.partner", NULL, &err), 0, "%s", err.message);
    expect_sent(0, X19 "04-common-authenticate-apikey.json");
    expect_sent(1, X19 "41-execute_kw-apikey.json");
    cr_expect_eq(n, 41);
    free(method);
    json_object_put(params);
    json_object_put(fx);
}

/* The key is refused (expired): the password is tried next, and the
 * calls after it carry the password. */
Test(xmlrpc_e2e, key_first_then_the_password)
{
    json_object *fx = fixture_load(X19 "05-common-authenticate-expired-apikey.json");
    char *method;
    json_object *params;
    const char *body = fixture_str(fx, "request", "body");
    parse_call(body, strlen(body), &method, &params);
    const char *key = json_object_get_string(json_object_array_get_idx(params, 2));
    open_conn("odoo19", "admin", key);

    replay_expect(srv, X19 "05-common-authenticate-expired-apikey.json");
    replay_expect(srv, X19 "02-common-authenticate-ok.json");
    int64_t uid = 0;
    cr_assert_eq(odoo_authenticate(&uid, conn, &err), 0, "%s", err.message);
    cr_expect_eq(uid, 2);
    cr_assert_eq(replay_count(srv), 2, "two logins, in order");
    expect_sent(0, X19 "05-common-authenticate-expired-apikey.json");
    expect_sent(1, X19 "02-common-authenticate-ok.json");
    cr_expect_eq(err.kind, ODOO_OK, "the refused key leaves no error behind");

    replay_expect(srv, X19 "15-search_count.json");
    json_object *domain = json_parse("[[\"is_company\", \"=\", true]]");
    int64_t n = 0;
    cr_assert_eq(odoo_search_count(&n, conn, "res.partner", &(odoo_search_options){ .version = ODOO_SEARCH_OPTIONS_VERSION, .domain = domain }, &err), 0, "%s", err.message);
    expect_sent(2, X19 "15-search_count.json");
    cr_expect_eq(n, 10);
    json_object_put(domain);
    free(method);
    json_object_put(params);
    json_object_put(fx);
}

Test(xmlrpc_e2e, key_and_password_both_refused)
{
    json_object *fx = fixture_load(X19 "05-common-authenticate-expired-apikey.json");
    char *method;
    json_object *params;
    const char *body = fixture_str(fx, "request", "body");
    parse_call(body, strlen(body), &method, &params);
    const char *key = json_object_get_string(json_object_array_get_idx(params, 2));
    open_conn("odoo19", "wrong-password", key);

    replay_expect(srv, X19 "05-common-authenticate-expired-apikey.json");
    replay_expect(srv, X19 "03-common-authenticate-bad-password.json");
    cr_expect_eq(odoo_authenticate(NULL, conn, &err), ODOO_ERR_AUTH);
    cr_expect_eq(replay_count(srv), 2);
    expect_sent(0, X19 "05-common-authenticate-expired-apikey.json");
    expect_sent(1, X19 "03-common-authenticate-bad-password.json");
    cr_expect(strstr(err.message, "tried the API key, then the password") != NULL, "%s", err.message);
    expect_no_secret(&err, key);
    expect_no_secret(&err, "wrong-password");
    free(method);
    json_object_put(params);
    json_object_put(fx);
}

Test(xmlrpc_e2e, a_fault_at_login_is_reported)
{
    open_conn("nosuchdb", "admin", NULL);
    replay_expect(srv, X19 "08-common-authenticate-bad-db.json");
    int rc = odoo_authenticate(NULL, conn, &err);
    expect_recorded_error(rc, X19 "08-common-authenticate-bad-db.json", "admin", NULL, "authenticate");
    cr_expect_eq(rc, ODOO_ERR_SERVER);
}

Test(xmlrpc_e2e, the_first_call_logs_in_by_itself)
{
    open_conn("odoo19", "admin", NULL);
    replay_expect(srv, X19 "02-common-authenticate-ok.json");
    replay_expect(srv, X19 "15-search_count.json");
    json_object *domain = json_parse("[[\"is_company\", \"=\", true]]");
    int64_t n = 0;
    cr_assert_eq(odoo_search_count(&n, conn, "res.partner", &(odoo_search_options){ .version = ODOO_SEARCH_OPTIONS_VERSION, .domain = domain }, &err), 0, "%s", err.message);
    cr_expect_eq(n, 10);
    expect_sent(0, X19 "02-common-authenticate-ok.json");
    expect_sent(1, X19 "15-search_count.json");
    json_object_put(domain);
}

/* ---------------------------------------------------------------------
 * Every helper
 * ------------------------------------------------------------------ */

Test(xmlrpc_e2e, every_helper_sends_the_recorded_request)
{
    open_conn("odoo19", "admin", NULL);
    replay_expect(srv, X19 "02-common-authenticate-ok.json");
    cr_assert_eq(odoo_authenticate(NULL, conn, &err), 0, "%s", err.message);
    size_t i = 1;
    json_object *out = NULL;
    json_object *companies = json_parse("[[\"is_company\", \"=\", true]]");

    replay_expect(srv, X19 "12-search.json");
    cr_assert_eq(odoo_search(&out, conn, "res.partner", &(odoo_search_options){ .version = ODOO_SEARCH_OPTIONS_VERSION, .domain = companies, .offset = 1, .limit = 5, .order = "id asc" }, &err), 0, "%s", err.message);
    expect_sent(i++, X19 "12-search.json");
    expect_result(out, X19 "12-search.json");
    json_object_put(out);

    const char *sr_fields[] = { "name", "country_id", "is_company", "email", NULL };
    replay_expect(srv, X19 "11-search_read.json");
    cr_assert_eq(odoo_search_read(&out, conn, "res.partner", &(odoo_search_options){ .version = ODOO_SEARCH_OPTIONS_VERSION, .domain = companies, .fields = sr_fields, .limit = 3, .order = "name asc" }, &err), 0);
    expect_sent(i++, X19 "11-search_read.json");
    expect_result(out, X19 "11-search_read.json");
    json_object_put(out);

    int64_t ids89[] = { 8, 9 };
    json_object *ids = odoo_ids_new(ids89, 2);
    const char *read_fields[] = { "name", "country_id", "is_company", "write_date", NULL };
    replay_expect(srv, X19 "13-read.json");
    cr_assert_eq(odoo_read(&out, conn, "res.partner", ids, read_fields, NULL, &err), 0, "%s", err.message);
    expect_sent(i++, X19 "13-read.json");
    expect_result(out, X19 "13-read.json");
    json_object_put(out);
    json_object_put(ids);

    int64_t count = 0;
    replay_expect(srv, X19 "15-search_count.json");
    cr_assert_eq(odoo_search_count(&count, conn, "res.partner", &(odoo_search_options){ .version = ODOO_SEARCH_OPTIONS_VERSION, .domain = companies }, &err), 0, "%s", err.message);
    expect_sent(i++, X19 "15-search_count.json");
    cr_expect_eq(count, 10);

    const char *allfields[] = { "name", "country_id", "is_company", "partner_latitude", "image_128", "create_date",
                                "type", NULL };
    const char *attrs[] = { "string", "type", "required", "readonly", "relation", "selection", NULL };
    replay_expect(srv, X19 "16-fields_get.json");
    cr_assert_eq(odoo_fields_get(&out, conn, "res.partner", allfields, attrs, NULL, &err), 0, "%s", err.message);
    expect_sent(i++, X19 "16-fields_get.json");
    expect_result(out, X19 "16-fields_get.json");
    json_object_put(out);

    replay_expect(srv, X19 "17-name_search.json");
    cr_assert_eq(odoo_name_search(&out, conn, "res.partner", "Az", NULL, NULL, 5, NULL, &err), 0, "%s", err.message);
    expect_sent(i++, X19 "17-name_search.json");
    expect_result(out, X19 "17-name_search.json");
    json_object_put(out);

    json_object *ctx = json_parse("{\"active_test\": false}"), *all = json_parse("[[]]");
    replay_expect(srv, X19 "18-context-active_test.json");
    cr_assert_eq(odoo_execute_kw(&out, conn, "res.users", "search_count", all, NULL, ctx, &err), 0, "%s",
                 err.message);
    expect_sent(i++, X19 "18-context-active_test.json");
    expect_result(out, X19 "18-context-active_test.json");
    json_object_put(out);
    json_object_put(ctx);
    json_object_put(all);

    /* Unicode, many2one id, floats, a binary field as base64 text, HTML. */
    json_object *vals = json_parse(
        "{\"name\": \"Wire Test \\u00dcn\\u00efc\\u00f6d\\u00e9 \\u2014 \\u65e5\\u672c\\u8a9e \\u20ac <&>\","
        " \"is_company\": false, \"country_id\": 20, \"partner_latitude\": 50.8503396,"
        " \"partner_longitude\": -4.3517103,"
        " \"image_1920\": \"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==\","
        " \"comment\": \"<p>hello</p>\"}");
    replay_expect(srv, X19 "21-create.json");
    cr_assert_eq(odoo_create(&out, conn, "res.partner", vals, NULL, &err), 0, "%s", err.message);
    expect_sent(i++, X19 "21-create.json");
    cr_expect_eq(json_object_get_int64(out), 139);
    json_object_put(out);
    json_object_put(vals);

    int64_t id139 = 139;
    json_object *one = odoo_ids_new(&id139, 1);
    const char *mixed[] = { "name", "is_company", "parent_id", "country_id", "partner_latitude", "partner_longitude",
                            "image_128", "create_date", "active", "comment", NULL };
    replay_expect(srv, X19 "22-read-mixed-types.json");
    cr_assert_eq(odoo_read(&out, conn, "res.partner", one, mixed, NULL, &err), 0, "%s", err.message);
    expect_sent(i++, X19 "22-read-mixed-types.json");
    expect_result(out, X19 "22-read-mixed-types.json");
    json_object_put(out);

    json_object *multi = json_parse("[{\"name\": \"Multi 1\"}, {\"name\": \"Multi 2\"}]");
    replay_expect(srv, X19 "24-create-multi.json");
    cr_assert_eq(odoo_create(&out, conn, "res.partner", multi, NULL, &err), 0, "%s", err.message);
    expect_sent(i++, X19 "24-create-multi.json");
    expect_result(out, X19 "24-create-multi.json");
    json_object_put(out);
    json_object_put(multi);

    json_object *w = json_parse("{\"phone\": \"+32 2 555 12 12\", \"is_company\": true}");
    replay_expect(srv, X19 "25-write.json");
    cr_assert_eq(odoo_write(conn, "res.partner", one, w, NULL, &err), 0, "%s", err.message);
    expect_sent(i++, X19 "25-write.json");
    json_object_put(w);

    w = json_parse("{\"phone\": null}");
    replay_expect(srv, X19 "26-write-nil.json");
    cr_assert_eq(odoo_write(conn, "res.partner", one, w, NULL, &err), 0, "%s", err.message);
    expect_sent(i++, X19 "26-write-nil.json");
    json_object_put(w);

    json_object *att = json_parse("{\"name\": \"wire2.bin\", \"datas\": \"AAEC/w==\", \"res_model\": \"res.partner\","
                                  " \"res_id\": 139}");
    replay_expect(srv, X19 "29-create-attachment-base64-string.json");
    cr_assert_eq(odoo_create(&out, conn, "ir.attachment", att, NULL, &err), 0, "%s", err.message);
    expect_sent(i++, X19 "29-create-attachment-base64-string.json");
    json_object_put(out);
    json_object_put(att);

    json_object *adom = json_parse("[[\"res_model\", \"=\", \"res.partner\"], [\"res_id\", \"=\", 139]]");
    const char *afields[] = { "name", "datas", "file_size", "mimetype", "checksum", NULL };
    replay_expect(srv, X19 "30-read-attachment-binary.json");
    cr_assert_eq(odoo_search_read(&out, conn, "ir.attachment", &(odoo_search_options){ .version = ODOO_SEARCH_OPTIONS_VERSION, .domain = adom, .fields = afields, .order = "id" }, &err), 0, "%s",
                 err.message);
    expect_sent(i++, X19 "30-read-attachment-binary.json");
    expect_result(out, X19 "30-read-attachment-binary.json");
    json_object_put(out);
    json_object_put(adom);

    replay_expect(srv, X19 "43-unlink.json");
    cr_assert_eq(odoo_unlink(conn, "res.partner", one, NULL, &err), 0, "%s", err.message);
    expect_sent(i++, X19 "43-unlink.json");

    int64_t two[] = { 140, 141 };
    json_object *pair = odoo_ids_new(two, 2);
    replay_expect(srv, X19 "46-unlink-multi.json");
    cr_assert_eq(odoo_unlink(conn, "res.partner", pair, NULL, &err), 0, "%s", err.message);
    expect_sent(i++, X19 "46-unlink-multi.json");
    json_object_put(pair);
    json_object_put(one);

    /* Beyond 32 bits on the way out: an <i8>, which Odoo takes. */
    json_object *big = json_parse("[[\"id\", \"=\", 1099511627776]]");
    replay_expect(srv, X19 "56-bigint-i8-in-request.json");
    cr_assert_eq(odoo_search(&out, conn, "res.partner", &(odoo_search_options){ .version = ODOO_SEARCH_OPTIONS_VERSION, .domain = big }, &err), 0, "%s", err.message);
    expect_sent(i++, X19 "56-bigint-i8-in-request.json");
    expect_result(out, X19 "56-bigint-i8-in-request.json");
    json_object_put(out);
    json_object_put(big);

    cr_expect_eq(replay_count(srv), i);
    cr_expect_eq(replay_pending(srv), 0);
    json_object_put(companies);
}

/* ---------------------------------------------------------------------
 * Every recorded object call, success or fault, replayed through
 * odoo_execute_kw with the recorded arguments
 * ------------------------------------------------------------------ */

static int replay_object_call(const char *rel, int *faults)
{
    json_object *fx = fixture_load(rel);
    const char *body = fixture_str(fx, "request", "body"), *path = fixture_str(fx, "request", "path");
    char *method = NULL, why[256];
    json_object *params = NULL;
    int done = 0;
    /* execute_kw on /xmlrpc/2/object or the legacy /xmlrpc/object; not
     * those whose values JSON cannot give: a string uid, nil kwargs, a
     * <base64> or <dateTime.iso8601> element. */
    if ((strcmp(path, "/xmlrpc/2/object") == 0 || strcmp(path, "/xmlrpc/object") == 0) &&
        !strstr(body, "<base64>") && !strstr(body, "<dateTime.iso8601>") &&
        xmlrpc_oracle_parse_call(body, strlen(body), &method, &params, why, sizeof(why)) == 0 &&
        strcmp(method, "execute_kw") == 0 &&
        json_object_is_type(json_object_array_get_idx(params, 1), json_type_int) &&
        (json_object_array_length(params) == 6 ||
         json_object_is_type(json_object_array_get_idx(params, 6), json_type_object))) {
        const char *db = json_object_get_string(json_object_array_get_idx(params, 0));
        const char *secret = json_object_get_string(json_object_array_get_idx(params, 2));
        const char *model = json_object_get_string(json_object_array_get_idx(params, 3));
        const char *meth = json_object_get_string(json_object_array_get_idx(params, 4));
        json_object *args = json_object_array_get_idx(params, 5), *kwargs = json_object_array_get_idx(params, 6);

        replay_stop(srv);
        srv = replay_start(NULL, NULL);
        open_conn(db, secret, NULL);
        login_as((long)json_object_get_int64(json_object_array_get_idx(params, 1)));
        replay_expect(srv, rel);
        json_object *out = NULL;
        int rc = odoo_execute_kw(&out, conn, model, meth, args, kwargs, NULL, &err);
        expect_sent_ex(1, rel, strcmp(path, "/xmlrpc/2/object") == 0);
        if (strstr(fixture_str(fx, "response", "body"), "<fault>")) {
            expect_recorded_error(rc, rel, secret, model, meth);
            if (masked_in(&err, secret))
                expect_no_secret(&err, secret);
            cr_expect_null(out);
            (*faults)++;
        } else {
            cr_expect_eq(rc, 0, "%s: %s", rel, err.message);
            expect_result(out, rel);
        }
        json_object_put(out);
        done = 1;
    }
    free(method);
    json_object_put(params);
    json_object_put(fx);
    return done;
}

static void replay_folder(const char *folder, int want_calls, int want_faults)
{
    char **names;
    size_t n = fixture_list(folder, &names);
    int calls = 0, faults = 0;
    for (size_t i = 0; i < n; i++) {
        char rel[256];
        snprintf(rel, sizeof(rel), "%s/%s", folder, names[i]);
        calls += replay_object_call(rel, &faults);
    }
    fixture_list_free(names, n);
    cr_expect_eq(calls, want_calls, "%s: object calls replayed", folder);
    cr_expect_eq(faults, want_faults, "%s: faults among them", folder);
}

Test(xmlrpc_e2e, every_recorded_odoo19_object_call)
{
    replay_folder("odoo19/xmlrpc", 51, 23);
}

Test(xmlrpc_e2e, every_recorded_odoo18_object_call)
{
    replay_folder("odoo18/xmlrpc", 51, 24);
}

/* The faults recorded on other endpoints (an unknown service, an unknown
 * object method, the server's complaint about a malformed request, the
 * HTML 405 page) reach the caller the same way when they answer a call. */
Test(xmlrpc_e2e, every_other_recorded_fault_through_the_api)
{
    const char *files[] = {
        X19 "61-object-unknown-rpc-method.json", X18 "61-object-unknown-rpc-method.json",
        X19 "65-unknown-service.json", X18 "65-unknown-service.json",
        X19 "73-malformed-xml.json", X18 "73-malformed-xml.json",
        X19 "74-get-not-allowed.json", X18 "74-get-not-allowed.json",
        X19 "10-common-authenticate-missing-arg.json",
    };
    open_conn("odoo19", "admin", NULL);
    login_as(2);
    int64_t id1 = 1;
    json_object *ids = odoo_ids_new(&id1, 1), *out = NULL;
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        replay_expect(srv, files[i]);
        int rc = odoo_read(&out, conn, "res.partner", ids, NULL, NULL, &err);
        expect_recorded_error(rc, files[i], "admin", "res.partner", "read");
        cr_expect_null(out);
    }
    /* The connection is still good after all of them. */
    replay_expect(srv, X19 "44-read-deleted-id.json");
    cr_expect_eq(odoo_read(&out, conn, "res.partner", ids, NULL, NULL, &err), 0, "%s", err.message);
    json_object_put(out);
    json_object_put(ids);
}

Test(xmlrpc_e2e, the_html_405_page_keeps_its_status)
{
    open_conn("odoo19", "admin", NULL);
    login_as(2);
    replay_expect(srv, X19 "74-get-not-allowed.json");
    json_object *out = NULL;
    cr_expect_eq(odoo_search(&out, conn, "res.partner", NULL, &err), ODOO_ERR_PROTOCOL);
    cr_expect_eq(err.http_status, 405);
    cr_expect(strstr(err.message, "405 Method Not Allowed") != NULL, "%s", err.message);
    cr_expect_str_eq(err.model, "res.partner");
    cr_expect_str_eq(err.method, "search");
}

Test(xmlrpc_e2e, a_truncated_answer_is_a_protocol_error)
{
    open_conn("odoo19", "admin", NULL);
    login_as(2);
    replay_expect_raw(srv, 200, "text/xml", "<?xml version=\"1.0\"?>\n<methodResponse>\n<params>\n<param>\n"
                      "<value><array><data>\n<value><int>1</int></value>\n", NULL);
    json_object *out = NULL;
    cr_expect_eq(odoo_search(&out, conn, "res.partner", NULL, &err), ODOO_ERR_PROTOCOL);
    cr_expect_eq(err.http_status, 200);
    cr_expect_not_null(err.debug);
    cr_expect_null(out);
}

Test(xmlrpc_e2e, none_results_say_the_call_ran)
{
    open_conn("odoo19", "admin", NULL);
    login_as(2);
    replay_expect(srv, X19 "32-returns-none.json");
    int64_t id139 = 139;
    json_object *ids = odoo_ids_new(&id139, 1), *out = NULL;
    int rc = odoo_call(&out, conn, "res.partner", "action_archive", ids, NULL, NULL, NULL, &err);
    cr_expect_eq(rc, ODOO_ERR_UNSUPPORTED);
    cr_expect_str_eq(err.method, "action_archive");
    cr_expect(strstr(err.message, "the call itself ran") != NULL, "%s", err.message);
    expect_sent(1, X19 "32-returns-none.json");
    json_object_put(ids);
}

Test(xmlrpc_e2e, values_xml_cannot_carry_are_refused_before_sending)
{
    open_conn("odoo19", "admin", NULL);
    login_as(2);
    json_object *vals = json_parse("{\"name\": \"bell\\u0007\"}"), *out = NULL;
    cr_expect_eq(odoo_create(&out, conn, "res.partner", vals, NULL, &err), ODOO_ERR_UNSUPPORTED);
    cr_expect_str_eq(err.model, "res.partner");
    cr_expect_str_eq(err.method, "create");
    cr_expect_eq(replay_count(srv), 1, "nothing sent after the login");
    json_object_put(vals);
}
