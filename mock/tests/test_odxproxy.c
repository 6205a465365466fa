/* odoo-mock tests — the ODXProxy gateway routes: v1 and v2 execute,
 * version, ops endpoints, every gateway error code, Odoo errors passed
 * through, the proxy faults, and that the calls really act on the mock's
 * models (read back over /jsonrpc and JSON-2). */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "test_support.h"

static odoo_mock *M;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------------ */
/* helpers */

typedef struct gw_resp {
    int status;
    char ctype[128];
    char server[128];
    char *text;       /* raw body */
    json_object *doc; /* parsed body or NULL */
    double secs;
} gw_resp;

static void gw_free(gw_resp *g)
{
    free(g->text);
    json_object_put(g->doc);
    memset(g, 0, sizeof *g);
}

/* POST body to path with "x-api-key: key" (none if NULL), the given
 * content type (none if NULL) and one extra header line (or NULL). */
static int gw_send(odoo_mock *m, const char *method, const char *path, const char *key, const char *ctype,
                   const char *extra, const char *body, gw_resp *g)
{
    char kh[256], ch[256];
    const char *hdrs[4];
    int n = 0;
    memset(g, 0, sizeof *g);
    if (key) {
        snprintf(kh, sizeof kh, "x-api-key: %s", key);
        hdrs[n++] = kh;
    }
    if (ctype) {
        snprintf(ch, sizeof ch, "Content-Type: %s", ctype);
        hdrs[n++] = ch;
    }
    if (extra)
        hdrs[n++] = extra;
    hdrs[n] = NULL;
    http_response r;
    double t0 = now();
    http_do(odoo_mock_port(m), method, path, hdrs, body, &r);
    g->secs = now() - t0;
    g->status = r.status;
    const char *ct = http_get_header(&r, "Content-Type");
    snprintf(g->ctype, sizeof g->ctype, "%s", ct ? ct : "");
    const char *sv = http_get_header(&r, "Server");
    snprintf(g->server, sizeof g->server, "%s", sv ? sv : "");
    g->text = strndup(r.body ? r.body : "", r.body_len);
    g->doc = json_tokener_parse(g->text);
    http_response_free(&r);
    return g->status;
}

static int gw_post(const char *path, const char *body, gw_resp *g)
{
    return gw_send(M, "POST", path, odoo_mock_proxy_key(M), "application/json", NULL, body, g);
}

static int gw_post_h(const char *path, const char *extra, const char *body, gw_resp *g)
{
    return gw_send(M, "POST", path, odoo_mock_proxy_key(M), "application/json", extra, body, g);
}

/* v1 body. id_json is raw JSON; fn_name/params/keyword NULL = omitted. */
static char *v1_body_at(const char *url, const char *id_json, const char *action, const char *model,
                        const char *fn_name, const char *params, const char *keyword, int uid, const char *key)
{
    char *fn = NULL, *pa = NULL, *kw = NULL, *out = NULL;
    cr_assert(asprintf(&fn, fn_name ? ", \"fn_name\": \"%s\"" : "%s", fn_name ? fn_name : "") >= 0);
    cr_assert(asprintf(&pa, params ? ", \"params\": %s" : "%s", params ? params : "") >= 0);
    cr_assert(asprintf(&kw, keyword ? ", \"keyword\": %s" : "%s", keyword ? keyword : "") >= 0);
    cr_assert(asprintf(&out,
                       "{\"id\": %s, \"action\": \"%s\", \"model_id\": \"%s\"%s%s%s, \"odoo_instance\": "
                       "{\"url\": \"%s\", \"db\": \"%s\", \"user_id\": %d, \"api_key\": \"%s\"}}",
                       id_json, action, model, fn, pa, kw, url, odoo_mock_db(M), uid, key) >= 0);
    free(fn);
    free(pa);
    free(kw);
    return out;
}

static char *v1_body(const char *id_json, const char *action, const char *model, const char *fn_name,
                     const char *params, const char *keyword)
{
    return v1_body_at(odoo_mock_url(M), id_json, action, model, fn_name, params, keyword, ODOO_MOCK_ADMIN_UID,
                      ODOO_MOCK_ADMIN_API_KEY);
}

/* One v1 call as admin; returns the status. */
static int v1(const char *id_json, const char *action, const char *model, const char *fn_name, const char *params,
              const char *keyword, gw_resp *g)
{
    char *b = v1_body(id_json, action, model, fn_name, params, keyword);
    int st = gw_post("/api/odoo/execute", b, g);
    free(b);
    return st;
}

static char *v2_body_at(const char *url, const char *db, const char *id_json, const char *model,
                        const char *method, const char *kwargs, const char *key)
{
    char *out = NULL;
    cr_assert(asprintf(&out,
                       "{\"id\": %s, \"model_id\": \"%s\", \"method\": \"%s\", \"kwargs\": %s, "
                       "\"odoo_instance\": {\"url\": \"%s\", \"db\": \"%s\", \"api_key\": \"%s\"}}",
                       id_json, model, method, kwargs ? kwargs : "{}", url, db, key) >= 0);
    return out;
}

static int v2_as(const char *key, const char *id_json, const char *model, const char *method, const char *kwargs,
                 gw_resp *g)
{
    char *b = v2_body_at(odoo_mock_url(M), odoo_mock_db(M), id_json, model, method, kwargs, key);
    int st = gw_post("/v2/odoo/execute", b, g);
    free(b);
    return st;
}

static int v2(const char *id_json, const char *model, const char *method, const char *kwargs, gw_resp *g)
{
    return v2_as(ODOO_MOCK_ADMIN_API_KEY, id_json, model, method, kwargs, g);
}

static json_object *member(json_object *o, const char *key)
{
    json_object *v = NULL;
    json_object_object_get_ex(o, key, &v);
    return v;
}

/* The envelope's id equals id_json (parsed), or null when id_json is NULL. */
static void expect_id(const gw_resp *g, const char *id_json)
{
    json_object *id = NULL;
    cr_assert(json_object_object_get_ex(g->doc, "id", &id), "no id member: %s", g->text);
    if (!id_json) {
        cr_expect_null(id, "id should be null: %s", g->text);
        return;
    }
    json_object *want = json_tokener_parse(id_json);
    cr_expect(json_object_equal(id, want), "id %s, want %s", json_object_to_json_string(id), id_json);
    json_object_put(want);
}

static void expect_keys(json_object *o, const char *const *keys, size_t n, const char *what)
{
    cr_assert_eq(json_object_get_type(o), json_type_object, "%s is not an object", what);
    cr_expect_eq((size_t)json_object_object_length(o), n, "%s: %s", what, json_object_to_json_string(o));
    size_t i = 0;
    json_object_object_foreach(o, key, val)
    {
        (void)val;
        if (i < n)
            cr_expect_str_eq(key, keys[i], "%s: key %zu", what, i);
        i++;
    }
}

/* A success envelope {"jsonrpc", "id", "result"}: returns result. */
static json_object *expect_result(const gw_resp *g, const char *id_json)
{
    cr_assert_eq(g->status, 200, "status %d: %s", g->status, g->text);
    cr_expect_str_eq(g->ctype, "application/json");
    cr_assert_not_null(g->doc, "not JSON: %s", g->text);
    static const char *const keys[] = {"jsonrpc", "id", "result"};
    expect_keys(g->doc, keys, 3, "envelope");
    cr_expect_str_eq(json_object_get_string(member(g->doc, "jsonrpc")), "2.0");
    expect_id(g, id_json);
    return member(g->doc, "result");
}

/* An error envelope with this status and code: returns the error. */
static json_object *expect_error(const gw_resp *g, int status, const char *id_json, int code)
{
    cr_assert_eq(g->status, status, "status %d (want %d): %s", g->status, status, g->text);
    cr_expect_str_eq(g->ctype, "application/json");
    cr_assert_not_null(g->doc, "not JSON: %s", g->text);
    static const char *const keys[] = {"jsonrpc", "id", "error"};
    expect_keys(g->doc, keys, 3, "envelope");
    cr_expect_str_eq(json_object_get_string(member(g->doc, "jsonrpc")), "2.0");
    expect_id(g, id_json);
    json_object *e = member(g->doc, "error");
    static const char *const ekeys[] = {"code", "message", "data"};
    expect_keys(e, ekeys, 3, "error");
    cr_expect_eq(json_object_get_type(member(e, "code")), json_type_int);
    cr_expect_eq(json_object_get_int(member(e, "code")), code, "code %d (want %d): %s",
                 json_object_get_int(member(e, "code")), code, g->text);
    cr_expect_eq(json_object_get_type(member(e, "message")), json_type_string);
    cr_expect_gt(strlen(json_object_get_string(member(e, "message"))), 0);
    return e;
}

/* A gateway error: data is null. */
static void expect_gw_error(const gw_resp *g, int status, const char *id_json, int code)
{
    json_object *e = expect_error(g, status, id_json, code);
    json_object *d = NULL;
    cr_expect(json_object_object_get_ex(e, "data", &d) && d == NULL, "gateway errors carry data null: %s", g->text);
}

/* An Odoo error passed through on 200: returns data (Odoo's exception). */
static json_object *expect_odoo_error(const gw_resp *g, const char *id_json, int code, const char *name)
{
    json_object *e = expect_error(g, 200, id_json, code);
    json_object *d = member(e, "data");
    cr_assert_not_null(d, "%s", g->text);
    cr_expect_str_eq(json_object_get_string(member(d, "name")), name, "%s", g->text);
    return d;
}

