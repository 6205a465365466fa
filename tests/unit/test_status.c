/* D4: one status table for every protocol and for the AUTO probe. A
 * reverse proxy's bare 401/403 is auth, 429 rate_limited (with its
 * Retry-After), 502/503/504 unavailable (transient); Odoo's classless
 * 422 is invalid_argument everywhere. */
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>
#include <odoo.h>

#include "errors/error_internal.h"
#include "rawserver.h"
#include "replay_server.h"

static odoo_rpc_error err = ODOO_RPC_ERROR_INIT;

static void clear(void)
{
    odoo_rpc_error_clear(&err);
}

TestSuite(status, .fini = clear, .timeout = 60);

Test(status, table)
{
    static const struct {
        long status;
        odoo_error_kind bare, odoo;
    } rows[] = {
        { 401, ODOO_ERR_AUTH, ODOO_ERR_AUTH },
        { 403, ODOO_ERR_AUTH, ODOO_ERR_ACCESS },
        { 404, ODOO_ERR_PROTOCOL, ODOO_ERR_NOT_FOUND },
        { 409, ODOO_ERR_CONFLICT, ODOO_ERR_CONFLICT },
        { 422, ODOO_ERR_PROTOCOL, ODOO_ERR_INVALID_ARGUMENT },
        { 429, ODOO_ERR_RATE_LIMITED, ODOO_ERR_RATE_LIMITED },
        { 500, ODOO_ERR_PROTOCOL, ODOO_ERR_SERVER },
        { 502, ODOO_ERR_UNAVAILABLE, ODOO_ERR_UNAVAILABLE },
        { 503, ODOO_ERR_UNAVAILABLE, ODOO_ERR_UNAVAILABLE },
        { 504, ODOO_ERR_UNAVAILABLE, ODOO_ERR_UNAVAILABLE },
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        cr_expect_eq(odoo__kind_for_status(rows[i].status, 0), rows[i].bare, "bare %ld", rows[i].status);
        cr_expect_eq(odoo__kind_for_status(rows[i].status, 1), rows[i].odoo, "odoo %ld", rows[i].status);
    }
    cr_expect(odoo_error_is_transient(ODOO_ERR_UNAVAILABLE));
    cr_expect_str_eq(odoo_error_kind_name(ODOO_ERR_UNAVAILABLE), "unavailable");
}

static const odoo_protocol_kind protocols[] = {
    ODOO_PROTOCOL_XMLRPC, ODOO_PROTOCOL_JSONRPC, ODOO_PROTOCOL_JSONRPC_STATELESS,
    ODOO_PROTOCOL_JSON2, ODOO_PROTOCOL_ODXPROXY,
};

static int open_on(replay_server *s, odoo_protocol_kind kind, odoo_protocol **p)
{
    odoo_options o = ODOO_OPTIONS_INIT;
    o.db = "prod";
    o.login = "admin";
    o.password = "admin";
    o.api_key = "279b0d4fbaf43e4f19028842fdc2fdf831bfaa39";
    if (kind == ODOO_PROTOCOL_ODXPROXY) {
        o.url = "https://erp.example.com";
        o.proxy_url = replay_url(s);
        o.proxy_api_key = "proxy-key-0123456789";
        o.user_id = 2;
        o.proxy_api = 1;
    } else {
        o.url = replay_url(s);
    }
    *p = NULL;
    return odoo_connect(p, kind, &o, &err);
}

/* What nginx sends when Odoo is down, restarting, or the client is
 * throttled: HTML pages, no Odoo body. */
Test(status, proxy_pages_on_every_protocol)
{
    static const struct {
        int status;
        odoo_error_kind kind;
        const char *title;
    } pages[] = {
        { 401, ODOO_ERR_AUTH, "401 Authorization Required" },
        { 403, ODOO_ERR_AUTH, "403 Forbidden" },
        { 429, ODOO_ERR_RATE_LIMITED, "429 Too Many Requests" },
        { 502, ODOO_ERR_UNAVAILABLE, "502 Bad Gateway" },
        { 503, ODOO_ERR_UNAVAILABLE, "503 Service Temporarily Unavailable" },
        { 504, ODOO_ERR_UNAVAILABLE, "504 Gateway Time-out" },
    };
    static const char *const retry[] = { "Retry-After: 7", NULL };
    for (size_t k = 0; k < sizeof(protocols) / sizeof(protocols[0]); k++) {
        for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
            replay_server *s = replay_start(NULL, NULL);
            char html[200];
            snprintf(html, sizeof(html), "<html><head><title>%s</title></head><body>nginx</body></html>",
                     pages[i].title);
            /* the login some protocols make at connect time meets the page first */
            replay_expect_raw(s, pages[i].status, "text/html", html, pages[i].status == 429 ? retry : NULL);
            odoo_protocol *p = NULL;
            int64_t n = 0;
            int rc = open_on(s, protocols[k], &p);
            if (rc == 0)
                rc = odoo_search_count(&n, p, "res.partner", NULL, &err);
            const char *proto = odoo_protocol_kind_name(protocols[k]);
            cr_expect_eq(rc, (int)pages[i].kind, "%s %d: %s (%s)", proto, pages[i].status,
                         odoo_error_kind_name((odoo_error_kind)rc), err.message);
            cr_expect_eq(err.http_status, pages[i].status, "%s %d", proto, pages[i].status);
            cr_expect(strstr(err.message, pages[i].title) != NULL, "%s: %s", proto, err.message);
            if (pages[i].status == 429)
                cr_expect_eq(err.retry_after, 7, "%s", proto);
            cr_expect_eq(odoo_error_is_transient((odoo_error_kind)rc), pages[i].status >= 429, "%s %d", proto,
                         pages[i].status);
            odoo_close(p);
            replay_stop(s);
        }
    }
}

