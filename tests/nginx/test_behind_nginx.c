/* The library behind a real reverse proxy, as Odoo runs in production: a
 * Debian nginx (tests/support/nginx.h) in front of odoo-mock with TLS from
 * a throwaway CA, HTTP/2 offered, gzip on and upstream keep-alive. The
 * integration scenario gives the same values through it as directly, on
 * every protocol and through the gateway; connections are kept alive and
 * answers arrive compressed (the transport counters show both); nginx's
 * own 502 (Odoo down) and 504 (Odoo too slow) pages are the transient
 * `unavailable` of the status table, which the opt-in read retries get
 * past. */
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>
#include <odoo.h>

#include "nginx.h"

#ifdef ODOO_HAVE_MOCK
#include <odoo_mock.h>

#include "../unit/scenario.h"
#include "fixtures.h"

static odoo_mock *mock;
static nginx_proxy *nx;
static odoo_rpc_error err = ODOO_RPC_ERROR_INIT;

static const odoo_protocol_kind kinds[] = {
    ODOO_PROTOCOL_XMLRPC, ODOO_PROTOCOL_JSONRPC, ODOO_PROTOCOL_JSONRPC_STATELESS, ODOO_PROTOCOL_JSON2,
    ODOO_PROTOCOL_ODXPROXY,
};
#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

/* Where each protocol's calls go, for faults scoped to calls only. */
static const char *call_path(odoo_protocol_kind kind)
{
    switch (kind) {
    case ODOO_PROTOCOL_XMLRPC: return "/xmlrpc/2/object";
    case ODOO_PROTOCOL_JSONRPC: return "/web/dataset/call_kw";
    case ODOO_PROTOCOL_JSONRPC_STATELESS: return "/jsonrpc";
    case ODOO_PROTOCOL_JSON2: return "/json/2/";
    default: return "/v2/odoo/execute";
    }
}

static void start(nginx_config cfg)
{
    if (!nginx_available())
        cr_skip_test("nginx is not installed: apt-get install nginx (scripts/deps.sh installs it)");
    odoo_mock_config mc = { 0 };
    mc.odoo_version = 19;
    mc.partners = 300;
    mc.quiet = 1;
    cr_assert_eq(odoo_mock_start(&mock, &mc), 0, "odoo-mock did not start");
    cfg.upstream_url = odoo_mock_url(mock);
    cfg.tls = 1;
    nx = nginx_start(&cfg);
    cr_assert_not_null(nx, "nginx did not start (see stderr)");
}

/* nginx first: it holds connections to the mock. */
static void teardown(void)
{
    nginx_stop(nx);
    nx = NULL;
    odoo_mock_stop(mock);
    mock = NULL;
    odoo_rpc_error_clear(&err);
}

TestSuite(behind_nginx, .fini = teardown, .timeout = 60);

static test_target through_nginx(int gateway_api)
{
    test_target t = { mock, nginx_url(nx), nginx_ca_file(nx), gateway_api, NULL, NULL };
    return t;
}

static odoo_protocol *open_or(const test_target *t, odoo_protocol_kind kind, int retries, int must);

static odoo_protocol *open_with(const test_target *t, odoo_protocol_kind kind, int retries)
{
    return open_or(t, kind, retries, 1);
}

static odoo_protocol *open_or(const test_target *t, odoo_protocol_kind kind, int retries, int must)
{
    odoo_options o = ODOO_OPTIONS_INIT;
    test_target_options(t, kind, &o, ODOO_MOCK_ADMIN_LOGIN, ODOO_MOCK_ADMIN_PASSWORD, ODOO_MOCK_ADMIN_API_KEY,
                        ODOO_MOCK_ADMIN_UID);
    o.proxy_retries = retries;
    o.proxy_retry_backoff_ms = 50;
    odoo_protocol *p = NULL;
    int rc = odoo_connect(&p, kind, &o, &err);
    if (must)
        cr_assert_eq(rc, 0, "%s: %s", odoo_protocol_kind_name(kind), err.message);
    return p;
}