static void expect_axum_text(const gw_resp *g, int status, const char *prefix)
{
    cr_expect_eq(g->status, status, "status %d (want %d): %s", g->status, status, g->text);
    cr_expect_str_eq(g->ctype, "text/plain; charset=utf-8");
    cr_expect(!strncmp(g->text, prefix, strlen(prefix)), "body: %s", g->text);
}

/* execute_kw over the mock's own /jsonrpc, as admin: the result (new ref) */
static json_object *jsonrpc_result(const char *model, const char *method, const char *args, const char *kwargs)
{
    json_object *env = ts_execute(M, ODOO_MOCK_ADMIN_UID, ODOO_MOCK_ADMIN_PASSWORD, model, method, args, kwargs);
    cr_assert_not_null(env);
    json_object *res = json_object_get(ts_result(env));
    cr_assert(res || json_object_object_get_ex(env, "result", NULL), "/jsonrpc failed: %s",
              json_object_to_json_string(env));
    json_object_put(env);
    return res;
}

static long metric_value(const char *text, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
        if (!strncmp(p, name, n) && p[n] == ' ')
            return strtol(p + n + 1, NULL, 10);
    }
    return -1;
}

static long metric(const char *name)
{
    gw_resp g;
    gw_send(M, "GET", "/_/metrics", NULL, NULL, NULL, NULL, &g);
    long v = metric_value(g.text, name);
    gw_free(&g);
    return v;
}

/* ------------------------------------------------------------------ */

static void start19(void)
{
    M = ts_start(19, 30);
    cr_assert_not_null(M);
}

static void start18(void)
{
    M = ts_start(18, 30);
    cr_assert_not_null(M);
}

static void stop(void)
{
    odoo_mock_stop(M);
}

TestSuite(odxproxy, .init = start19, .fini = stop, .timeout = 60);
TestSuite(odxproxy18, .init = start18, .fini = stop, .timeout = 60);

/* ---- v1: results equal /jsonrpc's ---- */

Test(odxproxy, v1_search_read_is_execute_kw)
{
    gw_resp g;
    v1("\"req-1\"", "search_read", "res.partner", NULL, "[[[\"is_company\", \"=\", true]]]",
       "{\"fields\": [\"name\", \"country_id\"], \"limit\": 5, \"order\": \"name\"}", &g);
    json_object *res = expect_result(&g, "\"req-1\"");
    cr_expect_str_eq(g.server, "odoo-mock (ODXProxy gateway)");
    json_object *want = jsonrpc_result("res.partner", "search_read", "[[[\"is_company\", \"=\", true]]]",
                                       "{\"fields\": [\"name\", \"country_id\"], \"limit\": 5, \"order\": \"name\"}");
    cr_expect_eq(json_object_array_length(res), 5);
    cr_expect(json_object_equal(res, want), "%s\nvs\n%s", json_object_to_json_string(res),
              json_object_to_json_string(want));
    /* compact JSON like serde_json */
    cr_expect(strstr(g.text, "\"jsonrpc\":\"2.0\",\"id\":\"req-1\",\"result\":[{") == g.text + 1, "%s", g.text);
    json_object_put(want);
    gw_free(&g);
}

Test(odxproxy, v1_search_count_read_fields_get)
{
    gw_resp g;
    v1("\"c\"", "search_count", "res.partner", NULL, "[[]]", "{}", &g);
    json_object *want = jsonrpc_result("res.partner", "search_count", "[[]]", NULL);
    cr_expect(json_object_equal(expect_result(&g, "\"c\""), want));
    json_object_put(want);
    gw_free(&g);

    v1("\"s\"", "search", "res.partner", NULL, "[[[\"is_company\", \"=\", true]]]", "{\"limit\": 3}", &g);
    json_object *ids = expect_result(&g, "\"s\"");
    cr_assert_eq(json_object_array_length(ids), 3);
    want = jsonrpc_result("res.partner", "search", "[[[\"is_company\", \"=\", true]]]", "{\"limit\": 3}");
    cr_expect(json_object_equal(ids, want));
    json_object_put(want);
    char *params = NULL;
    cr_assert(asprintf(&params, "[%s, [\"name\", \"is_company\"]]", json_object_to_json_string(ids)) >= 0);
    gw_resp r;
    v1("\"r\"", "read", "res.partner", NULL, params, "{}", &r);
    json_object *recs = expect_result(&r, "\"r\"");
    want = jsonrpc_result("res.partner", "read", params, NULL);
    cr_expect(json_object_equal(recs, want));
    cr_expect(json_object_get_boolean(member(json_object_array_get_idx(recs, 0), "is_company")));
    json_object_put(want);
    free(params);
    gw_free(&r);
    gw_free(&g);

    /* fields_get with params [] (what every SDK sends) */
    v1("\"f\"", "fields_get", "res.partner", NULL, "[]", "{\"attributes\": [\"type\", \"string\"]}", &g);
    json_object *fields = expect_result(&g, "\"f\"");
    cr_expect_str_eq(json_object_get_string(member(member(fields, "name"), "type")), "char");
    cr_expect_str_eq(json_object_get_string(member(member(fields, "country_id"), "type")), "many2one");
    gw_free(&g);

    /* params and keyword may be omitted or null */
    v1("\"n\"", "fields_get", "res.country", NULL, NULL, NULL, &g);
    cr_expect_not_null(member(expect_result(&g, "\"n\""), "code"));
    gw_free(&g);
    v1("\"n2\"", "search_count", "res.country", NULL, "[[[\"code\", \"=\", \"BE\"]]]", "null", &g);
    cr_expect_eq(json_object_get_int(expect_result(&g, "\"n2\"")), 1);
    gw_free(&g);
}

Test(odxproxy, v1_create_write_unlink_act_on_the_models)
{
    gw_resp g;
    /* create */
    v1("\"new\"", "create", "res.partner", NULL, "[{\"name\": \"Gateway Partner\", \"email\": \"gw@example.com\"}]",
       "{}", &g);
    json_object *idv = expect_result(&g, "\"new\"");
    cr_assert_eq(json_object_get_type(idv), json_type_int, "%s", g.text);
    int id = json_object_get_int(idv);
    gw_free(&g);
    char args[128];
    snprintf(args, sizeof args, "[[%d], [\"name\", \"email\"]]", id);
    json_object *rec = jsonrpc_result("res.partner", "read", args, NULL);
    cr_assert_eq(json_object_array_length(rec), 1);
    cr_expect_str_eq(json_object_get_string(member(json_object_array_get_idx(rec, 0), "name")), "Gateway Partner");
    json_object_put(rec);
    /* visible over JSON-2 too */
    char params[128];
    snprintf(params, sizeof params, "{\"ids\": [%d], \"fields\": [\"email\"]}", id);
    int st;
    json_object *j2 = ts_json2(M, ODOO_MOCK_ADMIN_API_KEY, "res.partner", "read", params, &st);
    cr_expect_eq(st, 200);
    cr_expect_str_eq(json_object_get_string(member(json_object_array_get_idx(j2, 0), "email")), "gw@example.com");
    json_object_put(j2);

    /* write */
    char wparams[128];
    snprintf(wparams, sizeof wparams, "[[%d], {\"name\": \"Renamed by the gateway\"}]", id);
    v1("\"w\"", "write", "res.partner", NULL, wparams, "{}", &g);
    cr_expect(json_object_get_boolean(expect_result(&g, "\"w\"")));
    gw_free(&g);
    rec = jsonrpc_result("res.partner", "read", args, NULL);
    cr_expect_str_eq(json_object_get_string(member(json_object_array_get_idx(rec, 0), "name")),
                     "Renamed by the gateway");
    json_object_put(rec);

    /* search_read through the gateway finds it */
    v1("\"sr\"", "search_read", "res.partner", NULL, "[[[\"name\", \"=\", \"Renamed by the gateway\"]]]",
       "{\"fields\": [\"id\"]}", &g);
    json_object *found = expect_result(&g, "\"sr\"");
    cr_assert_eq(json_object_array_length(found), 1);
    cr_expect_eq(json_object_get_int(member(json_object_array_get_idx(found, 0), "id")), id);
    gw_free(&g);

    /* unlink */
    char uparams[64];
    snprintf(uparams, sizeof uparams, "[[%d]]", id);
    v1("\"u\"", "unlink", "res.partner", NULL, uparams, "{}", &g);
    cr_expect(json_object_get_boolean(expect_result(&g, "\"u\"")));
    gw_free(&g);
    char dom[96];
    snprintf(dom, sizeof dom, "[[[\"id\", \"=\", %d]]]", id);
    json_object *n = jsonrpc_result("res.partner", "search_count", dom, "{\"context\": {\"active_test\": false}}");
    cr_expect_eq(json_object_get_int(n), 0);
    json_object_put(n);
    /* and unlinking again is Odoo's MissingError, passed through */
    v1("\"u2\"", "unlink", "res.partner", NULL, uparams, "{}", &g);
    expect_odoo_error(&g, "\"u2\"", 0, "odoo.exceptions.MissingError");
    gw_free(&g);
}

Test(odxproxy, v1_create_with_a_list_and_context)
{
    gw_resp g;
    v1("\"l\"", "create", "res.partner", NULL, "[[{\"name\": \"GW A\"}, {\"name\": \"GW B\"}]]",
       "{\"context\": {\"lang\": \"en_US\"}}", &g);
    json_object *ids = expect_result(&g, "\"l\"");
    cr_assert_eq(json_object_get_type(ids), json_type_array, "%s", g.text);
    cr_expect_eq(json_object_array_length(ids), 2);
    gw_free(&g);
    /* an invalid lang in the context is Odoo's UserError */
    v1("\"l2\"", "search_count", "res.partner", NULL, "[[]]", "{\"context\": {\"lang\": \"xx_XX\"}}", &g);
    expect_odoo_error(&g, "\"l2\"", 0, "odoo.exceptions.UserError");
    gw_free(&g);
}

