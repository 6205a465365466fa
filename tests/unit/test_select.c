/* ODOO_PROTOCOL_AUTO and odoo_probe against odoo-mock as Odoo 16 to 19,
 * with and without an API key, and against servers that are not Odoo. */
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>
#include <odoo.h>
#include <odoo_mock.h>

#include "rawserver.h"
#include "replay_server.h"

static odoo_rpc_error err = ODOO_RPC_ERROR_INIT;

static const char *choose(odoo_mock *m, int with_key, int with_password, odoo_preference prefer, char *reason,
                          size_t len)
{
    odoo_options o = ODOO_OPTIONS_INIT;
    o.url = odoo_mock_url(m);
    o.db = odoo_mock_db(m);
    o.login = "admin";
    o.password = with_password ? "admin" : NULL;
    o.api_key = with_key ? ODOO_MOCK_ADMIN_API_KEY : NULL;
    o.prefer = prefer;
    odoo_protocol *p = NULL;
    cr_assert_eq(odoo_connect(&p, ODOO_PROTOCOL_AUTO, &o, &err), 0, "%s", err.message);
    snprintf(reason, len, "%s", odoo_protocol_reason(p));
    /* the chosen protocol really works for a call */
    int64_t n = 0;
    cr_expect_eq(odoo_search_count(&n, p, "res.partner", NULL, &err), 0, "%s: %s", odoo_protocol_name(p),
                 err.message);
    cr_expect_gt(n, 0);
    const char *name = odoo_protocol_name(p); /* static storage */
    cr_expect_eq(odoo_server_version(p), odoo_mock_version(m));
    odoo_close(p);
    return name;
}

static odoo_mock *start(int version)
{
    odoo_mock_config cfg = { 0 };
    cfg.odoo_version = version;
    cfg.quiet = 1;
    odoo_mock *m = NULL;
    cr_assert_eq(odoo_mock_start(&m, &cfg), 0);
    return m;
}

Test(select, odoo19)
{
    odoo_mock *m = start(19);
    char why[512];
    cr_expect_str_eq(choose(m, 1, 1, ODOO_PREFER_COMPAT, why, sizeof(why)), "json2");
    cr_expect(strstr(why, "API key") && strstr(why, "19.0") && strstr(why, "/web/version"), "%s", why);
    cr_expect_str_eq(choose(m, 1, 0, ODOO_PREFER_COMPAT, why, sizeof(why)), "json2");
    cr_expect_str_eq(choose(m, 0, 1, ODOO_PREFER_COMPAT, why, sizeof(why)), "jsonrpc");
    cr_expect(strstr(why, "password") != NULL, "%s", why);
    cr_expect_str_eq(choose(m, 1, 1, ODOO_PREFER_THROUGHPUT, why, sizeof(why)), "jsonrpc");
    cr_expect(strstr(why, "throughput") != NULL, "%s", why);
    cr_expect_str_eq(choose(m, 1, 0, ODOO_PREFER_THROUGHPUT, why, sizeof(why)), "json2",
                     "no password: the session is not an option");
    odoo_mock_stop(m);
}

Test(select, odoo16_to_18)
{
    for (int v = 16; v <= 18; v++) {
        odoo_mock *m = start(v);
        char why[512], want[16];
        snprintf(want, sizeof(want), "%d.0", v);
        cr_expect_str_eq(choose(m, 1, 1, ODOO_PREFER_COMPAT, why, sizeof(why)), "jsonrpc-stateless", "%d", v);
        cr_expect(strstr(why, want) && strstr(why, "/web/webclient/version_info"), "%s", why);
        cr_expect_str_eq(choose(m, 1, 0, ODOO_PREFER_COMPAT, why, sizeof(why)), "jsonrpc-stateless", "%d", v);
        cr_expect_str_eq(choose(m, 0, 1, ODOO_PREFER_COMPAT, why, sizeof(why)), "jsonrpc-stateless", "%d", v);
        cr_expect_str_eq(choose(m, 1, 1, ODOO_PREFER_THROUGHPUT, why, sizeof(why)), "jsonrpc", "%d", v);
        odoo_mock_stop(m);
    }
}

