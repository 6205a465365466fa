/* The example adapter (examples/echo_adapter.c, built on the public and
 * sys headers only) registered at run time and driven through every
 * helper against odoo-mock: it gives the values the built-in
 * jsonrpc-stateless adapter gives, every call really goes through it, the
 * core's policies (key then password, error finishing) run on it, and
 * AUTO leaves it alone unless its rank says otherwise. */
#define ECHO_ADAPTER_NO_MAIN
#include "../../examples/echo_adapter.c"

#include <criterion/criterion.h>

#include "fixtures.h"

static odoo_rpc_error err = ODOO_RPC_ERROR_INIT;

/* Registered once per process (Criterion runs each test in its own). */
static void register_echo(void)
{
    if (odoo_adapter_find("echo") == &echo_adapter)
        return;
    cr_assert_eq(echo_adapter_register(&err), 0, "%s", err.message);
}

Test(echo_adapter, registration)
{
    odoo_protocol *p = (odoo_protocol *)1;
    odoo_options o = ODOO_OPTIONS_INIT;
    o.url = "http://127.0.0.1:1";
    /* Unknown until registered. */
    cr_expect_null(odoo_adapter_find("echo"));
    cr_expect_eq(odoo_connect_name(&p, "echo", &o, &err), ODOO_ERR_INVALID_ARGUMENT);
    cr_expect_null(p);
    cr_expect(strstr(err.message, "no adapter called 'echo'") != NULL, "%s", err.message);

    cr_assert_eq(echo_adapter_register(&err), 0, "%s", err.message);
    cr_expect_eq(odoo_adapter_find("echo"), &echo_adapter);
    size_t i = 0;
    while (odoo_adapter_at(i) && odoo_adapter_at(i) != &echo_adapter)
        i++;
    cr_expect_not_null(odoo_adapter_at(i), "listed by odoo_adapter_at");
    cr_expect_null(odoo_adapter_at(i + 1), "after the built-ins");

    /* Once: the name is taken now. */
    cr_expect_eq(echo_adapter_register(&err), ODOO_ERR_INVALID_ARGUMENT);
    cr_expect(strstr(err.message, "already registered") != NULL, "%s", err.message);
    /* Nor may an external adapter claim a built-in's kind. */
    static const odoo_adapter thief = { ODOO_ADAPTER_VERSION, "echo-thief", &echo_ops,
                                        ODOO_PROTOCOL_JSONRPC_STATELESS, 0, 0, NULL, echo_rank };
    cr_expect_eq(odoo_adapter_register(&thief, &err), ODOO_ERR_INVALID_ARGUMENT);
    cr_expect(strstr(err.message, "claims the kind") != NULL, "%s", err.message);

    /* A connection opens without I/O; the descriptor's kind is AUTO (the
     * public enum names the built-ins only). */
    cr_assert_eq(odoo_connect_name(&p, "echo", &o, &err), 0, "%s", err.message);
    cr_expect_str_eq(odoo_protocol_name(p), "echo");
    cr_expect_eq(odoo_protocol_kind_of(p), ODOO_PROTOCOL_AUTO);
    cr_expect_eq(echo_exchanges(p), 0);
    odoo_close(p);

    /* echo's open refuses what it would otherwise ignore. */
    o.proxy_url = "http://127.0.0.1:2";
    cr_expect_eq(odoo_connect_name(&p, "echo", &o, &err), ODOO_ERR_INVALID_ARGUMENT);
    cr_expect(strstr(err.message, "proxy_url") != NULL, "%s", err.message);
    cr_expect_null(p);
}

Test(echo_adapter, transport_failure_is_reported_as_such)
{
    register_echo();
    odoo_options o = ODOO_OPTIONS_INIT;
    o.url = "http://127.0.0.1:1"; /* nothing listens */
    o.db = "odoo";
    o.login = "admin";
    o.password = "s3cret-pw";
    odoo_protocol *p = NULL;
    cr_assert_eq(odoo_connect_name(&p, "echo", &o, &err), 0, "%s", err.message);
    cr_expect_eq(odoo_search_count(NULL, p, "res.partner", NULL, &err), ODOO_ERR_CONNECT, "%s",
                 odoo_error_kind_name(err.kind));
    cr_expect_eq(echo_exchanges(p), 0, "echo_failed ran, decode did not");
    odoo_close(p);
}

#ifdef ODOO_HAVE_MOCK
#include <odoo_mock.h>

