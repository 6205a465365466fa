/* Integration against odoo-mock: the same scenario through every protocol
 * kind gives the same json-c values, and a fault matrix (every fault x
 * every protocol) gives the right kind and leaves the connection usable. */
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>
#include <odoo.h>
#include <odoo_mock.h>

#include "fixtures.h"
#include "scenario.h"

static odoo_mock *mock;
static odoo_rpc_error err = ODOO_RPC_ERROR_INIT;

static const odoo_protocol_kind kinds[] = {
    ODOO_PROTOCOL_XMLRPC, ODOO_PROTOCOL_JSONRPC, ODOO_PROTOCOL_JSONRPC_STATELESS, ODOO_PROTOCOL_JSON2,
};
#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

/* Through the gateway: 0 auto, 1 or 2. */
static int gateway_api;

static void gateway_options(odoo_options *o, long uid)
{
    o->proxy_url = odoo_mock_url(mock); /* the mock is its own gateway */
    o->proxy_api_key = ODOO_MOCK_PROXY_KEY;
    o->user_id = uid;
    o->proxy_api = gateway_api;
}

static odoo_protocol *open_kind(odoo_protocol_kind kind, long timeout_ms, size_t max_bytes)
{
    odoo_options o = ODOO_OPTIONS_INIT;
    if (kind == ODOO_PROTOCOL_ODXPROXY)
        gateway_options(&o, ODOO_MOCK_ADMIN_UID);
    o.url = odoo_mock_url(mock);
    o.db = odoo_mock_db(mock);
    o.login = ODOO_MOCK_ADMIN_LOGIN;
    o.password = ODOO_MOCK_ADMIN_PASSWORD;
    o.api_key = ODOO_MOCK_ADMIN_API_KEY;
    o.timeout_ms = timeout_ms;
    o.max_response_bytes = max_bytes;
    odoo_protocol *p = NULL;
    cr_assert_eq(odoo_connect(&p, kind, &o, &err), 0, "%s: %s", odoo_protocol_kind_name(kind), err.message);
    return p;
}

/* The shared scenario (scenario.c) on the mock itself. */
static json_object *scenario(odoo_protocol_kind kind)
{
    test_target t = { mock, NULL, NULL, gateway_api };
    return test_scenario(&t, kind);
}

Test(integration, same_scenario_same_values_on_every_protocol, .timeout = 60)
{
    mock = test_mock_start(19, 0);
    json_object *docs[NKINDS];
    for (size_t i = 0; i < NKINDS; i++)
        docs[i] = scenario(kinds[i]);
    for (size_t i = 1; i < NKINDS; i++) {
        json_object_object_foreach(docs[0], key, val) {
            json_object *other = NULL;
            json_object_object_get_ex(docs[i], key, &other);
            cr_expect(json_equal(val, other), "%s differs between %s and %s:\n%s\n%s", key,
                      odoo_protocol_kind_name(kinds[0]), odoo_protocol_kind_name(kinds[i]),
                      json_object_to_json_string(val), json_object_to_json_string(other));
        }
    }
    /* spot checks on the shared values */
    json_object *rows, *first, *v;
    json_object_object_get_ex(docs[0], "search_read", &rows);
    cr_expect_eq(json_object_array_length(rows), 5);
    first = json_object_array_get_idx(rows, 0);
    cr_expect(json_object_object_get_ex(first, "country_id", &v) &&
              (json_object_is_type(v, json_type_array) || json_object_is_type(v, json_type_boolean)),
              "many2one is [id, name] or false");
    json_object_object_get_ex(docs[0], "read_back", &rows);
    first = json_object_array_get_idx(rows, 0);
    cr_expect(json_object_object_get_ex(first, "parent_id", &v) && json_object_is_type(v, json_type_boolean) &&
              !json_object_get_boolean(v), "empty many2one is false, not null");
    json_object_object_get_ex(first, "name", &v);
    cr_expect_str_eq(json_object_get_string(v), "Scenario Ünïcödé <&>");
    json_object_object_get_ex(docs[0], "read_deleted", &rows);
    cr_expect_eq(json_object_array_length(rows), 0, "deleted ids are dropped by read");
    for (size_t i = 0; i < NKINDS; i++)
        json_object_put(docs[i]);
    test_mock_stop(&mock, &err);
}

