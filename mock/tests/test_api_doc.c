/* odoo-mock tests — /doc-bearer (Odoo 19's api_doc) and the "any method"
 * res.partner.address_get: the route's answers on 19 and before, its
 * authentication and errors, the documents' consistency with what the
 * mock runs (every documented method is callable over JSON-2 with the
 * documented names), and address_get over every protocol. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xmlrpc-c/base.h>

#include "api_doc.h"
#include "orm.h"
#include "test_support.h"

#define ADMIN_AUTH "Authorization: bearer " ODOO_MOCK_ADMIN_API_KEY
#define LIMITED_AUTH "Authorization: bearer " ODOO_MOCK_LIMITED_API_KEY

static json_object *get(json_object *o, const char *k)
{
    json_object *v = NULL;
    json_object_object_get_ex(o, k, &v);
    return v;
}

static const char *str(json_object *o, const char *k)
{
    json_object *v = get(o, k);
    return json_object_get_type(v) == json_type_string ? json_object_get_string(v) : "";
}

/* One request: status, parsed JSON body (NULL if not JSON) and the raw
 * response in *raw if asked (caller frees). */
static json_object *doc_req(odoo_mock *m, const char *method, const char *path, const char *auth,
                            const char *extra, const char *body, int *status, http_response *raw)
{
    const char *hdrs[4] = {auth, extra, NULL, NULL};
    if (!auth) {
        hdrs[0] = extra;
        hdrs[1] = NULL;
    }
    http_response r;
    http_do(odoo_mock_port(m), method, path, hdrs, body, &r);
    *status = r.status;
    json_object *o = r.error ? NULL : json_tokener_parse(r.body);
    if (raw)
        *raw = r;
    else
        http_response_free(&r);
    return o;
}

/* ---- the route ---- */

Test(api_doc, no_route_before_19, .timeout = 30)
{
    static const int VERSIONS[] = {16, 17, 18};
    for (int i = 0; i < 3; i++) {
        odoo_mock *m = ts_start(VERSIONS[i], 5);
        cr_assert_not_null(m);
        http_response a, b;
        int sa, sb;
        json_object_put(doc_req(m, "GET", "/doc-bearer/res.partner.json", ADMIN_AUTH, NULL, NULL, &sa, &a));
        json_object_put(doc_req(m, "GET", "/no/such/url", ADMIN_AUTH, NULL, NULL, &sb, &b));
        /* exactly the page of an unknown URL */
        cr_expect_eq(sa, 404);
        cr_expect_eq(sb, 404);
        cr_expect_str_eq(a.body, b.body);
        cr_expect_str_eq(http_get_header(&a, "Content-Type"), http_get_header(&b, "Content-Type"));
        http_response_free(&a);
        http_response_free(&b);
        odoo_mock_stats st;
        odoo_mock_get_stats(m, &st);
        cr_expect_eq(st.json2, 0);
        cr_expect_eq(st.other, 2);
        odoo_mock_stop(m);
    }
}

Test(api_doc, get_and_post_answer_the_same_document, .timeout = 30)
{
    odoo_mock *m = ts_start(19, 5);
    http_response g, p;
    int sg, sp;
    json_object *d = doc_req(m, "GET", "/doc-bearer/res.country.json", ADMIN_AUTH, NULL, NULL, &sg, &g);
    json_object_put(doc_req(m, "POST", "/doc-bearer/res.country.json", ADMIN_AUTH,
                            "Content-Type: application/json", "{}", &sp, &p));
    cr_expect_eq(sg, 200);
    cr_expect_eq(sp, 200);
    cr_expect_str_eq(g.body, p.body);
    cr_expect_str_eq(http_get_header(&g, "Content-Type"), "application/json; charset=utf-8");
    cr_expect_null(http_get_header(&g, "Set-Cookie"));
    cr_expect_str_eq(str(d, "model"), "res.country");
    cr_expect_str_eq(str(d, "name"), "Country");
    cr_expect(json_object_object_get_ex(d, "doc", NULL) && !get(d, "doc"));
    /* res.country has no `active`: no action_archive (the mock cannot run it) */
    cr_expect_null(get(get(d, "methods"), "action_archive"));
    cr_expect_not_null(get(get(d, "methods"), "search_read"));
    cr_expect_str_eq(str(get(get(d, "fields"), "id"), "type"), "integer");
    http_response_free(&g);
    http_response_free(&p);
    json_object_put(d);
    odoo_mock_stop(m);
}

