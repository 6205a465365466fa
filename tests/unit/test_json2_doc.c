/* Any public method over JSON-2: Odoo 19's own method descriptions
 * (GET /doc-bearer/<model>.json) decoded from the recordings, positional
 * arguments named from them as Python binds them, one request per model
 * per connection, the refusals when no description can be had, and the
 * same calls end to end against odoo-mock and through odoo-rpc. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <odoo.h>
#include <odoo_mock.h>

#include "core/apidoc.h"
#include "core/callconv.h"
#include "replay_server.h"

#define DOC "odoo19/json2-doc/"
#define KEY "279b0d4fbaf43e4f19028842fdc2fdf831bfaa39"

static odoo__doc_model *load_doc(const char *fixture)
{
    json_object *fx = fixture_load(fixture);
    const char *body = fixture_str(fx, "response", "body");
    odoo__doc_model *m = NULL;
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    cr_assert_eq(odoo__doc_model_parse(&m, body, strlen(body), &err), 0, "%s: %s", fixture, err.message);
    json_object_put(fx);
    return m;
}

static const odoo__doc_method *method_of(const odoo__doc_model *m, const char *name)
{
    const odoo__doc_method *d = odoo__doc_find(m, name);
    cr_assert_not_null(d, "%s.%s is described", m->model, name);
    return d;
}

/* ------------------------------------------------------------------ */
/* decoding the recorded documents */

Test(json2_doc, decodes_the_recorded_documents)
{
    odoo__doc_model *p = load_doc(DOC "01-doc-bearer-res-partner.json");
    cr_expect_str_eq(p->model, "res.partner");
    cr_expect_eq(p->nmethods, 53);
    const odoo__doc_method *a = method_of(p, "address_get");
    cr_expect_eq(a->api_model, 0, "a record method");
    cr_assert_eq(a->nparams, 1);
    cr_expect_str_eq(a->params[0].name, "adr_pref");
    cr_expect(a->params[0].has_default);

    const odoo__doc_method *s = method_of(p, "search");
    cr_expect(s->api_model);
    cr_assert_eq(s->nparams, 4);
    cr_expect_str_eq(s->params[0].name, "domain");
    cr_expect_not(s->params[0].has_default, "domain is required");
    cr_expect_str_eq(s->params[3].name, "order");

    const odoo__doc_method *sr = method_of(p, "search_read");
    cr_assert_eq(sr->nparams, 6);
    cr_expect_str_eq(sr->params[5].name, "read_kwargs");
    cr_expect_eq(sr->params[5].kind, ODOO__PARAM_VAR_KEYWORD);
    cr_expect_eq(sr->params[0].kind, ODOO__PARAM_POSITIONAL_OR_KEYWORD);

    const odoo__doc_method *g = method_of(p, "web_read_group");
    cr_assert_eq(g->nparams, 11);
    cr_expect_eq(g->params[5].kind, ODOO__PARAM_POSITIONAL_OR_KEYWORD);
    cr_expect_eq(g->params[6].kind, ODOO__PARAM_KEYWORD_ONLY);
    cr_expect_str_eq(g->params[6].name, "auto_unfold");
    cr_expect_null(odoo__doc_find(p, "message_post"), "mail is not installed in the recorded lab");
    odoo__doc_model_free(p);

    odoo__doc_model *u = load_doc(DOC "02-doc-bearer-res-users.json");
    cr_expect(method_of(u, "context_get")->api_model);
    cr_expect_eq(method_of(u, "has_group")->api_model, 0, "api readonly only: still a record method");
    odoo__doc_model_free(u);

    /* POST with an empty body answers the same document as GET. */
    odoo__doc_model *c1 = load_doc(DOC "03-doc-bearer-res-country.json"), *c2 = load_doc(DOC "04-doc-bearer-post-empty.json");
    cr_expect_eq(c1->nmethods, c2->nmethods);
    odoo__doc_model_free(c1);
    odoo__doc_model_free(c2);
}

Test(json2_doc, a_document_of_another_shape_is_a_protocol_error)
{
    static const char *const bad[] = {
        "<html>404</html>",
        "[]",
        "{\"model\": \"x\"}",
        "{\"model\": \"x\", \"methods\": []}",
        "{\"model\": \"x\", \"methods\": {\"m\": {}}}",
        "{\"model\": \"x\", \"methods\": {\"m\": {\"parameters\": []}}}",
        "{\"model\": \"x\", \"methods\": {\"m\": {\"parameters\": {\"a b\": {}}}}}",
        "{\"model\": \"x\", \"methods\": {\"m\": {\"parameters\": {\"a\": {\"kind\": \"SOMETIMES\"}}}}}",
        "{\"model\": \"x\", \"methods\": {\"m\": {\"parameters\": {\"k\": {\"kind\": \"VAR_KEYWORD\"}, \"a\": {}}}}}",
        "{\"model\": \"x\", \"methods\": {\"m\": {\"parameters\": {}, \"api\": \"model\"}}}",
        "{\"model\": \"x\", \"methods\": {\"m;drop\": {\"parameters\": {}}}}",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        odoo__doc_model *m = (odoo__doc_model *)1;
        odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
        cr_expect_eq(odoo__doc_model_parse(&m, bad[i], strlen(bad[i]), &err), ODOO_ERR_PROTOCOL, "%s", bad[i]);
        cr_expect_null(m);
        cr_expect_not_null(err.message);
        odoo_rpc_error_clear(&err);
    }
}

