/* NULL arguments through the public API. One rule everywhere: a NULL out
 * discards the result (the call still runs, its error is still
 * reported); a NULL connection, model or required argument is
 * ODOO_ERR_INVALID_ARGUMENT, never a crash. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <odoo.h>
#include <odoo/sys/protocol.h>
#include <odoo_mock.h>

#include "fixtures.h"

static odoo_mock *mock;
static odoo_rpc_error err = ODOO_RPC_ERROR_INIT;

static void start(void)
{
    odoo_mock_config cfg = { 0 };
    cfg.odoo_version = 19;
    cfg.quiet = 1;
    cr_assert_eq(odoo_mock_start(&mock, &cfg), 0, "odoo-mock did not start");
}

static void stop(void)
{
    odoo_mock_stop(mock);
    mock = NULL;
    odoo_rpc_error_clear(&err);
}

static void options(odoo_options *o, odoo_protocol_kind kind)
{
    if (kind == ODOO_PROTOCOL_ODXPROXY) {
        o->proxy_url = odoo_mock_url(mock); /* the mock is its own gateway */
        o->proxy_api_key = ODOO_MOCK_PROXY_KEY;
        o->user_id = ODOO_MOCK_ADMIN_UID;
    }
    o->url = odoo_mock_url(mock);
    o->db = odoo_mock_db(mock);
    o->login = ODOO_MOCK_ADMIN_LOGIN;
    o->password = ODOO_MOCK_ADMIN_PASSWORD;
    o->api_key = ODOO_MOCK_ADMIN_API_KEY;
}

static odoo_protocol *open_kind(odoo_protocol_kind kind)
{
    odoo_options o = ODOO_OPTIONS_INIT;
    options(&o, kind);
    odoo_protocol *p = NULL;
    cr_assert_eq(odoo_connect(&p, kind, &o, &err), 0, "%s: %s", odoo_protocol_kind_name(kind), err.message);
    return p;
}

static long long count_named(odoo_protocol *p, const char *name)
{
    char text[160];
    snprintf(text, sizeof(text), "[[\"name\", \"=\", \"%s\"]]", name);
    json_object *domain = json_parse(text);
    int64_t n = -1;
    cr_assert_eq(odoo_search_count(&n, p, "res.partner", &(odoo_search_options){ .version = ODOO_SEARCH_OPTIONS_VERSION, .domain = domain }, &err), 0, "%s", err.message);
    json_object_put(domain);
    return n;
}

/* Every helper and raw call with out == NULL: runs, returns 0; create
 * and the raw create really create; an error is still reported. */