Test(integration, same_scenario_through_the_gateway, .timeout = 60)
{
    mock = test_mock_start(19, 0);
    json_object *direct = scenario(ODOO_PROTOCOL_JSON2);
    for (int api = 1; api <= 2; api++) {
        gateway_api = api;
        json_object *via = scenario(ODOO_PROTOCOL_ODXPROXY);
        cr_expect(json_equal(direct, via), "ODXProxy v%d differs:\n%s\n%s", api, json_object_to_json_string(direct),
                  json_object_to_json_string(via));
        json_object_put(via);
    }
    gateway_api = 0;
    odoo_protocol *p = open_kind(ODOO_PROTOCOL_ODXPROXY, 0, 0);
    cr_expect_eq(odoo_odxproxy_api(p, &err), 2, "Odoo 19 behind a 0.9 gateway: v2");
    json_object *out = NULL, *v;
    cr_assert_eq(odoo_odxproxy_about(&out, p, &err), 0, "%s", err.message);
    cr_expect(json_object_object_get_ex(out, "version", &v));
    json_object_put(out);
    cr_assert_eq(odoo_odxproxy_license(&out, p, &err), 0, "%s", err.message);
    cr_expect(json_object_object_get_ex(out, "is_valid", &v) && json_object_get_boolean(v));
    json_object_put(out);
    char *metrics = NULL;
    cr_assert_eq(odoo_odxproxy_metrics(&metrics, p, &err), 0, "%s", err.message);
    cr_expect(strstr(metrics, "odoo_success_response") != NULL, "%s", metrics);
    free(metrics);
    odoo_close(p);
    json_object_put(direct);
    test_mock_stop(&mock, &err);
}

Test(integration, gateway_before_odoo19_uses_v1, .timeout = 60)
{
    mock = test_mock_start(18, 0);
    json_object *direct = scenario(ODOO_PROTOCOL_JSONRPC_STATELESS);
    gateway_api = 0;
    json_object *via = scenario(ODOO_PROTOCOL_ODXPROXY);
    cr_expect(json_equal(direct, via), "%s\n%s", json_object_to_json_string(direct), json_object_to_json_string(via));
    odoo_protocol *p = open_kind(ODOO_PROTOCOL_ODXPROXY, 0, 0);
    cr_expect_eq(odoo_odxproxy_api(p, &err), 1);
    odoo_close(p);
    json_object_put(via);
    json_object_put(direct);
    test_mock_stop(&mock, &err);
}

Test(integration, same_scenario_on_odoo18, .timeout = 60)
{
    mock = test_mock_start(18, 0);
    /* no JSON-2 before 19: the three others agree */
    json_object *a = scenario(ODOO_PROTOCOL_XMLRPC), *b = scenario(ODOO_PROTOCOL_JSONRPC),
                *c = scenario(ODOO_PROTOCOL_JSONRPC_STATELESS);
    cr_expect(json_equal(a, b), "%s\n%s", json_object_to_json_string(a), json_object_to_json_string(b));
    cr_expect(json_equal(a, c));
    json_object_put(a);
    json_object_put(b);
    json_object_put(c);
    test_mock_stop(&mock, &err);
}

Test(integration, execute_kw_written_once_gives_the_same_records, .timeout = 30)
{
    mock = test_mock_start(19, 0);
    json_object *args = json_parse("[[[\"is_company\", \"=\", true]]]");
    json_object *kwargs = json_parse("{\"fields\": [\"name\", \"country_id\"], \"limit\": 4, \"order\": \"name asc\"}");
    json_object *first = NULL;
    for (size_t i = 0; i < NKINDS; i++) {
        odoo_protocol *p = open_kind(kinds[i], 0, 0);
        json_object *out = NULL;
        cr_assert_eq(odoo_execute_kw(&out, p, "res.partner", "search_read", args, kwargs, NULL, &err), 0, "%s: %s",
                     odoo_protocol_name(p), err.message);
        if (!first)
            first = out;
        else {
            cr_expect(json_equal(first, out), "%s differs", odoo_protocol_name(p));
            json_object_put(out);
        }
        odoo_close(p);
    }
    cr_expect_eq(json_object_array_length(first), 4);
    json_object_put(first);
    json_object_put(args);
    json_object_put(kwargs);
    test_mock_stop(&mock, &err);
}