static odoo_mock *mock;

static void start(void)
{
    odoo_mock_config cfg = { 0 };
    cfg.quiet = 1;
    cr_assert_eq(odoo_mock_start(&mock, &cfg), 0, "odoo-mock did not start");
    register_echo();
}

static void stop(void)
{
    odoo_mock_stop(mock);
    mock = NULL;
    odoo_rpc_error_clear(&err);
}

static odoo_options admin(const char *password, const char *key)
{
    odoo_options o = ODOO_OPTIONS_INIT;
    o.url = odoo_mock_url(mock);
    o.db = odoo_mock_db(mock);
    o.login = ODOO_MOCK_ADMIN_LOGIN;
    o.password = password;
    o.api_key = key;
    return o;
}

static odoo_protocol *open_name(const char *name)
{
    odoo_options o = admin(ODOO_MOCK_ADMIN_PASSWORD, NULL);
    odoo_protocol *p = NULL;
    cr_assert_eq(odoo_connect_name(&p, name, &o, &err), 0, "%s: %s", name, err.message);
    return p;
}

static unsigned long mock_jsonrpc(void)
{
    odoo_mock_stats st;
    odoo_mock_get_stats(mock, &st);
    return st.jsonrpc;
}

/* One helper call: it succeeds, and on echo it went through echo's decode
 * (and the mock's /jsonrpc saw as many requests). */