/* ------------------------------------------------------------------ */
/* the built-in table against the server's own descriptions */

/* Table entries no recorded document lists (the index of every model
 * says the same): Odoo 19's api_doc leaves them out or they are gone.
 * A new entry must match a description or be added here with a reason. */
static const char *const undescribed[] = {
    "search_fetch", "exists", "read_group",      /* callable, but not in api_doc */
    "toggle_active", "check_access_rights",      /* gone in 18+: action_archive, has_access */
    NULL,
};

static int is_undescribed(const char *m)
{
    for (int i = 0; undescribed[i]; i++)
        if (strcmp(undescribed[i], m) == 0)
            return 1;
    return 0;
}

Test(json2_doc, every_table_entry_matches_the_servers_description)
{
    const char *docs[] = { DOC "01-doc-bearer-res-partner.json", DOC "02-doc-bearer-res-users.json",
                           DOC "03-doc-bearer-res-country.json" };
    odoo__doc_model *m[3];
    for (int d = 0; d < 3; d++)
        m[d] = load_doc(docs[d]);
    json_object *fx = fixture_load(DOC "09-doc-bearer-index.json");
    json_object *index = json_parse(fixture_str(fx, "response", "body")), *models;
    cr_assert(json_object_object_get_ex(index, "models", &models));

    const char *name;
    int record;
    const char *const *params;
    size_t n, checked = 0;
    for (size_t i = 0; (name = odoo__call_table(i, &record, &params, &n)); i++) {
        const odoo__doc_method *d = NULL;
        for (int k = 0; k < 3 && !d; k++)
            d = odoo__doc_find(m[k], name);
        if (!d) {
            cr_expect(is_undescribed(name), "%s is in the table but no recording describes it", name);
            for (size_t k = 0; k < json_object_array_length(models); k++) {
                json_object *e = json_object_array_get_idx(models, k), *meth;
                cr_assert(json_object_object_get_ex(e, "methods", &meth));
                for (size_t x = 0; x < json_object_array_length(meth); x++)
                    cr_expect(strcmp(json_object_get_string(json_object_array_get_idx(meth, x)), name) != 0,
                              "%s is listed in the index: describe it in a test fixture", name);
            }
            continue;
        }
        cr_expect(!is_undescribed(name), "%s is described now: drop it from the list", name);
        cr_expect_eq(record, !d->api_model, "%s: record method in the table iff not api.model", name);
        size_t npos = 0;
        while (npos < d->nparams && d->params[npos].kind == ODOO__PARAM_POSITIONAL_OR_KEYWORD)
            npos++;
        cr_expect_eq(n, npos, "%s: %zu names in the table, %zu positional parameters on the server", name, n, npos);
        for (size_t k = 0; k < n && k < npos; k++)
            cr_expect_str_eq(params[k], d->params[k].name, "%s: parameter %zu", name, k);
        checked++;
    }
    cr_expect_geq(checked, 18);

    /* The action_* rule (a record method that takes nothing) holds for
     * every action_* the recordings describe, the table's action_get aside. */
    for (int k = 0; k < 3; k++)
        for (size_t i = 0; i < m[k]->nmethods; i++) {
            const odoo__doc_method *d = &m[k]->methods[i];
            if (strncmp(d->name, "action_", 7) != 0 || strcmp(d->name, "action_get") == 0)
                continue;
            cr_expect(!d->api_model && d->nparams == 0, "%s.%s breaks the action_* rule", m[k]->model, d->name);
        }
    json_object_put(index);
    json_object_put(fx);
    for (int d = 0; d < 3; d++)
        odoo__doc_model_free(m[d]);
}

/* ------------------------------------------------------------------ */
/* naming positional arguments from a description */

static odoo__doc_model *partner;

static void load_partner(void)
{
    partner = load_doc(DOC "01-doc-bearer-res-partner.json");
}

static void free_partner(void)
{
    odoo__doc_model_free(partner);
    partner = NULL;
}

/* rc of naming (model, method, ids, args, kwargs, context) with the
 * partner document; *named (new) or NULL. */
