/* The transport's own rules, the same for every protocol:
 * D12 a base URL with a query or fragment is refused at connect;
 * D17 no header injection through the user agent or the sys API, no crash
 *     on NULL, no over-read of a NULL body;
 * D18 Retry-After as a delay or an HTTP date, clamped;
 * D19 no redirect followed, the refused Location named (credentials out). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <criterion/criterion.h>
#include "core/secret.h"
#include <curl/curl.h>
#include <odoo.h>
#include <odoo/sys/http.h>

#include "replay_server.h"

static odoo_rpc_error err = ODOO_RPC_ERROR_INIT;

static void clear(void)
{
    odoo_rpc_error_clear(&err);
}

TestSuite(http_guard, .fini = clear, .timeout = 60);

static const odoo_protocol_kind protocols[] = {
    ODOO_PROTOCOL_XMLRPC, ODOO_PROTOCOL_JSONRPC, ODOO_PROTOCOL_JSONRPC_STATELESS,
    ODOO_PROTOCOL_JSON2, ODOO_PROTOCOL_ODXPROXY, ODOO_PROTOCOL_AUTO,
};

static int connect_to(const char *url, odoo_protocol_kind kind, const char *user_agent, odoo_protocol **p)
{
    odoo_options o = ODOO_OPTIONS_INIT;
    o.db = "prod";
    o.login = "admin";
    o.password = "admin";
    o.api_key = "279b0d4fbaf43e4f19028842fdc2fdf831bfaa39";
    o.user_agent = user_agent;
    o.timeout_ms = 10000;
    if (kind == ODOO_PROTOCOL_ODXPROXY) {
        o.url = "https://erp.example.com";
        o.proxy_url = url;
        o.proxy_api_key = "proxy-key-0123456789";
        o.user_id = 2;
        o.proxy_api = 1;
    } else {
        o.url = url;
    }
    *p = NULL;
    return odoo_connect(p, kind, &o, &err);
}

Test(http_guard, base_url_with_query_or_fragment_is_refused)
{
    static const char *const urls[] = {
        "http://127.0.0.1:1/?db=prod", "http://127.0.0.1:1#x", "https://erp.example.com/odoo?x=1",
        "http://127.0.0.1:1/ odoo", "http://127.0.0.1:1/\r\nX: y",
    };
    for (size_t k = 0; k < sizeof(protocols) / sizeof(protocols[0]); k++) {
        for (size_t i = 0; i < sizeof(urls) / sizeof(urls[0]); i++) {
            odoo_protocol *p;
            cr_expect_eq(connect_to(urls[i], protocols[k], NULL, &p), ODOO_ERR_INVALID_ARGUMENT, "%s %s: %s",
                         odoo_protocol_kind_name(protocols[k]), urls[i], err.message);
            cr_expect_null(p);
        }
    }
    cr_expect(strstr(err.message, "URL") != NULL, "%s", err.message);
}

Test(http_guard, user_agent_with_crlf_is_refused)
{
    for (size_t k = 0; k < sizeof(protocols) / sizeof(protocols[0]); k++) {
        odoo_protocol *p;
        cr_expect_eq(connect_to("http://127.0.0.1:1", protocols[k], "app/1\r\nX-Injected: 1", &p),
                     ODOO_ERR_INVALID_ARGUMENT, "%s", odoo_protocol_kind_name(protocols[k]));
        cr_expect(strstr(err.message, "user_agent") != NULL, "%s", err.message);
    }
    /* a clean one goes out as given */
    replay_server *s = replay_start(NULL, NULL);
    odoo_protocol *p;
    cr_assert_eq(connect_to(replay_url(s), ODOO_PROTOCOL_JSON2, "my-app/2.1 (ops)", &p), 0, "%s", err.message);
    replay_expect_raw(s, 200, "application/json", "3", NULL);
    int64_t n = 0;
    cr_expect_eq(odoo_search_count(&n, p, "res.partner", NULL, &err), 0, "%s", err.message);
    cr_expect_str_eq(replay_sent_header(s, 0, "user-agent"), "my-app/2.1 (ops)");
    cr_expect_null(replay_sent_header(s, 0, "x-injected"));
    odoo_close(p);
    replay_stop(s);
}

