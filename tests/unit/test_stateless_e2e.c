/* Stateless /jsonrpc end to end through the public API against recorded
 * Odoo 18 and 19 exchanges. */
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>
#include <odoo.h>

#include "replay_server.h"

#define KEY "279b0d4fbaf43e4f19028842fdc2fdf831bfaa39"
#define S19 "odoo19/jsonrpc-service/"

static replay_server *srv;
static odoo_protocol *conn;
static odoo_rpc_error err = ODOO_RPC_ERROR_INIT;

static void open_conn(const char *password, const char *key)
{
    odoo_options o = ODOO_OPTIONS_INIT;
    o.url = replay_url(srv);
    o.db = "odoo19";
    o.login = "admin";
    o.password = password;
    o.api_key = key;
    cr_assert_eq(odoo_connect(&conn, ODOO_PROTOCOL_JSONRPC_STATELESS, &o, &err), 0, "%s", err.message);
}

static void setup(void)
{
    srv = replay_start(NULL, NULL);
    open_conn("admin", NULL);
}

static void teardown(void)
{
    odoo_close(conn);
    replay_stop(srv);
    odoo_rpc_error_clear(&err);
}

/* args[2] of the i-th request: the secret that was sent. */
static const char *sent_secret(size_t i)
{
    static char buf[128];
    json_object *doc = json_parse(replay_request_at(srv, i)->body), *params, *args;
    json_object_object_get_ex(doc, "params", &params);
    json_object_object_get_ex(params, "args", &args);
    snprintf(buf, sizeof(buf), "%s", json_object_get_string(json_object_array_get_idx(args, 2)));
    json_object_put(doc);
    return buf;
}

TestSuite(stateless, .init = setup, .fini = teardown);

Test(stateless, version_and_login)
{
    replay_expect(srv, S19 "01-common-version.json");
    json_object *info = NULL;
    cr_assert_eq(odoo_version_info(&info, conn, &err), 0, "%s", err.message);
    EXPECT_SENT(srv, 0, S19 "01-common-version.json");
    json_object_put(info);
    replay_expect(srv, S19 "02-common-authenticate-ok.json");
    int64_t uid = 0;
    cr_assert_eq(odoo_authenticate(&uid, conn, &err), 0, "%s", err.message);
    cr_expect_eq(uid, 2);
    EXPECT_SENT(srv, 1, S19 "02-common-authenticate-ok.json");
}

Test(stateless, wrong_password_is_an_auth_error)
{
    replay_expect(srv, S19 "03-common-authenticate-bad-password.json");
    cr_expect_eq(odoo_authenticate(NULL, conn, &err), ODOO_ERR_AUTH);
    cr_expect(strstr(err.message, "refused") != NULL, "%s", err.message);
}

Test(stateless, key_first_then_password)
{
    odoo_close(conn);
    open_conn("admin", KEY);
    replay_expect(srv, S19 "03-common-authenticate-bad-password.json"); /* the key is refused: False */
    replay_expect(srv, S19 "02-common-authenticate-ok.json");
    replay_expect(srv, S19 "14-search_count.json");
    int64_t n = 0;
    json_object *domain = json_parse("[[\"is_company\", \"=\", true]]");
    cr_assert_eq(odoo_search_count(&n, conn, "res.partner", &(odoo_search_options){ .version = ODOO_SEARCH_OPTIONS_VERSION, .domain = domain }, &err), 0, "%s", err.message);
    cr_expect_str_eq(sent_secret(0), KEY);
    cr_expect_str_eq(sent_secret(1), "admin");
    cr_expect_str_eq(sent_secret(2), "admin", "later calls use the secret that worked");
    EXPECT_SENT(srv, 2, S19 "14-search_count.json");
    json_object_put(domain);
}

Test(stateless, key_alone_works_as_the_password)
{
    odoo_close(conn);
    open_conn(NULL, KEY);
    replay_expect(srv, S19 "04-common-authenticate-apikey.json");
    cr_assert_eq(odoo_authenticate(NULL, conn, &err), 0, "%s", err.message);
    EXPECT_SENT(srv, 0, S19 "04-common-authenticate-apikey.json");
}