static int name_args(json_object **named, const char *method, const char *ids, const char *args,
                     const char *kwargs, const char *context, odoo_rpc_error *err, const odoo__doc_model *doc)
{
    json_object *i = json_parse(ids), *a = json_parse(args), *k = json_parse(kwargs), *c = json_parse(context);
    odoo_call_spec spec = { "res.partner", method, i, a, k, c };
    odoo_result_shape shape;
    cr_expect(odoo__call_needs_doc(&spec), "%s is outside the table", method);
    int rc = odoo__call_named_doc(&spec, odoo__doc_find(doc, method), named, &shape, err);
    cr_expect_eq(shape, ODOO_RESULT_AS_IS);
    json_object_put(i);
    json_object_put(a);
    json_object_put(k);
    json_object_put(c);
    return rc;
}

static void expect_named(const char *method, const char *ids, const char *args, const char *kwargs,
                         const char *context, const char *want)
{
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    json_object *named = NULL, *w = json_parse(want);
    cr_assert_eq(name_args(&named, method, ids, args, kwargs, context, &err, partner), 0, "%s: %s", method,
                 err.message);
    cr_expect(json_equal(named, w), "%s: got %s, want %s", method, json_object_to_json_string(named), want);
    json_object_put(w);
    json_object_put(named);
}

static void expect_refused(const char *method, const char *ids, const char *args, const char *kwargs,
                           const char *says)
{
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    json_object *named = NULL;
    cr_expect_eq(name_args(&named, method, ids, args, kwargs, NULL, &err, partner), ODOO_ERR_INVALID_ARGUMENT,
                 "%s", method);
    cr_expect_null(named);
    cr_expect(err.message && strstr(err.message, says), "%s: '%s' not in: %s", method, says, err.message);
    odoo_rpc_error_clear(&err);
}

TestSuite(json2_doc_map, .init = load_partner, .fini = free_partner);

Test(json2_doc_map, record_methods_take_the_ids_from_the_first_argument)
{
    expect_named("address_get", NULL, "[[3], [\"invoice\"]]", NULL, NULL,
                 "{\"ids\": [3], \"adr_pref\": [\"invoice\"]}");
    /* defaults stay the server's when not given */
    expect_named("address_get", NULL, "[[3, 4]]", NULL, NULL, "{\"ids\": [3, 4]}");
    /* odoo_call keeps the ids apart: every positional arg is a parameter */
    expect_named("address_get", "[3]", "[[\"delivery\"]]", NULL, NULL, "{\"ids\": [3], \"adr_pref\": [\"delivery\"]}");
    expect_named("get_field_translations", NULL, "[[1], \"name\", [\"fr_FR\"]]", NULL, NULL,
                 "{\"ids\": [1], \"field_name\": \"name\", \"langs\": [\"fr_FR\"]}");
    /* Python's None given positionally is sent as null, not dropped */
    expect_named("address_get", NULL, "[[3], null]", NULL, NULL, "{\"ids\": [3], \"adr_pref\": null}");
    /* the context travels as JSON-2's "context" member */
    expect_named("address_get", NULL, "[[3]]", NULL, "{\"lang\": \"fr_BE\"}",
                 "{\"ids\": [3], \"context\": {\"lang\": \"fr_BE\"}}");
}

Test(json2_doc_map, model_methods_take_no_ids)
{
    expect_named("find_or_create", NULL, "[\"a@example.com\"]", NULL, NULL, "{\"email\": \"a@example.com\"}");
    expect_named("find_or_create", NULL, "[\"a@example.com\", true]", NULL, NULL,
                 "{\"email\": \"a@example.com\", \"assert_valid_email\": true}");
    expect_named("view_header_get", NULL, "[false, \"list\"]", NULL, NULL,
                 "{\"view_id\": false, \"view_type\": \"list\"}");
}

Test(json2_doc_map, keyword_arguments_merge_and_var_keyword_takes_the_rest)
{
    expect_named("search_panel_select_range", NULL, "[\"parent_id\"]", "{\"limit\": 5, \"enable_counters\": true}",
                 NULL, "{\"field_name\": \"parent_id\", \"limit\": 5, \"enable_counters\": true}");
    expect_named("web_resequence", NULL, "[[1, 2], {}]", "{\"offset\": 3}", NULL,
                 "{\"ids\": [1, 2], \"specification\": {}, \"offset\": 3}");
}

Test(json2_doc_map, refused_as_python_would)
{
    expect_refused("find_or_create", NULL, "[\"a@b.c\", true, 1]", NULL, "takes 2 positional arguments, 3 given");
    expect_refused("address_get", NULL, "[[3], [\"invoice\"], 1]", NULL,
                   "takes 1 positional argument after the ids, 2 given");
    expect_refused("search_panel_select_range", NULL, "[\"parent_id\", 5]", NULL, "takes 1 positional argument, 2");
    /* keyword-only parameters cannot be given by position */
    expect_refused("formatted_read_grouping_sets", NULL, "[[], [], [], \"id\"]", NULL, "takes 3 positional");
    expect_refused("address_get", NULL, "[[3], [\"invoice\"]]", "{\"adr_pref\": [\"other\"]}",
                   "got argument 'adr_pref' twice");
    expect_refused("get_field_translations", NULL, "[[1]]", NULL, "missing a required argument: 'field_name'");
    expect_refused("view_header_get", NULL, "[false]", NULL, "missing a required argument: 'view_type'");
    /* ...and given by name instead, it is fine */
    expect_named("get_field_translations", NULL, "[[1]]", "{\"field_name\": \"name\"}", NULL,
                 "{\"ids\": [1], \"field_name\": \"name\"}");
}