Test(http_guard, sys_http_calls_check_their_arguments)
{
    odoo_options o = ODOO_OPTIONS_INIT;
    cr_expect_eq(odoo_http_new(NULL, "http://127.0.0.1:1", &o, &err), ODOO_ERR_INVALID_ARGUMENT);
    odoo_http_response resp;
    odoo_http_request req = { "POST", "/x", "application/json", NULL, "{}", 2 };
    cr_expect_eq(odoo_http_send(NULL, &req, &resp, &err), ODOO_ERR_INVALID_ARGUMENT);
    cr_expect_eq(odoo_http_send(NULL, NULL, NULL, NULL), ODOO_ERR_INVALID_ARGUMENT);
    cr_expect_null(odoo_http_base_url(NULL));
    cr_expect_eq(odoo_http_tls_verified(NULL), 0);
    cr_expect_eq(odoo_http_retry_after(NULL), -1);
    cr_expect_null(odoo_http_redirect_location(NULL));
    cr_expect_eq(odoo_http_connections(NULL), 0);
    odoo_http_stats st;
    odoo_http_get_stats(NULL, &st);
    cr_expect_eq(st.requests, 0);
    odoo__http_capture(NULL, 1);
    cr_expect_eq(odoo__http_last_request(NULL, &req), -1);
    odoo_http_free(NULL);

    replay_server *s = replay_start(NULL, NULL);
    odoo_http *h = NULL;
    cr_assert_eq(odoo_http_new(&h, replay_url(s), &o, &err), 0, "%s", err.message);
    cr_expect_eq(odoo_http_send(h, NULL, &resp, &err), ODOO_ERR_INVALID_ARGUMENT);
    cr_expect_eq(odoo_http_send(h, &req, NULL, &err), ODOO_ERR_INVALID_ARGUMENT);
    static const char *const injected[] = { "X-A: 1\r\nX-B: 2", NULL };
    static const char *const no_colon[] = { "X-A 1", NULL };
    static const char *const space_in_name[] = { "X A: 1", NULL };
    static const char *const bare_lf[] = { "X-A: 1\nX-B: 2", NULL };
    const char *const *bad_headers[] = { injected, no_colon, space_in_name, bare_lf };
    for (size_t i = 0; i < sizeof(bad_headers) / sizeof(bad_headers[0]); i++) {
        odoo_http_request r = { "POST", "/x", "application/json", bad_headers[i], "{}", 2 };
        cr_expect_eq(odoo_http_send(h, &r, &resp, &err), ODOO_ERR_INVALID_ARGUMENT, "headers %zu", i);
        cr_expect(strstr(err.message, "header") != NULL, "%s", err.message);
    }
    odoo_http_request null_body = { "POST", "/x", "application/json", NULL, NULL, 5 };
    cr_expect_eq(odoo_http_send(h, &null_body, &resp, &err), ODOO_ERR_INVALID_ARGUMENT);
    cr_expect(strstr(err.message, "NULL") != NULL, "%s", err.message);
    odoo_http_request bad_ctype = { "POST", "/x", "application/json\r\nX-B: 1", NULL, "{}", 2 };
    cr_expect_eq(odoo_http_send(h, &bad_ctype, &resp, &err), ODOO_ERR_INVALID_ARGUMENT);
    odoo_http_request bad_path = { "POST", "x", NULL, NULL, "{}", 2 };
    cr_expect_eq(odoo_http_send(h, &bad_path, &resp, &err), ODOO_ERR_INVALID_ARGUMENT);
    odoo_http_request space_path = { "POST", "/a b", NULL, NULL, "{}", 2 };
    cr_expect_eq(odoo_http_send(h, &space_path, &resp, &err), ODOO_ERR_INVALID_ARGUMENT);
    odoo_http_request bad_method = { "DELETE", "/x", NULL, NULL, NULL, 0 };
    cr_expect_eq(odoo_http_send(h, &bad_method, &resp, &err), ODOO_ERR_INVALID_ARGUMENT);
    cr_expect_eq(replay_count(s), 0, "nothing refused went out");

    /* a good request with an extra header still goes */
    static const char *const good[] = { "X-Trace-Id: abc", NULL };
    odoo_http_request ok = { "POST", "/x", "application/json", good, "{}", 2 };
    replay_expect_raw(s, 200, "application/json", "{}", NULL);
    cr_expect_eq(odoo_http_send(h, &ok, &resp, &err), 0, "%s", err.message);
    cr_expect_eq(resp.status, 200);
    cr_expect_str_eq(replay_sent_header(s, 0, "x-trace-id"), "abc");
    odoo_http_free(h);
    replay_stop(s);
}

static long retry_after_of(const char *header)
{
    replay_server *s = replay_start(NULL, NULL);
    odoo_protocol *p;
    cr_assert_eq(connect_to(replay_url(s), ODOO_PROTOCOL_JSON2, NULL, &p), 0, "%s", err.message);
    const char *headers[] = { header, NULL };
    replay_expect_raw(s, 429, "text/html", "<title>429 Too Many Requests</title>", headers);
    int64_t n;
    cr_expect_eq(odoo_search_count(&n, p, "res.partner", NULL, &err), ODOO_ERR_RATE_LIMITED, "%s",
                 err.message);
    odoo_close(p);
    replay_stop(s);
    return err.retry_after;
}