Test(behind_nginx, same_scenario_same_values_as_direct)
{
    start((nginx_config){ .http2 = 1, .gzip = 1, .upstream_keepalive = 1 });
    test_target direct = { mock, NULL, NULL, 0 };
    for (size_t i = 0; i < NKINDS; i++) {
        for (int api = 0; api <= (kinds[i] == ODOO_PROTOCOL_ODXPROXY ? 2 : 0); api++) {
            if (kinds[i] == ODOO_PROTOCOL_ODXPROXY && api == 0)
                continue; /* v1 and v2, each named */
            direct.gateway_api = api;
            test_target via = through_nginx(api);
            json_object *a = test_scenario(&direct, kinds[i]), *b = test_scenario(&via, kinds[i]);
            cr_expect(json_equal(a, b), "%s (gateway v%d) differs behind nginx:\n%s\n%s",
                      odoo_protocol_kind_name(kinds[i]), api, json_object_to_json_string(a),
                      json_object_to_json_string(b));
            json_object_put(a);
            json_object_put(b);
        }
    }
}

/* 200 records x 8 fields, ten times: what the counters say. */
static odoo_stats read_ten_times(odoo_protocol *p, const char *name)
{
    static const char *const fields[] = { "name", "email", "phone", "is_company", "country_id", "city",
                                          "partner_latitude", "write_date", NULL };
    odoo_search_options o = ODOO_SEARCH_OPTIONS_INIT;
    o.fields = fields;
    o.limit = 200;
    o.order = "id";
    for (int i = 0; i < 10; i++) {
        json_object *rows = NULL;
        cr_assert_eq(odoo_search_read(&rows, p, "res.partner", &o, &err), 0, "%s: %s", name, err.message);
        cr_assert_eq(json_object_array_length(rows), 200, "%s", name);
        json_object_put(rows);
    }
    odoo_stats st;
    cr_assert_eq(odoo_stats_get(&st, p), 0);
    return st;
}

Test(behind_nginx, one_connection_kept_alive_and_answers_compressed)
{
    start((nginx_config){ .http2 = 1, .gzip = 1, .upstream_keepalive = 1 });
    test_target direct = { mock, NULL, NULL, 2 }, via = through_nginx(2);
    for (size_t i = 0; i < NKINDS; i++) {
        const char *name = odoo_protocol_kind_name(kinds[i]);
        odoo_protocol *d = open_with(&direct, kinds[i], 0), *n = open_with(&via, kinds[i], 0);
        odoo_stats sd = read_ten_times(d, name), sn = read_ten_times(n, name);
        cr_expect_eq(sn.connections, 1, "%s: %ld TCP connections to nginx for %ld requests", name, sn.connections,
                     sn.requests);
        cr_expect_eq(sn.requests, sd.requests, "%s: the same exchanges either way (%ld, %ld)", name, sn.requests,
                     sd.requests);
        /* 200 partners are ~50 KB of JSON or ~150 KB of XML a call; gzip
         * makes them a fraction of that. */
        cr_expect_lt(sn.bytes_received * 3, sd.bytes_received, "%s: %llu bytes through nginx (gzip), %llu direct",
                     name, sn.bytes_received, sd.bytes_received);
        odoo_close(d);
        odoo_close(n);
    }
}