Test(integration, values_that_differ_by_protocol, .timeout = 30)
{
    mock = test_mock_start(19, 0);
    /* None results and big integers: XML-RPC cannot carry them, the JSON
     * protocols can. */
    for (size_t i = 0; i < NKINDS; i++) {
        odoo_protocol *p = open_kind(kinds[i], 0, 0);
        const char *name = odoo_protocol_kind_name(kinds[i]);
        json_object *vals = json_parse("[{\"name\": \"big a\", \"color\": 2147483647}, "
                                       "{\"name\": \"big b\", \"color\": 2147483647}]"),
                    *ids = NULL, *out = NULL;
        CHECK(odoo_create(&ids, p, "res.partner", vals, NULL, &err));
        json_object *args = json_object_new_array(), *dom = json_object_new_array(), *term = json_object_new_array();
        json_object_array_add(term, json_object_new_string("id"));
        json_object_array_add(term, json_object_new_string("in"));
        json_object_array_add(term, json_object_get(ids));
        json_object_array_add(dom, term);
        json_object_array_add(args, dom);
        json_object_array_add(args, json_parse("[\"color:sum\"]"));
        json_object_array_add(args, json_object_new_array());
        int rc = odoo_execute_kw(&out, p, "res.partner", "read_group", args, NULL, NULL, &err);
        if (kinds[i] == ODOO_PROTOCOL_XMLRPC) {
            cr_expect_eq(rc, ODOO_ERR_UNSUPPORTED, "%s", name);
            cr_expect(strstr(err.message, "JSON") != NULL, "%s says which protocol avoids it", err.message);
        } else {
            cr_assert_eq(rc, 0, "%s: %s", name, err.message);
            json_object *color;
            cr_expect(json_object_object_get_ex(json_object_array_get_idx(out, 0), "color", &color) &&
                      json_object_get_int64(color) == 4294967294LL, "%s: %s", name, json_object_to_json_string(out));
            json_object_put(out);
        }
        out = NULL;
        rc = odoo_call(&out, p, "res.partner", "action_archive", ids, NULL, NULL, NULL, &err);
        if (kinds[i] == ODOO_PROTOCOL_XMLRPC)
            cr_expect_eq(rc, ODOO_ERR_UNSUPPORTED, "%s: None cannot travel", name);
        else {
            cr_expect_eq(rc, 0, "%s: %s", name, err.message);
            cr_expect_null(out, "%s: None is NULL", name);
        }
        json_object *ctx = json_parse("{\"active_test\": false}");
        CHECK(odoo_unlink(p, "res.partner", ids, ctx, &err));
        json_object_put(ctx);
        json_object_put(args);
        json_object_put(ids);
        json_object_put(vals);
        odoo_close(p);
    }
    test_mock_stop(&mock, &err);
}

/* ---- the fault matrix ---- */

static const struct {
    const char *spec;
    odoo_error_kind kind;
    long timeout_ms;
    odoo_error_kind gateway_kind; /* through ODXProxy, when different */
} faults[] = {
    { "html500", ODOO_ERR_PROTOCOL, 0 },
    { "ratelimit:retry_after=7", ODOO_ERR_RATE_LIMITED, 0 },
    { "huge:mb=24", ODOO_ERR_TOO_LARGE, 0 },
    { "truncated", ODOO_ERR_NETWORK, 0 },
    { "reset", ODOO_ERR_NETWORK, 0 },
    { "malformed", ODOO_ERR_PROTOCOL, 0 },
    { "trickle:ms=500", ODOO_ERR_TIMEOUT, 400 }, /* even a 2-byte answer ("42") takes 500 ms */
    /* The caller's timeout is the whole call's (D11): the gateway is asked
     * for x-request-timeout 1 s (whole seconds, never less), so its own
     * -32003 and our timeout race at the same second: either is right. */
    { "latency:ms=1500", ODOO_ERR_TIMEOUT, 1000, ODOO_ERR_PROXY_TIMEOUT },
    { "latency:ms=20", ODOO_OK, 0 },
};