static void expect_error(odoo_mock *m, const char *method, const char *path, const char *auth,
                         const char *extra, const char *body, int status, const char *name,
                         const char *message)
{
    int s;
    http_response raw;
    json_object *o = doc_req(m, method, path, auth, extra, body, &s, &raw);
    cr_expect_eq(s, status, "%s %s: %d", method, path, s);
    cr_expect_str_eq(str(o, "name"), name, "%s: %s", path, raw.body);
    if (message)
        cr_expect_str_eq(str(o, "message"), message);
    if (status == 401)
        cr_expect_str_eq(http_get_header(&raw, "WWW-Authenticate"), "Bearer ");
    http_response_free(&raw);
    json_object_put(o);
}

Test(api_doc, authentication_and_errors, .timeout = 30)
{
    odoo_mock *m = ts_start(19, 5);
    const char *p = "/doc-bearer/res.partner.json";
    expect_error(m, "GET", p, NULL, NULL, NULL, 401, "werkzeug.exceptions.Unauthorized",
                 "User not authenticated, use an API Key with a Bearer Authorization header.");
    expect_error(m, "GET", p, "Authorization: bearer 0000000000000000000000000000000000000000", NULL,
                 NULL, 401, "werkzeug.exceptions.Unauthorized", "Invalid apikey");
    expect_error(m, "GET", p, "Authorization: bearer " ODOO_MOCK_EXPIRED_API_KEY, NULL, NULL, 401,
                 "werkzeug.exceptions.Unauthorized", "Invalid apikey");
    expect_error(m, "GET", p, LIMITED_AUTH, NULL, NULL, 403, "odoo.exceptions.AccessError",
                 "This page is only accessible to Technical Documentation users.");
    /* the group is checked before the model exists, as api_doc does */
    expect_error(m, "GET", "/doc-bearer/no.such.model.json", LIMITED_AUTH, NULL, NULL, 403,
                 "odoo.exceptions.AccessError", NULL);
    expect_error(m, "GET", "/doc-bearer/index.json", LIMITED_AUTH, NULL, NULL, 403,
                 "odoo.exceptions.AccessError", NULL);
    expect_error(m, "GET", "/doc-bearer/no.such.model.json", ADMIN_AUTH, NULL, NULL, 404,
                 "werkzeug.exceptions.NotFound",
                 "The requested URL was not found on the server. If you entered the URL manually "
                 "please check your spelling and try again.");
    expect_error(m, "POST", p, ADMIN_AUTH, "Content-Type: application/json", "{nope", 400,
                 "werkzeug.exceptions.BadRequest", NULL);
    int s;
    http_response raw;
    /* X-Odoo-Database naming another database: JSON-2's 404 page */
    json_object_put(doc_req(m, "GET", p, ADMIN_AUTH, "X-Odoo-Database: other", NULL, &s, &raw));
    cr_expect_eq(s, 404);
    cr_expect(strstr(raw.body, "No database is selected") != NULL);
    http_response_free(&raw);
    json_object_put(doc_req(m, "GET", p, ADMIN_AUTH, "X-Odoo-Database: odoo", NULL, &s, NULL));
    cr_expect_eq(s, 200);
    json_object_put(doc_req(m, "POST", p, ADMIN_AUTH, "Content-Type: text/plain", "x", &s, NULL));
    cr_expect_eq(s, 415);
    json_object_put(doc_req(m, "DELETE", p, ADMIN_AUTH, NULL, NULL, &s, &raw));
    cr_expect_eq(s, 405);
    cr_expect_not_null(http_get_header(&raw, "Allow"));
    http_response_free(&raw);
    json_object_put(doc_req(m, "GET", "/doc-bearer/res.partner", ADMIN_AUTH, NULL, NULL, &s, NULL));
    cr_expect_eq(s, 404);
    odoo_mock_stop(m);
}

