/* odoo-mock tests — fault injection through the in-process API and the
 * control endpoint: latency, html500, truncated, malformed, reset, huge,
 * trickle, ratelimit, counts and path filters. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pyjson.h"
#include "test_support.h"

static odoo_mock *M;
static const char *VERSION_CALL = "{\"jsonrpc\": \"2.0\", \"method\": \"call\", \"params\": {\"service\": "
                                  "\"common\", \"method\": \"version\", \"args\": []}, \"id\": 1}";

static void start(void)
{
    M = ts_start(19, 20);
    cr_assert_not_null(M);
}

static void stop(void)
{
    odoo_mock_stop(M);
}

TestSuite(faults, .init = start, .fini = stop, .timeout = 60);

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int version_call(http_response *r)
{
    return ts_post(M, "/jsonrpc", "application/json", VERSION_CALL, r);
}

Test(faults, latency)
{
    cr_assert_eq(odoo_mock_inject(M, "{\"fault\": \"latency\", \"ms\": 300}"), 0);
    http_response r;
    double t0 = now();
    version_call(&r);
    double dt = now() - t0;
    cr_expect_eq(r.status, 200);
    cr_expect_geq(dt, 0.29, "took %.3f", dt);
    http_response_free(&r);
    /* count 1: the next request is not faulted (counted, not timed) */
    odoo_mock_stats before, after;
    odoo_mock_get_stats(M, &before);
    version_call(&r);
    odoo_mock_get_stats(M, &after);
    cr_expect_eq(after.faults, before.faults, "the fault cleared itself");
    http_response_free(&r);
}

Test(faults, html500_count_and_path)
{
    cr_assert_eq(odoo_mock_inject(M, "html500:count=2,path=/jsonrpc"), 0);
    http_response r;
    /* another path is not affected */
    json_object *e = ts_call_kw(M, NULL, "res.partner", "search", "[[]]", NULL);
    cr_expect_not_null(e);
    json_object_put(e);
    for (int i = 0; i < 2; i++) {
        cr_expect_eq(version_call(&r), 500);
        cr_expect(strstr(http_get_header(&r, "Content-Type"), "text/html") != NULL);
        cr_expect(strstr(r.body, "Internal Server Error") != NULL);
        http_response_free(&r);
    }
    cr_expect_eq(version_call(&r), 200);
    http_response_free(&r);
}

Test(faults, ratelimit_via_control_endpoint)
{
    http_response r;
    cr_expect_eq(ts_post(M, "/__mock__/fault", "application/json",
                         "{\"fault\": \"ratelimit\", \"retry_after\": 7}", &r), 200);
    http_response_free(&r);
    cr_expect_eq(version_call(&r), 429);
    cr_expect_str_eq(http_get_header(&r, "Retry-After"), "7");
    http_response_free(&r);
    odoo_mock_stats s;
    odoo_mock_get_stats(M, &s);
    cr_expect_eq(s.faults, 1);
}

Test(faults, truncated)
{
    cr_assert_eq(odoo_mock_inject(M, "truncated"), 0);
    http_response r;
    version_call(&r);
    cr_expect_eq(r.error, HTTP_ERR_TRUNCATED);
    cr_expect_lt(r.body_len, r.content_length);
    cr_expect_gt(r.body_len, 0);
    http_response_free(&r);
    cr_expect_eq(version_call(&r), 200); /* the next one is fine */
    http_response_free(&r);
}

Test(faults, malformed_json_and_xml)
{
    cr_assert_eq(odoo_mock_inject(M, "malformed:count=2"), 0);
    http_response r;
    version_call(&r);
    cr_expect_eq(r.status, 200);
    cr_expect(strstr(http_get_header(&r, "Content-Type"), "application/json") != NULL);
    json_object *o = NULL;
    char msg[128];
    cr_expect_neq(om_pyjson_parse(r.body, r.body_len, &o, msg, sizeof msg), 0, "parsed: %s", r.body);
    http_response_free(&r);
    ts_post(M, "/xmlrpc/2/common", "text/xml",
            "<?xml version=\"1.0\"?><methodCall><methodName>version</methodName><params></params></methodCall>", &r);
    cr_expect_eq(r.status, 200);
    cr_expect(strstr(http_get_header(&r, "Content-Type"), "text/xml") != NULL);
    cr_expect(strstr(r.body, "</methodResponse>") == NULL);
    http_response_free(&r);
}

Test(faults, reset_mid_body)
{
    cr_assert_eq(odoo_mock_inject(M, "reset"), 0);
    http_response r;
    version_call(&r);
    cr_expect_eq(r.error, HTTP_ERR_RESET, "error %d", r.error);
    http_response_free(&r);
    cr_expect_eq(version_call(&r), 200); /* the server carries on */
    http_response_free(&r);
}

Test(faults, huge_body_streamed)
{
    cr_assert_eq(odoo_mock_inject(M, "huge:mb=130"), 0);
    http_conn c;
    cr_assert_eq(http_connect(&c, odoo_mock_port(M)), 0);
    const char *hdrs[] = {"Content-Type: application/json", NULL};
    http_response r;
    http_request_ex(&c, "POST", "/jsonrpc", hdrs, VERSION_CALL, strlen(VERSION_CALL), 4096, &r);
    http_close(&c);
    cr_expect_eq(r.error, 0);
    cr_expect_eq(r.status, 200);
    cr_expect_eq(r.content_length, 130u * 1024 * 1024);
    cr_expect_eq(r.body_len, 130u * 1024 * 1024);
    cr_expect(strncmp(r.body, "{\"jsonrpc\": \"2.0\"", 17) == 0);
    http_response_free(&r);
    /* a small one is valid JSON */
    cr_assert_eq(odoo_mock_inject(M, "huge:mb=1,path=/json/"), 0);
    int status;
    json_object *o = ts_json2(M, ODOO_MOCK_ADMIN_API_KEY, "res.partner", "search_count", "{\"domain\": []}", &status);
    cr_expect_eq(status, 200);
    cr_expect_eq(json_object_get_type(o), json_type_string);
    json_object_put(o);
}

Test(faults, trickle)
{
    cr_assert_eq(odoo_mock_inject(M, "{\"fault\": \"trickle\", \"ms\": 20}"), 0);
    http_response r;
    double t0 = now();
    ts_post(M, "/jsonrpc", "application/json",
            "{\"params\": {\"service\": \"db\", \"method\": \"server_version\", \"args\": []}, \"id\": 1}", &r);
    double dt = now() - t0;
    cr_expect_eq(r.status, 200);
    cr_expect(strstr(r.body, "\"result\": \"19.0\"") != NULL, "%s", r.body);
    cr_expect_geq(dt, (double)(r.body_len - 1) * 0.018, "%zu bytes in %.3f s", r.body_len, dt);
    http_response_free(&r);
}

Test(faults, invalid_specs_and_clear)
{
    cr_expect_eq(odoo_mock_inject(M, "nope"), -1);
    cr_expect_eq(odoo_mock_inject(M, "latency:bogus=1"), -1);
    cr_expect_eq(odoo_mock_inject(M, "{\"fault\": 3}"), -1);
    cr_expect_eq(odoo_mock_inject(M, "html500:count=-1"), 0);
    http_response r;
    cr_expect_eq(version_call(&r), 500);
    http_response_free(&r);
    cr_expect_eq(version_call(&r), 500);
    http_response_free(&r);
    odoo_mock_clear_faults(M);
    cr_expect_eq(version_call(&r), 200);
    http_response_free(&r);
}