static void fault_matrix_for(odoo_protocol_kind kind)
{
    const char *name = odoo_protocol_kind_name(kind);
    for (size_t f = 0; f < sizeof(faults) / sizeof(faults[0]); f++) {
        odoo_protocol *p = open_kind(kind, faults[f].timeout_ms ? faults[f].timeout_ms : 0, 8u << 20);
        int64_t n = 0;
        CHECK(odoo_authenticate(NULL, p, &err));
        cr_assert_eq(odoo_mock_inject(mock, faults[f].spec), 0, "bad fault %s", faults[f].spec);
        int rc = odoo_search_count(&n, p, "res.partner", NULL, &err);
        odoo_error_kind want = kind == ODOO_PROTOCOL_ODXPROXY && faults[f].gateway_kind ? faults[f].gateway_kind
                                                                                         : faults[f].kind;
        if (kind == ODOO_PROTOCOL_ODXPROXY && faults[f].gateway_kind && rc == (int)faults[f].kind)
            want = faults[f].kind;
        cr_expect_eq(rc, (int)want, "%s / %s: got %s (%s)", name, faults[f].spec,
                     odoo_error_kind_name((odoo_error_kind)rc), err.message);
        if (faults[f].kind == ODOO_ERR_RATE_LIMITED)
            cr_expect_eq(err.retry_after, 7, "%s: Retry-After kept", name);
        if (faults[f].kind == ODOO_ERR_PROTOCOL && strcmp(faults[f].spec, "html500") == 0)
            cr_expect_eq(err.http_status, 500, "%s", name);
        if (rc)
            cr_expect_not_null(err.message);
        odoo_mock_clear_faults(mock);
        /* the same connection works again */
        cr_expect_eq(odoo_search_count(&n, p, "res.partner", NULL, &err), 0, "%s / %s: not usable after: %s",
                     name, faults[f].spec, err.message);
        cr_expect_gt(n, 0);
        odoo_close(p);
    }
}

/* One protocol's fault matrix, against an Odoo 19 mock of its own. */
static void faults_on(odoo_protocol_kind kind)
{
    mock = test_mock_start(19, 0);
    fault_matrix_for(kind);
    test_mock_stop(&mock, &err);
}

Test(faults, xmlrpc, .timeout = 60) { faults_on(ODOO_PROTOCOL_XMLRPC); }
Test(faults, jsonrpc, .timeout = 60) { faults_on(ODOO_PROTOCOL_JSONRPC); }
Test(faults, jsonrpc_stateless, .timeout = 60) { faults_on(ODOO_PROTOCOL_JSONRPC_STATELESS); }
Test(faults, json2, .timeout = 60) { faults_on(ODOO_PROTOCOL_JSON2); }

Test(faults, odxproxy, .timeout = 60)
{
    mock = test_mock_start(19, 0);
    gateway_api = 2;
    fault_matrix_for(ODOO_PROTOCOL_ODXPROXY);
    /* the gateway's own failures */
    static const struct {
        const char *spec;
        odoo_error_kind kind;
    } gw[] = {
        { "proxy_timeout", ODOO_ERR_PROXY_TIMEOUT },
        { "proxy_unreachable", ODOO_ERR_PROXY_UNREACHABLE },
        { "proxy_internal", ODOO_ERR_PROXY },
        { "proxy_license", ODOO_ERR_PROXY_LICENSE },
    };
    for (int api = 1; api <= 2; api++) {
        gateway_api = api;
        for (size_t f = 0; f < sizeof(gw) / sizeof(gw[0]); f++) {
            odoo_protocol *p = open_kind(ODOO_PROTOCOL_ODXPROXY, 5000, 0);
            int64_t n = 0;
            cr_assert_eq(odoo_search_count(&n, p, "res.partner", NULL, &err), 0, "%s", err.message);
            cr_assert_eq(odoo_mock_inject(mock, gw[f].spec), 0);
            int rc = odoo_search_count(&n, p, "res.partner", NULL, &err);
            cr_expect_eq(rc, (int)gw[f].kind, "v%d %s: %s (%s)", api, gw[f].spec, odoo_error_kind_name((odoo_error_kind)rc),
                         err.message);
            odoo_mock_clear_faults(mock);
            cr_expect_eq(odoo_search_count(&n, p, "res.partner", NULL, &err), 0, "usable after %s", gw[f].spec);
            odoo_close(p);
        }
    }
    /* a wrong proxy key */
    odoo_options o = ODOO_OPTIONS_INIT;
    o.url = odoo_mock_url(mock);
    o.db = odoo_mock_db(mock);
    o.api_key = ODOO_MOCK_ADMIN_API_KEY;
    gateway_options(&o, 2);
    o.proxy_api_key = "not-the-proxy-key";
    odoo_protocol *p = NULL;
    cr_assert_eq(odoo_connect(&p, ODOO_PROTOCOL_ODXPROXY, &o, &err), 0);
    int64_t n;
    cr_expect_eq(odoo_search_count(&n, p, "res.partner", NULL, &err), ODOO_ERR_PROXY_AUTH);
    cr_expect(strstr(err.message, "not-the-proxy-key") == NULL);
    odoo_close(p);
    gateway_api = 0;
    test_mock_stop(&mock, &err);
}