Test(behind_nginx, odoo_down_is_nginx_502_unavailable)
{
    start((nginx_config){ .gzip = 1 });
    test_target via = through_nginx(2);
    odoo_protocol *p[NKINDS];
    for (size_t i = 0; i < NKINDS; i++)
        p[i] = open_with(&via, kinds[i], 0);
    /* nginx stays; Odoo goes away (its port refuses). The connections
     * were opened against the mock's db name, which they keep. */
    odoo_mock_stop(mock);
    mock = NULL;
    for (size_t i = 0; i < NKINDS; i++) {
        const char *name = odoo_protocol_kind_name(kinds[i]);
        int64_t n = 0;
        int rc = odoo_search_count(&n, p[i], "res.partner", NULL, &err);
        cr_expect_eq(rc, ODOO_ERR_UNAVAILABLE, "%s: %s (%s)", name, odoo_error_kind_name((odoo_error_kind)rc),
                     err.message);
        cr_expect_eq(err.http_status, 502, "%s: status %ld", name, err.http_status);
        cr_expect(strstr(err.message, "502") != NULL, "%s: %s", name, err.message);
        cr_expect(odoo_error_is_transient((odoo_error_kind)rc), "%s", name);
        odoo_close(p[i]);
    }
}

Test(behind_nginx, odoo_too_slow_is_nginx_504_and_a_read_retry_gets_past_it)
{
    start((nginx_config){ .gzip = 1, .upstream_timeout_ms = 300 });
    test_target via = through_nginx(2);
    for (size_t i = 0; i < NKINDS; i++) {
        const char *name = odoo_protocol_kind_name(kinds[i]);
        char spec[200];
        /* Log in first: the slow answer is a call's. */
        odoo_protocol *p = open_with(&via, kinds[i], 0);
        int64_t n = 0;
        cr_assert_eq(odoo_search_count(&n, p, "res.partner", NULL, &err), 0, "%s: %s", name, err.message);
        snprintf(spec, sizeof(spec), "latency:ms=1500,count=1,path=%s", call_path(kinds[i]));
        cr_assert_eq(odoo_mock_inject(mock, spec), 0);
        int rc = odoo_search_count(&n, p, "res.partner", NULL, &err);
        cr_expect_eq(rc, ODOO_ERR_UNAVAILABLE, "%s: %s (%s)", name, odoo_error_kind_name((odoo_error_kind)rc),
                     err.message);
        cr_expect_eq(err.http_status, 504, "%s: status %ld", name, err.http_status);
        odoo_close(p);

        /* The same with one retry allowed: the second attempt is answered. */
        p = open_with(&via, kinds[i], 1);
        cr_assert_eq(odoo_search_count(&n, p, "res.partner", NULL, &err), 0, "%s: %s", name, err.message);
        cr_assert_eq(odoo_mock_inject(mock, spec), 0);
        int64_t again = 0;
        cr_expect_eq(odoo_search_count(&again, p, "res.partner", NULL, &err), 0, "%s with a retry: %s", name,
                     err.message);
        cr_expect_eq(again, n, "%s", name);
        odoo_close(p);
        odoo_mock_clear_faults(mock);
    }
}

/* A proxy that requires a client certificate (options.cert_file and
 * key_file): refused without one, with nginx's own words in the error;
 * the whole scenario with one, on every protocol; a certificate file that
 * is not there is a TLS error before anything is sent. */
Test(behind_nginx, client_certificate_required_and_presented)
{
    start((nginx_config){ .client_cert = 1, .gzip = 1 });
    test_target via = through_nginx(2);
    for (size_t i = 0; i < NKINDS; i++) {
        const char *name = odoo_protocol_kind_name(kinds[i]);
        odoo_protocol *p = open_with(&via, kinds[i], 0);
        int64_t n = 0;
        int rc = odoo_search_count(&n, p, "res.partner", NULL, &err);
        cr_expect_neq(rc, 0, "%s: a call without a client certificate went through", name);
        cr_expect_eq(err.http_status, 400, "%s: status %ld (%s)", name, err.http_status, err.message);
        cr_expect(strstr(err.message, "certificate") != NULL, "%s: %s", name, err.message);
        odoo_close(p);
    }
    test_target direct = { mock, NULL, NULL, 2, NULL, NULL };
    test_target with = via;
    with.cert_file = nginx_client_cert(nx);
    with.key_file = nginx_client_key(nx);
    for (size_t i = 0; i < NKINDS; i++) {
        json_object *a = test_scenario(&direct, kinds[i]), *b = test_scenario(&with, kinds[i]);
        cr_expect(json_equal(a, b), "%s differs with a client certificate", odoo_protocol_kind_name(kinds[i]));
        json_object_put(a);
        json_object_put(b);
    }
    with.cert_file = "/nonexistent/client.pem";
    with.key_file = NULL;
    odoo_protocol *p = open_or(&with, ODOO_PROTOCOL_JSON2, 0, 0);
    int64_t n = 0;
    int rc = p ? odoo_search_count(&n, p, "res.partner", NULL, &err) : err.kind;
    cr_expect_eq(rc, ODOO_ERR_TLS, "a missing certificate file: %s (%s)", odoo_error_kind_name((odoo_error_kind)rc),
                 err.message);
    odoo_close(p);
}