Test(odxproxy, v1_call_method)
{
    gw_resp g;
    v1("\"cm\"", "call_method", "res.users", "context_get", "[]", "{}", &g);
    json_object *ctx = expect_result(&g, "\"cm\"");
    cr_expect_eq(json_object_get_int(member(ctx, "uid")), ODOO_MOCK_ADMIN_UID, "%s", g.text);
    gw_free(&g);
    v1("\"ns\"", "call_method", "res.country", "name_search", "[\"Belg\"]", "{\"limit\": 5}", &g);
    json_object *res = expect_result(&g, "\"ns\"");
    json_object *want = jsonrpc_result("res.country", "name_search", "[\"Belg\"]", "{\"limit\": 5}");
    cr_expect(json_object_equal(res, want), "%s", g.text);
    json_object_put(want);
    gw_free(&g);
    /* a method returning None: "result": null (never omitted) */
    v1("\"arch\"", "call_method", "res.partner", "action_archive", "[[9]]", "{}", &g);
    json_object *r = expect_result(&g, "\"arch\"");
    cr_expect_null(r);
    cr_expect(strstr(g.text, "\"result\":null") != NULL, "%s", g.text);
    gw_free(&g);
    json_object *act = jsonrpc_result("res.partner", "read", "[[9], [\"active\"]]", NULL);
    cr_expect(!json_object_get_boolean(member(json_object_array_get_idx(act, 0), "active")));
    json_object_put(act);
    /* the 8 actions can also be named through call_method */
    v1("\"cm2\"", "call_method", "res.partner", "search_count", "[[]]", "{}", &g);
    cr_expect_eq(json_object_get_type(expect_result(&g, "\"cm2\"")), json_type_int);
    gw_free(&g);
    /* unknown and private methods: Odoo's errors */
    v1("\"cm3\"", "call_method", "res.partner", "no_such_method", "[]", "{}", &g);
    const char *name = json_object_get_string(member(member(member(g.doc, "error"), "data"), "name"));
    json_object *env = ts_execute(M, ODOO_MOCK_ADMIN_UID, ODOO_MOCK_ADMIN_PASSWORD, "res.partner", "no_such_method",
                                  "[]", "{}");
    expect_odoo_error(&g, "\"cm3\"", 0, ts_error_name(env));
    cr_expect_not_null(name);
    json_object_put(env);
    gw_free(&g);
}

Test(odxproxy, v1_id_echo)
{
    gw_resp g;
    v1("42", "search_count", "res.partner", NULL, "[[]]", "{}", &g);
    expect_result(&g, "42");
    gw_free(&g);
    v1("\"01J9ZQ3V5X6Y7Z8A9B0C1D2E3F\"", "search_count", "res.partner", NULL, "[[]]", "{}", &g);
    expect_result(&g, "\"01J9ZQ3V5X6Y7Z8A9B0C1D2E3F\"");
    gw_free(&g);
    /* echoed on gateway errors that read the body, and on Odoo errors */
    v1("\"bad\"", "drop", "res.partner", NULL, "[]", "{}", &g);
    expect_gw_error(&g, 400, "\"bad\"", -32001);
    gw_free(&g);
    v1("7", "write", "res.partner", NULL, "[[1], {\"parent_id\": 1}]", "{}", &g);
    expect_odoo_error(&g, "7", 0, "odoo.exceptions.ValidationError");
    gw_free(&g);
}

/* ---- v1: Odoo errors pass through on 200 ---- */

static const char *const DATA_KEYS_19[] = {"name", "message", "arguments", "context", "debug"};
static const char *const DATA_KEYS_18[] = {"name", "debug", "message", "arguments", "context"};

Test(odxproxy, v1_odoo_errors_pass_through)
{
    gw_resp g;
    /* the same error object /jsonrpc gives */
    v1("\"e1\"", "write", "res.partner", NULL, "[[1], {\"parent_id\": 1}]", "{}", &g);
    json_object *d = expect_odoo_error(&g, "\"e1\"", 0, "odoo.exceptions.ValidationError");
    expect_keys(d, DATA_KEYS_19, 5, "data");
    cr_expect_str_eq(json_object_get_string(member(member(g.doc, "error"), "message")), "Odoo Server Error");
    json_object *env = ts_execute(M, ODOO_MOCK_ADMIN_UID, ODOO_MOCK_ADMIN_PASSWORD, "res.partner", "write",
                                  "[[1], {\"parent_id\": 1}]", "{}");
    json_object *jerr = member(env, "error");
    cr_expect(json_object_equal(member(g.doc, "error"), jerr), "%s\nvs\n%s", g.text, json_object_to_json_string(jerr));
    json_object_put(env);
    gw_free(&g);

    /* unknown model, unknown field */
    v1("\"e2\"", "search", "no.such.model", NULL, "[[]]", "{}", &g);
    env = ts_execute(M, ODOO_MOCK_ADMIN_UID, ODOO_MOCK_ADMIN_PASSWORD, "no.such.model", "search", "[[]]", "{}");
    expect_odoo_error(&g, "\"e2\"", 0, ts_error_name(env));
    json_object_put(env);
    gw_free(&g);
    v1("\"e3\"", "search_read", "res.partner", NULL, "[[[\"nope\", \"=\", 1]]]", "{}", &g);
    expect_odoo_error(&g, "\"e3\"", 0, "builtins.ValueError");
    gw_free(&g);

    /* wrong Odoo credentials: AccessDenied from Odoo, not the gateway's 401 */
    char *b = v1_body_at(odoo_mock_url(M), "\"e4\"", "search", "res.partner", NULL, "[[]]", "{}",
                         ODOO_MOCK_ADMIN_UID, "not-a-key");
    gw_post("/api/odoo/execute", b, &g);
    expect_odoo_error(&g, "\"e4\"", 0, "odoo.exceptions.AccessDenied");
    free(b);
    gw_free(&g);
    /* a key of another user than user_id */
    b = v1_body_at(odoo_mock_url(M), "\"e5\"", "search", "res.partner", NULL, "[[]]", "{}", ODOO_MOCK_ADMIN_UID,
                   ODOO_MOCK_LIMITED_API_KEY);
    gw_post("/api/odoo/execute", b, &g);
    expect_odoo_error(&g, "\"e5\"", 0, "odoo.exceptions.AccessDenied");
    free(b);
    gw_free(&g);
    /* expired key */
    b = v1_body_at(odoo_mock_url(M), "\"e6\"", "search", "res.partner", NULL, "[[]]", "{}", ODOO_MOCK_ADMIN_UID,
                   ODOO_MOCK_EXPIRED_API_KEY);
    gw_post("/api/odoo/execute", b, &g);
    expect_odoo_error(&g, "\"e6\"", 0, "odoo.exceptions.AccessDenied");
    free(b);
    gw_free(&g);
    /* another database */
    b = v1_body_at(odoo_mock_url(M), "\"e7\"", "search", "res.partner", NULL, "[[]]", "{}", ODOO_MOCK_ADMIN_UID,
                   ODOO_MOCK_ADMIN_API_KEY);
    char *p = strstr(b, "\"db\": \"odoo\"");
    cr_assert_not_null(p);
    memcpy(p, "\"db\": \"oops\"", 12);
    gw_post("/api/odoo/execute", b, &g);
    expect_odoo_error(&g, "\"e7\"", 0, "psycopg2.OperationalError");
    free(b);
    gw_free(&g);
    /* wrong arguments: Python's TypeError */
    v1("\"e8\"", "read", "res.partner", NULL, "[[1], [\"name\"], 3, 4]", "{}", &g);
    expect_odoo_error(&g, "\"e8\"", 0, "builtins.TypeError");
    gw_free(&g);
}

Test(odxproxy, v1_password_and_limited_user)
{
    gw_resp g;
    /* v1 is execute_kw over /jsonrpc: a password works too */
    char *b = v1_body_at(odoo_mock_url(M), "\"pw\"", "search_count", "res.partner", NULL, "[[]]", "{}",
                         ODOO_MOCK_ADMIN_UID, ODOO_MOCK_ADMIN_PASSWORD);
    gw_post("/api/odoo/execute", b, &g);
    cr_expect_gt(json_object_get_int(expect_result(&g, "\"pw\"")), 0);
    free(b);
    gw_free(&g);
    /* the limited user reads, but may not write partners */
    int luid = odoo_mock_limited_uid(M);
    b = v1_body_at(odoo_mock_url(M), "\"lr\"", "search_read", "res.partner", NULL, "[[]]",
                   "{\"fields\": [\"name\"], \"limit\": 2}", luid, ODOO_MOCK_LIMITED_API_KEY);
    gw_post("/api/odoo/execute", b, &g);
    cr_expect_eq(json_object_array_length(expect_result(&g, "\"lr\"")), 2);
    free(b);
    gw_free(&g);
    b = v1_body_at(odoo_mock_url(M), "\"lw\"", "write", "res.partner", NULL, "[[9], {\"name\": \"x\"}]", "{}", luid,
                   ODOO_MOCK_LIMITED_PASSWORD);
    gw_post("/api/odoo/execute", b, &g);
    json_object *d = expect_odoo_error(&g, "\"lw\"", 0, "odoo.exceptions.AccessError");
    cr_expect_gt(strlen(json_object_get_string(member(d, "message"))), 0);
    free(b);
    gw_free(&g);
    /* user_id must be the key's owner: limited key as limited uid works,
     * the context says who ran it */
    b = v1_body_at(odoo_mock_url(M), "\"lc\"", "call_method", "res.users", "context_get", "[]", "{}", luid,
                   ODOO_MOCK_LIMITED_API_KEY);
    gw_post("/api/odoo/execute", b, &g);
    cr_expect_eq(json_object_get_int(member(expect_result(&g, "\"lc\""), "uid")), luid);
    free(b);
    gw_free(&g);
}