/* ---- the documents against the ORM ---- */

Test(api_doc, every_orm_method_is_documented_or_deliberately_not)
{
    for (size_t i = 0; om_orm_method_name(i); i++) {
        const char *n = om_orm_method_name(i);
        cr_expect(om_doc_is_documented(n) != om_doc_is_undocumented(n), "%s", n);
    }
}

/* A value for each required parameter name of the documented methods. */
static json_object *sample(const char *param)
{
    static const char *const V[][2] = {
        {"domain", "[]"}, {"vals_list", "[{\"name\": \"doc sample\"}]"}, {"vals", "{}"},
        {"name", "\"doc sample\""}, {"fields", "[\"name\"]"}, {NULL, NULL}};
    for (int i = 0; V[i][0]; i++)
        if (!strcmp(V[i][0], param))
            return json_tokener_parse(V[i][1]);
    return NULL;
}

/* Call model.method over JSON-2 naming every documented parameter (the
 * default where there is one): the binding must accept them all. */
static void call_with_documented_names(odoo_mock *m, const char *model, const char *method,
                                       json_object *doc)
{
    json_object *body = json_object_new_object();
    json_object_object_foreach(get(doc, "parameters"), pname, p)
    {
        if (!strcmp(str(p, "kind"), "VAR_KEYWORD"))
            continue;
        json_object *dflt;
        if (json_object_object_get_ex(p, "default", &dflt))
            json_object_object_add(body, pname, json_object_get(dflt));
        else
            json_object_object_add(body, pname, sample(pname));
    }
    json_object *api = get(doc, "api");
    int api_model = 0;
    for (size_t i = 0; api && i < json_object_array_length(api); i++)
        api_model |= !strcmp(json_object_get_string(json_object_array_get_idx(api, i)), "model");
    if (!api_model)
        json_object_object_add(body, "ids", json_object_new_array());
    int status;
    json_object *o = ts_json2(m, ODOO_MOCK_ADMIN_API_KEY, model, method,
                              json_object_to_json_string(body), &status);
    const char *msg = status == 200 ? "" : str(o, "message");
    cr_expect(strncmp(msg, "got an unexpected", 17) && strncmp(msg, "missing a required", 18) &&
                  strncmp(msg, "The method", 10),
              "%s.%s %s: %d %s", model, method, json_object_to_json_string(body), status, msg);
    json_object_put(o);
    json_object_put(body);
}

Test(api_doc, documented_methods_run_with_the_documented_names, .timeout = 60)
{
    odoo_mock *m = ts_start(19, 5);
    int s;
    json_object *index = doc_req(m, "GET", "/doc-bearer/index.json", ADMIN_AUTH, NULL, NULL, &s, NULL);
    cr_assert_eq(s, 200);
    json_object *models = get(index, "models");
    cr_assert_gt(json_object_array_length(models), 7);
    for (size_t i = 0; i < json_object_array_length(models); i++) {
        json_object *e = json_object_array_get_idx(models, i);
        char path[160];
        snprintf(path, sizeof path, "/doc-bearer/%s.json", str(e, "model"));
        json_object *d = doc_req(m, "GET", path, ADMIN_AUTH, NULL, NULL, &s, NULL);
        cr_assert_eq(s, 200, "%s", path);
        /* the index lists exactly the document's methods */
        json_object *listed = get(e, "methods");
        cr_expect_eq(json_object_array_length(listed), (size_t)json_object_object_length(get(d, "methods")));
        const char *prev = "";
        for (size_t k = 0; k < json_object_array_length(listed); k++) {
            const char *meth = json_object_get_string(json_object_array_get_idx(listed, k));
            cr_expect_gt(strcmp(meth, prev), 0, "methods sorted: %s after %s", meth, prev);
            prev = meth;
            call_with_documented_names(m, str(e, "model"), meth, get(get(d, "methods"), meth));
        }
        json_object_put(d);
    }
    json_object_put(index);
    odoo_mock_stop(m);
}