static void http_date(char *buf, size_t len, time_t when)
{
    struct tm tm;
    gmtime_r(&when, &tm);
    strftime(buf, len, "Retry-After: %a, %d %b %Y %H:%M:%S GMT", &tm);
}

Test(http_guard, retry_after_as_a_date_and_clamped)
{
    char h[80];
    cr_expect_eq(retry_after_of("Retry-After: 120"), 120);
    http_date(h, sizeof(h), time(NULL) + 120);
    long r = retry_after_of(h);
    cr_expect(r >= 110 && r <= 120, "%s gave %ld", h, r);
    http_date(h, sizeof(h), time(NULL) - 3600);
    cr_expect_eq(retry_after_of(h), 0, "a date in the past: now");
    http_date(h, sizeof(h), time(NULL) + 365L * 86400);
    cr_expect_eq(retry_after_of(h), ODOO_RETRY_AFTER_MAX, "a year ahead is clamped");
    cr_expect_eq(retry_after_of("Retry-After: 99999999999999999999"), ODOO_RETRY_AFTER_MAX);
    cr_expect_eq(retry_after_of("Retry-After: 86400"), ODOO_RETRY_AFTER_MAX);
    cr_expect_eq(retry_after_of("Retry-After: soon"), -1);
    cr_expect_eq(retry_after_of("Retry-After: 12abc"), -1);
}

/* The first request meets the redirect (a login at connect time, or the call). */
static int redirected(odoo_protocol_kind kind, int status, const char *location, replay_server **out)
{
    replay_server *s = *out = replay_start(NULL, NULL);
    char loc[300];
    snprintf(loc, sizeof(loc), "Location: %s", location);
    const char *headers[] = { loc, NULL };
    for (int i = 0; i < 3; i++)
        replay_expect_raw(s, status, "text/html", "<title>Moved</title>", headers);
    odoo_protocol *p;
    int rc = connect_to(replay_url(s), kind, NULL, &p);
    if (rc == 0) {
        int64_t n;
        rc = odoo_search_count(&n, p, "res.partner", NULL, &err);
    }
    odoo_close(p);
    return rc;
}

Test(http_guard, a_redirect_is_refused_and_named_on_every_protocol)
{
    for (size_t k = 0; k + 1 < sizeof(protocols) / sizeof(protocols[0]); k++) {
        replay_server *s;
        const char *name = odoo_protocol_kind_name(protocols[k]);
        int rc = redirected(protocols[k], 302, "https://mallory:hunter22@evil.example.net:8443/steal?x=1", &s);
        cr_expect_eq(rc, ODOO_ERR_PROTOCOL, "%s: %s", name, err.message);
        cr_expect_eq(err.http_status, 302, "%s", name);
        cr_expect(strstr(err.message, "evil.example.net:8443/steal") != NULL, "%s: %s", name, err.message);
        cr_expect(strstr(err.message, "hunter22") == NULL && strstr(err.message, "mallory") == NULL,
                  "%s: credentials in %s", name, err.message);
        cr_expect(strstr(err.message, "login page") == NULL, "%s: %s", name, err.message);
        cr_expect_eq(replay_count(s), 1, "%s: followed nothing", name);
        replay_stop(s);
    }
}

Test(http_guard, json2_names_the_login_page_only_on_its_own_host)
{
    replay_server *s;
    cr_expect_eq(redirected(ODOO_PROTOCOL_JSON2, 303, "/web/login?redirect=%2Fjson%2F2", &s), ODOO_ERR_PROTOCOL);
    cr_expect(strstr(err.message, "does not speak JSON-2") && strstr(err.message, "/web/login"), "%s",
              err.message);
    replay_stop(s);
    cr_expect_eq(redirected(ODOO_PROTOCOL_JSON2, 303, "https://sso.example.org/web/login", &s), ODOO_ERR_PROTOCOL);
    cr_expect(strstr(err.message, "does not speak JSON-2") == NULL, "another host: %s", err.message);
    cr_expect(strstr(err.message, "https://sso.example.org/web/login") != NULL, "%s", err.message);
    replay_stop(s);
}

Test(http_guard, auto_names_the_redirect)
{
    replay_server *s;
    cr_expect_eq(redirected(ODOO_PROTOCOL_AUTO, 301, "https://erp.example.com/web/version", &s),
                 ODOO_ERR_PROTOCOL);
    cr_expect(strstr(err.message, "https://erp.example.com/web/version") != NULL, "%s", err.message);
    replay_stop(s);
}