static void null_out_on(odoo_protocol_kind kind)
{
    const char *name = odoo_protocol_kind_name(kind);
    odoo_protocol *p = open_kind(kind);
    json_object *domain = json_parse("[[\"is_company\", \"=\", true]]");
    json_object *ids = json_parse("[10, 11]");
    const char *fields[] = { "name", NULL };

#define OK(call) cr_expect_eq((call), 0, "%s: %s: %s", name, #call, err.message)
    OK(odoo_search(NULL, p, "res.partner", &(odoo_search_options){ .version = ODOO_SEARCH_OPTIONS_VERSION, .domain = domain, .limit = 3 }, &err));
    OK(odoo_search_read(NULL, p, "res.partner", &(odoo_search_options){ .version = ODOO_SEARCH_OPTIONS_VERSION, .domain = domain, .fields = fields, .limit = 3 }, &err));
    OK(odoo_search_count(NULL, p, "res.partner", &(odoo_search_options){ .version = ODOO_SEARCH_OPTIONS_VERSION, .domain = domain }, &err));
    OK(odoo_read(NULL, p, "res.partner", ids, fields, NULL, &err));
    OK(odoo_fields_get(NULL, p, "res.partner", fields, NULL, NULL, &err));
    OK(odoo_name_search(NULL, p, "res.partner", "Az", NULL, NULL, 5, NULL, &err));
    OK(odoo_name_search(NULL, p, "res.partner", "Az", domain, NULL, 5, NULL, &err));
    OK(odoo_version_info(NULL, p, &err));
    OK(odoo_authenticate(NULL, p, &err));

    char one[64], many[64], raw[64];
    snprintf(one, sizeof(one), "null-out one %s", name);
    snprintf(many, sizeof(many), "null-out many %s", name);
    snprintf(raw, sizeof(raw), "null-out raw %s", name);
    json_object *vals = json_object_new_object();
    json_object_object_add(vals, "name", json_object_new_string(one));
    OK(odoo_create(NULL, p, "res.partner", vals, NULL, &err));
    cr_expect_eq(count_named(p, one), 1, "%s: create(out=NULL) created the record once", name);
    json_object *list = json_object_new_array(), *v2 = json_object_new_object();
    json_object_object_add(v2, "name", json_object_new_string(many));
    json_object_array_add(list, v2);
    OK(odoo_create(NULL, p, "res.partner", list, NULL, &err));
    cr_expect_eq(count_named(p, many), 1, "%s", name);

    json_object *args = json_object_new_array(), *v3 = json_object_new_object();
    json_object_object_add(v3, "name", json_object_new_string(raw));
    json_object_array_add(args, v3);
    OK(odoo_execute_kw(NULL, p, "res.partner", "create", args, NULL, NULL, &err));
    cr_expect_eq(count_named(p, raw), 1, "%s: execute_kw(out=NULL) ran", name);
    OK(odoo_call(NULL, p, "res.partner", "read", ids, NULL, NULL, NULL, &err));

    /* The error of a call whose result is discarded still comes back. */
    int rc = odoo_read(NULL, p, "no.such.model", ids, fields, NULL, &err);
    cr_expect_eq(rc, ODOO_ERR_NOT_FOUND, "%s: %s", name, odoo_error_kind_name((odoo_error_kind)rc));
    cr_expect_eq(err.kind, rc, "%s", name);
    rc = odoo_execute_kw(NULL, p, "res.partner", "no_such_method", NULL, NULL, NULL, &err);
    cr_expect_neq(rc, 0, "%s", name);
    cr_expect_eq(err.kind, rc, "%s", name);
#undef OK

    if (kind == ODOO_PROTOCOL_ODXPROXY) {
        cr_expect_eq(odoo_odxproxy_about(NULL, p, &err), 0, "%s", err.message);
        cr_expect_eq(odoo_odxproxy_license(NULL, p, &err), 0, "%s", err.message);
        cr_expect_eq(odoo_odxproxy_metrics(NULL, p, &err), 0, "%s", err.message);
        cr_expect_eq(odoo_odxproxy_odoo_version(NULL, p, 1, &err), 0, "%s", err.message);
    }

    json_object_put(vals);
    json_object_put(list);
    json_object_put(args);
    json_object_put(ids);
    json_object_put(domain);
    odoo_close(p);
}

Test(null_args, out_null_discards_xmlrpc, .timeout = 30) { start(); null_out_on(ODOO_PROTOCOL_XMLRPC); stop(); }
Test(null_args, out_null_discards_jsonrpc, .timeout = 30) { start(); null_out_on(ODOO_PROTOCOL_JSONRPC); stop(); }
Test(null_args, out_null_discards_jsonrpc_stateless, .timeout = 30)
{
    start();
    null_out_on(ODOO_PROTOCOL_JSONRPC_STATELESS);
    stop();
}
Test(null_args, out_null_discards_json2, .timeout = 30) { start(); null_out_on(ODOO_PROTOCOL_JSON2); stop(); }
Test(null_args, out_null_discards_odxproxy, .timeout = 30) { start(); null_out_on(ODOO_PROTOCOL_ODXPROXY); stop(); }

/* Connecting and probing with out == NULL still runs (and reports). */
Test(null_args, out_null_connect_and_probe, .timeout = 30)
{
    start();
    odoo_options o = ODOO_OPTIONS_INIT;
    options(&o, ODOO_PROTOCOL_JSON2);
    cr_expect_eq(odoo_connect(NULL, ODOO_PROTOCOL_JSON2, &o, &err), 0, "%s", err.message);
    cr_expect_eq(odoo_connect(NULL, ODOO_PROTOCOL_AUTO, &o, &err), 0, "%s", err.message);
    cr_expect_eq(odoo_probe(NULL, &o, &err), 0, "%s", err.message);
    odoo_options bad = ODOO_OPTIONS_INIT;
    cr_expect_eq(odoo_connect(NULL, ODOO_PROTOCOL_XMLRPC, &bad, &err), ODOO_ERR_INVALID_ARGUMENT);
    cr_expect(err.message && strstr(err.message, "URL"), "%s", err.message);
    stop();
}