Test(api_doc, search_read_document)
{
    odoo_mock *m = ts_start(19, 5);
    int s;
    json_object *d = doc_req(m, "GET", "/doc-bearer/res.partner.json", ADMIN_AUTH, NULL, NULL, &s, NULL);
    json_object *sr = get(get(d, "methods"), "search_read");
    cr_expect_str_eq(str(sr, "signature"),
                     "(domain=None, fields=None, offset=0, limit=None, order=None, read_kwargs) -> "
                     "list[ValuesType]");
    cr_expect_str_eq(str(get(get(sr, "parameters"), "read_kwargs"), "kind"), "VAR_KEYWORD");
    cr_expect_str_eq(json_object_to_json_string(get(sr, "api")), "[ \"model\", \"readonly\" ]");
    json_object *ag = get(get(d, "methods"), "address_get");
    cr_expect_str_eq(str(ag, "signature"), "(adr_pref=None)");
    cr_expect_null(get(ag, "api"));
    cr_expect_str_eq(str(ag, "model"), "res.partner");
    json_object *frg = get(get(d, "methods"), "formatted_read_group");
    cr_expect(strstr(str(frg, "signature"), "groupby=()") != NULL);
    cr_expect_null(get(get(d, "methods"), "context_get")); /* res.users only */
    cr_expect_null(get(get(d, "methods"), "read_group"));  /* Odoo 19 does not list it */
    json_object_put(d);
    odoo_mock_stop(m);
}

/* ---- address_get over every protocol ---- */

typedef struct tree {
    int company, contact, invoice;
} tree;

/* over /jsonrpc, which every version serves; vals: a JSON dict */
static int create(odoo_mock *m, const char *vals)
{
    char args[256];
    snprintf(args, sizeof args, "[%s]", vals);
    json_object *e = ts_execute(m, 2, "admin", "res.partner", "create", args, NULL);
    json_object *id = ts_result(e);
    cr_assert_eq(json_object_get_type(id), json_type_int, "%s", json_object_to_json_string(e));
    int n = json_object_get_int(id);
    json_object_put(e);
    return n;
}

/* company (type contact) with a contact child and an invoice child */
static tree make_tree(odoo_mock *m)
{
    tree t;
    char v[256];
    t.company = create(m, "{\"name\": \"ADR Co\", \"is_company\": true}");
    snprintf(v, sizeof v, "{\"name\": \"Ann\", \"parent_id\": %d, \"type\": \"contact\"}", t.company);
    t.contact = create(m, v);
    snprintf(v, sizeof v, "{\"name\": \"Bills\", \"parent_id\": %d, \"type\": \"invoice\"}", t.company);
    t.invoice = create(m, v);
    return t;
}

static json_object *json2_address_get(odoo_mock *m, const char *body, int *status)
{
    return ts_json2(m, ODOO_MOCK_ADMIN_API_KEY, "res.partner", "address_get", body, status);
}

static int member(json_object *o, const char *k)
{
    json_object *v = get(o, k);
    return json_object_get_type(v) == json_type_int ? json_object_get_int(v) : -1;
}