typedef struct {
    int done, failed;
} tally;

static void on_rows(json_object *result, const odoo_rpc_error *e, void *userdata)
{
    tally *t = userdata;
    t->done++;
    if (e || json_object_array_length(result) != 5)
        t->failed++;
    json_object_put(result);
}

/* 64 search_read calls at once, one connection object each, in one
 * odoo_multi: total TCP (so TLS) connections opened. */
static long connections_for_64_calls(odoo_protocol_kind kind)
{
    enum { N = 64 };
    test_target via = through_nginx(2);
    odoo_protocol *p[N];
    odoo_multi *m = NULL;
    cr_assert_eq(odoo_multi_new(&m, NULL, &err), 0, "%s", err.message);
    tally t = { 0, 0 };
    static const char *const fields[] = { "name", "email", NULL };
    json_object *kw = json_object_new_object();
    json_object *f = json_object_new_array();
    for (int i = 0; fields[i]; i++)
        json_object_array_add(f, json_object_new_string(fields[i]));
    json_object_object_add(kw, "fields", f);
    json_object_object_add(kw, "limit", json_object_new_int(5));
    json_object *args = json_parse("[[]]");
    for (int i = 0; i < N; i++) {
        p[i] = open_with(&via, kind, 0);
        cr_assert_eq(odoo_multi_add(m, p[i], "res.partner", "search_read", NULL, args, kw, NULL, on_rows, &t, &err),
                     0, "%s", err.message);
    }
    cr_assert_eq(odoo_multi_perform(m, 30000, &err), 0, "%s", err.message);
    cr_expect_eq(t.done, N);
    cr_expect_eq(t.failed, 0, "%d of %d calls failed", t.failed, N);
    long conns = 0;
    for (int i = 0; i < N; i++) {
        odoo_stats st;
        odoo_stats_get(&st, p[i]);
        conns += st.connections;
    }
    odoo_multi_free(m);
    for (int i = 0; i < N; i++)
        odoo_close(p[i]);
    json_object_put(args);
    json_object_put(kw);
    return conns;
}

/* Through nginx with h2 the 64 calls multiplex on one TLS connection
 * (one handshake); without h2 the multi opens several HTTP/1.1
 * connections (at most its per-host cap). JSON-2: no login, so every
 * exchange is one of the 64 calls. */
Test(behind_nginx, h2_multiplexes_64_calls_on_one_connection)
{
    start((nginx_config){ .http2 = 1, .gzip = 1, .upstream_keepalive = 1 });
    long h2 = connections_for_64_calls(ODOO_PROTOCOL_JSON2);
    cr_expect_eq(h2, 1, "64 calls through h2 opened %ld connections", h2);
    nginx_stop(nx);
    nx = NULL;
    nginx_config cfg = { .upstream_url = odoo_mock_url(mock), .tls = 1, .gzip = 1, .upstream_keepalive = 1 };
    nx = nginx_start(&cfg);
    cr_assert_not_null(nx);
    long h1 = connections_for_64_calls(ODOO_PROTOCOL_JSON2);
    cr_expect(h1 > 1 && h1 <= 64, "64 calls through HTTP/1.1 opened %ld connections", h1);
}

#endif