/* Every public function with NULL where a pointer goes, no server needed:
 * each returns its documented answer instead of crashing. */
typedef struct {
    const char *what;
    int (*run)(odoo_rpc_error *e);
    int expect;
    int no_err;   /* the function takes no odoo_rpc_error */
} null_case;

static json_object *arr(void)
{
    static json_object *a;
    if (!a)
        a = json_object_new_array();
    return a;
}

static json_object *obj(void)
{
    static json_object *o;
    if (!o)
        o = json_object_new_object();
    return o;
}

static int c_kind_null_out(odoo_rpc_error *e) { (void)e; return odoo_protocol_kind_from_name(NULL, "json2"); }
static int c_kind_null_out_bad(odoo_rpc_error *e) { (void)e; return odoo_protocol_kind_from_name(NULL, "nope"); }
static int c_kind_null_name(odoo_rpc_error *e)
{
    (void)e;
    odoo_protocol_kind k;
    return odoo_protocol_kind_from_name(&k, NULL);
}
static int c_options_init(odoo_rpc_error *e) { (void)e; return odoo_options_init(NULL, ODOO_OPTIONS_VERSION); }
static int c_connect_null_opts(odoo_rpc_error *e)
{
    odoo_protocol *p = (odoo_protocol *)1;
    int rc = odoo_connect(&p, ODOO_PROTOCOL_JSON2, NULL, e);
    cr_expect_null(p);
    return rc;
}
static int c_connect_auto_null_opts(odoo_rpc_error *e)
{
    odoo_protocol *p = NULL;
    return odoo_connect(&p, ODOO_PROTOCOL_AUTO, NULL, e);
}
static int c_connect_null_both(odoo_rpc_error *e) { return odoo_connect(NULL, ODOO_PROTOCOL_XMLRPC, NULL, e); }
static int c_open_null_ops(odoo_rpc_error *e)
{
    odoo_protocol *p = NULL;
    odoo_options o = ODOO_OPTIONS_INIT;
    o.url = "http://127.0.0.1:9";
    return odoo_open(&p, NULL, &o, e);
}
static int c_probe_null_opts(odoo_rpc_error *e)
{
    json_object *out = NULL;
    return odoo_probe(&out, NULL, e);
}
static int c_probe_null_all(odoo_rpc_error *e) { return odoo_probe(NULL, NULL, e); }
static int c_authenticate(odoo_rpc_error *e) { return odoo_authenticate(NULL, NULL, e); }
static int c_execute_kw(odoo_rpc_error *e)
{
    json_object *out = NULL;
    return odoo_execute_kw(&out, NULL, "res.partner", "search", NULL, NULL, NULL, e);
}
static int c_execute_kw_out(odoo_rpc_error *e) { return odoo_execute_kw(NULL, NULL, "res.partner", "search", NULL, NULL, NULL, e); }
static int c_call(odoo_rpc_error *e) { return odoo_call(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, e); }
static int c_version_info(odoo_rpc_error *e)
{
    json_object *out = NULL;
    return odoo_version_info(&out, NULL, e);
}
static int c_version_info_out(odoo_rpc_error *e) { return odoo_version_info(NULL, NULL, e); }
static int c_search(odoo_rpc_error *e) { return odoo_search(NULL, NULL, "res.partner", NULL, e); }
static int c_search_read(odoo_rpc_error *e)
{
    return odoo_search_read(NULL, NULL, NULL, NULL, e);
}
static int c_search_count(odoo_rpc_error *e) { return odoo_search_count(NULL, NULL, NULL, NULL, e); }
static int c_read(odoo_rpc_error *e) { return odoo_read(NULL, NULL, "res.partner", arr(), NULL, NULL, e); }
static int c_read_null_ids(odoo_rpc_error *e) { return odoo_read(NULL, NULL, "res.partner", NULL, NULL, NULL, e); }
static int c_create(odoo_rpc_error *e) { return odoo_create(NULL, NULL, "res.partner", obj(), NULL, e); }
static int c_create_null_vals(odoo_rpc_error *e) { return odoo_create(NULL, NULL, NULL, NULL, NULL, e); }
static int c_write(odoo_rpc_error *e) { return odoo_write(NULL, "res.partner", arr(), obj(), NULL, e); }
static int c_write_nulls(odoo_rpc_error *e) { return odoo_write(NULL, NULL, NULL, NULL, NULL, e); }
static int c_unlink(odoo_rpc_error *e) { return odoo_unlink(NULL, "res.partner", arr(), NULL, e); }
static int c_unlink_nulls(odoo_rpc_error *e) { return odoo_unlink(NULL, NULL, NULL, NULL, e); }
static int c_fields_get(odoo_rpc_error *e) { return odoo_fields_get(NULL, NULL, NULL, NULL, NULL, NULL, e); }
static int c_name_search(odoo_rpc_error *e) { return odoo_name_search(NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, e); }
static int c_name_search_domain(odoo_rpc_error *e)
{
    json_object *d = json_parse("[[\"id\", \">\", 0]]");
    int rc = odoo_name_search(NULL, NULL, "res.partner", NULL, d, NULL, 0, NULL, e);
    json_object_put(d);
    return rc;
}
static int record_cb(json_object *r, void *payload) { (void)r; (void)payload; return 0; }
static int c_each(odoo_rpc_error *e) { return odoo_search_read_each(NULL, NULL, NULL, record_cb, NULL, e); }
static int c_each_no_cb(odoo_rpc_error *e) { return odoo_search_read_each(NULL, "res.partner", NULL, NULL, NULL, e); }
static int c_odx_about(odoo_rpc_error *e) { return odoo_odxproxy_about(NULL, NULL, e); }
static int c_odx_license(odoo_rpc_error *e)
{
    json_object *out = NULL;
    return odoo_odxproxy_license(&out, NULL, e);
}
static int c_odx_metrics(odoo_rpc_error *e) { return odoo_odxproxy_metrics(NULL, NULL, e); }
static int c_odx_version(odoo_rpc_error *e) { return odoo_odxproxy_odoo_version(NULL, NULL, 2, e); }
static int c_odx_api(odoo_rpc_error *e) { return odoo_odxproxy_api(NULL, e); }
static int c_accessors(odoo_rpc_error *e)
{
    (void)e;
    odoo_close(NULL);
    odoo_rpc_error_clear(NULL);
    odoo_protocol_learn_version(NULL, obj());
    cr_expect_str_eq(odoo_protocol_name(NULL), "");
    cr_expect_str_eq(odoo_protocol_reason(NULL), "");
    cr_expect_eq(odoo_protocol_kind_of(NULL), ODOO_PROTOCOL_AUTO);
    cr_expect_eq(odoo_uid(NULL), 0);
    cr_expect_eq(odoo_server_version(NULL), 0);
    cr_expect_eq(odoo_error_kind_for_class(NULL, NULL), ODOO_ERR_SERVER);
    cr_expect_null(odoo_ids_new(NULL, 3), "NULL ids with n > 0");
    json_object *empty = odoo_ids_new(NULL, 0);
    cr_expect(json_object_is_type(empty, json_type_array) && json_object_array_length(empty) == 0);
    json_object_put(empty);
    return 0;
}

