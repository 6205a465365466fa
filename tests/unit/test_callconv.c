/* The call convention: positional for execute_kw protocols, named for JSON-2. */
#include <string.h>

#include <criterion/criterion.h>
#include <odoo.h>

#include "core/callconv.h"
#include "fixtures.h"

static json_object *named_of(const char *method, const char *ids, const char *args, const char *kwargs,
                             const char *context, odoo_result_shape *shape, int *rc, odoo_rpc_error *err)
{
    json_object *i = json_parse(ids), *a = json_parse(args), *k = json_parse(kwargs), *c = json_parse(context);
    odoo_call_spec spec = { "res.partner", method, i, a, k, c };
    json_object *named = NULL;
    *rc = odoo__call_named(&spec, &named, shape, err);
    json_object_put(i);
    json_object_put(a);
    json_object_put(k);
    json_object_put(c);
    return named;
}

static void expect_named(const char *method, const char *ids, const char *args, const char *kwargs,
                         const char *want, odoo_result_shape want_shape)
{
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    odoo_result_shape shape;
    int rc;
    json_object *named = named_of(method, ids, args, kwargs, NULL, &shape, &rc, &err);
    cr_assert_eq(rc, 0, "%s: %s", method, err.message);
    json_object *w = json_parse(want);
    cr_expect(json_equal(named, w), "%s: got %s, want %s", method, json_object_to_json_string(named), want);
    cr_expect_eq(shape, want_shape, "%s", method);
    json_object_put(w);
    json_object_put(named);
}

static void expect_refused(const char *method, const char *ids, const char *args, const char *kwargs, const char *says)
{
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    odoo_result_shape shape;
    int rc;
    json_object *named = named_of(method, ids, args, kwargs, NULL, &shape, &rc, &err);
    cr_expect_eq(rc, ODOO_ERR_INVALID_ARGUMENT, "%s", method);
    cr_expect_null(named);
    cr_expect(strstr(err.message, says) != NULL, "%s: %s", method, err.message);
    odoo_rpc_error_clear(&err);
}

Test(callconv, orm_methods_get_their_names)
{
    expect_named("search", NULL, "[[[\"a\",\"=\",1]], 5, 10, \"id desc\"]", NULL,
                 "{\"domain\": [[\"a\",\"=\",1]], \"offset\": 5, \"limit\": 10, \"order\": \"id desc\"}", ODOO_RESULT_AS_IS);
    expect_named("search_read", NULL, "[[], [\"name\"]]", "{\"limit\": 3}",
                 "{\"domain\": [], \"fields\": [\"name\"], \"limit\": 3}", ODOO_RESULT_AS_IS);
    expect_named("search_count", NULL, "[[]]", NULL, "{\"domain\": []}", ODOO_RESULT_AS_IS);
    expect_named("read", NULL, "[[1, 2], [\"name\"]]", NULL, "{\"ids\": [1, 2], \"fields\": [\"name\"]}",
                 ODOO_RESULT_AS_IS);
    expect_named("write", NULL, "[[1], {\"name\": \"x\"}]", NULL, "{\"ids\": [1], \"vals\": {\"name\": \"x\"}}",
                 ODOO_RESULT_AS_IS);
    expect_named("unlink", NULL, "[[1]]", NULL, "{\"ids\": [1]}", ODOO_RESULT_AS_IS);
    expect_named("fields_get", NULL, "[[\"name\"], [\"type\"]]", NULL,
                 "{\"allfields\": [\"name\"], \"attributes\": [\"type\"]}", ODOO_RESULT_AS_IS);
    expect_named("name_search", NULL, "[\"Az\", [], \"ilike\", 5]", NULL,
                 "{\"name\": \"Az\", \"domain\": [], \"operator\": \"ilike\", \"limit\": 5}", ODOO_RESULT_AS_IS);
    expect_named("name_create", NULL, "[\"New\"]", NULL, "{\"name\": \"New\"}", ODOO_RESULT_AS_IS);
    expect_named("default_get", NULL, "[[\"name\"]]", NULL, "{\"fields\": [\"name\"]}", ODOO_RESULT_AS_IS);
    expect_named("copy", NULL, "[[4], {\"name\": \"c\"}]", NULL, "{\"ids\": [4], \"default\": {\"name\": \"c\"}}",
                 ODOO_RESULT_AS_IS);
    expect_named("read_group", NULL, "[[], [\"color:sum\"], []]", NULL,
                 "{\"domain\": [], \"fields\": [\"color:sum\"], \"groupby\": []}", ODOO_RESULT_AS_IS);
    expect_named("formatted_read_group", NULL, "[[], [], [\"__count\"]]", NULL,
                 "{\"domain\": [], \"groupby\": [], \"aggregates\": [\"__count\"]}", ODOO_RESULT_AS_IS);
    expect_named("web_search_read", NULL, "[[], {\"name\": {}}]", NULL,
                 "{\"domain\": [], \"specification\": {\"name\": {}}}", ODOO_RESULT_AS_IS);
    expect_named("action_archive", NULL, "[[7]]", NULL, "{\"ids\": [7]}", ODOO_RESULT_AS_IS);
    expect_named("button_confirm", "[7]", NULL, NULL, "{\"ids\": [7]}", ODOO_RESULT_AS_IS);
}

