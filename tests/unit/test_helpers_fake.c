/* The helpers and the base, against a fake adapter that records the calls
 * it receives (no network): what every protocol gets from the base. */
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>
#include <odoo.h>
#include <odoo/sys/protocol.h>
#include <odoo/sys/errors.h>

#include "fixtures.h"

static struct {
    int logins, calls, version_calls;
    char model[64], method[64];
    json_object *ids, *args, *kwargs, *context;
    json_object *result;          /* what the next call answers (borrowed) */
    int fail_times;               /* answer SESSION_EXPIRED this many times */
    const char *fail_message;     /* or fail with this message */
} rec;

static json_object *copy_or_null(json_object *o)
{
    json_object *c = NULL;
    if (o)
        json_object_deep_copy(o, &c, NULL);
    return c;
}

/* The fake answers every operation in encode (ODOO_EXCHANGE_DONE): no
 * request is ever described, so nothing reaches the network, and what
 * the core hands an adapter is recorded. */
static int fake_encode(odoo_protocol *p, odoo_exchange *x, odoo_rpc_error *err)
{
    (void)p;
    const odoo_call_spec *c = x->call;
    switch (x->op) {
    case ODOO_OP_LOGIN:
        rec.logins++;
        x->uid = 7;
        return ODOO_EXCHANGE_DONE;
    case ODOO_OP_VERSION:
        rec.version_calls++;
        x->result = json_parse("{\"server_version\": \"18.0\", \"server_version_info\": [18, 0, 0, \"final\", 0, \"\"]}");
        return ODOO_EXCHANGE_DONE;
    case ODOO_OP_CALL:
        break;
    default:
        return odoo_error_set(err, ODOO_ERR_UNSUPPORTED, "the fake has no such exchange");
    }
    rec.calls++;
    snprintf(rec.model, sizeof(rec.model), "%s", c->model);
    snprintf(rec.method, sizeof(rec.method), "%s", c->method);
    json_object_put(rec.ids);
    json_object_put(rec.args);
    json_object_put(rec.kwargs);
    json_object_put(rec.context);
    rec.ids = copy_or_null(c->ids);
    rec.args = copy_or_null(c->args);
    rec.kwargs = copy_or_null(c->kwargs);
    rec.context = copy_or_null(c->context);
    if (rec.fail_times > 0) {
        rec.fail_times--;
        return odoo_error_set(err, ODOO_ERR_SESSION_EXPIRED, "Session expired");
    }
    if (rec.fail_message)
        return odoo_error_set(err, ODOO_ERR_SERVER, "%s", rec.fail_message);
    x->result = rec.result ? json_object_get(rec.result) : NULL;
    return ODOO_EXCHANGE_DONE;
}

static int fake_decode(odoo_protocol *p, odoo_exchange *x, const odoo_http_response *resp, odoo_rpc_error *err)
{
    (void)p; (void)x; (void)resp;
    return odoo_error_set(err, ODOO_ERR_PROTOCOL, "the fake never sends a request");
}

static const odoo_protocol_ops fake_ops = {
    ODOO_PROTOCOL_OPS_VERSION, "fake", ODOO_CAP_NEEDS_LOGIN | ODOO_CAP_SESSION | ODOO_CAP_PASSWORD, 0,
    NULL, NULL, fake_encode, fake_decode, NULL,
};

static odoo_protocol *p;
static odoo_rpc_error err = ODOO_RPC_ERROR_INIT;

static void setup(void)
{
    memset(&rec, 0, sizeof(rec));
    odoo_options o = ODOO_OPTIONS_INIT;
    o.url = "http://fake.invalid";
    o.db = "db";
    o.login = "admin";
    o.password = "correct-horse-battery";
    o.context = json_parse("{\"lang\": \"en_US\", \"tz\": \"UTC\"}");
    cr_assert_eq(odoo_open(&p, &fake_ops, &o, &err), 0, "%s", err.message);
    json_object_put(o.context); /* the connection keeps its own copy */
}

static void teardown(void)
{
    odoo_close(p);
    json_object_put(rec.ids);
    json_object_put(rec.args);
    json_object_put(rec.kwargs);
    json_object_put(rec.context);
    odoo_rpc_error_clear(&err);
}

#define EXPECT_JSON(obj, text)                                                                  \
    do {                                                                                        \
        json_object *want_ = json_parse(text);                                                  \
        cr_expect(json_equal((obj), want_), "got %s, want %s",                                  \
                  (obj) ? json_object_to_json_string(obj) : "NULL", text);                      \
        json_object_put(want_);                                                                 \
    } while (0)