Test(select, only_xmlrpc_answers)
{
    replay_server *s = replay_start(NULL, NULL);
    replay_expect(s, "odoo18/json2/01-web-version-get-18.json");              /* 404 HTML */
    replay_expect(s, "odoo19/jsonrpc-session/44-route-unknown.json");         /* 404 HTML */
    replay_expect(s, "odoo19/xmlrpc/01-common-version.json");
    odoo_options o = ODOO_OPTIONS_INIT;
    o.url = replay_url(s);
    o.password = "admin";
    odoo_protocol *p = NULL;
    cr_assert_eq(odoo_connect(&p, ODOO_PROTOCOL_AUTO, &o, &err), 0, "%s", err.message);
    cr_expect_str_eq(odoo_protocol_name(p), "xmlrpc");
    cr_expect(strstr(odoo_protocol_reason(p), "only XML-RPC") != NULL, "%s", odoo_protocol_reason(p));
    odoo_close(p);
    replay_stop(s);
}

Test(select, not_odoo_lists_what_was_tried)
{
    replay_server *s = replay_start(NULL, NULL);
    for (int i = 0; i < 3; i++)
        replay_expect_raw(s, 404, "text/html", "<html><title>404 Not Found</title></html>", NULL);
    odoo_options o = ODOO_OPTIONS_INIT;
    o.url = replay_url(s);
    odoo_protocol *p = NULL;
    cr_expect_eq(odoo_connect(&p, ODOO_PROTOCOL_AUTO, &o, &err), ODOO_ERR_PROTOCOL);
    cr_expect_null(p);
    cr_expect(strstr(err.message, "GET /web/version") && strstr(err.message, "version_info") &&
              strstr(err.message, "XML-RPC"), "%s", err.message);
    replay_stop(s);
}

Test(select, nothing_listening_is_a_connect_error)
{
    char url[64];
    raw_closed_port_url(url, sizeof(url));
    odoo_options o = ODOO_OPTIONS_INIT;
    o.url = url;
    odoo_protocol *p = NULL;
    cr_expect_eq(odoo_connect(&p, ODOO_PROTOCOL_AUTO, &o, &err), ODOO_ERR_CONNECT);
    json_object *out = NULL;
    cr_expect_eq(odoo_probe(&out, &o, &err), ODOO_ERR_CONNECT);
    cr_expect_null(out);
}

static int available(json_object *doc, const char *proto)
{
    json_object *ps, *e, *a;
    return json_object_object_get_ex(doc, "protocols", &ps) && json_object_object_get_ex(ps, proto, &e) &&
           json_object_object_get_ex(e, "available", &a) && json_object_get_boolean(a);
}

Test(select, probe_reports_what_answers)
{
    odoo_mock *m = start(19);
    odoo_options o = ODOO_OPTIONS_INIT;
    o.url = odoo_mock_url(m);
    json_object *doc = NULL, *v;
    cr_assert_eq(odoo_probe(&doc, &o, &err), 0, "%s", err.message);
    cr_expect(available(doc, "json2") && available(doc, "jsonrpc") && available(doc, "jsonrpc-stateless") &&
              available(doc, "xmlrpc"), "%s", json_object_to_json_string(doc));
    cr_expect(json_object_object_get_ex(doc, "server_version", &v) && strcmp(json_object_get_string(v), "19.0") == 0);
    json_object_put(doc);
    odoo_mock_stop(m);

    m = start(18);
    o.url = odoo_mock_url(m);
    cr_assert_eq(odoo_probe(&doc, &o, &err), 0, "%s", err.message);
    cr_expect(!available(doc, "json2"), "no JSON-2 on 18");
    cr_expect(available(doc, "jsonrpc") && available(doc, "jsonrpc-stateless") && available(doc, "xmlrpc"));
    json_object *ps, *j2, *e, *kind;
    json_object_object_get_ex(doc, "protocols", &ps);
    json_object_object_get_ex(ps, "json2", &j2);
    cr_expect(json_object_object_get_ex(j2, "error", &e) && json_object_object_get_ex(e, "kind", &kind));
    json_object_put(doc);
    odoo_mock_stop(m);
}