Test(stateless, helpers_send_the_recorded_requests)
{
    replay_expect(srv, S19 "02-common-authenticate-ok.json");
    cr_assert_eq(odoo_authenticate(NULL, conn, &err), 0);
    json_object *domain = json_parse("[[\"is_company\", \"=\", true]]"), *out = NULL;
    const char *fields[] = { "name", "country_id", "is_company", "email", NULL };
    const char *read_fields[] = { "name", "country_id", "is_company", "write_date", NULL };
    int64_t idv[] = { 8, 9 }, id147 = 147;
    json_object *ids = odoo_ids_new(idv, 2), *one = odoo_ids_new(&id147, 1);

    replay_expect(srv, S19 "11-search_read.json");
    cr_assert_eq(odoo_search_read(&out, conn, "res.partner", &(odoo_search_options){ .version = ODOO_SEARCH_OPTIONS_VERSION, .domain = domain, .fields = fields, .limit = 3, .order = "name asc" }, &err), 0);
    EXPECT_SENT(srv, 1, S19 "11-search_read.json");
    cr_expect_eq(json_object_array_length(out), 3);
    json_object_put(out);

    replay_expect(srv, S19 "12-search.json");
    cr_assert_eq(odoo_search(&out, conn, "res.partner", &(odoo_search_options){ .version = ODOO_SEARCH_OPTIONS_VERSION, .domain = domain, .offset = 1, .limit = 5, .order = "id asc" }, &err), 0);
    EXPECT_SENT(srv, 2, S19 "12-search.json");
    json_object_put(out);

    replay_expect(srv, S19 "13-read.json");
    cr_assert_eq(odoo_read(&out, conn, "res.partner", ids, read_fields, NULL, &err), 0);
    EXPECT_SENT(srv, 3, S19 "13-read.json");
    json_object_put(out);

    replay_expect(srv, S19 "16-name_search.json");
    cr_assert_eq(odoo_name_search(&out, conn, "res.partner", "Az", NULL, NULL, 5, NULL, &err), 0);
    EXPECT_SENT(srv, 4, S19 "16-name_search.json");
    json_object_put(out);

    json_object *vals = json_parse("{\"phone\":\"+32 2 555 12 12\"}");
    replay_expect(srv, S19 "20-write.json");
    cr_assert_eq(odoo_write(conn, "res.partner", one, vals, NULL, &err), 0);
    EXPECT_SENT(srv, 5, S19 "20-write.json");
    json_object_put(vals);

    replay_expect(srv, S19 "21-returns-none.json");
    cr_assert_eq(odoo_call(&out, conn, "res.partner", "action_archive", one, NULL, NULL, NULL, &err), 0);
    cr_expect_null(out);
    EXPECT_SENT(srv, 6, S19 "21-returns-none.json");

    replay_expect(srv, S19 "27-unlink.json");
    cr_assert_eq(odoo_unlink(conn, "res.partner", one, NULL, &err), 0);
    EXPECT_SENT(srv, 7, S19 "27-unlink.json");

    json_object *args = json_parse("[[]]"), *kw = json_parse("{\"context\": {\"active_test\": false}}");
    replay_expect(srv, S19 "31-context-active_test.json");
    cr_assert_eq(odoo_execute_kw(&out, conn, "res.users", "search_count", args, kw, NULL, &err), 0);
    EXPECT_SENT(srv, 8, S19 "31-context-active_test.json");
    cr_expect_eq(json_object_get_int(out), 7);
    json_object_put(out);
    json_object_put(args);
    json_object_put(kw);
    json_object_put(domain);
    json_object_put(ids);
    json_object_put(one);
}

Test(stateless, big_integers_travel)
{
    replay_expect(srv, S19 "02-common-authenticate-ok.json");
    replay_expect(srv, S19 "38-bigint-in-response.json");
    json_object *out = NULL;
    cr_assert_eq(odoo_execute_kw(&out, conn, "res.partner", "read_group", NULL, NULL, NULL, &err), 0, "%s", err.message);
    json_object *row = json_object_array_get_idx(out, 0), *v;
    cr_assert(json_object_object_get_ex(row, "color", &v));
    cr_expect_eq(json_object_get_int64(v), 4294967294LL);
    json_object_put(out);
}

static const struct {
    const char *fixture;
    odoo_error_kind kind;
} errors[] = {
    { "22-validation-error.json", ODOO_ERR_VALIDATION }, { "23-user-error.json", ODOO_ERR_USER },
    { "24-access-error.json", ODOO_ERR_ACCESS },         { "25-access-denied.json", ODOO_ERR_AUTH },
    { "29-missing-error.json", ODOO_ERR_MISSING },       { "32-unknown-model.json", ODOO_ERR_NOT_FOUND },
    { "33-unknown-method.json", ODOO_ERR_NOT_FOUND },    { "34-private-method.json", ODOO_ERR_ACCESS },
    { "35-wrong-arg-count.json", ODOO_ERR_INVALID_ARGUMENT },
};

static void run_errors(const char *ver)
{
    char rel[256];
    snprintf(rel, sizeof(rel), "odoo%s/jsonrpc-service/02-common-authenticate-ok.json", ver);
    replay_expect(srv, rel);
    cr_assert_eq(odoo_authenticate(NULL, conn, &err), 0);
    for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
        snprintf(rel, sizeof(rel), "odoo%s/jsonrpc-service/%s", ver, errors[i].fixture);
        json_object *out = NULL, *fx = fixture_load(rel);
        json_object *doc = json_parse(fixture_str(fx, "response", "body")), *e, *data, *v;
        replay_expect(srv, rel);
        int rc = odoo_execute_kw(&out, conn, "res.partner", "write", NULL, NULL, NULL, &err);
        cr_expect_eq(rc, (int)errors[i].kind, "%s: %s", rel, odoo_error_kind_name((odoo_error_kind)rc));
        json_object_object_get_ex(doc, "error", &e);
        json_object_object_get_ex(e, "data", &data);
        json_object_object_get_ex(data, "name", &v);
        cr_expect_str_eq(err.error_class, json_object_get_string(v));
        json_object_object_get_ex(data, "message", &v);
        cr_expect_str_eq(err.message, json_object_get_string(v));
        json_object_put(doc);
        json_object_put(fx);
    }
}

Test(stateless, every_recorded_error_odoo19) { run_errors("19"); }
Test(stateless, every_recorded_error_odoo18) { run_errors("18"); }