TestSuite(helpers, .init = setup, .fini = teardown);

Test(helpers, search_read_builds_execute_kw_and_logs_in_once)
{
    rec.result = json_parse("[{\"id\": 1}]");
    json_object *domain = json_parse("[[\"is_company\", \"=\", true]]"), *out = NULL;
    const char *fields[] = { "name", "email", NULL };
    cr_assert_eq(odoo_search_read(&out, p, "res.partner", &(odoo_search_options){ .version = ODOO_SEARCH_OPTIONS_VERSION, .domain = domain, .fields = fields, .offset = 10, .limit = 5, .order = "name asc" }, &err), 0);
    cr_expect_eq(rec.logins, 1);
    cr_expect_str_eq(rec.method, "search_read");
    cr_expect_null(rec.ids);
    EXPECT_JSON(rec.args, "[[[\"is_company\", \"=\", true]]]");
    EXPECT_JSON(rec.kwargs, "{\"fields\": [\"name\", \"email\"], \"offset\": 10, \"limit\": 5, \"order\": \"name asc\"}");
    EXPECT_JSON(rec.context, "{\"lang\": \"en_US\", \"tz\": \"UTC\"}");
    EXPECT_JSON(out, "[{\"id\": 1}]");
    json_object_put(out);
    cr_assert_eq(odoo_search_read(&out, p, "res.partner", NULL, &err), 0);
    cr_expect_eq(rec.logins, 1, "no second login");
    EXPECT_JSON(rec.args, "[[]]");
    EXPECT_JSON(rec.kwargs, "{}");
    json_object_put(out);
    json_object_put(domain);
    json_object_put(rec.result);
}

Test(helpers, context_merge_call_keys_win)
{
    json_object *kwargs = json_parse("{\"limit\": 1, \"context\": {\"tz\": \"Europe/Brussels\", \"a\": 1}}");
    json_object *ctx = json_parse("{\"a\": 2, \"lang\": \"fr_BE\"}"), *out = NULL;
    json_object *args = json_parse("[[]]");
    cr_assert_eq(odoo_execute_kw(&out, p, "res.partner", "search", args, kwargs, ctx, &err), 0);
    json_object_put(args);
    EXPECT_JSON(rec.kwargs, "{\"limit\": 1}");
    EXPECT_JSON(rec.context, "{\"lang\": \"fr_BE\", \"tz\": \"Europe/Brussels\", \"a\": 2}");
    json_object_put(kwargs);
    json_object_put(ctx);
}

Test(helpers, record_helpers_keep_ids_apart)
{
    int64_t idv[] = { 3, 4 };
    json_object *ids = odoo_ids_new(idv, 2), *vals = json_parse("{\"name\": \"x\"}"), *out = NULL;
    const char *fields[] = { "name", NULL };
    cr_assert_eq(odoo_read(&out, p, "res.partner", ids, fields, NULL, &err), 0);
    cr_expect_str_eq(rec.method, "read");
    EXPECT_JSON(rec.ids, "[3, 4]");
    cr_expect_null(rec.args);
    EXPECT_JSON(rec.kwargs, "{\"fields\": [\"name\"]}");

    cr_assert_eq(odoo_write(p, "res.partner", ids, vals, NULL, &err), 0);
    cr_expect_str_eq(rec.method, "write");
    EXPECT_JSON(rec.ids, "[3, 4]");
    EXPECT_JSON(rec.args, "[{\"name\": \"x\"}]");

    cr_assert_eq(odoo_unlink(p, "res.partner", ids, NULL, &err), 0);
    cr_expect_str_eq(rec.method, "unlink");
    EXPECT_JSON(rec.ids, "[3, 4]");

    rec.result = json_object_new_int(42);
    cr_assert_eq(odoo_create(&out, p, "res.partner", vals, NULL, &err), 0);
    cr_expect_null(rec.ids);
    EXPECT_JSON(rec.args, "[{\"name\": \"x\"}]");
    cr_expect_eq(json_object_get_int(out), 42);
    json_object_put(out);
    json_object_put(rec.result);
    json_object_put(ids);
    json_object_put(vals);
}