#define STEP(call)                                                                                       \
    do {                                                                                                 \
        long before_ = echo_exchanges(p);                                                               \
        unsigned long wire_ = mock_jsonrpc();                                                           \
        cr_assert_eq((call), 0, "%s: %s: %s %s", name, #call, odoo_error_kind_name(err.kind),           \
                     err.message ? err.message : "");                                                   \
        if (before_ >= 0) {                                                                             \
            cr_assert_gt(echo_exchanges(p), before_, "%s did not go through echo", #call);              \
            cr_assert_eq(mock_jsonrpc() - wire_, (unsigned long)(echo_exchanges(p) - before_), "%s", #call); \
        }                                                                                               \
    } while (0)

static int collect(json_object *record, void *payload)
{
    json_object *id = NULL;
    json_object_object_get_ex(record, "id", &id);
    json_object_array_add(payload, json_object_get(id));
    return 0;
}

static int stop_at_third(json_object *record, void *payload)
{
    (void)record;
    return ++*(int *)payload == 3 ? 42 : 0;
}

static void put(json_object *doc, const char *key, json_object *v)
{
    json_object_object_add(doc, key, v);
}

/* Every helper of <odoo/helpers.h>, the raw calls, the version and a
 * login, on one connection; what they answered, for comparison. */
static json_object *scenario(const char *name)
{
    odoo_mock_reset(mock); /* the same records and ids for each adapter */
    odoo_protocol *p = open_name(name);
    json_object *doc = json_object_new_object(), *out = NULL;

    STEP(odoo_version_info(&out, p, &err));
    cr_expect_eq(odoo_server_version(p), 19, "%s: the core learned the version", name);
    put(doc, "version", out);

    int64_t uid = 0;
    STEP(odoo_authenticate(&uid, p, &err));
    cr_expect_eq(uid, ODOO_MOCK_ADMIN_UID);
    cr_expect_eq(odoo_uid(p), ODOO_MOCK_ADMIN_UID);
    put(doc, "uid", json_object_new_int64(uid));

    json_object *companies = json_parse("[[\"is_company\", \"=\", true]]");
    odoo_search_options q = ODOO_SEARCH_OPTIONS_INIT;
    q.domain = companies;
    q.offset = 1;
    q.limit = 4;
    q.order = "id desc";
    STEP(odoo_search(&out, p, "res.partner", &q, &err));
    cr_expect(json_object_is_type(out, json_type_array) && json_object_array_length(out) == 4, "%s", name);
    put(doc, "search", out);

    const char *fields[] = { "name", "email", "country_id", "is_company", NULL };
    odoo_search_options qr = ODOO_SEARCH_OPTIONS_INIT;
    qr.domain = companies;
    qr.fields = fields;
    qr.limit = 5;
    qr.order = "id";
    STEP(odoo_search_read(&out, p, "res.partner", &qr, &err));
    cr_expect_eq(json_object_array_length(out), 5, "%s", name);
    put(doc, "search_read", out);

    int64_t n = 0, all = 0;
    odoo_search_options qc = ODOO_SEARCH_OPTIONS_INIT;
    qc.domain = companies;
    STEP(odoo_search_count(&n, p, "res.partner", &qc, &err));
    cr_expect_gt(n, 5, "%s", name);
    put(doc, "count", json_object_new_int64(n));
    STEP(odoo_search_count(&all, p, "res.partner", NULL, &err));

    /* Page by page, 7 records a request: every record once, in id order. */
    json_object *seen = json_object_new_array();
    odoo_search_options qe = ODOO_SEARCH_OPTIONS_INIT;
    qe.fields = fields;
    qe.page_size = 7;
    long before = echo_exchanges(p);
    STEP(odoo_search_read_each(p, "res.partner", &qe, collect, seen, &err));
    cr_expect_eq((int64_t)json_object_array_length(seen), all, "%s", name);
    if (before >= 0)
        cr_expect_geq(echo_exchanges(p) - before, (all + 6) / 7, "%s: one request a page", name);
    put(doc, "each", seen);
    int calls = 0;
    cr_expect_eq(odoo_search_read_each(p, "res.partner", &qe, stop_at_third, &calls, &err), 42,
                 "the callback's answer stops the walk");

    json_object *ids = json_parse("[3, 10, 11]");
    const char *read_fields[] = { "name", "parent_id", "child_ids", "active", NULL };
    STEP(odoo_read(&out, p, "res.partner", ids, read_fields, NULL, &err));
    cr_expect_eq(json_object_array_length(out), 3, "%s", name);
    put(doc, "read", out);

    json_object *vals = json_parse("{\"name\": \"Echo Ünïcödé <&>\", \"email\": \"echo@example.com\"}");
    json_object *id = NULL;
    STEP(odoo_create(&id, p, "res.partner", vals, NULL, &err));
    cr_assert(json_object_is_type(id, json_type_int), "%s: create(dict) gives an id", name);
    int64_t newid = json_object_get_int64(id);
    json_object *many = json_parse("[{\"name\": \"Echo A\"}, {\"name\": \"Echo B\"}]"), *two = NULL;
    STEP(odoo_create(&two, p, "res.partner", many, NULL, &err));
    cr_assert(json_object_is_type(two, json_type_array) && json_object_array_length(two) == 2, "%s", name);
    int64_t oneid = 0;
    json_object *third = json_parse("{\"name\": \"Echo C\", \"is_company\": true}");
    STEP(odoo_create_one(&oneid, p, "res.partner", third, NULL, &err));
    cr_expect_gt(oneid, newid, "%s", name);
    put(doc, "created", json_object_new_int64(oneid - newid));

    json_object *one = odoo_ids_new(&newid, 1);
    json_object *upd = json_parse("{\"phone\": \"+32 2 555 12 12\"}");
    STEP(odoo_write(p, "res.partner", one, upd, NULL, &err));
    const char *back_fields[] = { "name", "email", "phone", NULL };
    STEP(odoo_read(&out, p, "res.partner", one, back_fields, NULL, &err));
    json_object *rec = json_object_array_get_idx(out, 0), *phone = NULL;
    json_object_object_get_ex(rec, "phone", &phone);
    cr_expect_str_eq(json_object_get_string(phone), "+32 2 555 12 12", "%s", name);
    json_object_object_del(rec, "id");
    put(doc, "read_back", out);

    const char *allfields[] = { "name", "country_id", NULL }, *attrs[] = { "type", "string", NULL };
    STEP(odoo_fields_get(&out, p, "res.partner", allfields, attrs, NULL, &err));
    cr_expect_eq(json_object_object_length(out), 2, "%s", name);
    put(doc, "fields_get", out);

    json_object *lang = json_parse("{\"lang\": \"en_US\"}");
    STEP(odoo_name_search(&out, p, "res.partner", "Echo", NULL, NULL, 10, lang, &err));
    cr_expect_eq(json_object_array_length(out), 4, "%s: the four just created", name);
    put(doc, "name_search", out);

    /* The raw calls: Odoo's split (ids, args, kwargs, context) and execute_kw. */
    json_object *args = json_parse("[[\"name\"]]");
    STEP(odoo_call(&out, p, "res.partner", "read", one, args, NULL, lang, &err));
    put(doc, "call", out);
    json_object *kwargs = json_parse("{\"fields\": [\"name\"], \"limit\": 2, \"order\": \"id\"}");
    json_object *dom = json_parse("[[[\"is_company\", \"=\", true]]]");
    STEP(odoo_execute_kw(&out, p, "res.partner", "search_read", dom, kwargs, NULL, &err));
    cr_expect_eq(json_object_array_length(out), 2, "%s", name);
    put(doc, "execute_kw", out);

    /* Errors: the kind Odoo's exception says, the call recorded by the core. */
    cr_expect_eq(odoo_execute_kw(&out, p, "no.such.model", "search", NULL, NULL, NULL, &err), ODOO_ERR_NOT_FOUND,
                 "%s: %s", name, err.message);
    cr_expect_str_eq(err.model, "no.such.model");
    cr_expect_str_eq(err.method, "search");
    cr_expect_null(out);
    put(doc, "unknown_model", json_object_new_string(odoo_error_kind_name(err.kind)));
    cr_expect_eq(odoo_call(&out, p, "res.partner", "no_such_method", NULL, NULL, NULL, NULL, &err),
                 ODOO_ERR_NOT_FOUND, "%s", name);

    STEP(odoo_unlink(p, "res.partner", one, NULL, &err));
    STEP(odoo_unlink(p, "res.partner", two, NULL, &err));
    STEP(odoo_read(&out, p, "res.partner", one, NULL, NULL, &err));
    cr_expect_eq(json_object_array_length(out), 0, "%s: gone", name);
    json_object_put(out);
    cr_expect_eq(odoo_write(p, "res.partner", one, upd, NULL, &err), ODOO_ERR_MISSING, "%s", name);

    /* extra.h: external ids (a search_read through the adapter), and the
     * database list (the core's own /jsonrpc exchange). */
    int64_t company = 0;
    STEP(odoo_ref(&company, p, "base.main_company", &err));
    cr_expect_eq(company, 1);
    cr_expect_eq(odoo_ref(&company, p, "base.no_such_xmlid", &err), ODOO_ERR_MISSING);
    cr_assert_eq(odoo_db_list(&out, p, &err), 0, "%s", err.message);
    put(doc, "db_list", out);

    json_object_put(dom);
    json_object_put(kwargs);
    json_object_put(args);
    json_object_put(lang);
    json_object_put(upd);
    json_object_put(one);
    json_object_put(third);
    json_object_put(two);
    json_object_put(many);
    json_object_put(id);
    json_object_put(vals);
    json_object_put(ids);
    json_object_put(companies);
    odoo_close(p);
    return doc;
}

Test(echo_adapter, every_helper_gives_what_the_builtin_gives, .init = start, .fini = stop, .timeout = 60)
{
    json_object *echo = scenario("echo");
    json_object *builtin = scenario("jsonrpc-stateless");
    json_object_object_foreach(builtin, key, val) {
        json_object *mine = NULL;
        json_object_object_get_ex(echo, key, &mine);
        cr_expect(json_equal(val, mine), "%s differs:\necho    %s\nbuiltin %s", key,
                  json_object_to_json_string(mine), json_object_to_json_string(val));
    }
    cr_expect_eq(json_object_object_length(echo), json_object_object_length(builtin));
    json_object_put(echo);
    json_object_put(builtin);
}

Test(echo_adapter, its_own_exchange, .init = start, .fini = stop)
{
    odoo_protocol *p = open_name("echo");
    int exists = 0;
    cr_assert_eq(echo_db_exist(&exists, p, odoo_mock_db(mock), &err), 0, "%s", err.message);
    cr_expect(exists);
    cr_assert_eq(echo_db_exist(&exists, p, "no-such-db", &err), 0, "%s", err.message);
    cr_expect_not(exists);
    cr_expect_eq(echo_exchanges(p), 2);
    cr_expect_eq(odoo_uid(p), 0, "the db service needs no login");
    odoo_close(p);
    /* Only on its own connections. */
    p = open_name("jsonrpc-stateless");
    cr_expect_eq(echo_db_exist(&exists, p, "odoo", &err), ODOO_ERR_INVALID_ARGUMENT);
    cr_expect_eq(echo_exchanges(p), -1);
    odoo_close(p);
}

Test(echo_adapter, the_core_logs_in_with_the_key_then_the_password, .init = start, .fini = stop)
{
    /* An expired key: refused (False), then the password: two exchanges. */
    odoo_options o = admin(ODOO_MOCK_ADMIN_PASSWORD, ODOO_MOCK_EXPIRED_API_KEY);
    odoo_protocol *p = NULL;
    int64_t uid = 0;
    cr_assert_eq(odoo_connect_name(&p, "echo", &o, &err), 0, "%s", err.message);
    cr_assert_eq(odoo_authenticate(&uid, p, &err), 0, "%s", err.message);
    cr_expect_eq(uid, ODOO_MOCK_ADMIN_UID);
    cr_expect_eq(echo_exchanges(p), 2);
    odoo_close(p);

    /* A good key alone: one exchange, and calls send it. */
    o = admin(NULL, ODOO_MOCK_ADMIN_API_KEY);
    cr_assert_eq(odoo_connect_name(&p, "echo", &o, &err), 0, "%s", err.message);
    cr_assert_eq(odoo_search_count(NULL, p, "res.partner", NULL, &err), 0, "%s", err.message);
    cr_expect_eq(echo_exchanges(p), 2, "the login the core ran first, then the call");
    odoo_close(p);

    /* A wrong password: an auth error that never quotes it. */
    o = admin("wrong-password-xyz", NULL);
    cr_assert_eq(odoo_connect_name(&p, "echo", &o, &err), 0, "%s", err.message);
    cr_expect_eq(odoo_search(NULL, p, "res.partner", NULL, &err), ODOO_ERR_AUTH);
    cr_expect(strstr(err.message, "wrong-password-xyz") == NULL, "%s", err.message);
    odoo_close(p);
}

Test(echo_adapter, auto_leaves_it_alone_at_rank_zero, .init = start, .fini = stop)
{
    odoo_options o = admin(ODOO_MOCK_ADMIN_PASSWORD, ODOO_MOCK_ADMIN_API_KEY);
    odoo_protocol *p = NULL;
    cr_assert_eq(odoo_connect(&p, ODOO_PROTOCOL_AUTO, &o, &err), 0, "%s", err.message);
    cr_expect_str_neq(odoo_protocol_name(p), "echo");
    cr_expect_eq(echo_exchanges(p), -1);
    cr_expect(strstr(odoo_protocol_reason(p), "echo") == NULL, "%s", odoo_protocol_reason(p));
    odoo_close(p);
    /* odoo_probe's report asks every adapter that talks to Odoo itself, echo too. */
    json_object *report = NULL, *protocols = NULL, *entry = NULL, *avail = NULL;
    cr_assert_eq(odoo_probe(&report, &o, &err), 0, "%s", err.message);
    cr_assert(json_object_object_get_ex(report, "protocols", &protocols));
    cr_assert(json_object_object_get_ex(protocols, "echo", &entry), "%s", json_object_to_json_string(report));
    cr_expect(json_object_object_get_ex(entry, "available", &avail) && json_object_get_boolean(avail));
    json_object_put(report);
}

/* The same table under a descriptor whose rank beats the built-ins'. */
static int eager_rank(const odoo_server_facts *facts, const char **why)
{
    *why = "the echo adapter outranks the built-ins";
    return facts->server_major >= 16 ? 1000 : 0;
}

Test(echo_adapter, auto_chooses_it_when_its_rank_says_so, .init = start, .fini = stop)
{
    static const odoo_adapter eager = { ODOO_ADAPTER_VERSION, "echo-eager", &echo_ops, ODOO_PROTOCOL_AUTO, 0, 0,
                                        "POST /jsonrpc common.version", eager_rank };
    cr_assert_eq(odoo_adapter_register(&eager, &err), 0, "%s", err.message);
    odoo_options o = admin(ODOO_MOCK_ADMIN_PASSWORD, NULL);
    odoo_protocol *p = NULL;
    cr_assert_eq(odoo_connect(&p, ODOO_PROTOCOL_AUTO, &o, &err), 0, "%s", err.message);
    cr_expect_str_eq(odoo_protocol_name(p), "echo");
    cr_expect(strstr(odoo_protocol_reason(p), "outranks") != NULL, "%s", odoo_protocol_reason(p));
    cr_expect_eq(odoo_server_version(p), 19, "the probe's version is kept");
    int64_t n = 0;
    cr_assert_eq(odoo_search_count(&n, p, "res.partner", NULL, &err), 0, "%s", err.message);
    cr_expect_gt(n, 0);
    cr_expect_eq(echo_exchanges(p), 2, "a login and the call, through echo");
    odoo_stats st;
    cr_assert_eq(odoo_stats_get(&st, p), 0);
    cr_expect_eq(st.connections, 1, "the probe's connection is reused");
    odoo_close(p);
}
#endif