/* ---- v1: gateway errors ---- */

Test(odxproxy, v1_proxy_key)
{
    char *b = v1_body("\"k\"", "search_count", "res.partner", NULL, "[[]]", "{}");
    gw_resp g;
    long before = metric("proxy_error_response{code=\"-32000\"}");
    /* missing */
    gw_send(M, "POST", "/api/odoo/execute", NULL, "application/json", NULL, b, &g);
    expect_gw_error(&g, 401, NULL, -32000);
    gw_free(&g);
    /* wrong, and the Odoo key is not the proxy key */
    gw_send(M, "POST", "/api/odoo/execute", "wrong", "application/json", NULL, b, &g);
    expect_gw_error(&g, 401, NULL, -32000);
    gw_free(&g);
    gw_send(M, "POST", "/api/odoo/execute", ODOO_MOCK_ADMIN_API_KEY, "application/json", NULL, b, &g);
    expect_gw_error(&g, 401, NULL, -32000);
    gw_free(&g);
    /* checked before the body is read */
    gw_send(M, "POST", "/api/odoo/execute", "wrong", "text/plain", NULL, "garbage", &g);
    expect_gw_error(&g, 401, NULL, -32000);
    gw_free(&g);
    /* the header name is case-insensitive */
    char h[128];
    snprintf(h, sizeof h, "X-Api-Key: %s", ODOO_MOCK_PROXY_KEY);
    gw_send(M, "POST", "/api/odoo/execute", NULL, "application/json; charset=utf-8", h, b, &g);
    expect_result(&g, "\"k\"");
    gw_free(&g);
    cr_expect_eq(metric("proxy_error_response{code=\"-32000\"}"), before + 4);
    /* version needs it too */
    gw_send(M, "POST", "/api/odoo/version", NULL, "application/json", NULL, "{\"id\": \"v\", \"url\": \"x\"}", &g);
    expect_gw_error(&g, 401, NULL, -32000);
    gw_free(&g);
    free(b);
}

Test(odxproxy, v1_action_allowlist)
{
    static const char *const bad[] = {"unlink_all", "Search", "execute_kw", "", "name_search"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        gw_resp g;
        v1("\"a\"", bad[i], "res.partner", NULL, "[[]]", "{}", &g);
        expect_gw_error(&g, 400, "\"a\"", -32001);
        gw_free(&g);
    }
    /* the action is checked before Odoo is contacted */
    char *b = v1_body_at("http://127.0.0.1:1", "\"a2\"", "drop", "res.partner", NULL, "[]", "{}", 2, "x");
    gw_resp g;
    gw_post("/api/odoo/execute", b, &g);
    expect_gw_error(&g, 400, "\"a2\"", -32001);
    gw_free(&g);
    free(b);
}

Test(odxproxy, v1_call_method_needs_fn_name)
{
    gw_resp g;
    v1("\"f1\"", "call_method", "res.partner", NULL, "[]", "{}", &g);
    expect_gw_error(&g, 400, "\"f1\"", -32002);
    gw_free(&g);
    v1("\"f2\"", "call_method", "res.partner", "", "[]", "{}", &g);
    expect_gw_error(&g, 400, "\"f2\"", -32002);
    gw_free(&g);
    gw_post("/api/odoo/execute",
            "{\"id\": \"f3\", \"action\": \"call_method\", \"fn_name\": null, \"model_id\": \"res.partner\", "
            "\"params\": [], \"keyword\": {}, \"odoo_instance\": {\"url\": \"http://x\", \"db\": \"odoo\", "
            "\"user_id\": 2, \"api_key\": \"k\"}}",
            &g);
    expect_gw_error(&g, 400, "\"f3\"", -32002);
    gw_free(&g);
    /* fn_name is ignored by the other actions */
    v1("\"f4\"", "search_count", "res.partner", "unlink", "[[]]", "{}", &g);
    cr_expect_gt(json_object_get_int(expect_result(&g, "\"f4\"")), 0);
    gw_free(&g);
}

Test(odxproxy, v1_bodies_axum_rejects)
{
    gw_resp g;
    long r422 = metric("proxy_rejected_request{status=\"422\"}"), r415 = metric("proxy_rejected_request{status=\"415\"}");
    /* not JSON */
    gw_post("/api/odoo/execute", "{not json", &g);
    expect_axum_text(&g, 422, "Failed to deserialize the JSON body");
    gw_free(&g);
    gw_post("/api/odoo/execute", "", &g);
    expect_axum_text(&g, 422, "Failed to deserialize the JSON body");
    gw_free(&g);
    /* JSON of the wrong shape */
    gw_post("/api/odoo/execute", "[1, 2]", &g);
    expect_axum_text(&g, 422, "Failed to deserialize the JSON body into the target type: invalid type: sequence");
    gw_free(&g);
    gw_post("/api/odoo/execute", "{\"id\": \"x\", \"model_id\": \"res.partner\"}", &g);
    expect_axum_text(&g, 422, "Failed to deserialize the JSON body into the target type: missing field `action`");
    gw_free(&g);
    gw_post("/api/odoo/execute", "{\"action\": \"search\"}", &g);
    expect_axum_text(&g, 422, "Failed to deserialize the JSON body into the target type: missing field `id`");
    gw_free(&g);
    char *b = v1_body("\"x\"", "search", "res.partner", NULL, "{\"not\": \"a list\"}", "{}");
    gw_post("/api/odoo/execute", b, &g);
    expect_axum_text(&g, 422, "Failed to deserialize the JSON body into the target type: params: invalid type: map");
    free(b);
    gw_free(&g);
    /* PHP's empty keyword [] is not a map */
    b = v1_body("\"x\"", "search", "res.partner", NULL, "[[]]", "[]");
    gw_post("/api/odoo/execute", b, &g);
    expect_axum_text(&g, 422, "Failed to deserialize the JSON body into the target type: keyword: invalid type");
    free(b);
    gw_free(&g);
    gw_post("/api/odoo/execute",
            "{\"id\": \"x\", \"action\": \"search\", \"model_id\": \"res.partner\", \"odoo_instance\": "
            "{\"url\": \"u\", \"db\": \"odoo\", \"user_id\": \"2\", \"api_key\": \"k\"}}",
            &g);
    expect_axum_text(&g, 422,
                     "Failed to deserialize the JSON body into the target type: odoo_instance.user_id: invalid type: "
                     "string \"2\", expected i64");
    gw_free(&g);
    gw_post("/api/odoo/execute",
            "{\"id\": \"x\", \"action\": \"search\", \"model_id\": \"res.partner\", \"odoo_instance\": "
            "{\"url\": \"u\", \"db\": \"odoo\", \"api_key\": \"k\"}}",
            &g);
    expect_axum_text(&g, 422,
                     "Failed to deserialize the JSON body into the target type: odoo_instance: missing field `user_id`");
    gw_free(&g);
    gw_post("/api/odoo/execute",
            "{\"id\": [], \"action\": \"search\", \"model_id\": \"res.partner\", \"odoo_instance\": {}}", &g);
    expect_axum_text(&g, 422, "Failed to deserialize the JSON body into the target type: id: invalid type");
    gw_free(&g);
    cr_expect_eq(metric("proxy_rejected_request{status=\"422\"}"), r422 + 10);

    /* wrong or missing content type: 415 */
    b = v1_body("\"x\"", "search", "res.partner", NULL, "[[]]", "{}");
    gw_send(M, "POST", "/api/odoo/execute", ODOO_MOCK_PROXY_KEY, "text/plain", NULL, b, &g);
    expect_axum_text(&g, 415, "Expected request with `Content-Type: application/json`");
    gw_free(&g);
    gw_send(M, "POST", "/api/odoo/execute", ODOO_MOCK_PROXY_KEY, NULL, NULL, b, &g);
    expect_axum_text(&g, 415, "Expected request with `Content-Type: application/json`");
    gw_free(&g);
    gw_send(M, "POST", "/api/odoo/execute", ODOO_MOCK_PROXY_KEY, "application/x-www-form-urlencoded", NULL, b, &g);
    expect_axum_text(&g, 415, "Expected request with `Content-Type: application/json`");
    gw_free(&g);
    cr_expect_eq(metric("proxy_rejected_request{status=\"415\"}"), r415 + 3);
    /* application/<x>+json is JSON for Axum */
    gw_send(M, "POST", "/api/odoo/execute", ODOO_MOCK_PROXY_KEY, "application/vnd.api+json", NULL, b, &g);
    expect_result(&g, "\"x\"");
    gw_free(&g);
    free(b);
}

Test(odxproxy, routes_and_methods)
{
    gw_resp g;
    gw_send(M, "GET", "/api/odoo/execute", ODOO_MOCK_PROXY_KEY, NULL, NULL, NULL, &g);
    cr_expect_eq(g.status, 405);
    cr_expect_str_eq(g.text, "");
    gw_free(&g);
    gw_post("/api/odoo/nope", "{}", &g);
    cr_expect_eq(g.status, 404);
    cr_expect_str_eq(g.text, "");
    gw_free(&g);
    gw_post("/api/odoo/execute/", "{}", &g);
    cr_expect_eq(g.status, 404);
    gw_free(&g);
    gw_send(M, "POST", "/_/about", NULL, "application/json", NULL, "{}", &g);
    cr_expect_eq(g.status, 405);
    gw_free(&g);
    gw_send(M, "GET", "/_/nothing", NULL, NULL, NULL, NULL, &g);
    cr_expect_eq(g.status, 404);
    gw_free(&g);
    /* the historical /api/odoo route of the 2025 client is not served */
    gw_post("/api/odoo", "{}", &g);
    cr_expect_eq(g.status, 404);
    gw_free(&g);
}