Test(helpers, count_fields_get_and_name_search)
{
    rec.result = json_object_new_int(12);
    int64_t n = 0;
    cr_assert_eq(odoo_search_count(&n, p, "res.partner", NULL, &err), 0);
    cr_expect_eq(n, 12);
    EXPECT_JSON(rec.args, "[[]]");
    json_object_put(rec.result);

    rec.result = json_parse("{}");
    json_object *out = NULL;
    const char *attrs[] = { "string", "type", NULL };
    cr_assert_eq(odoo_fields_get(&out, p, "res.partner", NULL, attrs, NULL, &err), 0);
    EXPECT_JSON(rec.kwargs, "{\"attributes\": [\"string\", \"type\"]}");
    json_object_put(out);

    /* name_search's domain keyword is "args" before Odoo 19: learned once. */
    json_object *domain = json_parse("[[\"is_company\", \"=\", true]]");
    cr_assert_eq(odoo_name_search(&out, p, "res.partner", "Az", domain, "ilike", 5, NULL, &err), 0);
    cr_expect_eq(rec.version_calls, 1);
    EXPECT_JSON(rec.kwargs, "{\"name\": \"Az\", \"args\": [[\"is_company\", \"=\", true]], \"operator\": \"ilike\", "
                            "\"limit\": 5}");
    json_object_put(out);
    cr_assert_eq(odoo_name_search(&out, p, "res.partner", "Az", domain, NULL, 0, NULL, &err), 0);
    cr_expect_eq(rec.version_calls, 1, "version learned once");
    json_object_put(out);
    json_object_put(domain);
    json_object_put(rec.result);
}

Test(helpers, non_integer_count_is_a_protocol_error)
{
    rec.result = json_parse("\"ten\"");
    int64_t n = 0;
    cr_expect_eq(odoo_search_count(&n, p, "res.partner", NULL, &err), ODOO_ERR_PROTOCOL);
    cr_expect_str_eq(err.method, "search_count");
    json_object_put(rec.result);
}

Test(helpers, expired_session_renewed_once)
{
    rec.fail_times = 1;
    json_object *out = NULL;
    cr_expect_eq(odoo_execute_kw(&out, p, "res.partner", "search", NULL, NULL, NULL, &err), 0);
    cr_expect_eq(rec.logins, 2);
    cr_expect_eq(rec.calls, 2);
    rec.fail_times = 2;
    cr_expect_eq(odoo_execute_kw(&out, p, "res.partner", "search", NULL, NULL, NULL, &err), ODOO_ERR_SESSION_EXPIRED);
    cr_expect_eq(rec.logins, 3);
    cr_expect_eq(rec.calls, 4);
}

Test(helpers, errors_name_the_call_and_hide_the_password)
{
    rec.fail_message = "login correct-horse-battery refused";
    json_object *out = NULL;
    cr_expect_eq(odoo_execute_kw(&out, p, "res.partner", "search", NULL, NULL, NULL, &err), ODOO_ERR_SERVER);
    cr_expect_str_eq(err.model, "res.partner");
    cr_expect_str_eq(err.method, "search");
    cr_expect_str_eq(err.message, "login *** refused");
}

Test(helpers, arguments_are_checked)
{
    json_object *out = NULL, *notarray = json_parse("{\"a\": 1}");
    cr_expect_eq(odoo_execute_kw(&out, p, "res.partner", "search", notarray, NULL, NULL, &err),
                 ODOO_ERR_INVALID_ARGUMENT);
    cr_expect_eq(odoo_read(&out, p, "res.partner", NULL, NULL, NULL, &err), ODOO_ERR_INVALID_ARGUMENT);
    cr_expect_eq(odoo_write(p, "res.partner", notarray, notarray, NULL, &err), ODOO_ERR_INVALID_ARGUMENT);
    cr_expect_eq(odoo_create(&out, p, "res.partner", NULL, NULL, &err), ODOO_ERR_INVALID_ARGUMENT);
    cr_expect_eq(odoo_search(&out, p, "res partner", NULL, &err), ODOO_ERR_INVALID_ARGUMENT);
    cr_expect_eq(rec.calls, 0);
    json_object_put(notarray);
}

Test(helpers, vtable_version_is_checked)
{
    odoo_protocol_ops bad = fake_ops;
    bad.version = 99;
    odoo_options o = ODOO_OPTIONS_INIT;
    o.url = "http://fake.invalid";
    odoo_protocol *q = NULL;
    cr_expect_eq(odoo_open(&q, &bad, &o, &err), ODOO_ERR_INVALID_ARGUMENT);
    cr_expect_null(q);
    o.version = 0;
    cr_expect_eq(odoo_open(&q, &fake_ops, &o, &err), ODOO_ERR_INVALID_ARGUMENT);
    o.version = ODOO_OPTIONS_VERSION;
    o.url = "ftp://fake.invalid";
    cr_expect_eq(odoo_open(&q, &fake_ops, &o, &err), ODOO_ERR_INVALID_ARGUMENT);
}