/* Both tables used to disagree: JSON-2 said invalid_argument, ODXProxy's
 * pass-through said validation. */
Test(status, classless_422_is_one_kind)
{
    replay_server *s = replay_start(NULL, NULL);
    odoo_protocol *p = NULL;
    cr_assert_eq(open_on(s, ODOO_PROTOCOL_JSON2, &p), 0, "%s", err.message);
    replay_expect_raw(s, 422, "application/json", "{\"message\": \"unexpected argument 'x'\"}", NULL);
    int64_t n = 0;
    cr_expect_eq(odoo_search_count(&n, p, "res.partner", NULL, &err), ODOO_ERR_INVALID_ARGUMENT, "%s",
                 err.message);
    odoo_close(p);
    cr_assert_eq(open_on(s, ODOO_PROTOCOL_ODXPROXY, &p), 0, "%s", err.message);
    replay_expect_raw(s, 200, "application/json",
                      "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":422,\"message\":\"unexpected argument\"}}",
                      NULL);
    cr_expect_eq(odoo_search_count(&n, p, "res.partner", NULL, &err), ODOO_ERR_INVALID_ARGUMENT, "%s",
                 err.message);
    odoo_close(p);
    replay_stop(s);
}

static int auto_connect(const char *url, odoo_protocol **p)
{
    odoo_options o = ODOO_OPTIONS_INIT;
    o.url = url;
    o.password = "admin";
    *p = NULL;
    return odoo_connect(p, ODOO_PROTOCOL_AUTO, &o, &err);
}

Test(status, auto_reports_429_as_rate_limited)
{
    replay_server *s = replay_start(NULL, NULL);
    static const char *const retry[] = { "Retry-After: 30", NULL };
    for (int i = 0; i < 3; i++)
        replay_expect_raw(s, 429, "text/html", "<title>429 Too Many Requests</title>", retry);
    odoo_protocol *p;
    cr_expect_eq(auto_connect(replay_url(s), &p), ODOO_ERR_RATE_LIMITED, "%s", err.message);
    cr_expect_null(p);
    cr_expect_eq(err.http_status, 429);
    cr_expect_eq(err.retry_after, 30);
    cr_expect(strstr(err.message, "no Odoo protocol") == NULL, "%s", err.message);
    cr_expect(strstr(err.message, "/web/version") != NULL, "the probe is named: %s", err.message);
    cr_expect_eq(replay_count(s), 1, "no second probe after a 429");
    json_object *doc = NULL;
    cr_expect_eq(odoo_probe(&doc, &(odoo_options){ .version = ODOO_OPTIONS_VERSION, .url = replay_url(s) }, &err),
                 ODOO_ERR_RATE_LIMITED, "%s", err.message);
    cr_expect_null(doc);
    replay_stop(s);
}

Test(status, auto_reports_502_as_unavailable)
{
    replay_server *s = replay_start(NULL, NULL);
    for (int i = 0; i < 3; i++)
        replay_expect_raw(s, 502, "text/html", "<title>502 Bad Gateway</title>", NULL);
    odoo_protocol *p;
    cr_expect_eq(auto_connect(replay_url(s), &p), ODOO_ERR_UNAVAILABLE, "%s", err.message);
    cr_expect_eq(err.http_status, 502);
    replay_stop(s);
}

Test(status, auto_reports_a_reset_as_network)
{
    raw_server *s = raw_start(RAW_CLOSE);
    odoo_protocol *p;
    cr_expect_eq(auto_connect(raw_url(s), &p), ODOO_ERR_NETWORK, "%s", err.message);
    cr_expect(strstr(err.message, "no Odoo protocol") == NULL, "%s", err.message);
    raw_stop(s);
}