static const null_case cases[] = {
    { "odoo_protocol_kind_from_name(NULL, \"json2\")", c_kind_null_out, 0 },
    { "odoo_protocol_kind_from_name(NULL, \"nope\")", c_kind_null_out_bad, ODOO_ERR_INVALID_ARGUMENT, 1 },
    { "odoo_protocol_kind_from_name(&k, NULL)", c_kind_null_name, ODOO_ERR_INVALID_ARGUMENT, 1 },
    { "odoo_options_init(NULL)", c_options_init, ODOO_ERR_INVALID_ARGUMENT, 1 },
    { "odoo_connect(&p, json2, NULL opts)", c_connect_null_opts, ODOO_ERR_INVALID_ARGUMENT },
    { "odoo_connect(&p, auto, NULL opts)", c_connect_auto_null_opts, ODOO_ERR_INVALID_ARGUMENT },
    { "odoo_connect(NULL, xmlrpc, NULL)", c_connect_null_both, ODOO_ERR_INVALID_ARGUMENT },
    { "odoo_open(&p, NULL ops)", c_open_null_ops, ODOO_ERR_INVALID_ARGUMENT },
    { "odoo_probe(&out, NULL)", c_probe_null_opts, ODOO_ERR_INVALID_ARGUMENT },
    { "odoo_probe(NULL, NULL)", c_probe_null_all, ODOO_ERR_INVALID_ARGUMENT },
    { "odoo_authenticate(NULL, NULL)", c_authenticate, ODOO_ERR_INVALID_ARGUMENT },
    { "odoo_execute_kw(&out, NULL p)", c_execute_kw, ODOO_ERR_INVALID_ARGUMENT },
    { "odoo_execute_kw(NULL, NULL p)", c_execute_kw_out, ODOO_ERR_INVALID_ARGUMENT },
    { "odoo_call(all NULL)", c_call, ODOO_ERR_INVALID_ARGUMENT },
    { "odoo_version_info(&out, NULL)", c_version_info, ODOO_ERR_INVALID_ARGUMENT },
    { "odoo_version_info(NULL, NULL)", c_version_info_out, ODOO_ERR_INVALID_ARGUMENT },
    { "odoo_search(NULL p)", c_search, ODOO_ERR_INVALID_ARGUMENT },
    { "odoo_search_read(NULL p, NULL model)", c_search_read, ODOO_ERR_INVALID_ARGUMENT },
    { "odoo_search_count(all NULL)", c_search_count, ODOO_ERR_INVALID_ARGUMENT },
    { "odoo_read(NULL p)", c_read, ODOO_ERR_INVALID_ARGUMENT },
    { "odoo_read(NULL ids)", c_read_null_ids, ODOO_ERR_INVALID_ARGUMENT },
    { "odoo_create(NULL p)", c_create, ODOO_ERR_INVALID_ARGUMENT },
    { "odoo_create(NULL vals)", c_create_null_vals, ODOO_ERR_INVALID_ARGUMENT },
    { "odoo_write(NULL p)", c_write, ODOO_ERR_INVALID_ARGUMENT },
    { "odoo_write(all NULL)", c_write_nulls, ODOO_ERR_INVALID_ARGUMENT },
    { "odoo_unlink(NULL p)", c_unlink, ODOO_ERR_INVALID_ARGUMENT },
    { "odoo_unlink(all NULL)", c_unlink_nulls, ODOO_ERR_INVALID_ARGUMENT },
    { "odoo_fields_get(all NULL)", c_fields_get, ODOO_ERR_INVALID_ARGUMENT },
    { "odoo_name_search(all NULL)", c_name_search, ODOO_ERR_INVALID_ARGUMENT },
    { "odoo_name_search(NULL p, a domain)", c_name_search_domain, ODOO_ERR_INVALID_ARGUMENT },
    { "odoo_search_read_each(NULL p)", c_each, ODOO_ERR_INVALID_ARGUMENT },
    { "odoo_search_read_each(NULL cb)", c_each_no_cb, ODOO_ERR_INVALID_ARGUMENT },
    { "odoo_odxproxy_about(NULL, NULL)", c_odx_about, ODOO_ERR_INVALID_ARGUMENT },
    { "odoo_odxproxy_license(&out, NULL)", c_odx_license, ODOO_ERR_INVALID_ARGUMENT },
    { "odoo_odxproxy_metrics(NULL, NULL)", c_odx_metrics, ODOO_ERR_INVALID_ARGUMENT },
    { "odoo_odxproxy_odoo_version(NULL, NULL)", c_odx_version, ODOO_ERR_INVALID_ARGUMENT },
    { "odoo_odxproxy_api(NULL)", c_odx_api, ODOO_ERR_INVALID_ARGUMENT },
    { "accessors of a NULL connection", c_accessors, 0 },
};

Test(null_args, every_public_function_with_null_pointers)
{
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        odoo_rpc_error e = ODOO_RPC_ERROR_INIT;
        int rc = cases[i].run(&e);
        cr_expect_eq(rc, cases[i].expect, "%s: %d (%s), expected %d", cases[i].what, rc,
                     e.message ? e.message : "", cases[i].expect);
        if (rc < 0 && !cases[i].no_err)
            cr_expect_eq(e.kind, rc, "%s fills err", cases[i].what);
        odoo_rpc_error_clear(&e);
        /* and with err == NULL too */
        cr_expect_eq(cases[i].run(NULL), cases[i].expect, "%s (err NULL)", cases[i].what);
    }
    json_object_put(arr());
    json_object_put(obj());
}