Test(json2_doc_map, star_args_and_positional_only_cannot_travel_by_name)
{
    const char *text = "{\"model\": \"x.y\", \"methods\": {"
                       "\"m\": {\"parameters\": {\"a\": {}, \"rest\": {\"kind\": \"VAR_POSITIONAL\"}, "
                       "\"k\": {\"kind\": \"KEYWORD_ONLY\"}}, \"api\": [\"model\"]},"
                       "\"p\": {\"parameters\": {\"a\": {\"kind\": \"POSITIONAL_ONLY\"}}, \"api\": [\"model\"]}}}";
    odoo__doc_model *d = NULL;
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    cr_assert_eq(odoo__doc_model_parse(&d, text, strlen(text), &err), 0, "%s", err.message);
    json_object *named = NULL;
    cr_expect_eq(name_args(&named, "m", NULL, "[1]", "{\"k\": 2}", NULL, &err, d), 0, "%s", err.message);
    json_object *want = json_parse("{\"a\": 1, \"k\": 2}");
    cr_expect(json_equal(named, want), "%s", json_object_to_json_string(named));
    json_object_put(want);
    json_object_put(named);
    cr_expect_eq(name_args(&named, "m", NULL, "[1, 2]", "{\"k\": 2}", NULL, &err, d), ODOO_ERR_INVALID_ARGUMENT);
    cr_expect(strstr(err.message, "*rest, which JSON-2 cannot carry"), "%s", err.message);
    cr_expect_eq(name_args(&named, "p", NULL, "[1]", NULL, NULL, &err, d), ODOO_ERR_INVALID_ARGUMENT);
    cr_expect(strstr(err.message, "'a' is positional-only"), "%s", err.message);
    odoo_rpc_error_clear(&err);
    odoo__doc_model_free(d);
}

Test(json2_doc_map, without_a_description_the_refusal_names_the_way_out)
{
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    json_object *named = NULL;
    cr_expect_eq(name_args(&named, "message_post", NULL, "[[1], \"hi\"]", NULL, NULL, &err, NULL),
                 ODOO_ERR_INVALID_ARGUMENT);
    cr_expect(strstr(err.message, "kwargs") && strstr(err.message, "odoo_call()") &&
              strstr(err.message, "odoo-rpc call --ids 1,2 res.partner message_post"), "%s", err.message);
    odoo_rpc_error_clear(&err);
}

/* ------------------------------------------------------------------ */
/* through the JSON-2 adapter: one request per model, and the refusals */

static replay_server *srv;
static odoo_protocol *conn;
static odoo_rpc_error err = ODOO_RPC_ERROR_INIT;

static void setup(void)
{
    srv = replay_start(NULL, NULL);
    cr_assert_not_null(srv);
    odoo_options o = ODOO_OPTIONS_INIT;
    o.url = replay_url(srv);
    o.db = "odoo19";
    o.api_key = KEY;
    cr_assert_eq(odoo_connect(&conn, ODOO_PROTOCOL_JSON2, &o, &err), 0, "%s", err.message);
}

static void teardown(void)
{
    odoo_close(conn);
    replay_stop(srv);
    odoo_rpc_error_clear(&err);
}

TestSuite(json2_doc_wire, .init = setup, .fini = teardown);

static int call(json_object **out, const char *model, const char *method, const char *args, const char *kwargs)
{
    json_object *a = json_parse(args), *k = json_parse(kwargs);
    *out = NULL;
    int rc = odoo_execute_kw(out, conn, model, method, a, k, NULL, &err);
    json_object_put(a);
    json_object_put(k);
    return rc;
}

static void expect_body(size_t i, const char *path, const char *want)
{
    const replay_request *r = replay_request_at(srv, i);
    cr_assert_not_null(r, "request %zu was sent", i);
    cr_expect_str_eq(r->method, "POST");
    cr_expect_str_eq(r->path, path);
    json_object *got = json_parse(r->body), *w = json_parse(want);
    cr_expect(json_equal(got, w), "%s: sent %s, want %s", path, r->body, want);
    json_object_put(got);
    json_object_put(w);
}