Test(callconv, create_keeps_execute_kw_result_shape)
{
    expect_named("create", NULL, "[{\"name\": \"x\"}]", NULL, "{\"vals_list\": [{\"name\": \"x\"}]}",
                 ODOO_RESULT_FIRST_ID);
    expect_named("create", NULL, "[[{\"name\": \"x\"}, {\"name\": \"y\"}]]", NULL,
                 "{\"vals_list\": [{\"name\": \"x\"}, {\"name\": \"y\"}]}", ODOO_RESULT_AS_IS);
    expect_named("create", NULL, NULL, "{\"vals_list\": {\"name\": \"x\"}}", "{\"vals_list\": [{\"name\": \"x\"}]}",
                 ODOO_RESULT_FIRST_ID);
    json_object *r = json_parse("[152]");
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    cr_assert_eq(odoo__reshape_result(&r, ODOO_RESULT_FIRST_ID, &err), 0);
    cr_expect_eq(json_object_get_int(r), 152);
    json_object_put(r);
    r = json_parse("[1, 2]");
    cr_expect_eq(odoo__reshape_result(&r, ODOO_RESULT_FIRST_ID, &err), ODOO_ERR_PROTOCOL);
    cr_expect_null(r, "released on failure");
    odoo_rpc_error_clear(&err);
}

Test(callconv, named_only_methods_and_context)
{
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    odoo_result_shape shape;
    int rc;
    json_object *n = named_of("my_method", "[1]", NULL, "{\"x\": 1}", "{\"lang\": \"fr_BE\"}", &shape, &rc, &err);
    cr_assert_eq(rc, 0);
    json_object *w = json_parse("{\"x\": 1, \"ids\": [1], \"context\": {\"lang\": \"fr_BE\"}}");
    cr_expect(json_equal(n, w), "%s", json_object_to_json_string(n));
    json_object_put(w);
    json_object_put(n);
}

Test(callconv, never_a_guess)
{
    expect_refused("my_method", NULL, "[1]", NULL, "by name (kwargs)");
    expect_refused("search", NULL, "[[], 0, 1, \"id\", 5]", NULL, "takes 4 positional");
    expect_refused("search_read", NULL, "[[], [\"name\"]]", "{\"fields\": [\"id\"]}", "twice");
    expect_refused("read", "[1]", NULL, "{\"ids\": [2]}", "'ids' is not a keyword");
    expect_refused("action_confirm", NULL, "[[1], 2]", NULL, "takes 0 positional");
}

Test(callconv, positional_shape)
{
    json_object *ids = json_parse("[1, 2]"), *args = json_parse("[{\"a\": 1}]"), *kw = json_parse("{\"k\": 1}");
    json_object *ctx = json_parse("{\"tz\": \"UTC\"}"), *wa, *wk;
    odoo_call_spec spec = { "res.partner", "write", ids, args, kw, ctx };
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    cr_assert_eq(odoo__call_positional(&spec, &wa, &wk, &err), 0);
    json_object *want_a = json_parse("[[1, 2], {\"a\": 1}]"), *want_k = json_parse("{\"k\": 1, \"context\": {\"tz\": \"UTC\"}}");
    cr_expect(json_equal(wa, want_a));
    cr_expect(json_equal(wk, want_k));
    cr_expect_eq(json_object_object_length(kw), 1, "the caller's kwargs are not modified");
    json_object_put(wa);
    json_object_put(wk);
    json_object_put(want_a);
    json_object_put(want_k);
    json_object_put(ids);
    json_object_put(args);
    json_object_put(kw);
    json_object_put(ctx);
}

/* common.authenticate's answer, read once for XML-RPC, stateless /jsonrpc
 * and the example adapter: a uid, False, or a protocol error. */
Test(callconv, authenticate_answers_a_uid_or_false)
{
    static const struct {
        const char *json;
        int rc;
        int64_t uid;
    } cases[] = {
        { "2", 0, 2 }, { "8589934592", 0, 8589934592LL }, { "false", 0, 0 },
        { "true", ODOO_ERR_PROTOCOL, 0 }, { "0", ODOO_ERR_PROTOCOL, 0 }, { "-1", ODOO_ERR_PROTOCOL, 0 },
        { "null", ODOO_ERR_PROTOCOL, 0 }, { "\"2\"", ODOO_ERR_PROTOCOL, 0 }, { "[2]", ODOO_ERR_PROTOCOL, 0 },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        json_object *v = json_parse(cases[i].json);
        odoo_rpc_error e = ODOO_RPC_ERROR_INIT;
        int64_t uid = -7;
        cr_expect_eq(odoo_authenticate_uid(&uid, v, &e), cases[i].rc, "%s: %s", cases[i].json, e.message);
        cr_expect_eq(uid, cases[i].uid, "%s", cases[i].json);
        if (cases[i].rc)
            cr_expect(strstr(e.message, "not a uid or False") != NULL, "%s: %s", cases[i].json, e.message);
        json_object_put(v);
        odoo_rpc_error_clear(&e);
    }
}