Test(api_doc, address_get_json2_named, .timeout = 30)
{
    odoo_mock *m = ts_start(19, 5);
    tree t = make_tree(m);
    char b[256];
    int s;
    /* invoice found below; delivery falls back to the contact found (the company) */
    snprintf(b, sizeof b, "{\"ids\": [%d], \"adr_pref\": [\"invoice\", \"delivery\"]}", t.company);
    json_object *o = json2_address_get(m, b, &s);
    cr_expect_eq(s, 200);
    cr_expect_eq(member(o, "invoice"), t.invoice);
    cr_expect_eq(member(o, "delivery"), t.company);
    cr_expect_eq(member(o, "contact"), t.company);
    json_object_put(o);
    /* the invoice address: its contact is found up at the company */
    snprintf(b, sizeof b, "{\"ids\": [%d]}", t.invoice);
    o = json2_address_get(m, b, &s);
    cr_expect_eq(member(o, "contact"), t.company);
    cr_expect_eq(json_object_object_length(o), 1);
    json_object_put(o);
    /* a contact is its own contact */
    snprintf(b, sizeof b, "{\"ids\": [%d], \"adr_pref\": null}", t.contact);
    o = json2_address_get(m, b, &s);
    cr_expect_eq(member(o, "contact"), t.contact);
    json_object_put(o);
    /* no record: False */
    o = json2_address_get(m, "{\"ids\": []}", &s);
    cr_expect_eq(json_object_get_type(get(o, "contact")), json_type_boolean);
    json_object_put(o);
    /* wrong name, wrong model, several records with a type not found */
    o = json2_address_get(m, "{\"ids\": [1], \"adr_prefs\": []}", &s);
    cr_expect_eq(s, 422);
    cr_expect_str_eq(str(o, "message"), "got an unexpected keyword argument 'adr_prefs'");
    json_object_put(o);
    o = ts_json2(m, ODOO_MOCK_ADMIN_API_KEY, "res.country", "address_get", "{\"ids\": [1]}", &s);
    cr_expect_eq(s, 404);
    json_object_put(o);
    snprintf(b, sizeof b, "{\"ids\": [%d, %d], \"adr_pref\": [\"delivery\"]}", t.contact, t.invoice);
    o = json2_address_get(m, b, &s);
    cr_expect_eq(s, 500);
    cr_expect(strstr(str(o, "message"), "Expected singleton: res.partner(") != NULL, "%s", str(o, "message"));
    json_object_put(o);
    o = json2_address_get(m, "{\"ids\": [999999]}", &s);
    cr_expect_eq(s, 404); /* MissingError */
    json_object_put(o);
    odoo_mock_stop(m);
}

Test(api_doc, address_get_jsonrpc_and_web, .timeout = 30)
{
    odoo_mock *m = ts_start(18, 5);
    tree t = make_tree(m);
    char args[64];
    snprintf(args, sizeof args, "[[%d], [\"invoice\"]]", t.company);
    json_object *e = ts_execute(m, 2, "admin", "res.partner", "address_get", args, NULL);
    cr_expect_eq(member(ts_result(e), "invoice"), t.invoice, "%s", json_object_to_json_string(e));
    json_object_put(e);
    snprintf(args, sizeof args, "[[%d]]", t.company);
    e = ts_execute(m, 2, "admin", "res.partner", "address_get", args, "{\"adr_pref\": [\"invoice\"]}");
    cr_expect_eq(member(ts_result(e), "invoice"), t.invoice);
    json_object_put(e);
    e = ts_execute(m, 2, "admin", "res.partner", "address_get", args, "{\"adr_pref\": 5}");
    cr_expect_str_eq(ts_error_name(e), "builtins.TypeError");
    json_object_put(e);
    char *sid = ts_web_login(m, "admin", "admin", NULL);
    e = ts_call_kw(m, sid, "res.partner", "address_get", args, NULL);
    cr_expect_eq(member(ts_result(e), "contact"), t.company);
    json_object_put(e);
    free(sid);
    odoo_mock_stop(m);
}