Test(json2_doc_wire, one_description_request_per_model_per_connection)
{
    replay_expect(srv, DOC "01-doc-bearer-res-partner.json");
    for (int i = 0; i < 3; i++)
        replay_expect_raw(srv, 200, "application/json; charset=utf-8", "{\"invoice\": 3}", NULL);
    replay_expect_raw(srv, 200, "application/json; charset=utf-8", "\"http://localhost:8069\"", NULL);
    json_object *out = NULL;
    for (int i = 0; i < 3; i++) {
        cr_assert_eq(call(&out, "res.partner", "address_get", "[[3], [\"invoice\"]]", NULL), 0, "%s", err.message);
        cr_expect_eq(json_object_get_int(json_object_object_get(out, "invoice")), 3);
        json_object_put(out);
    }
    /* another method of the same model: the document is already here */
    cr_assert_eq(call(&out, "res.partner", "get_base_url", "[[3]]", NULL), 0, "%s", err.message);
    cr_expect_str_eq(json_object_get_string(out), "http://localhost:8069");
    json_object_put(out);

    cr_assert_eq(replay_count(srv), 5, "1 GET + 4 calls, got %zu", replay_count(srv));
    const replay_request *get = replay_request_at(srv, 0);
    cr_expect_str_eq(get->method, "GET");
    cr_expect_str_eq(get->path, "/doc-bearer/res.partner.json");
    cr_expect_str_eq(replay_sent_header(srv, 0, "authorization"), "bearer " KEY);
    cr_expect_str_eq(replay_sent_header(srv, 0, "x-odoo-database"), "odoo19");
    for (size_t i = 1; i <= 3; i++)
        expect_body(i, "/json/2/res.partner/address_get", "{\"ids\": [3], \"adr_pref\": [\"invoice\"]}");
    expect_body(4, "/json/2/res.partner/get_base_url", "{\"ids\": [3]}");
}

Test(json2_doc_wire, the_table_and_keyword_calls_ask_nothing)
{
    replay_expect_raw(srv, 200, "application/json", "[]", NULL);
    replay_expect_raw(srv, 200, "application/json", "{\"contact\": 3}", NULL);
    json_object *out = NULL;
    cr_assert_eq(call(&out, "res.partner", "search_read", "[[], [\"name\"]]", NULL), 0, "%s", err.message);
    json_object_put(out);
    cr_assert_eq(call(&out, "res.partner", "address_get", NULL, "{\"adr_pref\": [\"contact\"]}"), 0, "%s",
                 err.message);
    json_object_put(out);
    cr_expect_eq(replay_count(srv), 2, "no /doc-bearer request");
    expect_body(0, "/json/2/res.partner/search_read", "{\"domain\": [], \"fields\": [\"name\"]}");
    expect_body(1, "/json/2/res.partner/address_get", "{\"adr_pref\": [\"contact\"]}");
}

static void expect_refusal(int rc, const char *says)
{
    cr_expect_eq(rc, ODOO_ERR_INVALID_ARGUMENT, "%s", err.message);
    cr_assert_not_null(err.message);
    cr_expect(strstr(err.message, says), "'%s' not in: %s", says, err.message);
    cr_expect(strstr(err.message, "pass the arguments by name (kwargs)"), "%s", err.message);
    cr_expect(strstr(err.message, "odoo-rpc call --ids 1,2 "), "%s", err.message);
    cr_expect(!strstr(err.message, KEY), "no key in the message");
}

Test(json2_doc_wire, a_user_outside_technical_documentation_is_told_why_once)
{
    replay_expect(srv, DOC "08-doc-bearer-limited-user.json");
    json_object *out = NULL;
    for (int i = 0; i < 3; i++) {
        expect_refusal(call(&out, "res.country", "get_address_fields", "[[1]]", NULL),
                       "\"This page is only accessible to Technical Documentation users.\"");
        cr_expect(strstr(err.message, "add the key's user to the group \"Technical Documentation\""), "%s",
                  err.message);
        cr_expect_str_eq(err.model, "res.country");
        cr_expect_null(out);
    }
    cr_expect_eq(replay_count(srv), 1, "the 403 is kept: asked once, got %zu", replay_count(srv));
}

Test(json2_doc_wire, an_unknown_model_is_asked_once)
{
    replay_expect(srv, DOC "05-doc-bearer-unknown-model.json");
    json_object *out = NULL;
    expect_refusal(call(&out, "no.such.model", "do_it", "[1]", NULL), "404, unknown model");
    expect_refusal(call(&out, "no.such.model", "do_it", "[1]", NULL), "404, unknown model");
    cr_expect_eq(replay_count(srv), 1);
}

Test(json2_doc_wire, a_method_the_document_does_not_list)
{
    replay_expect(srv, DOC "01-doc-bearer-res-partner.json");
    json_object *out = NULL;
    expect_refusal(call(&out, "res.partner", "message_post", "[[3], \"Hello\"]", NULL),
                   "lists no public method 'message_post'");
    cr_expect_eq(replay_count(srv), 1);
}

/* Odoo 18 answers its plain 404 page for a URL it has not (the recorded
 * GET /web/version of 18), as a 19 without api_doc does; the JSON-2
 * routes of 18 redirect to the login page. Either way no model will
 * have a description: asked once for the whole server. */
