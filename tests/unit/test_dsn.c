/* The DSN: every part and option, every refusal (never with the secret in
 * its message), odoo_connect_url and odoo_call_json against odoo-mock. */
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>
#include <json-c/json.h>
#include <odoo.h>
#include <odoo/dsn.h>
#include <odoo/error_json.h>

#include "fixtures.h"

static odoo_rpc_error err = ODOO_RPC_ERROR_INIT;

static void fini(void)
{
    odoo_rpc_error_clear(&err);
}

TestSuite(dsn, .fini = fini);

#define S(a, b)                                                                                                   \
    do {                                                                                                          \
        const char *a_ = (a), *b_ = (b);                                                                          \
        if (!b_)                                                                                                  \
            cr_assert_null(a_, "%s: %s is %s", text, #a, a_);                                                     \
        else                                                                                                      \
            cr_assert(a_ && !strcmp(a_, b_), "%s: %s is %s, want %s", text, #a, a_ ? a_ : "NULL", b_);             \
    } while (0)

/* Parse and apply over fresh options. */
static odoo_dsn *apply(const char *text, odoo_options *o, odoo_protocol_kind *kind)
{
    odoo_dsn *d = NULL;
    odoo_options init = ODOO_OPTIONS_INIT;
    *o = init;
    cr_assert_eq(odoo_dsn_parse(&d, text, &err), 0, "%s: %s", text, err.message);
    cr_assert_eq(odoo_dsn_apply(d, o, kind), 0);
    return d;
}

Test(dsn, the_issue_example)
{
    const char *text = "https://user:KEY@erp.example.com/db?protocol=json2&timeout=30";
    odoo_options o;
    odoo_protocol_kind kind;
    odoo_dsn *d = apply(text, &o, &kind);
    S(o.url, "https://erp.example.com");
    S(o.db, "db");
    S(o.login, "user");
    S(o.api_key, "KEY"); /* json2 takes keys only */
    S(o.password, NULL);
    cr_assert_eq(kind, ODOO_PROTOCOL_JSON2);
    cr_assert_eq(o.timeout_ms, 30000);
    odoo_dsn_free(d);
}

Test(dsn, password_by_default_key_when_told)
{
    const char *text = "http://admin:p%40ss%3Aw%2Frd@127.0.0.1:8069/my%20db";
    odoo_options o;
    odoo_protocol_kind kind;
    odoo_dsn *d = apply(text, &o, &kind);
    S(o.url, "http://127.0.0.1:8069");
    S(o.db, "my db");
    S(o.password, "p@ss:w/rd");
    S(o.api_key, NULL);
    cr_assert_eq(kind, ODOO_PROTOCOL_AUTO);
    odoo_dsn_free(d);
    text = "https://admin:0123abcd@h/?auth=key&protocol=xmlrpc";
    d = apply(text, &o, &kind);
    S(o.api_key, "0123abcd");
    S(o.password, NULL);
    S(o.db, NULL);
    cr_assert_eq(kind, ODOO_PROTOCOL_XMLRPC);
    odoo_dsn_free(d);
    text = "https://admin:pw@h?protocol=json2&auth=password"; /* explicit wins */
    d = apply(text, &o, &kind);
    S(o.password, "pw");
    S(o.api_key, NULL);
    odoo_dsn_free(d);
}

Test(dsn, every_option)
{
    const char *text = "https://:K@[::1]:8443/prod/?protocol=jsonrpc-stateless&connect_timeout=2.5&insecure=1"
                       "&ca_file=%2Fetc%2Fca.pem&ca_path=/etc/ssl/certs&tls_min=1.3&proxy=https%3A%2F%2Fgw&proxy_api=2"
                       "&user_id=7";
    odoo_options o;
    odoo_protocol_kind kind;
    odoo_dsn *d = apply(text, &o, &kind);
    S(o.url, "https://[::1]:8443");
    S(o.db, "prod");
    S(o.login, NULL);
    S(o.password, "K");
    cr_assert_eq(kind, ODOO_PROTOCOL_JSONRPC_STATELESS);
    cr_assert_eq(o.connect_timeout_ms, 2500);
    cr_assert_eq(o.timeout_ms, 0);
    cr_assert_eq(o.tls_insecure, 1);
    S(o.ca_file, "/etc/ca.pem");
    S(o.ca_path, "/etc/ssl/certs");
    cr_assert_eq(o.tls_min_version, ODOO_TLS_1_3);
    S(o.proxy_url, "https://gw");
    cr_assert_eq(o.proxy_api, 2);
    cr_assert_eq(o.user_id, 7);
    odoo_dsn_free(d);
}

Test(dsn, base_members_stay_when_the_dsn_says_nothing)
{
    odoo_dsn *d = NULL;
    cr_assert_eq(odoo_dsn_parse(&d, "https://host", &err), 0, "%s", err.message);
    odoo_options o = ODOO_OPTIONS_INIT;
    o.db = "keep";
    o.login = "me";
    o.api_key = "basekey";
    o.timeout_ms = 5;
    odoo_dsn_apply(d, &o, NULL);
    cr_assert_str_eq(o.url, "https://host");
    cr_assert_str_eq(o.db, "keep");
    cr_assert_str_eq(o.login, "me");
    cr_assert_str_eq(o.api_key, "basekey");
    cr_assert_eq(o.timeout_ms, 5);
    odoo_dsn_free(d);
    cr_assert_eq(odoo_dsn_apply(NULL, &o, NULL), ODOO_ERR_INVALID_ARGUMENT);
}

static void refused(const char *text, const char *words)
{
    odoo_dsn *d = (odoo_dsn *)1;
    cr_assert_eq(odoo_dsn_parse(&d, text, &err), ODOO_ERR_INVALID_ARGUMENT, "%s accepted", text);
    cr_assert_null(d);
    cr_assert(strstr(err.message, words), "%s: \"%s\" lacks \"%s\"", text, err.message, words);
    cr_assert_null(strstr(err.message, "SECRET"), "%s: the secret is in \"%s\"", text, err.message);
}

Test(dsn, refusals_never_show_the_secret)
{
    refused("ftp://u:SECRET@h/db", "scheme is http or https");
    refused("u:SECRET@h/db", "not a valid URL");
    refused("https://u:SECRET@h/db#frag", "fragment");
    refused("https://u:SECRET@h/a/b", "the path names the database alone");
    refused("https://u:SECRET@h/db?colour=red", "unknown option \"colour\"");
    refused("https://u:SECRET@h/db?timeout=1&timeout=2", "given twice");
    refused("https://u:SECRET@h/db?timeout=0", "timeout must be a number of seconds above 0");
    refused("https://u:SECRET@h/db?timeout=abc", "timeout must be");
    refused("https://u:SECRET@h/db?connect_timeout=-1", "connect_timeout must be");
    refused("https://u:SECRET@h/db?protocol=soap", "protocol must be");
    refused("https://u:SECRET@h/db?auth=token", "auth must be password or key");
    refused("https://u:SECRET@h/db?insecure=maybe", "insecure must be 1 or 0");
    refused("https://u:SECRET@h/db?tls_min=1.1", "tls_min must be 1.2 or 1.3");
    refused("https://u:SECRET@h/db?proxy_api=3", "proxy_api must be 1 or 2");
    refused("https://u:SECRET@h/db?user_id=x", "user_id must be a positive integer");
    refused("https://u@h/db?password=SECRET", "credentials are not taken from the query");
    refused("https://u@h/db?api_key=SECRET", "credentials are not taken from the query");
    refused("https://u:SECRET@h/db?noequals", "name=value");
    refused("https://u:SECRET@h/d%00b", "NUL byte");
    refused("https://u:SECRET@h/db?ca_file=", "ca_file is empty");
    cr_assert_eq(odoo_dsn_parse(NULL, NULL, &err), ODOO_ERR_INVALID_ARGUMENT);
    odoo_dsn_free(NULL);
}

#ifdef ODOO_HAVE_MOCK
#include <odoo_mock.h>

static odoo_mock *mock;

static void start(void)
{
    odoo_mock_config cfg = {0};
    cfg.quiet = 1;
    cr_assert_eq(odoo_mock_start(&mock, &cfg), 0);
}

static void stop(void)
{
    odoo_mock_stop(mock);
    odoo_rpc_error_clear(&err);
}

/* scheme://login:secret@ + the mock's host:port + /db?query */
static void dsn_for(char *buf, size_t n, const char *login, const char *secret, const char *query)
{
    const char *url = odoo_mock_url(mock); /* http://127.0.0.1:PORT */
    snprintf(buf, n, "http://%s:%s@%s/%s%s%s", login, secret, url + 7, odoo_mock_db(mock), query ? "?" : "",
             query ? query : "");
}

TestSuite(dsn_mock, .init = start, .fini = stop);

Test(dsn_mock, connect_url_on_each_protocol_and_call_json)
{
    static const struct {
        const char *query, *secret, *want;
    } cases[] = {
        {"protocol=json2&timeout=30", ODOO_MOCK_ADMIN_API_KEY, "json2"},
        {"protocol=xmlrpc", ODOO_MOCK_ADMIN_PASSWORD, "xmlrpc"},
        {"protocol=jsonrpc", ODOO_MOCK_ADMIN_PASSWORD, "jsonrpc"},
        {"protocol=jsonrpc-stateless&auth=key", ODOO_MOCK_ADMIN_API_KEY, "jsonrpc-stateless"},
        {NULL, ODOO_MOCK_ADMIN_PASSWORD, "jsonrpc"},        /* AUTO on 19 with a password: the web session */
        {"auth=key", ODOO_MOCK_ADMIN_API_KEY, "json2"},     /* AUTO on 19 with a key */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char dsn[300];
        dsn_for(dsn, sizeof dsn, ODOO_MOCK_ADMIN_LOGIN, cases[i].secret, cases[i].query);
        odoo_protocol *p = NULL;
        cr_assert_eq(odoo_connect_url(&p, dsn, NULL, &err), 0, "%s: %s", cases[i].want, err.message);
        cr_assert_str_eq(odoo_protocol_name(p), cases[i].want);
        char *out = NULL;
        cr_assert_eq(odoo_call_json(&out, p, "res.partner", "search_read", "[[[\"id\", \"=\", 1]]]",
                                    "{\"fields\": [\"name\"]}", &err),
                     0, "%s: %s", cases[i].want, err.message);
        cr_assert_str_eq(out, "[{\"id\":1,\"name\":\"YourCompany\"}]", "%s: %s", cases[i].want, out);
        odoo_free(out);
        odoo_close(p);
    }
}

Test(dsn_mock, wrong_secret_is_an_auth_error_without_it)
{
    char dsn[300];
    dsn_for(dsn, sizeof dsn, "admin", "WRONGSECRET", "protocol=xmlrpc");
    odoo_protocol *p = NULL;
    cr_assert_eq(odoo_connect_url(&p, dsn, NULL, &err), 0, "%s", err.message);
    char *out = (char *)1;
    cr_assert_eq(odoo_call_json(&out, p, "res.partner", "search_count", "[[]]", NULL, &err), ODOO_ERR_AUTH);
    cr_assert_null(out);
    char *json = odoo_error_to_json(&err);
    cr_assert_null(strstr(json, "WRONGSECRET"), "%s", json);
    odoo_free(json);
    odoo_close(p);
}

Test(dsn_mock, call_json_results_and_bad_text)
{
    char dsn[300];
    dsn_for(dsn, sizeof dsn, "admin", ODOO_MOCK_ADMIN_API_KEY, "protocol=json2");
    odoo_options base = ODOO_OPTIONS_INIT;
    base.user_agent = "dsn-test/1";
    odoo_protocol *p = NULL;
    cr_assert_eq(odoo_connect_url(&p, dsn, &base, &err), 0, "%s", err.message);
    char *out = NULL;
    cr_assert_eq(odoo_call_json(&out, p, "res.partner", "search_count", "[[[\"id\", \"=\", 1]]]", "", &err), 0,
                 "%s", err.message);
    cr_assert_str_eq(out, "1");
    odoo_free(out);
    cr_assert_eq(odoo_call_json(&out, p, "res.partner", "search_count", "[[], ", NULL, &err),
                 ODOO_ERR_INVALID_ARGUMENT);
    cr_assert(strstr(err.message, "args is not valid JSON"), "%s", err.message);
    cr_assert_eq(odoo_call_json(&out, p, "res.partner", "search_count", "{}", NULL, &err), ODOO_ERR_INVALID_ARGUMENT);
    cr_assert(strstr(err.message, "args must be a JSON array"), "%s", err.message);
    cr_assert_eq(odoo_call_json(&out, p, "res.partner", "search_count", "[[]]", "[1]", &err),
                 ODOO_ERR_INVALID_ARGUMENT);
    cr_assert(strstr(err.message, "kwargs must be a JSON object"), "%s", err.message);
    /* an Odoo error, as JSON */
    cr_assert_eq(odoo_call_json(&out, p, "res.partner", "write", "[[1], {\"parent_id\": 1}]", NULL, &err),
                 ODOO_ERR_VALIDATION, "%s", err.message);
    char *json = odoo_error_to_json(&err);
    json_object *doc = json_parse(json), *b = NULL;
    cr_assert(json_object_object_get_ex(doc, "business", &b) && json_object_get_boolean(b), "%s", json);
    json_object_put(doc);
    odoo_free(json);
    odoo_close(p);
}
#endif
