/* A call's own limits (issue 15, point 1): odoo_call_options and the
 * version-2 members of odoo_search_options — a whole-call timeout and a
 * cancel flag — on every protocol, against odoo-mock. */
#include <pthread.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <odoo.h>
#include <odoo_mock.h>

static odoo_mock *mock;
static odoo_rpc_error err = ODOO_RPC_ERROR_INIT;

static const odoo_protocol_kind kinds[] = {
    ODOO_PROTOCOL_XMLRPC, ODOO_PROTOCOL_JSONRPC, ODOO_PROTOCOL_JSONRPC_STATELESS, ODOO_PROTOCOL_JSON2,
    ODOO_PROTOCOL_ODXPROXY,
};
#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

static void start(void)
{
    odoo_mock_config cfg = { 0 };
    cfg.quiet = 1;
    cr_assert_eq(odoo_mock_start(&mock, &cfg), 0, "odoo-mock did not start");
}

static void stop(void)
{
    odoo_mock_stop(mock);
    mock = NULL;
    odoo_rpc_error_clear(&err);
}

static odoo_protocol *open_kind(odoo_protocol_kind kind, long timeout_ms, int retries)
{
    odoo_options o = ODOO_OPTIONS_INIT;
    o.url = odoo_mock_url(mock);
    o.db = odoo_mock_db(mock);
    o.login = "admin";
    o.password = "admin";
    o.api_key = ODOO_MOCK_ADMIN_API_KEY;
    o.timeout_ms = timeout_ms;
    o.proxy_retries = retries;
    o.proxy_retry_backoff_ms = 2000;
    if (kind == ODOO_PROTOCOL_ODXPROXY) {
        o.proxy_url = odoo_mock_url(mock); /* the mock is its own gateway */
        o.proxy_api_key = odoo_mock_proxy_key(mock);
        o.user_id = 2;
        o.password = NULL;
    }
    odoo_protocol *p = NULL;
    cr_assert_eq(odoo_connect(&p, kind, &o, &err), 0, "%s: %s", odoo_protocol_kind_name(kind), err.message);
    /* log in now, so that a fault only meets the call under test */
    if (kind != ODOO_PROTOCOL_JSON2)
        cr_assert_eq(odoo_authenticate(NULL, p, &err), 0, "%s: %s", odoo_protocol_kind_name(kind), err.message);
    return p;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static unsigned long requests(void)
{
    odoo_mock_stats st;
    odoo_mock_get_stats(mock, &st);
    return st.requests;
}

static int64_t count_with(odoo_protocol *p, const odoo_call_options *o, int *rc)
{
    json_object *out = NULL, *args = json_object_new_array();
    json_object_array_add(args, json_object_new_array());
    *rc = odoo_call_with(&out, p, "res.partner", "search_count", NULL, args, NULL, o, &err);
    int64_t n = *rc == 0 ? json_object_get_int64(out) : -1;
    json_object_put(out);
    json_object_put(args);
    return n;
}

Test(call_limits, a_raised_flag_sends_nothing, .init = start, .fini = stop)
{
    for (size_t k = 0; k < NKINDS; k++) {
        odoo_protocol *p = open_kind(kinds[k], 0, 0);
        volatile int cancel = 1;
        odoo_call_options o = ODOO_CALL_OPTIONS_INIT;
        o.cancel = &cancel;
        unsigned long before = requests();
        int rc;
        count_with(p, &o, &rc);
        cr_expect_eq(rc, ODOO_ERR_CANCELLED, "%s: %s", odoo_protocol_name(p), err.message);
        cr_expect_eq(requests(), before, "%s: nothing sent", odoo_protocol_name(p));
        cr_expect_str_eq(odoo_error_kind_name(ODOO_ERR_CANCELLED), "cancelled");
        cancel = 0; /* the flag lowered: the same call runs */
        cr_expect_gt(count_with(p, &o, &rc), 0, "%s: %s", odoo_protocol_name(p), err.message);
        odoo_close(p);
    }
}

struct raiser { volatile int *flag; int after_ms; };

static void *raise_later(void *arg)
{
    struct raiser *r = arg;
    usleep((useconds_t)r->after_ms * 1000);
    *r->flag = 1;
    return NULL;
}

Test(call_limits, a_flag_raised_mid_transfer_stops_the_call, .init = start, .fini = stop, .timeout = 60)
{
    for (size_t k = 0; k < NKINDS; k++) {
        odoo_protocol *p = open_kind(kinds[k], 0, 0);
        cr_assert_eq(odoo_mock_inject(mock, "latency:ms=4000,count=1"), 0);
        volatile int cancel = 0;
        struct raiser r = { &cancel, 300 };
        pthread_t t;
        pthread_create(&t, NULL, raise_later, &r);
        odoo_call_options o = ODOO_CALL_OPTIONS_INIT;
        o.cancel = &cancel;
        double t0 = now_s();
        int rc;
        count_with(p, &o, &rc);
        double took = now_s() - t0;
        pthread_join(t, NULL);
        cr_expect_eq(rc, ODOO_ERR_CANCELLED, "%s: %s", odoo_protocol_name(p), err.message);
        cr_expect_lt(took, 3.0, "%s: stopped at once (%.2f s), not after the 4 s answer", odoo_protocol_name(p), took);
        odoo_close(p);
        odoo_mock_clear_faults(mock);
    }
}

Test(call_limits, the_call_timeout_bounds_the_whole_call, .init = start, .fini = stop, .timeout = 60)
{
    for (size_t k = 0; k < NKINDS; k++) {
        odoo_protocol *p = open_kind(kinds[k], 0, 0);
        cr_assert_eq(odoo_mock_inject(mock, "latency:ms=3000,count=1"), 0);
        odoo_call_options o = ODOO_CALL_OPTIONS_INIT;
        o.timeout_ms = 400;
        double t0 = now_s();
        int rc;
        count_with(p, &o, &rc);
        double took = now_s() - t0;
        cr_expect_eq(rc, ODOO_ERR_TIMEOUT, "%s: %s", odoo_protocol_name(p), err.message);
        cr_expect_lt(took, 2.5, "%s: %.2f s", odoo_protocol_name(p), took);
        odoo_mock_clear_faults(mock);
        /* the connection's own timeout is back: a plain call works */
        cr_expect_gt(count_with(p, NULL, &rc), 0, "%s: %s", odoo_protocol_name(p), err.message);
        odoo_close(p);
    }
}

Test(call_limits, a_longer_call_timeout_overrides_the_connections, .init = start, .fini = stop, .timeout = 60)
{
    for (size_t k = 0; k < NKINDS; k++) {
        odoo_protocol *p = open_kind(kinds[k], 500, 0);
        int rc;
        cr_assert_eq(odoo_mock_inject(mock, "latency:ms=1200,count=1"), 0);
        count_with(p, NULL, &rc);
        cr_expect_eq(rc, ODOO_ERR_TIMEOUT, "%s: the connection's 500 ms: %s", odoo_protocol_name(p), err.message);
        odoo_close(p);
        odoo_mock_clear_faults(mock);
        p = open_kind(kinds[k], 500, 0);
        cr_assert_eq(odoo_mock_inject(mock, "latency:ms=1200,count=1"), 0);
        odoo_call_options o = ODOO_CALL_OPTIONS_INIT;
        o.timeout_ms = 5000;
        cr_expect_gt(count_with(p, &o, &rc), 0, "%s: %s", odoo_protocol_name(p), err.message);
        odoo_mock_clear_faults(mock);
        odoo_close(p);
    }
}

Test(call_limits, a_cancel_stops_a_retry_wait, .init = start, .fini = stop, .timeout = 60)
{
    /* retries with a 2 s first delay: the flag ends the wait, not the delay */
    odoo_protocol *p = open_kind(ODOO_PROTOCOL_JSON2, 0, 3);
    cr_assert_eq(odoo_mock_inject(mock, "ratelimit:retry_after=5,count=10"), 0);
    volatile int cancel = 0;
    struct raiser r = { &cancel, 300 };
    pthread_t t;
    pthread_create(&t, NULL, raise_later, &r);
    odoo_search_options so = ODOO_SEARCH_OPTIONS_INIT;
    so.cancel = &cancel;
    json_object *out = NULL;
    double t0 = now_s();
    int rc = odoo_search_read(&out, p, "res.partner", &so, &err);
    double took = now_s() - t0;
    pthread_join(t, NULL);
    cr_expect_eq(rc, ODOO_ERR_CANCELLED, "%s", err.message);
    cr_expect_lt(took, 2.0, "%.2f s", took);
    json_object_put(out);
    odoo_close(p);
}

Test(call_limits, search_options_carry_the_limits_and_version_1_still_reads, .init = start, .fini = stop)
{
    odoo_protocol *p = open_kind(ODOO_PROTOCOL_JSONRPC_STATELESS, 0, 0);
    /* a version-1 struct, as a program built before the limits would pass it */
    odoo_search_options v1 = ODOO_SEARCH_OPTIONS_INIT;
    v1.version = 1;
    v1.limit = 3;
    json_object *out = NULL;
    cr_expect_eq(odoo_search(&out, p, "res.partner", &v1, &err), 0, "%s", err.message);
    cr_expect_eq(json_object_array_length(out), 3);
    json_object_put(out);
    out = NULL;
    /* search_read_each: one cancel flag over every page */
    volatile int cancel = 1;
    odoo_search_options each = ODOO_SEARCH_OPTIONS_INIT;
    each.page_size = 5;
    each.cancel = &cancel;
    cr_expect_eq(odoo_search_read_each(p, "res.partner", &each, NULL, NULL, &err), ODOO_ERR_INVALID_ARGUMENT);
    odoo_call_options bad = ODOO_CALL_OPTIONS_INIT;
    bad.version = 7;
    int rc;
    count_with(p, &bad, &rc);
    cr_expect_eq(rc, ODOO_ERR_INVALID_ARGUMENT);
    odoo_close(p);
}