Test(json2_doc_wire, no_api_doc_or_odoo_18_is_asked_once_per_server)
{
    replay_expect(srv, "odoo18/json2/01-web-version-get-18.json");
    json_object *out = NULL;
    expect_refusal(call(&out, "res.partner", "address_get", "[[3]]", NULL),
                   "the module api_doc is not installed, or Odoo is older than 19");
    expect_refusal(call(&out, "res.country", "get_address_fields", "[[1]]", NULL), "404 Not Found");
    cr_expect_eq(replay_count(srv), 1, "got %zu", replay_count(srv));
}

/* A redirect is refused by the transport (libodoo follows none), whose
 * message says where it points; nothing is guessed or sent after it. */
Test(json2_doc_wire, a_redirect_stops_the_call)
{
    replay_expect(srv, "odoo18/json2/02-json2-on-18.json");
    json_object *out = NULL;
    cr_expect_neq(call(&out, "res.partner", "address_get", "[[3]]", NULL), 0);
    cr_expect(err.message && strstr(err.message, "redirect"), "%s", err.message);
    cr_expect_null(out);
    cr_expect_eq(replay_count(srv), 1);
}

Test(json2_doc_wire, a_refused_key_is_an_auth_error_and_asked_again)
{
    replay_expect(srv, DOC "06-doc-bearer-bad-key.json");
    replay_expect(srv, DOC "07-doc-bearer-no-key.json");
    replay_expect(srv, DOC "01-doc-bearer-res-partner.json");
    replay_expect_raw(srv, 200, "application/json", "{\"contact\": 3}", NULL);
    json_object *out = NULL;
    cr_expect_eq(call(&out, "res.partner", "address_get", "[[3]]", NULL), ODOO_ERR_AUTH);
    cr_expect(strstr(err.message, "Invalid apikey"), "%s", err.message);
    cr_expect_eq(err.http_status, 401);
    cr_expect_eq(call(&out, "res.partner", "address_get", "[[3]]", NULL), ODOO_ERR_AUTH);
    cr_expect(strstr(err.message, "Bearer Authorization header"), "%s", err.message);
    cr_expect_eq(call(&out, "res.partner", "address_get", "[[3]]", NULL), 0, "%s", err.message);
    json_object_put(out);
    cr_expect_eq(replay_count(srv), 4);
}

Test(json2_doc_wire, a_server_error_is_returned_and_asked_again)
{
    replay_expect_raw(srv, 503, "text/html", "<html><title>503 Service Unavailable</title></html>", NULL);
    replay_expect(srv, DOC "01-doc-bearer-res-partner.json");
    replay_expect_raw(srv, 200, "application/json", "{\"contact\": 3}", NULL);
    json_object *out = NULL;
    cr_expect_eq(call(&out, "res.partner", "address_get", "[[3]]", NULL), ODOO_ERR_UNAVAILABLE, "%s", err.message);
    cr_expect_eq(call(&out, "res.partner", "address_get", "[[3]]", NULL), 0, "%s", err.message);
    json_object_put(out);
    cr_expect_eq(replay_count(srv), 3);
}

Test(json2_doc_wire, a_broken_document_is_refused_not_guessed)
{
    replay_expect_raw(srv, 200, "application/json", "{\"model\": \"res.partner\"}", NULL);
    json_object *out = NULL;
    expect_refusal(call(&out, "res.partner", "address_get", "[[3]]", NULL), "its answer could not be read");
    expect_refusal(call(&out, "res.partner", "address_get", "[[3]]", NULL), "its answer could not be read");
    cr_expect_eq(replay_count(srv), 1);
}

/* ------------------------------------------------------------------ */
/* end to end against odoo-mock (19) */

static odoo_mock *mock;

static void mock_up(void)
{
    odoo_mock_config cfg = { 0 };
    cfg.quiet = 1;
    cr_assert_eq(odoo_mock_start(&mock, &cfg), 0, "odoo-mock did not start");
}

static void mock_down(void)
{
    odoo_mock_stop(mock);
    mock = NULL;
    odoo_rpc_error_clear(&err);
}

static odoo_protocol *mock_conn(odoo_protocol_kind kind, const char *key)
{
    odoo_options o = ODOO_OPTIONS_INIT;
    o.url = odoo_mock_url(mock);
    o.db = odoo_mock_db(mock);
    o.login = ODOO_MOCK_ADMIN_LOGIN;
    o.password = ODOO_MOCK_ADMIN_PASSWORD;
    o.api_key = key;
    odoo_protocol *p = NULL;
    cr_assert_eq(odoo_connect(&p, kind, &o, &err), 0, "%s", err.message);
    return p;
}