/* ---- upstream: reachability, timeout, internal error ---- */

Test(odxproxy, v1_unreachable_upstream)
{
    gw_resp g;
    long before = metric("proxy_error_response{code=\"-32004\"}");
    static const char *const urls[] = {"http://127.0.0.1:1", "http://10.255.255.1:8069", "https://127.0.0.1:1",
                                       "not a url", "", "ftp://127.0.0.1"};
    for (size_t i = 0; i < sizeof urls / sizeof urls[0]; i++) {
        char *b = v1_body_at(urls[i], "\"un\"", "search_count", "res.partner", NULL, "[[]]", "{}",
                             ODOO_MOCK_ADMIN_UID, ODOO_MOCK_ADMIN_API_KEY);
        gw_post("/api/odoo/execute", b, &g);
        expect_gw_error(&g, 502, "\"un\"", -32004);
        free(b);
        gw_free(&g);
    }
    /* the mock's own URL, whatever its spelling */
    char url[128];
    snprintf(url, sizeof url, "HTTP://localhost:%u/odoo/", odoo_mock_port(M));
    char *b = v1_body_at(url, "\"ok\"", "search_count", "res.partner", NULL, "[[]]", "{}", ODOO_MOCK_ADMIN_UID,
                         ODOO_MOCK_ADMIN_API_KEY);
    gw_post("/api/odoo/execute", b, &g);
    expect_result(&g, "\"ok\"");
    free(b);
    gw_free(&g);
    /* a port of the mock's with https is not the mock's URL */
    snprintf(url, sizeof url, "https://127.0.0.1:%u", odoo_mock_port(M));
    b = v1_body_at(url, "\"tls\"", "search_count", "res.partner", NULL, "[[]]", "{}", ODOO_MOCK_ADMIN_UID,
                   ODOO_MOCK_ADMIN_API_KEY);
    gw_post("/api/odoo/execute", b, &g);
    expect_gw_error(&g, 502, "\"tls\"", -32004);
    free(b);
    gw_free(&g);
    /* an unreachable Odoo never runs the call */
    b = v1_body_at("http://127.0.0.1:1", "\"c\"", "create", "res.partner", NULL, "[{\"name\": \"Never created\"}]",
                   "{}", ODOO_MOCK_ADMIN_UID, ODOO_MOCK_ADMIN_API_KEY);
    gw_post("/api/odoo/execute", b, &g);
    expect_gw_error(&g, 502, "\"c\"", -32004);
    free(b);
    gw_free(&g);
    json_object *n = jsonrpc_result("res.partner", "search_count", "[[[\"name\", \"=\", \"Never created\"]]]", NULL);
    cr_expect_eq(json_object_get_int(n), 0);
    json_object_put(n);
    cr_expect_eq(metric("proxy_error_response{code=\"-32004\"}"), before + 8);
}

Test(odxproxy, fault_proxy_unreachable)
{
    cr_assert_eq(odoo_mock_inject(M, "proxy_unreachable"), 0);
    gw_resp g;
    v1("\"pu\"", "create", "res.partner", NULL, "[{\"name\": \"Not created\"}]", "{}", &g);
    expect_gw_error(&g, 502, "\"pu\"", -32004);
    gw_free(&g);
    json_object *n = jsonrpc_result("res.partner", "search_count", "[[[\"name\", \"=\", \"Not created\"]]]", NULL);
    cr_expect_eq(json_object_get_int(n), 0);
    json_object_put(n);
    /* count 1: gone */
    v1("\"pu2\"", "search_count", "res.partner", NULL, "[[]]", "{}", &g);
    expect_result(&g, "\"pu2\"");
    gw_free(&g);
}

Test(odxproxy, latency_beyond_x_request_timeout_is_504, .timeout = 30)
{
    cr_assert_eq(odoo_mock_inject(M, "latency:ms=2000"), 0);
    gw_resp g;
    char *b = v1_body("\"t\"", "search_count", "res.partner", NULL, "[[]]", "{}");
    gw_post_h("/api/odoo/execute", "x-request-timeout: 1", b, &g);
    expect_gw_error(&g, 504, "\"t\"", -32003);
    cr_expect_geq(g.secs, 0.95, "answered after %.3f s", g.secs);
    cr_expect_lt(g.secs, 1.8, "answered after %.3f s (the gateway waits its timeout, not the latency)", g.secs);
    gw_free(&g);
    /* latency within the timeout: the answer, late */
    cr_assert_eq(odoo_mock_inject(M, "latency:ms=300"), 0);
    gw_post_h("/api/odoo/execute", "x-request-timeout: 1", b, &g);
    expect_result(&g, "\"t\"");
    cr_expect_geq(g.secs, 0.29, "answered after %.3f s", g.secs);
    gw_free(&g);
    /* no header: 15 s by default, so 1.2 s of latency is fine */
    cr_assert_eq(odoo_mock_inject(M, "latency:ms=1200"), 0);
    gw_post("/api/odoo/execute", b, &g);
    expect_result(&g, "\"t\"");
    cr_expect_geq(g.secs, 1.19);
    gw_free(&g);
    /* an unusable header value means the default */
    cr_assert_eq(odoo_mock_inject(M, "latency:ms=1100"), 0);
    gw_post_h("/api/odoo/execute", "x-request-timeout: soon", b, &g);
    expect_result(&g, "\"t\"");
    gw_free(&g);
    free(b);
}

Test(odxproxy, timed_out_call_has_run, .timeout = 30)
{
    /* like a real Odoo that finishes after the gateway gave up */
    cr_assert_eq(odoo_mock_inject(M, "{\"fault\": \"latency\", \"ms\": 1500, \"path\": \"/api/odoo/\"}"), 0);
    gw_resp g;
    char *b = v1_body("\"tc\"", "create", "res.partner", NULL, "[{\"name\": \"Late partner\"}]", "{}");
    gw_post_h("/api/odoo/execute", "x-request-timeout: 1", b, &g);
    expect_gw_error(&g, 504, "\"tc\"", -32003);
    gw_free(&g);
    free(b);
    json_object *n = jsonrpc_result("res.partner", "search_count", "[[[\"name\", \"=\", \"Late partner\"]]]", NULL);
    cr_expect_eq(json_object_get_int(n), 1);
    json_object_put(n);
}

Test(odxproxy, fault_proxy_timeout, .timeout = 30)
{
    cr_assert_eq(odoo_mock_inject(M, "proxy_timeout"), 0);
    gw_resp g;
    long before = metric("proxy_error_response{code=\"-32003\"}");
    char *b = v1_body("\"pt\"", "create", "res.partner", NULL, "[{\"name\": \"Hung partner\"}]", "{}");
    gw_post_h("/api/odoo/execute", "x-request-timeout: 1", b, &g);
    expect_gw_error(&g, 504, "\"pt\"", -32003);
    cr_expect_geq(g.secs, 0.95);
    cr_expect_lt(g.secs, 1.8);
    gw_free(&g);
    free(b);
    json_object *n = jsonrpc_result("res.partner", "search_count", "[[[\"name\", \"=\", \"Hung partner\"]]]", NULL);
    cr_expect_eq(json_object_get_int(n), 0, "a hung Odoo did not run the call");
    json_object_put(n);
    cr_expect_eq(metric("proxy_error_response{code=\"-32003\"}"), before + 1);
}

Test(odxproxy, fault_proxy_internal)
{
    cr_assert_eq(odoo_mock_inject(M, "proxy_internal:count=2"), 0);
    gw_resp g;
    v1("\"pi\"", "write", "res.partner", NULL, "[[9], {\"name\": \"Written anyway\"}]", "{}", &g);
    expect_gw_error(&g, 500, "\"pi\"", -32005);
    gw_free(&g);
    /* Odoo answered: the write happened, only its answer was lost */
    json_object *r = jsonrpc_result("res.partner", "read", "[[9], [\"name\"]]", NULL);
    cr_expect_str_eq(json_object_get_string(member(json_object_array_get_idx(r, 0), "name")), "Written anyway");
    json_object_put(r);
    gw_post("/api/odoo/version", "{\"id\": \"pv\", \"url\": \"http://127.0.0.1:1\"}", &g);
    expect_gw_error(&g, 502, "\"pv\"", -32004); /* unreachable comes first, but consumes it */
    gw_free(&g);
    v1("\"pi3\"", "search_count", "res.partner", NULL, "[[]]", "{}", &g);
    expect_result(&g, "\"pi3\"");
    gw_free(&g);
}