/* ---- issue 15 point 1: odoo_search_options ---- */

Test(helpers, search_options_are_checked_before_anything_is_sent)
{
    json_object *out = NULL;
    int64_t n = 0;
    const char *fields[] = { "name", NULL };
    odoo_search_options o = ODOO_SEARCH_OPTIONS_INIT;
    o.version = 0; /* a struct not started from the INIT */
    cr_expect_eq(odoo_search(&out, p, "res.partner", &o, &err), ODOO_ERR_INVALID_ARGUMENT);
    cr_expect(strstr(err.message, "version") != NULL, "%s", err.message);
    o.version = ODOO_SEARCH_OPTIONS_VERSION + 1;
    cr_expect_eq(odoo_search_read(&out, p, "res.partner", &o, &err), ODOO_ERR_INVALID_ARGUMENT);
    odoo_search_options neg = ODOO_SEARCH_OPTIONS_INIT;
    neg.limit = -1;
    cr_expect_eq(odoo_search_read(&out, p, "res.partner", &neg, &err), ODOO_ERR_INVALID_ARGUMENT);
    neg.limit = 0;
    neg.offset = -5;
    cr_expect_eq(odoo_search(&out, p, "res.partner", &neg, &err), ODOO_ERR_INVALID_ARGUMENT);
    /* what a call does not use is refused, not ignored */
    odoo_search_options f = ODOO_SEARCH_OPTIONS_INIT;
    f.fields = fields;
    cr_expect_eq(odoo_search(&out, p, "res.partner", &f, &err), ODOO_ERR_INVALID_ARGUMENT);
    cr_expect(strstr(err.message, "fields") != NULL, "%s", err.message);
    cr_expect_eq(odoo_search_count(&n, p, "res.partner", &f, &err), ODOO_ERR_INVALID_ARGUMENT);
    odoo_search_options ord = ODOO_SEARCH_OPTIONS_INIT;
    ord.order = "name";
    cr_expect_eq(odoo_search_count(&n, p, "res.partner", &ord, &err), ODOO_ERR_INVALID_ARGUMENT);
    odoo_search_options pg = ODOO_SEARCH_OPTIONS_INIT;
    pg.page_size = 10;
    cr_expect_eq(odoo_search_read(&out, p, "res.partner", &pg, &err), ODOO_ERR_INVALID_ARGUMENT);
    odoo_search_options dom = ODOO_SEARCH_OPTIONS_INIT;
    dom.domain = json_object_new_object();
    cr_expect_eq(odoo_search(&out, p, "res.partner", &dom, &err), ODOO_ERR_INVALID_ARGUMENT);
    json_object_put(dom.domain);
    cr_expect_null(out);
    cr_expect_eq(rec.calls, 0, "nothing was sent");
}

Test(helpers, search_and_count_send_only_what_is_set)
{
    rec.result = json_parse("[3, 2]");
    json_object *out = NULL, *domain = json_parse("[[\"id\", \">\", 1]]");
    odoo_search_options o = ODOO_SEARCH_OPTIONS_INIT;
    o.domain = domain;
    o.limit = 2;
    o.order = "id desc";
    o.context = json_parse("{\"active_test\": false}");
    cr_assert_eq(odoo_search(&out, p, "res.partner", &o, &err), 0, "%s", err.message);
    cr_expect_str_eq(rec.method, "search");
    EXPECT_JSON(rec.args, "[[[\"id\", \">\", 1]]]");
    EXPECT_JSON(rec.kwargs, "{\"limit\": 2, \"order\": \"id desc\"}");
    EXPECT_JSON(rec.context, "{\"lang\": \"en_US\", \"tz\": \"UTC\", \"active_test\": false}");
    json_object_put(out);
    json_object_put(rec.result);
    rec.result = json_object_new_int64(INT64_C(5000000000)); /* beyond 32 bits */
    int64_t n = 0;
    odoo_search_options c = ODOO_SEARCH_OPTIONS_INIT;
    c.domain = domain;
    cr_assert_eq(odoo_search_count(&n, p, "res.partner", &c, &err), 0, "%s", err.message);
    cr_expect_eq(n, INT64_C(5000000000));
    EXPECT_JSON(rec.kwargs, "{}");
    json_object_put(rec.result);
    json_object_put(o.context);
    json_object_put(domain);
}