/* A company with a contact of type invoice, made over XML-RPC. */
static long company_with_invoice_contact(odoo_protocol *x)
{
    json_object *vals = json_parse("{\"name\": \"Doc Co\", \"is_company\": true}");
    json_object *id = NULL;
    cr_assert_eq(odoo_create(&id, x, "res.partner", vals, NULL, &err), 0, "%s", err.message);
    long company = (long)json_object_get_int64(id);
    json_object_put(vals);
    json_object_put(id);
    char buf[160];
    snprintf(buf, sizeof(buf), "{\"name\": \"Doc Billing\", \"type\": \"invoice\", \"parent_id\": %ld}", company);
    vals = json_parse(buf);
    cr_assert_eq(odoo_create(&id, x, "res.partner", vals, NULL, &err), 0, "%s", err.message);
    json_object_put(vals);
    json_object_put(id);
    return company;
}

TestSuite(json2_doc_mock, .init = mock_up, .fini = mock_down);

Test(json2_doc_mock, address_get_with_positional_args_equals_xmlrpc)
{
    odoo_protocol *x = mock_conn(ODOO_PROTOCOL_XMLRPC, NULL), *j = mock_conn(ODOO_PROTOCOL_JSON2, ODOO_MOCK_ADMIN_API_KEY);
    long company = company_with_invoice_contact(x);
    char args[96];
    snprintf(args, sizeof(args), "[[%ld], [\"invoice\", \"delivery\"]]", company);
    json_object *a = json_parse(args), *via_x = NULL, *via_j = NULL;
    cr_assert_eq(odoo_execute_kw(&via_x, x, "res.partner", "address_get", a, NULL, NULL, &err), 0, "%s", err.message);
    odoo_mock_stats before, after;
    odoo_mock_get_stats(mock, &before);
    for (int i = 0; i < 3; i++) {
        json_object_put(via_j);
        cr_assert_eq(odoo_execute_kw(&via_j, j, "res.partner", "address_get", a, NULL, NULL, &err), 0, "%s",
                     err.message);
    }
    odoo_mock_get_stats(mock, &after);
    cr_expect(json_equal(via_x, via_j), "xmlrpc %s, json2 %s", json_object_to_json_string(via_x),
              json_object_to_json_string(via_j));
    cr_expect_neq(json_object_get_int(json_object_object_get(via_j, "invoice")), company,
                  "the invoice contact, not the company: %s", json_object_to_json_string(via_j));
    cr_expect_eq(after.requests - before.requests, 4, "one /doc-bearer + 3 calls, got %lu",
                 after.requests - before.requests);
    json_object_put(a);
    json_object_put(via_x);
    json_object_put(via_j);
    odoo_close(x);
    odoo_close(j);
}

Test(json2_doc_mock, a_limited_user_gets_the_refusal)
{
    odoo_protocol *j = mock_conn(ODOO_PROTOCOL_JSON2, ODOO_MOCK_LIMITED_API_KEY);
    json_object *a = json_parse("[[3], [\"invoice\"]]"), *out = NULL;
    cr_expect_eq(odoo_execute_kw(&out, j, "res.partner", "address_get", a, NULL, NULL, &err),
                 ODOO_ERR_INVALID_ARGUMENT);
    cr_expect(strstr(err.message, "Technical Documentation"), "%s", err.message);
    cr_expect(!strstr(err.message, ODOO_MOCK_LIMITED_API_KEY));
    /* by name it runs */
    json_object *kw = json_parse("{\"adr_pref\": [\"invoice\"]}"), *ids = json_parse("[3]");
    cr_expect_eq(odoo_call(&out, j, "res.partner", "address_get", ids, NULL, kw, NULL, &err), 0, "%s", err.message);
    cr_expect(json_object_is_type(out, json_type_object));
    json_object_put(out);
    json_object_put(kw);
    json_object_put(ids);
    json_object_put(a);
    odoo_close(j);
}

/* The mock's documents decode like the real ones and name every
 * parameter as the recordings do (same names, order, defaults, api). */
Test(json2_doc_mock, the_mocks_documents_agree_with_the_recordings)
{
    odoo_options o = ODOO_OPTIONS_INIT;
    odoo_http *h = NULL;
    cr_assert_eq(odoo_http_new(&h, odoo_mock_url(mock), &o, &err), 0, "%s", err.message);
    const char *headers[] = { "Authorization: bearer " ODOO_MOCK_ADMIN_API_KEY, NULL };
    odoo__apidoc *cache = NULL;
    const odoo__doc_method *mm = NULL;
    cr_assert_eq(odoo__apidoc_method(&mm, &cache, h, headers, "res.partner", "address_get", &err), 0, "%s",
                 err.message);
    odoo__doc_model *rec = load_doc(DOC "01-doc-bearer-res-partner.json");
    const char *names[] = { "address_get", "search", "search_read", "read", "write", "create", "unlink",
                            "name_search", "fields_get", "default_get", "action_archive", NULL };
    for (int i = 0; names[i]; i++) {
        const odoo__doc_method *m = NULL, *r = method_of(rec, names[i]);
        cr_assert_eq(odoo__apidoc_method(&m, &cache, h, headers, "res.partner", names[i], &err), 0, "%s: %s",
                     names[i], err.message);
        cr_expect_eq(m->api_model, r->api_model, "%s", names[i]);
        cr_assert_eq(m->nparams, r->nparams, "%s", names[i]);
        for (size_t k = 0; k < m->nparams; k++) {
            cr_expect_str_eq(m->params[k].name, r->params[k].name, "%s", names[i]);
            cr_expect_eq(m->params[k].kind, r->params[k].kind, "%s.%s", names[i], m->params[k].name);
            cr_expect_eq(m->params[k].has_default, r->params[k].has_default, "%s.%s", names[i], m->params[k].name);
        }
    }
    cr_expect_eq(odoo__apidoc_requests(cache), 1);
    odoo__doc_model_free(rec);
    odoo__apidoc_free(cache);
    odoo_http_free(h);
}