Test(odxproxy, fault_proxy_license)
{
    gw_resp g;
    gw_send(M, "GET", "/_/license", NULL, NULL, NULL, NULL, &g);
    cr_expect(json_object_get_boolean(member(g.doc, "is_valid")));
    gw_free(&g);
    cr_assert_eq(odoo_mock_inject(M, "proxy_license:count=2"), 0);
    gw_send(M, "GET", "/_/license", NULL, NULL, NULL, NULL, &g);
    cr_expect_eq(g.status, 200);
    cr_expect(!json_object_get_boolean(member(g.doc, "is_valid")), "%s", g.text);
    cr_expect_str_eq(json_object_get_string(member(g.doc, "licensee")), "odoo-mock");
    gw_free(&g);
    long before = metric("proxy_error_response{code=\"0\"}");
    v1("\"l1\"", "search_count", "res.partner", NULL, "[[]]", "{}", &g);
    expect_gw_error(&g, 403, NULL, 0);
    gw_free(&g);
    gw_post("/v2/odoo/version", "{\"id\": \"l2\", \"url\": \"x\"}", &g);
    expect_gw_error(&g, 403, NULL, 0);
    gw_free(&g);
    cr_expect_eq(metric("proxy_error_response{code=\"0\"}"), before + 2);
    /* consumed: valid again */
    gw_send(M, "GET", "/_/license", NULL, NULL, NULL, NULL, &g);
    cr_expect(json_object_get_boolean(member(g.doc, "is_valid")));
    gw_free(&g);
    v1("\"l3\"", "search_count", "res.partner", NULL, "[[]]", "{}", &g);
    expect_result(&g, "\"l3\"");
    gw_free(&g);
    /* count 0: until cleared; the alias "proxy_licence" */
    cr_assert_eq(odoo_mock_inject(M, "proxy_licence:count=0"), 0);
    for (int i = 0; i < 3; i++) {
        v1("\"l4\"", "search_count", "res.partner", NULL, "[[]]", "{}", &g);
        expect_gw_error(&g, 403, NULL, 0);
        gw_free(&g);
    }
    odoo_mock_clear_faults(M);
    v1("\"l5\"", "search_count", "res.partner", NULL, "[[]]", "{}", &g);
    expect_result(&g, "\"l5\"");
    gw_free(&g);
}

Test(odxproxy, proxy_faults_scoping_and_control_endpoint)
{
    gw_resp g;
    http_response r;
    /* a proxy fault waits for a gateway call: other requests leave it */
    cr_assert_eq(ts_post(M, "/__mock__/fault", "application/json", "{\"fault\": \"proxy_internal\"}", &r), 200);
    http_response_free(&r);
    json_object *e = ts_execute(M, 2, "admin", "res.partner", "search_count", "[[]]", NULL);
    cr_expect_not_null(ts_result(e));
    json_object_put(e);
    gw_send(M, "GET", "/_/about", NULL, NULL, NULL, NULL, &g);
    cr_expect_eq(g.status, 200);
    gw_free(&g);
    http_do(odoo_mock_port(M), "GET", "/__mock__/faults", NULL, NULL, &r);
    cr_expect(strstr(r.body, "\"proxy_internal\"") != NULL, "%s", r.body);
    http_response_free(&r);
    v1("\"s1\"", "search_count", "res.partner", NULL, "[[]]", "{}", &g);
    expect_gw_error(&g, 500, "\"s1\"", -32005);
    gw_free(&g);
    /* path scoping: only v2 */
    cr_assert_eq(odoo_mock_inject(M, "proxy_unreachable:path=/v2/,count=0"), 0);
    v1("\"s2\"", "search_count", "res.partner", NULL, "[[]]", "{}", &g);
    expect_result(&g, "\"s2\"");
    gw_free(&g);
    for (int i = 0; i < 2; i++) {
        v2("\"s3\"", "res.partner", "search_count", "{\"domain\": []}", &g);
        expect_gw_error(&g, 502, "\"s3\"", -32004);
        gw_free(&g);
    }
    cr_assert_eq(ts_post(M, "/__mock__/fault/clear", "application/json", "", &r), 200);
    http_response_free(&r);
    v2("\"s4\"", "res.partner", "search_count", "{\"domain\": []}", &g);
    expect_result(&g, "\"s4\"");
    gw_free(&g);
    /* delivery faults still break the gateway's own answer */
    cr_assert_eq(odoo_mock_inject(M, "html500:path=/api/odoo/execute"), 0);
    v1("\"s5\"", "search_count", "res.partner", NULL, "[[]]", "{}", &g);
    cr_expect_eq(g.status, 500);
    cr_expect(strstr(g.text, "Internal Server Error") != NULL);
    gw_free(&g);
    cr_assert_eq(odoo_mock_inject(M, "truncated:path=/api/odoo/"), 0);
    char *b = v1_body("\"s6\"", "search_count", "res.partner", NULL, "[[]]", "{}");
    char kh[128];
    snprintf(kh, sizeof kh, "x-api-key: %s", ODOO_MOCK_PROXY_KEY);
    const char *hdrs[] = {"Content-Type: application/json", kh, NULL};
    http_do(odoo_mock_port(M), "POST", "/api/odoo/execute", hdrs, b, &r);
    cr_expect_eq(r.error, HTTP_ERR_TRUNCATED);
    http_response_free(&r);
    free(b);
    /* bad spec names are refused */
    cr_expect_neq(odoo_mock_inject(M, "proxy_nothing"), 0);
    /* counted as faults */
    odoo_mock_stats st;
    odoo_mock_get_stats(M, &st);
    cr_expect_geq(st.faults, 5);
    cr_expect_geq(st.odxproxy, 7);
}

/* ---- v2 ---- */

Test(odxproxy, v2_calls_run_as_json2)
{
    gw_resp g;
    v2("\"v2a\"", "res.partner", "search_read",
       "{\"domain\": [[\"is_company\", \"=\", true]], \"fields\": [\"name\"], \"limit\": 3, \"order\": \"name\"}", &g);
    json_object *res = expect_result(&g, "\"v2a\"");
    int st;
    json_object *want = ts_json2(M, ODOO_MOCK_ADMIN_API_KEY, "res.partner", "search_read",
                                 "{\"domain\": [[\"is_company\", \"=\", true]], \"fields\": [\"name\"], \"limit\": 3, "
                                 "\"order\": \"name\"}",
                                 &st);
    cr_expect(json_object_equal(res, want), "%s", g.text);
    json_object_put(want);
    gw_free(&g);

    /* create returns a list */
    v2("\"v2c\"", "res.partner", "create", "{\"vals_list\": [{\"name\": \"V2 Partner\"}]}", &g);
    json_object *ids = expect_result(&g, "\"v2c\"");
    cr_assert_eq(json_object_get_type(ids), json_type_array, "%s", g.text);
    cr_assert_eq(json_object_array_length(ids), 1);
    int id = json_object_get_int(json_object_array_get_idx(ids, 0));
    gw_free(&g);
    char args[96];
    snprintf(args, sizeof args, "[[%d], [\"name\"]]", id);
    json_object *rec = jsonrpc_result("res.partner", "read", args, NULL);
    cr_expect_str_eq(json_object_get_string(member(json_object_array_get_idx(rec, 0), "name")), "V2 Partner");
    json_object_put(rec);

    /* write with ids and context in kwargs */
    char kw[160];
    snprintf(kw, sizeof kw, "{\"ids\": [%d], \"vals\": {\"name\": \"V2 Renamed\"}, \"context\": {\"lang\": \"en_US\"}}",
             id);
    v2("\"v2w\"", "res.partner", "write", kw, &g);
    cr_expect(json_object_get_boolean(expect_result(&g, "\"v2w\"")));
    gw_free(&g);
    snprintf(kw, sizeof kw, "{\"ids\": [%d], \"fields\": [\"name\"]}", id);
    json_object *j2 = ts_json2(M, ODOO_MOCK_ADMIN_API_KEY, "res.partner", "read", kw, &st);
    cr_expect_str_eq(json_object_get_string(member(json_object_array_get_idx(j2, 0), "name")), "V2 Renamed");
    json_object_put(j2);

    /* unlink */
    snprintf(kw, sizeof kw, "{\"ids\": [%d]}", id);
    v2("\"v2u\"", "res.partner", "unlink", kw, &g);
    cr_expect(json_object_get_boolean(expect_result(&g, "\"v2u\"")));
    gw_free(&g);
    v2("\"v2r\"", "res.partner", "read", kw, &g);
    cr_expect_eq(json_object_array_length(expect_result(&g, "\"v2r\"")), 0);
    gw_free(&g);

    /* kwargs omitted or null: no arguments */
    gw_post("/v2/odoo/execute",
            "{\"id\": \"v2n\", \"model_id\": \"res.users\", \"method\": \"context_get\", \"odoo_instance\": "
            "{\"url\": \"http://127.0.0.1:1\", \"db\": \"odoo\", \"api_key\": \"k\"}}",
            &g);
    expect_gw_error(&g, 502, "\"v2n\"", -32004);
    gw_free(&g);
    char *b = v2_body_at(odoo_mock_url(M), "odoo", "\"v2m\"", "res.users", "context_get", "null",
                         ODOO_MOCK_ADMIN_RPC_API_KEY);
    gw_post("/v2/odoo/execute", b, &g);
    cr_expect_eq(json_object_get_int(member(expect_result(&g, "\"v2m\""), "uid")), ODOO_MOCK_ADMIN_UID);
    free(b);
    gw_free(&g);
}

/* Each v2 Odoo error has the code and data JSON-2 gives directly. */
static void v2_same_as_json2(const char *key, const char *model, const char *method, const char *kwargs,
                             int want_status, const char *want_name)
{
    gw_resp g;
    v2_as(key, "\"v2e\"", model, method, kwargs, &g);
    int st;
    json_object *direct = ts_json2(M, key, model, method, kwargs, &st);
    cr_expect_eq(st, want_status, "JSON-2 %s/%s: %d", model, method, st);
    json_object *d = expect_odoo_error(&g, "\"v2e\"", want_status, want_name);
    expect_keys(d, DATA_KEYS_19, 5, "data");
    cr_expect_str_eq(json_object_get_string(member(direct, "name")), want_name);
    cr_expect_str_eq(json_object_get_string(member(d, "message")), json_object_get_string(member(direct, "message")));
    cr_expect_str_eq(json_object_get_string(member(member(g.doc, "error"), "message")),
                     json_object_get_string(member(direct, "message")));
    json_object_put(direct);
    gw_free(&g);
}