static int collect(json_object *record, void *payload)
{
    json_object *id;
    json_object_object_get_ex(record, "id", &id);
    json_object_array_add((json_object *)payload, json_object_new_int64(json_object_get_int64(id)));
    return 0;
}

Test(helpers, search_read_each_pages_by_id_with_offset_and_limit)
{
    /* the fake answers two records a page, ids above the domain's last term */
    rec.result = json_parse("[{\"id\": 4}, {\"id\": 5}]");
    json_object *seen = json_object_new_array();
    odoo_search_options o = ODOO_SEARCH_OPTIONS_INIT;
    o.page_size = 2;
    o.offset = 3;
    o.limit = 2;
    o.order = "id";
    cr_assert_eq(odoo_search_read_each(p, "res.partner", &o, collect, seen, &err), 0, "%s", err.message);
    EXPECT_JSON(seen, "[4, 5]");
    cr_expect_eq(rec.calls, 1, "the limit was reached on the first page");
    EXPECT_JSON(rec.args, "[[[\"id\", \">\", 0]]]");
    EXPECT_JSON(rec.kwargs, "{\"offset\": 3, \"limit\": 2, \"order\": \"id asc\"}");
    odoo_search_options bad = ODOO_SEARCH_OPTIONS_INIT;
    bad.order = "name";
    cr_expect_eq(odoo_search_read_each(p, "res.partner", &bad, collect, seen, &err), ODOO_ERR_INVALID_ARGUMENT);
    cr_expect_eq(rec.calls, 1);
    json_object_put(seen);
    json_object_put(rec.result);
}

/* ---- issue 15 point 3: 64-bit ids, create of one record ---- */

Test(helpers, create_one_gives_the_id_without_a_wrapper)
{
    json_object *vals = odoo_vals_new();
    cr_assert_eq(odoo_vals_set_string(vals, "name", "Azure"), 0);
    rec.result = json_object_new_int64(INT64_C(4294967297)); /* beyond 32 bits */
    int64_t id = 0;
    cr_assert_eq(odoo_create_one(&id, p, "res.partner", vals, NULL, &err), 0, "%s", err.message);
    cr_expect_eq(id, INT64_C(4294967297));
    cr_expect_str_eq(rec.method, "create");
    EXPECT_JSON(rec.args, "[{\"name\": \"Azure\"}]");
    json_object_put(rec.result);
    rec.result = json_parse("[12]"); /* create([vals]) answers a list of one */
    cr_assert_eq(odoo_create_one(&id, p, "res.partner", vals, NULL, &err), 0, "%s", err.message);
    cr_expect_eq(id, 12);
    cr_assert_eq(odoo_create_one(NULL, p, "res.partner", vals, NULL, &err), 0, "NULL id: discarded");
    json_object_put(rec.result);
    rec.result = json_parse("[12, 13]");
    cr_expect_eq(odoo_create_one(&id, p, "res.partner", vals, NULL, &err), ODOO_ERR_PROTOCOL);
    cr_expect_eq(id, 0, "no id after a failure");
    json_object_put(rec.result);
    rec.result = NULL;
    int calls = rec.calls;
    json_object *list = json_parse("[{\"name\": \"a\"}]");
    cr_expect_eq(odoo_create_one(&id, p, "res.partner", list, NULL, &err), ODOO_ERR_INVALID_ARGUMENT);
    cr_expect_eq(odoo_create_one(&id, p, "res.partner", NULL, NULL, &err), ODOO_ERR_INVALID_ARGUMENT);
    cr_expect_eq(odoo_create_one(&id, NULL, "res.partner", vals, NULL, &err), ODOO_ERR_INVALID_ARGUMENT);
    cr_expect_eq(rec.calls, calls, "nothing sent");
    json_object_put(list);
    json_object_put(vals);
    /* ids and uids are int64_t */
    int64_t big[] = { INT64_C(9007199254740993) };
    json_object *ids = odoo_ids_new(big, 1);
    EXPECT_JSON(ids, "[9007199254740993]");
    json_object_put(ids);
    int64_t uid = 0;
    cr_assert_eq(odoo_authenticate(&uid, p, &err), 0);
    cr_expect_eq(uid, 7);
    cr_expect_eq(odoo_uid(p), 7);
}