/* An Odoo 18 (forced to JSON-2): no /doc-bearer route, so the refusal. */
Test(json2_doc, odoo_18_has_no_descriptions)
{
    odoo_mock_config cfg = { 0 };
    cfg.quiet = 1;
    cfg.odoo_version = 18;
    cr_assert_eq(odoo_mock_start(&mock, &cfg), 0);
    odoo_protocol *j = mock_conn(ODOO_PROTOCOL_JSON2, ODOO_MOCK_ADMIN_API_KEY);
    json_object *a = json_parse("[[3], [\"invoice\"]]"), *out = NULL;
    cr_expect_eq(odoo_execute_kw(&out, j, "res.partner", "address_get", a, NULL, NULL, &err),
                 ODOO_ERR_INVALID_ARGUMENT);
    cr_expect(strstr(err.message, "api_doc is not installed, or Odoo is older than 19"), "%s", err.message);
    cr_expect(strstr(err.message, "odoo-rpc call --ids 1,2 res.partner address_get"), "%s", err.message);
    json_object_put(a);
    odoo_close(j);
    mock_down();
}

/* odoo-rpc call: positional args (the ids first, as over XML-RPC) and the
 * keyword form, over JSON-2 against the mock. */
#ifdef ODOO_RPC_PATH
static char *run_cli(const char *const *words, int *status)
{
    char url[160], db[96];
    snprintf(url, sizeof(url), "ODOO_URL=%s", odoo_mock_url(mock));
    snprintf(db, sizeof(db), "ODOO_DB=%s", odoo_mock_db(mock));
    const char *env[] = { url, db, "ODOO_USER=admin", "ODOO_API_KEY=" ODOO_MOCK_ADMIN_API_KEY, NULL };
    const char *argv[16];
    int n = 0;
    argv[n++] = ODOO_RPC_PATH;
    argv[n++] = "--protocol";
    argv[n++] = "json2";
    while (*words && n < 15)
        argv[n++] = *words++;
    argv[n] = NULL;
    int out[2];
    cr_assert_eq(pipe(out), 0);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(out[1], 1);
        close(out[0]);
        execve(ODOO_RPC_PATH, (char *const *)argv, (char *const *)env);
        _exit(127);
    }
    close(out[1]);
    size_t cap = 8192, len = 0;
    char *buf = malloc(cap);
    ssize_t r;
    while ((r = read(out[0], buf + len, cap - len - 1)) > 0)
        len += (size_t)r;
    buf[len] = '\0';
    close(out[0]);
    int st = 0;
    waitpid(pid, &st, 0);
    *status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return buf;
}

Test(json2_doc_mock, odoo_rpc_call_runs_any_method)
{
    odoo_protocol *x = mock_conn(ODOO_PROTOCOL_XMLRPC, NULL);
    long company = company_with_invoice_contact(x);
    char args[96];
    snprintf(args, sizeof(args), "[[%ld], [\"invoice\"]]", company);
    json_object *a = json_parse(args), *want = NULL;
    cr_assert_eq(odoo_execute_kw(&want, x, "res.partner", "address_get", a, NULL, NULL, &err), 0, "%s", err.message);

    int status = -1;
    const char *positional[] = { "call", "res.partner", "address_get", args, NULL };
    char *text = run_cli(positional, &status);
    cr_expect_eq(status, 0, "%s", text);
    json_object *got = json_parse(text);
    cr_expect(json_equal(got, want), "cli %s, xmlrpc %s", text, json_object_to_json_string(want));
    json_object_put(got);
    free(text);

    /* the keyword form: ids apart (--ids), arguments by name, no description needed */
    char ids_only[48];
    snprintf(ids_only, sizeof(ids_only), "%ld", company);
    const char *keyword[] = { "call", "--ids", ids_only, "res.partner", "address_get", "[]",
                              "{\"adr_pref\": [\"invoice\"]}", NULL };
    text = run_cli(keyword, &status);
    cr_expect_eq(status, 0, "%s", text);
    got = json_parse(text);
    cr_expect(json_equal(got, want), "cli %s, xmlrpc %s", text, json_object_to_json_string(want));
    json_object_put(got);
    free(text);
    json_object_put(want);
    json_object_put(a);
    odoo_close(x);
}
#endif