Test(odxproxy, v2_odoo_errors)
{
    /* signature errors: 422 */
    v2_same_as_json2(ODOO_MOCK_ADMIN_API_KEY, "res.partner", "create", "{\"vals\": {\"name\": \"x\"}}", 422,
                     "werkzeug.exceptions.UnprocessableEntity");
    v2_same_as_json2(ODOO_MOCK_ADMIN_API_KEY, "res.partner", "search", "{\"domain\": [], \"bogus\": 1}", 422,
                     "werkzeug.exceptions.UnprocessableEntity");
    /* unknown model: 404 */
    v2_same_as_json2(ODOO_MOCK_ADMIN_API_KEY, "no.such.model", "search", "{\"domain\": []}", 404,
                     "werkzeug.exceptions.NotFound");
    /* validation: 422 */
    v2_same_as_json2(ODOO_MOCK_ADMIN_API_KEY, "res.partner", "write", "{\"ids\": [1], \"vals\": {\"parent_id\": 1}}",
                     422, "odoo.exceptions.ValidationError");
    /* access: 403 */
    v2_same_as_json2(ODOO_MOCK_LIMITED_API_KEY, "res.partner", "write", "{\"ids\": [9], \"vals\": {\"name\": \"x\"}}",
                     403, "odoo.exceptions.AccessError");
    /* bad key, expired key, a password: 401 (Odoo's, not the gateway's -32000) */
    v2_same_as_json2("nope", "res.partner", "search_count", "{\"domain\": []}", 401, "werkzeug.exceptions.Unauthorized");
    v2_same_as_json2(ODOO_MOCK_EXPIRED_API_KEY, "res.partner", "search_count", "{\"domain\": []}", 401,
                     "werkzeug.exceptions.Unauthorized");
    v2_same_as_json2(ODOO_MOCK_ADMIN_PASSWORD, "res.partner", "search_count", "{\"domain\": []}", 401,
                     "werkzeug.exceptions.Unauthorized");
}

Test(odxproxy, v2_invalid_requests_do_not_reach_odoo)
{
    static const char *const models[] = {"..", "a/b", "", ".res", "res.", "res..partner", "res partner", "../etc"};
    for (size_t i = 0; i < sizeof models / sizeof models[0]; i++) {
        /* an unreachable url: -32007 comes first, Odoo is not contacted */
        char *b = v2_body_at("http://127.0.0.1:1", "odoo", "\"iv\"", models[i], "search", "{}", "k");
        gw_resp g;
        gw_post("/v2/odoo/execute", b, &g);
        expect_gw_error(&g, 400, "\"iv\"", -32007);
        free(b);
        gw_free(&g);
    }
    static const char *const methods[] = {"a/b", "..", "", "1abc", "search read", "search-read"};
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
        char *b = v2_body_at("http://127.0.0.1:1", "odoo", "\"im\"", "res.partner", methods[i], "{}", "k");
        gw_resp g;
        gw_post("/v2/odoo/execute", b, &g);
        expect_gw_error(&g, 400, "\"im\"", -32007);
        free(b);
        gw_free(&g);
    }
    /* db or api_key not usable as an HTTP header */
    char *b = v2_body_at(odoo_mock_url(M), "odoo\\r\\nX-Evil: 1", "\"ih\"", "res.partner", "search", "{}", "k");
    gw_resp g;
    gw_post("/v2/odoo/execute", b, &g);
    expect_gw_error(&g, 400, "\"ih\"", -32007);
    free(b);
    gw_free(&g);
    b = v2_body_at(odoo_mock_url(M), "odoo", "\"ik\"", "res.partner", "search", "{}", "key\\nwith newline");
    gw_post("/v2/odoo/execute", b, &g);
    expect_gw_error(&g, 400, "\"ik\"", -32007);
    free(b);
    gw_free(&g);
    /* a private method is a valid identifier: Odoo refuses it */
    v2("\"pm\"", "res.partner", "_search", "{}", &g);
    cr_expect_eq(g.status, 200);
    cr_expect_geq(json_object_get_int(member(member(g.doc, "error"), "code")), 400, "%s", g.text);
    gw_free(&g);
}

Test(odxproxy, v2_wrong_db_and_bodies)
{
    char *b = v2_body_at(odoo_mock_url(M), "other", "\"db\"", "res.partner", "search", "{}", ODOO_MOCK_ADMIN_API_KEY);
    gw_resp g;
    gw_post("/v2/odoo/execute", b, &g);
    expect_gw_error(&g, 200, "\"db\"", -32006);
    free(b);
    gw_free(&g);
    /* v2 has no user_id and no action; its own fields are required */
    gw_post("/v2/odoo/execute", "{\"id\": \"x\", \"model_id\": \"res.partner\", \"kwargs\": {}}", &g);
    expect_axum_text(&g, 422, "Failed to deserialize the JSON body into the target type: missing field `method`");
    gw_free(&g);
    gw_post("/v2/odoo/execute",
            "{\"id\": \"x\", \"model_id\": \"res.partner\", \"method\": \"search\", \"kwargs\": [], "
            "\"odoo_instance\": {\"url\": \"u\", \"db\": \"d\", \"api_key\": \"k\"}}",
            &g);
    expect_axum_text(&g, 422, "Failed to deserialize the JSON body into the target type: kwargs: invalid type: sequence");
    gw_free(&g);
    gw_send(M, "POST", "/v2/odoo/execute", "bad", "application/json", NULL, "{}", &g);
    expect_gw_error(&g, 401, NULL, -32000);
    gw_free(&g);
}

/* ---- version ---- */

Test(odxproxy, version_v1_and_v2)
{
    gw_resp g;
    char *body = NULL;
    cr_assert(asprintf(&body, "{\"id\": \"ver\", \"url\": \"%s\"}", odoo_mock_url(M)) >= 0);
    gw_post("/api/odoo/version", body, &g);
    json_object *res = expect_result(&g, "\"ver\"");
    http_response r;
    ts_post(M, "/web/webclient/version_info", "application/json",
            "{\"jsonrpc\": \"2.0\", \"method\": \"call\", \"params\": {}, \"id\": 1}", &r);
    json_object *web = json_tokener_parse(r.body);
    cr_expect(json_object_equal(res, member(web, "result")), "%s vs %s", g.text, r.body);
    cr_expect_str_eq(json_object_get_string(member(res, "server_version")), "19.0");
    json_object_put(web);
    http_response_free(&r);
    gw_free(&g);

    gw_post("/v2/odoo/version", body, &g);
    res = expect_result(&g, "\"ver\"");
    http_do(odoo_mock_port(M), "GET", "/json/version", NULL, NULL, &r);
    json_object *jv = json_tokener_parse(r.body);
    cr_expect(json_object_equal(res, jv), "%s vs %s", g.text, r.body);
    json_object_put(jv);
    http_response_free(&r);
    gw_free(&g);
    free(body);

    /* unreachable, missing url */
    gw_post("/api/odoo/version", "{\"id\": \"v2\", \"url\": \"http://127.0.0.1:1\"}", &g);
    expect_gw_error(&g, 502, "\"v2\"", -32004);
    gw_free(&g);
    gw_post("/api/odoo/version", "{\"id\": \"v3\"}", &g);
    expect_axum_text(&g, 422, "Failed to deserialize the JSON body into the target type: missing field `url`");
    gw_free(&g);
}

Test(odxproxy, version_latency_and_timeout, .timeout = 30)
{
    cr_assert_eq(odoo_mock_inject(M, "latency:ms=1500,path=/v2/odoo/version"), 0);
    char *body = NULL;
    cr_assert(asprintf(&body, "{\"id\": 1, \"url\": \"%s\"}", odoo_mock_url(M)) >= 0);
    gw_resp g;
    gw_post_h("/api/odoo/version", "x-request-timeout: 1", body, &g);
    expect_result(&g, "1");
    cr_expect_lt(g.secs, 0.5);
    gw_free(&g);
    gw_post_h("/v2/odoo/version", "x-request-timeout: 1", body, &g);
    expect_gw_error(&g, 504, "1", -32003);
    gw_free(&g);
    free(body);
}

/* ---- ops ---- */