/* XML-RPC execute_kw with positional arguments, answer read by xmlrpc-c */
Test(api_doc, address_get_xmlrpc_positional, .timeout = 30)
{
    odoo_mock *m = ts_start(19, 5);
    tree t = make_tree(m);
    char body[1024];
    snprintf(body, sizeof body,
             "<?xml version=\"1.0\"?><methodCall><methodName>execute_kw</methodName><params>"
             "<param><value><string>%s</string></value></param><param><value><int>2</int></value></param>"
             "<param><value><string>admin</string></value></param>"
             "<param><value><string>res.partner</string></value></param>"
             "<param><value><string>address_get</string></value></param>"
             "<param><value><array><data><value><array><data><value><int>%d</int></value></data></array></value>"
             "<value><array><data><value><string>invoice</string></value></data></array></value>"
             "</data></array></value></param></params></methodCall>",
             odoo_mock_db(m), t.company);
    http_response r;
    cr_assert_eq(ts_post(m, "/xmlrpc/2/object", "text/xml", body, &r), 200);
    xmlrpc_env env;
    xmlrpc_env_init(&env);
    xmlrpc_value *v = NULL;
    int code = 0;
    const char *fs = NULL;
    xmlrpc_parse_response2(&env, r.body, r.body_len, &v, &code, &fs);
    cr_assert(!env.fault_occurred && !fs, "%s", r.body);
    xmlrpc_value *inv = NULL;
    xmlrpc_struct_find_value(&env, v, "invoice", &inv);
    cr_assert_not_null(inv);
    int id = 0;
    xmlrpc_read_int(&env, inv, &id);
    cr_expect_eq(id, t.invoice);
    xmlrpc_DECREF(inv);
    xmlrpc_DECREF(v);
    xmlrpc_env_clean(&env);
    http_response_free(&r);
    odoo_mock_stop(m);
}

/* the ODXProxy gateway: v1 call_method (positional), v2 (named, 19) */
static json_object *gateway(odoo_mock *m, const char *path, const char *body)
{
    char key[128];
    snprintf(key, sizeof key, "x-api-key: %s", odoo_mock_proxy_key(m));
    const char *hdrs[] = {"Content-Type: application/json", key, NULL};
    http_response r;
    http_do(odoo_mock_port(m), "POST", path, hdrs, body, &r);
    json_object *o = r.error ? NULL : json_tokener_parse(r.body);
    http_response_free(&r);
    return o;
}

Test(api_doc, address_get_gateway, .timeout = 30)
{
    odoo_mock *m = ts_start(19, 5);
    tree t = make_tree(m);
    char b[512];
    snprintf(b, sizeof b,
             "{\"id\": 1, \"action\": \"call_method\", \"model_id\": \"res.partner\", \"fn_name\": "
             "\"address_get\", \"params\": [[%d], [\"invoice\"]], \"odoo_instance\": {\"url\": \"%s\", "
             "\"db\": \"%s\", \"user_id\": 2, \"api_key\": \"%s\"}}",
             t.company, odoo_mock_url(m), odoo_mock_db(m), ODOO_MOCK_ADMIN_API_KEY);
    json_object *o = gateway(m, "/api/odoo/execute", b);
    cr_expect_eq(member(get(o, "result"), "invoice"), t.invoice, "%s", json_object_to_json_string(o));
    json_object_put(o);
    snprintf(b, sizeof b,
             "{\"id\": 2, \"model_id\": \"res.partner\", \"method\": \"address_get\", \"kwargs\": "
             "{\"ids\": [%d], \"adr_pref\": [\"invoice\"]}, \"odoo_instance\": {\"url\": \"%s\", "
             "\"db\": \"%s\", \"api_key\": \"%s\"}}",
             t.company, odoo_mock_url(m), odoo_mock_db(m), ODOO_MOCK_ADMIN_API_KEY);
    o = gateway(m, "/v2/odoo/execute", b);
    cr_expect_eq(member(get(o, "result"), "invoice"), t.invoice, "%s", json_object_to_json_string(o));
    json_object_put(o);
    odoo_mock_stop(m);
}