Test(faults, session_expiry_is_renewed_transparently, .timeout = 30)
{
    mock = test_mock_start(19, 0);
    odoo_protocol *p = open_kind(ODOO_PROTOCOL_JSONRPC, 0, 0);
    const char *name = "jsonrpc";
    int64_t n = 0;
    CHECK(odoo_authenticate(NULL, p, &err));
    cr_assert_eq(odoo_mock_inject(mock, "session_expiry:calls=2"), 0);
    for (int i = 0; i < 7; i++)
        cr_expect_eq(odoo_search_count(&n, p, "res.partner", NULL, &err), 0, "call %d: %s", i, err.message);
    odoo_mock_stats st;
    odoo_mock_get_stats(mock, &st);
    cr_expect_gt(st.web, 7, "logins happened in between");
    odoo_mock_clear_faults(mock);
    odoo_close(p);
    test_mock_stop(&mock, &err);
}

Test(faults, keep_alive_one_connection_for_many_calls, .timeout = 30)
{
    mock = test_mock_start(19, 0);
    for (size_t k = 0; k < NKINDS; k++) {
        odoo_mock_stats before, after;
        odoo_mock_get_stats(mock, &before);
        odoo_protocol *p = open_kind(kinds[k], 0, 0);
        int64_t n;
        for (int i = 0; i < 20; i++)
            cr_assert_eq(odoo_search_count(&n, p, "res.partner", NULL, &err), 0, "%s", err.message);
        odoo_mock_get_stats(mock, &after);
        cr_expect_eq(after.connections - before.connections, 1, "%s: one TCP connection",
                     odoo_protocol_kind_name(kinds[k]));
        odoo_close(p);
    }
    test_mock_stop(&mock, &err);
}

static int count_rec(json_object *rec, void *payload)
{
    long *state = payload; /* [0] count, [1] last id */
    json_object *id;
    cr_assert(json_object_object_get_ex(rec, "id", &id));
    cr_assert_gt(json_object_get_int64(id), state[1], "ids ascend, no repeats");
    state[1] = (long)json_object_get_int64(id);
    state[0]++;
    return state[0] == 1000 ? 42 : 0; /* stop early at 1000 */
}

Test(integration, search_read_each_pages_by_id, .timeout = 60)
{
    odoo_mock_config cfg = { 0 };
    cfg.quiet = 1;
    cfg.partners = 2500;
    cr_assert_eq(odoo_mock_start(&mock, &cfg), 0);
    for (size_t k = 0; k < NKINDS; k++) {
        odoo_protocol *p = open_kind(kinds[k], 0, 0);
        int64_t total = 0;
        cr_assert_eq(odoo_search_count(&total, p, "res.partner", NULL, &err), 0);
        long state[2] = { 0, 0 };
        const char *fields[] = { "name", NULL };
        /* all of them, 300 a page */
        int rc = odoo_search_read_each(p, "res.partner", &(odoo_search_options){ .version = ODOO_SEARCH_OPTIONS_VERSION, .fields = fields, .page_size = 300 }, count_rec, state, &err);
        cr_expect(rc == 42 || rc == 0, "%s: %s", odoo_protocol_name(p), err.message);
        cr_expect_eq(state[0], total < 1000 ? total : 1000, "%s: stopped where the callback said", odoo_protocol_name(p));
        cr_expect_eq(rc, total >= 1000 ? 42 : 0, "the callback's value comes back");
        odoo_close(p);
    }
    test_mock_stop(&mock, &err);
}