Test(odxproxy, ops_about_license_metrics)
{
    gw_resp g;
    gw_send(M, "GET", "/_/about", NULL, NULL, NULL, NULL, &g);
    cr_expect_eq(g.status, 200);
    cr_expect_str_eq(g.ctype, "application/json");
    cr_expect_str_eq(g.text, "{\"jsonrpc\":\"2.0\",\"id\":null,\"result\":{\"build\":\"odoo-mock\",\"version\":\"0.9.0\"}}");
    gw_free(&g);
    /* a key is not needed, and a wrong one does not matter */
    gw_send(M, "GET", "/_/about", "whatever", NULL, NULL, NULL, &g);
    cr_expect_eq(g.status, 200);
    gw_free(&g);
    gw_send(M, "GET", "/_/license", NULL, NULL, NULL, NULL, &g);
    cr_expect_eq(g.status, 200);
    cr_expect_str_eq(g.ctype, "application/json");
    cr_expect_str_eq(g.text, "{\"licensee\":\"odoo-mock\",\"valid_until\":\"2099-12-31\",\"is_valid\":true}");
    gw_free(&g);

    gw_send(M, "GET", "/_/metrics", NULL, NULL, NULL, NULL, &g);
    cr_expect_eq(g.status, 200);
    cr_expect_str_eq(g.ctype, "text/plain; version=0.0.4");
    cr_expect(strstr(g.text, "# TYPE odoo_success_response counter\n") != NULL, "%s", g.text);
    long ok0 = metric_value(g.text, "odoo_success_response"), err0 = metric_value(g.text, "odoo_error_response");
    long calls0 = metric_value(g.text, "proxy_requests_total");
    long e1_0 = metric_value(g.text, "proxy_error_response{code=\"-32001\"}");
    cr_expect_geq(ok0, 0);
    cr_expect_geq(err0, 0);
    gw_free(&g);
    /* they count gateway calls */
    v1("\"m1\"", "search_count", "res.partner", NULL, "[[]]", "{}", &g);
    gw_free(&g);
    v2("\"m2\"", "res.partner", "search_count", "{\"domain\": []}", &g);
    gw_free(&g);
    v1("\"m3\"", "write", "res.partner", NULL, "[[1], {\"parent_id\": 1}]", "{}", &g);
    gw_free(&g);
    v1("\"m4\"", "nope", "res.partner", NULL, "[]", "{}", &g);
    gw_free(&g);
    /* /jsonrpc is not the gateway */
    json_object *e = ts_execute(M, 2, "admin", "res.partner", "search_count", "[[]]", NULL);
    json_object_put(e);
    cr_expect_eq(metric("odoo_success_response"), ok0 + 2);
    cr_expect_eq(metric("odoo_error_response"), err0 + 1);
    cr_expect_eq(metric("proxy_error_response{code=\"-32001\"}"), e1_0 + 1);
    cr_expect_eq(metric("proxy_requests_total"), calls0 + 4);
}

/* ---- Odoo 16-18 behind the gateway ---- */

Test(odxproxy18, v1_on_18_uses_code_200)
{
    gw_resp g;
    v1("\"a\"", "search_read", "res.partner", NULL, "[[]]", "{\"fields\": [\"name\"], \"limit\": 2}", &g);
    cr_expect_eq(json_object_array_length(expect_result(&g, "\"a\"")), 2);
    gw_free(&g);
    v1("\"b\"", "write", "res.partner", NULL, "[[1], {\"parent_id\": 1}]", "{}", &g);
    json_object *d = expect_odoo_error(&g, "\"b\"", 200, "odoo.exceptions.ValidationError");
    expect_keys(d, DATA_KEYS_18, 5, "data");
    gw_free(&g);
    int luid = odoo_mock_limited_uid(M);
    cr_expect_eq(luid, ODOO_MOCK_LIMITED_UID_18);
    char *b = v1_body_at(odoo_mock_url(M), "\"c\"", "unlink", "res.partner", NULL, "[[9]]", "{}", luid,
                         ODOO_MOCK_LIMITED_API_KEY);
    gw_post("/api/odoo/execute", b, &g);
    expect_odoo_error(&g, "\"c\"", 200, "odoo.exceptions.AccessError");
    free(b);
    gw_free(&g);
    v1("\"d\"", "create", "res.partner", NULL, "[{\"name\": \"On 18\"}]", "{}", &g);
    cr_expect_eq(json_object_get_type(expect_result(&g, "\"d\"")), json_type_int);
    gw_free(&g);
    json_object *n = jsonrpc_result("res.partner", "search_count", "[[[\"name\", \"=\", \"On 18\"]]]", NULL);
    cr_expect_eq(json_object_get_int(n), 1);
    json_object_put(n);
}

Test(odxproxy18, v2_is_unavailable)
{
    gw_resp g;
    v2("\"x\"", "res.partner", "search_count", "{\"domain\": []}", &g);
    expect_gw_error(&g, 200, "\"x\"", -32006);
    gw_free(&g);
    char *body = NULL;
    cr_assert(asprintf(&body, "{\"id\": \"v\", \"url\": \"%s\"}", odoo_mock_url(M)) >= 0);
    gw_post("/v2/odoo/version", body, &g);
    expect_gw_error(&g, 200, "\"v\"", -32006);
    gw_free(&g);
    gw_post("/api/odoo/version", body, &g);
    cr_expect_str_eq(json_object_get_string(member(expect_result(&g, "\"v\""), "server_version")), "18.0");
    gw_free(&g);
    free(body);
    /* identifiers are still checked first */
    v2("\"y\"", "a/b", "search", "{}", &g);
    expect_gw_error(&g, 400, "\"y\"", -32007);
    gw_free(&g);
}

Test(odxproxy18, v1_on_16)
{
    odoo_mock *m16 = ts_start(16, 5);
    cr_assert_not_null(m16);
    odoo_mock *keep = M;
    M = m16;
    gw_resp g;
    v1("\"o\"", "search", "res.partner", "", "[[]]", "{\"limit\": 1}", &g);
    cr_expect_eq(json_object_array_length(expect_result(&g, "\"o\"")), 1);
    gw_free(&g);
    v1("\"p\"", "read", "no.model", NULL, "[[1]]", "{}", &g);
    expect_error(&g, 200, "\"p\"", 200);
    gw_free(&g);
    M = keep;
    odoo_mock_stop(m16);
}

/* ---- configuration ---- */

Test(odxproxy_config, proxy_key_from_config_and_info, .timeout = 30)
{
    odoo_mock_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.quiet = 1;
    cfg.partners = 5;
    cfg.proxy_key = "my-own-gateway-key";
    cr_assert_eq(odoo_mock_start(&M, &cfg), 0);
    cr_expect_str_eq(odoo_mock_proxy_key(M), "my-own-gateway-key");
    gw_resp g;
    char *b = v1_body("\"k\"", "search_count", "res.partner", NULL, "[[]]", "{}");
    gw_send(M, "POST", "/api/odoo/execute", ODOO_MOCK_PROXY_KEY, "application/json", NULL, b, &g);
    expect_gw_error(&g, 401, NULL, -32000);
    gw_free(&g);
    gw_send(M, "POST", "/api/odoo/execute", "my-own-gateway-key", "application/json", NULL, b, &g);
    expect_result(&g, "\"k\"");
    gw_free(&g);
    free(b);
    http_response r;
    http_do(odoo_mock_port(M), "GET", "/__mock__/info", NULL, NULL, &r);
    cr_expect(strstr(r.body, "\"proxy_key\": \"my-own-gateway-key\"") != NULL, "%s", r.body);
    http_response_free(&r);
    http_do(odoo_mock_port(M), "GET", "/__mock__/stats", NULL, NULL, &r);
    cr_expect(strstr(r.body, "\"odxproxy\": 2") != NULL, "%s", r.body);
    http_response_free(&r);
    odoo_mock_stop(M);

    /* the default key */
    M = ts_start(19, 5);
    cr_assert_not_null(M);
    cr_expect_str_eq(odoo_mock_proxy_key(M), ODOO_MOCK_PROXY_KEY);
    cr_expect_eq(strlen(ODOO_MOCK_PROXY_KEY), 40);
    odoo_mock_stop(M);
}

static pid_t spawn(const char *const *argv, FILE **out)
{
    int fd[2];
    *out = NULL;
    if (pipe(fd))
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fd[1], 1);
        close(fd[0]);
        close(fd[1]);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    close(fd[1]);
    *out = fdopen(fd[0], "r");
    return pid;
}

Test(odxproxy_config, cli_proxy_key_and_fault, .timeout = 30)
{
    const char *argv[] = {ODOO_MOCK_BIN,  "--quiet", "--partners", "5", "--proxy-key", "cli-gateway-key",
                          "--fault",      "{\"fault\": \"proxy_license\", \"count\": 1}", NULL};
    FILE *out = NULL;
    pid_t pid = spawn(argv, &out);
    cr_assert_gt(pid, 0);
    char line[1024] = "";
    cr_assert_not_null(fgets(line, sizeof line, out));
    cr_expect(strstr(line, " proxy_key=cli-gateway-key\n") != NULL, "%s", line);
    unsigned port = 0;
    const char *p = strstr(line, "http://127.0.0.1:");
    cr_assert_not_null(p, "%s", line);
    sscanf(p, "http://127.0.0.1:%u", &port);
    const char *hdrs[] = {"Content-Type: application/json", "x-api-key: cli-gateway-key", NULL};
    char body[256];
    snprintf(body, sizeof body, "{\"id\": \"c\", \"url\": \"http://127.0.0.1:%u\"}", port);
    http_response r;
    http_do((unsigned short)port, "POST", "/api/odoo/version", hdrs, body, &r);
    cr_expect_eq(r.status, 403, "%s", r.body);
    http_response_free(&r);
    http_do((unsigned short)port, "POST", "/api/odoo/version", hdrs, body, &r);
    cr_expect_eq(r.status, 200, "%s", r.body);
    cr_expect(strstr(r.body, "\"server_version\":\"19.0\"") != NULL, "%s", r.body);
    http_response_free(&r);
    kill(pid, SIGTERM);
    int status = 0;
    waitpid(pid, &status, 0);
    cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 0, "status %d", status);
    fclose(out);

    /* the default key is printed */
    const char *argv2[] = {ODOO_MOCK_BIN, "--quiet", "--partners", "1", NULL};
    pid = spawn(argv2, &out);
    cr_assert_gt(pid, 0);
    cr_assert_not_null(fgets(line, sizeof line, out));
    cr_expect(strstr(line, " proxy_key=" ODOO_MOCK_PROXY_KEY) != NULL, "%s", line);
    kill(pid, SIGTERM);
    waitpid(pid, &status, 0);
    fclose(out);
}
